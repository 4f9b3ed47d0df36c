/*
 * mustache.c - Mustache renderer over jansson values; see mustache.h.
 *
 * A template is handled in three steps:
 *
 *  1. tokenize: the source becomes a flat list of text and tag tokens.
 *     Text is split after every newline, so that the tokens of one line
 *     share a line number.  Set-delimiter tags are applied here.
 *  2. standalone: a line holding only whitespace and tags other than
 *     interpolations is "standalone": its whitespace and line ending
 *     are dropped, and its leading whitespace becomes the indentation
 *     of the partials, parents and blocks on it.
 *  3. build: the tokens become a tree of nodes (sections own their
 *     contents), checking that section ends match.
 *
 * Rendering walks the tree.  Indentation (of standalone partials, and
 * the re-indentation of blocks passed to a parent) is applied while
 * writing template text: a frame says how many whitespace characters
 * to strip from, and which string to add to, the start of each line.
 * Interpolated data is never re-indented.
 *
 * Recursion is bounded: section nesting by MAX_NEST at parse time,
 * partials, parents and block substitutions by AG_MUSTACHE_MAX_DEPTH,
 * and the render recursion as a whole by MAX_RECURSION.  MAX_STEPS
 * stops a runaway template (a partial that includes itself twice is
 * exponential within the depth limit).
 */
#include "mustache.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sys.h"

#define MAX_DELIM 16		/* bytes in a custom delimiter */
#define MAX_NEST 64		/* open sections in one template */
#define MAX_RECURSION 512	/* nested render_list calls */
#define MAX_STEPS 20000000	/* nodes rendered by one call */
#define MAX_FILE (1024 * 1024)	/* template file size for the dir loader */
#define MAX_NAME 256		/* partial name length for the dir loader */

enum tok_kind {
	T_TEXT,
	T_VAR,		/* {{name}} */
	T_RAW,		/* {{{name}}} {{&name}} */
	T_COMMENT,	/* {{! ... }} */
	T_DELIM,	/* {{=<% %>=}} */
	T_SECTION,	/* {{#name}} */
	T_INVERTED,	/* {{^name}} */
	T_CLOSE,	/* {{/name}} */
	T_PARTIAL,	/* {{>name}} */
	T_PARENT,	/* {{<name}} */
	T_BLOCK		/* {{$name}} */
};

struct tok {
	enum tok_kind kind;
	const char *s;		/* text, or the tag's trimmed name */
	size_t len;
	size_t pos;		/* source offset, for error messages */
	size_t line;		/* line number (0-based) */
	bool standalone;	/* tag alone on its line */
	bool removed;		/* text dropped because its line is standalone */
	const char *indent;	/* leading whitespace of the line */
	size_t indent_len;
	const char *next_indent;/* leading whitespace of the next line */
	size_t next_indent_len;
	const char *eol;	/* line ending dropped after the line */
	size_t eol_len;
};

struct toks {
	struct tok *v;
	size_t n, cap;
};

enum node_kind {
	N_TEXT,
	N_VAR,
	N_RAW,
	N_SECTION,
	N_INVERTED,
	N_PARTIAL,
	N_PARENT,
	N_BLOCK
};

struct node {
	enum node_kind kind;
	const char *s;		/* text or name */
	size_t len;
	struct node *child;	/* contents of sections, parents, blocks */
	struct node *next;
	/*
	 * PARTIAL, PARENT: the tag is standalone and indent is the line's
	 * indentation.  BLOCK: the opening tag is standalone and indent is
	 * the block's intrinsic indentation (that of its first line).
	 */
	bool standalone;
	const char *indent;
	size_t indent_len;
	/* BLOCK: line ending dropped after a standalone closing tag. */
	const char *eol;
	size_t eol_len;
};

/* Line-start rewriting applied to template text. */
struct frame {
	size_t strip;		/* whitespace characters to drop */
	const char *add;	/* then prepend this */
	size_t add_len;
};

/* The context stack, innermost first; lives on the C stack. */
struct ctx {
	json_t *v;
	const struct ctx *up;
};

/* Parents being rendered, innermost first; their blocks are overrides. */
struct scope {
	const struct node *parent;
	const struct scope *outer;
};

/* Parsed partials of one render call. */
struct pcache {
	const char *name;
	size_t len;
	struct node *tree;	/* NULL: no such partial */
	struct pcache *next;
};

struct render {
	ag_arena *a;
	ag_buf out;
	const ag_tmpl_loader *loader;
	char *err;
	size_t errlen;
	bool bol;		/* next template text starts a line */
	size_t stripped;	/* whitespace already stripped on this line */
	int depth;		/* partials, parents and substitutions */
	int recursion;
	unsigned long steps;
	struct pcache *cache;
};

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
	    c == '\f' || c == '\v';
}

static size_t
blank_run(const char *s, const char *end)
{
	const char *p = s;

	while (p < end && is_blank(*p))
		p++;
	return (size_t)(p - s);
}

/* First occurrence of pat (plen > 0) in [s, s+n), or NULL. */
static const char *
find(const char *s, size_t n, const char *pat, size_t plen)
{
	const char *end = s + n;

	while ((size_t)(end - s) >= plen) {
		const char *p = memchr(s, pat[0], (size_t)(end - s) - plen + 1);

		if (p == NULL)
			return NULL;
		if (memcmp(p, pat, plen) == 0)
			return p;
		s = p + 1;
	}
	return NULL;
}

/* 1-based line number of offset pos, for error messages. */
static size_t
line_of(const char *src, size_t pos)
{
	size_t line = 1;

	for (size_t i = 0; i < pos; i++)
		if (src[i] == '\n')
			line++;
	return line;
}

/* ---------------------------------------------------------------- */
/* Tokenizer                                                         */

struct parser {
	ag_arena *a;
	const char *src;
	size_t srclen;
	const char *name;	/* partial name for messages, or NULL */
	char *err;
	size_t errlen;
	struct toks toks;
	size_t line;
};

static void
perr(struct parser *p, size_t pos, const char *what)
{
	if (p->name != NULL)
		ag_errf(p->err, p->errlen, "template error in partial '%s' "
		    "line %zu: %s", p->name, line_of(p->src, pos), what);
	else
		ag_errf(p->err, p->errlen, "template error line %zu: %s",
		    line_of(p->src, pos), what);
}

static struct tok *
push_tok(struct parser *p, enum tok_kind kind, const char *s, size_t len,
    size_t pos)
{
	struct tok *t;

	if (p->toks.n == p->toks.cap) {
		size_t cap = p->toks.cap ? p->toks.cap * 2 : 64;
		struct tok *v = ag_alloc(p->a, ag_mul(cap, sizeof(*v)));

		if (p->toks.n > 0)
			memcpy(v, p->toks.v, p->toks.n * sizeof(*v));
		p->toks.v = v;
		p->toks.cap = cap;
	}
	t = &p->toks.v[p->toks.n++];
	memset(t, 0, sizeof(*t));
	t->kind = kind;
	t->s = s;
	t->len = len;
	t->pos = pos;
	t->line = p->line;
	return t;
}

/* Adds text [s, s+len) as tokens that each end at a newline. */
static void
push_text(struct parser *p, const char *s, size_t len)
{
	const char *end = s + len;

	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		const char *e = nl ? nl + 1 : end;

		push_tok(p, T_TEXT, s, (size_t)(e - s), (size_t)(s - p->src));
		if (nl != NULL)
			p->line++;
		s = e;
	}
}

static void
trim(const char **s, size_t *len)
{
	while (*len > 0 && is_space(**s)) {
		(*s)++;
		(*len)--;
	}
	while (*len > 0 && is_space((*s)[*len - 1]))
		(*len)--;
}

/* Parses the inside of {{=open close=}}; false if malformed. */
static bool
parse_delims(const char *s, size_t len, const char **od, size_t *odlen,
    const char **cd, size_t *cdlen)
{
	const char *end;
	size_t i = 0, j;

	trim(&s, &len);
	end = s + len;
	while (i < len && !is_space(s[i]))
		i++;
	*od = s;
	*odlen = i;
	while (i < len && is_space(s[i]))
		i++;
	*cd = s + i;
	j = i;
	while (j < len && !is_space(s[j]))
		j++;
	*cdlen = j - i;
	if (s + j != end || *odlen == 0 || *cdlen == 0 ||
	    *odlen > MAX_DELIM || *cdlen > MAX_DELIM)
		return false;
	if (memchr(*od, '=', *odlen) != NULL || memchr(*cd, '=', *cdlen))
		return false;
	return true;
}

static bool
tokenize(struct parser *p)
{
	const char *src = p->src, *end = src + p->srclen;
	const char *od = "{{", *cd = "}}";
	size_t odlen = 2, cdlen = 2;
	char close2[MAX_DELIM + 1];	/* "}" or "=" followed by cd */
	const char *s = src;

	while (s < end) {
		const char *o = find(s, (size_t)(end - s), od, odlen);
		const char *q, *c, *name;
		enum tok_kind kind;
		size_t clen, namelen;
		char sigil;

		if (o == NULL) {
			push_text(p, s, (size_t)(end - s));
			break;
		}
		push_text(p, s, (size_t)(o - s));
		q = o + odlen;
		sigil = q < end ? *q : '\0';
		switch (sigil) {
		case '{':
		case '=':
			close2[0] = sigil == '{' ? '}' : '=';
			memcpy(close2 + 1, cd, cdlen);
			clen = cdlen + 1;
			q++;
			c = find(q, (size_t)(end - q), close2, clen);
			kind = sigil == '{' ? T_RAW : T_DELIM;
			break;
		default:
			switch (sigil) {
			case '!': kind = T_COMMENT; break;
			case '&': kind = T_RAW; break;
			case '#': kind = T_SECTION; break;
			case '^': kind = T_INVERTED; break;
			case '/': kind = T_CLOSE; break;
			case '>': kind = T_PARTIAL; break;
			case '<': kind = T_PARENT; break;
			case '$': kind = T_BLOCK; break;
			default: kind = T_VAR; break;
			}
			if (kind != T_VAR)
				q++;
			clen = cdlen;
			c = find(q, (size_t)(end - q), cd, cdlen);
			break;
		}
		if (c == NULL) {
			perr(p, (size_t)(o - src), "unclosed tag");
			return false;
		}
		name = q;
		namelen = (size_t)(c - q);
		s = c + clen;
		if (kind == T_DELIM) {
			if (!parse_delims(name, namelen, &od, &odlen, &cd,
			    &cdlen)) {
				perr(p, (size_t)(o - src),
				    "bad delimiter change");
				return false;
			}
			push_tok(p, T_DELIM, NULL, 0, (size_t)(o - src));
			continue;
		}
		if (kind == T_COMMENT) {
			push_tok(p, T_COMMENT, NULL, 0, (size_t)(o - src));
			continue;
		}
		trim(&name, &namelen);
		if (namelen == 0) {
			perr(p, (size_t)(o - src), "empty tag");
			return false;
		}
		push_tok(p, kind, name, namelen, (size_t)(o - src));
	}
	return true;
}

/* ---------------------------------------------------------------- */
/* Standalone lines                                                  */

static bool
can_stand_alone(enum tok_kind k)
{
	return k != T_TEXT && k != T_VAR && k != T_RAW;
}

/* Length of the line ending ("\n" or "\r\n") that ends t, or 0. */
static size_t
eol_len(const struct tok *t)
{
	if (t->len == 0 || t->s[t->len - 1] != '\n')
		return 0;
	return t->len >= 2 && t->s[t->len - 2] == '\r' ? 2 : 1;
}

static void
mark_line(struct parser *p, size_t from, size_t to)
{
	struct tok *v = p->toks.v;
	struct tok *last = &v[to - 1];
	const char *indent = "", *next = "", *eol = "";
	size_t indent_len = 0, next_len = 0, el = 0;
	bool has_tag = false;

	for (size_t i = from; i < to; i++) {
		if (v[i].kind == T_TEXT) {
			size_t n = v[i].len - (i == to - 1 ? eol_len(&v[i]) : 0);

			if (blank_run(v[i].s, v[i].s + n) != n)
				return;
		} else if (can_stand_alone(v[i].kind)) {
			has_tag = true;
		} else {
			return;
		}
	}
	if (!has_tag)
		return;
	if (v[from].kind == T_TEXT) {
		indent = v[from].s;
		indent_len = v[from].len;
	}
	if (last->kind == T_TEXT && (el = eol_len(last)) > 0) {
		const char *src_end = p->src + p->srclen;

		eol = last->s + last->len - el;
		next = last->s + last->len;
		next_len = blank_run(next, src_end);
	}
	for (size_t i = from; i < to; i++) {
		if (v[i].kind == T_TEXT) {
			v[i].removed = true;
			continue;
		}
		v[i].standalone = true;
		v[i].indent = indent;
		v[i].indent_len = indent_len;
		v[i].next_indent = next;
		v[i].next_indent_len = next_len;
		v[i].eol = eol;
		v[i].eol_len = el;
	}
}

static void
mark_standalone(struct parser *p)
{
	size_t i = 0;

	while (i < p->toks.n) {
		size_t j = i + 1;

		while (j < p->toks.n && p->toks.v[j].line == p->toks.v[i].line)
			j++;
		mark_line(p, i, j);
		i = j;
	}
}

/* ---------------------------------------------------------------- */
/* Tree                                                              */

static struct node *
new_node(ag_arena *a, enum node_kind kind, const struct tok *t)
{
	struct node *n = ag_calloc(a, 1, sizeof(*n));

	n->kind = kind;
	n->s = t->s;
	n->len = t->len;
	n->indent = "";
	n->eol = "";
	return n;
}

struct level {
	struct node *node;	/* the open section; NULL at the root */
	const struct tok *open;
	struct node **tail;	/* where the next node goes */
	struct node *last;	/* the last node added, or NULL */
};

static void
append(struct level *l, struct node *n)
{
	*l->tail = n;
	l->tail = &n->next;
	l->last = n;
}

/* Fills in a block's indentation and line ending from its two tags. */
static void
close_block(struct node *n, const struct tok *o, const struct tok *c)
{
	if (o->standalone) {
		n->standalone = true;
		/* intrinsic indentation: that of the block's first line */
		if (o->line == c->line) {
			n->indent = o->indent;
			n->indent_len = o->indent_len;
		} else {
			n->indent = o->next_indent;
			n->indent_len = o->next_indent_len;
		}
	}
	if (c->standalone) {
		n->eol = c->eol;
		n->eol_len = c->eol_len;
	}
}

static enum node_kind
open_kind(enum tok_kind k)
{
	switch (k) {
	case T_SECTION: return N_SECTION;
	case T_INVERTED: return N_INVERTED;
	case T_PARENT: return N_PARENT;
	default: return N_BLOCK;
	}
}

static bool
build(struct parser *p, struct node **out)
{
	struct level stack[MAX_NEST + 1];
	struct level *l = stack;
	struct node *root = NULL, *n;

	memset(l, 0, sizeof(*l));
	l->tail = &root;
	for (size_t i = 0; i < p->toks.n; i++) {
		const struct tok *t = &p->toks.v[i];

		switch (t->kind) {
		case T_COMMENT:
		case T_DELIM:
			break;
		case T_TEXT:
			if (t->removed || t->len == 0)
				break;
			/* merge with adjacent text from the same source */
			if (l->last != NULL && l->last->kind == N_TEXT &&
			    l->last->s + l->last->len == t->s) {
				l->last->len += t->len;
				break;
			}
			append(l, new_node(p->a, N_TEXT, t));
			break;
		case T_VAR:
		case T_RAW:
			append(l, new_node(p->a,
			    t->kind == T_VAR ? N_VAR : N_RAW, t));
			break;
		case T_PARTIAL:
			n = new_node(p->a, N_PARTIAL, t);
			n->standalone = t->standalone;
			n->indent = t->indent;
			n->indent_len = t->indent_len;
			append(l, n);
			break;
		case T_SECTION:
		case T_INVERTED:
		case T_PARENT:
		case T_BLOCK:
			if (l == &stack[MAX_NEST]) {
				perr(p, t->pos, "sections nested too deeply");
				return false;
			}
			n = new_node(p->a, open_kind(t->kind), t);
			if (n->kind == N_PARENT) {
				n->standalone = t->standalone;
				n->indent = t->indent;
				n->indent_len = t->indent_len;
			}
			append(l, n);
			l++;
			l->node = n;
			l->open = t;
			l->tail = &n->child;
			l->last = NULL;
			break;
		case T_CLOSE:
			n = l->node;
			if (n == NULL) {
				perr(p, t->pos, "section end without start");
				return false;
			}
			if (n->len != t->len || memcmp(n->s, t->s, t->len) != 0) {
				perr(p, t->pos, "mismatched section end");
				return false;
			}
			if (n->kind == N_BLOCK)
				close_block(n, l->open, t);
			l--;
			break;
		}
	}
	if (l != stack) {
		perr(p, l->open->pos, "unclosed section");
		return false;
	}
	*out = root;
	return true;
}

/* Parses src; *out is the node list (NULL when empty). */
static bool
parse(ag_arena *a, const char *src, const char *name, char *err,
    size_t errlen, struct node **out)
{
	struct parser p;

	memset(&p, 0, sizeof(p));
	p.a = a;
	p.src = src;
	p.srclen = strlen(src);
	p.name = name;
	p.err = err;
	p.errlen = errlen;
	if (!tokenize(&p))
		return false;
	mark_standalone(&p);
	return build(&p, out);
}

/* ---------------------------------------------------------------- */
/* Rendering                                                         */

static void
line_start(struct render *r, const struct frame *fr)
{
	ag_buf_append(&r->out, fr->add, fr->add_len);
	r->bol = false;
	r->stripped = 0;
}

static void
emit_text(struct render *r, const struct frame *fr, const char *s,
    size_t len)
{
	const char *end = s + len;

	while (s < end) {
		const char *nl;
		size_t n;

		if (r->bol) {
			while (r->stripped < fr->strip && s < end &&
			    is_blank(*s)) {
				s++;
				r->stripped++;
			}
			if (s == end)
				return;
			line_start(r, fr);
		}
		nl = memchr(s, '\n', (size_t)(end - s));
		n = nl ? (size_t)(nl + 1 - s) : (size_t)(end - s);
		ag_buf_append(&r->out, s, n);
		s += n;
		if (nl != NULL) {
			r->bol = true;
			r->stripped = 0;
		}
	}
}

static void
emit_escaped(ag_buf *b, const char *s, size_t len)
{
	const char *end = s + len, *run = s;

	for (; s < end; s++) {
		const char *rep;

		switch (*s) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default: continue;
		}
		ag_buf_append(b, run, (size_t)(s - run));
		ag_buf_puts(b, rep);
		run = s + 1;
	}
	ag_buf_append(b, run, (size_t)(end - run));
}

/* Shortest decimal form of d that reads back as d. */
static void
format_real(char *buf, size_t size, double d)
{
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(buf, size, "%.*g", prec, d);
		if (strtod(buf, NULL) == d)
			return;
	}
}

/* Text of a scalar value; "" for null, objects and arrays. */
static const char *
value_text(json_t *v, char *buf, size_t size, size_t *len)
{
	const char *s = "";

	switch (json_typeof(v)) {
	case JSON_STRING:
		*len = json_string_length(v);
		return json_string_value(v);
	case JSON_INTEGER:
		snprintf(buf, size, "%" JSON_INTEGER_FORMAT,
		    json_integer_value(v));
		s = buf;
		break;
	case JSON_REAL:
		format_real(buf, size, json_real_value(v));
		s = buf;
		break;
	case JSON_TRUE:
		s = "true";
		break;
	case JSON_FALSE:
		s = "false";
		break;
	default:
		break;
	}
	*len = strlen(s);
	return s;
}

/* Looks up a name: "." is the top of the stack; the first part of a
 * dotted name is searched up the stack, the others only inside it. */
static json_t *
resolve(const struct ctx *cx, const char *name, size_t len)
{
	const char *end = name + len, *dot;
	json_t *v = NULL;

	if (len == 1 && name[0] == '.')
		return cx->v;
	dot = memchr(name, '.', len);
	if (dot == NULL)
		dot = end;
	for (; cx != NULL; cx = cx->up) {
		if (json_is_object(cx->v) && (v = json_object_getn(cx->v,
		    name, (size_t)(dot - name))) != NULL)
			break;
	}
	while (v != NULL && dot < end) {
		const char *part = dot + 1;

		dot = memchr(part, '.', (size_t)(end - part));
		if (dot == NULL)
			dot = end;
		v = json_is_object(v) ?
		    json_object_getn(v, part, (size_t)(dot - part)) : NULL;
	}
	return v;
}

static bool
truthy(json_t *v)
{
	if (v == NULL || json_is_null(v) || json_is_false(v))
		return false;
	if (json_is_array(v))
		return json_array_size(v) > 0;
	return true;
}

/* Frame for content whose lines lose n_in blanks and gain add_in,
 * nested inside frame o. */
static void
compose(ag_arena *a, struct frame *out, const struct frame *o, size_t n_in,
    const char *add_in, size_t add_in_len)
{
	size_t skip = o->strip < add_in_len ? o->strip : add_in_len;
	size_t rest = add_in_len - skip;
	char *add;

	out->strip = n_in + (o->strip - skip);
	out->add_len = o->add_len + rest;
	if (rest == 0) {
		out->add = o->add;
		return;
	}
	add = ag_alloc(a, out->add_len + 1);
	memcpy(add, o->add, o->add_len);
	memcpy(add + o->add_len, add_in + skip, rest);
	add[out->add_len] = '\0';
	out->add = add;
}

static bool render_list(struct render *r, const struct node *n,
    const struct ctx *cx, const struct frame *fr, const struct scope *sc);

/* The parsed partial called name; *tree NULL if it does not exist. */
static bool
load_partial(struct render *r, const char *name, size_t len,
    struct node **tree)
{
	struct pcache *pc;
	const char *src = NULL;
	char *cname;

	for (pc = r->cache; pc != NULL; pc = pc->next) {
		if (pc->len == len && memcmp(pc->name, name, len) == 0) {
			*tree = pc->tree;
			return true;
		}
	}
	cname = ag_strndup(r->a, name, len);
	pc = ag_calloc(r->a, 1, sizeof(*pc));
	pc->name = cname;
	pc->len = len;
	if (r->loader != NULL && r->loader->load != NULL)
		src = r->loader->load(r->loader->ud, r->a, cname);
	if (src != NULL && !parse(r->a, src, cname, r->err, r->errlen,
	    &pc->tree))
		return false;
	pc->next = r->cache;
	r->cache = pc;
	*tree = pc->tree;
	return true;
}

static bool
enter(struct render *r)
{
	if (r->depth >= AG_MUSTACHE_MAX_DEPTH) {
		ag_errf(r->err, r->errlen, "template error: partials nested "
		    "deeper than %d", AG_MUSTACHE_MAX_DEPTH);
		return false;
	}
	r->depth++;
	return true;
}

static bool
render_partial(struct render *r, const struct node *n, const struct ctx *cx,
    const struct frame *fr, const struct scope *sc)
{
	struct node *tree;
	struct frame inner = *fr;
	struct scope s;
	bool ok;

	if (!load_partial(r, n->s, n->len, &tree))
		return false;
	if (!enter(r))
		return false;
	if (n->standalone)
		compose(r->a, &inner, fr, 0, n->indent, n->indent_len);
	if (n->kind == N_PARENT) {
		s.parent = n;
		s.outer = sc;
		sc = &s;
	}
	ok = render_list(r, tree, cx, &inner, sc);
	r->depth--;
	return ok;
}

/* The block passed for name by the outermost parent that passes one. */
static const struct node *
find_override(const struct scope *sc, const char *name, size_t len)
{
	const struct node *found = NULL;

	for (; sc != NULL; sc = sc->outer) {
		for (const struct node *b = sc->parent->child; b != NULL;
		    b = b->next) {
			if (b->kind == N_BLOCK && b->len == len &&
			    memcmp(b->s, name, len) == 0)
				found = b;
		}
	}
	return found;
}

static bool
render_block(struct render *r, const struct node *n, const struct ctx *cx,
    const struct frame *fr, const struct scope *sc)
{
	const struct node *ov = find_override(sc, n->s, n->len);
	struct frame inner;
	bool ok;

	if (ov == NULL) {
		ok = render_list(r, n->child, cx, fr, sc);
	} else {
		if (!enter(r))
			return false;
		compose(r->a, &inner, fr, ov->standalone ? ov->indent_len : 0,
		    n->standalone ? n->indent : "",
		    n->standalone ? n->indent_len : 0);
		ok = render_list(r, ov->child, cx, &inner, sc);
		r->depth--;
	}
	/* A block whose closing tag stands alone fills whole lines. */
	if (ok && n->eol_len > 0 && !r->bol) {
		ag_buf_append(&r->out, n->eol, n->eol_len);
		r->bol = true;
		r->stripped = 0;
	}
	return ok;
}

static bool
render_node(struct render *r, const struct node *n, const struct ctx *cx,
    const struct frame *fr, const struct scope *sc)
{
	char buf[64];
	const char *s;
	size_t len;
	json_t *v;
	struct ctx inner;

	switch (n->kind) {
	case N_TEXT:
		emit_text(r, fr, n->s, n->len);
		return true;
	case N_VAR:
	case N_RAW:
		v = resolve(cx, n->s, n->len);
		if (v == NULL)
			return true;
		s = value_text(v, buf, sizeof(buf), &len);
		if (len == 0)
			return true;
		if (r->bol)
			line_start(r, fr);
		if (n->kind == N_VAR)
			emit_escaped(&r->out, s, len);
		else
			ag_buf_append(&r->out, s, len);
		return true;
	case N_SECTION:
		v = resolve(cx, n->s, n->len);
		inner.up = cx;
		if (json_is_array(v)) {
			for (size_t i = 0; i < json_array_size(v); i++) {
				inner.v = json_array_get(v, i);
				if (!render_list(r, n->child, &inner, fr, sc))
					return false;
			}
			return true;
		}
		if (!truthy(v))
			return true;
		inner.v = v;
		return render_list(r, n->child, &inner, fr, sc);
	case N_INVERTED:
		v = resolve(cx, n->s, n->len);
		if (truthy(v))
			return true;
		return render_list(r, n->child, cx, fr, sc);
	case N_PARTIAL:
	case N_PARENT:
		return render_partial(r, n, cx, fr, sc);
	case N_BLOCK:
		return render_block(r, n, cx, fr, sc);
	}
	return true;
}

static bool
render_list(struct render *r, const struct node *n, const struct ctx *cx,
    const struct frame *fr, const struct scope *sc)
{
	bool ok = true;

	if (r->recursion >= MAX_RECURSION) {
		ag_errf(r->err, r->errlen,
		    "template error: rendering nested too deeply");
		return false;
	}
	r->recursion++;
	for (; ok && n != NULL; n = n->next) {
		if (++r->steps > MAX_STEPS) {
			ag_errf(r->err, r->errlen,
			    "template error: rendering takes too long");
			ok = false;
			break;
		}
		ok = render_node(r, n, cx, fr, sc);
	}
	r->recursion--;
	return ok;
}

char *
ag_mustache_render(ag_arena *a, const char *src, json_t *ctx,
    const ag_tmpl_loader *loader, char *err, size_t errlen)
{
	struct render r;
	struct node *tree;
	struct ctx root = { ctx, NULL };
	struct frame fr = { 0, "", 0 };

	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if (!parse(a, src, NULL, err, errlen, &tree))
		return NULL;
	memset(&r, 0, sizeof(r));
	r.a = a;
	ag_buf_init(&r.out, a);
	r.loader = loader;
	r.err = err;
	r.errlen = errlen;
	r.bol = true;
	if (!render_list(&r, tree, &root, &fr, NULL))
		return NULL;
	return r.out.data;
}

/* ---------------------------------------------------------------- */
/* Directory loader                                                  */

static bool
valid_name(const char *name)
{
	size_t n = strlen(name);

	if (n == 0 || n > MAX_NAME || name[0] == '/' || name[n - 1] == '/')
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = name[i];

		if (c == '/' && name[i + 1] == '/')
			return false;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '/'))
			return false;
	}
	return true;
}

static const char *
dir_load(void *ud, ag_arena *a, const char *name)
{
	const char *dir = ud;
	char *path, *buf;
	size_t len;

	if (!valid_name(name))
		return NULL;
	path = ag_sprintf(a, "%s/%s.mustache", dir, name);
	/* regular files of at most MAX_FILE bytes only */
	if (ag_read_file(a, path, MAX_FILE, &buf, &len) != 0)
		return NULL;
	return buf;
}

void
ag_tmpl_dir_loader(ag_tmpl_loader *l, const char *dir)
{
	l->load = dir_load;
	l->ud = (void *)(uintptr_t)dir;
}
