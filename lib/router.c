/*
 * router.c - matching a request against a route table; see router.h.
 */
#include "router.h"

#include <string.h>

#include "crypto.h"

/* A capture named "id" or "..._id" only matches a UUID. */
static int
capture_ok(const char *name, size_t nlen, const char *value)
{
	if ((nlen == 2 && strncmp(name, "id", 2) == 0) ||
	    (nlen > 3 && strncmp(name + nlen - 3, "_id", 3) == 0))
		return ag_uuid_valid(value);
	return value[0] != '\0';
}

/*
 * Matches path against pattern segment by segment; captures are decoded
 * and stored in r.  Returns 1 on a match.
 */
static int
match_path(const char *pattern, const char *path, ag_req *r)
{
	const char *p = pattern, *s = path;

	r->n_params = 0;
	while (*p != '\0' && *s != '\0') {
		const char *pe = strchr(p + 1, '/'), *se = strchr(s + 1, '/');
		size_t plen = pe ? (size_t)(pe - p) : strlen(p);
		size_t slen = se ? (size_t)(se - s) : strlen(s);

		if (plen > 3 && p[1] == '{' && p[plen - 1] == '}') {
			size_t vlen;
			char *v = ag_url_decode(r->arena, s + 1, slen - 1, 0, &vlen);
			const char *name = p + 2;
			size_t nlen = plen - 3;

			if (v == NULL || vlen != strlen(v) || strchr(v, '/') ||
			    !ag_utf8_valid(v, vlen) ||
			    !capture_ok(name, nlen, v) ||
			    r->n_params == AG_MAX_PATH_PARAMS)
				return 0;
			r->param_names[r->n_params] = ag_strndup(r->arena, name, nlen);
			r->param_values[r->n_params] = v;
			r->n_params++;
		} else if (plen != slen || memcmp(p, s, plen) != 0) {
			return 0;
		}
		p += plen;
		s += slen;
	}
	return *p == '\0' && *s == '\0';
}

const ag_route *
ag_route_match(const ag_route *table, ag_req *r, int *status,
    const char **allow)
{
	const char *method = strcmp(r->method, "HEAD") == 0 ? "GET" : r->method;
	ag_buf methods;
	int path_seen = 0;

	ag_buf_init(&methods, r->arena);
	for (const ag_route *rt = table; rt->method != NULL; rt++) {
		if (!match_path(rt->pattern, r->path, r))
			continue;
		if (strcmp(rt->method, method) == 0) {
			*status = 200;
			return rt;
		}
		path_seen = 1;
		if (strstr(methods.data, rt->method) == NULL)
			ag_buf_printf(&methods, "%s%s", methods.len ? ", " : "",
			    rt->method);
	}
	r->n_params = 0;
	*status = path_seen ? 405 : 404;
	*allow = methods.data;
	return NULL;
}

const ag_route *
ag_route_match_all(const ag_route *const *tables, ag_req *r, int *status,
    const char **allow)
{
	const ag_route *rt;
	const char *methods = "";
	int st, seen = 0;

	for (size_t i = 0; tables[i] != NULL; i++) {
		if ((rt = ag_route_match(tables[i], r, &st, allow)) != NULL) {
			*status = st;
			return rt;
		}
		if (st == 405) {
			methods = seen ? ag_sprintf(r->arena, "%s, %s", methods,
			    *allow) : *allow;
			seen = 1;
		}
	}
	*status = seen ? 405 : 404;
	*allow = methods;
	return NULL;
}
