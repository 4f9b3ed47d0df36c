/*
 * auth.h - passwords, bearer tokens, browser sessions and CSRF tokens.
 *
 * Every credential handed out is 256 random bits; the database keeps
 * only its SHA-256, with an expiry and a revocation time.  API clients
 * get a short-lived access token and a refresh token that rotates;
 * pages get a session cookie with an idle timeout.  CSRF tokens are an
 * HMAC of the session (or of an anonymous cookie), so nothing extra is
 * stored and any worker can check them.
 */
#ifndef AG_AUTH_H
#define AG_AUTH_H

#include "app.h"

#define AG_SESSION_COOKIE "ag_session"
#define AG_CSRF_COOKIE "ag_csrf"
#define AG_CSRF_FIELD "csrf_token"

typedef struct ag_tokens {
	const char *access_token;
	const char *refresh_token;
	long access_expires_in;   /* seconds */
	long refresh_expires_in;
	json_t *user;             /* the signed-in user, for the answer */
} ag_tokens;

enum ag_login_kind { AG_LOGIN_API, AG_LOGIN_MOBILE, AG_LOGIN_SESSION };

/*
 * Checks email and password; on success issues API tokens (API, MOBILE)
 * or one session token (SESSION, in out->access_token).  Wrong email and
 * wrong password answer alike (401) and cost the same time; after too many
 * failures for the e-mail or the address (throttle.h) the answer is 429
 * with e->retry_after, before any password is checked.
 */
int ag_auth_login(ag_app *app, ag_arena *a, enum ag_login_kind kind,
    const char *email, const char *password, const char *device_name,
    const ag_actor *who, ag_tokens *out, ag_error *e);
/* Exchanges a refresh token for a new pair; the old one stops working. */
int ag_auth_refresh(ag_app *app, ag_arena *a, const char *refresh_token,
    const ag_actor *who, ag_tokens *out, ag_error *e);
/* Revokes the token (and what was issued with it). */
int ag_auth_logout(ag_app *app, ag_arena *a, const ag_actor *who,
    const ag_principal *p, ag_error *e);

/* The principal behind a bearer token or session cookie, or NULL. */
ag_principal *ag_auth_bearer(ag_app *app, ag_arena *a, const char *token);
ag_principal *ag_auth_session(ag_app *app, ag_arena *a, const char *token);

/* The CSRF token for forms of a visitor identified by basis. */
char *ag_csrf_for(ag_app *app, ag_arena *a, const char *basis);

json_t *ag_principal_json(const ag_principal *p);

/* Creates a user (for the admin CLI); 1 if it already existed. */
int ag_user_create(ag_db *db, ag_arena *a, const char *email,
    const char *name, const char *password, const char *role_code,
    const char *company_id, ag_error *e);

/*
 * Revokes every token and session of a user except except_token_id
 * (may be NULL): after a password change or reset.
 */
int ag_auth_revoke_user(ag_db *db, ag_arena *a, const char *user_id,
    const char *except_token_id);

#endif
