/* test_response.c - JSON envelopes, headers, cookies and the CGI answer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "response.h"

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

/* The serialised answer as a C string. */
static const char *
serialize(const ag_resp *r, int head_only)
{
	ag_buf out;

	ag_buf_init(&out, r->arena);
	ag_resp_serialize(r, &out, head_only);
	return out.data;
}

/* The header block (up to and including the blank line) of s. */
static const char *
head_of(ag_arena *a, const char *s)
{
	const char *end = strstr(s, "\r\n\r\n");

	assert_non_null(end);
	return ag_strndup(a, s, (size_t)(end - s) + 4);
}

static int
count(const char *hay, const char *needle)
{
	int n = 0;

	for (const char *p = hay; (p = strstr(p, needle)) != NULL; p++)
		n++;
	return n;
}

static void
test_json_envelope(void **state)
{
	ag_arena *a = *state;
	ag_resp r;

	ag_resp_init(&r, a);
	assert_int_equal(r.status, 200);
	ag_resp_json(&r, 201, json_pack("{s:s, s:i}", "id", "x", "n", 3),
	    "Sukses membuat tiket tenant");
	assert_int_equal(r.status, 201);
	assert_string_equal(r.content_type, "application/json; charset=utf-8");
	assert_string_equal(r.body.data,
	    "{\"data\":{\"id\":\"x\",\"n\":3},\"message\":"
	    "\"Sukses membuat tiket tenant\"}");

	/* NULL data is JSON null; a second call replaces the body. */
	ag_resp_json(&r, 200, NULL, "OK");
	assert_string_equal(r.body.data, "{\"data\":null,\"message\":\"OK\"}");
	assert_int_equal(r.body.len, strlen(r.body.data));

	/* Non-ASCII text is kept as UTF-8. */
	ag_resp_json(&r, 200, json_string("Jalan \xc3\xa9"), "Sukses");
	assert_string_equal(r.body.data,
	    "{\"data\":\"Jalan \xc3\xa9\",\"message\":\"Sukses\"}");
}

static void
test_json_page(void **state)
{
	ag_arena *a = *state;
	ag_resp r;
	static const struct {
		long page, limit, total, pages;
	} cases[] = {
		{ 1, 10, 42, 5 },
		{ 2, 10, 40, 4 },
		{ 1, 10, 41, 5 },
		{ 1, 10, 0, 0 },
		{ 1, 10, 1, 1 },
		{ 3, 100, 100, 1 },
		{ 1, 0, 5, 0 },
	};

	ag_resp_init(&r, a);
	ag_resp_json_page(&r, json_pack("[i]", 7), &(ag_page){ 1, 10, 42 },
	    "Sukses");
	assert_int_equal(r.status, 200);
	assert_string_equal(r.body.data,
	    "{\"data\":[7],\"meta\":{\"page\":1,\"limit\":10,\"total_data\":42,"
	    "\"total_page\":5},\"message\":\"Sukses\"}");

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ag_page p = { cases[i].page, cases[i].limit, cases[i].total };
		json_t *doc, *meta;

		ag_resp_json_page(&r, json_array(), &p, "Sukses");
		doc = json_loads(r.body.data, 0, NULL);
		assert_non_null(doc);
		meta = json_object_get(doc, "meta");
		assert_int_equal(json_integer_value(json_object_get(meta,
		    "total_page")), cases[i].pages);
		assert_int_equal(json_integer_value(json_object_get(meta,
		    "total_data")), cases[i].total);
		assert_int_equal(json_integer_value(json_object_get(meta,
		    "page")), cases[i].page);
		assert_int_equal(json_integer_value(json_object_get(meta,
		    "limit")), cases[i].limit);
		assert_true(json_is_array(json_object_get(doc, "data")));
		json_decref(doc);
	}
}

static void
test_json_error(void **state)
{
	ag_arena *a = *state;
	ag_resp r;
	ag_error e;

	ag_resp_init(&r, a);
	ag_resp_json_error(&r, 409, "TICKET_INVALID_STATE", "Status salah",
	    NULL);
	assert_int_equal(r.status, 409);
	assert_string_equal(r.body.data,
	    "{\"message\":\"Status salah\",\"code\":\"TICKET_INVALID_STATE\","
	    "\"errors\":[]}");

	ag_resp_json_error(&r, 422, "VALIDATION_ERROR", "Tidak valid",
	    json_pack("[{s:s, s:s}]", "field", "reject_reason", "message",
	    "wajib diisi"));
	assert_string_equal(r.body.data,
	    "{\"message\":\"Tidak valid\",\"code\":\"VALIDATION_ERROR\","
	    "\"errors\":[{\"field\":\"reject_reason\",\"message\":"
	    "\"wajib diisi\"}]}");

	/* From an ag_error: fields in the order they were added. */
	ag_error_init(&e, a);
	ag_error_field(&e, "name", "wajib diisi");
	ag_error_field(&e, "email", "format email tidak valid");
	ag_error_field(&e, "name", "ignored: first problem wins");
	assert_int_equal(e.status, 422);
	assert_string_equal(ag_error_field_message(&e, "name"), "wajib diisi");
	assert_true(ag_error_has_field(&e, "email"));
	assert_false(ag_error_has_field(&e, "plate"));
	ag_resp_json_fail(&r, &e);
	assert_int_equal(r.status, 422);
	assert_string_equal(r.body.data,
	    "{\"message\":\"Data yang dikirim tidak valid\",\"code\":"
	    "\"VALIDATION_ERROR\",\"errors\":[{\"field\":\"name\",\"message\":"
	    "\"wajib diisi\"},{\"field\":\"email\",\"message\":"
	    "\"format email tidak valid\"}]}");
	/* The error still owns its list. */
	assert_int_equal(json_array_size(e.fields), 2);

	/* ag_fail keeps its status and returns -1. */
	ag_error_init(&e, a);
	assert_int_equal(ag_fail(&e, 404, "NOT_FOUND", "Tiket tidak ditemukan"),
	    -1);
	ag_error_field(&e, "id", "tidak ada");
	assert_int_equal(e.status, 404);
	ag_resp_json_fail(&r, &e);
	assert_int_equal(r.status, 404);
	assert_non_null(strstr(r.body.data,
	    "\"message\":\"Tiket tidak ditemukan\",\"code\":\"NOT_FOUND\""));

	/* Nothing recorded: a generic 500 without details. */
	ag_error_init(&e, a);
	ag_resp_json_fail(&r, &e);
	assert_int_equal(r.status, 500);
	assert_string_equal(r.body.data,
	    "{\"message\":\"Terjadi kesalahan pada server, silakan coba lagi\","
	    "\"code\":\"INTERNAL_ERROR\",\"errors\":[]}");
}

static void
test_status_texts(void **state)
{
	(void)state;
	assert_string_equal(ag_status_code(404), "NOT_FOUND");
	assert_string_equal(ag_status_code(405), "METHOD_NOT_ALLOWED");
	assert_string_equal(ag_status_code(413), "PAYLOAD_TOO_LARGE");
	assert_string_equal(ag_status_code(415), "UNSUPPORTED_MEDIA_TYPE");
	assert_string_equal(ag_status_code(422), "VALIDATION_ERROR");
	assert_string_equal(ag_status_code(500), "INTERNAL_ERROR");
	assert_string_equal(ag_status_code(599), "INTERNAL_ERROR");
	assert_string_equal(ag_status_message(401),
	    "Silakan masuk terlebih dahulu");
	assert_string_equal(ag_status_message(413), "Ukuran data terlalu besar");
}

static void
test_serialize_json(void **state)
{
	ag_arena *a = *state;
	ag_resp r;
	const char *s, *body = "{\"data\":null,\"message\":\"OK\"}";

	ag_resp_init(&r, a);
	ag_resp_json(&r, 200, NULL, "OK");
	s = serialize(&r, 0);
	assert_int_equal(strncmp(s, "Status: 200 OK\r\n", 16), 0);
	assert_non_null(strstr(s,
	    "\r\nContent-Type: application/json; charset=utf-8\r\n"));
	assert_non_null(strstr(s, ag_sprintf(a, "\r\nContent-Length: %zu\r\n",
	    strlen(body))));
	assert_non_null(strstr(s, "\r\nX-Content-Type-Options: nosniff\r\n"));
	assert_non_null(strstr(s, "\r\nX-Frame-Options: DENY\r\n"));
	assert_non_null(strstr(s, "\r\nContent-Security-Policy: default-src "
	    "'none'; frame-ancestors 'none'\r\n"));
	assert_non_null(strstr(s, "\r\nCache-Control: no-store\r\n"));
	assert_null(strstr(s, "form-action"));
	/* Body right after the blank line, nothing else. */
	assert_string_equal(strstr(s, "\r\n\r\n") + 4, body);

	/* HEAD: same headers (incl. the length), no body. */
	s = serialize(&r, 1);
	assert_non_null(strstr(s, ag_sprintf(a, "\r\nContent-Length: %zu\r\n",
	    strlen(body))));
	assert_string_equal(strstr(s, "\r\n\r\n") + 4, "");

	/* Status lines of the error answers. */
	ag_resp_json_error(&r, 405, "METHOD_NOT_ALLOWED", "x", NULL);
	assert_int_equal(strncmp(serialize(&r, 0),
	    "Status: 405 Method Not Allowed\r\n", 32), 0);
	ag_resp_json_error(&r, 422, "VALIDATION_ERROR", "x", NULL);
	assert_int_equal(strncmp(serialize(&r, 0),
	    "Status: 422 Unprocessable Entity\r\n", 34), 0);
	ag_resp_json_error(&r, 500, "INTERNAL_ERROR", "x", NULL);
	assert_int_equal(strncmp(serialize(&r, 0),
	    "Status: 500 Internal Server Error\r\n", 35), 0);
}

static void
test_serialize_html(void **state)
{
	ag_arena *a = *state;
	ag_resp r;
	const char *s, *head;
	static const char page[] = "<!doctype html><p>Halo</p>";

	ag_resp_init(&r, a);
	ag_resp_header(&r, "Cache-Control", "private, max-age=60");
	ag_resp_html(&r, 200, page, strlen(page));
	assert_int_equal(r.html, 1);
	s = serialize(&r, 0);
	head = head_of(a, s);
	assert_non_null(strstr(head, "\r\nContent-Type: text/html; "
	    "charset=utf-8\r\n"));
	assert_non_null(strstr(head, "Content-Security-Policy: "));
	assert_non_null(strstr(head, "form-action 'self'"));
	assert_non_null(strstr(head, "frame-ancestors 'none'"));
	assert_non_null(strstr(head, "X-Frame-Options: DENY\r\n"));
	/* A handler's own Cache-Control replaces the default. */
	assert_int_equal(count(head, "Cache-Control:"), 1);
	assert_non_null(strstr(head, "Cache-Control: private, max-age=60\r\n"));
	assert_int_equal(count(head, "Content-Security-Policy:"), 1);
	assert_string_equal(s + strlen(head), page);

	/* A JSON answer after an HTML one loses the page CSP. */
	ag_resp_json(&r, 200, NULL, "OK");
	assert_int_equal(r.html, 0);
	assert_null(strstr(serialize(&r, 0), "form-action"));
}

static void
test_header_injection(void **state)
{
	ag_arena *a = *state;
	ag_resp r;
	const char *s;
	char name[32];

	ag_resp_init(&r, a);
	ag_resp_header(&r, "X-Test", "ok");
	ag_resp_header(&r, "X-Evil", "a\r\nSet-Cookie: x=1");
	ag_resp_header(&r, "X-Evil2", "a\nb");
	ag_resp_header(&r, "X-Evil3", "a\rb");
	assert_int_equal(r.nheaders, 1);
	assert_string_equal(ag_resp_get_header(&r, "x-test"), "ok");
	assert_null(ag_resp_get_header(&r, "X-Evil"));
	s = serialize(&r, 0);
	assert_null(strstr(s, "Set-Cookie"));
	assert_null(strstr(s, "X-Evil"));
	assert_non_null(strstr(s, "\r\nX-Test: ok\r\n"));

	/* The value is copied: later changes to the caller's buffer do not
	 * reach the answer. */
	snprintf(name, sizeof(name), "v1");
	ag_resp_header(&r, "X-Copy", name);
	name[1] = '2';
	assert_string_equal(ag_resp_get_header(&r, "X-Copy"), "v1");

	/* The header table is bounded. */
	for (int i = 0; i < AG_MAX_HEADERS + 5; i++)
		ag_resp_header(&r, "X-Many", "1");
	assert_int_equal(r.nheaders, AG_MAX_HEADERS);

	/* Reset forgets headers and body. */
	ag_resp_reset(&r);
	assert_int_equal(r.nheaders, 0);
	assert_int_equal(r.body.len, 0);
	assert_int_equal(r.status, 200);
}

static void
test_redirect(void **state)
{
	ag_arena *a = *state;
	static const struct {
		const char *in, *want;
	} cases[] = {
		{ "/admin/tiket?page=2", "/admin/tiket?page=2" },
		{ "/", "/" },
		{ "//evil.example/x", "/" },
		{ "/\\evil.example", "/" },
		{ "http://evil.example/", "/" },
		{ "https://evil.example/", "/" },
		{ "javascript:alert(1)", "/" },
		{ "evil.example", "/" },
		{ "", "/" },
		/* Browsers strip tab/newline: "/\t/evil" would be "//evil". */
		{ "/\t/evil.example", "/" },
		{ "/\n/evil.example", "/" },
		{ "/\r\n/evil.example", "/" },
		{ "/a\r\nSet-Cookie: x=1", "/" },
		{ "/a\x7f", "/" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ag_resp r;
		const char *s;

		ag_resp_init(&r, a);
		ag_resp_json(&r, 200, NULL, "body to drop");
		ag_resp_redirect(&r, cases[i].in);
		assert_int_equal(r.status, 303);
		assert_int_equal(r.body.len, 0);
		assert_string_equal(ag_resp_get_header(&r, "Location"),
		    cases[i].want);
		s = serialize(&r, 0);
		assert_int_equal(strncmp(s, "Status: 303 See Other\r\n", 23), 0);
		assert_non_null(strstr(s, "\r\nContent-Length: 0\r\n"));
	}
}

static void
test_cookie(void **state)
{
	ag_arena *a = *state;
	ag_resp r;
	const char *s;

	ag_resp_init(&r, a);
	ag_resp_cookie(&r, "ag_session", "tok123", 3600, 0);
	assert_string_equal(ag_resp_get_header(&r, "Set-Cookie"),
	    "ag_session=tok123; Path=/; Max-Age=3600; HttpOnly; SameSite=Lax");
	ag_resp_reset(&r);
	ag_resp_cookie(&r, "ag_session", "tok123", 3600, 1);
	assert_string_equal(ag_resp_get_header(&r, "Set-Cookie"),
	    "ag_session=tok123; Path=/; Max-Age=3600; HttpOnly; SameSite=Lax; "
	    "Secure");
	/* Clearing a cookie, and two cookies in one answer. */
	ag_resp_cookie(&r, "ag_csrf", "", 0, 1);
	s = serialize(&r, 0);
	assert_int_equal(count(s, "Set-Cookie: "), 2);
	assert_non_null(strstr(s, "Set-Cookie: ag_csrf=; Path=/; Max-Age=0; "));
	/* A value with CR/LF never becomes a header. */
	ag_resp_reset(&r);
	ag_resp_cookie(&r, "x", "a\r\nLocation: /evil", 1, 0);
	assert_null(ag_resp_get_header(&r, "Set-Cookie"));
}

static void
test_download(void **state)
{
	ag_arena *a = *state;
	ag_resp r;
	static const char data[] = "a,b\n1,2\n";
	const char *s;

	ag_resp_init(&r, a);
	ag_resp_download(&r, "text/csv", "laporan-2025_05.csv", data,
	    strlen(data));
	assert_int_equal(r.status, 200);
	assert_string_equal(r.content_type, "text/csv");
	assert_string_equal(ag_resp_get_header(&r, "Content-Disposition"),
	    "attachment; filename=\"laporan-2025_05.csv\"");
	assert_int_equal(r.body.len, strlen(data));
	assert_memory_equal(r.body.data, data, strlen(data));

	ag_resp_reset(&r);
	ag_resp_download(&r, "application/pdf",
	    "../tiket \"A\";\r\nX: y/\xc3\xa9.pdf", "%PDF", 4);
	assert_string_equal(ag_resp_get_header(&r, "Content-Disposition"),
	    "attachment; filename=\".._tiket__A____X__y___.pdf\"");
	s = serialize(&r, 0);
	assert_null(strstr(s, "\r\nX: y"));
	assert_string_equal(strstr(s, "\r\n\r\n") + 4, "%PDF");

	/* Binary bytes keep embedded NULs. */
	ag_resp_reset(&r);
	ag_resp_bytes(&r, 200, "image/png", "\x89PNG\0\1", 6);
	assert_int_equal(r.body.len, 6);
	assert_memory_equal(r.body.data, "\x89PNG\0\1", 6);
	assert_non_null(strstr(serialize(&r, 0), "Content-Length: 6\r\n"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_json_envelope, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_json_page, setup, teardown),
		cmocka_unit_test_setup_teardown(test_json_error, setup, teardown),
		cmocka_unit_test(test_status_texts),
		cmocka_unit_test_setup_teardown(test_serialize_json, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_serialize_html, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_header_injection, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_redirect, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cookie, setup, teardown),
		cmocka_unit_test_setup_teardown(test_download, setup, teardown),
	};

	return cmocka_run_group_tests_name("response", tests, NULL, NULL);
}
