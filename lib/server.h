/*
 * server.h - the pre-forking FastCGI process manager of every worker.
 *
 * A master process owns the listening socket and a fixed number of
 * worker children that each loop accept -> handle -> finish.  The
 * master restarts children that die, replaces them one by one on
 * SIGHUP after reloading the configuration, and drains them on
 * SIGTERM/SIGINT: a child finishes the request it is serving, then
 * exits; whatever is still running after drain_seconds is killed.
 *
 * The master does no request work, so a crash in a handler costs one
 * child and never the service.  SIGUSR1 to a child makes it finish its
 * request and exit; the master starts a fresh one.  Connections are
 * closed after each request, even if the web server asked to keep them
 * (FCGI_KEEP_CONN): use nginx without fastcgi_keep_conn.
 */
#ifndef AG_SERVER_H
#define AG_SERVER_H

#include <fcgiapp.h>

/* Upper bound for ag_server_opts.workers and --workers. */
#define AG_SERVER_MAX_WORKERS 256

typedef struct ag_server_opts {
	const char *name;      /* program name for logs, e.g. "autogate-tickets" */
	/* Unix socket path.  NULL or "" inherits a listening socket:
	 * fd 3 under systemd socket activation (LISTEN_FDS=1), else fd 0
	 * (spawn-fcgi, Apache mod_fcgid). */
	const char *listen;
	int socket_mode;       /* e.g. 0660, applied after bind; 0 = 0660 */
	int workers;           /* child processes, 1..AG_SERVER_MAX_WORKERS */
	const char *pidfile;   /* optional; written by the master, removed on exit */
	int drain_seconds;     /* grace on SIGTERM before SIGKILL; <= 0 = 10 */
	/* A child exits (and is replaced) after this many requests, to
	 * bound slow leaks; 0 = 100000. */
	unsigned max_requests;
} ag_server_opts;

typedef struct ag_server_hooks {
	/* In each child after fork, before accepting (open the database
	 * connection etc.).  0, or -1 to make the child exit with status 1. */
	int (*child_init)(void *ud);
	/* Handles one accepted request: streams req->in/out/err, params
	 * req->envp.  Required. */
	void (*handle)(FCGX_Request *req, void *ud);
	/* In each child before it exits (not if child_init failed).
	 * Children end with exit(), so atexit handlers run there too. */
	void (*child_exit)(void *ud);
	/* In the master on SIGHUP, before the children are replaced:
	 * reload the configuration.  0, or -1 to keep the old
	 * configuration and the old children. */
	int (*reload)(void *ud);
	void *ud;
} ag_server_hooks;

/*
 * Runs the master until SIGTERM/SIGINT and returns 0 once every child
 * is gone and the pidfile and the socket file (if we created it) are
 * removed.  Returns -1, with a logged reason, if setup fails: bad
 * options, the socket cannot be bound or another server listens on
 * it, no inherited listening socket, the pidfile cannot be written.
 * Signal dispositions and the signal mask are restored on return.
 */
int ag_server_run(const ag_server_opts *opts, const ag_server_hooks *hooks);

/* 1 once this process was asked to stop (SIGTERM/SIGINT).  Handlers
 * may use it to skip long optional work; the current request is still
 * answered. */
int ag_server_stopping(void);

/* Command line shared by all worker programs. */
typedef struct ag_cli {
	const char *config;    /* -c, --config PATH; NULL if not given */
	const char *listen;    /* --listen PATH; NULL if not given */
	int workers;           /* --workers N; 0 if not given */
	const char *pidfile;   /* --pidfile PATH; NULL if not given */
} ag_cli;

/*
 * Parses -c|--config PATH, --listen PATH, --workers N, --pidfile PATH
 * (also as --opt=VALUE), -h|--help and --version.  Returns 0 when the
 * program should run, 1 when help or the version was printed to stdout
 * (exit 0), -1 on a usage error (message on stderr, exit 2).
 */
int ag_cli_parse(int argc, char **argv, const char *name, const char *version,
    ag_cli *out);

#endif
