/*
 * auth_routes.c - the e-mailed flows of the Auth group (/v1/auth):
 * forgot and reset password, e-mail verification.  Sign-in, refresh and
 * logout are core_routes.c's; the rules are account.c's.
 */
#include "identity_routes.h"

#include "account.h"

static const ag_field forgot_fields[] = {
	{ "email", AG_T_EMAIL, AG_REQUIRED, 0, 0, NULL },
	AG_FIELDS_END
};

static const ag_field token_fields[] = {
	{ "token", AG_T_STRING, AG_REQUIRED, 1, 128, NULL },
	AG_FIELDS_END
};

static const ag_field reset_fields[] = {
	{ "token", AG_T_STRING, AG_REQUIRED, 1, 128, NULL },
	{ "password", AG_T_PASSWORD, AG_REQUIRED, 1, 128, NULL },
	{ "password_confirmation", AG_T_PASSWORD, AG_REQUIRED, 1, 128, NULL },
	AG_FIELDS_END
};

/* The same answer whether or not the address belongs to someone. */
static void
forgot(ag_ctx *c)
{
	if (ag_account_forgot(c->app, c->a, &c->actor,
	    ag_in_str(&c->body, "email"), &c->err) != 0) {
		ag_fail_json(c);
		return;
	}
	ag_resp_json(c->resp, 200, NULL, "Sukses. Jika email terdaftar, tautan "
	    "untuk mengatur ulang kata sandi telah dikirim");
}

static void
forgot_validate(ag_ctx *c)
{
	const char *masked;

	if (ag_account_reset_check(c->app, c->a, ag_in_str(&c->query, "token"),
	    &masked, &c->err) != 0) {
		ag_fail_json(c);
		return;
	}
	ag_resp_json(c->resp, 200, json_pack("{s:b, s:s}", "valid", 1, "email",
	    masked), "Sukses memvalidasi tautan atur ulang kata sandi");
}

static void
reset(ag_ctx *c)
{
	if (ag_account_reset(c->app, c->a, &c->actor,
	    ag_in_str(&c->body, "token"), ag_in_str(&c->body, "password"),
	    ag_in_str(&c->body, "password_confirmation"), &c->err) != 0) {
		ag_fail_json(c);
		return;
	}
	ag_resp_json(c->resp, 200, NULL, "Sukses mengatur ulang kata sandi");
}

static void
verify_send(ag_ctx *c)
{
	if (ag_account_verify_send(c->app, c->a, &c->actor, &c->err) != 0) {
		ag_fail_json(c);
		return;
	}
	ag_resp_json(c->resp, 200, NULL, "Sukses mengirim tautan verifikasi email");
}

static void
verify(ag_ctx *c)
{
	if (ag_account_verify(c->app, c->a, &c->actor,
	    ag_in_str(&c->body, "token"), &c->err) != 0) {
		ag_fail_json(c);
		return;
	}
	ag_resp_json(c->resp, 200, NULL, "Sukses memverifikasi email");
}

const ag_route ag_auth_routes[] = {
	{ "POST", "/v1/auth/forgot-password", forgot, AG_PUBLIC, AG_R_JSON,
	    forgot_fields, NULL },
	{ "GET", "/v1/auth/forgot-password/validate", forgot_validate,
	    AG_PUBLIC, 0, NULL, token_fields },
	{ "POST", "/v1/auth/reset-password", reset, AG_PUBLIC, AG_R_JSON,
	    reset_fields, NULL },
	{ "POST", "/v1/auth/verify-email/send", verify_send, AG_SIGNED_IN,
	    AG_R_JSON | AG_R_BODY_OPT, NULL, NULL },
	{ "POST", "/v1/auth/verify-email", verify, AG_PUBLIC, AG_R_JSON,
	    token_fields, NULL },
	AG_ROUTES_END
};
