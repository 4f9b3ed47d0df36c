/*
 * user.c - the user service; see user.h.
 */
#include "user.h"

#include <string.h>

#include "account.h"
#include "activity.h"
#include "auth.h"
#include "crypto.h"
#include "jsonin.h"
#include "password.h"
#include "user_store.h"

/* A company id no row has: what a tenant caller without company sees. */
#define NO_COMPANY "00000000-0000-0000-0000-000000000000"

static const char *const user_levels[] = { "super_admin", "admin",
    "operational", "tenant_admin", "tenant_operational", NULL };
static const char *const user_sorts[] = { "name", "email", "created_at",
    "last_login_at", NULL };

const ag_field ag_user_fields[] = {
	{ "name", AG_T_STRING, AG_REQUIRED, 2, 100, NULL },
	{ "email", AG_T_EMAIL, AG_REQUIRED, 0, 0, NULL },
	{ "phone", AG_T_PHONE, 0, 0, 0, NULL },
	{ "role_id", AG_T_UUID, AG_REQUIRED, 0, 0, NULL },
	{ "password", AG_T_PASSWORD, 0, 0, 128, NULL },
	{ "is_active", AG_T_BOOL, 0, 0, 0, NULL },
	{ "company_id", AG_T_UUID, 0, 0, 0, NULL },
	AG_FIELDS_END
};

const ag_field ag_user_sa_fields[] = {
	{ "name", AG_T_STRING, AG_REQUIRED, 2, 100, NULL },
	{ "email", AG_T_EMAIL, AG_REQUIRED, 0, 0, NULL },
	{ "phone", AG_T_PHONE, 0, 0, 0, NULL },
	{ "role_id", AG_T_UUID, AG_REQUIRED, 0, 0, NULL },
	{ "password", AG_T_PASSWORD, 0, 0, 128, NULL },
	{ "is_active", AG_T_BOOL, 0, 0, 0, NULL },
	{ "company_id", AG_T_UUID, 0, 0, 0, NULL },
	{ "admin_id", AG_T_UUID, 0, 0, 0, NULL },
	AG_FIELDS_END
};

const ag_field ag_user_list_fields[] = {
	AG_LIST_FIELDS(user_sorts),
	{ "level", AG_T_ENUM, 0, 0, 0, user_levels },
	{ "role_id", AG_T_UUID, 0, 0, 0, NULL },
	{ "company_id", AG_T_UUID, 0, 0, 0, NULL },
	{ "is_active", AG_T_BOOL, 0, 0, 0, NULL },
	AG_FIELDS_END
};

const ag_field ag_user_tenant_list_fields[] = {
	AG_LIST_FIELDS(user_sorts),
	{ "role_id", AG_T_UUID, 0, 0, 0, NULL },
	{ "company_id", AG_T_UUID, 0, 0, 0, NULL },
	{ "is_active", AG_T_BOOL, 0, 0, 0, NULL },
	AG_FIELDS_END
};

/* ---- levels and kinds ---- */

static int
rank(const char *level)
{
	static const struct { const char *level; int rank; } ranks[] = {
		{ "super_admin", 5 }, { "admin", 4 }, { "operational", 3 },
		{ "tenant_admin", 2 }, { "tenant_operational", 1 },
	};

	for (size_t i = 0; level != NULL && i < sizeof(ranks) /
	    sizeof(ranks[0]); i++)
		if (strcmp(level, ranks[i].level) == 0)
			return ranks[i].rank;
	return 0;
}

static int
is_tenant_level(const char *level)
{
	return level != NULL && strncmp(level, "tenant_", 7) == 0;
}

/* The company a tenant caller is confined to; NULL for estate callers. */
static const char *
scope_of(const ag_actor *who)
{
	if (!is_tenant_level(who->level))
		return NULL;
	return who->company_id != NULL ? who->company_id : NO_COMPANY;
}

int
ag_users_may_manage(const ag_actor *who, const char *level)
{
	if (who == NULL || who->level == NULL || rank(level) == 0)
		return 0;
	if (strcmp(who->level, "super_admin") == 0)
		return 1;
	if (is_tenant_level(who->level) && !is_tenant_level(level))
		return 0;
	return rank(level) < rank(who->level);
}

enum ag_user_kind
ag_users_kind_of(const char *level)
{
	if (level == NULL)
		return AG_USER_ANY;
	if (strcmp(level, "tenant_operational") == 0)
		return AG_USER_TENANT;
	if (strcmp(level, "operational") == 0)
		return AG_USER_OPERATIONAL;
	if (strcmp(level, "admin") == 0 || strcmp(level, "super_admin") == 0)
		return AG_USER_ADMIN;
	return AG_USER_ANY;
}

const char *
ag_users_perm_module(enum ag_user_kind kind)
{
	return kind == AG_USER_TENANT ? "tenant_user" : "user";
}

/* The levels of a kind as a text[] literal (constants only). */
static const char *
kind_levels(enum ag_user_kind kind)
{
	switch (kind) {
	case AG_USER_TENANT:
		return "{tenant_operational}";
	case AG_USER_OPERATIONAL:
		return "{operational}";
	case AG_USER_ADMIN:
		return "{admin,super_admin}";
	case AG_USER_ANY:
		break;
	}
	return "{super_admin,admin,operational,tenant_admin,tenant_operational}";
}

static int
kind_has(enum ag_user_kind kind, const char *level)
{
	return kind == AG_USER_ANY ? rank(level) > 0 :
	    ag_users_kind_of(level) == kind;
}

/* The lowest level of a kind: if who cannot manage it, nothing of the kind. */
static const char *
kind_floor(enum ag_user_kind kind)
{
	switch (kind) {
	case AG_USER_TENANT:
	case AG_USER_ANY:
		return "tenant_operational";
	case AG_USER_OPERATIONAL:
		return "operational";
	case AG_USER_ADMIN:
		return "admin";
	}
	return "tenant_operational";
}

/* ---- errors ---- */

static int
not_found(ag_error *e)
{
	return ag_fail(e, 404, "USER_NOT_FOUND", "Pengguna tidak ditemukan");
}

#define EMAIL_TAKEN_MSG "email sudah digunakan"

static int
email_taken(ag_error *e)
{
	return ag_fail(e, 409, "EMAIL_TAKEN",
	    "Email sudah digunakan oleh pengguna lain");
}

static int
level_forbidden(ag_error *e)
{
	return ag_fail(e, 403, "USER_LEVEL_FORBIDDEN", "Anda tidak dapat "
	    "mengelola pengguna dengan tingkat peran yang sama atau lebih "
	    "tinggi dari peran Anda");
}

static int
check_caller(const ag_actor *who, enum ag_user_kind kind, unsigned flags,
    ag_error *e)
{
	if ((flags & AG_USERS_AS_SUPER_ADMIN) && (who->level == NULL ||
	    strcmp(who->level, "super_admin") != 0))
		return ag_fail(e, 403, "SUPER_ADMIN_ONLY",
		    "Hanya Super Admin yang dapat melakukan tindakan ini");
	if (!ag_users_may_manage(who, kind_floor(kind)))
		return level_forbidden(e);
	return 0;
}

/* A value of in, or NULL when absent or not declared by its table (the
 * same service call serves routes with different tables). */
static const char *
declared_str(const ag_input *in, const char *name)
{
	for (size_t i = 0; i < in->n; i++)
		if (strcmp(in->spec[i].name, name) == 0)
			return in->v[i].present ? in->v[i].str : NULL;
	return NULL;
}

/* ---- JSON ---- */

json_t *
ag_user_json(const ag_user *u)
{
	json_t *o = json_object();

#define S(v) ((v) != NULL ? json_string(v) : json_null())
	json_object_set_new(o, "id", S(u->id));
	json_object_set_new(o, "name", S(u->name));
	json_object_set_new(o, "email", S(u->email));
	json_object_set_new(o, "phone", S(u->phone));
	json_object_set_new(o, "is_active", json_boolean(u->is_active));
	json_object_set_new(o, "email_verified_at", S(u->email_verified_at));
	json_object_set_new(o, "last_login_at", S(u->last_login_at));
	json_object_set_new(o, "created_at", S(u->created_at));
	json_object_set_new(o, "updated_at", S(u->updated_at));
	json_object_set_new(o, "created_by", S(u->created_by));
	json_object_set_new(o, "role", json_pack("{s:o, s:o, s:o, s:o}",
	    "id", S(u->role_id), "code", S(u->role_code), "name",
	    S(u->role_name), "level", S(u->role_level)));
	json_object_set_new(o, "company", u->company_id == NULL ? json_null() :
	    json_pack("{s:s, s:o}", "id", u->company_id, "name",
	    S(u->company_name)));
#undef S
	return o;
}

static json_t *
owned_json(ag_arena *a, const ag_user *u)
{
	return ag_json_own(a, ag_user_json(u));
}

/* ---- reading ---- */

static int
one(ag_app *app, PGresult *r, ag_user *out, ag_error *e)
{
	if (r == NULL)
		return ag_fail_db(app, e);
	if (ag_db_rows(r) != 1)
		return not_found(e);
	ag_user_store_row(r, 0, out);
	return 0;
}

int
ag_users_get(ag_app *app, ag_arena *a, const ag_actor *who,
    enum ag_user_kind kind, const char *id, ag_user *out, ag_error *e)
{
	return one(app, ag_user_store_get(app->db, a, id, kind_levels(kind),
	    scope_of(who), 0), out, e);
}

/* ---- checks shared by create, bulk create and update ---- */

/* What a new or changed user will be, before it is written. */
typedef struct draft {
	ag_user_row row;
	const char *password;     /* plain, to check and hash; NULL = none */
	const char *role_level;   /* set by the role check (or kept) */
	const char *except_id;    /* the user being changed */
	int keep_role;            /* update: role unchanged, role_level set */
	int keep_company;         /* update: company unchanged */
	int keep_email;           /* update: address unchanged */
} draft;

/* Where problems go; bulk rows prefix field names: "users[3].email". */
typedef struct sink {
	ag_error *e;
	const char *prefix;       /* NULL: plain names */
	ag_arena *a;
	int forbidden;            /* a role the caller may not assign */
} sink;

static void
field(sink *s, const char *name, const char *message)
{
	ag_error_field(s->e, s->prefix != NULL ? ag_sprintf(s->a, "%s.%s",
	    s->prefix, name) : name, message);
}

/*
 * The role: live, of the endpoint's kind and assignable by who.  Sets
 * d->role_level and *role_company (the company of a company's own role).
 */
static int
check_role(ag_app *app, ag_arena *a, const ag_actor *who,
    enum ag_user_kind kind, draft *d, const char **role_company, sink *s)
{
	PGresult *r;

	r = ag_user_store_role(app->db, a, d->row.role_id);
	if (r == NULL)
		return ag_fail_db(app, s->e);
	if (ag_db_rows(r) != 1) {
		field(s, "role_id", "peran tidak ditemukan");
		return 0;
	}
	d->role_level = ag_db_get(r, 0, "level");
	if (!kind_has(kind, d->role_level)) {
		field(s, "role_id", "peran tidak sesuai untuk jenis pengguna ini");
		d->role_level = NULL;
		return 0;
	}
	if (!ag_users_may_manage(who, d->role_level))
		s->forbidden = 1;
	*role_company = ag_db_get(r, 0, "company_id");
	return 0;
}

/*
 * Everything about a draft that needs no other row of the same batch:
 * role, company, password, e-mail uniqueness.  Problems go to s; returns
 * -1 only when the database failed.  company_in is the company_id the
 * caller sent (or the current one on update).
 */
static int
check_draft(ag_app *app, ag_arena *a, const ag_actor *who,
    enum ag_user_kind kind, draft *d, const char *company_in, sink *s)
{
	const char *role_company = NULL, *msg;
	int n;

	if (!d->keep_role && d->row.role_id != NULL && check_role(app, a, who,
	    kind, d, &role_company, s) != 0)
		return -1;
	if (d->role_level != NULL && is_tenant_level(d->role_level)) {
		/* a tenant caller's users always belong to its own company */
		if (scope_of(who) != NULL)
			d->row.company_id = scope_of(who);
		else if (company_in == NULL)
			field(s, "company_id",
			    "wajib diisi untuk pengguna tenant");
		else {
			if (!d->keep_company) {
				n = ag_user_store_company_exists(app->db, a,
				    company_in);
				if (n < 0)
					return ag_fail_db(app, s->e);
				if (n == 0)
					field(s, "company_id",
					    "perusahaan tidak ditemukan");
			}
			d->row.company_id = company_in;
		}
		if (role_company != NULL && d->row.company_id != NULL &&
		    strcmp(role_company, d->row.company_id) != 0)
			field(s, "role_id", "peran ini milik perusahaan lain");
	} else if (d->role_level != NULL)
		d->row.company_id = NULL;
	if (d->password != NULL && d->row.email != NULL &&
	    (msg = ag_account_password_policy(app, d->password,
	    d->row.email)) != NULL)
		field(s, "password", msg);
	if (!d->keep_email && d->row.email != NULL) {
		n = ag_user_store_email_taken(app->db, a, d->row.email,
		    d->except_id);
		if (n < 0)
			return ag_fail_db(app, s->e);
		if (n > 0)
			field(s, "email", EMAIL_TAKEN_MSG);
	}
	return 0;
}

/* A taken address alone is a conflict (409), not a form problem. */
static void
conflict_if_only_email(ag_error *e)
{
	const char *msg = ag_error_field_message(e, "email");

	if (e->fields != NULL && json_array_size(e->fields) == 1 &&
	    msg != NULL && strcmp(msg, EMAIL_TAKEN_MSG) == 0)
		email_taken(e);
}

/* The supervising admin of the "as Super Admin" routes. */
static int
check_admin_id(ag_app *app, ag_arena *a, const char *admin_id, sink *s)
{
	int n;

	if (!ag_uuid_valid(admin_id)) {
		field(s, "admin_id", "format UUID tidak valid");
		return 0;
	}
	n = ag_user_store_is_admin(app->db, a, admin_id);
	if (n < 0)
		return ag_fail_db(app, s->e);
	if (n == 0)
		field(s, "admin_id", "admin tidak ditemukan");
	return 0;
}

/* An account without a usable password: its owner sets one through
 * "forgot password".  Argon2 verification rejects this string. */
static const char *
unusable_password(ag_arena *a)
{
	return ag_sprintf(a, "!unusable$%s", ag_random_token(a, 24));
}

static void
draft_from(draft *d, const ag_input *in, const ag_actor *who)
{
	memset(d, 0, sizeof(*d));
	d->row.name = ag_in_str(in, "name");
	d->row.email = ag_in_str(in, "email");
	d->row.phone = ag_in_str(in, "phone");
	d->row.role_id = ag_in_str(in, "role_id");
	d->row.is_active = ag_in_str(in, "is_active") != NULL ?
	    ag_in_int(in, "is_active", 1) != 0 : 1;
	d->row.created_by = who->user_id;
	d->password = ag_in_str(in, "password");
}

/* ---- create ---- */

static int
insert_one(ag_app *app, ag_arena *a, const ag_actor *who, draft *d,
    ag_user *out, ag_error *e)
{
	PGresult *r = ag_user_store_insert(app->db, a, &d->row);

	if (r == NULL) {
		if (strcmp(ag_db_sqlstate(app->db), "23505") == 0) {
			ag_db_rollback(app->db);
			return email_taken(e);
		}
		return ag_fail_db(app, e);
	}
	if (ag_db_rows(r) != 1)
		return ag_fail_db(app, e);
	ag_user_store_row(r, 0, out);
	if (ag_activity_write(app->db, a, who, "user", "create", out->id, NULL,
	    owned_json(a, out)) != 0)
		return ag_fail_db(app, e);
	return 0;
}

int
ag_users_create(ag_app *app, ag_arena *a, const ag_actor *who,
    enum ag_user_kind kind, unsigned flags, const ag_input *in, ag_user *out,
    ag_error *e)
{
	draft d;
	sink s = { e, NULL, a, 0 };
	const char *admin_id = (flags & AG_USERS_AS_SUPER_ADMIN) ?
	    declared_str(in, "admin_id") : NULL;

	if (check_caller(who, kind, flags, e) != 0)
		return -1;
	draft_from(&d, in, who);
	if (check_draft(app, a, who, kind, &d, ag_in_str(in, "company_id"),
	    &s) != 0)
		return -1;
	if (admin_id != NULL) {
		if (check_admin_id(app, a, admin_id, &s) != 0)
			return -1;
		d.row.created_by = admin_id;
	}
	if (s.forbidden)
		return level_forbidden(e);
	if (e->status != 0) {
		conflict_if_only_email(e);
		return -1;
	}
	d.row.password_hash = d.password != NULL ?
	    ag_password_hash(a, d.password) : unusable_password(a);
	if (ag_db_begin(app->db) != 0)
		return ag_fail_db(app, e);
	if (insert_one(app, a, who, &d, out, e) != 0)
		return -1;
	if (ag_db_commit(app->db) != 0)
		return ag_fail_db(app, e);
	return 0;
}

int
ag_users_bulk_create(ag_app *app, ag_arena *a, const ag_actor *who,
    enum ag_user_kind kind, unsigned flags, json_t *rows,
    const char *admin_id, json_t **out, ag_error *e)
{
	size_t n, i, j;
	draft *d;
	json_t *row;
	ag_user u;
	sink top = { e, NULL, a, 0 };

	*out = NULL;
	if (check_caller(who, kind, flags, e) != 0)
		return -1;
	if (admin_id != NULL && !(flags & AG_USERS_AS_SUPER_ADMIN))
		field(&top, "admin_id", "hanya untuk Super Admin");
	else if (admin_id != NULL && check_admin_id(app, a, admin_id, &top) != 0)
		return -1;
	if (!json_is_array(rows) || json_array_size(rows) == 0) {
		field(&top, "users", "wajib berisi minimal 1 pengguna");
		return -1;
	}
	n = json_array_size(rows);
	if (n > AG_USERS_BULK_MAX) {
		field(&top, "users", ag_sprintf(a, "maksimal %d pengguna",
		    AG_USERS_BULK_MAX));
		return -1;
	}
	d = ag_calloc(a, n, sizeof(*d));
	/* Every row is checked, so that one answer names every problem. */
	json_array_foreach(rows, i, row) {
		sink s = { e, ag_sprintf(a, "users[%zu]", i), a, 0 };
		ag_error rowerr;
		ag_input in;
		json_t *it;
		size_t k;

		if (!json_is_object(row)) {
			ag_error_field(e, s.prefix, "harus berupa objek");
			continue;
		}
		ag_error_init(&rowerr, a);
		if (ag_input_from_json(&in, a, ag_user_fields, row, 0,
		    &rowerr) != 0)
			json_array_foreach(rowerr.fields, k, it) {
				const char *name = json_string_value(
				    json_object_get(it, "field"));

				field(&s, name, json_string_value(
				    json_object_get(it, "message")));
				/* a malformed value goes no further */
				ag_in_clear(&in, name);
			}
		draft_from(&d[i], &in, who);
		if (admin_id != NULL)
			d[i].row.created_by = admin_id;
		if (check_draft(app, a, who, kind, &d[i], ag_in_str(&in,
		    "company_id"), &s) != 0)
			return -1;
		if (s.forbidden)
			top.forbidden = 1;
		for (j = 0; j < i && d[i].row.email != NULL; j++)
			if (d[j].row.email != NULL &&
			    strcmp(d[j].row.email, d[i].row.email) == 0) {
				field(&s, "email", ag_sprintf(a,
				    "email sama dengan users[%zu]", j));
				break;
			}
	}
	if (top.forbidden)
		return level_forbidden(e);
	if (e->status != 0)
		return -1;
	for (i = 0; i < n; i++)
		d[i].row.password_hash = d[i].password != NULL ?
		    ag_password_hash(a, d[i].password) : unusable_password(a);
	if (ag_db_begin(app->db) != 0)
		return ag_fail_db(app, e);
	*out = json_array();
	for (i = 0; i < n; i++) {
		if (insert_one(app, a, who, &d[i], &u, e) != 0) {
			json_decref(*out);
			*out = NULL;
			return -1;
		}
		json_array_append_new(*out, ag_user_json(&u));
	}
	if (ag_db_commit(app->db) != 0) {
		json_decref(*out);
		*out = NULL;
		return ag_fail_db(app, e);
	}
	return 0;
}

/* ---- update ---- */

int
ag_users_update(ag_app *app, ag_arena *a, const ag_actor *who,
    enum ag_user_kind kind, unsigned flags, const char *id,
    const ag_input *in, ag_user *out, ag_error *e)
{
	ag_user cur;
	draft d;
	sink s = { e, NULL, a, 0 };
	const char *admin_id = (flags & AG_USERS_AS_SUPER_ADMIN) ?
	    declared_str(in, "admin_id") : NULL;
	int self = who->user_id != NULL && strcmp(who->user_id, id) == 0;
	PGresult *r;

	if (check_caller(who, kind, flags, e) != 0)
		return -1;
	if (ag_db_begin(app->db) != 0)
		return ag_fail_db(app, e);
	if (one(app, ag_user_store_get(app->db, a, id, kind_levels(kind),
	    scope_of(who), 1), &cur, e) != 0)
		goto fail;
	if (!self && !ag_users_may_manage(who, cur.role_level)) {
		level_forbidden(e);
		goto fail;
	}
	memset(&d, 0, sizeof(d));
	d.except_id = id;
	d.row.name = ag_in_or(in, "name", cur.name);
	d.row.email = ag_in_or(in, "email", cur.email);
	d.row.phone = ag_in_or(in, "phone", cur.phone);
	d.row.role_id = ag_in_or(in, "role_id", cur.role_id);
	d.row.is_active = ag_in_str(in, "is_active") != NULL ?
	    ag_in_int(in, "is_active", 1) != 0 : cur.is_active;
	d.row.company_id = cur.company_id;
	d.row.created_by = cur.created_by;
	d.password = ag_in_str(in, "password");
	d.keep_role = strcmp(d.row.role_id, cur.role_id) == 0;
	if (d.keep_role)
		d.role_level = cur.role_level;
	d.keep_company = !ag_in_has(in, "company_id");
	d.keep_email = strcmp(d.row.email, cur.email) == 0;
	if (self && (!d.keep_role || !d.row.is_active)) {
		ag_fail(e, 403, "USER_SELF_CHANGE", "Anda tidak dapat mengubah "
		    "peran atau menonaktifkan akun Anda sendiri");
		goto fail;
	}
	if (check_draft(app, a, who, kind, &d, d.keep_company ? cur.company_id :
	    ag_in_str(in, "company_id"), &s) != 0)
		return -1;
	if (admin_id != NULL) {
		if (check_admin_id(app, a, admin_id, &s) != 0)
			return -1;
		d.row.created_by = admin_id;
	}
	if (s.forbidden) {
		level_forbidden(e);
		goto fail;
	}
	if (e->status != 0) {
		conflict_if_only_email(e);
		goto fail;
	}
	d.row.password_hash = d.password != NULL ?
	    ag_password_hash(a, d.password) : NULL;
	r = ag_user_store_update(app->db, a, id, &d.row);
	if (r == NULL) {
		if (strcmp(ag_db_sqlstate(app->db), "23505") == 0) {
			ag_db_rollback(app->db);
			return email_taken(e);
		}
		return ag_fail_db(app, e);
	}
	if (ag_db_rows(r) != 1)
		return ag_fail_db(app, e);
	ag_user_store_row(r, 0, out);
	/* a new password or a disabled account ends every session */
	if ((d.password != NULL || (cur.is_active && !out->is_active)) &&
	    ag_auth_revoke_user(app->db, a, id, NULL) != 0)
		return ag_fail_db(app, e);
	if (ag_activity_write(app->db, a, who, "user", "update", id,
	    owned_json(a, &cur), owned_json(a, out)) != 0 ||
	    ag_db_commit(app->db) != 0)
		return ag_fail_db(app, e);
	return 0;
fail:
	if (ag_db_in_tx(app->db))
		ag_db_rollback(app->db);
	return -1;
}

/* ---- delete ---- */

int
ag_users_delete(ag_app *app, ag_arena *a, const ag_actor *who,
    enum ag_user_kind kind, const char *id, ag_error *e)
{
	ag_user cur;
	PGresult *r;

	if (who->user_id != NULL && strcmp(who->user_id, id) == 0)
		return ag_fail(e, 403, "USER_SELF_DELETE",
		    "Anda tidak dapat menghapus akun Anda sendiri");
	if (ag_db_begin(app->db) != 0)
		return ag_fail_db(app, e);
	if (one(app, ag_user_store_get(app->db, a, id, kind_levels(kind),
	    scope_of(who), 1), &cur, e) != 0) {
		ag_db_rollback(app->db);
		return -1;
	}
	if (!ag_users_may_manage(who, cur.role_level)) {
		ag_db_rollback(app->db);
		return level_forbidden(e);
	}
	r = ag_user_store_delete(app->db, a, id);
	if (r == NULL || ag_db_rows(r) != 1 ||
	    ag_auth_revoke_user(app->db, a, id, NULL) != 0 ||
	    ag_activity_write(app->db, a, who, "user", "delete", id,
	    owned_json(a, &cur), NULL) != 0 || ag_db_commit(app->db) != 0)
		return ag_fail_db(app, e);
	return 0;
}

/* ---- lists ---- */

void
ag_user_filter_from(ag_user_filter *f, const ag_input *q,
    enum ag_user_kind kind)
{
	const char *active = declared_str(q, "is_active");

	memset(f, 0, sizeof(*f));
	f->kind = kind;
	f->level = declared_str(q, "level");
	f->role_id = declared_str(q, "role_id");
	f->company_id = declared_str(q, "company_id");
	f->search = declared_str(q, "search");
	f->sort = declared_str(q, "sort");
	f->order = declared_str(q, "order");
	f->active = active == NULL ? -1 : strcmp(active, "true") == 0 ||
	    strcmp(active, "1") == 0 || strcmp(active, "on") == 0;
	f->page = declared_str(q, "page") != NULL ? ag_in_int(q, "page", 1) : 1;
	f->limit = declared_str(q, "limit") != NULL ? ag_in_int(q, "limit", 10) :
	    10;
}

int
ag_users_list(ag_app *app, ag_arena *a, const ag_actor *who,
    const ag_user_filter *f, json_t **items, ag_page *page, ag_error *e)
{
	/* the column behind each sort key; nothing else reaches ORDER BY */
	static const struct { const char *key, *column; } sorts[] = {
		{ "name", "u.name" }, { "email", "u.email" },
		{ "created_at", "u.created_at" },
		{ "last_login_at", "u.last_login_at" },
	};
	ag_user_query q;
	PGresult *r;
	ag_user u;

	memset(&q, 0, sizeof(q));
	q.sort = "u.created_at";
	for (size_t i = 0; f->sort != NULL && i < sizeof(sorts) /
	    sizeof(sorts[0]); i++)
		if (strcmp(f->sort, sorts[i].key) == 0)
			q.sort = sorts[i].column;
	q.order = f->order != NULL && strcmp(f->order, "asc") == 0 ? "ASC" :
	    "DESC"; /* PostgreSQL puts NULLs last when ascending */
	q.levels = kind_levels(f->kind);
	q.scope = scope_of(who);
	q.level = f->level;
	q.role_id = f->role_id;
	q.company_id = f->company_id;
	q.search = ag_db_like(a, f->search);
	q.active = f->active < 0 ? NULL : f->active ? "true" : "false";
	page->page = f->page > 0 ? f->page : 1;
	page->limit = f->limit > 0 && f->limit <= 100 ? f->limit : 10;
	q.limit = page->limit;
	q.offset = (page->page - 1) * page->limit;
	page->total = ag_user_store_count(app->db, a, &q);
	if (page->total < 0)
		return ag_fail_db(app, e);
	r = ag_user_store_list(app->db, a, &q);
	if (r == NULL)
		return ag_fail_db(app, e);
	*items = json_array();
	for (int i = 0; i < ag_db_rows(r); i++) {
		ag_user_store_row(r, i, &u);
		json_array_append_new(*items, ag_user_json(&u));
	}
	return 0;
}

json_t *
ag_users_admin_dropdown(ag_app *app, ag_arena *a, ag_error *e)
{
	return ag_dropdown_json(app, ag_user_store_admins(app->db, a), e);
}

json_t *
ag_users_companies(ag_app *app, ag_arena *a, ag_error *e)
{
	return ag_dropdown_json(app, ag_user_store_companies(app->db, a), e);
}

json_t *
ag_users_roles(ag_app *app, ag_arena *a, const ag_actor *who,
    enum ag_user_kind kind, int assignable, ag_error *e)
{
	PGresult *r = ag_user_store_roles(app->db, a, kind_levels(kind),
	    scope_of(who));
	json_t *list;

	if (r == NULL) {
		ag_fail_db(app, e);
		return NULL;
	}
	list = json_array();
	for (int i = 0; i < ag_db_rows(r); i++) {
		const char *level = ag_db_get(r, i, "level");

		if (assignable && !ag_users_may_manage(who, level))
			continue;
		json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:s}",
		    "id", ag_db_get(r, i, "id"), "code", ag_db_get(r, i, "code"),
		    "name", ag_db_get(r, i, "name"), "level", level));
	}
	return list;
}

const char *
ag_users_role_level(ag_app *app, ag_arena *a, const char *role_id,
    ag_error *e)
{
	PGresult *r = ag_user_store_role(app->db, a, role_id);

	if (r == NULL) {
		ag_fail_db(app, e);
		return NULL;
	}
	return ag_db_rows(r) == 1 ? ag_db_get(r, 0, "level") : NULL;
}
