/*
 * db.h - PostgreSQL access through libpq: one connection per worker
 * process, parameterised queries only.
 *
 * The connection is opened lazily and re-opened once when it turns out
 * to be broken outside a transaction, so a database restart costs one
 * slow request instead of a dead worker.  Every session runs with
 * TimeZone UTC and application_name "autogate" (unless the DSN names
 * another); statement_timeout and the like belong in the DSN.
 */
#ifndef AG_DB_H
#define AG_DB_H

#include <libpq-fe.h>

#include "arena.h"

typedef struct ag_db ag_db;

/* Remembers dsn; does not connect yet (connects on first use). */
ag_db *ag_db_open(const char *dsn);
/* Closes the connection (an open transaction is rolled back by the server). */
void ag_db_close(ag_db *db);
/* 0 if the database answers "SELECT 1" (reconnecting if needed), -1 if not. */
int ag_db_ping(ag_db *db);

/*
 * Runs sql with n text parameters ($1..$n; a NULL param is SQL NULL).
 * The result is PQclear'ed when the arena is reset.  Returns NULL on
 * error; ag_db_sqlstate()/ag_db_error() tell why (for logs, never shown
 * to users).  If the connection is broken (before the call, or the call
 * failed with a broken connection) and no transaction is open, the
 * connection is reset and the statement retried once.  Inside a
 * transaction a broken connection is an error and the transaction state
 * is cleared.
 */
PGresult *ag_db_exec(ag_db *db, ag_arena *a, const char *sql, int n, const char *const *params);
#define AG_DB_EXEC(db, a, sql, ...) ag_db_exec((db), (a), (sql), \
	(int)(sizeof((const char *[]){__VA_ARGS__}) / sizeof(const char *)), \
	(const char *[]){__VA_ARGS__})
/* for zero params: ag_db_exec(db, a, sql, 0, NULL) */

/* SQLSTATE of the last failed call: "" if none, e.g. "23505" unique
 * violation; "08006" when the connection failed. */
/*
 * As ag_db_exec, but the statement is prepared on first use and then
 * executed by name for the life of the connection.  sql must be a
 * constant (it is remembered by address): for the fixed statements of
 * hot paths, never for text built per request.
 */
PGresult *ag_db_exec_prepared(ag_db *db, ag_arena *a, const char *sql, int n,
    const char *const *params);
#define AG_DB_PREP(db, a, sql, ...) ag_db_exec_prepared((db), (a), (sql), \
	(int)(sizeof((const char *[]){__VA_ARGS__}) / sizeof(const char *)), \
	(const char *[]){__VA_ARGS__})

/*
 * The text of a sorted list query: head (ending in "ORDER BY " or an
 * alias like "ORDER BY t."), the column, ASC or DESC, then tail.  column
 * must come from the caller's fixed table of sort keys, never from input;
 * any order but "asc" (either case) sorts descending.
 */
const char *ag_db_sorted(ag_arena *a, const char *head, const char *column,
    const char *order, const char *tail);

/* s with LIKE's wildcards (% _ \\) escaped, for a literal search; NULL stays NULL. */
const char *ag_db_like(ag_arena *a, const char *s);

const char *ag_db_sqlstate(const ag_db *db);
/* Message of the last failed call ("" if none), one line. */
const char *ag_db_error(const ag_db *db);

/* BEGIN; 0 on success, -1 on error (also when a transaction is already open). */
int ag_db_begin(ag_db *db);
/* COMMIT; 0 on success, -1 if the commit failed or the server rolled the
 * transaction back (an earlier statement failed).  The transaction is
 * over either way. */
int ag_db_commit(ag_db *db);
/* ROLLBACK if a transaction is open; safe to call when none is. */
void ag_db_rollback(ag_db *db);
/* 1 between a successful ag_db_begin() and its commit/rollback. */
int ag_db_in_tx(const ag_db *db);

/* Value at (row, col) by exact column name, or NULL if SQL NULL, no such
 * row or no such column. */
const char *ag_db_get(const PGresult *r, int row, const char *col);
/* Number of rows (0 for NULL). */
int ag_db_rows(const PGresult *r);

/* The connection (connecting if needed; NULL if that fails), for what
 * this module does not wrap: LISTEN/NOTIFY, multi-statement migration
 * scripts. */
PGconn *ag_db_conn(ag_db *db);

#endif
