/*
 * test_profile.c - integration tests of the Profile group against the
 * real stack: get and update the own profile (JSON and page), change of
 * e-mail confirmed through the link mailed to the new address, change of
 * password through the link mailed to the current one (other sessions
 * revoked, the current one kept, the link single-use), and the refusals
 * (401, 422, 409, 400 TOKEN_INVALID, 429, CSRF).
 *
 * Environment (script/test sets it): AG_BASE_URL (unset = every test
 * skipped), AG_TEST_DSN (the stack's database), AG_CONFIG and AG_BUILD
 * (to create users with autogate-admin), AG_VAR (mail lands in
 * $AG_VAR/mail/ as .eml files).  Every test creates its own users and
 * never touches the demo users.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "itest.h"

#define CONFIRM_PAGE "/admin/profil/email/konfirmasi"
#define CHANGE_PAGE "/admin/ubah-kata-sandi"

/* ---- small helpers ---- */

static json_t *
data(ag_it_resp *r)
{
	return json_object_get(r->json, "data");
}

/* A 422 VALIDATION_ERROR answer naming field (r is evaluated once). */
#define check_invalid_field(r, field) do { \
	ag_it_resp *v_ = (r); \
	check_code(v_, 422, "VALIDATION_ERROR"); \
	check_field_error(v_, (field)); \
} while (0)

/* ---- users and sign-in ---- */

typedef struct {
	const char *email;
	const char *password;
	const char *token;     /* a bearer token of a first sign-in */
	const char *id;
} user;

/* A new operational user made with autogate-admin, signed in once. */
static user
make_user(void)
{
	user u;

	u.email = ag_it_printf("uji-profil-%s@example.com", unique_lower(12));
	u.password = ag_it_printf("Profil-Uji-%s-42", unique_lower(12));
	create_user(u.email, "Pengguna Uji Profil", u.password);
	u.token = login_as(u.email, u.password);
	u.id = sql("SELECT id::text FROM users WHERE email = $1 AND "
	    "deleted_at IS NULL", u.email, NULL);
	assert_non_null(u.id);
	return u;
}

static ag_it_resp *
api(const char *method, const char *path, const char *token,
    const char *json)
{
	if (json != NULL)
		return ag_it_json(method, path, token, json);
	{
		const char *h[] = { token != NULL ? bearer(token) : NULL, NULL };

		return ag_it_request(method, path, h, NULL, 0);
	}
}

/* ---- mail ---- */

/*
 * Waits (bounded) for a mail to address in $AG_VAR/mail/ that contains
 * needle; returns its text from needle on.
 */
static const char *
mailed(const char *address, const char *needle)
{
	const char *dir = ag_it_printf("%s/mail", env("AG_VAR"));
	const char *to = ag_it_printf("\nTo: %s\r\n", address);
	struct timespec pause = { 0, 200 * 1000 * 1000 };

	for (int round = 0; round < MAIL_WAIT_SECONDS * 5; round++) {
		DIR *d = opendir(dir);
		struct dirent *e;

		while (d != NULL && (e = readdir(d)) != NULL) {
			size_t len = strlen(e->d_name);
			char *text, *at;

			if (len < 5 || strcmp(e->d_name + len - 4, ".eml") != 0)
				continue;
			text = read_text(ag_it_printf("%s/%s", dir, e->d_name));
			if (text == NULL || strstr(text, to) == NULL ||
			    (at = strstr(text, needle)) == NULL)
				continue;
			closedir(d);
			return at;
		}
		if (d != NULL)
			closedir(d);
		nanosleep(&pause, NULL);
	}
	fail_msg("no mail to %s with \"%s\" in %s after %d s", address, needle,
	    dir, MAIL_WAIT_SECONDS);
	return NULL;
}

/* The token of the link to page in a mail to address. */
static const char *
mailed_token(const char *address, const char *page)
{
	const char *needle = ag_it_printf("%s?token=", page);
	const char *at = mailed(address, needle) + strlen(needle);
	size_t k = strspn(at, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789-_");

	assert_true(k >= 20);
	return ag_it_printf("%.*s", (int)k, at);
}

/* ---- pages ---- */

/* A browser: its cookie header and the CSRF token of the last page. */
typedef form_state browser;

/* GETs path with the browser's cookies; picks up the form's CSRF token. */
static ag_it_resp *
page(browser *b, const char *path)
{
	const char *h[] = { b->cookie, NULL };
	ag_it_resp *r = ag_it_request("GET", path, h, NULL, 0);
	const char *csrf = input_value(r, "csrf_token");

	if (ag_it_cookie(r, "ag_csrf") != NULL && b->cookie == NULL)
		b->cookie = ag_it_printf("Cookie: ag_csrf=%s",
		    ag_it_cookie(r, "ag_csrf"));
	if (csrf != NULL)
		b->csrf = csrf;
	return r;
}

/* Signs in through the login page; the browser then carries the session. */
static browser
page_login(const user *u)
{
	browser b = { NULL, NULL };
	ag_it_resp *r;

	check_status(page(&b, "/admin/masuk"), 200);
	r = post_csrf_form("/admin/masuk", &b, (const char *[]){ "email", u->email,
	    "password", u->password, NULL });
	check_status(r, 303);
	assert_non_null(ag_it_cookie(r, "ag_session"));
	b.cookie = ag_it_printf("Cookie: ag_session=%s",
	    ag_it_cookie(r, "ag_session"));
	b.csrf = NULL;
	return b;
}

/* ---- profile ---- */

static void
test_anonymous_refused(void **state)
{
	(void)state;
	check_code(api("GET", "/v1/profile", NULL, NULL), 401, "UNAUTHORIZED");
	check_status(api("PATCH", "/v1/profile", NULL, "{\"name\": \"Xx\"}"), 401);
	check_status(api("PATCH", "/v1/profile/email", NULL,
	    "{\"email\": \"a@b.id\", \"password\": \"x\"}"), 401);
	check_status(api("POST", "/v1/profile/change-password/request", NULL,
	    NULL), 401);
	check_status(api("GET", "/v1/profile/change-password/validate?token=x",
	    NULL, NULL), 401);
	check_status(api("POST", "/v1/profile/change-password", NULL, "{}"), 401);
	check_status(api("GET", "/v1/profile", "bukan-token-yang-sah", NULL), 401);
	/* pages send the visitor to the login page */
	check_status(ag_it_request("GET", "/admin/profil", NULL, NULL, 0), 303);
}

static void
test_get_and_update(void **state)
{
	user u = make_user();
	ag_it_resp *r;

	(void)state;
	r = api("GET", "/v1/profile", u.token, NULL);
	check_status(r, 200);
	assert_string_equal(jstr(data(r), "id"), u.id);
	assert_string_equal(jstr(data(r), "email"), u.email);
	assert_string_equal(jstr(data(r), "name"), "Pengguna Uji Profil");
	assert_true(json_is_null(json_object_get(data(r), "phone")));
	assert_string_equal(jstr(json_object_get(data(r), "role"), "code"),
	    "operational");
	assert_true(json_is_null(json_object_get(data(r), "company")));
	assert_null(json_object_get(data(r), "password_hash"));
	assert_non_null(jstr(r->json, "message"));

	r = api("PATCH", "/v1/profile", u.token,
	    "{\"name\": \"Budi Santoso\", \"phone\": \"081234567890\"}");
	check_status(r, 200);
	assert_string_equal(jstr(data(r), "name"), "Budi Santoso");
	assert_string_equal(jstr(data(r), "phone"), "081234567890");
	/* partial: only the phone, then clearing it */
	r = api("PATCH", "/v1/profile", u.token, "{\"phone\": \"+6281299990000\"}");
	check_status(r, 200);
	assert_string_equal(jstr(data(r), "name"), "Budi Santoso");
	assert_string_equal(jstr(data(r), "phone"), "+6281299990000");
	r = api("PATCH", "/v1/profile", u.token, "{\"phone\": null}");
	check_status(r, 200);
	assert_true(json_is_null(json_object_get(data(r), "phone")));
	assert_string_equal(jstr(data(api("GET", "/v1/profile", u.token, NULL)),
	    "name"), "Budi Santoso");

	/* refusals */
	check_invalid_field(api("PATCH", "/v1/profile", u.token,
	    "{\"name\": \"\"}"), "name");
	check_invalid_field(api("PATCH", "/v1/profile", u.token,
	    "{\"name\": \"B\"}"), "name");
	check_invalid_field(api("PATCH", "/v1/profile", u.token,
	    "{\"phone\": \"bukan nomor\"}"), "phone");
	check_status(api("PATCH", "/v1/profile", u.token, "{\"name\": "), 400);
	assert_string_equal(jstr(data(api("GET", "/v1/profile", u.token, NULL)),
	    "name"), "Budi Santoso");

	/* logged, before and after */
	assert_string_equal(sql("SELECT count(*)::text FROM activity_logs"
	    " WHERE module = 'profile' AND action = 'update'"
	    " AND record_id::text = $1 AND user_id::text = $1", u.id, NULL), "3");
	assert_string_equal(sql("SELECT after->>'name' FROM activity_logs"
	    " WHERE module = 'profile' AND record_id::text = $1"
	    " ORDER BY created_at LIMIT 1", u.id, NULL), "Budi Santoso");
}

static void
test_profile_page(void **state)
{
	user u = make_user();
	browser b = page_login(&u);
	browser other = { NULL, NULL };
	ag_it_resp *r;

	(void)state;
	r = page(&b, "/admin/profil");
	check_status(r, 200);
	check_contains(r, u.email);
	check_contains(r, "Pengguna Uji Profil");
	assert_non_null(b.csrf);

	r = post_csrf_form("/admin/profil", &b, (const char *[]){ "name", "",
	    "phone", "081234", NULL });
	check_status(r, 422);
	check_contains(r, "id=\"error-name\"");
	check_contains(r, "id=\"error-phone\"");
	r = post_csrf_form("/admin/profil", &b, (const char *[]){ "name",
	    "Sari Halaman", "phone", "081311112222", NULL });
	check_status(r, 303);
	assert_non_null(strstr(ag_it_header(r, "Location"), "/admin/profil"));
	r = page(&b, "/admin/profil?pesan=tersimpan");
	check_status(r, 200);
	check_contains(r, "Sari Halaman");
	check_contains(r, "081311112222");
	check_contains(r, "Profil telah disimpan.");
	/* an empty phone on the page clears it */
	r = post_csrf_form("/admin/profil", &b, (const char *[]){ "name",
	    "Sari Halaman", "phone", "", NULL });
	check_status(r, 303);
	assert_true(json_is_null(json_object_get(data(api("GET", "/v1/profile",
	    u.token, NULL)), "phone")));

	/* the e-mail form: the password is checked, the address must be free */
	r = page(&b, "/admin/profil/email");
	check_status(r, 200);
	check_contains(r, u.email);
	r = post_csrf_form("/admin/profil/email", &b, (const char *[]){ "email",
	    "uji-profil-halaman@example.com", "password", "salah-sekali-123",
	    NULL });
	check_status(r, 422);
	check_contains(r, "id=\"error-password\"");
	r = post_csrf_form("/admin/profil/email", &b, (const char *[]){ "email",
	    "admin@example.com", "password", u.password, NULL });
	check_status(r, 409);
	check_contains(r, "id=\"error-email\"");
	r = page(&b, "/admin/profil/kata-sandi");
	check_status(r, 200);

	/* a form without the session's CSRF token is refused */
	other.cookie = b.cookie;
	other.csrf = "palsu";
	check_status(post_csrf_form("/admin/profil", &other, (const char *[]){
	    "name", "Penyusup", NULL }), 403);
	assert_string_equal(jstr(data(api("GET", "/v1/profile", u.token, NULL)),
	    "name"), "Sari Halaman");
}

/* ---- change of e-mail ---- */

static void
test_email_change_end_to_end(void **state)
{
	user u = make_user();
	const char *fresh = ag_it_printf("uji-profil-baru-%s@example.com",
	    unique_lower(12));
	const char *token;
	browser b = { NULL, NULL };
	ag_it_resp *r;

	(void)state;
	/* refusals: wrong password, own address, taken, malformed */
	check_invalid_field(api("PATCH", "/v1/profile/email", u.token,
	    json_text(json_pack("{s:s, s:s}", "email", fresh, "password",
	    "salah-sekali-123"))), "password");
	check_invalid_field(api("PATCH", "/v1/profile/email", u.token,
	    json_text(json_pack("{s:s, s:s}", "email", u.email, "password",
	    u.password))), "email");
	check_code(api("PATCH", "/v1/profile/email", u.token,
	    json_text(json_pack("{s:s, s:s}", "email", "operator@example.com",
	    "password", u.password))), 409, "EMAIL_TAKEN");
	check_invalid_field(api("PATCH", "/v1/profile/email", u.token,
	    json_text(json_pack("{s:s, s:s}", "email", "bukan-email",
	    "password", u.password))), "email");
	check_invalid_field(api("PATCH", "/v1/profile/email", u.token,
	    json_text(json_pack("{s:s}", "email", fresh))), "password");

	r = api("PATCH", "/v1/profile/email", u.token, json_text(json_pack(
	    "{s:s, s:s}", "email", fresh, "password", u.password)));
	check_status(r, 200);
	assert_string_equal(jstr(data(r), "new_email"), fresh);
	/* nothing changes before the confirmation */
	assert_string_equal(jstr(data(api("GET", "/v1/profile", u.token, NULL)),
	    "email"), u.email);
	/* a second request within the minute is refused */
	r = api("PATCH", "/v1/profile/email", u.token, json_text(json_pack(
	    "{s:s, s:s}", "email", fresh, "password", u.password)));
	check_code(r, 429, "RATE_LIMITED");
	assert_non_null(ag_it_header(r, "Retry-After"));

	/* the link went to the NEW address */
	token = mailed_token(fresh, CONFIRM_PAGE);
	r = page(&b, ag_it_printf(CONFIRM_PAGE "?token=%s", token));
	check_status(r, 200);
	check_contains(r, fresh);
	/* opening the link changed nothing yet */
	assert_string_equal(jstr(data(api("GET", "/v1/profile", u.token, NULL)),
	    "email"), u.email);
	r = post_csrf_form(CONFIRM_PAGE, &b, (const char *[]){ "token", token, NULL });
	check_status(r, 303);
	check_status(page(&b, ag_it_header(r, "Location")), 200);

	r = api("GET", "/v1/profile", u.token, NULL);
	check_status(r, 200);
	assert_string_equal(jstr(data(r), "email"), fresh);
	assert_non_null(jstr(data(r), "email_verified_at"));
	check_status(login(fresh, u.password), 200);
	/* the old address is told */
	mailed(u.email, "telah diubah");
	assert_string_equal(sql("SELECT count(*)::text FROM activity_logs"
	    " WHERE module = 'profile' AND action = 'change_email'"
	    " AND record_id::text = $1 AND after->>'email' = $2", u.id, fresh),
	    "1");

	/* the link works once */
	check_status(page(&b, ag_it_printf(CONFIRM_PAGE "?token=%s", token)),
	    400);
	check_status(post_csrf_form(CONFIRM_PAGE, &b, (const char *[]){ "token",
	    token, NULL }), 400);
	check_status(page(&b, CONFIRM_PAGE "?token=bukan-token"), 400);
}

/* ---- change of password ---- */

static void
test_change_password_end_to_end(void **state)
{
	user u = make_user(), v = make_user();
	const char *other = login_as(u.email, u.password);
	const char *newpw = ag_it_printf("Sandi-Baru-%s-2026", unique_lower(12));
	const char *token, *vtoken;
	browser b = page_login(&u);
	ag_it_resp *r;

	(void)state;
	r = api("POST", "/v1/profile/change-password/request", u.token, NULL);
	check_status(r, 200);
	token = mailed_token(u.email, CHANGE_PAGE);
	check_code(api("POST", "/v1/profile/change-password/request", u.token,
	    NULL), 429, "RATE_LIMITED");

	/* validate: the owner's token only */
	r = api("GET", ag_it_printf("/v1/profile/change-password/validate?token=%s",
	    token), u.token, NULL);
	check_status(r, 200);
	assert_true(json_is_true(json_object_get(data(r), "valid")));
	check_code(api("GET", "/v1/profile/change-password/validate?token="
	    "bukan-token-yang-sah", u.token, NULL), 400, "TOKEN_INVALID");
	check_code(api("GET", ag_it_printf(
	    "/v1/profile/change-password/validate?token=%s", token), v.token,
	    NULL), 400, "TOKEN_INVALID");
	check_status(api("GET", "/v1/profile/change-password/validate", u.token,
	    NULL), 422);
	/* someone else cannot use it either */
	check_code(api("POST", "/v1/profile/change-password", v.token,
	    json_text(json_pack("{s:s, s:s, s:s, s:s}", "token", token,
	    "current_password", v.password, "password", newpw,
	    "password_confirmation", newpw))), 400, "TOKEN_INVALID");

	/* wrong current password, mismatch, weak: 422 and the token kept */
	check_invalid_field(api("POST", "/v1/profile/change-password", u.token,
	    json_text(json_pack("{s:s, s:s, s:s, s:s}", "token", token,
	    "current_password", "salah-sekali-123", "password", newpw,
	    "password_confirmation", newpw))), "current_password");
	check_invalid_field(api("POST", "/v1/profile/change-password", u.token,
	    json_text(json_pack("{s:s, s:s, s:s, s:s}", "token", token,
	    "current_password", u.password, "password", newpw,
	    "password_confirmation", "Sandi-Lain-Sekali-99"))),
	    "password_confirmation");
	check_invalid_field(api("POST", "/v1/profile/change-password", u.token,
	    json_text(json_pack("{s:s, s:s, s:s, s:s}", "token", token,
	    "current_password", u.password, "password", "pendek",
	    "password_confirmation", "pendek"))), "password");
	check_invalid_field(api("POST", "/v1/profile/change-password", u.token,
	    json_text(json_pack("{s:s, s:s, s:s, s:s}", "token", token,
	    "current_password", u.password, "password", u.email,
	    "password_confirmation", u.email))), "password");
	check_invalid_field(api("POST", "/v1/profile/change-password", u.token,
	    json_text(json_pack("{s:s, s:s}", "token", token, "password",
	    newpw))), "current_password");

	r = api("POST", "/v1/profile/change-password", u.token, json_text(
	    json_pack("{s:s, s:s, s:s, s:s}", "token", token, "current_password",
	    u.password, "password", newpw, "password_confirmation", newpw)));
	check_status(r, 200);

	/* this session stays, every other one is gone */
	check_status(api("GET", "/v1/profile", u.token, NULL), 200);
	check_status(api("GET", "/v1/profile", other, NULL), 401);
	check_status(page(&b, "/admin/profil"), 303);
	/* the other user is untouched */
	check_status(api("GET", "/v1/profile", v.token, NULL), 200);
	/* the new password works, the old one does not */
	check_status(login(u.email, newpw), 200);
	check_status(login(u.email, u.password), 401);
	assert_non_null(sql("SELECT password_changed_at::text FROM users"
	    " WHERE id::text = $1", u.id, NULL));

	/* the link is used up */
	check_code(api("GET", ag_it_printf(
	    "/v1/profile/change-password/validate?token=%s", token), u.token,
	    NULL), 400, "TOKEN_INVALID");
	check_code(api("POST", "/v1/profile/change-password", u.token,
	    json_text(json_pack("{s:s, s:s, s:s, s:s}", "token", token,
	    "current_password", newpw, "password", u.password,
	    "password_confirmation", u.password))), 400, "TOKEN_INVALID");

	/* logged without any secret */
	assert_string_equal(sql("SELECT count(*)::text FROM activity_logs"
	    " WHERE module = 'profile' AND action = 'change_password'"
	    " AND record_id::text = $1", u.id, NULL), "1");
	assert_string_equal(sql("SELECT count(*)::text FROM activity_logs"
	    " WHERE record_id::text = $1 AND (coalesce(before::text, '') ||"
	    " coalesce(after::text, '')) ~ '(argon2|Sandi-Baru|Profil-Uji)'",
	    u.id, NULL), "0");

	/* a second user's own link still works for them */
	check_status(api("POST", "/v1/profile/change-password/request", v.token,
	    NULL), 200);
	vtoken = mailed_token(v.email, CHANGE_PAGE);
	assert_string_not_equal(vtoken, token);
}

static void
test_change_password_by_pages(void **state)
{
	user u = make_user();
	browser b = page_login(&u), anon = { NULL, NULL };
	const char *newpw = ag_it_printf("Halaman-Baru-%s-77", unique_lower(12));
	const char *token, *loc;
	ag_it_resp *r;

	(void)state;
	r = page(&b, "/admin/profil/kata-sandi");
	check_status(r, 200);
	check_contains(r, u.email);
	r = post_csrf_form("/admin/profil/kata-sandi", &b, (const char *[]){ NULL });
	check_status(r, 303);
	check_contains(page(&b, ag_it_header(r, "Location")),
	    "Tautan untuk mengubah kata sandi telah dikirim");
	token = mailed_token(u.email, CHANGE_PAGE);

	/* signed out: to the login page, and back here with the token */
	r = page(&anon, ag_it_printf(CHANGE_PAGE "?token=%s", token));
	check_status(r, 303);
	loc = ag_it_header(r, "Location");
	assert_non_null(loc);
	assert_non_null(strstr(loc, "/admin/masuk?next="));
	assert_non_null(strstr(loc, token));

	r = page(&b, ag_it_printf(CHANGE_PAGE "?token=%s", token));
	check_status(r, 200);
	check_contains(r, "name=\"current_password\"");
	r = post_csrf_form(CHANGE_PAGE, &b, (const char *[]){ "token", token,
	    "current_password", "salah-sekali-123", "password", newpw,
	    "password_confirmation", newpw, NULL });
	check_status(r, 422);
	check_contains(r, "id=\"error-current_password\"");
	r = post_csrf_form(CHANGE_PAGE, &b, (const char *[]){ "token", token,
	    "current_password", u.password, "password", newpw,
	    "password_confirmation", newpw, NULL });
	check_status(r, 303);
	assert_non_null(strstr(ag_it_header(r, "Location"), "/admin/profil"));
	/* this browser stays signed in; the API token of before is revoked */
	r = page(&b, "/admin/profil?pesan=sandi-diubah");
	check_status(r, 200);
	check_contains(r, "Kata sandi telah diubah.");
	check_status(api("GET", "/v1/profile", u.token, NULL), 401);
	check_status(login(u.email, newpw), 200);
	/* used up */
	r = page(&b, ag_it_printf(CHANGE_PAGE "?token=%s", token));
	check_status(r, 400);
	check_contains(r, "id=\"token-invalid\"");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_anonymous_refused),
		T(test_get_and_update),
		T(test_profile_page),
		T(test_email_change_end_to_end),
		T(test_change_password_end_to_end),
		T(test_change_password_by_pages),
	};

	return AG_IT_RUN("profile", tests, AG_IT_SKIP_ALL);
}
