/* autogate-core - FastCGI worker for health, auth, files and reference data. */
#include "core_routes.h"

int
main(int argc, char **argv)
{
	static const ag_route *const tables[] = { ag_core_routes, NULL };

	return ag_worker_main(argc, argv, "autogate-core", tables);
}
