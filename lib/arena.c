/*
 * arena.c - bump allocator with deferred cleanups; see arena.h.
 */
#include "arena.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define AG_ALIGN 16
#define AG_BLOCK 16384

struct block {
	struct block *next;
	size_t size;
	size_t used;
	/* payload follows, aligned */
};

struct defer {
	struct defer *next;
	void (*fn)(void *);
	void *p;
};

struct ag_arena {
	struct block *head;   /* current block, newest first */
	struct defer *defers; /* newest first */
	size_t total;
};

static void
oom(size_t n)
{
	fprintf(stderr, "autogate: out of memory allocating %zu bytes\n", n);
	abort();
}

void *
ag_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		oom(n);
	return p;
}

void *
ag_xcalloc(size_t count, size_t size)
{
	void *p = calloc(count ? count : 1, size ? size : 1);

	if (p == NULL)
		oom(ag_mul(count, size));
	return p;
}

void *
ag_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (q == NULL)
		oom(n);
	return q;
}

char *
ag_xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;

	return memcpy(ag_xmalloc(n), s, n);
}

size_t
ag_mul(size_t a, size_t b)
{
	if (b != 0 && a > SIZE_MAX / b) {
		fprintf(stderr, "autogate: size overflow %zu * %zu\n", a, b);
		abort();
	}
	return a * b;
}

static size_t
header_size(void)
{
	return (sizeof(struct block) + AG_ALIGN - 1) & ~(size_t)(AG_ALIGN - 1);
}

static struct block *
block_new(size_t payload)
{
	struct block *b;

	if (payload > SIZE_MAX - header_size())
		oom(payload);
	b = ag_xmalloc(header_size() + payload);
	b->next = NULL;
	b->size = payload;
	b->used = 0;
	return b;
}

ag_arena *
ag_arena_new(void)
{
	ag_arena *a = ag_xcalloc(1, sizeof(*a));

	a->head = block_new(AG_BLOCK);
	return a;
}

static void
run_defers(ag_arena *a)
{
	while (a->defers != NULL) {
		struct defer *d = a->defers;

		a->defers = d->next;
		d->fn(d->p);
	}
}

void
ag_arena_reset(ag_arena *a)
{
	struct block *b;

	run_defers(a);
	/* keep the oldest block (the first allocated), free the rest */
	while (a->head->next != NULL) {
		b = a->head;
		a->head = b->next;
		free(b);
	}
	a->head->used = 0;
	a->total = 0;
}

void
ag_arena_free(ag_arena *a)
{
	struct block *b;

	if (a == NULL)
		return;
	run_defers(a);
	while ((b = a->head) != NULL) {
		a->head = b->next;
		free(b);
	}
	free(a);
}

void *
ag_alloc(ag_arena *a, size_t n)
{
	struct block *b = a->head;
	size_t need = (n + AG_ALIGN - 1) & ~(size_t)(AG_ALIGN - 1);
	void *p;

	if (need < n)
		oom(n);
	if (b->size - b->used < need) {
		size_t size = need > AG_BLOCK ? need : AG_BLOCK;

		b = block_new(size);
		b->next = a->head;
		a->head = b;
	}
	p = (char *)b + header_size() + b->used;
	b->used += need;
	a->total += need;
	return p;
}

void *
ag_calloc(ag_arena *a, size_t count, size_t size)
{
	size_t n = ag_mul(count, size);

	return memset(ag_alloc(a, n), 0, n);
}

void *
ag_memdup(ag_arena *a, const void *p, size_t n)
{
	return memcpy(ag_alloc(a, n), p, n);
}

char *
ag_strndup(ag_arena *a, const char *s, size_t n)
{
	char *d = ag_alloc(a, n + 1);

	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

char *
ag_strdup(ag_arena *a, const char *s)
{
	return s == NULL ? NULL : ag_strndup(a, s, strlen(s));
}

char *
ag_vsprintf(ag_arena *a, const char *fmt, va_list ap)
{
	va_list cp;
	int n;
	char *s;

	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		return ag_strdup(a, "");
	s = ag_alloc(a, (size_t)n + 1);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	return s;
}

char *
ag_sprintf(ag_arena *a, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = ag_vsprintf(a, fmt, ap);
	va_end(ap);
	return s;
}

void
ag_arena_defer(ag_arena *a, void (*fn)(void *), void *p)
{
	struct defer *d = ag_alloc(a, sizeof(*d));

	d->fn = fn;
	d->p = p;
	d->next = a->defers;
	a->defers = d;
}

size_t
ag_arena_used(const ag_arena *a)
{
	return a->total;
}

void
ag_buf_init(ag_buf *b, ag_arena *a)
{
	b->arena = a;
	b->cap = 64;
	b->data = ag_alloc(a, b->cap);
	b->data[0] = '\0';
	b->len = 0;
}

void
ag_buf_reserve(ag_buf *b, size_t extra)
{
	size_t want, cap;
	char *d;

	if (extra > SIZE_MAX - b->len - 1)
		oom(extra);
	want = b->len + extra + 1;
	if (want <= b->cap)
		return;
	cap = b->cap;
	while (cap < want)
		cap = cap > SIZE_MAX / 2 ? want : cap * 2;
	d = ag_alloc(b->arena, cap);
	memcpy(d, b->data, b->len + 1);
	b->data = d;
	b->cap = cap;
}

void
ag_buf_append(ag_buf *b, const void *data, size_t len)
{
	if (len == 0)
		return;
	ag_buf_reserve(b, len);
	memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
}

void
ag_buf_puts(ag_buf *b, const char *s)
{
	ag_buf_append(b, s, strlen(s));
}

void
ag_buf_putc(ag_buf *b, char c)
{
	ag_buf_append(b, &c, 1);
}

void
ag_buf_printf(ag_buf *b, const char *fmt, ...)
{
	va_list ap, cp;
	int n;

	va_start(ap, fmt);
	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n > 0) {
		ag_buf_reserve(b, (size_t)n);
		vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
		b->len += (size_t)n;
	}
	va_end(ap);
}

void
ag_buf_truncate(ag_buf *b, size_t len)
{
	if (len < b->len) {
		b->len = len;
		b->data[len] = '\0';
	}
}
