/*
 * role.h - the role service: roles, their levels and permissions, and the
 * permission catalogue grouped by module.
 *
 * The JSON API (cgi-bin/roles_routes.c) and the admin pages
 * (cgi-bin/portal_roles.c) call these same functions.  Each mutating call
 * is one transaction that also writes the activity log (module "role").
 *
 * Rules: system roles cannot be deleted and keep their code and level;
 * the Super Admin role keeps every permission; a role held by a live user
 * cannot be deleted nor change level; tenant-level roles hold only the
 * permissions a tenant may have; below super admin a caller manages only
 * roles below its own level and grants only permissions it holds itself.
 */
#ifndef AG_ROLE_H
#define AG_ROLE_H

#include <jansson.h>

#include "app.h"

/* Most permission codes one request may name. */
#define AG_ROLE_MAX_CODES 200
/* Most entries of the role dropdown. */
#define AG_ROLE_DROPDOWN_MAX 200

typedef struct ag_role {
	const char *id, *code, *name, *level, *description;
	const char *created_at, *updated_at;
	const char *permission_codes;  /* JSON array text, sorted */
	int is_system;
	long user_count;               /* live users holding the role */
} ag_role;

/* A list of strings in the arena. */
typedef struct ag_strlist {
	const char **v;
	size_t n;
} ag_strlist;

/* The five levels, highest first; NULL-terminated. */
extern const char *const ag_role_levels[];
/* Body of create/update: name, code, level, description. */
extern const ag_field ag_role_fields[];
/* Query of the role list: paging, search (name/code), level. */
extern const ag_field ag_role_list_fields[];
/* Query of the role dropdown: level. */
extern const ag_field ag_role_dropdown_fields[];
/* Query of the grouped permissions: paging over modules, search. */
extern const ag_field ag_permission_list_fields[];

/* 5 super_admin ... 1 tenant_operational; 0 for anything else. */
int ag_role_level_rank(const char *level);
/* Indonesian name of a level, e.g. "Admin Tenant"; NULL if unknown. */
const char *ag_role_level_name(const char *level);
/* 1 for tenant_admin and tenant_operational. */
int ag_role_level_is_tenant(const char *level);
/* 1 if a caller at actor_level may create, change or delete a role at
 * level: a super admin any, others only strictly lower levels. */
int ag_role_may_manage(const char *actor_level, const char *level);
/* 1 if a tenant-level role may hold permission code. */
int ag_role_tenant_permission(const char *code);
/* 1 if code is 2-50 characters of [a-z0-9_] starting with a letter. */
int ag_role_code_valid(const char *code);
/* Indonesian name of a permission module ("role" -> "Peran"). */
const char *ag_permission_module_name(const char *module);

/*
 * "permission_codes" of a JSON body: absent leaves *present 0; null is
 * the empty list.  Anything but an array of at most AG_ROLE_MAX_CODES
 * strings is a field error.  Duplicates are dropped.  Returns 0 or -1.
 */
int ag_role_codes_from_json(ag_arena *a, const json_t *body, ag_strlist *out,
    int *present, ag_error *e);
/* Every "permission_codes" value of a form (repeated keys), deduplicated. */
int ag_role_codes_from_form(ag_arena *a, const ag_kvlist *form,
    ag_strlist *out, ag_error *e);

/* What a create or update asks for; NULL members stay unchanged (update).
 * description "" clears it. */
typedef struct ag_role_change {
	const char *name, *code, *level, *description;
	const ag_strlist *permissions;   /* NULL: unchanged (create: none) */
} ag_role_change;

/* The change named by input validated against ag_role_fields. */
void ag_role_change_from(ag_role_change *ch, const ag_input *in);

int ag_role_create(ag_app *app, ag_arena *a, const ag_actor *who,
    const ag_role_change *ch, ag_role *out, ag_error *e);
int ag_role_update(ag_app *app, ag_arena *a, const ag_actor *who,
    const char *id, const ag_role_change *ch, ag_role *out, ag_error *e);
/* 409 ROLE_SYSTEM for a system role, 409 ROLE_IN_USE while users hold it. */
int ag_role_delete(ag_app *app, ag_arena *a, const ag_actor *who,
    const char *id, ag_error *e);
/* 404 ROLE_NOT_FOUND when absent or deleted. */
int ag_role_get(ag_app *app, ag_arena *a, const char *id, ag_role *out,
    ag_error *e);

typedef struct ag_role_filter {
	const char *search, *level, *sort, *order;
	long page, limit;
} ag_role_filter;

/* The filter named by input validated against ag_role_list_fields. */
void ag_role_filter_from(ag_role_filter *f, const ag_input *q);
int ag_role_list(ag_app *app, ag_arena *a, const ag_role_filter *f,
    json_t **items, ag_page *page, ag_error *e);

/* {id, code, name, level, level_name, description, is_system, user_count,
 * permission_codes, created_at, updated_at}. */
json_t *ag_role_json(const ag_role *r);
/* [{id, name}] of live roles (at most AG_ROLE_DROPDOWN_MAX); level may be NULL. */
json_t *ag_role_dropdown(ag_app *app, ag_arena *a, const char *level,
    ag_error *e);
/* [{id: level, name}] of the five levels. */
json_t *ag_role_levels_dropdown(void);

/* The catalogue grouped by module, each permission with "granted" for
 * role id: [{module, name, permissions: [{id, code, action, name,
 * granted}]}].  404 when the role is absent. */
json_t *ag_role_permissions(ag_app *app, ag_arena *a, const char *id,
    ag_error *e);
/* One page of modules: [{module, name, permissions: [{id, code, action,
 * name}]}]; search matches module, code or name. */
int ag_permission_groups(ag_app *app, ag_arena *a, const char *search,
    const char *order, long page_no, long limit, json_t **items,
    ag_page *page, ag_error *e);
/*
 * The permission matrix of the role form: {"actions": [{action, label}],
 * "rows": [{module, name, cells: [{code, name, exists, checked}]}]} with
 * checked set for codes in checked (may be NULL).
 */
json_t *ag_role_matrix(ag_app *app, ag_arena *a, const ag_strlist *checked,
    ag_error *e);
/* The codes of a role's permission_codes text as a list. */
void ag_role_codes_of(ag_arena *a, const ag_role *r, ag_strlist *out);

#endif
