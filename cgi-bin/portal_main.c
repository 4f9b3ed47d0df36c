/* autogate-portal - FastCGI worker for the guest and admin portal pages. */
#include "portal_routes.h"

int
main(int argc, char **argv)
{
	return ag_worker_main(argc, argv, "autogate-portal", ag_portal_routes);
}
