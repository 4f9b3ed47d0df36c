/*
 * tickets_routes.c - the JSON ticket API (/v1/tickets...).
 *
 * Handlers only translate: typed input in, one service call, JSON out.
 * The rules live in lib/ticket.c, shared with the portal pages.
 */
#include "tickets_routes.h"

#include "ticket.h"

static const ag_field reject_fields[] = {
	{ "reject_reason", AG_T_TEXT, AG_REQUIRED, 1, 500, NULL },
	AG_FIELDS_END
};

static const ag_field cancel_fields[] = {
	{ "cancel_reason", AG_T_TEXT, 0, 0, 500, NULL },
	AG_FIELDS_END
};

static void
answer(ag_ctx *c, int status, const ag_ticket *t, enum ag_ticket_view view,
    const char *message)
{
	ag_resp_json(c->resp, status, ag_ticket_json(c->app, c->a, t, view),
	    message);
}

static void
guest_create(ag_ctx *c)
{
	ag_ticket t;

	if (ag_ticket_guest_create(c->app, c->a, &c->actor, &c->body, NULL, &t,
	    &c->err) != 0) {
		ag_fail_json(c);
		return;
	}
	answer(c, 201, &t, c->user != NULL ? AG_VIEW_DETAIL : AG_VIEW_PUBLIC,
	    "Sukses membuat tiket tamu");
}

static void
guest_update(ag_ctx *c)
{
	ag_ticket t;

	if (ag_ticket_guest_update(c->app, c->a, &c->actor,
	    ag_req_param(c->req, "id"), &c->body, &t, &c->err) != 0) {
		ag_fail_json(c);
		return;
	}
	answer(c, 200, &t, AG_VIEW_DETAIL, "Sukses memperbarui tiket tamu");
}

static void
guest_detail(ag_ctx *c)
{
	ag_ticket t;

	if (ag_ticket_get(c->app, c->a, ag_req_param(c->req, "id"), "guest", &t,
	    &c->err) != 0) {
		ag_fail_json(c);
		return;
	}
	answer(c, 200, &t, AG_VIEW_DETAIL, "Sukses mendapatkan detail tiket tamu");
}

static void
guest_pdf(ag_ctx *c)
{
	ag_ticket t;
	unsigned char *pdf;
	size_t len;

	if (ag_ticket_get(c->app, c->a, ag_req_param(c->req, "id"), "guest", &t,
	    &c->err) != 0 || ag_ticket_pdf(c->app, c->a, &t, &pdf, &len,
	    &c->err) != 0) {
		ag_fail_json(c);
		return;
	}
	ag_resp_download(c->resp, "application/pdf",
	    ag_sprintf(c->a, "tiket-%s.pdf", t.access_number), pdf, len);
}

/* Public: a guest looks up their own visit; identity data is masked. */
static void
guest_by_access_number(ag_ctx *c)
{
	ag_ticket t;

	if (ag_ticket_by_access_number(c->app, c->a,
	    ag_req_param(c->req, "number"), "guest", &t, &c->err) != 0) {
		ag_fail_json(c);
		return;
	}
	answer(c, 200, &t, AG_VIEW_PUBLIC, "Sukses mendapatkan tiket tamu");
}

static void
transition(ag_ctx *c, enum ag_ticket_action act, const char *reason,
    const char *message)
{
	ag_ticket t;

	if (ag_ticket_transition(c->app, c->a, &c->actor, "guest",
	    ag_req_param(c->req, "id"), act, reason, &t, &c->err) != 0) {
		ag_fail_json(c);
		return;
	}
	answer(c, 200, &t, AG_VIEW_SUMMARY, message);
}

static void
guest_cancel(ag_ctx *c)
{
	transition(c, AG_TICKET_CANCEL, ag_in_str(&c->body, "cancel_reason"),
	    "Sukses membatalkan tiket tamu");
}

static void
guest_approve(ag_ctx *c)
{
	transition(c, AG_TICKET_APPROVE, NULL, "Sukses menyetujui tiket tamu");
}

static void
guest_reject(ag_ctx *c)
{
	transition(c, AG_TICKET_REJECT, ag_in_str(&c->body, "reject_reason"),
	    "Sukses menolak tiket tamu");
}

static void
ticket_list(ag_ctx *c)
{
	ag_ticket_filter f;
	json_t *items;
	ag_page page;

	ag_ticket_filter_from(&f, &c->query);
	if (ag_ticket_list(c->app, c->a, &f, &items, &page, &c->err) != 0) {
		ag_fail_json(c);
		return;
	}
	ag_resp_json_page(c->resp, items, &page, "Sukses mendapatkan daftar tiket");
}

static void
ticket_by_access_number(ag_ctx *c)
{
	ag_ticket t;

	if (ag_ticket_by_access_number(c->app, c->a,
	    ag_req_param(c->req, "number"), NULL, &t, &c->err) != 0) {
		ag_fail_json(c);
		return;
	}
	answer(c, 200, &t, AG_VIEW_DETAIL, "Sukses mendapatkan detail tiket");
}

const ag_route ag_ticket_routes[] = {
	{ "GET", "/v1/tickets", ticket_list, "ticket.read", 0, NULL,
	    ag_ticket_list_fields },
	{ "GET", "/v1/tickets/access-number/{number}", ticket_by_access_number,
	    "ticket.read", 0, NULL, NULL },
	{ "POST", "/v1/tickets/guest", guest_create, AG_PUBLIC, AG_R_JSON,
	    ag_guest_fields, NULL },
	{ "GET", "/v1/tickets/guest/access-number/{number}",
	    guest_by_access_number, AG_PUBLIC, 0, NULL, NULL },
	{ "GET", "/v1/tickets/guest/{id}", guest_detail, "ticket.read", 0, NULL,
	    NULL },
	{ "PATCH", "/v1/tickets/guest/{id}", guest_update, "ticket.update",
	    AG_R_JSON | AG_R_PARTIAL, ag_guest_fields, NULL },
	{ "GET", "/v1/tickets/guest/{id}/pdf", guest_pdf, "ticket.read", 0, NULL,
	    NULL },
	{ "PUT", "/v1/tickets/guest/{id}/cancel", guest_cancel, "ticket.cancel",
	    AG_R_JSON | AG_R_BODY_OPT, cancel_fields, NULL },
	{ "PUT", "/v1/tickets/guest/{id}/approve", guest_approve,
	    "ticket.approve", AG_R_JSON | AG_R_BODY_OPT, NULL, NULL },
	{ "PUT", "/v1/tickets/guest/{id}/reject", guest_reject, "ticket.approve",
	    AG_R_JSON, reject_fields, NULL },
	AG_ROUTES_END
};
