/*
 * storage.c - object storage behind an operations table, with the local
 * disk backend, and MIME sniffing with libmagic; see storage.h.
 *
 * The local backend keeps a descriptor of the root directory and does
 * all object I/O relative to it (openat, renameat, ...), with keys that
 * ag_storage_key_valid() has accepted, so nothing outside the root is
 * reachable through a key.
 */
#include "storage.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <magic.h>

#include "crypto.h"
#include "sys.h"

#define AG_KEY_MAX 200
#define AG_DIR_MODE 0750
#define AG_FILE_MODE 0640

struct storage_ops {
	int (*put)(ag_storage *, const char *, const void *, size_t);
	int (*put_file)(ag_storage *, const char *, const char *);
	int (*get)(ag_storage *, ag_arena *, const char *, size_t,
	    unsigned char **, size_t *);
	int (*exists)(ag_storage *, const char *);
	int (*del)(ag_storage *, const char *);
	const char *(*tmpdir)(ag_storage *);
	void (*close)(ag_storage *);
};

struct ag_storage {
	const struct storage_ops *ops;
	void *impl;
};

/* ---- keys ---- */

int
ag_storage_key_valid(const char *key)
{
	size_t i, n;

	if (key == NULL)
		return 0;
	n = strlen(key);
	if (n == 0 || n > AG_KEY_MAX || key[n - 1] == '/')
		return 0;
	if (!((key[0] >= 'a' && key[0] <= 'z') || (key[0] >= '0' && key[0] <= '9')))
		return 0;
	for (i = 0; i < n; i++) {
		char c = key[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '.' || c == '_' || c == '/' || c == '-'))
			return 0;
		if (c == '.' && key[i + 1] == '.')
			return 0;
		/* no "//" and no hidden component such as "x/.tmp" */
		if (c == '/' && (key[i + 1] == '/' || key[i + 1] == '.'))
			return 0;
	}
	return 1;
}

char *
ag_storage_new_key(ag_arena *a, const char *prefix, const char *ext)
{
	time_t now = time(NULL);
	struct tm tm;
	char *key;

	if (prefix == NULL || gmtime_r(&now, &tm) == NULL)
		return NULL;
	key = ag_sprintf(a, "%s/%04d/%02d/%s%s", prefix, tm.tm_year + 1900,
	    tm.tm_mon + 1, ag_uuid_v4(a), ext != NULL ? ext : "");
	return ag_storage_key_valid(key) ? key : NULL;
}

/* ---- generic entry points ---- */

void
ag_storage_close(ag_storage *s)
{
	if (s != NULL)
		s->ops->close(s);
}

int
ag_storage_put(ag_storage *s, const char *key, const void *data, size_t len)
{
	if (!ag_storage_key_valid(key) || (data == NULL && len > 0))
		return -1;
	return s->ops->put(s, key, data, len);
}

int
ag_storage_put_file(ag_storage *s, const char *key, const char *tmp_path)
{
	if (!ag_storage_key_valid(key) || tmp_path == NULL)
		return -1;
	return s->ops->put_file(s, key, tmp_path);
}

int
ag_storage_get(ag_storage *s, ag_arena *a, const char *key, size_t max,
    unsigned char **data, size_t *len)
{
	*data = NULL;
	*len = 0;
	if (!ag_storage_key_valid(key))
		return -1;
	return s->ops->get(s, a, key, max, data, len);
}

int
ag_storage_exists(ag_storage *s, const char *key)
{
	if (!ag_storage_key_valid(key))
		return 0;
	return s->ops->exists(s, key);
}

int
ag_storage_delete(ag_storage *s, const char *key)
{
	if (!ag_storage_key_valid(key))
		return -1;
	return s->ops->del(s, key);
}

const char *
ag_storage_tmpdir(ag_storage *s)
{
	return s->ops->tmpdir(s);
}

/* ---- local disk backend ---- */

struct local {
	char *root;
	char *tmpdir;
	int rootfd;
};

static struct local *
local_of(ag_storage *s)
{
	return s->impl;
}

/* Creates the directories leading to key (not key itself). */
static int
make_parents(int rootfd, const char *key)
{
	char path[AG_KEY_MAX + 1];
	char *slash;

	snprintf(path, sizeof(path), "%s", key);
	for (slash = strchr(path, '/'); slash != NULL;
	    slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		if (mkdirat(rootfd, path, AG_DIR_MODE) != 0 && errno != EEXIST)
			return -1;
		*slash = '/';
	}
	return 0;
}

/* fsyncs the directory holding key so that a rename is durable. */
static void
sync_parent(int rootfd, const char *key)
{
	char path[AG_KEY_MAX + 1];
	char *slash;
	int fd;

	snprintf(path, sizeof(path), "%s", key);
	slash = strrchr(path, '/');
	if (slash != NULL)
		*slash = '\0';
	fd = slash != NULL ?
	    openat(rootfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC) :
	    dup(rootfd);
	if (fd >= 0) {
		(void)fsync(fd);
		close(fd);
	}
}

/* Creates a temporary file in the spool directory; path receives its name. */
static int
make_temp(struct local *l, char *path, size_t pathlen)
{
	int fd, n = snprintf(path, pathlen, "%s/put-XXXXXX", l->tmpdir);

	if (n < 0 || (size_t)n >= pathlen)
		return -1;
	fd = mkostemp(path, O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (fchmod(fd, AG_FILE_MODE) != 0) {
		close(fd);
		unlink(path);
		return -1;
	}
	return fd;
}

/* Finishes a temporary file: fsync, close, rename into place. */
static int
commit_temp(struct local *l, int fd, const char *tmp, const char *key)
{
	int ok = fsync(fd) == 0;

	ok = close(fd) == 0 && ok;
	ok = ok && make_parents(l->rootfd, key) == 0;
	ok = ok && renameat(AT_FDCWD, tmp, l->rootfd, key) == 0;
	if (!ok) {
		unlink(tmp);
		return -1;
	}
	sync_parent(l->rootfd, key);
	return 0;
}

static int
local_put(ag_storage *s, const char *key, const void *data, size_t len)
{
	struct local *l = local_of(s);
	char tmp[PATH_MAX];
	int fd = make_temp(l, tmp, sizeof(tmp));

	if (fd < 0)
		return -1;
	if (ag_write_all(fd, data, len) != 0) {
		close(fd);
		unlink(tmp);
		return -1;
	}
	return commit_temp(l, fd, tmp, key);
}

/* Copies src into a new temporary file and commits it under key. */
static int
copy_in(struct local *l, const char *key, const char *src)
{
	char tmp[PATH_MAX], buf[65536];
	int in, out;
	ssize_t r;

	in = open(src, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return -1;
	out = make_temp(l, tmp, sizeof(tmp));
	if (out < 0) {
		close(in);
		return -1;
	}
	for (;;) {
		r = read(in, buf, sizeof(buf));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0 || ag_write_all(out, buf, (size_t)r) != 0)
			break;
	}
	close(in);
	if (r != 0) {
		close(out);
		unlink(tmp);
		return -1;
	}
	return commit_temp(l, out, tmp, key);
}

static int
local_put_file(ag_storage *s, const char *key, const char *tmp_path)
{
	struct local *l = local_of(s);

	/* spooled uploads are usually 0600; give them the store's mode */
	if (chmod(tmp_path, AG_FILE_MODE) != 0 ||
	    make_parents(l->rootfd, key) != 0)
		return -1;
	if (renameat(AT_FDCWD, tmp_path, l->rootfd, key) == 0) {
		sync_parent(l->rootfd, key);
		return 0;
	}
	if (errno != EXDEV)
		return -1;
	if (copy_in(l, key, tmp_path) != 0)
		return -1;
	unlink(tmp_path);
	return 0;
}

static int
local_get(ag_storage *s, ag_arena *a, const char *key, size_t max,
    unsigned char **data, size_t *len)
{
	struct local *l = local_of(s);
	struct stat st;
	char *buf;
	int fd, rc;

	fd = openat(l->rootfd, key, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT || errno == ENOTDIR || errno == ELOOP ?
		    -1 : -2;
	/* not a regular file counts as missing, not as an I/O error */
	if (fstat(fd, &st) == 0 && !S_ISREG(st.st_mode)) {
		close(fd);
		return -1;
	}
	rc = ag_read_fd(a, fd, max, &buf, len);
	close(fd);
	if (rc != 0)
		return -2;
	*data = (unsigned char *)buf;
	return 0;
}

static int
local_exists(ag_storage *s, const char *key)
{
	struct stat st;

	return fstatat(local_of(s)->rootfd, key, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	    S_ISREG(st.st_mode);
}

static int
local_delete(ag_storage *s, const char *key)
{
	if (unlinkat(local_of(s)->rootfd, key, 0) == 0)
		return 0;
	return errno == ENOENT || errno == ENOTDIR ? -1 : -2;
}

static const char *
local_tmpdir(ag_storage *s)
{
	return local_of(s)->tmpdir;
}

static void
local_close(ag_storage *s)
{
	struct local *l = local_of(s);

	close(l->rootfd);
	free(l->root);
	free(l->tmpdir);
	free(l);
	free(s);
}

static const struct storage_ops local_ops = {
	.put = local_put,
	.put_file = local_put_file,
	.get = local_get,
	.exists = local_exists,
	.del = local_delete,
	.tmpdir = local_tmpdir,
	.close = local_close,
};

/* mkdir -p with mode for every directory it creates. */
static int
mkdir_p(const char *dir)
{
	char *path = ag_xstrdup(dir), *p;
	int rc = 0;

	for (p = path + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, AG_DIR_MODE) != 0 && errno != EEXIST)
			rc = -1;
		*p = '/';
		if (rc != 0)
			break;
	}
	if (rc == 0 && mkdir(path, AG_DIR_MODE) != 0 && errno != EEXIST)
		rc = -1;
	free(path);
	return rc;
}

ag_storage *
ag_storage_local_open(const char *root, char *err, size_t errlen)
{
	struct local *l;
	ag_storage *s;
	int fd;

	if (root == NULL || root[0] == '\0') {
		ag_errf(err, errlen, "storage root is empty");
		return NULL;
	}
	if (mkdir_p(root) != 0) {
		ag_errf(err, errlen, "cannot create %s: %s", root, strerror(errno));
		return NULL;
	}
	fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		ag_errf(err, errlen, "cannot open %s: %s", root, strerror(errno));
		return NULL;
	}
	if (mkdirat(fd, ".tmp", AG_DIR_MODE) != 0 && errno != EEXIST) {
		ag_errf(err, errlen, "cannot create %s/.tmp: %s", root,
		    strerror(errno));
		close(fd);
		return NULL;
	}
	l = ag_xcalloc(1, sizeof(*l));
	l->root = ag_xstrdup(root);
	l->tmpdir = ag_xmalloc(strlen(root) + sizeof("/.tmp"));
	strcpy(l->tmpdir, root);
	strcat(l->tmpdir, "/.tmp");
	l->rootfd = fd;
	s = ag_xcalloc(1, sizeof(*s));
	s->ops = &local_ops;
	s->impl = l;
	return s;
}

/* ---- MIME sniffing ---- */

/* The process-wide libmagic handle, opened on first use; NULL if the
 * database cannot be loaded (everything is then octet-stream). */
static magic_t
magic_handle(void)
{
	static magic_t cookie;
	static int tried;

	if (!tried) {
		tried = 1;
		cookie = magic_open(MAGIC_MIME_TYPE | MAGIC_ERROR);
		if (cookie != NULL && magic_load(cookie, NULL) != 0) {
			fprintf(stderr, "autogate: magic_load: %s\n",
			    magic_error(cookie));
			magic_close(cookie);
			cookie = NULL;
		}
	}
	return cookie;
}

/* Copies libmagic's answer if it is a plain "type/subtype", since on
 * some errors it returns a message instead. */
static const char *
mime_or_default(ag_arena *a, const char *m)
{
	const char *p;
	int slashes = 0;

	if (m == NULL || m[0] == '\0')
		return "application/octet-stream";
	for (p = m; *p != '\0'; p++) {
		if (*p == '/')
			slashes++;
		else if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("+-.", *p) != NULL))
			return "application/octet-stream";
	}
	return slashes == 1 ? ag_strdup(a, m) : "application/octet-stream";
}

const char *
ag_sniff_mime(ag_arena *a, const void *data, size_t len)
{
	magic_t m = magic_handle();

	return mime_or_default(a, m != NULL ? magic_buffer(m, data, len) : NULL);
}

const char *
ag_sniff_mime_file(ag_arena *a, const char *path)
{
	magic_t m = magic_handle();

	return mime_or_default(a, m != NULL ? magic_file(m, path) : NULL);
}
