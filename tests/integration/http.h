/*
 * http.h - a small libcurl client for the integration tests: one call
 * sends a request to the stack under test and returns status, headers,
 * body and (for JSON answers) the parsed document.
 *
 * Every answer is kept in a list owned by this module until
 * ag_it_release_all(), so a test can make many requests and free them all
 * in its teardown, also when an assertion ended it early.
 */
#ifndef AG_IT_HTTP_H
#define AG_IT_HTTP_H

#include <stddef.h>

#include <jansson.h>

#include "arena.h"

#define AG_IT_TIMEOUT_SECONDS 10L

typedef struct ag_it_resp {
	long status;		/* HTTP status, 0 when the request failed */
	char *headers;		/* raw header block of the final answer */
	char *body;		/* NUL-terminated (bodies may hold NULs) */
	size_t len;
	json_t *json;		/* parsed body when it is JSON, else NULL */
	char error[256];	/* curl's message when status is 0 */
	struct ag_it_resp *next;
} ag_it_resp;

/* Sets the base URL every path is appended to (no trailing slash). */
void ag_it_set_base(const char *base);

/* The base URL set, or NULL. */
const char *ag_it_base(void);

/*
 * Sends METHOD base+path (or path itself when it is an absolute URL) with
 * the NULL-terminated list of "Name: value" headers and an optional body.
 * Redirects are not followed. Never returns NULL.
 */
ag_it_resp *ag_it_request(const char *method, const char *path,
    const char *const *headers, const char *body, size_t len);

/* As ag_it_request with a JSON body ("Content-Type: application/json"). */
ag_it_resp *ag_it_json(const char *method, const char *path,
    const char *token, const char *json_text);

/*
 * Sends a multipart/form-data POST: fields is a NULL-terminated list of
 * name, value pairs; file_field/file_path (may be NULL) adds one upload.
 */
ag_it_resp *ag_it_multipart(const char *path, const char *const *headers,
    const char *const *fields, const char *file_field, const char *file_path);

/* The value of the first header NAME (case-insensitive), or NULL. */
const char *ag_it_header(ag_it_resp *r, const char *name);

/* The value a Set-Cookie header gives cookie NAME, or NULL. */
const char *ag_it_cookie(ag_it_resp *r, const char *name);

/* Frees every answer made since the last call. */
void ag_it_release_all(void);

/* n bytes (suitably aligned) that live until ag_it_release_all. */
void *ag_it_alloc(size_t n);

/* A copy that lives until ag_it_release_all (like the answers). */
char *ag_it_strdup(const char *s);

/* printf into a string that lives until ag_it_release_all. */
char *ag_it_printf(const char *fmt, ...) AG_PRINTF(1, 2);

/* s with every byte outside [A-Za-z0-9-_.~] percent-encoded. */
char *ag_it_urlencode(const char *s);

#endif
