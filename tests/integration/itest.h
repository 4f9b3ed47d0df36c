/*
 * itest.h - support shared by the integration test programs: reading
 * answers (JSON paths, error shapes, page inputs), signing in over the
 * API and through /admin/masuk, forms with their CSRF token, the test
 * database, unique names, temporary files and the cmocka runner that
 * skips everything when AG_BASE_URL is unset.
 *
 * Everything returned lives until ag_it_release_all() (see http.h),
 * which the shared teardown calls after every test.  The check_* macros
 * are macros so that a failure names the test's own line.
 */
#ifndef AG_IT_ITEST_H
#define AG_IT_ITEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>
#include <libpq-fe.h>

#include "http.h"

/* Password of the demo users when AG_PASSWORD is unset. */
#define PASSWORD_DEFAULT "Autogate-Demo-2026"
/* A well-formed id no record has. */
#define UNKNOWN_UUID "00000000-0000-4000-8000-000000000000"
/* Demo destination "office" (sql/demo/001_demo.sql). */
#define DEST_OFFICE "0b7e2d55-8a3c-4c61-b1f2-5d1e9a7c1001"
/* How long a test waits for the mailer's .eml file. */
#define MAIL_WAIT_SECONDS 15

/* ---- environment ---- */

/* The variable's value, or def when it is unset or empty. */
const char *env_or(const char *name, const char *def);

/* The variable's value; fails the test when it is unset or empty. */
const char *env(const char *name);

/* The demo users' password: AG_PASSWORD or PASSWORD_DEFAULT. */
const char *password(void);

/* The directory for temporary files: $TMPDIR, else /tmp. */
const char *ag_it_tmpdir(void);

/*
 * A new file in ag_it_tmpdir() (name prefix, then random letters) that
 * holds len bytes of data; its path.  The caller unlinks it.
 */
const char *ag_it_temp_file(const char *prefix, const void *data,
    size_t len);

/* ---- answers ---- */

#define jreq(m, p, tok, body) ag_it_json((m), (p), (tok), (body))

/* The body for messages; never NULL. */
const char *body_text(const ag_it_resp *r);

/* Fails with the answer's body shown when the status is not the expected. */
#define check_status(r, want) do { \
	ag_it_resp *r_ = (r); \
	if (r_->status != (want)) \
		print_error("%s:%d: expected %d, got %ld (%s): %.600s\n", \
		    __FILE__, __LINE__, (want), r_->status, r_->error, \
		    body_text(r_)); \
	assert_int_equal(r_->status, (want)); \
} while (0)

/* Whether the body holds needle. */
int contains(const ag_it_resp *r, const char *needle);

#define check_contains(r, needle) do { \
	if (!contains((r), (needle))) \
		print_error("\"%s\" not in the answer (%ld): %.800s\n", \
		    (needle), (r)->status, body_text(r)); \
	assert_true(contains((r), (needle))); \
} while (0)

/* Whether s (may be NULL) matches the extended regular expression. */
int matches(const char *s, const char *pattern);

/* The value at a dotted path ("data.user.email"), or NULL. */
json_t *jget(json_t *doc, const char *path);

/* The string at a dotted path, or NULL. */
const char *jstr(json_t *doc, const char *path);

/* Fails unless the string at path is want. */
void check_jstr(json_t *doc, const char *path, const char *want);

/*
 * An error answer: {"message": "...", "code": CODE, "errors": [...]}
 * with the status, no data and (unless code is NULL) that code.
 */
void check_error(ag_it_resp *r, int status, const char *code);

/* The status, a JSON code and an errors array. */
void check_code(ag_it_resp *r, int status, const char *code);

/* Whether the error answer names field in errors[] with a message. */
int has_field_error(ag_it_resp *r, const char *field);

#define check_field_error(r, field) do { \
	if (!has_field_error((r), (field))) \
		print_error("no error for field %s in %.600s\n", (field), \
		    body_text(r)); \
	assert_true(has_field_error((r), (field))); \
} while (0)

/* A JSON text of v (compact); v is released. */
const char *json_text(json_t *v);

/* ---- words and dates ---- */

/* Ten letters, the first upper-case, unique enough to search for. */
const char *unique_word(void);

/* n (at most 32) lower-case letters, for e-mail addresses and codes. */
const char *unique_lower(size_t n);

/* The date days after today in Asia/Jakarta (UTC+7, no DST). */
const char *jakarta_date(int days);

/* ---- signing in ---- */

/* "Authorization: Bearer TOKEN". */
const char *bearer(const char *token);

/* POST /v1/auth/login; the answer, whatever it is. */
ag_it_resp *login(const char *email, const char *password);

/* Signs in over the API (must succeed); the answer's data. */
json_t *login_data(const char *email, const char *password);

/* Signs in over the API (must succeed); the access token. */
const char *login_as(const char *email, const char *password);

/* A demo user's access token (password()). */
const char *token_of(const char *email);

/* ---- pages ---- */

/* The value attribute of the <input> named name in the page, or NULL. */
const char *input_value(const ag_it_resp *r, const char *name);

/* GET path with a "Cookie: ..." header (may be NULL). */
ag_it_resp *get_page(const char *path, const char *cookie_header);

typedef struct {
	const char *cookie;	/* "Cookie: ..." header or NULL */
	const char *csrf;	/* the page's csrf_token */
} form_state;

/*
 * GETs a page (must answer 200) with a cookie header and reads its CSRF
 * token; without a cookie header the anonymous ag_csrf cookie is used.
 */
form_state open_form(const char *path, const char *cookie_header);

/* POSTs an urlencoded form: pairs is name, value, ..., NULL. */
ag_it_resp *post_form(const char *path, const char *cookie_header,
    const char *const *pairs);

/* post_form with f's cookie and csrf_token (empty when NULL) first. */
ag_it_resp *post_csrf_form(const char *path, const form_state *f,
    const char *const *pairs);

/* Signs in through the login form; returns the "Cookie: ..." header. */
const char *portal_login(const char *email, const char *password);

/* ---- the database (AG_TEST_DSN) ---- */

/* The connection, opened on first use; fails the test if it cannot. */
PGconn *db(void);

/*
 * Runs q with n text parameters; the first value of the first row (NULL
 * for none or SQL NULL).  A failed statement fails the test.
 */
const char *db_value(const char *q, int n, const char *const *params);

/* db_value with up to two parameters (NULL = fewer). */
const char *sql(const char *q, const char *p1, const char *p2);

/* ---- users and mail ---- */

/* An operational user made with $AG_BUILD's autogate-admin. */
void create_user(const char *email, const char *name, const char *password);

/* A file's text (at most 1 MiB), or NULL when it cannot be read. */
char *read_text(const char *path);

/* ---- running ---- */

/* Frees the answers of a test; the teardown of every test. */
int teardown(void **state);

#define T(f) cmocka_unit_test_teardown(f, teardown)

/*
 * Runs the group against $AG_BASE_URL, or, when it is unset, prints
 * "AG_BASE_URL is not set: " and skip_note and skips every test.  Also
 * sets up and cleans up curl and closes the database.  Nonzero when a
 * test failed.
 */
int ag_it_run(const char *group, const struct CMUnitTest *tests, size_t n,
    const char *skip_note);

/* The usual skip_note. */
#define AG_IT_SKIP_ALL "the integration tests need a running stack " \
	"(script/test starts one); skipping them all"

#define AG_IT_RUN(group, tests, skip_note) ag_it_run((group), (tests), \
	sizeof(tests) / sizeof((tests)[0]), (skip_note))

#endif
