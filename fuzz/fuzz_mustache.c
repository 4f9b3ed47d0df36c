/*
 * fuzz_mustache.c - libFuzzer harness: the input is a template rendered
 * against a small fixed context.  Partial "self" is the input itself
 * (to exercise the depth limits); "row" and "layout" are fixed.
 *
 * clang -fsanitize=fuzzer,address,undefined -Ilib lib/arena.c \
 *     lib/mustache.c fuzz/fuzz_mustache.c $(pkg-config --cflags --libs jansson)
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "mustache.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *
fuzz_load(void *ud, ag_arena *a, const char *name)
{
	(void)a;
	if (strcmp(name, "self") == 0)
		return ud;
	if (strcmp(name, "row") == 0)
		return "  <li>{{name}}</li>\n{{#tags}}[{{.}}]{{/tags}}\n";
	if (strcmp(name, "layout") == 0)
		return "<h1>{{$title}}T{{/title}}</h1>\n  {{$body}}\n  x\n"
		    "  {{/body}}\n";
	return NULL;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static ag_arena *a;
	static json_t *ctx;
	ag_tmpl_loader l;
	char err[128];
	char *src;

	if (a == NULL) {
		a = ag_arena_new();
		ctx = json_loads("{\"name\": \"Budi <&>\", \"n\": 3, "
		    "\"r\": 1.25, \"t\": true, \"f\": false, \"z\": null, "
		    "\"e\": [], \"s\": \"\", \"a\": {\"b\": {\"c\": \"d\"}}, "
		    "\"list\": [{\"name\": \"x\", \"tags\": [1, 2]}, "
		    "{\"name\": \"y\"}, \"str\", [1, [2]]]}", 0, NULL);
	}
	src = malloc(size + 1);
	if (src == NULL)
		return 0;
	memcpy(src, data, size);
	src[size] = '\0';
	l.load = fuzz_load;
	l.ud = src;
	(void)ag_mustache_render(a, src, ctx, &l, err, sizeof(err));
	ag_arena_reset(a);
	free(src);
	return 0;
}
