/*
 * qr.h - QR codes as PNG images (libqrencode + libpng).
 */
#ifndef AG_QR_H
#define AG_QR_H

#include <stddef.h>

#include "arena.h"

/*
 * Encodes text (8-bit mode, error correction level M) and writes an
 * 8-bit grayscale PNG into the arena: `scale` pixels per module (1..64)
 * and a quiet zone of `margin` modules (4..64; scanners need at least 4).
 * Returns 0 with *png and *len set, or -1 if the arguments are out of
 * range, the image would exceed 4096 pixels a side, the text is empty or
 * too long for a QR code, or encoding fails.
 */
int ag_qr_png(ag_arena *a, const char *text, int scale, int margin,
    unsigned char **png, size_t *len);

#endif
