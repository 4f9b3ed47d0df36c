/*
 * request.h - one HTTP request as the workers see it.
 *
 * Built from the FastCGI parameters (CGI environment) and the input
 * stream.  Everything is copied into the request's arena; the body is
 * read only when the route asks for it, and never past a limit.
 */
#ifndef AG_REQUEST_H
#define AG_REQUEST_H

#include <stddef.h>

#include "arena.h"
#include "multipart.h"
#include "urlenc.h"

#define AG_MAX_PATH_PARAMS 4

typedef struct ag_req {
	ag_arena *arena;
	char **envp;            /* FastCGI params, NAME=value */
	const char *method;     /* "GET", ... */
	const char *path;       /* raw path without query, percent-encoded */
	const char *query;      /* raw query string, "" if none */
	const char *request_id;
	const char *remote_addr;
	const char *content_type; /* "" if none */
	long long content_length; /* -1 if absent or invalid */
	int https;
	ag_kvlist query_params;
	ag_kvlist cookies;

	/* Body, filled by ag_req_read_* on demand. */
	ag_read_fn read;
	void *read_ctx;
	int body_read;
	char *body;
	size_t body_len;
	ag_kvlist form;         /* urlencoded or multipart plain fields */
	ag_uploads uploads;     /* multipart file parts, spooled to disk */

	/* Filled by the router. */
	const char *param_names[AG_MAX_PATH_PARAMS];
	const char *param_values[AG_MAX_PATH_PARAMS];
	size_t n_params;
} ag_req;

/* Result of reading a body. */
enum ag_body_status {
	AG_BODY_OK = 0,
	AG_BODY_TOO_LARGE,   /* 413 */
	AG_BODY_MALFORMED,   /* 400 */
	AG_BODY_IO           /* client went away */
};

/*
 * Fills r from a CGI environment.  Returns -1 if the request line is
 * unusable (no method or a path that does not start with '/'), or the
 * query string is malformed; r is still safe to use for an error answer.
 */
int ag_req_init(ag_req *r, ag_arena *a, char **envp, ag_read_fn rd,
    void *rdctx);

/* A CGI parameter (e.g. "HTTP_AUTHORIZATION") or NULL. */
const char *ag_req_env(const ag_req *r, const char *name);
/* An HTTP request header by its name ("Content-Type") or NULL. */
const char *ag_req_header(const ag_req *r, const char *name);
const char *ag_req_cookie(const ag_req *r, const char *name);
const char *ag_req_query(const ag_req *r, const char *name);
const char *ag_req_param(const ag_req *r, const char *name);
/* 1 if the media type of Content-Type is mime (parameters ignored). */
int ag_req_is_type(const ag_req *r, const char *mime);

/* Reads the whole body, at most max bytes (Content-Length is checked first). */
enum ag_body_status ag_req_read_body(ag_req *r, size_t max);
/* Reads and parses an application/x-www-form-urlencoded body. */
enum ag_body_status ag_req_read_form(ag_req *r, size_t max);
/* Streams a multipart/form-data body: fields to r->form, files to tmpdir. */
enum ag_body_status ag_req_read_multipart(ag_req *r, size_t max_total,
    size_t file_max, const char *tmpdir);

#endif
