/*
 * users_routes.c - the JSON user API (/v1/users...): tenant operational
 * users, operational users (as Super Admin and as Admin), admins, the
 * list of every user, the admin dropdown and delete.
 *
 * Handlers only translate: typed input in, one service call, JSON out.
 * The rules (levels, own company, all-or-nothing bulk) live in
 * lib/user.c, shared with the admin pages.
 */
#include "identity_routes.h"

#include "user.h"

static const char *
id_param(ag_ctx *c)
{
	return ag_req_param(c->req, "id");
}

static void
answer(ag_ctx *c, int status, const ag_user *u, const char *message)
{
	ag_resp_json(c->resp, status, ag_user_json(u), message);
}

static void
create(ag_ctx *c, enum ag_user_kind kind, const char *message)
{
	ag_user u;

	if (ag_users_create(c->app, c->a, &c->actor, kind, 0, &c->body, &u,
	    &c->err) != 0) {
		ag_fail_json(c);
		return;
	}
	answer(c, 201, &u, message);
}

/* Body {"users": [...], "admin_id": ...}; admin_id only as Super Admin. */
static void
bulk(ag_ctx *c, enum ag_user_kind kind, unsigned flags, const char *message)
{
	json_t *created, *admin = json_object_get(c->json, "admin_id");
	const char *admin_id = NULL;

	if (admin != NULL && !json_is_null(admin)) {
		if (!json_is_string(admin) || !(flags & AG_USERS_AS_SUPER_ADMIN)) {
			ag_error_field(&c->err, "admin_id", !json_is_string(admin) ?
			    "harus berupa teks" : "hanya untuk Super Admin");
			ag_fail_json(c);
			return;
		}
		admin_id = json_string_value(admin);
	}
	if (ag_users_bulk_create(c->app, c->a, &c->actor, kind, flags,
	    json_object_get(c->json, "users"), admin_id, &created,
	    &c->err) != 0) {
		ag_fail_json(c);
		return;
	}
	ag_resp_json(c->resp, 201, created, message);
}

static void
update(ag_ctx *c, enum ag_user_kind kind, unsigned flags, const char *message)
{
	ag_user u;

	if (ag_users_update(c->app, c->a, &c->actor, kind, flags, id_param(c),
	    &c->body, &u, &c->err) != 0) {
		ag_fail_json(c);
		return;
	}
	answer(c, 200, &u, message);
}

static void
detail(ag_ctx *c, enum ag_user_kind kind, const char *message)
{
	ag_user u;

	if (ag_users_get(c->app, c->a, &c->actor, kind, id_param(c), &u,
	    &c->err) != 0) {
		ag_fail_json(c);
		return;
	}
	answer(c, 200, &u, message);
}

static void
remove_user(ag_ctx *c, enum ag_user_kind kind, const char *message)
{
	if (ag_users_delete(c->app, c->a, &c->actor, kind, id_param(c),
	    &c->err) != 0) {
		ag_fail_json(c);
		return;
	}
	ag_resp_json(c->resp, 200, json_pack("{s:s}", "id", id_param(c)),
	    message);
}

static void
list(ag_ctx *c, enum ag_user_kind kind, const char *message)
{
	ag_user_filter f;
	json_t *items;
	ag_page page;

	ag_user_filter_from(&f, &c->query, kind);
	if (ag_users_list(c->app, c->a, &c->actor, &f, &items, &page,
	    &c->err) != 0) {
		ag_fail_json(c);
		return;
	}
	ag_resp_json_page(c->resp, items, &page, message);
}

/* ---- User / Operational Tenant ---- */

static void
tenant_create(ag_ctx *c)
{
	create(c, AG_USER_TENANT, "Sukses membuat pengguna operasional tenant");
}

static void
tenant_update(ag_ctx *c)
{
	update(c, AG_USER_TENANT, 0,
	    "Sukses memperbarui pengguna operasional tenant");
}

static void
tenant_detail(ag_ctx *c)
{
	detail(c, AG_USER_TENANT,
	    "Sukses mendapatkan detail pengguna operasional tenant");
}

static void
tenant_list(ag_ctx *c)
{
	list(c, AG_USER_TENANT,
	    "Sukses mendapatkan daftar pengguna operasional tenant");
}

static void
tenant_delete(ag_ctx *c)
{
	remove_user(c, AG_USER_TENANT,
	    "Sukses menghapus pengguna operasional tenant");
}

/* ---- User / Operational ---- */

static void
operational_bulk_sa(ag_ctx *c)
{
	bulk(c, AG_USER_OPERATIONAL, AG_USERS_AS_SUPER_ADMIN,
	    "Sukses membuat pengguna operasional");
}

static void
operational_update_sa(ag_ctx *c)
{
	update(c, AG_USER_OPERATIONAL, AG_USERS_AS_SUPER_ADMIN,
	    "Sukses memperbarui pengguna operasional");
}

static void
operational_bulk(ag_ctx *c)
{
	bulk(c, AG_USER_OPERATIONAL, 0, "Sukses membuat pengguna operasional");
}

static void
operational_update(ag_ctx *c)
{
	update(c, AG_USER_OPERATIONAL, 0,
	    "Sukses memperbarui pengguna operasional");
}

static void
operational_detail(ag_ctx *c)
{
	detail(c, AG_USER_OPERATIONAL,
	    "Sukses mendapatkan detail pengguna operasional");
}

/* ---- User / Admin ---- */

static void
admin_bulk(ag_ctx *c)
{
	bulk(c, AG_USER_ADMIN, 0, "Sukses membuat pengguna admin");
}

static void
admin_update(ag_ctx *c)
{
	update(c, AG_USER_ADMIN, 0, "Sukses memperbarui pengguna admin");
}

static void
admin_detail(ag_ctx *c)
{
	detail(c, AG_USER_ADMIN, "Sukses mendapatkan detail pengguna admin");
}

/* ---- User ---- */

static void
all_list(ag_ctx *c)
{
	list(c, AG_USER_ANY, "Sukses mendapatkan daftar pengguna");
}

static void
admin_dropdown(ag_ctx *c)
{
	json_t *items = ag_users_admin_dropdown(c->app, c->a, &c->err);

	if (items == NULL) {
		ag_fail_json(c);
		return;
	}
	ag_resp_json(c->resp, 200, items, "Sukses mendapatkan daftar admin");
}

static void
any_delete(ag_ctx *c)
{
	remove_user(c, AG_USER_ANY, "Sukses menghapus pengguna");
}

#define JSON_BODY AG_R_JSON
#define JSON_PATCH (AG_R_JSON | AG_R_PARTIAL)

/* Literal segments before captures. */
const ag_route ag_user_routes[] = {
	{ "GET", "/v1/users", all_list, "user.read", 0, NULL,
	    ag_user_list_fields },
	{ "GET", "/v1/users/admin/dropdown", admin_dropdown, "user.read", 0,
	    NULL, NULL },
	{ "POST", "/v1/users/admin/bulk", admin_bulk, "user.create", JSON_BODY,
	    NULL, NULL },
	{ "GET", "/v1/users/admin/{id}", admin_detail, "user.read", 0, NULL,
	    NULL },
	{ "PATCH", "/v1/users/admin/{id}", admin_update, "user.update",
	    JSON_PATCH, ag_user_fields, NULL },
	{ "POST", "/v1/users/operational/super-admin/bulk", operational_bulk_sa,
	    "user.create", JSON_BODY, NULL, NULL },
	{ "PATCH", "/v1/users/operational/super-admin/{id}",
	    operational_update_sa, "user.update", JSON_PATCH, ag_user_sa_fields,
	    NULL },
	{ "POST", "/v1/users/operational/admin/bulk", operational_bulk,
	    "user.create", JSON_BODY, NULL, NULL },
	{ "PATCH", "/v1/users/operational/admin/{id}", operational_update,
	    "user.update", JSON_PATCH, ag_user_fields, NULL },
	{ "GET", "/v1/users/operational/{id}", operational_detail, "user.read",
	    0, NULL, NULL },
	{ "GET", "/v1/users/tenant-operational", tenant_list,
	    "tenant_user.read", 0, NULL, ag_user_tenant_list_fields },
	{ "POST", "/v1/users/tenant-operational", tenant_create,
	    "tenant_user.create", JSON_BODY, ag_user_fields, NULL },
	{ "GET", "/v1/users/tenant-operational/{id}", tenant_detail,
	    "tenant_user.read", 0, NULL, NULL },
	{ "PATCH", "/v1/users/tenant-operational/{id}", tenant_update,
	    "tenant_user.update", JSON_PATCH, ag_user_fields, NULL },
	{ "DELETE", "/v1/users/tenant-operational/{id}", tenant_delete,
	    "tenant_user.delete", 0, NULL, NULL },
	{ "DELETE", "/v1/users/{id}", any_delete, "user.delete", 0, NULL,
	    NULL },
	AG_ROUTES_END
};
