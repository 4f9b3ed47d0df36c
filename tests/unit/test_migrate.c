/*
 * test_migrate.c - migrations against a real PostgreSQL named by
 * AG_TEST_DSN (skipped when unset).  Each test works in its own schema
 * and its own temporary directory.
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
#include "migrate.h"
#include "sys.h"

struct fixture {
	ag_db *db;
	ag_arena *a;
	char dir[64];
	char schema[64];
	char *files[16];
	int nfiles;
};

static int
setup(void **state)
{
	static int seq;
	struct fixture *f = calloc(1, sizeof(*f));
	const char *dsn = getenv("AG_TEST_DSN");

	if (f == NULL)
		return -1;
	f->a = ag_arena_new();
	snprintf(f->dir, sizeof(f->dir), "%s/ag_mig_XXXXXX", ag_tmpdir());
	if (mkdtemp(f->dir) == NULL)
		return -1;
	*state = f;
	if (dsn == NULL)
		return 0;
	f->db = ag_db_open(dsn);
	/* the name is ours (pid and counter), not input */
	snprintf(f->schema, sizeof(f->schema), "ag_mig_test_%ld_%d", (long)getpid(), ++seq);
	if (ag_db_exec(f->db, f->a, ag_sprintf(f->a, "CREATE SCHEMA %s", f->schema), 0,
	    NULL) == NULL ||
	    AG_DB_EXEC(f->db, f->a, "SELECT set_config('search_path', $1, false)",
	    f->schema) == NULL) {
		fprintf(stderr, "setup: %s\n", ag_db_error(f->db));
		return -1;
	}
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	for (int i = 0; i < f->nfiles; i++) {
		unlink(f->files[i]);
		free(f->files[i]);
	}
	rmdir(f->dir);
	if (f->db != NULL) {
		ag_db_rollback(f->db);
		ag_db_exec(f->db, f->a, ag_sprintf(f->a, "DROP SCHEMA %s CASCADE", f->schema), 0,
		    NULL);
		ag_db_close(f->db);
	}
	ag_arena_free(f->a);
	free(f);
	return 0;
}

static struct fixture *
need_db(void **state)
{
	struct fixture *f = *state;

	if (f->db == NULL)
		skip();
	return f;
}

/* Creates or replaces dir/name with text. */
static void
put(struct fixture *f, const char *name, const char *text)
{
	char path[256];
	FILE *fp;
	int known = 0;

	snprintf(path, sizeof(path), "%s/%s", f->dir, name);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
	for (int i = 0; i < f->nfiles; i++)
		known |= strcmp(f->files[i], path) == 0;
	if (!known) {
		assert_true(f->nfiles < 16);
		f->files[f->nfiles++] = strdup(path);
	}
}

/* Value of a one-row, one-column query. */
static const char *
scalar(struct fixture *f, const char *sql)
{
	PGresult *r = ag_db_exec(f->db, f->a, sql, 0, NULL);

	if (r == NULL)
		fail_msg("%s: %s", sql, ag_db_error(f->db));
	return PQgetisnull(r, 0, 0) ? NULL : PQgetvalue(r, 0, 0);
}

static int
pending(struct fixture *f)
{
	char err[512];
	int n = -1;

	if (ag_migrate_status(f->db, f->a, f->dir, &n, err, sizeof(err)) < 0)
		fail_msg("status: %s", err);
	return n;
}

static const char file_a[] = "-- first\nCREATE TABLE a (id int);\nINSERT INTO a VALUES (1);\n";
static const char file_b[] = "CREATE TABLE b (x text);\n";
/* needs b: proves 0010 runs after 002 */
static const char file_c[] = "CREATE TABLE c (y text);\nINSERT INTO b VALUES ('from c');\n";

static void
put_standard(struct fixture *f)
{
	put(f, "001_a.sql", file_a);
	put(f, "002_b.sql", file_b);
	put(f, "0010_c.sql", file_c);
	/* ignored names */
	put(f, "README", "not sql");
	put(f, "01_short.sql", "SELECT syntax error");
	put(f, "abc_x.sql", "SELECT syntax error");
	put(f, "003_notes.txt", "SELECT syntax error");
	put(f, "004_.sql", "SELECT syntax error");
	put(f, "005-x.sql", "SELECT syntax error");
}

static void
test_apply_and_reapply(void **state)
{
	struct fixture *f = need_db(state);
	char err[512], *text;
	size_t len;
	FILE *out;

	put_standard(f);
	assert_int_equal(pending(f), 3);
	/* status does not create the table */
	assert_null(scalar(f, "SELECT to_regclass('schema_migrations')::text"));

	out = open_memstream(&text, &len);
	if (ag_migrate_up(f->db, f->a, f->dir, out, err, sizeof(err)) < 0)
		fail_msg("up: %s", err);
	fclose(out);
	assert_string_equal(text, "applied 001_a.sql\napplied 002_b.sql\napplied 0010_c.sql\n"
	    "3 migration(s) applied\n");
	free(text);
	assert_int_equal(ag_db_in_tx(f->db), 0);
	assert_string_equal(scalar(f, "SELECT count(*) FROM schema_migrations"), "3");
	assert_string_equal(scalar(f, "SELECT string_agg(version || ':' || filename, ',' "
	    "ORDER BY version) FROM schema_migrations"),
	    "001:001_a.sql,0010:0010_c.sql,002:002_b.sql");
	assert_string_equal(scalar(f, "SELECT count(*) FROM b"), "1");
	/* the stored checksum is the sha256 of the file bytes */
	{
		PGresult *r = AG_DB_EXEC(f->db, f->a, "SELECT checksum = encode(sha256("
		    "convert_to($1, 'UTF8')), 'hex') AS same FROM schema_migrations "
		    "WHERE version = '001'", file_a);

		assert_non_null(r);
		assert_string_equal(ag_db_get(r, 0, "same"), "t");
	}
	assert_int_equal(pending(f), 0);

	/* again: nothing to do, nothing re-run */
	out = open_memstream(&text, &len);
	assert_int_equal(ag_migrate_up(f->db, f->a, f->dir, out, err, sizeof(err)), 0);
	fclose(out);
	assert_string_equal(text, "database schema is up to date\n");
	free(text);
	assert_string_equal(scalar(f, "SELECT count(*) FROM a"), "1");
	assert_string_equal(scalar(f, "SELECT count(*) FROM b"), "1");

	/* a new file is pending, then applied alone */
	put(f, "011_d.sql", "CREATE TABLE d ();");
	assert_int_equal(pending(f), 1);
	assert_int_equal(ag_migrate_up(f->db, f->a, f->dir, NULL, err, sizeof(err)), 0);
	assert_int_equal(pending(f), 0);
	assert_string_equal(scalar(f, "SELECT count(*) FROM schema_migrations"), "4");
}

static void
test_changed_file_refused(void **state)
{
	struct fixture *f = need_db(state);
	char err[512];
	int n = 99;

	put(f, "001_a.sql", file_a);
	put(f, "002_b.sql", file_b);
	assert_int_equal(ag_migrate_up(f->db, f->a, f->dir, NULL, err, sizeof(err)), 0);
	put(f, "002_b.sql", "CREATE TABLE b (x text, extra int);\n");
	put(f, "003_c.sql", "CREATE TABLE c (y text);\n");

	assert_int_equal(ag_migrate_up(f->db, f->a, f->dir, NULL, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "002_b.sql"));
	assert_non_null(strstr(err, "changed"));
	/* nothing applied, including the new file */
	assert_null(scalar(f, "SELECT to_regclass('c')::text"));
	assert_string_equal(scalar(f, "SELECT count(*) FROM schema_migrations"), "2");

	assert_int_equal(ag_migrate_status(f->db, f->a, f->dir, &n, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "002_b.sql"));
	/* the lock was released: another session can take it */
	{
		ag_db *other = ag_db_open(getenv("AG_TEST_DSN"));
		PGresult *r = AG_DB_EXEC(other, f->a, "SELECT pg_try_advisory_lock($1::bigint) "
		    "AS got", "7022647215778788453");

		assert_non_null(r);
		assert_string_equal(ag_db_get(r, 0, "got"), "t");
		ag_db_close(other);
	}
}

static void
test_failing_migration(void **state)
{
	struct fixture *f = need_db(state);
	char err[512];

	put(f, "001_a.sql", file_a);
	put(f, "002_bad.sql", "CREATE TABLE partial (x int);\n-- comment\n"
	    "INSERT INTO partial VALUES (1);\nSELEC oops;\n");
	put(f, "003_c.sql", "CREATE TABLE c ();\n");
	assert_int_equal(ag_migrate_up(f->db, f->a, f->dir, NULL, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "002_bad.sql"));
	assert_non_null(strstr(err, "line 4"));
	assert_non_null(strstr(err, "syntax error"));
	assert_null(strchr(err, '\n'));
	assert_int_equal(ag_db_in_tx(f->db), 0);
	/* 001 stays applied; 002 is rolled back as a whole; 003 never ran */
	assert_string_equal(scalar(f, "SELECT string_agg(version, ',') FROM schema_migrations"),
	    "001");
	assert_null(scalar(f, "SELECT to_regclass('partial')::text"));
	assert_null(scalar(f, "SELECT to_regclass('c')::text"));
	assert_int_equal(pending(f), 2);

	/* fixed file: the run continues where it stopped */
	put(f, "002_bad.sql", "CREATE TABLE partial (x int);\n");
	assert_int_equal(ag_migrate_up(f->db, f->a, f->dir, NULL, err, sizeof(err)), 0);
	assert_int_equal(pending(f), 0);
}

static void
test_bad_directory(void **state)
{
	struct fixture *f = need_db(state);
	char err[512];
	int n;

	assert_int_equal(ag_migrate_up(f->db, f->a, "/nonexistent-ag-sql", NULL, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "/nonexistent-ag-sql"));
	assert_int_equal(ag_migrate_status(f->db, f->a, "/nonexistent-ag-sql", &n, err,
	    sizeof(err)), -1);

	put(f, "001_a.sql", file_a);
	put(f, "0001_again.sql", file_b);
	assert_int_equal(ag_migrate_up(f->db, f->a, f->dir, NULL, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "same version"));
	assert_null(scalar(f, "SELECT to_regclass('a')::text"));
}

static void
test_empty_directory(void **state)
{
	struct fixture *f = need_db(state);
	char err[512], *text;
	size_t len;
	FILE *out;

	assert_int_equal(pending(f), 0);
	out = open_memstream(&text, &len);
	assert_int_equal(ag_migrate_report(f->db, f->a, f->dir, out, NULL, err, sizeof(err)), 0);
	fclose(out);
	assert_string_equal(text, "");
	free(text);
	put(f, "001_a.sql", file_a);
	put(f, "002_b.sql", file_b);
	assert_int_equal(ag_migrate_up(f->db, f->a, f->dir, NULL, err, sizeof(err)), 0);
	put(f, "003_c.sql", "CREATE TABLE c ();\n");
	out = open_memstream(&text, &len);
	assert_int_equal(ag_migrate_report(f->db, f->a, f->dir, out, NULL, err, sizeof(err)), 0);
	fclose(out);
	assert_string_equal(text, "applied  001_a.sql\napplied  002_b.sql\npending  003_c.sql\n");
	free(text);
}

static void
test_sql_run_file(void **state)
{
	struct fixture *f = need_db(state);
	char err[512], path[256];

	assert_non_null(ag_db_exec(f->db, f->a, "CREATE TABLE seed (v text UNIQUE)", 0, NULL));
	put(f, "seed.sql", "INSERT INTO seed VALUES ('one');\nINSERT INTO seed VALUES ('two');\n");
	snprintf(path, sizeof(path), "%s/seed.sql", f->dir);
	if (ag_sql_run_file(f->db, f->a, path, err, sizeof(err)) < 0)
		fail_msg("seed: %s", err);
	assert_string_equal(scalar(f, "SELECT count(*) FROM seed"), "2");

	/* second row conflicts: the whole file is rolled back */
	put(f, "seed.sql", "INSERT INTO seed VALUES ('three');\nINSERT INTO seed VALUES ('one');\n");
	assert_int_equal(ag_sql_run_file(f->db, f->a, path, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "seed.sql"));
	assert_non_null(strstr(err, "duplicate key"));
	assert_int_equal(ag_db_in_tx(f->db), 0);
	assert_string_equal(scalar(f, "SELECT count(*) FROM seed"), "2");

	assert_int_equal(ag_sql_run_file(f->db, f->a, "/nonexistent-ag.sql", err, sizeof(err)),
	    -1);
	assert_non_null(strstr(err, "/nonexistent-ag.sql"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_apply_and_reapply, setup, teardown),
		cmocka_unit_test_setup_teardown(test_changed_file_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failing_migration, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_directory, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty_directory, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sql_run_file, setup, teardown),
	};

	ag_log_set_level(AG_LOG_WARN);
	return cmocka_run_group_tests_name("migrate", tests, NULL, NULL);
}
