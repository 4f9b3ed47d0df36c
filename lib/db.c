/*
 * db.c - libpq wrapper with lazy connect and one reconnect; see db.h.
 */
#include "db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "log.h"

/* Statements prepared on the current connection, found by their text's address. */
#define MAX_PREPARED 64

struct prepared {
	const char *sql;
	char name[16];
};

struct ag_db {
	char *dsn;
	PGconn *conn;
	struct prepared prepared[MAX_PREPARED];
	int nprepared;
	int in_tx;
	char sqlstate[6];
	char error[1024];
};

/* Stores a one-line copy of msg: line breaks and tabs become single spaces. */
static void
set_error(ag_db *db, const char *state, const char *msg)
{
	size_t o = 0;

	snprintf(db->sqlstate, sizeof(db->sqlstate), "%s", state != NULL ? state : "");
	for (const char *p = msg != NULL ? msg : ""; *p != '\0' && o + 1 < sizeof(db->error); p++) {
		int blank = *p == '\n' || *p == '\r' || *p == '\t' || *p == ' ';

		if (blank && (o == 0 || db->error[o - 1] == ' '))
			continue;
		db->error[o++] = blank ? ' ' : *p;
	}
	while (o > 0 && db->error[o - 1] == ' ')
		o--;
	db->error[o] = '\0';
}

static void
clear_error(ag_db *db)
{
	db->sqlstate[0] = '\0';
	db->error[0] = '\0';
}

static void
set_error_from_result(ag_db *db, const PGresult *r)
{
	const char *state = r != NULL ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	const char *msg = r != NULL ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;

	if (msg == NULL && r != NULL && PQresultStatus(r) == PGRES_EMPTY_QUERY)
		msg = "empty query";
	if (msg == NULL)
		msg = PQerrorMessage(db->conn);
	if (state == NULL && PQstatus(db->conn) != CONNECTION_OK)
		state = "08006";
	set_error(db, state, msg);
}

/* Server notices (e.g. "table does not exist, skipping") go to our log, not raw stderr. */
static void
notice_to_log(void *arg, const PGresult *r)
{
	const char *sev = PQresultErrorField(r, PG_DIAG_SEVERITY_NONLOCALIZED);
	const char *msg = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);
	int warn = sev != NULL && strcmp(sev, "WARNING") == 0;

	(void)arg;
	ag_log(warn ? AG_LOG_WARN : AG_LOG_DEBUG, "database %s: %s", sev != NULL ? sev : "notice",
	    msg != NULL ? msg : "");
}

/*
 * Opens the connection, or resets a broken one, and prepares the
 * session.  Returns 0, or -1 with the error set and logged.  The DSN is
 * never logged: it may hold a password.
 */
static int
db_connect(ag_db *db)
{
	static const char *const kw[] = { "dbname", "fallback_application_name", NULL };
	const char *val[] = { db->dsn, "autogate", NULL };
	PGresult *r;

	db->nprepared = 0; /* prepared statements die with the session */
	if (db->conn == NULL)
		db->conn = PQconnectdbParams(kw, val, 1);
	else
		PQreset(db->conn);
	if (db->conn == NULL) {
		set_error(db, "08001", "out of memory");
		ag_log(AG_LOG_ERROR, "database connection failed: out of memory");
		return -1;
	}
	if (PQstatus(db->conn) != CONNECTION_OK) {
		set_error(db, "08001", PQerrorMessage(db->conn));
		ag_log(AG_LOG_ERROR, "database connection failed: %s", db->error);
		PQfinish(db->conn);
		db->conn = NULL;
		return -1;
	}
	PQsetNoticeReceiver(db->conn, notice_to_log, NULL);
	r = PQexec(db->conn, "SET TIME ZONE 'UTC'");
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		set_error_from_result(db, r);
		ag_log(AG_LOG_ERROR, "database session setup failed: %s", db->error);
		PQclear(r);
		PQfinish(db->conn);
		db->conn = NULL;
		return -1;
	}
	PQclear(r);
	return 0;
}

static int
conn_ok(const ag_db *db)
{
	return db->conn != NULL && PQstatus(db->conn) == CONNECTION_OK;
}

/* The connection broke inside a transaction: the transaction is gone. */
static void
tx_lost(ag_db *db)
{
	db->in_tx = 0;
	if (db->error[0] == '\0')
		set_error(db, "08006", "connection lost inside a transaction");
	ag_log(AG_LOG_ERROR, "database connection lost inside a transaction: %s", db->error);
}

/*
 * Runs one statement, reconnecting and retrying once outside a
 * transaction.  Returns a successful result the caller owns, or NULL.
 */
static PGresult *exec_stmt(ag_db *db, const char *sql, int n,
    const char *const *params, int prepare);

/*
 * The name of sql prepared on this connection, preparing it on first
 * use; NULL when it cannot be (the caller then sends the text).
 */
static const char *
prepared_name(ag_db *db, const char *sql, int n)
{
	struct prepared *p;
	PGresult *r;
	int ok;

	for (int i = 0; i < db->nprepared; i++)
		if (db->prepared[i].sql == sql)
			return db->prepared[i].name;
	if (db->nprepared == MAX_PREPARED)
		return NULL;
	p = &db->prepared[db->nprepared];
	snprintf(p->name, sizeof(p->name), "ag%d", db->nprepared);
	r = PQprepare(db->conn, p->name, sql, n, NULL);
	ok = r != NULL && PQresultStatus(r) == PGRES_COMMAND_OK;
	PQclear(r);
	if (!ok)
		return NULL;
	p->sql = sql;
	db->nprepared++;
	return p->name;
}

static PGresult *
exec_raw(ag_db *db, const char *sql, int n, const char *const *params)
{
	return exec_stmt(db, sql, n, params, 0);
}

static PGresult *
exec_stmt(ag_db *db, const char *sql, int n, const char *const *params,
    int prepare)
{
	clear_error(db);
	for (int attempt = 0; attempt < 2; attempt++) {
		PGresult *r;
		ExecStatusType st;
		const char *name;

		if (!conn_ok(db)) {
			if (db->in_tx) {
				tx_lost(db);
				return NULL;
			}
			if (db_connect(db) < 0)
				return NULL;
		}
		name = prepare && PQtransactionStatus(db->conn) != PQTRANS_INERROR ?
		    prepared_name(db, sql, n) : NULL;
		r = name != NULL ?
		    PQexecPrepared(db->conn, name, n, params, NULL, NULL, 0) :
		    PQexecParams(db->conn, sql, n, NULL, params, NULL, NULL, 0);
		st = r != NULL ? PQresultStatus(r) : PGRES_FATAL_ERROR;
		if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
			return r;
		set_error_from_result(db, r);
		PQclear(r);
		if (conn_ok(db))
			return NULL;
		if (db->in_tx) {
			tx_lost(db);
			return NULL;
		}
		if (attempt == 0)
			ag_log(AG_LOG_WARN, "database connection lost (%s), reconnecting", db->error);
	}
	return NULL;
}

static void
clear_result(void *p)
{
	PQclear(p);
}

/* Creates the handle; the connection is made on first use. */
ag_db *
ag_db_open(const char *dsn)
{
	ag_db *db = ag_xcalloc(1, sizeof(*db));

	db->dsn = ag_xstrdup(dsn != NULL ? dsn : "");
	return db;
}

/* Closes the connection and frees the handle. */
void
ag_db_close(ag_db *db)
{
	if (db == NULL)
		return;
	if (db->conn != NULL)
		PQfinish(db->conn);
	free(db->dsn);
	free(db);
}

/* Health check for readiness probes and startup. */
int
ag_db_ping(ag_db *db)
{
	PGresult *r = exec_raw(db, "SELECT 1", 0, NULL);

	if (r == NULL)
		return -1;
	PQclear(r);
	return 0;
}

/* The same, prepared once per connection: for the statements of hot paths. */
PGresult *
ag_db_exec_prepared(ag_db *db, ag_arena *a, const char *sql, int n,
    const char *const *params)
{
	PGresult *r = exec_stmt(db, sql, n, params, 1);

	if (r != NULL)
		ag_arena_defer(a, clear_result, r);
	return r;
}

/* Parameterised statement whose result lives as long as the arena's contents. */
PGresult *
ag_db_exec(ag_db *db, ag_arena *a, const char *sql, int n, const char *const *params)
{
	PGresult *r = exec_raw(db, sql, n, params);

	if (r != NULL)
		ag_arena_defer(a, clear_result, r);
	return r;
}

/* SQLSTATE of the last failure, for logs and for mapping e.g. 23505 to 409. */
const char *
ag_db_sqlstate(const ag_db *db)
{
	return db->sqlstate;
}

/* Message of the last failure, for logs only. */
const char *
ag_db_error(const ag_db *db)
{
	return db->error;
}

/* Starts a transaction. */
int
ag_db_begin(ag_db *db)
{
	PGresult *r;

	if (db->in_tx) {
		set_error(db, "25001", "a transaction is already open");
		return -1;
	}
	if ((r = exec_raw(db, "BEGIN", 0, NULL)) == NULL)
		return -1;
	PQclear(r);
	db->in_tx = 1;
	return 0;
}

/* Commits; reports a transaction the server rolled back as a failure. */
int
ag_db_commit(ag_db *db)
{
	PGresult *r;
	int ok;

	if (!db->in_tx) {
		set_error(db, "25P01", "no transaction is open");
		return -1;
	}
	r = exec_raw(db, "COMMIT", 0, NULL);
	db->in_tx = 0;
	if (r == NULL)
		return -1;
	/* COMMIT of an aborted transaction "succeeds" with tag ROLLBACK */
	ok = strcmp(PQcmdStatus(r), "COMMIT") == 0;
	PQclear(r);
	if (!ok) {
		set_error(db, "40000", "transaction was rolled back");
		return -1;
	}
	return 0;
}

/* Rolls back; keeps the error of the statement that made the caller give up. */
void
ag_db_rollback(ag_db *db)
{
	char state[sizeof(db->sqlstate)];
	char error[sizeof(db->error)];
	PGresult *r;

	if (!db->in_tx)
		return;
	memcpy(state, db->sqlstate, sizeof(state));
	memcpy(error, db->error, sizeof(error));
	r = exec_raw(db, "ROLLBACK", 0, NULL);
	db->in_tx = 0;
	if (r != NULL) {
		PQclear(r);
	} else {
		ag_log(AG_LOG_WARN, "database rollback failed: %s", db->error);
	}
	memcpy(db->sqlstate, state, sizeof(state));
	memcpy(db->error, error, sizeof(error));
}

/* Whether a transaction is open. */
int
ag_db_in_tx(const ag_db *db)
{
	return db->in_tx;
}

/* Value by exact column name (PQfnumber would fold case). */
const char *
ag_db_get(const PGresult *r, int row, const char *col)
{
	int nf;

	if (r == NULL || col == NULL || row < 0 || row >= PQntuples(r))
		return NULL;
	nf = PQnfields(r);
	for (int i = 0; i < nf; i++) {
		if (strcmp(PQfname(r, i), col) == 0)
			return PQgetisnull(r, row, i) ? NULL : PQgetvalue(r, row, i);
	}
	return NULL;
}

/* Row count of a result. */
int
ag_db_rows(const PGresult *r)
{
	return r != NULL ? PQntuples(r) : 0;
}

/* Raw connection for what the wrapper does not cover. */
PGconn *
ag_db_conn(ag_db *db)
{
	if (!conn_ok(db) && !db->in_tx) {
		clear_error(db);
		if (db_connect(db) < 0)
			return NULL;
	}
	return db->conn;
}

const char *
ag_db_like(ag_arena *a, const char *s)
{
	ag_buf b;

	if (s == NULL)
		return NULL;
	ag_buf_init(&b, a);
	for (; *s != '\0'; s++) {
		if (*s == '%' || *s == '_' || *s == '\\')
			ag_buf_putc(&b, '\\');
		ag_buf_putc(&b, *s);
	}
	return b.data;
}

const char *
ag_db_sorted(ag_arena *a, const char *head, const char *column,
    const char *order, const char *tail)
{
	ag_buf sql;

	ag_buf_init(&sql, a);
	ag_buf_puts(&sql, head);
	ag_buf_puts(&sql, column);
	ag_buf_puts(&sql, order != NULL && strcasecmp(order, "asc") == 0 ?
	    " ASC" : " DESC");
	ag_buf_puts(&sql, tail);
	return sql.data;
}
