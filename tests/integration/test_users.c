/*
 * test_users.c - integration tests of users: the JSON API (/v1/users...)
 * and the admin pages (/admin/pengguna...), driven over HTTP against the
 * real stack.
 *
 * Environment (script/test sets it): AG_BASE_URL (unset = every test
 * skipped), AG_PASSWORD (password of the demo users), AG_TEST_DSN (the
 * stack's database: role ids, and checking that a refused bulk create
 * wrote nothing).  Every test makes its own users with random e-mail
 * addresses, so the tests do not depend on each other's order; the demo
 * users are never changed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "itest.h"

#define NEW_PASSWORD "Gerbang-Uji-Pengguna-2026"
#define COMPANY_A "5c0d6f3e-1a2b-4c3d-8e9f-0a1b2c3d4e01"
#define COMPANY_B "5c0d6f3e-1a2b-4c3d-8e9f-0a1b2c3d4e02"

/* ---- small helpers ---- */

static const char *
unique_email(const char *word)
{
	return ag_it_printf("%s@uji.example.com", word);
}

static const char *
superadmin(void)
{
	return token_of("superadmin@example.com");
}

static const char *
admin(void)
{
	return token_of("admin@example.com");
}

static const char *
operator_token(void)
{
	return token_of("operator@example.com");
}

static const char *
tenant_a(void)
{
	return token_of("tenant-admin@example.com");
}

static const char *
tenant_b(void)
{
	return token_of("tenant-admin-b@example.com");
}

/* ---- database ---- */

static const char *
role_id(const char *code)
{
	const char *id = sql("SELECT id FROM roles WHERE code = $1", code, NULL);

	assert_non_null(id);
	return id;
}

static long
live_users_like(const char *word)
{
	return atol(sql("SELECT count(*) FROM users WHERE email LIKE $1"
	    " AND deleted_at IS NULL", ag_it_printf("%%%s%%", word), NULL));
}

/* Creates a tenant operational user of company A as the super admin. */
static json_t *
make_tenant_user(const char *word)
{
	ag_it_resp *r = jreq("POST", "/v1/users/tenant-operational",
	    superadmin(), json_text(json_pack("{s:s, s:s, s:s, s:s}", "name",
	    ag_it_printf("Tenant %s", word), "email", unique_email(word),
	    "role_id", role_id("tenant_operational"), "company_id", COMPANY_A)));

	check_status(r, 201);
	return jget(r->json, "data");
}

/* Creates operational users through the admin bulk route. */
static json_t *
make_operational(const char *token, const char *word, const char *pw)
{
	json_t *row = json_pack("{s:s, s:s, s:s}", "name",
	    ag_it_printf("Operasional %s", word), "email", unique_email(word),
	    "role_id", role_id("operational"));
	ag_it_resp *r;

	if (pw != NULL)
		json_object_set_new(row, "password", json_string(pw));
	r = jreq("POST", "/v1/users/operational/admin/bulk", token, json_text(
	    json_pack("{s:[o]}", "users", row)));
	check_status(r, 201);
	assert_int_equal(json_array_size(jget(r->json, "data")), 1);
	return json_array_get(jget(r->json, "data"), 0);
}

/* ---- User / Operational Tenant ---- */

static void
test_tenant_crud(void **state)
{
	const char *sa = superadmin(), *word = unique_lower(10), *id, *path;
	json_t *u;
	ag_it_resp *r;

	(void)state;
	u = make_tenant_user(word);
	id = jstr(u, "id");
	check_jstr(u, "email", unique_email(word));
	check_jstr(u, "role.level", "tenant_operational");
	check_jstr(u, "company.id", COMPANY_A);
	assert_true(json_is_true(json_object_get(u, "is_active")));
	assert_null(json_object_get(u, "password_hash"));
	assert_null(json_object_get(u, "password"));

	path = ag_it_printf("/v1/users/tenant-operational/%s", id);
	r = jreq("GET", path, sa, NULL);
	check_status(r, 200);
	check_jstr(r->json, "data.id", id);
	assert_false(contains(r, "argon2"));

	r = jreq("PATCH", path, sa, "{\"name\": \"Nama Baru\", \"phone\": \"081234567890\"}");
	check_status(r, 200);
	check_jstr(r->json, "data.name", "Nama Baru");
	check_jstr(r->json, "data.phone", "081234567890");
	check_jstr(r->json, "data.email", unique_email(word));

	r = jreq("GET", ag_it_printf("/v1/users/tenant-operational?search=%s",
	    word), sa, NULL);
	check_status(r, 200);
	assert_int_equal(json_integer_value(jget(r->json, "meta.total_data")), 1);

	r = jreq("DELETE", path, sa, NULL);
	check_status(r, 200);
	r = jreq("GET", path, sa, NULL);
	check_error(r, 404, "USER_NOT_FOUND");
	r = jreq("DELETE", path, sa, NULL);
	check_error(r, 404, "USER_NOT_FOUND");
	/* the activity log has the life of the user, without any hash */
	assert_non_null(sql("SELECT 1 FROM activity_logs WHERE module = 'user'"
	    " AND action = 'delete' AND record_id = $1", id, NULL));
	assert_null(sql("SELECT 1 FROM activity_logs WHERE record_id = $1"
	    " AND (before::text LIKE '%argon2%' OR after::text LIKE '%argon2%')",
	    id, NULL));
}

static void
test_tenant_auth_and_validation(void **state)
{
	const char *sa = superadmin(), *word = unique_lower(10);
	ag_it_resp *r;

	(void)state;
	r = jreq("GET", "/v1/users/tenant-operational", NULL, NULL);
	check_error(r, 401, NULL);
	r = jreq("GET", "/v1/users/tenant-operational", operator_token(), NULL);
	check_error(r, 403, NULL);
	r = jreq("POST", "/v1/users/tenant-operational", operator_token(), "{}");
	check_error(r, 403, NULL);

	r = jreq("POST", "/v1/users/tenant-operational", sa,
	    "{\"name\": \"X\", \"email\": \"bukan-email\"}");
	check_error(r, 422, "VALIDATION_ERROR");
	check_field_error(r, "name");
	check_field_error(r, "email");
	check_field_error(r, "role_id");

	/* the super admin must say which company */
	r = jreq("POST", "/v1/users/tenant-operational", sa, json_text(
	    json_pack("{s:s, s:s, s:s}", "name", "Tanpa Perusahaan", "email",
	    unique_email(word), "role_id", role_id("tenant_operational"))));
	check_error(r, 422, "VALIDATION_ERROR");
	check_field_error(r, "company_id");

	/* a role of another kind */
	r = jreq("POST", "/v1/users/tenant-operational", sa, json_text(
	    json_pack("{s:s, s:s, s:s, s:s}", "name", "Salah Peran", "email",
	    unique_email(word), "role_id", role_id("operational"),
	    "company_id", COMPANY_A)));
	check_error(r, 422, "VALIDATION_ERROR");
	check_field_error(r, "role_id");

	/* the password rules apply */
	r = jreq("POST", "/v1/users/tenant-operational", sa, json_text(
	    json_pack("{s:s, s:s, s:s, s:s, s:s}", "name", "Sandi Lemah",
	    "email", unique_email(word), "role_id", role_id("tenant_operational"),
	    "company_id", COMPANY_A, "password", "pendek")));
	check_error(r, 422, "VALIDATION_ERROR");
	check_field_error(r, "password");
	assert_int_equal(live_users_like(word), 0);

	/* an address in use (case-insensitively) is a conflict */
	r = jreq("POST", "/v1/users/tenant-operational", sa, json_text(
	    json_pack("{s:s, s:s, s:s, s:s}", "name", "Kembar", "email",
	    "Operator@Example.com", "role_id", role_id("tenant_operational"),
	    "company_id", COMPANY_A)));
	check_error(r, 409, "EMAIL_TAKEN");

	r = jreq("GET", "/v1/users/tenant-operational/" UNKNOWN_UUID, sa, NULL);
	check_error(r, 404, "USER_NOT_FOUND");
	r = jreq("PATCH", "/v1/users/tenant-operational/" UNKNOWN_UUID, sa,
	    "{\"name\": \"Tidak Ada\"}");
	check_error(r, 404, "USER_NOT_FOUND");
}

static void
test_tenant_isolation(void **state)
{
	const char *ta = tenant_a(), *tb = tenant_b(), *word = unique_lower(10);
	const char *id, *path;
	ag_it_resp *r;
	json_t *it;
	size_t i;

	(void)state;
	/* company_id in the body is ignored: the tenant admin's own is used */
	r = jreq("POST", "/v1/users/tenant-operational", ta, json_text(
	    json_pack("{s:s, s:s, s:s, s:s}", "name", ag_it_printf("Tenant A %s",
	    word), "email", unique_email(word), "role_id",
	    role_id("tenant_operational"), "company_id", COMPANY_B)));
	check_status(r, 201);
	check_jstr(r->json, "data.company.id", COMPANY_A);
	id = jstr(r->json, "data.id");
	path = ag_it_printf("/v1/users/tenant-operational/%s", id);

	r = jreq("GET", path, ta, NULL);
	check_status(r, 200);
	/* company B cannot see, change or delete it: 404, not 403 */
	r = jreq("GET", path, tb, NULL);
	check_error(r, 404, "USER_NOT_FOUND");
	r = jreq("PATCH", path, tb, "{\"name\": \"Diambil Alih\"}");
	check_error(r, 404, "USER_NOT_FOUND");
	r = jreq("DELETE", path, tb, NULL);
	check_error(r, 404, "USER_NOT_FOUND");
	r = jreq("GET", path, ta, NULL);
	check_status(r, 200);
	check_jstr(r->json, "data.name", ag_it_printf("Tenant A %s", word));

	/* company B's list never holds company A's users, even when asked */
	r = jreq("GET", ag_it_printf("/v1/users/tenant-operational?limit=100"
	    "&company_id=%s", COMPANY_A), tb, NULL);
	check_status(r, 200);
	json_array_foreach(jget(r->json, "data"), i, it)
		assert_string_not_equal(jstr(it, "company.id"), COMPANY_A);
	r = jreq("GET", ag_it_printf("/v1/users/tenant-operational?search=%s",
	    word), tb, NULL);
	check_status(r, 200);
	assert_int_equal(json_array_size(jget(r->json, "data")), 0);
	r = jreq("GET", ag_it_printf("/v1/users/tenant-operational?search=%s",
	    word), ta, NULL);
	check_status(r, 200);
	assert_int_equal(json_array_size(jget(r->json, "data")), 1);

	/* tenant admins cannot reach the estate routes */
	r = jreq("GET", "/v1/users", ta, NULL);
	check_error(r, 403, NULL);
	r = jreq("DELETE", ag_it_printf("/v1/users/%s", id), ta, NULL);
	check_error(r, 403, NULL);

	r = jreq("DELETE", path, ta, NULL);
	check_status(r, 200);
}

/* ---- User / Operational and Admin: bulk ---- */

static void
test_bulk_all_or_nothing(void **state)
{
	const char *sa = superadmin(), *w = unique_lower(10), *op;
	json_t *rows;
	ag_it_resp *r;

	(void)state;
	op = role_id("operational");
	rows = json_pack("[{s:s, s:s, s:s}, {s:s, s:s, s:s}, {s:s, s:s, s:s},"
	    " {s:s, s:s, s:s}]",
	    "name", "Baris Nol", "email", unique_email(ag_it_printf("%sa", w)),
	    "role_id", op,
	    "name", "Baris Satu", "email", "bukan-email", "role_id", op,
	    "name", "Baris Dua", "email", unique_email(ag_it_printf("%sa", w)),
	    "role_id", op,
	    "name", "Baris Tiga", "email", unique_email(ag_it_printf("%sb", w)),
	    "role_id", UNKNOWN_UUID);
	r = jreq("POST", "/v1/users/operational/admin/bulk", sa, json_text(
	    json_pack("{s:o}", "users", rows)));
	check_error(r, 422, "VALIDATION_ERROR");
	check_field_error(r, "users[1].email");
	check_field_error(r, "users[2].email");
	check_field_error(r, "users[3].role_id");
	assert_false(has_field_error(r, "users[0].email"));
	assert_int_equal(live_users_like(w), 0);

	/* an address already taken in the database */
	r = jreq("POST", "/v1/users/operational/admin/bulk", sa, json_text(
	    json_pack("{s:[{s:s, s:s, s:s}, {s:s, s:s, s:s}]}", "users",
	    "name", "Baru", "email", unique_email(ag_it_printf("%sc", w)),
	    "role_id", op, "name", "Lama", "email", "admin@example.com",
	    "role_id", op)));
	check_error(r, 422, "VALIDATION_ERROR");
	check_field_error(r, "users[1].email");
	assert_int_equal(live_users_like(w), 0);

	/* shape of the body */
	r = jreq("POST", "/v1/users/operational/admin/bulk", sa, "{\"users\": []}");
	check_error(r, 422, "VALIDATION_ERROR");
	check_field_error(r, "users");
	r = jreq("POST", "/v1/users/operational/admin/bulk", sa, "{}");
	check_error(r, 422, "VALIDATION_ERROR");
	r = jreq("POST", "/v1/users/operational/admin/bulk", sa, "{\"users\": [1]}");
	check_error(r, 422, "VALIDATION_ERROR");
	check_field_error(r, "users[0]");

	/* all good: all written */
	r = jreq("POST", "/v1/users/operational/admin/bulk", sa, json_text(
	    json_pack("{s:[{s:s, s:s, s:s}, {s:s, s:s, s:s, s:s}]}", "users",
	    "name", "Satu", "email", unique_email(ag_it_printf("%sd", w)),
	    "role_id", op, "name", "Dua", "email",
	    unique_email(ag_it_printf("%se", w)), "role_id", op, "phone",
	    "081234567890")));
	check_status(r, 201);
	assert_int_equal(json_array_size(jget(r->json, "data")), 2);
	check_jstr(json_array_get(jget(r->json, "data"), 0), "role.level",
	    "operational");
	assert_int_equal(live_users_like(w), 2);
}

static void
test_bulk_as_super_admin(void **state)
{
	const char *sa = superadmin(), *w = unique_lower(10), *admin_id;
	ag_it_resp *r;
	json_t *it;
	size_t i;

	(void)state;
	/* the dropdown of admins gives the supervising admin */
	r = jreq("GET", "/v1/users/admin/dropdown", sa, NULL);
	check_status(r, 200);
	admin_id = NULL;
	json_array_foreach(jget(r->json, "data"), i, it) {
		assert_non_null(jstr(it, "id"));
		assert_non_null(jstr(it, "name"));
		assert_null(json_object_get(it, "email"));
	}
	admin_id = sql("SELECT id FROM users WHERE email = $1",
	    "admin@example.com", NULL);
	assert_non_null(admin_id);
	json_array_foreach(jget(r->json, "data"), i, it)
		if (strcmp(jstr(it, "id"), admin_id) == 0)
			break;
	assert_true(i < json_array_size(jget(r->json, "data")));

	r = jreq("POST", "/v1/users/operational/super-admin/bulk", admin(),
	    json_text(json_pack("{s:[{s:s, s:s, s:s}]}", "users", "name", "Coba",
	    "email", unique_email(w), "role_id", role_id("operational"))));
	check_error(r, 403, NULL);

	r = jreq("POST", "/v1/users/operational/super-admin/bulk", sa,
	    json_text(json_pack("{s:s, s:[{s:s, s:s, s:s}]}", "admin_id",
	    admin_id, "users", "name", "Diawasi", "email", unique_email(w),
	    "role_id", role_id("operational"))));
	check_status(r, 201);
	it = json_array_get(jget(r->json, "data"), 0);
	check_jstr(it, "created_by", admin_id);

	/* the "as Admin" route takes no admin_id */
	r = jreq("POST", "/v1/users/operational/admin/bulk", sa,
	    json_text(json_pack("{s:s, s:[{s:s, s:s, s:s}]}", "admin_id",
	    admin_id, "users", "name", "Lain", "email",
	    unique_email(ag_it_printf("%sx", w)), "role_id",
	    role_id("operational"))));
	check_error(r, 422, NULL);
	check_field_error(r, "admin_id");

	/* update as super admin; an unknown admin is a field error */
	r = jreq("PATCH", ag_it_printf("/v1/users/operational/super-admin/%s",
	    jstr(it, "id")), sa, "{\"admin_id\": \"" UNKNOWN_UUID "\"}");
	check_error(r, 422, NULL);
	check_field_error(r, "admin_id");
	r = jreq("PATCH", ag_it_printf("/v1/users/operational/super-admin/%s",
	    jstr(it, "id")), sa, "{\"is_active\": false}");
	check_status(r, 200);
	assert_true(json_is_false(jget(r->json, "data.is_active")));
	r = jreq("PATCH", ag_it_printf("/v1/users/operational/super-admin/%s",
	    jstr(it, "id")), admin(), "{\"is_active\": true}");
	check_error(r, 403, "SUPER_ADMIN_ONLY");
}

/* ---- levels ---- */

static void
test_level_rules(void **state)
{
	const char *sa = superadmin(), *ad = admin(), *w = unique_lower(10);
	const char *op_id, *admin_id, *sa_id;
	ag_it_resp *r;

	(void)state;
	/* an admin cannot create admins */
	r = jreq("POST", "/v1/users/admin/bulk", ad, json_text(json_pack(
	    "{s:[{s:s, s:s, s:s}]}", "users", "name", "Admin Baru", "email",
	    unique_email(w), "role_id", role_id("admin"))));
	check_error(r, 403, "USER_LEVEL_FORBIDDEN");
	assert_int_equal(live_users_like(w), 0);

	/* a super admin can */
	r = jreq("POST", "/v1/users/admin/bulk", sa, json_text(json_pack(
	    "{s:[{s:s, s:s, s:s}]}", "users", "name", "Admin Baru", "email",
	    unique_email(w), "role_id", role_id("admin"))));
	check_status(r, 201);
	admin_id = jstr(json_array_get(jget(r->json, "data"), 0), "id");
	r = jreq("GET", ag_it_printf("/v1/users/admin/%s", admin_id), ad, NULL);
	check_status(r, 200);
	check_jstr(r->json, "data.role.level", "admin");
	/* operational routes do not find admins */
	r = jreq("GET", ag_it_printf("/v1/users/operational/%s", admin_id), sa,
	    NULL);
	check_error(r, 404, "USER_NOT_FOUND");

	/* an admin manages operational users, but cannot promote them */
	op_id = jstr(make_operational(ad, ag_it_printf("%so", w), NULL), "id");
	r = jreq("GET", ag_it_printf("/v1/users/operational/%s", op_id), ad,
	    NULL);
	check_status(r, 200);
	r = jreq("PATCH", ag_it_printf("/v1/users/operational/admin/%s", op_id),
	    ad, json_text(json_pack("{s:s}", "role_id", role_id("admin"))));
	check_error(r, 422, "VALIDATION_ERROR");
	check_field_error(r, "role_id");
	r = jreq("PATCH", ag_it_printf("/v1/users/admin/%s", op_id), ad,
	    json_text(json_pack("{s:s}", "role_id", role_id("admin"))));
	check_error(r, 403, "USER_LEVEL_FORBIDDEN");
	r = jreq("PATCH", ag_it_printf("/v1/users/admin/%s", admin_id), ad,
	    "{\"name\": \"Diubah Admin\"}");
	check_error(r, 403, "USER_LEVEL_FORBIDDEN");
	r = jreq("PATCH", ag_it_printf("/v1/users/operational/admin/%s", op_id),
	    ad, "{\"name\": \"Diubah Admin\"}");
	check_status(r, 200);
	check_jstr(r->json, "data.name", "Diubah Admin");
	check_jstr(r->json, "data.role.level", "operational");

	/* an admin cannot delete admins or super admins, nobody themselves */
	sa_id = sql("SELECT id FROM users WHERE email = $1",
	    "superadmin@example.com", NULL);
	r = jreq("DELETE", ag_it_printf("/v1/users/%s", sa_id), ad, NULL);
	check_error(r, 403, "USER_LEVEL_FORBIDDEN");
	r = jreq("DELETE", ag_it_printf("/v1/users/%s", admin_id), ad, NULL);
	check_error(r, 403, "USER_LEVEL_FORBIDDEN");
	r = jreq("DELETE", ag_it_printf("/v1/users/%s", sa_id), sa, NULL);
	check_error(r, 403, "USER_SELF_DELETE");
	r = jreq("DELETE", "/v1/users/" UNKNOWN_UUID, sa, NULL);
	check_error(r, 404, "USER_NOT_FOUND");
	r = jreq("DELETE", ag_it_printf("/v1/users/%s", op_id), ad, NULL);
	check_status(r, 200);
	r = jreq("DELETE", ag_it_printf("/v1/users/%s", admin_id), sa, NULL);
	check_status(r, 200);
	r = jreq("DELETE", ag_it_printf("/v1/users/%s", admin_id), operator_token(),
	    NULL);
	check_error(r, 403, NULL);
}

static void
test_admin_update_conflict_and_self(void **state)
{
	const char *sa = superadmin(), *w = unique_lower(10), *id, *sa_id;
	ag_it_resp *r;

	(void)state;
	r = jreq("POST", "/v1/users/admin/bulk", sa, json_text(json_pack(
	    "{s:[{s:s, s:s, s:s}]}", "users", "name", "Admin Konflik", "email",
	    unique_email(w), "role_id", role_id("admin"))));
	check_status(r, 201);
	id = jstr(json_array_get(jget(r->json, "data"), 0), "id");
	r = jreq("PATCH", ag_it_printf("/v1/users/admin/%s", id), sa,
	    "{\"email\": \"ADMIN@example.com\"}");
	check_error(r, 409, "EMAIL_TAKEN");
	r = jreq("PATCH", ag_it_printf("/v1/users/admin/%s", id), sa,
	    "{\"name\": \"A\"}");
	check_error(r, 422, "VALIDATION_ERROR");
	check_field_error(r, "name");
	r = jreq("PATCH", ag_it_printf("/v1/users/admin/%s", id), sa, json_text(
	    json_pack("{s:s}", "role_id", role_id("operational"))));
	check_error(r, 422, "VALIDATION_ERROR");
	check_field_error(r, "role_id");
	r = jreq("PATCH", "/v1/users/admin/" UNKNOWN_UUID, sa, "{\"name\": \"Tidak\"}");
	check_error(r, 404, "USER_NOT_FOUND");
	r = jreq("GET", "/v1/users/admin/" UNKNOWN_UUID, sa, NULL);
	check_error(r, 404, "USER_NOT_FOUND");
	r = jreq("PATCH", ag_it_printf("/v1/users/admin/%s", id), NULL,
	    "{\"name\": \"Tanpa Token\"}");
	check_error(r, 401, NULL);

	/* the super admin cannot demote or disable itself */
	sa_id = sql("SELECT id FROM users WHERE email = $1",
	    "superadmin@example.com", NULL);
	r = jreq("PATCH", ag_it_printf("/v1/users/admin/%s", sa_id), sa,
	    "{\"is_active\": false}");
	check_error(r, 403, "USER_SELF_CHANGE");
	r = jreq("PATCH", ag_it_printf("/v1/users/admin/%s", sa_id), sa,
	    json_text(json_pack("{s:s}", "role_id", role_id("admin"))));
	check_error(r, 403, "USER_SELF_CHANGE");
	r = jreq("DELETE", ag_it_printf("/v1/users/%s", id), sa, NULL);
	check_status(r, 200);
}

/* ---- sign-in after changes ---- */

static void
test_deleted_user_cannot_login(void **state)
{
	const char *sa = superadmin(), *w = unique_lower(10), *token, *id;
	json_t *u;
	ag_it_resp *r;

	(void)state;
	u = make_operational(sa, w, NEW_PASSWORD);
	id = jstr(u, "id");
	token = login_as(unique_email(w), NEW_PASSWORD);
	r = jreq("GET", "/v1/tickets", token, NULL);
	check_status(r, 200);

	r = jreq("DELETE", ag_it_printf("/v1/users/%s", id), sa, NULL);
	check_status(r, 200);
	/* its tokens are revoked and it cannot sign in again */
	r = jreq("GET", "/v1/tickets", token, NULL);
	check_error(r, 401, NULL);
	r = jreq("POST", "/v1/auth/login", NULL, json_text(json_pack(
	    "{s:s, s:s}", "email", unique_email(w), "password", NEW_PASSWORD)));
	check_error(r, 401, NULL);
	/* the address is free again */
	u = make_operational(sa, w, NULL);
	assert_string_not_equal(jstr(u, "id"), id);
	/* without a password the account cannot sign in */
	r = jreq("POST", "/v1/auth/login", NULL, json_text(json_pack(
	    "{s:s, s:s}", "email", unique_email(w), "password", NEW_PASSWORD)));
	check_error(r, 401, NULL);
}

static void
test_password_change_revokes(void **state)
{
	const char *sa = superadmin(), *w = unique_lower(10), *token, *id;
	ag_it_resp *r;

	(void)state;
	id = jstr(make_operational(sa, w, NEW_PASSWORD), "id");
	token = login_as(unique_email(w), NEW_PASSWORD);
	r = jreq("PATCH", ag_it_printf("/v1/users/operational/admin/%s", id), sa,
	    "{\"password\": \"Sandi-Pengganti-Baru-2026\"}");
	check_status(r, 200);
	r = jreq("GET", "/v1/tickets", token, NULL);
	check_error(r, 401, NULL);
	login_as(unique_email(w), "Sandi-Pengganti-Baru-2026");
	r = jreq("DELETE", ag_it_printf("/v1/users/%s", id), sa, NULL);
	check_status(r, 200);
}

/* ---- User: list ---- */

static void
test_list_filters(void **state)
{
	const char *sa = superadmin(), *w = unique_lower(10);
	ag_it_resp *r;
	json_t *a, *b;

	(void)state;
	a = make_operational(sa, ag_it_printf("%sa", w), NULL);
	b = make_operational(sa, ag_it_printf("%sb", w), NULL);
	r = jreq("PATCH", ag_it_printf("/v1/users/operational/admin/%s",
	    jstr(b, "id")), sa, "{\"is_active\": false}");
	check_status(r, 200);

	r = jreq("GET", ag_it_printf("/v1/users?search=%s", w), sa, NULL);
	check_status(r, 200);
	assert_int_equal(json_integer_value(jget(r->json, "meta.total_data")), 2);
	assert_int_equal(json_integer_value(jget(r->json, "meta.page")), 1);
	r = jreq("GET", ag_it_printf("/v1/users?search=%s&is_active=true", w),
	    sa, NULL);
	check_status(r, 200);
	assert_int_equal(json_array_size(jget(r->json, "data")), 1);
	check_jstr(json_array_get(jget(r->json, "data"), 0), "id", jstr(a, "id"));
	r = jreq("GET", ag_it_printf("/v1/users?search=%s&level=admin", w), sa,
	    NULL);
	check_status(r, 200);
	assert_int_equal(json_array_size(jget(r->json, "data")), 0);
	r = jreq("GET", ag_it_printf("/v1/users?search=%s&role_id=%s&sort=name"
	    "&order=asc&limit=1", w, role_id("operational")), sa, NULL);
	check_status(r, 200);
	assert_int_equal(json_array_size(jget(r->json, "data")), 1);
	assert_int_equal(json_integer_value(jget(r->json, "meta.total_page")), 2);
	check_jstr(json_array_get(jget(r->json, "data"), 0), "id", jstr(a, "id"));
	r = jreq("GET", ag_it_printf("/v1/users?company_id=%s&level=tenant_admin",
	    COMPANY_B), sa, NULL);
	check_status(r, 200);
	assert_true(json_array_size(jget(r->json, "data")) >= 1);
	check_jstr(json_array_get(jget(r->json, "data"), 0), "company.id",
	    COMPANY_B);

	r = jreq("GET", "/v1/users?level=root", sa, NULL);
	check_error(r, 422, "VALIDATION_ERROR");
	check_field_error(r, "level");
	r = jreq("GET", "/v1/users", NULL, NULL);
	check_error(r, 401, NULL);
	r = jreq("GET", "/v1/users", operator_token(), NULL);
	check_error(r, 403, NULL);
	r = jreq("GET", "/v1/users/admin/dropdown", operator_token(), NULL);
	check_error(r, 403, NULL);
	r = jreq("GET", "/v1/users/operational/" UNKNOWN_UUID, sa, NULL);
	check_error(r, 404, "USER_NOT_FOUND");
}

/* ---- pages ---- */

static void
test_pages_list_and_create(void **state)
{
	const char *cookie = portal_login("superadmin@example.com", password());
	const char *w = unique_lower(10), *csrf, *id;
	ag_it_resp *r;

	(void)state;
	/* other programs add users too: find this one by searching */
	r = get_page("/admin/pengguna?search=superadmin%40example.com", cookie);
	check_status(r, 200);
	check_contains(r, "superadmin@example.com");
	check_contains(r, "/admin/pengguna/baru");

	r = get_page("/admin/pengguna/baru", cookie);
	check_status(r, 200);
	csrf = input_value(r, "csrf_token");
	assert_non_null(csrf);
	check_contains(r, role_id("operational"));
	{
		const char *const bad[] = { "csrf_token", csrf, "name", "X",
		    "email", "bukan", "role_id", role_id("operational"), NULL };
		const char *const good[] = { "csrf_token", csrf, "name",
		    ag_it_printf("Formulir %s", w), "email", unique_email(w),
		    "phone", "081234567890", "role_id", role_id("operational"),
		    "is_active", "1", NULL };
		const char *const nocsrf[] = { "name", "Tanpa CSRF", "email",
		    unique_email(ag_it_printf("%sz", w)), "role_id",
		    role_id("operational"), NULL };

		r = post_form("/admin/pengguna/baru", cookie, bad);
		check_status(r, 422);
		check_contains(r, "id=\"error-name\"");
		check_contains(r, "id=\"error-email\"");
		r = post_form("/admin/pengguna/baru", cookie, nocsrf);
		check_status(r, 403);
		r = post_form("/admin/pengguna/baru", cookie, good);
		check_status(r, 303);
		r = post_form("/admin/pengguna/baru", cookie, good);
		check_status(r, 409);
	}
	assert_int_equal(live_users_like(w), 1);
	id = sql("SELECT id FROM users WHERE email = $1 AND deleted_at IS NULL",
	    unique_email(w), NULL);
	r = get_page(ag_it_printf("/admin/pengguna?search=%s", w), cookie);
	check_status(r, 200);
	check_contains(r, unique_email(w));

	/* edit, then delete */
	r = get_page(ag_it_printf("/admin/pengguna/%s", id), cookie);
	check_status(r, 200);
	check_contains(r, ag_it_printf("Formulir %s", w));
	{
		const char *const pairs[] = { "csrf_token", csrf, "name",
		    "Nama Dari Halaman", "role_id", role_id("operational"),
		    "is_active", "1", NULL };
		const char *const del[] = { "csrf_token", csrf, NULL };

		r = post_form(ag_it_printf("/admin/pengguna/%s", id), cookie,
		    pairs);
		check_status(r, 303);
		assert_string_equal(sql("SELECT name FROM users WHERE id = $1",
		    id, NULL), "Nama Dari Halaman");
		r = post_form(ag_it_printf("/admin/pengguna/%s/hapus", id), cookie,
		    del);
		check_status(r, 303);
	}
	assert_int_equal(live_users_like(w), 0);
	r = get_page(ag_it_printf("/admin/pengguna/%s", id), cookie);
	check_status(r, 404);
}

static void
test_pages_import(void **state)
{
	const char *cookie = portal_login("superadmin@example.com", password());
	const char *w = unique_lower(10), *csrf;
	ag_it_resp *r;

	(void)state;
	r = get_page("/admin/pengguna/impor", cookie);
	check_status(r, 200);
	csrf = input_value(r, "csrf_token");
	assert_non_null(csrf);
	{
		const char *lines_bad = ag_it_printf("Impor Satu;%s;081234567890\n"
		    "Impor Dua;bukan-email\n\nImpor Tiga;%s\n",
		    unique_email(ag_it_printf("%sa", w)),
		    unique_email(ag_it_printf("%sa", w)));
		const char *lines_good = ag_it_printf("Impor Satu;%s;081234567890\n"
		    "Impor Dua;%s\n", unique_email(ag_it_printf("%sa", w)),
		    unique_email(ag_it_printf("%sb", w)));
		const char *const bad[] = { "csrf_token", csrf, "role_id",
		    role_id("operational"), "baris", lines_bad, NULL };
		const char *const good[] = { "csrf_token", csrf, "role_id",
		    role_id("operational"), "baris", lines_good, NULL };

		r = post_form("/admin/pengguna/impor", cookie, bad);
		check_status(r, 422);
		check_contains(r, "Baris 2");
		check_contains(r, "Baris 4");
		assert_false(contains(r, "Baris 1:"));
		assert_int_equal(live_users_like(w), 0);
		r = post_form("/admin/pengguna/impor", cookie, good);
		check_status(r, 303);
		assert_int_equal(live_users_like(w), 2);
	}
}

static void
test_pages_tenant_admin(void **state)
{
	const char *cookie = portal_login("tenant-admin-b@example.com", password());
	const char *w = unique_lower(10), *id;
	ag_it_resp *r;

	(void)state;
	id = jstr(make_tenant_user(w), "id");
	r = get_page("/admin/pengguna", cookie);
	check_status(r, 200);
	assert_false(contains(r, unique_email(w)));
	assert_false(contains(r, "superadmin@example.com"));
	r = get_page(ag_it_printf("/admin/pengguna/%s", id), cookie);
	check_status(r, 404);
	r = get_page("/admin/pengguna/baru", cookie);
	check_status(r, 200);
	check_contains(r, role_id("tenant_operational"));
	assert_false(contains(r, role_id("admin")));
	/* the operator has no user pages */
	r = get_page("/admin/pengguna", portal_login("operator@example.com", password()));
	check_status(r, 403);
	r = jreq("DELETE", ag_it_printf("/v1/users/tenant-operational/%s", id),
	    superadmin(), NULL);
	check_status(r, 200);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_tenant_crud),
		T(test_tenant_auth_and_validation),
		T(test_tenant_isolation),
		T(test_bulk_all_or_nothing),
		T(test_bulk_as_super_admin),
		T(test_level_rules),
		T(test_admin_update_conflict_and_self),
		T(test_deleted_user_cannot_login),
		T(test_password_change_revokes),
		T(test_list_filters),
		T(test_pages_list_and_create),
		T(test_pages_import),
		T(test_pages_tenant_admin),
	};

	return AG_IT_RUN("users", tests, AG_IT_SKIP_ALL);
}
