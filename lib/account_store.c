/*
 * account_store.c - SQL of the account flows; see account_store.h.
 */
#include "account_store.h"

static const char SQL_BY_EMAIL[] =
	"SELECT u.id, u.email, u.name, r.code AS role_code,"
	" u.email_verified_at IS NOT NULL AS verified"
	" FROM users u JOIN roles r ON r.id = u.role_id"
	" WHERE lower(u.email) = lower($1) AND u.deleted_at IS NULL"
	" AND u.is_active";

static const char SQL_BY_ID[] =
	"SELECT u.id, u.email, u.name, r.code AS role_code,"
	" u.email_verified_at IS NOT NULL AS verified"
	" FROM users u JOIN roles r ON r.id = u.role_id"
	" WHERE u.id = $1 AND u.deleted_at IS NULL AND u.is_active";

static const char SQL_RECENT_TOKEN[] =
	"SELECT 1 FROM user_tokens WHERE user_id = $1 AND purpose = $2"
	" AND created_at > now() - interval '1 minute'";

static const char SQL_SET_PASSWORD[] =
	"UPDATE users SET password_hash = $2, password_changed_at = now(),"
	" failed_logins = 0, locked_until = NULL, updated_at = now()"
	" WHERE id = $1 AND deleted_at IS NULL"
	" RETURNING to_char(password_changed_at AT TIME ZONE 'UTC',"
	"  'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') AS password_changed_at";

static const char SQL_VERIFY_EMAIL[] =
	"UPDATE users SET email_verified_at = coalesce(email_verified_at, now()),"
	" updated_at = now() WHERE id = $1 AND deleted_at IS NULL"
	" RETURNING to_char(email_verified_at AT TIME ZONE 'UTC',"
	"  'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') AS email_verified_at";

PGresult *
ag_account_store_by_email(ag_db *db, ag_arena *a, const char *email)
{
	return AG_DB_EXEC(db, a, SQL_BY_EMAIL, email);
}

PGresult *
ag_account_store_by_id(ag_db *db, ag_arena *a, const char *user_id)
{
	return AG_DB_EXEC(db, a, SQL_BY_ID, user_id);
}

PGresult *
ag_account_store_recent_token(ag_db *db, ag_arena *a, const char *user_id,
    const char *purpose)
{
	return AG_DB_EXEC(db, a, SQL_RECENT_TOKEN, user_id, purpose);
}

PGresult *
ag_account_store_set_password(ag_db *db, ag_arena *a, const char *user_id,
    const char *hash)
{
	return AG_DB_EXEC(db, a, SQL_SET_PASSWORD, user_id, hash);
}

PGresult *
ag_account_store_verify_email(ag_db *db, ag_arena *a, const char *user_id)
{
	return AG_DB_EXEC(db, a, SQL_VERIFY_EMAIL, user_id);
}
