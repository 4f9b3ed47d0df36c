/*
 * autogate-admin - administration from the shell.
 *
 *   autogate-admin [-c CONFIG] create-superadmin --email E --name N --password-stdin
 *   autogate-admin [-c CONFIG] create-user --email E --name N --role ROLE
 *       [--company COMPANY_ID] --password-stdin
 *
 * The password is read from standard input (one line) so that it never
 * shows in the process list or shell history.  Creating a user that
 * already exists changes nothing and succeeds, so set-up scripts can run
 * it again.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ag_build.h"
#include "auth.h"
#include "config.h"
#include "db.h"
#include "error.h"
#include "validate.h"

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: autogate-admin [-c CONFIG] create-superadmin --email E --name N --password-stdin\n"
	    "       autogate-admin [-c CONFIG] create-user --email E --name N --role ROLE\n"
	    "                      [--company COMPANY_ID] --password-stdin\n"
	    "roles: super_admin admin operational tenant_admin tenant_operational\n");
}

static char *
read_password(void)
{
	static char line[256];
	size_t n;

	if (fgets(line, sizeof(line), stdin) == NULL)
		return NULL;
	n = strcspn(line, "\r\n");
	line[n] = '\0';
	return line;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "email", required_argument, NULL, 'e' },
		{ "name", required_argument, NULL, 'n' },
		{ "role", required_argument, NULL, 'r' },
		{ "company", required_argument, NULL, 'C' },
		{ "password-stdin", no_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	const char *config_path = getenv("AUTOGATE_CONFIG"), *email = NULL;
	const char *name = NULL, *role = NULL, *company = NULL, *cmd;
	char err[256], *password;
	int c, from_stdin = 0, rc;
	ag_config *cfg;
	ag_db *db;
	ag_arena *a;
	ag_error e;

	while ((c = getopt_long(argc, argv, "c:h", opts, NULL)) != -1) {
		switch (c) {
		case 'c': config_path = optarg; break;
		case 'e': email = optarg; break;
		case 'n': name = optarg; break;
		case 'r': role = optarg; break;
		case 'C': company = optarg; break;
		case 'p': from_stdin = 1; break;
		case 'h': usage(stdout); return 0;
		case 'V': puts("autogate-admin " PACKAGE_VERSION); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind + 1 != argc) {
		usage(stderr);
		return 2;
	}
	cmd = argv[optind];
	if (strcmp(cmd, "create-superadmin") == 0)
		role = "super_admin";
	else if (strcmp(cmd, "create-user") != 0 || role == NULL) {
		usage(stderr);
		return 2;
	}
	if (email == NULL || !ag_valid_email(email) || name == NULL ||
	    name[0] == '\0' || !from_stdin) {
		fprintf(stderr, "autogate-admin: --email (valid), --name and "
		    "--password-stdin are required\n");
		return 2;
	}
	if ((password = read_password()) == NULL || strlen(password) < 12) {
		fprintf(stderr, "autogate-admin: the password (on stdin) must "
		    "have at least 12 characters\n");
		return 2;
	}
	if (config_path == NULL)
		config_path = AG_SYSCONFDIR "/autogate.conf";
	if ((cfg = ag_config_load(config_path, err, sizeof(err))) == NULL) {
		fprintf(stderr, "autogate-admin: %s\n", err);
		return 1;
	}
	db = ag_db_open(ag_config_get(cfg, "database", "dsn", "dbname=autogate"));
	a = ag_arena_new();
	ag_error_init(&e, a);
	rc = ag_user_create(db, a, email, name, password, role, company, &e);
	if (rc < 0)
		fprintf(stderr, "autogate-admin: could not create the user: %s\n",
		    ag_db_error(db));
	else if (rc == 1)
		printf("user %s exists already; left unchanged\n", email);
	else
		printf("created %s with role %s\n", email, role);
	ag_arena_free(a);
	ag_db_close(db);
	ag_config_free(cfg);
	return rc < 0 ? 1 : 0;
}
