/*
 * test_api.c - integration tests: the real stack (nginx, the three
 * FastCGI workers, PostgreSQL) driven over HTTP.
 *
 * Environment: AG_BASE_URL (e.g. http://127.0.0.1:8081; unset = every test
 * skipped), AG_ADMIN_EMAIL/AG_ADMIN_PASSWORD (a super admin),
 * AG_OPERATOR_EMAIL/AG_OPERATOR_PASSWORD (role operational: ticket.read,
 * destination.read, file.read), AG_TEST_DSN (the same database, for states
 * the API cannot reach) and AG_CONFIG (the stack's configuration, for the
 * link-signing secret). Each test makes its own tickets, so the tests do
 * not depend on each other's order.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "itest.h"

/* Demo destinations (sql/demo/001_demo.sql). */
#define DEST_WAREHOUSE "0b7e2d55-8a3c-4c61-b1f2-5d1e9a7c1004"
#define NIK "3578012345670001"

/* A 1x1 PNG, for uploads. */
static const unsigned char tiny_png[] = {
	0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d,
	0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01,
	0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4, 0x89, 0x00, 0x00, 0x00,
	0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8, 0xcf, 0xc0, 0xf0,
	0x1f, 0x00, 0x05, 0x00, 0x01, 0xff, 0x89, 0x99, 0x3d, 0x1d, 0x00, 0x00,
	0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82
};

/* ---- small helpers ---- */

#define req(m, p) ag_it_request((m), (p), NULL, NULL, 0)

static const char *
admin_email(void)
{
	return env_or("AG_ADMIN_EMAIL", "superadmin@example.com");
}

static const char *
admin_token(void)
{
	return login_as(admin_email(), env_or("AG_ADMIN_PASSWORD",
	    PASSWORD_DEFAULT));
}

static const char *
operator_token(void)
{
	return login_as(env_or("AG_OPERATOR_EMAIL", "operator@example.com"),
	    env_or("AG_OPERATOR_PASSWORD", PASSWORD_DEFAULT));
}

/* A guest registration body; name and date vary per test. */
static const char *
guest_body(const char *name, const char *date)
{
	return json_text(json_pack(
	    "{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "name", name,
	    "identity_number", NIK, "phone", "081234567890",
	    "email", "tamu@example.com", "origin", "PT Maju Bersama",
	    "destination_id", DEST_OFFICE, "request_at", date,
	    "purpose", "Rapat koordinasi proyek", "police_number", "L 1234 AB"));
}

/* Registers a guest visit for tomorrow through the public API. */
static json_t *
create_guest_on(const char *name, const char *date)
{
	ag_it_resp *r = jreq("POST", "/v1/tickets/guest", NULL,
	    guest_body(name, date));

	check_status(r, 201);
	assert_non_null(jget(r->json, "data"));
	return jget(r->json, "data");
}

static json_t *
create_guest(const char *name)
{
	return create_guest_on(name, jakarta_date(1));
}

static const char *
ticket_path(json_t *t, const char *suffix)
{
	return ag_it_printf("/v1/tickets/guest/%s%s", jstr(t, "id"), suffix);
}

/* The ticket as the admin API sees it now. */
static json_t *
fetch_ticket(const char *token, const char *id)
{
	ag_it_resp *r = jreq("GET", ag_it_printf("/v1/tickets/guest/%s", id),
	    token, NULL);

	check_status(r, 200);
	return jget(r->json, "data");
}

/* Runs cmd with the body of r on its standard input; returns its output. */
static const char *
pipe_through(const char *cmd, const ag_it_resp *r)
{
	const char *in = ag_it_temp_file("ag-itest-", r->body, r->len);
	char line[4096];
	FILE *p;
	size_t n, total = 0;
	char *out;

	p = popen(ag_it_printf("%s < '%s' 2>/dev/null", cmd, in), "r");
	assert_non_null(p);
	out = ag_it_strdup("");
	while ((n = fread(line, 1, sizeof(line) - 1, p)) > 0) {
		char *more;

		line[n] = '\0';
		more = ag_it_printf("%s%s", out, line);
		out = more;
		total += n;
	}
	pclose(p);
	unlink(in);
	(void)total;
	return out;
}

static int
have_program(const char *name)
{
	return system(ag_it_printf("command -v %s >/dev/null 2>&1", name)) == 0;
}

/* The decoded value of query parameter name in url, or NULL. */
static const char *
query_param(const char *url, const char *name)
{
	const char *q = strchr(url, '?');
	size_t n = strlen(name);
	char *out, *o;

	while (q != NULL) {
		q++;
		if (strncmp(q, name, n) == 0 && q[n] == '=') {
			const char *v = q + n + 1;

			out = ag_it_strdup(v);
			for (o = out; *v != '\0' && *v != '&'; v++) {
				if (*v == '%' && v[1] != '\0' && v[2] != '\0') {
					char hex[3] = { v[1], v[2], '\0' };

					*o++ = (char)strtol(hex, NULL, 16);
					v += 2;
				} else
					*o++ = *v == '+' ? ' ' : *v;
			}
			*o = '\0';
			return out;
		}
		q = strchr(q, '&');
	}
	return NULL;
}

/* url with query parameter name's value replaced by value (raw). */
static const char *
with_param(const char *url, const char *name, const char *value)
{
	const char *p = strstr(url, ag_it_printf("%s=", name)), *end;

	assert_non_null(p);
	p += strlen(name) + 1;
	end = strchr(p, '&');
	return ag_it_printf("%.*s%s%s", (int)(p - url), url, value,
	    end != NULL ? end : "");
}

/* ---- basics ---- */

static void
test_health(void **state)
{
	ag_it_resp *r = req("GET", "/v1/health");

	(void)state;
	check_status(r, 200);
	assert_true(matches(ag_it_header(r, "Content-Type"),
	    "^application/json"));
	check_jstr(r->json, "data.status", "ok");
	check_jstr(r->json, "data.database", "ok");
	check_jstr(r->json, "data.migrations", "current");
	assert_non_null(jstr(r->json, "data.version"));
	assert_non_null(jstr(r->json, "message"));
}

static void
test_openapi(void **state)
{
	ag_it_resp *r = req("GET", "/v1/openapi.json");
	json_t *paths;

	(void)state;
	check_status(r, 200);
	assert_non_null(r->json);
	assert_true(matches(jstr(r->json, "openapi"), "^3\\."));
	paths = json_object_get(r->json, "paths");
	assert_true(json_is_object(paths));
	assert_non_null(json_object_get(paths, "/v1/tickets/guest/{id}/reject"));
	assert_non_null(json_object_get(paths, "/v1/auth/login"));
}

static void
test_unknown_path_404(void **state)
{
	(void)state;
	check_error(req("GET", "/v1/no-such-thing"), 404, "NOT_FOUND");
	check_error(req("GET", "/v1/tickets/no/such/thing"), 404, "NOT_FOUND");
}

static void
test_method_not_allowed(void **state)
{
	ag_it_resp *r = req("DELETE", "/v1/tickets/guest/" UNKNOWN_UUID);
	const char *allow;

	(void)state;
	check_error(r, 405, "METHOD_NOT_ALLOWED");
	allow = ag_it_header(r, "Allow");
	assert_non_null(allow);
	assert_true(matches(allow, "(^|[ ,])GET($|[ ,])"));
	assert_true(matches(allow, "(^|[ ,])PATCH($|[ ,])"));
	assert_false(matches(allow, "DELETE"));
	check_error(req("GET", "/v1/auth/login"), 405, "METHOD_NOT_ALLOWED");
}

/* ---- authentication ---- */

static void
test_login_ok(void **state)
{
	ag_it_resp *r = jreq("POST", "/v1/auth/login", NULL, ag_it_printf(
	    "{\"email\": \"%s\", \"password\": \"%s\"}", admin_email(),
	    env_or("AG_ADMIN_PASSWORD", PASSWORD_DEFAULT)));
	const char *tok;

	(void)state;
	check_status(r, 200);
	tok = jstr(r->json, "data.access_token");
	assert_non_null(tok);
	assert_true(strlen(tok) >= 20);
	check_jstr(r->json, "data.token_type", "Bearer");
	assert_true(json_integer_value(jget(r->json, "data.expires_in")) > 0);
	assert_non_null(jstr(r->json, "data.refresh_token"));
	assert_string_not_equal(jstr(r->json, "data.refresh_token"), tok);
	check_jstr(r->json, "data.user.email", admin_email());
	assert_null(jget(r->json, "data.user.password_hash"));
	/* The token opens protected routes. */
	r = jreq("GET", "/v1/destinations", tok, NULL);
	check_status(r, 200);
	assert_true(json_array_size(jget(r->json, "data")) >= 1);
	assert_true(contains(r, DEST_OFFICE));
	assert_non_null(jget(r->json, "meta.total_data"));
	/* A wrong token does not. */
	check_error(jreq("GET", "/v1/destinations",
	    "not-a-real-token-but-long-enough", NULL), 401, "UNAUTHORIZED");
}

static void
test_login_wrong_password(void **state)
{
	ag_it_resp *bad = jreq("POST", "/v1/auth/login", NULL, ag_it_printf(
	    "{\"email\": \"%s\", \"password\": \"wrong-password\"}",
	    admin_email()));
	ag_it_resp *unknown = jreq("POST", "/v1/auth/login", NULL,
	    "{\"email\": \"nobody-here@example.com\", \"password\": \"x\"}");

	(void)state;
	check_error(bad, 401, "INVALID_CREDENTIALS");
	/* An unknown address is told exactly the same. */
	check_error(unknown, 401, "INVALID_CREDENTIALS");
	assert_string_equal(jstr(bad->json, "message"),
	    jstr(unknown->json, "message"));
	assert_null(ag_it_header(bad, "Set-Cookie"));
}

static void
test_login_missing_field(void **state)
{
	ag_it_resp *r = jreq("POST", "/v1/auth/login", NULL,
	    "{\"email\": \"a@example.com\"}");

	(void)state;
	check_error(r, 422, "VALIDATION_ERROR");
	check_field_error(r, "password");
	assert_false(has_field_error(r, "email"));
	r = jreq("POST", "/v1/auth/login", NULL, "{}");
	check_error(r, 422, "VALIDATION_ERROR");
	check_field_error(r, "email");
	check_field_error(r, "password");
	r = jreq("POST", "/v1/auth/login", NULL,
	    "{\"email\": \"not-an-email\", \"password\": \"x\"}");
	check_error(r, 422, NULL);
	check_field_error(r, "email");
}

static void
test_login_bad_requests(void **state)
{
	const char *text[] = { "Content-Type: text/plain", NULL };
	const char *json[] = { "Content-Type: application/json", NULL };
	const char *dup = "{\"email\": \"a@example.com\", \"email\": "
	    "\"b@example.com\", \"password\": \"x\"}";
	size_t big = (1u << 20) + 4096;
	char *huge;
	ag_it_resp *r;

	(void)state;
	check_error(ag_it_request("POST", "/v1/auth/login", text, "{}", 2), 415,
	    NULL);
	check_error(ag_it_request("POST", "/v1/auth/login", json,
	    "{\"email\": ", 10), 400, "MALFORMED_JSON");
	check_error(ag_it_request("POST", "/v1/auth/login", json, "[1, 2]", 6),
	    400, NULL);
	check_error(ag_it_request("POST", "/v1/auth/login", json, dup,
	    strlen(dup)), 400, "MALFORMED_JSON");
	/* More than 1 MiB of JSON. */
	huge = malloc(big + 1);
	assert_non_null(huge);
	memset(huge, 'a', big);
	memcpy(huge, "{\"email\": \"", 11);
	memcpy(huge + big - 2, "\"}", 2);
	huge[big] = '\0';
	r = ag_it_request("POST", "/v1/auth/login", json, huge, big);
	free(huge);
	check_status(r, 413);
	if (r->json != NULL)
		check_error(r, 413, NULL);
}

static void
test_refresh_rotates(void **state)
{
	ag_it_resp *login = jreq("POST", "/v1/auth/login", NULL, ag_it_printf(
	    "{\"email\": \"%s\", \"password\": \"%s\"}", admin_email(),
	    env_or("AG_ADMIN_PASSWORD", PASSWORD_DEFAULT)));
	const char *old_access, *old_refresh, *body;
	ag_it_resp *r;

	(void)state;
	check_status(login, 200);
	old_access = jstr(login->json, "data.access_token");
	old_refresh = jstr(login->json, "data.refresh_token");
	body = ag_it_printf("{\"refresh_token\": \"%s\"}", old_refresh);
	r = jreq("POST", "/v1/auth/refresh", NULL, body);
	check_status(r, 200);
	assert_non_null(jstr(r->json, "data.access_token"));
	assert_string_not_equal(jstr(r->json, "data.access_token"), old_access);
	assert_string_not_equal(jstr(r->json, "data.refresh_token"),
	    old_refresh);
	check_status(jreq("GET", "/v1/destinations",
	    jstr(r->json, "data.access_token"), NULL), 200);
	/* The old refresh token is spent; so is its access token. */
	check_error(jreq("POST", "/v1/auth/refresh", NULL, body), 401, NULL);
	check_error(jreq("GET", "/v1/destinations", old_access, NULL), 401,
	    NULL);
	check_error(jreq("POST", "/v1/auth/refresh", NULL,
	    "{\"refresh_token\": \"made-up-refresh-token-0123456789\"}"), 401,
	    NULL);
}

static void
test_logout_revokes(void **state)
{
	ag_it_resp *login = jreq("POST", "/v1/auth/login", NULL, ag_it_printf(
	    "{\"email\": \"%s\", \"password\": \"%s\"}", admin_email(),
	    env_or("AG_ADMIN_PASSWORD", PASSWORD_DEFAULT)));
	const char *tok, *refresh;

	(void)state;
	check_status(login, 200);
	tok = jstr(login->json, "data.access_token");
	refresh = jstr(login->json, "data.refresh_token");
	check_status(jreq("GET", "/v1/destinations", tok, NULL), 200);
	check_error(jreq("POST", "/v1/auth/logout", NULL, NULL), 401,
	    "UNAUTHORIZED");
	check_status(jreq("POST", "/v1/auth/logout", tok, NULL), 200);
	check_error(jreq("GET", "/v1/destinations", tok, NULL), 401,
	    "UNAUTHORIZED");
	check_error(jreq("POST", "/v1/auth/refresh", NULL, ag_it_printf(
	    "{\"refresh_token\": \"%s\"}", refresh)), 401, NULL);
}

static void
test_mobile_login(void **state)
{
	ag_it_resp *r = jreq("POST", "/v1/auth/mobile/login", NULL, ag_it_printf(
	    "{\"email\": \"%s\", \"password\": \"%s\"}", admin_email(),
	    env_or("AG_ADMIN_PASSWORD", PASSWORD_DEFAULT)));

	(void)state;
	check_error(r, 403, NULL);
	assert_null(jget(r->json, "data"));
	/* An operational user may. */
	r = jreq("POST", "/v1/auth/mobile/login", NULL, ag_it_printf(
	    "{\"email\": \"%s\", \"password\": \"%s\", \"device_name\": "
	    "\"Gerbang 1\"}", env_or("AG_OPERATOR_EMAIL", "operator@example.com"),
	    env_or("AG_OPERATOR_PASSWORD", PASSWORD_DEFAULT)));
	check_status(r, 200);
	assert_non_null(jstr(r->json, "data.access_token"));
}

/* ---- guest tickets over the API ---- */

static void
test_guest_create_and_qr(void **state)
{
	const char *name = ag_it_printf("Budi %s", unique_word());
	const char *date = jakarta_date(1), *qr, *number, *decoded;
	json_t *t = create_guest(name);
	ag_it_resp *png;

	(void)state;
	check_jstr(t, "status", "pending");
	check_jstr(t, "type", "guest");
	check_jstr(t, "source", "Autogate");
	number = jstr(t, "ticket_access_number");
	assert_true(matches(number, "^TKT-[0-9]{8}$"));
	assert_true(matches(jstr(t, "id"),
	    "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"));
	check_jstr(t, "request_at", date);
	check_jstr(t, "expired_at", ag_it_printf("%sT16:59:59.999Z", date));
	assert_true(matches(jstr(t, "created_at"),
	    "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}Z$"));
	assert_true(json_is_null(jget(t, "user_id")));
	/* The QR link is absolute and signed. */
	qr = jstr(t, "qr_url");
	assert_non_null(qr);
	assert_true(strncmp(qr, ag_it_printf("%s/v1/files/stream?",
	    ag_it_base()), strlen(ag_it_base()) + 17) == 0);
	assert_non_null(query_param(qr, "path"));
	assert_non_null(query_param(qr, "expires"));
	assert_non_null(query_param(qr, "signature"));
	png = req("GET", qr);
	check_status(png, 200);
	assert_true(matches(ag_it_header(png, "Content-Type"), "^image/png"));
	assert_true(png->len > 8 && memcmp(png->body, "\x89PNG", 4) == 0);
	if (!have_program("zbarimg"))
		fail_msg("zbarimg (zbar-tools) is needed to read the QR code");
	decoded = pipe_through("zbarimg --raw -q -", png);
	assert_string_equal(decoded, ag_it_printf("%s\n", number));
}

static void
test_guest_public_lookup(void **state)
{
	const char *name = ag_it_printf("Sari %s", unique_word());
	json_t *t = create_guest(name), *g;
	const char *number = jstr(t, "ticket_access_number");
	ag_it_resp *r = req("GET", ag_it_printf(
	    "/v1/tickets/guest/access-number/%s", number));

	(void)state;
	check_status(r, 200);
	check_jstr(r->json, "data.id", jstr(t, "id"));
	check_jstr(r->json, "data.ticket_access_number", number);
	g = jget(r->json, "data.guest");
	assert_non_null(g);
	check_jstr(g, "name", name);
	/* Identity data is masked for the public. */
	assert_true(matches(jstr(g, "identity_number"), "^\\*+0001$"));
	assert_int_equal(strlen(jstr(g, "identity_number")), strlen(NIK));
	assert_false(contains(r, NIK));
	assert_false(contains(r, "081234567890"));
	assert_null(json_object_get(g, "identity_photo_url"));
	check_error(req("GET", "/v1/tickets/guest/access-number/TKT-00000000"),
	    404, "TICKET_NOT_FOUND");
}

static void
test_guest_detail_admin(void **state)
{
	const char *name = ag_it_printf("Andi %s", unique_word());
	const char *tok = admin_token();
	json_t *t = create_guest(name), *d;
	const char *number = jstr(t, "ticket_access_number");
	ag_it_resp *r;

	(void)state;
	d = fetch_ticket(tok, jstr(t, "id"));
	check_jstr(d, "guest.identity_number", NIK);
	check_jstr(d, "guest.phone", "081234567890");
	check_jstr(d, "guest.name", name);
	check_jstr(d, "destination.id", DEST_OFFICE);
	check_jstr(d, "destination.area.name", "Perkantoran");
	check_jstr(d, "purpose", "Rapat koordinasi proyek");
	check_jstr(d, "police_number", "L 1234 AB");
	check_jstr(d, "status_description", "Menunggu persetujuan");
	assert_true(json_is_false(jget(d, "is_expired")));
	/* The operator may read too; nobody anonymous. */
	check_status(jreq("GET", ticket_path(t, ""), operator_token(), NULL), 200);
	check_error(req("GET", ticket_path(t, "")), 401, "UNAUTHORIZED");
	/* By access number, any type. */
	r = jreq("GET", ag_it_printf("/v1/tickets/access-number/%s", number),
	    tok, NULL);
	check_status(r, 200);
	check_jstr(r->json, "data.id", jstr(t, "id"));
	check_jstr(r->json, "data.guest.identity_number", NIK);
	check_error(req("GET", ag_it_printf("/v1/tickets/access-number/%s",
	    number)), 401, "UNAUTHORIZED");
	check_error(jreq("GET", "/v1/tickets/access-number/TKT-00000000", tok,
	    NULL), 404, "TICKET_NOT_FOUND");
}

static void
test_ticket_list(void **state)
{
	const char *word = unique_word(), *tok = admin_token();
	const char *date = jakarta_date(1);
	json_t *a = create_guest(ag_it_printf("Lis %s Satu", word));
	json_t *b = create_guest(ag_it_printf("Lis %s Dua", word));
	const char *base = ag_it_printf("/v1/tickets?search=%s&type=guest", word);
	const char *first, *second;
	ag_it_resp *r;

	(void)state;
	r = jreq("GET", ag_it_printf("%s&status=pending&limit=1&page=1", base),
	    tok, NULL);
	check_status(r, 200);
	assert_int_equal(json_integer_value(jget(r->json, "meta.page")), 1);
	assert_int_equal(json_integer_value(jget(r->json, "meta.limit")), 1);
	assert_int_equal(json_integer_value(jget(r->json, "meta.total_data")), 2);
	assert_int_equal(json_integer_value(jget(r->json, "meta.total_page")), 2);
	assert_int_equal(json_array_size(jget(r->json, "data")), 1);
	assert_non_null(jstr(r->json, "message"));
	first = jstr(json_array_get(jget(r->json, "data"), 0), "id");
	r = jreq("GET", ag_it_printf("%s&status=pending&limit=1&page=2", base),
	    tok, NULL);
	check_status(r, 200);
	assert_int_equal(json_array_size(jget(r->json, "data")), 1);
	second = jstr(json_array_get(jget(r->json, "data"), 0), "id");
	assert_string_not_equal(first, second);
	assert_true((strcmp(first, jstr(a, "id")) == 0 &&
	    strcmp(second, jstr(b, "id")) == 0) ||
	    (strcmp(first, jstr(b, "id")) == 0 &&
	    strcmp(second, jstr(a, "id")) == 0));
	/* Beyond the last page: empty, same total. */
	r = jreq("GET", ag_it_printf("%s&limit=1&page=3", base), tok, NULL);
	check_status(r, 200);
	assert_int_equal(json_array_size(jget(r->json, "data")), 0);
	assert_int_equal(json_integer_value(jget(r->json, "meta.total_data")), 2);
	/* Sorted by access number, both ways. */
	r = jreq("GET", ag_it_printf("%s&sort=ticket_access_number&order=asc",
	    base), tok, NULL);
	check_status(r, 200);
	assert_int_equal(json_array_size(jget(r->json, "data")), 2);
	assert_true(strcmp(jstr(json_array_get(jget(r->json, "data"), 0),
	    "ticket_access_number"), jstr(json_array_get(jget(r->json, "data"), 1),
	    "ticket_access_number")) < 0);
	r = jreq("GET", ag_it_printf("%s&sort=ticket_access_number&order=desc",
	    base), tok, NULL);
	check_status(r, 200);
	assert_true(strcmp(jstr(json_array_get(jget(r->json, "data"), 0),
	    "ticket_access_number"), jstr(json_array_get(jget(r->json, "data"), 1),
	    "ticket_access_number")) > 0);
	/* Filters that exclude them. */
	r = jreq("GET", ag_it_printf("%s&status=approve", base), tok, NULL);
	check_status(r, 200);
	assert_int_equal(json_integer_value(jget(r->json, "meta.total_data")), 0);
	r = jreq("GET", ag_it_printf("%s&request_at_from=%s&request_at_to=%s",
	    base, date, date), tok, NULL);
	check_status(r, 200);
	assert_int_equal(json_integer_value(jget(r->json, "meta.total_data")), 2);
	r = jreq("GET", ag_it_printf("%s&request_at_from=%s", base,
	    jakarta_date(2)), tok, NULL);
	check_status(r, 200);
	assert_int_equal(json_integer_value(jget(r->json, "meta.total_data")), 0);
	/* Search by access number finds exactly one. */
	r = jreq("GET", ag_it_printf("/v1/tickets?search=%s",
	    jstr(a, "ticket_access_number")), tok, NULL);
	check_status(r, 200);
	assert_int_equal(json_integer_value(jget(r->json, "meta.total_data")), 1);
	/* Defaults. */
	r = jreq("GET", "/v1/tickets", tok, NULL);
	check_status(r, 200);
	assert_int_equal(json_integer_value(jget(r->json, "meta.page")), 1);
	assert_int_equal(json_integer_value(jget(r->json, "meta.limit")), 10);
	assert_true(json_integer_value(jget(r->json, "meta.total_data")) >= 2);
	/* Bad parameters. */
	r = jreq("GET", "/v1/tickets?limit=101", tok, NULL);
	check_error(r, 422, "VALIDATION_ERROR");
	check_field_error(r, "limit");
	r = jreq("GET", "/v1/tickets?sort=bogus", tok, NULL);
	check_error(r, 422, "VALIDATION_ERROR");
	check_field_error(r, "sort");
	r = jreq("GET", "/v1/tickets?page=0&status=nope", tok, NULL);
	check_error(r, 422, "VALIDATION_ERROR");
	check_field_error(r, "page");
	check_field_error(r, "status");
	r = jreq("GET", ag_it_printf("/v1/tickets?request_at_from=%s"
	    "&request_at_to=%s", jakarta_date(2), date), tok, NULL);
	check_error(r, 422, NULL);
	check_field_error(r, "request_at_to");
	/* Who may list. */
	check_status(jreq("GET", base, operator_token(), NULL), 200);
	check_error(req("GET", base), 401, "UNAUTHORIZED");
}

static void
test_guest_update_pending(void **state)
{
	const char *name = ag_it_printf("Rina %s", unique_word());
	const char *tok = admin_token(), *later = jakarta_date(3);
	json_t *t = create_guest(name);
	ag_it_resp *r;

	(void)state;
	r = jreq("PATCH", ticket_path(t, ""), tok, ag_it_printf(
	    "{\"request_at\": \"%s\", \"purpose\": \"Survei lokasi gudang\", "
	    "\"destination_id\": \"%s\"}", later, DEST_WAREHOUSE));
	check_status(r, 200);
	check_jstr(r->json, "data.request_at", later);
	/* The end of the new day in Jakarta, in UTC. */
	check_jstr(r->json, "data.expired_at",
	    ag_it_printf("%sT16:59:59.999Z", later));
	check_jstr(r->json, "data.purpose", "Survei lokasi gudang");
	check_jstr(r->json, "data.destination.id", DEST_WAREHOUSE);
	check_jstr(r->json, "data.guest.name", name);
	check_jstr(r->json, "data.status", "pending");
	/* It stays so. */
	check_jstr(fetch_ticket(tok, jstr(t, "id")), "expired_at",
	    ag_it_printf("%sT16:59:59.999Z", later));
	/* Bad input changes nothing. */
	r = jreq("PATCH", ticket_path(t, ""), tok,
	    "{\"identity_number\": \"12345\", \"request_at\": \"2001-01-01\"}");
	check_error(r, 422, "VALIDATION_ERROR");
	check_field_error(r, "identity_number");
	r = jreq("PATCH", ticket_path(t, ""), tok,
	    "{\"request_at\": \"2001-01-01\"}");
	check_error(r, 422, NULL);
	check_field_error(r, "request_at");
	check_jstr(fetch_ticket(tok, jstr(t, "id")), "request_at", later);
	/* Operators read but do not edit; the public neither. */
	check_error(jreq("PATCH", ticket_path(t, ""), operator_token(),
	    "{\"purpose\": \"Lain lain\"}"), 403, "FORBIDDEN");
	check_error(jreq("PATCH", ticket_path(t, ""), NULL,
	    "{\"purpose\": \"Lain lain\"}"), 401, "UNAUTHORIZED");
}

static void
test_guest_approve_flow(void **state)
{
	const char *tok = admin_token();
	json_t *t = create_guest(ag_it_printf("Joko %s", unique_word()));
	ag_it_resp *r;

	(void)state;
	r = jreq("PUT", ticket_path(t, "/approve"), tok, NULL);
	check_status(r, 200);
	check_jstr(r->json, "data.status", "approve");
	check_jstr(r->json, "data.id", jstr(t, "id"));
	/* Once decided, the other decisions and edits conflict. */
	check_error(jreq("PUT", ticket_path(t, "/approve"), tok, NULL), 409,
	    "TICKET_INVALID_STATE");
	r = jreq("PUT", ticket_path(t, "/reject"), tok,
	    "{\"reject_reason\": \"Terlambat\"}");
	check_error(r, 409, "TICKET_INVALID_STATE");
	check_error(jreq("PATCH", ticket_path(t, ""), tok,
	    "{\"purpose\": \"Ganti keperluan\"}"), 409, "TICKET_INVALID_STATE");
	check_jstr(fetch_ticket(tok, jstr(t, "id")), "status", "approve");
	assert_non_null(jstr(fetch_ticket(tok, jstr(t, "id")), "approved_at"));
	/* An approved visit can still be cancelled, once. */
	r = jreq("PUT", ticket_path(t, "/cancel"), tok,
	    "{\"cancel_reason\": \"Tamu berhalangan\"}");
	check_status(r, 200);
	check_jstr(r->json, "data.status", "cancel");
	check_error(jreq("PUT", ticket_path(t, "/cancel"), tok, NULL), 409,
	    "TICKET_INVALID_STATE");
	check_jstr(fetch_ticket(tok, jstr(t, "id")), "cancel_reason",
	    "Tamu berhalangan");
}

static void
test_guest_reject_seed_shape(void **state)
{
	static const char *const keys[] = { "id", "type", "type_description",
	    "status", "source", "user_id", "ticket_access_number", "qr_url",
	    "reject_reason", "request_at", "expired_at", "created_at" };
	const char *tok = admin_token();
	json_t *t = create_guest(ag_it_printf("Dewi %s", unique_word())), *d;
	ag_it_resp *r;
	const char *key;
	json_t *v;

	(void)state;
	r = jreq("PUT", ticket_path(t, "/reject"), tok,
	    "{\"reject_reason\": \"Tidak sesuai\"}");
	check_status(r, 200);
	assert_non_null(jstr(r->json, "message"));
	d = jget(r->json, "data");
	/* Exactly the keys of the seed answer, no more. */
	assert_int_equal(json_object_size(d), sizeof(keys) / sizeof(keys[0]));
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		if (json_object_get(d, keys[i]) == NULL)
			print_error("missing key %s\n", keys[i]);
		assert_non_null(json_object_get(d, keys[i]));
	}
	json_object_foreach(d, key, v) {
		int known = 0;

		for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
			known |= strcmp(keys[i], key) == 0;
		if (!known)
			print_error("unexpected key %s\n", key);
		assert_true(known);
	}
	check_jstr(d, "id", jstr(t, "id"));
	check_jstr(d, "type", "guest");
	check_jstr(d, "type_description", "Guest");
	check_jstr(d, "status", "reject");
	check_jstr(d, "source", "Autogate");
	check_jstr(d, "reject_reason", "Tidak sesuai");
	check_jstr(d, "ticket_access_number", jstr(t, "ticket_access_number"));
	assert_true(matches(jstr(d, "qr_url"), "^https?://.*/v1/files/stream\\?"));
	assert_true(matches(jstr(d, "request_at"), "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"));
	check_jstr(d, "expired_at", ag_it_printf("%sT16:59:59.999Z",
	    jstr(d, "request_at")));
	check_jstr(d, "created_at", jstr(t, "created_at"));
	assert_true(json_is_null(json_object_get(d, "user_id")) ||
	    json_is_string(json_object_get(d, "user_id")));
	/* Rejected is final. */
	check_error(jreq("PUT", ticket_path(t, "/approve"), tok, NULL), 409,
	    "TICKET_INVALID_STATE");
	check_error(jreq("PUT", ticket_path(t, "/cancel"), tok, NULL), 409,
	    "TICKET_INVALID_STATE");
	d = fetch_ticket(tok, jstr(t, "id"));
	check_jstr(d, "status", "reject");
	assert_non_null(jstr(d, "rejected_at"));
}

static void
test_guest_reject_requires_reason(void **state)
{
	const char *tok = admin_token();
	json_t *t = create_guest(ag_it_printf("Eko %s", unique_word()));
	ag_it_resp *r;

	(void)state;
	r = jreq("PUT", ticket_path(t, "/reject"), tok, "{}");
	check_error(r, 422, "VALIDATION_ERROR");
	check_field_error(r, "reject_reason");
	r = jreq("PUT", ticket_path(t, "/reject"), tok,
	    "{\"reject_reason\": \"\"}");
	check_error(r, 422, NULL);
	check_field_error(r, "reject_reason");
	r = jreq("PUT", ticket_path(t, "/reject"), tok,
	    "{\"reject_reason\": 42}");
	check_error(r, 422, NULL);
	check_field_error(r, "reject_reason");
	check_jstr(fetch_ticket(tok, jstr(t, "id")), "status", "pending");
}

static void
test_guest_pdf(void **state)
{
	const char *name = ag_it_printf("Wati %s", unique_word());
	const char *tok = admin_token(), *text;
	json_t *t = create_guest(name);
	ag_it_resp *r;

	(void)state;
	r = jreq("GET", ticket_path(t, "/pdf"), tok, NULL);
	check_status(r, 200);
	assert_true(matches(ag_it_header(r, "Content-Type"),
	    "^application/pdf"));
	assert_true(r->len > 5 && memcmp(r->body, "%PDF-", 5) == 0);
	assert_true(matches(ag_it_header(r, "Content-Disposition"),
	    "^attachment; filename=\"tiket-TKT-[0-9]{8}\\.pdf\""));
	if (!have_program("pdftotext"))
		fail_msg("pdftotext (poppler-utils) is needed to read the PDF");
	text = pipe_through("pdftotext -q - -", r);
	if (strstr(text, jstr(t, "ticket_access_number")) == NULL ||
	    strstr(text, name) == NULL)
		print_error("PDF text: %s\n", text);
	assert_non_null(strstr(text, jstr(t, "ticket_access_number")));
	assert_non_null(strstr(text, name));
	/* The full NIK is not printed. */
	assert_null(strstr(text, NIK));
	check_error(req("GET", ticket_path(t, "/pdf")), 401, "UNAUTHORIZED");
	check_error(jreq("GET", "/v1/tickets/guest/" UNKNOWN_UUID "/pdf", tok,
	    NULL), 404, "TICKET_NOT_FOUND");
}

static void
test_guest_permissions(void **state)
{
	json_t *t = create_guest(ag_it_printf("Tono %s", unique_word()));
	const char *op = operator_token();

	(void)state;
	check_error(jreq("PUT", ticket_path(t, "/approve"), op, NULL), 403,
	    "FORBIDDEN");
	check_error(jreq("PUT", ticket_path(t, "/reject"), op,
	    "{\"reject_reason\": \"x\"}"), 403, "FORBIDDEN");
	check_error(jreq("PUT", ticket_path(t, "/cancel"), op, NULL), 403,
	    "FORBIDDEN");
	check_error(jreq("PUT", ticket_path(t, "/approve"), NULL, NULL), 401,
	    "UNAUTHORIZED");
	check_error(jreq("PUT", ticket_path(t, "/approve"),
	    "forged-token-forged-token-forged", NULL), 401, "UNAUTHORIZED");
	check_jstr(fetch_ticket(op, jstr(t, "id")), "status", "pending");
}

static void
test_guest_not_found(void **state)
{
	const char *tok = admin_token();

	(void)state;
	check_error(jreq("GET", "/v1/tickets/guest/not-a-uuid", tok, NULL), 404,
	    NULL);
	check_error(jreq("PUT", "/v1/tickets/guest/not-a-uuid/approve", tok,
	    NULL), 404, NULL);
	check_error(jreq("GET", "/v1/tickets/guest/" UNKNOWN_UUID, tok, NULL),
	    404, "TICKET_NOT_FOUND");
	check_error(jreq("PUT", "/v1/tickets/guest/" UNKNOWN_UUID "/approve",
	    tok, NULL), 404, "TICKET_NOT_FOUND");
	check_error(jreq("PATCH", "/v1/tickets/guest/" UNKNOWN_UUID, tok,
	    "{\"purpose\": \"Apa saja\"}"), 404, "TICKET_NOT_FOUND");
}

static void
test_guest_create_validation(void **state)
{
	ag_it_resp *r;
	const char *today = jakarta_date(0);

	(void)state;
	/* Shape: missing name, bad NIK, bad phone, bad plate, bad date. */
	r = jreq("POST", "/v1/tickets/guest", NULL, ag_it_printf(
	    "{\"identity_number\": \"12345\", \"phone\": \"telepon\","
	    " \"destination_id\": \"%s\", \"request_at\": \"besok\","
	    " \"purpose\": \"Rapat\", \"police_number\": \"???\"}", DEST_OFFICE));
	check_error(r, 422, "VALIDATION_ERROR");
	check_field_error(r, "name");
	check_field_error(r, "identity_number");
	check_field_error(r, "phone");
	check_field_error(r, "request_at");
	check_field_error(r, "police_number");
	assert_false(has_field_error(r, "purpose"));
	/* Rules: a past date and an unknown destination. */
	r = jreq("POST", "/v1/tickets/guest", NULL, ag_it_printf(
	    "{\"name\": \"Tamu Valid\", \"identity_number\": \"%s\","
	    " \"phone\": \"081234567890\", \"destination_id\": \"%s\","
	    " \"request_at\": \"%s\", \"purpose\": \"Rapat koordinasi\"}",
	    NIK, UNKNOWN_UUID, jakarta_date(-1)));
	check_error(r, 422, "VALIDATION_ERROR");
	check_field_error(r, "request_at");
	check_field_error(r, "destination_id");
	/* Too far ahead. */
	r = jreq("POST", "/v1/tickets/guest", NULL, ag_it_printf(
	    "{\"name\": \"Tamu Valid\", \"identity_number\": \"%s\","
	    " \"phone\": \"081234567890\", \"destination_id\": \"%s\","
	    " \"request_at\": \"%s\", \"purpose\": \"Rapat koordinasi\"}",
	    NIK, DEST_OFFICE, jakarta_date(400)));
	check_error(r, 422, NULL);
	check_field_error(r, "request_at");
	/* A field the form does not have never sets the status. */
	r = jreq("POST", "/v1/tickets/guest", NULL, ag_it_printf(
	    "{\"name\": \"Tamu Valid\", \"identity_number\": \"%s\","
	    " \"phone\": \"081234567890\", \"destination_id\": \"%s\","
	    " \"request_at\": \"%s\", \"purpose\": \"Rapat koordinasi\","
	    " \"status\": \"approve\"}", NIK, DEST_OFFICE, today));
	if (r->status == 201)
		check_jstr(r->json, "data.status", "pending");
	else
		check_error(r, 422, NULL);
	/* Today is allowed. */
	check_jstr(create_guest_on(ag_it_printf("Hari %s", unique_word()), today),
	    "request_at", today);
}

/* A ticket whose day is over: only the database can make one. */
static void
test_guest_expired(void **state)
{
	const char *dsn = getenv("AG_TEST_DSN"), *tok;
	const char *params[1];
	json_t *t;
	PGconn *db;
	PGresult *res;

	(void)state;
	if (dsn == NULL || dsn[0] == '\0')
		skip();
	tok = admin_token();
	t = create_guest(ag_it_printf("Lama %s", unique_word()));
	db = PQconnectdb(dsn);
	if (PQstatus(db) != CONNECTION_OK)
		print_error("AG_TEST_DSN: %s\n", PQerrorMessage(db));
	assert_int_equal(PQstatus(db), CONNECTION_OK);
	params[0] = jstr(t, "id");
	res = PQexecParams(db, "UPDATE tickets SET request_at = current_date - 2,"
	    " expired_at = now() - interval '1 day' WHERE id = $1", 1, NULL,
	    params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		print_error("update: %s\n", PQerrorMessage(db));
	assert_int_equal(PQresultStatus(res), PGRES_COMMAND_OK);
	assert_string_equal(PQcmdTuples(res), "1");
	PQclear(res);
	PQfinish(db);
	assert_true(json_is_true(jget(fetch_ticket(tok, jstr(t, "id")),
	    "is_expired")));
	/* A past visit cannot be moved around any more. */
	check_error(jreq("PATCH", ticket_path(t, ""), tok,
	    ag_it_printf("{\"request_at\": \"%s\"}", jakarta_date(-1))), 422,
	    NULL);
}

/* ---- files ---- */

/* The link-signing secret from AG_CONFIG, or NULL. */
static const char *
config_secret(void)
{
	const char *path = getenv("AG_CONFIG");
	char line[512];
	const char *found = NULL;
	int in_security = 0;
	FILE *f;

	if (path == NULL || (f = fopen(path, "r")) == NULL)
		return NULL;
	while (fgets(line, sizeof(line), f) != NULL) {
		char *p = line, *e;

		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '[') {
			in_security = strncmp(p, "[security]", 10) == 0;
			continue;
		}
		if (!in_security || strncmp(p, "secret", 6) != 0)
			continue;
		p += 6;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p != '=')
			continue;
		p++;
		while (*p == ' ' || *p == '\t')
			p++;
		e = p + strlen(p);
		while (e > p && (e[-1] == '\n' || e[-1] == '\r' || e[-1] == ' '))
			*--e = '\0';
		found = ag_it_strdup(p);
	}
	fclose(f);
	return found;
}

/* The signature of a stream link, as the server makes it. */
static const char *
sign_link(const char *secret, const char *path, long long expires)
{
	const char *msg = ag_it_printf("stream\n%s\n%lld", path, expires);
	unsigned char mac[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	char out[128];
	int len;

	assert_non_null(HMAC(EVP_sha256(), secret, (int)strlen(secret),
	    (const unsigned char *)msg, strlen(msg), mac, &n));
	len = EVP_EncodeBlock((unsigned char *)out, mac, (int)n);
	while (len > 0 && out[len - 1] == '=')
		len--;
	out[len] = '\0';
	for (int i = 0; i < len; i++)
		out[i] = out[i] == '+' ? '-' : out[i] == '/' ? '_' : out[i];
	return ag_it_strdup(out);
}

static void
test_file_links(void **state)
{
	json_t *t = create_guest(ag_it_printf("Fajar %s", unique_word()));
	const char *qr = jstr(t, "qr_url"), *path, *sig, *bad, *secret, *tok;
	ag_it_resp *r;

	(void)state;
	path = query_param(qr, "path");
	sig = query_param(qr, "signature");
	assert_non_null(path);
	assert_non_null(sig);
	check_status(req("GET", qr), 200);
	/* One changed character of the signature. */
	bad = ag_it_strdup(sig);
	((char *)bad)[0] = bad[0] == 'A' ? 'B' : 'A';
	check_error(req("GET", with_param(qr, "signature", bad)), 403, NULL);
	/* Another file with this file's signature. */
	check_error(req("GET", with_param(qr, "path",
	    ag_it_urlencode("qr/other.png"))), 403, NULL);
	/* A past expiry: the signature no longer matches either. */
	check_error(req("GET", with_param(qr, "expires", "1000")), 403, NULL);
	check_status(req("GET", with_param(qr, "signature", "")), 422);
	/* Rightly signed but expired, when the secret is at hand. */
	secret = config_secret();
	if (secret != NULL) {
		long long past = (long long)time(NULL) - 60;

		r = req("GET", ag_it_printf("/v1/files/stream?path=%s&expires=%lld"
		    "&signature=%s", ag_it_urlencode(path), past,
		    sign_link(secret, path, past)));
		check_error(r, 403, "LINK_EXPIRED");
	} else
		print_message("AG_CONFIG unreadable: expired-link check limited\n");
	/* A fresh link from the API works. */
	tok = admin_token();
	r = jreq("GET", ag_it_printf("/v1/files/url?path=%s",
	    ag_it_urlencode(path)), tok, NULL);
	check_status(r, 200);
	check_jstr(r->json, "data.path", path);
	assert_non_null(jstr(r->json, "data.expired_at"));
	r = req("GET", jstr(r->json, "data.url"));
	check_status(r, 200);
	assert_true(matches(ag_it_header(r, "Content-Type"), "^image/png"));
	check_status(jreq("GET", ag_it_printf("/v1/files/url?path=%s",
	    ag_it_urlencode(path)), operator_token(), NULL), 200);
	check_error(req("GET", ag_it_printf("/v1/files/url?path=%s",
	    ag_it_urlencode(path))), 401, "UNAUTHORIZED");
	r = jreq("GET", "/v1/files/url?path=..%2F..%2Fetc%2Fpasswd", tok, NULL);
	check_error(r, 404, NULL);
	r = jreq("GET", "/v1/files/url?path=qr%2Fmissing.png", tok, NULL);
	check_error(r, 404, NULL);
}

/* ---- the portal (HTML) ---- */

static const char *const *
guest_form(const char *csrf, const char *name, const char *nik,
    const char *date)
{
	const char **f = ag_it_alloc(24 * sizeof(*f));
	size_t n = 0;

#define ADD(k, v) do { f[n++] = (k); f[n++] = (v); } while (0)
	if (csrf != NULL)
		ADD("csrf_token", csrf);
	ADD("name", name);
	ADD("identity_number", nik);
	ADD("phone", "081298765432");
	ADD("email", "");
	ADD("origin", "CV Sumber Rejeki");
	ADD("destination_id", DEST_OFFICE);
	ADD("request_at", date);
	ADD("purpose", "Antar dokumen");
	ADD("police_number", "");
#undef ADD
	f[n] = NULL;
	return f;
}

static void
test_portal_home(void **state)
{
	ag_it_resp *r = req("GET", "/");
	const char *csp;

	(void)state;
	check_status(r, 200);
	assert_true(matches(ag_it_header(r, "Content-Type"), "^text/html"));
	csp = ag_it_header(r, "Content-Security-Policy");
	assert_non_null(csp);
	assert_true(matches(csp, "default-src 'none'"));
	assert_true(matches(csp, "frame-ancestors 'none'"));
	assert_non_null(ag_it_header(r, "X-Content-Type-Options"));
	check_contains(r, "/tamu/daftar");
	/* Unknown pages are pages too. */
	r = req("GET", "/tidak-ada-halaman-ini");
	check_status(r, 404);
	assert_true(matches(ag_it_header(r, "Content-Type"), "^text/html"));
}

static void
test_portal_register_form(void **state)
{
	ag_it_resp *r = req("GET", "/tamu/daftar");
	const char *cookie;

	(void)state;
	check_status(r, 200);
	assert_true(matches(ag_it_header(r, "Content-Type"), "^text/html"));
	assert_non_null(input_value(r, "csrf_token"));
	assert_true(strlen(input_value(r, "csrf_token")) >= 20);
	cookie = ag_it_cookie(r, "ag_csrf");
	assert_non_null(cookie);
	assert_true(matches(ag_it_header(r, "Set-Cookie"), "HttpOnly"));
	check_contains(r, "type=\"hidden\"");
	/* The demo destinations are offered. */
	check_contains(r, DEST_OFFICE);
	check_contains(r, "Gedung Administrasi KEK");
}

static void
test_portal_register_needs_csrf(void **state)
{
	form_state f = open_form("/tamu/daftar", NULL);
	const char *date = jakarta_date(1);
	ag_it_resp *r;

	(void)state;
	/* No token. */
	r = post_form("/tamu/daftar", f.cookie, guest_form(NULL, "Tanpa Token",
	    NIK, date));
	check_status(r, 403);
	/* A token without its cookie. */
	r = post_form("/tamu/daftar", NULL, guest_form(f.csrf, "Tanpa Cookie",
	    NIK, date));
	check_status(r, 403);
	/* A made-up token. */
	r = post_form("/tamu/daftar", f.cookie, guest_form(
	    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "Token Palsu", NIK,
	    date));
	check_status(r, 403);
}

static void
test_portal_register_ok(void **state)
{
	const char *name = ag_it_printf("Portal %s", unique_word());
	form_state f = open_form("/tamu/daftar", NULL);
	ag_it_resp *r;
	const char *loc, *number;

	(void)state;
	r = post_form("/tamu/daftar", f.cookie, guest_form(f.csrf, name, NIK,
	    jakarta_date(1)));
	check_status(r, 303);
	loc = ag_it_header(r, "Location");
	assert_true(matches(loc, "^/tamu/tiket/TKT-[0-9]{8}$"));
	number = loc + strlen("/tamu/tiket/");
	/* The visit page, and the same ticket over the API. */
	r = req("GET", loc);
	check_status(r, 200);
	check_contains(r, number);
	check_contains(r, name);
	assert_false(contains(r, NIK));
	r = req("GET", ag_it_printf("/v1/tickets/guest/access-number/%s", number));
	check_status(r, 200);
	check_jstr(r->json, "data.status", "pending");
	check_jstr(r->json, "data.guest.name", name);
	check_jstr(r->json, "data.guest.origin", "CV Sumber Rejeki");
	/* Its PDF, for the guest. */
	r = req("GET", ag_it_printf("%s/pdf", loc));
	check_status(r, 200);
	assert_true(matches(ag_it_header(r, "Content-Type"), "^application/pdf"));
	/* The look-up form leads there. */
	r = req("GET", ag_it_printf("/tamu/cek?nomor=%s", number));
	check_status(r, 303);
	assert_string_equal(ag_it_header(r, "Location"), loc);
}

static void
test_portal_register_with_photo(void **state)
{
	const char *name = ag_it_printf("Foto %s", unique_word());
	form_state f = open_form("/tamu/daftar", NULL);
	const char *h[] = { f.cookie, NULL };
	const char *file = ag_it_temp_file("ag-itest-png-", tiny_png,
	    sizeof(tiny_png));
	ag_it_resp *r;
	const char *loc;
	const char *const *fields = guest_form(f.csrf, name, NIK,
	    jakarta_date(2));

	(void)state;
	r = ag_it_multipart("/tamu/daftar", h, fields, "identity_photo", file);
	unlink(file);
	check_status(r, 303);
	loc = ag_it_header(r, "Location");
	assert_true(matches(loc, "^/tamu/tiket/TKT-[0-9]{8}$"));
	r = jreq("GET", ag_it_printf("/v1/tickets/access-number/%s",
	    loc + strlen("/tamu/tiket/")), admin_token(), NULL);
	check_status(r, 200);
	assert_non_null(jstr(r->json, "data.guest.identity_photo_url"));
	r = req("GET", jstr(r->json, "data.guest.identity_photo_url"));
	check_status(r, 200);
	assert_true(matches(ag_it_header(r, "Content-Type"), "^image/png"));
	assert_int_equal(r->len, sizeof(tiny_png));
}

static void
test_portal_register_invalid(void **state)
{
	const char *name = ag_it_printf("Salah %s", unique_word());
	form_state f = open_form("/tamu/daftar", NULL);
	ag_it_resp *r;

	(void)state;
	r = post_form("/tamu/daftar", f.cookie, guest_form(f.csrf, name, "123",
	    jakarta_date(1)));
	check_status(r, 422);
	assert_true(matches(ag_it_header(r, "Content-Type"), "^text/html"));
	/* What was typed stays; the problem is shown beside the field. */
	check_contains(r, name);
	check_contains(r, "CV Sumber Rejeki");
	check_contains(r, "field-error");
	check_contains(r, "NIK");
	/* A fresh token for the next try. */
	assert_non_null(input_value(r, "csrf_token"));
	/* Rules too: a past date. */
	r = post_form("/tamu/daftar", f.cookie, guest_form(f.csrf, name, NIK,
	    jakarta_date(-1)));
	check_status(r, 422);
	check_contains(r, name);
	check_contains(r, "field-error");
	/* A wrong NIK and a past date: both reported in one answer. */
	r = post_form("/tamu/daftar", f.cookie, guest_form(f.csrf, name, "123",
	    jakarta_date(-1)));
	check_status(r, 422);
	check_contains(r, "id=\"error-identity_number\"");
	check_contains(r, "id=\"error-request_at\"");
	/* Markup typed in comes back escaped. */
	r = post_form("/tamu/daftar", f.cookie, guest_form(f.csrf,
	    "<script>alert(1)</script>", "123", jakarta_date(1)));
	check_status(r, 422);
	assert_false(contains(r, "<script>alert(1)</script>"));
	check_contains(r, "&lt;script&gt;");
}

static void
test_portal_lookup(void **state)
{
	ag_it_resp *r = req("GET", "/tamu/cek?nomor=TKT-00000000");

	(void)state;
	check_status(r, 404);
	assert_true(matches(ag_it_header(r, "Content-Type"), "^text/html"));
	check_contains(r, "TKT-00000000");
	r = req("GET", "/tamu/cek?nomor=bukan-nomor");
	check_status(r, 404);
	r = req("GET", "/tamu/cek");
	check_status(r, 200);
	check_contains(r, "nomor");
	r = req("GET", "/tamu/tiket/TKT-00000000");
	check_status(r, 404);
	assert_true(matches(ag_it_header(r, "Content-Type"), "^text/html"));
}

static void
test_portal_admin_requires_login(void **state)
{
	ag_it_resp *r = req("GET", "/admin/tiket-tamu");
	const char *h[] = { "Cookie: ag_session=made-up-session-token-0123456789",
	    NULL };

	(void)state;
	check_status(r, 303);
	assert_true(matches(ag_it_header(r, "Location"), "^/admin/masuk"));
	r = ag_it_request("GET", "/admin/tiket-tamu", h, NULL, 0);
	check_status(r, 303);
	assert_true(matches(ag_it_header(r, "Location"), "^/admin/masuk"));
	r = req("GET", "/admin/masuk");
	check_status(r, 200);
	assert_non_null(input_value(r, "csrf_token"));
}

static void
test_portal_admin_login_approve(void **state)
{
	json_t *t = create_guest(ag_it_printf("Admin %s", unique_word()));
	const char *number = jstr(t, "ticket_access_number"), *id = jstr(t, "id");
	const char *cookie, *page;
	form_state f;
	ag_it_resp *r;

	(void)state;
	/* A wrong password is a page again, without a session. */
	{
		form_state lf = open_form("/admin/masuk", NULL);
		const char *const pairs[] = { "csrf_token", lf.csrf, "email",
		    admin_email(), "password", "salah-sekali", NULL };

		r = post_form("/admin/masuk", lf.cookie, pairs);
		check_status(r, 401);
		assert_null(ag_it_cookie(r, "ag_session"));
	}
	cookie = portal_login(admin_email(), env_or("AG_ADMIN_PASSWORD",
	    PASSWORD_DEFAULT));
	/* The pending list shows the ticket. */
	{
		const char *h[] = { cookie, NULL };

		r = ag_it_request("GET", ag_it_printf("/admin/tiket-tamu?search=%s",
		    number), h, NULL, 0);
		check_status(r, 200);
		check_contains(r, number);
		r = ag_it_request("GET", "/admin/tiket-tamu", h, NULL, 0);
		check_status(r, 200);
	}
	page = ag_it_printf("/admin/tiket-tamu/%s", id);
	f = open_form(page, cookie);
	/* Without the token nothing happens. */
	{
		const char *const none[] = { "x", "y", NULL };

		check_status(post_form(ag_it_printf("%s/setujui", page), cookie,
		    none), 403);
		check_jstr(fetch_ticket(admin_token(), id), "status", "pending");
	}
	{
		const char *const pairs[] = { "csrf_token", f.csrf, NULL };

		r = post_form(ag_it_printf("%s/setujui", page), cookie, pairs);
		check_status(r, 303);
		assert_true(matches(ag_it_header(r, "Location"),
		    ag_it_printf("^/admin/tiket-tamu/%s", id)));
		check_jstr(fetch_ticket(admin_token(), id), "status", "approve");
		/* Twice is a conflict, shown on the page. */
		r = post_form(ag_it_printf("%s/setujui", page), cookie, pairs);
		check_status(r, 409);
		assert_true(matches(ag_it_header(r, "Content-Type"), "^text/html"));
	}
}

static void
test_portal_admin_reject(void **state)
{
	json_t *t = create_guest(ag_it_printf("Tolak %s", unique_word()));
	const char *id = jstr(t, "id"), *cookie, *page;
	form_state f;
	ag_it_resp *r;

	(void)state;
	cookie = portal_login(admin_email(), env_or("AG_ADMIN_PASSWORD",
	    PASSWORD_DEFAULT));
	page = ag_it_printf("/admin/tiket-tamu/%s", id);
	f = open_form(page, cookie);
	{
		const char *const empty[] = { "csrf_token", f.csrf,
		    "reject_reason", "", NULL };
		const char *const pairs[] = { "csrf_token", f.csrf,
		    "reject_reason", "Data identitas tidak lengkap", NULL };

		r = post_form(ag_it_printf("%s/tolak", page), cookie, empty);
		check_status(r, 422);
		check_jstr(fetch_ticket(admin_token(), id), "status", "pending");
		r = post_form(ag_it_printf("%s/tolak", page), cookie, pairs);
		check_status(r, 303);
	}
	t = fetch_ticket(admin_token(), id);
	check_jstr(t, "status", "reject");
	check_jstr(t, "reject_reason", "Data identitas tidak lengkap");
}

static void
test_portal_operator_cannot_approve(void **state)
{
	json_t *t = create_guest(ag_it_printf("Opr %s", unique_word()));
	const char *id = jstr(t, "id"), *cookie, *page;
	form_state f;
	ag_it_resp *r;

	(void)state;
	cookie = portal_login(env_or("AG_OPERATOR_EMAIL", "operator@example.com"),
	    env_or("AG_OPERATOR_PASSWORD", PASSWORD_DEFAULT));
	page = ag_it_printf("/admin/tiket-tamu/%s", id);
	f = open_form(page, cookie);
	{
		const char *const pairs[] = { "csrf_token", f.csrf, NULL };

		r = post_form(ag_it_printf("%s/setujui", page), cookie, pairs);
		check_status(r, 403);
	}
	check_jstr(fetch_ticket(admin_token(), id), "status", "pending");
}

static void
test_portal_guest_cancel(void **state)
{
	json_t *t = create_guest(ag_it_printf("Batal %s", unique_word()));
	const char *number = jstr(t, "ticket_access_number");
	const char *page = ag_it_printf("/tamu/tiket/%s", number);
	form_state f = open_form(page, NULL);
	ag_it_resp *r;

	(void)state;
	{
		const char *const wrong[] = { "csrf_token", f.csrf, "nik_last4",
		    "9999", NULL };
		const char *const right[] = { "csrf_token", f.csrf, "nik_last4",
		    "0001", NULL };

		r = post_form(ag_it_printf("%s/batal", page), f.cookie, wrong);
		check_status(r, 422);
		check_contains(r, "field-error");
		check_jstr(fetch_ticket(admin_token(), jstr(t, "id")), "status",
		    "pending");
		r = post_form(ag_it_printf("%s/batal", page), f.cookie, right);
		check_status(r, 303);
		assert_true(matches(ag_it_header(r, "Location"),
		    ag_it_printf("^%s", page)));
		check_jstr(fetch_ticket(admin_token(), jstr(t, "id")), "status",
		    "cancel");
		/* Again: the ticket page says it cannot be done. */
		r = post_form(ag_it_printf("%s/batal", page), f.cookie, right);
		check_status(r, 409);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_health),
		T(test_openapi),
		T(test_unknown_path_404),
		T(test_method_not_allowed),
		T(test_login_ok),
		T(test_login_wrong_password),
		T(test_login_missing_field),
		T(test_login_bad_requests),
		T(test_refresh_rotates),
		T(test_logout_revokes),
		T(test_mobile_login),
		T(test_guest_create_and_qr),
		T(test_guest_public_lookup),
		T(test_guest_detail_admin),
		T(test_ticket_list),
		T(test_guest_update_pending),
		T(test_guest_approve_flow),
		T(test_guest_reject_seed_shape),
		T(test_guest_reject_requires_reason),
		T(test_guest_pdf),
		T(test_guest_permissions),
		T(test_guest_not_found),
		T(test_guest_create_validation),
		T(test_guest_expired),
		T(test_file_links),
		T(test_portal_home),
		T(test_portal_register_form),
		T(test_portal_register_needs_csrf),
		T(test_portal_register_ok),
		T(test_portal_register_with_photo),
		T(test_portal_register_invalid),
		T(test_portal_lookup),
		T(test_portal_admin_requires_login),
		T(test_portal_admin_login_approve),
		T(test_portal_admin_reject),
		T(test_portal_operator_cannot_approve),
		T(test_portal_guest_cancel),
	};

	return AG_IT_RUN("api", tests, AG_IT_SKIP_ALL);
}
