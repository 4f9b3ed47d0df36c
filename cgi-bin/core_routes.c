/*
 * core_routes.c - the autogate-core worker: health, the OpenAPI document,
 * authentication, files and reference data (/v1/...).
 */
#include "core_routes.h"

#include <string.h>

#include "auth.h"
#include "crypto.h"
#include "jsonin.h"
#include "log.h"
#include "migrate.h"
#include "sys.h"
#include "ticket.h"

#define MAX_STREAM_BYTES (20u << 20)

static const ag_field login_fields[] = {
	{ "email", AG_T_EMAIL, AG_REQUIRED, 0, 0, NULL },
	{ "password", AG_T_PASSWORD, AG_REQUIRED, 1, 128, NULL },
	AG_FIELDS_END
};

static const ag_field mobile_login_fields[] = {
	{ "email", AG_T_EMAIL, AG_REQUIRED, 0, 0, NULL },
	{ "password", AG_T_PASSWORD, AG_REQUIRED, 1, 128, NULL },
	{ "device_name", AG_T_STRING, 0, 0, 100, NULL },
	AG_FIELDS_END
};

static const ag_field refresh_fields[] = {
	{ "refresh_token", AG_T_PASSWORD, AG_REQUIRED, 1, 128, NULL },
	AG_FIELDS_END
};

static const ag_field stream_fields[] = {
	{ "path", AG_T_STRING, AG_REQUIRED, 1, 200, NULL },
	{ "expires", AG_T_STRING, AG_REQUIRED, 1, 20, NULL },
	{ "signature", AG_T_STRING, AG_REQUIRED, 1, 100, NULL },
	AG_FIELDS_END
};

static const ag_field url_fields[] = {
	{ "path", AG_T_STRING, AG_REQUIRED, 1, 200, NULL },
	AG_FIELDS_END
};

/* Database reachable and every migration applied. */
static void
health(ag_ctx *c)
{
	char err[200];
	int pending = -1, db_ok = ag_db_ping(c->app->db) == 0;
	int mig_ok = db_ok && ag_migrate_status(c->app->db, c->a,
	    c->app->sql_dir, &pending, err, sizeof(err)) == 0 && pending == 0;
	json_t *data = json_pack("{s:s, s:s, s:s, s:s}",
	    "status", db_ok && mig_ok ? "ok" : "degraded",
	    "database", db_ok ? "ok" : "unreachable",
	    "migrations", !db_ok ? "unknown" : mig_ok ? "current" :
	    pending > 0 ? "pending" : "error",
	    "version", c->app->version);

	ag_resp_json(c->resp, db_ok && mig_ok ? 200 : 503, data, db_ok && mig_ok ?
	    "Sukses" : "Layanan sedang tidak tersedia");
}

/* The OpenAPI document is installed beside the migrations: <sql>/../docs. */
static void
openapi(ag_ctx *c)
{
	const char *path = ag_sprintf(c->a, "%s/../docs/openapi.json",
	    c->app->sql_dir);
	const size_t max = 8u << 20;	/* far above the real document */
	char *doc;
	size_t len;

	if (ag_read_file(c->a, path, max, &doc, &len) != 0) {
		ag_fail(&c->err, 404, "NOT_FOUND", "Dokumen OpenAPI tidak ditemukan");
		ag_fail_json(c);
		return;
	}
	ag_resp_bytes(c->resp, 200, "application/json; charset=utf-8", doc,
	    len);
	ag_resp_header(c->resp, "Cache-Control", "public, max-age=300");
}

static json_t *
tokens_json(const ag_tokens *t)
{
	return json_pack("{s:s, s:s, s:I, s:s, s:I, s:O}",
	    "access_token", t->access_token, "token_type", "Bearer",
	    "expires_in", (json_int_t)t->access_expires_in,
	    "refresh_token", t->refresh_token,
	    "refresh_expires_in", (json_int_t)t->refresh_expires_in,
	    "user", t->user);
}

static void
login_as(ag_ctx *c, enum ag_login_kind kind)
{
	ag_tokens t;
	const char *device = kind == AG_LOGIN_MOBILE ?
	    ag_in_str(&c->body, "device_name") : "api";

	if (ag_auth_login(c->app, c->a, kind, ag_in_str(&c->body, "email"),
	    ag_in_str(&c->body, "password"), device, &c->actor, &t,
	    &c->err) != 0) {
		ag_fail_json(c);
		return;
	}
	ag_resp_json(c->resp, 200, tokens_json(&t), "Sukses masuk");
}

static void
login(ag_ctx *c)
{
	login_as(c, AG_LOGIN_API);
}

static void
mobile_login(ag_ctx *c)
{
	login_as(c, AG_LOGIN_MOBILE);
}

static void
refresh(ag_ctx *c)
{
	ag_tokens t;

	if (ag_auth_refresh(c->app, c->a, ag_in_str(&c->body, "refresh_token"),
	    &c->actor, &t, &c->err) != 0) {
		ag_fail_json(c);
		return;
	}
	ag_resp_json(c->resp, 200, tokens_json(&t), "Sukses memperbarui token");
}

static void
logout(ag_ctx *c)
{
	if (ag_auth_logout(c->app, c->a, &c->actor, c->user, &c->err) != 0) {
		ag_fail_json(c);
		return;
	}
	ag_resp_json(c->resp, 200, NULL, "Sukses keluar");
}

/* Serves a stored file to whoever holds a valid signed link. */
static void
file_stream(ag_ctx *c)
{
	const char *path = ag_in_str(&c->query, "path"), *mime;
	unsigned char *data;
	size_t len;
	int rc;

	rc = ag_signed_url_check(c->a, path, ag_in_str(&c->query, "expires"),
	    ag_in_str(&c->query, "signature"), c->app->secret, ag_now());
	if (rc == -2) {
		ag_fail(&c->err, 403, "LINK_EXPIRED", "Tautan berkas sudah kedaluwarsa");
		ag_fail_json(c);
		return;
	}
	if (rc != 0) {
		ag_fail(&c->err, 403, "INVALID_SIGNATURE", "Tautan berkas tidak sah");
		ag_fail_json(c);
		return;
	}
	if (!ag_storage_key_valid(path) || ag_storage_get(c->app->storage, c->a,
	    path, MAX_STREAM_BYTES, &data, &len) != 0) {
		ag_fail(&c->err, 404, "FILE_NOT_FOUND", "Berkas tidak ditemukan");
		ag_fail_json(c);
		return;
	}
	/* The type comes from the bytes, never from the name. */
	mime = ag_sniff_mime(c->a, data, len);
	if (strcmp(mime, "image/png") == 0 || strcmp(mime, "image/jpeg") == 0 ||
	    strcmp(mime, "application/pdf") == 0)
		ag_resp_bytes(c->resp, 200, mime, data, len);
	else
		ag_resp_download(c->resp, "application/octet-stream",
		    strrchr(path, '/') != NULL ? strrchr(path, '/') + 1 : path,
		    data, len);
	ag_resp_header(c->resp, "Cache-Control", "private, max-age=300");
}

static void
file_url(ag_ctx *c)
{
	const char *path = ag_in_str(&c->query, "path");
	char iso[32];

	if (!ag_storage_key_valid(path) ||
	    !ag_storage_exists(c->app->storage, path)) {
		ag_fail(&c->err, 404, "FILE_NOT_FOUND", "Berkas tidak ditemukan");
		ag_fail_json(c);
		return;
	}
	ag_format_iso_ms((ag_now() + c->app->file_url_ttl) * 1000000LL, iso);
	ag_resp_json(c->resp, 200, json_pack("{s:s, s:s, s:s}", "url",
	    ag_file_url(c->app, c->a, path), "path", path, "expired_at", iso),
	    "Sukses mendapatkan url berkas");
}

static void
destinations(ag_ctx *c)
{
	json_t *list = ag_ticket_destinations(c->app, c->a, &c->err);
	ag_page page;

	if (list == NULL) {
		ag_fail_json(c);
		return;
	}
	page.page = 1;
	page.total = (long)json_array_size(list);
	page.limit = page.total > 0 ? page.total : 10;
	ag_resp_json_page(c->resp, list, &page,
	    "Sukses mendapatkan daftar lokasi tujuan");
}

const ag_route ag_core_routes[] = {
	{ "GET", "/v1/health", health, AG_PUBLIC, 0, NULL, NULL },
	{ "GET", "/v1/openapi.json", openapi, AG_PUBLIC, 0, NULL, NULL },
	{ "POST", "/v1/auth/login", login, AG_PUBLIC, AG_R_JSON, login_fields,
	    NULL },
	{ "POST", "/v1/auth/mobile/login", mobile_login, AG_PUBLIC, AG_R_JSON,
	    mobile_login_fields, NULL },
	{ "POST", "/v1/auth/refresh", refresh, AG_PUBLIC, AG_R_JSON,
	    refresh_fields, NULL },
	{ "POST", "/v1/auth/logout", logout, AG_SIGNED_IN,
	    AG_R_JSON | AG_R_BODY_OPT, NULL, NULL },
	{ "GET", "/v1/files/stream", file_stream, AG_PUBLIC, 0, NULL,
	    stream_fields },
	{ "GET", "/v1/files/url", file_url, "file.read", 0, NULL, url_fields },
	{ "GET", "/v1/destinations", destinations, "destination.read", 0, NULL,
	    NULL },
	AG_ROUTES_END
};
