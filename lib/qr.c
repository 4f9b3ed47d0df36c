/*
 * qr.c - QR code to PNG; see qr.h.
 *
 * The symbol is rendered into an arena pixel buffer first and the
 * libqrencode object freed, so the PNG stage owns nothing but the libpng
 * structures; those are destroyed on both the normal and the longjmp
 * path.
 */
#include "qr.h"

#include <setjmp.h>
#include <string.h>

#include <png.h>
#include <qrencode.h>

#define AG_QR_MAX_SCALE 64
#define AG_QR_MAX_MARGIN 64
#define AG_QR_MAX_PIXELS 4096	/* per side; bounds the arena buffer */

/* libpng write callback: append to the ag_buf behind the io pointer. */
static void
png_to_buf(png_structp png, png_bytep data, png_size_t len)
{
	ag_buf_append(png_get_io_ptr(png), data, len);
}

static void
png_flush_nop(png_structp png)
{
	(void)png;
}

static void
png_warning_quiet(png_structp png, png_const_charp msg)
{
	(void)png;
	(void)msg;
}

/* Encodes size x size 8-bit gray rows into b.  0 on success. */
static int
write_png(ag_buf *b, png_bytep *rows, png_uint_32 size)
{
	png_structp png;
	png_infop info;

	png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL,
	    png_warning_quiet);
	if (png == NULL)
		return -1;
	info = png_create_info_struct(png);
	if (info == NULL) {
		png_destroy_write_struct(&png, NULL);
		return -1;
	}
	/* png and info are not modified after this point, so they are
	 * valid after a longjmp without being volatile */
	if (setjmp(png_jmpbuf(png))) {
		png_destroy_write_struct(&png, &info);
		return -1;
	}
	png_set_write_fn(png, b, png_to_buf, png_flush_nop);
	png_set_IHDR(png, info, size, size, 8, PNG_COLOR_TYPE_GRAY,
	    PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
	    PNG_FILTER_TYPE_DEFAULT);
	png_set_compression_level(png, 9);
	png_write_info(png, info);
	png_write_image(png, rows);
	png_write_end(png, NULL);
	png_destroy_write_struct(&png, &info);
	return 0;
}

int
ag_qr_png(ag_arena *a, const char *text, int scale, int margin,
    unsigned char **png, size_t *len)
{
	QRcode *qr;
	png_bytep *rows, pixels;
	size_t width, size, x, y;
	ag_buf b;

	*png = NULL;
	*len = 0;
	if (text == NULL || text[0] == '\0' || scale < 1 ||
	    scale > AG_QR_MAX_SCALE || margin < 4 || margin > AG_QR_MAX_MARGIN)
		return -1;
	qr = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (qr == NULL)
		return -1;
	width = (size_t)qr->width;
	size = (width + 2 * (size_t)margin) * (size_t)scale;
	if (size > AG_QR_MAX_PIXELS) {
		QRcode_free(qr);
		return -1;
	}
	pixels = ag_alloc(a, ag_mul(size, size));
	memset(pixels, 0xff, size * size);
	for (y = 0; y < width; y++) {
		for (x = 0; x < width; x++) {
			/* bit 0 of each module byte: 1 = dark */
			if (!(qr->data[y * width + x] & 1))
				continue;
			for (size_t dy = 0; dy < (size_t)scale; dy++) {
				size_t row = (y + (size_t)margin) * (size_t)scale + dy;
				size_t col = (x + (size_t)margin) * (size_t)scale;

				memset(pixels + row * size + col, 0, (size_t)scale);
			}
		}
	}
	QRcode_free(qr);

	rows = ag_alloc(a, ag_mul(size, sizeof(*rows)));
	for (y = 0; y < size; y++)
		rows[y] = pixels + y * size;
	ag_buf_init(&b, a);
	if (write_png(&b, rows, (png_uint_32)size) != 0)
		return -1;
	*png = (unsigned char *)b.data;
	*len = b.len;
	return 0;
}
