/*
 * activity_store.c - SQL for the activity log; see activity_store.h.
 */
#include "activity_store.h"

#include <stdlib.h>

/* ISO-8601 UTC with milliseconds, as API.md prescribes. */
#define ISO(col) "to_char(" col " AT TIME ZONE 'UTC', " \
	"'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"

#define LOG_COLUMNS \
	" l.id, l.user_id, u.name AS user_name, u.email AS user_email," \
	" l.role, l.module, l.action, l.record_id, l.ip, l.request_id," \
	ISO("l.created_at") " AS created_at"

#define LOG_FROM " FROM activity_logs l LEFT JOIN users u ON u.id = l.user_id"

/*
 * $1 user, $2 module, $3 action, $4 record, $5 first day, $6 last day,
 * $7 search (wildcards escaped), $8 time zone.  A day runs from its
 * midnight to the next one in the estate's zone.
 */
#define LIST_WHERE \
	" WHERE ($1::uuid IS NULL OR l.user_id = $1::uuid)" \
	" AND ($2::text IS NULL OR l.module = $2)" \
	" AND ($3::text IS NULL OR l.action = $3)" \
	" AND ($4::text IS NULL OR l.record_id = $4)" \
	" AND ($5::date IS NULL OR l.created_at >=" \
	"  ($5::date)::timestamp AT TIME ZONE $8::text)" \
	" AND ($6::date IS NULL OR l.created_at <" \
	"  ($6::date + 1)::timestamp AT TIME ZONE $8::text)" \
	" AND ($7::text IS NULL OR u.name ILIKE '%' || $7 || '%'" \
	"  OR u.email ILIKE '%' || $7 || '%'" \
	"  OR l.record_id ILIKE '%' || $7 || '%'" \
	"  OR l.module ILIKE '%' || $7 || '%'" \
	"  OR l.action ILIKE '%' || $7 || '%')"

static const char SQL_INSERT[] =
	"INSERT INTO activity_logs (user_id, role, module, action, record_id,"
	" ip, request_id, before, after)"
	" VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9::jsonb)";

static const char SQL_COUNT[] =
	"SELECT count(*) AS n" LOG_FROM LIST_WHERE;

static const char SQL_GET[] =
	"SELECT" LOG_COLUMNS ", l.before::text AS before,"
	" l.after::text AS after" LOG_FROM " WHERE l.id = $1";

/* A loose index scan over (module, record_id): one probe per module. */
static const char SQL_MODULES[] =
	"WITH RECURSIVE m AS ("
	" SELECT min(module) AS module FROM activity_logs"
	" UNION ALL"
	" SELECT (SELECT min(module) FROM activity_logs WHERE module > m.module)"
	" FROM m WHERE m.module IS NOT NULL)"
	" SELECT module FROM m WHERE module IS NOT NULL ORDER BY module LIMIT 200";

PGresult *
ag_activity_store_insert(ag_db *db, ag_arena *a, const ag_actor *who,
    const char *module, const char *action, const char *record_id,
    const char *before, const char *after)
{
	return AG_DB_PREP(db, a, SQL_INSERT, who->user_id, who->role, module,
	    action, record_id, who->ip, who->request_id, before, after);
}

PGresult *
ag_activity_store_list(ag_db *db, ag_arena *a, const ag_activity_filter *f,
    const char *search, const char *tz, const char *column, const char *order,
    long limit, long offset)
{
	const char *sql = ag_db_sorted(a, "SELECT" LOG_COLUMNS LOG_FROM
	    LIST_WHERE " ORDER BY l.", column, order, ", l.id LIMIT $9 OFFSET $10");

	return AG_DB_EXEC(db, a, sql, f->user_id, f->module, f->action,
	    f->record_id, f->date_from, f->date_to, search, tz,
	    ag_sprintf(a, "%ld", limit), ag_sprintf(a, "%ld", offset));
}

long
ag_activity_store_count(ag_db *db, ag_arena *a, const ag_activity_filter *f,
    const char *search, const char *tz)
{
	PGresult *r = AG_DB_EXEC(db, a, SQL_COUNT, f->user_id, f->module,
	    f->action, f->record_id, f->date_from, f->date_to, search, tz);

	return r != NULL ? atol(ag_db_get(r, 0, "n")) : -1;
}

PGresult *
ag_activity_store_get(ag_db *db, ag_arena *a, const char *id)
{
	return AG_DB_PREP(db, a, SQL_GET, id);
}

PGresult *
ag_activity_store_modules(ag_db *db, ag_arena *a)
{
	return ag_db_exec(db, a, SQL_MODULES, 0, NULL);
}
