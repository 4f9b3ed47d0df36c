/*
 * profile_store.h - SQL of the signed-in user's own profile.  Only
 * profile.c calls it.  Every statement is parameterised.
 */
#ifndef AG_PROFILE_STORE_H
#define AG_PROFILE_STORE_H

#include <libpq-fe.h>

#include "arena.h"
#include "db.h"

/*
 * The profile row of a live, active user: id, name, email, phone,
 * email_verified_at (ISO), role_id, role_code, role_name, role_level,
 * company_id, company_name, password_hash; or no row.
 */
PGresult *ag_profile_store_get(ag_db *db, ag_arena *a, const char *user_id,
    int for_update);
/* Sets name and phone (NULL clears the phone); returns the id or no row. */
PGresult *ag_profile_store_update(ag_db *db, ag_arena *a, const char *user_id,
    const char *name, const char *phone);
/* 1 when another live user has email (case-insensitive), 0, -1 on error. */
int ag_profile_store_email_taken(ag_db *db, ag_arena *a, const char *email,
    const char *except_user_id);
/* Sets the address and marks it verified; returns the id or no row. */
PGresult *ag_profile_store_set_email(ag_db *db, ag_arena *a,
    const char *user_id, const char *email);
/* 1 when a token of purpose was issued to the user in the last minute,
 * 0, -1 on error. */
int ag_profile_store_recent_token(ag_db *db, ag_arena *a, const char *user_id,
    const char *purpose);

#endif
