/*
 * app.c - configuration, per-process set-up and the one dispatch path
 * every request takes; see app.h.
 */
#include "app.h"

#include "ag_build.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "auth.h"
#include "crypto.h"
#include "jsonin.h"
#include "log.h"
#include "migrate.h"
#include "render.h"
#include "server.h"

#define MAX_JSON_DEPTH 32

long long
ag_now(void)
{
	return (long long)time(NULL);
}

static const char *
setting(ag_app *app, const char *section, const char *key, const char *def)
{
	const char *v = ag_config_get(app->cfg, section, key, def);

	return v != NULL ? ag_xstrdup(v) : NULL;
}

int
ag_app_configure(ag_app *app, const char *config_path, char *err,
    size_t errlen)
{
	ag_config *cfg = ag_config_load(config_path, err, errlen);
	enum ag_log_level level;

	if (cfg == NULL)
		return -1;
	/* Settings are process-lifetime; a reload leaks the old strings once. */
	if (app->cfg != NULL)
		ag_config_free(app->cfg);
	app->cfg = cfg;
	app->config_path = config_path;
	app->public_url = setting(app, "server", "public_url",
	    "http://127.0.0.1:8080");
	app->timezone = setting(app, "server", "timezone", "Asia/Jakarta");
	app->secret = setting(app, "security", "secret", NULL);
	app->templates_dir = setting(app, "paths", "templates",
	    AG_DATADIR "/templates");
	app->static_dir = setting(app, "paths", "static", AG_DATADIR "/static");
	app->sql_dir = setting(app, "paths", "sql", AG_DATADIR "/sql");
	app->fonts_dir = setting(app, "paths", "fonts", NULL);
	app->data_dir = setting(app, "paths", "data", AG_DATADIR "/data");
	app->max_body = (size_t)ag_config_int(cfg, "server", "max_body",
	    10L << 20, 1024, 1L << 30);
	app->max_json = (size_t)ag_config_int(cfg, "server", "max_json",
	    1L << 20, 1024, 64L << 20);
	app->max_upload = (size_t)ag_config_int(cfg, "server", "max_upload",
	    5L << 20, 1024, 1L << 30);
	app->cookie_secure = ag_config_bool(cfg, "security", "cookie_secure", 0);
	app->session_idle_minutes = ag_config_int(cfg, "security",
	    "session_idle_minutes", 60, 1, 24 * 60);
	app->access_token_minutes = ag_config_int(cfg, "security",
	    "access_token_minutes", 15, 1, 24 * 60);
	app->refresh_token_days = ag_config_int(cfg, "security",
	    "refresh_token_days", 30, 1, 365);
	app->file_url_ttl = ag_config_int(cfg, "security", "file_url_ttl", 900,
	    10, 7 * 86400);
	if (ag_log_level_parse(ag_config_get(cfg, "log", "level", "info"),
	    &level) == 0)
		ag_log_set_level(level);
	if (app->secret == NULL || strlen(app->secret) < 32) {
		snprintf(err, errlen, "[security] secret must be set to at least "
		    "32 characters (e.g. openssl rand -hex 32)");
		return -1;
	}
	return 0;
}

int
ag_app_open(ag_app *app)
{
	char err[256];
	const char *root = ag_config_get(app->cfg, "paths", "storage",
	    "/var/lib/autogate/storage");

	app->db = ag_db_open(ag_config_get(app->cfg, "database", "dsn",
	    "dbname=autogate"));
	app->storage = ag_storage_local_open(root, err, sizeof(err));
	if (app->storage == NULL) {
		ag_log(AG_LOG_ERROR, "storage %s: %s", root, err);
		return -1;
	}
	app->arena = ag_arena_new();
	return 0;
}

void
ag_app_close(ag_app *app)
{
	ag_arena_free(app->arena);
	app->arena = NULL;
	if (app->db != NULL)
		ag_db_close(app->db);
	app->db = NULL;
	if (app->storage != NULL)
		ag_storage_close(app->storage);
	app->storage = NULL;
}

int
ag_can(const ag_principal *p, const char *perm)
{
	char needle[96];

	if (p == NULL)
		return 0;
	if (perm == NULL || strcmp(perm, AG_SIGNED_IN) == 0)
		return 1;
	snprintf(needle, sizeof(needle), ",%s,", perm);
	return strstr(p->perms, needle) != NULL;
}

int
ag_secure_cookies(const ag_ctx *c)
{
	return c->app->cookie_secure || (c->req != NULL && c->req->https);
}

char *
ag_file_url(ag_app *app, ag_arena *a, const char *key)
{
	if (key == NULL)
		return NULL;
	return ag_signed_url(a, ag_sprintf(a, "%s/v1/files/stream",
	    app->public_url), key, ag_now() + app->file_url_ttl, app->secret);
}

char *
ag_file_link(ag_app *app, ag_arena *a, const char *key)
{
	if (key == NULL)
		return NULL;
	return ag_signed_url(a, "/v1/files/stream", key,
	    ag_now() + app->file_url_ttl, app->secret);
}

int
ag_fail_db(ag_app *app, ag_error *e)
{
	if (ag_db_in_tx(app->db))
		ag_db_rollback(app->db);
	return ag_fail_internal(e, ag_db_error(app->db));
}

json_t *
ag_dropdown_json(ag_app *app, const PGresult *r, ag_error *e)
{
	json_t *list;

	if (r == NULL) {
		ag_fail_db(app, e);
		return NULL;
	}
	list = json_array();
	for (int i = 0; i < ag_db_rows(r); i++)
		json_array_append_new(list, json_pack("{s:s, s:s}", "id",
		    ag_db_get(r, i, "id"), "name", ag_db_get(r, i, "name")));
	return list;
}

void
ag_fail_json(ag_ctx *c)
{
	ag_resp_json_fail(c->resp, &c->err);
}

/* An error answer in the form the route speaks. */
static void
refuse(ag_ctx *c, int status, const char *code, const char *message)
{
	if (c->route != NULL && (c->route->flags & AG_R_HTML)) {
		ag_render_error(c, status, message != NULL ? message :
		    ag_status_message(status));
		return;
	}
	ag_resp_json_error(c->resp, status, code != NULL ? code :
	    ag_status_code(status), message != NULL ? message :
	    ag_status_message(status), NULL);
}

static void
refuse_fields(ag_ctx *c)
{
	if (c->route->flags & AG_R_HTML)
		ag_render_error(c, c->err.status, c->err.message);
	else
		ag_fail_json(c);
}

static const char *
bearer_token(const ag_req *r)
{
	const char *h = ag_req_header(r, "Authorization");

	if (h == NULL || strncasecmp(h, "Bearer ", 7) != 0)
		return NULL;
	h += 7;
	while (*h == ' ')
		h++;
	return h;
}

/* Signs in the caller as the route's kind of client allows. */
static void
authenticate(ag_ctx *c)
{
	if (c->route->flags & AG_R_HTML) {
		const char *tok = ag_req_cookie(c->req, AG_SESSION_COOKIE);

		if (tok != NULL && (c->user = ag_auth_session(c->app, c->a,
		    tok)) != NULL)
			c->session_token = tok;
	} else {
		const char *tok = bearer_token(c->req);

		if (tok != NULL)
			c->user = ag_auth_bearer(c->app, c->a, tok);
	}
	c->actor.user_id = c->user != NULL ? c->user->user_id : NULL;
	c->actor.role = c->user != NULL ? c->user->role_code : "guest";
	c->actor.level = c->user != NULL ? c->user->role_level : NULL;
	c->actor.company_id = c->user != NULL ? c->user->company_id : NULL;
}

/* The CSRF token of this visitor; an anonymous one gets a cookie. */
static void
prepare_csrf(ag_ctx *c)
{
	const char *basis = c->session_token;

	if (basis == NULL)
		basis = ag_req_cookie(c->req, AG_CSRF_COOKIE);
	if (basis == NULL || strlen(basis) < 20) {
		basis = ag_random_token(c->a, 24);
		ag_resp_cookie(c->resp, AG_CSRF_COOKIE, basis, 86400,
		    ag_secure_cookies(c));
		c->csrf_token = ag_csrf_for(c->app, c->a, basis);
		return;
	}
	c->csrf_token = ag_csrf_for(c->app, c->a, basis);
}

static int
body_problem(ag_ctx *c, enum ag_body_status st)
{
	switch (st) {
	case AG_BODY_OK:
		return 0;
	case AG_BODY_TOO_LARGE:
		refuse(c, 413, NULL, NULL);
		break;
	case AG_BODY_IO:
		refuse(c, 400, NULL, "Data permintaan terputus");
		break;
	default:
		refuse(c, 400, "MALFORMED_REQUEST", "Format data permintaan tidak valid");
		break;
	}
	return -1;
}

static int
read_json(ag_ctx *c)
{
	const ag_route *rt = c->route;
	enum ag_json_status js;
	char err[128];
	unsigned mode = (rt->flags & AG_R_PARTIAL) ? AG_V_PARTIAL : 0;

	/* An empty body where one is optional, whatever its declared type. */
	if (c->req->content_length <= 0 && (rt->flags & AG_R_BODY_OPT)) {
		c->json = ag_json_own(c->a, json_object());
	} else {
		if (!ag_req_is_type(c->req, "application/json")) {
			refuse(c, 415, NULL,
			    "Tipe konten harus application/json");
			return -1;
		}
		if (body_problem(c, ag_req_read_body(c->req, c->app->max_json)))
			return -1;
		js = ag_json_parse_body(c->a, c->req->body, c->req->body_len,
		    c->app->max_json, MAX_JSON_DEPTH, &c->json, err, sizeof(err));
		switch (js) {
		case AG_JSON_OK:
			break;
		case AG_JSON_TOO_LARGE:
			refuse(c, 413, NULL, NULL);
			return -1;
		case AG_JSON_DUPLICATE_KEY:
			refuse(c, 400, "MALFORMED_JSON",
			    "JSON tidak valid: kunci ganda");
			return -1;
		case AG_JSON_NOT_OBJECT:
			refuse(c, 400, "MALFORMED_JSON",
			    "JSON tidak valid: harus berupa objek");
			return -1;
		case AG_JSON_TOO_DEEP:
			refuse(c, 400, "MALFORMED_JSON",
			    "JSON tidak valid: terlalu dalam");
			return -1;
		default:
			refuse(c, 400, "MALFORMED_JSON", "JSON tidak valid");
			return -1;
		}
	}
	if (rt->body != NULL && ag_input_from_json(&c->body, c->a, rt->body,
	    c->json, mode, &c->err) != 0) {
		refuse_fields(c);
		return -1;
	}
	return 0;
}

static int
read_form(ag_ctx *c)
{
	const ag_route *rt = c->route;
	enum ag_body_status st;
	const char *sent;

	if ((rt->flags & AG_R_UPLOAD) &&
	    ag_req_is_type(c->req, "multipart/form-data"))
		st = ag_req_read_multipart(c->req, c->app->max_body,
		    c->app->max_upload, ag_storage_tmpdir(c->app->storage));
	else if (ag_req_is_type(c->req, "application/x-www-form-urlencoded"))
		st = ag_req_read_form(c->req, c->app->max_json);
	else {
		refuse(c, 415, NULL, NULL);
		return -1;
	}
	if (body_problem(c, st))
		return -1;
	sent = ag_kv_get(&c->req->form, AG_CSRF_FIELD);
	if ((rt->flags & AG_R_HTML) && (sent == NULL ||
	    !ag_ct_streq(sent, c->csrf_token))) {
		refuse(c, 403, "CSRF_FAILED", "Formulir kedaluwarsa atau tidak "
		    "sah. Muat ulang halaman lalu kirim kembali.");
		return -1;
	}
	/* Field problems of a form are the handler's to show beside inputs. */
	if (rt->body != NULL)
		ag_input_from_kv(&c->body, c->a, rt->body, &c->req->form,
		    (rt->flags & AG_R_PARTIAL) ? AG_V_PARTIAL : 0, &c->err);
	return 0;
}

/* Runs everything the route declares, then its handler. */
static void
run(ag_ctx *c)
{
	const ag_route *rt;
	const char *allow = "";
	int status;

	rt = ag_route_match_all(c->app->tables, c->req, &status, &allow);
	if (rt == NULL) {
		/* A page-serving program answers unknown paths with a page. */
		if (c->app->tables[0][0].flags & AG_R_HTML)
			c->route = &c->app->tables[0][0];
		if (status == 405)
			ag_resp_header(c->resp, "Allow", allow);
		refuse(c, status, NULL, status == 404 ?
		    "Halaman atau data tidak ditemukan" : NULL);
		return;
	}
	c->route = rt;
	authenticate(c);
	if (rt->flags & AG_R_HTML)
		prepare_csrf(c);
	if (rt->perm != AG_PUBLIC && c->user == NULL) {
		if ((rt->flags & AG_R_HTML) && strcmp(c->req->method, "GET") == 0) {
			ag_buf to;

			ag_buf_init(&to, c->a);
			ag_buf_puts(&to, "/admin/masuk?next=");
			ag_url_encode(&to, c->req->path);
			ag_resp_redirect(c->resp, to.data);
			return;
		}
		refuse(c, 401, NULL, NULL);
		return;
	}
	if (rt->perm != AG_PUBLIC && !ag_can(c->user, rt->perm)) {
		refuse(c, 403, NULL, NULL);
		return;
	}
	if ((rt->flags & AG_R_JSON) && read_json(c) != 0)
		return;
	if ((rt->flags & AG_R_FORM) && read_form(c) != 0)
		return;
	if (rt->query != NULL && ag_input_from_kv(&c->query, c->a, rt->query,
	    &c->req->query_params, 0, &c->err) != 0) {
		refuse_fields(c);
		return;
	}
	if (rt->query == NULL)
		ag_input_empty(&c->query, c->a, NULL);
	if (!(rt->flags & (AG_R_JSON | AG_R_FORM)) || rt->body == NULL)
		ag_input_empty(&c->body, c->a, rt->body);
	rt->handler(c);
}

void
ag_app_dispatch(ag_app *app, char **envp, ag_read_fn rd, void *rdctx,
    ag_buf *out)
{
	ag_arena *a = app->arena;
	ag_req req;
	ag_resp resp;
	ag_ctx c;
	long long t0 = ag_now_us();

	memset(&c, 0, sizeof(c));
	c.a = a;
	c.app = app;
	c.req = &req;
	c.resp = &resp;
	ag_resp_init(&resp, a);
	ag_error_init(&c.err, a);
	if (ag_req_init(&req, a, envp, rd, rdctx) != 0)
		refuse(&c, 400, "MALFORMED_REQUEST", "Permintaan tidak valid");
	else {
		c.actor.ip = req.remote_addr;
		c.actor.request_id = req.request_id;
		run(&c);
	}
	/* A handler must not leave a transaction open for the next request. */
	if (app->db != NULL && ag_db_in_tx(app->db)) {
		ag_log(AG_LOG_ERROR, "%s %s left a transaction open", req.method,
		    req.path);
		ag_db_rollback(app->db);
	}
	if (resp.status >= 500 && resp.body.len == 0)
		refuse(&c, resp.status, NULL, NULL);
	ag_resp_serialize(&resp, out, strcmp(req.method, "HEAD") == 0);
	ag_log_request(req.request_id, req.method, req.path, resp.status,
	    (double)(ag_now_us() - t0) / 1000.0,
	    c.user != NULL ? c.user->user_id : NULL, resp.body.len);
}

/* Glue between the pre-forked server and the dispatcher. */

static long
fcgx_read(void *ctx, char *buf, size_t n)
{
	FCGX_Stream *in = ctx;
	int got = FCGX_GetStr(buf, n > 65536 ? 65536 : (int)n, in);

	if (got > 0)
		return got;
	return FCGX_GetError(in) != 0 ? -1 : 0;
}

static void
hook_handle(FCGX_Request *r, void *ud)
{
	ag_app *app = ud;
	ag_buf out;

	ag_buf_init(&out, app->arena);
	ag_app_dispatch(app, r->envp, fcgx_read, r->in, &out);
	FCGX_PutStr(out.data, (int)out.len, r->out);
	ag_arena_reset(app->arena);
}

static int
hook_child_init(void *ud)
{
	return ag_app_open(ud);
}

static void
hook_child_exit(void *ud)
{
	ag_app_close(ud);
}

static int
hook_reload(void *ud)
{
	ag_app *app = ud;
	char err[256];

	if (ag_app_configure(app, app->config_path, err, sizeof(err)) != 0) {
		ag_log(AG_LOG_ERROR, "reload: %s (keeping old configuration)", err);
		return -1;
	}
	ag_log(AG_LOG_INFO, "configuration reloaded");
	return 0;
}

static void
print_routes(const ag_route *const *tables)
{
	json_t *list = json_array();
	char *s;

	for (size_t t = 0; tables[t] != NULL; t++)
		for (const ag_route *r = tables[t]; r->method != NULL; r++)
			json_array_append_new(list, json_pack("{s:s, s:s, s:s?, s:b}",
			    "method", r->method, "path", r->pattern, "permission",
			    r->perm, "html", (r->flags & AG_R_HTML) != 0));
	s = json_dumps(list, JSON_INDENT(1));
	puts(s);
	free(s);
	json_decref(list);
}

int
ag_worker_main(int argc, char **argv, const char *name,
    const ag_route *const *tables)
{
	static ag_app app;
	ag_server_opts opts;
	ag_server_hooks hooks;
	ag_cli cli;
	char err[256];
	const char *config;
	int rc;

	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--routes") == 0) {
			print_routes(tables);
			return 0;
		}
	rc = ag_cli_parse(argc, argv, name, PACKAGE_VERSION, &cli);
	if (rc != 0)
		return rc > 0 ? 0 : 2;
	config = cli.config != NULL ? cli.config : getenv("AUTOGATE_CONFIG");
	if (config == NULL)
		config = AG_SYSCONFDIR "/autogate.conf";
	app.name = name;
	app.version = PACKAGE_VERSION;
	app.tables = tables;
	if (ag_app_configure(&app, config, err, sizeof(err)) != 0) {
		fprintf(stderr, "%s: %s: %s\n", name, config, err);
		return 1;
	}
	memset(&opts, 0, sizeof(opts));
	opts.name = name;
	opts.listen = cli.listen != NULL ? cli.listen :
	    ag_config_get(app.cfg, "server", "listen", NULL);
	opts.socket_mode = (int)strtol(ag_config_get(app.cfg, "server",
	    "socket_mode", "0660"), NULL, 8);
	opts.workers = cli.workers > 0 ? cli.workers : (int)ag_config_int(app.cfg,
	    "server", "workers", 4, 1, AG_SERVER_MAX_WORKERS);
	opts.pidfile = cli.pidfile;
	opts.drain_seconds = (int)ag_config_int(app.cfg, "server",
	    "request_timeout", 30, 1, 600);
	memset(&hooks, 0, sizeof(hooks));
	hooks.child_init = hook_child_init;
	hooks.handle = hook_handle;
	hooks.child_exit = hook_child_exit;
	hooks.reload = hook_reload;
	hooks.ud = &app;
	ag_log(AG_LOG_INFO, "%s %s starting with %d workers", name,
	    PACKAGE_VERSION, opts.workers);
	return ag_server_run(&opts, &hooks);
}
