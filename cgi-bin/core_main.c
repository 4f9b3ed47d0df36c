/* autogate-core - FastCGI worker for health, auth, files and reference data. */
#include "core_routes.h"

int
main(int argc, char **argv)
{
	return ag_worker_main(argc, argv, "autogate-core", ag_core_routes);
}
