/* test_qr.c - QR code PNG output, decoded back with zbarimg if present. */
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
#include "qr.h"
#include "sys.h"

static const unsigned char png_sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };

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

static uint32_t
be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void
test_png_header(void **state)
{
	ag_arena *a = *state;
	unsigned char *png;
	size_t len;
	uint32_t w;

	assert_int_equal(ag_qr_png(a, "TKT-12345678", 4, 4, &png, &len), 0);
	assert_true(len > 33);
	assert_memory_equal(png, png_sig, 8);
	assert_memory_equal(png + 12, "IHDR", 4);
	w = be32(png + 16);
	assert_int_equal(w, be32(png + 20));
	/* (modules + 2 * margin) * scale; version 1 is 21 modules */
	assert_int_equal(w % 4, 0);
	assert_true(w >= (21 + 8) * 4);
	assert_int_equal(png[24], 8);	/* bit depth */
	assert_int_equal(png[25], 0);	/* grayscale */
}

static void
test_bad_arguments(void **state)
{
	ag_arena *a = *state;
	unsigned char *png = (unsigned char *)"x";
	size_t len = 1;
	char *huge = ag_alloc(a, 4000);

	memset(huge, 'A', 3999);
	huge[3999] = '\0';
	assert_int_equal(ag_qr_png(a, "", 4, 4, &png, &len), -1);
	assert_null(png);
	assert_int_equal(len, 0);
	assert_int_equal(ag_qr_png(a, NULL, 4, 4, &png, &len), -1);
	assert_int_equal(ag_qr_png(a, "x", 0, 4, &png, &len), -1);
	assert_int_equal(ag_qr_png(a, "x", 65, 4, &png, &len), -1);
	assert_int_equal(ag_qr_png(a, "x", 4, 3, &png, &len), -1);
	assert_int_equal(ag_qr_png(a, "x", 64, 64, &png, &len), -1);
	assert_int_equal(ag_qr_png(a, huge, 1, 4, &png, &len), -1);
}

/* Writes the PNG to a file and decodes it with zbarimg; NULL if it
 * cannot decode.  The result is in the arena. */
static char *
zbar_decode(ag_arena *a, const unsigned char *png, size_t len)
{
	char path[4096], buf[512], *cmd;
	size_t n;
	FILE *p;
	int fd;

	snprintf(path, sizeof(path), "%s/ag-qr-XXXXXX", ag_tmpdir());
	fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, png, len), (ssize_t)len);
	close(fd);
	cmd = ag_sprintf(a, "zbarimg --raw -q '%s' 2>/dev/null", path);
	p = popen(cmd, "r");
	assert_non_null(p);
	n = fread(buf, 1, sizeof(buf) - 1, p);
	pclose(p);
	unlink(path);
	buf[n] = '\0';
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		buf[--n] = '\0';
	return n > 0 ? ag_strdup(a, buf) : NULL;
}

static void
test_decodes_back(void **state)
{
	ag_arena *a = *state;
	unsigned char *png;
	size_t len;
	const char *url = "https://autogate.example.id/v1/tickets/guest/"
	    "0f8fad5b-d9cb-469f-a165-70867728950e";

	if (access("/usr/bin/zbarimg", X_OK) != 0) {
		skip();
		return;
	}
	assert_int_equal(ag_qr_png(a, "TKT-12345678", 6, 4, &png, &len), 0);
	assert_string_equal(zbar_decode(a, png, len), "TKT-12345678");
	assert_int_equal(ag_qr_png(a, url, 3, 4, &png, &len), 0);
	assert_string_equal(zbar_decode(a, png, len), url);
	/* and it is not decoding to something fixed */
	assert_int_equal(ag_qr_png(a, "TKT-87654321", 6, 4, &png, &len), 0);
	assert_string_not_equal(zbar_decode(a, png, len), "TKT-12345678");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_png_header, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_arguments, setup, teardown),
		cmocka_unit_test_setup_teardown(test_decodes_back, setup, teardown),
	};

	return cmocka_run_group_tests_name("qr", tests, NULL, NULL);
}
