/*
 * auth_store.c - SQL for users and tokens; see auth_store.h.
 */
#include "auth_store.h"

#include <stdio.h>

static const char SQL_LOGIN_ROW[] =
	"SELECT id, password_hash, is_active AS active,"
	" coalesce(locked_until > now(), false) AS locked"
	" FROM users WHERE lower(email) = lower($1) AND deleted_at IS NULL";

static const char SQL_LOGIN_OK[] =
	"UPDATE users SET failed_logins = 0, locked_until = NULL,"
	" last_login_at = now() WHERE id = $1";

/* Five failures in a row lock the account for 15 minutes. */
static const char SQL_LOGIN_FAILED[] =
	"UPDATE users SET failed_logins = failed_logins + 1,"
	" locked_until = CASE WHEN failed_logins + 1 >= 5"
	"  THEN now() + interval '15 minutes' ELSE locked_until END"
	" WHERE id = $1";

static const char SQL_TOKEN_INSERT[] =
	"INSERT INTO auth_tokens (user_id, kind, token_hash, expires_at,"
	" idle_minutes, parent_id, device_name, ip)"
	" VALUES ($1, $2, $3, now() + make_interval(secs => $4::int),"
	" $5::int, $6, $7, $8) RETURNING id";

/* Sessions slide: a live one is touched; access tokens are only read. */
static const char SQL_PRINCIPAL_TOUCH[] =
	"WITH t AS (UPDATE auth_tokens SET last_seen_at = now()"
	"  WHERE token_hash = $1 AND kind = $2 AND revoked_at IS NULL"
	"  AND expires_at > now() AND (idle_minutes IS NULL OR"
	"  last_seen_at > now() - make_interval(mins => idle_minutes))"
	"  RETURNING id, user_id)"
	" SELECT t.id AS token_id, u.id, u.name, u.email, u.company_id,"
	"  r.code AS role_code, r.name AS role_name, r.level,"
	"  ',' || coalesce((SELECT string_agg(p.code, ',') FROM role_permissions rp"
	"   JOIN permissions p ON p.id = rp.permission_id"
	"   WHERE rp.role_id = r.id), '') || ',' AS perms"
	" FROM t JOIN users u ON u.id = t.user_id"
	"  AND u.deleted_at IS NULL AND u.is_active"
	" JOIN roles r ON r.id = u.role_id";

static const char SQL_PRINCIPAL[] =
	"SELECT t.id AS token_id, u.id, u.name, u.email, u.company_id,"
	"  r.code AS role_code, r.name AS role_name, r.level,"
	"  ',' || coalesce((SELECT string_agg(p.code, ',') FROM role_permissions rp"
	"   JOIN permissions p ON p.id = rp.permission_id"
	"   WHERE rp.role_id = r.id), '') || ',' AS perms"
	" FROM auth_tokens t JOIN users u ON u.id = t.user_id"
	"  AND u.deleted_at IS NULL AND u.is_active"
	" JOIN roles r ON r.id = u.role_id"
	" WHERE t.token_hash = $1 AND t.kind = $2 AND t.revoked_at IS NULL"
	"  AND t.expires_at > now()";

static const char SQL_TAKE_REFRESH[] =
	"UPDATE auth_tokens SET revoked_at = now()"
	" WHERE token_hash = $1 AND kind = 'refresh' AND revoked_at IS NULL"
	" AND expires_at > now() RETURNING id, user_id, device_name";

/* A token, the token it was issued with, and their other children. */
static const char SQL_REVOKE_FAMILY[] =
	"WITH root AS (SELECT coalesce(parent_id, id) AS id FROM auth_tokens"
	"  WHERE id = $1)"
	" UPDATE auth_tokens SET revoked_at = now() WHERE revoked_at IS NULL"
	" AND (id = $1 OR id = (SELECT id FROM root)"
	"  OR parent_id = (SELECT id FROM root))";

/* Everything of a user but one token and the one it was issued with. */
static const char SQL_REVOKE_USER[] =
	"UPDATE auth_tokens SET revoked_at = now() WHERE user_id = $1"
	" AND revoked_at IS NULL AND ($2::uuid IS NULL OR (id <> $2::uuid"
	"  AND id IS DISTINCT FROM (SELECT parent_id FROM auth_tokens"
	"   WHERE id = $2::uuid)))";

static const char SQL_USER_JSON[] =
	"SELECT json_build_object('id', u.id, 'name', u.name, 'email', u.email,"
	" 'company_id', u.company_id, 'role', json_build_object('id', r.id,"
	" 'code', r.code, 'name', r.name, 'level', r.level)) AS doc"
	" FROM users u JOIN roles r ON r.id = u.role_id WHERE u.id = $1";

static const char SQL_USER_CREATE[] =
	"INSERT INTO users (email, name, password_hash, role_id, company_id,"
	" email_verified_at, password_changed_at)"
	" SELECT $1, $2, $3, r.id, $5::uuid, now(), now() FROM roles r"
	" WHERE r.code = $4 AND r.deleted_at IS NULL"
	" AND NOT EXISTS (SELECT 1 FROM users WHERE lower(email) = lower($1)"
	"  AND deleted_at IS NULL)"
	" RETURNING id";

PGresult *
ag_auth_store_login_row(ag_db *db, ag_arena *a, const char *email)
{
	return AG_DB_EXEC(db, a, SQL_LOGIN_ROW, email);
}

int
ag_auth_store_login_result(ag_db *db, ag_arena *a, const char *user_id, int ok)
{
	return AG_DB_EXEC(db, a, ok ? SQL_LOGIN_OK : SQL_LOGIN_FAILED,
	    user_id) != NULL ? 0 : -1;
}

const char *
ag_auth_store_token_insert(ag_db *db, ag_arena *a, const char *user_id,
    const char *kind, const char *hash, long ttl_seconds, long idle_minutes,
    const char *parent_id, const char *device, const char *ip)
{
	PGresult *r;

	r = AG_DB_EXEC(db, a, SQL_TOKEN_INSERT, user_id, kind, hash,
	    ag_sprintf(a, "%ld", ttl_seconds),
	    idle_minutes > 0 ? ag_sprintf(a, "%ld", idle_minutes) : NULL,
	    parent_id, device, ip);
	return r != NULL ? ag_db_get(r, 0, "id") : NULL;
}

PGresult *
ag_auth_store_principal(ag_db *db, ag_arena *a, const char *hash,
    const char *kind)
{
	return AG_DB_PREP(db, a, kind[0] == 's' ? SQL_PRINCIPAL_TOUCH :
	    SQL_PRINCIPAL, hash, kind);
}

PGresult *
ag_auth_store_take_refresh(ag_db *db, ag_arena *a, const char *hash)
{
	return AG_DB_EXEC(db, a, SQL_TAKE_REFRESH, hash);
}

int
ag_auth_store_revoke_family(ag_db *db, ag_arena *a, const char *token_id)
{
	return AG_DB_EXEC(db, a, SQL_REVOKE_FAMILY, token_id) != NULL ? 0 : -1;
}

PGresult *
ag_auth_store_user_json(ag_db *db, ag_arena *a, const char *user_id)
{
	return AG_DB_EXEC(db, a, SQL_USER_JSON, user_id);
}

PGresult *
ag_auth_store_user_create(ag_db *db, ag_arena *a, const char *email,
    const char *name, const char *hash, const char *role_code,
    const char *company_id)
{
	return AG_DB_EXEC(db, a, SQL_USER_CREATE, email, name, hash, role_code,
	    company_id);
}

int
ag_auth_store_revoke_user(ag_db *db, ag_arena *a, const char *user_id,
    const char *except_token_id)
{
	return AG_DB_EXEC(db, a, SQL_REVOKE_USER, user_id, except_token_id) !=
	    NULL ? 0 : -1;
}
