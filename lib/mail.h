/*
 * mail.h - outgoing e-mail through an outbox.
 *
 * Services queue a message in the same transaction as the change that
 * causes it (ag_mail_enqueue); the autogate-mailer program delivers the
 * outbox over SMTP (libcurl) or, on a development stack, into .eml files,
 * retrying failures with back-off.  A message is never lost: it stays in
 * the outbox until delivered; after AG_MAIL_MAX_ATTEMPTS failures it is
 * marked 'failed' (still in the table, where an operator can reset it).
 */
#ifndef AG_MAIL_H
#define AG_MAIL_H

#include <signal.h>

#include "arena.h"
#include "config.h"
#include "db.h"

/* The channel the mailer LISTENs on; ag_mail_enqueue NOTIFYs it. */
#define AG_MAIL_CHANNEL "autogate_mail"
/* Failed deliveries before a message is given up as 'failed'. */
#define AG_MAIL_MAX_ATTEMPTS 10
/* Upper bound of the retry delay, in minutes. */
#define AG_MAIL_MAX_BACKOFF 60

/*
 * Queues a plain-text UTF-8 message (and NOTIFYs the mailer, which hears
 * it when the caller's transaction commits).  0, or -1 on a database
 * error or when to/subject would break the header (CR, LF, control
 * characters, not an e-mail address); the reason is logged.
 */
int ag_mail_enqueue(ag_db *db, ag_arena *a, const char *to,
    const char *subject, const char *body);

enum ag_mail_transport { AG_MAIL_FILE, AG_MAIL_SMTP };

/* The [mail] section of the configuration. */
typedef struct ag_mail_conf {
	enum ag_mail_transport transport;
	const char *dir;          /* file: where .eml files go */
	const char *url;          /* smtp: smtp://host:port or smtps://host:port */
	const char *username;     /* smtp: NULL for none */
	const char *password;
	const char *from;         /* "Autogate <noreply@kek.example>" */
	int starttls;             /* smtp: require STARTTLS on smtp:// */
	long timeout;             /* smtp: seconds for a whole delivery */
	int max_attempts;         /* AG_MAIL_MAX_ATTEMPTS unless testing */
} ag_mail_conf;

/* Reads [mail] from cfg (may be NULL: defaults); -1 and err if invalid. */
int ag_mail_conf_load(ag_mail_conf *mc, const ag_config *cfg, char *err,
    size_t errlen);

/*
 * The RFC 5322 message both transports deliver: From, To, Subject
 * (RFC 2047 encoded when not plain ASCII), Date (of epoch), Message-ID
 * (<id@domain of from>), MIME headers for UTF-8 text, CRLF line ends;
 * 8bit transfer encoding unless a body line is too long, then
 * quoted-printable.  NULL if from/to/subject contain CR or LF.
 */
char *ag_mail_format(ag_arena *a, const char *from, const char *to,
    const char *subject, const char *body, const char *id, long long epoch);

/* Delay before attempt number attempts+1 after attempts failures:
 * 1, 2, 4 ... minutes, at most AG_MAIL_MAX_BACKOFF. */
long ag_mail_backoff_minutes(int attempts);

/* Delivers one formatted message to "to"; 0, or -1 with err set. */
int ag_mail_send(const ag_mail_conf *mc, ag_arena *a, const char *id,
    const char *to, const char *message, char *err, size_t errlen);

/*
 * Delivers up to limit due messages, one transaction each (claimed with
 * FOR UPDATE SKIP LOCKED, so several mailers never send one twice),
 * stopping early once *stop becomes non-zero (may be NULL).  Returns
 * the number handled (sent or failed), or -1 on a database error.
 */
int ag_mail_deliver_due(ag_db *db, ag_arena *a, const ag_mail_conf *mc,
    int limit, const volatile sig_atomic_t *stop);

#endif
