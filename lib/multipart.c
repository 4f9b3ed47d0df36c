/*
 * multipart.c - streaming multipart/form-data parser; see multipart.h.
 *
 * The body is scanned in one fixed buffer.  The parser looks for the
 * delimiter CRLF "--" boundary; a virtual CRLF placed before the first
 * byte lets the first boundary line match the same way as the others.
 * While scanning a part's body, the last (delimiter length - 1) bytes are
 * held back, so a delimiter split across two reads is still found.
 */
#include "multipart.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "sys.h"

/* Must hold a whole header line (AG_MP_MAX_HEADER) plus a delimiter. */
#define MP_BUFSZ 16384
/* Transport padding allowed after a boundary (RFC 2046 LWSP). */
#define MP_MAX_PAD 64
/* Longest filename handed on, in bytes. */
#define MP_MAX_FILENAME 255

struct mp {
	ag_arena *a;
	ag_read_fn rd;
	void *rdctx;
	size_t max_total;
	size_t total;
	char *buf;
	size_t start;   /* unconsumed bytes are buf[start..end) */
	size_t end;
	int eof;
	char delim[4 + AG_MP_MAX_BOUNDARY];
	size_t dlen;
	const ag_mp_callbacks *cb;
	void *ud;
};

/* The headers of one part, as far as form-data cares. */
struct part {
	int have_cd;
	char *name;
	char *filename;
	char *ctype;
};

static int
is_ows(char c)
{
	return c == ' ' || c == '\t';
}

/* RFC 9110 tchar. */
static int
is_tchar(unsigned char c)
{
	if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9'))
		return 1;
	return c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

/* RFC 2046 bchars (space allowed, but not as the last character). */
static int
is_bchar(unsigned char c)
{
	if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9'))
		return 1;
	return c != '\0' && strchr("'()+_,-./:=? ", c) != NULL;
}

static const char *
skip_ows(const char *p, const char *end)
{
	while (p < end && is_ows(*p))
		p++;
	return p;
}

/*
 * Reads the next "; name=value" parameter of a header value from *pp.
 * The value is a token or a quoted string in which a backslash escapes
 * only '"' and '\' (old browsers send Windows paths with bare
 * backslashes).  Returns 1 and advances *pp, 0 at the end, -1 if
 * malformed.
 */
static int
next_param(ag_arena *a, const char **pp, const char *end, char **name,
    char **value)
{
	const char *p = skip_ows(*pp, end), *n0;
	ag_buf v;

	if (p == end)
		return 0;
	if (*p != ';')
		return -1;
	p = skip_ows(p + 1, end);
	if (p == end) {         /* tolerate a trailing ';' */
		*pp = p;
		return 0;
	}
	for (n0 = p; p < end && is_tchar((unsigned char)*p); p++)
		;
	if (p == n0 || p == end || *p != '=')
		return -1;
	*name = ag_strndup(a, n0, (size_t)(p - n0));
	p++;
	ag_buf_init(&v, a);
	if (p < end && *p == '"') {
		for (p++;; p++) {
			if (p == end)
				return -1;
			if (*p == '"')
				break;
			if (*p == '\\' && end - p >= 2 &&
			    (p[1] == '"' || p[1] == '\\'))
				p++;
			ag_buf_putc(&v, *p);
		}
		p++;
	} else {
		const char *v0 = p;

		while (p < end && is_tchar((unsigned char)*p))
			p++;
		if (p == v0)
			return -1;
		ag_buf_append(&v, v0, (size_t)(p - v0));
	}
	*value = v.data;
	*pp = p;
	return 1;
}

/* Extracts and checks the boundary of a multipart/form-data type. */
static enum ag_mp_status
get_boundary(struct mp *m, const char *content_type)
{
	static const char type[] = "multipart/form-data";
	const char *p, *end, *t0;
	char *name, *value, *boundary = NULL;
	size_t i, blen;
	int r;

	if (content_type == NULL)
		return AG_MP_MALFORMED;
	end = content_type + strlen(content_type);
	t0 = skip_ows(content_type, end);
	for (p = t0; p < end && *p != ';' && !is_ows(*p); p++)
		;
	if ((size_t)(p - t0) != sizeof(type) - 1 ||
	    strncasecmp(t0, type, sizeof(type) - 1) != 0)
		return AG_MP_MALFORMED;
	while ((r = next_param(m->a, &p, end, &name, &value)) == 1) {
		if (strcasecmp(name, "boundary") == 0) {
			if (boundary != NULL)
				return AG_MP_MALFORMED;
			boundary = value;
		}
	}
	if (r < 0 || boundary == NULL)
		return AG_MP_MALFORMED;
	blen = strlen(boundary);
	if (blen == 0 || blen > AG_MP_MAX_BOUNDARY || boundary[blen - 1] == ' ')
		return AG_MP_MALFORMED;
	for (i = 0; i < blen; i++)
		if (!is_bchar((unsigned char)boundary[i]))
			return AG_MP_MALFORMED;
	memcpy(m->delim, "\r\n--", 4);
	memcpy(m->delim + 4, boundary, blen);
	m->dlen = 4 + blen;
	return AG_MP_OK;
}

/*
 * Reads more input after the unconsumed bytes.  Never asks for more than
 * one byte past max_total, so an oversized body is detected without
 * reading it.  Sets m->eof at the end of input.  The buffer is compacted
 * only when full or half consumed, which keeps tiny reads linear.
 */
static enum ag_mp_status
fill(struct mp *m)
{
	size_t room, left;
	long r;

	if (m->start > 0 && (m->end == MP_BUFSZ || m->start >= MP_BUFSZ / 2)) {
		memmove(m->buf, m->buf + m->start, m->end - m->start);
		m->end -= m->start;
		m->start = 0;
	}
	room = MP_BUFSZ - m->end;
	if (room == 0)
		return AG_MP_MALFORMED;
	left = m->max_total - m->total;
	if (room > left)
		room = left + 1;
	r = m->rd(m->rdctx, m->buf + m->end, room);
	if (r < 0 || (size_t)r > room)
		return AG_MP_IO;
	if (r == 0) {
		m->eof = 1;
		return AG_MP_OK;
	}
	m->total += (size_t)r;
	if (m->total > m->max_total)
		return AG_MP_TOO_LARGE;
	m->end += (size_t)r;
	return AG_MP_OK;
}

/* Like fill(), for places where the end of input means a truncated body. */
static enum ag_mp_status
more(struct mp *m)
{
	enum ag_mp_status st;

	if (m->eof)
		return AG_MP_MALFORMED;
	st = fill(m);
	if (st == AG_MP_OK && m->eof)
		return AG_MP_MALFORMED;
	return st;
}

/* Makes at least n unconsumed bytes available. */
static enum ag_mp_status
need(struct mp *m, size_t n)
{
	enum ag_mp_status st;

	while (m->end - m->start < n)
		if ((st = more(m)) != AG_MP_OK)
			return st;
	return AG_MP_OK;
}

/* Discards the preamble up to and including the first delimiter. */
static enum ag_mp_status
skip_preamble(struct mp *m)
{
	enum ag_mp_status st;

	for (;;) {
		size_t avail = m->end - m->start;
		char *p = memmem(m->buf + m->start, avail, m->delim, m->dlen);

		if (p != NULL) {
			m->start = (size_t)(p - m->buf) + m->dlen;
			return AG_MP_OK;
		}
		if (avail >= m->dlen)
			m->start = m->end - (m->dlen - 1);
		if ((st = more(m)) != AG_MP_OK)
			return st;
	}
}

/*
 * After a delimiter: "--" closes the body (*done = 1), otherwise optional
 * padding and CRLF start the next part.
 */
static enum ag_mp_status
after_delimiter(struct mp *m, int *done)
{
	enum ag_mp_status st;
	size_t pad = 0;

	*done = 0;
	if ((st = need(m, 2)) != AG_MP_OK)
		return st;
	if (m->buf[m->start] == '-' && m->buf[m->start + 1] == '-') {
		*done = 1;
		return AG_MP_OK;
	}
	while (is_ows(m->buf[m->start])) {
		if (++pad > MP_MAX_PAD)
			return AG_MP_MALFORMED;
		m->start++;
		if ((st = need(m, 2)) != AG_MP_OK)
			return st;
	}
	if (m->buf[m->start] != '\r' || m->buf[m->start + 1] != '\n')
		return AG_MP_MALFORMED;
	m->start += 2;
	return AG_MP_OK;
}

/*
 * Reduces a client filename to something safe to show and store: the
 * last path component (either separator), without control characters,
 * non-UTF-8 bytes replaced by '_', at most MP_MAX_FILENAME bytes, and
 * never "." or "..".
 */
static char *
clean_filename(ag_arena *a, const char *raw)
{
	const char *base = raw, *p;
	size_t n = 0, cut;
	char *d;

	for (p = raw; *p != '\0'; p++)
		if (*p == '/' || *p == '\\')
			base = p + 1;
	d = ag_alloc(a, strlen(base) + 1);
	for (p = base; *p != '\0'; p++)
		if ((unsigned char)*p >= 0x20 && *p != 0x7f)
			d[n++] = *p;
	d[n] = '\0';
	if (!ag_utf8_valid(d, n)) {
		for (p = d; *p != '\0'; p++)
			if ((unsigned char)*p >= 0x80)
				d[p - d] = '_';
	}
	if (n > MP_MAX_FILENAME) {
		cut = MP_MAX_FILENAME;
		while (cut > 0 && ((unsigned char)d[cut] & 0xc0) == 0x80)
			cut--;
		d[cut] = '\0';
	}
	if (strcmp(d, ".") == 0 || strcmp(d, "..") == 0)
		d[0] = '\0';
	return d;
}

/* Keeps printable ASCII only: a part's Content-Type is just a label. */
static char *
clean_ctype(ag_arena *a, const char *s, size_t len)
{
	char *d = ag_alloc(a, len + 1);
	size_t i, n = 0;

	for (i = 0; i < len; i++)
		if (s[i] >= 0x20 && s[i] < 0x7f)
			d[n++] = s[i];
	d[n] = '\0';
	return d;
}

static enum ag_mp_status
parse_disposition(struct mp *m, struct part *pt, const char *v,
    const char *end)
{
	static const char fd[] = "form-data";
	const char *p;
	char *name, *value;
	int r;

	for (p = v; p < end && *p != ';' && !is_ows(*p); p++)
		;
	if ((size_t)(p - v) != sizeof(fd) - 1 ||
	    strncasecmp(v, fd, sizeof(fd) - 1) != 0)
		return AG_MP_MALFORMED;
	while ((r = next_param(m->a, &p, end, &name, &value)) == 1) {
		/* Two names would let two parsers see two different fields. */
		if (strcasecmp(name, "name") == 0) {
			if (pt->name != NULL)
				return AG_MP_MALFORMED;
			pt->name = value;
		} else if (strcasecmp(name, "filename") == 0) {
			if (pt->filename != NULL)
				return AG_MP_MALFORMED;
			pt->filename = clean_filename(m->a, value);
		}
	}
	if (r < 0 || pt->name == NULL)
		return AG_MP_MALFORMED;
	pt->have_cd = 1;
	return AG_MP_OK;
}

/* One header line without its CRLF. */
static enum ag_mp_status
parse_header(struct mp *m, struct part *pt, const char *line, size_t len)
{
	const char *colon, *v, *end = line + len;
	size_t i;

	for (i = 0; i < len; i++)
		if (line[i] == '\r' || line[i] == '\n' || line[i] == '\0')
			return AG_MP_MALFORMED;
	colon = memchr(line, ':', len);
	if (colon == NULL || colon == line)
		return AG_MP_MALFORMED;
	for (v = line; v < colon; v++)
		if (!is_tchar((unsigned char)*v))
			return AG_MP_MALFORMED;     /* also obsolete folding */
	v = skip_ows(colon + 1, end);
	while (end > v && is_ows(end[-1]))
		end--;
	if ((size_t)(colon - line) == 19 &&
	    strncasecmp(line, "content-disposition", 19) == 0) {
		if (pt->have_cd)
			return AG_MP_MALFORMED;
		return parse_disposition(m, pt, v, end);
	}
	if ((size_t)(colon - line) == 12 &&
	    strncasecmp(line, "content-type", 12) == 0) {
		if (pt->ctype != NULL)
			return AG_MP_MALFORMED;
		pt->ctype = clean_ctype(m->a, v, (size_t)(end - v));
	}
	return AG_MP_OK;
}

/* Reads a part's header block up to and including the empty line. */
static enum ag_mp_status
read_headers(struct mp *m, struct part *pt)
{
	enum ag_mp_status st;
	size_t hdr = 0, from = 0;

	memset(pt, 0, sizeof(*pt));
	for (;;) {
		const char *s = m->buf + m->start;
		size_t avail = m->end - m->start, len;
		/* search only what is new since the last read, plus a '\r' */
		const char *crlf = memmem(s + from, avail - from, "\r\n", 2);

		if (crlf == NULL) {
			if (hdr + avail > AG_MP_MAX_HEADER)
				return AG_MP_TOO_LARGE;
			from = avail > 0 ? avail - 1 : 0;
			if ((st = more(m)) != AG_MP_OK)
				return st;
			continue;
		}
		from = 0;
		len = (size_t)(crlf - s);
		hdr += len + 2;
		if (hdr > AG_MP_MAX_HEADER)
			return AG_MP_TOO_LARGE;
		if (len == 0) {
			m->start += 2;
			break;
		}
		if ((st = parse_header(m, pt, s, len)) != AG_MP_OK)
			return st;
		m->start += len + 2;
	}
	return pt->have_cd ? AG_MP_OK : AG_MP_MALFORMED;
}

static enum ag_mp_status
emit(struct mp *m, const char *data, size_t len)
{
	if (len == 0 || m->cb->part_data == NULL)
		return AG_MP_OK;
	return m->cb->part_data(m->ud, data, len) == 0 ? AG_MP_OK :
	    AG_MP_ABORTED;
}

/* Streams a part's body to the callback up to the next delimiter. */
static enum ag_mp_status
read_body(struct mp *m)
{
	enum ag_mp_status st;

	for (;;) {
		char *s = m->buf + m->start;
		size_t avail = m->end - m->start;
		char *p = memmem(s, avail, m->delim, m->dlen);

		if (p != NULL) {
			if ((st = emit(m, s, (size_t)(p - s))) != AG_MP_OK)
				return st;
			m->start += (size_t)(p - s) + m->dlen;
			return AG_MP_OK;
		}
		if (avail >= m->dlen) {
			size_t n = avail - (m->dlen - 1);

			if ((st = emit(m, s, n)) != AG_MP_OK)
				return st;
			m->start += n;
		}
		if ((st = more(m)) != AG_MP_OK)
			return st;
	}
}

static enum ag_mp_status
parse_parts(struct mp *m)
{
	const ag_mp_callbacks *cb = m->cb;
	enum ag_mp_status st;
	struct part pt;
	size_t nparts = 0;
	int done;

	if ((st = skip_preamble(m)) != AG_MP_OK)
		return st;
	for (;;) {
		if ((st = after_delimiter(m, &done)) != AG_MP_OK)
			return st;
		if (done)
			return AG_MP_OK;        /* the epilogue is not read */
		if (++nparts > AG_MP_MAX_PARTS)
			return AG_MP_TOO_LARGE;
		if ((st = read_headers(m, &pt)) != AG_MP_OK)
			return st;
		if (cb->part_begin != NULL &&
		    cb->part_begin(m->ud, pt.name, pt.filename, pt.ctype) != 0)
			return AG_MP_ABORTED;
		if ((st = read_body(m)) != AG_MP_OK)
			return st;
		if (cb->part_end != NULL && cb->part_end(m->ud) != 0)
			return AG_MP_ABORTED;
	}
}

/* Streaming parse with one arena buffer; see multipart.h for the limits. */
enum ag_mp_status
ag_multipart_parse(ag_arena *a, const char *content_type, ag_read_fn rd,
    void *rdctx, size_t max_total, const ag_mp_callbacks *cb, void *ud)
{
	static const ag_mp_callbacks none = { NULL, NULL, NULL };
	struct mp m;
	enum ag_mp_status st;

	memset(&m, 0, sizeof(m));
	m.a = a;
	m.rd = rd;
	m.rdctx = rdctx;
	m.max_total = max_total;
	m.cb = cb != NULL ? cb : &none;
	m.ud = ud;
	if ((st = get_boundary(&m, content_type)) != AG_MP_OK)
		return st;
	m.buf = ag_alloc(a, MP_BUFSZ);
	memcpy(m.buf, "\r\n", 2);       /* virtual CRLF before the first boundary */
	m.end = 2;
	return parse_parts(&m);
}

/* State of ag_multipart_collect() between callbacks. */
struct collect {
	ag_arena *a;
	size_t field_max;
	size_t file_max;
	const char *tmpdir;
	enum ag_mp_status why;  /* reason behind a callback's -1 */
	ag_kv fields[AG_MP_MAX_PARTS];
	size_t nfields;
	ag_upload files[AG_MP_MAX_PARTS];
	size_t nfiles;
	/* current part */
	int is_file;
	const char *name;
	const char *filename;
	const char *ctype;
	ag_buf val;
	int fd;
	char *path;
	size_t size;
};

static void
unlink_tmp(void *p)
{
	/* ENOENT: the caller renamed the file away, which is fine. */
	(void)unlink(p);
}

static int
open_tmp(struct collect *c)
{
	c->path = ag_sprintf(c->a, "%s/ag-upload-XXXXXX", c->tmpdir);
	c->fd = mkostemp(c->path, O_CLOEXEC);
	if (c->fd < 0) {
		c->why = AG_MP_IO;
		return -1;
	}
	ag_arena_defer(c->a, unlink_tmp, c->path);
	return 0;
}

static int
collect_begin(void *ud, const char *name, const char *filename,
    const char *content_type)
{
	struct collect *c = ud;

	if (!ag_utf8_valid(name, strlen(name))) {
		c->why = AG_MP_MALFORMED;
		return -1;
	}
	c->name = name;
	c->filename = filename;
	c->ctype = content_type;
	c->is_file = filename != NULL;
	c->fd = -1;
	c->path = NULL;
	c->size = 0;
	if (!c->is_file)
		ag_buf_init(&c->val, c->a);
	return 0;
}

static int
collect_data(void *ud, const char *data, size_t len)
{
	struct collect *c = ud;

	if (!c->is_file) {
		if (len > c->field_max - c->val.len) {
			c->why = AG_MP_TOO_LARGE;
			return -1;
		}
		ag_buf_append(&c->val, data, len);
		return 0;
	}
	if (len > c->file_max - c->size) {
		c->why = AG_MP_TOO_LARGE;
		return -1;
	}
	if (c->fd < 0 && open_tmp(c) != 0)
		return -1;
	if (ag_write_all(c->fd, data, len) != 0) {
		c->why = AG_MP_IO;
		return -1;
	}
	c->size += len;
	return 0;
}

static int
collect_end(void *ud)
{
	struct collect *c = ud;
	ag_upload *u;
	ag_kv *kv;
	int r;

	if (!c->is_file) {
		if (memchr(c->val.data, '\0', c->val.len) != NULL ||
		    !ag_utf8_valid(c->val.data, c->val.len)) {
			c->why = AG_MP_MALFORMED;
			return -1;
		}
		kv = &c->fields[c->nfields++];
		kv->key = c->name;
		kv->val = c->val.data;
		kv->vlen = c->val.len;
		return 0;
	}
	if (c->fd < 0) {
		if (c->filename[0] == '\0')
			return 0;       /* "no file chosen" */
		if (open_tmp(c) != 0)
			return -1;
	}
	r = close(c->fd);
	c->fd = -1;
	if (r != 0) {
		c->why = AG_MP_IO;
		return -1;
	}
	u = &c->files[c->nfiles++];
	u->field = c->name;
	u->filename = c->filename;
	u->content_type = c->ctype;
	u->path = c->path;
	u->size = c->size;
	return 0;
}

/* Collects fields in memory and files on disk; see multipart.h. */
enum ag_mp_status
ag_multipart_collect(ag_arena *a, const char *content_type, ag_read_fn rd,
    void *rdctx, size_t max_total, size_t field_max, size_t file_max,
    const char *tmpdir, ag_kvlist *fields, ag_uploads *files)
{
	static const ag_mp_callbacks cbs = {
		collect_begin, collect_data, collect_end
	};
	struct collect *c = ag_calloc(a, 1, sizeof(*c));
	enum ag_mp_status st;

	fields->items = NULL;
	fields->n = 0;
	files->items = NULL;
	files->n = 0;
	c->a = a;
	c->field_max = field_max;
	c->file_max = file_max;
	c->tmpdir = tmpdir != NULL ? tmpdir : "/tmp";
	c->fd = -1;
	st = ag_multipart_parse(a, content_type, rd, rdctx, max_total, &cbs, c);
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	if (st == AG_MP_ABORTED && c->why != AG_MP_OK)
		st = c->why;
	if (st != AG_MP_OK)
		return st;
	if (c->nfields > 0) {
		fields->items = c->fields;
		fields->n = c->nfields;
	}
	if (c->nfiles > 0) {
		files->items = c->files;
		files->n = c->nfiles;
	}
	return AG_MP_OK;
}
