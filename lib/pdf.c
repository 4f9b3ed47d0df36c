/*
 * pdf.c - ticket PDFs with libharu; see pdf.h.
 *
 * libharu reports errors through a handler; ours only records the first
 * one (no longjmp), and every call that creates an object is checked, so
 * each path out of ag_pdf_ticket_render() ends in exactly one HPDF_Free().
 * Drawing calls are not checked one by one: a failure there is recorded
 * by the handler and turns the whole render into an error before saving.
 */
#include "pdf.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <hpdf.h>

/* configure's AG_FONT_PATH and AG_FONT_BOLD_PATH */
#include "ag_build.h"
#include "sys.h"

#define MM(x) ((HPDF_REAL)((x) * 72.0 / 25.4))

#define PAGE_MARGIN MM(18)
#define BAND_HEIGHT MM(34)
#define QR_SIZE MM(60)
#define LABEL_WIDTH MM(52)
#define CELL_PAD_X MM(3)
#define CELL_PAD_Y MM(2.2)
#define BODY_SIZE 10.5f
#define BODY_LEADING 14.0f
#define FOOTER_SIZE 8.0f
#define FOOTER_LEADING 10.5f

struct rgb {
	HPDF_REAL r, g, b;
};

static const struct rgb c_brand = { 0.075f, 0.247f, 0.420f };	/* deep blue */
static const struct rgb c_brand_light = { 0.812f, 0.871f, 0.933f };
static const struct rgb c_text = { 0.11f, 0.13f, 0.16f };
static const struct rgb c_muted = { 0.40f, 0.44f, 0.49f };
static const struct rgb c_rule = { 0.82f, 0.85f, 0.88f };
static const struct rgb c_stripe = { 0.957f, 0.965f, 0.976f };
static const struct rgb c_white = { 1, 1, 1 };

/* What the libharu error handler saw. */
struct hpdf_err {
	HPDF_STATUS error;
	HPDF_STATUS detail;
	int count;
};

static void
on_hpdf_error(HPDF_STATUS error_no, HPDF_STATUS detail_no, void *user_data)
{
	struct hpdf_err *e = user_data;

	if (e->count++ == 0) {
		e->error = error_no;
		e->detail = detail_no;
	}
}

struct lines {
	const char **v;
	size_t n;
	size_t cap;
};

struct render {
	ag_arena *a;
	HPDF_Doc pdf;
	HPDF_Page page;
	HPDF_Font reg;
	HPDF_Font bold;
	HPDF_Image qr;
	HPDF_REAL width;
	HPDF_REAL height;
	HPDF_REAL y;		/* top of the next table row */
	HPDF_REAL table_bottom;	/* rows may not go below this */
	struct lines footer;
	int pages;
};

/* ---- text helpers ---- */

/* Length of the valid UTF-8 sequence at s, or 0 if it is not one. */
static size_t
utf8_len(const unsigned char *s)
{
	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		return (s[1] & 0xc0) == 0x80 ? 2 : 0;
	if (s[0] >= 0xe0 && s[0] <= 0xef) {
		if ((s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80)
			return 0;
		if (s[0] == 0xe0 && s[1] < 0xa0)
			return 0;	/* overlong */
		if (s[0] == 0xed && s[1] >= 0xa0)
			return 0;	/* surrogate */
		return 3;
	}
	if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		if ((s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80 ||
		    (s[3] & 0xc0) != 0x80)
			return 0;
		if ((s[0] == 0xf0 && s[1] < 0x90) || (s[0] == 0xf4 && s[1] >= 0x90))
			return 0;	/* overlong or above U+10FFFF */
		return 4;
	}
	return 0;
}

/* Copy of s with invalid UTF-8 replaced by '?' and control characters
 * by spaces; newlines are kept only if keep_nl is set. */
static char *
clean_text(ag_arena *a, const char *s, int keep_nl)
{
	const unsigned char *p = (const unsigned char *)(s != NULL ? s : "");
	ag_buf b;

	ag_buf_init(&b, a);
	while (*p != '\0') {
		size_t n = utf8_len(p);

		if (n == 0) {
			ag_buf_putc(&b, '?');
			p++;
		} else if (n == 1 && (*p < 0x20 || *p == 0x7f)) {
			ag_buf_putc(&b, *p == '\n' && keep_nl ? '\n' : ' ');
			p++;
		} else {
			ag_buf_append(&b, p, n);
			p += n;
		}
	}
	return b.data;
}

static HPDF_REAL
text_width(HPDF_Font font, HPDF_REAL size, const char *s, size_t len)
{
	HPDF_TextWidth tw;

	if (len == 0)
		return 0;
	tw = HPDF_Font_TextWidth(font, (const HPDF_BYTE *)s, (HPDF_UINT)len);
	return (HPDF_REAL)tw.width * size / 1000.0f;
}

static void
lines_push(ag_arena *a, struct lines *l, const char *s, size_t len)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 8;
		const char **v = ag_alloc(a, ag_mul(cap, sizeof(*v)));

		if (l->n > 0)
			memcpy(v, l->v, l->n * sizeof(*v));
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = ag_strndup(a, s, len);
}

/*
 * Greedy word wrap of one paragraph (no newlines) into lines at most
 * maxw wide; a word wider than a line is broken between characters.
 */
static void
wrap_paragraph(ag_arena *a, struct lines *out, HPDF_Font font, HPDF_REAL size,
    const char *s, size_t n, HPDF_REAL maxw)
{
	size_t start = 0, end = 0;	/* current line is s[start, end) */

	while (start < n && s[start] == ' ')
		start++;
	end = start;
	while (end < n) {
		size_t ws = end, we;

		/* next word, with the spaces before it */
		while (ws < n && s[ws] == ' ')
			ws++;
		if (ws == n)
			break;
		we = ws;
		while (we < n && s[we] != ' ')
			we++;
		if (text_width(font, size, s + start, we - start) <= maxw) {
			end = we;
			continue;
		}
		if (end > start) {
			/* the word goes to a new line */
			lines_push(a, out, s + start, end - start);
			start = end = ws;
			continue;
		}
		/* a single word too wide for a line: cut by characters */
		while (end < we) {
			size_t cl = utf8_len((const unsigned char *)s + end);

			if (cl == 0)
				cl = 1;
			if (end > start && text_width(font, size, s + start,
			    end + cl - start) > maxw)
				break;
			end += cl;
		}
		if (end < we) {
			lines_push(a, out, s + start, end - start);
			start = end;
		}
	}
	if (end > start || out->n == 0)
		lines_push(a, out, s + start, end - start);
}

/* Wraps text that may hold newlines (paragraph breaks). */
static struct lines
wrap_text(ag_arena *a, HPDF_Font font, HPDF_REAL size, const char *s,
    HPDF_REAL maxw)
{
	struct lines out = { NULL, 0, 0 };
	const char *nl;

	for (;;) {
		struct lines para = { NULL, 0, 0 };
		size_t n = (nl = strchr(s, '\n')) != NULL ? (size_t)(nl - s) : strlen(s);

		wrap_paragraph(a, &para, font, size, s, n, maxw);
		for (size_t i = 0; i < para.n; i++)
			lines_push(a, &out, para.v[i], strlen(para.v[i]));
		if (nl == NULL)
			break;
		s = nl + 1;
	}
	return out;
}

/* ---- drawing helpers (failures are caught by the error handler) ---- */

static void
fill_color(struct render *r, struct rgb c)
{
	HPDF_Page_SetRGBFill(r->page, c.r, c.g, c.b);
}

static void
text_at(struct render *r, HPDF_Font font, HPDF_REAL size, struct rgb c,
    HPDF_REAL x, HPDF_REAL y, const char *s)
{
	fill_color(r, c);
	HPDF_Page_BeginText(r->page);
	HPDF_Page_SetFontAndSize(r->page, font, size);
	HPDF_Page_TextOut(r->page, x, y, s);
	HPDF_Page_EndText(r->page);
}

static void
text_centered(struct render *r, HPDF_Font font, HPDF_REAL size, struct rgb c,
    HPDF_REAL y, const char *s)
{
	HPDF_REAL w = text_width(font, size, s, strlen(s));

	text_at(r, font, size, c, (r->width - w) / 2, y, s);
}

static void
fill_rect(struct render *r, struct rgb c, HPDF_REAL x, HPDF_REAL y,
    HPDF_REAL w, HPDF_REAL h)
{
	fill_color(r, c);
	HPDF_Page_Rectangle(r->page, x, y, w, h);
	HPDF_Page_Fill(r->page);
}

/* Filled rectangle with corners of radius rad (Bezier quarter circles). */
static void
fill_round_rect(struct render *r, struct rgb c, HPDF_REAL x, HPDF_REAL y,
    HPDF_REAL w, HPDF_REAL h, HPDF_REAL rad)
{
	const HPDF_REAL k = 0.5523f * rad;
	HPDF_Page p = r->page;

	fill_color(r, c);
	HPDF_Page_MoveTo(p, x + rad, y);
	HPDF_Page_LineTo(p, x + w - rad, y);
	HPDF_Page_CurveTo(p, x + w - rad + k, y, x + w, y + rad - k, x + w, y + rad);
	HPDF_Page_LineTo(p, x + w, y + h - rad);
	HPDF_Page_CurveTo(p, x + w, y + h - rad + k, x + w - rad + k, y + h,
	    x + w - rad, y + h);
	HPDF_Page_LineTo(p, x + rad, y + h);
	HPDF_Page_CurveTo(p, x + rad - k, y + h, x, y + h - rad + k, x, y + h - rad);
	HPDF_Page_LineTo(p, x, y + rad);
	HPDF_Page_CurveTo(p, x, y + rad - k, x + rad - k, y, x + rad, y);
	HPDF_Page_ClosePath(p);
	HPDF_Page_Fill(p);
}

static void
hline(struct render *r, struct rgb c, HPDF_REAL width, HPDF_REAL x1,
    HPDF_REAL x2, HPDF_REAL y)
{
	HPDF_Page_SetRGBStroke(r->page, c.r, c.g, c.b);
	HPDF_Page_SetLineWidth(r->page, width);
	HPDF_Page_MoveTo(r->page, x1, y);
	HPDF_Page_LineTo(r->page, x2, y);
	HPDF_Page_Stroke(r->page);
}

/* ---- layout ---- */

static HPDF_REAL
footer_height(const struct render *r)
{
	return r->footer.n > 0 ?
	    MM(4) + (HPDF_REAL)r->footer.n * FOOTER_LEADING : 0;
}

/* Footer rule, small print and page number at the bottom of the page. */
static void
draw_footer(struct render *r)
{
	HPDF_REAL y = PAGE_MARGIN + footer_height(r);
	char num[32];

	if (r->footer.n > 0) {
		hline(r, c_rule, 0.6f, PAGE_MARGIN, r->width - PAGE_MARGIN, y);
		y -= MM(4) + FOOTER_SIZE * 0.2f;
		for (size_t i = 0; i < r->footer.n; i++) {
			text_at(r, r->reg, FOOTER_SIZE, c_muted, PAGE_MARGIN, y,
			    r->footer.v[i]);
			y -= FOOTER_LEADING;
		}
	}
	if (r->pages > 1) {
		snprintf(num, sizeof(num), "%d", r->pages);
		text_at(r, r->reg, FOOTER_SIZE, c_muted,
		    r->width - PAGE_MARGIN - text_width(r->reg, FOOTER_SIZE,
		    num, strlen(num)), PAGE_MARGIN - MM(6), num);
	}
}

/* Starts a page; 0 on success. */
static int
new_page(struct render *r)
{
	r->page = HPDF_AddPage(r->pdf);
	if (r->page == NULL)
		return -1;
	if (HPDF_Page_SetSize(r->page, HPDF_PAGE_SIZE_A4,
	    HPDF_PAGE_PORTRAIT) != HPDF_OK)
		return -1;
	r->width = HPDF_Page_GetWidth(r->page);
	r->height = HPDF_Page_GetHeight(r->page);
	r->pages++;
	r->y = r->height - PAGE_MARGIN;
	r->table_bottom = PAGE_MARGIN + footer_height(r) + MM(4);
	draw_footer(r);
	return 0;
}

/* Header band with title and subtitle, then QR, access number, status. */
static void
draw_head(struct render *r, const char *title, const char *subtitle,
    const char *number, const char *status)
{
	HPDF_REAL top = r->height, y;
	HPDF_REAL textw = r->width - 2 * PAGE_MARGIN;
	struct lines tl = wrap_text(r->a, r->bold, 20, title, textw);

	fill_rect(r, c_brand, 0, top - BAND_HEIGHT, r->width, BAND_HEIGHT);
	fill_rect(r, c_brand_light, 0, top - BAND_HEIGHT - MM(1.2f), r->width,
	    MM(1.2f));
	y = top - MM(14);
	/* titles are short; a second line is all the band has room for */
	if (tl.n > 0)
		text_at(r, r->bold, 20, c_white, PAGE_MARGIN, y, tl.v[0]);
	if (tl.n > 1) {
		y -= 22;
		text_at(r, r->bold, 20, c_white, PAGE_MARGIN, y, tl.v[1]);
	}
	if (subtitle[0] != '\0') {
		struct lines sl = wrap_text(r->a, r->reg, 11, subtitle, textw);

		if (sl.n > 0)
			text_at(r, r->reg, 11, c_brand_light, PAGE_MARGIN,
			    y - 17, sl.v[0]);
	}

	/* QR centred, with a hairline frame */
	y = top - BAND_HEIGHT - MM(10) - QR_SIZE;
	HPDF_Page_DrawImage(r->page, r->qr, (r->width - QR_SIZE) / 2, y,
	    QR_SIZE, QR_SIZE);
	HPDF_Page_SetRGBStroke(r->page, c_rule.r, c_rule.g, c_rule.b);
	HPDF_Page_SetLineWidth(r->page, 0.6f);
	HPDF_Page_Rectangle(r->page, (r->width - QR_SIZE) / 2 - MM(2),
	    y - MM(2), QR_SIZE + MM(4), QR_SIZE + MM(4));
	HPDF_Page_Stroke(r->page);

	y -= MM(9);
	text_centered(r, r->reg, 9, c_muted, y, "NOMOR AKSES");
	y -= MM(10);
	text_centered(r, r->bold, 26, c_text, y, number);

	if (status[0] != '\0') {
		HPDF_REAL w = text_width(r->bold, 10, status, strlen(status));
		HPDF_REAL pw = w + MM(10), ph = MM(7.5f);

		y -= MM(6) + ph;
		fill_round_rect(r, c_brand, (r->width - pw) / 2, y, pw, ph, ph / 2);
		text_at(r, r->bold, 10, c_white, (r->width - w) / 2,
		    y + (ph - 10 * 0.72f) / 2, status);
	}
	r->y = y - MM(9);
}

/* One label/value row of the table; starts a new page if it does not fit. */
static int
draw_row(struct render *r, const char *label, const char *value, int stripe)
{
	HPDF_REAL left = PAGE_MARGIN, right = r->width - PAGE_MARGIN;
	HPDF_REAL vx = left + LABEL_WIDTH;
	struct lines ll = wrap_text(r->a, r->bold, BODY_SIZE, label,
	    LABEL_WIDTH - 2 * CELL_PAD_X);
	struct lines vl = wrap_text(r->a, r->reg, BODY_SIZE, value,
	    right - vx - 2 * CELL_PAD_X);
	size_t n = ll.n > vl.n ? ll.n : vl.n, i;
	HPDF_REAL h = (HPDF_REAL)n * BODY_LEADING + 2 * CELL_PAD_Y, ty;

	if (r->y - h < r->table_bottom) {
		if (new_page(r) != 0)
			return -1;
		hline(r, c_rule, 0.6f, left, right, r->y);
	}
	if (stripe)
		fill_rect(r, c_stripe, left, r->y - h, right - left, h);
	ty = r->y - CELL_PAD_Y - BODY_SIZE * 0.93f;
	for (i = 0; i < ll.n; i++)
		text_at(r, r->bold, BODY_SIZE, c_muted, left + CELL_PAD_X,
		    ty - (HPDF_REAL)i * BODY_LEADING, ll.v[i]);
	for (i = 0; i < vl.n; i++)
		text_at(r, r->reg, BODY_SIZE, c_text, vx + CELL_PAD_X,
		    ty - (HPDF_REAL)i * BODY_LEADING, vl.v[i]);
	r->y -= h;
	hline(r, c_rule, 0.6f, left, right, r->y);
	return 0;
}

/* Copies the saved document out of libharu's memory stream. */
static int
save(struct render *r, unsigned char **out, size_t *len)
{
	HPDF_UINT32 size, got, total = 0;
	unsigned char *buf;

	if (HPDF_SaveToStream(r->pdf) != HPDF_OK)
		return -1;
	size = HPDF_GetStreamSize(r->pdf);
	if (size == 0)
		return -1;
	buf = ag_alloc(r->a, (size_t)size + 1);
	while (total < size) {
		HPDF_STATUS st;

		got = size - total;
		st = HPDF_ReadFromStream(r->pdf, buf + total, &got);
		total += got;
		if (st == HPDF_STREAM_EOF)
			break;
		if (st != HPDF_OK || got == 0)
			return -1;
	}
	if (total != size)
		return -1;
	buf[total] = '\0';
	*out = buf;
	*len = total;
	return 0;
}

static HPDF_Font
load_font(struct render *r, const char *path)
{
	const char *name;

	if (access(path, R_OK) != 0)
		return NULL;
	name = HPDF_LoadTTFontFromFile(r->pdf, path, HPDF_TRUE);
	return name != NULL ? HPDF_GetFont(r->pdf, name, "UTF-8") : NULL;
}

/* Everything between HPDF_New and HPDF_Free; 0 on success. */
static int
render(struct render *r, const ag_pdf_ticket *t, const char *font_dir,
    unsigned char **out, size_t *len, char *err, size_t errlen,
    const struct hpdf_err *he)
{
	const char *reg_path = AG_FONT_PATH, *bold_path = AG_FONT_BOLD_PATH;
	size_t i;

	if (font_dir != NULL) {
		reg_path = ag_sprintf(r->a, "%s/DejaVuSans.ttf", font_dir);
		bold_path = ag_sprintf(r->a, "%s/DejaVuSans-Bold.ttf", font_dir);
	}
	if (HPDF_SetCompressionMode(r->pdf, HPDF_COMP_ALL) != HPDF_OK ||
	    HPDF_UseUTFEncodings(r->pdf) != HPDF_OK ||
	    HPDF_SetCurrentEncoder(r->pdf, "UTF-8") != HPDF_OK) {
		ag_errf(err, errlen, "pdf: cannot set up UTF-8 encoding");
		return -1;
	}
	if ((r->reg = load_font(r, reg_path)) == NULL ||
	    (r->bold = load_font(r, bold_path)) == NULL) {
		ag_errf(err, errlen, "pdf: cannot load font %s",
		    r->reg == NULL ? reg_path : bold_path);
		return -1;
	}
	r->qr = HPDF_LoadPngImageFromMem(r->pdf, t->qr_png, (HPDF_UINT)t->qr_len);
	if (r->qr == NULL) {
		ag_errf(err, errlen, "pdf: QR image is not a usable PNG");
		return -1;
	}
	(void)HPDF_SetInfoAttr(r->pdf, HPDF_INFO_CREATOR, "Autogate");

	if (t->footer != NULL)
		r->footer = wrap_text(r->a, r->reg, FOOTER_SIZE,
		    clean_text(r->a, t->footer, 1),
		    r->width - 2 * PAGE_MARGIN);
	if (new_page(r) != 0) {
		ag_errf(err, errlen, "pdf: cannot add a page");
		return -1;
	}
	draw_head(r, clean_text(r->a, t->title, 0), clean_text(r->a, t->subtitle, 0),
	    clean_text(r->a, t->access_number, 0),
	    clean_text(r->a, t->status_label, 0));
	for (i = 0; i < t->n_fields; i++) {
		const char *v = t->fields[i].value;

		if (draw_row(r, clean_text(r->a, t->fields[i].label, 0),
		    clean_text(r->a, v != NULL && v[0] != '\0' ? v : "-", 1),
		    i % 2 == 0) != 0) {
			ag_errf(err, errlen, "pdf: cannot add a page");
			return -1;
		}
	}
	if (he->count > 0) {
		ag_errf(err, errlen, "pdf: libharu error 0x%04X (detail %u)",
		    (unsigned)he->error, (unsigned)he->detail);
		return -1;
	}
	if (save(r, out, len) != 0 || he->count > 0) {
		ag_errf(err, errlen, "pdf: cannot write the document "
		    "(libharu error 0x%04X)", (unsigned)he->error);
		return -1;
	}
	return 0;
}

int
ag_pdf_ticket_render(ag_arena *a, const ag_pdf_ticket *t, const char *font_dir,
    unsigned char **out, size_t *len, char *err, size_t errlen)
{
	struct hpdf_err he = { 0, 0, 0 };
	struct render r;
	int rc;

	*out = NULL;
	*len = 0;
	if (errlen > 0)
		err[0] = '\0';
	if (t == NULL || t->qr_png == NULL || t->qr_len == 0 ||
	    (t->fields == NULL && t->n_fields > 0)) {
		ag_errf(err, errlen, "pdf: incomplete ticket");
		return -1;
	}
	memset(&r, 0, sizeof(r));
	r.a = a;
	/* A4 portrait, known before the first page for the footer wrap */
	r.width = 595.276f;
	r.height = 841.89f;
	r.pdf = HPDF_New(on_hpdf_error, &he);
	if (r.pdf == NULL) {
		ag_errf(err, errlen, "pdf: HPDF_New failed");
		return -1;
	}
	rc = render(&r, t, font_dir, out, len, err, errlen, &he);
	HPDF_Free(r.pdf);
	if (rc != 0) {
		*out = NULL;
		*len = 0;
	}
	return rc;
}
