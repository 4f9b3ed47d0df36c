/*
 * portal_users.c - the admin pages for users: list, create, bulk import,
 * edit and delete (/admin/pengguna...).
 *
 * The routes require the tenant_user.* codes, which every role that
 * manages users holds (super admin, admin, tenant admin).  Which users a
 * page shows and changes then follows the user service: estate callers
 * with user.read see every user, tenant admins only their own company's
 * tenant operational users, and each action also needs the permission of
 * the target's kind (user.* for estate users, tenant_user.* for tenant
 * operational users).
 */
#include "identity_routes.h"

#include <string.h>

#include "jsonin.h"
#include "render.h"
#include "user.h"

#define PAGE_SIZE 20
#define IMPORT_MAX_CHARS 30000

static const ag_field import_fields[] = {
	{ "role_id", AG_T_UUID, AG_REQUIRED, 0, 0, NULL },
	{ "company_id", AG_T_UUID, 0, 0, 0, NULL },
	{ "baris", AG_T_TEXT, AG_REQUIRED, 1, IMPORT_MAX_CHARS, NULL },
	AG_FIELDS_END
};

/* Notices after a redirect: only known codes, never text from the URL. */
static const char *
notice(ag_ctx *c)
{
	static const ag_notice notices[] = {
		{ "dibuat", "Pengguna telah dibuat." },
		{ "diperbarui", "Perubahan pengguna telah disimpan." },
		{ "dihapus", "Pengguna telah dihapus." },
		{ "impor", "Semua pengguna telah diimpor." },
	};

	return ag_render_notice(c, notices,
	    sizeof(notices) / sizeof(notices[0]));
}

static int
can(ag_ctx *c, enum ag_user_kind kind, const char *action)
{
	return ag_can(c->user, ag_sprintf(c->a, "%s.%s",
	    ag_users_perm_module(kind), action));
}

/* Estate callers with user.read see every user, others tenant users. */
static enum ag_user_kind
visible_kind(ag_ctx *c)
{
	return ag_can(c->user, "user.read") ? AG_USER_ANY : AG_USER_TENANT;
}

/* The kinds of users the caller may create. */
static enum ag_user_kind
creatable_kind(ag_ctx *c)
{
	return ag_can(c->user, "user.create") ? AG_USER_ANY : AG_USER_TENANT;
}

static void
forbidden(ag_ctx *c)
{
	ag_render_error(c, 403, "Anda tidak memiliki hak akses untuk tindakan ini");
}

/* A checkbox: checked or not, never "absent". */
static void
set_checkbox(ag_ctx *c, const char *name)
{
	int on = ag_kv_get(&c->req->form, name) != NULL;

	for (size_t i = 0; i < c->body.n; i++)
		if (strcmp(c->body.spec[i].name, name) == 0) {
			c->body.v[i].present = 1;
			c->body.v[i].str = on ? "true" : "false";
			c->body.v[i].num = on;
		}
}

/* Marks the entry of list whose id is chosen as selected. */
static json_t *
mark(json_t *list, const char *chosen)
{
	json_t *it;
	size_t i;

	json_array_foreach(list, i, it)
		json_object_set_new(it, "selected", json_boolean(chosen != NULL &&
		    strcmp(chosen, json_string_value(json_object_get(it,
		    "id"))) == 0));
	return list;
}

/* Adds the errors of c->err (fields and a general message) to ctx. */
static void
add_errors(ag_ctx *c, json_t *ctx)
{
	json_object_set_new(ctx, "errors", ag_render_field_errors(&c->err));
	json_object_set_new(ctx, "has_errors", json_boolean(c->err.fields !=
	    NULL));
	if (c->err.status != 0 && (c->err.fields == NULL ||
	    c->err.status != 422))
		json_object_set_new(ctx, "error", json_string(c->err.message));
}

/* ---- list ---- */

static void
list_page(ag_ctx *c)
{
	enum ag_user_kind kind = visible_kind(c);
	ag_user_filter f;
	json_t *items, *roles, *it, *ctx;
	ag_page page;
	ag_error rerr;
	size_t i;
	long pages;

	ag_user_filter_from(&f, &c->query, kind);
	f.sort = "name";
	f.order = "asc";
	f.limit = PAGE_SIZE;
	if (ag_users_list(c->app, c->a, &c->actor, &f, &items, &page,
	    &c->err) != 0) {
		ag_render_error(c, c->err.status, c->err.message);
		return;
	}
	ag_json_own(c->a, items);
	ag_error_init(&rerr, c->a);
	if ((roles = ag_users_roles(c->app, c->a, &c->actor, kind, 0,
	    &rerr)) == NULL) {
		ag_render_error(c, rerr.status, rerr.message);
		return;
	}
	json_array_foreach(items, i, it) {
		const char *level = json_string_value(json_object_get(
		    json_object_get(it, "role"), "level"));
		const char *id = json_string_value(json_object_get(it, "id"));
		enum ag_user_kind k = ag_users_kind_of(level);
		int self = strcmp(id, c->actor.user_id) == 0;
		int manage = ag_users_may_manage(&c->actor, level);

		json_object_set_new(it, "can_edit", json_boolean(
		    can(c, k, "update") && (manage || self)));
		json_object_set_new(it, "can_delete", json_boolean(
		    can(c, k, "delete") && manage && !self));
	}
	pages = (page.total + page.limit - 1) / page.limit;
	ctx = json_pack("{s:O, s:o, s:s?, s:I, s:I, s:I, s:b, s:b, s:I, s:I,"
	    " s:s?, s:s?, s:b, s:b}",
	    "users", items, "roles", mark(roles, f.role_id), "search", f.search,
	    "total", (json_int_t)page.total, "page", (json_int_t)page.page,
	    "pages", (json_int_t)(pages ? pages : 1),
	    "has_prev", page.page > 1, "has_next", page.page < pages,
	    "prev", (json_int_t)(page.page - 1), "next", (json_int_t)(page.page + 1),
	    "role_id", f.role_id, "notice", notice(c),
	    "can_create", ag_can(c->user, "tenant_user.create") ||
	    ag_can(c->user, "user.create"),
	    "is_tenant", kind == AG_USER_TENANT);
	ag_render(c, 200, "admin_users", ctx);
}

/* ---- create and edit ---- */

/*
 * The form, empty, with the stored user (target) or again with the
 * caller's input and errors.  kind limits the roles offered.
 */
static void
user_form(ag_ctx *c, int status, const ag_user *target, enum ag_user_kind kind)
{
	json_t *ctx = json_object(), *values = json_object(), *roles, *companies;
	ag_error derr;
	const char *chosen_role, *chosen_company;
	int active;

	if (target != NULL) {
		json_object_set_new(values, "name", json_string(target->name));
		json_object_set_new(values, "email", json_string(target->email));
		if (target->phone != NULL)
			json_object_set_new(values, "phone",
			    json_string(target->phone));
	}
	for (const ag_field *f = ag_user_fields; f->name != NULL; f++) {
		const char *v = ag_kv_get(&c->req->form, f->name);

		if (v != NULL && f->type != AG_T_PASSWORD)
			json_object_set_new(values, f->name, json_string(v));
	}
	chosen_role = ag_kv_get(&c->req->form, "role_id");
	if (chosen_role == NULL && target != NULL)
		chosen_role = target->role_id;
	chosen_company = ag_kv_get(&c->req->form, "company_id");
	if (chosen_company == NULL && target != NULL)
		chosen_company = target->company_id;
	if (strcmp(c->req->method, "POST") == 0)
		active = ag_kv_get(&c->req->form, "is_active") != NULL;
	else
		active = target != NULL ? target->is_active : 1;

	ag_error_init(&derr, c->a);
	roles = ag_users_roles(c->app, c->a, &c->actor, kind, 1, &derr);
	companies = roles != NULL ? ag_users_companies(c->app, c->a, &derr) :
	    NULL;
	if (roles == NULL || companies == NULL) {
		json_decref(roles);
		json_decref(ctx);
		json_decref(values);
		ag_render_error(c, derr.status, derr.message);
		return;
	}
	/* The current role stays selectable even if the caller cannot assign it. */
	if (target != NULL) {
		int found = 0;
		json_t *it;
		size_t i;

		json_array_foreach(roles, i, it)
			if (strcmp(json_string_value(json_object_get(it, "id")),
			    target->role_id) == 0)
				found = 1;
		if (!found)
			json_array_insert_new(roles, 0, json_pack("{s:s, s:s}",
			    "id", target->role_id, "name", target->role_name));
		json_object_set_new(ctx, "target", ag_user_json(target));
		json_object_set_new(ctx, "action", json_string(ag_sprintf(c->a,
		    "/admin/pengguna/%s", target->id)));
		json_object_set_new(ctx, "can_delete", json_boolean(
		    can(c, ag_users_kind_of(target->role_level), "delete") &&
		    ag_users_may_manage(&c->actor, target->role_level) &&
		    strcmp(target->id, c->actor.user_id) != 0));
	} else {
		json_object_set_new(ctx, "is_new", json_true());
		json_object_set_new(ctx, "action", json_string("/admin/pengguna/baru"));
	}
	json_object_set_new(ctx, "values", values);
	json_object_set_new(ctx, "roles", mark(roles, chosen_role));
	json_object_set_new(ctx, "companies", mark(companies, chosen_company));
	/* tenant admins never choose a company: theirs is used */
	json_object_set_new(ctx, "show_company", json_boolean(
	    c->actor.company_id == NULL));
	json_object_set_new(ctx, "is_active", json_boolean(active));
	add_errors(c, ctx);
	ag_render(c, status, "admin_user_form", ctx);
}

static void
new_page(ag_ctx *c)
{
	user_form(c, 200, NULL, creatable_kind(c));
}

/* The kind a chosen role makes, or -1 (with a field error) if unknown. */
static int
kind_of_role(ag_ctx *c, const char *role_id, enum ag_user_kind *kind)
{
	const char *level;

	if (role_id == NULL)
		return -1;
	level = ag_users_role_level(c->app, c->a, role_id, &c->err);
	if (level == NULL) {
		if (c->err.status == 0)
			ag_error_field(&c->err, "role_id", "peran tidak ditemukan");
		return -1;
	}
	*kind = ag_users_kind_of(level);
	return 0;
}

static void
new_submit(ag_ctx *c)
{
	enum ag_user_kind kind = creatable_kind(c);
	ag_user u;

	set_checkbox(c, "is_active");
	if (c->err.status == 0 && kind_of_role(c, ag_in_str(&c->body,
	    "role_id"), &kind) == 0) {
		if (!can(c, kind, "create")) {
			forbidden(c);
			return;
		}
		if (ag_users_create(c->app, c->a, &c->actor, kind, 0, &c->body,
		    &u, &c->err) == 0) {
			ag_resp_redirect(c->resp, "/admin/pengguna?pesan=dibuat");
			return;
		}
	}
	if (c->err.status == 403 || c->err.status >= 500) {
		ag_render_error(c, c->err.status, c->err.message);
		return;
	}
	user_form(c, c->err.status == 409 ? 409 : 422, NULL, creatable_kind(c));
}

/* The user behind {id} as the caller may see it; renders 404 if not. */
static int
load_target(ag_ctx *c, ag_user *u)
{
	ag_error err;

	ag_error_init(&err, c->a);
	if (ag_users_get(c->app, c->a, &c->actor, visible_kind(c),
	    ag_req_param(c->req, "id"), u, &err) != 0) {
		ag_render_error(c, err.status, err.message);
		return -1;
	}
	return 0;
}

/* Users of a tenant admin's level stay in their kind: any level. */
static enum ag_user_kind
edit_kind(const ag_user *u)
{
	return ag_users_kind_of(u->role_level);
}

static void
edit_page(ag_ctx *c)
{
	ag_user u;

	if (load_target(c, &u) != 0)
		return;
	user_form(c, 200, &u, edit_kind(&u));
}

static void
edit_submit(ag_ctx *c)
{
	ag_user u, out;

	if (load_target(c, &u) != 0)
		return;
	if (!can(c, edit_kind(&u), "update")) {
		forbidden(c);
		return;
	}
	set_checkbox(c, "is_active");
	if (c->err.status == 0 && ag_users_update(c->app, c->a, &c->actor,
	    edit_kind(&u), 0, u.id, &c->body, &out, &c->err) == 0) {
		ag_resp_redirect(c->resp, "/admin/pengguna?pesan=diperbarui");
		return;
	}
	if (c->err.status == 403 || c->err.status == 404 ||
	    c->err.status >= 500) {
		ag_render_error(c, c->err.status, c->err.message);
		return;
	}
	user_form(c, c->err.status == 409 ? 409 : 422, &u, edit_kind(&u));
}

static void
delete_submit(ag_ctx *c)
{
	ag_user u;

	if (load_target(c, &u) != 0)
		return;
	if (!can(c, edit_kind(&u), "delete")) {
		forbidden(c);
		return;
	}
	if (ag_users_delete(c->app, c->a, &c->actor, edit_kind(&u), u.id,
	    &c->err) != 0) {
		ag_render_error(c, c->err.status, c->err.message);
		return;
	}
	ag_resp_redirect(c->resp, "/admin/pengguna?pesan=dihapus");
}

/* ---- bulk import ---- */

/* One non-empty line of the textarea: its number and the row it became. */
typedef struct import_line {
	long number;
	size_t row;
} import_line;

static void
import_form(ag_ctx *c, int status, json_t *line_errors)
{
	json_t *ctx = json_object(), *roles, *companies;
	ag_error derr;

	ag_error_init(&derr, c->a);
	roles = ag_users_roles(c->app, c->a, &c->actor, creatable_kind(c), 1,
	    &derr);
	companies = roles != NULL ? ag_users_companies(c->app, c->a, &derr) :
	    NULL;
	if (roles == NULL || companies == NULL) {
		json_decref(roles);
		json_decref(ctx);
		json_decref(line_errors);
		ag_render_error(c, derr.status, derr.message);
		return;
	}
	json_object_set_new(ctx, "roles", mark(roles, ag_kv_get(&c->req->form,
	    "role_id")));
	json_object_set_new(ctx, "companies", mark(companies,
	    ag_kv_get(&c->req->form, "company_id")));
	json_object_set_new(ctx, "show_company", json_boolean(
	    c->actor.company_id == NULL));
	json_object_set_new(ctx, "baris", json_string(ag_kv_get(&c->req->form,
	    "baris") != NULL ? ag_kv_get(&c->req->form, "baris") : ""));
	json_object_set_new(ctx, "max", json_integer(AG_USERS_BULK_MAX));
	if (line_errors != NULL) {
		json_object_set_new(ctx, "has_line_errors", json_boolean(
		    json_array_size(line_errors) > 0));
		json_object_set_new(ctx, "line_errors", line_errors);
	}
	add_errors(c, ctx);
	ag_render(c, status, "admin_user_import", ctx);
}

static void
import_page(ag_ctx *c)
{
	import_form(c, 200, NULL);
}

static const char *
field_label(const char *name)
{
	static const struct { const char *field, *label; } labels[] = {
		{ "name", "nama" }, { "email", "email" }, { "phone", "telepon" },
		{ "password", "kata sandi" },
	};

	for (size_t i = 0; i < sizeof(labels) / sizeof(labels[0]); i++)
		if (strcmp(name, labels[i].field) == 0)
			return labels[i].label;
	return name;
}

/*
 * Splits the textarea into rows {name, email, phone, role_id,
 * company_id}, one per non-empty line ("name;email;phone").  A line of
 * another shape becomes an error of that line.
 */
static json_t *
parse_lines(ag_ctx *c, const char *text, import_line **lines, size_t *n,
    json_t *line_errors)
{
	json_t *rows = json_array();
	const char *role = ag_in_str(&c->body, "role_id");
	const char *company = ag_in_str(&c->body, "company_id");
	long number = 0;
	size_t cap = 16;

	*n = 0;
	*lines = ag_calloc(c->a, cap, sizeof(**lines));
	while (text != NULL && *text != '\0') {
		const char *end = strchr(text, '\n');
		size_t len = end != NULL ? (size_t)(end - text) : strlen(text);
		char *line = ag_strndup(c->a, text, len), *parts[4], *p, *save;
		int np = 0;

		number++;
		text = end != NULL ? end + 1 : text + len;
		for (p = strtok_r(line, ";", &save); p != NULL && np < 4;
		    p = strtok_r(NULL, ";", &save))
			parts[np++] = p;
		if (np == 0 || line[strspn(line, " \t\r")] == '\0')
			continue;
		if (np > 3 || np < 2) {
			json_array_append_new(line_errors, json_pack("{s:I, s:s}",
			    "line", (json_int_t)number, "message",
			    "format baris harus nama;email;telepon"));
			continue;
		}
		if (*n == cap) {
			import_line *more = ag_calloc(c->a, cap * 2, sizeof(*more));

			memcpy(more, *lines, cap * sizeof(*more));
			*lines = more;
			cap *= 2;
		}
		(*lines)[*n].number = number;
		(*lines)[*n].row = json_array_size(rows);
		(*n)++;
		json_array_append_new(rows, json_pack("{s:s, s:s, s:s?, s:s, s:s?}",
		    "name", parts[0], "email", parts[1], "phone",
		    np > 2 && parts[2][strspn(parts[2], " \t\r")] != '\0' ?
		    parts[2] : NULL, "role_id", role, "company_id", company));
	}
	return rows;
}

/* "users[3].email" -> the line of row 3 and a readable message. */
static void
bulk_errors_to_lines(ag_ctx *c, const import_line *lines, size_t n,
    json_t *line_errors)
{
	json_t *it, *fields = c->err.fields;
	ag_error general;
	size_t i, row;
	char name[40];

	ag_error_init(&general, c->a);
	json_array_foreach(fields, i, it) {
		const char *f = json_string_value(json_object_get(it, "field"));
		const char *m = json_string_value(json_object_get(it, "message"));

		if (sscanf(f, "users[%zu].%39s", &row, name) == 2 && row < n) {
			/* role and company are one choice for every line */
			if (strcmp(name, "role_id") == 0 ||
			    strcmp(name, "company_id") == 0)
				ag_error_field(&general, name, m);
			else
				json_array_append_new(line_errors, json_pack(
				    "{s:I, s:s}", "line", (json_int_t)lines[row].number,
				    "message", ag_sprintf(c->a, "%s: %s",
				    field_label(name), m)));
		} else
			ag_error_field(&general, strcmp(f, "users") == 0 ?
			    "baris" : f, m);
	}
	general.status = c->err.status;
	general.code = c->err.code;
	general.message = c->err.message;
	c->err = general;
}

static void
import_submit(ag_ctx *c)
{
	enum ag_user_kind kind = creatable_kind(c);
	json_t *line_errors = json_array(), *rows, *created;
	import_line *lines;
	size_t n;

	if (c->err.status != 0 || kind_of_role(c, ag_in_str(&c->body,
	    "role_id"), &kind) != 0) {
		import_form(c, c->err.status >= 500 ? c->err.status : 422,
		    line_errors);
		return;
	}
	if (!can(c, kind, "create")) {
		json_decref(line_errors);
		forbidden(c);
		return;
	}
	rows = ag_json_own(c->a, parse_lines(c, ag_in_str(&c->body, "baris"),
	    &lines, &n, line_errors));
	if (json_array_size(line_errors) > 0) {
		ag_error_field(&c->err, "baris", "ada baris yang tidak sesuai "
		    "format; tidak ada yang disimpan");
		import_form(c, 422, line_errors);
		return;
	}
	if (n == 0) {
		ag_error_field(&c->err, "baris", "wajib diisi");
		import_form(c, 422, line_errors);
		return;
	}
	if (ag_users_bulk_create(c->app, c->a, &c->actor, kind, 0, rows, NULL,
	    &created, &c->err) != 0) {
		if (c->err.status == 403 || c->err.status >= 500) {
			json_decref(line_errors);
			ag_render_error(c, c->err.status, c->err.message);
			return;
		}
		bulk_errors_to_lines(c, lines, n, line_errors);
		import_form(c, 422, line_errors);
		return;
	}
	json_decref(created);
	json_decref(line_errors);
	ag_resp_redirect(c->resp, "/admin/pengguna?pesan=impor");
}

#define PAGE (AG_R_HTML)
#define FORM (AG_R_HTML | AG_R_FORM)

const ag_route ag_portal_user_routes[] = {
	{ "GET", "/admin/pengguna", list_page, "tenant_user.read", PAGE, NULL,
	    ag_user_list_fields },
	{ "GET", "/admin/pengguna/baru", new_page, "tenant_user.create", PAGE,
	    NULL, NULL },
	{ "POST", "/admin/pengguna/baru", new_submit, "tenant_user.create",
	    FORM, ag_user_fields, NULL },
	{ "GET", "/admin/pengguna/impor", import_page, "tenant_user.create",
	    PAGE, NULL, NULL },
	{ "POST", "/admin/pengguna/impor", import_submit, "tenant_user.create",
	    FORM, import_fields, NULL },
	{ "GET", "/admin/pengguna/{id}", edit_page, "tenant_user.read", PAGE,
	    NULL, NULL },
	{ "POST", "/admin/pengguna/{id}", edit_submit, "tenant_user.update",
	    FORM | AG_R_PARTIAL, ag_user_fields, NULL },
	{ "POST", "/admin/pengguna/{id}/hapus", delete_submit,
	    "tenant_user.delete", FORM, NULL, NULL },
	AG_ROUTES_END
};
