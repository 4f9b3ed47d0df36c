/*
 * multipart.h - streaming multipart/form-data parser (RFC 7578).
 *
 * The body is pulled through a read callback, so the same code reads a
 * FastCGI input stream in production and memory in tests.  Memory use is
 * one fixed buffer per call regardless of the body size; file parts are
 * streamed to temporary files by ag_multipart_collect().
 */
#ifndef AG_MULTIPART_H
#define AG_MULTIPART_H

#include <stddef.h>

#include "arena.h"
#include "urlenc.h"

/* Limits that do not depend on the route. */
#define AG_MP_MAX_PARTS 100       /* parts per body */
#define AG_MP_MAX_HEADER 8192     /* header bytes per part */
#define AG_MP_MAX_BOUNDARY 70     /* RFC 2046 */

/* Reads up to n bytes: returns > 0 bytes read, 0 at EOF, < 0 on error. */
typedef long (*ag_read_fn)(void *ctx, char *buf, size_t n);

enum ag_mp_status {
	AG_MP_OK = 0,
	AG_MP_MALFORMED,   /* bad Content-Type, syntax, truncated body */
	AG_MP_TOO_LARGE,   /* a size or count limit was exceeded */
	AG_MP_IO,          /* read error, or writing a temporary file failed */
	AG_MP_ABORTED      /* a callback returned -1 */
};

typedef struct ag_mp_callbacks {
	/* Start of a part; filename is NULL for plain fields, else only
	 * its basename without control characters; content_type may be
	 * NULL.  Return 0, or -1 to abort. */
	int (*part_begin)(void *ud, const char *name, const char *filename,
	    const char *content_type);
	/* Some bytes of the part's body (any chunking).  0 or -1. */
	int (*part_data)(void *ud, const char *data, size_t len);
	/* End of the part.  0 or -1. */
	int (*part_end)(void *ud);
} ag_mp_callbacks;

/*
 * Parses a multipart/form-data body read from rd.  content_type is the
 * whole Content-Type header; its boundary parameter (quoted or not,
 * 1..70 characters) is required.  At most max_total bytes are read (a
 * longer body gives AG_MP_TOO_LARGE); a part's headers are limited to
 * AG_MP_MAX_HEADER bytes and a body to AG_MP_MAX_PARTS parts (both
 * AG_MP_TOO_LARGE).  Reading stops after the close delimiter, so the
 * epilogue is not read.  Any callback may be NULL.
 */
enum ag_mp_status ag_multipart_parse(ag_arena *a, const char *content_type,
    ag_read_fn rd, void *rdctx, size_t max_total, const ag_mp_callbacks *cb,
    void *ud);

/* A file part spooled to disk. */
typedef struct ag_upload {
	const char *field;         /* form field name */
	const char *filename;      /* client's name: basename, sanitised */
	const char *content_type;  /* as claimed by the client, or NULL */
	const char *path;          /* temporary file */
	size_t size;
} ag_upload;

typedef struct ag_uploads {
	ag_upload *items;
	size_t n;
} ag_uploads;

/*
 * Parses like ag_multipart_parse() and collects the result: plain fields
 * into fields (each value at most field_max bytes, else AG_MP_TOO_LARGE;
 * names and values must be UTF-8 without NUL, else AG_MP_MALFORMED) and
 * file parts into new files made with mkstemp() in tmpdir ("/tmp" if
 * NULL), each at most file_max bytes (else AG_MP_TOO_LARGE).  The files
 * are unlinked when the arena is reset, so a caller that keeps one must
 * rename it away first.  A file part with an empty filename and no data
 * (a browser's "no file chosen") is skipped.  On failure both lists are
 * left empty.
 */
enum ag_mp_status ag_multipart_collect(ag_arena *a, const char *content_type,
    ag_read_fn rd, void *rdctx, size_t max_total, size_t field_max,
    size_t file_max, const char *tmpdir, ag_kvlist *fields,
    ag_uploads *files);

#endif
