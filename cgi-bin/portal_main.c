/* autogate-portal - FastCGI worker for the guest and admin portal pages. */
#include "identity_routes.h"
#include "portal_routes.h"

int
main(int argc, char **argv)
{
	static const ag_route *const tables[] = { ag_portal_routes,
	    ag_portal_auth_routes, ag_portal_profile_routes, ag_portal_role_routes,
	    ag_portal_user_routes, ag_portal_activity_routes, NULL };

	return ag_worker_main(argc, argv, "autogate-portal", tables);
}
