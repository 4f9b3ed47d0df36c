/*
 * test_db.c - libpq wrapper against a real PostgreSQL named by
 * AG_TEST_DSN; every test is skipped when it is not set.
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

#include "db.h"
#include "log.h"

struct fixture {
	ag_db *db;
	ag_arena *a;
	FILE *log;
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (f == NULL)
		return -1;
	f->a = ag_arena_new();
	f->log = tmpfile();
	ag_log_set_stream(f->log);
	if (getenv("AG_TEST_DSN") != NULL)
		f->db = ag_db_open(getenv("AG_TEST_DSN"));
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	ag_arena_free(f->a);
	ag_db_close(f->db);
	ag_log_set_stream(NULL);
	fclose(f->log);
	free(f);
	return 0;
}

/* The fixture's handle, or skip the test when no database is configured. */
static struct fixture *
need_db(void **state)
{
	struct fixture *f = *state;

	if (f->db == NULL)
		skip();
	return f;
}

/* Everything logged so far in this test. */
static char *
logged(struct fixture *f)
{
	long n = lseek(fileno(f->log), 0, SEEK_END);
	char *s = malloc((size_t)n + 1);

	assert_non_null(s);
	assert_int_equal(pread(fileno(f->log), s, (size_t)n, 0), n);
	s[n] = '\0';
	return s;
}

static const char *
backend_pid(ag_db *db, ag_arena *a)
{
	PGresult *r = ag_db_exec(db, a, "SELECT pg_backend_pid()::text AS pid", 0, NULL);

	assert_non_null(r);
	return ag_db_get(r, 0, "pid");
}

static void
test_exec_params(void **state)
{
	struct fixture *f = need_db(state);
	PGresult *r;

	r = AG_DB_EXEC(f->db, f->a, "SELECT $1::int + $2::int AS sum, $3::text AS nothing, "
	    "$4::text AS quote, 1 AS \"userId\"", "2", "40", NULL, "it's; DROP TABLE x");
	if (r == NULL)
		fail_msg("exec: %s", ag_db_error(f->db));
	assert_int_equal(ag_db_rows(r), 1);
	assert_string_equal(ag_db_get(r, 0, "sum"), "42");
	assert_null(ag_db_get(r, 0, "nothing"));
	assert_string_equal(ag_db_get(r, 0, "quote"), "it's; DROP TABLE x");
	/* exact column names, no case folding */
	assert_string_equal(ag_db_get(r, 0, "userId"), "1");
	assert_null(ag_db_get(r, 0, "userid"));
	assert_null(ag_db_get(r, 0, "missing"));
	assert_null(ag_db_get(r, 1, "sum"));
	assert_null(ag_db_get(r, -1, "sum"));
	assert_null(ag_db_get(NULL, 0, "sum"));
	assert_int_equal(ag_db_rows(NULL), 0);
	assert_string_equal(ag_db_sqlstate(f->db), "");

	r = ag_db_exec(f->db, f->a, "SELECT g FROM generate_series(1, 3) g", 0, NULL);
	assert_int_equal(ag_db_rows(r), 3);
	assert_string_equal(ag_db_get(r, 2, "g"), "3");
	assert_int_equal(ag_db_ping(f->db), 0);
	/* results are released by the arena */
	ag_arena_reset(f->a);
}

static void
test_session_settings(void **state)
{
	struct fixture *f = need_db(state);
	PGresult *r;

	r = ag_db_exec(f->db, f->a, "SELECT current_setting('TimeZone') AS tz, "
	    "current_setting('application_name') AS app", 0, NULL);
	assert_non_null(r);
	assert_string_equal(ag_db_get(r, 0, "tz"), "UTC");
	assert_string_equal(ag_db_get(r, 0, "app"), "autogate");
}

static void
test_errors(void **state)
{
	struct fixture *f = need_db(state);

	assert_non_null(ag_db_exec(f->db, f->a,
	    "CREATE TEMP TABLE t_uniq (email text UNIQUE)", 0, NULL));
	assert_non_null(AG_DB_EXEC(f->db, f->a, "INSERT INTO t_uniq VALUES ($1)", "a@x.id"));
	assert_null(AG_DB_EXEC(f->db, f->a, "INSERT INTO t_uniq VALUES ($1)", "a@x.id"));
	assert_string_equal(ag_db_sqlstate(f->db), "23505");
	assert_non_null(strstr(ag_db_error(f->db), "duplicate key"));
	assert_null(strchr(ag_db_error(f->db), '\n'));

	assert_null(ag_db_exec(f->db, f->a, "SELEC 1", 0, NULL));
	assert_string_equal(ag_db_sqlstate(f->db), "42601");
	assert_null(AG_DB_EXEC(f->db, f->a, "SELECT $1::int", "abc"));
	assert_string_equal(ag_db_sqlstate(f->db), "22P02");
	/* a later success clears the error */
	assert_non_null(ag_db_exec(f->db, f->a, "SELECT 1", 0, NULL));
	assert_string_equal(ag_db_sqlstate(f->db), "");
	assert_string_equal(ag_db_error(f->db), "");
}

static const char *
count_rows(struct fixture *f)
{
	PGresult *r = ag_db_exec(f->db, f->a, "SELECT count(*) AS n FROM t_tx", 0, NULL);

	assert_non_null(r);
	return ag_db_get(r, 0, "n");
}

static void
test_transactions(void **state)
{
	struct fixture *f = need_db(state);

	assert_non_null(ag_db_exec(f->db, f->a, "CREATE TEMP TABLE t_tx (v text UNIQUE)", 0,
	    NULL));
	assert_int_equal(ag_db_in_tx(f->db), 0);

	assert_int_equal(ag_db_begin(f->db), 0);
	assert_int_equal(ag_db_in_tx(f->db), 1);
	assert_non_null(AG_DB_EXEC(f->db, f->a, "INSERT INTO t_tx VALUES ($1)", "rolled back"));
	ag_db_rollback(f->db);
	assert_int_equal(ag_db_in_tx(f->db), 0);
	assert_string_equal(count_rows(f), "0");

	assert_int_equal(ag_db_begin(f->db), 0);
	assert_int_equal(ag_db_begin(f->db), -1); /* no nesting */
	assert_string_equal(ag_db_sqlstate(f->db), "25001");
	assert_non_null(AG_DB_EXEC(f->db, f->a, "INSERT INTO t_tx VALUES ($1)", "kept"));
	assert_int_equal(ag_db_commit(f->db), 0);
	assert_int_equal(ag_db_in_tx(f->db), 0);
	assert_string_equal(count_rows(f), "1");

	/* a failed statement aborts the transaction; COMMIT reports it */
	assert_int_equal(ag_db_begin(f->db), 0);
	assert_non_null(AG_DB_EXEC(f->db, f->a, "INSERT INTO t_tx VALUES ($1)", "lost"));
	assert_null(AG_DB_EXEC(f->db, f->a, "INSERT INTO t_tx VALUES ($1)", "kept"));
	assert_string_equal(ag_db_sqlstate(f->db), "23505");
	assert_int_equal(ag_db_commit(f->db), -1);
	assert_int_equal(ag_db_in_tx(f->db), 0);
	assert_string_equal(count_rows(f), "1");

	/* rollback keeps the error that made us give up */
	assert_int_equal(ag_db_begin(f->db), 0);
	assert_null(AG_DB_EXEC(f->db, f->a, "INSERT INTO t_tx VALUES ($1)", "kept"));
	ag_db_rollback(f->db);
	assert_string_equal(ag_db_sqlstate(f->db), "23505");

	assert_int_equal(ag_db_commit(f->db), -1); /* nothing open */
	ag_db_rollback(f->db);                     /* harmless */
	assert_int_equal(ag_db_in_tx(f->db), 0);
}

/* Terminates db's backend from a second connection and waits until it is gone. */
static void
kill_backend(struct fixture *f, const char *pid)
{
	ag_db *killer = ag_db_open(getenv("AG_TEST_DSN"));
	PGresult *r;

	r = AG_DB_EXEC(killer, f->a, "SELECT pg_terminate_backend($1::int, 10000) AS ok", pid);
	if (r == NULL)
		fail_msg("terminate: %s", ag_db_error(killer));
	assert_string_equal(ag_db_get(r, 0, "ok"), "t");
	ag_db_close(killer);
}

static void
test_reconnect(void **state)
{
	struct fixture *f = need_db(state);
	const char *pid = backend_pid(f->db, f->a);
	const char *pid2;
	PGresult *r;
	char *log;

	kill_backend(f, pid);
	/* the next statement reconnects transparently */
	r = AG_DB_EXEC(f->db, f->a, "SELECT $1::text AS v, current_setting('TimeZone') AS tz",
	    "again");
	if (r == NULL)
		fail_msg("exec after kill: %s", ag_db_error(f->db));
	assert_string_equal(ag_db_get(r, 0, "v"), "again");
	assert_string_equal(ag_db_get(r, 0, "tz"), "UTC");
	pid2 = backend_pid(f->db, f->a);
	assert_string_not_equal(pid, pid2);
	log = logged(f);
	assert_non_null(strstr(log, "reconnecting"));
	free(log);

	/* killed by itself: the statement fails, the next one works */
	assert_null(ag_db_exec(f->db, f->a, "SELECT pg_terminate_backend(pg_backend_pid())", 0,
	    NULL));
	assert_int_equal(ag_db_ping(f->db), 0);
}

static const char SQL_PREPARED[] = "SELECT $1::int + 1 AS v";

/* Prepared once per connection; a new connection prepares again. */
static void
test_prepared(void **state)
{
	struct fixture *f = need_db(state);
	PGresult *r;

	for (int i = 0; i < 3; i++) {
		r = AG_DB_PREP(f->db, f->a, SQL_PREPARED, "41");
		if (r == NULL)
			fail_msg("prepared exec: %s", ag_db_error(f->db));
		assert_string_equal(ag_db_get(r, 0, "v"), "42");
	}
	r = ag_db_exec(f->db, f->a,
	    "SELECT count(*) AS n FROM pg_prepared_statements", 0, NULL);
	assert_string_equal(ag_db_get(r, 0, "n"), "1");
	kill_backend(f, backend_pid(f->db, f->a));
	r = AG_DB_PREP(f->db, f->a, SQL_PREPARED, "1");
	if (r == NULL)
		fail_msg("prepared exec after reconnect: %s", ag_db_error(f->db));
	assert_string_equal(ag_db_get(r, 0, "v"), "2");
	/* a bad parameter is an error, not a crash, and the next call works */
	assert_null(AG_DB_PREP(f->db, f->a, SQL_PREPARED, "x"));
	assert_string_equal(ag_db_sqlstate(f->db), "22P02");
	assert_non_null(AG_DB_PREP(f->db, f->a, SQL_PREPARED, "5"));
}

static void
test_broken_inside_transaction(void **state)
{
	struct fixture *f = need_db(state);
	const char *pid = backend_pid(f->db, f->a);

	assert_int_equal(ag_db_begin(f->db), 0);
	kill_backend(f, pid);
	/* no silent retry: the transaction is gone */
	assert_null(ag_db_exec(f->db, f->a, "SELECT 1", 0, NULL));
	assert_int_equal(ag_db_in_tx(f->db), 0);
	assert_true(ag_db_sqlstate(f->db)[0] != '\0');
	assert_int_equal(ag_db_commit(f->db), -1);
	/* outside the transaction the handle recovers */
	assert_non_null(ag_db_exec(f->db, f->a, "SELECT 1", 0, NULL));
	assert_string_not_equal(backend_pid(f->db, f->a), pid);
}

static void
test_unreachable(void **state)
{
	struct fixture *f = *state;
	ag_db *db = ag_db_open("host=/nonexistent-ag-dir dbname=x user=u password=sekrit123 "
	    "connect_timeout=2");
	char *log;

	/* no connection attempt until first use */
	assert_string_equal(ag_db_error(db), "");
	assert_int_equal(ag_db_ping(db), -1);
	assert_string_equal(ag_db_sqlstate(db), "08001");
	assert_true(ag_db_error(db)[0] != '\0');
	assert_null(ag_db_exec(db, f->a, "SELECT 1", 0, NULL));
	assert_int_equal(ag_db_begin(db), -1);
	assert_int_equal(ag_db_in_tx(db), 0);
	assert_null(ag_db_conn(db));
	log = logged(f);
	assert_non_null(strstr(log, "database connection failed"));
	assert_null(strstr(log, "sekrit123"));
	free(log);
	ag_db_close(db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_exec_params, setup, teardown),
		cmocka_unit_test_setup_teardown(test_session_settings, setup, teardown),
		cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_transactions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reconnect, setup, teardown),
		cmocka_unit_test_setup_teardown(test_prepared, setup, teardown),
		cmocka_unit_test_setup_teardown(test_broken_inside_transaction, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unreachable, setup, teardown),
	};

	return cmocka_run_group_tests_name("db", tests, NULL, NULL);
}
