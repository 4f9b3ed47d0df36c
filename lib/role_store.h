/*
 * role_store.h - SQL for roles, their permissions and the permission
 * catalogue.  Only role.c calls it.  Every statement is parameterised;
 * lists of codes travel as one JSON array parameter.
 */
#ifndef AG_ROLE_STORE_H
#define AG_ROLE_STORE_H

#include <libpq-fe.h>

#include "db.h"

/* A live role by id (role columns), optionally locked FOR UPDATE. */
PGresult *ag_role_store_get(ag_db *db, ag_arena *a, const char *id,
    int for_update);
/* One page of live roles; sort and order come from role.c's whitelist. */
PGresult *ag_role_store_list(ag_db *db, ag_arena *a, const char *search,
    const char *level, const char *sort, const char *order, long limit,
    long offset);
long ag_role_store_count(ag_db *db, ag_arena *a, const char *search,
    const char *level);
/* {id, name} of live roles, by name, at most limit. */
PGresult *ag_role_store_dropdown(ag_db *db, ag_arena *a, const char *level,
    long limit);

/* Inserts a role; returns the new row (role columns) or NULL (e.g. 23505). */
PGresult *ag_role_store_insert(ag_db *db, ag_arena *a, const char *code,
    const char *name, const char *level, const char *description);
/* Sets every column; returns the row again, no row if not live. */
PGresult *ag_role_store_update(ag_db *db, ag_arena *a, const char *id,
    const char *code, const char *name, const char *level,
    const char *description);
/* Soft-deletes; the code is suffixed so it can be used again. 1/0/-1. */
int ag_role_store_delete(ag_db *db, ag_arena *a, const char *id);
/* 1 if a live user holds the role, 0 if none, -1 on error. */
int ag_role_store_in_use(ag_db *db, ag_arena *a, const char *id);
/* Replaces the role's permissions by codes_json (a JSON array of codes). */
int ag_role_store_set_permissions(ag_db *db, ag_arena *a, const char *id,
    const char *codes_json);

/* The codes of codes_json that are not in the catalogue (column "code"). */
PGresult *ag_role_store_unknown_codes(ag_db *db, ag_arena *a,
    const char *codes_json);
/* The permission codes a user's role holds (column "code"). */
PGresult *ag_role_store_user_codes(ag_db *db, ag_arena *a,
    const char *user_id);
/*
 * The whole catalogue (id, code, module, action, name, granted), by module
 * and action; granted says whether role_id (may be NULL) holds it.
 */
PGresult *ag_role_store_catalogue(ag_db *db, ag_arena *a,
    const char *role_id);
/* The permissions of one page of modules matching search. */
PGresult *ag_role_store_module_page(ag_db *db, ag_arena *a,
    const char *search, const char *order, long limit, long offset);
long ag_role_store_module_count(ag_db *db, ag_arena *a, const char *search);

#endif
