/*
 * test_openapi.c - the OpenAPI document against the route tables.
 *
 * Every JSON route is documented with its method and path, nothing is
 * documented that is not routed, public routes are documented without a
 * required token, and every request example passes the very field table
 * the dispatcher validates that route's body with.
 */
#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <cmocka.h>

#include <jansson.h>

#include "app.h"
#include "core_routes.h"
#include "identity_routes.h"
#include "tickets_routes.h"

static json_t *doc;

static const ag_route *const tables[] = { ag_core_routes, ag_ticket_routes,
    ag_auth_routes, ag_profile_routes, ag_role_routes, ag_user_routes,
    ag_activity_routes };

static int
setup(void **state)
{
	const char *src = getenv("AG_TEST_SRCDIR");
	char path[1024];
	json_error_t err;

	(void)state;
	snprintf(path, sizeof(path), "%s/docs/openapi.json", src ? src : ".");
	doc = json_load_file(path, JSON_REJECT_DUPLICATES, &err);
	if (doc == NULL)
		fprintf(stderr, "%s:%d: %s\n", path, err.line, err.text);
	return doc == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	(void)state;
	json_decref(doc);
	return 0;
}

static json_t *
operation(const char *method, const char *path)
{
	char lower[16];
	size_t i;

	for (i = 0; method[i] != '\0' && i < sizeof(lower) - 1; i++)
		lower[i] = (char)tolower((unsigned char)method[i]);
	lower[i] = '\0';
	return json_object_get(json_object_get(json_object_get(doc, "paths"),
	    path), lower);
}

static void
test_every_route_documented(void **state)
{
	(void)state;
	for (size_t t = 0; t < sizeof(tables) / sizeof(tables[0]); t++)
		for (const ag_route *r = tables[t]; r->method != NULL; r++) {
			if (operation(r->method, r->pattern) == NULL)
				fail_msg("undocumented: %s %s", r->method, r->pattern);
		}
}

static const ag_route *
route_for(const char *method, const char *path)
{
	for (size_t t = 0; t < sizeof(tables) / sizeof(tables[0]); t++)
		for (const ag_route *r = tables[t]; r->method != NULL; r++)
			if (strcasecmp(r->method, method) == 0 &&
			    strcmp(r->pattern, path) == 0)
				return r;
	return NULL;
}

static void
test_nothing_documented_unrouted(void **state)
{
	const char *path, *method;
	json_t *item, *o;

	(void)state;
	json_object_foreach(json_object_get(doc, "paths"), path, item)
		json_object_foreach(item, method, o)
			if (route_for(method, path) == NULL)
				fail_msg("documented but not routed: %s %s", method,
				    path);
}

/* Public routes must not demand a token in the document, and vice versa. */
static void
test_security_matches_permission(void **state)
{
	(void)state;
	for (size_t t = 0; t < sizeof(tables) / sizeof(tables[0]); t++)
		for (const ag_route *r = tables[t]; r->method != NULL; r++) {
			json_t *sec = json_object_get(operation(r->method,
			    r->pattern), "security"), *it;
			int anonymous_ok = 0;
			size_t i;

			if (sec == NULL)
				sec = json_object_get(doc, "security");
			json_array_foreach(sec, i, it)
				if (json_object_size(it) == 0)
					anonymous_ok = 1;
			if (json_array_size(sec) == 0)
				anonymous_ok = 1;
			if (anonymous_ok != (r->perm == AG_PUBLIC))
				fail_msg("%s %s: security does not match permission",
				    r->method, r->pattern);
		}
}

static void
test_examples_pass_validation(void **state)
{
	ag_arena *a = ag_arena_new();

	(void)state;
	for (size_t t = 0; t < sizeof(tables) / sizeof(tables[0]); t++)
		for (const ag_route *r = tables[t]; r->method != NULL; r++) {
			json_t *ex;
			ag_input in;
			ag_error e;

			ex = json_object_get(json_object_get(json_object_get(
			    json_object_get(operation(r->method, r->pattern),
			    "requestBody"), "content"), "application/json"),
			    "example");
			if (!(r->flags & AG_R_JSON))
				continue;
			if (!json_is_object(ex))
				fail_msg("%s %s: no request example", r->method,
				    r->pattern);
			if (r->body == NULL)
				continue;
			ag_error_init(&e, a);
			if (ag_input_from_json(&in, a, r->body, ex,
			    (r->flags & AG_R_PARTIAL) ? AG_V_PARTIAL : 0, &e) != 0)
				fail_msg("%s %s: example refused: %s", r->method,
				    r->pattern, json_dumps(e.fields, JSON_COMPACT));
			ag_arena_reset(a);
		}
	ag_arena_free(a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_route_documented),
		cmocka_unit_test(test_nothing_documented_unrouted),
		cmocka_unit_test(test_security_matches_permission),
		cmocka_unit_test(test_examples_pass_validation),
	};

	return cmocka_run_group_tests_name("openapi", tests, setup, teardown);
}
