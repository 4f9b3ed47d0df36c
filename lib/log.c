/*
 * log.c - JSON-lines logging on stderr; see log.h.
 */
#include "log.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

/* Process-wide settings, not request state. */
static enum ag_log_level min_level = AG_LOG_INFO;
static FILE *log_stream;

static const char *const level_names[] = { "debug", "info", "warn", "error" };

/*
 * A line being built: starts in a stack buffer, moves to the heap when
 * it outgrows it.  Logging must work without an arena.
 */
struct line {
	char *data;
	size_t len;
	size_t cap;
	int heap;
};

static void
line_reserve(struct line *b, size_t extra)
{
	size_t want;

	if (extra < b->cap - b->len)
		return;
	want = b->cap * 2;
	while (want - b->len <= extra)
		want = ag_mul(want, 2);
	if (b->heap) {
		b->data = ag_xrealloc(b->data, want);
	} else {
		char *d = ag_xmalloc(want);

		memcpy(d, b->data, b->len);
		b->data = d;
		b->heap = 1;
	}
	b->cap = want;
}

static void
line_add(struct line *b, const char *s, size_t n)
{
	line_reserve(b, n);
	memcpy(b->data + b->len, s, n);
	b->len += n;
}

static void
line_puts(struct line *b, const char *s)
{
	line_add(b, s, strlen(s));
}

static void line_printf(struct line *b, const char *fmt, ...) AG_PRINTF(2, 3);

static void
line_printf(struct line *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	line_reserve(b, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

/* Length of the valid UTF-8 sequence at s (at most n bytes), 0 if invalid. */
static size_t
utf8_len(const unsigned char *s, size_t n)
{
	size_t len;
	unsigned int cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	/* overlong forms, surrogates, beyond U+10FFFF */
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return len;
}

/*
 * Appends s as a JSON string (with quotes), or null for NULL.  Control
 * characters are escaped and invalid UTF-8 becomes U+FFFD, so the line
 * stays valid JSON whatever a client sent us.
 */
static void
line_json_str(struct line *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n;

	if (s == NULL) {
		line_puts(b, "null");
		return;
	}
	n = strlen(s);
	line_add(b, "\"", 1);
	while (n > 0) {
		size_t k;

		switch (*p) {
		case '"': line_puts(b, "\\\""); k = 1; break;
		case '\\': line_puts(b, "\\\\"); k = 1; break;
		case '\n': line_puts(b, "\\n"); k = 1; break;
		case '\r': line_puts(b, "\\r"); k = 1; break;
		case '\t': line_puts(b, "\\t"); k = 1; break;
		case '\b': line_puts(b, "\\b"); k = 1; break;
		case '\f': line_puts(b, "\\f"); k = 1; break;
		default:
			if (*p < 0x20 || *p == 0x7f) {
				line_printf(b, "\\u%04x", *p);
				k = 1;
			} else if ((k = utf8_len(p, n)) == 0) {
				line_puts(b, "\\ufffd");
				k = 1;
			} else {
				line_add(b, (const char *)p, k);
			}
			break;
		}
		p += k;
		n -= k;
	}
	line_add(b, "\"", 1);
}

/* Writes the finished line in one write() where the stream has a file descriptor. */
static void
line_emit(struct line *b)
{
	FILE *f = log_stream != NULL ? log_stream : stderr;
	int fd;
	size_t off = 0;

	line_add(b, "\n", 1);
	fflush(f);
	fd = fileno(f);
	if (fd < 0) {
		/* memory streams in tests */
		fwrite(b->data, 1, b->len, f);
		fflush(f);
	} else {
		while (off < b->len) {
			ssize_t w = write(fd, b->data + off, b->len - off);

			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0)
				break;
			off += (size_t)w;
		}
	}
	if (b->heap)
		free(b->data);
}

static void
line_start(struct line *b, char *stack, size_t stacklen, enum ag_log_level l)
{
	char ts[32];

	b->data = stack;
	b->len = 0;
	b->cap = stacklen;
	b->heap = 0;
	ag_format_iso_ms(ag_now_us(), ts);
	line_printf(b, "{\"ts\":\"%s\",\"level\":\"%s\",\"pid\":%ld", ts, level_names[l],
	    (long)getpid());
}

/* Sets the threshold below which messages are dropped. */
void
ag_log_set_level(enum ag_log_level l)
{
	if (l >= AG_LOG_DEBUG && l <= AG_LOG_ERROR)
		min_level = l;
}

/* Parses a level name from configuration. */
int
ag_log_level_parse(const char *s, enum ag_log_level *out)
{
	if (s == NULL)
		return -1;
	for (int i = 0; i < 4; i++) {
		if (strcasecmp(s, level_names[i]) == 0) {
			*out = (enum ag_log_level)i;
			return 0;
		}
	}
	if (strcasecmp(s, "warning") == 0) {
		*out = AG_LOG_WARN;
		return 0;
	}
	return -1;
}

/* Redirects log lines (tests); NULL means stderr again. */
void
ag_log_set_stream(FILE *f)
{
	log_stream = f;
}

/* Logs one formatted message as a JSON line. */
void
ag_log(enum ag_log_level l, const char *fmt, ...)
{
	char stack[1024];
	char msgstack[512];
	char *msg = msgstack;
	struct line b;
	va_list ap;
	int n;

	if (l < min_level || l > AG_LOG_ERROR)
		return;
	va_start(ap, fmt);
	n = vsnprintf(msgstack, sizeof(msgstack), fmt, ap);
	va_end(ap);
	if (n < 0) {
		msgstack[0] = '\0';
	} else if ((size_t)n >= sizeof(msgstack)) {
		msg = ag_xmalloc((size_t)n + 1);
		va_start(ap, fmt);
		vsnprintf(msg, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	line_start(&b, stack, sizeof(stack), l);
	line_puts(&b, ",\"msg\":");
	line_json_str(&b, msg);
	line_add(&b, "}", 1);
	line_emit(&b);
	if (msg != msgstack)
		free(msg);
}

/* Logs one access-log line for a finished request. */
void
ag_log_request(const char *request_id, const char *method, const char *path, int status,
    double ms, const char *user_id, size_t bytes_out)
{
	char stack[1024];
	struct line b;

	if (AG_LOG_INFO < min_level)
		return;
	if (!isfinite(ms) || ms < 0)
		ms = 0;
	line_start(&b, stack, sizeof(stack), AG_LOG_INFO);
	line_puts(&b, ",\"type\":\"request\",\"request_id\":");
	line_json_str(&b, request_id);
	line_puts(&b, ",\"method\":");
	line_json_str(&b, method);
	line_puts(&b, ",\"path\":");
	line_json_str(&b, path);
	line_printf(&b, ",\"status\":%d,\"ms\":%.2f,\"user\":", status, ms);
	line_json_str(&b, user_id);
	line_printf(&b, ",\"bytes\":%zu}", bytes_out);
	line_emit(&b);
}

/* Formats microseconds since the epoch as 2025-05-05T02:42:07.632Z. */
void
ag_format_iso_ms(long long epoch_us, char out[32])
{
	long long sec = epoch_us / 1000000;
	long long us = epoch_us % 1000000;
	time_t t;
	struct tm tm;
	size_t n;

	if (us < 0) {
		us += 1000000;
		sec--;
	}
	t = (time_t)sec;
	if (gmtime_r(&t, &tm) == NULL || tm.tm_year < -1900 || tm.tm_year > 9999 - 1900) {
		snprintf(out, 32, "1970-01-01T00:00:00.000Z");
		return;
	}
	n = strftime(out, 32, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out + n, 32 - n, ".%03dZ", (int)(us / 1000));
}

/* Current wall-clock time in microseconds. */
long long
ag_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}
