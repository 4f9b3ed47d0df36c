/*
 * mustache.h - Mustache templates rendered over jansson values.
 *
 * Implements the Mustache spec (comments, delimiters, interpolation,
 * sections, inverted sections, partials) and template inheritance
 * (blocks {{$name}} and parents {{<name}}), without lambdas.  Templates
 * are parsed on every call and rendered into the caller's arena; there
 * is no global state.
 *
 * Values: {{name}} HTML-escapes & < > " ' ; {{{name}}} and {{&name}}
 * do not.  Strings render as is, integers in decimal, reals in their
 * shortest round-trip form ("1.21"), true/false as words; null, missing
 * names, objects and arrays render as the empty string.  Falsey for
 * sections: missing, null, false and the empty array (an empty string
 * and 0 are truthy, as in the spec).
 */
#ifndef AG_MUSTACHE_H
#define AG_MUSTACHE_H

#include <stddef.h>

#include <jansson.h>

#include "arena.h"

/* Maximum nesting of partials, parents and block substitutions. */
#define AG_MUSTACHE_MAX_DEPTH 32

typedef struct ag_tmpl_loader {
	/* Returns the partial's source (arena-allocated or static) or NULL
	 * if it does not exist. */
	const char *(*load)(void *ud, ag_arena *a, const char *name);
	void *ud;
} ag_tmpl_loader;

/*
 * Renders template src with context ctx (any jansson value; NULL is
 * null).  Partials and parents come from loader (NULL: none exist; a
 * missing partial renders as the empty string).  Returns the output,
 * NUL-terminated and arena-allocated, or NULL with a message in err
 * for syntax errors (unclosed tag or section, mismatched section end,
 * bad delimiter change), for nesting deeper than
 * AG_MUSTACHE_MAX_DEPTH and for runaway templates (more than 20 million
 * nodes rendered).  err may be NULL.
 */
char *ag_mustache_render(ag_arena *a, const char *src, json_t *ctx,
    const ag_tmpl_loader *loader, char *err, size_t errlen);

/*
 * Sets up l to load partial "name" from the file <dir>/<name>.mustache.
 * Names must match [A-Za-z0-9_/-]+ without a leading "/" or empty path
 * components; files must be regular and at most 1 MiB.  Anything else
 * is reported as not found.  dir must outlive the loader.
 */
void ag_tmpl_dir_loader(ag_tmpl_loader *l, const char *dir);

#endif
