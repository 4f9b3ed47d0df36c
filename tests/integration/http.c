/*
 * http.c - the integration tests' HTTP client; see http.h.
 */
#include "http.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

/* Strings handed out by ag_it_strdup/ag_it_printf, freed together. */
typedef struct kept {
	struct kept *next;
	_Alignas(max_align_t) char s[];
} kept;

static char *base_url;
static ag_it_resp *answers;
static kept *strings;

typedef struct {
	char *data;
	size_t len, cap;
} growbuf;

static void
grow_append(growbuf *g, const char *p, size_t n)
{
	if (g->len + n + 1 > g->cap) {
		size_t cap = g->cap ? g->cap : 4096;

		while (g->len + n + 1 > cap)
			cap *= 2;
		g->data = realloc(g->data, cap);
		if (g->data == NULL)
			abort();
		g->cap = cap;
	}
	memcpy(g->data + g->len, p, n);
	g->len += n;
	g->data[g->len] = '\0';
}

static size_t
on_body(char *p, size_t size, size_t n, void *ud)
{
	grow_append(ud, p, size * n);
	return size * n;
}

/* Keeps only the last header block: a 100 Continue has its own. */
static size_t
on_header(char *p, size_t size, size_t n, void *ud)
{
	growbuf *g = ud;

	if (n * size >= 5 && strncmp(p, "HTTP/", 5) == 0)
		g->len = 0;
	grow_append(g, p, size * n);
	return size * n;
}

void
ag_it_set_base(const char *base)
{
	size_t n;

	free(base_url);
	base_url = NULL;
	if (base == NULL)
		return;
	base_url = strdup(base);
	if (base_url == NULL)
		abort();
	n = strlen(base_url);
	while (n > 0 && base_url[n - 1] == '/')
		base_url[--n] = '\0';
}

const char *
ag_it_base(void)
{
	return base_url;
}

static ag_it_resp *
new_resp(void)
{
	ag_it_resp *r = calloc(1, sizeof(*r));

	if (r == NULL)
		abort();
	r->next = answers;
	answers = r;
	return r;
}

static int
is_json(const char *ctype)
{
	return ctype != NULL && strncasecmp(ctype, "application/json", 16) == 0;
}

/* Runs a prepared handle and fills r. */
static void
perform(CURL *h, const char *method, const char *path,
    const char *const *headers, struct curl_slist *extra, ag_it_resp *r)
{
	growbuf body = { 0 }, head = { 0 };
	struct curl_slist *list = extra;
	char *url;
	CURLcode rc;

	if (strncmp(path, "http://", 7) == 0 || strncmp(path, "https://", 8) == 0)
		url = ag_it_strdup(path);
	else
		url = ag_it_printf("%s%s", base_url != NULL ? base_url : "", path);
	for (size_t i = 0; headers != NULL && headers[i] != NULL; i++)
		list = curl_slist_append(list, headers[i]);
	/* No "Expect: 100-continue" pause on large bodies. */
	list = curl_slist_append(list, "Expect:");
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
	if (strcmp(method, "HEAD") == 0)
		curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, list);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &body);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, &head);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, AG_IT_TIMEOUT_SECONDS);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, AG_IT_TIMEOUT_SECONDS);
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "autogate-integration-test");
	rc = curl_easy_perform(h);
	if (rc != CURLE_OK) {
		snprintf(r->error, sizeof(r->error), "%s %s: %s", method, url,
		    curl_easy_strerror(rc));
		r->status = 0;
	} else
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &r->status);
	curl_slist_free_all(list);
	if (body.data == NULL)
		grow_append(&body, "", 0);
	if (head.data == NULL)
		grow_append(&head, "", 0);
	r->body = body.data;
	r->len = body.len;
	r->headers = head.data;
	if (is_json(ag_it_header(r, "Content-Type")))
		r->json = json_loadb(r->body, r->len, 0, NULL);
}

ag_it_resp *
ag_it_request(const char *method, const char *path,
    const char *const *headers, const char *body, size_t len)
{
	ag_it_resp *r = new_resp();
	CURL *h = curl_easy_init();

	if (h == NULL)
		abort();
	if (body != NULL) {
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
	}
	perform(h, method, path, headers, NULL, r);
	curl_easy_cleanup(h);
	return r;
}

ag_it_resp *
ag_it_json(const char *method, const char *path, const char *token,
    const char *json_text)
{
	const char *headers[3] = { NULL, NULL, NULL };
	size_t n = 0;

	if (json_text != NULL)
		headers[n++] = "Content-Type: application/json";
	if (token != NULL)
		headers[n++] = ag_it_printf("Authorization: Bearer %s", token);
	return ag_it_request(method, path, headers, json_text,
	    json_text != NULL ? strlen(json_text) : 0);
}

ag_it_resp *
ag_it_multipart(const char *path, const char *const *headers,
    const char *const *fields, const char *file_field, const char *file_path)
{
	ag_it_resp *r = new_resp();
	CURL *h = curl_easy_init();
	curl_mime *mime;
	curl_mimepart *part;

	if (h == NULL)
		abort();
	mime = curl_mime_init(h);
	for (size_t i = 0; fields != NULL && fields[i] != NULL &&
	    fields[i + 1] != NULL; i += 2) {
		part = curl_mime_addpart(mime);
		curl_mime_name(part, fields[i]);
		curl_mime_data(part, fields[i + 1], CURL_ZERO_TERMINATED);
	}
	if (file_field != NULL && file_path != NULL) {
		part = curl_mime_addpart(mime);
		curl_mime_name(part, file_field);
		curl_mime_filedata(part, file_path);
	}
	curl_easy_setopt(h, CURLOPT_MIMEPOST, mime);
	perform(h, "POST", path, headers, NULL, r);
	curl_mime_free(mime);
	curl_easy_cleanup(h);
	return r;
}

const char *
ag_it_header(ag_it_resp *r, const char *name)
{
	size_t n = strlen(name);
	const char *p = r->headers;

	while (p != NULL && *p != '\0') {
		const char *eol = strstr(p, "\r\n"), *v;
		size_t linelen = eol != NULL ? (size_t)(eol - p) : strlen(p);

		if (linelen > n && strncasecmp(p, name, n) == 0 && p[n] == ':') {
			v = p + n + 1;
			while (*v == ' ' || *v == '\t')
				v++;
			return ag_it_printf("%.*s", (int)(linelen - (size_t)(v - p)),
			    v);
		}
		p = eol != NULL ? eol + 2 : NULL;
	}
	return NULL;
}

const char *
ag_it_cookie(ag_it_resp *r, const char *name)
{
	size_t n = strlen(name);
	const char *p = r->headers;

	while (p != NULL && *p != '\0') {
		const char *eol = strstr(p, "\r\n"), *v, *end;
		size_t linelen = eol != NULL ? (size_t)(eol - p) : strlen(p);

		if (linelen > 11 && strncasecmp(p, "Set-Cookie:", 11) == 0) {
			v = p + 11;
			while (*v == ' ')
				v++;
			if (strncmp(v, name, n) == 0 && v[n] == '=') {
				v += n + 1;
				end = v;
				while (end < p + linelen && *end != ';')
					end++;
				return ag_it_printf("%.*s", (int)(end - v), v);
			}
		}
		p = eol != NULL ? eol + 2 : NULL;
	}
	return NULL;
}

void
ag_it_release_all(void)
{
	while (answers != NULL) {
		ag_it_resp *r = answers;

		answers = r->next;
		free(r->body);
		free(r->headers);
		json_decref(r->json);
		free(r);
	}
	while (strings != NULL) {
		kept *k = strings;

		strings = k->next;
		free(k);
	}
}

static char *
keep(size_t n)
{
	kept *k = malloc(sizeof(*k) + n + 1);

	if (k == NULL)
		abort();
	k->next = strings;
	strings = k;
	return k->s;
}

void *
ag_it_alloc(size_t n)
{
	return keep(n);
}

char *
ag_it_strdup(const char *s)
{
	size_t n = strlen(s);
	char *d = keep(n);

	memcpy(d, s, n + 1);
	return d;
}

char *
ag_it_printf(const char *fmt, ...)
{
	va_list ap;
	int n;
	char *s;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		abort();
	s = keep((size_t)n);
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return s;
}

char *
ag_it_urlencode(const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = strlen(s), j = 0;
	char *d = keep(n * 3);

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' ||
		    c == '~')
			d[j++] = (char)c;
		else {
			d[j++] = '%';
			d[j++] = hex[c >> 4];
			d[j++] = hex[c & 15];
		}
	}
	d[j] = '\0';
	return d;
}
