/*
 * config.h - INI configuration file with environment overrides.
 *
 * Loaded once at process start; values live until ag_config_free().
 * Every key and its default is documented in conf/autogate.conf.example.
 *
 * Syntax: "[section]" lines, "key = value" lines, full-line comments
 * starting with '#' or ';', and trailing comments introduced by
 * whitespace followed by '#' or ';'.  Whitespace around keys and values
 * is trimmed; a value may be wrapped in double quotes to keep leading or
 * trailing blanks or a " #" sequence (no escapes inside quotes).
 * Section and key names are [A-Za-z0-9_.-] and case-insensitive; a key
 * repeated within a section takes its last value.
 */
#ifndef AG_CONFIG_H
#define AG_CONFIG_H

#include <stddef.h>

typedef struct ag_config ag_config;

/* Loads path (NULL: no file, defaults and environment only).  Returns
 * NULL and a message with the line number in err on a syntax error or
 * when the file cannot be read. */
ag_config *ag_config_load(const char *path, char *err, size_t errlen);
void ag_config_free(ag_config *c);

/* Value of section.key: the environment variable AUTOGATE_<SECTION>_<KEY>
 * (upper-cased, '.' and '-' as '_') if set, else the file's value, else
 * def.  c may be NULL (environment and defaults only). */
const char *ag_config_get(const ag_config *c, const char *section, const char *key,
    const char *def);
/* Integer value in C syntax (0660 is octal, 0x10 hex); garbage or a value
 * outside [min, max] yields def and a warning in the log. */
long ag_config_int(const ag_config *c, const char *section, const char *key, long def,
    long min, long max);
/* true/false, yes/no, on/off, 1/0 (any case); anything else yields def
 * and a warning in the log. */
int ag_config_bool(const ag_config *c, const char *section, const char *key, int def);

#endif
