/*
 * fuzz_jsonin.c - libFuzzer harness for jsonin.c.  The first byte picks
 * the depth limit, the rest is the body.  An accepted body must dump and
 * parse back to an equal value.  Built by fuzz/run.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonin.h"

#define CHECK(c) do { if (!(c)) { \
	fprintf(stderr, "check failed: %s (%s:%d)\n", #c, __FILE__, __LINE__); \
	abort(); } } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ag_arena *a;
	json_t *v, *v2;
	char err[80];
	size_t depth;
	enum ag_json_status st;
	char *dump;
	char *body;

	if (size < 1)
		return 0;
	depth = data[0] % 16;
	a = ag_arena_new();
	/* an exact-size copy lets ASan catch reads past len */
	body = malloc(size - 1 > 0 ? size - 1 : 1);
	CHECK(body != NULL);
	memcpy(body, data + 1, size - 1);
	st = ag_json_parse_body(a, body, size - 1, 4096, depth, &v, err,
	    sizeof(err));
	CHECK(strlen(err) < sizeof(err));
	if (st == AG_JSON_OK) {
		CHECK(json_is_object(v));
		dump = ag_json_dump(a, v);
		CHECK(dump != NULL);
		CHECK(ag_json_parse_body(a, dump, strlen(dump), SIZE_MAX, depth,
		    &v2, err, sizeof(err)) == AG_JSON_OK);
		CHECK(json_equal(v, v2));
	} else {
		CHECK(v == NULL);
		CHECK(err[0] != '\0');
	}
	free(body);
	ag_arena_free(a);
	return 0;
}
