/*
 * auth_store.h - SQL for users and tokens.  Only auth.c calls it.
 */
#ifndef AG_AUTH_STORE_H
#define AG_AUTH_STORE_H

#include <libpq-fe.h>

#include "arena.h"
#include "db.h"

/* id, password_hash, active, locked (t/f) of a live user, or no row. */
PGresult *ag_auth_store_login_row(ag_db *db, ag_arena *a, const char *email);
int ag_auth_store_login_result(ag_db *db, ag_arena *a, const char *user_id,
    int ok);
/* Inserts a token row; returns its id or NULL. */
const char *ag_auth_store_token_insert(ag_db *db, ag_arena *a,
    const char *user_id, const char *kind, const char *hash,
    long ttl_seconds, long idle_minutes, const char *parent_id,
    const char *device, const char *ip);
/*
 * The principal row (token_id, id, name, email, company_id, role_code,
 * role_name, level, perms) of a live token of that kind; sessions slide.
 */
PGresult *ag_auth_store_principal(ag_db *db, ag_arena *a, const char *hash,
    const char *kind);
/* Revokes a live refresh token and returns its user_id and parent, or no row. */
PGresult *ag_auth_store_take_refresh(ag_db *db, ag_arena *a,
    const char *hash);
int ag_auth_store_revoke_user(ag_db *db, ag_arena *a, const char *user_id,
    const char *except_token_id);
int ag_auth_store_revoke_family(ag_db *db, ag_arena *a, const char *token_id);
PGresult *ag_auth_store_user_json(ag_db *db, ag_arena *a, const char *user_id);
PGresult *ag_auth_store_user_create(ag_db *db, ag_arena *a, const char *email,
    const char *name, const char *hash, const char *role_code,
    const char *company_id);

#endif
