/*
 * portal_routes.c - the HTML pages: the public guest portal (/, /tamu/...)
 * and the admin portal (/admin/...).
 *
 * Pages work without JavaScript.  Every form carries the CSRF token the
 * dispatcher checks; after a successful POST the browser is redirected
 * (303) so a reload never repeats it.  The rules are the ticket service's,
 * the same the JSON API uses.
 */
#include "portal_routes.h"

#include <string.h>

#include "auth.h"
#include "crypto.h"
#include "jsonin.h"
#include "render.h"
#include "ticket.h"

static const ag_field login_fields[] = {
	{ "email", AG_T_EMAIL, AG_REQUIRED, 0, 0, NULL },
	{ "password", AG_T_PASSWORD, AG_REQUIRED, 1, 128, NULL },
	{ "next", AG_T_STRING, 0, 0, 200, NULL },
	AG_FIELDS_END
};

static const ag_field next_fields[] = {
	{ "next", AG_T_STRING, 0, 0, 200, NULL },
	{ "pesan", AG_T_STRING, 0, 0, 20, NULL },
	AG_FIELDS_END
};

static const ag_field lookup_fields[] = {
	{ "nomor", AG_T_STRING, 0, 0, 40, NULL },
	AG_FIELDS_END
};

static const ag_field cancel_fields[] = {
	{ "nik_last4", AG_T_STRING, AG_REQUIRED, 4, 4, NULL },
	AG_FIELDS_END
};

static const ag_field reject_fields[] = {
	{ "reject_reason", AG_T_TEXT, AG_REQUIRED, 1, 500, NULL },
	AG_FIELDS_END
};

/* Notices after a redirect: only known codes, never text from the URL. */
static const char *
notice(ag_ctx *c)
{
	static const ag_notice notices[] = {
		{ "batal", "Kunjungan telah dibatalkan." },
		{ "disetujui", "Tiket tamu telah disetujui." },
		{ "ditolak", "Tiket tamu telah ditolak." },
		{ "keluar", "Anda telah keluar." },
		{ "sandi-diubah", "Kata sandi telah diubah. Silakan masuk "
		    "dengan kata sandi baru." },
	};

	return ag_render_notice(c, notices,
	    sizeof(notices) / sizeof(notices[0]));
}

/* A local path to go back to after signing in, or the default. */
static const char *
safe_next(const char *next)
{
	if (next == NULL || next[0] != '/' || next[1] == '/' ||
	    next[1] == '\\' || strncmp(next, "/admin", 6) != 0)
		return "/admin/tiket-tamu";
	return next;
}

/* ---- guest portal ---- */

static void
home(ag_ctx *c)
{
	ag_render(c, 200, "home", NULL);
}

/* The registration form, empty or again with the visitor's input and errors. */
static void
register_form(ag_ctx *c, int status)
{
	json_t *ctx = json_object(), *values = json_object(), *dests, *it;
	ag_error derr;
	const char *chosen = NULL;
	size_t i;

	for (const ag_field *f = ag_guest_fields; f->name != NULL; f++) {
		const char *v = ag_kv_get(&c->req->form, f->name);

		if (v != NULL)
			json_object_set_new(values, f->name, json_string(v));
	}
	chosen = json_string_value(json_object_get(values, "destination_id"));
	ag_error_init(&derr, c->a);
	dests = ag_ticket_destinations(c->app, c->a, &derr);
	if (dests == NULL) {
		json_decref(ctx);
		json_decref(values);
		ag_render_error(c, 500, derr.message);
		return;
	}
	json_array_foreach(dests, i, it)
		json_object_set_new(it, "selected", json_boolean(chosen != NULL &&
		    strcmp(chosen, json_string_value(json_object_get(it, "id"))) == 0));
	json_object_set_new(ctx, "values", values);
	json_object_set_new(ctx, "destinations", dests);
	json_object_set_new(ctx, "errors", ag_render_field_errors(&c->err));
	json_object_set_new(ctx, "has_errors", json_boolean(c->err.fields != NULL));
	if (c->err.status != 0 && c->err.fields == NULL)
		json_object_set_new(ctx, "error", json_string(c->err.message));
	ag_render(c, status, "guest_register", ctx);
}

static void
register_page(ag_ctx *c)
{
	register_form(c, 200);
}

static const char *
uploaded(ag_ctx *c, const char *field)
{
	for (size_t i = 0; i < c->req->uploads.n; i++)
		if (strcmp(c->req->uploads.items[i].field, field) == 0)
			return c->req->uploads.items[i].path;
	return NULL;
}

static void
register_submit(ag_ctx *c)
{
	ag_ticket t;

	/* The form has no field for a stored path; only an upload counts. */
	ag_in_clear(&c->body, "identity_photo_path");
	if (ag_ticket_guest_create(c->app, c->a, &c->actor, &c->body,
	    uploaded(c, "identity_photo"), &t, &c->err) != 0) {
		if (c->err.status == 422 || c->err.fields != NULL)
			register_form(c, 422);
		else
			ag_render_error(c, c->err.status, c->err.message);
		return;
	}
	ag_resp_redirect(c->resp, ag_sprintf(c->a, "/tamu/tiket/%s",
	    t.access_number));
}

/* What both ticket pages show: the ticket, its QR, status and messages. */
static json_t *
ticket_ctx(ag_ctx *c, const ag_ticket *t, enum ag_ticket_view view)
{
	json_t *ctx = json_object();

	json_object_set_new(ctx, "ticket", ag_ticket_json(c->app, c->a, t, view));
	json_object_set_new(ctx, "qr_src", json_string(ag_file_link(c->app,
	    c->a, t->qr_path)));
	json_object_set_new(ctx, "status_label",
	    json_string(ag_ticket_status_label(t->status)));
	json_object_set_new(ctx, "status_class", json_string(t->status));
	json_object_set_new(ctx, "errors", ag_render_field_errors(&c->err));
	if (c->err.status != 0 && c->err.fields == NULL)
		json_object_set_new(ctx, "error", json_string(c->err.message));
	if (notice(c) != NULL)
		json_object_set_new(ctx, "notice", json_string(notice(c)));
	return ctx;
}

/* The visit page a guest keeps: access number, QR, status, PDF, cancel. */
static void
ticket_page_with(ag_ctx *c, const ag_ticket *t, int status)
{
	json_t *ctx = ticket_ctx(c, t, AG_VIEW_PUBLIC);

	json_object_set_new(ctx, "can_cancel", json_boolean(
	    (strcmp(t->status, "pending") == 0 || strcmp(t->status, "approve") == 0)
	    && !t->expired));
	json_object_set_new(ctx, "is_pending", json_boolean(
	    strcmp(t->status, "pending") == 0));
	ag_render(c, status, "guest_ticket", ctx);
}

static void
ticket_page(ag_ctx *c)
{
	ag_ticket t;
	const char *number = ag_req_param(c->req, "number");

	if (ag_ticket_by_access_number(c->app, c->a, number, "guest", &t,
	    &c->err) != 0) {
		ag_render_error(c, c->err.status, c->err.message);
		return;
	}
	ticket_page_with(c, &t, 200);
}

static void
ticket_pdf(ag_ctx *c)
{
	ag_ticket t;
	unsigned char *pdf;
	size_t len;

	if (ag_ticket_by_access_number(c->app, c->a, ag_req_param(c->req,
	    "number"), "guest", &t, &c->err) != 0 ||
	    ag_ticket_pdf(c->app, c->a, &t, &pdf, &len, &c->err) != 0) {
		ag_render_error(c, c->err.status, c->err.message);
		return;
	}
	ag_resp_download(c->resp, "application/pdf",
	    ag_sprintf(c->a, "tiket-%s.pdf", t.access_number), pdf, len);
}

static void
ticket_cancel(ag_ctx *c)
{
	const char *number = ag_req_param(c->req, "number");
	ag_ticket t;

	if (c->err.status == 0 && ag_ticket_guest_cancel_public(c->app, c->a,
	    &c->actor, number, ag_in_str(&c->body, "nik_last4"), &t,
	    &c->err) == 0) {
		ag_resp_redirect(c->resp, ag_sprintf(c->a,
		    "/tamu/tiket/%s?pesan=batal", t.access_number));
		return;
	}
	if (c->err.fields == NULL && c->err.status != 409) {
		ag_render_error(c, c->err.status, c->err.message);
		return;
	}
	{
		ag_error keep = c->err;
		ag_error_init(&c->err, c->a);
		if (ag_ticket_by_access_number(c->app, c->a, number, "guest", &t,
		    &c->err) != 0) {
			ag_render_error(c, c->err.status, c->err.message);
			return;
		}
		c->err = keep;
		if (keep.fields == NULL)
			ag_error_field(&c->err, "nik_last4", keep.message);
		ticket_page_with(c, &t, keep.status);
	}
}

static void
lookup(ag_ctx *c)
{
	const char *number = ag_in_str(&c->query, "nomor");
	json_t *ctx = json_object();
	ag_ticket t;
	char *n;

	if (number != NULL) {
		n = ag_strdup(c->a, number);
		for (char *p = n; *p != '\0'; p++)
			if (*p >= 'a' && *p <= 'z')
				*p = (char)(*p - 'a' + 'A');
		json_object_set_new(ctx, "nomor", json_string(number));
		if (!ag_access_number_valid(n))
			json_object_set_new(ctx, "error", json_string(
			    "Nomor akses harus berupa TKT- diikuti 8 digit angka."));
		else if (ag_ticket_by_access_number(c->app, c->a, n, "guest", &t,
		    &c->err) == 0) {
			json_decref(ctx);
			ag_resp_redirect(c->resp, ag_sprintf(c->a, "/tamu/tiket/%s", n));
			return;
		} else
			json_object_set_new(ctx, "error", json_string(
			    c->err.status == 404 ? "Tiket dengan nomor akses tersebut "
			    "tidak ditemukan." : c->err.message));
	}
	ag_render(c, number != NULL ? (json_object_get(ctx, "error") != NULL ?
	    404 : 200) : 200, "guest_lookup", ctx);
}

/* ---- admin portal ---- */

static void
login_page(ag_ctx *c)
{
	if (c->user != NULL) {
		ag_resp_redirect(c->resp, "/admin/tiket-tamu");
		return;
	}
	ag_render(c, 200, "admin_login", json_pack("{s:s?, s:s?}", "next",
	    ag_in_str(&c->query, "next"), "notice", notice(c)));
}

static void
login_submit(ag_ctx *c)
{
	ag_tokens t;
	const char *next = ag_in_str(&c->body, "next");

	if (c->err.status == 0 && ag_auth_login(c->app, c->a, AG_LOGIN_SESSION,
	    ag_in_str(&c->body, "email"), ag_in_str(&c->body, "password"),
	    ag_req_header(c->req, "User-Agent"), &c->actor, &t, &c->err) == 0) {
		ag_resp_cookie(c->resp, AG_SESSION_COOKIE, t.access_token,
		    t.access_expires_in, ag_secure_cookies(c));
		ag_resp_redirect(c->resp, safe_next(next));
		return;
	}
	ag_render(c, c->err.status == 422 || c->err.status == 429 ?
	    c->err.status : 401, "admin_login",
	    json_pack("{s:s?, s:s?, s:s}", "next", next, "email",
	    ag_kv_get(&c->req->form, "email"), "error", c->err.status == 422 ?
	    "Email dan kata sandi wajib diisi dengan benar." : c->err.message));
}

static void
logout_submit(ag_ctx *c)
{
	ag_auth_logout(c->app, c->a, &c->actor, c->user, &c->err);
	ag_resp_cookie(c->resp, AG_SESSION_COOKIE, "", 0, ag_secure_cookies(c));
	ag_resp_redirect(c->resp, "/admin/masuk?pesan=keluar");
}

static void
admin_home(ag_ctx *c)
{
	ag_resp_redirect(c->resp, "/admin/tiket-tamu");
}

/* Guest tickets to review: pending ones unless another tab is chosen. */
static void
admin_tickets(ag_ctx *c)
{
	const char *raw = ag_req_query(c->req, "status");
	ag_ticket_filter f;
	json_t *list, *ctx;
	ag_page page;
	long pages;

	ag_ticket_filter_from(&f, &c->query);
	f.type = "guest";
	f.status = raw == NULL ? "pending" : f.status; /* "" is every status */
	f.sort = "request_at";
	f.limit = 20;
	if (ag_ticket_list(c->app, c->a, &f, &list, &page, &c->err) != 0) {
		ag_render_error(c, c->err.status, c->err.message);
		return;
	}
	pages = (page.total + page.limit - 1) / page.limit;
	ctx = json_pack("{s:o, s:s, s:s?, s:I, s:I, s:I, s:b, s:b, s:I, s:I, s:s?}",
	    "tickets", list, "status", f.status != NULL ? f.status : "",
	    "search", f.search, "total", (json_int_t)page.total,
	    "page", (json_int_t)page.page, "pages", (json_int_t)(pages ? pages : 1),
	    "has_prev", page.page > 1, "has_next", page.page < pages,
	    "prev", (json_int_t)(page.page - 1), "next", (json_int_t)(page.page + 1),
	    "notice", notice(c));
	json_object_set_new(ctx, ag_sprintf(c->a, "is_%s", f.status != NULL ?
	    f.status : "all"), json_true());
	ag_render(c, 200, "admin_tickets", ctx);
}

static void
admin_ticket_with(ag_ctx *c, const ag_ticket *t, int status)
{
	json_t *ctx = ticket_ctx(c, t, AG_VIEW_DETAIL);

	if (t->identity_photo_path != NULL)
		json_object_set_new(ctx, "photo_src", json_string(ag_file_link(
		    c->app, c->a, t->identity_photo_path)));
	json_object_set_new(ctx, "can_decide", json_boolean(
	    strcmp(t->status, "pending") == 0 && ag_can(c->user, "ticket.approve")));
	ag_render(c, status, "admin_ticket", ctx);
}

static void
admin_ticket(ag_ctx *c)
{
	ag_ticket t;

	if (ag_ticket_get(c->app, c->a, ag_req_param(c->req, "id"), "guest", &t,
	    &c->err) != 0) {
		ag_render_error(c, c->err.status, c->err.message);
		return;
	}
	admin_ticket_with(c, &t, 200);
}

static void
admin_decide(ag_ctx *c, enum ag_ticket_action act, const char *done)
{
	const char *id = ag_req_param(c->req, "id");
	ag_ticket t;
	ag_error failed;

	if (c->err.status == 0 && ag_ticket_transition(c->app, c->a, &c->actor,
	    "guest", id, act, act == AG_TICKET_REJECT ?
	    ag_in_str(&c->body, "reject_reason") : NULL, &t, &c->err) == 0) {
		ag_resp_redirect(c->resp, ag_sprintf(c->a,
		    "/admin/tiket-tamu/%s?pesan=%s", id, done));
		return;
	}
	failed = c->err;
	ag_error_init(&c->err, c->a);
	if (ag_ticket_get(c->app, c->a, id, "guest", &t, &c->err) != 0) {
		ag_render_error(c, c->err.status, c->err.message);
		return;
	}
	c->err = failed;
	admin_ticket_with(c, &t, failed.status);
}

static void
admin_approve(ag_ctx *c)
{
	admin_decide(c, AG_TICKET_APPROVE, "disetujui");
}

static void
admin_reject(ag_ctx *c)
{
	admin_decide(c, AG_TICKET_REJECT, "ditolak");
}

#define PAGE (AG_R_HTML)
#define FORM (AG_R_HTML | AG_R_FORM)

const ag_route ag_portal_routes[] = {
	{ "GET", "/", home, AG_PUBLIC, PAGE, NULL, NULL },
	{ "GET", "/tamu/daftar", register_page, AG_PUBLIC, PAGE, NULL, NULL },
	{ "POST", "/tamu/daftar", register_submit, AG_PUBLIC,
	    FORM | AG_R_UPLOAD, ag_guest_fields, NULL },
	{ "GET", "/tamu/cek", lookup, AG_PUBLIC, PAGE, NULL, lookup_fields },
	{ "GET", "/tamu/tiket/{number}", ticket_page, AG_PUBLIC, PAGE, NULL,
	    NULL },
	{ "GET", "/tamu/tiket/{number}/pdf", ticket_pdf, AG_PUBLIC, PAGE, NULL,
	    NULL },
	{ "POST", "/tamu/tiket/{number}/batal", ticket_cancel, AG_PUBLIC, FORM,
	    cancel_fields, NULL },
	{ "GET", "/admin", admin_home, AG_SIGNED_IN, PAGE, NULL, NULL },
	{ "GET", "/admin/masuk", login_page, AG_PUBLIC, PAGE, NULL,
	    next_fields },
	{ "POST", "/admin/masuk", login_submit, AG_PUBLIC, FORM, login_fields,
	    NULL },
	{ "POST", "/admin/keluar", logout_submit, AG_SIGNED_IN, FORM, NULL,
	    NULL },
	{ "GET", "/admin/tiket-tamu", admin_tickets, "ticket.read", PAGE, NULL,
	    ag_ticket_list_fields },
	{ "GET", "/admin/tiket-tamu/{id}", admin_ticket, "ticket.read", PAGE,
	    NULL, NULL },
	{ "POST", "/admin/tiket-tamu/{id}/setujui", admin_approve,
	    "ticket.approve", FORM, NULL, NULL },
	{ "POST", "/admin/tiket-tamu/{id}/tolak", admin_reject,
	    "ticket.approve", FORM, reject_fields, NULL },
	AG_ROUTES_END
};
