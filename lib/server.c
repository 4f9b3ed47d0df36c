/*
 * server.c - pre-forking FastCGI master and its workers; see server.h.
 *
 * The master keeps the signals it cares about blocked and takes them
 * with sigtimedwait(), so its whole life is one loop without signal
 * handlers: take signals, reap children, start missing ones, step a
 * rolling reload, sleep until the next signal or deadline.
 *
 * A child waits for connections in ppoll() on a non-blocking listening
 * socket, with SIGTERM/SIGINT unblocked only during that wait.  A stop
 * request therefore cannot slip in between "check the flag" and "block
 * in accept()", and a connection taken by a sibling first does not
 * leave the child stuck in accept().  While a request is being served
 * the signals are unblocked again and only set a flag; the request is
 * finished before the child exits.
 *
 * FCGX_OpenSocket() is not used: libfcgi calls exit() when bind fails,
 * and it would remove any file at the path, not only a stale socket.
 */
#include "server.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "arena.h"
#include "log.h"

#define DEFAULT_DRAIN_S 10
#define DEFAULT_MAX_REQUESTS 100000u
#define DEFAULT_SOCKET_MODE 0660
#define LISTEN_BACKLOG 128
/* More than DEATH_LIMIT unexpected deaths within DEATH_WINDOW_MS
 * throttles restarts to one per THROTTLE_MS. */
#define DEATH_LIMIT 10
#define DEATH_WINDOW_MS 10000
#define THROTTLE_MS 1000
/* The master wakes up at least this often. */
#define MAX_SLEEP_MS 1000
#define SD_LISTEN_FD 3

/*
 * Process-wide, not request state: set by the SIGTERM/SIGINT handler
 * in a child, and in the master when it starts to drain.
 */
static volatile sig_atomic_t stop_requested;

struct child {
	pid_t pid;              /* 0: free slot */
	unsigned gen;           /* configuration generation forked with */
	int retiring;           /* we sent SIGTERM to replace it */
	int64_t kill_at;        /* retiring: SIGKILL from then on (ms) */
};

struct master {
	const ag_server_opts *opts;
	const ag_server_hooks *hooks;
	const char *name;
	const char *sock_path;  /* NULL when inherited */
	pid_t pid;
	int workers;
	int64_t drain_ms;
	unsigned max_requests;
	int socket_mode;
	int listen_fd;
	int own_fd;             /* listen_fd was created here */
	int made_socket;        /* the socket file was created here */
	dev_t sock_dev;
	ino_t sock_ino;
	int wrote_pidfile;
	struct child *kids;
	int nkids;              /* workers + 1: room for one retiring child */
	unsigned gen;
	int64_t deaths[DEATH_LIMIT + 1]; /* ring of unexpected deaths */
	unsigned ndeaths;
	int64_t next_spawn;
	int stopping;
	int64_t drain_deadline;
	int signals_set;
	sigset_t waitset;
	sigset_t oldmask;
	struct sigaction old_term, old_int, old_hup, old_chld, old_pipe;
};

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int
ag_server_stopping(void)
{
	return stop_requested != 0;
}

static void
on_stop_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
	/* Makes libfcgi's own accept loop give up as well. */
	FCGX_ShutdownPending();
}

static void
on_noop_signal(int sig)
{
	(void)sig;
}

/* ---- setup ---------------------------------------------------------- */

static int
check_opts(struct master *m, const ag_server_opts *o, const ag_server_hooks *h)
{
	const char *name = o != NULL && o->name != NULL ? o->name : "autogate";

	m->name = name;
	if (o == NULL || h == NULL || h->handle == NULL) {
		ag_log(AG_LOG_ERROR, "%s: server started without options or handler", name);
		return -1;
	}
	if (o->workers < 1 || o->workers > AG_SERVER_MAX_WORKERS) {
		ag_log(AG_LOG_ERROR, "%s: workers must be 1..%d, not %d", name,
		    AG_SERVER_MAX_WORKERS, o->workers);
		return -1;
	}
	if (o->socket_mode < 0 || o->socket_mode > 0777) {
		ag_log(AG_LOG_ERROR, "%s: invalid socket mode %o", name, (unsigned)o->socket_mode);
		return -1;
	}
	m->opts = o;
	m->hooks = h;
	m->workers = o->workers;
	m->nkids = o->workers + 1;
	m->socket_mode = o->socket_mode != 0 ? o->socket_mode : DEFAULT_SOCKET_MODE;
	m->drain_ms = (int64_t)(o->drain_seconds > 0 ? o->drain_seconds : DEFAULT_DRAIN_S) * 1000;
	m->max_requests = o->max_requests != 0 ? o->max_requests : DEFAULT_MAX_REQUESTS;
	m->sock_path = o->listen != NULL && o->listen[0] != '\0' ? o->listen : NULL;
	return 0;
}

/* 1 if something accepts connections on the socket at sa. */
static int
socket_is_live(const struct sockaddr_un *sa)
{
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	int live;

	if (fd < 0)
		return 0;
	/* EAGAIN: the backlog is full, which also means alive. */
	live = connect(fd, (const struct sockaddr *)sa, sizeof(*sa)) == 0 ||
	    errno == EAGAIN;
	close(fd);
	return live;
}

static int
open_listener(struct master *m)
{
	const char *path = m->sock_path;
	size_t len = strlen(path);
	struct sockaddr_un sa;
	struct stat st;
	mode_t old_umask;
	int fd, r;

	if (len >= sizeof(sa.sun_path)) {
		ag_log(AG_LOG_ERROR, "%s: socket path too long: %s", m->name, path);
		return -1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	memcpy(sa.sun_path, path, len);

	if (lstat(path, &st) == 0) {
		if (!S_ISSOCK(st.st_mode)) {
			ag_log(AG_LOG_ERROR, "%s: %s exists and is not a socket; not removing it",
			    m->name, path);
			return -1;
		}
		if (socket_is_live(&sa)) {
			ag_log(AG_LOG_ERROR, "%s: another server is listening on %s", m->name, path);
			return -1;
		}
		if (unlink(path) != 0 && errno != ENOENT) {
			ag_log(AG_LOG_ERROR, "%s: cannot remove stale socket %s: %s", m->name,
			    path, strerror(errno));
			return -1;
		}
	} else if (errno != ENOENT) {
		ag_log(AG_LOG_ERROR, "%s: %s: %s", m->name, path, strerror(errno));
		return -1;
	}

	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		ag_log(AG_LOG_ERROR, "%s: socket: %s", m->name, strerror(errno));
		return -1;
	}
	m->listen_fd = fd;
	m->own_fd = 1;
	/* Nobody but us may connect before chmod has set the real mode. */
	old_umask = umask(0177);
	r = bind(fd, (const struct sockaddr *)&sa, sizeof(sa));
	umask(old_umask);
	if (r != 0) {
		ag_log(AG_LOG_ERROR, "%s: cannot bind %s: %s", m->name, path, strerror(errno));
		return -1;
	}
	if (lstat(path, &st) == 0) {
		m->made_socket = 1;
		m->sock_dev = st.st_dev;
		m->sock_ino = st.st_ino;
	}
	if (chmod(path, (mode_t)m->socket_mode) != 0) {
		ag_log(AG_LOG_ERROR, "%s: chmod %s: %s", m->name, path, strerror(errno));
		return -1;
	}
	if (listen(fd, LISTEN_BACKLOG) != 0) {
		ag_log(AG_LOG_ERROR, "%s: listen on %s: %s", m->name, path, strerror(errno));
		return -1;
	}
	return 0;
}

static int
is_listening_socket(int fd)
{
	int v = 0;
	socklen_t len = sizeof(v);

	return getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &v, &len) == 0 && v != 0;
}

/* systemd socket activation (fd 3) or a socket on fd 0. */
static int
inherit_listener(struct master *m)
{
	const char *fds = getenv("LISTEN_FDS");
	const char *pid = getenv("LISTEN_PID");
	int fd = 0;

	if (fds != NULL && (pid == NULL || strtol(pid, NULL, 10) == (long)m->pid)) {
		if (strcmp(fds, "1") != 0) {
			ag_log(AG_LOG_ERROR, "%s: LISTEN_FDS=%s: exactly one socket is supported",
			    m->name, fds);
			return -1;
		}
		fd = SD_LISTEN_FD;
		/* Not for the children or the programs they run. */
		unsetenv("LISTEN_FDS");
		unsetenv("LISTEN_PID");
		unsetenv("LISTEN_FDNAMES");
	}
	if (!is_listening_socket(fd)) {
		ag_log(AG_LOG_ERROR, "%s: no socket path given and fd %d is not a listening "
		    "socket (use --listen PATH)", m->name, fd);
		return -1;
	}
	m->listen_fd = fd;
	m->own_fd = 0;
	return 0;
}

static int
prepare_fd(struct master *m)
{
	int fl = fcntl(m->listen_fd, F_GETFL);

	/* Non-blocking: a sibling may take the connection between our
	 * poll() and accept(); then accept() says EAGAIN. */
	if (fl < 0 || fcntl(m->listen_fd, F_SETFL, fl | O_NONBLOCK) != 0 ||
	    fcntl(m->listen_fd, F_SETFD, FD_CLOEXEC) != 0) {
		ag_log(AG_LOG_ERROR, "%s: fcntl on listening socket: %s", m->name,
		    strerror(errno));
		return -1;
	}
	return 0;
}

static int
write_pidfile(struct master *m)
{
	const char *path = m->opts->pidfile;
	char buf[32];
	int fd, n, ok;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0) {
		ag_log(AG_LOG_ERROR, "%s: cannot write pidfile %s: %s", m->name, path,
		    strerror(errno));
		return -1;
	}
	n = snprintf(buf, sizeof(buf), "%ld\n", (long)m->pid);
	ok = write(fd, buf, (size_t)n) == n;
	if (close(fd) != 0)
		ok = 0;
	if (!ok) {
		ag_log(AG_LOG_ERROR, "%s: cannot write pidfile %s", m->name, path);
		unlink(path);
		return -1;
	}
	m->wrote_pidfile = 1;
	return 0;
}

/* Removes the pidfile unless another process has taken it over since. */
static void
remove_pidfile(struct master *m)
{
	const char *path = m->opts->pidfile;
	char buf[32];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);

	if (fd < 0)
		return;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return;
	buf[n] = '\0';
	if (strtol(buf, NULL, 10) == (long)m->pid)
		unlink(path);
}

static void
remove_socket(struct master *m)
{
	struct stat st;

	/* Only the file we bound, not one a newer instance put there. */
	if (lstat(m->sock_path, &st) == 0 && st.st_dev == m->sock_dev &&
	    st.st_ino == m->sock_ino)
		unlink(m->sock_path);
}

static void
master_signals(struct master *m)
{
	struct sigaction sa;

	sigemptyset(&m->waitset);
	sigaddset(&m->waitset, SIGTERM);
	sigaddset(&m->waitset, SIGINT);
	sigaddset(&m->waitset, SIGHUP);
	sigaddset(&m->waitset, SIGCHLD);
	sigprocmask(SIG_BLOCK, &m->waitset, &m->oldmask);

	/* Handlers that are never run (the signals stay blocked) but keep
	 * an inherited SIG_IGN (nohup, a careless parent) from discarding
	 * the signals or auto-reaping children. */
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_noop_signal;
	sigaction(SIGTERM, &sa, &m->old_term);
	sigaction(SIGINT, &sa, &m->old_int);
	sigaction(SIGHUP, &sa, &m->old_hup);
	sa.sa_flags = SA_NOCLDSTOP;
	sigaction(SIGCHLD, &sa, &m->old_chld);
	/* A web server that hangs up must not kill a worker. */
	sa.sa_flags = 0;
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, &m->old_pipe);
	m->signals_set = 1;
}

static void
restore_signals(struct master *m)
{
	sigset_t pending;
	struct timespec zero = { 0, 0 };

	if (!m->signals_set)
		return;
	/* Drop what arrived during shutdown so restoring the old
	 * dispositions does not act on it. */
	while (sigpending(&pending) == 0 && (sigismember(&pending, SIGTERM) ||
	    sigismember(&pending, SIGINT) || sigismember(&pending, SIGHUP) ||
	    sigismember(&pending, SIGCHLD)))
		if (sigtimedwait(&m->waitset, NULL, &zero) < 0)
			break;
	sigaction(SIGTERM, &m->old_term, NULL);
	sigaction(SIGINT, &m->old_int, NULL);
	sigaction(SIGHUP, &m->old_hup, NULL);
	sigaction(SIGCHLD, &m->old_chld, NULL);
	sigaction(SIGPIPE, &m->old_pipe, NULL);
	sigprocmask(SIG_SETMASK, &m->oldmask, NULL);
	m->signals_set = 0;
}

/* ---- child ---------------------------------------------------------- */

static void
child_signals(struct master *m, sigset_t *stopset, sigset_t *runmask)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	/* SA_RESTART so that handlers are not disturbed by EINTR; ppoll()
	 * is interrupted regardless. */
	sa.sa_flags = SA_RESTART;
	sa.sa_handler = on_stop_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	/* libfcgi's "finish and exit" signal: the master replaces us. */
	sigaction(SIGUSR1, &sa, NULL);
	sa.sa_flags = 0;
	sa.sa_handler = SIG_IGN;        /* SIGHUP is the master's business */
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = SIG_DFL;
	sigaction(SIGCHLD, &sa, NULL);

	sigemptyset(stopset);
	sigaddset(stopset, SIGTERM);
	sigaddset(stopset, SIGINT);
	sigaddset(stopset, SIGUSR1);
	*runmask = m->oldmask;
	sigdelset(runmask, SIGTERM);
	sigdelset(runmask, SIGINT);
	sigdelset(runmask, SIGCHLD);
	sigdelset(runmask, SIGHUP);
	sigdelset(runmask, SIGUSR1);
	/* Keep the stop signals blocked; they are taken in ppoll() or once
	 * a request is being handled. */
	sigprocmask(SIG_SETMASK, runmask, NULL);
	sigprocmask(SIG_BLOCK, stopset, NULL);
}

/*
 * Accept loop of one worker.  Returns the exit status.  Called with
 * the stop signals (SIGTERM, SIGINT, SIGUSR1) blocked.
 */
static int
child_loop(struct master *m, const sigset_t *stopset, const sigset_t *runmask)
{
	const ag_server_hooks *h = m->hooks;
	FCGX_Request req;
	unsigned served = 0;

	if (FCGX_InitRequest(&req, m->listen_fd, 0) != 0) {
		ag_log(AG_LOG_ERROR, "%s: FCGX_InitRequest failed", m->name);
		return 1;
	}
	while (!stop_requested) {
		struct pollfd pfd;
		int rc;

		if (served >= m->max_requests) {
			ag_log(AG_LOG_INFO, "%s: worker retires after %u requests", m->name, served);
			break;
		}
		pfd.fd = m->listen_fd;
		pfd.events = POLLIN;
		pfd.revents = 0;
		if (ppoll(&pfd, 1, NULL, runmask) < 0) {
			if (errno == EINTR)
				continue;
			ag_log(AG_LOG_ERROR, "%s: poll: %s", m->name, strerror(errno));
			return 1;
		}
		if (pfd.revents & (POLLERR | POLLHUP | POLLNVAL)) {
			ag_log(AG_LOG_ERROR, "%s: listening socket failed", m->name);
			return 1;
		}
		/* Signals stay blocked until the parameters have been read:
		 * an accepted connection is always answered. */
		rc = FCGX_Accept_r(&req);
		if (rc < 0) {
			if (rc == -EAGAIN || rc == -EWOULDBLOCK || rc == -EINTR ||
			    rc == -ECONNABORTED)
				continue;
			ag_log(AG_LOG_ERROR, "%s: FCGX_Accept_r failed (%d)", m->name, rc);
			return 1;
		}
		sigprocmask(SIG_SETMASK, runmask, NULL);
		h->handle(&req, h->ud);
		FCGX_Finish_r(&req);
		/* Close a connection the web server asked to keep
		 * (FCGI_KEEP_CONN): its next request would arrive there,
		 * unseen by our poll() on the listening socket. */
		FCGX_Free(&req, 1);
		sigprocmask(SIG_BLOCK, stopset, NULL);
		served++;
	}
	return 0;
}

static void
child_main(struct master *m) __attribute__((noreturn));

static void
child_main(struct master *m)
{
	const ag_server_hooks *h = m->hooks;
	sigset_t stopset, runmask;
	int status;

	free(m->kids);
	m->kids = NULL;
	stop_requested = 0;
	child_signals(m, &stopset, &runmask);
	/* Do not outlive a master that was killed outright. */
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (getppid() != m->pid)
		stop_requested = 1;

	if (h->child_init != NULL && h->child_init(h->ud) != 0) {
		ag_log(AG_LOG_ERROR, "%s: worker initialisation failed", m->name);
		exit(1);
	}
	status = child_loop(m, &stopset, &runmask);
	sigprocmask(SIG_SETMASK, &runmask, NULL);
	if (h->child_exit != NULL)
		h->child_exit(h->ud);
	exit(status);
}

/* ---- master --------------------------------------------------------- */

static int
count_active(const struct master *m)
{
	int n = 0;

	for (int i = 0; i < m->nkids; i++)
		if (m->kids[i].pid != 0 && !m->kids[i].retiring)
			n++;
	return n;
}

static int
count_alive(const struct master *m)
{
	int n = 0;

	for (int i = 0; i < m->nkids; i++)
		if (m->kids[i].pid != 0)
			n++;
	return n;
}

static int
spawn(struct master *m)
{
	struct child *slot = NULL;
	pid_t pid;

	for (int i = 0; i < m->nkids && slot == NULL; i++)
		if (m->kids[i].pid == 0)
			slot = &m->kids[i];
	if (slot == NULL)
		return -1;
	/* Unwritten stdio buffers would otherwise be written twice. */
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		ag_log(AG_LOG_ERROR, "%s: fork: %s", m->name, strerror(errno));
		return -1;
	}
	if (pid == 0)
		child_main(m);
	slot->pid = pid;
	slot->gen = m->gen;
	slot->retiring = 0;
	slot->kill_at = 0;
	ag_log(AG_LOG_DEBUG, "%s: started worker %ld", m->name, (long)pid);
	return 0;
}

static int
throttled(const struct master *m, int64_t now)
{
	/* The oldest of the last DEATH_LIMIT + 1 deaths is the next slot. */
	return m->ndeaths > DEATH_LIMIT &&
	    now - m->deaths[m->ndeaths % (DEATH_LIMIT + 1)] < DEATH_WINDOW_MS;
}

static void
child_died(struct master *m, struct child *c, int st)
{
	int expected = m->stopping || c->retiring;
	long pid = (long)c->pid;
	int64_t now = now_ms();
	int crashed;

	if (WIFSIGNALED(st)) {
		crashed = 1;
		ag_log(expected ? AG_LOG_INFO : AG_LOG_WARN,
		    "%s: worker %ld killed by signal %d (%s)", m->name, pid,
		    WTERMSIG(st), strsignal(WTERMSIG(st)));
	} else {
		crashed = WEXITSTATUS(st) != 0;
		if (crashed)
			ag_log(AG_LOG_WARN, "%s: worker %ld exited with status %d", m->name,
			    pid, WEXITSTATUS(st));
		else
			ag_log(expected ? AG_LOG_DEBUG : AG_LOG_INFO, "%s: worker %ld exited",
			    m->name, pid);
	}
	c->pid = 0;
	c->retiring = 0;
	if (!crashed || expected)
		return;
	m->deaths[m->ndeaths % (DEATH_LIMIT + 1)] = now;
	m->ndeaths++;
	if (throttled(m, now) && m->next_spawn < now + THROTTLE_MS) {
		ag_log(AG_LOG_WARN, "%s: workers keep dying; restarting one per second",
		    m->name);
		m->next_spawn = now + THROTTLE_MS;
	}
}

static void
reap(struct master *m)
{
	pid_t pid;
	int st;

	while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
		for (int i = 0; i < m->nkids; i++) {
			if (m->kids[i].pid == pid) {
				child_died(m, &m->kids[i], st);
				break;
			}
		}
	}
}

static void
spawn_missing(struct master *m, int64_t now)
{
	int active = count_active(m);

	while (active < m->workers && now >= m->next_spawn) {
		if (spawn(m) != 0) {
			m->next_spawn = now + THROTTLE_MS;
			return;
		}
		active++;
		if (throttled(m, now))
			m->next_spawn = now + THROTTLE_MS;
	}
}

/* One step of replacing children of an older configuration. */
static void
roll(struct master *m, int64_t now)
{
	struct child *old = NULL;

	for (int i = 0; i < m->nkids; i++) {
		struct child *c = &m->kids[i];

		if (c->pid == 0 || !c->retiring)
			continue;
		if (now >= c->kill_at) {
			ag_log(AG_LOG_WARN, "%s: worker %ld did not finish in time; killing it",
			    m->name, (long)c->pid);
			kill(c->pid, SIGKILL);
			c->kill_at = INT64_MAX;
		}
		return;         /* one at a time */
	}
	if (count_active(m) < m->workers || now < m->next_spawn)
		return;
	for (int i = 0; i < m->nkids && old == NULL; i++)
		if (m->kids[i].pid != 0 && m->kids[i].gen != m->gen)
			old = &m->kids[i];
	if (old == NULL)
		return;
	/* The replacement first, so capacity never drops. */
	if (spawn(m) != 0) {
		m->next_spawn = now + THROTTLE_MS;
		return;
	}
	kill(old->pid, SIGTERM);
	old->retiring = 1;
	old->kill_at = now + m->drain_ms;
}

static void
begin_stop(struct master *m, int sig, int64_t now)
{
	if (m->stopping) {
		ag_log(AG_LOG_WARN, "%s: %s again; killing workers now", m->name,
		    sig == SIGINT ? "SIGINT" : "SIGTERM");
		m->drain_deadline = now;
		return;
	}
	ag_log(AG_LOG_INFO, "%s: %s; stopping %d workers (grace %lld s)", m->name,
	    sig == SIGINT ? "SIGINT" : "SIGTERM", count_alive(m),
	    (long long)(m->drain_ms / 1000));
	m->stopping = 1;
	stop_requested = 1;
	m->drain_deadline = now + m->drain_ms;
	for (int i = 0; i < m->nkids; i++)
		if (m->kids[i].pid != 0)
			kill(m->kids[i].pid, SIGTERM);
}

static void
kill_remaining(struct master *m)
{
	ag_log(AG_LOG_WARN, "%s: %d workers still busy after the grace period; killing them",
	    m->name, count_alive(m));
	for (int i = 0; i < m->nkids; i++)
		if (m->kids[i].pid != 0)
			kill(m->kids[i].pid, SIGKILL);
	for (int i = 0; i < m->nkids; i++) {
		struct child *c = &m->kids[i];
		int st;

		if (c->pid == 0)
			continue;
		while (waitpid(c->pid, &st, 0) < 0 && errno == EINTR)
			;
		c->pid = 0;
	}
}

static void
reload(struct master *m)
{
	const ag_server_hooks *h = m->hooks;

	ag_log(AG_LOG_INFO, "%s: SIGHUP; reloading", m->name);
	if (h->reload != NULL && h->reload(h->ud) != 0) {
		ag_log(AG_LOG_ERROR, "%s: reload failed; keeping the old configuration",
		    m->name);
		return;
	}
	m->gen++;
}

static void
handle_signal(struct master *m, int sig)
{
	switch (sig) {
	case SIGTERM:
	case SIGINT:
		begin_stop(m, sig, now_ms());
		break;
	case SIGHUP:
		if (!m->stopping)
			reload(m);
		break;
	default:                /* SIGCHLD: reaped by the loop */
		break;
	}
}

/* Waits up to wait_ms for a signal, then takes all pending ones. */
static void
take_signals(struct master *m, int64_t wait_ms)
{
	struct timespec ts;
	int sig;

	ts.tv_sec = (time_t)(wait_ms / 1000);
	ts.tv_nsec = (long)(wait_ms % 1000) * 1000000;
	sig = sigtimedwait(&m->waitset, NULL, &ts);
	ts.tv_sec = 0;
	ts.tv_nsec = 0;
	while (sig > 0) {
		handle_signal(m, sig);
		sig = sigtimedwait(&m->waitset, NULL, &ts);
	}
}

static int64_t
next_wakeup(const struct master *m, int64_t now)
{
	int64_t at = now + MAX_SLEEP_MS;

	if (m->stopping && m->drain_deadline < at)
		at = m->drain_deadline;
	if (!m->stopping && m->next_spawn > now && m->next_spawn < at)
		at = m->next_spawn;
	for (int i = 0; i < m->nkids; i++)
		if (m->kids[i].pid != 0 && m->kids[i].retiring && m->kids[i].kill_at < at)
			at = m->kids[i].kill_at;
	return at > now ? at - now : 0;
}

static void
master_loop(struct master *m)
{
	int64_t wait_ms = 0;

	for (;;) {
		int64_t now;

		take_signals(m, wait_ms);
		reap(m);
		now = now_ms();
		if (m->stopping) {
			if (count_alive(m) == 0)
				break;
			if (now >= m->drain_deadline) {
				kill_remaining(m);
				break;
			}
		} else {
			spawn_missing(m, now);
			roll(m, now);
		}
		wait_ms = next_wakeup(m, now);
	}
}

static void
cleanup(struct master *m)
{
	restore_signals(m);
	if (m->wrote_pidfile)
		remove_pidfile(m);
	if (m->made_socket)
		remove_socket(m);
	if (m->own_fd && m->listen_fd >= 0)
		close(m->listen_fd);
	free(m->kids);
	m->kids = NULL;
}

int
ag_server_run(const ag_server_opts *opts, const ag_server_hooks *hooks)
{
	struct master m;
	int rc = -1;

	memset(&m, 0, sizeof(m));
	m.listen_fd = -1;
	m.pid = getpid();
	stop_requested = 0;
	if (check_opts(&m, opts, hooks) != 0)
		return -1;
	/* From here a SIGTERM waits for the loop and gets a clean stop. */
	master_signals(&m);
	if (FCGX_Init() != 0) {
		ag_log(AG_LOG_ERROR, "%s: FCGX_Init failed", m.name);
		goto out;
	}
	if ((m.sock_path != NULL ? open_listener(&m) : inherit_listener(&m)) != 0 ||
	    prepare_fd(&m) != 0)
		goto out;
	if (opts->pidfile != NULL && opts->pidfile[0] != '\0' && write_pidfile(&m) != 0)
		goto out;
	m.kids = ag_xcalloc((size_t)m.nkids, sizeof(*m.kids));
	ag_log(AG_LOG_INFO, "%s: listening on %s with %d workers", m.name,
	    m.sock_path != NULL ? m.sock_path : "an inherited socket", m.workers);
	master_loop(&m);
	ag_log(AG_LOG_INFO, "%s: stopped", m.name);
	rc = 0;
out:
	cleanup(&m);
	return rc;
}

/* ---- command line --------------------------------------------------- */

static void
usage(FILE *f, const char *name)
{
	fprintf(f,
	    "Usage: %s [-c PATH] [--listen PATH] [--workers N] [--pidfile PATH]\n"
	    "  -c, --config PATH   configuration file\n"
	    "      --listen PATH   unix socket to create (default: the listening\n"
	    "                      socket inherited on fd 0, or fd 3 from systemd)\n"
	    "      --workers N     number of worker processes (1-%d)\n"
	    "      --pidfile PATH  write the master's process id to PATH\n"
	    "  -h, --help          show this help and exit\n"
	    "      --version       show the version and exit\n",
	    name, AG_SERVER_MAX_WORKERS);
}

static int usage_error(const char *name, const char *fmt, ...) AG_PRINTF(2, 3);

static int
usage_error(const char *name, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry '%s --help' for more information.\n", name);
	return -1;
}

/*
 * If arg is the option short/long (short may be NULL), stores its value
 * ("--long=v", or the next argument) in *val and returns 1; returns -1
 * if the value is missing or empty, 0 if arg is another option.
 */
static int
option_value(int argc, char **argv, int *i, const char *shortopt,
    const char *longopt, const char **val)
{
	const char *arg = argv[*i];
	size_t n = strlen(longopt);

	if (strncmp(arg, longopt, n) == 0 && arg[n] == '=') {
		*val = arg + n + 1;
	} else if (strcmp(arg, longopt) == 0 ||
	    (shortopt != NULL && strcmp(arg, shortopt) == 0)) {
		if (*i + 1 >= argc)
			return -1;
		*val = argv[++*i];
	} else {
		return 0;
	}
	return **val != '\0' ? 1 : -1;
}

int
ag_cli_parse(int argc, char **argv, const char *name, const char *version,
    ag_cli *out)
{
	memset(out, 0, sizeof(*out));
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];
		const char *val = NULL;
		int r;

		if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
			usage(stdout, name);
			return 1;
		}
		if (strcmp(arg, "--version") == 0) {
			printf("%s %s\n", name, version);
			return 1;
		}
		if ((r = option_value(argc, argv, &i, "-c", "--config", &val)) != 0) {
			out->config = val;
		} else if ((r = option_value(argc, argv, &i, NULL, "--listen", &val)) != 0) {
			out->listen = val;
		} else if ((r = option_value(argc, argv, &i, NULL, "--pidfile", &val)) != 0) {
			out->pidfile = val;
		} else if ((r = option_value(argc, argv, &i, NULL, "--workers", &val)) != 0) {
			char *end;
			long n;

			if (r > 0) {
				errno = 0;
				n = strtol(val, &end, 10);
				if (errno != 0 || *end != '\0' || n < 1 ||
				    n > AG_SERVER_MAX_WORKERS)
					return usage_error(name, "--workers: expected a number "
					    "from 1 to %d, not '%s'", AG_SERVER_MAX_WORKERS, val);
				out->workers = (int)n;
			}
		} else if (arg[0] == '-') {
			return usage_error(name, "unknown option '%s'", arg);
		} else {
			return usage_error(name, "unexpected argument '%s'", arg);
		}
		if (r < 0)
			return usage_error(name, "option '%s' needs a value", arg);
	}
	return 0;
}
