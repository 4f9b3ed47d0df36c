/* test_pdf.c - ticket PDF rendering, checked with pdftotext if present. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "arena.h"
#include "pdf.h"
#include "qr.h"
#include "sys.h"

static const ag_pdf_field fields[] = {
	{ "Nama", "Siti Rahmawati" },
	{ "NIK", "3525014507900002" },
	{ "Instansi", "PT Sinar Samudra Logistik" },
	{ "Tujuan", "Rapat koordinasi pengiriman kontainer ekspor dengan tim "
	    "operasional tenant di gedung administrasi, dilanjutkan "
	    "peninjauan lapangan area bongkar muat dan gudang berikat." },
	{ "Alamat Tujuan", "Jl. Raya Manyar \xe2\x80\x94 Gresik, Jawa Timur" },
	{ "Kendaraan", "W 1234 XY" },
	{ "Tanggal", "Senin, 20 Mei 2024" },
	{ "Berlaku s.d.", "20 Mei 2024 23:59 WIB" },
	{ "Catatan", NULL },
};

static int
setup(void **state)
{
	*state = ag_arena_new();
	return 0;
}

static int
teardown(void **state)
{
	ag_arena_free(*state);
	return 0;
}

static ag_pdf_ticket
sample(ag_arena *a)
{
	ag_pdf_ticket t;
	unsigned char *png;
	size_t len;

	assert_int_equal(ag_qr_png(a, "TKT-40817263", 8, 4, &png, &len), 0);
	memset(&t, 0, sizeof(t));
	t.title = "Tiket Kunjungan Tamu";
	t.subtitle = "Kawasan Ekonomi Khusus Gresik";
	t.access_number = "TKT-40817263";
	t.qr_png = png;
	t.qr_len = len;
	t.status_label = "Disetujui";
	t.fields = fields;
	t.n_fields = sizeof(fields) / sizeof(fields[0]);
	t.footer = "Tunjukkan kode QR ini kepada petugas di gerbang masuk. "
	    "Tiket hanya berlaku untuk satu orang pada tanggal yang tertera dan "
	    "tidak dapat dipindahtangankan. Patuhi peraturan keselamatan kawasan.";
	return t;
}

/* Writes data to a temporary file; the name is in the arena. */
static char *
temp_file(ag_arena *a, const unsigned char *data, size_t len)
{
	char *path = ag_sprintf(a, "%s/ag-pdf-XXXXXX", ag_tmpdir());
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	close(fd);
	return path;
}

/* Text of the PDF via pdftotext (in the arena), or NULL if not installed. */
static char *
pdf_text(ag_arena *a, const unsigned char *pdf, size_t len)
{
	char *path, *cmd, buf[4096];
	ag_buf b;
	size_t n;
	FILE *p;

	if (access("/usr/bin/pdftotext", X_OK) != 0)
		return NULL;
	path = temp_file(a, pdf, len);
	cmd = ag_sprintf(a, "pdftotext -enc UTF-8 '%s' - 2>/dev/null", path);
	p = popen(cmd, "r");
	assert_non_null(p);
	ag_buf_init(&b, a);
	while ((n = fread(buf, 1, sizeof(buf), p)) > 0)
		ag_buf_append(&b, buf, n);
	assert_int_equal(pclose(p), 0);
	unlink(path);
	return b.data;
}

static void
test_render_ticket(void **state)
{
	ag_arena *a = *state;
	ag_pdf_ticket t = sample(a);
	unsigned char *pdf;
	size_t len;
	char err[256], *text;

	assert_int_equal(ag_pdf_ticket_render(a, &t, NULL, &pdf, &len, err,
	    sizeof(err)), 0);
	assert_true(len > 1000);
	assert_memory_equal(pdf, "%PDF-", 5);
	/* keep a copy for looking at the layout by hand */
	if (getenv("AG_PDF_KEEP") != NULL) {
		FILE *fp = fopen(getenv("AG_PDF_KEEP"), "wb");

		assert_non_null(fp);
		fwrite(pdf, 1, len, fp);
		fclose(fp);
	}
	text = pdf_text(a, pdf, len);
	if (text == NULL) {
		skip();
		return;
	}
	assert_non_null(strstr(text, "TKT-40817263"));
	assert_non_null(strstr(text, "Siti Rahmawati"));
	assert_non_null(strstr(text, "Jl. Raya Manyar \xe2\x80\x94 Gresik"));
	assert_non_null(strstr(text, "Tiket Kunjungan Tamu"));
	assert_non_null(strstr(text, "Disetujui"));
	assert_non_null(strstr(text, "gudang berikat."));
	assert_non_null(strstr(text, "tidak dapat dipindahtangankan"));
	assert_null(strstr(text, "TKT-00000000"));
}

static void
test_font_dir(void **state)
{
	ag_arena *a = *state;
	ag_pdf_ticket t = sample(a);
	unsigned char *pdf = (unsigned char *)"x";
	size_t len = 1;
	char err[256];

	assert_int_equal(ag_pdf_ticket_render(a, &t,
	    "/usr/share/fonts/truetype/dejavu", &pdf, &len, err, sizeof(err)), 0);
	assert_memory_equal(pdf, "%PDF-", 5);

	assert_int_equal(ag_pdf_ticket_render(a, &t, "/nonexistent", &pdf,
	    &len, err, sizeof(err)), -1);
	assert_null(pdf);
	assert_int_equal(len, 0);
	assert_non_null(strstr(err, "font"));
}

static void
test_bad_input(void **state)
{
	ag_arena *a = *state;
	ag_pdf_ticket t = sample(a);
	unsigned char *pdf;
	size_t len;
	char err[256];
	static const unsigned char not_png[] = "GIF89a not a png at all";

	t.qr_png = not_png;
	t.qr_len = sizeof(not_png);
	assert_int_equal(ag_pdf_ticket_render(a, &t, NULL, &pdf, &len, err,
	    sizeof(err)), -1);
	assert_null(pdf);
	assert_true(strlen(err) > 0);

	t.qr_png = NULL;
	assert_int_equal(ag_pdf_ticket_render(a, &t, NULL, &pdf, &len, err,
	    sizeof(err)), -1);
	assert_int_equal(ag_pdf_ticket_render(a, NULL, NULL, &pdf, &len, err,
	    sizeof(err)), -1);
}

static void
test_odd_text_and_many_rows(void **state)
{
	ag_arena *a = *state;
	ag_pdf_ticket t = sample(a);
	ag_pdf_field *many = ag_calloc(a, 60, sizeof(*many));
	unsigned char *pdf;
	size_t len, i;
	char err[256], *text;

	for (i = 0; i < 60; i++) {
		many[i].label = ag_sprintf(a, "Baris %zu", i + 1);
		many[i].value = ag_sprintf(a, "Nilai-%zu", i + 1);
	}
	/* invalid UTF-8, control characters, an unbreakable long word */
	many[3].value = "bad \xff\xfe byte\tand\rcontrol";
	many[4].value = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
	many[5].value = "baris satu\nbaris dua";
	many[6].label = NULL;
	t.fields = many;
	t.n_fields = 60;
	t.status_label = NULL;
	t.footer = NULL;
	t.subtitle = NULL;
	assert_int_equal(ag_pdf_ticket_render(a, &t, NULL, &pdf, &len, err,
	    sizeof(err)), 0);
	assert_memory_equal(pdf, "%PDF-", 5);
	text = pdf_text(a, pdf, len);
	if (text == NULL) {
		skip();
		return;
	}
	/* the table continued on a second page, nothing lost */
	assert_non_null(strstr(text, "Nilai-1\n"));
	assert_non_null(strstr(text, "Nilai-60"));
	assert_non_null(strstr(text, "\f"));
	assert_non_null(strstr(text, "bad ?? byte and control"));
	assert_non_null(strstr(text, "baris dua"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_render_ticket, setup, teardown),
		cmocka_unit_test_setup_teardown(test_font_dir, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_input, setup, teardown),
		cmocka_unit_test_setup_teardown(test_odd_text_and_many_rows, setup, teardown),
	};

	return cmocka_run_group_tests_name("pdf", tests, NULL, NULL);
}
