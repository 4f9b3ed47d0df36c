/*
 * jsonin.c - JSON request bodies; see jsonin.h.
 */
#include "jsonin.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static void
set_err(char *err, size_t errlen, const char *fmt, ...) AG_PRINTF(3, 4);

/* Formats a log detail, replacing control characters from the input. */
static void
set_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	char *p;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	for (p = err; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
}

/*
 * Maximum nesting of arrays and objects, not counting brackets inside
 * strings.  Linear and allocation-free, so a hostile body is refused
 * before jansson recurses into it.  Unbalanced input is left for
 * jansson to report.
 */
static size_t
json_depth(const char *s, size_t len, size_t limit)
{
	size_t i, depth = 0, max = 0;
	int in_str = 0;

	for (i = 0; i < len; i++) {
		char c = s[i];

		if (in_str) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_str = 0;
		} else if (c == '"') {
			in_str = 1;
		} else if (c == '{' || c == '[') {
			if (++depth > max) {
				max = depth;
				if (max > limit)
					return max;
			}
		} else if ((c == '}' || c == ']') && depth > 0) {
			depth--;
		}
	}
	return max;
}

static void
decref(void *p)
{
	json_decref(p);
}

/* Takes ownership of v for the arena's lifetime. */
json_t *
ag_json_own(ag_arena *a, json_t *v)
{
	if (v != NULL)
		ag_arena_defer(a, decref, v);
	return v;
}

/* Size limit, depth pre-scan, then a strict jansson parse. */
enum ag_json_status
ag_json_parse_body(ag_arena *a, const char *body, size_t len, size_t max_len,
    size_t max_depth, json_t **out, char *err, size_t errlen)
{
	json_error_t je;
	json_t *v;

	*out = NULL;
	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if (len > max_len) {
		set_err(err, errlen, "body too large: %zu > %zu bytes", len,
		    max_len);
		return AG_JSON_TOO_LARGE;
	}
	if (body == NULL || len == 0) {
		set_err(err, errlen, "empty body");
		return AG_JSON_MALFORMED;
	}
	if (json_depth(body, len, max_depth) > max_depth) {
		set_err(err, errlen, "nesting deeper than %zu", max_depth);
		return AG_JSON_TOO_DEEP;
	}
	v = json_loadb(body, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &je);
	if (v == NULL) {
		set_err(err, errlen, "line %d, column %d: %s", je.line,
		    je.column, je.text);
		if (json_error_code(&je) == json_error_duplicate_key)
			return AG_JSON_DUPLICATE_KEY;
		return AG_JSON_MALFORMED;
	}
	if (!json_is_object(v)) {
		json_decref(v);
		set_err(err, errlen, "top-level value is not an object");
		return AG_JSON_NOT_OBJECT;
	}
	*out = ag_json_own(a, v);
	return AG_JSON_OK;
}

static int
dump_cb(const char *buf, size_t size, void *data)
{
	ag_buf_append(data, buf, size);
	return 0;
}

/* Writes straight into an arena buffer: no malloc'd copy to free. */
char *
ag_json_dump(ag_arena *a, const json_t *v)
{
	ag_buf b;

	if (v == NULL)
		return NULL;
	ag_buf_init(&b, a);
	if (json_dump_callback(v, dump_cb, &b,
	    JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY) != 0)
		return NULL;
	return b.data;
}
