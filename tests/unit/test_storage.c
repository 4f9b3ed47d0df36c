/* test_storage.c - local disk storage, key validation and MIME sniffing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "arena.h"
#include "storage.h"
#include "sys.h"

struct fixture {
	ag_arena *a;
	ag_storage *s;
	char root[1024];
};

static const unsigned char png_bytes[] = {
	0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n',
	0, 0, 0, 13, 'I', 'H', 'D', 'R', 0, 0, 0, 1, 0, 0, 0, 1,
	8, 0, 0, 0, 0, 0x3a, 0x7e, 0x9b, 0x55,
};
static const char pdf_bytes[] = "%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"
    "trailer\n<< /Root 1 0 R >>\n%%EOF\n";

static int
rm_tree(const char *dir)
{
	char cmd[1100];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd);
}

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char err[256], *sub;

	if (f == NULL)
		return -1;
	snprintf(f->root, sizeof(f->root), "%s/ag-storage-XXXXXX", ag_tmpdir());
	if (mkdtemp(f->root) == NULL)
		return -1;
	f->a = ag_arena_new();
	/* a root that does not exist yet, two levels down */
	sub = ag_sprintf(f->a, "%s/data/files", f->root);
	f->s = ag_storage_local_open(sub, err, sizeof(err));
	if (f->s == NULL)
		return -1;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	ag_storage_close(f->s);
	ag_arena_free(f->a);
	rm_tree(f->root);
	free(f);
	return 0;
}

static void
test_key_valid(void **state)
{
	char long_key[202];
	(void)state;
	assert_true(ag_storage_key_valid("tickets/2024/05/abc-def.png"));
	assert_true(ag_storage_key_valid("a"));
	assert_true(ag_storage_key_valid("0/x_y.z"));
	assert_false(ag_storage_key_valid(NULL));
	assert_false(ag_storage_key_valid(""));
	assert_false(ag_storage_key_valid("../etc/passwd"));
	assert_false(ag_storage_key_valid("a/../../etc/passwd"));
	assert_false(ag_storage_key_valid("a/b..c"));
	assert_false(ag_storage_key_valid("/etc/passwd"));
	assert_false(ag_storage_key_valid("a//b"));
	assert_false(ag_storage_key_valid("a/b/"));
	assert_false(ag_storage_key_valid("Tickets/x.png"));
	assert_false(ag_storage_key_valid("tickets/X.png"));
	assert_false(ag_storage_key_valid(".tmp/x"));
	assert_false(ag_storage_key_valid("a/.hidden"));
	assert_false(ag_storage_key_valid("-a"));
	assert_false(ag_storage_key_valid("a b"));
	assert_false(ag_storage_key_valid("a\\b"));
	assert_false(ag_storage_key_valid("a/b\xc3\xa9"));

	memset(long_key, 'a', 200);
	long_key[200] = '\0';
	assert_true(ag_storage_key_valid(long_key));
	long_key[200] = 'a';
	long_key[201] = '\0';
	assert_false(ag_storage_key_valid(long_key));
}

static void
test_new_key(void **state)
{
	struct fixture *f = *state;
	char *k1 = ag_storage_new_key(f->a, "qr", ".png");
	char *k2 = ag_storage_new_key(f->a, "qr", ".png");
	char *k3 = ag_storage_new_key(f->a, "uploads/ktp", "");

	assert_non_null(k1);
	assert_true(ag_storage_key_valid(k1));
	assert_string_not_equal(k1, k2);
	/* "qr/yyyy/mm/" + 36 + ".png" */
	assert_int_equal(strlen(k1), 3 + 5 + 3 + 36 + 4);
	assert_true(strncmp(k1, "qr/20", 5) == 0);
	assert_string_equal(k1 + strlen(k1) - 4, ".png");
	assert_non_null(k3);
	assert_int_equal(strlen(k3), 12 + 5 + 3 + 36);
	assert_null(ag_storage_new_key(f->a, "../x", ".png"));
	assert_null(ag_storage_new_key(f->a, "QR", ".png"));
	assert_null(ag_storage_new_key(f->a, "qr", "/"));
	assert_null(ag_storage_new_key(f->a, NULL, ".png"));
}

static void
test_put_get_exists_delete(void **state)
{
	struct fixture *f = *state;
	const char *key = "tickets/2024/05/t1.txt";
	unsigned char *data;
	size_t len;
	struct stat st;
	char *path;

	assert_false(ag_storage_exists(f->s, key));
	assert_int_equal(ag_storage_get(f->s, f->a, key, 1024, &data, &len), -1);
	assert_null(data);

	assert_int_equal(ag_storage_put(f->s, key, "halo dunia", 10), 0);
	assert_true(ag_storage_exists(f->s, key));
	assert_int_equal(ag_storage_get(f->s, f->a, key, 1024, &data, &len), 0);
	assert_int_equal(len, 10);
	assert_memory_equal(data, "halo dunia", 10);

	path = ag_sprintf(f->a, "%s/data/files/%s", f->root, key);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0640);
	path = ag_sprintf(f->a, "%s/data/files/tickets/2024", f->root);
	assert_int_equal(stat(path, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(st.st_mode & 0777, 0750);

	/* overwrite, empty object */
	assert_int_equal(ag_storage_put(f->s, key, "", 0), 0);
	assert_int_equal(ag_storage_get(f->s, f->a, key, 1024, &data, &len), 0);
	assert_int_equal(len, 0);

	/* a directory is not an object */
	assert_false(ag_storage_exists(f->s, "tickets/2024"));
	assert_int_equal(ag_storage_get(f->s, f->a, "tickets/2024", 1024,
	    &data, &len), -1);
	assert_int_equal(ag_storage_delete(f->s, "tickets/2024"), -2);

	assert_int_equal(ag_storage_delete(f->s, key), 0);
	assert_false(ag_storage_exists(f->s, key));
	assert_int_equal(ag_storage_delete(f->s, key), -1);
	assert_int_equal(ag_storage_delete(f->s, "tickets/2024/05/t1.txt/x"), -1);

	/* nothing left in the spool directory */
	path = ag_sprintf(f->a, "rmdir '%s'", ag_storage_tmpdir(f->s));
	assert_int_equal(system(path), 0);
	assert_int_equal(mkdir(ag_storage_tmpdir(f->s), 0750), 0);
}

static void
test_invalid_keys_refused(void **state)
{
	struct fixture *f = *state;
	const char *bad[] = { "../escape", "/tmp/abs", "a//b", "Upper/x",
	    "a/../../b", ".tmp/x", "a/", "" };
	unsigned char *data;
	size_t i, len;
	char *outside;

	outside = ag_sprintf(f->a, "%s/data/escape", f->root);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(ag_storage_put(f->s, bad[i], "x", 1), -1);
		assert_int_equal(ag_storage_get(f->s, f->a, bad[i], 10,
		    &data, &len), -1);
		assert_false(ag_storage_exists(f->s, bad[i]));
		assert_int_equal(ag_storage_delete(f->s, bad[i]), -1);
	}
	assert_int_equal(access(outside, F_OK), -1);
}

static void
test_get_too_large(void **state)
{
	struct fixture *f = *state;
	unsigned char *data;
	size_t len;

	assert_int_equal(ag_storage_put(f->s, "big/blob", "0123456789", 10), 0);
	assert_int_equal(ag_storage_get(f->s, f->a, "big/blob", 9, &data, &len), -2);
	assert_null(data);
	assert_int_equal(ag_storage_get(f->s, f->a, "big/blob", 10, &data, &len), 0);
	assert_int_equal(len, 10);
}

static char *
write_temp(ag_arena *a, const char *dir, const char *content)
{
	char *path = ag_sprintf(a, "%s/upload-XXXXXX", dir);
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, content, strlen(content)), (ssize_t)strlen(content));
	close(fd);
	return path;
}

static void
test_put_file(void **state)
{
	struct fixture *f = *state;
	unsigned char *data;
	size_t len;
	struct stat st, shm, root;
	char *src, *path;

	/* same filesystem: the spool directory */
	src = write_temp(f->a, ag_storage_tmpdir(f->s), "isi unggahan");
	assert_int_equal(ag_storage_put_file(f->s, "uploads/2024/01/a.txt", src), 0);
	assert_int_equal(access(src, F_OK), -1);
	assert_int_equal(ag_storage_get(f->s, f->a, "uploads/2024/01/a.txt",
	    100, &data, &len), 0);
	assert_string_equal((char *)data, "isi unggahan");
	path = ag_sprintf(f->a, "%s/data/files/uploads/2024/01/a.txt", f->root);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0640);

	/* missing source, invalid key */
	assert_int_equal(ag_storage_put_file(f->s, "uploads/b.txt", src), -1);
	src = write_temp(f->a, ag_storage_tmpdir(f->s), "x");
	assert_int_equal(ag_storage_put_file(f->s, "../b.txt", src), -1);
	assert_int_equal(access(src, F_OK), 0);

	/* across filesystems (copy + unlink), when /dev/shm is separate */
	if (stat("/dev/shm", &shm) == 0 && stat(f->root, &root) == 0 &&
	    shm.st_dev != root.st_dev && access("/dev/shm", W_OK) == 0) {
		src = write_temp(f->a, "/dev/shm", "lintas sistem berkas");
		assert_int_equal(ag_storage_put_file(f->s, "uploads/c.txt", src), 0);
		assert_int_equal(access(src, F_OK), -1);
		assert_int_equal(ag_storage_get(f->s, f->a, "uploads/c.txt",
		    100, &data, &len), 0);
		assert_string_equal((char *)data, "lintas sistem berkas");
		path = ag_sprintf(f->a, "%s/data/files/uploads/c.txt", f->root);
		assert_int_equal(stat(path, &st), 0);
		assert_int_equal(st.st_mode & 0777, 0640);
	}
}

static void
test_open_fails(void **state)
{
	struct fixture *f = *state;
	char err[256] = "";
	char *file = ag_sprintf(f->a, "%s/plainfile", f->root);
	FILE *fp = fopen(file, "w");

	assert_non_null(fp);
	fclose(fp);
	assert_null(ag_storage_local_open(ag_sprintf(f->a, "%s/sub", file),
	    err, sizeof(err)));
	assert_true(strlen(err) > 0);
	err[0] = '\0';
	assert_null(ag_storage_local_open("", err, sizeof(err)));
	assert_true(strlen(err) > 0);
}

static void
test_sniff(void **state)
{
	struct fixture *f = *state;
	char *path;
	FILE *fp;

	assert_string_equal(ag_sniff_mime(f->a, png_bytes, sizeof(png_bytes)),
	    "image/png");
	assert_string_equal(ag_sniff_mime(f->a, pdf_bytes, strlen(pdf_bytes)),
	    "application/pdf");
	assert_string_equal(ag_sniff_mime(f->a, "Nama: Budi\nTujuan: Rapat\n", 25),
	    "text/plain");

	path = ag_sprintf(f->a, "%s/doc.bin", f->root);
	fp = fopen(path, "wb");
	assert_non_null(fp);
	fwrite(pdf_bytes, 1, strlen(pdf_bytes), fp);
	fclose(fp);
	assert_string_equal(ag_sniff_mime_file(f->a, path), "application/pdf");
	assert_string_equal(ag_sniff_mime_file(f->a, "/nonexistent/x"),
	    "application/octet-stream");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_key_valid),
		cmocka_unit_test_setup_teardown(test_new_key, setup, teardown),
		cmocka_unit_test_setup_teardown(test_put_get_exists_delete, setup, teardown),
		cmocka_unit_test_setup_teardown(test_invalid_keys_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_get_too_large, setup, teardown),
		cmocka_unit_test_setup_teardown(test_put_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_open_fails, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sniff, setup, teardown),
	};

	return cmocka_run_group_tests_name("storage", tests, NULL, NULL);
}
