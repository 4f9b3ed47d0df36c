/*
 * profile.c - the own profile, change of e-mail and of password; see
 * profile.h.
 */
#include "profile.h"

#include <strings.h>
#include <string.h>

#include "account.h"
#include "activity.h"
#include "jsonin.h"
#include "mail.h"
#include "onetime.h"
#include "password.h"
#include "profile_store.h"

const ag_field ag_profile_fields[] = {
	{ "name", AG_T_STRING, AG_REQUIRED, 2, 100, NULL },
	{ "phone", AG_T_PHONE, 0, 0, 0, NULL },
	AG_FIELDS_END
};

const ag_field ag_profile_email_fields[] = {
	{ "email", AG_T_EMAIL, AG_REQUIRED, 0, 0, NULL },
	{ "password", AG_T_PASSWORD, AG_REQUIRED, 1, 128, NULL },
	AG_FIELDS_END
};

const ag_field ag_profile_password_fields[] = {
	{ "token", AG_T_STRING, AG_REQUIRED, 1, 100, NULL },
	{ "current_password", AG_T_PASSWORD, AG_REQUIRED, 1, 128, NULL },
	{ "password", AG_T_PASSWORD, AG_REQUIRED, 1, 128, NULL },
	{ "password_confirmation", AG_T_PASSWORD, AG_REQUIRED, 1, 128, NULL },
	AG_FIELDS_END
};

static int
fail_taken(ag_error *e)
{
	return ag_fail(e, 409, "EMAIL_TAKEN",
	    "Email sudah digunakan oleh pengguna lain");
}

static int
fail_recent(ag_error *e)
{
	e->retry_after = 60;
	return ag_fail(e, 429, "RATE_LIMITED", "Tautan baru saja dikirim. "
	    "Tunggu satu menit sebelum meminta lagi.");
}

static const char *
dup_or_null(ag_arena *a, const char *s)
{
	return s != NULL ? ag_strdup(a, s) : NULL;
}

/* Reads the profile row, or fails with 404 (or 500). */
static int
load(ag_app *app, ag_arena *a, const char *user_id, int for_update,
    ag_profile *out, const char **hash, ag_error *e)
{
	PGresult *r = ag_profile_store_get(app->db, a, user_id, for_update);

	if (r == NULL)
		return ag_fail_db(app, e);
	if (ag_db_rows(r) != 1) {
		if (ag_db_in_tx(app->db))
			ag_db_rollback(app->db);
		return ag_fail(e, 404, "USER_NOT_FOUND", "Pengguna tidak ditemukan");
	}
#define F(col) dup_or_null(a, ag_db_get(r, 0, col))
	out->id = F("id");
	out->name = F("name");
	out->email = F("email");
	out->phone = F("phone");
	out->email_verified_at = F("email_verified_at");
	out->role_id = F("role_id");
	out->role_code = F("role_code");
	out->role_name = F("role_name");
	out->role_level = F("role_level");
	out->company_id = F("company_id");
	out->company_name = F("company_name");
	if (hash != NULL)
		*hash = F("password_hash");
#undef F
	return 0;
}

int
ag_profile_get(ag_app *app, ag_arena *a, const char *user_id,
    ag_profile *out, ag_error *e)
{
	return load(app, a, user_id, 0, out, NULL, e);
}

json_t *
ag_profile_json(const ag_profile *p)
{
#define S(v) ((v) != NULL ? json_string(v) : json_null())
	json_t *o = json_object();

	json_object_set_new(o, "id", S(p->id));
	json_object_set_new(o, "name", S(p->name));
	json_object_set_new(o, "email", S(p->email));
	json_object_set_new(o, "phone", S(p->phone));
	json_object_set_new(o, "email_verified_at", S(p->email_verified_at));
	json_object_set_new(o, "role", json_pack("{s:o, s:o, s:o, s:o}",
	    "id", S(p->role_id), "code", S(p->role_code),
	    "name", S(p->role_name), "level", S(p->role_level)));
	json_object_set_new(o, "company", p->company_id == NULL ? json_null() :
	    json_pack("{s:o, s:o}", "id", S(p->company_id),
	    "name", S(p->company_name)));
#undef S
	return o;
}

/* What the activity log keeps of a profile: no secrets. */
static json_t *
log_json(ag_arena *a, const ag_profile *p)
{
	return ag_json_own(a, json_pack("{s:s?, s:s?, s:s?}", "name", p->name,
	    "email", p->email, "phone", p->phone));
}

int
ag_profile_update(ag_app *app, ag_arena *a, const ag_actor *who,
    const ag_input *in, int whole, ag_profile *out, ag_error *e)
{
	ag_profile cur;
	const char *name, *phone;
	PGresult *r;

	if (ag_db_begin(app->db) != 0)
		return ag_fail_db(app, e);
	if (load(app, a, who->user_id, 1, &cur, NULL, e) != 0)
		return -1;
	name = ag_in_has(in, "name") && ag_in_str(in, "name") != NULL ?
	    ag_in_str(in, "name") : cur.name;
	phone = whole || ag_in_has(in, "phone") ? ag_in_str(in, "phone") :
	    cur.phone;
	r = ag_profile_store_update(app->db, a, cur.id, name, phone);
	if (r == NULL || ag_db_rows(r) != 1)
		return ag_fail_db(app, e);
	if (load(app, a, cur.id, 0, out, NULL, e) != 0)
		return -1;
	if (ag_activity_write(app->db, a, who, "profile", "update", cur.id,
	    log_json(a, &cur), log_json(a, out)) != 0 ||
	    ag_db_commit(app->db) != 0)
		return ag_fail_db(app, e);
	return 0;
}

/* The mail with a link: greeting, intro, link, validity, signature. */
static char *
link_mail(ag_app *app, ag_arena *a, const char *name, const char *intro,
    const char *path, const char *token)
{
	return ag_sprintf(a, "Halo %s,\n\n%s\n\n%s%s?token=%s\n\n"
	    "Tautan ini berlaku %d menit dan hanya dapat digunakan satu kali. "
	    "Jika Anda tidak merasa memintanya, abaikan email ini.\n\n"
	    "Salam,\nAutogate\n", name, intro, app->public_url, path, token,
	    AG_ONETIME_MINUTES);
}

int
ag_profile_email_request(ag_app *app, ag_arena *a, const ag_actor *who,
    const char *email, const char *password, ag_error *e)
{
	ag_profile cur;
	const char *hash, *token;
	int n;

	if (load(app, a, who->user_id, 0, &cur, &hash, e) != 0)
		return -1;
	if (!ag_password_verify(hash, password))
		ag_error_field(e, "password", "kata sandi salah");
	if (strcasecmp(email, cur.email) == 0)
		ag_error_field(e, "email", "email baru sama dengan email saat ini");
	if (e->status != 0)
		return -1;
	if ((n = ag_profile_store_email_taken(app->db, a, email, cur.id)) != 0)
		return n < 0 ? ag_fail_db(app, e) : fail_taken(e);
	if ((n = ag_profile_store_recent_token(app->db, a, cur.id,
	    "change_email")) != 0)
		return n < 0 ? ag_fail_db(app, e) : fail_recent(e);
	if (ag_db_begin(app->db) != 0)
		return ag_fail_db(app, e);
	if ((token = ag_onetime_issue(app->db, a, cur.id, "change_email",
	    email)) == NULL)
		return ag_fail_db(app, e);
	if (ag_mail_enqueue(app->db, a, email, "Konfirmasi email baru Autogate",
	    link_mail(app, a, cur.name, "Anda meminta untuk mengganti email "
	    "akun Autogate Anda menjadi alamat ini. Buka tautan berikut untuk "
	    "mengonfirmasinya:", "/admin/profil/email/konfirmasi", token)) != 0 ||
	    ag_activity_write(app->db, a, who, "profile", "request_email_change",
	    cur.id, ag_json_own(a, json_pack("{s:s}", "email", cur.email)),
	    ag_json_own(a, json_pack("{s:s}", "new_email", email))) != 0 ||
	    ag_db_commit(app->db) != 0)
		return ag_fail_db(app, e);
	return 0;
}

/* onetime's answer as ours: -1 unknown/used/expired, -2 database. */
static int
token_answer(ag_app *app, int rc, ag_error *e)
{
	if (rc == -1) {
		if (ag_db_in_tx(app->db))
			ag_db_rollback(app->db);
		return ag_onetime_fail(e);
	}
	return rc == 0 ? 0 : ag_fail_db(app, e);
}

int
ag_profile_email_check(ag_app *app, ag_arena *a, const char *token,
    const char **new_email, ag_error *e)
{
	const char *uid;

	return token_answer(app, ag_onetime_peek(app->db, a, token,
	    "change_email", &uid, new_email), e);
}

int
ag_profile_email_confirm(ag_app *app, ag_arena *a, const ag_actor *who,
    const char *token, const char **new_email, ag_error *e)
{
	const char *uid = NULL, *email = NULL;
	ag_actor me = *who;
	ag_profile cur;
	PGresult *r;
	int n;

	if (ag_db_begin(app->db) != 0)
		return ag_fail_db(app, e);
	if (token_answer(app, ag_onetime_consume(app->db, a, token,
	    "change_email", &uid, &email), e) != 0)
		return -1;
	if (email == NULL) {
		ag_db_rollback(app->db);
		return ag_onetime_fail(e);
	}
	if (load(app, a, uid, 1, &cur, NULL, e) != 0)
		return -1;
	me.user_id = cur.id;
	me.role = cur.role_code;
	me.level = cur.role_level;
	me.company_id = cur.company_id;
	if ((n = ag_profile_store_email_taken(app->db, a, email, cur.id)) != 0) {
		if (n < 0)
			return ag_fail_db(app, e);
		ag_db_rollback(app->db);
		return fail_taken(e);
	}
	r = ag_profile_store_set_email(app->db, a, cur.id, email);
	if (r == NULL && strcmp(ag_db_sqlstate(app->db), "23505") == 0) {
		ag_db_rollback(app->db);
		return fail_taken(e);
	}
	if (r == NULL || ag_db_rows(r) != 1)
		return ag_fail_db(app, e);
	if (ag_mail_enqueue(app->db, a, cur.email, "Email akun Autogate diubah",
	    ag_sprintf(a, "Halo %s,\n\nEmail akun Autogate Anda telah diubah "
	    "menjadi %s. Mulai sekarang gunakan alamat tersebut untuk masuk.\n\n"
	    "Jika Anda tidak melakukan perubahan ini, segera hubungi "
	    "administrator.\n\nSalam,\nAutogate\n", cur.name, email)) != 0 ||
	    ag_activity_write(app->db, a, &me, "profile", "change_email", cur.id,
	    ag_json_own(a, json_pack("{s:s}", "email", cur.email)),
	    ag_json_own(a, json_pack("{s:s}", "email", email))) != 0 ||
	    ag_db_commit(app->db) != 0)
		return ag_fail_db(app, e);
	if (new_email != NULL)
		*new_email = email;
	return 0;
}

int
ag_profile_password_request(ag_app *app, ag_arena *a, const ag_actor *who,
    ag_error *e)
{
	ag_profile cur;
	const char *token;
	int n;

	if (load(app, a, who->user_id, 0, &cur, NULL, e) != 0)
		return -1;
	if ((n = ag_profile_store_recent_token(app->db, a, cur.id,
	    "change_password")) != 0)
		return n < 0 ? ag_fail_db(app, e) : fail_recent(e);
	if (ag_db_begin(app->db) != 0)
		return ag_fail_db(app, e);
	if ((token = ag_onetime_issue(app->db, a, cur.id, "change_password",
	    NULL)) == NULL)
		return ag_fail_db(app, e);
	if (ag_mail_enqueue(app->db, a, cur.email, "Ubah kata sandi Autogate",
	    link_mail(app, a, cur.name, "Anda meminta untuk mengubah kata sandi "
	    "akun Autogate Anda. Buka tautan berikut, lalu masukkan kata sandi "
	    "saat ini dan kata sandi baru:", "/admin/ubah-kata-sandi",
	    token)) != 0 ||
	    ag_activity_write(app->db, a, who, "profile",
	    "request_password_change", cur.id, NULL, NULL) != 0 ||
	    ag_db_commit(app->db) != 0)
		return ag_fail_db(app, e);
	return 0;
}

/* The token's user must be the one asking: another's link is no link. */
static int
own_token(ag_app *app, const ag_actor *who, int rc, const char *uid,
    ag_error *e)
{
	if (token_answer(app, rc, e) != 0)
		return -1;
	if (uid == NULL || who->user_id == NULL || strcmp(uid, who->user_id) != 0) {
		if (ag_db_in_tx(app->db))
			ag_db_rollback(app->db);
		return ag_onetime_fail(e);
	}
	return 0;
}

int
ag_profile_password_check(ag_app *app, ag_arena *a, const ag_actor *who,
    const char *token, ag_error *e)
{
	const char *uid = NULL, *unused;
	int rc = ag_onetime_peek(app->db, a, token, "change_password", &uid,
	    &unused);

	return own_token(app, who, rc, uid, e);
}

int
ag_profile_password_change(ag_app *app, ag_arena *a, const ag_actor *who,
    const char *keep_token_id, const char *token, const char *current,
    const char *password, const char *confirmation, ag_error *e)
{
	const char *uid = NULL, *unused, *hash, *why;
	ag_profile cur;
	int rc;

	if (ag_profile_password_check(app, a, who, token, e) != 0)
		return -1;
	if (load(app, a, who->user_id, 0, &cur, &hash, e) != 0)
		return -1;
	if (!ag_password_verify(hash, current))
		ag_error_field(e, "current_password", "kata sandi saat ini salah");
	if ((why = ag_account_password_policy(app, password, cur.email)) != NULL)
		ag_error_field(e, "password", why);
	else if (strcmp(password, current) == 0)
		ag_error_field(e, "password", "kata sandi baru harus berbeda dari "
		    "kata sandi saat ini");
	if (strcmp(password, confirmation) != 0)
		ag_error_field(e, "password_confirmation",
		    "konfirmasi kata sandi tidak sama");
	if (e->status != 0)
		return -1;

	if (ag_db_begin(app->db) != 0)
		return ag_fail_db(app, e);
	rc = ag_onetime_consume(app->db, a, token, "change_password", &uid,
	    &unused);
	if (own_token(app, who, rc, uid, e) != 0)
		return -1;
	if (ag_account_set_password(app, a, cur.id, password, keep_token_id,
	    e) != 0) {
		ag_db_rollback(app->db);
		return -1;
	}
	if (ag_activity_write(app->db, a, who, "profile", "change_password",
	    cur.id, NULL, ag_json_own(a, json_pack("{s:b, s:b}",
	    "password_changed", 1, "other_sessions_revoked", 1))) != 0 ||
	    ag_db_commit(app->db) != 0)
		return ag_fail_db(app, e);
	return 0;
}
