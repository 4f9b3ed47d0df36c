/*
 * throttle.c - sign-in throttling; see throttle.h.
 */
#include "throttle.h"

#include <stdlib.h>

#include "crypto.h"

static const char SQL_WAIT[] =
	"SELECT coalesce(max(ceil(extract(epoch FROM blocked_until - now()))),"
	" 0)::bigint AS wait FROM auth_throttle"
	" WHERE key IN (lower('email:' || $1), lower('ip:' || $2))"
	" AND blocked_until > now()";

/*
 * One more failure for a key (lowercased, like the lookups): a window
 * older than $3 minutes starts again at one; reaching $2 blocks the key
 * for the length of a window.
 */
static const char SQL_FAIL[] =
	"INSERT INTO auth_throttle AS t (key, failures, window_start,"
	"  blocked_until)"
	" VALUES (lower($1), 1, now(), CASE WHEN $2::int <= 1"
	"  THEN now() + make_interval(mins => $3::int) END)"
	" ON CONFLICT (key) DO UPDATE SET"
	"  failures = CASE WHEN t.window_start <= now() -"
	"   make_interval(mins => $3::int) THEN 1 ELSE t.failures + 1 END,"
	"  window_start = CASE WHEN t.window_start <= now() -"
	"   make_interval(mins => $3::int) THEN now() ELSE t.window_start END,"
	"  blocked_until = CASE WHEN (CASE WHEN t.window_start <= now() -"
	"   make_interval(mins => $3::int) THEN 1 ELSE t.failures + 1 END)"
	"   >= $2::int THEN now() + make_interval(mins => $3::int)"
	"   ELSE t.blocked_until END";

static const char SQL_RESET[] =
	"DELETE FROM auth_throttle WHERE key = lower('email:' || $1)";

/* Rows nobody has failed with for a day and that block nothing. */
static const char SQL_PURGE[] =
	"DELETE FROM auth_throttle WHERE window_start < now() - interval '1 day'"
	" AND (blocked_until IS NULL OR blocked_until < now())";

static long
setting(ag_app *app, const char *key, long def)
{
	return ag_config_int(app->cfg, "security", key, def, 1, 100000);
}

long
ag_throttle_wait(ag_app *app, ag_arena *a, const char *email, const char *ip)
{
	PGresult *r = AG_DB_EXEC(app->db, a, SQL_WAIT, email != NULL ? email :
	    "", ip != NULL ? ip : "");
	const char *w = r != NULL ? ag_db_get(r, 0, "wait") : NULL;

	return w != NULL ? atol(w) : -1;
}

static int
fail_key(ag_app *app, ag_arena *a, const char *key, long limit)
{
	return AG_DB_EXEC(app->db, a, SQL_FAIL, key,
	    ag_sprintf(a, "%ld", limit), ag_sprintf(a, "%ld",
	    setting(app, "login_window_minutes", 15))) != NULL ? 0 : -1;
}

int
ag_throttle_fail(ag_app *app, ag_arena *a, const char *email, const char *ip)
{
	unsigned char dice;

	if (email != NULL && email[0] != '\0' && fail_key(app, a,
	    ag_sprintf(a, "email:%s", email), setting(app,
	    "login_account_limit", 5)) != 0)
		return -1;
	if (ip != NULL && ip[0] != '\0' && fail_key(app, a,
	    ag_sprintf(a, "ip:%s", ip), setting(app, "login_address_limit",
	    20)) != 0)
		return -1;
	/* Now and then, forget old rows so the table stays small. */
	ag_random_bytes(&dice, 1);
	if (dice == 0)
		(void)ag_db_exec(app->db, a, SQL_PURGE, 0, NULL);
	return 0;
}

int
ag_throttle_reset(ag_app *app, ag_arena *a, const char *email)
{
	return AG_DB_EXEC(app->db, a, SQL_RESET, email != NULL ? email : "") !=
	    NULL ? 0 : -1;
}

int
ag_fail_rate_limited(ag_error *e, long seconds)
{
	long minutes = (seconds + 59) / 60;

	e->retry_after = seconds > 0 ? seconds : 1;
	if (e->arena == NULL)
		return ag_fail(e, 429, "RATE_LIMITED", "Terlalu banyak percobaan "
		    "masuk. Coba lagi nanti.");
	return ag_fail(e, 429, "RATE_LIMITED", ag_sprintf(e->arena,
	    "Terlalu banyak percobaan masuk. Coba lagi dalam %ld menit.",
	    minutes > 0 ? minutes : 1));
}
