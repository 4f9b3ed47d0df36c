/*
 * identity_routes.h - route tables of the identity and access groups.
 * The JSON tables are served by autogate-core, the page tables by
 * autogate-portal.
 */
#ifndef AG_IDENTITY_ROUTES_H
#define AG_IDENTITY_ROUTES_H

#include "app.h"

/* /v1/roles, /v1/permissions (roles_routes.c) */
extern const ag_route ag_role_routes[];
/* /v1/users (users_routes.c) */
extern const ag_route ag_user_routes[];
/* /v1/auth: forgot/reset password, e-mail verification (auth_routes.c) */
extern const ag_route ag_auth_routes[];
/* /v1/profile (profile_routes.c) */
extern const ag_route ag_profile_routes[];
/* /v1/activity-logs (activity_routes.c) */
extern const ag_route ag_activity_routes[];

/* Admin pages (portal_*.c). */
extern const ag_route ag_portal_role_routes[];
extern const ag_route ag_portal_user_routes[];
extern const ag_route ag_portal_auth_routes[];
extern const ag_route ag_portal_profile_routes[];
extern const ag_route ag_portal_activity_routes[];

#endif
