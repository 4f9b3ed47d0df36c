/*
 * test_authz.c - the authorization matrix, generated from the route
 * tables, and the CSRF refusal of page forms.
 *
 * The routes are not listed here: every worker program prints its table
 * with --routes ({method, path, permission, html}), so a route added to
 * any table joins the matrix by itself.  Each demo role signs in (bearer
 * token for the API, session cookie for pages); its permission set is
 * read from the database.  Every non-public route is then called
 * anonymously and as every role, and the answer must agree with the
 * declared permission: 401 (or, for a page GET, 303 to the sign-in form)
 * without credentials, 403 without the right, anything else with it.
 *
 * The matrix must never destroy demo data, so for a role that HOLDS the
 * permission only GET routes are called; mutating routes are checked on
 * the deny side only (the dispatcher refuses before the handler runs).
 * Sign-out routes are left out: they would revoke the test's own tokens.
 *
 * Environment: AG_BASE_URL (unset = skipped), AG_BUILD (the build tree
 * with cgi-bin/autogate-*), AG_TEST_DSN (the stack's database),
 * AG_PASSWORD (password of the demo users).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "itest.h"

#define CAPTURE_TEXT "TKT-00000000"

static const char *const programs[] = { "autogate-core", "autogate-tickets",
    "autogate-portal", NULL };

/* Routes the matrix never calls: they end the caller's own session. */
static const char *const never_called[] = { "/v1/auth/logout",
    "/admin/keluar", NULL };

static const struct {
	const char *email, *role;
} demo_users[] = {
	{ "superadmin@example.com", "super_admin" },
	{ "admin@example.com", "admin" },
	{ "operator@example.com", "operational" },
	{ "tenant-admin@example.com", "tenant_admin" },
	{ "tenant-operator@example.com", "tenant_operational" },
};
#define NROLES (sizeof(demo_users) / sizeof(demo_users[0]))

typedef struct route {
	const char *method, *path, *perm; /* perm NULL: public */
	int html;
} route;

typedef struct role {
	const char *email, *code;
	const char *perms;   /* ",a.b,c.d," from the database */
	const char *token;   /* bearer token */
	const char *cookie;  /* "Cookie: ag_session=..." */
	const char *csrf;    /* the session's form token */
} role;

/* ---- helpers ---- */

static int
is_get(const char *method)
{
	return strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
}

/* A random version-4 UUID. */
static const char *
random_uuid(void)
{
	unsigned char b[16];
	FILE *f = fopen("/dev/urandom", "rb");

	assert_non_null(f);
	assert_int_equal(fread(b, 1, sizeof(b), f), sizeof(b));
	fclose(f);
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
	return ag_it_printf("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
	    "%02x%02x%02x%02x%02x%02x", b[0], b[1], b[2], b[3], b[4], b[5],
	    b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}

/* The pattern with {id}/{*_id} as a random UUID and others as text. */
static const char *
fill_path(const char *pattern)
{
	char *out = ag_it_strdup("");
	const char *p = pattern;

	while (*p != '\0') {
		const char *open = strchr(p, '{'), *close;
		size_t n;

		if (open == NULL || (close = strchr(open, '}')) == NULL) {
			out = ag_it_printf("%s%s", out, p);
			break;
		}
		n = (size_t)(close - open - 1);
		out = ag_it_printf("%s%.*s%s", out, (int)(open - p), p,
		    (n == 2 && strncmp(open + 1, "id", 2) == 0) ||
		    (n > 3 && strncmp(close - 3, "_id", 3) == 0) ?
		    random_uuid() : CAPTURE_TEXT);
		p = close + 1;
	}
	return out;
}

/* ---- the route tables ---- */

/* Appends the routes autogate-<prog> --routes prints to list. */
static void
read_routes(const char *build, const char *prog, json_t *list)
{
	const char *cmd = ag_it_printf("'%s/cgi-bin/%s' --routes 2>/dev/null",
	    build, prog);
	FILE *p = popen(cmd, "r");
	json_error_t err;
	json_t *doc, *it;
	size_t i;
	int rc;

	assert_non_null(p);
	doc = json_loadf(p, 0, &err);
	rc = pclose(p);
	if (doc == NULL || rc != 0 || !json_is_array(doc))
		print_error("%s: no route table (exit %d, %s)\n", cmd, rc,
		    err.text);
	assert_non_null(doc);
	assert_int_equal(rc, 0);
	assert_true(json_is_array(doc));
	json_array_foreach(doc, i, it)
		json_array_append(list, it);
	json_decref(doc);
}

/* Every route of every worker program, as route structs (n in *count). */
static route *
load_routes(size_t *count)
{
	const char *build = getenv("AG_BUILD");
	json_t *list = json_array(), *it;
	route *out;
	size_t i;

	if (build == NULL || build[0] == '\0')
		print_error("AG_BUILD is not set: cannot read the route tables\n");
	assert_non_null(build);
	for (i = 0; programs[i] != NULL; i++)
		read_routes(build, programs[i], list);
	out = ag_it_alloc(sizeof(*out) * (json_array_size(list) + 1));
	json_array_foreach(list, i, it) {
		const char *m = json_string_value(json_object_get(it, "method"));
		const char *path = json_string_value(json_object_get(it, "path"));
		json_t *perm = json_object_get(it, "permission");

		assert_non_null(m);
		assert_non_null(path);
		out[i].method = ag_it_strdup(m);
		out[i].path = ag_it_strdup(path);
		out[i].perm = json_is_string(perm) ?
		    ag_it_strdup(json_string_value(perm)) : NULL;
		out[i].html = json_is_true(json_object_get(it, "html"));
	}
	*count = json_array_size(list);
	json_decref(list);
	return out;
}

/* ---- the database ---- */

static const char SQL_ROLE_OF[] =
	"SELECT r.code FROM users u JOIN roles r ON r.id = u.role_id"
	" WHERE lower(u.email) = lower($1) AND u.deleted_at IS NULL";

static const char SQL_ROLE_PERMS[] =
	"SELECT ',' || coalesce(string_agg(p.code, ',' ORDER BY p.code), '')"
	" || ',' FROM roles r JOIN role_permissions rp ON rp.role_id = r.id"
	" JOIN permissions p ON p.id = rp.permission_id WHERE r.code = $1";

static const char SQL_ALL_PERMS[] =
	"SELECT ',' || string_agg(code, ',') || ',' FROM permissions";

static int
holds(const char *perms, const char *perm)
{
	if (perm == NULL || strcmp(perm, "@signed-in") == 0)
		return 1;
	return strstr(perms, ag_it_printf(",%s,", perm)) != NULL;
}

/* ---- signing in ---- */

/*
 * The form token of a session: read from the first page without
 * captures the role may open that carries one (every admin page has the
 * sign-out form).
 */
static const char *
session_csrf(const role *ro, const route *routes, size_t n)
{
	const char *h[] = { ro->cookie, NULL };

	for (size_t i = 0; i < n; i++) {
		ag_it_resp *r;
		const char *tok;

		if (!routes[i].html || strcmp(routes[i].method, "GET") != 0 ||
		    routes[i].perm == NULL || strchr(routes[i].path, '{') != NULL ||
		    !holds(ro->perms, routes[i].perm))
			continue;
		r = ag_it_request("GET", routes[i].path, h, NULL, 0);
		if (r->status == 200 && (tok = input_value(r, "csrf_token")) != NULL)
			return tok;
	}
	return NULL;
}

/* Every demo role signed in both ways, with its permissions. */
static void
sign_in_all(role *roles, const route *routes, size_t n)
{
	const char *pw = password();

	for (size_t i = 0; i < NROLES; i++) {
		role *ro = &roles[i];
		const char *code;

		ro->email = demo_users[i].email;
		code = sql(SQL_ROLE_OF, ro->email, NULL);
		if (code == NULL || strcmp(code, demo_users[i].role) != 0)
			print_error("%s: role %s in the database, expected %s\n",
			    ro->email, code != NULL ? code : "(no user)",
			    demo_users[i].role);
		assert_non_null(code);
		assert_string_equal(code, demo_users[i].role);
		ro->code = code;
		ro->perms = sql(SQL_ROLE_PERMS, code, NULL);
		assert_non_null(ro->perms);
		ro->token = login_as(ro->email, pw);
		ro->cookie = portal_login(ro->email, pw);
		ro->csrf = session_csrf(ro, routes, n);
		if (ro->csrf == NULL)
			print_error("%s: no page with a form token\n", ro->email);
		assert_non_null(ro->csrf);
	}
}

/* ---- one call ---- */

/* Sends method path as the route's kind of client: ro NULL = anonymous. */
static ag_it_resp *
call(const route *rt, const char *path, const role *ro)
{
	const char *h[4] = { NULL, NULL, NULL, NULL };
	const char *body = NULL;
	size_t n = 0;

	if (rt->html) {
		if (ro != NULL)
			h[n++] = ro->cookie;
		if (!is_get(rt->method)) {
			h[n++] = "Content-Type: application/x-www-form-urlencoded";
			body = ag_it_printf("csrf_token=%s", ro != NULL ?
			    ag_it_urlencode(ro->csrf) : "");
		}
	} else {
		if (ro != NULL)
			h[n++] = bearer(ro->token);
		if (!is_get(rt->method)) {
			h[n++] = "Content-Type: application/json";
			body = "{}";
		}
	}
	return ag_it_request(rt->method, path, h, body,
	    body != NULL ? strlen(body) : 0);
}

/*
 * What the answer to an anonymous (ro NULL) or role call should be;
 * returns NULL when it agrees, else a description of the expectation.
 */
static const char *
judge(const route *rt, const role *ro, const char *perms, ag_it_resp *r)
{
	if (r->status == 0)
		return "an answer (the request failed)";
	if (ro == NULL) {
		if (rt->html && strcmp(rt->method, "GET") == 0) {
			const char *loc = ag_it_header(r, "Location");

			if (r->status != 303 || loc == NULL ||
			    strncmp(loc, "/admin/masuk", 12) != 0)
				return "303 to /admin/masuk";
			return NULL;
		}
		return r->status == 401 ? NULL : "401";
	}
	if (!holds(perms, rt->perm))
		return r->status == 403 ? NULL : "403";
	return r->status != 401 && r->status != 403 ? NULL :
	    "neither 401 nor 403";
}

typedef struct tally {
	size_t routes, pairs, allowed, denied, skipped, mismatches, failed5xx;
} tally;

static void
report(tally *t, const route *rt, const char *who, const char *path,
    const ag_it_resp *r, const char *want)
{
	t->mismatches++;
	print_error("MISMATCH role=%s %s %s (route %s, permission %s): got %ld, "
	    "expected %s\n", who, rt->method, path, rt->path,
	    rt->perm != NULL ? rt->perm : "public", r->status, want);
}

static int
never(const char *path)
{
	for (size_t i = 0; never_called[i] != NULL; i++)
		if (strcmp(path, never_called[i]) == 0)
			return 1;
	return 0;
}

/* ---- tests ---- */

/* The judgement itself can fail: wrong answers are recognised. */
static void
test_judge_detects_mismatches(void **state)
{
	route json_rt = { "GET", "/v1/x", "activity_log.read", 0 };
	route page_rt = { "GET", "/admin/x", "activity_log.read", 1 };
	route form_rt = { "POST", "/admin/x", "activity_log.read", 1 };
	route signed_rt = { "GET", "/v1/y", "@signed-in", 0 };
	role ro = { "x@example.com", "operational", ",ticket.read,", NULL,
	    NULL, NULL };
	ag_it_resp r;
	const char *path;

	(void)state;
	memset(&r, 0, sizeof(r));
	r.status = 200;
	assert_non_null(judge(&json_rt, NULL, NULL, &r));   /* anon allowed */
	assert_non_null(judge(&json_rt, &ro, ro.perms, &r)); /* no right, 200 */
	assert_null(judge(&signed_rt, &ro, ro.perms, &r));
	r.status = 403;
	assert_null(judge(&json_rt, &ro, ro.perms, &r));
	assert_non_null(judge(&json_rt, &ro, ",activity_log.read,", &r));
	assert_non_null(judge(&signed_rt, &ro, ro.perms, &r));
	r.status = 401;
	assert_null(judge(&json_rt, NULL, NULL, &r));
	assert_null(judge(&form_rt, NULL, NULL, &r));
	assert_non_null(judge(&page_rt, NULL, NULL, &r)); /* pages redirect */
	assert_non_null(judge(&json_rt, &ro, ",activity_log.read,", &r));
	r.status = 0;
	assert_non_null(judge(&json_rt, &ro, ",activity_log.read,", &r));
	/* Captures: UUIDs for ids, text for the rest. */
	path = fill_path("/v1/a/{id}/b/{gate_activity_id}/c/{number}");
	assert_int_equal(strlen(path), 6 + 36 + 3 + 36 + 15);
	assert_memory_equal(path, "/v1/a/", 6);
	assert_int_equal(path[6 + 14], '4');
	assert_int_equal(path[6 + 8], '-');
	assert_memory_equal(path + 42, "/b/", 3);
	assert_int_equal(path[45 + 14], '4');
	assert_string_equal(path + 81, "/c/" CAPTURE_TEXT);
}

static void
test_authorization_matrix(void **state)
{
	size_t n, i, k;
	route *routes = load_routes(&n);
	role roles[NROLES];
	const char *all_perms;
	tally t;
	int saw_tickets = 0, saw_portal = 0;

	(void)state;
	memset(&t, 0, sizeof(t));
	memset(roles, 0, sizeof(roles));
	all_perms = sql(SQL_ALL_PERMS, NULL, NULL);
	assert_non_null(all_perms);
	sign_in_all(roles, routes, n);

	for (i = 0; i < n; i++) {
		const route *rt = &routes[i];
		const char *path;
		ag_it_resp *r;
		const char *want;

		if (strcmp(rt->path, "/v1/tickets") == 0 &&
		    rt->perm != NULL && strcmp(rt->perm, "ticket.read") == 0)
			saw_tickets = 1;
		if (strcmp(rt->path, "/admin/tiket-tamu") == 0 && rt->html)
			saw_portal = 1;
		if (rt->perm == NULL)
			continue;
		if (never(rt->path)) {
			t.skipped += NROLES + 1;
			continue;
		}
		/* A permission no role can ever be given is a typo. */
		if (strcmp(rt->perm, "@signed-in") != 0 && strstr(all_perms,
		    ag_it_printf(",%s,", rt->perm)) == NULL) {
			t.mismatches++;
			print_error("MISMATCH %s %s declares permission %s, which is "
			    "not in the permissions table\n", rt->method, rt->path,
			    rt->perm);
		}
		t.routes++;
		path = fill_path(rt->path);
		r = call(rt, path, NULL);
		t.pairs++;
		t.denied++;
		if ((want = judge(rt, NULL, NULL, r)) != NULL)
			report(&t, rt, "anonymous", path, r, want);
		for (k = 0; k < NROLES; k++) {
			const role *ro = &roles[k];
			int allowed = holds(ro->perms, rt->perm);

			if (allowed && !is_get(rt->method)) {
				t.skipped++; /* would change or delete demo data */
				continue;
			}
			r = call(rt, fill_path(rt->path), ro);
			t.pairs++;
			if (allowed)
				t.allowed++;
			else
				t.denied++;
			if ((want = judge(rt, ro, ro->perms, r)) != NULL)
				report(&t, rt, ro->code, path, r, want);
			if (allowed && r->status >= 500) {
				t.failed5xx++;
				print_message("note: %s %s as %s answered %ld\n",
				    rt->method, path, ro->code, r->status);
			}
		}
	}
	print_message("authorization matrix: %zu routes, %zu (route, role) pairs "
	    "checked (%zu allow, %zu deny), %zu skipped, %zu mismatches, "
	    "%zu server errors on the allow side\n", t.routes, t.pairs,
	    t.allowed, t.denied, t.skipped, t.mismatches, t.failed5xx);
	fflush(stdout);
	/* The tables were really read: the foundation's routes are there. */
	assert_true(saw_tickets);
	assert_true(saw_portal);
	assert_true(t.allowed > 0);
	assert_true(t.denied > 0);
	assert_int_equal(t.mismatches, 0);
}

/* Page forms with a valid session but a missing or wrong token: 403. */
static void
test_csrf_refused(void **state)
{
	const char *pw = password();
	const char *cookie = portal_login("superadmin@example.com", pw);
	const char *other = portal_login("admin@example.com", pw);
	const char *path = ag_it_printf("/admin/tiket-tamu/%s/setujui",
	    random_uuid());
	const char *h_get[] = { cookie, NULL }, *h_other[] = { other, NULL };
	const char *h[] = { "Content-Type: application/x-www-form-urlencoded",
	    cookie, NULL };
	const char *mine, *theirs, *body;
	ag_it_resp *r;

	(void)state;
	r = ag_it_request("GET", "/admin/tiket-tamu", h_get, NULL, 0);
	check_status(r, 200);
	mine = input_value(r, "csrf_token");
	assert_non_null(mine);
	r = ag_it_request("GET", "/admin/tiket-tamu", h_other, NULL, 0);
	check_status(r, 200);
	theirs = input_value(r, "csrf_token");
	assert_non_null(theirs);
	assert_string_not_equal(mine, theirs);

	/* No token at all. */
	r = ag_it_request("POST", path, h, "x=1", 3);
	check_status(r, 403);
	/* An empty token. */
	r = ag_it_request("POST", path, h, "csrf_token=", 11);
	check_status(r, 403);
	/* A made-up token. */
	body = ag_it_printf("csrf_token=%s", ag_it_urlencode(
	    "made-up-token-0123456789abcdef"));
	r = ag_it_request("POST", path, h, body, strlen(body));
	check_status(r, 403);
	/* Another session's token. */
	body = ag_it_printf("csrf_token=%s", ag_it_urlencode(theirs));
	r = ag_it_request("POST", path, h, body, strlen(body));
	check_status(r, 403);
	/* Its own token, altered in the last character. */
	body = ag_it_printf("csrf_token=%s", ag_it_urlencode(ag_it_printf(
	    "%.*s%c", (int)strlen(mine) - 1, mine,
	    mine[strlen(mine) - 1] == 'A' ? 'B' : 'A')));
	r = ag_it_request("POST", path, h, body, strlen(body));
	check_status(r, 403);
	/* Control: the right token passes the check (the ticket is unknown). */
	body = ag_it_printf("csrf_token=%s", ag_it_urlencode(mine));
	r = ag_it_request("POST", path, h, body, strlen(body));
	check_status(r, 404);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_judge_detects_mismatches),
		T(test_authorization_matrix),
		T(test_csrf_refused),
	};

	return AG_IT_RUN("authz", tests, "skipping the authorization matrix");
}
