/* test_urlenc.c - percent-decoding, urlencoded pairs, cookies, UTF-8. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "urlenc.h"

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

static char *
dec(ag_arena *a, const char *s, int plus, size_t *n)
{
	return ag_url_decode(a, s, strlen(s), plus, n);
}

static void
test_decode_ok(void **state)
{
	ag_arena *a = *state;
	size_t n = 99;

	assert_string_equal(dec(a, "a%20b%2Bc", 0, &n), "a b+c");
	assert_int_equal(n, 5);
	assert_string_equal(dec(a, "a+b", 1, NULL), "a b");
	assert_string_equal(dec(a, "a+b", 0, NULL), "a+b");
	assert_string_equal(dec(a, "%e2%82%AC", 0, &n), "\xe2\x82\xac");
	assert_int_equal(n, 3);
	assert_string_equal(dec(a, "", 1, &n), "");
	assert_int_equal(n, 0);
	/* only len bytes are read */
	assert_string_equal(ag_url_decode(a, "ab%41", 2, 0, NULL), "ab");
}

static void
test_decode_bad(void **state)
{
	ag_arena *a = *state;

	assert_null(dec(a, "%", 0, NULL));
	assert_null(dec(a, "abc%4", 0, NULL));
	assert_null(dec(a, "%G1", 0, NULL));
	assert_null(dec(a, "%1g", 0, NULL));
	assert_null(dec(a, "a%00b", 0, NULL));
	assert_null(ag_url_decode(a, "a\0b", 3, 0, NULL));
	/* truncated escape at the end of the given length */
	assert_null(ag_url_decode(a, "%41", 2, 0, NULL));
}

static void
test_parse_pairs(void **state)
{
	ag_arena *a = *state;
	const char *q = "a=1&&b=x+y%21&c&=e&a=2&";
	ag_kvlist l;

	assert_int_equal(ag_parse_urlencoded(a, q, strlen(q), 10, &l), 0);
	assert_int_equal(l.n, 5);
	assert_string_equal(l.items[0].key, "a");
	assert_string_equal(l.items[0].val, "1");
	assert_string_equal(l.items[1].key, "b");
	assert_string_equal(l.items[1].val, "x y!");
	assert_int_equal(l.items[1].vlen, 4);
	assert_string_equal(l.items[2].key, "c");
	assert_string_equal(l.items[2].val, "");
	assert_string_equal(l.items[3].key, "");
	assert_string_equal(l.items[3].val, "e");
	assert_string_equal(ag_kv_get(&l, "a"), "1");
	assert_string_equal(ag_kv_get(&l, "c"), "");
	assert_null(ag_kv_get(&l, "zz"));
	assert_null(ag_kv_get(NULL, "a"));
	/* '=' inside a value */
	assert_int_equal(ag_parse_urlencoded(a, "k=a=b", 5, 10, &l), 0);
	assert_string_equal(ag_kv_get(&l, "k"), "a=b");
}

static void
test_parse_empty(void **state)
{
	ag_arena *a = *state;
	ag_kvlist l;

	assert_int_equal(ag_parse_urlencoded(a, "", 0, 0, &l), 0);
	assert_int_equal(l.n, 0);
	assert_int_equal(ag_parse_urlencoded(a, NULL, 0, 0, &l), 0);
	assert_int_equal(ag_parse_urlencoded(a, "&&&", 3, 0, &l), 0);
	assert_int_equal(l.n, 0);
	assert_null(ag_kv_get(&l, "a"));
}

static void
test_parse_limits_and_errors(void **state)
{
	ag_arena *a = *state;
	ag_kvlist l;

	assert_int_equal(ag_parse_urlencoded(a, "a&b&c", 5, 3, &l), 0);
	assert_int_equal(l.n, 3);
	assert_int_equal(ag_parse_urlencoded(a, "a&b&c&d", 7, 3, &l), -1);
	assert_int_equal(l.n, 0);
	assert_null(l.items);
	assert_int_equal(ag_parse_urlencoded(a, "a=%zz", 5, 3, &l), -1);
	assert_int_equal(ag_parse_urlencoded(a, "a%=1", 4, 3, &l), -1);
	assert_int_equal(ag_parse_urlencoded(a, "a=%00", 5, 3, &l), -1);
	/* decoded bytes must be UTF-8 */
	assert_int_equal(ag_parse_urlencoded(a, "a=%ff", 5, 3, &l), -1);
	assert_int_equal(ag_parse_urlencoded(a, "%c0%af=1", 8, 3, &l), -1);
	assert_int_equal(l.n, 0);
	/* an error after good pairs still leaves the list empty */
	assert_int_equal(ag_parse_urlencoded(a, "a=1&b=2&c=%zz", 13, 3, &l),
	    -1);
	assert_int_equal(l.n, 0);
	assert_null(l.items);
}

static void
test_encode(void **state)
{
	ag_arena *a = *state;
	const char *s = "a b&c=d/é~-._Z9";
	ag_buf b;
	size_t n;

	ag_buf_init(&b, a);
	ag_url_encode(&b, s);
	assert_string_equal(b.data, "a%20b%26c%3Dd%2F%C3%A9~-._Z9");
	assert_string_equal(ag_url_decode(a, b.data, b.len, 0, &n), s);
	ag_buf_init(&b, a);
	ag_url_encode(&b, "");
	assert_string_equal(b.data, "");
}

static void
test_cookies(void **state)
{
	ag_arena *a = *state;
	ag_kvlist l;

	assert_int_equal(ag_parse_cookies(a,
	    "sid=abc%20; theme=\"dark\" ;x = y ; novalue; =anon; e=;q=\"", &l),
	    0);
	assert_int_equal(l.n, 5);
	assert_string_equal(ag_kv_get(&l, "sid"), "abc%20");
	assert_string_equal(ag_kv_get(&l, "theme"), "dark");
	assert_string_equal(ag_kv_get(&l, "x"), "y");
	assert_string_equal(ag_kv_get(&l, "e"), "");
	assert_int_equal(l.items[3].vlen, 0);
	assert_string_equal(ag_kv_get(&l, "q"), "\"");
	assert_null(ag_kv_get(&l, "novalue"));
	assert_int_equal(ag_parse_cookies(a, NULL, &l), 0);
	assert_int_equal(l.n, 0);
	assert_int_equal(ag_parse_cookies(a, "", &l), 0);
	assert_int_equal(l.n, 0);
	assert_int_equal(ag_parse_cookies(a, " ; ;; ", &l), 0);
	assert_int_equal(l.n, 0);
}

static void
test_cookie_limit(void **state)
{
	ag_arena *a = *state;
	ag_buf b;
	ag_kvlist l;
	int i;

	ag_buf_init(&b, a);
	for (i = 0; i < AG_MAX_COOKIES; i++)
		ag_buf_printf(&b, "c%d=%d; ", i, i);
	assert_int_equal(ag_parse_cookies(a, b.data, &l), 0);
	assert_int_equal(l.n, AG_MAX_COOKIES);
	assert_string_equal(ag_kv_get(&l, "c63"), "63");
	ag_buf_puts(&b, "last=1");
	assert_int_equal(ag_parse_cookies(a, b.data, &l), -1);
	assert_int_equal(l.n, 0);
}

static int
utf8(const char *s)
{
	return ag_utf8_valid(s, strlen(s));
}

static void
test_utf8(void **state)
{
	(void)state;
	assert_true(utf8(""));
	assert_true(utf8("plain ascii"));
	assert_true(utf8("Rp \xe2\x82\xac caf\xc3\xa9"));
	assert_true(utf8("\xf0\x9f\x98\x80"));         /* U+1F600 */
	assert_true(utf8("\xf4\x8f\xbf\xbf"));         /* U+10FFFF */
	assert_true(utf8("\xed\x9f\xbf"));             /* U+D7FF */
	assert_true(utf8("\xee\x80\x80"));             /* U+E000 */
	assert_true(utf8("\xe0\xa0\x80"));             /* U+0800 */
	assert_true(ag_utf8_valid("a\0b", 3));
	assert_false(utf8("\x80"));
	assert_false(utf8("\xc3"));                    /* truncated */
	assert_false(utf8("\xe2\x82"));
	assert_false(utf8("\xc0\xaf"));                /* overlong '/' */
	assert_false(utf8("\xc1\xbf"));
	assert_false(utf8("\xe0\x9f\xbf"));            /* overlong */
	assert_false(utf8("\xf0\x8f\xbf\xbf"));        /* overlong */
	assert_false(utf8("\xed\xa0\x80"));            /* U+D800 */
	assert_false(utf8("\xed\xbf\xbf"));            /* U+DFFF */
	assert_false(utf8("\xf4\x90\x80\x80"));        /* U+110000 */
	assert_false(utf8("\xf5\x80\x80\x80"));
	assert_false(utf8("\xff"));
	assert_false(utf8("\xe2\x28\xa1"));            /* bad continuation */
	assert_false(utf8("\xf0\x9f\x98\x28"));
	/* only len bytes are looked at */
	assert_false(ag_utf8_valid("\xe2\x82\xac", 2));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_decode_ok, setup, teardown),
		cmocka_unit_test_setup_teardown(test_decode_bad, setup, teardown),
		cmocka_unit_test_setup_teardown(test_parse_pairs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_parse_empty, setup, teardown),
		cmocka_unit_test_setup_teardown(test_parse_limits_and_errors,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_encode, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cookies, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cookie_limit, setup,
		    teardown),
		cmocka_unit_test(test_utf8),
	};

	return cmocka_run_group_tests_name("urlenc", tests, NULL, NULL);
}
