/*
 * crypto.c - random identifiers, digests, MACs, encodings and signed
 * links; see crypto.h.
 */
#include "crypto.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

static const char b64url_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
static const char b64std_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static void
fatal(const char *what)
{
	fprintf(stderr, "autogate: %s failed\n", what);
	abort();
}

void
ag_random_bytes(void *buf, size_t n)
{
	unsigned char *p = buf;

	while (n > 0) {
		int chunk = n > (size_t)INT_MAX ? INT_MAX : (int)n;

		if (RAND_bytes(p, chunk) != 1)
			fatal("RAND_bytes");
		p += chunk;
		n -= (size_t)chunk;
	}
}

/* Encodes with the given alphabet, padding with '=' if pad is set. */
static char *
b64_encode(ag_arena *a, const void *data, size_t n, const char *alpha, int pad)
{
	const unsigned char *p = data;
	size_t groups = n / 3 + (n % 3 != 0);
	char *out = ag_alloc(a, ag_mul(groups, 4) + 1);
	char *o = out;
	size_t i;

	for (i = 0; i + 3 <= n; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8 | p[i + 2];

		*o++ = alpha[v >> 18 & 63];
		*o++ = alpha[v >> 12 & 63];
		*o++ = alpha[v >> 6 & 63];
		*o++ = alpha[v & 63];
	}
	if (n - i == 1) {
		uint32_t v = (uint32_t)p[i] << 16;

		*o++ = alpha[v >> 18 & 63];
		*o++ = alpha[v >> 12 & 63];
		if (pad) {
			*o++ = '=';
			*o++ = '=';
		}
	} else if (n - i == 2) {
		uint32_t v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8;

		*o++ = alpha[v >> 18 & 63];
		*o++ = alpha[v >> 12 & 63];
		*o++ = alpha[v >> 6 & 63];
		if (pad)
			*o++ = '=';
	}
	*o = '\0';
	return out;
}

char *
ag_base64url_encode(ag_arena *a, const void *p, size_t n)
{
	return b64_encode(a, p, n, b64url_alphabet, 0);
}

static int
b64url_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '-')
		return 62;
	if (c == '_')
		return 63;
	return -1;
}

unsigned char *
ag_base64url_decode(ag_arena *a, const char *s, size_t *out_len)
{
	size_t n, i, o = 0;
	unsigned char *out;
	uint32_t acc = 0;
	int bits = 0;

	if (s == NULL)
		return NULL;
	n = strlen(s);
	if (n % 4 == 1)
		return NULL;
	out = ag_alloc(a, n / 4 * 3 + 3);
	for (i = 0; i < n; i++) {
		int v = b64url_value((unsigned char)s[i]);

		if (v < 0)
			return NULL;
		acc = acc << 6 | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (unsigned char)(acc >> bits);
			acc &= (1u << bits) - 1;
		}
	}
	/* leftover bits must be zero, or two encodings decode alike */
	if (acc != 0)
		return NULL;
	out[o] = '\0';
	if (out_len != NULL)
		*out_len = o;
	return out;
}

char *
ag_hex_encode(ag_arena *a, const void *p, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *s = p;
	char *out = ag_alloc(a, ag_mul(n, 2) + 1);
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = hex[s[i] >> 4];
		out[2 * i + 1] = hex[s[i] & 15];
	}
	out[2 * n] = '\0';
	return out;
}

char *
ag_random_token(ag_arena *a, size_t nbytes)
{
	unsigned char *raw = ag_alloc(a, nbytes);
	char *tok;

	ag_random_bytes(raw, nbytes);
	tok = ag_base64url_encode(a, raw, nbytes);
	OPENSSL_cleanse(raw, nbytes);
	return tok;
}

char *
ag_uuid_v4(ag_arena *a)
{
	unsigned char u[16];
	char *h, *out;

	ag_random_bytes(u, sizeof(u));
	u[6] = (unsigned char)((u[6] & 0x0f) | 0x40);	/* version 4 */
	u[8] = (unsigned char)((u[8] & 0x3f) | 0x80);	/* RFC 4122 variant */
	h = ag_hex_encode(a, u, sizeof(u));
	out = ag_alloc(a, 37);
	memcpy(out, h, 8);
	out[8] = '-';
	memcpy(out + 9, h + 8, 4);
	out[13] = '-';
	memcpy(out + 14, h + 12, 4);
	out[18] = '-';
	memcpy(out + 19, h + 16, 4);
	out[23] = '-';
	memcpy(out + 24, h + 20, 12);
	out[36] = '\0';
	return out;
}

static int
is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
	    (c >= 'A' && c <= 'F');
}

int
ag_uuid_valid(const char *s)
{
	int i;

	if (s == NULL)
		return 0;
	for (i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return 0;
		} else if (!is_hex(s[i])) {
			return 0;	/* also stops at the terminating NUL */
		}
	}
	return s[36] == '\0';
}

char *
ag_access_number(ag_arena *a)
{
	/* 42 * 10^8 is the largest multiple of 10^8 that fits in 32 bits;
	 * values at or above it are redrawn so every number is equally
	 * likely. */
	const uint32_t limit = 4200000000u;
	uint32_t v;

	do {
		ag_random_bytes(&v, sizeof(v));
	} while (v >= limit);
	return ag_sprintf(a, "TKT-%08lu", (unsigned long)(v % 100000000u));
}

int
ag_access_number_valid(const char *s)
{
	int i;

	if (s == NULL || strncmp(s, "TKT-", 4) != 0)
		return 0;
	for (i = 4; i < 12; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return s[12] == '\0';
}

void
ag_sha256(const void *p, size_t n, unsigned char out[32])
{
	unsigned int len = 0;

	if (EVP_Digest(p, n, out, &len, EVP_sha256(), NULL) != 1 || len != 32)
		fatal("EVP_Digest");
}

char *
ag_sha256_hex(ag_arena *a, const void *p, size_t n)
{
	unsigned char md[32];

	ag_sha256(p, n, md);
	return ag_hex_encode(a, md, sizeof(md));
}

static void
hmac(const EVP_MD *md, const void *key, size_t klen, const void *msg,
    size_t mlen, unsigned char *out, unsigned int want)
{
	unsigned int len = 0;
	static const unsigned char empty = 0;

	if (klen > (size_t)INT_MAX)
		fatal("HMAC key length");
	/* HMAC() wants a non-NULL key pointer even for empty keys */
	if (key == NULL)
		key = &empty;
	if (msg == NULL)
		msg = &empty;
	if (HMAC(md, key, (int)klen, msg, mlen, out, &len) == NULL || len != want)
		fatal("HMAC");
}

void
ag_hmac_sha256(const void *key, size_t klen, const void *msg, size_t mlen,
    unsigned char out[32])
{
	hmac(EVP_sha256(), key, klen, msg, mlen, out, 32);
}

char *
ag_hmac_sha256_b64url(ag_arena *a, const char *key, const char *msg)
{
	unsigned char md[32];

	ag_hmac_sha256(key, strlen(key), msg, strlen(msg), md);
	return ag_base64url_encode(a, md, sizeof(md));
}

char *
ag_hmac_sha512_b64(ag_arena *a, const char *key, const char *msg)
{
	unsigned char md[64];

	hmac(EVP_sha512(), key, strlen(key), msg, strlen(msg), md, 64);
	return b64_encode(a, md, sizeof(md), b64std_alphabet, 1);
}

int
ag_ct_equal(const void *a, const void *b, size_t n)
{
	return CRYPTO_memcmp(a, b, n) == 0;
}

int
ag_ct_streq(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i;
	unsigned char diff = 0;

	/* walk the whole of b; past the end of a compare against a's NUL */
	for (i = 0; i < lb; i++) {
		size_t j = i < la ? i : la;

		diff |= (unsigned char)(a[j] ^ b[i]);
	}
	return (diff == 0) & (la == lb);
}

/* Percent-encodes everything but RFC 3986 unreserved characters. */
static void
url_encode(ag_buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";

	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' ||
		    c == '_' || c == '~') {
			ag_buf_putc(b, (char)c);
		} else {
			ag_buf_putc(b, '%');
			ag_buf_putc(b, hex[c >> 4]);
			ag_buf_putc(b, hex[c & 15]);
		}
	}
}

static char *
stream_signature(ag_arena *a, const char *path, long long expires,
    const char *secret)
{
	char *msg = ag_sprintf(a, "stream\n%s\n%lld", path, expires);

	return ag_hmac_sha256_b64url(a, secret, msg);
}

char *
ag_signed_url(ag_arena *a, const char *prefix, const char *path,
    long long expires, const char *secret)
{
	ag_buf b;

	ag_buf_init(&b, a);
	ag_buf_puts(&b, prefix);
	ag_buf_puts(&b, "?path=");
	url_encode(&b, path);
	ag_buf_printf(&b, "&expires=%lld&signature=%s", expires,
	    stream_signature(a, path, expires, secret));
	return b.data;
}

/* Parses a canonical non-negative decimal (no sign, no leading zeros). */
static int
parse_expires(const char *s, long long *out)
{
	long long v = 0;
	size_t i, n;

	if (s == NULL)
		return -1;
	n = strlen(s);
	if (n == 0 || n > 18 || (n > 1 && s[0] == '0'))
		return -1;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

int
ag_signed_url_check(ag_arena *a, const char *path, const char *expires,
    const char *signature, const char *secret, long long now)
{
	long long exp;
	char *want;

	if (path == NULL || signature == NULL || signature[0] == '\0' ||
	    secret == NULL || secret[0] == '\0')
		return -1;
	if (parse_expires(expires, &exp) != 0)
		return -1;
	want = stream_signature(a, path, exp, secret);
	if (!ag_ct_streq(signature, want))
		return -1;
	if (now > exp)
		return -2;
	return 0;
}
