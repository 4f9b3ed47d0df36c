/*
 * roles_routes.c - the JSON API of roles and permissions (/v1/roles,
 * /v1/permissions).
 *
 * Handlers only translate: typed input in, one service call, JSON out.
 * The rules live in lib/role.c, shared with the admin pages.  The one
 * input the field tables cannot describe, the permission_codes array, is
 * read here from the parsed body and handed over as a checked list.
 */
#include "identity_routes.h"

#include "role.h"

static void
answer(ag_ctx *c, int status, const ag_role *r, const char *message)
{
	ag_resp_json(c->resp, status, ag_role_json(r), message);
}

static void
role_list(ag_ctx *c)
{
	ag_role_filter f;
	json_t *items;
	ag_page page;

	ag_role_filter_from(&f, &c->query);
	if (ag_role_list(c->app, c->a, &f, &items, &page, &c->err) != 0) {
		ag_fail_json(c);
		return;
	}
	ag_resp_json_page(c->resp, items, &page, "Sukses mendapatkan daftar peran");
}

static void
role_detail(ag_ctx *c)
{
	ag_role r;

	if (ag_role_get(c->app, c->a, ag_req_param(c->req, "id"), &r,
	    &c->err) != 0) {
		ag_fail_json(c);
		return;
	}
	answer(c, 200, &r, "Sukses mendapatkan detail peran");
}

/* The change in the body, permission_codes included; -1 after answering. */
static int
change_from_body(ag_ctx *c, ag_role_change *ch, ag_strlist *codes)
{
	int present;

	ag_role_change_from(ch, &c->body);
	if (ag_role_codes_from_json(c->a, c->json, codes, &present,
	    &c->err) != 0) {
		ag_fail_json(c);
		return -1;
	}
	ch->permissions = present ? codes : NULL;
	return 0;
}

static void
role_create(ag_ctx *c)
{
	ag_role_change ch;
	ag_strlist codes;
	ag_role r;

	if (change_from_body(c, &ch, &codes) != 0)
		return;
	if (ag_role_create(c->app, c->a, &c->actor, &ch, &r, &c->err) != 0) {
		ag_fail_json(c);
		return;
	}
	answer(c, 201, &r, "Sukses membuat peran");
}

static void
role_update(ag_ctx *c)
{
	ag_role_change ch;
	ag_strlist codes;
	ag_role r;

	if (change_from_body(c, &ch, &codes) != 0)
		return;
	if (ag_role_update(c->app, c->a, &c->actor, ag_req_param(c->req, "id"),
	    &ch, &r, &c->err) != 0) {
		ag_fail_json(c);
		return;
	}
	answer(c, 200, &r, "Sukses memperbarui peran");
}

static void
role_delete(ag_ctx *c)
{
	if (ag_role_delete(c->app, c->a, &c->actor, ag_req_param(c->req, "id"),
	    &c->err) != 0) {
		ag_fail_json(c);
		return;
	}
	ag_resp_json(c->resp, 200, NULL, "Sukses menghapus peran");
}

static void
role_permissions(ag_ctx *c)
{
	json_t *groups = ag_role_permissions(c->app, c->a,
	    ag_req_param(c->req, "id"), &c->err);

	if (groups == NULL) {
		ag_fail_json(c);
		return;
	}
	ag_resp_json(c->resp, 200, groups,
	    "Sukses mendapatkan detail hak akses peran");
}

static void
role_dropdown(ag_ctx *c)
{
	json_t *list = ag_role_dropdown(c->app, c->a, ag_in_str(&c->query,
	    "level"), &c->err);

	if (list == NULL) {
		ag_fail_json(c);
		return;
	}
	ag_resp_json(c->resp, 200, list, "Sukses mendapatkan daftar peran");
}

static void
level_dropdown(ag_ctx *c)
{
	ag_resp_json(c->resp, 200, ag_role_levels_dropdown(),
	    "Sukses mendapatkan daftar level peran");
}

static void
permission_list(ag_ctx *c)
{
	json_t *items;
	ag_page page;

	if (ag_permission_groups(c->app, c->a, ag_in_str(&c->query, "search"),
	    ag_in_str(&c->query, "order"), (long)ag_in_int(&c->query, "page", 1),
	    (long)ag_in_int(&c->query, "limit", 10), &items, &page,
	    &c->err) != 0) {
		ag_fail_json(c);
		return;
	}
	ag_resp_json_page(c->resp, items, &page,
	    "Sukses mendapatkan daftar hak akses");
}

/* Literal paths before {id} (which only matches UUIDs anyway). */
const ag_route ag_role_routes[] = {
	{ "GET", "/v1/roles", role_list, "role.read", 0, NULL,
	    ag_role_list_fields },
	{ "GET", "/v1/roles/dropdown", role_dropdown, "role.read", 0, NULL,
	    ag_role_dropdown_fields },
	{ "GET", "/v1/roles/levels/dropdown", level_dropdown, "role.read", 0,
	    NULL, NULL },
	{ "POST", "/v1/roles", role_create, "role.create", AG_R_JSON,
	    ag_role_fields, NULL },
	{ "GET", "/v1/roles/{id}", role_detail, "role.read", 0, NULL, NULL },
	{ "PATCH", "/v1/roles/{id}", role_update, "role.update",
	    AG_R_JSON | AG_R_PARTIAL, ag_role_fields, NULL },
	{ "DELETE", "/v1/roles/{id}", role_delete, "role.delete", 0, NULL,
	    NULL },
	{ "GET", "/v1/roles/{id}/permissions", role_permissions, "role.read", 0,
	    NULL, NULL },
	{ "GET", "/v1/permissions", permission_list, "permission.read", 0, NULL,
	    ag_permission_list_fields },
	AG_ROUTES_END
};
