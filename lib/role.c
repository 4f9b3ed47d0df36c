/*
 * role.c - the role service; see role.h.
 */
#include "role.h"

#include <stdlib.h>
#include <string.h>

#include "activity.h"
#include "jsonin.h"
#include "role_store.h"

const char *const ag_role_levels[] = { "super_admin", "admin", "operational",
    "tenant_admin", "tenant_operational", NULL };

static const char *const level_names[] = { "Super Admin", "Admin",
    "Operasional", "Admin Tenant", "Operasional Tenant" };

static const char *const sort_keys[] = { "name", "code", "level",
    "created_at", NULL };
static const char *const module_sorts[] = { "module", NULL };

const ag_field ag_role_fields[] = {
	{ "name", AG_T_STRING, AG_REQUIRED, 2, 100, NULL },
	{ "code", AG_T_STRING, AG_REQUIRED, 2, 50, NULL },
	{ "level", AG_T_ENUM, AG_REQUIRED, 0, 0, ag_role_levels },
	{ "description", AG_T_TEXT, 0, 0, 500, NULL },
	AG_FIELDS_END
};

const ag_field ag_role_list_fields[] = {
	AG_LIST_FIELDS(sort_keys),
	{ "level", AG_T_ENUM, 0, 0, 0, ag_role_levels },
	AG_FIELDS_END
};

const ag_field ag_role_dropdown_fields[] = {
	{ "level", AG_T_ENUM, 0, 0, 0, ag_role_levels },
	AG_FIELDS_END
};

const ag_field ag_permission_list_fields[] = {
	AG_LIST_FIELDS(module_sorts),
	AG_FIELDS_END
};

/* What tenant-level roles may hold (DOMAIN: tenants read and manage
 * their own operational users, nothing of the estate). */
static const char *const tenant_codes[] = { "ticket.read",
    "destination.read", "file.read", NULL };

int
ag_role_level_rank(const char *level)
{
	for (int i = 0; level != NULL && ag_role_levels[i] != NULL; i++)
		if (strcmp(level, ag_role_levels[i]) == 0)
			return 5 - i;
	return 0;
}

const char *
ag_role_level_name(const char *level)
{
	int rank = ag_role_level_rank(level);

	return rank > 0 ? level_names[5 - rank] : NULL;
}

int
ag_role_level_is_tenant(const char *level)
{
	int rank = ag_role_level_rank(level);

	return rank == 1 || rank == 2;
}

int
ag_role_may_manage(const char *actor_level, const char *level)
{
	int mine = ag_role_level_rank(actor_level);

	if (mine == 5)
		return 1;
	return mine > 0 && ag_role_level_rank(level) > 0 &&
	    ag_role_level_rank(level) < mine;
}

int
ag_role_tenant_permission(const char *code)
{
	if (code == NULL)
		return 0;
	if (strncmp(code, "tenant_user.", 12) == 0 && code[12] != '\0')
		return 1;
	for (int i = 0; tenant_codes[i] != NULL; i++)
		if (strcmp(code, tenant_codes[i]) == 0)
			return 1;
	return 0;
}

int
ag_role_code_valid(const char *code)
{
	size_t n;

	if (code == NULL || !(code[0] >= 'a' && code[0] <= 'z'))
		return 0;
	n = strlen(code);
	if (n < 2 || n > 50)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((code[i] >= 'a' && code[i] <= 'z') ||
		    (code[i] >= '0' && code[i] <= '9') || code[i] == '_'))
			return 0;
	return 1;
}

const char *
ag_permission_module_name(const char *module)
{
	static const struct { const char *module, *name; } names[] = {
		{ "activity_log", "Log Aktivitas" },
		{ "destination", "Lokasi Tujuan" },
		{ "file", "Berkas" },
		{ "permission", "Hak Akses" },
		{ "role", "Peran" },
		{ "tenant_user", "Pengguna Tenant" },
		{ "ticket", "Tiket" },
		{ "user", "Pengguna" },
		{ "company", "Perusahaan" },
		{ "profile", "Profil" },
	};

	for (size_t i = 0; module != NULL && i < sizeof(names) / sizeof(names[0]);
	    i++)
		if (strcmp(module, names[i].module) == 0)
			return names[i].name;
	return module;
}

static const char *
action_label(const char *action)
{
	static const struct { const char *action, *label; } labels[] = {
		{ "read", "Lihat" }, { "create", "Buat" }, { "update", "Ubah" },
		{ "delete", "Hapus" }, { "approve", "Setujui" },
		{ "cancel", "Batalkan" },
	};

	for (size_t i = 0; i < sizeof(labels) / sizeof(labels[0]); i++)
		if (strcmp(action, labels[i].action) == 0)
			return labels[i].label;
	return action;
}

/* ---- lists of codes ---- */

static int
list_has(const ag_strlist *l, const char *s)
{
	for (size_t i = 0; l != NULL && i < l->n; i++)
		if (strcmp(l->v[i], s) == 0)
			return 1;
	return 0;
}

/* Appends s unless already there; l->v must hold AG_ROLE_MAX_CODES. */
static void
list_add(ag_strlist *l, const char *s)
{
	if (!list_has(l, s) && l->n < AG_ROLE_MAX_CODES)
		l->v[l->n++] = s;
}

static void
list_init(ag_arena *a, ag_strlist *l)
{
	l->v = ag_calloc(a, AG_ROLE_MAX_CODES, sizeof(*l->v));
	l->n = 0;
}

int
ag_role_codes_from_json(ag_arena *a, const json_t *body, ag_strlist *out,
    int *present, ag_error *e)
{
	json_t *arr = body != NULL ? json_object_get(body, "permission_codes") :
	    NULL, *it;
	size_t i;

	list_init(a, out);
	*present = arr != NULL;
	if (arr == NULL || json_is_null(arr))
		return 0;
	if (!json_is_array(arr)) {
		ag_error_field(e, "permission_codes",
		    "harus berupa daftar kode hak akses");
		return -1;
	}
	if (json_array_size(arr) > AG_ROLE_MAX_CODES) {
		ag_error_field(e, "permission_codes", ag_sprintf(a,
		    "paling banyak %d kode hak akses", AG_ROLE_MAX_CODES));
		return -1;
	}
	json_array_foreach(arr, i, it) {
		const char *s = json_string_value(it);

		if (s == NULL || strlen(s) != json_string_length(it) ||
		    s[0] == '\0' || strlen(s) > 100) {
			ag_error_field(e, "permission_codes",
			    "setiap kode hak akses harus berupa teks");
			return -1;
		}
		list_add(out, ag_strdup(a, s));
	}
	return 0;
}

int
ag_role_codes_from_form(ag_arena *a, const ag_kvlist *form, ag_strlist *out,
    ag_error *e)
{
	list_init(a, out);
	for (size_t i = 0; form != NULL && i < form->n; i++) {
		const ag_kv *kv = &form->items[i];

		if (strcmp(kv->key, "permission_codes") != 0 ||
		    kv->val[0] == '\0')
			continue;
		if (out->n == AG_ROLE_MAX_CODES || kv->vlen > 100) {
			ag_error_field(e, "permission_codes",
			    "daftar hak akses tidak valid");
			return -1;
		}
		list_add(out, kv->val);
	}
	return 0;
}

static const char *
codes_json(ag_arena *a, const ag_strlist *l)
{
	json_t *arr = ag_json_own(a, json_array());

	for (size_t i = 0; l != NULL && i < l->n; i++)
		json_array_append_new(arr, json_string(l->v[i]));
	return ag_json_dump(a, arr);
}

void
ag_role_codes_of(ag_arena *a, const ag_role *r, ag_strlist *out)
{
	json_t *arr = r->permission_codes != NULL ? ag_json_own(a,
	    json_loads(r->permission_codes, 0, NULL)) : NULL, *it;
	size_t i;

	list_init(a, out);
	json_array_foreach(arr, i, it)
		if (json_is_string(it))
			list_add(out, ag_strdup(a, json_string_value(it)));
}

/* ---- roles ---- */


static int
not_found(ag_error *e)
{
	return ag_fail(e, 404, "ROLE_NOT_FOUND", "Peran tidak ditemukan");
}

static void
role_row(const PGresult *r, int i, ag_role *out)
{
	const char *v;

	memset(out, 0, sizeof(*out));
	out->id = ag_db_get(r, i, "id");
	out->code = ag_db_get(r, i, "code");
	out->name = ag_db_get(r, i, "name");
	out->level = ag_db_get(r, i, "level");
	out->description = ag_db_get(r, i, "description");
	out->created_at = ag_db_get(r, i, "created_at");
	out->updated_at = ag_db_get(r, i, "updated_at");
	out->permission_codes = ag_db_get(r, i, "permission_codes");
	v = ag_db_get(r, i, "is_system");
	out->is_system = v != NULL && v[0] == 't';
	v = ag_db_get(r, i, "user_count");
	out->user_count = v != NULL ? atol(v) : 0;
}

static int
one(PGresult *r, ag_app *app, ag_role *out, ag_error *e)
{
	if (r == NULL)
		return ag_fail_db(app, e);
	if (ag_db_rows(r) != 1)
		return not_found(e);
	role_row(r, 0, out);
	return 0;
}

json_t *
ag_role_json(const ag_role *r)
{
	json_t *o = json_object(), *codes = NULL;

#define S(v) ((v) != NULL ? json_string(v) : json_null())
	json_object_set_new(o, "id", S(r->id));
	json_object_set_new(o, "code", S(r->code));
	json_object_set_new(o, "name", S(r->name));
	json_object_set_new(o, "level", S(r->level));
	json_object_set_new(o, "level_name", S(ag_role_level_name(r->level)));
	json_object_set_new(o, "description", S(r->description));
	json_object_set_new(o, "is_system", json_boolean(r->is_system));
	json_object_set_new(o, "user_count", json_integer(r->user_count));
	if (r->permission_codes != NULL)
		codes = json_loads(r->permission_codes, 0, NULL);
	json_object_set_new(o, "permission_codes", json_is_array(codes) ? codes :
	    json_array());
	if (codes != NULL && !json_is_array(codes))
		json_decref(codes);
	json_object_set_new(o, "created_at", S(r->created_at));
	json_object_set_new(o, "updated_at", S(r->updated_at));
#undef S
	return o;
}

int
ag_role_get(ag_app *app, ag_arena *a, const char *id, ag_role *out,
    ag_error *e)
{
	return one(ag_role_store_get(app->db, a, id, 0), app, out, e);
}

void
ag_role_change_from(ag_role_change *ch, const ag_input *in)
{
	memset(ch, 0, sizeof(*ch));
	ch->name = ag_in_str(in, "name");
	ch->code = ag_in_str(in, "code");
	ch->level = ag_in_str(in, "level");
	ch->description = ag_in_str(in, "description");
	if (ch->description == NULL && ag_in_has(in, "description"))
		ch->description = "";   /* explicit null clears */
}

/* Checks the permission set a role at level would hold; the rules that
 * need the database (unknown codes, what the caller holds) included. */
static void
check_permissions(ag_app *app, ag_arena *a, const ag_actor *who,
    const char *level, const ag_strlist *codes, const ag_strlist *before,
    ag_error *e)
{
	PGresult *r;
	ag_buf bad;
	ag_strlist mine;

	ag_buf_init(&bad, a);
	if (ag_role_level_is_tenant(level)) {
		for (size_t i = 0; i < codes->n; i++)
			if (!ag_role_tenant_permission(codes->v[i]))
				ag_buf_printf(&bad, "%s%s", bad.len ? ", " : "",
				    codes->v[i]);
		if (bad.len > 0) {
			ag_error_field(e, "permission_codes", ag_sprintf(a,
			    "peran tenant tidak dapat memiliki hak akses: %s",
			    bad.data));
			return;
		}
	}
	if (codes->n == 0)
		return;
	r = ag_role_store_unknown_codes(app->db, a, codes_json(a, codes));
	if (r == NULL) {
		ag_fail_db(app, e);
		return;
	}
	for (int i = 0; i < ag_db_rows(r); i++)
		ag_buf_printf(&bad, "%s%s", i ? ", " : "", ag_db_get(r, i, "code"));
	if (bad.len > 0) {
		ag_error_field(e, "permission_codes", ag_sprintf(a,
		    "kode hak akses tidak dikenal: %s", bad.data));
		return;
	}
	if (ag_role_level_rank(who->level) == 5)
		return;
	/* Below super admin nobody hands out what they do not hold. */
	r = ag_role_store_user_codes(app->db, a, who->user_id);
	if (r == NULL) {
		ag_fail_db(app, e);
		return;
	}
	list_init(a, &mine);
	for (int i = 0; i < ag_db_rows(r); i++)
		list_add(&mine, ag_db_get(r, i, "code"));
	for (size_t i = 0; i < codes->n; i++)
		if (!list_has(before, codes->v[i]) && !list_has(&mine, codes->v[i]))
			ag_buf_printf(&bad, "%s%s", bad.len ? ", " : "",
			    codes->v[i]);
	if (bad.len > 0)
		ag_error_field(e, "permission_codes", ag_sprintf(a,
		    "Anda tidak dapat memberikan hak akses yang tidak Anda miliki: %s",
		    bad.data));
}

static int
level_forbidden(ag_error *e)
{
	return ag_fail(e, 403, "ROLE_LEVEL_FORBIDDEN", "Anda tidak dapat "
	    "mengelola peran dengan level yang sama atau lebih tinggi dari "
	    "level Anda");
}

static int
code_taken(ag_error *e)
{
	ag_fail(e, 409, "ROLE_CODE_TAKEN", "Kode peran sudah digunakan");
	ag_error_field(e, "code", "sudah digunakan oleh peran lain");
	return -1;
}

/* Writes the log line and commits; out is the role as it is now. */
static int
finish(ag_app *app, ag_arena *a, const ag_actor *who, const char *action,
    const ag_role *before, const ag_role *after, ag_error *e)
{
	if (ag_activity_write(app->db, a, who, "role", action,
	    after != NULL ? after->id : before->id,
	    before != NULL ? ag_json_own(a, ag_role_json(before)) : NULL,
	    after != NULL ? ag_json_own(a, ag_role_json(after)) : NULL) != 0 ||
	    ag_db_commit(app->db) != 0)
		return ag_fail_db(app, e);
	return 0;
}

int
ag_role_create(ag_app *app, ag_arena *a, const ag_actor *who,
    const ag_role_change *ch, ag_role *out, ag_error *e)
{
	ag_strlist none = { NULL, 0 };
	const ag_strlist *codes = ch->permissions != NULL ? ch->permissions :
	    &none;
	const char *desc = ch->description != NULL && ch->description[0] !=
	    '\0' ? ch->description : NULL;
	PGresult *r;

	if (!ag_role_code_valid(ch->code))
		ag_error_field(e, "code", "hanya huruf kecil, angka dan garis "
		    "bawah, diawali huruf (2-50 karakter)");
	if (ag_role_level_rank(ch->level) == 0)
		ag_error_field(e, "level", "level tidak dikenal");
	else if (!ag_role_may_manage(who->level, ch->level))
		ag_error_field(e, "level", "tidak boleh sama dengan atau lebih "
		    "tinggi dari level Anda");
	if (e->status == 0)
		check_permissions(app, a, who, ch->level, codes, &none, e);
	if (e->status != 0)
		return -1;
	if (ag_db_begin(app->db) != 0)
		return ag_fail_db(app, e);
	r = ag_role_store_insert(app->db, a, ch->code, ch->name, ch->level, desc);
	if (r == NULL) {
		ag_db_rollback(app->db);
		if (strcmp(ag_db_sqlstate(app->db), "23505") == 0)
			return code_taken(e);
		return ag_fail_internal(e, ag_db_error(app->db));
	}
	if (ag_role_store_set_permissions(app->db, a, ag_db_get(r, 0, "id"),
	    codes_json(a, codes)) != 0)
		return ag_fail_db(app, e);
	if (one(ag_role_store_get(app->db, a, ag_db_get(r, 0, "id"), 0), app,
	    out, e) != 0) {
		ag_db_rollback(app->db);
		return -1;
	}
	return finish(app, a, who, "create", NULL, out, e);
}

/* 1 if two lists hold the same codes. */
static int
same_codes(const ag_strlist *x, const ag_strlist *y)
{
	if (x->n != y->n)
		return 0;
	for (size_t i = 0; i < x->n; i++)
		if (!list_has(y, x->v[i]))
			return 0;
	return 1;
}

/* The rules of an update beyond field shapes; adds field errors to e. */
static int
check_update(ag_app *app, ag_arena *a, const ag_actor *who,
    const ag_role *cur, const ag_role_change *ch, const char *code,
    const char *level, const ag_strlist *before, ag_error *e)
{
	const ag_strlist *codes = ch->permissions != NULL ? ch->permissions :
	    before;

	if (!ag_role_may_manage(who->level, cur->level))
		return level_forbidden(e);
	if (strcmp(level, cur->level) != 0 && cur->user_count > 0)
		return ag_fail(e, 409, "ROLE_IN_USE", "Level peran yang sedang "
		    "dipakai pengguna tidak dapat diubah");
	if (cur->is_system && strcmp(code, cur->code) != 0)
		ag_error_field(e, "code", "kode peran sistem tidak dapat diubah");
	else if (strcmp(code, cur->code) != 0 && !ag_role_code_valid(code))
		ag_error_field(e, "code", "hanya huruf kecil, angka dan garis "
		    "bawah, diawali huruf (2-50 karakter)");
	if (cur->is_system && strcmp(level, cur->level) != 0)
		ag_error_field(e, "level", "level peran sistem tidak dapat diubah");
	else if (!ag_role_may_manage(who->level, level))
		ag_error_field(e, "level", "tidak boleh sama dengan atau lebih "
		    "tinggi dari level Anda");
	if (cur->is_system && strcmp(cur->level, "super_admin") == 0 &&
	    !same_codes(codes, before))
		ag_error_field(e, "permission_codes",
		    "hak akses peran Super Admin tidak dapat diubah");
	if (e->status == 0)
		check_permissions(app, a, who, level, codes, before, e);
	return e->status == 0 ? 0 : -1;
}

int
ag_role_update(ag_app *app, ag_arena *a, const ag_actor *who, const char *id,
    const ag_role_change *ch, ag_role *out, ag_error *e)
{
	ag_role cur;
	ag_strlist before;
	const char *code, *name, *level, *desc;
	PGresult *r;

	if (ag_db_begin(app->db) != 0)
		return ag_fail_db(app, e);
	if (one(ag_role_store_get(app->db, a, id, 1), app, &cur, e) != 0) {
		ag_db_rollback(app->db);
		return -1;
	}
	code = ch->code != NULL ? ch->code : cur.code;
	name = ch->name != NULL ? ch->name : cur.name;
	level = ch->level != NULL ? ch->level : cur.level;
	desc = ch->description == NULL ? cur.description :
	    ch->description[0] != '\0' ? ch->description : NULL;
	ag_role_codes_of(a, &cur, &before);
	if (check_update(app, a, who, &cur, ch, code, level, &before, e) != 0) {
		if (ag_db_in_tx(app->db))
			ag_db_rollback(app->db);
		return -1;
	}
	r = ag_role_store_update(app->db, a, id, code, name, level, desc);
	if (r == NULL) {
		ag_db_rollback(app->db);
		if (strcmp(ag_db_sqlstate(app->db), "23505") == 0)
			return code_taken(e);
		return ag_fail_internal(e, ag_db_error(app->db));
	}
	if (ch->permissions != NULL && ag_role_store_set_permissions(app->db, a,
	    id, codes_json(a, ch->permissions)) != 0)
		return ag_fail_db(app, e);
	if (one(ag_role_store_get(app->db, a, id, 0), app, out, e) != 0) {
		ag_db_rollback(app->db);
		return -1;
	}
	return finish(app, a, who, "update", &cur, out, e);
}

int
ag_role_delete(ag_app *app, ag_arena *a, const ag_actor *who, const char *id,
    ag_error *e)
{
	ag_role cur;
	int used;

	if (ag_db_begin(app->db) != 0)
		return ag_fail_db(app, e);
	if (one(ag_role_store_get(app->db, a, id, 1), app, &cur, e) != 0) {
		ag_db_rollback(app->db);
		return -1;
	}
	if (!ag_role_may_manage(who->level, cur.level)) {
		ag_db_rollback(app->db);
		return level_forbidden(e);
	}
	if (cur.is_system) {
		ag_db_rollback(app->db);
		return ag_fail(e, 409, "ROLE_SYSTEM",
		    "Peran sistem tidak dapat dihapus");
	}
	/* counted again after the lock: a user may have been given it */
	if ((used = ag_role_store_in_use(app->db, a, id)) < 0)
		return ag_fail_db(app, e);
	if (used) {
		ag_db_rollback(app->db);
		return ag_fail(e, 409, "ROLE_IN_USE", "Peran masih dipakai oleh "
		    "pengguna dan tidak dapat dihapus");
	}
	if (ag_role_store_delete(app->db, a, id) != 1)
		return ag_fail_db(app, e);
	return finish(app, a, who, "delete", &cur, NULL, e);
}

void
ag_role_filter_from(ag_role_filter *f, const ag_input *q)
{
	f->search = ag_in_str(q, "search");
	f->level = ag_in_str(q, "level");
	f->sort = ag_in_str(q, "sort");
	f->order = ag_in_str(q, "order");
	f->page = ag_in_int(q, "page", 1);
	f->limit = ag_in_int(q, "limit", 10);
}

int
ag_role_list(ag_app *app, ag_arena *a, const ag_role_filter *f,
    json_t **items, ag_page *page, ag_error *e)
{
	const char *column = "name", *search = ag_db_like(a, f->search);
	const char *order = f->order != NULL && strcmp(f->order, "desc") == 0 ?
	    "DESC" : "ASC";
	PGresult *r;
	ag_role role;

	/* only a key of sort_keys (each a column of roles) reaches ORDER BY */
	for (size_t i = 0; f->sort != NULL && sort_keys[i] != NULL; i++)
		if (strcmp(f->sort, sort_keys[i]) == 0)
			column = sort_keys[i];
	page->page = f->page > 0 ? f->page : 1;
	page->limit = f->limit > 0 && f->limit <= 100 ? f->limit : 10;
	page->total = ag_role_store_count(app->db, a, search, f->level);
	if (page->total < 0)
		return ag_fail_db(app, e);
	r = ag_role_store_list(app->db, a, search, f->level, column, order,
	    page->limit, (page->page - 1) * page->limit);
	if (r == NULL)
		return ag_fail_db(app, e);
	*items = json_array();
	for (int i = 0; i < ag_db_rows(r); i++) {
		role_row(r, i, &role);
		json_array_append_new(*items, ag_role_json(&role));
	}
	return 0;
}

json_t *
ag_role_dropdown(ag_app *app, ag_arena *a, const char *level, ag_error *e)
{
	return ag_dropdown_json(app, ag_role_store_dropdown(app->db, a, level,
	    AG_ROLE_DROPDOWN_MAX), e);
}

json_t *
ag_role_levels_dropdown(void)
{
	json_t *list = json_array();

	for (int i = 0; ag_role_levels[i] != NULL; i++)
		json_array_append_new(list, json_pack("{s:s, s:s}", "id",
		    ag_role_levels[i], "name", level_names[i]));
	return list;
}

/*
 * Groups catalogue rows (ordered by module) into [{module, name,
 * permissions}]; with_granted adds each permission's "granted".
 */
static json_t *
group_rows(PGresult *r, int with_granted)
{
	json_t *groups = json_array(), *perms = NULL;
	const char *current = NULL;

	for (int i = 0; i < ag_db_rows(r); i++) {
		const char *module = ag_db_get(r, i, "module");
		json_t *p;

		if (current == NULL || strcmp(current, module) != 0) {
			perms = json_array();
			json_array_append_new(groups, json_pack("{s:s, s:s, s:o}",
			    "module", module, "name",
			    ag_permission_module_name(module), "permissions",
			    perms));
			current = module;
		}
		p = json_pack("{s:s, s:s, s:s, s:s}", "id", ag_db_get(r, i, "id"),
		    "code", ag_db_get(r, i, "code"), "action",
		    ag_db_get(r, i, "action"), "name", ag_db_get(r, i, "name"));
		if (with_granted) {
			const char *g = ag_db_get(r, i, "granted");

			json_object_set_new(p, "granted", json_boolean(g != NULL &&
			    g[0] == 't'));
		}
		json_array_append_new(perms, p);
	}
	return groups;
}

json_t *
ag_role_permissions(ag_app *app, ag_arena *a, const char *id, ag_error *e)
{
	ag_role role;
	PGresult *r;

	if (ag_role_get(app, a, id, &role, e) != 0)
		return NULL;
	r = ag_role_store_catalogue(app->db, a, id);
	if (r == NULL) {
		ag_fail_db(app, e);
		return NULL;
	}
	return group_rows(r, 1);
}

int
ag_permission_groups(ag_app *app, ag_arena *a, const char *search,
    const char *order, long page_no, long limit, json_t **items,
    ag_page *page, ag_error *e)
{
	const char *like = ag_db_like(a, search);
	PGresult *r;

	page->page = page_no > 0 ? page_no : 1;
	page->limit = limit > 0 && limit <= 100 ? limit : 10;
	page->total = ag_role_store_module_count(app->db, a, like);
	if (page->total < 0)
		return ag_fail_db(app, e);
	r = ag_role_store_module_page(app->db, a, like, order != NULL &&
	    strcmp(order, "desc") == 0 ? "DESC" : "ASC", page->limit,
	    (page->page - 1) * page->limit);
	if (r == NULL)
		return ag_fail_db(app, e);
	*items = group_rows(r, 0);
	return 0;
}

json_t *
ag_role_matrix(ag_app *app, ag_arena *a, const ag_strlist *checked,
    ag_error *e)
{
	PGresult *r = ag_role_store_catalogue(app->db, a, NULL);
	json_t *groups, *actions, *rows, *g, *p;
	size_t i, j;

	if (r == NULL) {
		ag_fail_db(app, e);
		return NULL;
	}
	groups = ag_json_own(a, group_rows(r, 0));
	/* columns: every action in catalogue order (read, create, ...) */
	actions = json_array();
	for (int k = 0; k < ag_db_rows(r); k++) {
		const char *act = ag_db_get(r, k, "action");
		int seen = 0;

		json_array_foreach(actions, i, p)
			if (strcmp(json_string_value(json_object_get(p, "action")),
			    act) == 0)
				seen = 1;
		if (!seen)
			json_array_append_new(actions, json_pack("{s:s, s:s, s:i}",
			    "action", act, "label", action_label(act), "rank",
			    strcmp(act, "read") == 0 ? 1 : strcmp(act, "create") == 0 ?
			    2 : strcmp(act, "update") == 0 ? 3 :
			    strcmp(act, "delete") == 0 ? 4 : 5));
	}
	/* stable order: the four usual actions first, others as met */
	for (i = 1; i < json_array_size(actions); i++)
		for (j = i; j > 0 && json_integer_value(json_object_get(
		    json_array_get(actions, j - 1), "rank")) >
		    json_integer_value(json_object_get(json_array_get(actions, j),
		    "rank")); j--) {
			json_t *tmp = json_incref(json_array_get(actions, j));

			json_array_set(actions, j, json_array_get(actions, j - 1));
			json_array_set_new(actions, j - 1, tmp);
		}
	rows = json_array();
	json_array_foreach(groups, i, g) {
		json_t *cells = json_array(), *col;
		size_t c;

		json_array_foreach(actions, c, col) {
			const char *act = json_string_value(json_object_get(col,
			    "action"));
			json_t *found = NULL;

			json_array_foreach(json_object_get(g, "permissions"), j, p)
				if (strcmp(json_string_value(json_object_get(p,
				    "action")), act) == 0)
					found = p;
			if (found == NULL)
				json_array_append_new(cells, json_pack("{s:b}",
				    "exists", 0));
			else {
				const char *code = json_string_value(json_object_get(
				    found, "code"));

				json_array_append_new(cells, json_pack(
				    "{s:b, s:s, s:s, s:b, s:b}", "exists", 1,
				    "code", code, "name", json_string_value(
				    json_object_get(found, "name")), "checked",
				    list_has(checked, code), "tenant",
				    ag_role_tenant_permission(code)));
			}
		}
		json_array_append_new(rows, json_pack("{s:O, s:O, s:o}", "module",
		    json_object_get(g, "module"), "name", json_object_get(g,
		    "name"), "cells", cells));
	}
	return json_pack("{s:o, s:o}", "actions", actions, "rows", rows);
}
