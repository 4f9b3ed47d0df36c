/*
 * test_user.c - the rules of the user service that need no database:
 * who may manage which level, the kind of a level and its permission
 * module, the JSON shape of a user (never a password) and reading list
 * filters from a validated query.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <jansson.h>

#include "user.h"

static int
setup(void **state)
{
	*state = ag_arena_new();
	return 0;
}

static int
teardown(void **state)
{
	ag_arena_free(*state);
	return 0;
}

static ag_actor
actor(const char *level, const char *company_id)
{
	ag_actor who;

	memset(&who, 0, sizeof(who));
	who.user_id = "11111111-1111-4111-8111-111111111111";
	who.role = level;
	who.level = level;
	who.company_id = company_id;
	return who;
}

static void
test_super_admin_manages_everyone(void **state)
{
	ag_actor sa = actor("super_admin", NULL);

	(void)state;
	assert_true(ag_users_may_manage(&sa, "super_admin"));
	assert_true(ag_users_may_manage(&sa, "admin"));
	assert_true(ag_users_may_manage(&sa, "operational"));
	assert_true(ag_users_may_manage(&sa, "tenant_admin"));
	assert_true(ag_users_may_manage(&sa, "tenant_operational"));
	assert_false(ag_users_may_manage(&sa, "root"));
	assert_false(ag_users_may_manage(&sa, NULL));
}

static void
test_admin_only_below_itself(void **state)
{
	ag_actor admin = actor("admin", NULL);

	(void)state;
	assert_false(ag_users_may_manage(&admin, "super_admin"));
	assert_false(ag_users_may_manage(&admin, "admin"));
	assert_true(ag_users_may_manage(&admin, "operational"));
	assert_true(ag_users_may_manage(&admin, "tenant_admin"));
	assert_true(ag_users_may_manage(&admin, "tenant_operational"));
}

static void
test_tenant_admin_only_tenant_operational(void **state)
{
	ag_actor ta = actor("tenant_admin", "5c0d6f3e-1a2b-4c3d-8e9f-0a1b2c3d4e01");
	ag_actor op = actor("operational", NULL);
	ag_actor nobody = actor(NULL, NULL);

	(void)state;
	assert_true(ag_users_may_manage(&ta, "tenant_operational"));
	assert_false(ag_users_may_manage(&ta, "tenant_admin"));
	assert_false(ag_users_may_manage(&ta, "operational"));
	assert_false(ag_users_may_manage(&ta, "admin"));
	assert_false(ag_users_may_manage(&op, "operational"));
	assert_false(ag_users_may_manage(&nobody, "tenant_operational"));
	assert_false(ag_users_may_manage(NULL, "tenant_operational"));
}

static void
test_kinds_and_modules(void **state)
{
	(void)state;
	assert_int_equal(ag_users_kind_of("tenant_operational"), AG_USER_TENANT);
	assert_int_equal(ag_users_kind_of("operational"), AG_USER_OPERATIONAL);
	assert_int_equal(ag_users_kind_of("admin"), AG_USER_ADMIN);
	assert_int_equal(ag_users_kind_of("super_admin"), AG_USER_ADMIN);
	assert_int_equal(ag_users_kind_of("tenant_admin"), AG_USER_ANY);
	assert_int_equal(ag_users_kind_of(NULL), AG_USER_ANY);
	assert_string_equal(ag_users_perm_module(AG_USER_TENANT), "tenant_user");
	assert_string_equal(ag_users_perm_module(AG_USER_OPERATIONAL), "user");
	assert_string_equal(ag_users_perm_module(AG_USER_ADMIN), "user");
	assert_string_equal(ag_users_perm_module(AG_USER_ANY), "user");
}

static void
test_json_shape(void **state)
{
	ag_user u;
	json_t *o;
	char *text;

	(void)state;
	memset(&u, 0, sizeof(u));
	u.id = "22222222-2222-4222-8222-222222222222";
	u.name = "Budi";
	u.email = "budi@example.com";
	u.is_active = 1;
	u.created_at = "2026-01-02T03:04:05.678Z";
	u.role_id = "33333333-3333-4333-8333-333333333333";
	u.role_code = "operational";
	u.role_name = "Operasional";
	u.role_level = "operational";
	o = ag_user_json(&u);
	assert_string_equal(json_string_value(json_object_get(o, "name")), "Budi");
	assert_true(json_is_true(json_object_get(o, "is_active")));
	assert_true(json_is_null(json_object_get(o, "phone")));
	assert_true(json_is_null(json_object_get(o, "company")));
	assert_true(json_is_null(json_object_get(o, "last_login_at")));
	assert_string_equal(json_string_value(json_object_get(json_object_get(o,
	    "role"), "level")), "operational");
	text = json_dumps(o, JSON_COMPACT);
	assert_null(strstr(text, "password"));
	free(text);
	json_decref(o);

	u.company_id = "5c0d6f3e-1a2b-4c3d-8e9f-0a1b2c3d4e01";
	u.company_name = "PT Sinar Logam Nusantara";
	u.is_active = 0;
	o = ag_user_json(&u);
	assert_string_equal(json_string_value(json_object_get(json_object_get(o,
	    "company"), "name")), "PT Sinar Logam Nusantara");
	assert_true(json_is_false(json_object_get(o, "is_active")));
	json_decref(o);
}

static void
test_filter_from_query(void **state)
{
	ag_arena *a = *state;
	ag_error e;
	ag_input in;
	ag_user_filter f;
	json_t *q = json_pack("{s:s, s:s, s:b, s:i, s:s}", "search", "budi",
	    "level", "admin", "is_active", 0, "page", 2, "sort", "name");

	ag_error_init(&e, a);
	/* the JSON reader is enough to fill the table */
	assert_int_equal(ag_input_from_json(&in, a, ag_user_list_fields, q, 0,
	    &e), 0);
	ag_user_filter_from(&f, &in, AG_USER_ANY);
	assert_string_equal(f.search, "budi");
	assert_string_equal(f.level, "admin");
	assert_int_equal(f.active, 0);
	assert_int_equal(f.page, 2);
	assert_int_equal(f.limit, 10);
	assert_string_equal(f.sort, "name");
	assert_null(f.role_id);
	json_decref(q);

	/* the tenant table has no level: never read, never an error */
	q = json_pack("{s:s}", "search", "x");
	assert_int_equal(ag_input_from_json(&in, a, ag_user_tenant_list_fields,
	    q, 0, &e), 0);
	ag_user_filter_from(&f, &in, AG_USER_TENANT);
	assert_null(f.level);
	assert_int_equal(f.active, -1);
	assert_int_equal(f.page, 1);
	json_decref(q);
}

static void
test_field_tables(void **state)
{
	ag_arena *a = *state;
	ag_error e;
	ag_input in;
	json_t *body = json_pack("{s:s, s:s}", "name", "X", "email", "bukan");

	ag_error_init(&e, a);
	assert_int_not_equal(ag_input_from_json(&in, a, ag_user_fields, body, 0,
	    &e), 0);
	assert_true(ag_error_has_field(&e, "name"));
	assert_true(ag_error_has_field(&e, "email"));
	assert_true(ag_error_has_field(&e, "role_id"));
	assert_false(ag_error_has_field(&e, "password"));
	json_decref(body);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_super_admin_manages_everyone,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_admin_only_below_itself,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_tenant_admin_only_tenant_operational, setup, teardown),
		cmocka_unit_test_setup_teardown(test_kinds_and_modules, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_json_shape, setup, teardown),
		cmocka_unit_test_setup_teardown(test_filter_from_query, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_field_tables, setup,
		    teardown),
	};

	return cmocka_run_group_tests_name("user", tests, NULL, NULL);
}
