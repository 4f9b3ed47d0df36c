/*
 * activity.h - the activity log: who changed what, when, from where, with
 * the record before and after.  Written by services inside the same
 * transaction as the change, so a change without its log line cannot exist.
 */
#ifndef AG_ACTIVITY_H
#define AG_ACTIVITY_H

#include <jansson.h>

#include "app.h"

/* before/after may be NULL; they are not stolen. Returns 0 or -1. */
int ag_activity_write(ag_db *db, ag_arena *a, const ag_actor *who,
    const char *module, const char *action, const char *record_id,
    const json_t *before, const json_t *after);

#endif
