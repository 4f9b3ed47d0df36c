/* tickets_routes.h - route table of the autogate-tickets worker. */
#ifndef AG_TICKETS_ROUTES_H
#define AG_TICKETS_ROUTES_H

#include "app.h"

extern const ag_route ag_ticket_routes[];

#endif
