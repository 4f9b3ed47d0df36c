/* test_config.c - INI parsing, environment overrides, typed lookups. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "config.h"
#include "log.h"
#include "sys.h"

static char path[64];
static FILE *logcap;

/* Writes text to a fresh temporary file whose name is left in path. */
static void
write_conf(const char *text, size_t len)
{
	int fd;

	snprintf(path, sizeof(path), "%s/ag_conf_XXXXXX", ag_tmpdir());
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, len), (ssize_t)len);
	close(fd);
}

static ag_config *
load_n(const char *text, size_t len, char *err, size_t errlen)
{
	ag_config *c;

	write_conf(text, len);
	c = ag_config_load(path, err, errlen);
	unlink(path);
	return c;
}

static ag_config *
load_text(const char *text, char *err, size_t errlen)
{
	return load_n(text, strlen(text), err, errlen);
}

/* Everything logged since the last call, malloc'ed. */
static char *
logged(void)
{
	long n;
	char *s;

	n = lseek(fileno(logcap), 0, SEEK_END);
	s = malloc((size_t)n + 1);
	assert_non_null(s);
	assert_int_equal(pread(fileno(logcap), s, (size_t)n, 0), n);
	s[n] = '\0';
	assert_int_equal(ftruncate(fileno(logcap), 0), 0);
	lseek(fileno(logcap), 0, SEEK_SET);
	return s;
}

static int
setup(void **state)
{
	(void)state;
	if ((logcap = tmpfile()) == NULL)
		return -1;
	ag_log_set_stream(logcap);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	ag_log_set_stream(NULL);
	fclose(logcap);
	return 0;
}

static const char sample[] =
    "# comment\n"
    "; another comment\n"
    "\n"
    "[server]\n"
    "  workers   =   4  \n"
    "listen =\n"
    "public_url = http://example.test:8080/a#frag   # trailing comment\n"
    "\tsocket_mode=0660\n"
    "[ database ]\n"
    "dsn = \"host=/run/pg dbname=autogate \"  ; quoted keeps the blank\n"
    "[security]\n"
    "secret = \"a #b ;c\"\n"
    "Cookie_Secure = yes\n"
    "cookie_secure = on\n"
    "[paths]\n"
    "font-dir = /usr/share/fonts\r\n";

static void
test_parse_sample(void **state)
{
	char err[256];
	ag_config *c;
	(void)state;

	c = load_text(sample, err, sizeof(err));
	if (c == NULL)
		fail_msg("load failed: %s", err);
	assert_string_equal(ag_config_get(c, "server", "workers", "x"), "4");
	assert_string_equal(ag_config_get(c, "server", "listen", "x"), "");
	assert_string_equal(ag_config_get(c, "server", "public_url", "x"),
	    "http://example.test:8080/a#frag");
	assert_string_equal(ag_config_get(c, "database", "dsn", "x"),
	    "host=/run/pg dbname=autogate ");
	assert_string_equal(ag_config_get(c, "security", "secret", "x"), "a #b ;c");
	assert_string_equal(ag_config_get(c, "SECURITY", "cookie_secure", "x"), "on");
	assert_string_equal(ag_config_get(c, "paths", "font-dir", "x"), "/usr/share/fonts");
	/* missing key, missing section, key of another section */
	assert_string_equal(ag_config_get(c, "server", "nope", "dflt"), "dflt");
	assert_null(ag_config_get(c, "nope", "workers", NULL));
	assert_null(ag_config_get(c, "database", "workers", NULL));
	assert_int_equal(ag_config_int(c, "server", "workers", 1, 1, 64), 4);
	assert_int_equal(ag_config_int(c, "server", "socket_mode", 0600, 0, 07777), 0660);
	ag_config_free(c);
}

static void
test_example_file_parses(void **state)
{
	const char *src = getenv("AG_TEST_SRCDIR");
	char file[1024], err[256];
	ag_config *c;
	(void)state;

	snprintf(file, sizeof(file), "%s/conf/autogate.conf.example", src != NULL ? src : ".");
	c = ag_config_load(file, err, sizeof(err));
	if (c == NULL)
		fail_msg("%s", err);
	assert_int_equal(ag_config_int(c, "server", "workers", 0, 1, 1024), 4);
	assert_int_equal(ag_config_int(c, "server", "socket_mode", 0, 0, 07777), 0660);
	assert_int_equal(ag_config_int(c, "server", "max_body", 0, 0, 1L << 30), 10485760);
	assert_string_equal(ag_config_get(c, "server", "timezone", ""), "Asia/Jakarta");
	assert_string_equal(ag_config_get(c, "server", "listen", "x"), "");
	assert_int_equal(ag_config_bool(c, "security", "cookie_secure", 1), 0);
	assert_int_equal(ag_config_int(c, "security", "file_url_ttl", 0, 1, 86400), 900);
	assert_string_equal(ag_config_get(c, "log", "level", ""), "info");
	assert_non_null(ag_config_get(c, "paths", "storage", NULL));
	ag_config_free(c);
}

static void
test_env_override(void **state)
{
	char err[256];
	ag_config *c;
	(void)state;

	c = load_text("[server]\nworkers = 4\n[paths]\nfont-dir = /a\n", err, sizeof(err));
	assert_non_null(c);
	setenv("AUTOGATE_SERVER_WORKERS", "8", 1);
	setenv("AUTOGATE_PATHS_FONT_DIR", "/b", 1);
	setenv("AUTOGATE_DATABASE_DSN", "", 1);
	setenv("AUTOGATE_LOG_LEVEL", "debug", 1);
	assert_string_equal(ag_config_get(c, "server", "workers", "1"), "8");
	assert_int_equal(ag_config_int(c, "server", "workers", 1, 1, 64), 8);
	assert_string_equal(ag_config_get(c, "paths", "font-dir", NULL), "/b");
	/* set but empty still overrides */
	assert_string_equal(ag_config_get(c, "database", "dsn", "default"), "");
	/* no file at all: environment and defaults */
	assert_string_equal(ag_config_get(NULL, "log", "level", "info"), "debug");
	unsetenv("AUTOGATE_SERVER_WORKERS");
	unsetenv("AUTOGATE_PATHS_FONT_DIR");
	unsetenv("AUTOGATE_DATABASE_DSN");
	unsetenv("AUTOGATE_LOG_LEVEL");
	assert_string_equal(ag_config_get(c, "server", "workers", "1"), "4");
	assert_string_equal(ag_config_get(c, "paths", "font-dir", NULL), "/a");
	ag_config_free(c);
}

static void
test_null_path(void **state)
{
	char err[64] = "junk";
	ag_config *c;
	(void)state;

	c = ag_config_load(NULL, err, sizeof(err));
	assert_non_null(c);
	assert_string_equal(err, "");
	assert_string_equal(ag_config_get(c, "server", "workers", "4"), "4");
	assert_int_equal(ag_config_int(c, "server", "workers", 4, 1, 64), 4);
	ag_config_free(c);
}

static void
expect_error_n(const char *text, size_t len, const char *needle)
{
	char err[256] = "";
	ag_config *c = load_n(text, len, err, sizeof(err));

	assert_null(c);
	if (strstr(err, needle) == NULL)
		fail_msg("error '%s' lacks '%s'", err, needle);
	assert_non_null(strstr(err, path));
}

static void
expect_error(const char *text, const char *needle)
{
	expect_error_n(text, strlen(text), needle);
}

static void
test_malformed(void **state)
{
	(void)state;
	expect_error("[server]\nworkers = 4\nthis line is bad\n", ":3: expected 'key = value'");
	expect_error("# c\n[server\n", ":2: missing ']'");
	expect_error("[ser ver]\n", ":1: invalid section name");
	expect_error("[server] x\n", ":1: text after section header");
	expect_error("workers = 4\n", ":1: key outside of a [section]");
	expect_error("[a]\nb c = 1\n", ":2: invalid key name");
	expect_error("[a]\n= 1\n", ":2: invalid key name");
	expect_error("[a]\n\nk = \"open\n", ":3: unterminated quoted value");
	expect_error("[a]\nk = \"v\" tail\n", ":2: text after closing quote");
	expect_error_n("[a]\nk = v\0w\n", 11, ":2: NUL byte");
}

static void
test_missing_file(void **state)
{
	char err[256];
	(void)state;

	assert_null(ag_config_load("/nonexistent/autogate.conf", err, sizeof(err)));
	assert_non_null(strstr(err, "/nonexistent/autogate.conf"));
	assert_non_null(strstr(err, "No such file"));
}

static void
test_int_range(void **state)
{
	char err[256];
	ag_config *c;
	char *log;
	(void)state;

	c = load_text("[n]\nok = 42\nneg = -3\nhex = 0x10\nbig = 100000\ngarbage = 12abc\n"
	    "empty =\nhuge = 99999999999999999999999\nspaced = \" 7 \"\n", err, sizeof(err));
	assert_non_null(c);
	assert_int_equal(ag_config_int(c, "n", "ok", 1, 0, 100), 42);
	assert_int_equal(ag_config_int(c, "n", "neg", 1, -10, 10), -3);
	assert_int_equal(ag_config_int(c, "n", "hex", 1, 0, 100), 16);
	assert_int_equal(ag_config_int(c, "n", "missing", 5, 0, 100), 5);
	free(logged());
	assert_int_equal(ag_config_int(c, "n", "big", 5, 0, 100), 5);
	log = logged();
	assert_non_null(strstr(log, "n.big"));
	assert_non_null(strstr(log, "outside"));
	free(log);
	assert_int_equal(ag_config_int(c, "n", "neg", 5, 0, 100), 5);
	assert_int_equal(ag_config_int(c, "n", "garbage", 6, 0, 100), 6);
	log = logged();
	assert_non_null(strstr(log, "n.garbage"));
	assert_non_null(strstr(log, "not a number"));
	free(log);
	assert_int_equal(ag_config_int(c, "n", "empty", 7, 0, 100), 7);
	assert_int_equal(ag_config_int(c, "n", "huge", 8, 0, 100), 8);
	assert_int_equal(ag_config_int(c, "n", "spaced", 1, 0, 100), 7);
	/* bounds are inclusive */
	assert_int_equal(ag_config_int(c, "n", "ok", 1, 42, 42), 42);
	ag_config_free(c);
}

static void
test_bool(void **state)
{
	static const char *const truthy[] = { "true", "YES", "On", "1" };
	static const char *const falsy[] = { "false", "no", "OFF", "0" };
	char err[256];
	ag_config *c;
	char *log;
	(void)state;

	c = load_text("[b]\nbad = maybe\nt = yes\n", err, sizeof(err));
	assert_non_null(c);
	for (size_t i = 0; i < 4; i++) {
		setenv("AUTOGATE_B_V", truthy[i], 1);
		assert_int_equal(ag_config_bool(c, "b", "v", 0), 1);
		setenv("AUTOGATE_B_V", falsy[i], 1);
		assert_int_equal(ag_config_bool(c, "b", "v", 1), 0);
	}
	unsetenv("AUTOGATE_B_V");
	assert_int_equal(ag_config_bool(c, "b", "t", 0), 1);
	assert_int_equal(ag_config_bool(c, "b", "missing", 1), 1);
	assert_int_equal(ag_config_bool(c, "b", "missing", 0), 0);
	free(logged());
	assert_int_equal(ag_config_bool(c, "b", "bad", 1), 1);
	assert_int_equal(ag_config_bool(c, "b", "bad", 0), 0);
	log = logged();
	assert_non_null(strstr(log, "not a boolean"));
	free(log);
	ag_config_free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_sample),
		cmocka_unit_test(test_example_file_parses),
		cmocka_unit_test(test_env_override),
		cmocka_unit_test(test_null_path),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_int_range),
		cmocka_unit_test(test_bool),
	};

	return cmocka_run_group_tests_name("config", tests, setup, teardown);
}
