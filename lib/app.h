/*
 * app.h - a worker program: its configuration, its connections, and the
 * dispatch of one request through the route table.
 *
 * The dispatcher does, in order and for every route alike: parse the
 * request, match the route (404/405), authenticate (bearer token for the
 * API, session cookie for pages), check the route's permission
 * (401/403), check CSRF on page forms, read and validate the body and
 * query against the route's field tables (400/413/415/422), and only
 * then call the handler with typed input.  The answer is written once,
 * the request is logged as one JSON line, and the arena is reset.
 */
#ifndef AG_APP_H
#define AG_APP_H

#include <jansson.h>

#include "arena.h"
#include "config.h"
#include "db.h"
#include "error.h"
#include "mustache.h"
#include "request.h"
#include "response.h"
#include "router.h"
#include "storage.h"
#include "validate.h"

typedef struct ag_app {
	const char *name;
	const char *version;
	const char *config_path;
	ag_config *cfg;
	const ag_route *const *tables; /* the worker's route tables, NULL-terminated */
	ag_db *db;
	ag_storage *storage;
	ag_arena *arena;        /* reused by every request of this process */

	/* Settings read from the configuration. */
	const char *public_url;
	const char *secret;
	const char *timezone;
	const char *templates_dir;
	const char *static_dir;
	const char *sql_dir;
	const char *fonts_dir;
	const char *data_dir;    /* data files, e.g. data/common-passwords.txt */
	size_t max_body, max_json, max_upload;
	int cookie_secure;
	long session_idle_minutes;
	long access_token_minutes;
	long refresh_token_days;
	long file_url_ttl;
} ag_app;

/* Who acts, for services and the activity log. */
typedef struct ag_actor {
	const char *user_id;    /* NULL for a guest on the public portal */
	const char *role;       /* role code or "guest" */
	const char *level;      /* role level (super_admin ... tenant_operational) or NULL */
	const char *company_id; /* the tenant company of a tenant user, else NULL */
	const char *ip;
	const char *request_id;
} ag_actor;

typedef struct ag_principal {
	const char *token_id;
	const char *user_id;
	const char *name;
	const char *email;
	const char *company_id;
	const char *role_code;
	const char *role_name;
	const char *role_level;
	const char *perms;      /* ",a.b,c.d," for a cheap exact search */
} ag_principal;

typedef struct ag_ctx {
	ag_arena *a;
	ag_app *app;
	ag_req *req;
	ag_resp *resp;
	const ag_route *route;
	ag_principal *user;     /* NULL when anonymous */
	ag_actor actor;
	ag_input body;          /* validated against route->body */
	ag_input query;         /* validated against route->query */
	json_t *json;           /* the JSON body, when the route takes one */
	ag_error err;           /* for the services this handler calls */
	const char *session_token; /* raw cookie value of a signed-in page user */
	const char *csrf_token; /* to embed in this page's forms */
} ag_ctx;

/* Loads configuration into app (also used on SIGHUP). */
int ag_app_configure(ag_app *app, const char *config_path, char *err,
    size_t errlen);
/* Per-process set-up after fork (database handle, storage). */
int ag_app_open(ag_app *app);
void ag_app_close(ag_app *app);

/* Handles one request from CGI environment envp, reading the body with rd. */
void ag_app_dispatch(ag_app *app, char **envp, ag_read_fn rd, void *rdctx,
    ag_buf *out);

/*
 * The main of every worker program: options (-c, --listen, --workers,
 * --pidfile, --routes), configuration, then the pre-forked server.
 */
int ag_worker_main(int argc, char **argv, const char *name,
    const ag_route *const *tables);

int ag_can(const ag_principal *p, const char *perm);
/* Whether cookies get Secure: configured, or the request came over TLS. */
int ag_secure_cookies(const ag_ctx *c);

/* Absolute link for a stored file, valid for app->file_url_ttl seconds. */
char *ag_file_url(ag_app *app, ag_arena *a, const char *key);
/* The same link relative to this site, for pages (CSP img-src 'self'). */
char *ag_file_link(ag_app *app, ag_arena *a, const char *key);
/*
 * A database failure in a service: rolls back the open transaction, if
 * any, logs the database's words and records a 500; returns -1.
 */
int ag_fail_db(ag_app *app, ag_error *e);
/*
 * The API's dropdown items [{id, name}] from a result with id and name
 * columns; NULL (with the failure recorded) when r is NULL.
 */
json_t *ag_dropdown_json(ag_app *app, const PGresult *r, ag_error *e);
/* Answers c->err as JSON. */
void ag_fail_json(ag_ctx *c);
/* Current time, seconds since the epoch. */
long long ag_now(void);

#endif
