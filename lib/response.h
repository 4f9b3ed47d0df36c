/*
 * response.h - what a handler answers, built in memory and written once.
 *
 * The JSON envelope and error shape of API.md, security headers, cookies
 * and downloads each have one function here, so no handler writes its
 * own headers.  Nothing reaches the client until the handler returns,
 * which lets the dispatcher replace a half-built answer by an error.
 */
#ifndef AG_RESPONSE_H
#define AG_RESPONSE_H

#include <jansson.h>

#include "arena.h"
#include "error.h"

#define AG_MAX_HEADERS 24

typedef struct ag_resp {
	ag_arena *arena;
	int status;
	const char *content_type;
	const char *hnames[AG_MAX_HEADERS];
	const char *hvalues[AG_MAX_HEADERS];
	size_t nheaders;
	ag_buf body;
	int html;               /* stricter CSP applies to pages */
	const char *csp_nonce;  /* not used yet: pages carry no inline script */
} ag_resp;

typedef struct ag_page {
	long page, limit, total;
} ag_page;

void ag_resp_init(ag_resp *r, ag_arena *a);
void ag_resp_reset(ag_resp *r);
void ag_resp_header(ag_resp *r, const char *name, const char *value);
const char *ag_resp_get_header(const ag_resp *r, const char *name);

/* {"data": data, "message": message}; data is stolen (may be NULL -> null). */
void ag_resp_json(ag_resp *r, int status, json_t *data, const char *message);
/* {"data": items, "meta": {page, limit, total_data, total_page}, "message"}. */
void ag_resp_json_page(ag_resp *r, json_t *items, const ag_page *p,
    const char *message);
/* {"message", "code", "errors": [...]}; errors stolen, may be NULL -> []. */
void ag_resp_json_error(ag_resp *r, int status, const char *code,
    const char *message, json_t *errors);
void ag_resp_json_fail(ag_resp *r, const ag_error *e);
/* A body of bytes, e.g. a PNG; no download prompt. */
void ag_resp_bytes(ag_resp *r, int status, const char *content_type,
    const void *data, size_t len);
/* A file offered for download with a safe ASCII filename. */
void ag_resp_download(ag_resp *r, const char *content_type,
    const char *filename, const void *data, size_t len);
void ag_resp_html(ag_resp *r, int status, const char *html, size_t len);
/* 303 See Other (after a POST) to a local path. */
void ag_resp_redirect(ag_resp *r, const char *location);

/* Cookies: always Path=/, HttpOnly, SameSite=Lax; Secure when secure. */
void ag_resp_cookie(ag_resp *r, const char *name, const char *value,
    long max_age, int secure);

/* The CGI answer: "Status:" line, headers incl. security headers, body. */
void ag_resp_serialize(const ag_resp *r, ag_buf *out, int head_only);

/* Standard messages for a status without a more specific one. */
const char *ag_status_code(int status);
const char *ag_status_message(int status);

#endif
