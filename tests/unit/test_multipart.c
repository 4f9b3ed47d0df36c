/* test_multipart.c - streaming multipart/form-data parser and collector. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "multipart.h"
#include "sys.h"

#define CT "multipart/form-data; boundary=XyZ"

struct fixture {
	ag_arena *a;
	char dir[1024];
};

/* Memory reader handing out at most chunk bytes per call. */
struct mem {
	const char *p;
	size_t len;
	size_t pos;
	size_t chunk;
	int fail;       /* return an error instead of EOF */
};

static long
mem_read(void *ctx, char *buf, size_t n)
{
	struct mem *m = ctx;
	size_t k = m->len - m->pos;

	if (k == 0)
		return m->fail ? -1 : 0;
	if (k > n)
		k = n;
	if (m->chunk > 0 && k > m->chunk)
		k = m->chunk;
	memcpy(buf, m->p + m->pos, k);
	m->pos += k;
	return (long)k;
}

static struct mem
mem_of(const char *s, size_t chunk)
{
	struct mem m = { s, strlen(s), 0, chunk, 0 };

	return m;
}

/* Callbacks that write a transcript independent of read chunking. */
struct rec {
	ag_buf out;
	int abort_in;   /* 1 begin, 2 data, 3 end */
};

static int
rec_begin(void *ud, const char *name, const char *filename, const char *ct)
{
	struct rec *r = ud;

	ag_buf_printf(&r->out, "[%s;%s;%s]", name,
	    filename != NULL ? filename : "-", ct != NULL ? ct : "-");
	return r->abort_in == 1 ? -1 : 0;
}

static int
rec_data(void *ud, const char *data, size_t len)
{
	struct rec *r = ud;

	assert_true(len > 0);
	ag_buf_append(&r->out, data, len);
	return r->abort_in == 2 ? -1 : 0;
}

static int
rec_end(void *ud)
{
	struct rec *r = ud;

	ag_buf_puts(&r->out, "|");
	return r->abort_in == 3 ? -1 : 0;
}

static const ag_mp_callbacks rec_cbs = { rec_begin, rec_data, rec_end };

static enum ag_mp_status
parse(ag_arena *a, const char *ct, const char *body, size_t chunk,
    size_t max, struct rec *r)
{
	struct mem m = mem_of(body, chunk);

	ag_buf_init(&r->out, a);
	return ag_multipart_parse(a, ct, mem_read, &m, max, &rec_cbs, r);
}

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (f == NULL)
		return -1;
	f->a = ag_arena_new();
	snprintf(f->dir, sizeof(f->dir), "%s/ag-mp-test-XXXXXX", ag_tmpdir());
	if (mkdtemp(f->dir) == NULL)
		return -1;
	*state = f;
	return 0;
}

/* rmdir fails unless every temporary file was removed. */
static int
teardown(void **state)
{
	struct fixture *f = *state;
	int r;

	ag_arena_free(f->a);
	r = rmdir(f->dir);
	free(f);
	return r;
}

static const char body_basic[] =
    "--XyZ\r\n"
    "Content-Disposition: form-data; name=\"plate\"\r\n"
    "\r\n"
    "B 1234 KZ\r\n"
    "--XyZ\r\n"
    "content-disposition: Form-Data; name=\"note\"\r\n"
    "\r\n"
    "line1\r\nline2\r\n\r\n"
    "--XyZ\r\n"
    "Content-Disposition: form-data; name=\"ktp\"; filename=\"ktp.jpg\"\r\n"
    "Content-Type: image/jpeg\r\n"
    "\r\n"
    "\xff\xd8\r\n-XyZ a--XyZ\r\r\n-\r\n--Xy\r\n"
    "--XyZ--\r\n";

static const char rec_basic[] =
    "[plate;-;-]B 1234 KZ|"
    "[note;-;-]line1\r\nline2\r\n|"
    "[ktp;ktp.jpg;image/jpeg]\xff\xd8\r\n-XyZ a--XyZ\r\r\n-\r\n--Xy|";

static void
test_basic_transcript(void **state)
{
	struct fixture *f = *state;
	struct rec r = { .abort_in = 0 };

	assert_int_equal(parse(f->a, CT, body_basic, 0, 1 << 20, &r), AG_MP_OK);
	assert_string_equal(r.out.data, rec_basic);
}

static void
test_split_at_every_position(void **state)
{
	struct fixture *f = *state;
	size_t len = strlen(body_basic), chunk;

	for (chunk = 1; chunk <= len; chunk++) {
		struct rec r = { .abort_in = 0 };

		assert_int_equal(parse(f->a, CT, body_basic, chunk, len, &r),
		    AG_MP_OK);
		assert_string_equal(r.out.data, rec_basic);
		ag_arena_reset(f->a);
	}
}

/* Two reads split at every byte offset, the shape of a FastCGI stream. */
struct two {
	const char *p;
	size_t len, cut, pos;
};

static long
two_read(void *ctx, char *buf, size_t n)
{
	struct two *t = ctx;
	size_t lim = t->pos < t->cut ? t->cut : t->len;
	size_t k = lim - t->pos;

	if (k > n)
		k = n;
	memcpy(buf, t->p + t->pos, k);
	t->pos += k;
	return (long)k;
}

static void
test_split_two_reads(void **state)
{
	struct fixture *f = *state;
	size_t len = strlen(body_basic), cut;

	for (cut = 0; cut <= len; cut++) {
		struct two t = { body_basic, len, cut, 0 };
		struct rec r = { .abort_in = 0 };

		ag_buf_init(&r.out, f->a);
		assert_int_equal(ag_multipart_parse(f->a, CT, two_read, &t, len,
		    &rec_cbs, &r), AG_MP_OK);
		assert_string_equal(r.out.data, rec_basic);
		ag_arena_reset(f->a);
	}
}

static void
test_large_part_crosses_buffer(void **state)
{
	struct fixture *f = *state;
	static const size_t chunks[] = { 0, 1, 7, 3001, 16384 };
	size_t n = 100000, i;
	ag_buf b;
	struct rec r = { .abort_in = 0 };
	struct mem m;

	ag_buf_init(&b, f->a);
	ag_buf_puts(&b, "--XyZ\r\nContent-Disposition: form-data; name=\"f\"; "
	    "filename=\"x.bin\"\r\n\r\n");
	for (i = 0; i < n; i++)
		ag_buf_putc(&b, (char)('a' + i % 7));
	ag_buf_puts(&b, "\r\n--XyZ--");
	for (i = 0; i < sizeof(chunks) / sizeof(chunks[0]); i++) {
		m = mem_of(b.data, chunks[i]);
		ag_buf_init(&r.out, f->a);
		assert_int_equal(ag_multipart_parse(f->a, CT, mem_read, &m,
		    b.len, &rec_cbs, &r), AG_MP_OK);
		assert_int_equal(r.out.len, strlen("[f;x.bin;-]") + n + 1);
		assert_memory_equal(r.out.data + strlen("[f;x.bin;-]"),
		    b.data + b.len - n - strlen("\r\n--XyZ--"), n);
	}
}

static void
test_truncated_is_malformed(void **state)
{
	struct fixture *f = *state;
	struct rec r = { 0 };
	static const char *bad[] = {
		"",
		"no boundary at all",
		"--XyZ",
		"--XyZ\r\n",
		"--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n",
		"--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nval",
		"--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n"
		    "val\r\n--XyZ",
		"--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n"
		    "val\r\n--XyZ\r\n",
		"--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n"
		    "val\r\n--XyZ-",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(parse(f->a, CT, bad[i], 0, 1 << 20, &r),
		    AG_MP_MALFORMED);
}

static void
test_syntax_errors(void **state)
{
	struct fixture *f = *state;
	struct rec r = { 0 };
	static const char *bad[] = {
		/* bare LF line endings */
		"--XyZ\nContent-Disposition: form-data; name=\"a\"\n\nv\n--XyZ--",
		"--XyZ\r\nContent-Disposition: form-data; name=\"a\"\n\r\n"
		    "v\r\n--XyZ--",
		/* no Content-Disposition, or not form-data, or no name */
		"--XyZ\r\nContent-Type: text/plain\r\n\r\nv\r\n--XyZ--",
		"--XyZ\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\n"
		    "v\r\n--XyZ--",
		"--XyZ\r\nContent-Disposition: form-data\r\n\r\nv\r\n--XyZ--",
		/* ambiguous: two names, two dispositions */
		"--XyZ\r\nContent-Disposition: form-data; name=a; name=b\r\n\r\n"
		    "v\r\n--XyZ--",
		"--XyZ\r\nContent-Disposition: form-data; name=a\r\n"
		    "Content-Disposition: form-data; name=b\r\n\r\nv\r\n--XyZ--",
		/* unterminated quote, folding, header without colon */
		"--XyZ\r\nContent-Disposition: form-data; name=\"a\r\n\r\n"
		    "v\r\n--XyZ--",
		"--XyZ\r\nContent-Disposition: form-data;\r\n name=\"a\"\r\n\r\n"
		    "v\r\n--XyZ--",
		"--XyZ\r\nnonsense\r\n\r\nv\r\n--XyZ--",
		/* boundary followed by junk */
		"--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\n"
		    "v\r\n--XyZjunk\r\n--XyZ--",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(parse(f->a, CT, bad[i], 0, 1 << 20, &r),
		    AG_MP_MALFORMED);
}

static void
test_content_types(void **state)
{
	struct fixture *f = *state;
	struct rec r = { 0 };
	const char *body = "--a b:c\r\nContent-Disposition: form-data; name=x"
	    "\r\n\r\n1\r\n--a b:c--\r\n";
	const char *body2 = "--XyZ\r\nContent-Disposition: form-data; name=x"
	    "\r\n\r\n2\r\n--XyZ--";
	static const char *bad[] = {
		NULL,
		"",
		"multipart/form-data",
		"multipart/form-data; charset=utf-8",
		"multipart/mixed; boundary=XyZ",
		"application/x-www-form-urlencoded; boundary=XyZ",
		"multipart/form-data; boundary=",
		"multipart/form-data; boundary=\"\"",
		"multipart/form-data; boundary=\"XyZ",
		"multipart/form-data; boundary=\"XyZ \"",
		"multipart/form-data; boundary=\"a\\\"b\"",
		"multipart/form-data; boundary=\"a;b\"",
		"multipart/form-data; boundary=XyZ; boundary=XyZ",
		"multipart/form-data; boundary XyZ",
		"multipart/form-data boundary=XyZ",
		"multipart/form-data; boundary="
		    "12345678901234567890123456789012345678901234567890"
		    "123456789012345678901",
	};
	size_t i;

	assert_int_equal(parse(f->a, "multipart/form-data; boundary=\"a b:c\"",
	    body, 0, 1 << 20, &r), AG_MP_OK);
	assert_string_equal(r.out.data, "[x;-;-]1|");
	assert_int_equal(parse(f->a, " Multipart/Form-Data ; charset=utf-8;"
	    "BOUNDARY=XyZ;", body2, 0, 1 << 20, &r), AG_MP_OK);
	assert_string_equal(r.out.data, "[x;-;-]2|");
	/* 70 characters is the maximum */
	assert_int_equal(parse(f->a, "multipart/form-data; boundary="
	    "1234567890123456789012345678901234567890123456789012345678901234567890",
	    "--1234567890123456789012345678901234567890123456789012345678901234567890--",
	    0, 1 << 20, &r), AG_MP_OK);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(parse(f->a, bad[i], body2, 0, 1 << 20, &r),
		    AG_MP_MALFORMED);
}

static void
test_preamble_epilogue_padding(void **state)
{
	struct fixture *f = *state;
	struct rec r = { .abort_in = 0 };
	const char *body = "This is the preamble, --XyZ-- is not a delimiter.\r\n"
	    "--XyZ \t\r\nContent-Disposition: form-data; name=a\r\n\r\n"
	    "\r\n\r\n--XyZ--\r\nepilogue that is never read";
	struct mem m = mem_of(body, 5);

	ag_buf_init(&r.out, f->a);
	assert_int_equal(ag_multipart_parse(f->a, CT, mem_read, &m, 1 << 20,
	    &rec_cbs, &r), AG_MP_OK);
	assert_string_equal(r.out.data, "[a;-;-]\r\n|");
	assert_true(m.pos < m.len);
	/* a close delimiter right away: no parts */
	assert_int_equal(parse(f->a, CT, "--XyZ--\r\n", 0, 100, &r), AG_MP_OK);
	assert_string_equal(r.out.data, "");
}

static void
test_limits(void **state)
{
	struct fixture *f = *state;
	struct rec r = { 0 };
	size_t len = strlen(body_basic);
	ag_buf b;
	int i;

	assert_int_equal(parse(f->a, CT, body_basic, 0, len, &r), AG_MP_OK);
	assert_int_equal(parse(f->a, CT, body_basic, 0, len - 1, &r),
	    AG_MP_TOO_LARGE);
	assert_int_equal(parse(f->a, CT, body_basic, 7, 20, &r),
	    AG_MP_TOO_LARGE);

	/* 100 parts are fine, 101 are not */
	ag_buf_init(&b, f->a);
	for (i = 0; i < AG_MP_MAX_PARTS; i++)
		ag_buf_printf(&b, "--XyZ\r\nContent-Disposition: form-data; "
		    "name=f%d\r\n\r\n%d\r\n", i, i);
	ag_buf_puts(&b, "--XyZ--");
	assert_int_equal(parse(f->a, CT, b.data, 0, 1 << 20, &r), AG_MP_OK);
	ag_buf_truncate(&b, b.len - strlen("--XyZ--"));
	ag_buf_puts(&b, "--XyZ\r\nContent-Disposition: form-data; name=x\r\n"
	    "\r\n\r\n--XyZ--");
	assert_int_equal(parse(f->a, CT, b.data, 0, 1 << 20, &r),
	    AG_MP_TOO_LARGE);

	/* header block over 8 KiB, as one line and as many */
	ag_buf_init(&b, f->a);
	ag_buf_puts(&b, "--XyZ\r\nContent-Disposition: form-data; name=a\r\n"
	    "X-Pad: ");
	for (i = 0; i < AG_MP_MAX_HEADER; i++)
		ag_buf_putc(&b, 'p');
	ag_buf_puts(&b, "\r\n\r\nv\r\n--XyZ--");
	assert_int_equal(parse(f->a, CT, b.data, 0, 1 << 20, &r),
	    AG_MP_TOO_LARGE);
	ag_buf_init(&b, f->a);
	ag_buf_puts(&b, "--XyZ\r\nContent-Disposition: form-data; name=a\r\n");
	for (i = 0; i < 1000; i++)
		ag_buf_puts(&b, "X-Pad: 1\r\n");
	ag_buf_puts(&b, "\r\nv\r\n--XyZ--");
	assert_int_equal(parse(f->a, CT, b.data, 0, 1 << 20, &r),
	    AG_MP_TOO_LARGE);
	/* a header block just under the limit, read byte by byte */
	ag_buf_init(&b, f->a);
	ag_buf_puts(&b, "--XyZ\r\nContent-Disposition: form-data; name=a\r\n"
	    "X-Pad: ");
	while (b.len < strlen("--XyZ\r\n") + AG_MP_MAX_HEADER - 4)
		ag_buf_putc(&b, 'p');
	ag_buf_puts(&b, "\r\n\r\nv\r\n--XyZ--");
	assert_int_equal(parse(f->a, CT, b.data, 1, 1 << 20, &r), AG_MP_OK);
	assert_string_equal(r.out.data, "[a;-;-]v|");
	/* too much transport padding */
	ag_buf_init(&b, f->a);
	ag_buf_puts(&b, "--XyZ");
	for (i = 0; i < 100; i++)
		ag_buf_putc(&b, ' ');
	ag_buf_puts(&b, "\r\nContent-Disposition: form-data; name=a\r\n\r\n"
	    "v\r\n--XyZ--");
	assert_int_equal(parse(f->a, CT, b.data, 0, 1 << 20, &r),
	    AG_MP_MALFORMED);
}

static void
test_abort_and_io(void **state)
{
	struct fixture *f = *state;
	struct rec r = { 0 };
	struct mem m;
	int i;

	for (i = 1; i <= 3; i++) {
		r.abort_in = i;
		assert_int_equal(parse(f->a, CT, body_basic, 0, 1 << 20, &r),
		    AG_MP_ABORTED);
	}
	m = mem_of(body_basic, 10);
	m.len = 50;
	m.fail = 1;
	assert_int_equal(ag_multipart_parse(f->a, CT, mem_read, &m, 1 << 20,
	    &rec_cbs, &r), AG_MP_IO);
	/* no callbacks at all */
	m = mem_of(body_basic, 0);
	assert_int_equal(ag_multipart_parse(f->a, CT, mem_read, &m, 1 << 20,
	    NULL, NULL), AG_MP_OK);
}

static void
test_filenames(void **state)
{
	struct fixture *f = *state;
	struct rec r = { .abort_in = 0 };
	const char *body =
	    "--XyZ\r\nContent-Disposition: form-data; name=a; "
	    "filename=\"C:\\Users\\budi\\ktp scan.pdf\"\r\n\r\n1\r\n"
	    "--XyZ\r\nContent-Disposition: form-data; name=b; "
	    "filename=\"../../etc/passwd\"\r\n\r\n2\r\n"
	    "--XyZ\r\nContent-Disposition: form-data; name=c; "
	    "filename=\"a\x01\tb\x7f.txt\"\r\n\r\n3\r\n"
	    "--XyZ\r\nContent-Disposition: form-data; name=d; "
	    "filename=\"..\"\r\n\r\n4\r\n"
	    "--XyZ\r\nContent-Disposition: form-data; name=e; "
	    "filename=\"say \\\"hi\\\".txt\"\r\n\r\n5\r\n"
	    "--XyZ\r\nContent-Disposition: form-data; name=f; "
	    "filename=\"caf\xc3\xa9 \xff.txt\"\r\nContent-Type: te\x01xt/plain\r\n"
	    "\r\n6\r\n"
	    "--XyZ--";

	assert_int_equal(parse(f->a, CT, body, 0, 1 << 20, &r), AG_MP_OK);
	assert_string_equal(r.out.data,
	    "[a;ktp scan.pdf;-]1|"
	    "[b;passwd;-]2|"
	    "[c;ab.txt;-]3|"
	    "[d;;-]4|"
	    "[e;say \"hi\".txt;-]5|"
	    "[f;caf__ _.txt;text/plain]6|");
}

static enum ag_mp_status
collect(struct fixture *f, const char *body, size_t field_max,
    size_t file_max, ag_kvlist *fields, ag_uploads *files)
{
	struct mem m = mem_of(body, 0);

	return ag_multipart_collect(f->a, CT, mem_read, &m, 1 << 20,
	    field_max, file_max, f->dir, fields, files);
}

static void
assert_file(const char *path, const char *want, size_t n)
{
	char buf[256];
	FILE *fp = fopen(path, "rb");
	size_t got;

	assert_non_null(fp);
	got = fread(buf, 1, sizeof(buf), fp);
	fclose(fp);
	assert_int_equal(got, n);
	assert_memory_equal(buf, want, n);
}

static void
test_collect(void **state)
{
	struct fixture *f = *state;
	ag_kvlist fields;
	ag_uploads files;
	struct stat st;
	/* holds NUL bytes: sizeof gives the true length */
	static const char body[] =
	    "--XyZ\r\nContent-Disposition: form-data; name=\"plate\"\r\n\r\n"
	    "B 1234 KZ\r\n"
	    "--XyZ\r\nContent-Disposition: form-data; name=\"nama\"\r\n\r\n"
	    "Budi Santoso \xe2\x80\x94 PT Maju\r\n"
	    "--XyZ\r\nContent-Disposition: form-data; name=\"photo\"; "
	    "filename=\"/home/u/me.png\"\r\nContent-Type: image/png\r\n\r\n"
	    "\x89PNG\r\n\x1a\n\0\0\r\n"
	    "--XyZ\r\nContent-Disposition: form-data; name=\"none\"; "
	    "filename=\"\"\r\nContent-Type: application/octet-stream\r\n\r\n"
	    "\r\n"
	    "--XyZ\r\nContent-Disposition: form-data; name=\"empty\"; "
	    "filename=\"empty.txt\"\r\n\r\n"
	    "\r\n"
	    "--XyZ--\r\n";
	struct mem m = { body, sizeof(body) - 1, 0, 0, 0 };

	assert_int_equal(ag_multipart_collect(f->a, CT, mem_read, &m, 1 << 20,
	    64, 1024, f->dir, &fields, &files), AG_MP_OK);
	assert_int_equal(fields.n, 2);
	assert_string_equal(ag_kv_get(&fields, "plate"), "B 1234 KZ");
	assert_string_equal(ag_kv_get(&fields, "nama"),
	    "Budi Santoso \xe2\x80\x94 PT Maju");
	assert_int_equal(fields.items[1].vlen, strlen(fields.items[1].val));
	assert_int_equal(files.n, 2);
	assert_string_equal(files.items[0].field, "photo");
	assert_string_equal(files.items[0].filename, "me.png");
	assert_string_equal(files.items[0].content_type, "image/png");
	assert_int_equal(files.items[0].size, 10);
	assert_file(files.items[0].path, "\x89PNG\r\n\x1a\n\0\0", 10);
	assert_int_equal(strncmp(files.items[0].path, f->dir, strlen(f->dir)),
	    0);
	assert_string_equal(files.items[1].field, "empty");
	assert_string_equal(files.items[1].filename, "empty.txt");
	assert_null(files.items[1].content_type);
	assert_int_equal(files.items[1].size, 0);
	assert_file(files.items[1].path, "", 0);
	assert_int_equal(stat(files.items[0].path, &st), 0);
	assert_int_equal(st.st_mode & 077, 0);
	/* the teardown's rmdir checks that the reset removed both */
}

static void
test_collect_cleanup_and_rename(void **state)
{
	struct fixture *f = *state;
	ag_kvlist fields;
	ag_uploads files;
	const char *body =
	    "--XyZ\r\nContent-Disposition: form-data; name=a; filename=a.txt"
	    "\r\n\r\naaa\r\n"
	    "--XyZ\r\nContent-Disposition: form-data; name=b; filename=b.txt"
	    "\r\n\r\nbbb\r\n--XyZ--";
	char kept[128], *pa, *pb;
	struct stat st;

	assert_int_equal(collect(f, body, 10, 10, &fields, &files), AG_MP_OK);
	assert_int_equal(files.n, 2);
	pa = strdup(files.items[0].path);
	pb = strdup(files.items[1].path);
	assert_non_null(pa);
	assert_non_null(pb);
	snprintf(kept, sizeof(kept), "%s.kept", pb);
	assert_int_equal(rename(pb, kept), 0);
	ag_arena_reset(f->a);
	assert_int_equal(stat(pa, &st), -1);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(stat(kept, &st), 0);
	assert_int_equal(unlink(kept), 0);
	free(pa);
	free(pb);
}

static int
dir_entries(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

static void
test_collect_failure_cleans_up(void **state)
{
	struct fixture *f = *state;
	ag_kvlist fields;
	ag_uploads files;
	const char *body =
	    "--XyZ\r\nContent-Disposition: form-data; name=a; filename=a.txt"
	    "\r\n\r\naaa\r\n"
	    "--XyZ\r\nContent-Disposition: form-data; name=b; filename=b.txt"
	    "\r\n\r\nbbbbbbbbbbbbbbbbbbbbbbbbbbb\r\n--XyZ--";
	struct mem m = mem_of(body, 4);

	assert_int_equal(ag_multipart_collect(f->a, CT, mem_read, &m, 1 << 20,
	    10, 10, f->dir, &fields, &files), AG_MP_TOO_LARGE);
	assert_int_equal(files.n, 0);
	assert_int_equal(dir_entries(f->dir), 2);
	ag_arena_reset(f->a);
	assert_int_equal(dir_entries(f->dir), 0);
}

static void
test_collect_errors(void **state)
{
	struct fixture *f = *state;
	ag_kvlist fields;
	ag_uploads files;
	struct mem m;
	const char *field10 = "--XyZ\r\nContent-Disposition: form-data; name=a"
	    "\r\n\r\n0123456789\r\n--XyZ--";
	const char *file10 = "--XyZ\r\nContent-Disposition: form-data; name=a; "
	    "filename=x\r\n\r\n0123456789\r\n--XyZ--";

	assert_int_equal(collect(f, field10, 10, 0, &fields, &files), AG_MP_OK);
	assert_int_equal(fields.n, 1);
	assert_int_equal(collect(f, field10, 9, 0, &fields, &files),
	    AG_MP_TOO_LARGE);
	assert_int_equal(fields.n, 0);
	assert_int_equal(collect(f, file10, 0, 10, &fields, &files), AG_MP_OK);
	assert_int_equal(files.n, 1);
	assert_int_equal(collect(f, file10, 0, 9, &fields, &files),
	    AG_MP_TOO_LARGE);
	assert_int_equal(files.n, 0);
	assert_null(files.items);
	/* field values and names must be UTF-8 without NUL */
	assert_int_equal(collect(f, "--XyZ\r\nContent-Disposition: form-data; "
	    "name=a\r\n\r\n\xc0\xaf\r\n--XyZ--", 10, 10, &fields, &files),
	    AG_MP_MALFORMED);
	assert_int_equal(collect(f, "--XyZ\r\nContent-Disposition: form-data; "
	    "name=\"\xff\"\r\n\r\nv\r\n--XyZ--", 10, 10, &fields, &files),
	    AG_MP_MALFORMED);
	m = mem_of("--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\n"
	    "x\0y\r\n--XyZ--", 0);
	m.len = strlen("--XyZ\r\nContent-Disposition: form-data; name=a\r\n"
	    "\r\n") + 3 + strlen("\r\n--XyZ--");
	assert_int_equal(ag_multipart_collect(f->a, CT, mem_read, &m, 1 << 20,
	    10, 10, f->dir, &fields, &files), AG_MP_MALFORMED);
	/* a file part with a name but no data still makes a file; without
	 * a name it is skipped even with a Content-Type */
	assert_int_equal(collect(f, "--XyZ\r\nContent-Disposition: form-data; "
	    "name=a; filename=\"\"\r\nContent-Type: text/plain\r\n\r\n"
	    "\r\n--XyZ--", 10, 10, &fields, &files), AG_MP_OK);
	assert_int_equal(files.n, 0);
	/* an empty filename with data is kept */
	assert_int_equal(collect(f, "--XyZ\r\nContent-Disposition: form-data; "
	    "name=a; filename=\"\"\r\n\r\nabc\r\n--XyZ--", 10, 10, &fields,
	    &files), AG_MP_OK);
	assert_int_equal(files.n, 1);
	assert_string_equal(files.items[0].filename, "");
	assert_int_equal(files.items[0].size, 3);
	/* temporary directory that does not exist */
	m = mem_of(file10, 0);
	assert_int_equal(ag_multipart_collect(f->a, CT, mem_read, &m, 1 << 20,
	    10, 10, "/nonexistent/ag-dir", &fields, &files), AG_MP_IO);
	/* parser errors come through unchanged */
	m = mem_of(file10, 0);
	assert_int_equal(ag_multipart_collect(f->a, CT, mem_read, &m, 5,
	    10, 10, f->dir, &fields, &files), AG_MP_TOO_LARGE);
	m = mem_of("--XyZ\r\n", 0);
	assert_int_equal(ag_multipart_collect(f->a, CT, mem_read, &m, 100,
	    10, 10, f->dir, &fields, &files), AG_MP_MALFORMED);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_basic_transcript),
		T(test_split_at_every_position),
		T(test_split_two_reads),
		T(test_large_part_crosses_buffer),
		T(test_truncated_is_malformed),
		T(test_syntax_errors),
		T(test_content_types),
		T(test_preamble_epilogue_padding),
		T(test_limits),
		T(test_abort_and_io),
		T(test_filenames),
		T(test_collect),
		T(test_collect_cleanup_and_rename),
		T(test_collect_failure_cleans_up),
		T(test_collect_errors),
	};

	return cmocka_run_group_tests_name("multipart", tests, NULL, NULL);
}
