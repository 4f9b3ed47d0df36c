/*
 * autogate-mailer - delivers the mail outbox.
 *
 *   autogate-mailer [-c CONFIG] [--once]
 *
 * Loops: deliver every due message (lib/mail.c), then wait for a NOTIFY
 * on AG_MAIL_CHANNEL (ag_mail_enqueue sends one when a message is
 * committed) or for mail.poll_seconds, whichever comes first, so new mail
 * leaves at once and retries leave when due.  SIGTERM/SIGINT: finish the
 * message in hand and exit 0.  --once delivers what is due and exits (for
 * tests and cron).  Logs JSON lines on stderr.
 */
#include <curl/curl.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>

#include "ag_build.h"
#include "config.h"
#include "db.h"
#include "log.h"
#include "mail.h"

#define BATCH 50

static volatile sig_atomic_t stop;

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void
usage(FILE *f)
{
	fprintf(f, "usage: autogate-mailer [-c CONFIG] [--once]\n");
}

/* LISTENs on the current connection unless it already does. */
static int
ensure_listening(ag_db *db, ag_arena *a, int *listen_pid)
{
	PGconn *conn = ag_db_conn(db);

	if (conn == NULL)
		return -1;
	if (*listen_pid == PQbackendPID(conn))
		return 0;
	if (ag_db_exec(db, a, "LISTEN " AG_MAIL_CHANNEL, 0, NULL) == NULL)
		return -1;
	*listen_pid = PQbackendPID(conn);
	return 0;
}

/* Waits up to seconds for a notification (or a signal); drains them. */
static void
wait_for_mail(ag_db *db, long seconds, int listening)
{
	PGconn *conn = listening ? ag_db_conn(db) : NULL;
	struct timeval tv = { seconds, 0 };
	PGnotify *n;
	fd_set rd;
	int fd = conn != NULL ? PQsocket(conn) : -1;

	/* Notifications read while delivering are already queued. */
	if (conn != NULL && (n = PQnotifies(conn)) != NULL) {
		do
			PQfreemem(n);
		while ((n = PQnotifies(conn)) != NULL);
		return;
	}
	FD_ZERO(&rd);
	if (fd >= 0)
		FD_SET(fd, &rd);
	if (stop)
		return;
	if (select(fd >= 0 ? fd + 1 : 0, &rd, NULL, NULL, &tv) > 0 &&
	    fd >= 0) {
		PQconsumeInput(conn);
		while ((n = PQnotifies(conn)) != NULL)
			PQfreemem(n);
	}
}

static int
run(ag_db *db, const ag_mail_conf *mc, long poll, int once)
{
	ag_arena *a = ag_arena_new();
	int listen_pid = -1, n, rc = 0, listening;

	while (!stop) {
		listening = once ? 0 : ensure_listening(db, a, &listen_pid) == 0;
		if (!once && !listening)
			ag_log(AG_LOG_WARN, "mailer: cannot LISTEN: %s",
			    ag_db_error(db));
		n = ag_mail_deliver_due(db, a, mc, BATCH, &stop);
		ag_arena_reset(a);
		if (n < 0) {
			listen_pid = -1;
			if (once) {
				rc = 1;
				break;
			}
		}
		if (n == BATCH)
			continue;
		if (once)
			break;
		wait_for_mail(db, poll, listening);
	}
	ag_arena_free(a);
	return rc;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "once", no_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	const char *config_path = getenv("AUTOGATE_CONFIG");
	enum ag_log_level level;
	struct sigaction sa;
	ag_mail_conf mc;
	ag_config *cfg;
	char err[256];
	int c, once = 0, rc;
	long poll;
	ag_db *db;

	while ((c = getopt_long(argc, argv, "c:h", opts, NULL)) != -1) {
		switch (c) {
		case 'c': config_path = optarg; break;
		case 'o': once = 1; break;
		case 'h': usage(stdout); return 0;
		case 'V': puts("autogate-mailer " PACKAGE_VERSION); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	if (config_path == NULL)
		config_path = AG_SYSCONFDIR "/autogate.conf";
	if ((cfg = ag_config_load(config_path, err, sizeof(err))) == NULL) {
		ag_log(AG_LOG_ERROR, "mailer: %s", err);
		return 1;
	}
	if (ag_log_level_parse(ag_config_get(cfg, "log", "level", "info"),
	    &level) == 0)
		ag_log_set_level(level);
	if (ag_mail_conf_load(&mc, cfg, err, sizeof(err)) != 0) {
		ag_log(AG_LOG_ERROR, "mailer: %s", err);
		ag_config_free(cfg);
		return 1;
	}
	poll = ag_config_int(cfg, "mail", "poll_seconds", 5, 1, 3600);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		ag_log(AG_LOG_ERROR, "mailer: curl_global_init failed");
		ag_config_free(cfg);
		return 1;
	}
	db = ag_db_open(ag_config_get(cfg, "database", "dsn", "dbname=autogate"));
	ag_log(AG_LOG_INFO, "autogate-mailer %s starting (transport %s%s)",
	    PACKAGE_VERSION, mc.transport == AG_MAIL_FILE ? "file" : "smtp",
	    once ? ", once" : "");
	rc = run(db, &mc, poll, once);
	ag_log(AG_LOG_INFO, "autogate-mailer stopping");
	ag_db_close(db);
	curl_global_cleanup();
	ag_config_free(cfg);
	return rc;
}
