/*
 * ticket_store.h - SQL for tickets and the destinations they point at.
 * Only ticket.c calls it.  Every statement is parameterised.
 */
#ifndef AG_TICKET_STORE_H
#define AG_TICKET_STORE_H

#include <libpq-fe.h>

#include "db.h"
#include "ticket.h"

/* Fills t from row i of a result of ticket columns. */
void ag_ticket_store_row(const PGresult *r, int i, ag_ticket *t);

PGresult *ag_ticket_store_get(ag_db *db, ag_arena *a, const char *id,
    const char *type, int for_update);
PGresult *ag_ticket_store_by_access_number(ag_db *db, ag_arena *a,
    const char *number, const char *type);
/* today and the last allowed day (today + days) in the estate's time zone */
PGresult *ag_ticket_store_today(ag_db *db, ag_arena *a, const char *tz,
    int days);
int ag_ticket_store_destination_exists(ag_db *db, ag_arena *a,
    const char *id);
PGresult *ag_ticket_store_destinations(ag_db *db, ag_arena *a);

typedef struct ag_guest_row {
	const char *access_number, *qr_path, *user_id;
	const char *request_at, *destination_id, *purpose, *police_number;
	const char *name, *identity_number, *phone, *email, *origin;
	const char *photo_path;
} ag_guest_row;

/* Inserts a pending guest ticket; returns the new row (ticket columns). */
PGresult *ag_ticket_store_insert_guest(ag_db *db, ag_arena *a,
    const ag_guest_row *g, const char *tz);
/* Updates the guest fields (all given; NULL clears) and re-derives expiry. */
PGresult *ag_ticket_store_update_guest(ag_db *db, ag_arena *a,
    const char *id, const ag_guest_row *g, const char *tz);
/* Moves to status `to` when the current status is one of `from`
 * ("{pending,approve}"); returns the new row, or no row. */
PGresult *ag_ticket_store_transition(ag_db *db, ag_arena *a, const char *id,
    const char *from, const char *to, const char *user_id,
    const char *reason);
/* One page; sort/order already whitelisted. */
PGresult *ag_ticket_store_list(ag_db *db, ag_arena *a, const char *type,
    const char *status, const char *search, const char *from,
    const char *to, const char *sort, const char *order, long limit,
    long offset);
long ag_ticket_store_count(ag_db *db, ag_arena *a, const char *type,
    const char *status, const char *search, const char *from,
    const char *to);

#endif
