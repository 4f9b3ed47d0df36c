/*
 * urlenc.h - key/value lists, percent-encoding, query strings, forms,
 * cookies and UTF-8 validation.
 *
 * All input is untrusted: every parser is bounded, never aborts on bad
 * input and reports it with a return value.  Results live in the arena.
 */
#ifndef AG_URLENC_H
#define AG_URLENC_H

#include <stddef.h>

#include "arena.h"

/* Most cookies ag_parse_cookies() accepts. */
#define AG_MAX_COOKIES 64

/* One key/value pair; key and val are NUL-terminated, vlen = strlen(val). */
typedef struct ag_kv {
	const char *key;
	const char *val;
	size_t vlen;
} ag_kv;

typedef struct ag_kvlist {
	ag_kv *items;
	size_t n;
} ag_kvlist;

/*
 * Percent-decodes s[0..len); with plus_is_space '+' becomes ' ' (forms).
 * Returns a NUL-terminated copy, or NULL on a bad %XX escape or a NUL
 * byte (decoded or raw) that would truncate the C string.
 */
char *ag_url_decode(ag_arena *a, const char *s, size_t len, int plus_is_space,
    size_t *out_len);

/*
 * Parses "a=1&b=2" (query strings and application/x-www-form-urlencoded
 * bodies, '+' is a space).  Empty pairs are skipped; "a" without '='
 * gives val "".  Keys and values must decode to valid UTF-8.  Returns 0,
 * or -1 (and an empty list) on malformed encoding or more than max_pairs
 * pairs.
 */
int ag_parse_urlencoded(ag_arena *a, const char *s, size_t len,
    size_t max_pairs, ag_kvlist *out);

/* First value for key, or NULL. */
const char *ag_kv_get(const ag_kvlist *l, const char *key);

/* Appends s percent-encoded for a query component (A-Za-z0-9-._~ kept). */
void ag_url_encode(ag_buf *b, const char *s);

/*
 * Parses a Cookie header ("a=1; b=2").  Values are not decoded; one pair
 * of surrounding double quotes is stripped.  Pieces without '=' or with
 * an empty name are skipped.  header may be NULL.  Returns 0, or -1 (and
 * an empty list) for more than AG_MAX_COOKIES cookies.
 */
int ag_parse_cookies(ag_arena *a, const char *header, ag_kvlist *out);

/* 1 if s[0..len) is valid UTF-8 (no overlongs, surrogates or > U+10FFFF). */
int ag_utf8_valid(const char *s, size_t len);

#endif
