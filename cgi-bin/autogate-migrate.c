/*
 * autogate-migrate - applies the database migrations, reports their
 * state, or runs one SQL file (demo seed data).
 *
 *   autogate-migrate [-c CONFIG] [--dsn DSN] [--dir SQLDIR] [up|status|seed FILE]
 *
 * Exit status: 0 ok, 1 error, 2 usage, 3 (status only) migrations pending.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "config.h"
#include "db.h"
#include "log.h"
#include "migrate.h"

#ifndef AG_DATADIR
#define AG_DATADIR "/usr/share/autogate"
#endif
#ifndef AG_SYSCONFDIR
#define AG_SYSCONFDIR "/etc/autogate"
#endif

enum { EXIT_OK = 0, EXIT_ERROR = 1, EXIT_USAGE = 2, EXIT_PENDING = 3 };

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: autogate-migrate [-c CONFIG] [--dsn DSN] [--dir SQLDIR] [up|status|seed FILE]\n"
	    "  up           apply pending migrations (default)\n"
	    "  status       list migrations; exit status 3 if some are pending\n"
	    "  seed FILE    run one SQL file in a transaction\n"
	    "  -c CONFIG    configuration file (default %s/autogate.conf if it exists)\n"
	    "  --dsn DSN    database connection string (default: [database] dsn)\n"
	    "  --dir SQLDIR migrations directory (default: [paths] sql, else %s/sql)\n",
	    AG_SYSCONFDIR, AG_DATADIR);
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "dsn", required_argument, NULL, 'd' },
		{ "dir", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *config_path = NULL, *dsn = NULL, *dir = NULL, *cmd = "up", *seed = NULL;
	const char *level;
	char err[1024];
	enum ag_log_level lvl;
	ag_config *cfg;
	ag_arena *a;
	ag_db *db;
	int ch, rc = EXIT_OK, pending = 0;

	while ((ch = getopt_long(argc, argv, "c:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'c': config_path = optarg; break;
		case 'd': dsn = optarg; break;
		case 's': dir = optarg; break;
		case 'h': usage(stdout); return EXIT_OK;
		default: usage(stderr); return EXIT_USAGE;
		}
	}
	if (optind < argc)
		cmd = argv[optind++];
	if (strcmp(cmd, "seed") == 0) {
		if (optind >= argc) {
			usage(stderr);
			return EXIT_USAGE;
		}
		seed = argv[optind++];
	} else if (strcmp(cmd, "up") != 0 && strcmp(cmd, "status") != 0) {
		fprintf(stderr, "autogate-migrate: unknown command '%s'\n", cmd);
		usage(stderr);
		return EXIT_USAGE;
	}
	if (optind < argc) {
		usage(stderr);
		return EXIT_USAGE;
	}

	if (config_path == NULL && access(AG_SYSCONFDIR "/autogate.conf", R_OK) == 0)
		config_path = AG_SYSCONFDIR "/autogate.conf";
	if ((cfg = ag_config_load(config_path, err, sizeof(err))) == NULL) {
		fprintf(stderr, "autogate-migrate: %s\n", err);
		return EXIT_ERROR;
	}
	level = ag_config_get(cfg, "log", "level", "info");
	if (ag_log_level_parse(level, &lvl) == 0)
		ag_log_set_level(lvl);
	else
		ag_log(AG_LOG_WARN, "config log.level: unknown level '%s', using info", level);
	if (dsn == NULL)
		dsn = ag_config_get(cfg, "database", "dsn", "");
	if (dir == NULL)
		dir = ag_config_get(cfg, "paths", "sql", AG_DATADIR "/sql");

	a = ag_arena_new();
	db = ag_db_open(dsn);
	if (seed != NULL) {
		if (ag_sql_run_file(db, a, seed, err, sizeof(err)) < 0)
			rc = EXIT_ERROR;
		else
			printf("ran %s\n", seed);
	} else if (strcmp(cmd, "status") == 0) {
		if (ag_migrate_report(db, a, dir, stdout, &pending, err, sizeof(err)) < 0) {
			rc = EXIT_ERROR;
		} else {
			printf("%d pending\n", pending);
			rc = pending > 0 ? EXIT_PENDING : EXIT_OK;
		}
	} else {
		if (ag_migrate_up(db, a, dir, stdout, err, sizeof(err)) < 0)
			rc = EXIT_ERROR;
	}
	if (rc == EXIT_ERROR)
		fprintf(stderr, "autogate-migrate: %s\n", err);
	ag_arena_free(a);
	ag_db_close(db);
	ag_config_free(cfg);
	return rc;
}
