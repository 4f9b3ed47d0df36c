/*
 * error.h - how a failure travels from the service layer to a handler.
 *
 * Services never write responses.  They fill an ag_error with the HTTP
 * status, a machine-readable code, an Indonesian message and, for
 * validation failures, a list of {field, message}; the handler renders
 * it as JSON (API.md error shape) or as the form again with messages.
 */
#ifndef AG_ERROR_H
#define AG_ERROR_H

#include <jansson.h>

#include "arena.h"

typedef struct ag_error {
	int status;              /* 0 while nothing failed */
	const char *code;        /* "VALIDATION_ERROR", "TICKET_INVALID_STATE", ... */
	const char *message;     /* Indonesian, shown to the user */
	json_t *fields;          /* array of {field, message} or NULL; owned by the arena */
	long retry_after;        /* 429: seconds to wait, sent as Retry-After; 0 = none */
	ag_arena *arena;
} ag_error;

void ag_error_init(ag_error *e, ag_arena *a);
/* Records a failure and returns -1 so that services can `return ag_fail(...)`. */
int ag_fail(ag_error *e, int status, const char *code, const char *message);
/* Adds a field error; the error becomes a 422 VALIDATION_ERROR unless already set. */
void ag_error_field(ag_error *e, const char *field, const char *message);
int ag_error_has_field(const ag_error *e, const char *field);
/* The message for one field, or NULL. */
const char *ag_error_field_message(const ag_error *e, const char *field);
/* Failure of the database or another internal step: 500, details logged only. */
int ag_fail_internal(ag_error *e, const char *what);

#endif
