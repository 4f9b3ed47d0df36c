/*
 * request.c - building an ag_req from the CGI environment; see request.h.
 */
#include "request.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define AG_MAX_QUERY_PAIRS 64
#define AG_MAX_FORM_PAIRS 256

const char *
ag_req_env(const ag_req *r, const char *name)
{
	size_t n = strlen(name);

	if (r->envp == NULL)
		return NULL;
	for (char **e = r->envp; *e != NULL; e++)
		if (strncmp(*e, name, n) == 0 && (*e)[n] == '=')
			return *e + n + 1;
	return NULL;
}

const char *
ag_req_header(const ag_req *r, const char *name)
{
	char key[128];
	size_t i, o = 0;

	if (strcasecmp(name, "Content-Type") == 0)
		return ag_req_env(r, "CONTENT_TYPE");
	if (strcasecmp(name, "Content-Length") == 0)
		return ag_req_env(r, "CONTENT_LENGTH");
	memcpy(key, "HTTP_", 5);
	o = 5;
	for (i = 0; name[i] != '\0' && o < sizeof(key) - 1; i++)
		key[o++] = name[i] == '-' ? '_' :
		    (char)toupper((unsigned char)name[i]);
	key[o] = '\0';
	return ag_req_env(r, key);
}

const char *
ag_req_cookie(const ag_req *r, const char *name)
{
	return ag_kv_get(&r->cookies, name);
}

const char *
ag_req_query(const ag_req *r, const char *name)
{
	return ag_kv_get(&r->query_params, name);
}

const char *
ag_req_param(const ag_req *r, const char *name)
{
	for (size_t i = 0; i < r->n_params; i++)
		if (strcmp(r->param_names[i], name) == 0)
			return r->param_values[i];
	return NULL;
}

int
ag_req_is_type(const ag_req *r, const char *mime)
{
	size_t n = strlen(mime);
	const char *ct = r->content_type;

	while (*ct == ' ')
		ct++;
	return strncasecmp(ct, mime, n) == 0 &&
	    (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

static const char *
env_or_empty(const ag_req *r, const char *name)
{
	const char *v = ag_req_env(r, name);

	return v != NULL ? v : "";
}

int
ag_req_init(ag_req *r, ag_arena *a, char **envp, ag_read_fn rd, void *rdctx)
{
	const char *uri, *q, *cl, *cookie;
	char *end;
	int rc = 0;

	memset(r, 0, sizeof(*r));
	r->arena = a;
	r->envp = envp;
	r->read = rd;
	r->read_ctx = rdctx;
	r->method = env_or_empty(r, "REQUEST_METHOD");
	r->request_id = ag_req_env(r, "REQUEST_ID");
	r->remote_addr = env_or_empty(r, "REMOTE_ADDR");
	r->content_type = env_or_empty(r, "CONTENT_TYPE");
	r->https = strcasecmp(env_or_empty(r, "HTTPS"), "on") == 0;

	/* REQUEST_URI is the raw target; the query follows the first '?'. */
	uri = ag_req_env(r, "REQUEST_URI");
	if (uri == NULL)
		uri = env_or_empty(r, "DOCUMENT_URI");
	q = strchr(uri, '?');
	r->path = q != NULL ? ag_strndup(a, uri, (size_t)(q - uri)) : uri;
	r->query = q != NULL ? q + 1 : env_or_empty(r, "QUERY_STRING");
	if (r->method[0] == '\0' || r->path[0] != '/')
		rc = -1;
	if (ag_parse_urlencoded(a, r->query, strlen(r->query),
	    AG_MAX_QUERY_PAIRS, &r->query_params) != 0) {
		r->query_params.n = 0;
		rc = -1;
	}

	r->content_length = -1;
	cl = ag_req_env(r, "CONTENT_LENGTH");
	if (cl != NULL && cl[0] != '\0') {
		long long v;

		errno = 0;
		v = strtoll(cl, &end, 10);
		if (errno == 0 && *end == '\0' && v >= 0)
			r->content_length = v;
	}

	cookie = ag_req_env(r, "HTTP_COOKIE");
	if (cookie != NULL && ag_parse_cookies(a, cookie, &r->cookies) != 0)
		r->cookies.n = 0;
	return rc;
}

enum ag_body_status
ag_req_read_body(ag_req *r, size_t max)
{
	ag_buf b;
	char chunk[8192];
	long n;

	if (r->body_read)
		return AG_BODY_OK;
	if (r->content_length > 0 && (unsigned long long)r->content_length > max)
		return AG_BODY_TOO_LARGE;
	ag_buf_init(&b, r->arena);
	if (r->read != NULL) {
		while ((n = r->read(r->read_ctx, chunk, sizeof(chunk))) > 0) {
			if (b.len + (size_t)n > max)
				return AG_BODY_TOO_LARGE;
			ag_buf_append(&b, chunk, (size_t)n);
		}
		if (n < 0)
			return AG_BODY_IO;
	}
	r->body = b.data;
	r->body_len = b.len;
	r->body_read = 1;
	return AG_BODY_OK;
}

enum ag_body_status
ag_req_read_form(ag_req *r, size_t max)
{
	enum ag_body_status st = ag_req_read_body(r, max);

	if (st != AG_BODY_OK)
		return st;
	if (ag_parse_urlencoded(r->arena, r->body, r->body_len,
	    AG_MAX_FORM_PAIRS, &r->form) != 0)
		return AG_BODY_MALFORMED;
	for (size_t i = 0; i < r->form.n; i++)
		if (!ag_utf8_valid(r->form.items[i].val, r->form.items[i].vlen))
			return AG_BODY_MALFORMED;
	return AG_BODY_OK;
}

enum ag_body_status
ag_req_read_multipart(ag_req *r, size_t max_total, size_t file_max,
    const char *tmpdir)
{
	enum ag_mp_status st;

	if (r->body_read)
		return AG_BODY_MALFORMED;
	if (r->content_length > 0 &&
	    (unsigned long long)r->content_length > max_total)
		return AG_BODY_TOO_LARGE;
	r->body_read = 1;
	st = ag_multipart_collect(r->arena, r->content_type, r->read,
	    r->read_ctx, max_total, 64 * 1024, file_max, tmpdir, &r->form,
	    &r->uploads);
	switch (st) {
	case AG_MP_OK:
		return AG_BODY_OK;
	case AG_MP_TOO_LARGE:
		return AG_BODY_TOO_LARGE;
	case AG_MP_IO:
		return AG_BODY_IO;
	default:
		return AG_BODY_MALFORMED;
	}
}
