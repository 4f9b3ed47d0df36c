/*
 * fuzz_urlenc.c - libFuzzer harness for urlenc.c: percent-decoding,
 * urlencoded pairs, cookies and UTF-8 validation, with round-trip and
 * cross-checks.  Built by fuzz/run.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "urlenc.h"

#define CHECK(c) do { if (!(c)) { \
	fprintf(stderr, "check failed: %s (%s:%d)\n", #c, __FILE__, __LINE__); \
	abort(); } } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A second, deliberately different UTF-8 validator: decode, then check. */
static int
ref_utf8(const unsigned char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		unsigned long cp;
		size_t n, k;

		if (s[i] < 0x80) {
			i++;
			continue;
		} else if ((s[i] & 0xe0) == 0xc0) {
			n = 2;
			cp = s[i] & 0x1f;
		} else if ((s[i] & 0xf0) == 0xe0) {
			n = 3;
			cp = s[i] & 0x0f;
		} else if ((s[i] & 0xf8) == 0xf0) {
			n = 4;
			cp = s[i] & 0x07;
		} else {
			return 0;
		}
		if (len - i < n)
			return 0;
		for (k = 1; k < n; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) ||
		    (n == 4 && cp < 0x10000) || cp > 0x10ffff ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		i += n;
	}
	return 1;
}

static int
unreserved(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
	    c == '~';
}

static void
check_decode(ag_arena *a, const char *s, size_t size, int plus)
{
	size_t n, n2, i;
	char *d, *d2;
	ag_buf b;

	d = ag_url_decode(a, s, size, plus, &n);
	if (d == NULL)
		return;
	CHECK(n <= size && strlen(d) == n);
	ag_buf_init(&b, a);
	ag_url_encode(&b, d);
	for (i = 0; i < b.len; i++)
		CHECK(unreserved(b.data[i]) || b.data[i] == '%');
	d2 = ag_url_decode(a, b.data, b.len, 1, &n2);
	CHECK(d2 != NULL && n2 == n && memcmp(d, d2, n) == 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ag_arena *a = ag_arena_new();
	const char *s = (const char *)data;
	ag_kvlist l;
	size_t i;

	check_decode(a, s, size, 0);
	check_decode(a, s, size, 1);

	if (ag_parse_urlencoded(a, s, size, 16, &l) == 0) {
		CHECK(l.n <= 16);
		for (i = 0; i < l.n; i++) {
			CHECK(strlen(l.items[i].val) == l.items[i].vlen);
			CHECK(ag_utf8_valid(l.items[i].key,
			    strlen(l.items[i].key)));
			CHECK(ag_utf8_valid(l.items[i].val, l.items[i].vlen));
			CHECK(ag_kv_get(&l, l.items[i].key) != NULL);
		}
	} else {
		CHECK(l.n == 0 && l.items == NULL);
	}

	if (ag_parse_cookies(a, ag_strndup(a, s, size), &l) == 0) {
		CHECK(l.n <= AG_MAX_COOKIES);
		for (i = 0; i < l.n; i++) {
			CHECK(l.items[i].key[0] != '\0');
			CHECK(strchr(l.items[i].key, ';') == NULL);
			CHECK(strchr(l.items[i].key, '=') == NULL);
			CHECK(strchr(l.items[i].val, ';') == NULL);
			CHECK(strlen(l.items[i].val) == l.items[i].vlen);
		}
	} else {
		CHECK(l.n == 0);
	}

	CHECK(ag_utf8_valid(s, size) == ref_utf8(data, size));
	ag_arena_free(a);
	return 0;
}
