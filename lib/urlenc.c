/*
 * urlenc.c - percent-encoding, urlencoded pairs, cookies and UTF-8
 * validation; see urlenc.h.
 */
#include "urlenc.h"

#include <string.h>

static int
hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Percent-decodes into a fresh NUL-terminated arena string.  Decoding
 * never grows the input, so len + 1 bytes are enough.
 */
char *
ag_url_decode(ag_arena *a, const char *s, size_t len, int plus_is_space,
    size_t *out_len)
{
	char *d = ag_alloc(a, len + 1);
	size_t i, n = 0;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '%') {
			int hi, lo;

			if (len - i < 3)
				return NULL;
			hi = hexval((unsigned char)s[i + 1]);
			lo = hexval((unsigned char)s[i + 2]);
			if (hi < 0 || lo < 0)
				return NULL;
			c = (unsigned char)(hi << 4 | lo);
			i += 2;
		} else if (c == '+' && plus_is_space) {
			c = ' ';
		}
		if (c == '\0')
			return NULL;
		d[n++] = (char)c;
	}
	d[n] = '\0';
	if (out_len != NULL)
		*out_len = n;
	return d;
}

/* Number of non-empty '&'-separated pieces of s[0..len). */
static size_t
count_pairs(const char *s, size_t len)
{
	size_t i, start = 0, n = 0;

	for (i = 0; i <= len; i++) {
		if (i == len || s[i] == '&') {
			if (i > start)
				n++;
			start = i + 1;
		}
	}
	return n;
}

/*
 * Splits on '&', then on the first '='; both halves are form-decoded.
 * Counting first lets the limit be checked before any allocation that
 * depends on the input.
 */
int
ag_parse_urlencoded(ag_arena *a, const char *s, size_t len, size_t max_pairs,
    ag_kvlist *out)
{
	size_t i, start = 0, npairs, n = 0;
	ag_kv *items;

	out->items = NULL;
	out->n = 0;
	if (s == NULL || len == 0)
		return 0;
	npairs = count_pairs(s, len);
	if (npairs > max_pairs)
		return -1;
	if (npairs == 0)
		return 0;
	items = ag_calloc(a, npairs, sizeof(*items));
	for (i = 0; i <= len; i++) {
		const char *p, *eq;
		size_t plen, klen, vlen;
		char *key, *val;
		ag_kv *kv;

		if (i < len && s[i] != '&')
			continue;
		p = s + start;
		plen = i - start;
		start = i + 1;
		if (plen == 0)
			continue;
		eq = memchr(p, '=', plen);
		klen = eq != NULL ? (size_t)(eq - p) : plen;
		key = ag_url_decode(a, p, klen, 1, &klen);
		if (key == NULL || !ag_utf8_valid(key, klen))
			return -1;
		if (eq != NULL) {
			val = ag_url_decode(a, eq + 1, plen - (size_t)(eq - p) - 1,
			    1, &vlen);
			if (val == NULL || !ag_utf8_valid(val, vlen))
				return -1;
		} else {
			val = ag_strdup(a, "");
			vlen = 0;
		}
		kv = &items[n++];
		kv->key = key;
		kv->val = val;
		kv->vlen = vlen;
	}
	out->items = items;
	out->n = n;
	return 0;
}

/* Linear search: lists are small and bounded by the parsers' limits. */
const char *
ag_kv_get(const ag_kvlist *l, const char *key)
{
	size_t i;

	if (l == NULL || key == NULL)
		return NULL;
	for (i = 0; i < l->n; i++)
		if (strcmp(l->items[i].key, key) == 0)
			return l->items[i].val;
	return NULL;
}

/* RFC 3986 unreserved characters pass; everything else becomes %XX. */
void
ag_url_encode(ag_buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		unsigned char c = *p;

		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' ||
		    c == '_' || c == '~') {
			ag_buf_putc(b, (char)c);
		} else {
			char e[3] = { '%', hex[c >> 4], hex[c & 15] };

			ag_buf_append(b, e, sizeof(e));
		}
	}
}

static int
is_ows(char c)
{
	return c == ' ' || c == '\t';
}

/*
 * Splits on ';', trims optional whitespace around names and values and
 * keeps the rest verbatim: cookie values are opaque to the server.
 */
int
ag_parse_cookies(ag_arena *a, const char *header, ag_kvlist *out)
{
	ag_kv items[AG_MAX_COOKIES];
	const char *p;
	size_t n = 0;

	out->items = NULL;
	out->n = 0;
	if (header == NULL)
		return 0;
	for (p = header; *p != '\0';) {
		const char *end = strchr(p, ';');
		const char *eq, *k, *ke, *v, *ve;

		if (end == NULL)
			end = p + strlen(p);
		eq = memchr(p, '=', (size_t)(end - p));
		if (eq != NULL) {
			for (k = p; k < eq && is_ows(*k); k++)
				;
			for (ke = eq; ke > k && is_ows(ke[-1]); ke--)
				;
			for (v = eq + 1; v < end && is_ows(*v); v++)
				;
			for (ve = end; ve > v && is_ows(ve[-1]); ve--)
				;
			if (ve - v >= 2 && *v == '"' && ve[-1] == '"') {
				v++;
				ve--;
			}
			if (ke > k) {
				if (n == AG_MAX_COOKIES)
					return -1;
				items[n].key = ag_strndup(a, k, (size_t)(ke - k));
				items[n].val = ag_strndup(a, v, (size_t)(ve - v));
				items[n].vlen = (size_t)(ve - v);
				n++;
			}
		}
		p = *end == ';' ? end + 1 : end;
	}
	if (n > 0) {
		out->items = ag_memdup(a, items, n * sizeof(items[0]));
		out->n = n;
	}
	return 0;
}

/*
 * Table-free validator following the well-formed byte sequences of
 * Unicode 15, table 3-7: the second byte's range depends on the lead
 * byte, which rules out overlongs, surrogates and values past U+10FFFF.
 */
int
ag_utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < len) {
		unsigned char c = p[i];
		unsigned char lo = 0x80, hi = 0xbf;
		size_t need, k;

		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			need = 1;
		} else if (c >= 0xe0 && c <= 0xef) {
			need = 2;
			if (c == 0xe0)
				lo = 0xa0;
			else if (c == 0xed)
				hi = 0x9f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			need = 3;
			if (c == 0xf0)
				lo = 0x90;
			else if (c == 0xf4)
				hi = 0x8f;
		} else {
			return 0;
		}
		if (len - i - 1 < need)
			return 0;
		if (p[i + 1] < lo || p[i + 1] > hi)
			return 0;
		for (k = 2; k <= need; k++)
			if (p[i + k] < 0x80 || p[i + k] > 0xbf)
				return 0;
		i += need + 1;
	}
	return 1;
}
