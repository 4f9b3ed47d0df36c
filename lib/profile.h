/*
 * profile.h - the signed-in user's own account: view and edit the profile,
 * change the e-mail address (confirmed through a link sent to the new
 * address) and change the password through a link sent to the current one.
 *
 * The JSON API (cgi-bin/profile_routes.c) and the admin pages
 * (cgi-bin/portal_profile.c) call these same functions.  Each mutating
 * call is one transaction with its activity log line; links are
 * onetime.h tokens (single use, 30 minutes) queued as mail in the same
 * transaction.
 */
#ifndef AG_PROFILE_H
#define AG_PROFILE_H

#include <jansson.h>

#include "app.h"

typedef struct ag_profile {
	const char *id, *name, *email, *phone, *email_verified_at;
	const char *role_id, *role_code, *role_name, *role_level;
	const char *company_id, *company_name;
} ag_profile;

/* PATCH /v1/profile and the profile form: name, phone. */
extern const ag_field ag_profile_fields[];
/* PATCH /v1/profile/email and its form: email, password. */
extern const ag_field ag_profile_email_fields[];
/* POST /v1/profile/change-password and its form. */
extern const ag_field ag_profile_password_fields[];

/* The user's profile; 404 USER_NOT_FOUND when gone or deactivated. */
int ag_profile_get(ag_app *app, ag_arena *a, const char *user_id,
    ag_profile *out, ag_error *e);
/* {id, name, email, phone, email_verified_at, role{...}, company|null}. */
json_t *ag_profile_json(const ag_profile *p);

/*
 * Changes name and phone.  whole = 0 (PATCH): only the present fields,
 * a null phone clears it; whole = 1 (a page form): an absent phone
 * clears it.
 */
int ag_profile_update(ag_app *app, ag_arena *a, const ag_actor *who,
    const ag_input *in, int whole, ag_profile *out, ag_error *e);

/*
 * Starts a change of address: the password must be right (422 field
 * password), the address new (422) and free (409 EMAIL_TAKEN); then a
 * change_email link goes to the NEW address.  At most one a minute (429).
 */
int ag_profile_email_request(ag_app *app, ag_arena *a, const ag_actor *who,
    const char *email, const char *password, ag_error *e);
/* A live change_email token: 0 with the new address, else 400 TOKEN_INVALID. */
int ag_profile_email_check(ag_app *app, ag_arena *a, const char *token,
    const char **new_email, ag_error *e);
/*
 * Completes it: uses the token up, sets the address (verified now) and
 * tells the old address; 409 EMAIL_TAKEN when someone took it meanwhile.
 * The token alone identifies the user (the link may be opened anywhere).
 */
int ag_profile_email_confirm(ag_app *app, ag_arena *a, const ag_actor *who,
    const char *token, const char **new_email, ag_error *e);

/* Mails a change_password link to the user's address (429 within a minute). */
int ag_profile_password_request(ag_app *app, ag_arena *a,
    const ag_actor *who, ag_error *e);
/* 0 when token is a live change_password token of who, else 400 TOKEN_INVALID. */
int ag_profile_password_check(ag_app *app, ag_arena *a, const ag_actor *who,
    const char *token, ag_error *e);
/*
 * Changes the password with a link token of who: current password right
 * (422 field current_password), the new one twice and by the rules (422),
 * then the token is used up, the password set, every other session and
 * token of the user revoked (keep_token_id stays) and the change logged.
 */
int ag_profile_password_change(ag_app *app, ag_arena *a, const ag_actor *who,
    const char *keep_token_id, const char *token, const char *current,
    const char *password, const char *confirmation, ag_error *e);

#endif
