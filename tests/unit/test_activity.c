/*
 * test_activity.c - the activity log service and store against a real
 * PostgreSQL named by AG_TEST_DSN (skipped when unset).  Each test works
 * in its own schema holding just the two tables the log reads, so the
 * rows and their times are exactly the test's.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "activity.h"
#include "db.h"

#define U1 "11111111-1111-4111-8111-111111111111"
#define U2 "22222222-2222-4222-8222-222222222222"
#define UNKNOWN "00000000-0000-4000-8000-000000000000"

struct fixture {
	ag_app app;
	ag_arena *a;
	char schema[64];
};

static const char SCHEMA_SQL[] =
	"CREATE TABLE users (id uuid PRIMARY KEY, email text NOT NULL,"
	" name text NOT NULL);"
	"CREATE TABLE activity_logs (id uuid PRIMARY KEY DEFAULT gen_random_uuid(),"
	" user_id uuid REFERENCES users(id) ON DELETE SET NULL, role text,"
	" module text NOT NULL, action text NOT NULL, record_id text, ip text,"
	" request_id text, before jsonb, after jsonb,"
	" created_at timestamptz NOT NULL DEFAULT now());"
	"CREATE INDEX activity_logs_record_idx ON activity_logs (module, record_id);"
	"INSERT INTO users VALUES ('" U1 "', 'Budi@Example.com', 'Budi Santoso'),"
	" ('" U2 "', 'sari@example.com', 'Sari 100% Teliti');";

static int
setup(void **state)
{
	static int seq;
	struct fixture *f = calloc(1, sizeof(*f));
	const char *dsn = getenv("AG_TEST_DSN");
	PGresult *r;

	if (f == NULL)
		return -1;
	f->a = ag_arena_new();
	f->app.timezone = "Asia/Jakarta";
	*state = f;
	if (dsn == NULL)
		return 0;
	f->app.db = ag_db_open(dsn);
	/* the name is ours (pid and counter), not input */
	snprintf(f->schema, sizeof(f->schema), "ag_act_test_%ld_%d",
	    (long)getpid(), ++seq);
	if (ag_db_exec(f->app.db, f->a, ag_sprintf(f->a, "CREATE SCHEMA %s",
	    f->schema), 0, NULL) == NULL ||
	    AG_DB_EXEC(f->app.db, f->a,
	    "SELECT set_config('search_path', $1, false)", f->schema) == NULL) {
		fprintf(stderr, "setup: %s\n", ag_db_error(f->app.db));
		return -1;
	}
	r = PQexec(ag_db_conn(f->app.db), SCHEMA_SQL);
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		fprintf(stderr, "setup: %s\n", PQresultErrorMessage(r));
		PQclear(r);
		return -1;
	}
	PQclear(r);
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	if (f->app.db != NULL) {
		ag_db_rollback(f->app.db);
		ag_db_exec(f->app.db, f->a, ag_sprintf(f->a,
		    "DROP SCHEMA %s CASCADE", f->schema), 0, NULL);
		ag_db_close(f->app.db);
	}
	ag_arena_free(f->a);
	free(f);
	return 0;
}

static struct fixture *
need_db(void **state)
{
	struct fixture *f = *state;

	if (f->app.db == NULL)
		skip();
	return f;
}

/* A log line at a given instant (ISO, UTC). */
static void
put(struct fixture *f, const char *user, const char *module,
    const char *action, const char *record, const char *at)
{
	assert_non_null(AG_DB_EXEC(f->app.db, f->a,
	    "INSERT INTO activity_logs (user_id, role, module, action,"
	    " record_id, created_at) VALUES ($1, 'admin', $2, $3, $4,"
	    " $5::timestamptz)", user, module, action, record, at));
}

static void
empty_filter(ag_activity_filter *q)
{
	memset(q, 0, sizeof(*q));
	q->page = 1;
	q->limit = 10;
}

/* How many lines the filter finds (checks the count and the page agree). */
static long
count(struct fixture *f, const ag_activity_filter *q)
{
	ag_error e;
	ag_page p;
	json_t *items;

	ag_error_init(&e, f->a);
	assert_int_equal(ag_activity_list(&f->app, f->a, q, &items, &p, &e), 0);
	assert_true(json_is_array(items));
	if (p.total <= p.limit)
		assert_int_equal(json_array_size(items), (size_t)p.total);
	json_decref(items);
	return p.total;
}

static void
test_write_and_get(void **state)
{
	struct fixture *f = need_db(state);
	ag_actor who = { U1, "super_admin", "super_admin", NULL, "10.0.0.9",
	    "req-1" };
	ag_actor guest = { NULL, "guest", NULL, NULL, "10.0.0.8", "req-2" };
	json_t *before = json_pack("{s:s}", "status", "pending");
	json_t *after = json_pack("{s:s, s:i}", "status", "approve", "n", 1);
	ag_activity_filter q;
	ag_error e;
	ag_page p;
	json_t *items, *log;
	const char *id;

	assert_int_equal(ag_activity_write(f->app.db, f->a, &who, "ticket",
	    "approve", "rec-1", before, after), 0);
	assert_int_equal(ag_activity_write(f->app.db, f->a, &guest, "ticket",
	    "create", "rec-2", NULL, after), 0);
	json_decref(before);
	json_decref(after);

	empty_filter(&q);
	q.record_id = "rec-1";
	ag_error_init(&e, f->a);
	assert_int_equal(ag_activity_list(&f->app, f->a, &q, &items, &p, &e), 0);
	assert_int_equal(p.total, 1);
	assert_int_equal(json_array_size(items), 1);
	id = ag_strdup(f->a, json_string_value(json_object_get(
	    json_array_get(items, 0), "id")));
	assert_string_equal(json_string_value(json_object_get(json_object_get(
	    json_array_get(items, 0), "user"), "name")), "Budi Santoso");
	assert_null(json_object_get(json_array_get(items, 0), "before"));
	json_decref(items);

	assert_int_equal(ag_activity_get(&f->app, f->a, id, &log, &e), 0);
	assert_string_equal(json_string_value(json_object_get(
	    json_object_get(log, "before"), "status")), "pending");
	assert_string_equal(json_string_value(json_object_get(
	    json_object_get(log, "after"), "status")), "approve");
	assert_int_equal(json_integer_value(json_object_get(
	    json_object_get(log, "after"), "n")), 1);
	assert_string_equal(json_string_value(json_object_get(json_object_get(
	    log, "user"), "email")), "Budi@Example.com");
	assert_string_equal(json_string_value(json_object_get(log, "role")),
	    "super_admin");
	assert_string_equal(json_string_value(json_object_get(log, "ip")),
	    "10.0.0.9");
	assert_string_equal(json_string_value(json_object_get(log,
	    "request_id")), "req-1");
	assert_int_equal(strlen(json_string_value(json_object_get(log,
	    "created_at"))), strlen("2026-01-01T00:00:00.000Z"));
	json_decref(log);

	/* A guest's line: no user, no before. */
	q.record_id = "rec-2";
	assert_int_equal(ag_activity_list(&f->app, f->a, &q, &items, &p, &e), 0);
	assert_int_equal(p.total, 1);
	assert_true(json_is_null(json_object_get(json_array_get(items, 0),
	    "user")));
	id = ag_strdup(f->a, json_string_value(json_object_get(
	    json_array_get(items, 0), "id")));
	json_decref(items);
	assert_int_equal(ag_activity_get(&f->app, f->a, id, &log, &e), 0);
	assert_true(json_is_null(json_object_get(log, "before")));
	assert_true(json_is_object(json_object_get(log, "after")));
	json_decref(log);

	/* Unknown. */
	assert_int_equal(ag_activity_get(&f->app, f->a, UNKNOWN, &log, &e), -1);
	assert_null(log);
	assert_int_equal(e.status, 404);
	assert_string_equal(e.code, "ACTIVITY_LOG_NOT_FOUND");
}

/* Days are the estate's (UTC+7): 16:59:59 UTC is still the same day. */
static void
test_days_in_estate_zone(void **state)
{
	struct fixture *f = need_db(state);
	ag_activity_filter q;

	put(f, U1, "ticket", "approve", "a", "2026-03-01T16:59:59.999Z");
	put(f, U1, "ticket", "reject", "b", "2026-03-01T17:00:00.000Z");
	put(f, U1, "ticket", "create", "c", "2026-02-28T17:00:00.000Z");
	empty_filter(&q);
	q.date_from = q.date_to = "2026-03-01";
	assert_int_equal(count(f, &q), 2);       /* c and a */
	q.date_from = q.date_to = "2026-03-02";
	assert_int_equal(count(f, &q), 1);       /* b */
	q.date_from = "2026-03-02";
	q.date_to = NULL;
	assert_int_equal(count(f, &q), 1);
	q.date_from = NULL;
	q.date_to = "2026-02-28";
	assert_int_equal(count(f, &q), 0);
	q.date_to = "2026-03-01";
	assert_int_equal(count(f, &q), 2);
	/* A different zone moves the boundary. */
	f->app.timezone = "UTC";
	q.date_from = q.date_to = "2026-03-01";
	assert_int_equal(count(f, &q), 2);       /* a and b */
}

static void
test_filters(void **state)
{
	struct fixture *f = need_db(state);
	ag_activity_filter q;

	put(f, U1, "ticket", "approve", "t-1", "2026-03-01T01:00:00Z");
	put(f, U2, "ticket", "reject", "t-2", "2026-03-01T02:00:00Z");
	put(f, U2, "user", "create", "u-1", "2026-03-01T03:00:00Z");
	put(f, NULL, "ticket", "create", "t-1", "2026-03-01T04:00:00Z");
	empty_filter(&q);
	assert_int_equal(count(f, &q), 4);
	q.module = "ticket";
	assert_int_equal(count(f, &q), 3);
	q.action = "create";
	assert_int_equal(count(f, &q), 1);
	empty_filter(&q);
	q.record_id = "t-1";
	assert_int_equal(count(f, &q), 2);
	q.record_id = "t-";     /* exact, not a prefix */
	assert_int_equal(count(f, &q), 0);
	empty_filter(&q);
	q.user_id = U2;
	assert_int_equal(count(f, &q), 2);
	q.user_id = UNKNOWN;
	assert_int_equal(count(f, &q), 0);
	/* Search: user name or email (any case), record id, module, action. */
	empty_filter(&q);
	q.search = "budi@example";
	assert_int_equal(count(f, &q), 1);
	q.search = "sari";
	assert_int_equal(count(f, &q), 2);
	q.search = "u-1";
	assert_int_equal(count(f, &q), 1);
	q.search = "reject";
	assert_int_equal(count(f, &q), 1);
	/* Wildcards are literal. */
	q.search = "100%";
	assert_int_equal(count(f, &q), 2);
	q.search = "%";
	assert_int_equal(count(f, &q), 2);
	q.search = "_";
	assert_int_equal(count(f, &q), 0);
}

static void
test_paging_and_order(void **state)
{
	struct fixture *f = need_db(state);
	ag_activity_filter q;
	ag_error e;
	ag_page p;
	json_t *items;

	put(f, U1, "b", "x", "1", "2026-03-01T01:00:00Z");
	put(f, U1, "c", "x", "2", "2026-03-01T02:00:00Z");
	put(f, U1, "a", "x", "3", "2026-03-01T03:00:00Z");
	ag_error_init(&e, f->a);
	empty_filter(&q);
	assert_int_equal(ag_activity_list(&f->app, f->a, &q, &items, &p, &e), 0);
	assert_string_equal(json_string_value(json_object_get(json_array_get(
	    items, 0), "record_id")), "3");   /* newest first */
	json_decref(items);
	q.order = "asc";
	assert_int_equal(ag_activity_list(&f->app, f->a, &q, &items, &p, &e), 0);
	assert_string_equal(json_string_value(json_object_get(json_array_get(
	    items, 0), "record_id")), "1");
	json_decref(items);
	q.sort = "module";
	assert_int_equal(ag_activity_list(&f->app, f->a, &q, &items, &p, &e), 0);
	assert_string_equal(json_string_value(json_object_get(json_array_get(
	    items, 0), "module")), "a");
	json_decref(items);
	empty_filter(&q);
	q.limit = 2;
	q.page = 2;
	assert_int_equal(ag_activity_list(&f->app, f->a, &q, &items, &p, &e), 0);
	assert_int_equal(p.total, 3);
	assert_int_equal(p.page, 2);
	assert_int_equal(json_array_size(items), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(
	    items, 0), "record_id")), "1");
	json_decref(items);
	/* Out-of-range limits fall back to the default. */
	q.limit = 1000;
	q.page = 0;
	assert_int_equal(ag_activity_list(&f->app, f->a, &q, &items, &p, &e), 0);
	assert_int_equal(p.limit, 10);
	assert_int_equal(p.page, 1);
	json_decref(items);
}

static void
test_bad_range(void **state)
{
	struct fixture *f = need_db(state);
	ag_activity_filter q;
	ag_error e;
	ag_page p;
	json_t *items;

	empty_filter(&q);
	q.date_from = "2026-03-02";
	q.date_to = "2026-03-01";
	ag_error_init(&e, f->a);
	assert_int_equal(ag_activity_list(&f->app, f->a, &q, &items, &p, &e),
	    -1);
	assert_null(items);
	assert_int_equal(e.status, 422);
	assert_true(ag_error_has_field(&e, "date_to"));
}

static void
test_modules(void **state)
{
	struct fixture *f = need_db(state);
	ag_error e;
	json_t *m;

	ag_error_init(&e, f->a);
	m = ag_activity_modules(&f->app, f->a, &e);
	assert_non_null(m);
	assert_int_equal(json_array_size(m), 0);
	json_decref(m);
	put(f, U1, "user", "x", "1", "2026-03-01T01:00:00Z");
	put(f, U1, "ticket", "x", "2", "2026-03-01T01:00:00Z");
	put(f, U1, "user", "y", "3", "2026-03-01T01:00:00Z");
	put(f, U1, "role", "x", "4", "2026-03-01T01:00:00Z");
	m = ag_activity_modules(&f->app, f->a, &e);
	assert_non_null(m);
	assert_int_equal(json_array_size(m), 3);
	assert_string_equal(json_string_value(json_array_get(m, 0)), "role");
	assert_string_equal(json_string_value(json_array_get(m, 1)), "ticket");
	assert_string_equal(json_string_value(json_array_get(m, 2)), "user");
	json_decref(m);
}

/* Without the table every call reports a server error, never a crash. */
static void
test_database_errors(void **state)
{
	struct fixture *f = need_db(state);
	ag_actor who = { U1, "admin", "admin", NULL, NULL, NULL };
	ag_activity_filter q;
	ag_error e;
	ag_page p;
	json_t *items, *log;

	assert_non_null(ag_db_exec(f->app.db, f->a, "DROP TABLE activity_logs",
	    0, NULL));
	empty_filter(&q);
	ag_error_init(&e, f->a);
	assert_int_equal(ag_activity_list(&f->app, f->a, &q, &items, &p, &e),
	    -1);
	assert_int_equal(e.status, 500);
	ag_error_init(&e, f->a);
	assert_int_equal(ag_activity_get(&f->app, f->a, UNKNOWN, &log, &e), -1);
	assert_int_equal(e.status, 500);
	ag_error_init(&e, f->a);
	assert_null(ag_activity_modules(&f->app, f->a, &e));
	assert_int_equal(e.status, 500);
	assert_int_equal(ag_activity_write(f->app.db, f->a, &who, "ticket",
	    "approve", "1", NULL, NULL), -1);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_write_and_get),
		T(test_days_in_estate_zone),
		T(test_filters),
		T(test_paging_and_order),
		T(test_bad_range),
		T(test_modules),
		T(test_database_errors),
	};

	return cmocka_run_group_tests_name("activity", tests, NULL, NULL);
}
