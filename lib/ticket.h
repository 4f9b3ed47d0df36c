/*
 * ticket.h - the ticket service: domain rules and state transitions.
 *
 * The JSON API (cgi-bin/tickets_routes.c) and the portal pages
 * (cgi-bin/portal_routes.c) call these same functions.  Each mutating
 * call is one transaction that also writes the activity log.
 *
 * Guest life cycle (DOMAIN.md): pending -> approve | reject ;
 * pending | approve -> cancel ; approve -> in_area -> done.
 * A transition from any other state is a 409 TICKET_INVALID_STATE.
 */
#ifndef AG_TICKET_H
#define AG_TICKET_H

#include <jansson.h>

#include "app.h"

/* One ticket as read from the store; times already ISO-8601 UTC. */
typedef struct ag_ticket {
	const char *id, *type, *status, *source, *user_id, *company_id;
	const char *access_number, *qr_path;
	const char *request_at, *expired_at, *created_at, *updated_at;
	const char *destination_id, *destination_name, *destination_address;
	const char *area_id, *area_name;
	const char *purpose, *police_number;
	const char *guest_name, *guest_identity_number, *guest_phone;
	const char *guest_email, *guest_origin, *identity_photo_path;
	const char *reject_reason, *cancel_reason;
	const char *approved_at, *rejected_at, *cancelled_at;
	int expired;              /* past expired_at now */
} ag_ticket;

/* The fields of a guest registration, shared by the API and the portal form. */
extern const ag_field ag_guest_fields[];
/* Filters of GET /v1/tickets. */
extern const ag_field ag_ticket_list_fields[];

enum ag_ticket_action { AG_TICKET_APPROVE, AG_TICKET_REJECT, AG_TICKET_CANCEL };

/* How much of a ticket a caller sees. */
enum ag_ticket_view {
	AG_VIEW_SUMMARY,   /* the fields of the seed's reject answer */
	AG_VIEW_DETAIL,    /* everything, for staff */
	AG_VIEW_PUBLIC     /* detail with the identity number masked */
};

/*
 * Registers a guest visit from validated input; photo_tmp is an uploaded
 * file to keep as the identity photo (or NULL).  e may arrive holding the
 * field errors of a form: the remaining rules are checked too and every
 * problem is reported together.  On success *out holds the new ticket.
 */
int ag_ticket_guest_create(ag_app *app, ag_arena *a, const ag_actor *who,
    const ag_input *in, const char *photo_tmp, ag_ticket *out, ag_error *e);
/* Changes the present fields of a pending guest ticket. */
int ag_ticket_guest_update(ag_app *app, ag_arena *a, const ag_actor *who,
    const char *id, const ag_input *in, ag_ticket *out, ag_error *e);
/* Approve, reject (reason required) or cancel (reason optional). */
int ag_ticket_transition(ag_app *app, ag_arena *a, const ag_actor *who,
    const char *type, const char *id, enum ag_ticket_action act,
    const char *reason, ag_ticket *out, ag_error *e);

/*
 * A guest cancels their own visit from the portal: the access number and
 * the last four digits of the identity number must both match.
 */
int ag_ticket_guest_cancel_public(ag_app *app, ag_arena *a,
    const ag_actor *who, const char *access_number, const char *nik_last4,
    ag_ticket *out, ag_error *e);

/* type NULL matches any type.  404 TICKET_NOT_FOUND when absent. */
int ag_ticket_get(ag_app *app, ag_arena *a, const char *id, const char *type,
    ag_ticket *out, ag_error *e);
int ag_ticket_by_access_number(ag_app *app, ag_arena *a, const char *number,
    const char *type, ag_ticket *out, ag_error *e);
/* What a ticket list asks for; NULL members do not filter. */
typedef struct ag_ticket_filter {
	const char *type, *status, *search, *from, *to;
	const char *sort;        /* one of the list fields' sort keys */
	const char *order;       /* "asc" or "desc" */
	long page, limit;
} ag_ticket_filter;

/* The filter named by input validated against ag_ticket_list_fields. */
void ag_ticket_filter_from(ag_ticket_filter *f, const ag_input *q);
/* One page of tickets, newest first unless sorted otherwise. */
int ag_ticket_list(ag_app *app, ag_arena *a, const ag_ticket_filter *f,
    json_t **items, ag_page *page, ag_error *e);

json_t *ag_ticket_json(ag_app *app, ag_arena *a, const ag_ticket *t,
    enum ag_ticket_view view);
/* The printable ticket: A4 PDF with the QR, access number and visit details. */
int ag_ticket_pdf(ag_app *app, ag_arena *a, const ag_ticket *t,
    unsigned char **pdf, size_t *len, ag_error *e);

/* Indonesian label of a status, e.g. "Menunggu persetujuan". */
const char *ag_ticket_status_label(const char *status);
/* Destinations a guest may choose: [{id, name, area}]. */
json_t *ag_ticket_destinations(ag_app *app, ag_arena *a, ag_error *e);

#endif
