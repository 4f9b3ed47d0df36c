/* test_arena.c - arena allocation, deferred cleanups and ag_buf. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "arena.h"

static int cleanups;

static void
count_cleanup(void *p)
{
	(void)p;
	cleanups++;
}

static void
test_alloc_aligned_and_large(void **state)
{
	ag_arena *a = ag_arena_new();
	char *big;
	(void)state;

	for (int i = 0; i < 1000; i++) {
		void *p = ag_alloc(a, (size_t)i + 1);

		assert_int_equal((uintptr_t)p % 16, 0);
		memset(p, 'x', (size_t)i + 1);
	}
	big = ag_alloc(a, 1 << 20);
	memset(big, 0, 1 << 20);
	assert_true(ag_arena_used(a) >= (1 << 20));
	ag_arena_reset(a);
	assert_int_equal(ag_arena_used(a), 0);
	ag_arena_free(a);
}

static void
test_strings(void **state)
{
	ag_arena *a = ag_arena_new();
	(void)state;

	assert_string_equal(ag_strdup(a, "abc"), "abc");
	assert_null(ag_strdup(a, NULL));
	assert_string_equal(ag_strndup(a, "abcdef", 3), "abc");
	assert_string_equal(ag_sprintf(a, "%s-%d", "TKT", 42), "TKT-42");
	ag_arena_free(a);
}

static void
test_defer_runs_in_reverse_on_reset(void **state)
{
	ag_arena *a = ag_arena_new();
	(void)state;

	cleanups = 0;
	ag_arena_defer(a, count_cleanup, NULL);
	ag_arena_defer(a, count_cleanup, NULL);
	ag_arena_reset(a);
	assert_int_equal(cleanups, 2);
	ag_arena_reset(a);
	assert_int_equal(cleanups, 2);
	ag_arena_defer(a, count_cleanup, NULL);
	ag_arena_free(a);
	assert_int_equal(cleanups, 3);
}

static void
test_buf_grows(void **state)
{
	ag_arena *a = ag_arena_new();
	ag_buf b;
	(void)state;

	ag_buf_init(&b, a);
	for (int i = 0; i < 10000; i++)
		ag_buf_putc(&b, (char)('a' + i % 26));
	assert_int_equal(b.len, 10000);
	assert_int_equal(b.data[10000], '\0');
	ag_buf_truncate(&b, 3);
	ag_buf_printf(&b, "%d", 7);
	assert_string_equal(b.data, "abc7");
	ag_arena_free(a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alloc_aligned_and_large),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_defer_runs_in_reverse_on_reset),
		cmocka_unit_test(test_buf_grows),
	};

	return cmocka_run_group_tests_name("arena", tests, NULL, NULL);
}
