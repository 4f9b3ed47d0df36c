/*
 * portal_profile.c - the admin pages of the own account: the profile
 * (/admin/profil), change of e-mail (/admin/profil/email and the landing
 * of its confirmation link), and change of password by link
 * (/admin/profil/kata-sandi sends it, /admin/ubah-kata-sandi uses it).
 * The rules are lib/profile.c's, the same the JSON API uses.
 */
#include "identity_routes.h"

#include <string.h>

#include "profile.h"
#include "render.h"
#include "urlenc.h"

#define PAGE (AG_R_HTML)
#define FORM (AG_R_HTML | AG_R_FORM)

static const ag_field notice_query[] = {
	{ "pesan", AG_T_STRING, 0, 0, 20, NULL },
	AG_FIELDS_END
};

/* Not required: a link without its token gets the "invalid link" page. */
static const ag_field token_query[] = {
	{ "token", AG_T_STRING, 0, 0, 128, NULL },
	{ "pesan", AG_T_STRING, 0, 0, 20, NULL },
	AG_FIELDS_END
};

static const ag_field token_form[] = {
	{ "token", AG_T_STRING, 0, 0, 128, NULL },
	AG_FIELDS_END
};

/* Notices after a redirect: only known codes, never text from the URL. */
static const char *
notice(ag_ctx *c)
{
	static const ag_notice notices[] = {
		{ "tersimpan", "Profil telah disimpan." },
		{ "email-terkirim", "Tautan konfirmasi telah dikirim ke alamat "
		    "email baru. Buka email tersebut untuk menyelesaikan "
		    "penggantian; tautan berlaku 30 menit." },
		{ "email-diubah", "Email Anda telah diubah." },
		{ "sandi-terkirim", "Tautan untuk mengubah kata sandi telah "
		    "dikirim ke email Anda; tautan berlaku 30 menit." },
		{ "sandi-diubah", "Kata sandi telah diubah. Semua sesi lain "
		    "telah dikeluarkan." },
	};

	return ag_render_notice(c, notices,
	    sizeof(notices) / sizeof(notices[0]));
}

/* The common context: notice, field errors, a message without a field. */
static json_t *
base_ctx(ag_ctx *c)
{
	json_t *ctx = json_object();

	json_object_set_new(ctx, "errors", ag_render_field_errors(&c->err));
	if (c->err.status != 0 && c->err.fields == NULL)
		json_object_set_new(ctx, "error", json_string(c->err.message));
	if (c->err.status == 0 && notice(c) != NULL)
		json_object_set_new(ctx, "notice", json_string(notice(c)));
	return ctx;
}

/* A form value as typed (to show it again), or NULL. */
static const char *
typed(ag_ctx *c, const char *name)
{
	return ag_kv_get(&c->req->form, name);
}

/* ---- /admin/profil ---- */

static void
profile_form(ag_ctx *c, int status)
{
	ag_profile p;
	ag_error keep = c->err;
	json_t *ctx, *values;

	ag_error_init(&c->err, c->a);
	if (ag_profile_get(c->app, c->a, c->user->user_id, &p, &c->err) != 0) {
		ag_render_error(c, c->err.status, c->err.message);
		return;
	}
	c->err = keep;
	ctx = base_ctx(c);
	if (status == 200)
		values = json_pack("{s:s?, s:s?}", "name", p.name, "phone",
		    p.phone);
	else
		values = json_pack("{s:s?, s:s?}", "name", typed(c, "name"),
		    "phone", typed(c, "phone"));
	json_object_set_new(ctx, "profile", ag_profile_json(&p));
	json_object_set_new(ctx, "values", values);
	ag_render(c, status, "admin_profile", ctx);
}

static void
profile_page(ag_ctx *c)
{
	profile_form(c, 200);
}

static void
profile_submit(ag_ctx *c)
{
	ag_profile p;

	if (c->err.status == 0 && ag_profile_update(c->app, c->a, &c->actor,
	    &c->body, 1, &p, &c->err) == 0) {
		ag_resp_redirect(c->resp, "/admin/profil?pesan=tersimpan");
		return;
	}
	if (c->err.fields == NULL && c->err.status >= 500) {
		ag_render_error(c, c->err.status, c->err.message);
		return;
	}
	profile_form(c, c->err.status);
}

/* ---- /admin/profil/email ---- */

static void
email_form(ag_ctx *c, int status)
{
	json_t *ctx = base_ctx(c);

	json_object_set_new(ctx, "current_email", json_string(c->user->email));
	if (status != 200 && typed(c, "email") != NULL)
		json_object_set_new(ctx, "email", json_string(typed(c, "email")));
	ag_render(c, status, "admin_profile_email", ctx);
}

static void
email_page(ag_ctx *c)
{
	email_form(c, 200);
}

static void
email_submit(ag_ctx *c)
{
	if (c->err.status == 0 && ag_profile_email_request(c->app, c->a,
	    &c->actor, ag_in_str(&c->body, "email"),
	    ag_in_str(&c->body, "password"), &c->err) == 0) {
		ag_resp_redirect(c->resp, "/admin/profil/email?pesan=email-terkirim");
		return;
	}
	if (c->err.status >= 500) {
		ag_render_error(c, c->err.status, c->err.message);
		return;
	}
	if (c->err.status == 409) {
		ag_error keep = c->err;

		ag_error_init(&c->err, c->a);
		ag_error_field(&c->err, "email", keep.message);
		c->err.status = 409;
	}
	email_form(c, c->err.status);
}

/* ---- /admin/profil/email/konfirmasi (the link's landing) ---- */

static void
confirm_invalid(ag_ctx *c, int status, const char *message)
{
	json_t *ctx = json_pack("{s:b, s:s}", "invalid", 1, "error", message);

	ag_render(c, status, "admin_profile_email_done", ctx);
}

/* Shows the new address and a button: opening a link changes nothing. */
static void
confirm_page(ag_ctx *c)
{
	const char *token = ag_in_str(&c->query, "token"), *email;

	if (token == NULL && notice(c) != NULL) {
		ag_render(c, 200, "admin_profile_email_done", json_pack(
		    "{s:b, s:s}", "done", 1, "notice", notice(c)));
		return;
	}
	if (ag_profile_email_check(c->app, c->a, token, &email, &c->err) != 0) {
		if (c->err.status >= 500)
			ag_render_error(c, c->err.status, c->err.message);
		else
			confirm_invalid(c, c->err.status, c->err.message);
		return;
	}
	ag_render(c, 200, "admin_profile_email_done", json_pack("{s:s, s:s}",
	    "token", token, "new_email", email));
}

static void
confirm_submit(ag_ctx *c)
{
	const char *token = ag_in_str(&c->body, "token");

	if (token == NULL) {
		confirm_invalid(c, 400, "Tautan tidak valid, sudah digunakan, "
		    "atau sudah kedaluwarsa. Silakan minta tautan baru.");
		return;
	}
	if (ag_profile_email_confirm(c->app, c->a, &c->actor, token, NULL,
	    &c->err) == 0) {
		ag_resp_redirect(c->resp,
		    "/admin/profil/email/konfirmasi?pesan=email-diubah");
		return;
	}
	if (c->err.status >= 500)
		ag_render_error(c, c->err.status, c->err.message);
	else
		confirm_invalid(c, c->err.status, c->err.message);
}

/* ---- /admin/profil/kata-sandi (sends the link) ---- */

static void
password_page_with(ag_ctx *c, int status)
{
	json_t *ctx = base_ctx(c);

	json_object_set_new(ctx, "email", json_string(c->user->email));
	ag_render(c, status, "admin_profile_password", ctx);
}

static void
password_page(ag_ctx *c)
{
	password_page_with(c, 200);
}

static void
password_send(ag_ctx *c)
{
	if (ag_profile_password_request(c->app, c->a, &c->actor,
	    &c->err) == 0) {
		ag_resp_redirect(c->resp,
		    "/admin/profil/kata-sandi?pesan=sandi-terkirim");
		return;
	}
	if (c->err.status >= 500) {
		ag_render_error(c, c->err.status, c->err.message);
		return;
	}
	password_page_with(c, c->err.status);
}

/* ---- /admin/ubah-kata-sandi?token= (the link's landing) ---- */

static void
change_invalid(ag_ctx *c)
{
	ag_render(c, 400, "admin_profile_change_password", json_pack("{s:b}",
	    "invalid", 1));
}

static void
change_form(ag_ctx *c, int status, const char *token)
{
	ag_error keep = c->err;

	ag_error_init(&c->err, c->a);
	if (ag_profile_password_check(c->app, c->a, &c->actor, token,
	    &c->err) != 0) {
		if (c->err.status >= 500)
			ag_render_error(c, c->err.status, c->err.message);
		else
			change_invalid(c);
		return;
	}
	c->err = keep;
	ag_render(c, status, "admin_profile_change_password", json_pack(
	    "{s:s, s:s, s:o}", "token", token, "email", c->user->email,
	    "errors", ag_render_field_errors(&c->err)));
}

/*
 * The link may be opened signed out: then sign in first and come back
 * here with the token (the dispatcher's own redirect keeps no query).
 */
static void
change_page(ag_ctx *c)
{
	const char *token = ag_in_str(&c->query, "token");
	ag_buf to;

	if (c->user == NULL) {
		ag_buf_init(&to, c->a);
		ag_buf_puts(&to, "/admin/masuk?next=");
		ag_url_encode(&to, token != NULL ? ag_sprintf(c->a,
		    "/admin/ubah-kata-sandi?token=%s", token) :
		    "/admin/ubah-kata-sandi");
		ag_resp_redirect(c->resp, to.data);
		return;
	}
	if (token == NULL) {
		change_invalid(c);
		return;
	}
	change_form(c, 200, token);
}

static void
change_submit(ag_ctx *c)
{
	const char *token = ag_kv_get(&c->req->form, "token");

	if (token == NULL || token[0] == '\0') {
		change_invalid(c);
		return;
	}
	if (c->err.status == 0 && ag_profile_password_change(c->app, c->a,
	    &c->actor, c->user->token_id, token,
	    ag_in_str(&c->body, "current_password"),
	    ag_in_str(&c->body, "password"),
	    ag_in_str(&c->body, "password_confirmation"), &c->err) == 0) {
		ag_resp_redirect(c->resp, "/admin/profil?pesan=sandi-diubah");
		return;
	}
	if (c->err.status == 400)
		change_invalid(c);
	else if (c->err.fields != NULL)
		change_form(c, 422, token);
	else
		ag_render_error(c, c->err.status, c->err.message);
}

const ag_route ag_portal_profile_routes[] = {
	{ "GET", "/admin/profil", profile_page, AG_SIGNED_IN, PAGE, NULL,
	    notice_query },
	{ "POST", "/admin/profil", profile_submit, AG_SIGNED_IN, FORM,
	    ag_profile_fields, NULL },
	{ "GET", "/admin/profil/email", email_page, AG_SIGNED_IN, PAGE, NULL,
	    notice_query },
	{ "POST", "/admin/profil/email", email_submit, AG_SIGNED_IN, FORM,
	    ag_profile_email_fields, NULL },
	{ "GET", "/admin/profil/email/konfirmasi", confirm_page, AG_PUBLIC, PAGE,
	    NULL, token_query },
	{ "POST", "/admin/profil/email/konfirmasi", confirm_submit, AG_PUBLIC,
	    FORM, token_form, NULL },
	{ "GET", "/admin/profil/kata-sandi", password_page, AG_SIGNED_IN, PAGE,
	    NULL, notice_query },
	{ "POST", "/admin/profil/kata-sandi", password_send, AG_SIGNED_IN, FORM,
	    NULL, NULL },
	{ "GET", "/admin/ubah-kata-sandi", change_page, AG_PUBLIC, PAGE, NULL,
	    token_query },
	{ "POST", "/admin/ubah-kata-sandi", change_submit, AG_SIGNED_IN, FORM,
	    ag_profile_password_fields, NULL },
	AG_ROUTES_END
};
