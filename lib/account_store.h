/*
 * account_store.h - SQL of the account flows.  Only account.c calls it.
 */
#ifndef AG_ACCOUNT_STORE_H
#define AG_ACCOUNT_STORE_H

#include <libpq-fe.h>

#include "arena.h"
#include "db.h"

/* id, email, name, role_code, verified (t/f) of a live, active user;
 * or no row. */
PGresult *ag_account_store_by_email(ag_db *db, ag_arena *a, const char *email);
PGresult *ag_account_store_by_id(ag_db *db, ag_arena *a, const char *user_id);
/* One row when a token of that purpose was issued in the last minute. */
PGresult *ag_account_store_recent_token(ag_db *db, ag_arena *a,
    const char *user_id, const char *purpose);
/* New hash, lockout cleared; returns password_changed_at, or no row. */
PGresult *ag_account_store_set_password(ag_db *db, ag_arena *a,
    const char *user_id, const char *hash);
/* Sets email_verified_at (kept if already set); returns it, or no row. */
PGresult *ag_account_store_verify_email(ag_db *db, ag_arena *a,
    const char *user_id);

#endif
