/* autogate-portal - FastCGI worker for the guest and admin portal pages. */
#include "portal_routes.h"

int
main(int argc, char **argv)
{
	static const ag_route *const tables[] = { ag_portal_routes, NULL };

	return ag_worker_main(argc, argv, "autogate-portal", tables);
}
