/* test_jsonin.c - bounded JSON body parsing and arena-owned values. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "jsonin.h"

#define MiB (1024 * 1024)

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

static enum ag_json_status
parse(ag_arena *a, const char *s, size_t depth, json_t **out, char *err,
    size_t errlen)
{
	return ag_json_parse_body(a, s, strlen(s), MiB, depth, out, err,
	    errlen);
}

static void
test_ok(void **state)
{
	ag_arena *a = *state;
	json_t *v;
	char err[128];
	const char *s = "{\"plate\":\"B 1234 KZ\",\"n\":3,\"x\":[1,{\"y\":null}]}";

	assert_int_equal(parse(a, "{}", 1, &v, err, sizeof(err)), AG_JSON_OK);
	assert_true(json_is_object(v));
	assert_int_equal(json_object_size(v), 0);
	assert_string_equal(err, "");
	assert_int_equal(parse(a, " \n{ } \r\n\t", 1, &v, NULL, 0), AG_JSON_OK);
	assert_int_equal(parse(a, s, 3, &v, err, sizeof(err)), AG_JSON_OK);
	assert_string_equal(json_string_value(json_object_get(v, "plate")),
	    "B 1234 KZ");
	/* only len bytes are parsed: no terminator needed */
	assert_int_equal(ag_json_parse_body(a, "{\"a\":1}garbage", 7, 100, 1,
	    &v, err, sizeof(err)), AG_JSON_OK);
	assert_int_equal(json_integer_value(json_object_get(v, "a")), 1);
}

static void
test_too_large(void **state)
{
	ag_arena *a = *state;
	json_t *v = (json_t *)1;
	char err[128];
	char *big = ag_alloc(a, MiB + 1);

	/* {"s":"xxx...x"} exactly 1 MiB */
	memset(big, 'x', MiB + 1);
	memcpy(big, "{\"s\":\"", 6);
	memcpy(big + MiB - 2, "\"}", 2);
	assert_int_equal(ag_json_parse_body(a, big, MiB, MiB, 4, &v, err,
	    sizeof(err)), AG_JSON_OK);
	assert_int_equal(json_string_length(json_object_get(v, "s")),
	    MiB - 8);
	memcpy(big + MiB - 2, "x\"}", 3);
	assert_int_equal(ag_json_parse_body(a, big, MiB + 1, MiB, 4, &v, err,
	    sizeof(err)), AG_JSON_TOO_LARGE);
	assert_null(v);
	assert_non_null(strstr(err, "too large"));
	assert_int_equal(ag_json_parse_body(a, "{}", 2, 1, 4, &v, NULL, 0),
	    AG_JSON_TOO_LARGE);
}

static void
test_depth(void **state)
{
	ag_arena *a = *state;
	json_t *v;
	char err[128];

	assert_int_equal(parse(a, "{\"a\":{\"b\":[[]]}}", 4, &v, err,
	    sizeof(err)), AG_JSON_OK);
	assert_int_equal(parse(a, "{\"a\":{\"b\":[[]]}}", 3, &v, err,
	    sizeof(err)), AG_JSON_TOO_DEEP);
	assert_null(v);
	assert_non_null(strstr(err, "deeper"));
	assert_int_equal(parse(a, "{}", 0, &v, err, sizeof(err)),
	    AG_JSON_TOO_DEEP);
	/* siblings do not add up */
	assert_int_equal(parse(a, "{\"a\":[1],\"b\":[2],\"c\":{}}", 2, &v, err,
	    sizeof(err)), AG_JSON_OK);
	/* brackets in strings, also after escaped quotes, are not nesting */
	assert_int_equal(parse(a, "{\"a\":\"[[[{{{\",\"b\\\"[[\":\"\\\\\",\"c\":"
	    "\"\\\"{{{\"}", 1, &v, err, sizeof(err)), AG_JSON_OK);
	assert_string_equal(json_string_value(json_object_get(v, "a")),
	    "[[[{{{");
	/* ...but an escaped backslash ends before the quote, which closes */
	assert_int_equal(parse(a, "{\"a\":\"\\\\\",\"b\":[[1]]}", 2, &v, err,
	    sizeof(err)), AG_JSON_TOO_DEEP);
	/* a hostile body is refused without recursion */
	{
		size_t n = 200000;
		char *s = ag_alloc(a, n + 1);

		memset(s, '[', n);
		s[0] = '{';
		s[n] = '\0';
		assert_int_equal(parse(a, s, 32, &v, err, sizeof(err)),
		    AG_JSON_TOO_DEEP);
	}
}

static void
test_malformed(void **state)
{
	ag_arena *a = *state;
	json_t *v;
	char err[128];
	static const char *bad[] = {
		"{", "{\"a\":}", "{\"a\" 1}", "{'a':1}", "{\"a\":1,}",
		"{} {}", "{}x", "{\"a\":\"\\u0000\"}", "{\"a\":\"\xc3\x28\"}",
		"{\"a\":\"\xed\xa0\x80\"}", "{\"a\":tru}", "}{", "]",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		v = (json_t *)1;
		assert_int_equal(parse(a, bad[i], 8, &v, err, sizeof(err)),
		    AG_JSON_MALFORMED);
		assert_null(v);
		assert_non_null(strstr(err, "line 1"));
	}
	assert_int_equal(ag_json_parse_body(a, "{\"a\":\"x\0\"}", 9, 100, 8,
	    &v, err, sizeof(err)), AG_JSON_MALFORMED);
	assert_int_equal(ag_json_parse_body(a, "{}\0", 3, 100, 8, &v, err,
	    sizeof(err)), AG_JSON_MALFORMED);
	assert_int_equal(ag_json_parse_body(a, "", 0, 100, 8, &v, err,
	    sizeof(err)), AG_JSON_MALFORMED);
	assert_int_equal(ag_json_parse_body(a, NULL, 0, 100, 8, &v, err,
	    sizeof(err)), AG_JSON_MALFORMED);
	/* control characters from the input never reach the log line */
	assert_int_equal(parse(a, "{\"a\":\x01\x1b[31m}", 8, &v, err,
	    sizeof(err)), AG_JSON_MALFORMED);
	for (i = 0; err[i] != '\0'; i++)
		assert_true((unsigned char)err[i] >= 0x20);
	/* a small err buffer is truncated, not overrun */
	assert_int_equal(parse(a, "{", 8, &v, err, 5), AG_JSON_MALFORMED);
	assert_int_equal(strlen(err), 4);
}

static void
test_duplicate_and_not_object(void **state)
{
	ag_arena *a = *state;
	json_t *v;
	char err[128];

	assert_int_equal(parse(a, "{\"a\":1,\"a\":2}", 8, &v, err,
	    sizeof(err)), AG_JSON_DUPLICATE_KEY);
	assert_null(v);
	assert_int_equal(parse(a, "{\"o\":{\"b\":1,\"b\":1}}", 8, &v, err,
	    sizeof(err)), AG_JSON_DUPLICATE_KEY);
	assert_int_equal(parse(a, "{\"a\":1,\"A\":2}", 8, &v, err,
	    sizeof(err)), AG_JSON_OK);
	assert_int_equal(parse(a, "[]", 8, &v, err, sizeof(err)),
	    AG_JSON_NOT_OBJECT);
	assert_null(v);
	assert_int_equal(parse(a, "[{}]", 8, &v, err, sizeof(err)),
	    AG_JSON_NOT_OBJECT);
	assert_int_equal(parse(a, "\"{}\"", 8, &v, err, sizeof(err)),
	    AG_JSON_NOT_OBJECT);
	assert_int_equal(parse(a, "42", 8, &v, err, sizeof(err)),
	    AG_JSON_NOT_OBJECT);
	assert_int_equal(parse(a, "null", 8, &v, err, sizeof(err)),
	    AG_JSON_NOT_OBJECT);
	assert_non_null(strstr(err, "not an object"));
}

static void
test_dump_keeps_order(void **state)
{
	ag_arena *a = *state;
	json_t *v;
	const char *s = "{ \"z\": 1, \"a\": [true, null, \"caf\xc3\xa9\"],"
	    " \"m\": {\"y\": 1.5, \"b\": \"\\\"q\\\"\"} }";

	assert_int_equal(parse(a, s, 8, &v, NULL, 0), AG_JSON_OK);
	assert_string_equal(ag_json_dump(a, v),
	    "{\"z\":1,\"a\":[true,null,\"caf\xc3\xa9\"],"
	    "\"m\":{\"y\":1.5,\"b\":\"\\\"q\\\"\"}}");
	assert_string_equal(ag_json_dump(a, json_object_get(v, "z")), "1");
	assert_null(ag_json_dump(a, NULL));
}

static int released;

static void
mark(void *p)
{
	(void)p;
	released++;
}

static void
test_own_releases_on_reset(void **state)
{
	ag_arena *a = *state;
	json_t *v = json_object();
	json_t *s = json_string("kept");

	/* hold an extra reference to watch the arena drop its one */
	json_object_set(v, "s", s);
	assert_ptr_equal(ag_json_own(a, v), v);
	assert_null(ag_json_own(a, NULL));
	released = 0;
	ag_arena_defer(a, mark, NULL);
	assert_int_equal(s->refcount, 2);
	ag_arena_reset(a);
	assert_int_equal(released, 1);
	assert_int_equal(s->refcount, 1);
	json_decref(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_ok, setup, teardown),
		cmocka_unit_test_setup_teardown(test_too_large, setup, teardown),
		cmocka_unit_test_setup_teardown(test_depth, setup, teardown),
		cmocka_unit_test_setup_teardown(test_malformed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_duplicate_and_not_object,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_dump_keeps_order, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_own_releases_on_reset,
		    setup, teardown),
	};

	return cmocka_run_group_tests_name("jsonin", tests, NULL, NULL);
}
