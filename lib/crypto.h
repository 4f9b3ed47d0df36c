/*
 * crypto.h - random identifiers, digests, MACs, encodings and signed,
 * expiring links (OpenSSL libcrypto 3).
 *
 * Everything that returns a string allocates it in the caller's arena.
 * Failures of the random generator or of libcrypto itself are not
 * recoverable conditions for a request and abort the process.
 */
#ifndef AG_CRYPTO_H
#define AG_CRYPTO_H

#include <stddef.h>

#include "arena.h"

/* n bytes from the CSPRNG (RAND_bytes); aborts on failure. */
void ag_random_bytes(void *buf, size_t n);
/* nbytes random bytes as base64url without padding (session ids, CSRF). */
char *ag_random_token(ag_arena *a, size_t nbytes);
/* Random (version 4) UUID, lowercase canonical 8-4-4-4-12 form. */
char *ag_uuid_v4(ag_arena *a);
/* 1 if s is a canonical 8-4-4-4-12 hex UUID (any case), else 0. */
int ag_uuid_valid(const char *s);
/* Ticket access number "TKT-" + 8 uniformly random digits. */
char *ag_access_number(ag_arena *a);
/* 1 if s is exactly "TKT-" followed by 8 digits, else 0. */
int ag_access_number_valid(const char *s);

/* SHA-256 of p[0..n). */
void ag_sha256(const void *p, size_t n, unsigned char out[32]);
/* SHA-256 of p[0..n) as 64 lowercase hex digits. */
char *ag_sha256_hex(ag_arena *a, const void *p, size_t n);
/* HMAC-SHA256(key, msg). */
void ag_hmac_sha256(const void *key, size_t klen, const void *msg, size_t mlen,
    unsigned char out[32]);
/* HMAC-SHA256 of NUL-terminated strings, base64url without padding. */
char *ag_hmac_sha256_b64url(ag_arena *a, const char *key, const char *msg);
/* HMAC-SHA512 of NUL-terminated strings, standard padded base64
 * (the form partner APIs expect in their signature headers). */
char *ag_hmac_sha512_b64(ag_arena *a, const char *key, const char *msg);

/* Constant-time comparison of n bytes; 1 if equal. */
int ag_ct_equal(const void *a, const void *b, size_t n);
/* String comparison whose time depends only on the length of b (the
 * secret or expected value); 1 if equal. */
int ag_ct_streq(const char *a, const char *b);

/* base64url (RFC 4648 section 5) without padding. */
char *ag_base64url_encode(ag_arena *a, const void *p, size_t n);
/* Strict decoder for the above: no padding, no whitespace, canonical
 * trailing bits.  The result is NUL-terminated for convenience; NULL if
 * s is not valid. */
unsigned char *ag_base64url_decode(ag_arena *a, const char *s, size_t *out_len);
/* Lowercase hex. */
char *ag_hex_encode(ag_arena *a, const void *p, size_t n);

/*
 * Signed, expiring links to stored files.
 *   signature = base64url(HMAC-SHA256(secret, "stream\n" + path + "\n" + expires))
 * ag_signed_url returns
 *   "<prefix>?path=<percent-encoded path>&expires=<unix secs>&signature=<sig>"
 * where prefix is e.g. "http://127.0.0.1:8080/v1/files/stream".
 * The secret must be non-empty.
 */
char *ag_signed_url(ag_arena *a, const char *prefix, const char *path,
    long long expires, const char *secret);
/* Checks the (already URL-decoded) query values of a signed link.
 * Returns 0 if valid, -1 if the signature is bad or missing or expires
 * is malformed, -2 if the link has expired (now > expires).  The
 * signature is compared in constant time. */
int ag_signed_url_check(ag_arena *a, const char *path, const char *expires,
    const char *signature, const char *secret, long long now);

#endif
