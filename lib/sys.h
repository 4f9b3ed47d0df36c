/*
 * sys.h - small POSIX I/O and error-buffer helpers shared by the modules.
 */
#ifndef AG_SYS_H
#define AG_SYS_H

#include <stddef.h>

#include "arena.h"

/* Writes all len bytes, retrying on EINTR; 0, or -1 with errno set. */
int ag_write_all(int fd, const void *p, size_t len);

/* snprintf into a caller's error buffer; a no-op if err is NULL or
 * errlen is 0.  Long messages are truncated. */
void ag_errf(char *err, size_t errlen, const char *fmt, ...) AG_PRINTF(3, 4);

/*
 * Reads the whole regular file open on fd (at most max bytes) into the
 * arena, NUL-terminated; fd is not closed.  0 ok; -1 cannot stat/read
 * (errno kept); -2 larger than max or not a regular file.
 */
int ag_read_fd(ag_arena *a, int fd, size_t max, char **data, size_t *len);

/* ag_read_fd() on path; -1 also when path cannot be opened. */
int ag_read_file(ag_arena *a, const char *path, size_t max, char **data,
    size_t *len);

/* The directory for temporary files: $TMPDIR when set, else /tmp. */
const char *ag_tmpdir(void);

#endif
