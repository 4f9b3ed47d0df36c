/*
 * test_dispatch.c - ag_app_dispatch end to end without a database: route
 * matching, media types, body limits, JSON checks, validation and the
 * error answers, with a small table of public test handlers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "app.h"
#include "jsonin.h"
#include "log.h"

#define UUID "0b6f6c3e-9d2a-4c1b-8e57-3f0a1d2c4b5e"

static const ag_field person[] = {
	{ "name", AG_T_STRING, AG_REQUIRED, 1, 50, NULL },
	{ "email", AG_T_EMAIL, AG_REQUIRED, 0, 0, NULL },
	{ "age", AG_T_INT, 0, 1, 120, NULL },
	{ "active", AG_T_BOOL, 0, 0, 0, NULL },
	{ "note", AG_T_TEXT, 0, 0, 0, NULL },
	AG_FIELDS_END
};

static const ag_field notes[] = {
	{ "note", AG_T_STRING, 0, 0, 20, NULL },
	AG_FIELDS_END
};

static const ag_field search_q[] = {
	{ "page", AG_T_INT, 0, 1, 1000, NULL },
	{ "q", AG_T_STRING, 0, 0, 50, NULL },
	AG_FIELDS_END
};

/* Adds the values of in to o: absent skipped, null, number or text. */
static void
put_input(json_t *o, const ag_input *in)
{
	for (size_t i = 0; i < in->n; i++) {
		const ag_field *fd = &in->spec[i];
		json_t *v;

		if (!ag_in_has(in, fd->name))
			continue;
		if (ag_in_str(in, fd->name) == NULL)
			v = json_null();
		else if (fd->type == AG_T_INT || fd->type == AG_T_BOOL)
			v = json_integer(ag_in_int(in, fd->name, 0));
		else
			v = json_string(ag_in_str(in, fd->name));
		json_object_set_new(o, fd->name, v);
	}
}

/* Answers what the dispatcher handed over, so tests can look at it. */
static void
h_echo(ag_ctx *c)
{
	json_t *body = json_object(), *query = json_object();
	const char *id = ag_req_param(c->req, "id");

	put_input(body, &c->body);
	put_input(query, &c->query);
	ag_resp_json(c->resp, 200, json_pack("{s:o, s:o, s:s?, s:i, s:b, s:s}",
	    "body", body, "query", query, "id", id,
	    "field_errors", c->err.fields != NULL ?
	    (int)json_array_size(c->err.fields) : 0,
	    "has_json", c->json != NULL,
	    "role", c->actor.role), "Sukses");
}

static void
h_ping(ag_ctx *c)
{
	ag_resp_json(c->resp, 200, json_pack("{s:b}", "pong", 1), "Sukses");
}

/* A handler that fails without writing an answer. */
static void
h_boom(ag_ctx *c)
{
	c->resp->status = 500;
}

/* A handler that fails through ag_error. */
static void
h_conflict(ag_ctx *c)
{
	ag_fail(&c->err, 409, "TICKET_INVALID_STATE",
	    "Tiket tidak dapat diubah pada status ini");
	ag_fail_json(c);
}

static void
h_unreachable(ag_ctx *c)
{
	(void)c;
	fail_msg("handler of a protected route ran without a user");
}

static const ag_route routes[] = {
	{ "GET", "/v1/ping", h_ping, AG_PUBLIC, 0, NULL, NULL },
	{ "POST", "/v1/people", h_echo, AG_PUBLIC, AG_R_JSON, person, NULL },
	{ "PATCH", "/v1/people/{id}", h_echo, AG_PUBLIC,
	    AG_R_JSON | AG_R_PARTIAL, person, NULL },
	{ "DELETE", "/v1/people/{id}", h_echo, AG_PUBLIC, 0, NULL, NULL },
	{ "POST", "/v1/notes", h_echo, AG_PUBLIC, AG_R_JSON | AG_R_BODY_OPT,
	    notes, NULL },
	{ "GET", "/v1/search", h_echo, AG_PUBLIC, 0, NULL, search_q },
	{ "POST", "/v1/form", h_echo, AG_PUBLIC, AG_R_FORM, person, NULL },
	{ "GET", "/v1/boom", h_boom, AG_PUBLIC, 0, NULL, NULL },
	{ "POST", "/v1/conflict", h_conflict, AG_PUBLIC, 0, NULL, NULL },
	{ "GET", "/v1/secret", h_unreachable, "ticket.read", 0, NULL, NULL },
	{ "POST", "/v1/secret", h_unreachable, AG_SIGNED_IN, AG_R_JSON, person,
	    NULL },
	AG_ROUTES_END
};
static const ag_route *const tables[] = { routes, NULL };


struct fixture {
	ag_app app;
	char *templates;
	FILE *log;
};

/* Memory reader handing out at most chunk bytes per call. */
struct mem {
	const char *p;
	size_t len, pos, chunk;
};

static long
mem_read(void *ctx, char *buf, size_t n)
{
	struct mem *m = ctx;
	size_t k = m->len - m->pos;

	if (k > n)
		k = n;
	if (m->chunk > 0 && k > m->chunk)
		k = m->chunk;
	memcpy(buf, m->p + m->pos, k);
	m->pos += k;
	return (long)k;
}

/* One request as the test describes it. */
struct call {
	const char *method;
	const char *uri;
	const char *ctype;      /* NULL: no Content-Type */
	const char *body;       /* NULL: no body */
	const char *length;     /* NULL: strlen(body) if body, else absent */
	const char *auth;       /* Authorization header or NULL */
};

/* The parsed answer. */
struct answer {
	int status;
	const char *raw;
	const char *head;
	const char *body;
	json_t *json;           /* NULL unless the body is JSON */
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	const char *src = getenv("AG_TEST_SRCDIR");
	size_t n;

	if (f == NULL)
		return -1;
	if (src == NULL)
		src = ".";
	n = strlen(src) + sizeof("/templates");
	f->templates = malloc(n);
	if (f->templates == NULL)
		return -1;
	snprintf(f->templates, n, "%s/templates", src);
	f->app.name = "autogate-test";
	f->app.version = "0";
	f->app.tables = tables;
	f->app.db = NULL;
	f->app.arena = ag_arena_new();
	f->app.public_url = "http://127.0.0.1:8080";
	f->app.secret = "0123456789abcdef0123456789abcdef-test";
	f->app.timezone = "Asia/Jakarta";
	f->app.templates_dir = f->templates;
	f->app.max_json = 256;
	f->app.max_body = 4096;
	f->app.max_upload = 1024;
	f->app.session_idle_minutes = 60;
	f->app.file_url_ttl = 900;
	/* Access-log lines go to a file the tests can read. */
	f->log = tmpfile();
	if (f->log == NULL)
		return -1;
	ag_log_set_stream(f->log);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	ag_log_set_stream(NULL);
	fclose(f->log);
	ag_arena_free(f->app.arena);
	free(f->templates);
	free(f);
	return 0;
}

static struct answer
dispatch(struct fixture *f, const struct call *q)
{
	ag_arena *a = f->app.arena;
	char **env = ag_calloc(a, 12, sizeof(char *));
	size_t n = 0;
	struct mem m = { "", 0, 0, 7 };
	struct answer ans;
	ag_buf out;
	const char *sep;

	env[n++] = ag_sprintf(a, "REQUEST_METHOD=%s", q->method);
	env[n++] = ag_sprintf(a, "REQUEST_URI=%s", q->uri);
	env[n++] = "REMOTE_ADDR=192.0.2.10";
	env[n++] = "REQUEST_ID=test-req";
	if (q->ctype != NULL)
		env[n++] = ag_sprintf(a, "CONTENT_TYPE=%s", q->ctype);
	if (q->length != NULL)
		env[n++] = ag_sprintf(a, "CONTENT_LENGTH=%s", q->length);
	else if (q->body != NULL)
		env[n++] = ag_sprintf(a, "CONTENT_LENGTH=%zu", strlen(q->body));
	if (q->auth != NULL)
		env[n++] = ag_sprintf(a, "HTTP_AUTHORIZATION=%s", q->auth);
	if (q->body != NULL) {
		m.p = q->body;
		m.len = strlen(q->body);
	}

	ag_buf_init(&out, a);
	ag_app_dispatch(&f->app, env, mem_read, &m, &out);
	memset(&ans, 0, sizeof(ans));
	ans.raw = out.data;
	assert_int_equal(strncmp(out.data, "Status: ", 8), 0);
	ans.status = atoi(out.data + 8);
	sep = strstr(out.data, "\r\n\r\n");
	assert_non_null(sep);
	ans.head = ag_strndup(a, out.data, (size_t)(sep - out.data) + 2);
	ans.body = sep + 4;
	/* Content-Length always matches the body. */
	if (strcmp(q->method, "HEAD") != 0)
		assert_non_null(strstr(ans.head, ag_sprintf(a,
		    "\r\nContent-Length: %zu\r\n", strlen(ans.body))));
	if (strstr(ans.head, "Content-Type: application/json") != NULL &&
	    ans.body[0] != '\0') {
		ans.json = ag_json_own(a, json_loads(ans.body, 0, NULL));
		assert_non_null(ans.json);
	}
	return ans;
}

static const char *
jstr(json_t *j, const char *key)
{
	return json_string_value(json_object_get(j, key));
}

/* Checks the API.md error shape and its code. */
static void
expect_error(const struct answer *ans, int status, const char *code)
{
	json_t *errors;

	assert_int_equal(ans->status, status);
	assert_non_null(ans->json);
	assert_string_equal(jstr(ans->json, "code"), code);
	assert_non_null(jstr(ans->json, "message"));
	assert_true(strlen(jstr(ans->json, "message")) > 0);
	errors = json_object_get(ans->json, "errors");
	assert_true(json_is_array(errors));
	assert_null(json_object_get(ans->json, "data"));
	assert_int_equal(json_object_size(ans->json), 3);
}

static json_t *
data_of(const struct answer *ans)
{
	json_t *d;

	assert_int_equal(ans->status, 200);
	assert_non_null(ans->json);
	assert_string_equal(jstr(ans->json, "message"), "Sukses");
	d = json_object_get(ans->json, "data");
	assert_non_null(d);
	return d;
}

static void
test_ok_and_headers(void **state)
{
	struct fixture *f = *state;
	struct call q = { "GET", "/v1/ping", NULL, NULL, NULL, NULL };
	struct answer ans = dispatch(f, &q);

	assert_int_equal(ans.status, 200);
	assert_string_equal(ans.body,
	    "{\"data\":{\"pong\":true},\"message\":\"Sukses\"}");
	assert_non_null(strstr(ans.head, "\r\nX-Content-Type-Options: nosniff"));
	assert_non_null(strstr(ans.head, "\r\nX-Frame-Options: DENY"));
	assert_non_null(strstr(ans.head, "\r\nContent-Security-Policy: "));

	/* The arena is reset between requests in production. */
	ag_arena_reset(f->app.arena);
	ans = dispatch(f, &q);
	assert_int_equal(ans.status, 200);
}

static void
test_not_found(void **state)
{
	struct fixture *f = *state;
	struct call q = { "GET", "/v1/nope", NULL, NULL, NULL, NULL };
	struct answer ans = dispatch(f, &q);

	expect_error(&ans, 404, "NOT_FOUND");
	assert_string_equal(jstr(ans.json, "message"),
	    "Halaman atau data tidak ditemukan");
	assert_int_equal(json_array_size(json_object_get(ans.json, "errors")),
	    0);
	assert_non_null(strstr(ans.head, "\r\nX-Frame-Options: DENY"));
	assert_null(strstr(ans.head, "Allow:"));

	/* Trailing slash and a non-UUID {id} are unknown paths too. */
	q.uri = "/v1/ping/";
	expect_error((ans = dispatch(f, &q), &ans), 404, "NOT_FOUND");
	q.method = "DELETE";
	q.uri = "/v1/people/123";
	expect_error((ans = dispatch(f, &q), &ans), 404, "NOT_FOUND");
}

static void
test_method_not_allowed(void **state)
{
	struct fixture *f = *state;
	struct call q = { "PUT", "/v1/people", "application/json", "{}", NULL,
	    NULL };
	struct answer ans = dispatch(f, &q);

	expect_error(&ans, 405, "METHOD_NOT_ALLOWED");
	assert_non_null(strstr(ans.head, "\r\nAllow: POST\r\n"));

	q.method = "GET";
	q.uri = "/v1/people/" UUID;
	ans = dispatch(f, &q);
	expect_error(&ans, 405, "METHOD_NOT_ALLOWED");
	assert_non_null(strstr(ans.head, "\r\nAllow: PATCH, DELETE\r\n"));
}

static void
test_bad_request_line(void **state)
{
	struct fixture *f = *state;
	struct call q = { "GET", "/v1/search?q=%zz", NULL, NULL, NULL, NULL };
	struct answer ans = dispatch(f, &q);

	expect_error(&ans, 400, "MALFORMED_REQUEST");
	q.uri = "v1/ping";
	expect_error((ans = dispatch(f, &q), &ans), 400, "MALFORMED_REQUEST");
}

static void
test_media_type(void **state)
{
	struct fixture *f = *state;
	static const char body[] = "{\"name\":\"a\",\"email\":\"a@b.id\"}";
	struct call q = { "POST", "/v1/people", "text/plain", body, NULL,
	    NULL };
	struct answer ans = dispatch(f, &q);

	expect_error(&ans, 415, "UNSUPPORTED_MEDIA_TYPE");
	q.ctype = NULL;
	expect_error((ans = dispatch(f, &q), &ans), 415,
	    "UNSUPPORTED_MEDIA_TYPE");
	q.ctype = "application/x-www-form-urlencoded";
	expect_error((ans = dispatch(f, &q), &ans), 415,
	    "UNSUPPORTED_MEDIA_TYPE");
	/* Parameters and case do not matter. */
	q.ctype = "Application/JSON; charset=utf-8";
	ans = dispatch(f, &q);
	assert_int_equal(ans.status, 200);

	/* A form route does not take JSON. */
	q.uri = "/v1/form";
	q.ctype = "application/json";
	expect_error((ans = dispatch(f, &q), &ans), 415,
	    "UNSUPPORTED_MEDIA_TYPE");
}

static void
test_malformed_json(void **state)
{
	struct fixture *f = *state;
	static const char *bad[] = {
		"{\"name\": ",
		"{name: 1}",
		"[1, 2]",
		"\"text\"",
		"{} {}",
		"{\"name\":\"a\"}x",
		"",
		"{\"name\":\"\xff\"}",
		/* Deeper than the dispatcher's nesting limit. */
		("{\"a\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]"
		    "]]]]]]]]]]]]]]]]]]]]}"),
	};
	struct call q = { "POST", "/v1/people", "application/json", NULL,
	    NULL, NULL };
	struct answer ans;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		q.body = bad[i];
		ans = dispatch(f, &q);
		expect_error(&ans, 400, "MALFORMED_JSON");
	}

	/* The last case is valid JSON, only too deep. */
	assert_string_equal(jstr(ans.json, "message"),
	    "JSON tidak valid: terlalu dalam");

	q.body = "{\"name\":\"a\",\"email\":\"a@b.id\",\"name\":\"b\"}";
	ans = dispatch(f, &q);
	expect_error(&ans, 400, "MALFORMED_JSON");
	assert_string_equal(jstr(ans.json, "message"),
	    "JSON tidak valid: kunci ganda");
}

static void
test_too_large(void **state)
{
	struct fixture *f = *state;
	char *big = ag_alloc(f->app.arena, 400);
	struct call q = { "POST", "/v1/people", "application/json", NULL,
	    NULL, NULL };
	struct answer ans;

	/* A valid object of 300 bytes against max_json 256. */
	memset(big, ' ', 299);
	big[0] = '{';
	big[298] = '}';
	big[299] = '\0';
	q.body = big;
	ans = dispatch(f, &q);
	expect_error(&ans, 413, "PAYLOAD_TOO_LARGE");
	assert_int_equal(strncmp(ans.raw, "Status: 413 Payload Too Large\r\n",
	    31), 0);

	/* Announced small, sent large. */
	q.length = "10";
	expect_error((ans = dispatch(f, &q), &ans), 413, "PAYLOAD_TOO_LARGE");

	/* Announced large, nothing sent. */
	q.body = "{}";
	q.length = "100000";
	expect_error((ans = dispatch(f, &q), &ans), 413, "PAYLOAD_TOO_LARGE");

	/* A form body counts against the same limit. */
	q.uri = "/v1/form";
	q.ctype = "application/x-www-form-urlencoded";
	q.body = big;
	q.length = NULL;
	memset(big, 'x', 299);
	expect_error((ans = dispatch(f, &q), &ans), 413, "PAYLOAD_TOO_LARGE");
}

static void
test_validation_errors(void **state)
{
	struct fixture *f = *state;
	struct call q = { "POST", "/v1/people", "application/json",
	    "{\"email\":\"bukan\",\"age\":\"tua\",\"active\":\"ya\"}", NULL,
	    NULL };
	struct answer ans = dispatch(f, &q);
	json_t *errors;
	static const char *want[][2] = {
		{ "name", "wajib diisi" },
		{ "email", "format email tidak valid" },
		{ "age", "harus berupa bilangan bulat" },
		{ "active", "harus berupa true atau false" },
	};

	expect_error(&ans, 422, "VALIDATION_ERROR");
	assert_string_equal(jstr(ans.json, "message"),
	    "Data yang dikirim tidak valid");
	errors = json_object_get(ans.json, "errors");
	assert_int_equal(json_array_size(errors), 4);
	for (size_t i = 0; i < 4; i++) {
		json_t *e = json_array_get(errors, i);

		assert_string_equal(jstr(e, "field"), want[i][0]);
		assert_string_equal(jstr(e, "message"), want[i][1]);
		assert_int_equal(json_object_size(e), 2);
	}

	/* Query fields are validated the same way. */
	q.method = "GET";
	q.uri = "/v1/search?page=0";
	q.ctype = NULL;
	q.body = NULL;
	ans = dispatch(f, &q);
	expect_error(&ans, 422, "VALIDATION_ERROR");
	assert_string_equal(jstr(json_array_get(json_object_get(ans.json,
	    "errors"), 0), "field"), "page");
}

static void
test_typed_values(void **state)
{
	struct fixture *f = *state;
	struct call q = { "POST", "/v1/people", "application/json",
	    "{\"name\":\"  Budi Santoso \",\"email\":\"Budi@X.ID\",\"age\":30,"
	    "\"active\":true,\"extra\":[1]}", NULL, NULL };
	struct answer ans = dispatch(f, &q);
	json_t *d = data_of(&ans), *body = json_object_get(d, "body");

	assert_string_equal(jstr(body, "name"), "Budi Santoso");
	assert_string_equal(jstr(body, "email"), "budi@x.id");
	assert_int_equal(json_integer_value(json_object_get(body, "age")), 30);
	assert_int_equal(json_integer_value(json_object_get(body, "active")),
	    1);
	assert_null(json_object_get(body, "note"));
	assert_null(json_object_get(body, "extra"));
	assert_true(json_is_null(json_object_get(d, "id")));
	assert_string_equal(jstr(d, "role"), "guest");
	assert_true(json_is_true(json_object_get(d, "has_json")));

	/* PATCH: partial, with the decoded {id}. */
	q.method = "PATCH";
	q.uri = "/v1/people/0B6F6C3E-9D2A-4C1B-8E57-3F0A1D2C4B5E";
	q.body = "{\"age\":31,\"note\":null}";
	ans = dispatch(f, &q);
	d = data_of(&ans);
	body = json_object_get(d, "body");
	assert_string_equal(jstr(d, "id"),
	    "0B6F6C3E-9D2A-4C1B-8E57-3F0A1D2C4B5E");
	assert_int_equal(json_object_size(body), 2);
	assert_int_equal(json_integer_value(json_object_get(body, "age")), 31);
	assert_true(json_is_null(json_object_get(body, "note")));
	/* ... but a required field cannot be emptied. */
	q.body = "{\"name\":\"\"}";
	ans = dispatch(f, &q);
	expect_error(&ans, 422, "VALIDATION_ERROR");

	/* Query values. */
	q.method = "GET";
	q.uri = "/v1/search?page=3&q=%20gate+A%20&other=x";
	q.ctype = NULL;
	q.body = NULL;
	ans = dispatch(f, &q);
	d = data_of(&ans);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(d,
	    "query"), "page")), 3);
	assert_string_equal(jstr(json_object_get(d, "query"), "q"), "gate A");
	assert_int_equal(json_object_size(json_object_get(d, "body")), 0);
	assert_true(json_is_false(json_object_get(d, "has_json")));

	/* A route without fields still gets empty inputs. */
	q.method = "DELETE";
	q.uri = "/v1/people/" UUID;
	ans = dispatch(f, &q);
	d = data_of(&ans);
	assert_string_equal(jstr(d, "id"), UUID);
}

static void
test_body_optional(void **state)
{
	struct fixture *f = *state;
	struct call q = { "POST", "/v1/notes", NULL, NULL, NULL, NULL };
	struct answer ans = dispatch(f, &q);
	json_t *d = data_of(&ans);

	assert_int_equal(json_object_size(json_object_get(d, "body")), 0);
	assert_true(json_is_true(json_object_get(d, "has_json")));

	q.length = "0";
	ans = dispatch(f, &q);
	assert_int_equal(ans.status, 200);

	q.ctype = "application/json";
	q.body = "{\"note\":\" catatan \"}";
	q.length = NULL;
	ans = dispatch(f, &q);
	d = data_of(&ans);
	assert_string_equal(jstr(json_object_get(d, "body"), "note"),
	    "catatan");

	/* An optional body that is sent is still checked. */
	q.body = "{\"note\":\"";
	expect_error((ans = dispatch(f, &q), &ans), 400, "MALFORMED_JSON");
	q.body = "{\"note\":\"012345678901234567890\"}";
	expect_error((ans = dispatch(f, &q), &ans), 422, "VALIDATION_ERROR");
	q.ctype = "text/plain";
	q.body = "hello";
	expect_error((ans = dispatch(f, &q), &ans), 415,
	    "UNSUPPORTED_MEDIA_TYPE");

	/* Without AG_R_BODY_OPT an empty body is malformed. */
	q.uri = "/v1/people";
	q.ctype = NULL;
	q.body = NULL;
	expect_error((ans = dispatch(f, &q), &ans), 415,
	    "UNSUPPORTED_MEDIA_TYPE");
	q.ctype = "application/json";
	q.body = "";
	expect_error((ans = dispatch(f, &q), &ans), 400, "MALFORMED_JSON");
}

static void
test_form_route(void **state)
{
	struct fixture *f = *state;
	struct call q = { "POST", "/v1/form",
	    "application/x-www-form-urlencoded",
	    "name=Siti+A&email=SITI%40X.ID&age=&active=on", NULL, NULL };
	struct answer ans = dispatch(f, &q);
	json_t *d = data_of(&ans), *body = json_object_get(d, "body");

	assert_string_equal(jstr(body, "name"), "Siti A");
	assert_string_equal(jstr(body, "email"), "siti@x.id");
	assert_null(json_object_get(body, "age"));
	assert_int_equal(json_integer_value(json_object_get(body, "active")),
	    1);
	assert_int_equal(json_integer_value(json_object_get(d, "field_errors")),
	    0);

	/* Field problems of a form reach the handler, which shows them. */
	q.body = "name=&email=x";
	ans = dispatch(f, &q);
	d = data_of(&ans);
	assert_int_equal(json_integer_value(json_object_get(d, "field_errors")),
	    2);

	/* Malformed form encoding. */
	q.body = "name=%zz";
	expect_error((ans = dispatch(f, &q), &ans), 400, "MALFORMED_REQUEST");
}

static void
test_head(void **state)
{
	struct fixture *f = *state;
	struct call q = { "HEAD", "/v1/ping", NULL, NULL, NULL, NULL };
	struct answer ans = dispatch(f, &q);

	assert_int_equal(ans.status, 200);
	assert_string_equal(ans.body, "");
	/* The length of the body a GET would have had. */
	assert_non_null(strstr(ans.head, ag_sprintf(f->app.arena,
	    "\r\nContent-Length: %zu\r\n",
	    strlen("{\"data\":{\"pong\":true},\"message\":\"Sukses\"}"))));

	/* Errors to HEAD carry no body either. */
	q.uri = "/v1/nope";
	ans = dispatch(f, &q);
	assert_int_equal(ans.status, 404);
	assert_string_equal(ans.body, "");
}

static void
test_handler_errors(void **state)
{
	struct fixture *f = *state;
	struct call q = { "GET", "/v1/boom", NULL, NULL, NULL, NULL };
	struct answer ans = dispatch(f, &q);

	expect_error(&ans, 500, "INTERNAL_ERROR");
	assert_string_equal(jstr(ans.json, "message"),
	    "Terjadi kesalahan pada server, silakan coba lagi");
	assert_int_equal(strncmp(ans.raw,
	    "Status: 500 Internal Server Error\r\n", 35), 0);

	q.method = "POST";
	q.uri = "/v1/conflict";
	ans = dispatch(f, &q);
	expect_error(&ans, 409, "TICKET_INVALID_STATE");
	assert_string_equal(jstr(ans.json, "message"),
	    "Tiket tidak dapat diubah pada status ini");
}

static void
test_unauthenticated(void **state)
{
	struct fixture *f = *state;
	struct call q = { "GET", "/v1/secret", NULL, NULL, NULL, NULL };
	struct answer ans = dispatch(f, &q);

	expect_error(&ans, 401, "UNAUTHORIZED");
	assert_string_equal(jstr(ans.json, "message"),
	    "Silakan masuk terlebih dahulu");

	/* Not a bearer token, or one too short to look up: no DB call. */
	q.auth = "Basic dXNlcjpwYXNz";
	expect_error((ans = dispatch(f, &q), &ans), 401, "UNAUTHORIZED");
	q.auth = "Bearer short";
	expect_error((ans = dispatch(f, &q), &ans), 401, "UNAUTHORIZED");
	q.auth = "Bearer";
	expect_error((ans = dispatch(f, &q), &ans), 401, "UNAUTHORIZED");

	/* Authentication comes before the body is looked at. */
	q.method = "POST";
	q.auth = NULL;
	q.ctype = "text/plain";
	q.body = "{";
	expect_error((ans = dispatch(f, &q), &ans), 401, "UNAUTHORIZED");
	q.ctype = "application/json";
	expect_error((ans = dispatch(f, &q), &ans), 401, "UNAUTHORIZED");
}

static void
test_access_log(void **state)
{
	struct fixture *f = *state;
	struct call q = { "GET", "/v1/nope", NULL, NULL, NULL, NULL };
	char line[1024];
	long pos;
	size_t n;
	struct answer ans;

	fflush(f->log);
	pos = ftell(f->log);
	ans = dispatch(f, &q);
	assert_int_equal(ans.status, 404);
	fflush(f->log);
	assert_int_equal(fseek(f->log, pos, SEEK_SET), 0);
	n = fread(line, 1, sizeof(line) - 1, f->log);
	line[n] = '\0';
	assert_non_null(strstr(line, "\"status\":404"));
	assert_non_null(strstr(line, "\"path\":\"/v1/nope\""));
	assert_non_null(strstr(line, "\"request_id\":\"test-req\""));
	assert_int_equal(strchr(line, '\n') - line, (long)n - 1);
	assert_int_equal(fseek(f->log, 0, SEEK_END), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_ok_and_headers, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_not_found, setup, teardown),
		cmocka_unit_test_setup_teardown(test_method_not_allowed, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_bad_request_line, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_media_type, setup, teardown),
		cmocka_unit_test_setup_teardown(test_malformed_json, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_too_large, setup, teardown),
		cmocka_unit_test_setup_teardown(test_validation_errors, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_typed_values, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_body_optional, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_form_route, setup, teardown),
		cmocka_unit_test_setup_teardown(test_head, setup, teardown),
		cmocka_unit_test_setup_teardown(test_handler_errors, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_unauthenticated, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_access_log, setup, teardown),
	};

	return cmocka_run_group_tests_name("dispatch", tests, NULL, NULL);
}
