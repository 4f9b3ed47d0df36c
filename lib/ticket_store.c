/*
 * ticket_store.c - SQL for tickets; see ticket_store.h.
 */
#include "ticket_store.h"

#include <stdlib.h>
#include <string.h>

/* ISO-8601 UTC with milliseconds, as API.md prescribes. */
#define ISO(col) "to_char(" col " AT TIME ZONE 'UTC', " \
	"'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"

#define TICKET_COLUMNS \
	" t.id, t.type, t.status, t.source, t.user_id, t.company_id," \
	" t.access_number, t.qr_path, to_char(t.request_at, 'YYYY-MM-DD') AS request_at," \
	ISO("t.expired_at") " AS expired_at, " ISO("t.created_at") " AS created_at," \
	ISO("t.updated_at") " AS updated_at, t.destination_id," \
	" d.name AS destination_name, d.address AS destination_address," \
	" ar.id AS area_id, ar.name AS area_name, t.purpose, t.police_number," \
	" t.guest_name, t.guest_identity_number, t.guest_phone, t.guest_email," \
	" t.guest_origin, t.identity_photo_path, t.reject_reason, t.cancel_reason," \
	ISO("t.approved_at") " AS approved_at, " ISO("t.rejected_at") " AS rejected_at," \
	ISO("t.cancelled_at") " AS cancelled_at, t.expired_at < now() AS expired"

#define TICKET_FROM \
	" FROM tickets t LEFT JOIN destinations d ON d.id = t.destination_id" \
	" LEFT JOIN areas ar ON ar.id = d.area_id"


/* The last millisecond of a day in the estate's time zone. */
#define END_OF_DAY(day, tz) \
	"((" day "::date + 1)::timestamp AT TIME ZONE " tz ") - interval '1 millisecond'"

static const char SQL_GET[] =
	"SELECT" TICKET_COLUMNS TICKET_FROM
	" WHERE t.id = $1 AND ($2::text IS NULL OR t.type = $2)";

static const char SQL_GET_FOR_UPDATE[] =
	"SELECT" TICKET_COLUMNS TICKET_FROM
	" WHERE t.id = $1 AND ($2::text IS NULL OR t.type = $2) FOR UPDATE OF t";

static const char SQL_BY_ACCESS_NUMBER[] =
	"SELECT" TICKET_COLUMNS TICKET_FROM
	" WHERE t.access_number = $1 AND ($2::text IS NULL OR t.type = $2)";

static const char SQL_TODAY[] =
	"SELECT to_char((now() AT TIME ZONE $1)::date, 'YYYY-MM-DD') AS today,"
	" to_char((now() AT TIME ZONE $1)::date + $2::int, 'YYYY-MM-DD') AS last";

static const char SQL_DESTINATION_EXISTS[] =
	"SELECT 1 FROM destinations WHERE id = $1 AND deleted_at IS NULL";

static const char SQL_DESTINATIONS[] =
	"SELECT d.id, d.name, d.address, ar.name AS area_name"
	" FROM destinations d JOIN areas ar ON ar.id = d.area_id"
	" WHERE d.deleted_at IS NULL ORDER BY ar.name, d.name LIMIT 500";

static const char SQL_INSERT_GUEST[] =
	"INSERT INTO tickets (type, status, source, access_number,"
	" qr_path, user_id, request_at, expired_at, destination_id, purpose,"
	" police_number, guest_name, guest_identity_number, guest_phone,"
	" guest_email, guest_origin, identity_photo_path)"
	" VALUES ('guest', 'pending', 'Autogate', $1, $2, $3, $4::date,"
	" " END_OF_DAY("$4", "$14") ", $5, $6, $7, $8, $9, $10, $11, $12, $13)"
	" RETURNING id";

static const char SQL_UPDATE_GUEST[] =
	"UPDATE tickets SET request_at = $2::date,"
	" expired_at = " END_OF_DAY("$2", "$13") ", destination_id = $3,"
	" purpose = $4, police_number = $5, guest_name = $6,"
	" guest_identity_number = $7, guest_phone = $8, guest_email = $9,"
	" guest_origin = $10, identity_photo_path = $11, updated_at = now()"
	" WHERE id = $1 AND status = ANY($12::text[]) RETURNING id";

/* Each target state stamps its own columns. */
static const char SQL_TRANSITION[] =
	"UPDATE tickets SET status = $3, updated_at = now(),"
	" approved_at = CASE WHEN $3 = 'approve' THEN now() ELSE approved_at END,"
	" approved_by = CASE WHEN $3 = 'approve' THEN $4::uuid ELSE approved_by END,"
	" rejected_at = CASE WHEN $3 = 'reject' THEN now() ELSE rejected_at END,"
	" rejected_by = CASE WHEN $3 = 'reject' THEN $4::uuid ELSE rejected_by END,"
	" reject_reason = CASE WHEN $3 = 'reject' THEN $5 ELSE reject_reason END,"
	" cancelled_at = CASE WHEN $3 = 'cancel' THEN now() ELSE cancelled_at END,"
	" cancelled_by = CASE WHEN $3 = 'cancel' THEN $4::uuid ELSE cancelled_by END,"
	" cancel_reason = CASE WHEN $3 = 'cancel' THEN $5 ELSE cancel_reason END"
	" WHERE id = $1 AND status = ANY($2::text[]) RETURNING id";

#define LIST_WHERE \
	" WHERE ($1::text IS NULL OR t.type = $1)" \
	" AND ($2::text IS NULL OR t.status = $2)" \
	" AND ($3::text IS NULL OR t.access_number ILIKE '%' || $3 || '%'" \
	"  OR t.guest_name ILIKE '%' || $3 || '%'" \
	"  OR t.police_number ILIKE '%' || $3 || '%')" \
	" AND ($4::date IS NULL OR t.request_at >= $4::date)" \
	" AND ($5::date IS NULL OR t.request_at <= $5::date)"

static const char SQL_COUNT[] =
	"SELECT count(*) AS n FROM tickets t" LIST_WHERE;

/*
 * A statement's own writes are invisible to the rest of the same
 * statement, so a changed row is read back with a second query.
 */
static PGresult *
reread(ag_db *db, ag_arena *a, PGresult *changed)
{
	if (changed == NULL || ag_db_rows(changed) != 1)
		return changed;
	return AG_DB_PREP(db, a, SQL_GET, ag_db_get(changed, 0, "id"), NULL);
}

void
ag_ticket_store_row(const PGresult *r, int i, ag_ticket *t)
{
	const char *exp;

	memset(t, 0, sizeof(*t));
#define COL(f, name) t->f = ag_db_get(r, i, name)
	COL(id, "id"); COL(type, "type"); COL(status, "status");
	COL(source, "source"); COL(user_id, "user_id");
	COL(company_id, "company_id"); COL(access_number, "access_number");
	COL(qr_path, "qr_path"); COL(request_at, "request_at");
	COL(expired_at, "expired_at"); COL(created_at, "created_at");
	COL(updated_at, "updated_at"); COL(destination_id, "destination_id");
	COL(destination_name, "destination_name");
	COL(destination_address, "destination_address");
	COL(area_id, "area_id"); COL(area_name, "area_name");
	COL(purpose, "purpose"); COL(police_number, "police_number");
	COL(guest_name, "guest_name");
	COL(guest_identity_number, "guest_identity_number");
	COL(guest_phone, "guest_phone"); COL(guest_email, "guest_email");
	COL(guest_origin, "guest_origin");
	COL(identity_photo_path, "identity_photo_path");
	COL(reject_reason, "reject_reason"); COL(cancel_reason, "cancel_reason");
	COL(approved_at, "approved_at"); COL(rejected_at, "rejected_at");
	COL(cancelled_at, "cancelled_at");
#undef COL
	exp = ag_db_get(r, i, "expired");
	t->expired = exp != NULL && exp[0] == 't';
}

PGresult *
ag_ticket_store_get(ag_db *db, ag_arena *a, const char *id, const char *type,
    int for_update)
{
	return AG_DB_PREP(db, a, for_update ? SQL_GET_FOR_UPDATE : SQL_GET, id,
	    type);
}

PGresult *
ag_ticket_store_by_access_number(ag_db *db, ag_arena *a, const char *number,
    const char *type)
{
	return AG_DB_PREP(db, a, SQL_BY_ACCESS_NUMBER, number, type);
}

PGresult *
ag_ticket_store_today(ag_db *db, ag_arena *a, const char *tz, int days)
{
	return AG_DB_EXEC(db, a, SQL_TODAY, tz, ag_sprintf(a, "%d", days));
}

int
ag_ticket_store_destination_exists(ag_db *db, ag_arena *a, const char *id)
{
	PGresult *r = AG_DB_EXEC(db, a, SQL_DESTINATION_EXISTS, id);

	if (r == NULL)
		return -1;
	return ag_db_rows(r) == 1;
}

PGresult *
ag_ticket_store_destinations(ag_db *db, ag_arena *a)
{
	return ag_db_exec(db, a, SQL_DESTINATIONS, 0, NULL);
}

PGresult *
ag_ticket_store_insert_guest(ag_db *db, ag_arena *a, const ag_guest_row *g,
    const char *tz)
{
	return reread(db, a, AG_DB_EXEC(db, a, SQL_INSERT_GUEST,
	    g->access_number, g->qr_path, g->user_id, g->request_at,
	    g->destination_id, g->purpose, g->police_number, g->name,
	    g->identity_number, g->phone, g->email, g->origin, g->photo_path, tz));
}

PGresult *
ag_ticket_store_update_guest(ag_db *db, ag_arena *a, const char *id,
    const ag_guest_row *g, const char *tz)
{
	return reread(db, a, AG_DB_EXEC(db, a, SQL_UPDATE_GUEST, id,
	    g->request_at, g->destination_id, g->purpose, g->police_number,
	    g->name, g->identity_number, g->phone, g->email, g->origin,
	    g->photo_path, "{pending}", tz));
}

PGresult *
ag_ticket_store_transition(ag_db *db, ag_arena *a, const char *id,
    const char *from, const char *to, const char *user_id,
    const char *reason)
{
	return reread(db, a, AG_DB_EXEC(db, a, SQL_TRANSITION, id, from, to,
	    user_id, reason));
}

PGresult *
ag_ticket_store_list(ag_db *db, ag_arena *a, const char *type,
    const char *status, const char *search, const char *from, const char *to,
    const char *sort, const char *order, long limit, long offset)
{
	/* sort and order come from a fixed table in ticket.c, never from input */
	const char *sql = ag_db_sorted(a, "SELECT" TICKET_COLUMNS TICKET_FROM
	    LIST_WHERE " ORDER BY t.", sort, order, ", t.id LIMIT $6 OFFSET $7");

	return AG_DB_EXEC(db, a, sql, type, status, search, from, to,
	    ag_sprintf(a, "%ld", limit), ag_sprintf(a, "%ld", offset));
}

long
ag_ticket_store_count(ag_db *db, ag_arena *a, const char *type,
    const char *status, const char *search, const char *from, const char *to)
{
	PGresult *r = AG_DB_EXEC(db, a, SQL_COUNT, type, status, search, from,
	    to);

	return r != NULL ? atol(ag_db_get(r, 0, "n")) : -1;
}
