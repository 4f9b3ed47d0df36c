/*
 * portal_roles.c - the admin pages of roles: list (/admin/peran), create
 * (/admin/peran/baru), view and edit with the permission matrix
 * (/admin/peran/{id}) and delete (POST /admin/peran/{id}/hapus).
 *
 * Pages work without JavaScript: the matrix is a table of checkboxes all
 * named permission_codes, so the browser sends one pair per ticked box.
 * The rules are the role service's, the same the JSON API uses.
 */
#include "identity_routes.h"

#include <string.h>

#include "render.h"
#include "role.h"

/* Notices after a redirect: only known codes, never text from the URL. */
static const char *
notice(ag_ctx *c)
{
	static const ag_notice notices[] = {
		{ "dibuat", "Peran telah dibuat." },
		{ "disimpan", "Perubahan peran telah disimpan." },
		{ "dihapus", "Peran telah dihapus." },
	};

	return ag_render_notice(c, notices,
	    sizeof(notices) / sizeof(notices[0]));
}

/* The levels for a select, the chosen one marked; only those the caller
 * may use unless it is the current one. */
static json_t *
level_options(ag_ctx *c, const char *chosen, int all)
{
	json_t *list = json_array();

	for (int i = 0; ag_role_levels[i] != NULL; i++) {
		const char *lv = ag_role_levels[i];
		int sel = chosen != NULL && strcmp(chosen, lv) == 0;

		if (!all && !sel && !ag_role_may_manage(c->actor.level, lv))
			continue;
		json_array_append_new(list, json_pack("{s:s, s:s, s:b}", "id", lv,
		    "name", ag_role_level_name(lv), "selected", sel));
	}
	return list;
}

/* ---- list ---- */

static void
list_page(ag_ctx *c, int status, const char *error)
{
	ag_role_filter f;
	json_t *items, *ctx;
	ag_page page;
	ag_error lerr;
	ag_buf qs;
	long pages;

	ag_role_filter_from(&f, &c->query);
	f.limit = 20;
	ag_error_init(&lerr, c->a);
	if (ag_role_list(c->app, c->a, &f, &items, &page, &lerr) != 0) {
		ag_render_error(c, lerr.status, lerr.message);
		return;
	}
	/* the filters again for the pager links */
	ag_buf_init(&qs, c->a);
	if (f.search != NULL) {
		ag_buf_puts(&qs, "search=");
		ag_url_encode(&qs, f.search);
		ag_buf_puts(&qs, "&");
	}
	if (f.level != NULL)
		ag_buf_printf(&qs, "level=%s&", f.level);
	pages = (page.total + page.limit - 1) / page.limit;
	ctx = json_pack("{s:o, s:s?, s:o, s:I, s:I, s:I, s:b, s:b, s:I, s:I,"
	    " s:s, s:s?, s:s?}",
	    "roles", items, "search", f.search,
	    "levels", level_options(c, f.level, 1),
	    "total", (json_int_t)page.total, "page", (json_int_t)page.page,
	    "pages", (json_int_t)(pages ? pages : 1),
	    "has_prev", page.page > 1, "has_next", page.page < pages,
	    "prev", (json_int_t)(page.page - 1), "next", (json_int_t)(page.page + 1),
	    "qs", qs.data, "notice", notice(c), "error", error);
	ag_render(c, status, "admin_roles", ctx);
}

static void
roles_page(ag_ctx *c)
{
	list_page(c, 200, NULL);
}

/* ---- form ---- */

/*
 * The form page: r is the role (NULL for a new one); with posted set the
 * values and ticks are the submitted ones, shown again with c->err.
 */
static void
form_page(ag_ctx *c, int status, const ag_role *r, int posted,
    const ag_strlist *ticked)
{
	json_t *ctx = json_object(), *values = json_object(), *matrix;
	ag_strlist held;
	ag_error merr;
	int editable = r == NULL || ag_can(c->user, "role.update");
	int locked = r != NULL && r->is_system;
	const char *level;

	if (posted) {
		for (const ag_field *f = ag_role_fields; f->name != NULL; f++) {
			const char *v = ag_kv_get(&c->req->form, f->name);

			if (v != NULL)
				json_object_set_new(values, f->name, json_string(v));
		}
		/* a locked role shows what it is, not what was sent */
		if (locked) {
			json_object_set_new(values, "code", json_string(r->code));
			json_object_set_new(values, "level", json_string(r->level));
		}
	} else if (r != NULL) {
		json_object_set_new(values, "name", json_string(r->name));
		json_object_set_new(values, "code", json_string(r->code));
		json_object_set_new(values, "level", json_string(r->level));
		if (r->description != NULL)
			json_object_set_new(values, "description",
			    json_string(r->description));
	}
	if (!posted || ticked == NULL) {
		if (r != NULL)
			ag_role_codes_of(c->a, r, &held);
		else
			memset(&held, 0, sizeof(held));
		ticked = &held;
	}
	ag_error_init(&merr, c->a);
	matrix = ag_role_matrix(c->app, c->a, ticked, &merr);
	if (matrix == NULL) {
		json_decref(ctx);
		json_decref(values);
		ag_render_error(c, merr.status, merr.message);
		return;
	}
	level = json_string_value(json_object_get(values, "level"));
	json_object_set_new(ctx, "is_new", json_boolean(r == NULL));
	json_object_set_new(ctx, "action", json_string(r == NULL ?
	    "/admin/peran/baru" : ag_sprintf(c->a, "/admin/peran/%s", r->id)));
	if (r != NULL)
		json_object_set_new(ctx, "role", ag_role_json(r));
	json_object_set_new(ctx, "values", values);
	json_object_set_new(ctx, "levels", level_options(c, level, 0));
	json_object_set_new(ctx, "matrix", matrix);
	json_object_set_new(ctx, "editable", json_boolean(editable));
	json_object_set_new(ctx, "locked", json_boolean(locked));
	json_object_set_new(ctx, "permissions_locked", json_boolean(locked &&
	    strcmp(r->level, "super_admin") == 0));
	json_object_set_new(ctx, "can_delete", json_boolean(r != NULL &&
	    !r->is_system && ag_can(c->user, "role.delete")));
	json_object_set_new(ctx, "errors", ag_render_field_errors(&c->err));
	json_object_set_new(ctx, "has_errors", json_boolean(c->err.fields != NULL));
	if (c->err.status != 0 && c->err.fields == NULL)
		json_object_set_new(ctx, "error", json_string(c->err.message));
	if (notice(c) != NULL)
		json_object_set_new(ctx, "notice", json_string(notice(c)));
	ag_render(c, status, "admin_role_form", ctx);
}

static void
new_page(ag_ctx *c)
{
	form_page(c, 200, NULL, 0, NULL);
}

static void
edit_page(ag_ctx *c)
{
	ag_role r;

	if (ag_role_get(c->app, c->a, ag_req_param(c->req, "id"), &r,
	    &c->err) != 0) {
		ag_render_error(c, c->err.status, c->err.message);
		return;
	}
	form_page(c, 200, &r, 0, NULL);
}

/* The change a form sends: every field, ticks included; an emptied
 * description clears it. */
static void
change_from_form(ag_ctx *c, ag_role_change *ch, ag_strlist *ticked)
{
	ag_role_change_from(ch, &c->body);
	if (ch->description == NULL &&
	    ag_kv_get(&c->req->form, "description") != NULL)
		ch->description = "";
	ag_role_codes_from_form(c->a, &c->req->form, ticked, &c->err);
	ch->permissions = ag_kv_get(&c->req->form, "permissions_locked") !=
	    NULL ? NULL : ticked;
}

/* Shows a failed submission: the form again for field errors and
 * conflicts, the error page when the role itself is not there. */
static void
form_failed(ag_ctx *c, const ag_role *r, const ag_strlist *ticked)
{
	if (c->err.fields == NULL && (c->err.status == 404 ||
	    c->err.status >= 500)) {
		ag_render_error(c, c->err.status, c->err.message);
		return;
	}
	form_page(c, c->err.status, r, 1, ticked);
}

static void
create_submit(ag_ctx *c)
{
	ag_role_change ch;
	ag_strlist ticked;
	ag_role r;

	change_from_form(c, &ch, &ticked);
	if (c->err.status == 0 && ag_role_create(c->app, c->a, &c->actor, &ch,
	    &r, &c->err) == 0) {
		ag_resp_redirect(c->resp, ag_sprintf(c->a,
		    "/admin/peran/%s?pesan=dibuat", r.id));
		return;
	}
	form_failed(c, NULL, &ticked);
}

static void
update_submit(ag_ctx *c)
{
	const char *id = ag_req_param(c->req, "id");
	ag_role_change ch;
	ag_strlist ticked;
	ag_role r;
	ag_error failed;

	change_from_form(c, &ch, &ticked);
	if (c->err.status == 0 && ag_role_update(c->app, c->a, &c->actor, id,
	    &ch, &r, &c->err) == 0) {
		ag_resp_redirect(c->resp, ag_sprintf(c->a,
		    "/admin/peran/%s?pesan=disimpan", id));
		return;
	}
	failed = c->err;
	ag_error_init(&c->err, c->a);
	if (ag_role_get(c->app, c->a, id, &r, &c->err) != 0) {
		ag_render_error(c, c->err.status, c->err.message);
		return;
	}
	c->err = failed;
	form_failed(c, &r, ch.permissions != NULL ? &ticked : NULL);
}

static void
delete_submit(ag_ctx *c)
{
	ag_error failed;

	if (ag_role_delete(c->app, c->a, &c->actor, ag_req_param(c->req, "id"),
	    &c->err) == 0) {
		ag_resp_redirect(c->resp, "/admin/peran?pesan=dihapus");
		return;
	}
	if (c->err.status == 404 || c->err.status >= 500) {
		ag_render_error(c, c->err.status, c->err.message);
		return;
	}
	/* the list again with why it could not be done */
	failed = c->err;
	ag_error_init(&c->err, c->a);
	list_page(c, failed.status, failed.message);
}

#define PAGE (AG_R_HTML)
#define FORM (AG_R_HTML | AG_R_FORM)

const ag_route ag_portal_role_routes[] = {
	{ "GET", "/admin/peran", roles_page, "role.read", PAGE, NULL,
	    ag_role_list_fields },
	{ "GET", "/admin/peran/baru", new_page, "role.create", PAGE, NULL,
	    NULL },
	{ "POST", "/admin/peran/baru", create_submit, "role.create", FORM,
	    ag_role_fields, NULL },
	{ "GET", "/admin/peran/{id}", edit_page, "role.read", PAGE, NULL,
	    NULL },
	{ "POST", "/admin/peran/{id}", update_submit, "role.update", FORM,
	    ag_role_fields, NULL },
	{ "POST", "/admin/peran/{id}/hapus", delete_submit, "role.delete", FORM,
	    NULL, NULL },
	AG_ROUTES_END
};
