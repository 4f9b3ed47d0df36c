/*
 * activity_store.h - SQL for the activity log.  Only activity.c calls
 * it.  Every statement is parameterised; the sort column reaching ORDER
 * BY comes from a fixed table in activity.c, never from input.
 */
#ifndef AG_ACTIVITY_STORE_H
#define AG_ACTIVITY_STORE_H

#include <libpq-fe.h>

#include "activity.h"
#include "db.h"

/* Appends one log line; before/after are JSON texts or NULL. */
PGresult *ag_activity_store_insert(ag_db *db, ag_arena *a,
    const ag_actor *who, const char *module, const char *action,
    const char *record_id, const char *before, const char *after);

/*
 * One page of log lines (without before/after) matching f, with the
 * acting user's name and email; dates are days in time zone tz.
 * search must already have LIKE's wildcards escaped.
 */
PGresult *ag_activity_store_list(ag_db *db, ag_arena *a,
    const ag_activity_filter *f, const char *search, const char *tz,
    const char *column, const char *order, long limit, long offset);
/* How many lines match; -1 on a database error. */
long ag_activity_store_count(ag_db *db, ag_arena *a,
    const ag_activity_filter *f, const char *search, const char *tz);
/* One line with before/after as JSON text; no row when absent. */
PGresult *ag_activity_store_get(ag_db *db, ag_arena *a, const char *id);
/* The distinct modules that occur in the log, sorted (column "module"). */
PGresult *ag_activity_store_modules(ag_db *db, ag_arena *a);

#endif
