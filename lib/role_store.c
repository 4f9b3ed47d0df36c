/*
 * role_store.c - SQL for roles and permissions; see role_store.h.
 */
#include "role_store.h"

#include <stdlib.h>

/* ISO-8601 UTC with milliseconds, as API.md prescribes. */
#define ISO(col) "to_char(" col " AT TIME ZONE 'UTC', " \
	"'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"

#define ROLE_COLUMNS \
	" r.id, r.code, r.name, r.level, r.description, r.is_system," \
	ISO("r.created_at") " AS created_at, " ISO("r.updated_at") " AS updated_at," \
	" (SELECT count(*) FROM users u WHERE u.role_id = r.id" \
	"  AND u.deleted_at IS NULL) AS user_count," \
	" coalesce((SELECT json_agg(p.code ORDER BY p.code) FROM role_permissions rp" \
	"  JOIN permissions p ON p.id = rp.permission_id" \
	"  WHERE rp.role_id = r.id), '[]')::text AS permission_codes"

/* read, create, update, delete first; other actions after, by name */
#define ACTION_ORDER \
	" CASE p.action WHEN 'read' THEN 1 WHEN 'create' THEN 2" \
	" WHEN 'update' THEN 3 WHEN 'delete' THEN 4 ELSE 5 END, p.action"

static const char SQL_GET[] =
	"SELECT" ROLE_COLUMNS " FROM roles r"
	" WHERE r.id = $1 AND r.deleted_at IS NULL";

static const char SQL_GET_FOR_UPDATE[] =
	"SELECT" ROLE_COLUMNS " FROM roles r"
	" WHERE r.id = $1 AND r.deleted_at IS NULL FOR UPDATE OF r";

#define LIST_WHERE \
	" WHERE r.deleted_at IS NULL" \
	" AND ($1::text IS NULL OR r.name ILIKE '%' || $1 || '%'" \
	"  OR r.code ILIKE '%' || $1 || '%')" \
	" AND ($2::text IS NULL OR r.level = $2)"

static const char SQL_COUNT[] =
	"SELECT count(*) AS n FROM roles r" LIST_WHERE;

static const char SQL_DROPDOWN[] =
	"SELECT r.id, r.name FROM roles r WHERE r.deleted_at IS NULL"
	" AND ($1::text IS NULL OR r.level = $1)"
	" ORDER BY r.name, r.id LIMIT $2";

static const char SQL_INSERT[] =
	"INSERT INTO roles (code, name, level, description)"
	" VALUES ($1, $2, $3, $4) RETURNING id";

static const char SQL_UPDATE[] =
	"UPDATE roles SET code = $2, name = $3, level = $4, description = $5,"
	" updated_at = now() WHERE id = $1 AND deleted_at IS NULL RETURNING id";

/* '#' never passes the code check, so a deleted code cannot clash. */
static const char SQL_DELETE[] =
	"UPDATE roles SET deleted_at = now(), updated_at = now(),"
	" code = code || '#' || id::text"
	" WHERE id = $1 AND deleted_at IS NULL RETURNING id";

static const char SQL_IN_USE[] =
	"SELECT EXISTS (SELECT 1 FROM users WHERE role_id = $1"
	" AND deleted_at IS NULL) AS used";

static const char SQL_CLEAR_PERMISSIONS[] =
	"DELETE FROM role_permissions WHERE role_id = $1";

static const char SQL_ADD_PERMISSIONS[] =
	"INSERT INTO role_permissions (role_id, permission_id)"
	" SELECT $1, p.id FROM permissions p"
	" WHERE p.code IN (SELECT json_array_elements_text($2::json))"
	" ON CONFLICT DO NOTHING";

static const char SQL_UNKNOWN_CODES[] =
	"SELECT x.value AS code FROM json_array_elements_text($1::json) AS x"
	" WHERE NOT EXISTS (SELECT 1 FROM permissions p WHERE p.code = x.value)";

static const char SQL_USER_CODES[] =
	"SELECT p.code FROM users u"
	" JOIN role_permissions rp ON rp.role_id = u.role_id"
	" JOIN permissions p ON p.id = rp.permission_id"
	" WHERE u.id = $1 AND u.deleted_at IS NULL";

static const char SQL_CATALOGUE[] =
	"SELECT p.id, p.code, p.module, p.action, p.name,"
	" ($1::uuid IS NOT NULL AND EXISTS (SELECT 1 FROM role_permissions rp"
	"  WHERE rp.permission_id = p.id AND rp.role_id = $1::uuid)) AS granted"
	" FROM permissions p ORDER BY p.module," ACTION_ORDER;

#define MODULE_MATCH \
	" ($1::text IS NULL OR q.module ILIKE '%' || $1 || '%'" \
	"  OR q.code ILIKE '%' || $1 || '%' OR q.name ILIKE '%' || $1 || '%')"

static const char SQL_MODULE_COUNT[] =
	"SELECT count(DISTINCT q.module) AS n FROM permissions q WHERE"
	MODULE_MATCH;

PGresult *
ag_role_store_get(ag_db *db, ag_arena *a, const char *id, int for_update)
{
	return AG_DB_PREP(db, a, for_update ? SQL_GET_FOR_UPDATE : SQL_GET, id);
}

PGresult *
ag_role_store_list(ag_db *db, ag_arena *a, const char *search,
    const char *level, const char *sort, const char *order, long limit,
    long offset)
{
	/* sort and order come from a fixed table in role.c, never from input */
	const char *sql = ag_db_sorted(a, "SELECT" ROLE_COLUMNS " FROM roles r"
	    LIST_WHERE " ORDER BY r.", sort, order, ", r.id LIMIT $3 OFFSET $4");

	return AG_DB_EXEC(db, a, sql, search, level,
	    ag_sprintf(a, "%ld", limit), ag_sprintf(a, "%ld", offset));
}

long
ag_role_store_count(ag_db *db, ag_arena *a, const char *search,
    const char *level)
{
	PGresult *r = AG_DB_EXEC(db, a, SQL_COUNT, search, level);

	return r != NULL ? atol(ag_db_get(r, 0, "n")) : -1;
}

PGresult *
ag_role_store_dropdown(ag_db *db, ag_arena *a, const char *level, long limit)
{
	return AG_DB_EXEC(db, a, SQL_DROPDOWN, level, ag_sprintf(a, "%ld",
	    limit));
}

/* A statement's own writes are invisible to itself: read the row again. */
static PGresult *
reread(ag_db *db, ag_arena *a, PGresult *changed)
{
	if (changed == NULL || ag_db_rows(changed) != 1)
		return changed;
	return AG_DB_PREP(db, a, SQL_GET, ag_db_get(changed, 0, "id"));
}

PGresult *
ag_role_store_insert(ag_db *db, ag_arena *a, const char *code,
    const char *name, const char *level, const char *description)
{
	return AG_DB_EXEC(db, a, SQL_INSERT, code, name, level, description);
}

PGresult *
ag_role_store_update(ag_db *db, ag_arena *a, const char *id, const char *code,
    const char *name, const char *level, const char *description)
{
	return reread(db, a, AG_DB_EXEC(db, a, SQL_UPDATE, id, code, name,
	    level, description));
}

int
ag_role_store_delete(ag_db *db, ag_arena *a, const char *id)
{
	PGresult *r = AG_DB_EXEC(db, a, SQL_DELETE, id);

	return r != NULL ? ag_db_rows(r) == 1 : -1;
}

int
ag_role_store_in_use(ag_db *db, ag_arena *a, const char *id)
{
	PGresult *r = AG_DB_EXEC(db, a, SQL_IN_USE, id);
	const char *v;

	if (r == NULL)
		return -1;
	v = ag_db_get(r, 0, "used");
	return v != NULL && v[0] == 't';
}

int
ag_role_store_set_permissions(ag_db *db, ag_arena *a, const char *id,
    const char *codes_json)
{
	if (AG_DB_EXEC(db, a, SQL_CLEAR_PERMISSIONS, id) == NULL ||
	    AG_DB_EXEC(db, a, SQL_ADD_PERMISSIONS, id, codes_json) == NULL)
		return -1;
	return 0;
}

PGresult *
ag_role_store_unknown_codes(ag_db *db, ag_arena *a, const char *codes_json)
{
	return AG_DB_EXEC(db, a, SQL_UNKNOWN_CODES, codes_json);
}

PGresult *
ag_role_store_user_codes(ag_db *db, ag_arena *a, const char *user_id)
{
	return AG_DB_EXEC(db, a, SQL_USER_CODES, user_id);
}

PGresult *
ag_role_store_catalogue(ag_db *db, ag_arena *a, const char *role_id)
{
	return AG_DB_PREP(db, a, SQL_CATALOGUE, role_id);
}

PGresult *
ag_role_store_module_page(ag_db *db, ag_arena *a, const char *search,
    const char *order, long limit, long offset)
{
	/* order is "ASC" or "DESC" from role.c, never from input */
	ag_buf sql;

	ag_buf_init(&sql, a);
	ag_buf_puts(&sql, "WITH m AS (SELECT DISTINCT q.module FROM permissions q"
	    " WHERE" MODULE_MATCH " ORDER BY q.module ");
	ag_buf_puts(&sql, order);
	ag_buf_puts(&sql, " LIMIT $2 OFFSET $3)"
	    " SELECT p.id, p.code, p.module, p.action, p.name"
	    " FROM permissions p JOIN m ON m.module = p.module ORDER BY p.module ");
	ag_buf_puts(&sql, order);
	ag_buf_puts(&sql, "," ACTION_ORDER);
	return AG_DB_EXEC(db, a, sql.data, search, ag_sprintf(a, "%ld", limit),
	    ag_sprintf(a, "%ld", offset));
}

long
ag_role_store_module_count(ag_db *db, ag_arena *a, const char *search)
{
	PGresult *r = AG_DB_EXEC(db, a, SQL_MODULE_COUNT, search);

	return r != NULL ? atol(ag_db_get(r, 0, "n")) : -1;
}
