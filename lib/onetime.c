/*
 * onetime.c - single-use e-mailed tokens; see onetime.h.
 */
#include "onetime.h"

#include <string.h>

#include "crypto.h"

#define TOKEN_BYTES 32

/* A new token voids the unused ones of the same user and purpose. */
static const char SQL_ISSUE[] =
	"WITH old AS (UPDATE user_tokens SET used_at = now()"
	"  WHERE user_id = $1 AND purpose = $2 AND used_at IS NULL)"
	" INSERT INTO user_tokens (user_id, purpose, token_hash, new_email,"
	"  expires_at)"
	" VALUES ($1, $2, $3, $4, now() + make_interval(mins => $5::int))"
	" RETURNING id";

/* Only tokens of users that can still sign in count. */
static const char SQL_PEEK[] =
	"SELECT t.user_id, t.new_email FROM user_tokens t"
	" JOIN users u ON u.id = t.user_id AND u.deleted_at IS NULL"
	"  AND u.is_active"
	" WHERE t.token_hash = $1 AND t.purpose = $2 AND t.used_at IS NULL"
	" AND t.expires_at > now()";

static const char SQL_CONSUME[] =
	"UPDATE user_tokens t SET used_at = now() FROM users u"
	" WHERE u.id = t.user_id AND u.deleted_at IS NULL AND u.is_active"
	" AND t.token_hash = $1 AND t.purpose = $2 AND t.used_at IS NULL"
	" AND t.expires_at > now()"
	" RETURNING t.user_id, t.new_email";

char *
ag_onetime_issue(ag_db *db, ag_arena *a, const char *user_id,
    const char *purpose, const char *new_email)
{
	char *token = ag_random_token(a, TOKEN_BYTES);
	PGresult *r;

	r = AG_DB_EXEC(db, a, SQL_ISSUE, user_id, purpose,
	    ag_sha256_hex(a, token, strlen(token)), new_email,
	    ag_sprintf(a, "%d", AG_ONETIME_MINUTES));
	return ag_db_rows(r) == 1 ? token : NULL;
}

/* A token as issued: base64url of TOKEN_BYTES, nothing else. */
static int
plausible(const char *token)
{
	size_t len;

	if (token == NULL)
		return 0;
	len = strlen(token);
	if (len < 40 || len > 64)
		return 0;
	return strspn(token, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789-_") == len;
}

static int
lookup(ag_db *db, ag_arena *a, const char *sql, const char *token,
    const char *purpose, const char **user_id, const char **new_email)
{
	PGresult *r;

	if (user_id != NULL)
		*user_id = NULL;
	if (new_email != NULL)
		*new_email = NULL;
	if (!plausible(token))
		return -1;
	r = ag_db_exec(db, a, sql, 2, (const char *[]){
	    ag_sha256_hex(a, token, strlen(token)), purpose });
	if (r == NULL)
		return -2;
	if (ag_db_rows(r) != 1)
		return -1;
	if (user_id != NULL)
		*user_id = ag_db_get(r, 0, "user_id");
	if (new_email != NULL)
		*new_email = ag_db_get(r, 0, "new_email");
	return 0;
}

int
ag_onetime_peek(ag_db *db, ag_arena *a, const char *token,
    const char *purpose, const char **user_id, const char **new_email)
{
	return lookup(db, a, SQL_PEEK, token, purpose, user_id, new_email);
}

int
ag_onetime_consume(ag_db *db, ag_arena *a, const char *token,
    const char *purpose, const char **user_id, const char **new_email)
{
	return lookup(db, a, SQL_CONSUME, token, purpose, user_id, new_email);
}

int
ag_onetime_fail(ag_error *e)
{
	return ag_fail(e, 400, "TOKEN_INVALID", "Tautan tidak valid, sudah "
	    "digunakan, atau sudah kedaluwarsa. Silakan minta tautan baru.");
}
