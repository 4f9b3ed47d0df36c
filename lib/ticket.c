/*
 * ticket.c - the ticket service; see ticket.h.
 */
#include "ticket.h"

#include <stdlib.h>
#include <string.h>

#include "activity.h"
#include "crypto.h"
#include "jsonin.h"
#include "pdf.h"
#include "qr.h"
#include "ticket_store.h"

#define BOOKING_DAYS_AHEAD 30
#define ACCESS_NUMBER_TRIES 5
#define QR_SCALE 8
#define QR_MARGIN 4

const ag_field ag_guest_fields[] = {
	{ "name", AG_T_STRING, AG_REQUIRED, 2, 100, NULL },
	{ "identity_number", AG_T_NIK, AG_REQUIRED, 0, 0, NULL },
	{ "phone", AG_T_PHONE, AG_REQUIRED, 0, 0, NULL },
	{ "email", AG_T_EMAIL, 0, 0, 0, NULL },
	{ "origin", AG_T_STRING, 0, 0, 100, NULL },
	{ "destination_id", AG_T_UUID, AG_REQUIRED, 0, 0, NULL },
	{ "request_at", AG_T_DATE, AG_REQUIRED, 0, 0, NULL },
	{ "purpose", AG_T_TEXT, AG_REQUIRED, 3, 500, NULL },
	{ "police_number", AG_T_PLATE, 0, 0, 0, NULL },
	{ "identity_photo_path", AG_T_STRING, 0, 0, 200, NULL },
	AG_FIELDS_END
};

static const char *const ticket_types[] = { "guest", "tenant",
    "tenant_customs", "sarana_niaga", NULL };
static const char *const ticket_statuses[] = { "pending", "active", "approve",
    "reject", "cancel", "in_area", "done", NULL };
static const char *const sort_keys[] = { "created_at", "request_at",
    "status", "ticket_access_number", "expired_at", NULL };

const ag_field ag_ticket_list_fields[] = {
	AG_LIST_FIELDS(sort_keys),
	{ "type", AG_T_ENUM, 0, 0, 0, ticket_types },
	{ "status", AG_T_ENUM, 0, 0, 0, ticket_statuses },
	{ "request_at_from", AG_T_DATE, 0, 0, 0, NULL },
	{ "request_at_to", AG_T_DATE, 0, 0, 0, NULL },
	AG_FIELDS_END
};

const char *
ag_ticket_status_label(const char *status)
{
	static const struct { const char *status, *label; } labels[] = {
		{ "pending", "Menunggu persetujuan" },
		{ "active", "Aktif" },
		{ "approve", "Disetujui" },
		{ "reject", "Ditolak" },
		{ "cancel", "Dibatalkan" },
		{ "in_area", "Di dalam kawasan" },
		{ "done", "Selesai" },
	};

	for (size_t i = 0; i < sizeof(labels) / sizeof(labels[0]); i++)
		if (strcmp(labels[i].status, status) == 0)
			return labels[i].label;
	return status;
}

static const char *
type_description(const char *type)
{
	if (strcmp(type, "guest") == 0)
		return "Guest";
	if (strcmp(type, "tenant") == 0)
		return "Tenant";
	if (strcmp(type, "tenant_customs") == 0)
		return "Tenant Pabeanan";
	return "Sarana Niaga";
}


static int
not_found(ag_error *e)
{
	return ag_fail(e, 404, "TICKET_NOT_FOUND", "Tiket tidak ditemukan");
}

/* "************0001": enough for a guest to recognise, no more. */
static char *
mask(ag_arena *a, const char *s, size_t keep)
{
	size_t n;
	char *m;

	if (s == NULL)
		return NULL;
	n = strlen(s);
	m = ag_strdup(a, s);
	for (size_t i = 0; i + keep < n; i++)
		m[i] = '*';
	return m;
}

json_t *
ag_ticket_json(ag_app *app, ag_arena *a, const ag_ticket *t,
    enum ag_ticket_view view)
{
	json_t *o = json_object(), *guest, *dest;
	int pub = view == AG_VIEW_PUBLIC;

#define S(v) ((v) != NULL ? json_string(v) : json_null())
	json_object_set_new(o, "id", S(t->id));
	json_object_set_new(o, "type", S(t->type));
	json_object_set_new(o, "type_description",
	    json_string(type_description(t->type)));
	json_object_set_new(o, "status", S(t->status));
	json_object_set_new(o, "source", S(t->source));
	json_object_set_new(o, "user_id", S(t->user_id));
	json_object_set_new(o, "ticket_access_number", S(t->access_number));
	json_object_set_new(o, "qr_url", S(ag_file_url(app, a, t->qr_path)));
	json_object_set_new(o, "reject_reason", S(t->reject_reason));
	json_object_set_new(o, "request_at", S(t->request_at));
	json_object_set_new(o, "expired_at", S(t->expired_at));
	json_object_set_new(o, "created_at", S(t->created_at));
	if (view == AG_VIEW_SUMMARY)
		return o;

	json_object_set_new(o, "status_description",
	    json_string(ag_ticket_status_label(t->status)));
	json_object_set_new(o, "is_expired", json_boolean(t->expired));
	json_object_set_new(o, "updated_at", S(t->updated_at));
	guest = json_object();
	json_object_set_new(guest, "name", S(t->guest_name));
	json_object_set_new(guest, "identity_number", S(pub ?
	    mask(a, t->guest_identity_number, 4) : t->guest_identity_number));
	json_object_set_new(guest, "phone", S(pub ? mask(a, t->guest_phone, 3) :
	    t->guest_phone));
	json_object_set_new(guest, "email", S(t->guest_email));
	json_object_set_new(guest, "origin", S(t->guest_origin));
	if (!pub)
		json_object_set_new(guest, "identity_photo_url",
		    S(ag_file_url(app, a, t->identity_photo_path)));
	json_object_set_new(o, "guest", guest);
	dest = t->destination_id == NULL ? json_null() :
	    json_pack("{s:s, s:s, s:o, s:{s:o, s:o}}", "id", t->destination_id,
	    "name", t->destination_name, "address", S(t->destination_address),
	    "area", "id", S(t->area_id), "name", S(t->area_name));
	json_object_set_new(o, "destination", dest);
	json_object_set_new(o, "purpose", S(t->purpose));
	json_object_set_new(o, "police_number", S(t->police_number));
	json_object_set_new(o, "cancel_reason", S(t->cancel_reason));
	json_object_set_new(o, "approved_at", S(t->approved_at));
	json_object_set_new(o, "rejected_at", S(t->rejected_at));
	json_object_set_new(o, "cancelled_at", S(t->cancelled_at));
#undef S
	return o;
}

/*
 * A ticket as the activity log keeps it: without the signed links, which
 * expire and would only leak access to the files to log readers.
 */
static json_t *
logged(ag_app *app, ag_arena *a, const ag_ticket *t, enum ag_ticket_view view)
{
	json_t *o = ag_json_own(a, ag_ticket_json(app, a, t, view));

	json_object_del(o, "qr_url");
	json_object_del(json_object_get(o, "guest"), "identity_photo_url");
	return o;
}

/* Reads one ticket row from r into out, or fails with 404. */
static int
one(PGresult *r, ag_app *app, ag_ticket *out, ag_error *e)
{
	if (r == NULL)
		return ag_fail_db(app, e);
	if (ag_db_rows(r) != 1)
		return not_found(e);
	ag_ticket_store_row(r, 0, out);
	return 0;
}

int
ag_ticket_get(ag_app *app, ag_arena *a, const char *id, const char *type,
    ag_ticket *out, ag_error *e)
{
	return one(ag_ticket_store_get(app->db, a, id, type, 0), app, out, e);
}

int
ag_ticket_by_access_number(ag_app *app, ag_arena *a, const char *number,
    const char *type, ag_ticket *out, ag_error *e)
{
	return one(ag_ticket_store_by_access_number(app->db, a, number, type),
	    app, out, e);
}

/*
 * Rules a registration must meet beyond the shape of its fields.  Fields
 * whose shape was already refused are skipped, so that a visitor sees
 * every problem at once without an invalid value reaching the database.
 */
static void
check_visit(ag_app *app, ag_arena *a, const ag_guest_row *g, ag_error *e)
{
	PGresult *r;
	int exists;

	if (g->request_at != NULL && !ag_error_has_field(e, "request_at")) {
		r = ag_ticket_store_today(app->db, a, app->timezone,
		    BOOKING_DAYS_AHEAD);
		if (r == NULL) {
			ag_fail_db(app, e);
			return;
		}
		if (strcmp(g->request_at, ag_db_get(r, 0, "today")) < 0)
			ag_error_field(e, "request_at",
			    "tanggal kunjungan tidak boleh sebelum hari ini");
		else if (strcmp(g->request_at, ag_db_get(r, 0, "last")) > 0)
			ag_error_field(e, "request_at", ag_sprintf(a,
			    "tanggal kunjungan paling lambat %d hari dari hari ini",
			    BOOKING_DAYS_AHEAD));
	}
	if (g->destination_id != NULL &&
	    !ag_error_has_field(e, "destination_id")) {
		exists = ag_ticket_store_destination_exists(app->db, a,
		    g->destination_id);
		if (exists < 0)
			ag_fail_db(app, e);
		else if (!exists)
			ag_error_field(e, "destination_id",
			    "lokasi tujuan tidak ditemukan");
	}
	if (g->photo_path != NULL &&
	    !ag_error_has_field(e, "identity_photo_path") &&
	    (strncmp(g->photo_path, "identity/", 9) != 0 ||
	    !ag_storage_key_valid(g->photo_path) ||
	    !ag_storage_exists(app->storage, g->photo_path)))
		ag_error_field(e, "identity_photo_path", "berkas tidak ditemukan");
}

/* The file name ending of an identity photo, or NULL (not JPEG or PNG). */
static const char *
photo_ext(ag_arena *a, const char *tmp, ag_error *e)
{
	const char *mime = ag_sniff_mime_file(a, tmp);

	if (strcmp(mime, "image/jpeg") == 0)
		return ".jpg";
	if (strcmp(mime, "image/png") == 0)
		return ".png";
	ag_error_field(e, "identity_photo",
	    "foto identitas harus berupa gambar JPEG atau PNG");
	return NULL;
}

/* Keeps an uploaded identity photo under a new key. */
static const char *
keep_photo(ag_app *app, ag_arena *a, const char *tmp, const char *ext,
    ag_error *e)
{
	const char *key = ag_storage_new_key(a, "identity", ext);

	if (ag_storage_put_file(app->storage, key, tmp) != 0) {
		ag_fail_internal(e, "storing identity photo");
		return NULL;
	}
	return key;
}

static void
guest_row_from(ag_guest_row *g, const ag_input *in)
{
	g->request_at = ag_in_str(in, "request_at");
	g->destination_id = ag_in_str(in, "destination_id");
	g->purpose = ag_in_str(in, "purpose");
	g->police_number = ag_in_str(in, "police_number");
	g->name = ag_in_str(in, "name");
	g->identity_number = ag_in_str(in, "identity_number");
	g->phone = ag_in_str(in, "phone");
	g->email = ag_in_str(in, "email");
	g->origin = ag_in_str(in, "origin");
	g->photo_path = ag_in_str(in, "identity_photo_path");
}

/* A new QR image for number, stored; returns its key. */
static const char *
store_qr(ag_app *app, ag_arena *a, const char *number, ag_error *e)
{
	unsigned char *png;
	size_t len;
	const char *key = ag_storage_new_key(a, "qr", ".png");

	if (ag_qr_png(a, number, QR_SCALE, QR_MARGIN, &png, &len) != 0 ||
	    ag_storage_put(app->storage, key, png, len) != 0) {
		ag_fail_internal(e, "storing QR image");
		return NULL;
	}
	return key;
}

int
ag_ticket_guest_create(ag_app *app, ag_arena *a, const ag_actor *who,
    const ag_input *in, const char *photo_tmp, ag_ticket *out, ag_error *e)
{
	ag_guest_row g;
	PGresult *r = NULL;
	const char *ext;

	memset(&g, 0, sizeof(g));
	guest_row_from(&g, in);
	g.user_id = who->user_id;
	/* e may already hold the form's field errors: add the rest. */
	check_visit(app, a, &g, e);
	ext = photo_tmp != NULL ? photo_ext(a, photo_tmp, e) : NULL;
	if (e->status == 0 && ext != NULL)
		g.photo_path = keep_photo(app, a, photo_tmp, ext, e);
	if (e->status != 0)
		return -1;

	/* Access numbers are random: retry the rare collision. */
	for (int i = 0; i < ACCESS_NUMBER_TRIES; i++) {
		g.access_number = ag_access_number(a);
		if ((g.qr_path = store_qr(app, a, g.access_number, e)) == NULL)
			return -1;
		if (ag_db_begin(app->db) != 0)
			return ag_fail_db(app, e);
		r = ag_ticket_store_insert_guest(app->db, a, &g, app->timezone);
		if (r != NULL)
			break;
		ag_db_rollback(app->db);
		ag_storage_delete(app->storage, g.qr_path);
		if (strcmp(ag_db_sqlstate(app->db), "23505") != 0)
			return ag_fail_internal(e, ag_db_error(app->db));
	}
	if (r == NULL)
		return ag_fail_internal(e, "no free access number");
	ag_ticket_store_row(r, 0, out);
	if (ag_activity_write(app->db, a, who, "ticket", "create", out->id,
	    NULL, logged(app, a, out, AG_VIEW_DETAIL)) != 0 ||
	    ag_db_commit(app->db) != 0) {
		ag_storage_delete(app->storage, g.qr_path);
		return ag_fail_db(app, e);
	}
	return 0;
}

int
ag_ticket_guest_update(ag_app *app, ag_arena *a, const ag_actor *who,
    const char *id, const ag_input *in, ag_ticket *out, ag_error *e)
{
	ag_ticket cur;
	ag_guest_row g, changed;
	PGresult *r;

	if (ag_db_begin(app->db) != 0)
		return ag_fail_db(app, e);
	if (one(ag_ticket_store_get(app->db, a, id, "guest", 1), app, &cur,
	    e) != 0) {
		ag_db_rollback(app->db);
		return -1;
	}
	if (strcmp(cur.status, "pending") != 0) {
		ag_db_rollback(app->db);
		return ag_fail(e, 409, "TICKET_INVALID_STATE", ag_sprintf(a,
		    "Tiket berstatus '%s' tidak dapat diubah; hanya tiket yang "
		    "menunggu persetujuan yang dapat diubah",
		    ag_ticket_status_label(cur.status)));
	}
	memset(&changed, 0, sizeof(changed));
	guest_row_from(&changed, in);
	/* only what changes is checked again */
	if (!ag_in_has(in, "request_at") ||
	    strcmp(changed.request_at, cur.request_at) == 0)
		changed.request_at = NULL;
	if (!ag_in_has(in, "destination_id"))
		changed.destination_id = NULL;
	if (!ag_in_has(in, "identity_photo_path"))
		changed.photo_path = NULL;
	check_visit(app, a, &changed, e);
	if (e->status != 0) {
		if (ag_db_in_tx(app->db))
			ag_db_rollback(app->db);
		return -1;
	}
	memset(&g, 0, sizeof(g));
	g.request_at = ag_in_or(in, "request_at", cur.request_at);
	g.destination_id = ag_in_or(in, "destination_id", cur.destination_id);
	g.purpose = ag_in_or(in, "purpose", cur.purpose);
	g.police_number = ag_in_or(in, "police_number", cur.police_number);
	g.name = ag_in_or(in, "name", cur.guest_name);
	g.identity_number = ag_in_or(in, "identity_number", cur.guest_identity_number);
	g.phone = ag_in_or(in, "phone", cur.guest_phone);
	g.email = ag_in_or(in, "email", cur.guest_email);
	g.origin = ag_in_or(in, "origin", cur.guest_origin);
	g.photo_path = ag_in_or(in, "identity_photo_path", cur.identity_photo_path);
	r = ag_ticket_store_update_guest(app->db, a, id, &g, app->timezone);
	if (r == NULL || ag_db_rows(r) != 1)
		return ag_fail_db(app, e);
	ag_ticket_store_row(r, 0, out);
	if (ag_activity_write(app->db, a, who, "ticket", "update", id,
	    logged(app, a, &cur, AG_VIEW_DETAIL),
	    logged(app, a, out, AG_VIEW_DETAIL)) != 0 ||
	    ag_db_commit(app->db) != 0)
		return ag_fail_db(app, e);
	return 0;
}

int
ag_ticket_transition(ag_app *app, ag_arena *a, const ag_actor *who,
    const char *type, const char *id, enum ag_ticket_action act,
    const char *reason, ag_ticket *out, ag_error *e)
{
	static const struct {
		const char *from, *to, *verb, *action;
	} rules[] = {
		[AG_TICKET_APPROVE] = { "{pending}", "approve", "disetujui", "approve" },
		[AG_TICKET_REJECT] = { "{pending}", "reject", "ditolak", "reject" },
		[AG_TICKET_CANCEL] = { "{pending,approve}", "cancel", "dibatalkan",
		    "cancel" },
	};
	ag_ticket cur;
	PGresult *r;

	if (act == AG_TICKET_REJECT && (reason == NULL || reason[0] == '\0')) {
		ag_error_field(e, "reject_reason", "wajib diisi");
		return -1;
	}
	if (ag_db_begin(app->db) != 0)
		return ag_fail_db(app, e);
	if (one(ag_ticket_store_get(app->db, a, id, type, 1), app, &cur, e) != 0) {
		ag_db_rollback(app->db);
		return -1;
	}
	r = ag_ticket_store_transition(app->db, a, id, rules[act].from,
	    rules[act].to, who->user_id, reason);
	if (r == NULL)
		return ag_fail_db(app, e);
	if (ag_db_rows(r) != 1) {
		ag_db_rollback(app->db);
		return ag_fail(e, 409, "TICKET_INVALID_STATE", ag_sprintf(a,
		    "Tiket berstatus '%s' tidak dapat %s",
		    ag_ticket_status_label(cur.status), rules[act].verb));
	}
	ag_ticket_store_row(r, 0, out);
	if (ag_activity_write(app->db, a, who, "ticket", rules[act].action, id,
	    logged(app, a, &cur, AG_VIEW_SUMMARY),
	    logged(app, a, out, AG_VIEW_SUMMARY)) != 0 ||
	    ag_db_commit(app->db) != 0)
		return ag_fail_db(app, e);
	return 0;
}

int
ag_ticket_guest_cancel_public(ag_app *app, ag_arena *a, const ag_actor *who,
    const char *access_number, const char *nik_last4, ag_ticket *out,
    ag_error *e)
{
	ag_ticket t;
	size_t n;

	if (ag_ticket_by_access_number(app, a, access_number, "guest", &t, e) != 0)
		return -1;
	n = t.guest_identity_number != NULL ? strlen(t.guest_identity_number) : 0;
	if (nik_last4 == NULL || strlen(nik_last4) != 4 || n < 4 ||
	    !ag_ct_streq(nik_last4, t.guest_identity_number + n - 4)) {
		ag_error_field(e, "nik_last4",
		    "4 digit terakhir NIK tidak sesuai dengan tiket ini");
		return -1;
	}
	return ag_ticket_transition(app, a, who, "guest", t.id, AG_TICKET_CANCEL,
	    "Dibatalkan oleh tamu melalui portal", out, e);
}

void
ag_ticket_filter_from(ag_ticket_filter *f, const ag_input *q)
{
	f->type = ag_in_str(q, "type");
	f->status = ag_in_str(q, "status");
	f->search = ag_in_str(q, "search");
	f->from = ag_in_str(q, "request_at_from");
	f->to = ag_in_str(q, "request_at_to");
	f->sort = ag_in_str(q, "sort");
	f->order = ag_in_str(q, "order");
	f->page = ag_in_int(q, "page", 1);
	f->limit = ag_in_int(q, "limit", 10);
}

int
ag_ticket_list(ag_app *app, ag_arena *a, const ag_ticket_filter *f,
    json_t **items, ag_page *page, ag_error *e)
{
	/* the column behind each sort key; nothing else reaches ORDER BY */
	static const struct { const char *key, *column; } sorts[] = {
		{ "created_at", "created_at" }, { "request_at", "request_at" },
		{ "status", "status" }, { "ticket_access_number", "access_number" },
		{ "expired_at", "expired_at" },
	};
	const char *column = "created_at", *search = ag_db_like(a, f->search);
	const char *order = f->order != NULL && strcmp(f->order, "asc") == 0 ?
	    "ASC" : "DESC";
	PGresult *r;
	ag_ticket t;

	for (size_t i = 0; f->sort != NULL && i < sizeof(sorts) / sizeof(sorts[0]);
	    i++)
		if (strcmp(f->sort, sorts[i].key) == 0)
			column = sorts[i].column;
	if (f->from != NULL && f->to != NULL && strcmp(f->from, f->to) > 0) {
		ag_error_field(e, "request_at_to",
		    "tidak boleh sebelum request_at_from");
		return -1;
	}
	page->page = f->page > 0 ? f->page : 1;
	page->limit = f->limit > 0 && f->limit <= 100 ? f->limit : 10;
	page->total = ag_ticket_store_count(app->db, a, f->type, f->status,
	    search, f->from, f->to);
	if (page->total < 0)
		return ag_fail_db(app, e);
	r = ag_ticket_store_list(app->db, a, f->type, f->status, search, f->from,
	    f->to, column, order, page->limit, (page->page - 1) * page->limit);
	if (r == NULL)
		return ag_fail_db(app, e);
	*items = json_array();
	for (int i = 0; i < ag_db_rows(r); i++) {
		ag_ticket_store_row(r, i, &t);
		json_array_append_new(*items, ag_ticket_json(app, a, &t,
		    AG_VIEW_DETAIL));
	}
	return 0;
}

json_t *
ag_ticket_destinations(ag_app *app, ag_arena *a, ag_error *e)
{
	PGresult *r = ag_ticket_store_destinations(app->db, a);
	json_t *list;

	if (r == NULL) {
		ag_fail_db(app, e);
		return NULL;
	}
	list = json_array();
	for (int i = 0; i < ag_db_rows(r); i++)
		json_array_append_new(list, json_pack("{s:s, s:s, s:s?, s:s}",
		    "id", ag_db_get(r, i, "id"), "name", ag_db_get(r, i, "name"),
		    "address", ag_db_get(r, i, "address"),
		    "area", ag_db_get(r, i, "area_name")));
	return list;
}

/* "2026-11-25" -> "25 November 2026". */
static const char *
long_date(ag_arena *a, const char *ymd)
{
	static const char *const months[] = { "Januari", "Februari", "Maret",
	    "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
	    "November", "Desember" };
	int m;

	if (ymd == NULL || strlen(ymd) < 10)
		return ymd;
	m = atoi(ymd + 5);
	if (m < 1 || m > 12)
		return ymd;
	return ag_sprintf(a, "%d %s %.4s", atoi(ymd + 8), months[m - 1], ymd);
}

int
ag_ticket_pdf(ag_app *app, ag_arena *a, const ag_ticket *t,
    unsigned char **pdf, size_t *len, ag_error *e)
{
	ag_pdf_field rows[10];
	ag_pdf_ticket doc;
	unsigned char *png = NULL;
	size_t png_len = 0, n = 0;
	char err[160];
	const char *zone = strcmp(app->timezone, "Asia/Jakarta") == 0 ? "WIB" :
	    app->timezone;

	/* The stored QR, or a fresh one if the file went missing. */
	if (t->qr_path == NULL || ag_storage_get(app->storage, a, t->qr_path,
	    1 << 20, &png, &png_len) != 0)
		if (ag_qr_png(a, t->access_number, QR_SCALE, QR_MARGIN, &png,
		    &png_len) != 0)
			return ag_fail_internal(e, "QR for PDF");
#define ROW(l, v) do { if ((v) != NULL) { rows[n].label = (l); \
	rows[n].value = (v); n++; } } while (0)
	ROW("Nama Tamu", t->guest_name);
	ROW("NIK", mask(a, t->guest_identity_number, 4));
	ROW("Instansi Asal", t->guest_origin);
	ROW("Lokasi Tujuan", t->destination_name);
	ROW("Area", t->area_name);
	ROW("Keperluan", t->purpose);
	ROW("Nomor Polisi", t->police_number);
	ROW("Tanggal Kunjungan", long_date(a, t->request_at));
	ROW("Berlaku Sampai", ag_sprintf(a, "%s pukul 23.59 %s",
	    long_date(a, t->request_at), zone));
#undef ROW
	memset(&doc, 0, sizeof(doc));
	doc.title = "Tiket Kunjungan Tamu";
	doc.subtitle = "Kawasan Ekonomi Khusus - Autogate";
	doc.access_number = t->access_number;
	doc.qr_png = png;
	doc.qr_len = png_len;
	doc.status_label = ag_ticket_status_label(t->status);
	doc.fields = rows;
	doc.n_fields = n;
	doc.footer = "Tunjukkan kode QR ini kepada petugas di gerbang masuk "
	    "bersama kartu identitas asli. Tiket hanya berlaku pada tanggal "
	    "kunjungan dan setelah disetujui petugas.";
	if (ag_pdf_ticket_render(a, &doc, app->fonts_dir, pdf, len, err,
	    sizeof(err)) != 0)
		return ag_fail_internal(e, err);
	return 0;
}
