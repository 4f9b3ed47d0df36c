/* test_password.c - Argon2id hashing and verification. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "arena.h"
#include "password.h"

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
test_hash_and_verify(void **state)
{
	ag_arena *a = *state;
	char *h = ag_password_hash(a, "Rahasia-Gresik#2024");

	assert_true(strncmp(h, "$argon2id$v=19$m=19456,t=2,p=1$", 31) == 0);
	assert_true(ag_password_verify(h, "Rahasia-Gresik#2024"));
	assert_false(ag_password_verify(h, "rahasia-Gresik#2024"));
	assert_false(ag_password_verify(h, "Rahasia-Gresik#202"));
	assert_false(ag_password_verify(h, ""));
	assert_false(ag_password_verify(h, NULL));
}

static void
test_salted(void **state)
{
	ag_arena *a = *state;
	char *h1 = ag_password_hash(a, "sama");
	char *h2 = ag_password_hash(a, "sama");

	assert_string_not_equal(h1, h2);
	assert_true(ag_password_verify(h1, "sama"));
	assert_true(ag_password_verify(h2, "sama"));
}

static void
test_empty_and_utf8_passwords(void **state)
{
	ag_arena *a = *state;
	char *h = ag_password_hash(a, "");
	char *u = ag_password_hash(a, "kata sandi \xe2\x80\x94 aman");

	assert_true(ag_password_verify(h, ""));
	assert_false(ag_password_verify(h, " "));
	assert_true(ag_password_verify(u, "kata sandi \xe2\x80\x94 aman"));
}

static void
test_malformed(void **state)
{
	ag_arena *a = *state;
	char *h = ag_password_hash(a, "pw");
	char *cut = ag_strndup(a, h, strlen(h) - 5);
	char *argon2i = ag_sprintf(a, "$argon2i$%s", h + strlen("$argon2id$"));
	char *flipped = ag_strdup(a, h);

	flipped[strlen(flipped) - 2] = flipped[strlen(flipped) - 2] == 'A' ? 'B' : 'A';
	assert_false(ag_password_verify(cut, "pw"));
	assert_false(ag_password_verify(argon2i, "pw"));
	assert_false(ag_password_verify(flipped, "pw"));
	assert_false(ag_password_verify("", "pw"));
	assert_false(ag_password_verify("$argon2id$", "pw"));
	assert_false(ag_password_verify("$argon2id$v=19$m=19456,t=2,p=1$$", "pw"));
	assert_false(ag_password_verify("plaintext", "plaintext"));
	assert_false(ag_password_verify(NULL, "pw"));
}

static void
test_burn(void **state)
{
	(void)state;
	/* must not crash or abort for any input */
	ag_password_burn("whatever");
	ag_password_burn("");
	ag_password_burn(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_hash_and_verify, setup, teardown),
		cmocka_unit_test_setup_teardown(test_salted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty_and_utf8_passwords, setup, teardown),
		cmocka_unit_test_setup_teardown(test_malformed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_burn, setup, teardown),
	};

	return cmocka_run_group_tests_name("password", tests, NULL, NULL);
}
