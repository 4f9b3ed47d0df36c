/*
 * user_store.h - SQL for users and the roles and companies they point at.
 * Only user.c calls it.  Every statement is parameterised.
 *
 * `levels` parameters are PostgreSQL text[] literals chosen by user.c
 * from constants ("{admin,super_admin}"); `scope` is the company a tenant
 * caller is confined to (NULL for estate callers).
 */
#ifndef AG_USER_STORE_H
#define AG_USER_STORE_H

#include <libpq-fe.h>

#include "db.h"
#include "user.h"

/* Fills u from row i of a result of user columns. */
void ag_user_store_row(const PGresult *r, int i, ag_user *u);

PGresult *ag_user_store_get(ag_db *db, ag_arena *a, const char *id,
    const char *levels, const char *scope, int for_update);
/* 1 if a live user other than except_id (may be NULL) has email, 0 if
 * not, -1 on failure. */
int ag_user_store_email_taken(ag_db *db, ag_arena *a, const char *email,
    const char *except_id);
/* id, code, name, level, company_id of a live role (0 or 1 row). */
PGresult *ag_user_store_role(ag_db *db, ag_arena *a, const char *id);
/* 1 if a live company, 0 if not, -1 on failure. */
int ag_user_store_company_exists(ag_db *db, ag_arena *a, const char *id);
/* 1 if id is a live user with role level admin, 0 if not, -1 on failure. */
int ag_user_store_is_admin(ag_db *db, ag_arena *a, const char *id);

typedef struct ag_user_row {
	const char *email, *name, *phone, *password_hash, *role_id;
	const char *company_id, *created_by;
	int is_active;
} ag_user_row;

/* Inserts a user; returns the new row (user columns). */
PGresult *ag_user_store_insert(ag_db *db, ag_arena *a, const ag_user_row *u);
/* Sets every field of u (password_hash NULL keeps the old one). */
PGresult *ag_user_store_update(ag_db *db, ag_arena *a, const char *id,
    const ag_user_row *u);
/* Soft delete; returns a row with the id, or no row. */
PGresult *ag_user_store_delete(ag_db *db, ag_arena *a, const char *id);

/* The filters of a list; sort/order already whitelisted by user.c. */
typedef struct ag_user_query {
	const char *levels, *scope, *level, *role_id, *company_id, *search;
	const char *active;      /* "true", "false" or NULL */
	const char *sort, *order;
	long limit, offset;
} ag_user_query;

PGresult *ag_user_store_list(ag_db *db, ag_arena *a, const ag_user_query *q);
long ag_user_store_count(ag_db *db, ag_arena *a, const ag_user_query *q);

PGresult *ag_user_store_admins(ag_db *db, ag_arena *a);
/* Live roles with one of levels, global or of company scope. */
PGresult *ag_user_store_roles(ag_db *db, ag_arena *a, const char *levels,
    const char *scope);
PGresult *ag_user_store_companies(ag_db *db, ag_arena *a);

#endif
