/*
 * test_mail.c - message formatting, configuration, the file transport
 * and, with AG_TEST_DSN, the outbox: enqueue, delivery, retry with
 * back-off and giving up.  The database tests use their own schema with
 * a mail_outbox table shaped as in sql/002, dropped afterwards.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <dirent.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <unistd.h>
#include <cmocka.h>

#include "log.h"
#include "mail.h"
#include "sys.h"

#define FROM "Autogate <noreply@kek.example>"
#define ID "0b7e6f1c-2d3a-4b5c-8d9e-0f1a2b3c4d5e"

struct fixture {
	ag_arena *a;
	FILE *log;
	char dir[1024];
	ag_db *db;
	char schema[64];
};

static void
remove_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[512];

	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.' && (e->d_name[1] == '\0' ||
		    (e->d_name[1] == '.' && e->d_name[2] == '\0')))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		unlink(path);
	}
	closedir(d);
	rmdir(dir);
}

static const char OUTBOX_DDL[] =
	"CREATE TABLE mail_outbox ("
	" id uuid PRIMARY KEY DEFAULT gen_random_uuid(),"
	" to_address text NOT NULL, subject text NOT NULL, body text NOT NULL,"
	" status text NOT NULL DEFAULT 'pending'"
	"  CHECK (status IN ('pending', 'sent', 'failed')),"
	" attempts integer NOT NULL DEFAULT 0,"
	" next_attempt_at timestamptz NOT NULL DEFAULT now(),"
	" last_error text, created_at timestamptz NOT NULL DEFAULT now(),"
	" sent_at timestamptz)";

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	const char *dsn = getenv("AG_TEST_DSN");
	ag_db *admin;

	if (f == NULL)
		return -1;
	f->a = ag_arena_new();
	f->log = tmpfile();
	ag_log_set_stream(f->log);
	snprintf(f->dir, sizeof(f->dir), "%s/ag-mail-XXXXXX", ag_tmpdir());
	if (mkdtemp(f->dir) == NULL)
		return -1;
	if (dsn != NULL && dsn[0] != '\0') {
		snprintf(f->schema, sizeof(f->schema), "mailtest_%ld",
		    (long)getpid());
		admin = ag_db_open(dsn);
		if (ag_db_exec(admin, f->a, ag_sprintf(f->a,
		    "DROP SCHEMA IF EXISTS %s CASCADE", f->schema), 0, NULL) == NULL ||
		    ag_db_exec(admin, f->a, ag_sprintf(f->a, "CREATE SCHEMA %s",
		    f->schema), 0, NULL) == NULL ||
		    ag_db_exec(admin, f->a, ag_sprintf(f->a,
		    "SET search_path TO %s", f->schema), 0, NULL) == NULL ||
		    ag_db_exec(admin, f->a, OUTBOX_DDL, 0, NULL) == NULL) {
			fprintf(stderr, "schema set-up: %s\n", ag_db_error(admin));
			ag_db_close(admin);
			return -1;
		}
		ag_db_close(admin);
		f->db = ag_db_open(ag_sprintf(f->a, "%s options='-c search_path=%s'",
		    dsn, f->schema));
	}
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	if (f->db != NULL) {
		ag_db_rollback(f->db);
		ag_db_exec(f->db, f->a, ag_sprintf(f->a, "DROP SCHEMA %s CASCADE",
		    f->schema), 0, NULL);
		ag_db_close(f->db);
	}
	remove_dir(f->dir);
	ag_arena_free(f->a);
	ag_log_set_stream(NULL);
	fclose(f->log);
	free(f);
	return 0;
}

static struct fixture *
need_db(void **state)
{
	struct fixture *f = *state;

	if (f->db == NULL)
		skip();
	return f;
}

static ag_mail_conf
file_conf(struct fixture *f)
{
	ag_mail_conf mc;

	memset(&mc, 0, sizeof(mc));
	mc.transport = AG_MAIL_FILE;
	mc.dir = f->dir;
	mc.from = FROM;
	mc.timeout = 5;
	mc.max_attempts = AG_MAIL_MAX_ATTEMPTS;
	return mc;
}

/* The header block of a message (up to the empty line). */
static char *
headers_of(ag_arena *a, const char *msg)
{
	const char *end = strstr(msg, "\r\n\r\n");

	assert_non_null(end);
	return ag_strndup(a, msg, (size_t)(end - msg) + 2);
}

/* Every line ends in CRLF and is at most max octets long. */
static void
assert_lines(const char *s, size_t max)
{
	const char *p = s, *nl;

	while ((nl = strchr(p, '\n')) != NULL) {
		assert_true(nl > p ? nl[-1] == '\r' : 0);
		assert_true((size_t)(nl - p - 1) <= max);
		p = nl + 1;
	}
	assert_int_equal(*p, '\0');
}

static void
test_format_ascii(void **state)
{
	struct fixture *f = *state;
	char *m = ag_mail_format(f->a, FROM, "budi@example.com",
	    "Atur ulang kata sandi", "Halo Budi,\n\nBuka tautan ini:\n"
	    "http://127.0.0.1:8080/admin/ubah-kata-sandi?token=abc_DEF-123\n",
	    ID, 1795482123LL);
	char *h;

	assert_non_null(m);
	h = headers_of(f->a, m);
	assert_non_null(strstr(h, "From: Autogate <noreply@kek.example>\r\n"));
	assert_non_null(strstr(h, "To: budi@example.com\r\n"));
	assert_non_null(strstr(h, "Subject: Atur ulang kata sandi\r\n"));
	assert_non_null(strstr(h, "Date: Tue, 24 Nov 2026 01:02:03 +0000\r\n"));
	assert_non_null(strstr(h, "Message-ID: <" ID "@kek.example>\r\n"));
	assert_non_null(strstr(h, "MIME-Version: 1.0\r\n"));
	assert_non_null(strstr(h, "Content-Type: text/plain; charset=UTF-8\r\n"));
	assert_non_null(strstr(h, "Content-Transfer-Encoding: 8bit\r\n"));
	/* the link survives unchanged, lines end in CRLF */
	assert_non_null(strstr(m, "\r\n\r\nHalo Budi,\r\n\r\nBuka tautan ini:\r\n"
	    "http://127.0.0.1:8080/admin/ubah-kata-sandi?token=abc_DEF-123\r\n"));
	assert_lines(m, 998);
	/* a body without a final newline gets one */
	m = ag_mail_format(f->a, FROM, "a@b.id", "x", "baris", ID, 0);
	assert_non_null(strstr(m, "\r\n\r\nbaris\r\n"));
	assert_int_equal(m[strlen(m) - 1], '\n');
}

static void
test_format_utf8_subject(void **state)
{
	struct fixture *f = *state;
	const char *subject = "Verifikasi email — Kawasan Ekonomi Khusus "
	    "Gresik: konfirmasi alamat baru Anda (ü)";
	char *m = ag_mail_format(f->a, "Gerbang Kawasan Ékonomi <gate@kek.id>",
	    "a@b.id", subject, "é\n", ID, 0);
	char *h, *dec, *p;
	ag_buf b;

	assert_non_null(m);
	h = headers_of(f->a, m);
	assert_lines(h, 78);
	assert_non_null(strstr(h, "From: =?UTF-8?Q?Gerbang_Kawasan_=C3=89konomi?="
	    " <gate@kek.id>\r\n"));
	p = strstr(h, "Subject: =?UTF-8?Q?");
	assert_non_null(p);
	/* decode the encoded-words back and compare */
	ag_buf_init(&b, f->a);
	p += strlen("Subject: ");
	while (strncmp(p, "=?UTF-8?Q?", 10) == 0) {
		p += 10;
		for (; strncmp(p, "?=", 2) != 0; p++) {
			assert_true(*p != '\0' && *p != '\r' && *p != ' ');
			if (*p == '_')
				ag_buf_putc(&b, ' ');
			else if (*p == '=') {
				char hex[3] = { p[1], p[2], 0 };
				ag_buf_putc(&b, (char)strtol(hex, NULL, 16));
				p += 2;
			} else
				ag_buf_putc(&b, *p);
		}
		p += 2;
		if (strncmp(p, "\r\n ", 3) == 0)
			p += 3;
	}
	assert_true(strncmp(p, "\r\n", 2) == 0);
	dec = b.data;
	assert_string_equal(dec, subject);
	/* 8bit body keeps UTF-8 as is */
	assert_non_null(strstr(m, "\r\n\r\n\xc3\xa9\r\n"));
}

static void
test_format_rejects_injection(void **state)
{
	struct fixture *f = *state;

	assert_null(ag_mail_format(f->a, FROM, "a@b.id\r\nBcc: x@evil.id", "s",
	    "b", ID, 0));
	assert_null(ag_mail_format(f->a, FROM, "a@b.id", "s\nBcc: x@evil.id",
	    "b", ID, 0));
	assert_null(ag_mail_format(f->a, FROM, "a@b.id", "s\r", "b", ID, 0));
	assert_null(ag_mail_format(f->a, "A <a@b.id>\n", "a@b.id", "s", "b", ID,
	    0));
	assert_null(ag_mail_format(f->a, FROM, NULL, "s", "b", ID, 0));
	/* the outbox refuses before touching the database */
	assert_int_equal(ag_mail_enqueue(NULL, f->a, "a@b.id\nBcc: x@evil.id",
	    "s", "b"), -1);
	assert_int_equal(ag_mail_enqueue(NULL, f->a, "a@b.id", "s\r\nBcc: x",
	    "b"), -1);
	assert_int_equal(ag_mail_enqueue(NULL, f->a, "bukan-email", "s", "b"), -1);
	assert_int_equal(ag_mail_enqueue(NULL, f->a, "a@b.id", "", "b"), -1);
}

static void
test_format_quoted_printable(void **state)
{
	struct fixture *f = *state;
	ag_buf body;
	char *m, *p;

	ag_buf_init(&body, f->a);
	for (int i = 0; i < 1200; i++)
		ag_buf_putc(&body, (char)('a' + i % 26));
	ag_buf_puts(&body, "=é \nakhir\n");
	m = ag_mail_format(f->a, FROM, "a@b.id", "s", body.data, ID, 0);
	assert_non_null(m);
	assert_non_null(strstr(m, "Content-Transfer-Encoding: quoted-printable\r\n"));
	p = strstr(m, "\r\n\r\n") + 4;
	assert_lines(p, 76);
	assert_non_null(strstr(p, "=3D=C3=A9=20\r\nakhir\r\n"));
	/* soft breaks join back to the original line */
	assert_non_null(strstr(p, "=\r\n"));
}

static void
test_backoff(void **state)
{
	(void)state;
	assert_int_equal(ag_mail_backoff_minutes(1), 1);
	assert_int_equal(ag_mail_backoff_minutes(2), 2);
	assert_int_equal(ag_mail_backoff_minutes(3), 4);
	assert_int_equal(ag_mail_backoff_minutes(6), 32);
	assert_int_equal(ag_mail_backoff_minutes(7), 60);
	assert_int_equal(ag_mail_backoff_minutes(50), 60);
}

static ag_config *
config_from(struct fixture *f, const char *text)
{
	char path[1100], err[256];
	FILE *fp;
	ag_config *c;

	snprintf(path, sizeof(path), "%s/conf.ini", f->dir);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
	c = ag_config_load(path, err, sizeof(err));
	assert_non_null(c);
	unlink(path);
	return c;
}

static void
test_conf(void **state)
{
	struct fixture *f = *state;
	char err[256];
	ag_mail_conf mc;
	ag_config *c;

	c = config_from(f, "[mail]\ntransport = file\ndir = /x/mail\n");
	assert_int_equal(ag_mail_conf_load(&mc, c, err, sizeof(err)), 0);
	assert_int_equal(mc.transport, AG_MAIL_FILE);
	assert_string_equal(mc.dir, "/x/mail");
	assert_int_equal(mc.max_attempts, AG_MAIL_MAX_ATTEMPTS);
	ag_config_free(c);

	c = config_from(f, "[mail]\ntransport = smtp\nurl = smtps://mx.example:465\n"
	    "username = u\npassword = p\nstarttls = false\n"
	    "from = \"KEK <no@kek.id>\"\n");
	assert_int_equal(ag_mail_conf_load(&mc, c, err, sizeof(err)), 0);
	assert_int_equal(mc.transport, AG_MAIL_SMTP);
	assert_string_equal(mc.url, "smtps://mx.example:465");
	assert_string_equal(mc.username, "u");
	assert_string_equal(mc.from, "KEK <no@kek.id>");
	assert_int_equal(mc.starttls, 0);
	ag_config_free(c);

	c = config_from(f, "[mail]\ntransport = smtp\n");
	assert_int_equal(ag_mail_conf_load(&mc, c, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "mail.url"));
	ag_config_free(c);
	c = config_from(f, "[mail]\ntransport = http://x\n");
	assert_int_equal(ag_mail_conf_load(&mc, c, err, sizeof(err)), -1);
	ag_config_free(c);
	c = config_from(f, "[mail]\ntransport = smtp\nurl = http://mx\n");
	assert_int_equal(ag_mail_conf_load(&mc, c, err, sizeof(err)), -1);
	ag_config_free(c);
}

/* The .eml files in dir (at most 8), names into names[]. */
static int
eml_files(const char *dir, char names[][256])
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);

		if (e->d_name[0] == '.' && strcmp(e->d_name, ".") != 0 &&
		    strcmp(e->d_name, "..") != 0)
			fail_msg("temporary file left behind: %s", e->d_name);
		if (len > 4 && strcmp(e->d_name + len - 4, ".eml") == 0 && n < 8)
			snprintf(names[n++], 256, "%s", e->d_name);
	}
	closedir(d);
	return n;
}

static char *
slurp(ag_arena *a, const char *dir, const char *name)
{
	char *path = ag_sprintf(a, "%s/%s", dir, name), *data;
	FILE *fp = fopen(path, "rb");
	long n;

	assert_non_null(fp);
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	rewind(fp);
	data = ag_alloc(a, (size_t)n + 1);
	assert_int_equal(fread(data, 1, (size_t)n, fp), (size_t)n);
	data[n] = '\0';
	fclose(fp);
	return data;
}

static void
test_file_transport(void **state)
{
	struct fixture *f = *state;
	ag_mail_conf mc = file_conf(f);
	char names[8][256], err[256];
	char *m = ag_mail_format(f->a, FROM, "a@b.id", "Subjek", "isi\n", ID, 0);

	assert_int_equal(ag_mail_send(&mc, f->a, ID, "a@b.id", m, err,
	    sizeof(err)), 0);
	assert_int_equal(eml_files(f->dir, names), 1);
	assert_non_null(strstr(names[0], "-" ID ".eml"));
	assert_int_equal(names[0][8], 'T');
	assert_string_equal(slurp(f->a, f->dir, names[0]), m);
	/* an id that could escape the directory is refused */
	assert_int_equal(ag_mail_send(&mc, f->a, "../x", "a@b.id", m, err,
	    sizeof(err)), -1);
	/* an unwritable place is an error, not a crash */
	mc.dir = "/proc/ag-mail-nowhere/sub";
	assert_int_equal(ag_mail_send(&mc, f->a, ID, "a@b.id", m, err,
	    sizeof(err)), -1);
	assert_true(err[0] != '\0');
}

static const char *
one_value(struct fixture *f, const char *sql)
{
	PGresult *r = ag_db_exec(f->db, f->a, sql, 0, NULL);

	if (r == NULL)
		fail_msg("%s: %s", sql, ag_db_error(f->db));
	assert_int_equal(ag_db_rows(r), 1);
	return PQgetisnull(r, 0, 0) ? NULL : PQgetvalue(r, 0, 0);
}

static void
test_enqueue_and_deliver(void **state)
{
	struct fixture *f = need_db(state);
	ag_mail_conf mc = file_conf(f);
	char names[8][256];
	char *eml;

	assert_int_equal(ag_db_begin(f->db), 0);
	assert_int_equal(ag_mail_enqueue(f->db, f->a, "budi@example.com",
	    "Konfirmasi email", "Klik: http://x/?token=t0k3n\n"), 0);
	assert_int_equal(ag_db_commit(f->db), 0);
	assert_string_equal(one_value(f, "SELECT status FROM mail_outbox"),
	    "pending");

	assert_int_equal(ag_mail_deliver_due(f->db, f->a, &mc, 10, NULL), 1);
	assert_string_equal(one_value(f, "SELECT status || ' ' || attempts ||"
	    " ' ' || (sent_at IS NOT NULL) || ' ' || (last_error IS NULL)"
	    " FROM mail_outbox"), "sent 1 true true");
	assert_int_equal(eml_files(f->dir, names), 1);
	eml = slurp(f->a, f->dir, names[0]);
	assert_non_null(strstr(eml, "To: budi@example.com\r\n"));
	assert_non_null(strstr(eml, "Subject: Konfirmasi email\r\n"));
	assert_non_null(strstr(eml, "http://x/?token=t0k3n\r\n"));
	/* nothing left to do */
	assert_int_equal(ag_mail_deliver_due(f->db, f->a, &mc, 10, NULL), 0);

	/* a stop request delivers nothing more */
	{
		volatile sig_atomic_t stop = 1;

		assert_int_equal(ag_mail_enqueue(f->db, f->a, "c@d.id", "s", "b"), 0);
		assert_int_equal(ag_mail_deliver_due(f->db, f->a, &mc, 10, &stop), 0);
		assert_int_equal(ag_mail_deliver_due(f->db, f->a, &mc, 10, NULL), 1);
	}
}

/* An SMTP URL whose port refuses connections: bound, never listening. */
static char *
closed_port_url(ag_arena *a, int *fd)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);

	*fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(*fd >= 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(*fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	assert_int_equal(getsockname(*fd, (struct sockaddr *)&sin, &len), 0);
	return ag_sprintf(a, "smtp://127.0.0.1:%d", ntohs(sin.sin_port));
}

static void
test_retry_and_give_up(void **state)
{
	struct fixture *f = need_db(state);
	ag_mail_conf mc = file_conf(f);
	int fd;

	mc.transport = AG_MAIL_SMTP;
	mc.url = closed_port_url(f->a, &fd);
	mc.starttls = 0;
	mc.max_attempts = 3;
	assert_int_equal(ag_mail_enqueue(f->db, f->a, "budi@example.com", "s",
	    "b"), 0);
	assert_int_equal(ag_mail_deliver_due(f->db, f->a, &mc, 10, NULL), 1);
	assert_string_equal(one_value(f, "SELECT status || ' ' || attempts"
	    " FROM mail_outbox"), "pending 1");
	assert_non_null(strstr(one_value(f, "SELECT last_error FROM mail_outbox"),
	    "smtp"));
	/* retried one minute later, so not due now */
	assert_string_equal(one_value(f, "SELECT (next_attempt_at BETWEEN"
	    " now() + interval '55 seconds' AND now() + interval '65 seconds')::text"
	    " FROM mail_outbox"), "true");
	assert_int_equal(ag_mail_deliver_due(f->db, f->a, &mc, 10, NULL), 0);

	/* second failure: two minutes */
	assert_non_null(ag_db_exec(f->db, f->a, "UPDATE mail_outbox SET"
	    " next_attempt_at = now()", 0, NULL));
	assert_int_equal(ag_mail_deliver_due(f->db, f->a, &mc, 10, NULL), 1);
	assert_string_equal(one_value(f, "SELECT attempts || ' ' ||"
	    " (next_attempt_at BETWEEN now() + interval '115 seconds'"
	    " AND now() + interval '125 seconds') FROM mail_outbox"), "2 true");

	/* the last allowed attempt fails: kept, marked failed, logged */
	assert_non_null(ag_db_exec(f->db, f->a, "UPDATE mail_outbox SET"
	    " next_attempt_at = now()", 0, NULL));
	assert_int_equal(ag_mail_deliver_due(f->db, f->a, &mc, 10, NULL), 1);
	assert_string_equal(one_value(f, "SELECT status || ' ' || attempts"
	    " FROM mail_outbox"), "failed 3");
	assert_non_null(ag_db_exec(f->db, f->a, "UPDATE mail_outbox SET"
	    " next_attempt_at = now()", 0, NULL));
	assert_int_equal(ag_mail_deliver_due(f->db, f->a, &mc, 10, NULL), 0);
	close(fd);

	/* an operator resets it; the working transport delivers it */
	mc = file_conf(f);
	assert_non_null(ag_db_exec(f->db, f->a, "UPDATE mail_outbox SET"
	    " status = 'pending', attempts = 0", 0, NULL));
	assert_int_equal(ag_mail_deliver_due(f->db, f->a, &mc, 10, NULL), 1);
	assert_string_equal(one_value(f, "SELECT status FROM mail_outbox"), "sent");
}

/* The id of the newest message in the outbox. */
static const char *
newest_id(struct fixture *f)
{
	return one_value(f, "SELECT id::text FROM mail_outbox"
	    " ORDER BY created_at DESC LIMIT 1");
}

/* A notification on the mail channel carrying id, or NULL after 5 s. */
static int
notified(PGconn *conn, const char *id, int wait)
{
	struct timeval tv = { wait ? 5 : 0, 0 };
	PGnotify *n;
	fd_set rd;
	int found = 0;

	for (;;) {
		PQconsumeInput(conn);
		while ((n = PQnotifies(conn)) != NULL) {
			if (strcmp(n->relname, AG_MAIL_CHANNEL) == 0 &&
			    strcmp(n->extra, id) == 0)
				found = 1;
			PQfreemem(n);
		}
		if (found || !wait)
			return found;
		FD_ZERO(&rd);
		FD_SET(PQsocket(conn), &rd);
		if (select(PQsocket(conn) + 1, &rd, NULL, NULL, &tv) <= 0)
			return 0;
	}
}

static void
test_notify_on_commit(void **state)
{
	struct fixture *f = need_db(state);
	ag_db *listener = ag_db_open(getenv("AG_TEST_DSN"));
	const char *id;
	PGconn *conn;

	assert_non_null(ag_db_exec(listener, f->a, "LISTEN " AG_MAIL_CHANNEL, 0,
	    NULL));
	conn = ag_db_conn(listener);
	assert_int_equal(ag_db_begin(f->db), 0);
	assert_int_equal(ag_mail_enqueue(f->db, f->a, "a@b.id", "s", "b"), 0);
	id = newest_id(f);
	/* not before the commit */
	assert_false(notified(conn, id, 0));
	assert_int_equal(ag_db_commit(f->db), 0);
	assert_true(notified(conn, id, 1));

	/* a rolled-back message announces nothing */
	assert_int_equal(ag_db_begin(f->db), 0);
	assert_int_equal(ag_mail_enqueue(f->db, f->a, "c@d.id", "s", "b"), 0);
	id = ag_strdup(f->a, newest_id(f));
	ag_db_rollback(f->db);
	assert_false(notified(conn, id, 0));
	ag_db_close(listener);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_format_ascii, setup, teardown),
		cmocka_unit_test_setup_teardown(test_format_utf8_subject, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_format_rejects_injection,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_format_quoted_printable,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_backoff, setup, teardown),
		cmocka_unit_test_setup_teardown(test_conf, setup, teardown),
		cmocka_unit_test_setup_teardown(test_file_transport, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_enqueue_and_deliver, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_retry_and_give_up, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_notify_on_commit, setup,
		    teardown),
	};

	return cmocka_run_group_tests_name("mail", tests, NULL, NULL);
}
