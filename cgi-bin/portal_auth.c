/*
 * portal_auth.c - the admin pages the e-mailed links open: forgot
 * password, reset password, e-mail verification.  The rules are
 * account.c's, the same the JSON API uses.
 */
#include "identity_routes.h"

#include <string.h>

#include "account.h"
#include "render.h"

#define PAGE (AG_R_HTML)
#define FORM (AG_R_HTML | AG_R_FORM)

static const ag_field forgot_fields[] = {
	{ "email", AG_T_EMAIL, AG_REQUIRED, 0, 0, NULL },
	AG_FIELDS_END
};

static const ag_field sent_fields[] = {
	{ "terkirim", AG_T_STRING, 0, 0, 1, NULL },
	AG_FIELDS_END
};

/* Not required: a link without its token gets the "invalid link" page. */
static const ag_field token_query[] = {
	{ "token", AG_T_STRING, 0, 0, 128, NULL },
	AG_FIELDS_END
};

static const ag_field reset_fields[] = {
	{ "token", AG_T_STRING, 0, 0, 128, NULL },
	{ "password", AG_T_PASSWORD, AG_REQUIRED, 1, 128, NULL },
	{ "password_confirmation", AG_T_PASSWORD, AG_REQUIRED, 1, 128, NULL },
	AG_FIELDS_END
};

static void
forgot_form(ag_ctx *c, int status, const char *email)
{
	json_t *ctx = json_pack("{s:s?, s:o}", "email", email, "errors",
	    ag_render_field_errors(&c->err));

	if (status == 200 && ag_in_str(&c->query, "terkirim") != NULL)
		json_object_set_new(ctx, "notice", json_string("Jika email "
		    "tersebut terdaftar, tautan untuk mengatur ulang kata sandi "
		    "telah dikirim. Periksa kotak masuk Anda; tautan berlaku "
		    "30 menit."));
	ag_render(c, status, "admin_forgot_password", ctx);
}

static void
forgot_page(ag_ctx *c)
{
	forgot_form(c, 200, NULL);
}

/* The same notice whether or not the address belongs to someone. */
static void
forgot_submit(ag_ctx *c)
{
	if (c->err.status != 0) {
		forgot_form(c, 422, ag_kv_get(&c->req->form, "email"));
		return;
	}
	if (ag_account_forgot(c->app, c->a, &c->actor,
	    ag_in_str(&c->body, "email"), &c->err) != 0) {
		ag_render_error(c, c->err.status, c->err.message);
		return;
	}
	ag_resp_redirect(c->resp, "/admin/lupa-kata-sandi?terkirim=1");
}

/* The page for a link that cannot be used (any reason looks the same). */
static void
reset_invalid(ag_ctx *c)
{
	ag_render(c, 400, "admin_reset_password", json_pack("{s:b}",
	    "invalid", 1));
}

static void
reset_form(ag_ctx *c, int status, const char *token)
{
	const char *masked;
	ag_error keep = c->err;

	ag_error_init(&c->err, c->a);
	if (ag_account_reset_check(c->app, c->a, token, &masked,
	    &c->err) != 0) {
		if (c->err.status == 500)
			ag_render_error(c, 500, c->err.message);
		else
			reset_invalid(c);
		return;
	}
	c->err = keep;
	ag_render(c, status, "admin_reset_password", json_pack(
	    "{s:s, s:s, s:o}", "token", token, "email", masked, "errors",
	    ag_render_field_errors(&c->err)));
}

static void
reset_page(ag_ctx *c)
{
	reset_form(c, 200, ag_in_str(&c->query, "token"));
}

static void
reset_submit(ag_ctx *c)
{
	const char *token = ag_in_str(&c->body, "token");

	if (token == NULL) {
		reset_invalid(c);
		return;
	}
	if (c->err.status == 0 && ag_account_reset(c->app, c->a, &c->actor,
	    token, ag_in_str(&c->body, "password"),
	    ag_in_str(&c->body, "password_confirmation"), &c->err) == 0) {
		ag_resp_redirect(c->resp, "/admin/masuk?pesan=sandi-diubah");
		return;
	}
	if (c->err.status == 400)
		reset_invalid(c);
	else if (c->err.fields != NULL)
		reset_form(c, 422, token);
	else
		ag_render_error(c, c->err.status, c->err.message);
}

/* The landing page of a verification link: verifies, then says so. */
static void
verify_page(ag_ctx *c)
{
	if (ag_account_verify(c->app, c->a, &c->actor,
	    ag_in_str(&c->query, "token"), &c->err) != 0) {
		if (c->err.status == 500) {
			ag_render_error(c, 500, c->err.message);
			return;
		}
		ag_render(c, 400, "admin_verify_email", json_pack("{s:b, s:s}",
		    "ok", 0, "error", c->err.message));
		return;
	}
	ag_render(c, 200, "admin_verify_email", json_pack("{s:b, s:s}", "ok", 1,
	    "notice", "Email Anda telah terverifikasi. Terima kasih."));
}

const ag_route ag_portal_auth_routes[] = {
	{ "GET", "/admin/lupa-kata-sandi", forgot_page, AG_PUBLIC, PAGE, NULL,
	    sent_fields },
	{ "POST", "/admin/lupa-kata-sandi", forgot_submit, AG_PUBLIC, FORM,
	    forgot_fields, NULL },
	{ "GET", "/admin/atur-ulang-kata-sandi", reset_page, AG_PUBLIC, PAGE,
	    NULL, token_query },
	{ "POST", "/admin/atur-ulang-kata-sandi", reset_submit, AG_PUBLIC, FORM,
	    reset_fields, NULL },
	{ "GET", "/admin/verifikasi-email", verify_page, AG_PUBLIC, PAGE, NULL,
	    token_query },
	AG_ROUTES_END
};
