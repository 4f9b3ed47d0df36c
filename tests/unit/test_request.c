/* test_request.c - ag_req from a CGI environment, bodies, forms, uploads. */
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

#include "request.h"
#include "sys.h"

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
	int calls;
};

static long
mem_read(void *ctx, char *buf, size_t n)
{
	struct mem *m = ctx;
	size_t k = m->len - m->pos;

	m->calls++;
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
mem_of(const char *s, size_t len, size_t chunk)
{
	struct mem m = { s, len, 0, chunk, 0, 0 };

	return m;
}

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (f == NULL)
		return -1;
	f->a = ag_arena_new();
	snprintf(f->dir, sizeof(f->dir), "%s/ag-req-test-XXXXXX", ag_tmpdir());
	if (mkdtemp(f->dir) == NULL)
		return -1;
	*state = f;
	return 0;
}

/* rmdir fails unless every spooled upload was removed with the arena. */
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

static void
test_init_basic(void **state)
{
	struct fixture *f = *state;
	char *env[] = {
		"REQUEST_METHOD=POST",
		"REQUEST_URI=/v1/tickets/guest?page=2&search=budi+s&x=%C3%A9",
		"QUERY_STRING=ignored=1",
		"CONTENT_TYPE=application/json; charset=utf-8",
		"CONTENT_LENGTH=17",
		"HTTP_COOKIE=ag_session=abc123; theme=\"dark\"; b=2",
		"HTTP_AUTHORIZATION=Bearer tok",
		"HTTP_X_REQUEST_ID=rid-1",
		"REMOTE_ADDR=10.0.0.7",
		"REQUEST_ID=req-42",
		"HTTPS=on",
		NULL
	};
	ag_req r;

	assert_int_equal(ag_req_init(&r, f->a, env, NULL, NULL), 0);
	assert_string_equal(r.method, "POST");
	assert_string_equal(r.path, "/v1/tickets/guest");
	assert_string_equal(r.query, "page=2&search=budi+s&x=%C3%A9");
	assert_string_equal(r.content_type, "application/json; charset=utf-8");
	assert_int_equal(r.content_length, 17);
	assert_string_equal(r.remote_addr, "10.0.0.7");
	assert_string_equal(r.request_id, "req-42");
	assert_int_equal(r.https, 1);
	assert_int_equal(r.body_read, 0);

	/* Headers by HTTP name, any case. */
	assert_string_equal(ag_req_header(&r, "Authorization"), "Bearer tok");
	assert_string_equal(ag_req_header(&r, "authorization"), "Bearer tok");
	assert_string_equal(ag_req_header(&r, "X-Request-Id"), "rid-1");
	assert_string_equal(ag_req_header(&r, "content-type"),
	    "application/json; charset=utf-8");
	assert_string_equal(ag_req_header(&r, "Content-Length"), "17");
	assert_null(ag_req_header(&r, "X-Missing"));
	/* A prefix of a name is not the name. */
	assert_null(ag_req_env(&r, "REQUEST"));
	assert_null(ag_req_env(&r, "HTTP_COOKIE_X"));
	assert_string_equal(ag_req_env(&r, "REQUEST_METHOD"), "POST");

	/* Cookies: quotes stripped, values not decoded. */
	assert_string_equal(ag_req_cookie(&r, "ag_session"), "abc123");
	assert_string_equal(ag_req_cookie(&r, "theme"), "dark");
	assert_string_equal(ag_req_cookie(&r, "b"), "2");
	assert_null(ag_req_cookie(&r, "missing"));

	/* Query parameters decoded; the REQUEST_URI query wins. */
	assert_string_equal(ag_req_query(&r, "page"), "2");
	assert_string_equal(ag_req_query(&r, "search"), "budi s");
	assert_string_equal(ag_req_query(&r, "x"), "\xc3\xa9");
	assert_null(ag_req_query(&r, "ignored"));
	assert_null(ag_req_query(&r, "missing"));

	assert_true(ag_req_is_type(&r, "application/json"));
	assert_false(ag_req_is_type(&r, "application/js"));
	assert_false(ag_req_is_type(&r, "text/plain"));
	assert_null(ag_req_param(&r, "id"));
}

static void
test_init_defaults(void **state)
{
	struct fixture *f = *state;
	char *env[] = {
		"REQUEST_METHOD=GET",
		"DOCUMENT_URI=/v1/ping",
		"QUERY_STRING=a=1",
		NULL
	};
	ag_req r;

	assert_int_equal(ag_req_init(&r, f->a, env, NULL, NULL), 0);
	assert_string_equal(r.path, "/v1/ping");
	assert_string_equal(r.query, "a=1");
	assert_string_equal(ag_req_query(&r, "a"), "1");
	assert_string_equal(r.content_type, "");
	assert_int_equal(r.content_length, -1);
	assert_int_equal(r.https, 0);
	assert_null(r.request_id);
	assert_string_equal(r.remote_addr, "");
	assert_null(ag_req_cookie(&r, "x"));
	assert_null(ag_req_header(&r, "Authorization"));
	assert_false(ag_req_is_type(&r, "application/json"));
}

static void
test_init_content_length(void **state)
{
	struct fixture *f = *state;
	static const struct {
		const char *env;
		long long want;
	} cases[] = {
		{ "CONTENT_LENGTH=0", 0 },
		{ "CONTENT_LENGTH=1048576", 1048576 },
		{ "CONTENT_LENGTH=", -1 },
		{ "CONTENT_LENGTH=abc", -1 },
		{ "CONTENT_LENGTH=12x", -1 },
		{ "CONTENT_LENGTH=-5", -1 },
		{ "CONTENT_LENGTH=99999999999999999999999", -1 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *env[] = { "REQUEST_METHOD=GET", "REQUEST_URI=/",
		    (char *)cases[i].env, NULL };
		ag_req r;

		assert_int_equal(ag_req_init(&r, f->a, env, NULL, NULL), 0);
		assert_int_equal(r.content_length, cases[i].want);
	}
}

static void
test_is_type(void **state)
{
	struct fixture *f = *state;
	char *env[] = { "REQUEST_METHOD=POST", "REQUEST_URI=/",
	    "CONTENT_TYPE= Application/JSON;charset=UTF-8", NULL };
	char *env2[] = { "REQUEST_METHOD=POST", "REQUEST_URI=/",
	    "CONTENT_TYPE=application/jsonp", NULL };
	ag_req r;

	assert_int_equal(ag_req_init(&r, f->a, env, NULL, NULL), 0);
	assert_true(ag_req_is_type(&r, "application/json"));
	assert_int_equal(ag_req_init(&r, f->a, env2, NULL, NULL), 0);
	assert_false(ag_req_is_type(&r, "application/json"));
}

static void
test_init_malformed(void **state)
{
	struct fixture *f = *state;
	char *bad_escape[] = { "REQUEST_METHOD=GET",
	    "REQUEST_URI=/v1/x?a=%zz&b=1", NULL };
	char *bad_utf8[] = { "REQUEST_METHOD=GET",
	    "REQUEST_URI=/v1/x?a=%ff", NULL };
	char *nul[] = { "REQUEST_METHOD=GET",
	    "REQUEST_URI=/v1/x?a=%00", NULL };
	char *no_method[] = { "REQUEST_URI=/v1/x", NULL };
	char *abs_uri[] = { "REQUEST_METHOD=GET",
	    "REQUEST_URI=http://evil/v1/x", NULL };
	char *no_uri[] = { "REQUEST_METHOD=GET", NULL };
	char *empty[] = { NULL };
	ag_req r;

	assert_int_equal(ag_req_init(&r, f->a, bad_escape, NULL, NULL), -1);
	assert_int_equal(r.query_params.n, 0);
	assert_null(ag_req_query(&r, "b"));
	/* Still usable for an error answer. */
	assert_string_equal(r.method, "GET");
	assert_string_equal(r.path, "/v1/x");

	assert_int_equal(ag_req_init(&r, f->a, bad_utf8, NULL, NULL), -1);
	assert_int_equal(r.query_params.n, 0);
	assert_int_equal(ag_req_init(&r, f->a, nul, NULL, NULL), -1);
	assert_int_equal(ag_req_init(&r, f->a, no_method, NULL, NULL), -1);
	assert_string_equal(r.method, "");
	assert_int_equal(ag_req_init(&r, f->a, abs_uri, NULL, NULL), -1);
	assert_int_equal(ag_req_init(&r, f->a, no_uri, NULL, NULL), -1);
	assert_string_equal(r.path, "");
	assert_int_equal(ag_req_init(&r, f->a, empty, NULL, NULL), -1);
	assert_int_equal(ag_req_init(&r, f->a, NULL, NULL, NULL), -1);
}

static void
init_body(ag_req *r, ag_arena *a, const char *ct, const char *cl,
    struct mem *m)
{
	/* The request keeps pointers into envp: it lives in the arena. */
	char **env = ag_calloc(a, 5, sizeof(char *));

	env[0] = "REQUEST_METHOD=POST";
	env[1] = "REQUEST_URI=/v1/x";
	env[2] = ag_sprintf(a, "CONTENT_TYPE=%s", ct);
	env[3] = ag_sprintf(a, "CONTENT_LENGTH=%s", cl);
	assert_int_equal(ag_req_init(r, a, env, mem_read, m), 0);
}

static void
test_body_ok(void **state)
{
	struct fixture *f = *state;
	static const char body[] = "{\"name\":\"Budi\"}";
	struct mem m = mem_of(body, strlen(body), 3);
	ag_req r;

	init_body(&r, f->a, "application/json", "15", &m);
	assert_int_equal(ag_req_read_body(&r, 15), AG_BODY_OK);
	assert_int_equal(r.body_len, 15);
	assert_memory_equal(r.body, body, 15);
	assert_int_equal(r.body[15], '\0');
	assert_int_equal(r.body_read, 1);
	/* A second call does not read again. */
	m.calls = 0;
	assert_int_equal(ag_req_read_body(&r, 15), AG_BODY_OK);
	assert_int_equal(m.calls, 0);
	assert_int_equal(r.body_len, 15);
}

static void
test_body_binary_and_large(void **state)
{
	struct fixture *f = *state;
	size_t n = 100000;
	char *big = malloc(n);
	struct mem m;
	ag_req r;

	assert_non_null(big);
	for (size_t i = 0; i < n; i++)
		big[i] = (char)(i * 7);
	m = mem_of(big, n, 0);
	init_body(&r, f->a, "application/octet-stream", "100000", &m);
	assert_int_equal(ag_req_read_body(&r, n), AG_BODY_OK);
	assert_int_equal(r.body_len, n);
	assert_memory_equal(r.body, big, n);
	free(big);
}

static void
test_body_no_reader(void **state)
{
	struct fixture *f = *state;
	char *env[] = { "REQUEST_METHOD=POST", "REQUEST_URI=/", NULL };
	ag_req r;

	assert_int_equal(ag_req_init(&r, f->a, env, NULL, NULL), 0);
	assert_int_equal(ag_req_read_body(&r, 10), AG_BODY_OK);
	assert_int_equal(r.body_len, 0);
	assert_non_null(r.body);
	assert_string_equal(r.body, "");
}

static void
test_body_too_large_announced(void **state)
{
	struct fixture *f = *state;
	static const char body[] = "0123456789ABC";
	struct mem m = mem_of(body, strlen(body), 0);
	ag_req r;

	init_body(&r, f->a, "text/plain", "11", &m);
	assert_int_equal(ag_req_read_body(&r, 10), AG_BODY_TOO_LARGE);
	/* Refused before reading anything. */
	assert_int_equal(m.calls, 0);
	assert_int_equal(r.body_read, 0);
	assert_null(r.body);
}

static void
test_body_too_large_stream(void **state)
{
	struct fixture *f = *state;
	static const char body[] = "0123456789ABC";
	struct mem m = mem_of(body, strlen(body), 4);
	struct mem m2 = mem_of(body, strlen(body), 0);
	struct mem m3 = mem_of(body, 10, 0);
	ag_req r;

	/* Announces 5 bytes but sends 13: the limit still holds. */
	init_body(&r, f->a, "text/plain", "5", &m);
	assert_int_equal(ag_req_read_body(&r, 10), AG_BODY_TOO_LARGE);
	assert_int_equal(r.body_read, 0);
	/* No Content-Length at all. */
	init_body(&r, f->a, "text/plain", "", &m2);
	assert_int_equal(r.content_length, -1);
	assert_int_equal(ag_req_read_body(&r, 12), AG_BODY_TOO_LARGE);
	/* Exactly the limit is fine. */
	init_body(&r, f->a, "text/plain", "10", &m3);
	assert_int_equal(ag_req_read_body(&r, 10), AG_BODY_OK);
	assert_int_equal(r.body_len, 10);
}

static void
test_body_io(void **state)
{
	struct fixture *f = *state;
	static const char body[] = "abc";
	struct mem m = mem_of(body, 3, 0);
	ag_req r;

	m.fail = 1;
	init_body(&r, f->a, "text/plain", "10", &m);
	assert_int_equal(ag_req_read_body(&r, 100), AG_BODY_IO);
	assert_int_equal(r.body_read, 0);
}

static void
test_form(void **state)
{
	struct fixture *f = *state;
	static const char body[] =
	    "name=Budi+Santoso&plate=L+1234+AB&note=a%0Ab&euro=%E2%82%AC&flag";
	struct mem m = mem_of(body, strlen(body), 5);
	ag_req r;

	init_body(&r, f->a, "application/x-www-form-urlencoded", "", &m);
	assert_int_equal(ag_req_read_form(&r, 1024), AG_BODY_OK);
	assert_string_equal(ag_kv_get(&r.form, "name"), "Budi Santoso");
	assert_string_equal(ag_kv_get(&r.form, "plate"), "L 1234 AB");
	assert_string_equal(ag_kv_get(&r.form, "note"), "a\nb");
	assert_string_equal(ag_kv_get(&r.form, "euro"), "\xe2\x82\xac");
	assert_string_equal(ag_kv_get(&r.form, "flag"), "");
	assert_null(ag_kv_get(&r.form, "missing"));
	assert_int_equal(r.form.n, 5);
}

static void
test_form_malformed(void **state)
{
	struct fixture *f = *state;
	static const char *bad[] = { "a=%zz", "a=%ff%fe", "a=%00", "%=1" };
	static const char big[] = "a=0123456789";
	struct mem m;
	ag_req r;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		m = mem_of(bad[i], strlen(bad[i]), 0);
		init_body(&r, f->a, "application/x-www-form-urlencoded", "", &m);
		assert_int_equal(ag_req_read_form(&r, 1024), AG_BODY_MALFORMED);
	}
	m = mem_of(big, strlen(big), 0);
	init_body(&r, f->a, "application/x-www-form-urlencoded", "", &m);
	assert_int_equal(ag_req_read_form(&r, 5), AG_BODY_TOO_LARGE);
}

#define MP_CT "multipart/form-data; boundary=b0undary"

static const char mp_body[] =
    "--b0undary\r\n"
    "Content-Disposition: form-data; name=\"plate\"\r\n"
    "\r\n"
    "B 1234 KZ\r\n"
    "--b0undary\r\n"
    "Content-Disposition: form-data; name=\"ktp\"; "
    "filename=\"C:\\\\Users\\\\budi\\\\ktp.jpg\"\r\n"
    "Content-Type: image/jpeg\r\n"
    "\r\n"
    "\xff\xd8\xff\xe0JPEGDATA\r\n"
    "--b0undary--\r\n";

static size_t
count_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t n = 0;

	assert_non_null(d);
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

static void
test_multipart(void **state)
{
	struct fixture *f = *state;
	struct mem m = mem_of(mp_body, sizeof(mp_body) - 1, 7);
	char cl[32];
	ag_req r;
	FILE *fp;
	char got[64];
	size_t n;
	struct stat st;

	snprintf(cl, sizeof(cl), "%zu", sizeof(mp_body) - 1);
	init_body(&r, f->a, MP_CT, cl, &m);
	assert_int_equal(ag_req_read_multipart(&r, 4096, 1024, f->dir),
	    AG_BODY_OK);
	assert_string_equal(ag_kv_get(&r.form, "plate"), "B 1234 KZ");
	assert_int_equal(r.uploads.n, 1);
	assert_string_equal(r.uploads.items[0].field, "ktp");
	assert_null(strchr(r.uploads.items[0].filename, '\\'));
	assert_null(strchr(r.uploads.items[0].filename, '/'));
	assert_non_null(strstr(r.uploads.items[0].filename, "ktp.jpg"));
	assert_string_equal(r.uploads.items[0].content_type, "image/jpeg");
	assert_int_equal(r.uploads.items[0].size, 12);
	assert_int_equal(strncmp(r.uploads.items[0].path, f->dir,
	    strlen(f->dir)), 0);
	assert_int_equal(stat(r.uploads.items[0].path, &st), 0);
	assert_int_equal(st.st_size, 12);
	fp = fopen(r.uploads.items[0].path, "rb");
	assert_non_null(fp);
	n = fread(got, 1, sizeof(got), fp);
	fclose(fp);
	assert_int_equal(n, 12);
	assert_memory_equal(got, "\xff\xd8\xff\xe0JPEGDATA", 12);
	assert_int_equal(count_dir(f->dir), 1);

	/* The body is consumed: a second read is refused. */
	assert_int_equal(ag_req_read_multipart(&r, 4096, 1024, f->dir),
	    AG_BODY_MALFORMED);

	/* Resetting the arena removes the spooled file. */
	ag_arena_reset(f->a);
	assert_int_equal(count_dir(f->dir), 0);
}

static void
test_multipart_limits(void **state)
{
	struct fixture *f = *state;
	struct mem m;
	ag_req r;

	/* Announced length above the total limit: nothing is read. */
	m = mem_of(mp_body, sizeof(mp_body) - 1, 0);
	init_body(&r, f->a, MP_CT, "100000", &m);
	assert_int_equal(ag_req_read_multipart(&r, 4096, 1024, f->dir),
	    AG_BODY_TOO_LARGE);
	assert_int_equal(m.calls, 0);

	/* A stream longer than the total limit although announced small. */
	m = mem_of(mp_body, sizeof(mp_body) - 1, 0);
	init_body(&r, f->a, MP_CT, "10", &m);
	assert_int_equal(ag_req_read_multipart(&r, 64, 1024, f->dir),
	    AG_BODY_TOO_LARGE);
	assert_int_equal(r.uploads.n, 0);

	/* A file larger than the per-file limit. */
	m = mem_of(mp_body, sizeof(mp_body) - 1, 0);
	init_body(&r, f->a, MP_CT, "", &m);
	assert_int_equal(ag_req_read_multipart(&r, 4096, 4, f->dir),
	    AG_BODY_TOO_LARGE);
	assert_int_equal(r.uploads.n, 0);

	/* No boundary. */
	m = mem_of(mp_body, sizeof(mp_body) - 1, 0);
	init_body(&r, f->a, "multipart/form-data", "", &m);
	assert_int_equal(ag_req_read_multipart(&r, 4096, 1024, f->dir),
	    AG_BODY_MALFORMED);

	/* Truncated body. */
	m = mem_of(mp_body, sizeof(mp_body) - 20, 0);
	init_body(&r, f->a, MP_CT, "", &m);
	assert_int_equal(ag_req_read_multipart(&r, 4096, 1024, f->dir),
	    AG_BODY_MALFORMED);

	/* Client went away. */
	m = mem_of(mp_body, 30, 0);
	m.fail = 1;
	init_body(&r, f->a, MP_CT, "", &m);
	assert_int_equal(ag_req_read_multipart(&r, 4096, 1024, f->dir),
	    AG_BODY_IO);

	ag_arena_reset(f->a);
	assert_int_equal(count_dir(f->dir), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_init_basic, setup, teardown),
		cmocka_unit_test_setup_teardown(test_init_defaults, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_init_content_length, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_is_type, setup, teardown),
		cmocka_unit_test_setup_teardown(test_init_malformed, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_body_ok, setup, teardown),
		cmocka_unit_test_setup_teardown(test_body_binary_and_large, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_body_no_reader, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_body_too_large_announced,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_body_too_large_stream, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_body_io, setup, teardown),
		cmocka_unit_test_setup_teardown(test_form, setup, teardown),
		cmocka_unit_test_setup_teardown(test_form_malformed, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_multipart, setup, teardown),
		cmocka_unit_test_setup_teardown(test_multipart_limits, setup,
		    teardown),
	};

	return cmocka_run_group_tests_name("request", tests, NULL, NULL);
}
