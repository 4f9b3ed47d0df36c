/*
 * router.h - routes declared in tables.
 *
 * A worker program is a table of routes: method, path pattern, handler,
 * the permission it needs and the input it accepts.  The dispatcher
 * (app.c) does everything a route declares before the handler runs.
 */
#ifndef AG_ROUTER_H
#define AG_ROUTER_H

#include "request.h"
#include "validate.h"

struct ag_ctx;
typedef void (*ag_handler)(struct ag_ctx *c);

/* Route flags. */
#define AG_R_JSON       0x01u  /* body is a JSON object validated against body */
#define AG_R_FORM       0x02u  /* body is an HTML form (urlencoded or multipart) */
#define AG_R_UPLOAD     0x04u  /* multipart file parts accepted */
#define AG_R_PARTIAL    0x08u  /* PATCH: body fields optional, present ones checked */
#define AG_R_HTML       0x10u  /* a page: cookie session, CSRF on POST, HTML errors */
#define AG_R_BODY_OPT   0x20u  /* JSON body may be empty */

/* Permission values besides a "module.action" code. */
#define AG_PUBLIC  NULL
#define AG_SIGNED_IN "@signed-in"

typedef struct ag_route {
	const char *method;
	const char *pattern;      /* "/v1/tickets/guest/{id}"; {id} and {*_id} must be UUIDs */
	ag_handler handler;
	const char *perm;
	unsigned flags;
	const ag_field *body;
	const ag_field *query;
} ag_route;

#define AG_ROUTES_END { NULL, NULL, NULL, NULL, 0, NULL, NULL }

/*
 * Finds the route for r's method and path and stores its captures in r.
 * Returns NULL with *status 404 (no such path) or 405 (path exists, not
 * with this method; *allow lists the methods).  HEAD matches GET.
 */
const ag_route *ag_route_match(const ag_route *table, ag_req *r, int *status,
    const char **allow);
/* The same over a worker's route tables (NULL-terminated), in order. */
const ag_route *ag_route_match_all(const ag_route *const *tables, ag_req *r,
    int *status, const char **allow);

#endif
