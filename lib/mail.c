/*
 * mail.c - the mail outbox and its delivery; see mail.h.
 *
 * One function (ag_mail_format) builds the message text, so what lands
 * in a development .eml file is byte for byte what SMTP would carry.
 * Delivery claims one due row at a time in its own transaction; a crash
 * between sending and COMMIT may send a message twice, never lose it.
 */
#include "mail.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "sys.h"
#include "validate.h"

/* RFC 5322: a line is at most 998 octets; keep header lines under 78. */
#define MAX_LINE 998
#define QP_WIDTH 76
#define QWORD_PAYLOAD 60
#define MAX_SUBJECT 500
#define DEFAULT_TIMEOUT 30L

static const char SQL_ENQUEUE[] =
	"INSERT INTO mail_outbox (to_address, subject, body)"
	" VALUES ($1, $2, $3) RETURNING id::text AS id";
/* The payload is the message id (the mailer ignores it; tests use it). */
static const char SQL_NOTIFY[] = "SELECT pg_notify('" AG_MAIL_CHANNEL "', $1)";
static const char SQL_CLAIM[] =
	"SELECT id::text AS id, to_address, subject, body, attempts,"
	" extract(epoch FROM created_at)::bigint AS created"
	" FROM mail_outbox"
	" WHERE status = 'pending' AND next_attempt_at <= now()"
	" ORDER BY next_attempt_at, created_at LIMIT 1"
	" FOR UPDATE SKIP LOCKED";
static const char SQL_SENT[] =
	"UPDATE mail_outbox SET status = 'sent', sent_at = now(),"
	" attempts = attempts + 1, last_error = NULL WHERE id = $1";
static const char SQL_FAILED[] =
	"UPDATE mail_outbox SET attempts = attempts + 1, last_error = $2,"
	" next_attempt_at = now() + make_interval(mins => $3::int),"
	" status = CASE WHEN attempts + 1 >= $4::int THEN 'failed'"
	" ELSE 'pending' END"
	" WHERE id = $1 RETURNING status";

/* 1 if s holds a byte that must never reach a header line. */
static int
has_ctl(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++)
		if (*p < 0x20 || *p == 0x7f)
			return 1;
	return 0;
}

int
ag_mail_enqueue(ag_db *db, ag_arena *a, const char *to, const char *subject,
    const char *body)
{
	PGresult *r;

	if (to == NULL || subject == NULL || body == NULL || has_ctl(to) ||
	    !ag_valid_email(to) || has_ctl(subject) || subject[0] == '\0' ||
	    strlen(subject) > MAX_SUBJECT) {
		ag_log(AG_LOG_ERROR, "mail not queued: invalid recipient or subject");
		return -1;
	}
	r = AG_DB_EXEC(db, a, SQL_ENQUEUE, to, subject, body);
	if (r == NULL || ag_db_rows(r) != 1) {
		ag_log(AG_LOG_ERROR, "mail not queued: %s", ag_db_error(db));
		return -1;
	}
	if (AG_DB_EXEC(db, a, SQL_NOTIFY, ag_db_get(r, 0, "id")) == NULL) {
		ag_log(AG_LOG_ERROR, "mail notify failed: %s", ag_db_error(db));
		return -1;
	}
	return 0;
}

static const char *
conf_str(const ag_config *cfg, const char *key, const char *def)
{
	const char *v = ag_config_get(cfg, "mail", key, def);

	return v != NULL && v[0] != '\0' ? v : def;
}

int
ag_mail_conf_load(ag_mail_conf *mc, const ag_config *cfg, char *err,
    size_t errlen)
{
	const char *t = conf_str(cfg, "transport", "file");

	memset(mc, 0, sizeof(*mc));
	if (strcmp(t, "file") == 0)
		mc->transport = AG_MAIL_FILE;
	else if (strcmp(t, "smtp") == 0)
		mc->transport = AG_MAIL_SMTP;
	else {
		ag_errf(err, errlen, "mail.transport must be smtp or file, not '%s'", t);
		return -1;
	}
	mc->dir = conf_str(cfg, "dir", "/var/lib/autogate/mail");
	mc->url = conf_str(cfg, "url", NULL);
	mc->username = conf_str(cfg, "username", NULL);
	mc->password = conf_str(cfg, "password", NULL);
	mc->from = conf_str(cfg, "from", "Autogate <noreply@localhost>");
	mc->starttls = ag_config_bool(cfg, "mail", "starttls", 1);
	mc->timeout = ag_config_int(cfg, "mail", "timeout", DEFAULT_TIMEOUT, 1, 600);
	mc->max_attempts = (int)ag_config_int(cfg, "mail", "max_attempts",
	    AG_MAIL_MAX_ATTEMPTS, 1, 100);
	if (has_ctl(mc->from) || strchr(mc->from, '@') == NULL) {
		ag_errf(err, errlen, "mail.from is not a valid address");
		return -1;
	}
	if (mc->transport == AG_MAIL_SMTP && (mc->url == NULL ||
	    (strncmp(mc->url, "smtp://", 7) != 0 &&
	    strncmp(mc->url, "smtps://", 8) != 0))) {
		ag_errf(err, errlen, "mail.url must be smtp://host:port or smtps://host:port");
		return -1;
	}
	return 0;
}

long
ag_mail_backoff_minutes(int attempts)
{
	long m = 1;

	for (int i = 1; i < attempts && m < AG_MAIL_MAX_BACKOFF; i++)
		m *= 2;
	return m < AG_MAIL_MAX_BACKOFF ? m : AG_MAIL_MAX_BACKOFF;
}

/* The bare address of "Name <addr>" or of "addr". */
static char *
bare_address(ag_arena *a, const char *s)
{
	const char *lt = strrchr(s, '<'), *gt;

	if (lt == NULL)
		return ag_strdup(a, s);
	gt = strchr(lt, '>');
	if (gt == NULL)
		return ag_strdup(a, lt + 1);
	return ag_strndup(a, lt + 1, (size_t)(gt - lt - 1));
}

/* Characters that stand for themselves in a Q encoded-word. */
static int
q_plain(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '!' ||
	    c == '*' || c == '+' || c == '/';
}

static int
is_ascii_text(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++)
		if (*p < 0x20 || *p > 0x7e)
			return 0;
	return 1;
}

/* Length of the UTF-8 sequence starting with byte c (1 for stray bytes). */
static size_t
utf8_len(unsigned char c)
{
	if (c >= 0xf0 && c <= 0xf4)
		return 4;
	if (c >= 0xe0)
		return c <= 0xef ? 3 : 1;
	if (c >= 0xc2)
		return 2;
	return 1;
}

/*
 * RFC 2047 "Q" encoded-words for s, each at most 75 characters, never
 * splitting a UTF-8 character, separated by CRLF SP (folding) so that no
 * line exceeds 76 characters; col is where the first word starts.
 */
static void
put_encoded_words(ag_buf *b, const char *s, size_t col)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p = (const unsigned char *)s;
	size_t used = 0, room = col + 12 + QWORD_PAYLOAD <= 76 ? QWORD_PAYLOAD :
	    (col + 12 < 70 ? 76 - 12 - col : 4);
	int open = 0;

	while (*p != '\0') {
		size_t n = utf8_len(*p), need = 0;

		for (size_t i = 0; i < n; i++)
			if (p[i] == '\0')
				n = i;
		if (n == 0)
			break;
		for (size_t i = 0; i < n; i++)
			need += (q_plain(p[i]) || p[i] == ' ') ? 1 : 3;
		if (open && used + need > room) {
			ag_buf_puts(b, "?=\r\n ");
			open = 0;
			room = QWORD_PAYLOAD;
		}
		if (!open) {
			ag_buf_puts(b, "=?UTF-8?Q?");
			open = 1;
			used = 0;
		}
		for (size_t i = 0; i < n; i++) {
			if (p[i] == ' ')
				ag_buf_putc(b, '_');
			else if (q_plain(p[i]))
				ag_buf_putc(b, (char)p[i]);
			else {
				ag_buf_putc(b, '=');
				ag_buf_putc(b, hex[p[i] >> 4]);
				ag_buf_putc(b, hex[p[i] & 15]);
			}
		}
		used += need;
		p += n;
	}
	if (open)
		ag_buf_puts(b, "?=");
}

/* "From:" value: a non-ASCII display name becomes encoded-words. */
static void
put_from(ag_buf *b, ag_arena *a, const char *from)
{
	const char *lt = strrchr(from, '<');
	char *name;
	size_t n;

	if (is_ascii_text(from) || lt == NULL) {
		ag_buf_puts(b, from);
		return;
	}
	n = (size_t)(lt - from);
	while (n > 0 && from[n - 1] == ' ')
		n--;
	name = ag_strndup(a, from, n);
	if (name[0] == '"' && n >= 2 && name[n - 1] == '"') {
		name[n - 1] = '\0';
		name++;
	}
	put_encoded_words(b, name, strlen("From: "));
	{
		const char *line = strrchr(b->data, '\n');
		size_t col = line != NULL ? strlen(line + 1) : b->len;

		ag_buf_puts(b, col + 1 + strlen(lt) > 76 ? "\r\n " : " ");
	}
	ag_buf_puts(b, lt);
}

/* Quoted-printable of one line (no line end), soft-broken at 76. */
static void
put_qp_line(ag_buf *b, const char *s, size_t len)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t col = 0;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		int last = i + 1 == len;
		int enc = c == '=' || c > 126 || (c < 32 && c != '\t') ||
		    (last && (c == ' ' || c == '\t'));
		size_t w = enc ? 3 : 1;

		/* room for the token and, unless it ends the line, a soft break */
		if (col + w > (last ? QP_WIDTH : QP_WIDTH - 1)) {
			ag_buf_puts(b, "=\r\n");
			col = 0;
		}
		if (enc) {
			ag_buf_putc(b, '=');
			ag_buf_putc(b, hex[c >> 4]);
			ag_buf_putc(b, hex[c & 15]);
		} else
			ag_buf_putc(b, (char)c);
		col += w;
	}
}

/* Whether the body can travel as 8bit: no line longer than MAX_LINE, no bare CR. */
static int
body_is_8bit_safe(const char *body)
{
	size_t col = 0;

	for (const char *p = body; *p != '\0'; p++) {
		if (*p == '\n') {
			col = 0;
			continue;
		}
		if (*p == '\r' && p[1] != '\n')
			return 0;
		if (*p != '\r' && ++col > MAX_LINE)
			return 0;
	}
	return 1;
}

char *
ag_mail_format(ag_arena *a, const char *from, const char *to,
    const char *subject, const char *body, const char *id, long long epoch)
{
	char date[64];
	struct tm tm;
	time_t t = (time_t)epoch;
	const char *addr, *domain, *p;
	int qp;
	ag_buf b;

	if (from == NULL || to == NULL || subject == NULL || body == NULL ||
	    id == NULL || has_ctl(from) || has_ctl(to) || has_ctl(subject) ||
	    has_ctl(id))
		return NULL;
	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S +0000", &tm) == 0)
		return NULL;
	addr = bare_address(a, from);
	domain = strchr(addr, '@');
	domain = domain != NULL && domain[1] != '\0' ? domain + 1 : "localhost";
	qp = !body_is_8bit_safe(body);

	ag_buf_init(&b, a);
	ag_buf_puts(&b, "From: ");
	put_from(&b, a, from);
	ag_buf_printf(&b, "\r\nTo: %s\r\nSubject: ", to);
	if (is_ascii_text(subject) && strlen(subject) <= 68)
		ag_buf_puts(&b, subject);
	else
		put_encoded_words(&b, subject, strlen("Subject: "));
	ag_buf_printf(&b, "\r\nDate: %s\r\nMessage-ID: <%s@%s>\r\n", date, id,
	    domain);
	ag_buf_puts(&b, "MIME-Version: 1.0\r\n"
	    "Content-Type: text/plain; charset=UTF-8\r\n");
	ag_buf_printf(&b, "Content-Transfer-Encoding: %s\r\n\r\n",
	    qp ? "quoted-printable" : "8bit");
	for (p = body; *p != '\0';) {
		const char *nl = strchr(p, '\n');
		size_t len = nl != NULL ? (size_t)(nl - p) : strlen(p);

		if (len > 0 && p[len - 1] == '\r')
			len--;
		if (qp)
			put_qp_line(&b, p, len);
		else
			ag_buf_append(&b, p, len);
		ag_buf_puts(&b, "\r\n");
		if (nl == NULL)
			break;
		p = nl + 1;
	}
	return b.data;
}

/* An outbox id may name a file: letters, digits and '-' only. */
static int
id_is_safe(const char *id)
{
	if (id[0] == '\0' || strlen(id) > 64)
		return 0;
	for (const char *p = id; *p != '\0'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '-'))
			return 0;
	return 1;
}

/* <dir>/<UTC timestamp>-<id>.eml, written to a temporary name and renamed. */
static int
send_file(const ag_mail_conf *mc, ag_arena *a, const char *id,
    const char *message, char *err, size_t errlen)
{
	char stamp[32];
	struct tm tm;
	time_t now = time(NULL);
	const char *tmp, *final;
	int fd;

	if (!id_is_safe(id)) {
		ag_errf(err, errlen, "unsafe message id");
		return -1;
	}
	if (mkdir(mc->dir, 0750) != 0 && errno != EEXIST) {
		ag_errf(err, errlen, "mkdir %s: %s", mc->dir, strerror(errno));
		return -1;
	}
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
	tmp = ag_sprintf(a, "%s/.%s.tmp", mc->dir, id);
	final = ag_sprintf(a, "%s/%s-%s.eml", mc->dir, stamp, id);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0640);
	if (fd < 0) {
		ag_errf(err, errlen, "open %s: %s", tmp, strerror(errno));
		return -1;
	}
	if (ag_write_all(fd, message, strlen(message)) != 0 || fsync(fd) != 0) {
		ag_errf(err, errlen, "write %s: %s", tmp, strerror(errno));
		close(fd);
		unlink(tmp);
		return -1;
	}
	if (close(fd) != 0 || rename(tmp, final) != 0) {
		ag_errf(err, errlen, "rename %s: %s", final, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

struct upload {
	const char *p;
	size_t left;
};

static size_t
read_cb(char *buf, size_t size, size_t nitems, void *arg)
{
	struct upload *u = arg;
	size_t n = size * nitems;

	if (n > u->left)
		n = u->left;
	memcpy(buf, u->p, n);
	u->p += n;
	u->left -= n;
	return n;
}

static int
send_smtp(const ag_mail_conf *mc, ag_arena *a, const char *to,
    const char *message, char *err, size_t errlen)
{
	char cerr[CURL_ERROR_SIZE] = "";
	struct curl_slist *rcpt = NULL;
	struct upload u = { message, strlen(message) };
	CURLcode rc;
	CURL *h;

	if ((h = curl_easy_init()) == NULL) {
		ag_errf(err, errlen, "curl_easy_init failed");
		return -1;
	}
	rcpt = curl_slist_append(NULL, ag_sprintf(a, "<%s>", to));
	curl_easy_setopt(h, CURLOPT_URL, mc->url);
#if LIBCURL_VERSION_NUM >= 0x075500
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
#endif
	if (mc->username != NULL)
		curl_easy_setopt(h, CURLOPT_USERNAME, mc->username);
	if (mc->password != NULL)
		curl_easy_setopt(h, CURLOPT_PASSWORD, mc->password);
	if (strncmp(mc->url, "smtp://", 7) == 0 && mc->starttls)
		curl_easy_setopt(h, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
	curl_easy_setopt(h, CURLOPT_MAIL_FROM, ag_sprintf(a, "<%s>",
	    bare_address(a, mc->from)));
	curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(h, CURLOPT_READFUNCTION, read_cb);
	curl_easy_setopt(h, CURLOPT_READDATA, &u);
	curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, (curl_off_t)u.left);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, mc->timeout < 10 ?
	    mc->timeout : 10L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, mc->timeout);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, cerr);
	rc = curl_easy_perform(h);
	curl_slist_free_all(rcpt);
	curl_easy_cleanup(h);
	if (rc != CURLE_OK) {
		ag_errf(err, errlen, "smtp: %s", cerr[0] != '\0' ? cerr :
		    curl_easy_strerror(rc));
		return -1;
	}
	return 0;
}

int
ag_mail_send(const ag_mail_conf *mc, ag_arena *a, const char *id,
    const char *to, const char *message, char *err, size_t errlen)
{
	if (mc->transport == AG_MAIL_FILE)
		return send_file(mc, a, id, message, err, errlen);
	return send_smtp(mc, a, to, message, err, errlen);
}

/* Claims, delivers and records one due message: 1 handled, 0 none due, -1 db error. */
static int
deliver_one(ag_db *db, ag_arena *a, const ag_mail_conf *mc)
{
	char err[512] = "";
	const char *id, *to, *status;
	char *msg;
	PGresult *r;
	int attempts;

	if (ag_db_begin(db) != 0)
		return -1;
	r = ag_db_exec(db, a, SQL_CLAIM, 0, NULL);
	if (r == NULL) {
		ag_db_rollback(db);
		return -1;
	}
	if (ag_db_rows(r) == 0) {
		ag_db_rollback(db);
		return 0;
	}
	id = ag_db_get(r, 0, "id");
	to = ag_db_get(r, 0, "to_address");
	attempts = atoi(ag_db_get(r, 0, "attempts")) + 1;
	msg = ag_mail_format(a, mc->from, to, ag_db_get(r, 0, "subject"),
	    ag_db_get(r, 0, "body"), id, atoll(ag_db_get(r, 0, "created")));
	if (msg == NULL)
		ag_errf(err, sizeof(err), "message cannot be formatted");
	if (msg != NULL && ag_mail_send(mc, a, id, to, msg, err,
	    sizeof(err)) == 0) {
		if (AG_DB_EXEC(db, a, SQL_SENT, id) == NULL ||
		    ag_db_commit(db) != 0) {
			ag_db_rollback(db);
			return -1;
		}
		ag_log(AG_LOG_INFO, "mail %s sent (attempt %d)", id, attempts);
		return 1;
	}
	r = AG_DB_EXEC(db, a, SQL_FAILED, id, err,
	    ag_sprintf(a, "%ld", ag_mail_backoff_minutes(attempts)),
	    ag_sprintf(a, "%d", mc->max_attempts > 0 ? mc->max_attempts :
	    AG_MAIL_MAX_ATTEMPTS));
	if (r == NULL || ag_db_rows(r) != 1 || ag_db_commit(db) != 0) {
		ag_db_rollback(db);
		return -1;
	}
	status = ag_db_get(r, 0, "status");
	if (strcmp(status, "failed") == 0)
		ag_log(AG_LOG_ERROR, "mail %s failed for good after %d attempts: %s",
		    id, attempts, err);
	else
		ag_log(AG_LOG_WARN, "mail %s attempt %d failed, retry in %ld min: %s",
		    id, attempts, ag_mail_backoff_minutes(attempts), err);
	return 1;
}

int
ag_mail_deliver_due(ag_db *db, ag_arena *a, const ag_mail_conf *mc,
    int limit, const volatile sig_atomic_t *stop)
{
	int n = 0, rc;

	while (n < limit && (stop == NULL || !*stop)) {
		rc = deliver_one(db, a, mc);
		if (rc < 0) {
			ag_log(AG_LOG_ERROR, "mail outbox: %s", ag_db_error(db));
			return -1;
		}
		if (rc == 0)
			break;
		n++;
	}
	return n;
}
