/* core_routes.h - route table of the autogate-core worker. */
#ifndef AG_CORE_ROUTES_H
#define AG_CORE_ROUTES_H

#include "app.h"

extern const ag_route ag_core_routes[];

#endif
