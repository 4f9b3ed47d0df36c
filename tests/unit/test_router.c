/* test_router.c - route tables: literals, captures, 404/405, HEAD. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "router.h"

/* The router never calls handlers; routes are told apart by index. */
static void
h_none(struct ag_ctx *c)
{
	(void)c;
}

enum {
	R_GET, R_DROPDOWN, R_PATCH, R_DELETE, R_LIST, R_CREATE, R_CEISA,
	R_CEISA_COMPANY, R_ITEM_NEW, R_ITEM, R_SUBMIT, R_ROOT
};

static const ag_route routes[] = {
	/* {id} first on purpose: the literal must still win. */
	{ "GET", "/v1/companies/{id}", h_none, NULL, 0, NULL, NULL },
	{ "GET", "/v1/companies/dropdown", h_none, NULL, 0, NULL, NULL },
	{ "PATCH", "/v1/companies/{id}", h_none, NULL, 0, NULL, NULL },
	{ "DELETE", "/v1/companies/{id}", h_none, NULL, 0, NULL, NULL },
	{ "GET", "/v1/companies", h_none, NULL, 0, NULL, NULL },
	{ "POST", "/v1/companies", h_none, NULL, 0, NULL, NULL },
	{ "GET", "/v1/ceisa/{id_header}", h_none, NULL, 0, NULL, NULL },
	{ "GET", "/v1/ceisa/{id_header}/companies/{company_id}",
	    h_none, NULL, 0, NULL, NULL },
	/* Two patterns that both match "new": table order decides. */
	{ "GET", "/v1/items/new", h_none, NULL, 0, NULL, NULL },
	{ "GET", "/v1/items/{code}", h_none, NULL, 0, NULL, NULL },
	{ "POST", "/v1/items/{code}/submit", h_none, NULL, 0, NULL, NULL },
	{ "GET", "/", h_none, NULL, 0, NULL, NULL },
	AG_ROUTES_END
};

#define UUID "0b6f6c3e-9d2a-4c1b-8e57-3f0a1d2c4b5e"
#define UUID2 "1c7e7d4f-ae3b-4d2c-9f68-4a1b2e3d5c6f"

struct fixture {
	ag_arena *a;
	ag_req r;
	int status;
	const char *allow;
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (f == NULL)
		return -1;
	f->a = ag_arena_new();
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	ag_arena_free(f->a);
	free(f);
	return 0;
}

static const ag_route *
match(struct fixture *f, const char *method, const char *uri)
{
	char **env = ag_calloc(f->a, 3, sizeof(char *));

	env[0] = ag_sprintf(f->a, "REQUEST_METHOD=%s", method);
	env[1] = ag_sprintf(f->a, "REQUEST_URI=%s", uri);
	assert_int_equal(ag_req_init(&f->r, f->a, env, NULL, NULL), 0);
	f->status = -1;
	f->allow = NULL;
	return ag_route_match(routes, &f->r, &f->status, &f->allow);
}

static void
expect_route(struct fixture *f, const char *method, const char *uri,
    int index)
{
	const ag_route *rt = match(f, method, uri);

	assert_non_null(rt);
	assert_int_equal(rt - routes, index);
	assert_int_equal(f->status, 200);
}

static void
expect_404(struct fixture *f, const char *method, const char *uri)
{
	assert_null(match(f, method, uri));
	assert_int_equal(f->status, 404);
	assert_int_equal(f->r.n_params, 0);
}

static void
test_literal_and_capture(void **state)
{
	struct fixture *f = *state;

	expect_route(f, "GET", "/v1/companies/dropdown", R_DROPDOWN);
	assert_int_equal(f->r.n_params, 0);
	expect_route(f, "GET", "/v1/companies/" UUID, R_GET);
	assert_int_equal(f->r.n_params, 1);
	assert_string_equal(ag_req_param(&f->r, "id"), UUID);
	assert_null(ag_req_param(&f->r, "other"));
	expect_route(f, "GET", "/v1/companies", R_LIST);
	expect_route(f, "POST", "/v1/companies", R_CREATE);
	expect_route(f, "PATCH", "/v1/companies/" UUID, R_PATCH);
	expect_route(f, "DELETE", "/v1/companies/" UUID, R_DELETE);
	expect_route(f, "GET", "/", R_ROOT);
	/* The query is no part of the path. */
	expect_route(f, "GET", "/v1/companies?page=2", R_LIST);

	/* Table order between a literal and a free-form capture. */
	expect_route(f, "GET", "/v1/items/new", R_ITEM_NEW);
	expect_route(f, "GET", "/v1/items/old", R_ITEM);
	assert_string_equal(ag_req_param(&f->r, "code"), "old");

	/* Two captures, the second a UUID by its name. */
	expect_route(f, "GET", "/v1/ceisa/000123/companies/" UUID2,
	    R_CEISA_COMPANY);
	assert_int_equal(f->r.n_params, 2);
	assert_string_equal(ag_req_param(&f->r, "id_header"), "000123");
	assert_string_equal(ag_req_param(&f->r, "company_id"), UUID2);
	expect_route(f, "GET", "/v1/ceisa/000123", R_CEISA);
	assert_int_equal(f->r.n_params, 1);
}

static void
test_uuid_captures(void **state)
{
	struct fixture *f = *state;

	expect_404(f, "GET", "/v1/companies/123");
	expect_404(f, "GET", "/v1/companies/" UUID "0");
	expect_404(f, "GET", "/v1/companies/0b6f6c3e9d2a4c1b8e573f0a1d2c4b5e");
	expect_404(f, "GET", "/v1/companies/zb6f6c3e-9d2a-4c1b-8e57-3f0a1d2c4b5e");
	expect_404(f, "GET", "/v1/ceisa/000123/companies/not-a-uuid");
	/* A non-UUID {id} with another method is still "no such path". */
	expect_404(f, "PATCH", "/v1/companies/123");
	/* Percent-encoded UUID digits are decoded before the check. */
	expect_route(f, "GET", "/v1/companies/%30b6f6c3e-9d2a-4c1b-8e57-"
	    "3f0a1d2c4b5e", R_GET);
	assert_string_equal(ag_req_param(&f->r, "id"), UUID);
}

static void
test_405(void **state)
{
	struct fixture *f = *state;

	assert_null(match(f, "POST", "/v1/companies/" UUID));
	assert_int_equal(f->status, 405);
	assert_string_equal(f->allow, "GET, PATCH, DELETE");
	assert_int_equal(f->r.n_params, 0);

	assert_null(match(f, "PUT", "/v1/companies"));
	assert_int_equal(f->status, 405);
	assert_string_equal(f->allow, "GET, POST");

	assert_null(match(f, "DELETE", "/v1/companies/dropdown"));
	assert_int_equal(f->status, 405);
	assert_string_equal(f->allow, "GET");

	assert_null(match(f, "GET", "/v1/items/abc/submit"));
	assert_int_equal(f->status, 405);
	assert_string_equal(f->allow, "POST");

	/* HEAD on a POST-only path. */
	assert_null(match(f, "HEAD", "/v1/items/abc/submit"));
	assert_int_equal(f->status, 405);
	assert_string_equal(f->allow, "POST");

	/* Methods are case-sensitive tokens. */
	assert_null(match(f, "get", "/v1/companies"));
	assert_int_equal(f->status, 405);
}

static void
test_head(void **state)
{
	struct fixture *f = *state;

	expect_route(f, "HEAD", "/v1/companies", R_LIST);
	expect_route(f, "HEAD", "/v1/companies/" UUID, R_GET);
	assert_string_equal(ag_req_param(&f->r, "id"), UUID);
	expect_route(f, "HEAD", "/", R_ROOT);
}

static void
test_decoding(void **state)
{
	struct fixture *f = *state;

	expect_route(f, "GET", "/v1/ceisa/AJU%20001%2B2", R_CEISA);
	assert_string_equal(ag_req_param(&f->r, "id_header"), "AJU 001+2");
	/* '+' is not a space in a path. */
	expect_route(f, "GET", "/v1/items/a+b", R_ITEM);
	assert_string_equal(ag_req_param(&f->r, "code"), "a+b");
	expect_route(f, "GET", "/v1/items/%C3%A9", R_ITEM);
	assert_string_equal(ag_req_param(&f->r, "code"), "\xc3\xa9");

	/* Encoded slash, NUL or a bad escape never reach a handler. */
	expect_404(f, "GET", "/v1/items/a%2Fb");
	expect_404(f, "GET", "/v1/items/a%2fb");
	expect_404(f, "GET", "/v1/items/a%00b");
	expect_404(f, "GET", "/v1/items/a%zzb");
	expect_404(f, "GET", "/v1/items/a%2");
	/* Captures are text: invalid UTF-8 is no match. */
	expect_404(f, "GET", "/v1/items/%C3");
	expect_404(f, "GET", "/v1/items/%FF%FE");
	expect_404(f, "GET", "/v1/items/%C0%AF");
	expect_404(f, "GET", "/v1/ceisa/x%2F..%2Fy");
	/* Literal segments are compared raw. */
	expect_404(f, "GET", "/v1/c%6Fmpanies");
}

static void
test_shape(void **state)
{
	struct fixture *f = *state;

	expect_404(f, "GET", "/v1/companies/");
	expect_404(f, "GET", "/v1/companies/" UUID "/");
	expect_404(f, "GET", "/v1/companies//");
	expect_404(f, "GET", "/v1//companies");
	expect_404(f, "GET", "//v1/companies");
	expect_404(f, "GET", "/v1/company");
	expect_404(f, "GET", "/v1/companiesx");
	expect_404(f, "GET", "/v1");
	expect_404(f, "GET", "/v1/items/");
	expect_404(f, "GET", "/v1/items//submit");
	expect_404(f, "GET", "/v1/ceisa/1/companies/" UUID2 "/x");
	expect_404(f, "GET", "/V1/companies");
	/* A 404 offers no methods. */
	assert_string_equal(f->allow, "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_literal_and_capture, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_uuid_captures, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_405, setup, teardown),
		cmocka_unit_test_setup_teardown(test_head, setup, teardown),
		cmocka_unit_test_setup_teardown(test_decoding, setup, teardown),
		cmocka_unit_test_setup_teardown(test_shape, setup, teardown),
	};

	return cmocka_run_group_tests_name("router", tests, NULL, NULL);
}
