/*
 * arena.h - per-request memory and the one allocation policy.
 *
 * Every request gets one arena; everything the request allocates comes
 * from it and is released by one ag_arena_reset() when the response has
 * been written.  Foreign objects (jansson values, libpq results, open
 * files) are tied to the arena with ag_arena_defer() so that handlers
 * never free anything by hand.
 *
 * Allocation failure is not a condition callers handle: ag_xmalloc()
 * and friends abort with a message, as do size computations that would
 * overflow.  This keeps NULL checks out of the request path.
 */
#ifndef AG_ARENA_H
#define AG_ARENA_H

#include <stdarg.h>
#include <stddef.h>

#define AG_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))

/* Process-wide allocation policy: abort on out-of-memory. */
void *ag_xmalloc(size_t n);
void *ag_xcalloc(size_t count, size_t size);
void *ag_xrealloc(void *p, size_t n);
char *ag_xstrdup(const char *s);
/* a * b, aborting on overflow. */
size_t ag_mul(size_t a, size_t b);

typedef struct ag_arena ag_arena;

ag_arena *ag_arena_new(void);
/* Runs the deferred cleanups (last registered first) and frees all
 * blocks but the first, which is kept for the next request. */
void ag_arena_reset(ag_arena *a);
void ag_arena_free(ag_arena *a);

/* Memory aligned for any type; never NULL. */
void *ag_alloc(ag_arena *a, size_t n);
void *ag_calloc(ag_arena *a, size_t count, size_t size);
char *ag_strdup(ag_arena *a, const char *s);
char *ag_strndup(ag_arena *a, const char *s, size_t n);
void *ag_memdup(ag_arena *a, const void *p, size_t n);
char *ag_sprintf(ag_arena *a, const char *fmt, ...) AG_PRINTF(2, 3);
char *ag_vsprintf(ag_arena *a, const char *fmt, va_list ap) AG_PRINTF(2, 0);

/* Calls fn(p) when the arena is reset or freed. */
void ag_arena_defer(ag_arena *a, void (*fn)(void *), void *p);

/* Bytes handed out since the last reset (for logging and limits). */
size_t ag_arena_used(const ag_arena *a);

/*
 * ag_buf - a growable byte string living in an arena.  Always kept
 * NUL-terminated so that b->data can be used as a C string.
 */
typedef struct ag_buf {
	ag_arena *arena;
	char *data;
	size_t len;
	size_t cap;
} ag_buf;

void ag_buf_init(ag_buf *b, ag_arena *a);
void ag_buf_reserve(ag_buf *b, size_t extra);
void ag_buf_append(ag_buf *b, const void *data, size_t len);
void ag_buf_puts(ag_buf *b, const char *s);
void ag_buf_putc(ag_buf *b, char c);
void ag_buf_printf(ag_buf *b, const char *fmt, ...) AG_PRINTF(2, 3);
void ag_buf_truncate(ag_buf *b, size_t len);

#endif
