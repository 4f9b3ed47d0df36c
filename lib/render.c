/*
 * render.c - pages from templates; see render.h.
 */
#include "render.h"

#include <string.h>
#include <time.h>

#include "auth.h"
#include "jsonin.h"
#include "log.h"

static void
plain(ag_ctx *c, int status, const char *text)
{
	ag_resp_bytes(c->resp, status, "text/plain; charset=utf-8", text,
	    strlen(text));
}

/*
 * The user's permissions as {"ticket_read": true, ...} so that templates
 * show only the menus and buttons the role may use ("." would be a
 * Mustache path separator, hence "_").
 */
static json_t *
permission_flags(const ag_principal *p)
{
	json_t *o = json_object();
	const char *s = p->perms;

	while (s != NULL && *s != '\0') {
		const char *end = strchr(s, ',');
		size_t n = end != NULL ? (size_t)(end - s) : strlen(s);
		char key[96];

		if (n > 0 && n < sizeof(key)) {
			memcpy(key, s, n);
			key[n] = '\0';
			for (char *k = key; *k != '\0'; k++)
				if (*k == '.')
					*k = '_';
			json_object_set_new(o, key, json_true());
		}
		s = end != NULL ? end + 1 : NULL;
	}
	return o;
}

void
ag_render(ag_ctx *c, int status, const char *name, json_t *ctx)
{
	ag_tmpl_loader loader;
	const char *src;
	char err[200], *html;
	time_t now = time(NULL);
	struct tm tm;

	ctx = ag_json_own(c->a, ctx != NULL ? ctx : json_object());
	gmtime_r(&now, &tm);
	json_object_set_new(ctx, "csrf_token", c->csrf_token != NULL ?
	    json_string(c->csrf_token) : json_null());
	json_object_set_new(ctx, "csrf_field", json_string(AG_CSRF_FIELD));
	if (c->user != NULL) {
		json_object_set_new(ctx, "user", ag_principal_json(c->user));
		json_object_set_new(ctx, "can", permission_flags(c->user));
	}
	json_object_set_new(ctx, "app", json_pack("{s:s, s:s}", "name",
	    "Autogate", "version", c->app->version != NULL ? c->app->version : ""));
	json_object_set_new(ctx, "year", json_integer(tm.tm_year + 1900));

	ag_tmpl_dir_loader(&loader, c->app->templates_dir);
	src = loader.load(loader.ud, c->a, name);
	if (src == NULL) {
		ag_log(AG_LOG_ERROR, "template %s not found in %s", name,
		    c->app->templates_dir);
		plain(c, 500, "Terjadi kesalahan pada server");
		return;
	}
	html = ag_mustache_render(c->a, src, ctx, &loader, err, sizeof(err));
	if (html == NULL) {
		ag_log(AG_LOG_ERROR, "template %s: %s", name, err);
		plain(c, 500, "Terjadi kesalahan pada server");
		return;
	}
	ag_resp_html(c->resp, status, html, strlen(html));
	/* A throttled request says when to try again, on pages as in the API. */
	if (status == 429 && c->err.retry_after > 0)
		ag_resp_header(c->resp, "Retry-After",
		    ag_sprintf(c->a, "%ld", c->err.retry_after));
}

void
ag_render_error(ag_ctx *c, int status, const char *message)
{
	ag_render(c, status, "error", json_pack("{s:i, s:s}", "status", status,
	    "message", message));
}

const char *
ag_render_notice(const ag_ctx *c, const ag_notice *table, size_t n)
{
	const char *code = ag_req_query(c->req, "pesan");

	for (size_t i = 0; code != NULL && i < n; i++)
		if (strcmp(code, table[i].code) == 0)
			return table[i].text;
	return NULL;
}

json_t *
ag_render_field_errors(const ag_error *e)
{
	json_t *o = json_object(), *it;
	size_t i;

	if (e->fields != NULL)
		json_array_foreach(e->fields, i, it)
			json_object_set(o, json_string_value(json_object_get(it,
			    "field")), json_object_get(it, "message"));
	return o;
}
