/*
 * storage.h - object storage for uploads, QR images and generated PDFs.
 *
 * One interface with a table of operations behind it: local disk now,
 * an S3-compatible backend later.  Objects are named by keys such as
 * "tickets/2024/05/<uuid>.png"; every key is validated before anything
 * touches the backend, so a key can never escape the storage root.
 */
#ifndef AG_STORAGE_H
#define AG_STORAGE_H

#include <stddef.h>

#include "arena.h"

typedef struct ag_storage ag_storage;

/* Opens a local-disk store under root, creating root and root/.tmp
 * (mode 0750) if needed.  NULL with a message in err on failure. */
ag_storage *ag_storage_local_open(const char *root, char *err, size_t errlen);
/* Releases the store (NULL is allowed). */
void ag_storage_close(ag_storage *s);

/* 1 if key matches [a-z0-9][a-z0-9._/-]*, is at most 200 characters,
 * and has no "..", no "//", no trailing '/' and no path component
 * starting with '.'; else 0. */
int ag_storage_key_valid(const char *key);
/* A new unique key "<prefix>/<yyyy>/<mm>/<uuid><ext>" (UTC date; ext
 * like ".png", may be "").  NULL if the result would not be valid. */
char *ag_storage_new_key(ag_arena *a, const char *prefix, const char *ext);

/* Stores data under key atomically (temporary file, fsync, rename),
 * creating directories as needed.  0 on success, -1 on error. */
int ag_storage_put(ag_storage *s, const char *key, const void *data, size_t len);
/* Moves the file tmp_path (e.g. a spooled upload) to key: a rename, or
 * copy and unlink across filesystems.  0 on success, -1 on error. */
int ag_storage_put_file(ag_storage *s, const char *key, const char *tmp_path);
/* Reads the whole object (at most max bytes) into the arena; the data is
 * NUL-terminated for convenience.  0 on success, -1 not found (or
 * invalid key), -2 too large or I/O error. */
int ag_storage_get(ag_storage *s, ag_arena *a, const char *key, size_t max,
    unsigned char **data, size_t *len);
/* 1 if an object exists under key, else 0. */
int ag_storage_exists(ag_storage *s, const char *key);
/* Removes the object.  0 on success, -1 not found, -2 other error. */
int ag_storage_delete(ag_storage *s, const char *key);
/* Directory where multipart uploads are spooled so that put_file can
 * rename them (same filesystem as the store). */
const char *ag_storage_tmpdir(ag_storage *s);

/* MIME type sniffed from content with libmagic, e.g. "image/png" or
 * "application/pdf"; "application/octet-stream" if unknown.  Never
 * trust the client's Content-Type for stored files. */
const char *ag_sniff_mime(ag_arena *a, const void *data, size_t len);
/* The same for a file on disk. */
const char *ag_sniff_mime_file(ag_arena *a, const char *path);

#endif
