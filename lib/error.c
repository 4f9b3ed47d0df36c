/*
 * error.c - service failures; see error.h.
 */
#include "error.h"

#include <string.h>

#include "jsonin.h"
#include "log.h"

void
ag_error_init(ag_error *e, ag_arena *a)
{
	memset(e, 0, sizeof(*e));
	e->arena = a;
}

int
ag_fail(ag_error *e, int status, const char *code, const char *message)
{
	e->status = status;
	e->code = code;
	e->message = message;
	return -1;
}

void
ag_error_field(ag_error *e, const char *field, const char *message)
{
	if (e->fields == NULL)
		e->fields = ag_json_own(e->arena, json_array());
	if (ag_error_has_field(e, field))
		return; /* the first problem of a field is the one to show */
	json_array_append_new(e->fields, json_pack("{s:s, s:s}",
	    "field", field, "message", message));
	if (e->status == 0)
		ag_fail(e, 422, "VALIDATION_ERROR", "Data yang dikirim tidak valid");
}

const char *
ag_error_field_message(const ag_error *e, const char *field)
{
	size_t i;
	json_t *it;

	if (e->fields == NULL)
		return NULL;
	json_array_foreach(e->fields, i, it) {
		if (strcmp(json_string_value(json_object_get(it, "field")),
		    field) == 0)
			return json_string_value(json_object_get(it, "message"));
	}
	return NULL;
}

int
ag_error_has_field(const ag_error *e, const char *field)
{
	return ag_error_field_message(e, field) != NULL;
}

int
ag_fail_internal(ag_error *e, const char *what)
{
	ag_log(AG_LOG_ERROR, "internal error: %s", what);
	return ag_fail(e, 500, "INTERNAL_ERROR",
	    "Terjadi kesalahan pada server, silakan coba lagi");
}
