/* portal_profile.c - placeholder until its routes are written. */
#include "identity_routes.h"

const ag_route ag_portal_profile_routes[] = {
	AG_ROUTES_END
};
