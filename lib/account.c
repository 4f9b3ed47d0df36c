/*
 * account.c - forgot/reset password and e-mail verification; see
 * account.h.
 */
#include "account.h"

#include <string.h>

#include "account_store.h"
#include "activity.h"
#include "auth.h"
#include "jsonin.h"
#include "mail.h"
#include "onetime.h"
#include "password.h"
#include "throttle.h"

/* The user acting through a link: the log names them, not "guest". */
static ag_actor
as_user(const ag_actor *who, const PGresult *u)
{
	ag_actor me = *who;

	me.user_id = ag_db_get(u, 0, "id");
	me.role = ag_db_get(u, 0, "role_code");
	return me;
}

const char *
ag_account_password_policy(ag_app *app, const char *password,
    const char *email)
{
	/* app->arena: the arena of the request in progress (and of a CLI) */
	const char *list = app->data_dir != NULL && app->arena != NULL ?
	    ag_sprintf(app->arena, "%s/common-passwords.txt", app->data_dir) :
	    NULL;

	return ag_password_policy(password, email, list);
}

int
ag_account_set_password(ag_app *app, ag_arena *a, const char *user_id,
    const char *password, const char *except_token_id, ag_error *e)
{
	PGresult *r = ag_account_store_set_password(app->db, a, user_id,
	    ag_password_hash(a, password));

	if (r == NULL)
		return ag_fail_internal(e, ag_db_error(app->db));
	if (ag_db_rows(r) != 1)
		return ag_fail(e, 404, "USER_NOT_FOUND", "Pengguna tidak ditemukan");
	if (ag_auth_revoke_user(app->db, a, user_id, except_token_id) != 0)
		return ag_fail_internal(e, ag_db_error(app->db));
	return 0;
}

/*
 * Issues a token for user row u and queues the message with its link, in
 * one transaction with the activity line.  subject and intro are the
 * mail's; path is the page the link opens.
 */
static int
send_link(ag_app *app, ag_arena *a, const ag_actor *who, const PGresult *u,
    const char *purpose, const char *action, const char *subject,
    const char *intro, const char *path, ag_error *e)
{
	const char *uid = ag_db_get(u, 0, "id");
	ag_actor me = as_user(who, u);
	char *token, *body;
	json_t *after;

	if (ag_db_begin(app->db) != 0)
		return ag_fail_internal(e, ag_db_error(app->db));
	if ((token = ag_onetime_issue(app->db, a, uid, purpose, NULL)) == NULL)
		return ag_fail_db(app, e);
	body = ag_sprintf(a, "Halo %s,\n\n%s\n\n%s%s?token=%s\n\n"
	    "Tautan ini berlaku %d menit dan hanya dapat digunakan satu kali. "
	    "Jika Anda tidak merasa memintanya, abaikan email ini.\n\n"
	    "Salam,\nAutogate\n", ag_db_get(u, 0, "name"), intro,
	    app->public_url, path, token, AG_ONETIME_MINUTES);
	after = ag_json_own(a, json_pack("{s:s}", "purpose", purpose));
	if (ag_mail_enqueue(app->db, a, ag_db_get(u, 0, "email"), subject,
	    body) != 0 || ag_activity_write(app->db, a, &me, "auth", action, uid,
	    NULL, after) != 0)
		return ag_fail_db(app, e);
	if (ag_db_commit(app->db) != 0)
		return ag_fail_internal(e, ag_db_error(app->db));
	return 0;
}

/* 1 when a link of that purpose went out in the last minute, -1 on error. */
static int
sent_recently(ag_app *app, ag_arena *a, const char *uid, const char *purpose)
{
	PGresult *r = ag_account_store_recent_token(app->db, a, uid, purpose);

	return r == NULL ? -1 : ag_db_rows(r) > 0;
}

int
ag_account_forgot(ag_app *app, ag_arena *a, const ag_actor *who,
    const char *email, ag_error *e)
{
	PGresult *u = ag_account_store_by_email(app->db, a, email);
	int recent;

	if (u == NULL)
		return ag_fail_internal(e, ag_db_error(app->db));
	if (ag_db_rows(u) != 1)
		return 0;	/* the same answer as for a known address */
	recent = sent_recently(app, a, ag_db_get(u, 0, "id"), "reset_password");
	if (recent < 0)
		return ag_fail_internal(e, ag_db_error(app->db));
	if (recent)
		return 0;
	return send_link(app, a, who, u, "reset_password", "forgot_password",
	    "Atur ulang kata sandi Autogate",
	    "Kami menerima permintaan untuk mengatur ulang kata sandi akun "
	    "Autogate Anda. Buka tautan berikut untuk membuat kata sandi baru:",
	    "/admin/atur-ulang-kata-sandi", e);
}

/* The user row behind a live token of purpose, or NULL with e filled. */
static PGresult *
token_user(ag_app *app, ag_arena *a, const char *token, const char *purpose,
    ag_error *e)
{
	const char *uid;
	PGresult *u;

	switch (ag_onetime_peek(app->db, a, token, purpose, &uid, NULL)) {
	case 0:
		break;
	case -1:
		ag_onetime_fail(e);
		return NULL;
	default:
		ag_fail_internal(e, ag_db_error(app->db));
		return NULL;
	}
	if ((u = ag_account_store_by_id(app->db, a, uid)) == NULL) {
		ag_fail_internal(e, ag_db_error(app->db));
		return NULL;
	}
	if (ag_db_rows(u) != 1) {
		ag_onetime_fail(e);
		return NULL;
	}
	return u;
}

int
ag_account_reset_check(ag_app *app, ag_arena *a, const char *token,
    const char **masked_email, ag_error *e)
{
	PGresult *u = token_user(app, a, token, "reset_password", e);

	if (u == NULL)
		return -1;
	*masked_email = ag_email_mask(a, ag_db_get(u, 0, "email"));
	return 0;
}

int
ag_account_reset(ag_app *app, ag_arena *a, const ag_actor *who,
    const char *token, const char *password, const char *confirmation,
    ag_error *e)
{
	PGresult *u = token_user(app, a, token, "reset_password", e);
	const char *uid, *used_by, *why;
	ag_actor me;

	if (u == NULL)
		return -1;
	uid = ag_db_get(u, 0, "id");
	if ((why = ag_account_password_policy(app, password,
	    ag_db_get(u, 0, "email"))) != NULL)
		ag_error_field(e, "password", why);
	if (confirmation == NULL || password == NULL ||
	    strcmp(password, confirmation) != 0)
		ag_error_field(e, "password_confirmation",
		    "Konfirmasi kata sandi tidak sama");
	if (e->status != 0)
		return -1;
	me = as_user(who, u);
	if (ag_db_begin(app->db) != 0)
		return ag_fail_internal(e, ag_db_error(app->db));
	switch (ag_onetime_consume(app->db, a, token, "reset_password",
	    &used_by, NULL)) {
	case 0:
		break;
	case -1:
		ag_db_rollback(app->db);
		return ag_onetime_fail(e);	/* used up meanwhile */
	default:
		return ag_fail_db(app, e);
	}
	if (ag_account_set_password(app, a, uid, password, NULL, e) != 0) {
		ag_db_rollback(app->db);
		return -1;
	}
	if (ag_activity_write(app->db, a, &me, "auth", "reset_password", uid,
	    NULL, NULL) != 0 || ag_throttle_reset(app, a,
	    ag_db_get(u, 0, "email")) != 0)
		return ag_fail_db(app, e);
	if (ag_db_commit(app->db) != 0)
		return ag_fail_internal(e, ag_db_error(app->db));
	return 0;
}

int
ag_account_verify_send(ag_app *app, ag_arena *a, const ag_actor *who,
    ag_error *e)
{
	PGresult *u = ag_account_store_by_id(app->db, a, who->user_id);
	int recent;

	if (u == NULL)
		return ag_fail_internal(e, ag_db_error(app->db));
	if (ag_db_rows(u) != 1)
		return ag_fail(e, 404, "USER_NOT_FOUND", "Pengguna tidak ditemukan");
	if (strcmp(ag_db_get(u, 0, "verified"), "t") == 0)
		return ag_fail(e, 409, "EMAIL_ALREADY_VERIFIED",
		    "Email sudah terverifikasi");
	recent = sent_recently(app, a, who->user_id, "verify_email");
	if (recent < 0)
		return ag_fail_internal(e, ag_db_error(app->db));
	if (recent)
		return 0;	/* the last link is still on its way */
	return send_link(app, a, who, u, "verify_email", "send_verify_email",
	    "Verifikasi email Autogate",
	    "Buka tautan berikut untuk memverifikasi alamat email akun "
	    "Autogate Anda:", "/admin/verifikasi-email", e);
}

int
ag_account_verify(ag_app *app, ag_arena *a, const ag_actor *who,
    const char *token, ag_error *e)
{
	PGresult *u = token_user(app, a, token, "verify_email", e), *r;
	const char *uid, *used_by;
	json_t *after;
	ag_actor me;

	if (u == NULL)
		return -1;
	uid = ag_db_get(u, 0, "id");
	me = as_user(who, u);
	if (ag_db_begin(app->db) != 0)
		return ag_fail_internal(e, ag_db_error(app->db));
	switch (ag_onetime_consume(app->db, a, token, "verify_email", &used_by,
	    NULL)) {
	case 0:
		break;
	case -1:
		ag_db_rollback(app->db);
		return ag_onetime_fail(e);
	default:
		return ag_fail_db(app, e);
	}
	if ((r = ag_account_store_verify_email(app->db, a, uid)) == NULL ||
	    ag_db_rows(r) != 1)
		return ag_fail_db(app, e);
	after = ag_json_own(a, json_pack("{s:s}", "email_verified_at",
	    ag_db_get(r, 0, "email_verified_at")));
	if (ag_activity_write(app->db, a, &me, "auth", "verify_email", uid,
	    NULL, after) != 0)
		return ag_fail_db(app, e);
	if (ag_db_commit(app->db) != 0)
		return ag_fail_internal(e, ag_db_error(app->db));
	return 0;
}

char *
ag_email_mask(ag_arena *a, const char *email)
{
	const char *at = email != NULL ? strchr(email, '@') : NULL;
	size_t keep = 0, chars = 0;
	ag_buf b;

	if (at == NULL)
		return ag_strdup(a, "***");
	/* the first two characters (code points) of the local part */
	while (email + keep < at && chars < 2) {
		keep++;
		while (email + keep < at &&
		    ((unsigned char)email[keep] & 0xc0) == 0x80)
			keep++;
		chars++;
	}
	if (at - email <= 2)
		keep = at - email > 0 ? 1 : 0;
	ag_buf_init(&b, a);
	ag_buf_append(&b, email, keep);
	ag_buf_puts(&b, "***");
	ag_buf_puts(&b, at);
	return b.data;
}
