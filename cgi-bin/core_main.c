/* autogate-core - FastCGI worker for health, auth, files and reference data. */
#include "core_routes.h"
#include "identity_routes.h"

int
main(int argc, char **argv)
{
	static const ag_route *const tables[] = { ag_core_routes,
	    ag_auth_routes, ag_profile_routes, ag_role_routes, ag_user_routes,
	    ag_activity_routes, NULL };

	return ag_worker_main(argc, argv, "autogate-core", tables);
}
