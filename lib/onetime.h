/*
 * onetime.h - single-use tokens sent by e-mail (forgot password, e-mail
 * verification, change of password or e-mail by link).
 *
 * 256 random bits, only their SHA-256 stored, valid 30 minutes, used
 * once; issuing a new one for the same user and purpose voids the older.
 */
#ifndef AG_ONETIME_H
#define AG_ONETIME_H

#include "arena.h"
#include "db.h"
#include "error.h"

#define AG_ONETIME_MINUTES 30

/* purpose: "reset_password", "verify_email", "change_password", "change_email". */

/* Issues a token; returns the raw token (for the link) or NULL on a database error. */
char *ag_onetime_issue(ag_db *db, ag_arena *a, const char *user_id,
    const char *purpose, const char *new_email);
/*
 * Checks a token without using it up.  0 with *user_id (and *new_email
 * for change_email) set; -1 unknown, used or expired; -2 database error.
 */
int ag_onetime_peek(ag_db *db, ag_arena *a, const char *token,
    const char *purpose, const char **user_id, const char **new_email);
/* Uses a token up (inside the caller's transaction); same answers as peek. */
int ag_onetime_consume(ag_db *db, ag_arena *a, const char *token,
    const char *purpose, const char **user_id, const char **new_email);

/* Records the answer to a bad, used or expired link: 400 TOKEN_INVALID. */
int ag_onetime_fail(ag_error *e);

#endif
