/*
 * itest.c - support shared by the integration test programs; see itest.h.
 */
#include "itest.h"

#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#define JAKARTA_OFFSET (7 * 3600)

/* The database connection of db(), closed by ag_it_run. */
static PGconn *conn;

/* ---- environment ---- */

/* The variable's value, or def when it is unset or empty. */
const char *
env_or(const char *name, const char *def)
{
	const char *v = getenv(name);

	return v != NULL && v[0] != '\0' ? v : def;
}

/* The variable's value; fails the test when it is unset or empty. */
const char *
env(const char *name)
{
	const char *v = getenv(name);

	if (v == NULL || v[0] == '\0')
		fail_msg("%s is not set", name);
	return v;
}

/* The demo users' password: AG_PASSWORD or PASSWORD_DEFAULT. */
const char *
password(void)
{
	return env_or("AG_PASSWORD", PASSWORD_DEFAULT);
}

/* The directory for temporary files: $TMPDIR, else /tmp. */
const char *
ag_it_tmpdir(void)
{
	return env_or("TMPDIR", "/tmp");
}

/* A new file in ag_it_tmpdir() holding data; its path. */
const char *
ag_it_temp_file(const char *prefix, const void *data, size_t len)
{
	char *path = ag_it_printf("%s/%sXXXXXX", ag_it_tmpdir(), prefix);
	int fd = mkstemp(path);

	if (fd < 0)
		print_error("mkstemp %s failed\n", path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	close(fd);
	return path;
}

/* ---- answers ---- */

/* The body for messages; never NULL. */
const char *
body_text(const ag_it_resp *r)
{
	return r->body != NULL ? r->body : "";
}

/* Whether the body holds needle. */
int
contains(const ag_it_resp *r, const char *needle)
{
	return r->body != NULL && strstr(r->body, needle) != NULL;
}

/* Whether s (may be NULL) matches the extended regular expression. */
int
matches(const char *s, const char *pattern)
{
	regex_t re;
	int ok;

	if (s == NULL)
		return 0;
	assert_int_equal(regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB), 0);
	ok = regexec(&re, s, 0, NULL, 0) == 0;
	regfree(&re);
	return ok;
}

/* The value at a dotted path ("data.user.email"), or NULL. */
json_t *
jget(json_t *doc, const char *path)
{
	char buf[200], *tok, *save = NULL;

	snprintf(buf, sizeof(buf), "%s", path);
	for (tok = strtok_r(buf, ".", &save); tok != NULL && doc != NULL;
	    tok = strtok_r(NULL, ".", &save))
		doc = json_object_get(doc, tok);
	return doc;
}

/* The string at a dotted path, or NULL. */
const char *
jstr(json_t *doc, const char *path)
{
	return json_string_value(jget(doc, path));
}

/* Fails unless the string at path is want. */
void
check_jstr(json_t *doc, const char *path, const char *want)
{
	const char *got = jstr(doc, path);

	if (got == NULL || strcmp(got, want) != 0)
		print_error("%s: expected \"%s\", got \"%s\"\n", path, want,
		    got != NULL ? got : "(none)");
	assert_non_null(got);
	assert_string_equal(got, want);
}

/* An error answer of API.md's shape with status and (unless NULL) code. */
void
check_error(ag_it_resp *r, int status, const char *code)
{
	check_status(r, status);
	assert_non_null(r->json);
	assert_true(json_is_object(r->json));
	assert_non_null(jstr(r->json, "message"));
	assert_true(strlen(jstr(r->json, "message")) > 0);
	assert_true(json_is_array(json_object_get(r->json, "errors")));
	assert_null(json_object_get(r->json, "data"));
	if (code != NULL)
		check_jstr(r->json, "code", code);
	else
		assert_non_null(jstr(r->json, "code"));
}

/* The status, a JSON code and an errors array. */
void
check_code(ag_it_resp *r, int status, const char *code)
{
	check_status(r, status);
	assert_non_null(r->json);
	assert_non_null(jstr(r->json, "code"));
	assert_string_equal(jstr(r->json, "code"), code);
	assert_true(json_is_array(json_object_get(r->json, "errors")));
}

/* Whether the error answer names field in errors[] with a message. */
int
has_field_error(ag_it_resp *r, const char *field)
{
	json_t *errs = r->json != NULL ? json_object_get(r->json, "errors") :
	    NULL;
	json_t *it;
	size_t i;

	json_array_foreach(errs, i, it) {
		const char *f = jstr(it, "field"), *m = jstr(it, "message");

		if (f != NULL && strcmp(f, field) == 0 && m != NULL &&
		    m[0] != '\0')
			return 1;
	}
	return 0;
}

/* A JSON text of v (compact); v is released. */
const char *
json_text(json_t *v)
{
	char *s = json_dumps(v, JSON_COMPACT);
	const char *copy;

	assert_non_null(s);
	copy = ag_it_strdup(s);
	free(s);
	json_decref(v);
	return copy;
}

/* ---- words and dates ---- */

/* n random bytes from /dev/urandom. */
static void
random_bytes(unsigned char *b, size_t n)
{
	FILE *f = fopen("/dev/urandom", "rb");

	assert_non_null(f);
	assert_int_equal(fread(b, 1, n, f), n);
	fclose(f);
}

/* Ten letters, the first upper-case, unique enough to search for. */
const char *
unique_word(void)
{
	unsigned char rnd[10];
	char buf[16];

	random_bytes(rnd, sizeof(rnd));
	for (size_t i = 0; i < sizeof(rnd); i++)
		buf[i] = (char)((i == 0 ? 'A' : 'a') + rnd[i] % 26);
	buf[sizeof(rnd)] = '\0';
	return ag_it_strdup(buf);
}

/* n (at most 32) lower-case letters, for e-mail addresses and codes. */
const char *
unique_lower(size_t n)
{
	unsigned char rnd[32];
	char buf[33];

	assert_true(n > 0 && n <= sizeof(rnd));
	random_bytes(rnd, n);
	for (size_t i = 0; i < n; i++)
		buf[i] = (char)('a' + rnd[i] % 26);
	buf[n] = '\0';
	return ag_it_strdup(buf);
}

/* The date days after today in Asia/Jakarta (UTC+7, no DST). */
const char *
jakarta_date(int days)
{
	time_t t = time(NULL) + JAKARTA_OFFSET + (time_t)days * 86400;
	struct tm tm;
	char buf[16];

	gmtime_r(&t, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%d", &tm);
	return ag_it_strdup(buf);
}

/* ---- signing in ---- */

/* "Authorization: Bearer TOKEN". */
const char *
bearer(const char *token)
{
	return ag_it_printf("Authorization: Bearer %s", token);
}

/* POST /v1/auth/login; the answer, whatever it is. */
ag_it_resp *
login(const char *email, const char *password)
{
	return ag_it_json("POST", "/v1/auth/login", NULL, json_text(json_pack(
	    "{s:s, s:s}", "email", email, "password", password)));
}

/* Signs in over the API (must succeed); the answer's data. */
json_t *
login_data(const char *email, const char *password)
{
	ag_it_resp *r = login(email, password);

	check_status(r, 200);
	assert_non_null(jstr(r->json, "data.access_token"));
	return jget(r->json, "data");
}

/* Signs in over the API (must succeed); the access token. */
const char *
login_as(const char *email, const char *password)
{
	return jstr(login_data(email, password), "access_token");
}

/* A demo user's access token (password()). */
const char *
token_of(const char *email)
{
	return login_as(email, password());
}

/* ---- pages ---- */

/* The value attribute of the <input> named name in the page, or NULL. */
const char *
input_value(const ag_it_resp *r, const char *name)
{
	const char *needle = ag_it_printf("name=\"%s\"", name);
	const char *at = r->body, *tag, *end, *v, *q;

	while (at != NULL && (at = strstr(at, needle)) != NULL) {
		for (tag = at; tag > r->body && strncmp(tag, "<input", 6) != 0;
		    tag--)
			;
		end = strchr(at, '>');
		if (end != NULL && strncmp(tag, "<input", 6) == 0) {
			v = strstr(tag, "value=\"");
			if (v != NULL && v < end &&
			    (q = strchr(v + 7, '"')) != NULL)
				return ag_it_printf("%.*s", (int)(q - v - 7),
				    v + 7);
		}
		at += strlen(needle);
	}
	return NULL;
}

/* GET path with a "Cookie: ..." header (may be NULL). */
ag_it_resp *
get_page(const char *path, const char *cookie_header)
{
	const char *h[] = { cookie_header, NULL };

	return ag_it_request("GET", path, cookie_header != NULL ? h : NULL,
	    NULL, 0);
}

/* GETs a page (200) and reads its CSRF token and cookie. */
form_state
open_form(const char *path, const char *cookie_header)
{
	ag_it_resp *r = get_page(path, cookie_header);
	form_state f;

	check_status(r, 200);
	f.csrf = input_value(r, "csrf_token");
	if (f.csrf == NULL)
		print_error("no csrf_token input in %s: %.800s\n", path,
		    body_text(r));
	assert_non_null(f.csrf);
	f.cookie = cookie_header;
	if (cookie_header == NULL) {
		const char *set = ag_it_cookie(r, "ag_csrf");

		assert_non_null(set);
		f.cookie = ag_it_printf("Cookie: ag_csrf=%s", set);
	}
	return f;
}

/* POSTs an urlencoded form: pairs is name, value, ..., NULL. */
ag_it_resp *
post_form(const char *path, const char *cookie_header,
    const char *const *pairs)
{
	const char *h[] = { "Content-Type: application/x-www-form-urlencoded",
	    cookie_header, NULL };
	char *body = ag_it_strdup("");

	for (size_t i = 0; pairs[i] != NULL && pairs[i + 1] != NULL; i += 2)
		body = ag_it_printf("%s%s%s=%s", body, i ? "&" : "", pairs[i],
		    ag_it_urlencode(pairs[i + 1]));
	return ag_it_request("POST", path, h, body, strlen(body));
}

/* post_form with f's cookie and csrf_token (empty when NULL) first. */
ag_it_resp *
post_csrf_form(const char *path, const form_state *f,
    const char *const *pairs)
{
	size_t n = 0;
	const char **all;

	while (pairs[n] != NULL && pairs[n + 1] != NULL)
		n += 2;
	all = ag_it_alloc((n + 3) * sizeof(*all));
	all[0] = "csrf_token";
	all[1] = f->csrf != NULL ? f->csrf : "";
	memcpy(all + 2, pairs, n * sizeof(*all));
	all[n + 2] = NULL;
	return post_form(path, f->cookie, all);
}

/* Signs in through the login form; returns the "Cookie: ..." header. */
const char *
portal_login(const char *email, const char *password)
{
	form_state f = open_form("/admin/masuk", NULL);
	const char *const pairs[] = { "csrf_token", f.csrf, "email", email,
	    "password", password, NULL };
	ag_it_resp *r = post_form("/admin/masuk", f.cookie, pairs);
	const char *session;

	check_status(r, 303);
	session = ag_it_cookie(r, "ag_session");
	assert_non_null(session);
	assert_true(strlen(session) >= 20);
	assert_true(matches(ag_it_header(r, "Set-Cookie"), "HttpOnly"));
	assert_true(matches(ag_it_header(r, "Location"), "^/admin"));
	return ag_it_printf("Cookie: ag_session=%s", session);
}

/* ---- the database ---- */

/* The connection, opened on first use; fails the test if it cannot. */
PGconn *
db(void)
{
	if (conn == NULL) {
		conn = PQconnectdb(env("AG_TEST_DSN"));
		if (PQstatus(conn) != CONNECTION_OK) {
			print_error("database: %s\n", PQerrorMessage(conn));
			PQfinish(conn);
			conn = NULL;
			fail();
		}
	}
	return conn;
}

/* Runs q with n text parameters; the first value, or NULL. */
const char *
db_value(const char *q, int n, const char *const *params)
{
	PGresult *r = PQexecParams(db(), q, n, NULL, params, NULL, NULL, 0);
	const char *v = NULL;

	if (PQresultStatus(r) != PGRES_TUPLES_OK &&
	    PQresultStatus(r) != PGRES_COMMAND_OK) {
		print_error("%s: %s\n", q, PQerrorMessage(db()));
		PQclear(r);
		fail();
	}
	if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) > 0 &&
	    !PQgetisnull(r, 0, 0))
		v = ag_it_strdup(PQgetvalue(r, 0, 0));
	PQclear(r);
	return v;
}

/* db_value with up to two parameters (NULL = fewer). */
const char *
sql(const char *q, const char *p1, const char *p2)
{
	const char *params[2] = { p1, p2 };

	return db_value(q, p2 != NULL ? 2 : p1 != NULL ? 1 : 0, params);
}

/* ---- users and mail ---- */

/* An operational user made with $AG_BUILD's autogate-admin. */
void
create_user(const char *email, const char *name, const char *password)
{
	const char *cmd = ag_it_printf("ASAN_OPTIONS=detect_leaks=0 "
	    "'%s/cgi-bin/autogate-admin' -c '%s' create-user --email '%s' "
	    "--name '%s' --role operational --password-stdin >/dev/null",
	    env("AG_BUILD"), env("AG_CONFIG"), email, name);
	FILE *p = popen(cmd, "w");

	assert_non_null(p);
	fprintf(p, "%s\n", password);
	assert_int_equal(pclose(p), 0);
}

/* A file's text (at most 1 MiB), or NULL when it cannot be read. */
char *
read_text(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	size_t n;

	if (f == NULL)
		return NULL;
	buf = ag_it_alloc(1 << 20);
	n = fread(buf, 1, (1 << 20) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* ---- running ---- */

/* Stands in for every test when there is no stack to test. */
static void
test_skipped(void **state)
{
	(void)state;
	skip();
}

/* Frees the answers of a test; the teardown of every test. */
int
teardown(void **state)
{
	(void)state;
	ag_it_release_all();
	return 0;
}

/* Runs the group, or skips it all when AG_BASE_URL is unset. */
int
ag_it_run(const char *group, const struct CMUnitTest *tests, size_t n,
    const char *skip_note)
{
	const char *base = getenv("AG_BASE_URL");
	struct CMUnitTest *run = calloc(n, sizeof(*run));
	int failed;

	if (run == NULL)
		abort();
	memcpy(run, tests, n * sizeof(*run));
	if (base == NULL || base[0] == '\0') {
		printf("AG_BASE_URL is not set: %s\n", skip_note);
		fflush(stdout);
		for (size_t i = 0; i < n; i++)
			run[i].test_func = test_skipped;
	} else
		ag_it_set_base(base);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	failed = _cmocka_run_group_tests(group, run, n, NULL, NULL);
	curl_global_cleanup();
	ag_it_set_base(NULL);
	if (conn != NULL) {
		PQfinish(conn);
		conn = NULL;
	}
	free(run);
	return failed != 0;
}
