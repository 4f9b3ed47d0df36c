/*
 * profile_routes.c - the signed-in user's own profile (/v1/profile...).
 *
 * Handlers only translate; the rules live in lib/profile.c, shared with
 * the admin pages (portal_profile.c).
 */
#include "identity_routes.h"

#include "profile.h"

static const ag_field token_query[] = {
	{ "token", AG_T_STRING, AG_REQUIRED, 1, 100, NULL },
	AG_FIELDS_END
};

static void
answer(ag_ctx *c, const ag_profile *p, const char *message)
{
	ag_resp_json(c->resp, 200, ag_profile_json(p), message);
}

static void
profile_get(ag_ctx *c)
{
	ag_profile p;

	if (ag_profile_get(c->app, c->a, c->user->user_id, &p, &c->err) != 0) {
		ag_fail_json(c);
		return;
	}
	answer(c, &p, "Sukses mendapatkan profil");
}

static void
profile_update(ag_ctx *c)
{
	ag_profile p;

	if (ag_profile_update(c->app, c->a, &c->actor, &c->body, 0, &p,
	    &c->err) != 0) {
		ag_fail_json(c);
		return;
	}
	answer(c, &p, "Sukses memperbarui profil");
}

static void
email_update(ag_ctx *c)
{
	const char *email = ag_in_str(&c->body, "email");

	if (ag_profile_email_request(c->app, c->a, &c->actor, email,
	    ag_in_str(&c->body, "password"), &c->err) != 0) {
		ag_fail_json(c);
		return;
	}
	ag_resp_json(c->resp, 200, json_pack("{s:s}", "new_email", email),
	    "Sukses mengirim tautan konfirmasi ke email baru");
}

static void
password_request(ag_ctx *c)
{
	if (ag_profile_password_request(c->app, c->a, &c->actor, &c->err) != 0) {
		ag_fail_json(c);
		return;
	}
	ag_resp_json(c->resp, 200, NULL,
	    "Sukses mengirim tautan ubah kata sandi ke email Anda");
}

static void
password_validate(ag_ctx *c)
{
	if (ag_profile_password_check(c->app, c->a, &c->actor,
	    ag_in_str(&c->query, "token"), &c->err) != 0) {
		ag_fail_json(c);
		return;
	}
	ag_resp_json(c->resp, 200, json_pack("{s:b}", "valid", 1),
	    "Sukses memvalidasi tautan");
}

static void
password_change(ag_ctx *c)
{
	if (ag_profile_password_change(c->app, c->a, &c->actor,
	    c->user->token_id, ag_in_str(&c->body, "token"),
	    ag_in_str(&c->body, "current_password"),
	    ag_in_str(&c->body, "password"),
	    ag_in_str(&c->body, "password_confirmation"), &c->err) != 0) {
		ag_fail_json(c);
		return;
	}
	ag_resp_json(c->resp, 200, NULL, "Sukses mengubah kata sandi");
}

const ag_route ag_profile_routes[] = {
	{ "GET", "/v1/profile", profile_get, AG_SIGNED_IN, 0, NULL, NULL },
	{ "PATCH", "/v1/profile", profile_update, AG_SIGNED_IN,
	    AG_R_JSON | AG_R_PARTIAL, ag_profile_fields, NULL },
	{ "PATCH", "/v1/profile/email", email_update, AG_SIGNED_IN, AG_R_JSON,
	    ag_profile_email_fields, NULL },
	{ "POST", "/v1/profile/change-password/request", password_request,
	    AG_SIGNED_IN, AG_R_JSON | AG_R_BODY_OPT, NULL, NULL },
	{ "GET", "/v1/profile/change-password/validate", password_validate,
	    AG_SIGNED_IN, 0, NULL, token_query },
	{ "POST", "/v1/profile/change-password", password_change, AG_SIGNED_IN,
	    AG_R_JSON, ag_profile_password_fields, NULL },
	AG_ROUTES_END
};
