/*
 * migrate.h - schema migrations from numbered SQL files.
 *
 * A migration is <dir>/NNN_name.sql (NNN: 3 or more digits; other files
 * are ignored), applied in numeric order, each in its own transaction
 * together with its row in schema_migrations(version, filename,
 * checksum = sha256 hex of the file bytes, applied_at).  Files must not
 * contain transaction control (BEGIN/COMMIT) or COPY FROM STDIN.
 * Changing an applied file is refused: write a new migration instead.
 */
#ifndef AG_MIGRATE_H
#define AG_MIGRATE_H

#include <stddef.h>
#include <stdio.h>

#include "arena.h"
#include "db.h"

/* Applies pending migrations.  Refuses (nothing applied, err names the
 * file) if an applied file's checksum changed.  Holds a session
 * advisory lock so two migrators cannot run at once.  Progress goes to
 * out unless it is NULL.  Returns 0 or -1 with err set. */
int ag_migrate_up(ag_db *db, ag_arena *a, const char *dir, FILE *out, char *err, size_t errlen);
/* *pending = number of files not yet applied; returns -1 on error
 * (including a changed applied file), 0 otherwise. */
int ag_migrate_status(ag_db *db, ag_arena *a, const char *dir, int *pending, char *err,
    size_t errlen);
/* ag_migrate_status() that also lists each file as "applied" or
 * "pending" on out (for the command-line tool). */
int ag_migrate_report(ag_db *db, ag_arena *a, const char *dir, FILE *out, int *pending,
    char *err, size_t errlen);
/* Runs one SQL file (e.g. demo seed data) in a transaction. */
int ag_sql_run_file(ag_db *db, ag_arena *a, const char *path, char *err, size_t errlen);

#endif
