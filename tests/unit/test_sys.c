/* test_sys.c - ag_write_all, ag_errf, ag_read_fd and ag_read_file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "sys.h"

struct tmp {
	char dir[64];
	char file[96];
};

static int
setup(void **state)
{
	struct tmp *t = calloc(1, sizeof(*t));

	if (t == NULL)
		return -1;
	strcpy(t->dir, "/tmp/test_sys-XXXXXX");
	if (mkdtemp(t->dir) == NULL) {
		free(t);
		return -1;
	}
	snprintf(t->file, sizeof(t->file), "%s/f", t->dir);
	*state = t;
	return 0;
}

static int
teardown(void **state)
{
	struct tmp *t = *state;

	unlink(t->file);
	rmdir(t->dir);
	free(t);
	return 0;
}

/* Writes len bytes of a pattern to path with ag_write_all. */
static void
write_file(const char *path, size_t len)
{
	char *p = malloc(len + 1);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	assert_non_null(p);
	assert_true(fd >= 0);
	for (size_t i = 0; i < len; i++)
		p[i] = (char)('a' + i % 26);
	assert_int_equal(ag_write_all(fd, p, len), 0);
	assert_int_equal(close(fd), 0);
	free(p);
}

static void
test_write_all_pipe(void **state)
{
	int pfd[2];
	char buf[16];
	(void)state;

	assert_int_equal(pipe(pfd), 0);
	assert_int_equal(ag_write_all(pfd[1], "hello", 5), 0);
	assert_int_equal(ag_write_all(pfd[1], "", 0), 0);
	assert_int_equal(close(pfd[1]), 0);
	assert_int_equal(read(pfd[0], buf, sizeof(buf)), 5);
	assert_memory_equal(buf, "hello", 5);
	/* the write end is gone: EBADF */
	errno = 0;
	assert_int_equal(ag_write_all(pfd[1], "x", 1), -1);
	assert_int_equal(errno, EBADF);
	close(pfd[0]);
}

static void
test_write_all_read_file(void **state)
{
	struct tmp *t = *state;
	ag_arena *a = ag_arena_new();
	char *data = NULL;
	size_t len = 0;

	/* larger than one pipe/stdio buffer, to cross chunk borders */
	write_file(t->file, 100000);
	assert_int_equal(ag_read_file(a, t->file, 100000, &data, &len), 0);
	assert_int_equal(len, 100000);
	assert_int_equal(data[0], 'a');
	assert_int_equal(data[99999], (char)('a' + 99999 % 26));
	assert_int_equal(data[len], '\0');
	ag_arena_free(a);
}

static void
test_read_file_empty(void **state)
{
	struct tmp *t = *state;
	ag_arena *a = ag_arena_new();
	char *data = NULL;
	size_t len = 1;

	write_file(t->file, 0);
	assert_int_equal(ag_read_file(a, t->file, 0, &data, &len), 0);
	assert_int_equal(len, 0);
	assert_string_equal(data, "");
	ag_arena_free(a);
}

static void
test_read_file_missing(void **state)
{
	struct tmp *t = *state;
	ag_arena *a = ag_arena_new();
	char *data = NULL;
	size_t len = 0;

	errno = 0;
	assert_int_equal(ag_read_file(a, t->file, 100, &data, &len), -1);
	assert_int_equal(errno, ENOENT);
	assert_null(data);
	ag_arena_free(a);
}

static void
test_read_file_too_large(void **state)
{
	struct tmp *t = *state;
	ag_arena *a = ag_arena_new();
	char *data = NULL;
	size_t len = 0;

	write_file(t->file, 11);
	assert_int_equal(ag_read_file(a, t->file, 10, &data, &len), -2);
	assert_null(data);
	/* exactly max is fine */
	assert_int_equal(ag_read_file(a, t->file, 11, &data, &len), 0);
	assert_int_equal(len, 11);
	ag_arena_free(a);
}

static void
test_read_file_directory(void **state)
{
	struct tmp *t = *state;
	ag_arena *a = ag_arena_new();
	char *data = NULL;
	size_t len = 0;

	assert_int_equal(ag_read_file(a, t->dir, 1 << 20, &data, &len), -2);
	assert_null(data);
	ag_arena_free(a);
}

static void
test_read_fd(void **state)
{
	struct tmp *t = *state;
	ag_arena *a = ag_arena_new();
	char *data = NULL;
	size_t len = 0;
	int fd, pfd[2];

	write_file(t->file, 3);
	fd = open(t->file, O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(ag_read_fd(a, fd, 3, &data, &len), 0);
	assert_string_equal(data, "abc");
	/* the descriptor stays open */
	assert_int_equal(close(fd), 0);

	/* a pipe is not a regular file */
	assert_int_equal(pipe(pfd), 0);
	data = NULL;
	assert_int_equal(ag_read_fd(a, pfd[0], 100, &data, &len), -2);
	assert_null(data);
	close(pfd[0]);
	close(pfd[1]);

	errno = 0;
	assert_int_equal(ag_read_fd(a, -1, 100, &data, &len), -1);
	assert_int_equal(errno, EBADF);
	ag_arena_free(a);
}

static void
test_errf(void **state)
{
	char err[8];
	(void)state;

	ag_errf(err, sizeof(err), "%s:%d", "ab", 42);
	assert_string_equal(err, "ab:42");
	/* truncated, still terminated */
	ag_errf(err, sizeof(err), "%s", "0123456789");
	assert_string_equal(err, "0123456");
	/* no-ops */
	memcpy(err, "keep", 5);
	ag_errf(err, 0, "%s", "x");
	assert_string_equal(err, "keep");
	ag_errf(NULL, sizeof(err), "%s", "x");
	ag_errf(err, sizeof(err), "%s", "");
	assert_string_equal(err, "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_write_all_pipe),
		cmocka_unit_test_setup_teardown(test_write_all_read_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_file_empty, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_file_missing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_file_too_large, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_file_directory, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_fd, setup, teardown),
		cmocka_unit_test(test_errf),
	};

	return cmocka_run_group_tests_name("sys", tests, NULL, NULL);
}
