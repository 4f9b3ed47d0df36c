/*
 * activity.c - writing the activity log; see activity.h.
 */
#include "activity.h"

#include "jsonin.h"

static const char SQL_INSERT[] =
	"INSERT INTO activity_logs (user_id, role, module, action, record_id,"
	" ip, request_id, before, after)"
	" VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9::jsonb)";

int
ag_activity_write(ag_db *db, ag_arena *a, const ag_actor *who,
    const char *module, const char *action, const char *record_id,
    const json_t *before, const json_t *after)
{
	return AG_DB_EXEC(db, a, SQL_INSERT, who->user_id, who->role, module,
	    action, record_id, who->ip, who->request_id,
	    before != NULL ? ag_json_dump(a, before) : NULL,
	    after != NULL ? ag_json_dump(a, after) : NULL) != NULL ? 0 : -1;
}
