/*
 * password.c - Argon2id password hashing and the password rules; see
 * password.h.
 */
#include "password.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <argon2.h>

#include "crypto.h"
#include "log.h"

#define AG_ARGON2_M 19456
#define AG_ARGON2_T 2
#define AG_ARGON2_P 1
#define AG_ARGON2_SALT 16
#define AG_ARGON2_HASH 32

#define AG_STR_(x) #x
#define AG_STR(x) AG_STR_(x)

/*
 * A well-formed encoding with the current parameters.  The salt and hash
 * are arbitrary (no password produces this hash); only the cost matters,
 * and building it from the same macros keeps it equal to a real hash.
 */
static const char dummy_hash[] = "$argon2id$v=19$m=" AG_STR(AG_ARGON2_M)
    ",t=" AG_STR(AG_ARGON2_T) ",p=" AG_STR(AG_ARGON2_P)
    "$YXV0b2dhdGUtZHVtbXktcw$"
    "ZHVtbXktaGFzaC1mb3ItdGltaW5nLWVxdWFsaXR5ISE";

char *
ag_password_hash(ag_arena *a, const char *password)
{
	unsigned char salt[AG_ARGON2_SALT];
	size_t enclen = argon2_encodedlen(AG_ARGON2_T, AG_ARGON2_M, AG_ARGON2_P,
	    AG_ARGON2_SALT, AG_ARGON2_HASH, Argon2_id);
	char *enc = ag_alloc(a, enclen);
	int rc;

	ag_random_bytes(salt, sizeof(salt));
	rc = argon2id_hash_encoded(AG_ARGON2_T, AG_ARGON2_M, AG_ARGON2_P,
	    password, strlen(password), salt, sizeof(salt), AG_ARGON2_HASH,
	    enc, enclen);
	if (rc != ARGON2_OK) {
		fprintf(stderr, "autogate: argon2id_hash_encoded: %s\n",
		    argon2_error_message(rc));
		abort();
	}
	return enc;
}

int
ag_password_verify(const char *encoded, const char *password)
{
	if (encoded == NULL || password == NULL ||
	    strncmp(encoded, "$argon2id$", 10) != 0)
		return 0;
	return argon2id_verify(encoded, password, strlen(password)) == ARGON2_OK;
}

void
ag_password_burn(const char *password)
{
	(void)ag_password_verify(dummy_hash, password != NULL ? password : "");
}

/*
 * The common-password list: loaded once per process (per path) into a
 * sorted array of lowercase strings and searched with bsearch.  Workers
 * are single-threaded pre-forked processes, so a process-wide cache needs
 * no lock; it holds no request state.
 */
static struct {
	char *path;
	char **words;
	size_t n;
} common;

static int
cmp_word(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

static void
common_free(void)
{
	for (size_t i = 0; i < common.n; i++)
		free(common.words[i]);
	free(common.words);
	free(common.path);
	memset(&common, 0, sizeof(common));
}

/* Reads path (one password a line, '#' comments) unless already loaded. */
static void
common_load(const char *path)
{
	FILE *f;
	char line[256];
	size_t cap = 0;

	if (common.path != NULL && strcmp(common.path, path) == 0)
		return;
	common_free();
	common.path = ag_xstrdup(path);
	if ((f = fopen(path, "r")) == NULL) {
		/* Remembered as empty: one message, not one per sign-up. */
		ag_log(AG_LOG_ERROR, "common password list %s cannot be read",
		    path);
		return;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		size_t len = strcspn(line, "\r\n");

		line[len] = '\0';
		if (len == 0 || line[0] == '#')
			continue;
		for (size_t i = 0; i < len; i++)
			line[i] = (char)tolower((unsigned char)line[i]);
		if (common.n == cap) {
			cap = cap ? cap * 2 : 1024;
			common.words = ag_xrealloc(common.words,
			    ag_mul(cap, sizeof(*common.words)));
		}
		common.words[common.n++] = ag_xstrdup(line);
	}
	fclose(f);
	qsort(common.words, common.n, sizeof(*common.words), cmp_word);
}

static int
is_common(const char *password, const char *path)
{
	char lower[4 * 128 + 1], *key = lower;
	size_t len = strlen(password);

	if (len >= sizeof(lower))
		return 0;
	for (size_t i = 0; i <= len; i++)
		lower[i] = (char)tolower((unsigned char)password[i]);
	common_load(path);
	return common.n > 0 && bsearch(&key, common.words, common.n,
	    sizeof(*common.words), cmp_word) != NULL;
}

/* Characters (code points) of a UTF-8 string: bytes that start one. */
static size_t
utf8_chars(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

const char *
ag_password_policy(const char *password, const char *email,
    const char *list_path)
{
	size_t chars;

	if (password == NULL)
		return "Kata sandi wajib diisi";
	chars = utf8_chars(password);
	if (chars < AG_PASSWORD_MIN)
		return "Kata sandi minimal 12 karakter";
	if (chars > AG_PASSWORD_MAX)
		return "Kata sandi maksimal 128 karakter";
	if (email != NULL && email[0] != '\0') {
		const char *at = strchr(email, '@');

		if (strcasecmp(password, email) == 0 || (at != NULL &&
		    strlen(password) == (size_t)(at - email) &&
		    strncasecmp(password, email, (size_t)(at - email)) == 0))
			return "Kata sandi tidak boleh sama dengan email";
	}
	if (is_common(password, list_path != NULL ? list_path :
	    AG_DATADIR "/data/common-passwords.txt"))
		return "Kata sandi terlalu umum, gunakan kata sandi lain";
	return NULL;
}
