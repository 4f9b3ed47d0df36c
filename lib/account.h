/*
 * account.h - the e-mailed account flows of the Auth group: forgot and
 * reset password, e-mail verification; and the password rules and the
 * password change every flow shares (profile uses them too).
 *
 * Links point at the admin pages that complete each flow; the tokens are
 * onetime.h's (single use, 30 minutes).  Mail is queued with
 * ag_mail_enqueue in the same transaction as the token, so a token
 * without its message (or the reverse) cannot exist.
 */
#ifndef AG_ACCOUNT_H
#define AG_ACCOUNT_H

#include "app.h"

/* The password rules (password.h) with the configured common list:
 * NULL when acceptable, else the Indonesian reason. */
const char *ag_account_password_policy(ag_app *app, const char *password,
    const char *email);

/*
 * Sets user_id's password (already checked against the rules), clears a
 * lockout and revokes every token and session of the user except
 * except_token_id (may be NULL).  Runs inside the caller's transaction
 * and writes no activity log (the caller does).  0 or -1 (e filled).
 */
int ag_account_set_password(ag_app *app, ag_arena *a, const char *user_id,
    const char *password, const char *except_token_id, ag_error *e);

/*
 * Forgot password: when email belongs to an active user, issues a
 * reset_password token and mails the link (at most once a minute per
 * user).  Succeeds alike whether or not the address exists; fails only
 * on an internal error.
 */
int ag_account_forgot(ag_app *app, ag_arena *a, const ag_actor *who,
    const char *email, ag_error *e);

/* A live reset token: 0 with *masked_email ("bu***@example.com"), else
 * -1 with 400 TOKEN_INVALID. */
int ag_account_reset_check(ag_app *app, ag_arena *a, const char *token,
    const char **masked_email, ag_error *e);

/*
 * Sets a new password with a reset token: the confirmation must match
 * and the rules hold (422 with field errors, token kept), then the token
 * is used up, every session of the user revoked, the lockout cleared
 * and the change logged.  400 TOKEN_INVALID for a bad token.
 */
int ag_account_reset(ag_app *app, ag_arena *a, const ag_actor *who,
    const char *token, const char *password, const char *confirmation,
    ag_error *e);

/* Mails a verify_email link to the signed-in user (who->user_id);
 * 409 EMAIL_ALREADY_VERIFIED when there is nothing to verify. */
int ag_account_verify_send(ag_app *app, ag_arena *a, const ag_actor *who,
    ag_error *e);

/* Marks the address of a verify_email token's user verified (logged);
 * 400 TOKEN_INVALID for a bad token. */
int ag_account_verify(ag_app *app, ag_arena *a, const ag_actor *who,
    const char *token, ag_error *e);

/* The address for showing to someone who holds only a link:
 * "budi@example.com" -> "bu***@example.com". */
char *ag_email_mask(ag_arena *a, const char *email);

#endif
