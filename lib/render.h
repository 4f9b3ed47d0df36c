/*
 * render.h - HTML pages from Mustache templates.
 *
 * Templates live in the configured templates directory; pages extend
 * layout.mustache through blocks.  Every value is HTML-escaped unless a
 * template asks otherwise, and every page gets the same context keys:
 * csrf_token, user (when signed in), app (name, version), year.
 */
#ifndef AG_RENDER_H
#define AG_RENDER_H

#include <jansson.h>

#include "app.h"

/* Renders templates/<name>.mustache; ctx is stolen (may be NULL). */
void ag_render(ag_ctx *c, int status, const char *name, json_t *ctx);
/* The error page with a message. */
void ag_render_error(ag_ctx *c, int status, const char *message);
/* A notice a page shows after a redirect, named by ?pesan=<code>. */
typedef struct ag_notice {
	const char *code;
	const char *text;
} ag_notice;

/* The text of the request's ?pesan= code in table, or NULL: only fixed
 * texts are shown, never words from the URL. */
const char *ag_render_notice(const ag_ctx *c, const ag_notice *table,
    size_t n);

/* Field errors of c->err as {"field": "message"} for templates. */
json_t *ag_render_field_errors(const ag_error *e);

#endif
