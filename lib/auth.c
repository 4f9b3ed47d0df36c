/*
 * auth.c - sign-in, tokens, sessions, CSRF; see auth.h.
 */
#include "auth.h"

#include <string.h>

#include "activity.h"
#include "auth_store.h"
#include "crypto.h"
#include "jsonin.h"
#include "password.h"
#include "throttle.h"

#define TOKEN_BYTES 32
#define SESSION_MAX_SECONDS (12L * 3600)

static const char *
token_hash(ag_arena *a, const char *token)
{
	return ag_sha256_hex(a, token, strlen(token));
}

static json_t *
user_json(ag_db *db, ag_arena *a, const char *user_id)
{
	PGresult *r = ag_auth_store_user_json(db, a, user_id);
	const char *doc = r != NULL ? ag_db_get(r, 0, "doc") : NULL;

	return doc != NULL ? json_loads(doc, 0, NULL) : json_null();
}

/* Issues an access token and a refresh token for user_id. */
static int
issue_pair(ag_app *app, ag_arena *a, const char *user_id, const char *device,
    const ag_actor *who, ag_tokens *out, ag_error *e)
{
	char *access = ag_random_token(a, TOKEN_BYTES);
	char *refresh = ag_random_token(a, TOKEN_BYTES);
	long access_ttl = app->access_token_minutes * 60;
	long refresh_ttl = app->refresh_token_days * 86400;
	const char *rid;

	rid = ag_auth_store_token_insert(app->db, a, user_id, "refresh",
	    token_hash(a, refresh), refresh_ttl, 0, NULL, device, who->ip);
	if (rid == NULL || ag_auth_store_token_insert(app->db, a, user_id,
	    "access", token_hash(a, access), access_ttl, 0, rid, device,
	    who->ip) == NULL)
		return ag_fail_internal(e, ag_db_error(app->db));
	out->access_token = access;
	out->refresh_token = refresh;
	out->access_expires_in = access_ttl;
	out->refresh_expires_in = refresh_ttl;
	return 0;
}

/*
 * A sign-in or sign-out in the activity log, named after the user even
 * though the request arrived without one.  Never a secret in it.
 */
static int
log_event(ag_app *app, ag_arena *a, const ag_actor *who, const char *user_id,
    const char *role, const char *action, const char *kind,
    const char *device)
{
	ag_actor as = *who;
	json_t *after = kind != NULL ? ag_json_own(a, json_pack("{s:s, s:s?}",
	    "kind", kind, "device", device)) : NULL;

	as.user_id = user_id;
	as.role = role;
	return ag_activity_write(app->db, a, &as, "auth", action, user_id, NULL,
	    after);
}

/* Counts a failed sign-in and answers it: the same for every reason. */
static int
login_failed(ag_app *app, ag_arena *a, const char *email, const ag_actor *who,
    ag_error *e)
{
	if (ag_throttle_fail(app, a, email, who->ip) != 0)
		return ag_fail_internal(e, ag_db_error(app->db));
	return ag_fail(e, 401, "INVALID_CREDENTIALS",
	    "Email atau kata sandi salah");
}

int
ag_auth_login(ag_app *app, ag_arena *a, enum ag_login_kind kind,
    const char *email, const char *password, const char *device_name,
    const ag_actor *who, ag_tokens *out, ag_error *e)
{
	PGresult *r;
	const char *uid, *hash, *role_level = NULL;
	long wait;
	int ok;

	memset(out, 0, sizeof(*out));
	/* Throttled before any password is looked at, known e-mail or not. */
	if ((wait = ag_throttle_wait(app, a, email, who->ip)) < 0)
		return ag_fail_internal(e, ag_db_error(app->db));
	if (wait > 0)
		return ag_fail_rate_limited(e, wait);
	if ((r = ag_auth_store_login_row(app->db, a, email)) == NULL)
		return ag_fail_internal(e, ag_db_error(app->db));
	if (ag_db_rows(r) != 1) {
		ag_password_burn(password);
		return login_failed(app, a, email, who, e);
	}
	uid = ag_db_get(r, 0, "id");
	hash = ag_db_get(r, 0, "password_hash");
	ok = ag_password_verify(hash, password);
	/* A locked or disabled account answers like a wrong password. */
	if (!ok || strcmp(ag_db_get(r, 0, "active"), "t") != 0 ||
	    strcmp(ag_db_get(r, 0, "locked"), "t") == 0) {
		if (!ok)
			ag_auth_store_login_result(app->db, a, uid, 0);
		return login_failed(app, a, email, who, e);
	}
	if (ag_throttle_reset(app, a, email) != 0)
		return ag_fail_internal(e, ag_db_error(app->db));
	out->user = ag_json_own(a, user_json(app->db, a, uid));
	if (kind == AG_LOGIN_MOBILE) {
		json_t *role = json_object_get(out->user, "role");

		role_level = json_string_value(json_object_get(role, "level"));
		if (role_level == NULL || (strcmp(role_level, "operational") != 0 &&
		    strcmp(role_level, "tenant_operational") != 0))
			return ag_fail(e, 403, "MOBILE_NOT_ALLOWED",
			    "Aplikasi mobile hanya untuk pengguna operasional");
	}
	/* The sign-in, its tokens and its log line: one transaction. */
	if (ag_db_begin(app->db) != 0 ||
	    ag_auth_store_login_result(app->db, a, uid, 1) != 0)
		return ag_fail_db(app, e);
	if (kind == AG_LOGIN_SESSION) {
		char *token = ag_random_token(a, TOKEN_BYTES);

		if (ag_auth_store_token_insert(app->db, a, uid, "session",
		    token_hash(a, token), SESSION_MAX_SECONDS,
		    app->session_idle_minutes, NULL, device_name, who->ip) == NULL)
			return ag_fail_db(app, e);
		out->access_token = token;
		out->access_expires_in = SESSION_MAX_SECONDS;
	} else if (issue_pair(app, a, uid, device_name, who, out, e) != 0) {
		ag_db_rollback(app->db);
		return -1;
	}
	if (log_event(app, a, who, uid, json_string_value(json_object_get(
	    json_object_get(out->user, "role"), "code")), "login",
	    kind == AG_LOGIN_SESSION ? "session" : kind == AG_LOGIN_MOBILE ?
	    "mobile" : "api", device_name) != 0 || ag_db_commit(app->db) != 0)
		return ag_fail_db(app, e);
	return 0;
}

int
ag_auth_refresh(ag_app *app, ag_arena *a, const char *refresh_token,
    const ag_actor *who, ag_tokens *out, ag_error *e)
{
	PGresult *r;
	const char *uid;

	memset(out, 0, sizeof(*out));
	if (ag_db_begin(app->db) != 0)
		return ag_fail_internal(e, ag_db_error(app->db));
	r = ag_auth_store_take_refresh(app->db, a, token_hash(a, refresh_token));
	if (r == NULL) {
		ag_db_rollback(app->db);
		return ag_fail_internal(e, ag_db_error(app->db));
	}
	if (ag_db_rows(r) != 1) {
		ag_db_rollback(app->db);
		return ag_fail(e, 401, "INVALID_REFRESH_TOKEN",
		    "Token penyegaran tidak valid atau sudah kedaluwarsa");
	}
	/* the access tokens issued with the old refresh token end too */
	if (ag_auth_store_revoke_family(app->db, a, ag_db_get(r, 0, "id")) != 0) {
		ag_db_rollback(app->db);
		return ag_fail_internal(e, ag_db_error(app->db));
	}
	uid = ag_db_get(r, 0, "user_id");
	if (issue_pair(app, a, uid, ag_db_get(r, 0, "device_name"), who, out,
	    e) != 0) {
		ag_db_rollback(app->db);
		return -1;
	}
	if (ag_db_commit(app->db) != 0)
		return ag_fail_internal(e, ag_db_error(app->db));
	out->user = ag_json_own(a, user_json(app->db, a, uid));
	return 0;
}

int
ag_auth_logout(ag_app *app, ag_arena *a, const ag_actor *who,
    const ag_principal *p, ag_error *e)
{
	if (ag_db_begin(app->db) != 0 ||
	    ag_auth_store_revoke_family(app->db, a, p->token_id) != 0 ||
	    log_event(app, a, who, p->user_id, p->role_code, "logout", NULL,
	    NULL) != 0 || ag_db_commit(app->db) != 0)
		return ag_fail_db(app, e);
	return 0;
}

static ag_principal *
principal(ag_app *app, ag_arena *a, const char *token, const char *kind)
{
	PGresult *r;
	ag_principal *p;

	if (token == NULL || strlen(token) < 20 || strlen(token) > 128)
		return NULL;
	r = ag_auth_store_principal(app->db, a, token_hash(a, token), kind);
	if (r == NULL || ag_db_rows(r) != 1)
		return NULL;
	p = ag_calloc(a, 1, sizeof(*p));
	p->token_id = ag_db_get(r, 0, "token_id");
	p->user_id = ag_db_get(r, 0, "id");
	p->name = ag_db_get(r, 0, "name");
	p->email = ag_db_get(r, 0, "email");
	p->company_id = ag_db_get(r, 0, "company_id");
	p->role_code = ag_db_get(r, 0, "role_code");
	p->role_name = ag_db_get(r, 0, "role_name");
	p->role_level = ag_db_get(r, 0, "level");
	p->perms = ag_db_get(r, 0, "perms");
	return p;
}

ag_principal *
ag_auth_bearer(ag_app *app, ag_arena *a, const char *token)
{
	return principal(app, a, token, "access");
}

ag_principal *
ag_auth_session(ag_app *app, ag_arena *a, const char *token)
{
	return principal(app, a, token, "session");
}

char *
ag_csrf_for(ag_app *app, ag_arena *a, const char *basis)
{
	return ag_hmac_sha256_b64url(a, app->secret,
	    ag_sprintf(a, "csrf\n%s", basis));
}

json_t *
ag_principal_json(const ag_principal *p)
{
	return json_pack("{s:s, s:s, s:s, s:{s:s, s:s, s:s}}",
	    "id", p->user_id, "name", p->name, "email", p->email,
	    "role", "code", p->role_code, "name", p->role_name,
	    "level", p->role_level);
}

int
ag_user_create(ag_db *db, ag_arena *a, const char *email, const char *name,
    const char *password, const char *role_code, const char *company_id,
    ag_error *e)
{
	PGresult *r = ag_auth_store_user_create(db, a, email, name,
	    ag_password_hash(a, password), role_code, company_id);

	if (r == NULL)
		return ag_fail_internal(e, ag_db_error(db));
	return ag_db_rows(r) == 1 ? 0 : 1;
}

int
ag_auth_revoke_user(ag_db *db, ag_arena *a, const char *user_id,
    const char *except_token_id)
{
	return ag_auth_store_revoke_user(db, a, user_id, except_token_id);
}
