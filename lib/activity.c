/*
 * activity.c - the activity log service: writing, listing and reading
 * log lines; see activity.h.  SQL lives in activity_store.c.
 */
#include "activity.h"

#include <string.h>

#include "activity_store.h"
#include "jsonin.h"

static const char *const sort_keys[] = { "created_at", "module", "action",
    NULL };

const ag_field ag_activity_list_fields[] = {
	AG_LIST_FIELDS(sort_keys),
	{ "user_id", AG_T_UUID, 0, 0, 0, NULL },
	{ "module", AG_T_STRING, 0, 0, 50, NULL },
	{ "action", AG_T_STRING, 0, 0, 50, NULL },
	{ "record_id", AG_T_STRING, 0, 0, 100, NULL },
	{ "date_from", AG_T_DATE, 0, 0, 0, NULL },
	{ "date_to", AG_T_DATE, 0, 0, 0, NULL },
	AG_FIELDS_END
};


int
ag_activity_write(ag_db *db, ag_arena *a, const ag_actor *who,
    const char *module, const char *action, const char *record_id,
    const json_t *before, const json_t *after)
{
	return ag_activity_store_insert(db, a, who, module, action, record_id,
	    before != NULL ? ag_json_dump(a, before) : NULL,
	    after != NULL ? ag_json_dump(a, after) : NULL) != NULL ? 0 : -1;
}

void
ag_activity_filter_from(ag_activity_filter *f, const ag_input *q)
{
	f->user_id = ag_in_str(q, "user_id");
	f->module = ag_in_str(q, "module");
	f->action = ag_in_str(q, "action");
	f->record_id = ag_in_str(q, "record_id");
	f->date_from = ag_in_str(q, "date_from");
	f->date_to = ag_in_str(q, "date_to");
	f->search = ag_in_str(q, "search");
	f->sort = ag_in_str(q, "sort");
	f->order = ag_in_str(q, "order");
	f->page = ag_in_int(q, "page", 1);
	f->limit = ag_in_int(q, "limit", 10);
}

/* Fields every view of a log line shares, from row i. */
static json_t *
row_json(const PGresult *r, int i)
{
	const char *uid = ag_db_get(r, i, "user_id");
	json_t *user = json_null();

	if (uid != NULL)
		user = json_pack("{s:s, s:s?, s:s?}", "id", uid, "name",
		    ag_db_get(r, i, "user_name"), "email",
		    ag_db_get(r, i, "user_email"));
	return json_pack("{s:s, s:o, s:s?, s:s, s:s, s:s?, s:s?, s:s?, s:s}",
	    "id", ag_db_get(r, i, "id"), "user", user,
	    "role", ag_db_get(r, i, "role"),
	    "module", ag_db_get(r, i, "module"),
	    "action", ag_db_get(r, i, "action"),
	    "record_id", ag_db_get(r, i, "record_id"),
	    "ip", ag_db_get(r, i, "ip"),
	    "request_id", ag_db_get(r, i, "request_id"),
	    "created_at", ag_db_get(r, i, "created_at"));
}

int
ag_activity_list(ag_app *app, ag_arena *a, const ag_activity_filter *f,
    json_t **items, ag_page *page, ag_error *e)
{
	/* the column behind each sort key; nothing else reaches ORDER BY */
	static const struct { const char *key, *column; } sorts[] = {
		{ "created_at", "created_at" }, { "module", "module" },
		{ "action", "action" },
	};
	const char *column = "created_at", *search = ag_db_like(a, f->search);
	const char *order = f->order != NULL && strcmp(f->order, "asc") == 0 ?
	    "ASC" : "DESC";
	const char *tz = app->timezone != NULL ? app->timezone : "Asia/Jakarta";
	PGresult *r;

	*items = NULL;
	for (size_t i = 0; f->sort != NULL && i < sizeof(sorts) / sizeof(sorts[0]);
	    i++)
		if (strcmp(f->sort, sorts[i].key) == 0)
			column = sorts[i].column;
	if (f->date_from != NULL && f->date_to != NULL &&
	    strcmp(f->date_from, f->date_to) > 0) {
		ag_error_field(e, "date_to", "tidak boleh sebelum date_from");
		return -1;
	}
	page->page = f->page > 0 ? f->page : 1;
	page->limit = f->limit > 0 && f->limit <= 100 ? f->limit : 10;
	page->total = ag_activity_store_count(app->db, a, f, search, tz);
	if (page->total < 0)
		return ag_fail_db(app, e);
	r = ag_activity_store_list(app->db, a, f, search, tz, column, order,
	    page->limit, (page->page - 1) * page->limit);
	if (r == NULL)
		return ag_fail_db(app, e);
	*items = json_array();
	for (int i = 0; i < ag_db_rows(r); i++)
		json_array_append_new(*items, row_json(r, i));
	return 0;
}

/* A stored JSON text as a value; null when absent or unreadable. */
static json_t *
stored_json(const char *text)
{
	json_t *v;

	if (text == NULL)
		return json_null();
	v = json_loads(text, JSON_DECODE_ANY, NULL);
	return v != NULL ? v : json_null();
}

int
ag_activity_get(ag_app *app, ag_arena *a, const char *id, json_t **out,
    ag_error *e)
{
	PGresult *r;

	*out = NULL;
	if (id == NULL)
		return ag_fail(e, 404, "ACTIVITY_LOG_NOT_FOUND",
		    "Log aktivitas tidak ditemukan");
	r = ag_activity_store_get(app->db, a, id);
	if (r == NULL)
		return ag_fail_db(app, e);
	if (ag_db_rows(r) != 1)
		return ag_fail(e, 404, "ACTIVITY_LOG_NOT_FOUND",
		    "Log aktivitas tidak ditemukan");
	*out = row_json(r, 0);
	json_object_set_new(*out, "before", stored_json(ag_db_get(r, 0,
	    "before")));
	json_object_set_new(*out, "after", stored_json(ag_db_get(r, 0,
	    "after")));
	return 0;
}

json_t *
ag_activity_modules(ag_app *app, ag_arena *a, ag_error *e)
{
	PGresult *r = ag_activity_store_modules(app->db, a);
	json_t *list;

	if (r == NULL) {
		ag_fail_db(app, e);
		return NULL;
	}
	list = json_array();
	for (int i = 0; i < ag_db_rows(r); i++)
		json_array_append_new(list, json_string(ag_db_get(r, i,
		    "module")));
	return list;
}
