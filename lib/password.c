/*
 * password.c - Argon2id password hashing; see password.h.
 */
#include "password.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <argon2.h>

#include "crypto.h"

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
