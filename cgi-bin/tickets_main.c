/* autogate-tickets - FastCGI worker for /v1/tickets. */
#include "tickets_routes.h"

int
main(int argc, char **argv)
{
	static const ag_route *const tables[] = { ag_ticket_routes, NULL };

	return ag_worker_main(argc, argv, "autogate-tickets", tables);
}
