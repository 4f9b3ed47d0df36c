/*
 * password.h - password hashing with Argon2id (libargon2).
 *
 * Parameters follow the OWASP baseline: m=19456 KiB, t=2, p=1, a 16-byte
 * random salt and a 32-byte hash, stored as the standard encoded string
 * "$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>".
 */
#ifndef AG_PASSWORD_H
#define AG_PASSWORD_H

#include "arena.h"

/* Encoded Argon2id hash of password with a fresh salt; aborts on an
 * internal failure (out of memory, broken random generator). */
char *ag_password_hash(ag_arena *a, const char *password);
/* 1 if password matches the encoded hash, 0 otherwise (also when the
 * encoded string is malformed or not Argon2id). */
int ag_password_verify(const char *encoded, const char *password);
/* Spends the time of one verification against a fixed dummy hash, so
 * that a login for an unknown e-mail costs the same as for a known one. */
void ag_password_burn(const char *password);

#define AG_PASSWORD_MIN 12
#define AG_PASSWORD_MAX 128

/*
 * The password rules: 12 to 128 characters, not the e-mail address (nor
 * its local part), not in the list of common passwords shipped in
 * data/common-passwords.txt (installed beside the templates).  Returns
 * NULL when acceptable, else the Indonesian reason.  list_path may be
 * NULL for the installed default.
 */
const char *ag_password_policy(const char *password, const char *email,
    const char *list_path);

#endif
