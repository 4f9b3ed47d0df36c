/*
 * portal_activity.c - the admin pages of the activity log:
 * /admin/log-aktivitas (filters, table, pages) and
 * /admin/log-aktivitas/{id} (the record before and after, side by side).
 *
 * Read only, so no forms with side effects; the filter form is a GET.
 * The rules are lib/activity.c's, the same the JSON API uses.
 */
#include "identity_routes.h"

#include <stdlib.h>
#include <string.h>

#include "activity.h"
#include "jsonin.h"
#include "render.h"

#define PAGE_SIZE 20

/* The filter names the page keeps across its links (page excluded). */
static const char *const kept[] = { "module", "search", "user_id",
    "action", "record_id", "date_from", "date_to", NULL };

/* "module=ticket&search=x&" of the filters in effect, for page links. */
static const char *
filter_query(ag_ctx *c, const ag_input *in)
{
	ag_buf b;

	ag_buf_init(&b, c->a);
	for (size_t i = 0; kept[i] != NULL; i++) {
		const char *v = ag_in_str(in, kept[i]);

		if (v == NULL)
			continue;
		ag_buf_puts(&b, kept[i]);
		ag_buf_putc(&b, '=');
		ag_url_encode(&b, v);
		ag_buf_putc(&b, '&');
	}
	return b.data;
}

/* [{name, selected}] of the modules in the log, plus the chosen one. */
static json_t *
module_choices(ag_ctx *c, const char *chosen, ag_error *e)
{
	json_t *names = ag_activity_modules(c->app, c->a, e), *out, *it;
	int seen = 0;
	size_t i;

	if (names == NULL)
		return NULL;
	out = json_array();
	json_array_foreach(names, i, it) {
		const char *n = json_string_value(it);
		int sel = chosen != NULL && strcmp(chosen, n) == 0;

		seen |= sel;
		json_array_append_new(out, json_pack("{s:s, s:b}", "name", n,
		    "selected", sel));
	}
	if (chosen != NULL && !seen)
		json_array_append_new(out, json_pack("{s:s, s:b}", "name", chosen,
		    "selected", 1));
	json_decref(names);
	return out;
}

static void
activity_page(ag_ctx *c)
{
	ag_activity_filter f;
	ag_input in;
	ag_page page = { 1, PAGE_SIZE, 0 };
	ag_error merr;
	json_t *ctx, *logs = NULL, *values = json_object(), *modules;
	const char *qs;
	long pages;
	int status = 200;

	/* Problems with the filters are shown beside them, not as an error page. */
	ag_input_from_kv(&in, c->a, ag_activity_list_fields,
	    &c->req->query_params, 0, &c->err);
	for (size_t i = 0; kept[i] != NULL; i++) {
		const char *v = ag_kv_get(&c->req->query_params, kept[i]);

		if (v != NULL)
			json_object_set_new(values, kept[i], json_string(v));
	}
	ag_activity_filter_from(&f, &in);
	f.limit = PAGE_SIZE;
	f.sort = NULL;
	f.order = NULL;
	if (c->err.status == 0 && ag_activity_list(c->app, c->a, &f, &logs,
	    &page, &c->err) != 0 && c->err.fields == NULL) {
		json_decref(values);
		ag_render_error(c, c->err.status, c->err.message);
		return;
	}
	if (c->err.status != 0)
		status = c->err.status;
	ag_error_init(&merr, c->a);
	modules = module_choices(c, f.module, &merr);
	if (modules == NULL) {
		json_decref(values);
		json_decref(logs);
		ag_render_error(c, merr.status, merr.message);
		return;
	}
	qs = filter_query(c, &in);
	pages = (page.total + page.limit - 1) / page.limit;
	ctx = json_pack("{s:o, s:o, s:o, s:o, s:I, s:I, s:I, s:b, s:b, s:I, s:I,"
	    " s:s, s:b}",
	    "logs", logs != NULL ? logs : json_array(), "modules", modules,
	    "values", values, "errors", ag_render_field_errors(&c->err),
	    "total", (json_int_t)page.total, "page", (json_int_t)page.page,
	    "pages", (json_int_t)(pages > 0 ? pages : 1),
	    "has_prev", page.page > 1, "has_next", page.page < pages,
	    "prev", (json_int_t)(page.page - 1), "next", (json_int_t)(page.page + 1),
	    "filter_qs", qs, "filtered", qs[0] != '\0');
	if (c->err.status != 0)
		json_object_set_new(ctx, "error", json_string(c->err.fields != NULL ?
		    "Periksa kembali saringan yang ditandai." : c->err.message));
	ag_render(c, status, "admin_activity", ctx);
}

/* v pretty-printed for a <pre>, or NULL for null (nothing recorded). */
static json_t *
pretty(const json_t *v)
{
	char *s;
	json_t *out;

	if (v == NULL || json_is_null(v))
		return json_null();
	s = json_dumps(v, JSON_INDENT(2) | JSON_SORT_KEYS | JSON_ENCODE_ANY);
	if (s == NULL)
		return json_null();
	out = json_string(s);
	free(s);
	return out != NULL ? out : json_null();
}

static void
activity_detail_page(ag_ctx *c)
{
	json_t *log, *ctx;

	if (ag_activity_get(c->app, c->a, ag_req_param(c->req, "id"), &log,
	    &c->err) != 0) {
		ag_render_error(c, c->err.status, c->err.message);
		return;
	}
	ctx = json_pack("{s:o, s:o, s:o}", "before_text",
	    pretty(json_object_get(log, "before")), "after_text",
	    pretty(json_object_get(log, "after")), "log", log);
	ag_render(c, 200, "admin_activity_detail", ctx);
}

const ag_route ag_portal_activity_routes[] = {
	{ "GET", "/admin/log-aktivitas", activity_page, "activity_log.read",
	    AG_R_HTML, NULL, NULL },
	{ "GET", "/admin/log-aktivitas/{id}", activity_detail_page,
	    "activity_log.read", AG_R_HTML, NULL, NULL },
	AG_ROUTES_END
};
