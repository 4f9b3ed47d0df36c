/*
 * pdf.h - printable ticket PDFs (libharu) with embedded DejaVu fonts, so
 * any UTF-8 text (names, addresses, "—") prints as given.
 */
#ifndef AG_PDF_H
#define AG_PDF_H

#include <stddef.h>

#include "arena.h"

typedef struct ag_pdf_field {
	const char *label;
	const char *value;
} ag_pdf_field;

typedef struct ag_pdf_ticket {
	const char *title;		/* e.g. "Tiket Kunjungan Tamu" */
	const char *subtitle;		/* e.g. "Kawasan Ekonomi Khusus" */
	const char *access_number;	/* printed large under the QR */
	const unsigned char *qr_png;	/* PNG from ag_qr_png() */
	size_t qr_len;
	const char *status_label;	/* e.g. "Disetujui"; NULL for none */
	const ag_pdf_field *fields;	/* label/value rows, values wrap */
	size_t n_fields;
	const char *footer;		/* small print; NULL for none */
} ag_pdf_ticket;

/*
 * Renders an A4 ticket: header band, QR (60 mm), access number, status,
 * a table of fields (continued on further pages if needed) and footer.
 * font_dir holds DejaVuSans.ttf and DejaVuSans-Bold.ttf, or is NULL for
 * the fonts chosen at configure time.  Invalid UTF-8 is replaced by '?'.
 * Returns 0 with the PDF in the arena, or -1 with a message (for the
 * log, not for users) in err.
 */
int ag_pdf_ticket_render(ag_arena *a, const ag_pdf_ticket *t,
    const char *font_dir, unsigned char **out, size_t *len,
    char *err, size_t errlen);

#endif
