/*
 * validate.c - field tables to typed values; see validate.h.
 */
#include "validate.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "log.h"

static const ag_value absent_value = { 0, NULL, 0 };

const char *const ag_list_orders[] = { "asc", "desc", NULL };

static const ag_value *
find(const ag_input *in, const char *name)
{
	for (size_t i = 0; i < in->n; i++)
		if (strcmp(in->spec[i].name, name) == 0)
			return &in->v[i];
	/* Asking for an undeclared field is a programming error: say so
	 * loudly, but answer the visitor as if the field were absent. */
	ag_log(AG_LOG_ERROR, "input field '%s' is not declared by the route",
	    name);
	return &absent_value;
}

int
ag_in_has(const ag_input *in, const char *name)
{
	return find(in, name)->present;
}

const char *
ag_in_str(const ag_input *in, const char *name)
{
	return find(in, name)->str;
}

const char *
ag_in_or(const ag_input *in, const char *name, const char *current)
{
	const ag_value *v = find(in, name);

	return v->present ? v->str : current;
}

void
ag_in_clear(ag_input *in, const char *name)
{
	for (size_t i = 0; i < in->n; i++)
		if (strcmp(in->spec[i].name, name) == 0) {
			in->v[i].present = 0;
			in->v[i].str = NULL;
		}
}

long long
ag_in_int(const ag_input *in, const char *name, long long def)
{
	const ag_value *v = find(in, name);

	return v->present && v->str != NULL ? v->num : def;
}

int
ag_valid_date(const char *s)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	int y, m, d;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !isdigit((unsigned char)s[i]))
			return 0;
	y = atoi(s);
	m = atoi(s + 5);
	d = atoi(s + 8);
	if (y < 1900 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return 0;
	if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 0;
	return 1;
}

int
ag_valid_email(const char *s)
{
	const char *at = strchr(s, '@'), *dot;
	size_t n = strlen(s);

	if (at == NULL || at == s || strchr(at + 1, '@') != NULL || n > 254)
		return 0;
	dot = strrchr(at, '.');
	if (dot == NULL || dot == at + 1 || dot[1] == '\0')
		return 0;
	for (const char *p = s; *p != '\0'; p++)
		if ((unsigned char)*p <= ' ' || *p == '<' || *p == '>' ||
		    *p == '"' || *p == ',' || *p == ';')
			return 0;
	return 1;
}

static int
valid_plate(const char *s)
{
	size_t letters = 0, digits = 0;

	for (const char *p = s; *p != '\0'; p++) {
		if (isalpha((unsigned char)*p))
			letters++;
		else if (isdigit((unsigned char)*p))
			digits++;
		else if (*p != ' ' && *p != '-')
			return 0;
	}
	return letters >= 1 && digits >= 1 && strlen(s) <= 12;
}

static int
all_digits(const char *s, size_t min, size_t max)
{
	size_t n = strlen(s);

	if (n < min || n > max)
		return 0;
	for (; *s != '\0'; s++)
		if (!isdigit((unsigned char)*s))
			return 0;
	return 1;
}

/* UTF-8 code points, for length limits a person understands. */
static size_t
char_count(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

static int
has_control(const char *s, int allow_newlines)
{
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == 0x7f || (c < 0x20 && !(allow_newlines &&
		    (c == '\n' || c == '\r' || c == '\t'))))
			return 1;
	}
	return 0;
}

static char *
trim(ag_arena *a, const char *s)
{
	size_t n;

	while (isspace((unsigned char)*s))
		s++;
	n = strlen(s);
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	return ag_strndup(a, s, n);
}

static const char *
choices_text(ag_arena *a, const char *const *choices)
{
	ag_buf b;

	ag_buf_init(&b, a);
	for (size_t i = 0; choices[i] != NULL; i++)
		ag_buf_printf(&b, "%s%s", i ? ", " : "", choices[i]);
	return b.data;
}

/*
 * Checks one textual value against its field and fills v.  Returns the
 * Indonesian message of the first problem, or NULL.
 */
static const char *
check_text(ag_arena *a, const ag_field *f, const char *raw, ag_value *v)
{
	long maxlen = f->max > 0 ? f->max : 255;
	char *s = f->type == AG_T_PASSWORD ? ag_strdup(a, raw) : trim(a, raw);
	char *end;

	v->str = s;
	switch (f->type) {
	case AG_T_STRING:
	case AG_T_TEXT:
	case AG_T_PASSWORD:
		if (f->type == AG_T_TEXT && f->max == 0)
			maxlen = 2000;
		if (has_control(s, f->type == AG_T_TEXT))
			return "tidak boleh berisi karakter kontrol";
		if ((long)char_count(s) > maxlen)
			return ag_sprintf(a, "maksimal %ld karakter", maxlen);
		if (f->min > 0 && (long)char_count(s) < f->min)
			return ag_sprintf(a, "minimal %ld karakter", f->min);
		return NULL;
	case AG_T_INT:
		errno = 0;
		v->num = strtoll(s, &end, 10);
		if (s[0] == '\0' || *end != '\0' || errno != 0)
			return "harus berupa bilangan bulat";
		if ((f->min != 0 || f->max != 0) && v->num < f->min)
			return ag_sprintf(a, "minimal %ld", f->min);
		if (f->max != 0 && v->num > f->max)
			return ag_sprintf(a, "maksimal %ld", f->max);
		return NULL;
	case AG_T_BOOL:
		if (strcmp(s, "true") == 0 || strcmp(s, "1") == 0 ||
		    strcmp(s, "on") == 0)
			v->num = 1;
		else if (strcmp(s, "false") == 0 || strcmp(s, "0") == 0)
			v->num = 0;
		else
			return "harus berupa true atau false";
		return NULL;
	case AG_T_DATE:
		return ag_valid_date(s) ? NULL : "format tanggal harus YYYY-MM-DD";
	case AG_T_UUID:
		if (!ag_uuid_valid(s))
			return "format UUID tidak valid";
		for (char *p = s; *p != '\0'; p++)
			*p = (char)tolower((unsigned char)*p);
		return NULL;
	case AG_T_EMAIL:
		if (!ag_valid_email(s))
			return "format email tidak valid";
		for (char *p = s; *p != '\0'; p++)
			*p = (char)tolower((unsigned char)*p);
		return NULL;
	case AG_T_PHONE:
		return all_digits(s[0] == '+' ? s + 1 : s, 8, 15) ? NULL :
		    "nomor telepon harus 8-15 digit angka";
	case AG_T_NIK:
		return all_digits(s, 16, 16) ? NULL : "NIK harus 16 digit angka";
	case AG_T_PLATE:
		for (char *p = s; *p != '\0'; p++)
			*p = (char)toupper((unsigned char)*p);
		return valid_plate(s) ? NULL : "nomor polisi tidak valid";
	case AG_T_ENUM:
		for (size_t i = 0; f->choices[i] != NULL; i++)
			if (strcmp(f->choices[i], s) == 0)
				return NULL;
		return ag_sprintf(a, "harus salah satu dari: %s",
		    choices_text(a, f->choices));
	case AG_T_ACCESS_NUMBER:
		for (char *p = s; *p != '\0'; p++)
			*p = (char)toupper((unsigned char)*p);
		return ag_access_number_valid(s) ? NULL :
		    "format nomor akses harus TKT- diikuti 8 digit";
	}
	return "tidak valid";
}

static size_t
spec_len(const ag_field *spec)
{
	size_t n = 0;

	while (spec != NULL && spec[n].name != NULL)
		n++;
	return n;
}

void
ag_input_empty(ag_input *in, ag_arena *a, const ag_field *spec)
{
	in->spec = spec;
	in->n = spec_len(spec);
	in->v = ag_calloc(a, in->n ? in->n : 1, sizeof(ag_value));
}

/* Present-but-empty handling shared by both sources. */
static void
take(ag_arena *a, const ag_field *f, const char *raw, unsigned mode,
    ag_value *v, ag_error *e)
{
	const char *msg;
	int empty;

	empty = raw == NULL || (f->type != AG_T_PASSWORD && raw[strspn(raw,
	    " \t\r\n")] == '\0') || raw[0] == '\0';
	if (empty) {
		if (f->flags & AG_REQUIRED)
			ag_error_field(e, f->name, "wajib diisi");
		else if (mode & AG_V_PARTIAL)
			v->present = 1; /* explicit clear */
		return;
	}
	v->present = 1;
	if ((msg = check_text(a, f, raw, v)) != NULL)
		ag_error_field(e, f->name, msg);
}

int
ag_input_from_json(ag_input *in, ag_arena *a, const ag_field *spec,
    json_t *obj, unsigned mode, ag_error *e)
{
	ag_input_empty(in, a, spec);
	for (size_t i = 0; i < in->n; i++) {
		const ag_field *f = &spec[i];
		json_t *j = obj != NULL ? json_object_get(obj, f->name) : NULL;
		const char *raw = NULL;

		if (j == NULL) {
			if ((f->flags & AG_REQUIRED) && !(mode & AG_V_PARTIAL))
				ag_error_field(e, f->name, "wajib diisi");
			continue;
		}
		if (json_is_string(j)) {
			if (f->type == AG_T_BOOL) {
				ag_error_field(e, f->name,
				    "harus berupa true atau false");
				continue;
			}
			raw = json_string_value(j);
			if (strlen(raw) != json_string_length(j)) {
				ag_error_field(e, f->name,
				    "tidak boleh berisi karakter kontrol");
				continue;
			}
		} else if (json_is_integer(j) && f->type == AG_T_INT) {
			raw = ag_sprintf(a, "%" JSON_INTEGER_FORMAT,
			    json_integer_value(j));
		} else if (json_is_boolean(j) && f->type == AG_T_BOOL) {
			raw = json_is_true(j) ? "true" : "false";
		} else if (!json_is_null(j)) {
			ag_error_field(e, f->name, f->type == AG_T_INT ?
			    "harus berupa bilangan bulat" : f->type == AG_T_BOOL ?
			    "harus berupa true atau false" : "harus berupa teks");
			continue;
		}
		take(a, f, raw, mode, &in->v[i], e);
	}
	return e->status == 0 ? 0 : -1;
}

int
ag_input_from_kv(ag_input *in, ag_arena *a, const ag_field *spec,
    const ag_kvlist *kv, unsigned mode, ag_error *e)
{
	ag_input_empty(in, a, spec);
	for (size_t i = 0; i < in->n; i++) {
		const ag_field *f = &spec[i];
		const char *raw = kv != NULL ? ag_kv_get(kv, f->name) : NULL;

		if (raw == NULL || raw[0] == '\0') {
			if ((f->flags & AG_REQUIRED) && !(mode & AG_V_PARTIAL))
				ag_error_field(e, f->name, "wajib diisi");
			continue;
		}
		take(a, f, raw, mode, &in->v[i], e);
	}
	return e->status == 0 ? 0 : -1;
}
