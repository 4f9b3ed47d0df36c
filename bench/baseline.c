/*
 * baseline.c - the smallest useful FastCGI responder, for comparison in
 * "bench/run --baseline".
 *
 * N forked processes accept on one unix socket; each keeps one libpq
 * connection and answers every request with the outcome of "SELECT 1".
 * Behind the same nginx as Autogate it shows what nginx, libfcgi and one
 * database round trip cost on their own, without routing, parsing,
 * sessions or rendering.
 *
 * usage: baseline --listen PATH --dsn DSN [--workers N] [--pidfile FILE]
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fcgiapp.h>
#include <libpq-fe.h>

#define MAX_WORKERS	64
#define BACKLOG		128

static const char ok_reply[] =
    "Status: 200 OK\r\n"
    "Content-Type: application/json\r\n"
    "\r\n"
    "{\"data\":{\"status\":\"ok\"},\"message\":\"Sukses\"}\n";

static const char fail_reply[] =
    "Status: 503 Service Unavailable\r\n"
    "Content-Type: application/json\r\n"
    "\r\n"
    "{\"message\":\"Basis data tidak tersedia\",\"code\":\"SERVICE_UNAVAILABLE\"}\n";

static volatile sig_atomic_t stopping;

static void
on_term(int sig)
{
	(void)sig;
	stopping = 1;
}

static void
usage(void)
{
	fprintf(stderr, "usage: baseline --listen PATH --dsn DSN [--workers N] "
	    "[--pidfile FILE]\n");
	exit(2);
}

/* Binds and listens on a fresh unix socket at path, mode 0660. */
static int
open_socket(const char *path)
{
	struct sockaddr_un sa;
	size_t len = strlen(path);
	int fd;

	if (len >= sizeof(sa.sun_path)) {
		fprintf(stderr, "baseline: socket path too long: %s\n", path);
		return -1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	memcpy(sa.sun_path, path, len);
	if (unlink(path) != 0 && errno != ENOENT) {
		fprintf(stderr, "baseline: unlink %s: %s\n", path, strerror(errno));
		return -1;
	}
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (fd < 0 || bind(fd, (const struct sockaddr *)&sa, sizeof(sa)) != 0 ||
	    chmod(path, 0660) != 0 || listen(fd, BACKLOG) != 0) {
		fprintf(stderr, "baseline: cannot listen on %s: %s\n", path,
		    strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

/* One worker: accept, SELECT 1, answer; until killed. */
static int
serve(int fd, const char *dsn)
{
	FCGX_Request req;
	PGconn *db;
	PGresult *res;
	int ok;

	db = PQconnectdb(dsn);
	if (PQstatus(db) != CONNECTION_OK) {
		fprintf(stderr, "baseline: %s", PQerrorMessage(db));
		PQfinish(db);
		return 1;
	}
	if (FCGX_InitRequest(&req, fd, 0) != 0) {
		PQfinish(db);
		return 1;
	}
	while (FCGX_Accept_r(&req) >= 0) {
		res = PQexec(db, "SELECT 1");
		ok = PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1;
		PQclear(res);
		FCGX_PutS(ok ? ok_reply : fail_reply, req.out);
		FCGX_Finish_r(&req);
		if (!ok && PQstatus(db) == CONNECTION_BAD)
			PQreset(db);
	}
	PQfinish(db);
	return 0;
}

static int
write_pidfile(const char *path)
{
	FILE *f = fopen(path, "w");

	if (f == NULL)
		return -1;
	fprintf(f, "%ld\n", (long)getpid());
	return fclose(f);
}

int
main(int argc, char **argv)
{
	const char *listen_path = NULL, *dsn = NULL, *pidfile = NULL;
	pid_t kids[MAX_WORKERS];
	struct sigaction sa;
	int i, fd, workers = 2, status;

	for (i = 1; i < argc; i++) {
		if (i + 1 >= argc)
			usage();
		if (strcmp(argv[i], "--listen") == 0)
			listen_path = argv[++i];
		else if (strcmp(argv[i], "--dsn") == 0)
			dsn = argv[++i];
		else if (strcmp(argv[i], "--pidfile") == 0)
			pidfile = argv[++i];
		else if (strcmp(argv[i], "--workers") == 0)
			workers = atoi(argv[++i]);
		else
			usage();
	}
	if (listen_path == NULL || dsn == NULL || workers < 1 ||
	    workers > MAX_WORKERS)
		usage();

	if (FCGX_Init() != 0 || (fd = open_socket(listen_path)) < 0)
		return 1;
	if (pidfile != NULL && write_pidfile(pidfile) != 0) {
		fprintf(stderr, "baseline: cannot write %s\n", pidfile);
		return 1;
	}

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_term;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);

	for (i = 0; i < workers; i++) {
		kids[i] = fork();
		if (kids[i] < 0) {
			fprintf(stderr, "baseline: fork: %s\n", strerror(errno));
			workers = i;
			stopping = 1;
			break;
		}
		if (kids[i] == 0) {
			signal(SIGTERM, SIG_DFL);
			signal(SIGINT, SIG_DFL);
			_exit(serve(fd, dsn));
		}
	}
	fprintf(stderr, "baseline: %d workers on %s\n", workers, listen_path);

	/* Wait for SIGTERM (or for all workers to die), then stop them. */
	while (!stopping) {
		if (wait(&status) < 0 && errno == ECHILD)
			break;
	}
	for (i = 0; i < workers; i++)
		kill(kids[i], SIGTERM);
	while (wait(&status) > 0 || errno == EINTR)
		continue;
	unlink(listen_path);
	if (pidfile != NULL)
		unlink(pidfile);
	return 0;
}
