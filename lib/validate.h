/*
 * validate.h - declared input fields, checked once, read as typed values.
 *
 * A route names the fields it accepts (body and query) in a table; the
 * dispatcher validates the request against it before the handler runs,
 * so handlers read typed, already-checked values and never raw bytes.
 * Every problem is reported per field, in Indonesian, in one answer.
 */
#ifndef AG_VALIDATE_H
#define AG_VALIDATE_H

#include <jansson.h>

#include "arena.h"
#include "error.h"
#include "urlenc.h"

enum ag_ftype {
	AG_T_STRING,        /* one line of text */
	AG_T_TEXT,          /* multi-line text */
	AG_T_INT,           /* integer (JSON number or decimal string in forms) */
	AG_T_BOOL,          /* true/false ("1"/"0"/"on" in forms) */
	AG_T_DATE,          /* YYYY-MM-DD, a real calendar date */
	AG_T_UUID,
	AG_T_EMAIL,
	AG_T_PHONE,         /* 8-15 digits, optional leading '+' */
	AG_T_NIK,           /* Indonesian identity number: 16 digits */
	AG_T_PLATE,         /* vehicle registration, e.g. "L 1234 AB" */
	AG_T_ENUM,          /* one of choices */
	AG_T_ACCESS_NUMBER, /* TKT-dddddddd */
	AG_T_PASSWORD       /* any text, never trimmed */
};

#define AG_REQUIRED 0x1u

typedef struct ag_field {
	const char *name;
	enum ag_ftype type;
	unsigned flags;
	long min, max;             /* length (text) or range (int); 0 = type default */
	const char *const *choices; /* AG_T_ENUM: NULL-terminated */
} ag_field;

/* The paging and sorting fields of every list (API.md): page, limit
 * (max 100), search, sort (one of sorts, NULL-terminated), order. */
extern const char *const ag_list_orders[];
#define AG_LIST_FIELDS(sorts) \
	{ "page", AG_T_INT, 0, 1, 1000000, NULL }, \
	{ "limit", AG_T_INT, 0, 1, 100, NULL }, \
	{ "search", AG_T_STRING, 0, 0, 100, NULL }, \
	{ "sort", AG_T_ENUM, 0, 0, 0, (sorts) }, \
	{ "order", AG_T_ENUM, 0, 0, 0, ag_list_orders }

/* A field table ends with an entry whose name is NULL. */
#define AG_FIELDS_END { NULL, 0, 0, 0, 0, NULL }

typedef struct ag_value {
	int present;       /* given in the request (explicit null counts, str NULL) */
	const char *str;   /* normalised text (trimmed; dates/uuids canonical) */
	long long num;     /* AG_T_INT, AG_T_BOOL */
} ag_value;

typedef struct ag_input {
	const ag_field *spec;
	ag_value *v;
	size_t n;
} ag_input;

/* Partial mode (PATCH): required fields may be absent but not emptied. */
#define AG_V_PARTIAL 0x1u

/* Validates a JSON object; adds field errors to e; returns 0 if all valid. */
int ag_input_from_json(ag_input *in, ag_arena *a, const ag_field *spec,
    json_t *obj, unsigned mode, ag_error *e);
/* Validates form or query pairs (empty text is the same as absent). */
int ag_input_from_kv(ag_input *in, ag_arena *a, const ag_field *spec,
    const ag_kvlist *kv, unsigned mode, ag_error *e);
/* An empty input over spec (nothing present). */
void ag_input_empty(ag_input *in, ag_arena *a, const ag_field *spec);

int ag_in_has(const ag_input *in, const char *name);
/* Text value or NULL when absent or null. */
const char *ag_in_str(const ag_input *in, const char *name);
long long ag_in_int(const ag_input *in, const char *name, long long def);
/* For partial updates: the given value (NULL if cleared) when present, else current. */
const char *ag_in_or(const ag_input *in, const char *name, const char *current);
/* Forgets a value, e.g. one a page form must not set. */
void ag_in_clear(ag_input *in, const char *name);

/* Checkers shared with services. */
int ag_valid_date(const char *s);
int ag_valid_email(const char *s);

#endif
