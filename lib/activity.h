/*
 * activity.h - the activity log: who changed what, when, from where, with
 * the record before and after.  Written by services inside the same
 * transaction as the change, so a change without its log line cannot exist.
 * Read back through a filtered list and a detail (activity_log.read),
 * shared by the JSON API and the admin pages.
 */
#ifndef AG_ACTIVITY_H
#define AG_ACTIVITY_H

#include <jansson.h>

#include "app.h"

/* before/after may be NULL; they are not stolen. Returns 0 or -1. */
int ag_activity_write(ag_db *db, ag_arena *a, const ag_actor *who,
    const char *module, const char *action, const char *record_id,
    const json_t *before, const json_t *after);

/* Query fields of GET /v1/activity-logs and of the admin page. */
extern const ag_field ag_activity_list_fields[];

/* What a list asks for; NULL members do not filter. */
typedef struct ag_activity_filter {
	const char *user_id, *module, *action, *record_id;
	const char *date_from, *date_to; /* YYYY-MM-DD in the estate's zone */
	const char *search;   /* user name or email, record id, module, action */
	const char *sort;     /* created_at (default), module, action */
	const char *order;    /* "asc" or "desc" (default) */
	long page, limit;
} ag_activity_filter;

/* The filter named by input validated against ag_activity_list_fields. */
void ag_activity_filter_from(ag_activity_filter *f, const ag_input *q);

/*
 * One page of log lines, newest first unless sorted otherwise; each item
 * is {id, user, role, module, action, record_id, ip, request_id,
 * created_at} (no before/after).  422 when date_to precedes date_from.
 * *items is a new reference the caller owns.
 */
int ag_activity_list(ag_app *app, ag_arena *a, const ag_activity_filter *f,
    json_t **items, ag_page *page, ag_error *e);

/*
 * One log line with before and after as JSON values (null when absent);
 * 404 ACTIVITY_LOG_NOT_FOUND.  *out is a new reference the caller owns
 * (ag_resp_json steals it).
 */
int ag_activity_get(ag_app *app, ag_arena *a, const char *id, json_t **out,
    ag_error *e);

/* The modules that occur in the log, sorted, as a JSON array of strings
 * (for a filter's choices); NULL with e filled on a database error. */
json_t *ag_activity_modules(ag_app *app, ag_arena *a, ag_error *e);

#endif
