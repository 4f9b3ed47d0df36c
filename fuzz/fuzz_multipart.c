/*
 * fuzz_multipart.c - libFuzzer harness for multipart.c.
 *
 * Input: byte 0 is the read size - 1, byte 1 holds flags (bit 0: run
 * ag_multipart_collect instead of the bare parser; bit 1: the
 * Content-Type is the input up to the first '\n' instead of a fixed one
 * with boundary "XyZ"), the rest is the body.  Callbacks check that parts
 * are properly bracketed and filenames sanitised; collected files must be
 * gone after the arena is freed.  Built by fuzz/run.
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "multipart.h"

#define CHECK(c) do { if (!(c)) { \
	fprintf(stderr, "check failed: %s (%s:%d)\n", #c, __FILE__, __LINE__); \
	abort(); } } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct src {
	const char *p;
	size_t len, pos, chunk;
};

struct state {
	int in_part;
	size_t parts;
};

static long
src_read(void *ctx, char *buf, size_t n)
{
	struct src *s = ctx;
	size_t k = s->len - s->pos;

	if (k > n)
		k = n;
	if (k > s->chunk)
		k = s->chunk;
	memcpy(buf, s->p + s->pos, k);
	s->pos += k;
	return (long)k;
}

static int
on_begin(void *ud, const char *name, const char *filename, const char *ct)
{
	struct state *st = ud;
	const char *p;

	CHECK(!st->in_part && name != NULL);
	if (filename != NULL) {
		CHECK(strchr(filename, '/') == NULL);
		CHECK(strchr(filename, '\\') == NULL);
		CHECK(strcmp(filename, "..") != 0);
		CHECK(ag_utf8_valid(filename, strlen(filename)));
		for (p = filename; *p != '\0'; p++)
			CHECK((unsigned char)*p >= 0x20 && *p != 0x7f);
	}
	if (ct != NULL)
		for (p = ct; *p != '\0'; p++)
			CHECK(*p >= 0x20 && *p < 0x7f);
	st->in_part = 1;
	st->parts++;
	CHECK(st->parts <= AG_MP_MAX_PARTS);
	return 0;
}

static int
on_data(void *ud, const char *data, size_t len)
{
	struct state *st = ud;

	CHECK(st->in_part && len > 0);
	(void)data;
	return 0;
}

static int
on_end(void *ud)
{
	struct state *st = ud;

	CHECK(st->in_part);
	st->in_part = 0;
	return 0;
}

/* After the arena is gone no temporary file may be left over. */
static void
check_empty(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;

	CHECK(d != NULL);
	while ((e = readdir(d)) != NULL)
		CHECK(strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0);
	closedir(d);
}

static char tmp_dir[4096];

static void
remove_tmpdir(void)
{
	(void)rmdir(tmp_dir);
}

/*
 * One directory per fuzzing process in $TMPDIR (else /tmp), removed when
 * libFuzzer exits.
 */
static const char *
tmpdir(void)
{
	if (tmp_dir[0] == '\0') {
		const char *base = getenv("TMPDIR");
		int n;

		if (base == NULL || base[0] == '\0')
			base = "/tmp";
		n = snprintf(tmp_dir, sizeof(tmp_dir), "%s/ag-fuzz-mp-XXXXXX",
		    base);
		CHECK(n > 0 && (size_t)n < sizeof(tmp_dir));
		CHECK(mkdtemp(tmp_dir) != NULL);
		atexit(remove_tmpdir);
	}
	return tmp_dir;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const ag_mp_callbacks cbs = { on_begin, on_data, on_end };
	struct state st = { 0, 0 };
	struct src src;
	ag_arena *a;
	const char *ct = "multipart/form-data; boundary=XyZ";
	const char *body;
	size_t blen, i;
	int flags;
	enum ag_mp_status r;

	if (size < 2)
		return 0;
	flags = data[1];
	body = (const char *)data + 2;
	blen = size - 2;
	a = ag_arena_new();
	if (flags & 2) {
		const char *nl = memchr(body, '\n', blen);
		size_t n = nl != NULL ? (size_t)(nl - body) : blen;

		ct = ag_strndup(a, body, n);
		body += n < blen ? n + 1 : n;
		blen -= n < blen ? n + 1 : n;
	}
	src.p = body;
	src.len = blen;
	src.pos = 0;
	src.chunk = (size_t)data[0] + 1;
	if (flags & 1) {
		ag_kvlist fields;
		ag_uploads files;
		char *paths[AG_MP_MAX_PARTS];
		size_t n;
		struct stat sb;

		r = ag_multipart_collect(a, ct, src_read, &src, 32768, 256,
		    1024, tmpdir(), &fields, &files);
		CHECK(r != AG_MP_ABORTED);
		if (r != AG_MP_OK)
			CHECK(fields.n == 0 && files.n == 0);
		for (i = 0; i < fields.n; i++)
			CHECK(ag_utf8_valid(fields.items[i].val,
			    fields.items[i].vlen) &&
			    fields.items[i].vlen <= 256);
		n = files.n;
		for (i = 0; i < n; i++) {
			CHECK(files.items[i].size <= 1024);
			CHECK(stat(files.items[i].path, &sb) == 0);
			CHECK((size_t)sb.st_size == files.items[i].size);
			paths[i] = strdup(files.items[i].path);
			CHECK(paths[i] != NULL);
		}
		ag_arena_free(a);
		for (i = 0; i < n; i++) {
			CHECK(stat(paths[i], &sb) != 0 && errno == ENOENT);
			free(paths[i]);
		}
		check_empty(tmpdir());
		return 0;
	}
	r = ag_multipart_parse(a, ct, src_read, &src, 32768, &cbs, &st);
	CHECK(r != AG_MP_ABORTED && r != AG_MP_IO);
	if (r == AG_MP_OK)
		CHECK(!st.in_part);
	CHECK(src.pos <= 32768);
	ag_arena_free(a);
	return 0;
}
