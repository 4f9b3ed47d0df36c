/*
 * activity_routes.c - the JSON activity log (/v1/activity-logs...).
 *
 * Read only: the log is written by the services as they change things.
 * The rules and SQL live in lib/activity.c, shared with the admin page.
 */
#include "identity_routes.h"

#include "activity.h"

static void
activity_list(ag_ctx *c)
{
	ag_activity_filter f;
	json_t *items;
	ag_page page;

	ag_activity_filter_from(&f, &c->query);
	if (ag_activity_list(c->app, c->a, &f, &items, &page, &c->err) != 0) {
		ag_fail_json(c);
		return;
	}
	ag_resp_json_page(c->resp, items, &page,
	    "Sukses mendapatkan daftar log aktivitas");
}

static void
activity_detail(ag_ctx *c)
{
	json_t *log;

	if (ag_activity_get(c->app, c->a, ag_req_param(c->req, "id"), &log,
	    &c->err) != 0) {
		ag_fail_json(c);
		return;
	}
	ag_resp_json(c->resp, 200, log,
	    "Sukses mendapatkan detail log aktivitas");
}

const ag_route ag_activity_routes[] = {
	{ "GET", "/v1/activity-logs", activity_list, "activity_log.read", 0,
	    NULL, ag_activity_list_fields },
	{ "GET", "/v1/activity-logs/{id}", activity_detail, "activity_log.read",
	    0, NULL, NULL },
	AG_ROUTES_END
};
