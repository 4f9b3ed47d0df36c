/* test_log.c - JSON log lines, escaping, levels and time formatting. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <jansson.h>

#include "log.h"

static FILE *capture;

/* Returns what was logged since the last call (malloc'ed) and empties the capture. */
static char *
captured(void)
{
	long n;
	char *s;

	fflush(capture);
	n = lseek(fileno(capture), 0, SEEK_END);
	assert_true(n >= 0);
	s = malloc((size_t)n + 1);
	assert_non_null(s);
	assert_int_equal(pread(fileno(capture), s, (size_t)n, 0), n);
	s[n] = '\0';
	assert_int_equal(ftruncate(fileno(capture), 0), 0);
	lseek(fileno(capture), 0, SEEK_SET);
	return s;
}

/* Parses the single captured line as a JSON object. */
static json_t *
captured_json(void)
{
	char *s = captured();
	size_t n = strlen(s);
	json_error_t e;
	json_t *j;

	assert_true(n > 0);
	assert_int_equal(s[n - 1], '\n');
	assert_ptr_equal(strchr(s, '\n'), s + n - 1);
	j = json_loads(s, 0, &e);
	if (j == NULL)
		fail_msg("not JSON: %s (%s)", s, e.text);
	free(s);
	assert_true(json_is_object(j));
	return j;
}

static int
setup(void **state)
{
	(void)state;
	capture = tmpfile();
	if (capture == NULL)
		return -1;
	ag_log_set_stream(capture);
	ag_log_set_level(AG_LOG_INFO);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	ag_log_set_stream(NULL);
	fclose(capture);
	return 0;
}

static void
test_message_fields(void **state)
{
	json_t *j;
	const char *ts;
	(void)state;

	ag_log(AG_LOG_WARN, "disk %s at %d%%", "/var", 93);
	j = captured_json();
	assert_string_equal(json_string_value(json_object_get(j, "level")), "warn");
	assert_string_equal(json_string_value(json_object_get(j, "msg")), "disk /var at 93%");
	assert_int_equal(json_integer_value(json_object_get(j, "pid")), getpid());
	ts = json_string_value(json_object_get(j, "ts"));
	assert_non_null(ts);
	assert_int_equal(strlen(ts), 24);
	assert_int_equal(ts[10], 'T');
	assert_int_equal(ts[23], 'Z');
	json_decref(j);
}

static void
test_escaping(void **state)
{
	json_t *j;
	(void)state;

	ag_log(AG_LOG_ERROR, "q\"b\\n\nt\tc\x01 d\x7f \xc3\xa9 bad\xff\xc0\xaf end");
	j = captured_json();
	assert_string_equal(json_string_value(json_object_get(j, "msg")),
	    "q\"b\\n\nt\tc\x01 d\x7f \xc3\xa9 bad\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd end");
	json_decref(j);
}

static void
test_long_message(void **state)
{
	char *big = malloc(5000);
	json_t *j;
	(void)state;

	assert_non_null(big);
	memset(big, 'x', 4999);
	big[4999] = '\0';
	big[10] = '"';
	ag_log(AG_LOG_INFO, "%s", big);
	j = captured_json();
	assert_string_equal(json_string_value(json_object_get(j, "msg")), big);
	json_decref(j);
	free(big);
}

static void
test_level_filter(void **state)
{
	char *s;
	json_t *j;
	(void)state;

	ag_log_set_level(AG_LOG_WARN);
	ag_log(AG_LOG_INFO, "dropped");
	ag_log(AG_LOG_DEBUG, "dropped");
	ag_log_request("r", "GET", "/", 200, 1.0, NULL, 0);
	s = captured();
	assert_string_equal(s, "");
	free(s);
	ag_log(AG_LOG_ERROR, "kept");
	j = captured_json();
	assert_string_equal(json_string_value(json_object_get(j, "level")), "error");
	json_decref(j);
	ag_log_set_level(AG_LOG_DEBUG);
	ag_log(AG_LOG_DEBUG, "now kept");
	j = captured_json();
	assert_string_equal(json_string_value(json_object_get(j, "level")), "debug");
	json_decref(j);
	ag_log_set_level(AG_LOG_INFO);
}

static void
test_level_parse(void **state)
{
	enum ag_log_level l = AG_LOG_ERROR;
	(void)state;

	assert_int_equal(ag_log_level_parse("debug", &l), 0);
	assert_int_equal(l, AG_LOG_DEBUG);
	assert_int_equal(ag_log_level_parse("INFO", &l), 0);
	assert_int_equal(l, AG_LOG_INFO);
	assert_int_equal(ag_log_level_parse("warning", &l), 0);
	assert_int_equal(l, AG_LOG_WARN);
	assert_int_equal(ag_log_level_parse("Error", &l), 0);
	assert_int_equal(l, AG_LOG_ERROR);
	assert_int_equal(ag_log_level_parse("verbose", &l), -1);
	assert_int_equal(ag_log_level_parse("", &l), -1);
	assert_int_equal(ag_log_level_parse(NULL, &l), -1);
	assert_int_equal(l, AG_LOG_ERROR);
}

static void
test_request_line(void **state)
{
	json_t *j;
	(void)state;

	ag_log_request("req-1", "POST", "/v1/tickets?q=\"x\"", 201, 12.345, "u-9", 512);
	j = captured_json();
	assert_string_equal(json_string_value(json_object_get(j, "type")), "request");
	assert_string_equal(json_string_value(json_object_get(j, "level")), "info");
	assert_string_equal(json_string_value(json_object_get(j, "request_id")), "req-1");
	assert_string_equal(json_string_value(json_object_get(j, "method")), "POST");
	assert_string_equal(json_string_value(json_object_get(j, "path")), "/v1/tickets?q=\"x\"");
	assert_int_equal(json_integer_value(json_object_get(j, "status")), 201);
	assert_true(json_real_value(json_object_get(j, "ms")) > 12.33);
	assert_true(json_real_value(json_object_get(j, "ms")) < 12.36);
	assert_string_equal(json_string_value(json_object_get(j, "user")), "u-9");
	assert_int_equal(json_integer_value(json_object_get(j, "bytes")), 512);
	json_decref(j);

	ag_log_request(NULL, "GET", "/\x1b[31m", 404, NAN, NULL, 0);
	j = captured_json();
	assert_true(json_is_null(json_object_get(j, "user")));
	assert_true(json_is_null(json_object_get(j, "request_id")));
	assert_string_equal(json_string_value(json_object_get(j, "path")), "/\x1b[31m");
	assert_true(json_is_number(json_object_get(j, "ms")));
	json_decref(j);
}

static void
test_format_iso_ms(void **state)
{
	char out[32];
	(void)state;

	ag_format_iso_ms(1746412927632000LL, out);
	assert_string_equal(out, "2025-05-05T02:42:07.632Z");
	ag_format_iso_ms(1746412927632999LL, out);
	assert_string_equal(out, "2025-05-05T02:42:07.632Z");
	ag_format_iso_ms(0, out);
	assert_string_equal(out, "1970-01-01T00:00:00.000Z");
	ag_format_iso_ms(-1000, out);
	assert_string_equal(out, "1969-12-31T23:59:59.999Z");
	ag_format_iso_ms(951782400000000LL, out); /* leap day */
	assert_string_equal(out, "2000-02-29T00:00:00.000Z");
}

static void
test_now(void **state)
{
	long long a, b;
	(void)state;

	a = ag_now_us();
	b = ag_now_us();
	assert_true(a > 1577836800000000LL); /* after 2020 */
	assert_true(b >= a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_message_fields),
		cmocka_unit_test(test_escaping),
		cmocka_unit_test(test_long_message),
		cmocka_unit_test(test_level_filter),
		cmocka_unit_test(test_level_parse),
		cmocka_unit_test(test_request_line),
		cmocka_unit_test(test_format_iso_ms),
		cmocka_unit_test(test_now),
	};

	return cmocka_run_group_tests_name("log", tests, setup, teardown);
}
