# shellcheck shell=bash
# pg.sh - a private PostgreSQL cluster under the var directory: initialised
# once, run by the postgres system user, reachable only through a unix
# socket with trust authentication (a development/test cluster, never a
# production one). Needs common.sh and the AG_* paths from stack.sh.

# ag_pg_bindir: the server binaries, PostgreSQL 15 preferred.
ag_pg_bindir() {
	local d
	if [ -x /usr/lib/postgresql/15/bin/pg_ctl ]; then
		echo /usr/lib/postgresql/15/bin
		return 0
	fi
	d=$(find /usr/lib/postgresql -maxdepth 3 -path '*/bin/pg_ctl' 2>/dev/null | sort -V | tail -n 1)
	[ -n "$d" ] || ag_die "PostgreSQL server binaries not found (install the postgresql package)"
	dirname "$d"
}

# ag_pg_ctl ARGS...: pg_ctl on this stack's cluster, as the postgres user.
ag_pg_ctl() {
	(cd / && ag_as "$AG_PG_USER" "$(ag_pg_bindir)/pg_ctl" -D "$AG_PGDATA" "$@")
}

ag_pg_running() {
	[ -s "$AG_PGDATA/PG_VERSION" ] && ag_pg_ctl status >/dev/null 2>&1
}

# ag_pg_write_conf: the settings that depend on the paths, rewritten on
# every start so a moved tree still works. AG_PG_FAST=1 trades durability
# for speed (throwaway test clusters).
ag_pg_write_conf() {
	local sock=${AG_PGSOCK//\'/\'\'}
	{
		echo "# Written by script/lib/pg.sh on every start; do not edit."
		echo "listen_addresses = ''"
		echo "unix_socket_directories = '$sock'"
		echo "unix_socket_permissions = 0777"
		echo "timezone = 'UTC'"
		echo "log_timezone = 'UTC'"
		echo "max_connections = 100"
		if [ "${AG_PG_FAST:-0}" = 1 ]; then
			echo "fsync = off"
			echo "synchronous_commit = off"
			echo "full_page_writes = off"
		fi
	} >"$AG_PGDATA/autogate.conf"
	chown "$AG_PG_USER:$AG_PG_USER" "$AG_PGDATA/autogate.conf"
	chmod 0600 "$AG_PGDATA/autogate.conf"
	if ! grep -q "^include_if_exists = 'autogate.conf'" "$AG_PGDATA/postgresql.conf"; then
		echo "include_if_exists = 'autogate.conf'" >>"$AG_PGDATA/postgresql.conf"
	fi
}

# ag_pg_start: initialises the cluster the first time, then starts it
# unless it is running.
ag_pg_start() {
	local bindir
	bindir=$(ag_pg_bindir)
	ag_mkdir "$AG_PG_USER:$AG_PG_USER" 0700 "$AG_VAR/pg"
	ag_mkdir "$AG_PG_USER:$AG_PG_USER" 0755 "$AG_PGSOCK"
	ag_check_reachable "$AG_PG_USER" -w "$AG_VAR/pg" "$AG_PGSOCK"
	if [ ! -s "$AG_PGDATA/PG_VERSION" ]; then
		ag_msg "initialising PostgreSQL cluster in ${AG_PGDATA#"$AG_SRC"/}"
		rm -rf "$AG_PGDATA"
		(cd / && ag_as "$AG_PG_USER" "$bindir/initdb" -D "$AG_PGDATA" -U postgres \
			-E UTF8 --locale=C.UTF-8 --auth-local=trust --auth-host=reject) \
			>"$AG_VAR/pg/initdb.log" 2>&1 ||
			{
				ag_tail_logs "$AG_VAR/pg/initdb.log"
				ag_die "initdb failed"
			}
	fi
	ag_pg_write_conf
	if ag_pg_running; then
		ag_msg "PostgreSQL already running (${AG_PGDATA#"$AG_SRC"/})"
		return 0
	fi
	ag_msg "starting PostgreSQL (socket in ${AG_PGSOCK#"$AG_SRC"/})"
	if ! ag_pg_ctl -l "$AG_PGLOG" -w -t 30 start >/dev/null; then
		ag_tail_logs "$AG_PGLOG"
		ag_die "PostgreSQL did not start"
	fi
}

# ag_pg_stop: fast shutdown (rolls back open transactions).
ag_pg_stop() {
	if ag_pg_running; then
		ag_msg "stopping PostgreSQL (${AG_PGDATA#"$AG_SRC"/})"
		ag_pg_ctl -m fast -w -t 30 stop >/dev/null
	fi
}

# ag_psql [ARGS...]: psql as the cluster superuser.
ag_psql() {
	psql -X -q -v ON_ERROR_STOP=1 -h "$AG_PGSOCK" -U postgres "$@"
}

# ag_pg_ensure_db NAME: creates the login role autogate (not a superuser)
# and the database NAME owned by it, when missing.
ag_pg_ensure_db() {
	local db=$1
	if [ -z "$(ag_psql -d postgres -tAc "SELECT 1 FROM pg_roles WHERE rolname = 'autogate'")" ]; then
		ag_msg "creating database role autogate"
		ag_psql -d postgres -c 'CREATE ROLE autogate LOGIN'
	fi
	if [ -z "$(ag_psql -d postgres -tA -v db="$db" <<<"SELECT 1 FROM pg_database WHERE datname = :'db'")" ]; then
		ag_msg "creating database $db"
		createdb -h "$AG_PGSOCK" -U postgres -O autogate -E UTF8 "$db"
	fi
}
