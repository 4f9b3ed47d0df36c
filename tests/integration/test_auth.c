/*
 * test_auth.c - integration tests of authentication against the real
 * stack: throttling and lockout (429 + Retry-After, unknown e-mails
 * indistinguishable), forgot/reset password end to end through the .eml
 * file the mailer writes, e-mail verification, the password rules, and
 * token expiry, refresh rotation and revocation.
 *
 * Environment (script/test sets it): AG_BASE_URL (unset = every test
 * skipped), AG_TEST_DSN (the stack's database), AG_CONFIG and AG_BUILD
 * (to create users with autogate-admin), AG_VAR (mail lands in
 * $AG_VAR/mail/, one .eml file a message).  Every test creates its own
 * users, and failed sign-ins come from their own loopback addresses
 * (127.x.y.z), so that neither the demo users nor the other test
 * programs are throttled.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>

#include "itest.h"

/* The defaults of [security] login_account_limit / login_address_limit. */
#define ACCOUNT_LIMIT 5
#define ADDRESS_LIMIT 20
#define WINDOW_SECONDS (15 * 60)

static const char invalid_message[] = "Email atau kata sandi salah";

/* ---- small helpers ---- */

static unsigned
random_u32(void)
{
	unsigned v;
	FILE *f = fopen("/dev/urandom", "rb");

	assert_non_null(f);
	assert_int_equal(fread(&v, sizeof(v), 1, f), 1);
	fclose(f);
	return v;
}

/* A loopback address of its own, so throttling stays in this test. */
static const char *
own_address(void)
{
	return ag_it_printf("127.%u.%u.%u", 1 + random_u32() % 254,
	    random_u32() % 256, 1 + random_u32() % 254);
}

/* ---- users and sign-in ---- */

typedef struct {
	const char *email;
	const char *password;
} user;

/* A new operational user made with autogate-admin (same hashing). */
static user
make_user(void)
{
	user u;

	u.email = ag_it_printf("uji-auth-%s@example.com", unique_lower(12));
	u.password = ag_it_printf("Gerbang-Uji-%s-77", unique_lower(12));
	create_user(u.email, "Pengguna Uji Auth", u.password);
	return u;
}

static ag_it_resp *
login_ok(const user *u)
{
	ag_it_resp *r = login(u->email, u->password);

	check_status(r, 200);
	return r;
}

static const char *
data_str(ag_it_resp *r, const char *key)
{
	return jstr(json_object_get(r->json, "data"), key);
}

/* An answer to a sign-in from a chosen source address. */
typedef struct {
	long status;
	const char *code;
	const char *message;
	const char *retry_after;
} attempt;

typedef struct {
	char *data;
	size_t len;
	char retry_after[32];
} sink;

static size_t
on_body(char *p, size_t size, size_t n, void *ud)
{
	sink *s = ud;
	char *grown = realloc(s->data, s->len + size * n + 1);

	if (grown == NULL)
		return 0;
	s->data = grown;
	memcpy(s->data + s->len, p, size * n);
	s->len += size * n;
	s->data[s->len] = '\0';
	return size * n;
}

static size_t
on_header(char *p, size_t size, size_t n, void *ud)
{
	sink *s = ud;
	size_t len = size * n;

	if (len > 12 && strncasecmp(p, "Retry-After:", 12) == 0) {
		const char *v = p + 12;
		size_t k = 0;

		while (*v == ' ')
			v++;
		while (k + 1 < sizeof(s->retry_after) && v < p + len &&
		    *v >= '0' && *v <= '9')
			s->retry_after[k++] = *v++;
		s->retry_after[k] = '\0';
	}
	return len;
}

/* POST /v1/auth/login with the connection bound to source address ip. */
static attempt
login_from(const char *ip, const char *email, const char *password)
{
	CURL *h = curl_easy_init();
	struct curl_slist *hdr = NULL;
	sink s = { NULL, 0, "" };
	json_t *b = json_pack("{s:s, s:s}", "email", email, "password",
	    password), *doc;
	char *text = json_dumps(b, 0);
	attempt out = { 0, NULL, NULL, NULL };

	assert_non_null(h);
	hdr = curl_slist_append(hdr, "Content-Type: application/json");
	curl_easy_setopt(h, CURLOPT_URL, ag_it_printf("%s/v1/auth/login",
	    ag_it_base()));
	curl_easy_setopt(h, CURLOPT_INTERFACE, ip);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
	curl_easy_setopt(h, CURLOPT_POSTFIELDS, text);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &s);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, &s);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, AG_IT_TIMEOUT_SECONDS);
	if (curl_easy_perform(h) == CURLE_OK)
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &out.status);
	doc = s.data != NULL ? json_loads(s.data, 0, NULL) : NULL;
	if (doc != NULL) {
		if (jstr(doc, "code") != NULL)
			out.code = ag_it_strdup(jstr(doc, "code"));
		if (jstr(doc, "message") != NULL)
			out.message = ag_it_strdup(jstr(doc, "message"));
		json_decref(doc);
	}
	if (s.retry_after[0] != '\0')
		out.retry_after = ag_it_strdup(s.retry_after);
	free(s.data);
	free(text);
	json_decref(b);
	curl_slist_free_all(hdr);
	curl_easy_cleanup(h);
	if (out.status == 0)
		fail_msg("no answer from %s via %s", ag_it_base(), ip);
	return out;
}

static void
check_invalid(const attempt *t)
{
	if (t->status != 401)
		print_error("expected 401, got %ld %s\n", t->status,
		    t->code != NULL ? t->code : "");
	assert_int_equal(t->status, 401);
	assert_string_equal(t->code, "INVALID_CREDENTIALS");
	assert_string_equal(t->message, invalid_message);
	assert_null(t->retry_after);
}

static void
check_limited(const attempt *t)
{
	long secs;

	if (t->status != 429)
		print_error("expected 429, got %ld %s\n", t->status,
		    t->code != NULL ? t->code : "");
	assert_int_equal(t->status, 429);
	assert_string_equal(t->code, "RATE_LIMITED");
	assert_non_null(t->message);
	assert_non_null(t->retry_after);
	secs = atol(t->retry_after);
	assert_true(secs >= 1 && secs <= WINDOW_SECONDS);
}

/* A page of a protected route answers with this token. */
static long
api_status(const char *token)
{
	const char *h[] = { bearer(token), NULL };

	return ag_it_request("GET", "/v1/destinations", h, NULL, 0)->status;
}

/* ---- mail ---- */

/* The body of a quoted-printable part decoded (soft breaks, =XX). */
static char *
qp_decode(const char *s)
{
	char *out = ag_it_alloc(strlen(s) + 1), *o = out;

	while (*s != '\0') {
		if (s[0] == '=' && s[1] == '\r' && s[2] == '\n')
			s += 3;
		else if (s[0] == '=' && s[1] == '\n')
			s += 2;
		else if (s[0] == '=' && s[1] != '\0' && s[2] != '\0') {
			char hex[3] = { s[1], s[2], '\0' };

			*o++ = (char)strtol(hex, NULL, 16);
			s += 3;
		} else
			*o++ = *s++;
	}
	*o = '\0';
	return out;
}

/*
 * Waits (bounded) for a mail to address in $AG_VAR/mail/ whose link goes
 * to page, and returns the link's token; a token equal to seen (may be
 * NULL) does not count, so a second mail can be told from the first.
 */
static const char *
mailed_token(const char *address, const char *page, const char *seen)
{
	const char *dir = ag_it_printf("%s/mail", env("AG_VAR"));
	const char *needle = ag_it_printf("%s?token=", page);
	struct timespec pause = { 0, 200 * 1000 * 1000 };

	for (int round = 0; round < MAIL_WAIT_SECONDS * 5; round++) {
		DIR *d = opendir(dir);
		struct dirent *e;

		while (d != NULL && (e = readdir(d)) != NULL) {
			size_t len = strlen(e->d_name);
			char *text, *at, tok[128];
			size_t k = 0;

			if (len < 5 || strcmp(e->d_name + len - 4, ".eml") != 0)
				continue;
			text = read_text(ag_it_printf("%s/%s", dir, e->d_name));
			if (text == NULL || strstr(text, address) == NULL)
				continue;
			if (strstr(text, "quoted-printable") != NULL)
				text = qp_decode(text);
			if ((at = strstr(text, needle)) == NULL)
				continue;
			at += strlen(needle);
			while (k + 1 < sizeof(tok) && (strchr("ABCDEFGHIJKLMNOPQRST"
			    "UVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", *at) !=
			    NULL && *at != '\0'))
				tok[k++] = *at++;
			tok[k] = '\0';
			if (k > 0 && (seen == NULL || strcmp(tok, seen) != 0)) {
				closedir(d);
				return ag_it_strdup(tok);
			}
		}
		if (d != NULL)
			closedir(d);
		nanosleep(&pause, NULL);
	}
	fail_msg("no mail to %s with a link to %s in %s after %d s", address,
	    page, dir, MAIL_WAIT_SECONDS);
	return NULL;
}

static ag_it_resp *
forgot(const char *email)
{
	return ag_it_json("POST", "/v1/auth/forgot-password", NULL,
	    ag_it_printf("{\"email\": \"%s\"}", email));
}

static ag_it_resp *
reset(const char *token, const char *password, const char *confirmation)
{
	return ag_it_json("POST", "/v1/auth/reset-password", NULL, json_text(
	    json_pack("{s:s, s:s, s:s}", "token", token, "password", password,
	    "password_confirmation", confirmation)));
}

static const char *
reset_token_for(const user *u)
{
	check_status(forgot(u->email), 200);
	return mailed_token(u->email, "/admin/atur-ulang-kata-sandi", NULL);
}

/* ---- throttling and lockout ---- */

static void
test_unknown_email_like_wrong_password(void **state)
{
	user u = make_user();
	const char *ip = own_address();
	attempt wrong, unknown;

	(void)state;
	wrong = login_from(ip, u.email, "Salah-Sekali-12345");
	unknown = login_from(ip, ag_it_printf("tidak-ada-%s@example.com",
	    unique_lower(12)), "Salah-Sekali-12345");
	check_invalid(&wrong);
	check_invalid(&unknown);
	assert_string_equal(wrong.message, unknown.message);
}

static void
test_account_throttled_and_locked(void **state)
{
	user u = make_user();
	const char *ip = own_address(), *other = own_address();
	const char *ghost = ag_it_printf("tidak-ada-%s@example.com",
	    unique_lower(12));
	attempt t, g;

	(void)state;
	for (int i = 0; i < ACCOUNT_LIMIT; i++) {
		t = login_from(ip, u.email, "Salah-Sekali-12345");
		check_invalid(&t);
		g = login_from(ip, ghost, "Salah-Sekali-12345");
		check_invalid(&g);
	}
	/* now even the right password is refused before it is checked */
	t = login_from(ip, u.email, u.password);
	check_limited(&t);
	/* an unknown address answers exactly alike */
	g = login_from(ip, ghost, u.password);
	check_limited(&g);
	assert_string_equal(t.code, g.code);
	/* per account: another address does not help, and any case */
	t = login_from(other, u.email, u.password);
	check_limited(&t);
	for (char *p = (char *)u.email; *p != '@'; p++)
		*p = (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p);
	t = login_from(other, u.email, u.password);
	check_limited(&t);
	/* the account itself is locked for a while */
	assert_string_equal(sql("SELECT locked_until > now() + interval "
	    "'10 minutes' FROM users WHERE lower(email) = lower($1)", u.email,
	    NULL), "t");
	/* without the throttle, a locked account looks like a wrong password */
	sql("DELETE FROM auth_throttle WHERE key = lower('email:' || $1)",
	    u.email, NULL);
	t = login_from(other, u.email, u.password);
	check_invalid(&t);
	/* once the lock is over, the password works again */
	sql("UPDATE users SET locked_until = now() - interval '1 second',"
	    " failed_logins = 0 WHERE lower(email) = lower($1)", u.email, NULL);
	sql("DELETE FROM auth_throttle WHERE key = lower('email:' || $1)",
	    u.email, NULL);
	t = login_from(other, u.email, u.password);
	assert_int_equal(t.status, 200);
}

static void
test_success_resets_account_counter(void **state)
{
	user u = make_user();
	const char *ip = own_address();
	attempt t;

	(void)state;
	for (int round = 0; round < 2; round++) {
		for (int i = 0; i < ACCOUNT_LIMIT - 1; i++) {
			t = login_from(ip, u.email, "Salah-Sekali-12345");
			check_invalid(&t);
		}
		t = login_from(ip, u.email, u.password);
		assert_int_equal(t.status, 200);
	}
	assert_null(sql("SELECT failures FROM auth_throttle"
	    " WHERE key = lower('email:' || $1)", u.email, NULL));
}

static void
test_address_throttled(void **state)
{
	user u = make_user();
	const char *ip = own_address();
	attempt t;

	(void)state;
	/* every attempt a different account: only the address adds up */
	for (int i = 0; i < ADDRESS_LIMIT; i++) {
		t = login_from(ip, ag_it_printf("tidak-ada-%d-%s@example.com", i,
		    unique_lower(12)), "Salah-Sekali-12345");
		check_invalid(&t);
	}
	t = login_from(ip, u.email, u.password);
	check_limited(&t);
	/* the account itself is fine from elsewhere */
	t = login_from(own_address(), u.email, u.password);
	assert_int_equal(t.status, 200);
}

/* The sign-in page says so too (it shares ag_auth_login). */
static void
test_portal_login_throttled(void **state)
{
	user u = make_user();
	const char *ip = own_address();
	form_state f;
	ag_it_resp *r;
	attempt t;

	(void)state;
	for (int i = 0; i < ACCOUNT_LIMIT; i++) {
		t = login_from(ip, u.email, "Salah-Sekali-12345");
		check_invalid(&t);
	}
	f = open_form("/admin/masuk", NULL);
	r = post_csrf_form("/admin/masuk", &f, (const char *const[]){ "email",
	    u.email, "password", u.password, NULL });
	assert_null(ag_it_cookie(r, "ag_session"));
	check_contains(r, "Terlalu banyak percobaan masuk");
	assert_int_equal(r->status, 429);
	assert_non_null(ag_it_header(r, "Retry-After"));
}

/* ---- forgot and reset password ---- */

static void
test_forgot_same_answer(void **state)
{
	user u = make_user();
	ag_it_resp *known = forgot(u.email);
	ag_it_resp *unknown = forgot(ag_it_printf("tidak-ada-%s@example.com",
	    unique_lower(12)));

	(void)state;
	check_status(known, 200);
	check_status(unknown, 200);
	assert_string_equal(jstr(known->json, "message"),
	    jstr(unknown->json, "message"));
	assert_true(strncmp(jstr(known->json, "message"), "Sukses", 6) == 0);
	assert_true(json_is_null(json_object_get(known->json, "data")));
	assert_true(json_is_null(json_object_get(unknown->json, "data")));
	check_code(ag_it_json("POST", "/v1/auth/forgot-password", NULL,
	    "{\"email\": \"bukan-email\"}"), 422, "VALIDATION_ERROR");
}

static void
test_reset_end_to_end(void **state)
{
	user u = make_user();
	ag_it_resp *session = login_ok(&u), *r;
	const char *old_access = data_str(session, "access_token");
	const char *old_refresh = data_str(session, "refresh_token");
	const char *token, *fresh = ag_it_printf("Sandi-Baru-%s-88",
	    unique_lower(12));
	attempt t;

	(void)state;
	assert_int_equal(api_status(old_access), 200);
	token = reset_token_for(&u);
	/* the link checks out and shows whose account, masked */
	r = ag_it_request("GET", ag_it_printf(
	    "/v1/auth/forgot-password/validate?token=%s", token), NULL, NULL, 0);
	check_status(r, 200);
	assert_true(json_is_true(json_object_get(json_object_get(r->json,
	    "data"), "valid")));
	assert_non_null(strstr(data_str(r, "email"), "***@example.com"));
	assert_null(strstr(data_str(r, "email"), u.email));
	/* the page the link opens */
	r = ag_it_request("GET", ag_it_printf(
	    "/admin/atur-ulang-kata-sandi?token=%s", token), NULL, NULL, 0);
	check_status(r, 200);
	check_contains(r, "name=\"password_confirmation\"");
	/* the rules: too short, the e-mail, its local part, a common one */
	r = reset(token, "Pendek-1", "Pendek-1");
	check_code(r, 422, "VALIDATION_ERROR");
	assert_true(has_field_error(r, "password"));
	r = reset(token, u.email, u.email);
	check_code(r, 422, "VALIDATION_ERROR");
	assert_true(has_field_error(r, "password"));
	r = reset(token, "password1234", "password1234");
	check_code(r, 422, "VALIDATION_ERROR");
	assert_true(has_field_error(r, "password"));
	r = reset(token, fresh, "Sandi-Lain-Sekali-99");
	check_code(r, 422, "VALIDATION_ERROR");
	assert_true(has_field_error(r, "password_confirmation"));
	assert_false(has_field_error(r, "password"));
	/* refusals keep the token; the good password uses it up */
	r = reset(token, fresh, fresh);
	check_status(r, 200);
	/* every earlier session ends */
	assert_int_equal(api_status(old_access), 401);
	check_code(ag_it_json("POST", "/v1/auth/refresh", NULL, ag_it_printf(
	    "{\"refresh_token\": \"%s\"}", old_refresh)), 401,
	    "INVALID_REFRESH_TOKEN");
	t = login_from(own_address(), u.email, u.password);
	check_invalid(&t);
	u.password = fresh;
	login_ok(&u);
	/* single use */
	check_code(reset(token, "Sandi-Ketiga-Kali-77", "Sandi-Ketiga-Kali-77"),
	    400, "TOKEN_INVALID");
	check_code(ag_it_request("GET", ag_it_printf(
	    "/v1/auth/forgot-password/validate?token=%s", token), NULL, NULL, 0),
	    400, "TOKEN_INVALID");
	/* and it was logged */
	assert_string_equal(sql("SELECT count(*) FROM activity_logs a JOIN users"
	    " u ON u.id::text = a.record_id WHERE a.module = 'auth' AND"
	    " a.action = 'reset_password' AND u.email = $1", u.email, NULL),
	    "1");
}

static void
test_reset_token_expired_or_bogus(void **state)
{
	user u = make_user();
	const char *token = reset_token_for(&u);
	ag_it_resp *r;

	(void)state;
	sql("UPDATE user_tokens SET expires_at = now() - interval '1 second'"
	    " WHERE user_id = (SELECT id FROM users WHERE email = $1)", u.email,
	    NULL);
	check_code(ag_it_request("GET", ag_it_printf(
	    "/v1/auth/forgot-password/validate?token=%s", token), NULL, NULL, 0),
	    400, "TOKEN_INVALID");
	check_code(reset(token, "Sandi-Baru-Kedaluwarsa-1", "Sandi-Baru-"
	    "Kedaluwarsa-1"), 400, "TOKEN_INVALID");
	r = ag_it_request("GET", ag_it_printf(
	    "/admin/atur-ulang-kata-sandi?token=%s", token), NULL, NULL, 0);
	check_status(r, 400);
	check_contains(r, "id=\"token-invalid\"");
	/* made-up and missing tokens look the same */
	check_code(ag_it_request("GET", "/v1/auth/forgot-password/validate?"
	    "token=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", NULL, NULL, 0),
	    400, "TOKEN_INVALID");
	check_code(ag_it_request("GET", "/v1/auth/forgot-password/validate",
	    NULL, NULL, 0), 422, "VALIDATION_ERROR");
	r = ag_it_request("GET", "/admin/atur-ulang-kata-sandi", NULL, NULL, 0);
	check_status(r, 400);
	check_contains(r, "id=\"token-invalid\"");
	login_ok(&u);
}

static void
test_new_token_voids_older(void **state)
{
	user u = make_user();
	const char *first = reset_token_for(&u), *second;

	(void)state;
	/* one mail a minute per user: pretend the minute is over */
	sql("UPDATE user_tokens SET created_at = now() - interval '2 minutes'"
	    " WHERE user_id = (SELECT id FROM users WHERE email = $1)", u.email,
	    NULL);
	check_status(forgot(u.email), 200);
	second = mailed_token(u.email, "/admin/atur-ulang-kata-sandi", first);
	check_code(ag_it_request("GET", ag_it_printf(
	    "/v1/auth/forgot-password/validate?token=%s", first), NULL, NULL, 0),
	    400, "TOKEN_INVALID");
	check_status(ag_it_request("GET", ag_it_printf(
	    "/v1/auth/forgot-password/validate?token=%s", second), NULL, NULL,
	    0), 200);
}

static void
test_reset_by_pages(void **state)
{
	user u = make_user();
	const char *fresh = ag_it_printf("Sandi-Halaman-%s-55", unique_lower(12));
	const char *token, *path;
	form_state f;
	ag_it_resp *r;

	(void)state;
	f = open_form("/admin/lupa-kata-sandi", NULL);
	r = post_csrf_form("/admin/lupa-kata-sandi", &f, (const char *const[]){
	    "email", u.email, NULL });
	check_status(r, 303);
	assert_string_equal(ag_it_header(r, "Location"),
	    "/admin/lupa-kata-sandi?terkirim=1");
	r = ag_it_request("GET", "/admin/lupa-kata-sandi?terkirim=1", NULL,
	    NULL, 0);
	check_contains(r, "tautan untuk mengatur ulang kata sandi");
	/* the form without its CSRF token is refused */
	r = ag_it_request("POST", "/admin/lupa-kata-sandi", (const char *[]){
	    "Content-Type: application/x-www-form-urlencoded", NULL },
	    "email=a%40example.com", 21);
	check_status(r, 403);
	token = mailed_token(u.email, "/admin/atur-ulang-kata-sandi", NULL);
	path = ag_it_printf("/admin/atur-ulang-kata-sandi?token=%s", token);
	f = open_form(path, NULL);
	assert_string_equal(input_value(ag_it_request("GET", path, NULL, NULL,
	    0), "token"), token);
	r = post_csrf_form("/admin/atur-ulang-kata-sandi", &f, (const char *const[]){
	    "token", token, "password", fresh, "password_confirmation",
	    "Tidak-Sama-Dengan-Itu", NULL });
	check_status(r, 422);
	check_contains(r, "id=\"error-password_confirmation\"");
	r = post_csrf_form("/admin/atur-ulang-kata-sandi", &f, (const char *const[]){
	    "token", token, "password", "qwertyuiop123", "password_confirmation",
	    "qwertyuiop123", NULL });
	check_status(r, 422);
	check_contains(r, "id=\"error-password\"");
	r = post_csrf_form("/admin/atur-ulang-kata-sandi", &f, (const char *const[]){
	    "token", token, "password", fresh, "password_confirmation", fresh,
	    NULL });
	check_status(r, 303);
	assert_string_equal(ag_it_header(r, "Location"),
	    "/admin/masuk?pesan=sandi-diubah");
	r = ag_it_request("GET", "/admin/masuk?pesan=sandi-diubah", NULL, NULL,
	    0);
	check_contains(r, "Kata sandi telah diubah");
	check_contains(r, "href=\"/admin/lupa-kata-sandi\"");
	/* the used link now shows the invalid-link page */
	r = post_csrf_form("/admin/atur-ulang-kata-sandi", &f, (const char *const[]){
	    "token", token, "password", fresh, "password_confirmation", fresh,
	    NULL });
	check_status(r, 400);
	check_contains(r, "id=\"token-invalid\"");
	u.password = fresh;
	login_ok(&u);
}

/* ---- e-mail verification ---- */

static void
test_verify_email(void **state)
{
	user u = make_user();
	const char *access, *token;
	ag_it_resp *r;

	(void)state;
	check_code(ag_it_json("POST", "/v1/auth/verify-email/send", NULL, "{}"),
	    401, "UNAUTHORIZED");
	access = data_str(login_ok(&u), "access_token");
	/* users made by the CLI start verified */
	check_code(ag_it_json("POST", "/v1/auth/verify-email/send", access,
	    NULL), 409, "EMAIL_ALREADY_VERIFIED");
	sql("UPDATE users SET email_verified_at = NULL WHERE email = $1",
	    u.email, NULL);
	r = ag_it_json("POST", "/v1/auth/verify-email/send", access, NULL);
	check_status(r, 200);
	token = mailed_token(u.email, "/admin/verifikasi-email", NULL);
	check_code(ag_it_json("POST", "/v1/auth/verify-email", NULL,
	    "{\"token\": \"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"}"), 400,
	    "TOKEN_INVALID");
	check_status(ag_it_json("POST", "/v1/auth/verify-email", NULL,
	    ag_it_printf("{\"token\": \"%s\"}", token)), 200);
	assert_string_equal(sql("SELECT email_verified_at IS NOT NULL FROM users"
	    " WHERE email = $1", u.email, NULL), "t");
	check_code(ag_it_json("POST", "/v1/auth/verify-email", NULL,
	    ag_it_printf("{\"token\": \"%s\"}", token)), 400, "TOKEN_INVALID");
	/* a reset token is no verification token */
	check_code(ag_it_json("POST", "/v1/auth/verify-email", NULL,
	    ag_it_printf("{\"token\": \"%s\"}", reset_token_for(&u))), 400,
	    "TOKEN_INVALID");
	/* the landing page the link opens */
	sql("UPDATE users SET email_verified_at = NULL WHERE email = $1",
	    u.email, NULL);
	sql("UPDATE user_tokens SET created_at = now() - interval '2 minutes'"
	    " WHERE user_id = (SELECT id FROM users WHERE email = $1)", u.email,
	    NULL);
	check_status(ag_it_json("POST", "/v1/auth/verify-email/send", access,
	    NULL), 200);
	token = mailed_token(u.email, "/admin/verifikasi-email", token);
	r = ag_it_request("GET", ag_it_printf("/admin/verifikasi-email?token=%s",
	    token), NULL, NULL, 0);
	check_status(r, 200);
	check_contains(r, "telah terverifikasi");
	r = ag_it_request("GET", ag_it_printf("/admin/verifikasi-email?token=%s",
	    token), NULL, NULL, 0);
	check_status(r, 400);
	check_contains(r, "Tautan tidak valid");
}

/* ---- tokens: expiry, rotation, revocation ---- */

static void
test_tokens_expire_rotate_revoke(void **state)
{
	user u = make_user();
	ag_it_resp *first = login_ok(&u), *r;
	const char *a1 = data_str(first, "access_token");
	const char *r1 = data_str(first, "refresh_token"), *a2, *r2, *a3, *r3;

	(void)state;
	assert_int_equal(api_status(a1), 200);
	/* refresh rotates: the old refresh token and its access token end */
	r = ag_it_json("POST", "/v1/auth/refresh", NULL,
	    ag_it_printf("{\"refresh_token\": \"%s\"}", r1));
	check_status(r, 200);
	a2 = data_str(r, "access_token");
	r2 = data_str(r, "refresh_token");
	assert_string_not_equal(r1, r2);
	check_code(ag_it_json("POST", "/v1/auth/refresh", NULL,
	    ag_it_printf("{\"refresh_token\": \"%s\"}", r1)), 401,
	    "INVALID_REFRESH_TOKEN");
	assert_int_equal(api_status(a1), 401);
	assert_int_equal(api_status(a2), 200);
	/* an access token past its expiry is refused */
	sql("UPDATE auth_tokens SET expires_at = now() - interval '1 second'"
	    " WHERE token_hash = encode(sha256(convert_to($1, 'UTF8')), 'hex')",
	    a2, NULL);
	assert_int_equal(api_status(a2), 401);
	/* the refresh token still works; logout then ends both */
	r = ag_it_json("POST", "/v1/auth/refresh", NULL,
	    ag_it_printf("{\"refresh_token\": \"%s\"}", r2));
	check_status(r, 200);
	a3 = data_str(r, "access_token");
	r3 = data_str(r, "refresh_token");
	assert_int_equal(api_status(a3), 200);
	check_status(ag_it_json("POST", "/v1/auth/logout", a3, NULL), 200);
	assert_int_equal(api_status(a3), 401);
	check_code(ag_it_json("POST", "/v1/auth/refresh", NULL,
	    ag_it_printf("{\"refresh_token\": \"%s\"}", r3)), 401,
	    "INVALID_REFRESH_TOKEN");
	/* an expired refresh token is refused too */
	r = login_ok(&u);
	sql("UPDATE auth_tokens SET expires_at = now() - interval '1 second'"
	    " WHERE token_hash = encode(sha256(convert_to($1, 'UTF8')), 'hex')",
	    data_str(r, "refresh_token"), NULL);
	check_code(ag_it_json("POST", "/v1/auth/refresh", NULL,
	    ag_it_printf("{\"refresh_token\": \"%s\"}", data_str(r,
	    "refresh_token"))), 401, "INVALID_REFRESH_TOKEN");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_unknown_email_like_wrong_password),
		T(test_account_throttled_and_locked),
		T(test_success_resets_account_counter),
		T(test_address_throttled),
		T(test_portal_login_throttled),
		T(test_forgot_same_answer),
		T(test_reset_end_to_end),
		T(test_reset_token_expired_or_bogus),
		T(test_new_token_voids_older),
		T(test_reset_by_pages),
		T(test_verify_email),
		T(test_tokens_expire_rotate_revoke),
	};

	return AG_IT_RUN("auth", tests, AG_IT_SKIP_ALL);
}
