/* test_crypto.c - digests, MACs, encodings, identifiers, signed links. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "arena.h"
#include "crypto.h"

static int
setup(void **state)
{
	*state = ag_arena_new();
	return 0;
}

static int
teardown(void **state)
{
	ag_arena_free(*state);
	return 0;
}

static void
test_sha256_abc(void **state)
{
	ag_arena *a = *state;
	unsigned char md[32];

	assert_string_equal(ag_sha256_hex(a, "abc", 3),
	    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	assert_string_equal(ag_sha256_hex(a, "", 0),
	    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	ag_sha256("abc", 3, md);
	assert_int_equal(md[0], 0xba);
	assert_int_equal(md[31], 0xad);
}

static void
test_hmac_rfc4231_case2(void **state)
{
	ag_arena *a = *state;
	const char *key = "Jefe", *msg = "what do ya want for nothing?";
	unsigned char md[32];

	ag_hmac_sha256(key, 4, msg, strlen(msg), md);
	assert_string_equal(ag_hex_encode(a, md, sizeof(md)),
	    "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
	assert_string_equal(ag_hmac_sha256_b64url(a, key, msg),
	    "W9zBRr9gdU5qBCQmCJV1x1oAPwidJzmDnexYuWTsOEM");
	assert_string_equal(ag_hmac_sha512_b64(a, key, msg),
	    "Fkt6e/z4GeLjlfvnO1bgo4e9ZCIugx/WECcM1+olBVSXWL91wFqZSm0DT2X48Ob9"
	    "yuqxo01Ka0tjbgcKOLznNw==");
	assert_string_not_equal(ag_hmac_sha256_b64url(a, "jefe", msg),
	    "W9zBRr9gdU5qBCQmCJV1x1oAPwidJzmDnexYuWTsOEM");
}

static void
test_base64url(void **state)
{
	ag_arena *a = *state;
	unsigned char raw[256], *dec;
	size_t n, len;

	/* RFC 4648 vectors, without padding */
	assert_string_equal(ag_base64url_encode(a, "", 0), "");
	assert_string_equal(ag_base64url_encode(a, "f", 1), "Zg");
	assert_string_equal(ag_base64url_encode(a, "fo", 2), "Zm8");
	assert_string_equal(ag_base64url_encode(a, "foo", 3), "Zm9v");
	assert_string_equal(ag_base64url_encode(a, "foobar", 6), "Zm9vYmFy");
	assert_string_equal(ag_base64url_encode(a, "\xfb\xff", 2), "-_8");

	for (n = 0; n < sizeof(raw); n++)
		raw[n] = (unsigned char)(n * 37 + 11);
	for (n = 0; n <= sizeof(raw); n++) {
		char *enc = ag_base64url_encode(a, raw, n);

		assert_null(strchr(enc, '='));
		dec = ag_base64url_decode(a, enc, &len);
		assert_non_null(dec);
		assert_int_equal(len, n);
		assert_memory_equal(dec, raw, n);
	}

	dec = ag_base64url_decode(a, "Zm9vYmFy", &len);
	assert_non_null(dec);
	assert_string_equal((char *)dec, "foobar");
	assert_null(ag_base64url_decode(a, "Zm9=", &len));	/* padding */
	assert_null(ag_base64url_decode(a, "Zm+v", &len));	/* std alphabet */
	assert_null(ag_base64url_decode(a, "Z", &len));	/* impossible length */
	assert_null(ag_base64url_decode(a, "Zh", &len));	/* stray bits */
	assert_null(ag_base64url_decode(a, "Zm 9", &len));
	assert_null(ag_base64url_decode(a, NULL, &len));
}

static void
test_hex_and_tokens(void **state)
{
	ag_arena *a = *state;
	char *t1, *t2;
	size_t len;

	assert_string_equal(ag_hex_encode(a, "\x00\x7f\xff", 3), "007fff");
	t1 = ag_random_token(a, 32);
	t2 = ag_random_token(a, 32);
	assert_int_equal(strlen(t1), 43);
	assert_string_not_equal(t1, t2);
	assert_non_null(ag_base64url_decode(a, t1, &len));
	assert_int_equal(len, 32);
}

static void
test_uuid(void **state)
{
	ag_arena *a = *state;
	int i;

	for (i = 0; i < 200; i++) {
		char *u = ag_uuid_v4(a);

		assert_int_equal(strlen(u), 36);
		assert_true(ag_uuid_valid(u));
		assert_int_equal(u[14], '4');
		assert_non_null(strchr("89ab", u[19]));
		for (const char *p = u; *p; p++)
			assert_true(*p == '-' || (*p >= '0' && *p <= '9') ||
			    (*p >= 'a' && *p <= 'f'));
	}
	assert_string_not_equal(ag_uuid_v4(a), ag_uuid_v4(a));
	assert_true(ag_uuid_valid("123E4567-E89B-12D3-A456-426614174000"));
	assert_false(ag_uuid_valid("123e4567-e89b-12d3-a456-42661417400"));
	assert_false(ag_uuid_valid("123e4567-e89b-12d3-a456-4266141740000"));
	assert_false(ag_uuid_valid("123e4567e89b-12d3-a456-4266141740000"));
	assert_false(ag_uuid_valid("123e4567-e89b-12d3-a456-42661417400g"));
	assert_false(ag_uuid_valid("{23e4567-e89b-12d3-a456-426614174000"));
	assert_false(ag_uuid_valid(""));
	assert_false(ag_uuid_valid(NULL));
}

static void
test_access_number(void **state)
{
	ag_arena *a = *state;
	int seen[8][10] = { { 0 } };
	int i, pos, d;

	for (i = 0; i < 2000; i++) {
		char *s = ag_access_number(a);

		assert_int_equal(strlen(s), 12);
		assert_true(ag_access_number_valid(s));
		for (pos = 0; pos < 8; pos++)
			seen[pos][s[4 + pos] - '0']++;
	}
	/* 2000 draws: each digit appears ~200 times at each position;
	 * a digit missing anywhere means a broken generator */
	for (pos = 0; pos < 8; pos++)
		for (d = 0; d < 10; d++) {
			assert_true(seen[pos][d] > 100);
			assert_true(seen[pos][d] < 320);
		}
	assert_true(ag_access_number_valid("TKT-00000000"));
	assert_false(ag_access_number_valid("TKT-1234567"));
	assert_false(ag_access_number_valid("TKT-123456789"));
	assert_false(ag_access_number_valid("tkt-12345678"));
	assert_false(ag_access_number_valid("TKT-1234567a"));
	assert_false(ag_access_number_valid("TKX-12345678"));
	assert_false(ag_access_number_valid(NULL));
}

static void
test_ct_compare(void **state)
{
	(void)state;
	assert_true(ag_ct_equal("abcd", "abcd", 4));
	assert_false(ag_ct_equal("abcd", "abce", 4));
	assert_true(ag_ct_streq("secret", "secret"));
	assert_true(ag_ct_streq("", ""));
	assert_false(ag_ct_streq("secret", "secreT"));
	assert_false(ag_ct_streq("secre", "secret"));
	assert_false(ag_ct_streq("secrets", "secret"));
	assert_false(ag_ct_streq("", "secret"));
	assert_false(ag_ct_streq("secret", ""));
}

static const char *
query_value(ag_arena *a, const char *url, const char *name)
{
	char *key = ag_sprintf(a, "%s=", name);
	const char *p = strstr(url, key), *end;

	if (p == NULL)
		return NULL;
	p += strlen(key);
	end = strchr(p, '&');
	return ag_strndup(a, p, end ? (size_t)(end - p) : strlen(p));
}

static void
test_signed_url(void **state)
{
	ag_arena *a = *state;
	const char *secret = "s3cr3t-key", *path = "tickets/2024/05/a b+c.png";
	const char *prefix = "http://127.0.0.1:8080/v1/files/stream";
	char *url = ag_signed_url(a, prefix, path, 1700000000LL, secret);
	const char *exp, *sig;

	assert_true(strncmp(url, prefix, strlen(prefix)) == 0);
	assert_non_null(strstr(url,
	    "?path=tickets%2F2024%2F05%2Fa%20b%2Bc.png&expires=1700000000&signature="));
	exp = query_value(a, url, "expires");
	sig = query_value(a, url, "signature");
	assert_string_equal(exp, "1700000000");
	assert_int_equal(strlen(sig), 43);

	/* valid until and including the expiry second */
	assert_int_equal(ag_signed_url_check(a, path, exp, sig, secret,
	    1600000000LL), 0);
	assert_int_equal(ag_signed_url_check(a, path, exp, sig, secret,
	    1700000000LL), 0);
	assert_int_equal(ag_signed_url_check(a, path, exp, sig, secret,
	    1700000001LL), -2);

	/* tampering */
	assert_int_equal(ag_signed_url_check(a, "tickets/2024/05/other.png",
	    exp, sig, secret, 0), -1);
	assert_int_equal(ag_signed_url_check(a, path, "1700000001", sig,
	    secret, 0), -1);
	assert_int_equal(ag_signed_url_check(a, path, exp, sig, "other",
	    0), -1);
	assert_int_equal(ag_signed_url_check(a, path, exp,
	    ag_strndup(a, sig, 42), secret, 0), -1);
	assert_int_equal(ag_signed_url_check(a, path, exp, "", secret, 0), -1);
	assert_int_equal(ag_signed_url_check(a, path, exp, NULL, secret, 0), -1);
	assert_int_equal(ag_signed_url_check(a, path, exp, sig, "", 0), -1);
	/* malformed expiry; an expired but tampered link is still -1 */
	assert_int_equal(ag_signed_url_check(a, path, "01700000000", sig,
	    secret, 0), -1);
	assert_int_equal(ag_signed_url_check(a, path, "17e8", sig, secret, 0), -1);
	assert_int_equal(ag_signed_url_check(a, path, "", sig, secret, 0), -1);
	assert_int_equal(ag_signed_url_check(a, path, NULL, sig, secret, 0), -1);
	assert_int_equal(ag_signed_url_check(a, path, "-1", sig, secret, 0), -1);
	assert_int_equal(ag_signed_url_check(a, "x", exp, sig, secret,
	    1800000000LL), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_sha256_abc, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hmac_rfc4231_case2, setup, teardown),
		cmocka_unit_test_setup_teardown(test_base64url, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hex_and_tokens, setup, teardown),
		cmocka_unit_test_setup_teardown(test_uuid, setup, teardown),
		cmocka_unit_test_setup_teardown(test_access_number, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ct_compare, setup, teardown),
		cmocka_unit_test_setup_teardown(test_signed_url, setup, teardown),
	};

	return cmocka_run_group_tests_name("crypto", tests, NULL, NULL);
}
