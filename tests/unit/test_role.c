/*
 * test_role.c - the rules of the role service that need no database:
 * levels and their ranks, who may manage which level, what tenant roles
 * may hold, role codes, reading permission_codes from JSON and forms,
 * the field table and the JSON shape of a role.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include <jansson.h>

#include "role.h"

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

static void
test_level_rank_and_names(void **state)
{
	(void)state;
	assert_int_equal(ag_role_level_rank("super_admin"), 5);
	assert_int_equal(ag_role_level_rank("admin"), 4);
	assert_int_equal(ag_role_level_rank("operational"), 3);
	assert_int_equal(ag_role_level_rank("tenant_admin"), 2);
	assert_int_equal(ag_role_level_rank("tenant_operational"), 1);
	assert_int_equal(ag_role_level_rank("root"), 0);
	assert_int_equal(ag_role_level_rank(NULL), 0);
	assert_string_equal(ag_role_level_name("tenant_admin"), "Admin Tenant");
	assert_string_equal(ag_role_level_name("operational"), "Operasional");
	assert_null(ag_role_level_name("nope"));
	assert_true(ag_role_level_is_tenant("tenant_operational"));
	assert_false(ag_role_level_is_tenant("operational"));
}

static void
test_may_manage(void **state)
{
	(void)state;
	/* a super admin manages every level, its own included */
	for (int i = 0; ag_role_levels[i] != NULL; i++)
		assert_true(ag_role_may_manage("super_admin", ag_role_levels[i]));
	/* others only strictly below themselves */
	assert_false(ag_role_may_manage("admin", "super_admin"));
	assert_false(ag_role_may_manage("admin", "admin"));
	assert_true(ag_role_may_manage("admin", "operational"));
	assert_true(ag_role_may_manage("admin", "tenant_admin"));
	assert_false(ag_role_may_manage("tenant_admin", "operational"));
	assert_false(ag_role_may_manage("tenant_admin", "tenant_admin"));
	assert_true(ag_role_may_manage("tenant_admin", "tenant_operational"));
	assert_false(ag_role_may_manage("tenant_operational",
	    "tenant_operational"));
	assert_false(ag_role_may_manage(NULL, "tenant_operational"));
	assert_false(ag_role_may_manage("admin", "unknown"));
}

static void
test_tenant_permissions(void **state)
{
	(void)state;
	assert_true(ag_role_tenant_permission("ticket.read"));
	assert_true(ag_role_tenant_permission("destination.read"));
	assert_true(ag_role_tenant_permission("file.read"));
	assert_true(ag_role_tenant_permission("tenant_user.read"));
	assert_true(ag_role_tenant_permission("tenant_user.delete"));
	assert_false(ag_role_tenant_permission("tenant_user."));
	assert_false(ag_role_tenant_permission("ticket.approve"));
	assert_false(ag_role_tenant_permission("user.read"));
	assert_false(ag_role_tenant_permission("role.read"));
	assert_false(ag_role_tenant_permission(NULL));
}

static void
test_code_valid(void **state)
{
	(void)state;
	assert_true(ag_role_code_valid("auditor"));
	assert_true(ag_role_code_valid("gate_officer_2"));
	assert_false(ag_role_code_valid("a"));
	assert_false(ag_role_code_valid("Auditor"));
	assert_false(ag_role_code_valid("2nd"));
	assert_false(ag_role_code_valid("_x"));
	assert_false(ag_role_code_valid("with space"));
	assert_false(ag_role_code_valid("dash-ed"));
	assert_false(ag_role_code_valid("x#1"));
	assert_false(ag_role_code_valid(""));
	assert_false(ag_role_code_valid(NULL));
	assert_true(ag_role_code_valid(
	    "abcdefghijabcdefghijabcdefghijabcdefghijabcdefghij"));
	assert_false(ag_role_code_valid(
	    "abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijk"));
}

static void
test_module_names(void **state)
{
	(void)state;
	assert_string_equal(ag_permission_module_name("role"), "Peran");
	assert_string_equal(ag_permission_module_name("tenant_user"),
	    "Pengguna Tenant");
	/* an unnamed module shows its code */
	assert_string_equal(ag_permission_module_name("gate"), "gate");
}

/* Parses text and reads permission_codes from it. */
static int
codes_of(ag_arena *a, const char *text, ag_strlist *out, int *present,
    ag_error *e)
{
	json_t *body = json_loads(text, 0, NULL);
	int rc;

	assert_non_null(body);
	ag_error_init(e, a);
	rc = ag_role_codes_from_json(a, body, out, present, e);
	json_decref(body);
	return rc;
}

static void
test_codes_from_json(void **state)
{
	ag_arena *a = *state;
	ag_strlist l;
	ag_error e;
	int present;

	assert_int_equal(codes_of(a, "{\"name\": \"x\"}", &l, &present, &e), 0);
	assert_false(present);
	assert_int_equal(l.n, 0);

	assert_int_equal(codes_of(a, "{\"permission_codes\": null}", &l,
	    &present, &e), 0);
	assert_true(present);
	assert_int_equal(l.n, 0);

	assert_int_equal(codes_of(a, "{\"permission_codes\": [\"role.read\","
	    " \"user.read\", \"role.read\"]}", &l, &present, &e), 0);
	assert_true(present);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.v[0], "role.read");
	assert_string_equal(l.v[1], "user.read");

	assert_int_equal(codes_of(a, "{\"permission_codes\": \"role.read\"}", &l,
	    &present, &e), -1);
	assert_int_equal(e.status, 422);
	assert_true(ag_error_has_field(&e, "permission_codes"));

	assert_int_equal(codes_of(a, "{\"permission_codes\": [\"role.read\", 3]}",
	    &l, &present, &e), -1);
	assert_true(ag_error_has_field(&e, "permission_codes"));

	assert_int_equal(codes_of(a, "{\"permission_codes\": [\"\"]}", &l,
	    &present, &e), -1);
	assert_true(ag_error_has_field(&e, "permission_codes"));
	ag_arena_reset(a);
}

static void
test_codes_from_json_too_many(void **state)
{
	ag_arena *a = *state;
	json_t *body = json_object(), *arr = json_array();
	ag_strlist l;
	ag_error e;
	int present;

	for (int i = 0; i <= AG_ROLE_MAX_CODES; i++)
		json_array_append_new(arr, json_string("x.read"));
	json_object_set_new(body, "permission_codes", arr);
	ag_error_init(&e, a);
	assert_int_equal(ag_role_codes_from_json(a, body, &l, &present, &e), -1);
	assert_true(ag_error_has_field(&e, "permission_codes"));
	json_decref(body);
	ag_arena_reset(a);
}

static void
test_codes_from_form(void **state)
{
	ag_arena *a = *state;
	ag_kvlist form;
	ag_strlist l;
	ag_error e;
	const char body[] = "csrf_token=t&name=Auditor&permission_codes=role.read"
	    "&permission_codes=user.read&permission_codes=&permission_codes=role.read";

	assert_int_equal(ag_parse_urlencoded(a, body, strlen(body), 100, &form),
	    0);
	ag_error_init(&e, a);
	assert_int_equal(ag_role_codes_from_form(a, &form, &l, &e), 0);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.v[0], "role.read");
	assert_string_equal(l.v[1], "user.read");
	/* no boxes ticked: the empty list */
	assert_int_equal(ag_role_codes_from_form(a, NULL, &l, &e), 0);
	assert_int_equal(l.n, 0);
	ag_arena_reset(a);
}

static void
test_fields(void **state)
{
	ag_arena *a = *state;
	ag_input in;
	ag_error e;
	ag_role_change ch;
	json_t *ok = json_pack("{s:s, s:s, s:s, s:s}", "name", "Auditor",
	    "code", "auditor", "level", "operational", "description", "Baca saja");
	json_t *bad = json_pack("{s:s, s:s}", "code", "a", "level", "root");
	json_t *patch = json_pack("{s:n}", "description");

	ag_error_init(&e, a);
	assert_int_equal(ag_input_from_json(&in, a, ag_role_fields, ok, 0, &e), 0);
	ag_role_change_from(&ch, &in);
	assert_string_equal(ch.name, "Auditor");
	assert_string_equal(ch.level, "operational");
	assert_null(ch.permissions);

	ag_error_init(&e, a);
	assert_int_equal(ag_input_from_json(&in, a, ag_role_fields, bad, 0, &e),
	    -1);
	assert_true(ag_error_has_field(&e, "name"));
	assert_true(ag_error_has_field(&e, "code"));
	assert_true(ag_error_has_field(&e, "level"));

	/* PATCH: an explicit null description clears it, the rest unchanged */
	ag_error_init(&e, a);
	assert_int_equal(ag_input_from_json(&in, a, ag_role_fields, patch,
	    AG_V_PARTIAL, &e), 0);
	ag_role_change_from(&ch, &in);
	assert_null(ch.name);
	assert_null(ch.code);
	assert_string_equal(ch.description, "");
	json_decref(ok);
	json_decref(bad);
	json_decref(patch);
	ag_arena_reset(a);
}

static void
test_role_json(void **state)
{
	ag_role r;
	json_t *o, *levels;

	(void)state;
	memset(&r, 0, sizeof(r));
	r.id = "9378841e-e23c-415e-8d46-4a66fd4fa7fe";
	r.code = "tenant_admin";
	r.name = "Admin Tenant";
	r.level = "tenant_admin";
	r.is_system = 1;
	r.user_count = 3;
	r.permission_codes = "[\"file.read\", \"ticket.read\"]";
	o = ag_role_json(&r);
	assert_string_equal(json_string_value(json_object_get(o, "level_name")),
	    "Admin Tenant");
	assert_true(json_is_true(json_object_get(o, "is_system")));
	assert_int_equal(json_integer_value(json_object_get(o, "user_count")), 3);
	assert_true(json_is_null(json_object_get(o, "description")));
	assert_int_equal(json_array_size(json_object_get(o, "permission_codes")),
	    2);
	json_decref(o);
	r.permission_codes = "not json";
	o = ag_role_json(&r);
	assert_int_equal(json_array_size(json_object_get(o, "permission_codes")),
	    0);
	json_decref(o);

	levels = ag_role_levels_dropdown();
	assert_int_equal(json_array_size(levels), 5);
	assert_string_equal(json_string_value(json_object_get(json_array_get(
	    levels, 0), "id")), "super_admin");
	assert_string_equal(json_string_value(json_object_get(json_array_get(
	    levels, 4), "name")), "Operasional Tenant");
	json_decref(levels);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_level_rank_and_names),
		cmocka_unit_test(test_may_manage),
		cmocka_unit_test(test_tenant_permissions),
		cmocka_unit_test(test_code_valid),
		cmocka_unit_test(test_module_names),
		cmocka_unit_test(test_codes_from_json),
		cmocka_unit_test(test_codes_from_json_too_many),
		cmocka_unit_test(test_codes_from_form),
		cmocka_unit_test(test_fields),
		cmocka_unit_test(test_role_json),
	};

	return cmocka_run_group_tests_name("role", tests, setup, teardown);
}
