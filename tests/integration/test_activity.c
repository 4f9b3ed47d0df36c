/*
 * test_activity.c - integration tests of the activity log: a guest
 * ticket approved by a super admin shows up in GET /v1/activity-logs
 * with its before/after, every filter narrows the list, the detail and
 * the admin pages render, and the permission is enforced.
 *
 * Environment: AG_BASE_URL (unset = every test skipped), AG_PASSWORD
 * (password of the demo users). Each test makes its own ticket, so the
 * tests do not depend on each other's order.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "itest.h"

#define SUPERADMIN "superadmin@example.com"

/* ---- helpers ---- */

static long
total_data(ag_it_resp *r)
{
	json_t *t = jget(r->json, "meta.total_data");

	assert_true(json_is_integer(t));
	return (long)json_integer_value(t);
}

/* A pending guest ticket registered through the public API; its id. */
static const char *
create_guest(void)
{
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}",
	    "name", ag_it_printf("Log %s", unique_word()),
	    "identity_number", "3578012345670001", "phone", "081234567890",
	    "destination_id", DEST_OFFICE, "request_at", jakarta_date(1),
	    "purpose", "Rapat log aktivitas");
	ag_it_resp *r = ag_it_json("POST", "/v1/tickets/guest", NULL,
	    json_text(o));

	check_status(r, 201);
	assert_non_null(jstr(r->json, "data.id"));
	return jstr(r->json, "data.id");
}

typedef struct approved {
	const char *ticket_id;
	const char *token;      /* the approver's bearer token */
	const char *user_id;    /* the approver */
} approved;

/* A guest ticket created by the public and approved by the super admin. */
static approved
approve_one(void)
{
	json_t *me = login_data(SUPERADMIN, password());
	approved a;
	ag_it_resp *r;

	a.token = jstr(me, "access_token");
	a.user_id = jstr(me, "user.id");
	assert_non_null(a.user_id);
	a.ticket_id = create_guest();
	r = ag_it_json("PUT", ag_it_printf("/v1/tickets/guest/%s/approve",
	    a.ticket_id), a.token, NULL);
	check_status(r, 200);
	return a;
}

static ag_it_resp *
logs(const char *token, const char *query)
{
	return ag_it_json("GET", ag_it_printf("/v1/activity-logs?%s", query),
	    token, NULL);
}

/* ---- tests ---- */

static void
test_approve_is_logged(void **state)
{
	approved a = approve_one();
	ag_it_resp *r;
	json_t *item;

	(void)state;
	r = logs(a.token, ag_it_printf("module=ticket&action=approve&record_id=%s",
	    a.ticket_id));
	check_status(r, 200);
	assert_int_equal(total_data(r), 1);
	assert_int_equal(json_array_size(jget(r->json, "data")), 1);
	assert_int_equal(json_integer_value(jget(r->json, "meta.page")), 1);
	assert_non_null(jstr(r->json, "message"));
	item = json_array_get(jget(r->json, "data"), 0);
	check_jstr(item, "module", "ticket");
	check_jstr(item, "action", "approve");
	check_jstr(item, "record_id", a.ticket_id);
	check_jstr(item, "user.id", a.user_id);
	check_jstr(item, "user.email", SUPERADMIN);
	assert_non_null(jstr(item, "user.name"));
	check_jstr(item, "role", "super_admin");
	assert_true(matches(jstr(item, "created_at"),
	    "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}Z$"));
	/* The list leaves the bulky before/after to the detail. */
	assert_null(json_object_get(item, "before"));

	r = ag_it_json("GET", ag_it_printf("/v1/activity-logs/%s",
	    jstr(item, "id")), a.token, NULL);
	check_status(r, 200);
	check_jstr(r->json, "data.id", jstr(item, "id"));
	check_jstr(r->json, "data.before.status", "pending");
	check_jstr(r->json, "data.after.status", "approve");
	assert_true(json_is_object(jget(r->json, "data.before")));
	check_jstr(r->json, "data.user.id", a.user_id);
	check_jstr(r->json, "data.module", "ticket");
	check_jstr(r->json, "data.action", "approve");
	assert_non_null(jstr(r->json, "data.ip"));
	assert_non_null(jstr(r->json, "data.request_id"));
	assert_non_null(jstr(r->json, "data.created_at"));
}

/* Signing in and out are logged under the user, with no secret in them. */
static void
test_sign_in_out_is_logged(void **state)
{
	json_t *me = login_data("operator@example.com", password());
	const char *token = jstr(me, "access_token");
	const char *uid = jstr(me, "user.id");
	const char *super = token_of(SUPERADMIN);
	ag_it_resp *r;
	json_t *item;

	(void)state;
	r = logs(super, ag_it_printf("module=auth&action=login&user_id=%s&limit=1",
	    uid));
	check_status(r, 200);
	assert_true(total_data(r) >= 1);
	item = json_array_get(jget(r->json, "data"), 0);
	check_jstr(item, "role", "operational");
	r = ag_it_json("GET", ag_it_printf("/v1/activity-logs/%s",
	    jstr(item, "id")), super, NULL);
	check_status(r, 200);
	check_jstr(r->json, "data.after.kind", "api");
	assert_null(strstr(r->body, token));

	r = ag_it_json("POST", "/v1/auth/logout", token, NULL);
	check_status(r, 200);
	r = logs(super, ag_it_printf("module=auth&action=logout&user_id=%s",
	    uid));
	check_status(r, 200);
	assert_true(total_data(r) >= 1);
}

static void
test_filters(void **state)
{
	approved a = approve_one();
	const char *rec = ag_it_printf("record_id=%s", a.ticket_id);
	ag_it_resp *r;
	json_t *first;

	(void)state;
	/* The public registration (no user) and the approval, newest first. */
	r = logs(a.token, rec);
	check_status(r, 200);
	assert_int_equal(total_data(r), 2);
	first = json_array_get(jget(r->json, "data"), 0);
	check_jstr(first, "action", "approve");
	check_jstr(json_array_get(jget(r->json, "data"), 1), "action", "create");
	assert_true(json_is_null(jget(json_array_get(jget(r->json, "data"), 1),
	    "user")));
	r = logs(a.token, ag_it_printf("%s&order=asc", rec));
	check_status(r, 200);
	check_jstr(json_array_get(jget(r->json, "data"), 0), "action", "create");
	/* Paging. */
	r = logs(a.token, ag_it_printf("%s&limit=1&page=2", rec));
	check_status(r, 200);
	assert_int_equal(total_data(r), 2);
	assert_int_equal(json_integer_value(jget(r->json, "meta.total_page")), 2);
	check_jstr(json_array_get(jget(r->json, "data"), 0), "action", "create");
	/* User, module, action. */
	r = logs(a.token, ag_it_printf("%s&user_id=%s", rec, a.user_id));
	check_status(r, 200);
	assert_int_equal(total_data(r), 1);
	r = logs(a.token, ag_it_printf("%s&user_id=%s", rec, UNKNOWN_UUID));
	check_status(r, 200);
	assert_int_equal(total_data(r), 0);
	r = logs(a.token, ag_it_printf("%s&module=user", rec));
	check_status(r, 200);
	assert_int_equal(total_data(r), 0);
	r = logs(a.token, ag_it_printf("%s&action=create", rec));
	check_status(r, 200);
	assert_int_equal(total_data(r), 1);
	/* Search by the acting user's email. */
	r = logs(a.token, ag_it_printf("%s&search=%s", rec,
	    ag_it_urlencode(SUPERADMIN)));
	check_status(r, 200);
	assert_int_equal(total_data(r), 1);
	/* Days in the estate's time zone: today has both, yesterday none. */
	r = logs(a.token, ag_it_printf("%s&date_from=%s&date_to=%s", rec,
	    jakarta_date(0), jakarta_date(0)));
	check_status(r, 200);
	assert_int_equal(total_data(r), 2);
	r = logs(a.token, ag_it_printf("%s&date_to=%s", rec, jakarta_date(-1)));
	check_status(r, 200);
	assert_int_equal(total_data(r), 0);
	r = logs(a.token, ag_it_printf("%s&date_from=%s", rec, jakarta_date(1)));
	check_status(r, 200);
	assert_int_equal(total_data(r), 0);
	/* Invalid filters. */
	r = logs(a.token, ag_it_printf("date_from=%s&date_to=%s",
	    jakarta_date(0), jakarta_date(-1)));
	check_status(r, 422);
	assert_true(has_field_error(r, "date_to"));
	r = logs(a.token, "date_from=2026-02-30");
	check_status(r, 422);
	assert_true(has_field_error(r, "date_from"));
	r = logs(a.token, "user_id=nobody");
	check_status(r, 422);
	assert_true(has_field_error(r, "user_id"));
	r = logs(a.token, "sort=ip");
	check_status(r, 422);
	assert_true(has_field_error(r, "sort"));
}

static void
test_access(void **state)
{
	const char *op = token_of("operator@example.com");
	const char *tenant = token_of("tenant-admin@example.com");
	const char *admin = token_of("admin@example.com");
	const char *super = token_of(SUPERADMIN);
	ag_it_resp *r;

	(void)state;
	r = ag_it_json("GET", "/v1/activity-logs", NULL, NULL);
	check_status(r, 401);
	r = ag_it_json("GET", "/v1/activity-logs/" UNKNOWN_UUID, NULL, NULL);
	check_status(r, 401);
	r = ag_it_json("GET", "/v1/activity-logs", op, NULL);
	check_status(r, 403);
	r = ag_it_json("GET", "/v1/activity-logs/" UNKNOWN_UUID, op, NULL);
	check_status(r, 403);
	r = ag_it_json("GET", "/v1/activity-logs", tenant, NULL);
	check_status(r, 403);
	r = ag_it_json("GET", "/v1/activity-logs", admin, NULL);
	check_status(r, 200);
	r = ag_it_json("GET", "/v1/activity-logs/" UNKNOWN_UUID, super, NULL);
	check_status(r, 404);
	check_jstr(r->json, "code", "ACTIVITY_LOG_NOT_FOUND");
	r = ag_it_json("GET", "/v1/activity-logs/not-a-uuid", super, NULL);
	check_status(r, 404);
	r = ag_it_json("DELETE", "/v1/activity-logs/" UNKNOWN_UUID, super, NULL);
	check_status(r, 405);
}

static void
test_pages(void **state)
{
	approved a = approve_one();
	const char *cookie = portal_login(SUPERADMIN, password()), *id;
	ag_it_resp *r;

	(void)state;
	r = logs(a.token, ag_it_printf("action=approve&record_id=%s",
	    a.ticket_id));
	check_status(r, 200);
	id = jstr(json_array_get(jget(r->json, "data"), 0), "id");
	assert_non_null(id);

	r = get_page(ag_it_printf("/admin/log-aktivitas?module=ticket&search=%s",
	    a.ticket_id), cookie);
	check_status(r, 200);
	check_contains(r, "Log Aktivitas");
	check_contains(r, a.ticket_id);
	check_contains(r, ag_it_printf("/admin/log-aktivitas/%s", id));
	check_contains(r, "<option value=\"ticket\" selected>");
	/* A bad filter is shown beside its input, not as an error page. */
	r = get_page("/admin/log-aktivitas?date_from=kemarin", cookie);
	check_status(r, 422);
	check_contains(r, "id=\"error-date_from\"");
	check_contains(r, "alert-error");
	r = get_page("/admin/log-aktivitas?page=abc", cookie);
	check_status(r, 422);
	check_contains(r, "alert-error");

	r = get_page(ag_it_printf("/admin/log-aktivitas/%s", id), cookie);
	check_status(r, 200);
	check_contains(r, "<pre class=\"json\" id=\"before\">");
	check_contains(r, "<pre class=\"json\" id=\"after\">");
	/* Pretty-printed and escaped. */
	check_contains(r, "&quot;status&quot;: &quot;pending&quot;");
	check_contains(r, "&quot;status&quot;: &quot;approve&quot;");
	check_contains(r, SUPERADMIN);

	r = get_page(ag_it_printf("/admin/log-aktivitas/%s", UNKNOWN_UUID), cookie);
	check_status(r, 404);
	r = get_page("/admin/log-aktivitas", NULL);
	check_status(r, 303);
	assert_true(matches(ag_it_header(r, "Location"), "^/admin/masuk"));
	r = get_page("/admin/log-aktivitas", portal_login("operator@example.com", password()));
	check_status(r, 403);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_approve_is_logged),
		T(test_sign_in_out_is_logged),
		T(test_filters),
		T(test_access),
		T(test_pages),
	};

	return AG_IT_RUN("activity", tests, "skipping the activity log tests");
}
