/*
 * jsonin.h - JSON request bodies: bounded parsing with jansson, and
 * arena ownership of jansson values.
 */
#ifndef AG_JSONIN_H
#define AG_JSONIN_H

#include <stddef.h>

#include <jansson.h>

#include "arena.h"

enum ag_json_status {
	AG_JSON_OK = 0,
	AG_JSON_TOO_LARGE,      /* len > max_len */
	AG_JSON_TOO_DEEP,       /* nesting deeper than max_depth */
	AG_JSON_MALFORMED,      /* syntax, bad UTF-8, NUL, trailing garbage */
	AG_JSON_DUPLICATE_KEY,
	AG_JSON_NOT_OBJECT      /* valid JSON, but the top level is no object */
};

/*
 * Parses body[0..len) (need not be NUL-terminated) as one JSON object.
 * Rejects len > max_len and nesting deeper than max_depth ("{}" is depth
 * 1) before jansson sees the input, then invalid UTF-8, NUL, duplicate
 * keys and trailing garbage.  On success *out is the object, released
 * when the arena is reset; otherwise *out is NULL.  err (may be NULL)
 * gets a short English detail for logs, with line and column.
 */
enum ag_json_status ag_json_parse_body(ag_arena *a, const char *body,
    size_t len, size_t max_len, size_t max_depth, json_t **out, char *err,
    size_t errlen);

/* Compact serialisation (key order kept) into the arena; NULL if v is. */
char *ag_json_dump(ag_arena *a, const json_t *v);

/* Takes ownership of v (may be NULL): released with the arena.  Returns v. */
json_t *ag_json_own(ag_arena *a, json_t *v);

#endif
