/*
 * response.c - answers in memory; see response.h.
 */
#include "response.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "jsonin.h"

void
ag_resp_init(ag_resp *r, ag_arena *a)
{
	memset(r, 0, sizeof(*r));
	r->arena = a;
	ag_resp_reset(r);
}

void
ag_resp_reset(ag_resp *r)
{
	r->status = 200;
	r->content_type = "application/json; charset=utf-8";
	r->nheaders = 0;
	r->html = 0;
	ag_buf_init(&r->body, r->arena);
}

void
ag_resp_header(ag_resp *r, const char *name, const char *value)
{
	/* Header values are ours, but refuse CR/LF anyway: no splitting. */
	if (strpbrk(value, "\r\n") != NULL || r->nheaders == AG_MAX_HEADERS)
		return;
	r->hnames[r->nheaders] = name;
	r->hvalues[r->nheaders] = ag_strdup(r->arena, value);
	r->nheaders++;
}

const char *
ag_resp_get_header(const ag_resp *r, const char *name)
{
	for (size_t i = 0; i < r->nheaders; i++)
		if (strcasecmp(r->hnames[i], name) == 0)
			return r->hvalues[i];
	return NULL;
}

static void
set_json(ag_resp *r, int status, json_t *doc)
{
	char *s = json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER);

	ag_buf_init(&r->body, r->arena);
	r->status = status;
	r->content_type = "application/json; charset=utf-8";
	r->html = 0;
	if (s != NULL) {
		ag_buf_puts(&r->body, s);
		free(s);
	}
	json_decref(doc);
}

void
ag_resp_json(ag_resp *r, int status, json_t *data, const char *message)
{
	json_t *doc = json_object();

	json_object_set_new(doc, "data", data != NULL ? data : json_null());
	json_object_set_new(doc, "message", json_string(message));
	set_json(r, status, doc);
}

void
ag_resp_json_page(ag_resp *r, json_t *items, const ag_page *p,
    const char *message)
{
	json_t *doc = json_object();
	long pages = p->limit > 0 ? (p->total + p->limit - 1) / p->limit : 0;

	json_object_set_new(doc, "data", items);
	json_object_set_new(doc, "meta", json_pack("{s:I, s:I, s:I, s:I}",
	    "page", (json_int_t)p->page, "limit", (json_int_t)p->limit,
	    "total_data", (json_int_t)p->total, "total_page", (json_int_t)pages));
	json_object_set_new(doc, "message", json_string(message));
	set_json(r, 200, doc);
}

void
ag_resp_json_error(ag_resp *r, int status, const char *code,
    const char *message, json_t *errors)
{
	json_t *doc = json_object();

	json_object_set_new(doc, "message", json_string(message));
	json_object_set_new(doc, "code", json_string(code));
	json_object_set_new(doc, "errors", errors != NULL ? errors :
	    json_array());
	set_json(r, status, doc);
}

void
ag_resp_json_fail(ag_resp *r, const ag_error *e)
{
	int status = e->status ? e->status : 500;

	if (e->retry_after > 0)
		ag_resp_header(r, "Retry-After", ag_sprintf(r->arena, "%ld",
		    e->retry_after));
	ag_resp_json_error(r, status,
	    e->code ? e->code : ag_status_code(status),
	    e->message ? e->message : ag_status_message(status),
	    e->fields != NULL ? json_deep_copy(e->fields) : NULL);
}

void
ag_resp_bytes(ag_resp *r, int status, const char *content_type,
    const void *data, size_t len)
{
	ag_buf_init(&r->body, r->arena);
	ag_buf_append(&r->body, data, len);
	r->status = status;
	r->content_type = content_type;
	r->html = 0;
}

void
ag_resp_download(ag_resp *r, const char *content_type, const char *filename,
    const void *data, size_t len)
{
	char *safe = ag_strdup(r->arena, filename);

	for (char *p = safe; *p != '\0'; p++)
		if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_' &&
		    *p != '.')
			*p = '_';
	ag_resp_bytes(r, 200, content_type, data, len);
	ag_resp_header(r, "Content-Disposition",
	    ag_sprintf(r->arena, "attachment; filename=\"%s\"", safe));
}

void
ag_resp_html(ag_resp *r, int status, const char *html, size_t len)
{
	ag_resp_bytes(r, status, "text/html; charset=utf-8", html, len);
	r->html = 1;
}

void
ag_resp_redirect(ag_resp *r, const char *location)
{
	/*
	 * Only local paths: never an open redirect.  Browsers drop tabs and
	 * newlines inside URLs ("/\t/evil" becomes "//evil"), so any control
	 * character sends the user home as well.
	 */
	if (location[0] != '/' || location[1] == '/' || location[1] == '\\')
		location = "/";
	for (const char *p = location; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f) {
			location = "/";
			break;
		}
	ag_buf_init(&r->body, r->arena);
	r->status = 303;
	r->content_type = "text/plain; charset=utf-8";
	ag_resp_header(r, "Location", location);
}

void
ag_resp_cookie(ag_resp *r, const char *name, const char *value, long max_age,
    int secure)
{
	ag_resp_header(r, "Set-Cookie", ag_sprintf(r->arena,
	    "%s=%s; Path=/; Max-Age=%ld; HttpOnly; SameSite=Lax%s", name, value,
	    max_age, secure ? "; Secure" : ""));
}

const char *
ag_status_code(int status)
{
	switch (status) {
	case 400: return "BAD_REQUEST";
	case 401: return "UNAUTHORIZED";
	case 403: return "FORBIDDEN";
	case 404: return "NOT_FOUND";
	case 405: return "METHOD_NOT_ALLOWED";
	case 409: return "CONFLICT";
	case 413: return "PAYLOAD_TOO_LARGE";
	case 415: return "UNSUPPORTED_MEDIA_TYPE";
	case 422: return "VALIDATION_ERROR";
	case 429: return "RATE_LIMITED";
	case 502: return "BAD_GATEWAY";
	case 503: return "SERVICE_UNAVAILABLE";
	case 504: return "GATEWAY_TIMEOUT";
	default: return "INTERNAL_ERROR";
	}
}

const char *
ag_status_message(int status)
{
	switch (status) {
	case 400: return "Permintaan tidak valid";
	case 401: return "Silakan masuk terlebih dahulu";
	case 403: return "Anda tidak memiliki akses untuk tindakan ini";
	case 404: return "Data tidak ditemukan";
	case 405: return "Metode tidak diizinkan";
	case 409: return "Permintaan bertentangan dengan status data saat ini";
	case 413: return "Ukuran data terlalu besar";
	case 415: return "Tipe konten tidak didukung";
	case 422: return "Data yang dikirim tidak valid";
	case 429: return "Terlalu banyak permintaan, coba lagi nanti";
	case 502: return "Layanan eksternal memberikan jawaban tidak valid";
	case 503: return "Layanan sedang tidak tersedia";
	case 504: return "Layanan eksternal tidak menjawab tepat waktu";
	default: return "Terjadi kesalahan pada server, silakan coba lagi";
	}
}

static const char *
reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 201: return "Created";
	case 204: return "No Content";
	case 303: return "See Other";
	case 304: return "Not Modified";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 413: return "Payload Too Large";
	case 415: return "Unsupported Media Type";
	case 422: return "Unprocessable Entity";
	case 429: return "Too Many Requests";
	case 502: return "Bad Gateway";
	case 503: return "Service Unavailable";
	case 504: return "Gateway Timeout";
	default: return "Internal Server Error";
	}
}

void
ag_resp_serialize(const ag_resp *r, ag_buf *out, int head_only)
{
	ag_buf_printf(out, "Status: %d %s\r\n", r->status, reason(r->status));
	ag_buf_printf(out, "Content-Type: %s\r\n", r->content_type);
	ag_buf_printf(out, "Content-Length: %zu\r\n", r->body.len);
	ag_buf_puts(out, "X-Content-Type-Options: nosniff\r\n"
	    "X-Frame-Options: DENY\r\n"
	    "Referrer-Policy: no-referrer\r\n");
	if (r->html)
		ag_buf_puts(out, "Content-Security-Policy: default-src 'none'; "
		    "img-src 'self' data:; style-src 'self'; script-src 'self'; "
		    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'\r\n");
	else
		ag_buf_puts(out, "Content-Security-Policy: default-src 'none'; "
		    "frame-ancestors 'none'\r\n");
	if (ag_resp_get_header(r, "Cache-Control") == NULL)
		ag_buf_puts(out, "Cache-Control: no-store\r\n");
	for (size_t i = 0; i < r->nheaders; i++)
		ag_buf_printf(out, "%s: %s\r\n", r->hnames[i], r->hvalues[i]);
	ag_buf_puts(out, "\r\n");
	if (!head_only)
		ag_buf_append(out, r->body.data, r->body.len);
}
