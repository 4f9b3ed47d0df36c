/* portal_routes.h - route table of the autogate-portal worker (HTML pages). */
#ifndef AG_PORTAL_ROUTES_H
#define AG_PORTAL_ROUTES_H

#include "app.h"

extern const ag_route ag_portal_routes[];

#endif
