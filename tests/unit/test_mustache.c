/* test_mustache.c - the Mustache spec files plus our own cases. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "arena.h"
#include "mustache.h"
#include "sys.h"

/* ---- the spec files ---- */

static const char *
json_load_partial(void *ud, ag_arena *a, const char *name)
{
	json_t *v = json_object_get(ud, name);

	(void)a;
	return json_is_string(v) ? json_string_value(v) : NULL;
}

static void
run_spec(const char *file)
{
	const char *dir = getenv("AG_TEST_DATA");
	char path[1024];
	json_error_t jerr;
	json_t *doc, *tests, *t;
	ag_arena *a = ag_arena_new();
	size_t i;
	int failed = 0;

	snprintf(path, sizeof(path), "%s/mustache-spec/%s",
	    dir != NULL && *dir != '\0' ? dir : "tests/data", file);
	doc = json_load_file(path, 0, &jerr);
	if (doc == NULL)
		fail_msg("cannot load %s: %s", path, jerr.text);
	tests = json_object_get(doc, "tests");
	assert_true(json_array_size(tests) > 0);
	json_array_foreach(tests, i, t) {
		ag_tmpl_loader l = { json_load_partial,
		    json_object_get(t, "partials") };
		const char *name = json_string_value(json_object_get(t, "name"));
		const char *expected =
		    json_string_value(json_object_get(t, "expected"));
		char err[256];
		char *out = ag_mustache_render(a,
		    json_string_value(json_object_get(t, "template")),
		    json_object_get(t, "data"), &l, err, sizeof(err));

		if (out == NULL) {
			print_error("%s: \"%s\" failed: %s\n", file, name, err);
			failed++;
		} else if (strcmp(out, expected) != 0) {
			print_error("%s: \"%s\"\n  expected [%s]\n  got      [%s]\n",
			    file, name, expected, out);
			failed++;
		}
		ag_arena_reset(a);
	}
	json_decref(doc);
	ag_arena_free(a);
	assert_int_equal(failed, 0);
}

static void
test_spec_comments(void **state)
{
	(void)state;
	run_spec("comments.json");
}

static void
test_spec_delimiters(void **state)
{
	(void)state;
	run_spec("delimiters.json");
}

static void
test_spec_interpolation(void **state)
{
	(void)state;
	run_spec("interpolation.json");
}

static void
test_spec_inverted(void **state)
{
	(void)state;
	run_spec("inverted.json");
}

static void
test_spec_partials(void **state)
{
	(void)state;
	run_spec("partials.json");
}

static void
test_spec_sections(void **state)
{
	(void)state;
	run_spec("sections.json");
}

static void
test_spec_inheritance(void **state)
{
	(void)state;
	run_spec("~inheritance.json");
}

/* ---- helpers ---- */

struct fixture {
	ag_arena *a;
	char err[256];
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	f->a = ag_arena_new();
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	ag_arena_free(f->a);
	free(f);
	return 0;
}

/* Renders tmpl with JSON data (and JSON partials) or returns NULL. */
static char *
render(struct fixture *f, const char *tmpl, const char *data,
    const char *partials)
{
	json_t *d = json_loads(data, JSON_DECODE_ANY, NULL);
	json_t *p = partials ? json_loads(partials, 0, NULL) : NULL;
	ag_tmpl_loader l = { json_load_partial, p };
	char *out;

	assert_non_null(d);
	out = ag_mustache_render(f->a, tmpl, d, &l, f->err, sizeof(f->err));
	json_decref(d);
	json_decref(p);
	return out;
}

/* ---- our own cases ---- */

static void
test_escaping(void **state)
{
	struct fixture *f = *state;
	const char *d = "{\"x\": \"a&b <i> \\\"q\\\" 'x'\"}";

	assert_string_equal(render(f, "{{x}}", d, NULL),
	    "a&amp;b &lt;i&gt; &quot;q&quot; &#39;x&#39;");
	assert_string_equal(render(f, "{{{x}}}|{{&x}}", d, NULL),
	    "a&b <i> \"q\" 'x'|a&b <i> \"q\" 'x'");
	/* template text itself is never escaped */
	assert_string_equal(render(f, "<a href='{{x}}'>", "{\"x\":\"'\"}",
	    NULL), "<a href='&#39;'>");
}

static void
test_values(void **state)
{
	struct fixture *f = *state;

	assert_string_equal(render(f, "{{i}} {{n}} {{r}} {{e}} {{t}} {{f}} "
	    "[{{z}}] [{{o}}] [{{a}}]", "{\"i\": 42, \"n\": -7, \"r\": 1.5, "
	    "\"e\": 1e20, \"t\": true, \"f\": false, \"z\": null, "
	    "\"o\": {\"k\": 1}, \"a\": [1]}", NULL),
	    "42 -7 1.5 1e+20 true false [] [] []");
	/* empty string and 0 are truthy, as in the spec */
	assert_string_equal(render(f, "{{#s}}S{{/s}}{{#z}}Z{{/z}}"
	    "{{^a}}A{{/a}}{{^n}}N{{/n}}{{^f}}F{{/f}}",
	    "{\"s\": \"\", \"z\": 0, \"a\": [], \"n\": null, \"f\": false}",
	    NULL), "SZANF");
}

static void
test_dotted_and_implicit(void **state)
{
	struct fixture *f = *state;

	assert_string_equal(render(f, "{{a.b.c}}|{{#a}}{{b.c}}{{/a}}|{{a.x.c}}",
	    "{\"a\": {\"b\": {\"c\": \"deep\"}}}", NULL), "deep|deep|");
	assert_string_equal(render(f, "{{#list}}[{{.}}]{{/list}}",
	    "{\"list\": [\"a\", 2, \"<\"]}", NULL), "[a][2][&lt;]");
	assert_string_equal(render(f, "{{.}}", "\"top\"", NULL), "top");
	/* outer names stay visible inside sections */
	assert_string_equal(render(f, "{{#items}}{{name}}@{{site}} {{/items}}",
	    "{\"site\": \"G1\", \"items\": [{\"name\": \"a\"}, "
	    "{\"name\": \"b\", \"site\": \"G2\"}]}", NULL), "a@G1 b@G2 ");
}

static void
test_syntax_errors(void **state)
{
	struct fixture *f = *state;
	static const char *const bad[] = {
		"abc {{name",
		"{{{name}}",
		"{{!comment",
		"{{#a}}x",
		"x\n{{/a}}",
		"{{#a}}{{/b}}",
		"{{^a}}{{#b}}{{/a}}{{/b}}",
		"{{=<% =}}",
		"{{=<%%>=}}",
		"{{= a b c =}}",
		"{{= a= b =}}",
		"{{}}",
		"{{#}}{{/}}",
		"{{<p}}",
		"{{$b}}x",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		f->err[0] = '\0';
		if (render(f, bad[i], "{}", NULL) != NULL)
			fail_msg("accepted bad template: %s", bad[i]);
		assert_true(strlen(f->err) > 0);
	}
	render(f, "ok\nline two {{#a}}\n", "{}", NULL);
	assert_non_null(strstr(f->err, "line 2"));
	assert_non_null(strstr(f->err, "unclosed section"));
	/* a syntax error in a partial names the partial */
	assert_null(render(f, "{{>p}}", "{}", "{\"p\": \"{{#x}}\"}"));
	assert_non_null(strstr(f->err, "'p'"));
	/* a deep but bounded section nesting is fine, deeper is refused */
	{
		char deep[64 * 12 + 1], *p = deep;

		for (int i = 0; i < 64; i++)
			p += sprintf(p, "{{#a}}");
		for (int i = 0; i < 64; i++)
			p += sprintf(p, "{{/a}}");
		assert_string_equal(render(f, deep, "{\"a\": true}", NULL), "");
		assert_null(render(f, "{{#a}}{{#a}}{{#a}}{{#a}}{{#a}}{{#a}}"
		    "{{#a}}{{#a}}{{#a}}{{#a}}{{#a}}{{#a}}{{#a}}{{#a}}{{#a}}"
		    "{{#a}}{{#a}}{{#a}}{{#a}}{{#a}}{{#a}}{{#a}}{{#a}}{{#a}}"
		    "{{#a}}{{#a}}{{#a}}{{#a}}{{#a}}{{#a}}{{#a}}{{#a}}{{#a}}"
		    "{{#a}}{{#a}}{{#a}}{{#a}}{{#a}}{{#a}}{{#a}}{{#a}}{{#a}}"
		    "{{#a}}{{#a}}{{#a}}{{#a}}{{#a}}{{#a}}{{#a}}{{#a}}{{#a}}"
		    "{{#a}}{{#a}}{{#a}}{{#a}}{{#a}}{{#a}}{{#a}}{{#a}}{{#a}}"
		    "{{#a}}{{#a}}{{#a}}", "{}", NULL));
	}
	/* err may be NULL */
	assert_null(ag_mustache_render(f->a, "{{#a}}", NULL, NULL, NULL, 0));
}

/* Partial "dN" includes d(N+1) until N reaches the limit in ud. */
static const char *
chain_load(void *ud, ag_arena *a, const char *name)
{
	int limit = *(int *)ud, n;

	if (name[0] != 'd')
		return NULL;
	n = atoi(name + 1);
	return n < limit ? ag_sprintf(a, "{{>d%d}}", n + 1) : "end";
}

/* Partial "dN" includes d(N+1) twice until N reaches the limit in ud. */
static const char *
double_load(void *ud, ag_arena *a, const char *name)
{
	int limit = *(int *)ud, n = atoi(name + 1);

	return n < limit ? ag_sprintf(a, "{{>d%d}}{{>d%d}}", n + 1, n + 1) :
	    "x";
}

static void
test_partial_depth(void **state)
{
	struct fixture *f = *state;
	int limit = AG_MUSTACHE_MAX_DEPTH;
	ag_tmpl_loader l = { chain_load, &limit };
	char *out;

	out = ag_mustache_render(f->a, "{{>d1}}", NULL, &l, f->err,
	    sizeof(f->err));
	assert_non_null(out);
	assert_string_equal(out, "end");
	limit = AG_MUSTACHE_MAX_DEPTH + 1;
	assert_null(ag_mustache_render(f->a, "{{>d1}}", NULL, &l, f->err,
	    sizeof(f->err)));
	assert_non_null(strstr(f->err, "deeper"));
	/* unbounded self-inclusion and block self-substitution stop */
	assert_null(render(f, "{{>me}}", "{}", "{\"me\": \"x{{>me}}\"}"));
	assert_null(render(f, "{{<p}}{{$b}}[{{$b}}{{/b}}]{{/b}}{{/p}}", "{}",
	    "{\"p\": \"{{$b}}{{/b}}\"}"));
	assert_null(render(f, "{{<p}}{{/p}}", "{}",
	    "{\"p\": \"{{<p}}{{/p}}\"}"));
	/* 2^30 inclusions within the depth limit hit the work limit */
	limit = 30;
	l.load = double_load;
	assert_null(ag_mustache_render(f->a, "{{>d1}}", NULL, &l, f->err,
	    sizeof(f->err)));
	assert_non_null(strstr(f->err, "too long"));
}

static void
test_missing_partial(void **state)
{
	struct fixture *f = *state;

	assert_string_equal(render(f, "[{{>nope}}]", "{}", "{}"), "[]");
	assert_string_equal(render(f, "[{{<nope}}{{$a}}x{{/a}}{{/nope}}]",
	    "{}", "{}"), "[]");
	assert_string_equal(ag_mustache_render(f->a, "[{{>nope}}]", NULL,
	    NULL, f->err, sizeof(f->err)), "[]");
}

static void
test_layout(void **state)
{
	struct fixture *f = *state;
	const char *partials = "{"
	    "\"layout\": \"<html>\\n<title>{{$title}}Autogate{{/title}}"
	    "</title>\\n<body>\\n  {{$body}}{{/body}}\\n</body>\\n</html>\\n\","
	    "\"row\": \"<li>{{name}}</li>\\n\"}";
	const char *tmpl = "{{<layout}}\n"
	    "{{$title}}Tamu - {{site}}{{/title}}\n"
	    "{{$body}}\n"
	    "<ul>\n"
	    "  {{#guests}}\n"
	    "  {{>row}}\n"
	    "  {{/guests}}\n"
	    "</ul>\n"
	    "{{/body}}\n"
	    "{{/layout}}\n";

	assert_string_equal(render(f, tmpl, "{\"site\": \"Gerbang <1>\", "
	    "\"guests\": [{\"name\": \"Budi\"}, {\"name\": \"Sari\"}]}",
	    partials),
	    "<html>\n"
	    "<title>Tamu - Gerbang &lt;1&gt;</title>\n"
	    "<body>\n"
	    "  <ul>\n"
	    "    <li>Budi</li>\n"
	    "    <li>Sari</li>\n"
	    "  </ul>\n"
	    "</body>\n"
	    "</html>\n");
}

/* ---- directory loader ---- */

static void
write_file(const char *path, const char *data, size_t len)
{
	FILE *fp = fopen(path, "wb");

	assert_non_null(fp);
	assert_int_equal(fwrite(data, 1, len, fp), len);
	assert_int_equal(fclose(fp), 0);
}

static void
test_dir_loader(void **state)
{
	struct fixture *f = *state;
	char dir[1024];
	char path[1300];
	ag_tmpl_loader l;
	char *big;
	static const char *const refused[] = {
		"../x", "/etc/passwd", "a/../page", "page.mustache", "",
		"sub//part", "sub/", "a b", "big", "adir", "nope",
	};

	snprintf(dir, sizeof(dir), "%s/ag_mustache_XXXXXX", ag_tmpdir());
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/page.mustache", dir);
	write_file(path, "Halo {{name}}!{{>sub/part}}", 27);
	snprintf(path, sizeof(path), "%s/sub", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/sub/part.mustache", dir);
	write_file(path, " [{{name}}]", 11);
	snprintf(path, sizeof(path), "%s/adir.mustache", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	big = calloc(1, 1024 * 1024 + 2);
	memset(big, 'x', 1024 * 1024 + 1);
	snprintf(path, sizeof(path), "%s/big.mustache", dir);
	write_file(path, big, 1024 * 1024 + 1);

	ag_tmpl_dir_loader(&l, dir);
	assert_string_equal(l.load(l.ud, f->a, "sub/part"), " [{{name}}]");
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		if (l.load(l.ud, f->a, refused[i]) != NULL)
			fail_msg("loaded \"%s\"", refused[i]);
	}
	{
		json_t *d = json_pack("{s:s}", "name", "Budi");
		char *out = ag_mustache_render(f->a, "{{>page}}", d, &l,
		    f->err, sizeof(f->err));

		assert_non_null(out);
		assert_string_equal(out, "Halo Budi! [Budi]");
		json_decref(d);
	}
	/* exactly 1 MiB is accepted */
	big[1024 * 1024] = '\0';
	write_file(path, big, 1024 * 1024);
	assert_non_null(l.load(l.ud, f->a, "big"));

	unlink(path);
	free(big);
	snprintf(path, sizeof(path), "%s/adir.mustache", dir);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/sub/part.mustache", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/sub", dir);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/page.mustache", dir);
	unlink(path);
	assert_int_equal(rmdir(dir), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spec_comments),
		cmocka_unit_test(test_spec_delimiters),
		cmocka_unit_test(test_spec_interpolation),
		cmocka_unit_test(test_spec_inverted),
		cmocka_unit_test(test_spec_partials),
		cmocka_unit_test(test_spec_sections),
		cmocka_unit_test(test_spec_inheritance),
		cmocka_unit_test_setup_teardown(test_escaping, setup, teardown),
		cmocka_unit_test_setup_teardown(test_values, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dotted_and_implicit,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_syntax_errors, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_partial_depth, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_missing_partial, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_layout, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dir_loader, setup,
		    teardown),
	};

	return cmocka_run_group_tests_name("mustache", tests, NULL, NULL);
}
