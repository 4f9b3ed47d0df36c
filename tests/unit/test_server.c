/*
 * test_server.c - the pre-forking FastCGI master, driven by a small
 * FastCGI client over a real unix socket: answering, restarting killed
 * workers, draining on SIGTERM, rolling reload on SIGHUP, back-off,
 * inherited sockets, setup failures, and the command line parser.
 *
 * Synchronisation is by events (a notification pipe written by the
 * hooks, waitpid(), /proc) with bounded polling, never fixed sleeps.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "server.h"

#define MAX_KIDS 16

/* ---- hooks, run in the forked server and its workers ---------------- */

/* Configuration of the hooks, set by a test before the server forks. */
static int cfg_fail_init;         /* child_init fails */
static int cfg_reload_fail_first; /* the first reload fails */
static int note_fd = -1;          /* write end of the notification pipe */
/* Server-side state (in the server process and inherited by workers). */
static int srv_gen;
static int srv_reloads;

struct note {
	char tag;
	pid_t pid;
};

static void
notify(char tag)
{
	struct note n;

	memset(&n, 0, sizeof(n));
	n.tag = tag;
	n.pid = getpid();
	if (note_fd >= 0 && write(note_fd, &n, sizeof(n)) != (ssize_t)sizeof(n))
		abort();
}

static int
t_child_init(void *ud)
{
	(void)ud;
	if (cfg_fail_init) {
		notify('I');
		return -1;
	}
	return 0;
}

static void
t_handle(FCGX_Request *req, void *ud)
{
	const char *script = FCGX_GetParam("SCRIPT_NAME", req->envp);

	(void)ud;
	if (script != NULL && strcmp(script, "/block") == 0) {
		/* In flight until the stop request reaches this worker. */
		notify('B');
		for (int i = 0; i < 1000 && !ag_server_stopping(); i++)
			poll(NULL, 0, 10);
		FCGX_FPrintF(req->out, "Status: 200\r\nContent-Type: text/plain\r\n\r\n"
		    "stopping=%d", ag_server_stopping());
		return;
	}
	if (script != NULL && strcmp(script, "/hang") == 0) {
		/* Ignores the stop request. */
		notify('H');
		for (int i = 0; i < 3000; i++)
			poll(NULL, 0, 10);
		return;
	}
	FCGX_FPrintF(req->out, "Status: 200\r\nContent-Type: text/plain\r\n\r\n"
	    "hello %ld gen=%d", (long)getpid(), srv_gen);
}

static int
t_reload(void *ud)
{
	(void)ud;
	srv_reloads++;
	if (cfg_reload_fail_first && srv_reloads == 1) {
		notify('F');
		return -1;
	}
	srv_gen++;
	notify('R');
	return 0;
}

static const ag_server_hooks hooks = {
	.child_init = t_child_init,
	.handle = t_handle,
	.reload = t_reload,
};

/* ---- a minimal FastCGI client ---------------------------------------- */

enum { REC_BEGIN = 1, REC_END = 3, REC_PARAMS = 4, REC_STDIN = 5, REC_STDOUT = 6 };

static int
write_all(int fd, const unsigned char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int
read_full(int fd, unsigned char *p, size_t n)
{
	while (n > 0) {
		ssize_t r = read(fd, p, n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		p += r;
		n -= (size_t)r;
	}
	return 0;
}

static size_t
add_record(unsigned char *buf, size_t off, int type, const void *body, size_t len)
{
	unsigned char *h = buf + off;

	h[0] = 1;               /* version */
	h[1] = (unsigned char)type;
	h[2] = 0;               /* request id 1 */
	h[3] = 1;
	h[4] = (unsigned char)(len >> 8);
	h[5] = (unsigned char)(len & 0xff);
	h[6] = 0;               /* padding */
	h[7] = 0;
	if (len > 0)
		memcpy(h + 8, body, len);
	return off + 8 + len;
}

static size_t
add_param(unsigned char *p, size_t off, const char *name, const char *value)
{
	size_t nl = strlen(name), vl = strlen(value);

	p[off++] = (unsigned char)nl;   /* short names and values only */
	p[off++] = (unsigned char)vl;
	memcpy(p + off, name, nl);
	memcpy(p + off + nl, value, vl);
	return off + nl + vl;
}

static void
sock_addr(struct sockaddr_un *sa, const char *path)
{
	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	assert_true(strlen(path) < sizeof(sa->sun_path));
	memcpy(sa->sun_path, path, strlen(path));
}

static int
fcgi_connect(const char *path)
{
	struct sockaddr_un sa;
	struct timeval tv = { 10, 0 };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -1;
	sock_addr(&sa, path);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		close(fd);
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	return fd;
}

/* BEGIN_REQUEST (responder), PARAMS, empty PARAMS, empty STDIN. */
static int
fcgi_send_flags(int fd, const char *script, unsigned char flags)
{
	const unsigned char begin[8] = { 0, 1, flags, 0, 0, 0, 0, 0 };
	unsigned char params[512], buf[1024];
	size_t pl = 0, off = 0;

	pl = add_param(params, pl, "REQUEST_METHOD", "GET");
	pl = add_param(params, pl, "SCRIPT_NAME", script);
	pl = add_param(params, pl, "REQUEST_URI", script);
	pl = add_param(params, pl, "QUERY_STRING", "");
	pl = add_param(params, pl, "SERVER_PROTOCOL", "HTTP/1.1");
	off = add_record(buf, off, REC_BEGIN, begin, sizeof(begin));
	off = add_record(buf, off, REC_PARAMS, params, pl);
	off = add_record(buf, off, REC_PARAMS, NULL, 0);
	off = add_record(buf, off, REC_STDIN, NULL, 0);
	return write_all(fd, buf, off);
}

static int
fcgi_send(int fd, const char *script)
{
	return fcgi_send_flags(fd, script, 0);
}

/* Collects STDOUT until END_REQUEST; -1 if the connection ends first. */
static int
fcgi_recv(int fd, char *out, size_t outsz)
{
	static unsigned char body[65536 + 256];
	size_t len = 0;

	for (;;) {
		unsigned char h[8];
		size_t clen, plen;

		if (read_full(fd, h, sizeof(h)) != 0)
			return -1;
		clen = ((size_t)h[4] << 8) | h[5];
		plen = h[6];
		if (read_full(fd, body, clen + plen) != 0)
			return -1;
		if (h[1] == REC_STDOUT) {
			size_t n = clen < outsz - 1 - len ? clen : outsz - 1 - len;

			memcpy(out + len, body, n);
			len += n;
		} else if (h[1] == REC_END) {
			out[len] = '\0';
			return 0;
		}
	}
}

/* One request; on success *body points into out past the headers. */
static int
fcgi_get(const char *path, const char *script, char *out, size_t outsz,
    const char **body)
{
	int fd = fcgi_connect(path);
	int rc;
	char *sep;

	if (fd < 0)
		return -1;
	rc = fcgi_send(fd, script) == 0 ? fcgi_recv(fd, out, outsz) : -1;
	close(fd);
	if (rc != 0 || strncmp(out, "Status: 200\r\n", 13) != 0 ||
	    (sep = strstr(out, "\r\n\r\n")) == NULL)
		return -1;
	*body = sep + 4;
	return 0;
}

/* "hello <pid> gen=<n>" -> pid, or -1. */
static long
hello(const char *path, int *gen)
{
	char out[512];
	const char *body;
	long pid;
	int g;

	if (fcgi_get(path, "/", out, sizeof(out), &body) != 0 ||
	    sscanf(body, "hello %ld gen=%d", &pid, &g) != 2)
		return -1;
	if (gen != NULL)
		*gen = g;
	return pid;
}

/* ---- process helpers ------------------------------------------------- */

static int64_t
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Live (non-zombie) children of parent, from /proc. */
static int
list_children(pid_t parent, pid_t *out, int max)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	int n = 0;

	if (d == NULL)
		return -1;
	while ((e = readdir(d)) != NULL && n < max) {
		char path[300], buf[512], *p;
		char state;
		int ppid;
		FILE *f;

		if (e->d_name[0] < '0' || e->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/stat", e->d_name);
		f = fopen(path, "r");
		if (f == NULL)
			continue;
		p = fgets(buf, sizeof(buf), f);
		fclose(f);
		if (p == NULL || (p = strrchr(buf, ')')) == NULL)
			continue;
		if (sscanf(p + 1, " %c %d", &state, &ppid) == 2 && ppid == parent &&
		    state != 'Z' && state != 'X')
			out[n++] = (pid_t)atol(e->d_name);
	}
	closedir(d);
	return n;
}

static int
contains(const pid_t *set, int n, pid_t pid)
{
	for (int i = 0; i < n; i++)
		if (set[i] == pid)
			return 1;
	return 0;
}

/* Polls (10 ms steps, at most ms) until parent has exactly want live
 * children, none of which is in avoid[navoid]; the children go to kids. */
static int
wait_children(pid_t parent, int want, const pid_t *avoid, int navoid,
    pid_t *kids, int ms)
{
	int64_t end = mono_ms() + ms;

	do {
		int n = list_children(parent, kids, MAX_KIDS);
		int clash = 0;

		for (int i = 0; i < n; i++)
			clash |= contains(avoid, navoid, kids[i]);
		if (n == want && !clash)
			return 0;
		poll(NULL, 0, 10);
	} while (mono_ms() < end);
	return -1;
}

/* waitpid with a bound; returns 0 and the status, or -1 on timeout. */
static int
wait_exit(pid_t pid, int ms, int *status)
{
	int64_t end = mono_ms() + ms;

	do {
		pid_t r = waitpid(pid, status, WNOHANG);

		if (r == pid)
			return 0;
		if (r < 0)
			return -1;
		poll(NULL, 0, 10);
	} while (mono_ms() < end);
	return -1;
}

/* ---- fixture --------------------------------------------------------- */

struct fx {
	char dir[64];
	char sock[96];
	char pidfile[128];
	pid_t server;
	int note_rd;
	ag_server_opts opts;
};

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	int p[2];

	if (f == NULL)
		return -1;
	/* not $TMPDIR: a unix socket path must stay under 108 bytes */
	snprintf(f->dir, sizeof(f->dir), "/tmp/agsrv.XXXXXX");
	if (mkdtemp(f->dir) == NULL || pipe2(p, O_CLOEXEC) != 0)
		return -1;
	/* Out of the way of fd 0 and fd 3, which some tests replace. */
	f->note_rd = fcntl(p[0], F_DUPFD_CLOEXEC, 50);
	note_fd = fcntl(p[1], F_DUPFD_CLOEXEC, 50);
	close(p[0]);
	close(p[1]);
	snprintf(f->sock, sizeof(f->sock), "%s/s.sock", f->dir);
	snprintf(f->pidfile, sizeof(f->pidfile), "%s/server.pid", f->dir);
	f->opts.name = "test-server";
	f->opts.listen = f->sock;
	f->opts.socket_mode = 0600;
	f->opts.workers = 2;
	f->opts.pidfile = f->pidfile;
	f->opts.drain_seconds = 10;
	cfg_fail_init = 0;
	cfg_reload_fail_first = 0;
	srv_gen = 0;
	srv_reloads = 0;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;
	char path[200];
	int st;

	if (f->server > 0) {
		/* A failed test: kill the workers too, which might not obey
		 * SIGTERM and would keep the test's output open. */
		pid_t kids[MAX_KIDS];
		int n;

		kill(f->server, SIGSTOP);       /* no more forks */
		n = list_children(f->server, kids, MAX_KIDS);
		for (int i = 0; i < n; i++)
			kill(kids[i], SIGKILL);
		kill(f->server, SIGKILL);
		waitpid(f->server, &st, 0);
	}
	unlink(f->sock);
	unlink(f->pidfile);
	snprintf(path, sizeof(path), "%s/file", f->dir);
	unlink(path);
	rmdir(f->dir);
	close(f->note_rd);
	close(note_fd);
	note_fd = -1;
	free(f);
	return 0;
}

/* Reads the next notification, waiting at most ms. */
static int
next_note(struct fx *f, struct note *n, int ms)
{
	struct pollfd pfd = { f->note_rd, POLLIN, 0 };

	if (poll(&pfd, 1, ms) != 1)
		return -1;
	return read(f->note_rd, n, sizeof(*n)) == (ssize_t)sizeof(*n) ? 0 : -1;
}

/* Forks the server; returns once its socket accepts connections. */
static void
start_server(struct fx *f)
{
	int64_t end;

	fflush(NULL);
	f->server = fork();
	assert_true(f->server >= 0);
	if (f->server == 0) {
		int rc = ag_server_run(&f->opts, &hooks);

		exit(rc == 0 ? 0 : 10);
	}
	end = mono_ms() + 5000;
	for (;;) {
		int fd = fcgi_connect(f->sock);

		if (fd >= 0) {
			close(fd);
			break;
		}
		assert_true(mono_ms() < end);
		poll(NULL, 0, 10);
	}
}

/* Expects the server to exit with status 0 within ms. */
static void
server_exits_ok(struct fx *f, int ms)
{
	int st;

	assert_int_equal(wait_exit(f->server, ms, &st), 0);
	f->server = 0;
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
}

/* SIGTERM; expects exit status 0 within ms. */
static void
stop_server(struct fx *f, int ms)
{
	assert_int_equal(kill(f->server, SIGTERM), 0);
	server_exits_ok(f, ms);
}

/* ---- tests ----------------------------------------------------------- */

static void
test_serves_and_stops_cleanly(void **state)
{
	struct fx *f = *state;
	pid_t kids[MAX_KIDS];
	struct stat st;
	char buf[32];
	FILE *pf;
	long pidval = 0;

	start_server(f);
	assert_int_equal(wait_children(f->server, 2, NULL, 0, kids, 5000), 0);
	for (int i = 0; i < 6; i++) {
		long pid = hello(f->sock, NULL);

		assert_true(pid > 0);
		assert_true(contains(kids, 2, (pid_t)pid));
	}
	/* Socket mode and pidfile. */
	assert_int_equal(stat(f->sock, &st), 0);
	assert_true(S_ISSOCK(st.st_mode));
	assert_int_equal(st.st_mode & 0777, 0600);
	pf = fopen(f->pidfile, "r");
	assert_non_null(pf);
	assert_non_null(fgets(buf, sizeof(buf), pf));
	fclose(pf);
	pidval = strtol(buf, NULL, 10);
	assert_int_equal(pidval, f->server);

	/* Idle workers must leave accept() at once: far below the 10 s grace. */
	stop_server(f, 5000);
	assert_int_equal(access(f->sock, F_OK), -1);
	assert_int_equal(access(f->pidfile, F_OK), -1);
	/* Reaped by the master before it returned. */
	assert_int_equal(kill(kids[0], 0), -1);
	assert_int_equal(kill(kids[1], 0), -1);
}

static void
test_killed_worker_is_replaced(void **state)
{
	struct fx *f = *state;
	pid_t kids[MAX_KIDS], now[MAX_KIDS];

	start_server(f);
	assert_int_equal(wait_children(f->server, 2, NULL, 0, kids, 5000), 0);
	assert_int_equal(kill(kids[0], SIGKILL), 0);
	assert_int_equal(wait_children(f->server, 2, &kids[0], 1, now, 5000), 0);
	assert_true(contains(now, 2, kids[1]));
	for (int i = 0; i < 6; i++) {
		long pid = hello(f->sock, NULL);

		assert_true(pid > 0);
		assert_true(pid != kids[0]);
	}
	stop_server(f, 5000);
}

static void
test_sigterm_finishes_request_in_flight(void **state)
{
	struct fx *f = *state;
	char out[512];
	struct note n;
	int fd;

	start_server(f);
	fd = fcgi_connect(f->sock);
	assert_true(fd >= 0);
	assert_int_equal(fcgi_send(fd, "/block"), 0);
	assert_int_equal(next_note(f, &n, 5000), 0);
	assert_int_equal(n.tag, 'B');

	assert_int_equal(kill(f->server, SIGTERM), 0);
	/* The handler saw the stop request and still answered. */
	assert_int_equal(fcgi_recv(fd, out, sizeof(out)), 0);
	close(fd);
	assert_non_null(strstr(out, "\r\n\r\nstopping=1"));
	server_exits_ok(f, 5000);
	assert_int_equal(access(f->sock, F_OK), -1);
	assert_int_equal(access(f->pidfile, F_OK), -1);
}

static void
test_stuck_worker_killed_after_grace(void **state)
{
	struct fx *f = *state;
	char out[512];
	struct note n;
	int64_t t0;
	int fd, st;

	f->opts.drain_seconds = 1;
	start_server(f);
	fd = fcgi_connect(f->sock);
	assert_true(fd >= 0);
	assert_int_equal(fcgi_send(fd, "/hang"), 0);
	assert_int_equal(next_note(f, &n, 5000), 0);
	assert_int_equal(n.tag, 'H');

	t0 = mono_ms();
	assert_int_equal(kill(f->server, SIGTERM), 0);
	assert_int_equal(wait_exit(f->server, 6000, &st), 0);
	f->server = 0;
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	assert_true(mono_ms() - t0 >= 900);
	/* The worker was killed: no END_REQUEST. */
	assert_int_equal(fcgi_recv(fd, out, sizeof(out)), -1);
	close(fd);
	assert_int_equal(kill(n.pid, 0), -1);
	assert_int_equal(access(f->sock, F_OK), -1);
}

static void
test_sighup_reloads_and_replaces_workers(void **state)
{
	struct fx *f = *state;
	pid_t old[MAX_KIDS], now[MAX_KIDS];
	struct note n;
	int gen = -1;

	cfg_reload_fail_first = 1;
	start_server(f);
	assert_int_equal(wait_children(f->server, 2, NULL, 0, old, 5000), 0);
	assert_true(hello(f->sock, &gen) > 0);
	assert_int_equal(gen, 0);

	/* A failed reload keeps the configuration. */
	assert_int_equal(kill(f->server, SIGHUP), 0);
	assert_int_equal(next_note(f, &n, 5000), 0);
	assert_int_equal(n.tag, 'F');
	assert_int_equal(n.pid, f->server);     /* reload runs in the master */
	assert_true(hello(f->sock, &gen) > 0);
	assert_int_equal(gen, 0);

	assert_int_equal(kill(f->server, SIGHUP), 0);
	assert_int_equal(next_note(f, &n, 5000), 0);
	assert_int_equal(n.tag, 'R');
	assert_int_equal(wait_children(f->server, 2, old, 2, now, 10000), 0);
	for (int i = 0; i < 6; i++) {
		long pid = hello(f->sock, &gen);

		assert_true(pid > 0);
		assert_false(contains(old, 2, (pid_t)pid));
		assert_int_equal(gen, 1);       /* forked after the reload */
	}
	stop_server(f, 5000);
}

static void
test_workers_retire_after_max_requests(void **state)
{
	struct fx *f = *state;
	long seen[7];
	int distinct = 0;

	f->opts.workers = 1;
	f->opts.max_requests = 3;
	start_server(f);
	for (int i = 0; i < 7; i++) {
		seen[i] = hello(f->sock, NULL);
		assert_true(seen[i] > 0);
		if (i == 0 || seen[i] != seen[i - 1])
			distinct++;
	}
	assert_int_equal(seen[0], seen[2]);
	assert_true(seen[3] != seen[2]);
	assert_int_equal(seen[3], seen[5]);
	assert_int_equal(distinct, 3);
	stop_server(f, 5000);
}

static void
test_keep_conn_is_closed(void **state)
{
	struct fx *f = *state;
	char out[512];
	unsigned char c;
	int fd;

	/* One worker: if it waited on the kept connection, the next
	 * connection would never be accepted. */
	f->opts.workers = 1;
	start_server(f);
	fd = fcgi_connect(f->sock);
	assert_true(fd >= 0);
	assert_int_equal(fcgi_send_flags(fd, "/", 1), 0);     /* FCGI_KEEP_CONN */
	assert_int_equal(fcgi_recv(fd, out, sizeof(out)), 0);
	assert_non_null(strstr(out, "hello "));
	assert_int_equal(read(fd, &c, 1), 0);
	close(fd);
	assert_true(hello(f->sock, NULL) > 0);
	stop_server(f, 5000);
}

static void
test_sigusr1_recycles_worker(void **state)
{
	struct fx *f = *state;
	pid_t kids[MAX_KIDS], now[MAX_KIDS];

	f->opts.workers = 1;
	start_server(f);
	assert_int_equal(wait_children(f->server, 1, NULL, 0, kids, 5000), 0);
	assert_int_equal(kill(kids[0], SIGUSR1), 0);
	assert_int_equal(wait_children(f->server, 1, kids, 1, now, 5000), 0);
	assert_int_equal(hello(f->sock, NULL), now[0]);
	stop_server(f, 5000);
}

static void
test_restart_backoff(void **state)
{
	struct fx *f = *state;
	int64_t at[13];
	struct note n;

	cfg_fail_init = 1;
	f->opts.workers = 1;
	start_server(f);
	for (int i = 0; i < 13; i++) {
		assert_int_equal(next_note(f, &n, 5000), 0);
		assert_int_equal(n.tag, 'I');
		at[i] = mono_ms();
	}
	/* 11 deaths within 10 s: from then on one restart per second. */
	assert_true(at[11] - at[10] >= 800);
	assert_true(at[12] - at[11] >= 800);
	/* The throttled master still obeys SIGTERM promptly. */
	stop_server(f, 3000);
}

/* Runs the server on a socket created here and passed as fd 0 or fd 3. */
static void
run_inherited(struct fx *f, int systemd)
{
	pid_t kids[MAX_KIDS];
	struct sockaddr_un sa;
	int fd;

	sock_addr(&sa, f->sock);
	fflush(NULL);
	f->server = fork();
	assert_true(f->server >= 0);
	if (f->server == 0) {
		char pid[32];
		int rc;

		fd = socket(AF_UNIX, SOCK_STREAM, 0);
		if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
		    listen(fd, 16) != 0 || dup2(fd, systemd ? 3 : 0) < 0)
			exit(20);
		if (fd != (systemd ? 3 : 0))
			close(fd);
		if (systemd) {
			snprintf(pid, sizeof(pid), "%ld", (long)getpid());
			setenv("LISTEN_FDS", "1", 1);
			setenv("LISTEN_PID", pid, 1);
		}
		f->opts.listen = NULL;
		rc = ag_server_run(&f->opts, &hooks);
		exit(rc == 0 ? 0 : 10);
	}
	assert_int_equal(wait_children(f->server, 2, NULL, 0, kids, 5000), 0);
	for (int i = 0; i < 4; i++)
		assert_true(hello(f->sock, NULL) > 0);
	stop_server(f, 5000);
	/* Not ours: the file stays. */
	assert_int_equal(access(f->sock, F_OK), 0);
	unlink(f->sock);
}

static void
test_inherited_socket_fd0(void **state)
{
	run_inherited(*state, 0);
}

static void
test_inherited_socket_systemd(void **state)
{
	run_inherited(*state, 1);
}

static void
test_stale_socket_is_replaced(void **state)
{
	struct fx *f = *state;
	struct sockaddr_un sa;
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	/* Bound and closed: a file nobody listens on. */
	sock_addr(&sa, f->sock);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	close(fd);
	start_server(f);
	assert_true(hello(f->sock, NULL) > 0);
	stop_server(f, 5000);
}

static void
test_setup_failures(void **state)
{
	struct fx *f = *state;
	ag_server_hooks nohandle = hooks;
	struct sockaddr_un sa;
	char path[200];
	int fd, saved0, devnull;

	nohandle.handle = NULL;
	assert_int_equal(ag_server_run(NULL, &hooks), -1);
	assert_int_equal(ag_server_run(&f->opts, &nohandle), -1);
	f->opts.workers = 0;
	assert_int_equal(ag_server_run(&f->opts, &hooks), -1);
	f->opts.workers = AG_SERVER_MAX_WORKERS + 1;
	assert_int_equal(ag_server_run(&f->opts, &hooks), -1);
	f->opts.workers = 2;

	/* Cannot bind: missing directory; path too long. */
	snprintf(path, sizeof(path), "%s/missing/s.sock", f->dir);
	f->opts.listen = path;
	assert_int_equal(ag_server_run(&f->opts, &hooks), -1);
	memset(path, 'x', 150);
	path[0] = '/';
	path[150] = '\0';
	assert_int_equal(ag_server_run(&f->opts, &hooks), -1);

	/* A regular file at the path is left alone. */
	snprintf(path, sizeof(path), "%s/file", f->dir);
	fd = open(path, O_WRONLY | O_CREAT, 0600);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(ag_server_run(&f->opts, &hooks), -1);
	assert_int_equal(access(path, F_OK), 0);

	/* Another server listening there: refuse, keep its socket. */
	f->opts.listen = f->sock;
	sock_addr(&sa, f->sock);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(fd, 4), 0);
	assert_int_equal(ag_server_run(&f->opts, &hooks), -1);
	assert_int_equal(access(f->sock, F_OK), 0);
	close(fd);
	unlink(f->sock);

	/* Pidfile cannot be written: the socket just made is removed. */
	snprintf(path, sizeof(path), "%s/missing/pid", f->dir);
	f->opts.pidfile = path;
	assert_int_equal(ag_server_run(&f->opts, &hooks), -1);
	assert_int_equal(access(f->sock, F_OK), -1);
	f->opts.pidfile = f->pidfile;

	/* Nothing to inherit on fd 0. */
	f->opts.listen = NULL;
	saved0 = dup(0);
	devnull = open("/dev/null", O_RDONLY);
	assert_true(saved0 >= 0 && devnull >= 0);
	dup2(devnull, 0);
	assert_int_equal(ag_server_run(&f->opts, &hooks), -1);
	dup2(saved0, 0);
	close(saved0);
	close(devnull);
	assert_int_equal(ag_server_stopping(), 0);
}

/* ag_cli_parse with stdout/stderr silenced. */
static int
cli(ag_cli *out, int argc, const char *const *args)
{
	char *argv[16];
	int saved1 = dup(1), saved2 = dup(2), devnull = open("/dev/null", O_WRONLY);
	int rc;

	for (int i = 0; i < argc; i++)
		argv[i] = (char *)args[i];
	argv[argc] = NULL;
	fflush(NULL);
	dup2(devnull, 1);
	dup2(devnull, 2);
	rc = ag_cli_parse(argc, argv, "autogate-test", "1.2.3", out);
	fflush(NULL);
	dup2(saved1, 1);
	dup2(saved2, 2);
	close(saved1);
	close(saved2);
	close(devnull);
	return rc;
}

static void
test_cli_parse(void **state)
{
	static const char *const ok1[] = { "prog", "-c", "/etc/a.conf", "--listen",
		"/run/a.sock", "--workers", "4", "--pidfile", "/run/a.pid" };
	static const char *const ok2[] = { "prog", "--config=/x.conf", "--workers=1",
		"--listen=/s" };
	static const char *const help[] = { "prog", "--workers", "2", "-h" };
	static const char *const ver[] = { "prog", "--version" };
	static const char *const bad[][3] = {
		{ "prog", "--workers", "0" },
		{ "prog", "--workers", "3x" },
		{ "prog", "--workers", "257" },
		{ "prog", "--bogus", "1" },
		{ "prog", "positional", "x" },
		{ "prog", "--listen=", "x" },
	};
	static const char *const missing[] = { "prog", "-c" };
	ag_cli c;

	(void)state;
	assert_int_equal(cli(&c, 1, ok1), 0);
	assert_null(c.config);
	assert_null(c.listen);
	assert_null(c.pidfile);
	assert_int_equal(c.workers, 0);

	assert_int_equal(cli(&c, 9, ok1), 0);
	assert_string_equal(c.config, "/etc/a.conf");
	assert_string_equal(c.listen, "/run/a.sock");
	assert_string_equal(c.pidfile, "/run/a.pid");
	assert_int_equal(c.workers, 4);

	assert_int_equal(cli(&c, 4, ok2), 0);
	assert_string_equal(c.config, "/x.conf");
	assert_string_equal(c.listen, "/s");
	assert_int_equal(c.workers, 1);

	assert_int_equal(cli(&c, 4, help), 1);
	assert_int_equal(cli(&c, 2, ver), 1);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(cli(&c, 3, bad[i]), -1);
	assert_int_equal(cli(&c, 2, missing), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cli_parse),
		cmocka_unit_test_setup_teardown(test_setup_failures, setup, teardown),
		cmocka_unit_test_setup_teardown(test_serves_and_stops_cleanly, setup, teardown),
		cmocka_unit_test_setup_teardown(test_killed_worker_is_replaced, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sigterm_finishes_request_in_flight, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_stuck_worker_killed_after_grace, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_sighup_reloads_and_replaces_workers, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_workers_retire_after_max_requests, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_keep_conn_is_closed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sigusr1_recycles_worker, setup, teardown),
		cmocka_unit_test_setup_teardown(test_restart_backoff, setup, teardown),
		cmocka_unit_test_setup_teardown(test_inherited_socket_fd0, setup, teardown),
		cmocka_unit_test_setup_teardown(test_inherited_socket_systemd, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stale_socket_is_replaced, setup, teardown),
	};

	return cmocka_run_group_tests_name("server", tests, NULL, NULL);
}
