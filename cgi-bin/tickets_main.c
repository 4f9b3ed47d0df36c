/* autogate-tickets - FastCGI worker for /v1/tickets. */
#include "tickets_routes.h"

int
main(int argc, char **argv)
{
	return ag_worker_main(argc, argv, "autogate-tickets", ag_ticket_routes);
}
