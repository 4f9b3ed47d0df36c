/*
 * user.h - the user service: estate users (super admin, admin,
 * operational) and tenant users (tenant admin, tenant operational).
 *
 * The JSON API (cgi-bin/users_routes.c) and the admin pages
 * (cgi-bin/portal_users.c) call these same functions.  The route has
 * already checked the permission code; the service adds the finer rules:
 *
 * - levels: super_admin(5) > admin(4) > operational(3) > tenant_admin(2)
 *   > tenant_operational(1).  A caller may create, change or delete only
 *   users of a level below its own, and assign only such roles; a super
 *   admin may do everything.  Tenant callers only ever touch tenant levels.
 * - tenant isolation: a tenant caller sees only users of its own company;
 *   any other user is "not found" (404), so ids cannot be probed.  Its own
 *   company is always the company of the users it creates.
 * - nobody deletes themselves; a caller cannot change its own role or
 *   deactivate itself.
 *
 * Every mutation is one transaction with its activity log lines (module
 * "user").  Password hashes never leave this module.
 */
#ifndef AG_USER_H
#define AG_USER_H

#include <jansson.h>

#include "app.h"

/* Which users an endpoint manages (the levels its roles may have). */
enum ag_user_kind {
	AG_USER_TENANT,       /* tenant_operational */
	AG_USER_OPERATIONAL,  /* operational */
	AG_USER_ADMIN,        /* admin, super_admin */
	AG_USER_ANY           /* every level (list, delete, admin pages) */
};

/* Flags of the create and update calls. */
#define AG_USERS_AS_SUPER_ADMIN 0x1u  /* the caller must be a super admin;
                                       * admin_id (supervising admin) allowed */

#define AG_USERS_BULK_MAX 100

/* One user as read from the store; times ISO-8601 UTC. */
typedef struct ag_user {
	const char *id, *name, *email, *phone;
	const char *email_verified_at, *last_login_at, *created_at, *updated_at;
	const char *created_by;
	const char *role_id, *role_code, *role_name, *role_level;
	const char *company_id, *company_name;
	int is_active;
} ag_user;

/* Body of a create or update: name, email, phone, role_id, password,
 * is_active, company_id (tenant users). */
extern const ag_field ag_user_fields[];
/* The same plus admin_id, for the "as Super Admin" routes. */
extern const ag_field ag_user_sa_fields[];
/* Query of GET /v1/users: list fields, level, role_id, company_id,
 * is_active. */
extern const ag_field ag_user_list_fields[];
/* Query of GET /v1/users/tenant-operational. */
extern const ag_field ag_user_tenant_list_fields[];

/* The JSON of a user (API.md): never a password hash.  New reference. */
json_t *ag_user_json(const ag_user *u);

/* Creates one user of kind from validated input. */
int ag_users_create(ag_app *app, ag_arena *a, const ag_actor *who,
    enum ag_user_kind kind, unsigned flags, const ag_input *in, ag_user *out,
    ag_error *e);

/*
 * Creates every user of rows (a JSON array of objects with the fields of
 * ag_user_fields), all or nothing.  Every row is checked first; any
 * problem answers 422 with errors named "users[i].field" for every
 * failing row and writes nothing.  admin_id (may be NULL) is the
 * supervising admin, only with AG_USERS_AS_SUPER_ADMIN.  *out is a new
 * JSON array of the created users.
 */
int ag_users_bulk_create(ag_app *app, ag_arena *a, const ag_actor *who,
    enum ag_user_kind kind, unsigned flags, json_t *rows,
    const char *admin_id, json_t **out, ag_error *e);

/* Changes the present fields of a user of kind. */
int ag_users_update(ag_app *app, ag_arena *a, const ag_actor *who,
    enum ag_user_kind kind, unsigned flags, const char *id,
    const ag_input *in, ag_user *out, ag_error *e);

/* One live user of kind that who may see; else 404 USER_NOT_FOUND. */
int ag_users_get(ag_app *app, ag_arena *a, const ag_actor *who,
    enum ag_user_kind kind, const char *id, ag_user *out, ag_error *e);

/* Soft-deletes a user of kind and revokes all its tokens and sessions. */
int ag_users_delete(ag_app *app, ag_arena *a, const ag_actor *who,
    enum ag_user_kind kind, const char *id, ag_error *e);

/* What a user list asks for; NULL members do not filter. */
typedef struct ag_user_filter {
	enum ag_user_kind kind;
	const char *level, *role_id, *company_id, *search, *sort, *order;
	int active;              /* -1 any, 0 inactive, 1 active */
	long page, limit;
} ag_user_filter;

/* Reads the filter from a query validated against one of the list tables. */
void ag_user_filter_from(ag_user_filter *f, const ag_input *q,
    enum ag_user_kind kind);
/* One page of users who may see; *items is a new JSON array. */
int ag_users_list(ag_app *app, ag_arena *a, const ag_actor *who,
    const ag_user_filter *f, json_t **items, ag_page *page, ag_error *e);

/* [{id, name}] of the live, active admins (capped); NULL on failure. */
json_t *ag_users_admin_dropdown(ag_app *app, ag_arena *a, ag_error *e);

/*
 * 1 if who may create, change or delete users of role level `level`
 * (see the rules above), else 0.
 */
int ag_users_may_manage(const ag_actor *who, const char *level);
/* The kind of users with role level `level`. */
enum ag_user_kind ag_users_kind_of(const char *level);
/* The permission module of a kind: "tenant_user" or "user". */
const char *ag_users_perm_module(enum ag_user_kind kind);

/*
 * The live roles of kind who may see (global or of its company), as
 * [{id, code, name, level}]; with assignable, only those who may assign.
 * For the forms' selects.  NULL on failure.
 */
json_t *ag_users_roles(ag_app *app, ag_arena *a, const ag_actor *who,
    enum ag_user_kind kind, int assignable, ag_error *e);
/* The level of a live role, or NULL (also on failure: see e). */
const char *ag_users_role_level(ag_app *app, ag_arena *a, const char *role_id,
    ag_error *e);
/* [{id, name}] of the live companies, for the forms; NULL on failure. */
json_t *ag_users_companies(ag_app *app, ag_arena *a, ag_error *e);

#endif
