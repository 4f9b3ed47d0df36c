/* portal_users.c - placeholder until its routes are written. */
#include "identity_routes.h"

const ag_route ag_portal_user_routes[] = {
	AG_ROUTES_END
};
