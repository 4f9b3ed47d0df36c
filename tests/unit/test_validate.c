/* test_validate.c - field tables against JSON objects and form pairs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "jsonin.h"
#include "validate.h"

struct fixture {
	ag_arena *a;
	ag_error e;
	ag_input in;
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (f == NULL)
		return -1;
	f->a = ag_arena_new();
	ag_error_init(&f->e, f->a);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	ag_arena_free(f->a);
	free(f);
	return 0;
}

/* Validates one JSON text (an object) against spec with a fresh error. */
static int
vjson(struct fixture *f, const ag_field *spec, const char *text,
    unsigned mode)
{
	json_t *obj = ag_json_own(f->a, json_loads(text, 0, NULL));
	int rc;

	assert_non_null(obj);
	ag_error_init(&f->e, f->a);
	rc = ag_input_from_json(&f->in, f->a, spec, obj, mode, &f->e);
	assert_int_equal(rc, f->e.status == 0 ? 0 : -1);
	return rc;
}

/* One field named "v" of the given kind: value s as a JSON string. */
static const char *
one(struct fixture *f, const ag_field *spec, const char *s)
{
	json_t *obj = ag_json_own(f->a, json_pack("{s:s}", "v", s));

	assert_non_null(obj);
	ag_error_init(&f->e, f->a);
	if (ag_input_from_json(&f->in, f->a, spec, obj, 0, &f->e) != 0)
		return NULL;
	assert_int_equal(f->e.status, 0);
	return ag_in_str(&f->in, "v");
}

/* The message for field "v" after one(). */
static const char *
msg(struct fixture *f)
{
	return ag_error_field_message(&f->e, "v");
}

#define FIELD(type, flags, min, max) \
	{ { "v", (type), (flags), (min), (max), NULL }, AG_FIELDS_END }

static void
test_string(void **state)
{
	struct fixture *f = *state;
	static const ag_field s10[] = FIELD(AG_T_STRING, 0, 2, 10);
	static const ag_field sdef[] = FIELD(AG_T_STRING, 0, 0, 0);
	char *long255 = ag_alloc(f->a, 257);

	assert_string_equal(one(f, s10, "  Budi  "), "Budi");
	assert_true(ag_in_has(&f->in, "v"));
	/* Length counts characters, not bytes: 10 x U+00E9 is 20 bytes. */
	assert_non_null(one(f, s10,
	    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
	    "\xc3\xa9\xc3\xa9"));
	assert_null(one(f, s10, "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
	    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"));
	assert_string_equal(msg(f), "maksimal 10 karakter");
	/* A 4-byte character counts once too. */
	assert_non_null(one(f, s10, "\xf0\x9f\x9a\x97\xf0\x9f\x9a\x97"));
	assert_null(one(f, s10, "A"));
	assert_string_equal(msg(f), "minimal 2 karakter");
	assert_int_equal(f->e.status, 422);
	assert_string_equal(f->e.code, "VALIDATION_ERROR");

	/* Control characters refused in one-line text, even inside. */
	assert_null(one(f, s10, "a\nb"));
	assert_string_equal(msg(f), "tidak boleh berisi karakter kontrol");
	assert_null(one(f, s10, "a\tb"));
	assert_null(one(f, s10, "a\x7f" "b"));
	assert_null(one(f, s10, "a\x1b[0m"));
	/* Surrounding newlines are trimmed, not refused. */
	assert_string_equal(one(f, s10, "\n Budi\r\n"), "Budi");

	/* Default maximum 255. */
	memset(long255, 'x', 255);
	long255[255] = '\0';
	assert_non_null(one(f, sdef, long255));
	long255[255] = 'x';
	long255[256] = '\0';
	assert_null(one(f, sdef, long255));
	assert_string_equal(msg(f), "maksimal 255 karakter");
}

static void
test_text_and_password(void **state)
{
	struct fixture *f = *state;
	static const ag_field text[] = FIELD(AG_T_TEXT, 0, 0, 0);
	static const ag_field text5[] = FIELD(AG_T_TEXT, 0, 0, 5);
	static const ag_field pw[] = FIELD(AG_T_PASSWORD, 0, 8, 0);
	char *big = ag_alloc(f->a, 2002);

	assert_string_equal(one(f, text, " baris 1\r\nbaris 2\n\tindent "),
	    "baris 1\r\nbaris 2\n\tindent");
	assert_null(one(f, text, "a\x01" "b"));
	assert_string_equal(msg(f), "tidak boleh berisi karakter kontrol");
	assert_null(one(f, text, "a\x7f"));
	assert_null(one(f, text5, "abcdef"));
	assert_string_equal(msg(f), "maksimal 5 karakter");
	/* TEXT defaults to 2000 characters. */
	memset(big, 'y', 2000);
	big[2000] = '\0';
	assert_non_null(one(f, text, big));
	big[2000] = 'y';
	big[2001] = '\0';
	assert_null(one(f, text, big));
	assert_string_equal(msg(f), "maksimal 2000 karakter");

	/* Passwords are never trimmed. */
	assert_string_equal(one(f, pw, "  rahasia123  "), "  rahasia123  ");
	assert_null(one(f, pw, "pendek"));
	assert_string_equal(msg(f), "minimal 8 karakter");
	assert_null(one(f, pw, "rahasia\n123"));
}

static void
test_int(void **state)
{
	struct fixture *f = *state;
	static const ag_field range[] = FIELD(AG_T_INT, 0, 1, 100);
	static const ag_field any[] = FIELD(AG_T_INT, 0, 0, 0);
	static const ag_field zero_to[] = FIELD(AG_T_INT, 0, 0, 10);

	assert_int_equal(vjson(f, range, "{\"v\": 42}", 0), 0);
	assert_int_equal(ag_in_int(&f->in, "v", -1), 42);
	assert_string_equal(ag_in_str(&f->in, "v"), "42");
	assert_int_equal(vjson(f, range, "{\"v\": 1}", 0), 0);
	assert_int_equal(vjson(f, range, "{\"v\": 100}", 0), 0);
	assert_int_equal(vjson(f, range, "{\"v\": 0}", 0), -1);
	assert_string_equal(msg(f), "minimal 1");
	assert_int_equal(vjson(f, range, "{\"v\": 101}", 0), -1);
	assert_string_equal(msg(f), "maksimal 100");
	assert_int_equal(vjson(f, zero_to, "{\"v\": -1}", 0), -1);
	assert_string_equal(msg(f), "minimal 0");
	assert_int_equal(vjson(f, any, "{\"v\": -9000000000}", 0), 0);
	assert_int_equal(ag_in_int(&f->in, "v", 0), -9000000000LL);

	/* Wrong JSON types. */
	assert_int_equal(vjson(f, range, "{\"v\": 1.5}", 0), -1);
	assert_string_equal(msg(f), "harus berupa bilangan bulat");
	assert_int_equal(vjson(f, range, "{\"v\": true}", 0), -1);
	assert_string_equal(msg(f), "harus berupa bilangan bulat");
	assert_int_equal(vjson(f, range, "{\"v\": [1]}", 0), -1);
	assert_int_equal(vjson(f, range, "{\"v\": {}}", 0), -1);
	assert_int_equal(vjson(f, range, "{\"v\": \"12abc\"}", 0), -1);
	assert_string_equal(msg(f), "harus berupa bilangan bulat");
	assert_int_equal(vjson(f, any, "{\"v\": \"99999999999999999999\"}", 0),
	    -1);
	assert_int_equal(vjson(f, any, "{\"v\": \"0x10\"}", 0), -1);

	/* Absent: the default. */
	assert_int_equal(vjson(f, range, "{}", 0), 0);
	assert_false(ag_in_has(&f->in, "v"));
	assert_int_equal(ag_in_int(&f->in, "v", 7), 7);
}

static void
test_bool(void **state)
{
	struct fixture *f = *state;
	static const ag_field b[] = FIELD(AG_T_BOOL, 0, 0, 0);

	assert_int_equal(vjson(f, b, "{\"v\": true}", 0), 0);
	assert_int_equal(ag_in_int(&f->in, "v", -1), 1);
	assert_int_equal(vjson(f, b, "{\"v\": false}", 0), 0);
	assert_int_equal(ag_in_int(&f->in, "v", -1), 0);
	assert_true(ag_in_has(&f->in, "v"));
	/* JSON wants a real boolean. */
	assert_int_equal(vjson(f, b, "{\"v\": \"true\"}", 0), -1);
	assert_string_equal(msg(f), "harus berupa true atau false");
	assert_int_equal(vjson(f, b, "{\"v\": 1}", 0), -1);
	assert_string_equal(msg(f), "harus berupa true atau false");
}

static void
test_date(void **state)
{
	struct fixture *f = *state;
	static const ag_field d[] = FIELD(AG_T_DATE, 0, 0, 0);
	static const char *good[] = { "2025-05-05", "2024-02-29", "2000-02-29",
	    "2025-12-31", "2025-01-31", "1900-01-01", "2025-04-30" };
	static const char *bad[] = { "2023-02-29", "1900-02-29", "2100-02-29",
	    "2025-02-30", "2025-04-31", "2025-13-01", "2025-00-10",
	    "2025-01-00", "2025-1-01", "2025/01/01", "25-01-01", "2025-01-01T00",
	    "1899-12-31", "abcd-ef-gh", "2025-01-0a", "+025-01-01",
	    "2025-06-31", "2025-09-31", "2025-11-31" };

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		assert_true(ag_valid_date(good[i]));
		assert_string_equal(one(f, d, good[i]), good[i]);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_false(ag_valid_date(bad[i]));
		assert_null(one(f, d, bad[i]));
		assert_string_equal(msg(f), "format tanggal harus YYYY-MM-DD");
	}
	/* Surrounding blanks are trimmed before the check. */
	assert_string_equal(one(f, d, " 2024-02-29 "), "2024-02-29");
}

static void
test_uuid_email(void **state)
{
	struct fixture *f = *state;
	static const ag_field u[] = FIELD(AG_T_UUID, 0, 0, 0);
	static const ag_field em[] = FIELD(AG_T_EMAIL, 0, 0, 0);

	assert_string_equal(one(f, u, "0B6F6C3E-9D2A-4C1B-8E57-3F0A1D2C4B5E"),
	    "0b6f6c3e-9d2a-4c1b-8e57-3f0a1d2c4b5e");
	assert_null(one(f, u, "0b6f6c3e9d2a4c1b8e573f0a1d2c4b5e"));
	assert_string_equal(msg(f), "format UUID tidak valid");
	assert_null(one(f, u, "0b6f6c3e-9d2a-4c1b-8e57-3f0a1d2c4b5"));
	assert_null(one(f, u, "0b6f6c3e-9d2a-4c1b-8e57-3f0a1d2c4b5ee"));
	assert_null(one(f, u, "gb6f6c3e-9d2a-4c1b-8e57-3f0a1d2c4b5e"));

	assert_string_equal(one(f, em, " Budi.Santoso@Example.CO.ID "),
	    "budi.santoso@example.co.id");
	assert_true(ag_valid_email("a@b.id"));
	assert_false(ag_valid_email("a@b"));
	assert_false(ag_valid_email("@b.id"));
	assert_false(ag_valid_email("a@b@c.id"));
	assert_false(ag_valid_email("a b@c.id"));
	assert_false(ag_valid_email("a@.id"));
	assert_false(ag_valid_email("a@b."));
	assert_false(ag_valid_email("a<x>@b.id"));
	assert_false(ag_valid_email("a,b@c.id"));
	assert_null(one(f, em, "budi"));
	assert_string_equal(msg(f), "format email tidak valid");
}

static void
test_phone_nik_plate(void **state)
{
	struct fixture *f = *state;
	static const ag_field ph[] = FIELD(AG_T_PHONE, 0, 0, 0);
	static const ag_field nik[] = FIELD(AG_T_NIK, 0, 0, 0);
	static const ag_field pl[] = FIELD(AG_T_PLATE, 0, 0, 0);

	assert_string_equal(one(f, ph, "081234567890"), "081234567890");
	assert_string_equal(one(f, ph, "+6281234567890"), "+6281234567890");
	assert_non_null(one(f, ph, "12345678"));
	assert_non_null(one(f, ph, "123456789012345"));
	assert_null(one(f, ph, "1234567"));
	assert_string_equal(msg(f), "nomor telepon harus 8-15 digit angka");
	assert_null(one(f, ph, "1234567890123456"));
	assert_null(one(f, ph, "0812-3456-789"));
	assert_null(one(f, ph, "++6281234567"));
	assert_null(one(f, ph, "+"));

	assert_string_equal(one(f, nik, "3578012345678901"), "3578012345678901");
	assert_null(one(f, nik, "357801234567890"));
	assert_string_equal(msg(f), "NIK harus 16 digit angka");
	assert_null(one(f, nik, "35780123456789012"));
	assert_null(one(f, nik, "357801234567890a"));

	assert_string_equal(one(f, pl, " l 1234 ab "), "L 1234 AB");
	assert_string_equal(one(f, pl, "b-1-xyz"), "B-1-XYZ");
	assert_null(one(f, pl, "ABCD"));
	assert_string_equal(msg(f), "nomor polisi tidak valid");
	assert_null(one(f, pl, "1234"));
	assert_null(one(f, pl, "L 1234 AB!"));
	assert_null(one(f, pl, "L 1234 ABCDEFG"));
}

static void
test_enum_access_number(void **state)
{
	struct fixture *f = *state;
	static const char *const kinds[] = { "guest", "tenant", "vendor", NULL };
	static const ag_field en[] = {
		{ "v", AG_T_ENUM, 0, 0, 0, kinds }, AG_FIELDS_END
	};
	static const ag_field an[] = FIELD(AG_T_ACCESS_NUMBER, 0, 0, 0);

	assert_string_equal(one(f, en, "tenant"), "tenant");
	assert_string_equal(one(f, en, " vendor "), "vendor");
	assert_null(one(f, en, "Tenant"));
	assert_string_equal(msg(f),
	    "harus salah satu dari: guest, tenant, vendor");
	assert_null(one(f, en, "admin"));

	assert_string_equal(one(f, an, "tkt-00012345"), "TKT-00012345");
	assert_string_equal(one(f, an, "TKT-99999999"), "TKT-99999999");
	assert_null(one(f, an, "TKT-1234567"));
	assert_string_equal(msg(f),
	    "format nomor akses harus TKT- diikuti 8 digit");
	assert_null(one(f, an, "TKT-123456789"));
	assert_null(one(f, an, "TKX-12345678"));
	assert_null(one(f, an, "TKT-1234567a"));
}

static const ag_field person[] = {
	{ "name", AG_T_STRING, AG_REQUIRED, 1, 50, NULL },
	{ "email", AG_T_EMAIL, AG_REQUIRED, 0, 0, NULL },
	{ "age", AG_T_INT, 0, 1, 120, NULL },
	{ "note", AG_T_TEXT, 0, 0, 0, NULL },
	{ "active", AG_T_BOOL, 0, 0, 0, NULL },
	AG_FIELDS_END
};

static void
test_required_and_types(void **state)
{
	struct fixture *f = *state;
	json_t *obj;

	assert_int_equal(vjson(f, person, "{\"name\": \" Budi \", \"email\": "
	    "\"B@X.ID\", \"age\": 30, \"active\": true, \"unknown\": 1}", 0), 0);
	assert_string_equal(ag_in_str(&f->in, "name"), "Budi");
	assert_string_equal(ag_in_str(&f->in, "email"), "b@x.id");
	assert_int_equal(ag_in_int(&f->in, "age", 0), 30);
	assert_int_equal(ag_in_int(&f->in, "active", -1), 1);
	assert_false(ag_in_has(&f->in, "note"));
	assert_null(ag_in_str(&f->in, "note"));
	assert_null(f->e.fields);

	/* Missing, empty, blank and null required fields. */
	assert_int_equal(vjson(f, person, "{}", 0), -1);
	assert_string_equal(ag_error_field_message(&f->e, "name"),
	    "wajib diisi");
	assert_string_equal(ag_error_field_message(&f->e, "email"),
	    "wajib diisi");
	assert_int_equal(vjson(f, person, "{\"name\": \"\", \"email\": "
	    "\"  \"}", 0), -1);
	assert_string_equal(ag_error_field_message(&f->e, "name"),
	    "wajib diisi");
	assert_string_equal(ag_error_field_message(&f->e, "email"),
	    "wajib diisi");
	assert_int_equal(vjson(f, person, "{\"name\": null, \"email\": "
	    "\"a@b.id\"}", 0), -1);
	assert_string_equal(ag_error_field_message(&f->e, "name"),
	    "wajib diisi");
	assert_false(ag_error_has_field(&f->e, "email"));

	/* Wrong JSON types. */
	assert_int_equal(vjson(f, person, "{\"name\": 5, \"email\": "
	    "[\"a@b.id\"], \"note\": {\"x\": 1}}", 0), -1);
	assert_string_equal(ag_error_field_message(&f->e, "name"),
	    "harus berupa teks");
	assert_string_equal(ag_error_field_message(&f->e, "email"),
	    "harus berupa teks");
	assert_string_equal(ag_error_field_message(&f->e, "note"),
	    "harus berupa teks");
	/* A string with an embedded NUL (the body parser refuses these
	 * earlier; the validator must not silently truncate either). */
	obj = ag_json_own(f->a, json_pack("{s:s#, s:s}", "name", "a\0b",
	    (int)3, "email", "a@b.id"));
	assert_non_null(obj);
	ag_error_init(&f->e, f->a);
	assert_int_equal(ag_input_from_json(&f->in, f->a, person, obj, 0,
	    &f->e), -1);
	assert_string_equal(ag_error_field_message(&f->e, "name"),
	    "tidak boleh berisi karakter kontrol");

	/* A NULL object is like {}. */
	ag_error_init(&f->e, f->a);
	assert_int_equal(ag_input_from_json(&f->in, f->a, person, NULL, 0,
	    &f->e), -1);
	assert_string_equal(ag_error_field_message(&f->e, "name"),
	    "wajib diisi");
}

static void
test_errors_in_order(void **state)
{
	struct fixture *f = *state;
	json_t *err;
	const char *names[] = { "name", "email", "age", "active" };

	assert_int_equal(vjson(f, person, "{\"active\": \"ya\", \"age\": 500, "
	    "\"email\": \"bukan-email\"}", 0), -1);
	assert_int_equal(f->e.status, 422);
	assert_string_equal(f->e.code, "VALIDATION_ERROR");
	assert_string_equal(f->e.message, "Data yang dikirim tidak valid");
	assert_int_equal(json_array_size(f->e.fields), 4);
	for (size_t i = 0; i < 4; i++) {
		err = json_array_get(f->e.fields, i);
		assert_string_equal(json_string_value(json_object_get(err,
		    "field")), names[i]);
	}
	assert_string_equal(ag_error_field_message(&f->e, "name"),
	    "wajib diisi");
	assert_string_equal(ag_error_field_message(&f->e, "email"),
	    "format email tidak valid");
	assert_string_equal(ag_error_field_message(&f->e, "age"),
	    "maksimal 120");
	assert_string_equal(ag_error_field_message(&f->e, "active"),
	    "harus berupa true atau false");
	assert_null(ag_error_field_message(&f->e, "note"));
}

static void
test_partial(void **state)
{
	struct fixture *f = *state;

	/* Absent required fields are fine in a PATCH. */
	assert_int_equal(vjson(f, person, "{\"age\": 31}", AG_V_PARTIAL), 0);
	assert_false(ag_in_has(&f->in, "name"));
	assert_false(ag_in_has(&f->in, "email"));
	assert_true(ag_in_has(&f->in, "age"));
	assert_int_equal(ag_in_int(&f->in, "age", 0), 31);

	/* Nothing at all is fine too. */
	assert_int_equal(vjson(f, person, "{}", AG_V_PARTIAL), 0);

	/* A required field cannot be emptied or nulled. */
	assert_int_equal(vjson(f, person, "{\"name\": \"\"}", AG_V_PARTIAL), -1);
	assert_string_equal(ag_error_field_message(&f->e, "name"),
	    "wajib diisi");
	assert_int_equal(vjson(f, person, "{\"email\": null}", AG_V_PARTIAL),
	    -1);
	assert_string_equal(ag_error_field_message(&f->e, "email"),
	    "wajib diisi");

	/* An optional field set to null (or "") is an explicit clear. */
	assert_int_equal(vjson(f, person, "{\"note\": null, \"age\": \"\"}",
	    AG_V_PARTIAL), 0);
	assert_true(ag_in_has(&f->in, "note"));
	assert_null(ag_in_str(&f->in, "note"));
	assert_true(ag_in_has(&f->in, "age"));
	assert_int_equal(ag_in_int(&f->in, "age", -5), -5);

	/* Present values are still checked. */
	assert_int_equal(vjson(f, person, "{\"age\": 0}", AG_V_PARTIAL), -1);
	assert_string_equal(ag_error_field_message(&f->e, "age"), "minimal 1");

	/* Outside partial mode an optional null is simply absent. */
	assert_int_equal(vjson(f, person, "{\"name\": \"x\", \"email\": "
	    "\"a@b.id\", \"note\": null}", 0), 0);
	assert_false(ag_in_has(&f->in, "note"));
}

/* Parses form text into kv and validates it against person. */
static int
vkv(struct fixture *f, const char *form, unsigned mode)
{
	ag_kvlist kv;

	assert_int_equal(ag_parse_urlencoded(f->a, form, strlen(form), 64, &kv),
	    0);
	ag_error_init(&f->e, f->a);
	return ag_input_from_kv(&f->in, f->a, person, &kv, mode, &f->e);
}

static void
test_kv(void **state)
{
	struct fixture *f = *state;
	ag_kvlist kv;
	static const char form[] = "name=+Siti+&email=SITI%40X.ID&age=&"
	    "active=on&note=baris+1%0D%0Abaris+2";

	assert_int_equal(ag_parse_urlencoded(f->a, form, strlen(form), 64, &kv),
	    0);
	ag_error_init(&f->e, f->a);
	assert_int_equal(ag_input_from_kv(&f->in, f->a, person, &kv, 0, &f->e),
	    0);
	assert_string_equal(ag_in_str(&f->in, "name"), "Siti");
	assert_string_equal(ag_in_str(&f->in, "email"), "siti@x.id");
	/* Empty text is the same as absent. */
	assert_false(ag_in_has(&f->in, "age"));
	assert_int_equal(ag_in_int(&f->in, "age", 10), 10);
	assert_int_equal(ag_in_int(&f->in, "active", -1), 1);
	assert_string_equal(ag_in_str(&f->in, "note"), "baris 1\r\nbaris 2");

	/* Form spellings of numbers and booleans. */
	assert_int_equal(vkv(f, "name=a&email=a@b.id&age=%2B7&active=0", 0),
	    0);
	assert_int_equal(ag_in_int(&f->in, "age", 0), 7);
	assert_int_equal(ag_in_int(&f->in, "active", -1), 0);

	/* Required and empty, and bad values, reported together. */
	assert_int_equal(vkv(f, "name=&age=x&active=yes", 0), -1);
	assert_int_equal(json_array_size(f->e.fields), 4);
	assert_string_equal(ag_error_field_message(&f->e, "name"),
	    "wajib diisi");
	assert_string_equal(ag_error_field_message(&f->e, "email"),
	    "wajib diisi");
	assert_string_equal(ag_error_field_message(&f->e, "age"),
	    "harus berupa bilangan bulat");
	assert_string_equal(ag_error_field_message(&f->e, "active"),
	    "harus berupa true atau false");

	/* Blank (only spaces) is empty for a required field. */
	assert_int_equal(vkv(f, "name=+++&email=a@b.id", 0), -1);
	assert_string_equal(ag_error_field_message(&f->e, "name"),
	    "wajib diisi");

	/* Partial kv: absent and empty are both "not given". */
	assert_int_equal(vkv(f, "name=&age=5", AG_V_PARTIAL), 0);
	assert_false(ag_in_has(&f->in, "name"));
	assert_int_equal(ag_in_int(&f->in, "age", 0), 5);

	/* No pairs at all. */
	ag_error_init(&f->e, f->a);
	assert_int_equal(ag_input_from_kv(&f->in, f->a, person, NULL, 0, &f->e),
	    -1);
	assert_int_equal(json_array_size(f->e.fields), 2);
}

static void
test_empty_input(void **state)
{
	struct fixture *f = *state;

	ag_input_empty(&f->in, f->a, person);
	assert_int_equal(f->in.n, 5);
	assert_false(ag_in_has(&f->in, "name"));
	assert_null(ag_in_str(&f->in, "email"));
	assert_int_equal(ag_in_int(&f->in, "age", 3), 3);
	ag_input_empty(&f->in, f->a, NULL);
	assert_int_equal(f->in.n, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_string, setup, teardown),
		cmocka_unit_test_setup_teardown(test_text_and_password, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_int, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bool, setup, teardown),
		cmocka_unit_test_setup_teardown(test_date, setup, teardown),
		cmocka_unit_test_setup_teardown(test_uuid_email, setup, teardown),
		cmocka_unit_test_setup_teardown(test_phone_nik_plate, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_enum_access_number, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_required_and_types, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_errors_in_order, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_partial, setup, teardown),
		cmocka_unit_test_setup_teardown(test_kv, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty_input, setup,
		    teardown),
	};

	return cmocka_run_group_tests_name("validate", tests, NULL, NULL);
}
