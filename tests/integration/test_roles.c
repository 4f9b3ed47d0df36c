/*
 * test_roles.c - integration tests of roles and permissions: the JSON API
 * (/v1/roles, /v1/permissions) and the admin pages (/admin/peran), driven
 * over HTTP against the real stack.
 *
 * Environment (script/test sets it): AG_BASE_URL (unset = every test
 * skipped), AG_PASSWORD (password of the demo users), AG_TEST_DSN (the
 * stack's database, to give a user a role and to read the activity log).
 * Every test makes its own roles with random codes, so the tests do not
 * depend on each other's order; the demo users are never changed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "itest.h"

/* ---- small helpers ---- */

/* Lowercase letters unique enough for role codes of this run. */
static const char *
unique_code(const char *prefix)
{
	return ag_it_printf("%s_%s", prefix, unique_lower(10));
}

/* Bearer tokens, one login per demo user for the whole run (the answers
 * of ag_it_* are freed after every test, these copies are not). */
static struct { const char *email; char *token; } tokens[] = {
	{ "superadmin@example.com", NULL },
	{ "admin@example.com", NULL },
	{ "operator@example.com", NULL },
	{ "tenant-admin@example.com", NULL },
};

static const char *
token_for(const char *email)
{
	for (size_t i = 0; i < sizeof(tokens) / sizeof(tokens[0]); i++) {
		if (strcmp(tokens[i].email, email) != 0)
			continue;
		if (tokens[i].token != NULL)
			return tokens[i].token;
		tokens[i].token = strdup(token_of(email));
		assert_non_null(tokens[i].token);
		return tokens[i].token;
	}
	fail_msg("no demo user %s", email);
	return NULL;
}

#define SUPER token_for("superadmin@example.com")
#define ADMIN token_for("admin@example.com")
#define OPERATOR token_for("operator@example.com")

/* Creates a role as super admin; returns its data. */
static json_t *
create_role(const char *code, const char *level, json_t *codes)
{
	ag_it_resp *r = jreq("POST", "/v1/roles", SUPER, json_text(json_pack(
	    "{s:s, s:s, s:s, s:s, s:o}", "name", ag_it_printf("Uji %s", code),
	    "code", code, "level", level, "description", "Peran uji integrasi",
	    "permission_codes", codes)));

	check_status(r, 201);
	return jget(r->json, "data");
}

static const char *
role_path(json_t *role, const char *suffix)
{
	return ag_it_printf("/v1/roles/%s%s", jstr(role, "id"), suffix);
}

/* The id of a (live) role by its code, found through the list. */
static const char *
role_id_by_code(const char *code)
{
	ag_it_resp *r = jreq("GET", ag_it_printf("/v1/roles?search=%s&limit=100",
	    code), SUPER, NULL);
	json_t *it;
	size_t i;

	check_status(r, 200);
	json_array_foreach(json_object_get(r->json, "data"), i, it)
		if (strcmp(jstr(it, "code"), code) == 0)
			return jstr(it, "id");
	fail_msg("no role %s", code);
	return NULL;
}

static int
array_has(json_t *arr, const char *s)
{
	json_t *it;
	size_t i;

	json_array_foreach(arr, i, it)
		if (json_is_string(it) && strcmp(json_string_value(it), s) == 0)
			return 1;
	return 0;
}

/* ---- authorisation ---- */

static void
test_roles_need_token(void **state)
{
	static const char *const routes[][2] = {
		{ "GET", "/v1/roles" }, { "GET", "/v1/roles/dropdown" },
		{ "GET", "/v1/roles/levels/dropdown" }, { "POST", "/v1/roles" },
		{ "GET", "/v1/roles/" UNKNOWN_UUID },
		{ "PATCH", "/v1/roles/" UNKNOWN_UUID },
		{ "DELETE", "/v1/roles/" UNKNOWN_UUID },
		{ "GET", "/v1/roles/" UNKNOWN_UUID "/permissions" },
		{ "GET", "/v1/permissions" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]); i++)
		check_error(jreq(routes[i][0], routes[i][1], NULL,
		    strcmp(routes[i][0], "GET") == 0 ||
		    strcmp(routes[i][0], "DELETE") == 0 ? NULL : "{}"), 401, NULL);
	check_error(jreq("GET", "/v1/roles", "not-a-real-token-0123456789", NULL),
	    401, NULL);
}

static void
test_roles_forbidden(void **state)
{
	const char *id;

	(void)state;
	/* operational staff read tickets, not roles */
	check_error(jreq("GET", "/v1/roles", OPERATOR, NULL), 403, NULL);
	check_error(jreq("GET", "/v1/roles/dropdown", OPERATOR, NULL), 403, NULL);
	check_error(jreq("GET", "/v1/roles/levels/dropdown", OPERATOR, NULL), 403,
	    NULL);
	check_error(jreq("GET", "/v1/permissions", OPERATOR, NULL), 403, NULL);
	check_error(jreq("GET", "/v1/roles", token_for(
	    "tenant-admin@example.com"), NULL), 403, NULL);
	/* an admin reads roles but does not change them */
	check_status(jreq("GET", "/v1/roles", ADMIN, NULL), 200);
	check_status(jreq("GET", "/v1/permissions", ADMIN, NULL), 200);
	id = role_id_by_code("operational");
	check_status(jreq("GET", ag_it_printf("/v1/roles/%s", id), ADMIN, NULL),
	    200);
	check_error(jreq("POST", "/v1/roles", ADMIN, "{\"name\": \"Uji\","
	    " \"code\": \"uji_admin\", \"level\": \"operational\"}"), 403, NULL);
	check_error(jreq("PATCH", ag_it_printf("/v1/roles/%s", id), ADMIN,
	    "{\"name\": \"Operasional\"}"), 403, NULL);
	check_error(jreq("DELETE", ag_it_printf("/v1/roles/%s", id), ADMIN, NULL),
	    403, NULL);
}

/* ---- CRUD ---- */

static void
test_role_lifecycle(void **state)
{
	const char *code = unique_code("auditor"), *id, *count;
	json_t *role;
	ag_it_resp *r;

	(void)state;
	role = create_role(code, "operational", json_pack("[s, s, s]",
	    "ticket.read", "activity_log.read", "ticket.read"));
	id = jstr(role, "id");
	check_jstr(role, "code", code);
	check_jstr(role, "level", "operational");
	check_jstr(role, "level_name", "Operasional");
	check_jstr(role, "description", "Peran uji integrasi");
	assert_true(json_is_false(json_object_get(role, "is_system")));
	assert_int_equal(json_array_size(json_object_get(role,
	    "permission_codes")), 2);
	assert_true(array_has(json_object_get(role, "permission_codes"),
	    "activity_log.read"));
	assert_non_null(jstr(role, "created_at"));

	/* detail */
	r = jreq("GET", role_path(role, ""), SUPER, NULL);
	check_status(r, 200);
	check_jstr(r->json, "data.id", id);
	check_jstr(r->json, "message", "Sukses mendapatkan detail peran");

	/* the list finds it by code and by name, and filters by level */
	r = jreq("GET", ag_it_printf("/v1/roles?search=%s", code), SUPER, NULL);
	check_status(r, 200);
	assert_int_equal(json_integer_value(jget(r->json, "meta.total_data")), 1);
	check_jstr(json_array_get(jget(r->json, "data"), 0), "id", id);
	r = jreq("GET", ag_it_printf("/v1/roles?search=%s&level=admin", code),
	    SUPER, NULL);
	check_status(r, 200);
	assert_int_equal(json_array_size(jget(r->json, "data")), 0);

	/* update: name, description cleared, permissions replaced */
	r = jreq("PATCH", role_path(role, ""), SUPER, "{\"name\": \"Auditor Baru\","
	    " \"description\": null, \"permission_codes\": [\"file.read\"]}");
	check_status(r, 200);
	check_jstr(r->json, "data.name", "Auditor Baru");
	check_jstr(r->json, "data.code", code);
	assert_true(json_is_null(jget(r->json, "data.description")));
	assert_int_equal(json_array_size(jget(r->json, "data.permission_codes")),
	    1);
	/* without permission_codes the permissions stay */
	r = jreq("PATCH", role_path(role, ""), SUPER, "{\"level\": \"tenant_admin\"}");
	check_status(r, 200);
	check_jstr(r->json, "data.level", "tenant_admin");
	assert_true(array_has(jget(r->json, "data.permission_codes"),
	    "file.read"));

	/* delete, then it is gone and its code is free again */
	r = jreq("DELETE", role_path(role, ""), SUPER, NULL);
	check_status(r, 200);
	check_jstr(r->json, "message", "Sukses menghapus peran");
	check_error(jreq("GET", role_path(role, ""), SUPER, NULL), 404,
	    "ROLE_NOT_FOUND");
	check_error(jreq("DELETE", role_path(role, ""), SUPER, NULL), 404,
	    "ROLE_NOT_FOUND");
	role = create_role(code, "operational", json_array());
	check_status(jreq("DELETE", role_path(role, ""), SUPER, NULL), 200);

	/* every change is in the activity log with before and after */
	{
		const char *const p[] = { id };

		count = db_value("SELECT count(*) FROM activity_logs WHERE "
		    "module = 'role' AND record_id = $1 AND ((action = 'create' AND "
		    "before IS NULL AND after->>'id' = $1) OR (action = 'update' AND "
		    "before->>'id' = $1 AND after->>'id' = $1) OR (action = 'delete'"
		    " AND before->>'id' = $1 AND after IS NULL))", 1, p);
		assert_non_null(count);
		assert_string_equal(count, "4");
	}
}

static void
test_role_validation(void **state)
{
	ag_it_resp *r;
	json_t *role;

	(void)state;
	r = jreq("POST", "/v1/roles", SUPER, "{\"code\": \"x\", \"level\": \"root\"}");
	check_error(r, 422, "VALIDATION_ERROR");
	check_field_error(r, "name");
	check_field_error(r, "level");

	r = jreq("POST", "/v1/roles", SUPER, "{\"name\": \"Uji\", \"code\": "
	    "\"Bukan Kode\", \"level\": \"operational\"}");
	check_error(r, 422, "VALIDATION_ERROR");
	check_field_error(r, "code");

	r = jreq("POST", "/v1/roles", SUPER, json_text(json_pack("{s:s, s:s, s:s, s:[s]}",
	    "name", "Uji", "code", unique_code("uji"), "level", "operational",
	    "permission_codes", "nothing.at_all")));
	check_error(r, 422, "VALIDATION_ERROR");
	check_field_error(r, "permission_codes");

	r = jreq("POST", "/v1/roles", SUPER, json_text(json_pack("{s:s, s:s, s:s, s:s}",
	    "name", "Uji", "code", unique_code("uji"), "level", "operational",
	    "permission_codes", "ticket.read")));
	check_error(r, 422, "VALIDATION_ERROR");
	check_field_error(r, "permission_codes");

	/* tenant roles hold only what a tenant may have */
	r = jreq("POST", "/v1/roles", SUPER, json_text(json_pack("{s:s, s:s, s:s, s:[s, s]}",
	    "name", "Uji", "code", unique_code("uji"), "level", "tenant_admin",
	    "permission_codes", "tenant_user.read", "user.read")));
	check_error(r, 422, "VALIDATION_ERROR");
	check_field_error(r, "permission_codes");
	role = create_role(unique_code("tenant"), "tenant_admin", json_pack(
	    "[s, s, s]", "tenant_user.read", "tenant_user.create", "ticket.read"));
	r = jreq("PATCH", role_path(role, ""), SUPER,
	    "{\"permission_codes\": [\"ticket.approve\"]}");
	check_error(r, 422, "VALIDATION_ERROR");
	check_field_error(r, "permission_codes");
	/* nor may a role with estate permissions become a tenant role */
	{
		json_t *est = create_role(unique_code("estate"), "operational",
		    json_pack("[s]", "ticket.approve"));

		r = jreq("PATCH", role_path(est, ""), SUPER,
		    "{\"level\": \"tenant_operational\"}");
		check_error(r, 422, "VALIDATION_ERROR");
		check_field_error(r, "permission_codes");
		check_status(jreq("DELETE", role_path(est, ""), SUPER, NULL), 200);
	}

	/* PATCH cannot empty a required field; wrong media type */
	r = jreq("PATCH", role_path(role, ""), SUPER, "{\"name\": \"\"}");
	check_error(r, 422, "VALIDATION_ERROR");
	check_field_error(r, "name");
	{
		const char *h[] = { "Content-Type: text/plain",
		    ag_it_printf("Authorization: Bearer %s", SUPER), NULL };

		check_status(ag_it_request("POST", "/v1/roles", h, "{}", 2), 415);
	}
	check_error(jreq("GET", "/v1/roles?sort=password", SUPER, NULL), 422,
	    "VALIDATION_ERROR");
	check_error(jreq("GET", "/v1/roles?level=root", SUPER, NULL), 422,
	    "VALIDATION_ERROR");
	check_status(jreq("DELETE", role_path(role, ""), SUPER, NULL), 200);
}

static void
test_role_duplicate_code(void **state)
{
	const char *code = unique_code("dupe");
	json_t *role = create_role(code, "operational", json_array()), *other;
	ag_it_resp *r;

	(void)state;
	r = jreq("POST", "/v1/roles", SUPER, json_text(json_pack("{s:s, s:s, s:s}",
	    "name", "Lagi", "code", code, "level", "operational")));
	check_error(r, 409, "ROLE_CODE_TAKEN");
	check_field_error(r, "code");
	/* a system role's code is taken too */
	r = jreq("POST", "/v1/roles", SUPER, "{\"name\": \"Admin 2\", \"code\":"
	    " \"admin\", \"level\": \"operational\"}");
	check_error(r, 409, "ROLE_CODE_TAKEN");
	other = create_role(unique_code("dupe"), "operational", json_array());
	r = jreq("PATCH", role_path(other, ""), SUPER, json_text(json_pack("{s:s}",
	    "code", code)));
	check_error(r, 409, "ROLE_CODE_TAKEN");
	check_status(jreq("DELETE", role_path(role, ""), SUPER, NULL), 200);
	check_status(jreq("DELETE", role_path(other, ""), SUPER, NULL), 200);
}

static void
test_role_system_protected(void **state)
{
	const char *admin_id = role_id_by_code("admin");
	const char *super_id = role_id_by_code("super_admin");
	ag_it_resp *r;

	(void)state;
	r = jreq("DELETE", ag_it_printf("/v1/roles/%s", admin_id), SUPER, NULL);
	check_error(r, 409, "ROLE_SYSTEM");
	r = jreq("DELETE", ag_it_printf("/v1/roles/%s", super_id), SUPER, NULL);
	check_error(r, 409, "ROLE_SYSTEM");
	r = jreq("PATCH", ag_it_printf("/v1/roles/%s", admin_id), SUPER,
	    "{\"code\": \"administrator\"}");
	check_error(r, 422, "VALIDATION_ERROR");
	check_field_error(r, "code");
	r = jreq("PATCH", ag_it_printf("/v1/roles/%s", admin_id), SUPER,
	    "{\"level\": \"operational\"}");
	check_status(r, 409);   /* in use by the demo admin, and a system role */
	r = jreq("PATCH", ag_it_printf("/v1/roles/%s", super_id), SUPER,
	    "{\"permission_codes\": [\"ticket.read\"]}");
	check_error(r, 422, "VALIDATION_ERROR");
	check_field_error(r, "permission_codes");
	/* still whole: the super admin can read roles */
	check_status(jreq("GET", "/v1/roles", SUPER, NULL), 200);
}

static void
test_role_in_use(void **state)
{
	json_t *role = create_role(unique_code("inuse"), "operational",
	    json_pack("[s]", "ticket.read"));
	const char *email = ag_it_printf("%s@example.com", unique_code("peran"));
	const char *user_id;
	ag_it_resp *r;

	(void)state;
	{
		const char *const p[] = { email, jstr(role, "id") };

		user_id = db_value("INSERT INTO users (email, name, password_hash,"
		    " role_id) VALUES ($1, 'Pengguna Uji Peran', 'x', $2)"
		    " RETURNING id", 2, p);
		assert_non_null(user_id);
	}
	r = jreq("GET", role_path(role, ""), SUPER, NULL);
	check_status(r, 200);
	assert_int_equal(json_integer_value(jget(r->json, "data.user_count")), 1);
	check_error(jreq("DELETE", role_path(role, ""), SUPER, NULL), 409,
	    "ROLE_IN_USE");
	check_error(jreq("PATCH", role_path(role, ""), SUPER,
	    "{\"level\": \"tenant_operational\"}"), 409, "ROLE_IN_USE");
	/* its name and permissions may still change */
	check_status(jreq("PATCH", role_path(role, ""), SUPER,
	    "{\"name\": \"Masih Dipakai\", \"permission_codes\": [\"file.read\"]}"),
	    200);
	{
		const char *const p[] = { user_id };

		db_value("UPDATE users SET deleted_at = now() WHERE id = $1", 1, p);
	}
	check_status(jreq("DELETE", role_path(role, ""), SUPER, NULL), 200);
}

/*
 * A caller below super admin with role.* rights: only levels below its
 * own, only permissions it holds.  The user is made in the database with
 * the demo admin's password hash, so it signs in with AG_PASSWORD.
 */
static void
test_role_levels_below_caller(void **state)
{
	json_t *mgr = create_role(unique_code("manager"), "admin", json_pack(
	    "[s, s, s, s, s]", "role.read", "role.create", "role.update",
	    "role.delete", "ticket.read"));
	const char *email = ag_it_printf("%s@example.com", unique_code("mgr"));
	const char *tok, *user_id;
	json_t *made;
	ag_it_resp *r;

	(void)state;
	{
		const char *const p[] = { email, jstr(mgr, "id") };

		user_id = db_value("INSERT INTO users (email, name, password_hash,"
		    " role_id, email_verified_at) SELECT $1, 'Pengelola Peran',"
		    " password_hash, $2, now() FROM users"
		    " WHERE email = 'admin@example.com' RETURNING id", 2, p);
		assert_non_null(user_id);
	}
	r = jreq("POST", "/v1/auth/login", NULL, ag_it_printf(
	    "{\"email\": \"%s\", \"password\": \"%s\"}", email, password()));
	check_status(r, 200);
	tok = jstr(r->json, "data.access_token");
	assert_non_null(tok);

	/* its own level and above: refused */
	r = jreq("POST", "/v1/roles", tok, json_text(json_pack("{s:s, s:s, s:s}",
	    "name", "Setara", "code", unique_code("same"), "level", "admin")));
	check_error(r, 422, "VALIDATION_ERROR");
	check_field_error(r, "level");
	check_error(jreq("PATCH", ag_it_printf("/v1/roles/%s",
	    role_id_by_code("admin")), tok, "{\"name\": \"Admin\"}"), 403,
	    "ROLE_LEVEL_FORBIDDEN");
	check_error(jreq("DELETE", role_path(mgr, ""), tok, NULL), 403,
	    "ROLE_LEVEL_FORBIDDEN");
	/* a permission it does not hold: refused */
	r = jreq("POST", "/v1/roles", tok, json_text(json_pack("{s:s, s:s, s:s, s:[s]}",
	    "name", "Terlalu Kuat", "code", unique_code("strong"), "level",
	    "operational", "permission_codes", "user.delete")));
	check_error(r, 422, "VALIDATION_ERROR");
	check_field_error(r, "permission_codes");
	/* below itself with what it holds: fine, and it may delete it */
	r = jreq("POST", "/v1/roles", tok, json_text(json_pack("{s:s, s:s, s:s, s:[s]}",
	    "name", "Pembaca", "code", unique_code("reader"), "level",
	    "operational", "permission_codes", "ticket.read")));
	check_status(r, 201);
	made = jget(r->json, "data");
	r = jreq("PATCH", role_path(made, ""), tok, "{\"level\": \"admin\"}");
	check_error(r, 422, "VALIDATION_ERROR");
	check_field_error(r, "level");
	check_status(jreq("DELETE", role_path(made, ""), tok, NULL), 200);

	{
		const char *const p[] = { user_id };

		db_value("UPDATE users SET deleted_at = now() WHERE id = $1", 1, p);
	}
	check_status(jreq("DELETE", role_path(mgr, ""), SUPER, NULL), 200);
}

static void
test_role_not_found(void **state)
{
	const char *path = "/v1/roles/" UNKNOWN_UUID;

	(void)state;
	check_error(jreq("GET", path, SUPER, NULL), 404, "ROLE_NOT_FOUND");
	check_error(jreq("PATCH", path, SUPER, "{\"name\": \"Tidak Ada\"}"), 404,
	    "ROLE_NOT_FOUND");
	check_error(jreq("DELETE", path, SUPER, NULL), 404, "ROLE_NOT_FOUND");
	check_error(jreq("GET", "/v1/roles/" UNKNOWN_UUID "/permissions", SUPER,
	    NULL), 404, "ROLE_NOT_FOUND");
	/* not a UUID: no such path */
	check_status(jreq("GET", "/v1/roles/123", SUPER, NULL), 404);
}

/* ---- permissions and dropdowns ---- */

/* Checks one group of the grouped answer; returns its permissions. */
static json_t *
check_group(json_t *g, int with_granted)
{
	json_t *perms = json_object_get(g, "permissions"), *p;
	size_t i;

	assert_non_null(jstr(g, "module"));
	assert_non_null(jstr(g, "name"));
	assert_true(json_is_array(perms));
	assert_true(json_array_size(perms) > 0);
	json_array_foreach(perms, i, p) {
		assert_non_null(jstr(p, "id"));
		assert_non_null(jstr(p, "code"));
		assert_non_null(jstr(p, "action"));
		assert_non_null(jstr(p, "name"));
		assert_int_equal(strncmp(jstr(p, "code"), jstr(g, "module"),
		    strlen(jstr(g, "module"))), 0);
		assert_int_equal(json_is_boolean(json_object_get(p, "granted")),
		    with_granted);
	}
	return perms;
}

static void
test_permissions_grouped(void **state)
{
	ag_it_resp *r;
	json_t *it;
	size_t i;
	json_int_t modules;

	(void)state;
	r = jreq("GET", "/v1/permissions?limit=100", SUPER, NULL);
	check_status(r, 200);
	check_jstr(r->json, "message", "Sukses mendapatkan daftar hak akses");
	modules = json_integer_value(jget(r->json, "meta.total_data"));
	assert_true(modules >= 8);
	assert_int_equal((json_int_t)json_array_size(jget(r->json, "data")),
	    modules);
	json_array_foreach(jget(r->json, "data"), i, it)
		check_group(it, 0);

	/* pages are pages of modules */
	r = jreq("GET", "/v1/permissions?limit=2&page=2", SUPER, NULL);
	check_status(r, 200);
	assert_int_equal(json_array_size(jget(r->json, "data")), 2);
	assert_int_equal(json_integer_value(jget(r->json, "meta.page")), 2);
	assert_int_equal(json_integer_value(jget(r->json, "meta.total_page")),
	    (modules + 1) / 2);

	/* search: "_" is a literal, so only tenant_user matches */
	r = jreq("GET", "/v1/permissions?search=tenant_user", SUPER, NULL);
	check_status(r, 200);
	assert_int_equal(json_array_size(jget(r->json, "data")), 1);
	check_jstr(json_array_get(jget(r->json, "data"), 0), "module",
	    "tenant_user");
	check_jstr(json_array_get(jget(r->json, "data"), 0), "name",
	    "Pengguna Tenant");
}

static void
test_role_permissions_granted(void **state)
{
	const char *id = role_id_by_code("tenant_admin");
	ag_it_resp *r = jreq("GET", ag_it_printf("/v1/roles/%s/permissions", id),
	    ADMIN, NULL);
	json_t *g, *p;
	size_t i, j;
	int seen_tenant = 0, seen_role = 0;

	(void)state;
	check_status(r, 200);
	json_array_foreach(jget(r->json, "data"), i, g) {
		json_t *perms = check_group(g, 1);

		json_array_foreach(perms, j, p) {
			int granted = json_is_true(json_object_get(p, "granted"));

			if (strcmp(jstr(g, "module"), "tenant_user") == 0) {
				seen_tenant = 1;
				assert_true(granted);
			} else if (strcmp(jstr(g, "module"), "role") == 0) {
				seen_role = 1;
				assert_false(granted);
			} else if (strcmp(jstr(p, "code"), "ticket.read") == 0)
				assert_true(granted);
		}
	}
	assert_true(seen_tenant);
	assert_true(seen_role);
}

static void
test_dropdowns(void **state)
{
	ag_it_resp *r;
	json_t *it;
	size_t i;
	int seen = 0;

	(void)state;
	r = jreq("GET", "/v1/roles/dropdown", ADMIN, NULL);
	check_status(r, 200);
	assert_true(json_array_size(jget(r->json, "data")) >= 5);
	assert_null(jget(r->json, "meta"));
	json_array_foreach(jget(r->json, "data"), i, it) {
		assert_non_null(jstr(it, "id"));
		assert_non_null(jstr(it, "name"));
		assert_int_equal(json_object_size(it), 2);
		if (strcmp(jstr(it, "name"), "Super Admin") == 0)
			seen = 1;
	}
	assert_true(seen);
	r = jreq("GET", "/v1/roles/dropdown?level=super_admin", ADMIN, NULL);
	check_status(r, 200);
	json_array_foreach(jget(r->json, "data"), i, it)
		assert_string_equal(jstr(it, "id"), role_id_by_code("super_admin"));

	r = jreq("GET", "/v1/roles/levels/dropdown", ADMIN, NULL);
	check_status(r, 200);
	assert_int_equal(json_array_size(jget(r->json, "data")), 5);
	check_jstr(json_array_get(jget(r->json, "data"), 0), "id", "super_admin");
	check_jstr(json_array_get(jget(r->json, "data"), 3), "name",
	    "Admin Tenant");
}

/* ---- pages ---- */

static void
test_portal_roles_list(void **state)
{
	const char *cookie = portal_login("superadmin@example.com", password());
	ag_it_resp *r;

	(void)state;
	r = get_page("/admin/peran", cookie);
	check_status(r, 200);
	check_contains(r, "id=\"roles\"");
	check_contains(r, "Super Admin");
	check_contains(r, "Operasional Tenant");
	check_contains(r, "href=\"/admin/peran/baru\"");
	r = get_page("/admin/peran?search=tenant_operational", cookie);
	check_status(r, 200);
	check_contains(r, "<code>tenant_operational</code>");
	assert_false(contains(r, "<code>super_admin</code>"));
	/* a system role's page shows its matrix with its permissions ticked */
	r = get_page(ag_it_printf("/admin/peran/%s",
	    role_id_by_code("tenant_admin")), cookie);
	check_status(r, 200);
	check_contains(r, "id=\"permission-matrix\"");
	check_contains(r, "value=\"tenant_user.read\" checked");
	check_contains(r, "readonly");
	/* without a session: the sign-in form; without the right: 403 */
	r = ag_it_request("GET", "/admin/peran", NULL, NULL, 0);
	check_status(r, 303);
	r = get_page("/admin/peran", portal_login("operator@example.com", password()));
	check_status(r, 403);
}

static void
test_portal_role_create_edit_delete(void **state)
{
	const char *cookie = portal_login("superadmin@example.com", password());
	const char *code = unique_code("portal"), *loc, *id;
	form_state f = open_form("/admin/peran/baru", cookie);
	ag_it_resp *r;

	(void)state;
	check_contains(get_page("/admin/peran/baru", cookie),
	    "name=\"permission_codes\" value=\"ticket.read\"");
	{
		const char *const pairs[] = { "csrf_token", f.csrf, "name",
		    "Peran Portal", "code", code, "level", "operational",
		    "description", "dibuat lewat formulir",
		    "permission_codes", "ticket.read",
		    "permission_codes", "ticket.approve", NULL };

		r = post_form("/admin/peran/baru", cookie, pairs);
		check_status(r, 303);
	}
	loc = ag_it_header(r, "Location");
	assert_non_null(loc);
	assert_int_equal(strncmp(loc, "/admin/peran/", 13), 0);
	id = ag_it_printf("%.36s", loc + 13);
	r = jreq("GET", ag_it_printf("/v1/roles/%s", id), SUPER, NULL);
	check_status(r, 200);
	check_jstr(r->json, "data.code", code);
	assert_int_equal(json_array_size(jget(r->json, "data.permission_codes")),
	    2);
	assert_true(array_has(jget(r->json, "data.permission_codes"),
	    "ticket.approve"));
	r = get_page(loc, cookie);
	check_status(r, 200);
	check_contains(r, "Peran telah dibuat.");

	/* edit: untick everything but file.read, empty the description */
	f = open_form(ag_it_printf("/admin/peran/%s", id), cookie);
	{
		const char *const pairs[] = { "csrf_token", f.csrf, "name",
		    "Peran Portal Diubah", "code", code, "level", "operational",
		    "description", "", "permission_codes", "file.read", NULL };

		r = post_form(ag_it_printf("/admin/peran/%s", id), cookie, pairs);
		check_status(r, 303);
	}
	r = jreq("GET", ag_it_printf("/v1/roles/%s", id), SUPER, NULL);
	check_jstr(r->json, "data.name", "Peran Portal Diubah");
	assert_true(json_is_null(jget(r->json, "data.description")));
	assert_int_equal(json_array_size(jget(r->json, "data.permission_codes")),
	    1);

	/* a bad code comes back as the form with the error beside the field */
	{
		const char *const pairs[] = { "csrf_token", f.csrf, "name",
		    "Peran Salah", "code", "Kode Salah", "level", "operational",
		    "permission_codes", "ticket.read", NULL };

		r = post_form("/admin/peran/baru", cookie, pairs);
		check_status(r, 422);
		check_contains(r, "id=\"error-code\"");
		check_contains(r, "value=\"ticket.read\" checked");
		check_contains(r, "Peran Salah");
	}

	/* delete through the page's form */
	{
		const char *const pairs[] = { "csrf_token", f.csrf, NULL };

		r = post_form(ag_it_printf("/admin/peran/%s/hapus", id), cookie,
		    pairs);
		check_status(r, 303);
		assert_string_equal(ag_it_header(r, "Location"),
		    "/admin/peran?pesan=dihapus");
		/* a system role cannot go: the list again with why */
		r = post_form(ag_it_printf("/admin/peran/%s/hapus",
		    role_id_by_code("operational")), cookie, pairs);
		check_status(r, 409);
		check_contains(r, "Peran sistem tidak dapat dihapus");
	}
	check_error(jreq("GET", ag_it_printf("/v1/roles/%s", id), SUPER, NULL),
	    404, "ROLE_NOT_FOUND");
}

static void
test_portal_role_needs_csrf(void **state)
{
	const char *cookie = portal_login("superadmin@example.com", password());
	const char *code = unique_code("csrf");
	const char *const pairs[] = { "name", "Tanpa Token", "code", code,
	    "level", "operational", NULL };
	const char *const wrong[] = { "csrf_token", "not-the-token", "name",
	    "Token Salah", "code", code, "level", "operational", NULL };
	ag_it_resp *r;

	(void)state;
	r = post_form("/admin/peran/baru", cookie, pairs);
	check_status(r, 403);
	r = post_form("/admin/peran/baru", cookie, wrong);
	check_status(r, 403);
	r = post_form(ag_it_printf("/admin/peran/%s/hapus",
	    role_id_by_code("operational")), cookie, pairs);
	check_status(r, 403);
	/* nothing was made */
	r = jreq("GET", ag_it_printf("/v1/roles?search=%s", code), SUPER, NULL);
	check_status(r, 200);
	assert_int_equal(json_array_size(jget(r->json, "data")), 0);
	/* an admin (role.read only) may look but not create */
	cookie = portal_login("admin@example.com", password());
	check_status(get_page("/admin/peran", cookie), 200);
	check_status(get_page("/admin/peran/baru", cookie), 403);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_roles_need_token),
		T(test_roles_forbidden),
		T(test_role_lifecycle),
		T(test_role_validation),
		T(test_role_duplicate_code),
		T(test_role_system_protected),
		T(test_role_in_use),
		T(test_role_levels_below_caller),
		T(test_role_not_found),
		T(test_permissions_grouped),
		T(test_role_permissions_granted),
		T(test_dropdowns),
		T(test_portal_roles_list),
		T(test_portal_role_create_edit_delete),
		T(test_portal_role_needs_csrf),
	};
	int failed;

	failed = AG_IT_RUN("roles", tests, AG_IT_SKIP_ALL);
	for (size_t i = 0; i < sizeof(tokens) / sizeof(tokens[0]); i++)
		free(tokens[i].token);
	return failed;
}
