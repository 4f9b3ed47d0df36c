/*
 * mail.h - outgoing e-mail through an outbox.
 *
 * Services queue a message in the same transaction as the change that
 * causes it (ag_mail_enqueue); the autogate-mailer program delivers the
 * outbox over SMTP (libcurl) or, on a development stack, into .eml files,
 * retrying failures with back-off.  A message is never lost: it stays in
 * the outbox until delivered.
 */
#ifndef AG_MAIL_H
#define AG_MAIL_H

#include "arena.h"
#include "db.h"

/* Queues a plain-text UTF-8 message; 0 or -1 (database error). */
int ag_mail_enqueue(ag_db *db, ag_arena *a, const char *to,
    const char *subject, const char *body);

#endif
