/*
 * profile_store.c - SQL of the own profile; see profile_store.h.
 */
#include "profile_store.h"

/* ISO-8601 UTC with milliseconds, as API.md prescribes. */
#define ISO(col) "to_char(" col " AT TIME ZONE 'UTC', " \
	"'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"

#define PROFILE_SELECT \
	"SELECT u.id, u.name, u.email, u.phone," \
	" " ISO("u.email_verified_at") " AS email_verified_at," \
	" r.id AS role_id, r.code AS role_code, r.name AS role_name," \
	" r.level AS role_level, c.id AS company_id, c.name AS company_name," \
	" u.password_hash" \
	" FROM users u JOIN roles r ON r.id = u.role_id" \
	" LEFT JOIN companies c ON c.id = u.company_id" \
	" WHERE u.id = $1 AND u.deleted_at IS NULL AND u.is_active"

static const char SQL_GET[] = PROFILE_SELECT;
static const char SQL_GET_FOR_UPDATE[] = PROFILE_SELECT " FOR UPDATE OF u";

static const char SQL_UPDATE[] =
	"UPDATE users SET name = $2, phone = $3, updated_at = now()"
	" WHERE id = $1 AND deleted_at IS NULL RETURNING id";

static const char SQL_EMAIL_TAKEN[] =
	"SELECT 1 FROM users WHERE lower(email) = lower($1)"
	" AND deleted_at IS NULL AND id <> $2";

static const char SQL_SET_EMAIL[] =
	"UPDATE users SET email = $2, email_verified_at = now(),"
	" updated_at = now()"
	" WHERE id = $1 AND deleted_at IS NULL RETURNING id";

static const char SQL_RECENT_TOKEN[] =
	"SELECT 1 FROM user_tokens WHERE user_id = $1 AND purpose = $2"
	" AND created_at > now() - interval '1 minute' LIMIT 1";

PGresult *
ag_profile_store_get(ag_db *db, ag_arena *a, const char *user_id,
    int for_update)
{
	return AG_DB_EXEC(db, a, for_update ? SQL_GET_FOR_UPDATE : SQL_GET,
	    user_id);
}

PGresult *
ag_profile_store_update(ag_db *db, ag_arena *a, const char *user_id,
    const char *name, const char *phone)
{
	return AG_DB_EXEC(db, a, SQL_UPDATE, user_id, name, phone);
}

int
ag_profile_store_email_taken(ag_db *db, ag_arena *a, const char *email,
    const char *except_user_id)
{
	PGresult *r = AG_DB_EXEC(db, a, SQL_EMAIL_TAKEN, email, except_user_id);

	return r == NULL ? -1 : ag_db_rows(r) > 0;
}

PGresult *
ag_profile_store_set_email(ag_db *db, ag_arena *a, const char *user_id,
    const char *email)
{
	return AG_DB_EXEC(db, a, SQL_SET_EMAIL, user_id, email);
}

int
ag_profile_store_recent_token(ag_db *db, ag_arena *a, const char *user_id,
    const char *purpose)
{
	PGresult *r = AG_DB_EXEC(db, a, SQL_RECENT_TOKEN, user_id, purpose);

	return r == NULL ? -1 : ag_db_rows(r) > 0;
}
