/*
 * config.c - INI parser and lookups with environment overrides; see config.h.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "arena.h"
#include "log.h"
#include "sys.h"

struct entry {
	char *section;
	char *key;
	char *value;
};

struct ag_config {
	struct entry *v;
	size_t n;
	size_t cap;
};

static int
name_char(int ch)
{
	return isalnum(ch) || ch == '_' || ch == '.' || ch == '-';
}

static int
valid_name(const char *s, size_t n)
{
	if (n == 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!name_char((unsigned char)s[i]))
			return 0;
	return 1;
}

static char *
trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		e--;
	*e = '\0';
	return s;
}

static void
add_entry(ag_config *c, const char *section, const char *key, const char *value)
{
	for (size_t i = 0; i < c->n; i++) {
		struct entry *e = &c->v[i];

		if (strcasecmp(e->section, section) == 0 && strcasecmp(e->key, key) == 0) {
			free(e->value);
			e->value = ag_xstrdup(value);
			return;
		}
	}
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 16;
		c->v = ag_xrealloc(c->v, ag_mul(c->cap, sizeof(*c->v)));
	}
	c->v[c->n].section = ag_xstrdup(section);
	c->v[c->n].key = ag_xstrdup(key);
	c->v[c->n].value = ag_xstrdup(value);
	c->n++;
}

/* Cuts a trailing comment (whitespace then '#' or ';') off an unquoted value. */
static void
cut_comment(char *s)
{
	for (char *p = s; *p != '\0'; p++) {
		if ((*p == '#' || *p == ';') && p > s && isspace((unsigned char)p[-1])) {
			*p = '\0';
			return;
		}
	}
}

/*
 * Parses the value part of "key = value" in place.  Returns the value or
 * NULL with a reason in *why.
 */
static char *
parse_value(char *s, const char **why)
{
	char *q, *rest;

	s = trim(s);
	if (*s != '"') {
		cut_comment(s);
		return trim(s);
	}
	q = strchr(s + 1, '"');
	if (q == NULL) {
		*why = "unterminated quoted value";
		return NULL;
	}
	*q = '\0';
	rest = q + 1;
	while (isspace((unsigned char)*rest))
		rest++;
	if (*rest != '\0' && *rest != '#' && *rest != ';') {
		*why = "text after closing quote";
		return NULL;
	}
	return s + 1;
}

/* Parses one line; returns 0 or -1 with a reason in *why. */
static int
parse_line(ag_config *c, char *line, char **section, const char **why)
{
	char *s = trim(line), *eq, *key, *value;
	size_t n;

	if (*s == '\0' || *s == '#' || *s == ';')
		return 0;
	if (*s == '[') {
		char *close = strchr(s, ']');
		char *after;

		if (close == NULL) {
			*why = "missing ']' in section header";
			return -1;
		}
		after = trim(close + 1);
		if (*after != '\0' && *after != '#' && *after != ';') {
			*why = "text after section header";
			return -1;
		}
		*close = '\0';
		s = trim(s + 1);
		if (!valid_name(s, strlen(s))) {
			*why = "invalid section name";
			return -1;
		}
		free(*section);
		*section = ag_xstrdup(s);
		return 0;
	}
	eq = strchr(s, '=');
	if (eq == NULL) {
		*why = "expected 'key = value'";
		return -1;
	}
	*eq = '\0';
	key = trim(s);
	n = strlen(key);
	if (!valid_name(key, n)) {
		*why = "invalid key name";
		return -1;
	}
	if (*section == NULL) {
		*why = "key outside of a [section]";
		return -1;
	}
	if ((value = parse_value(eq + 1, why)) == NULL)
		return -1;
	add_entry(c, *section, key, value);
	return 0;
}

/* Loads an INI file (or nothing when path is NULL). */
ag_config *
ag_config_load(const char *path, char *err, size_t errlen)
{
	ag_config *c = ag_xcalloc(1, sizeof(*c));
	char *line = NULL, *section = NULL;
	size_t cap = 0;
	ssize_t got;
	unsigned long lineno = 0;
	FILE *f;
	int failed = 0;

	if (errlen > 0)
		err[0] = '\0';
	if (path == NULL)
		return c;
	if ((f = fopen(path, "r")) == NULL) {
		ag_errf(err, errlen, "%s: %s", path, strerror(errno));
		ag_config_free(c);
		return NULL;
	}
	while ((got = getline(&line, &cap, f)) >= 0) {
		const char *why = NULL;

		lineno++;
		if (strlen(line) != (size_t)got)
			why = "NUL byte in line";
		if (why != NULL || parse_line(c, line, &section, &why) < 0) {
			ag_errf(err, errlen, "%s:%lu: %s", path, lineno, why);
			failed = 1;
			break;
		}
	}
	if (!failed && ferror(f)) {
		ag_errf(err, errlen, "%s: read error", path);
		failed = 1;
	}
	fclose(f);
	free(line);
	free(section);
	if (failed) {
		ag_config_free(c);
		return NULL;
	}
	return c;
}

/* Releases the configuration and all its strings. */
void
ag_config_free(ag_config *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; i < c->n; i++) {
		free(c->v[i].section);
		free(c->v[i].key);
		free(c->v[i].value);
	}
	free(c->v);
	free(c);
}

/* AUTOGATE_<SECTION>_<KEY>, or NULL when the name would not fit. */
static const char *
env_value(const char *section, const char *key)
{
	char name[256];
	int n = snprintf(name, sizeof(name), "AUTOGATE_%s_%s", section, key);

	if (n < 0 || (size_t)n >= sizeof(name))
		return NULL;
	for (char *p = name; *p != '\0'; p++) {
		if (*p == '.' || *p == '-')
			*p = '_';
		else
			*p = (char)toupper((unsigned char)*p);
	}
	return getenv(name);
}

/* Looks up section.key: environment, then file, then def. */
const char *
ag_config_get(const ag_config *c, const char *section, const char *key, const char *def)
{
	const char *v = env_value(section, key);

	if (v != NULL)
		return v;
	if (c != NULL) {
		for (size_t i = 0; i < c->n; i++) {
			const struct entry *e = &c->v[i];

			if (strcasecmp(e->section, section) == 0 && strcasecmp(e->key, key) == 0)
				return e->value;
		}
	}
	return def;
}

/* Integer lookup with range check; falls back to def with a warning. */
long
ag_config_int(const ag_config *c, const char *section, const char *key, long def, long min,
    long max)
{
	const char *s = ag_config_get(c, section, key, NULL);
	char *end;
	long v;

	if (s == NULL)
		return def;
	while (isspace((unsigned char)*s))
		s++;
	errno = 0;
	v = strtol(s, &end, 0);
	while (isspace((unsigned char)*end))
		end++;
	if (end == s || *end != '\0' || errno == ERANGE) {
		ag_log(AG_LOG_WARN, "config %s.%s: '%s' is not a number, using %ld", section, key,
		    s, def);
		return def;
	}
	if (v < min || v > max) {
		ag_log(AG_LOG_WARN, "config %s.%s: %ld is outside %ld..%ld, using %ld", section, key,
		    v, min, max, def);
		return def;
	}
	return v;
}

/* Boolean lookup; falls back to def with a warning. */
int
ag_config_bool(const ag_config *c, const char *section, const char *key, int def)
{
	static const char *const yes[] = { "true", "yes", "on", "1" };
	static const char *const no[] = { "false", "no", "off", "0" };
	const char *s = ag_config_get(c, section, key, NULL);

	if (s == NULL)
		return def;
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (strcasecmp(s, yes[i]) == 0)
			return 1;
		if (strcasecmp(s, no[i]) == 0)
			return 0;
	}
	ag_log(AG_LOG_WARN, "config %s.%s: '%s' is not a boolean, using %s", section, key, s,
	    def ? "true" : "false");
	return def;
}
