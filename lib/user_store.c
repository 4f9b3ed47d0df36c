/*
 * user_store.c - SQL for users; see user_store.h.
 */
#include "user_store.h"

#include <stdlib.h>
#include <string.h>

/* ISO-8601 UTC with milliseconds, as API.md prescribes. */
#define ISO(col) "to_char(" col " AT TIME ZONE 'UTC', " \
	"'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"

#define USER_COLUMNS \
	" u.id, u.name, u.email, u.phone, u.is_active, u.created_by," \
	ISO("u.email_verified_at") " AS email_verified_at," \
	ISO("u.last_login_at") " AS last_login_at," \
	ISO("u.created_at") " AS created_at," \
	ISO("u.updated_at") " AS updated_at," \
	" r.id AS role_id, r.code AS role_code, r.name AS role_name," \
	" r.level AS role_level, c.id AS company_id, c.name AS company_name"

#define USER_FROM \
	" FROM users u JOIN roles r ON r.id = u.role_id" \
	" LEFT JOIN companies c ON c.id = u.company_id"

#define GET_WHERE \
	" WHERE u.id = $1 AND u.deleted_at IS NULL" \
	" AND r.level = ANY($2::text[])" \
	" AND ($3::uuid IS NULL OR u.company_id = $3::uuid)"

static const char SQL_GET[] =
	"SELECT" USER_COLUMNS USER_FROM GET_WHERE;

static const char SQL_GET_FOR_UPDATE[] =
	"SELECT" USER_COLUMNS USER_FROM GET_WHERE " FOR UPDATE OF u";

static const char SQL_EMAIL_TAKEN[] =
	"SELECT 1 FROM users WHERE lower(email) = lower($1)"
	" AND deleted_at IS NULL AND ($2::uuid IS NULL OR id <> $2::uuid)";

static const char SQL_ROLE[] =
	"SELECT id, code, name, level, company_id FROM roles"
	" WHERE id = $1 AND deleted_at IS NULL";

static const char SQL_COMPANY_EXISTS[] =
	"SELECT 1 FROM companies WHERE id = $1 AND deleted_at IS NULL";

static const char SQL_IS_ADMIN[] =
	"SELECT 1 FROM users u JOIN roles r ON r.id = u.role_id"
	" WHERE u.id = $1 AND u.deleted_at IS NULL AND r.level = 'admin'";

static const char SQL_INSERT[] =
	"INSERT INTO users (email, name, phone, password_hash, role_id,"
	" company_id, is_active, created_by, password_changed_at)"
	" VALUES ($1, $2, $3, $4, $5, $6, $7::boolean, $8, now())"
	" RETURNING id";

/* A changed address is not verified any more. */
static const char SQL_UPDATE[] =
	"UPDATE users SET email = $2, name = $3, phone = $4,"
	" password_hash = COALESCE($5, password_hash),"
	" password_changed_at = CASE WHEN $5::text IS NULL"
	"  THEN password_changed_at ELSE now() END,"
	" email_verified_at = CASE WHEN lower(email) = lower($2)"
	"  THEN email_verified_at ELSE NULL END,"
	" role_id = $6, company_id = $7, is_active = $8::boolean,"
	" created_by = $9, updated_at = now()"
	" WHERE id = $1 AND deleted_at IS NULL RETURNING id";

static const char SQL_DELETE[] =
	"UPDATE users SET deleted_at = now(), updated_at = now()"
	" WHERE id = $1 AND deleted_at IS NULL RETURNING id";

#define LIST_WHERE \
	" WHERE u.deleted_at IS NULL AND r.level = ANY($1::text[])" \
	" AND ($2::uuid IS NULL OR u.company_id = $2::uuid)" \
	" AND ($3::text IS NULL OR r.level = $3)" \
	" AND ($4::uuid IS NULL OR u.role_id = $4::uuid)" \
	" AND ($5::uuid IS NULL OR u.company_id = $5::uuid)" \
	" AND ($6::text IS NULL OR u.name ILIKE '%' || $6 || '%'" \
	"  OR u.email ILIKE '%' || $6 || '%')" \
	" AND ($7::boolean IS NULL OR u.is_active = $7::boolean)"

static const char SQL_COUNT[] =
	"SELECT count(*) AS n" USER_FROM LIST_WHERE;

static const char SQL_ADMINS[] =
	"SELECT u.id, u.name FROM users u JOIN roles r ON r.id = u.role_id"
	" WHERE u.deleted_at IS NULL AND u.is_active AND r.level = 'admin'"
	" ORDER BY u.name, u.id LIMIT 500";

static const char SQL_ROLES[] =
	"SELECT id, code, name, level FROM roles"
	" WHERE deleted_at IS NULL AND level = ANY($1::text[])"
	" AND (company_id IS NULL OR $2::uuid IS NULL OR company_id = $2::uuid)"
	" ORDER BY name, id LIMIT 500";

static const char SQL_COMPANIES[] =
	"SELECT id, name FROM companies WHERE deleted_at IS NULL"
	" ORDER BY name, id LIMIT 500";

static const char ALL_LEVELS[] =
	"{super_admin,admin,operational,tenant_admin,tenant_operational}";

/* A changed row is read back with a second query (see ticket_store.c). */
static PGresult *
reread(ag_db *db, ag_arena *a, PGresult *changed)
{
	if (changed == NULL || ag_db_rows(changed) != 1)
		return changed;
	return AG_DB_EXEC(db, a, SQL_GET, ag_db_get(changed, 0, "id"),
	    ALL_LEVELS, NULL);
}

void
ag_user_store_row(const PGresult *r, int i, ag_user *u)
{
	const char *active;

	memset(u, 0, sizeof(*u));
#define COL(f) u->f = ag_db_get(r, i, #f)
	COL(id); COL(name); COL(email); COL(phone);
	COL(email_verified_at); COL(last_login_at); COL(created_at);
	COL(updated_at); COL(created_by); COL(role_id); COL(role_code);
	COL(role_name); COL(role_level); COL(company_id); COL(company_name);
#undef COL
	active = ag_db_get(r, i, "is_active");
	u->is_active = active != NULL && active[0] == 't';
}

PGresult *
ag_user_store_get(ag_db *db, ag_arena *a, const char *id, const char *levels,
    const char *scope, int for_update)
{
	return AG_DB_EXEC(db, a, for_update ? SQL_GET_FOR_UPDATE : SQL_GET, id,
	    levels, scope);
}

static int
exists(PGresult *r)
{
	if (r == NULL)
		return -1;
	return ag_db_rows(r) > 0;
}

int
ag_user_store_email_taken(ag_db *db, ag_arena *a, const char *email,
    const char *except_id)
{
	return exists(AG_DB_EXEC(db, a, SQL_EMAIL_TAKEN, email, except_id));
}

PGresult *
ag_user_store_role(ag_db *db, ag_arena *a, const char *id)
{
	return AG_DB_EXEC(db, a, SQL_ROLE, id);
}

int
ag_user_store_company_exists(ag_db *db, ag_arena *a, const char *id)
{
	return exists(AG_DB_EXEC(db, a, SQL_COMPANY_EXISTS, id));
}

int
ag_user_store_is_admin(ag_db *db, ag_arena *a, const char *id)
{
	return exists(AG_DB_EXEC(db, a, SQL_IS_ADMIN, id));
}

PGresult *
ag_user_store_insert(ag_db *db, ag_arena *a, const ag_user_row *u)
{
	return reread(db, a, AG_DB_EXEC(db, a, SQL_INSERT, u->email, u->name,
	    u->phone, u->password_hash, u->role_id, u->company_id,
	    u->is_active ? "true" : "false", u->created_by));
}

PGresult *
ag_user_store_update(ag_db *db, ag_arena *a, const char *id,
    const ag_user_row *u)
{
	return reread(db, a, AG_DB_EXEC(db, a, SQL_UPDATE, id, u->email,
	    u->name, u->phone, u->password_hash, u->role_id, u->company_id,
	    u->is_active ? "true" : "false", u->created_by));
}

PGresult *
ag_user_store_delete(ag_db *db, ag_arena *a, const char *id)
{
	return AG_DB_EXEC(db, a, SQL_DELETE, id);
}

PGresult *
ag_user_store_list(ag_db *db, ag_arena *a, const ag_user_query *q)
{
	/* sort and order come from a fixed table in user.c, never from input */
	const char *sql = ag_db_sorted(a, "SELECT" USER_COLUMNS USER_FROM
	    LIST_WHERE " ORDER BY ", q->sort, q->order, ", u.id LIMIT $8 OFFSET $9");

	return AG_DB_EXEC(db, a, sql, q->levels, q->scope, q->level,
	    q->role_id, q->company_id, q->search, q->active,
	    ag_sprintf(a, "%ld", q->limit), ag_sprintf(a, "%ld", q->offset));
}

long
ag_user_store_count(ag_db *db, ag_arena *a, const ag_user_query *q)
{
	PGresult *r = AG_DB_EXEC(db, a, SQL_COUNT, q->levels, q->scope,
	    q->level, q->role_id, q->company_id, q->search, q->active);

	return r != NULL ? atol(ag_db_get(r, 0, "n")) : -1;
}

PGresult *
ag_user_store_admins(ag_db *db, ag_arena *a)
{
	return ag_db_exec(db, a, SQL_ADMINS, 0, NULL);
}

PGresult *
ag_user_store_roles(ag_db *db, ag_arena *a, const char *levels,
    const char *scope)
{
	return AG_DB_EXEC(db, a, SQL_ROLES, levels, scope);
}

PGresult *
ag_user_store_companies(ag_db *db, ag_arena *a)
{
	return ag_db_exec(db, a, SQL_COMPANIES, 0, NULL);
}
