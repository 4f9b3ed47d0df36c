/* test_password_policy.c - the password rules: length, e-mail, common list. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "arena.h"
#include "password.h"
#include "sys.h"

/* The list shipped in the repository (data/common-passwords.txt). */
static const char *
shipped_list(void)
{
	static char path[1024];
	const char *src = getenv("AG_TEST_SRCDIR");

	snprintf(path, sizeof(path), "%s/data/common-passwords.txt",
	    src != NULL && src[0] != '\0' ? src : AG_SRCDIR);
	return path;
}

static void
test_length(void **state)
{
	const char *list = shipped_list();

	(void)state;
	assert_non_null(ag_password_policy("Pendek-123", "a@example.com", list));
	assert_non_null(ag_password_policy("", "a@example.com", list));
	assert_non_null(ag_password_policy(NULL, "a@example.com", list));
	/* 11 and 12 characters */
	assert_non_null(ag_password_policy("Kuda-Lari-7", "a@example.com", list));
	assert_null(ag_password_policy("Kuda-Lari-7x", "a@example.com", list));
	assert_string_equal(ag_password_policy("Kuda-Lari-7", NULL, list),
	    "Kata sandi minimal 12 karakter");
}

static void
test_length_counts_characters(void **state)
{
	const char *list = shipped_list();
	/* 11 characters in 22 bytes: two-byte "é" each */
	const char *eleven = "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
	    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9";
	char twelve[64], max[4 * 130], over[4 * 130 + 8];

	(void)state;
	snprintf(twelve, sizeof(twelve), "%s\xc3\xa9", eleven);
	assert_non_null(ag_password_policy(eleven, NULL, list));
	assert_null(ag_password_policy(twelve, NULL, list));
	/* 128 three-byte characters pass; 129 do not */
	max[0] = '\0';
	for (int i = 0; i < 128; i++)
		strcat(max, "\xe2\x80\x94");
	assert_int_equal(strlen(max), 384);
	assert_null(ag_password_policy(max, NULL, list));
	snprintf(over, sizeof(over), "%sx", max);
	assert_string_equal(ag_password_policy(over, NULL, list),
	    "Kata sandi maksimal 128 karakter");
}

static void
test_not_email(void **state)
{
	const char *list = shipped_list();

	(void)state;
	assert_non_null(ag_password_policy("budi.santoso@example.com",
	    "budi.santoso@example.com", list));
	assert_non_null(ag_password_policy("BUDI.Santoso@Example.COM",
	    "budi.santoso@example.com", list));
	assert_string_equal(ag_password_policy("Budi.Santoso",
	    "budi.santoso@example.com", list),
	    "Kata sandi tidak boleh sama dengan email");
	/* containing the local part is allowed, only equality is refused */
	assert_null(ag_password_policy("budi.santoso-Lari-7",
	    "budi.santoso@example.com", list));
	assert_null(ag_password_policy("Budi.Santoso", "budi@example.com", list));
}

static void
test_common_shipped(void **state)
{
	const char *list = shipped_list();
	static const char *const weak[] = {
		"password1234", "Password1234", "QWERTYUIOP123", "123456789012",
		"admin1234567", "katasandi123", "Indonesia123", "iloveyou1234",
		"1qaz2wsx3edc",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(weak) / sizeof(weak[0]); i++) {
		const char *why = ag_password_policy(weak[i], NULL, list);

		if (why == NULL)
			fail_msg("%s was accepted", weak[i]);
		assert_string_equal(why,
		    "Kata sandi terlalu umum, gunakan kata sandi lain");
	}
	assert_null(ag_password_policy("Autogate-Demo-2026", NULL, list));
	assert_null(ag_password_policy("kuda lari di gresik", NULL, list));
}

static void
test_common_own_list(void **state)
{
	char path[1024];
	int fd;
	FILE *f;

	(void)state;
	snprintf(path, sizeof(path), "%s/test-common-XXXXXX", ag_tmpdir());
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	fputs("# a comment line\nzebra-kuning-99\n\nAPEL-MERAH-123\r\n", f);
	fclose(f);
	assert_non_null(ag_password_policy("Zebra-Kuning-99", NULL, path));
	assert_non_null(ag_password_policy("apel-merah-123", NULL, path));
	assert_null(ag_password_policy("# a comment line", NULL, path));
	assert_null(ag_password_policy("password1234", NULL, path));
	/* back to the shipped list: the cache follows the path */
	assert_non_null(ag_password_policy("password1234", NULL, shipped_list()));
	assert_null(ag_password_policy("zebra-kuning-99", NULL, shipped_list()));
	unlink(path);
}

static void
test_missing_list(void **state)
{
	(void)state;
	/* a missing list refuses nothing but the other rules still apply */
	assert_null(ag_password_policy("password1234", NULL,
	    "/nonexistent/common-passwords.txt"));
	assert_non_null(ag_password_policy("short", NULL,
	    "/nonexistent/common-passwords.txt"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_length),
		cmocka_unit_test(test_length_counts_characters),
		cmocka_unit_test(test_not_email),
		cmocka_unit_test(test_common_shipped),
		cmocka_unit_test(test_common_own_list),
		cmocka_unit_test(test_missing_list),
	};

	return cmocka_run_group_tests_name("password_policy", tests, NULL,
	    NULL);
}
