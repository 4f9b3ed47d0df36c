/*
 * sys.c - small POSIX I/O and error-buffer helpers; see sys.h.
 */
#include "sys.h"

#include <stdlib.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

int
ag_write_all(int fd, const void *p, size_t len)
{
	const char *s = p;

	while (len > 0) {
		ssize_t w = write(fd, s, len);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		s += w;
		len -= (size_t)w;
	}
	return 0;
}

void
ag_errf(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

int
ag_read_fd(ag_arena *a, int fd, size_t max, char **data, size_t *len)
{
	struct stat st;
	size_t size, got = 0;
	char *buf;

	if (fstat(fd, &st) != 0)
		return -1;
	if (!S_ISREG(st.st_mode) || st.st_size < 0 ||
	    (uintmax_t)st.st_size > max || (uintmax_t)st.st_size >= SIZE_MAX)
		return -2;
	size = (size_t)st.st_size;
	buf = ag_alloc(a, size + 1);
	/* a file that shrank since fstat is read up to its end */
	while (got < size) {
		ssize_t r = read(fd, buf + got, size - got);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (r == 0)
			break;
		got += (size_t)r;
	}
	buf[got] = '\0';
	*data = buf;
	*len = got;
	return 0;
}

int
ag_read_file(ag_arena *a, const char *path, size_t max, char **data,
    size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int rc, saved;

	if (fd < 0)
		return -1;
	rc = ag_read_fd(a, fd, max, data, len);
	saved = errno;
	close(fd);
	errno = saved;
	return rc;
}

const char *
ag_tmpdir(void)
{
	const char *t = getenv("TMPDIR");

	return t != NULL && t[0] == '/' ? t : "/tmp";
}
