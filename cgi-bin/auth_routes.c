/* auth_routes.c - placeholder until its routes are written. */
#include "identity_routes.h"

const ag_route ag_auth_routes[] = {
	AG_ROUTES_END
};
