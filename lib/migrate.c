/*
 * migrate.c - numbered SQL migrations and one-off SQL files; see migrate.h.
 *
 * The scripts are run with PQexec because they hold several statements;
 * this is the only place where SQL text is not parameterised, and the
 * text is our own file, never input.
 */
#include "migrate.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "crypto.h"
#include "sys.h"

/* "autogate" as a big-endian 64-bit number: the advisory lock key. */
#define MIGRATE_LOCK_KEY "7022647215778788453"

struct mfile {
	const char *name;    /* 001_init.sql */
	const char *version; /* 001 */
	const char *path;
	char *sql;
	size_t len;
	const char *checksum; /* lowercase hex SHA-256 of sql */
	int applied;
};

/* Reads a whole file into the arena; rejects NUL bytes (PQexec would stop there). */
static int
read_file(ag_arena *a, const char *path, char **data, size_t *len, char *err, size_t errlen)
{
	int rc = ag_read_file(a, path, SIZE_MAX, data, len);

	if (rc == -1) {
		ag_errf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (rc == -2) {
		ag_errf(err, errlen, "%s: not a regular file", path);
		return -1;
	}
	if (memchr(*data, '\0', *len) != NULL) {
		ag_errf(err, errlen, "%s: file contains a NUL byte", path);
		return -1;
	}
	return 0;
}

/* Length of the version prefix if name is NNN_something.sql, else 0. */
static size_t
migration_version_len(const char *name)
{
	size_t d = 0, n = strlen(name);

	while (isdigit((unsigned char)name[d]))
		d++;
	if (d < 3 || name[d] != '_')
		return 0;
	/* at least one character between '_' and ".sql" */
	if (n < d + 1 + 1 + 4 || strcmp(name + n - 4, ".sql") != 0)
		return 0;
	return d;
}

/* The version without leading zeros, for numeric comparison. */
static const char *
version_norm(const char *v)
{
	while (v[0] == '0' && v[1] != '\0')
		v++;
	return v;
}

static int
version_cmp(const char *x, const char *y)
{
	size_t lx, ly;

	x = version_norm(x);
	y = version_norm(y);
	lx = strlen(x);
	ly = strlen(y);
	if (lx != ly)
		return lx < ly ? -1 : 1;
	return strcmp(x, y);
}

static int
mfile_cmp(const void *p, const void *q)
{
	const struct mfile *x = p, *y = q;
	int c = version_cmp(x->version, y->version);

	return c != 0 ? c : strcmp(x->name, y->name);
}

/*
 * Lists, reads and checksums the migration files of dir, sorted by
 * version.  Two files with the same version are an error.
 */
static int
load_files(ag_arena *a, const char *dir, struct mfile **out, size_t *count, char *err,
    size_t errlen)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	struct mfile *v = NULL;
	size_t n = 0, cap = 0;

	if (d == NULL) {
		ag_errf(err, errlen, "%s: %s", dir, strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		size_t vl = migration_version_len(de->d_name);
		struct stat st;
		struct mfile *m;

		if (vl == 0)
			continue;
		if (n == cap) {
			struct mfile *nv;

			cap = cap ? cap * 2 : 32;
			nv = ag_calloc(a, cap, sizeof(*nv));
			if (n > 0)
				memcpy(nv, v, n * sizeof(*nv));
			v = nv;
		}
		m = &v[n];
		m->name = ag_strdup(a, de->d_name);
		m->version = ag_strndup(a, de->d_name, vl);
		m->path = ag_sprintf(a, "%s/%s", dir, de->d_name);
		if (stat(m->path, &st) < 0 || !S_ISREG(st.st_mode))
			continue;
		n++;
	}
	closedir(d);
	if (n > 1)
		qsort(v, n, sizeof(*v), mfile_cmp);
	for (size_t i = 0; i < n; i++) {
		if (i > 0 && version_cmp(v[i - 1].version, v[i].version) == 0) {
			ag_errf(err, errlen, "%s and %s have the same version", v[i - 1].name, v[i].name);
			return -1;
		}
		if (read_file(a, v[i].path, &v[i].sql, &v[i].len, err, errlen) < 0)
			return -1;
		v[i].checksum = ag_sha256_hex(a, v[i].sql, v[i].len);
	}
	*out = v;
	*count = n;
	return 0;
}

/* 1 if schema_migrations exists in the search path, 0 if not, -1 on error. */
static int
table_exists(ag_db *db, ag_arena *a, char *err, size_t errlen)
{
	PGresult *r = ag_db_exec(db, a,
	    "SELECT to_regclass('schema_migrations') IS NOT NULL AS present", 0, NULL);
	const char *v;

	if (r == NULL) {
		ag_errf(err, errlen, "database: %s", ag_db_error(db));
		return -1;
	}
	v = ag_db_get(r, 0, "present");
	return v != NULL && strcmp(v, "t") == 0;
}

/*
 * Marks the files recorded in schema_migrations as applied; an applied
 * file whose bytes changed is an error naming the file.
 */
static int
match_applied(ag_db *db, ag_arena *a, struct mfile *v, size_t n, char *err, size_t errlen)
{
	PGresult *r;
	int rows, exists = table_exists(db, a, err, errlen);

	if (exists <= 0)
		return exists;
	r = ag_db_exec(db, a, "SELECT version, filename, checksum FROM schema_migrations", 0,
	    NULL);
	if (r == NULL) {
		ag_errf(err, errlen, "reading schema_migrations: %s", ag_db_error(db));
		return -1;
	}
	rows = ag_db_rows(r);
	for (int i = 0; i < rows; i++) {
		const char *ver = ag_db_get(r, i, "version");
		const char *sum = ag_db_get(r, i, "checksum");

		if (ver == NULL)
			continue;
		for (size_t j = 0; j < n; j++) {
			if (version_cmp(v[j].version, ver) != 0)
				continue;
			if (sum == NULL || strcmp(sum, v[j].checksum) != 0) {
				ag_errf(err, errlen, "%s was changed after it was applied "
				    "(checksum differs); add a new migration instead", v[j].path);
				return -1;
			}
			v[j].applied = 1;
		}
	}
	return 0;
}

/* 1-based line of the 1-based character position pos in sql. */
static unsigned long
line_of_position(const char *sql, long pos)
{
	unsigned long line = 1;
	long chars = 0;

	for (const unsigned char *p = (const unsigned char *)sql; *p != '\0'; p++) {
		if ((*p & 0xc0) != 0x80 && ++chars >= pos)
			break;
		if (*p == '\n')
			line++;
	}
	return line;
}

/* Ends a COPY a script started; scripts may not use COPY with the client. */
static void
abandon_copy(PGconn *c, ExecStatusType st)
{
	PGresult *r;

	if (st == PGRES_COPY_IN) {
		PQputCopyEnd(c, "COPY FROM STDIN is not supported here");
	} else if (st == PGRES_COPY_OUT) {
		char *buf;

		while (PQgetCopyData(c, &buf, 0) > 0)
			PQfreemem(buf);
	}
	while ((r = PQgetResult(c)) != NULL)
		PQclear(r);
}

/* Runs a multi-statement script inside the open transaction. */
static int
run_script(ag_db *db, const char *label, const char *sql, char *err, size_t errlen)
{
	PGconn *c = ag_db_conn(db);
	PGresult *r;
	ExecStatusType st;
	const char *msg, *pos;

	if (c == NULL) {
		ag_errf(err, errlen, "%s: database: %s", label, ag_db_error(db));
		return -1;
	}
	r = PQexec(c, sql);
	st = PQresultStatus(r);
	if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK || st == PGRES_EMPTY_QUERY) {
		PQclear(r);
		return 0;
	}
	if (st == PGRES_COPY_IN || st == PGRES_COPY_OUT) {
		PQclear(r);
		abandon_copy(c, st);
		ag_errf(err, errlen, "%s: COPY with the client is not supported", label);
		return -1;
	}
	msg = r != NULL ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	pos = r != NULL ? PQresultErrorField(r, PG_DIAG_STATEMENT_POSITION) : NULL;
	if (msg == NULL)
		msg = PQerrorMessage(c);
	if (pos != NULL)
		ag_errf(err, errlen, "%s: line %lu: %s", label, line_of_position(sql, atol(pos)), msg);
	else
		ag_errf(err, errlen, "%s: %s", label, msg);
	/* one line for the log */
	for (char *p = err; errlen > 0 && *p != '\0'; p++)
		if (*p == '\n')
			*p = (p[1] == '\0') ? '\0' : ' ';
	PQclear(r);
	return -1;
}

/* Applies one migration and its schema_migrations row in one transaction. */
static int
apply_one(ag_db *db, ag_arena *a, const struct mfile *m, char *err, size_t errlen)
{
	if (ag_db_begin(db) < 0) {
		ag_errf(err, errlen, "%s: BEGIN failed: %s", m->name, ag_db_error(db));
		return -1;
	}
	if (run_script(db, m->name, m->sql, err, errlen) < 0) {
		ag_db_rollback(db);
		return -1;
	}
	if (AG_DB_EXEC(db, a, "INSERT INTO schema_migrations (version, filename, checksum, "
	    "applied_at) VALUES ($1, $2, $3, now())", m->version, m->name, m->checksum) == NULL) {
		ag_errf(err, errlen, "%s: recording it failed: %s", m->name, ag_db_error(db));
		ag_db_rollback(db);
		return -1;
	}
	if (ag_db_commit(db) < 0) {
		ag_errf(err, errlen, "%s: COMMIT failed: %s", m->name, ag_db_error(db));
		return -1;
	}
	return 0;
}

static int
lock(ag_db *db, ag_arena *a, int *pid, char *err, size_t errlen)
{
	if (AG_DB_EXEC(db, a, "SELECT pg_advisory_lock($1::bigint)", MIGRATE_LOCK_KEY) == NULL) {
		ag_errf(err, errlen, "database: %s", ag_db_error(db));
		return -1;
	}
	*pid = PQbackendPID(ag_db_conn(db));
	return 0;
}

static void
unlock(ag_db *db, ag_arena *a, int pid)
{
	PGconn *c = ag_db_conn(db);

	/* a new session (after a reconnect) holds no lock */
	if (c != NULL && PQbackendPID(c) == pid)
		AG_DB_EXEC(db, a, "SELECT pg_advisory_unlock($1::bigint)", MIGRATE_LOCK_KEY);
}

/* Applies all pending migrations under the advisory lock. */
int
ag_migrate_up(ag_db *db, ag_arena *a, const char *dir, FILE *out, char *err, size_t errlen)
{
	struct mfile *v = NULL;
	size_t n = 0;
	int pid = -1, rc = -1, exists, applied = 0;

	ag_errf(err, errlen, "%s", "");
	if (load_files(a, dir, &v, &n, err, errlen) < 0)
		return -1;
	if (lock(db, a, &pid, err, errlen) < 0)
		return -1;
	if ((exists = table_exists(db, a, err, errlen)) < 0)
		goto done;
	if (!exists && ag_db_exec(db, a, "CREATE TABLE schema_migrations ("
	    "version text PRIMARY KEY, filename text NOT NULL, checksum text NOT NULL, "
	    "applied_at timestamptz NOT NULL DEFAULT now())", 0, NULL) == NULL) {
		ag_errf(err, errlen, "creating schema_migrations: %s", ag_db_error(db));
		goto done;
	}
	if (match_applied(db, a, v, n, err, errlen) < 0)
		goto done;
	for (size_t i = 0; i < n; i++) {
		PGconn *c;

		if (v[i].applied)
			continue;
		c = ag_db_conn(db);
		if (c == NULL || PQbackendPID(c) != pid) {
			ag_errf(err, errlen, "database connection lost; migration lock released");
			goto done;
		}
		if (apply_one(db, a, &v[i], err, errlen) < 0)
			goto done;
		applied++;
		if (out != NULL)
			fprintf(out, "applied %s\n", v[i].name);
	}
	if (out != NULL) {
		if (applied == 0)
			fprintf(out, "database schema is up to date\n");
		else
			fprintf(out, "%d migration(s) applied\n", applied);
	}
	rc = 0;
done:
	unlock(db, a, pid);
	return rc;
}

/* Counts pending migrations and lists every file's state on out. */
int
ag_migrate_report(ag_db *db, ag_arena *a, const char *dir, FILE *out, int *pending, char *err,
    size_t errlen)
{
	struct mfile *v = NULL;
	size_t n = 0;
	int count = 0;

	ag_errf(err, errlen, "%s", "");
	if (load_files(a, dir, &v, &n, err, errlen) < 0)
		return -1;
	if (match_applied(db, a, v, n, err, errlen) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (!v[i].applied)
			count++;
		if (out != NULL)
			fprintf(out, "%-8s %s\n", v[i].applied ? "applied" : "pending", v[i].name);
	}
	if (pending != NULL)
		*pending = count;
	return 0;
}

/* Number of migrations not yet applied (e.g. for a startup check). */
int
ag_migrate_status(ag_db *db, ag_arena *a, const char *dir, int *pending, char *err,
    size_t errlen)
{
	return ag_migrate_report(db, a, dir, NULL, pending, err, errlen);
}

/* Runs a SQL file such as demo seed data in one transaction. */
int
ag_sql_run_file(ag_db *db, ag_arena *a, const char *path, char *err, size_t errlen)
{
	char *sql;
	size_t len;

	ag_errf(err, errlen, "%s", "");
	if (read_file(a, path, &sql, &len, err, errlen) < 0)
		return -1;
	if (ag_db_begin(db) < 0) {
		ag_errf(err, errlen, "%s: BEGIN failed: %s", path, ag_db_error(db));
		return -1;
	}
	if (run_script(db, path, sql, err, errlen) < 0) {
		ag_db_rollback(db);
		return -1;
	}
	if (ag_db_commit(db) < 0) {
		ag_errf(err, errlen, "%s: COMMIT failed: %s", path, ag_db_error(db));
		return -1;
	}
	return 0;
}
