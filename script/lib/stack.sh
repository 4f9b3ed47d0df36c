# shellcheck shell=bash
# stack.sh - one running Autogate stack: its var directory, configuration
# file, PostgreSQL cluster, the three FastCGI worker programs, the mail
# sender (autogate-mailer, delivering into var/mail/*.eml) and nginx.
# script/server runs one under var/, script/test a throwaway one under
# var/test/. Needs common.sh and pg.sh.

# The worker programs, each behind its own unix socket.
AG_WORKER_NAMES=(core tickets portal)

# ag_stack_init VARDIR PORT BUILDDIR: sets the paths every other function
# uses. AG_WORKERS (processes per program) may be set by the caller.
ag_stack_init() {
	AG_VAR=$1
	AG_PORT=$2
	AG_BUILD=$3
	AG_RUN=$AG_VAR/run
	AG_LOGDIR=$AG_VAR/log
	AG_STORAGE=$AG_VAR/storage
	AG_MAILDIR=$AG_VAR/mail
	AG_CONF=$AG_VAR/autogate.conf
	AG_PGDATA=$AG_VAR/pg/data
	AG_PGSOCK=$AG_RUN/pg
	AG_PGLOG=$AG_VAR/pg/postgresql.log
	AG_NGINX_DIR=$AG_VAR/nginx
	AG_NGINX_CONF=$AG_NGINX_DIR/nginx.conf
	AG_DB=${AG_DB:-autogate}
	AG_DSN="host=$AG_PGSOCK dbname=$AG_DB user=autogate"
	AG_WORKERS=${AG_WORKERS:-4}
	AG_URL=http://127.0.0.1:$AG_PORT
	case $AG_SRC$AG_VAR in
	*[[:space:]]*) ag_die "paths with whitespace are not supported: $AG_SRC" ;;
	esac
	case $AG_PORT in
	'' | *[!0-9]*) ag_die "invalid port: $AG_PORT" ;;
	esac
	ag_check_sockpath "$AG_PGSOCK/.s.PGSQL.5432"
	ag_check_sockpath "$AG_RUN/tickets.sock"
	export AG_VAR AG_PORT AG_BUILD AG_RUN AG_LOGDIR AG_STORAGE AG_CONF \
		AG_PGDATA AG_PGSOCK AG_PGLOG AG_NGINX_DIR AG_NGINX_CONF AG_DB \
		AG_DSN AG_WORKERS AG_URL AG_MAILDIR
}

# ag_stack_dirs: the var tree with its owners. Never chowns recursively, so
# a nested stack (var/test inside var) is left alone.
ag_stack_dirs() {
	ag_mkdir root:root 0755 "$AG_VAR"
	ag_mkdir "$AG_USER:$AG_USER" 0755 "$AG_RUN"
	ag_mkdir "$AG_USER:$AG_USER" 0750 "$AG_LOGDIR" "$AG_STORAGE"
	ag_mkdir "$AG_USER:$AG_USER" 0755 "$AG_MAILDIR"
	ag_mkdir "$AG_USER:$AG_USER" 0755 "$AG_NGINX_DIR"
	ag_mkdir "$AG_USER:$AG_USER" 0700 "$AG_NGINX_DIR/tmp"
	ag_mkdir root:root 0755 "$AG_NGINX_DIR/extra"
}

# ag_stack_check_access: the service users must reach what they serve.
ag_stack_check_access() {
	ag_check_reachable "$AG_USER" -r "$AG_SRC/templates" "$AG_SRC/static" "$AG_SRC/sql"
	ag_check_reachable "$AG_USER" -x "$AG_SRC/templates" "$AG_SRC/static" "$AG_SRC/sql" "$AG_BUILD"
	ag_check_reachable "$AG_USER" -w "$AG_RUN" "$AG_LOGDIR" "$AG_STORAGE" "$AG_NGINX_DIR/tmp" \
		"$AG_MAILDIR"
	ag_check_reachable "$AG_PG_USER" -x "$AG_VAR"
}

# ag_ini_apply FILE < RULES: edits an INI file in place. Each rule line is
# "MODE<TAB>SECTION<TAB>KEY<TAB>VALUE"; MODE "set" replaces or adds the
# key, "default" adds it only when the file lacks it. Comments and order
# are kept; missing keys go at the end of their section, missing sections
# at the end of the file.
ag_ini_apply() {
	local file=$1
	awk -F '\t' '
	FNR == NR {
		n++; mode[n] = $1; sec[n] = $2; key[n] = $3; val[n] = $4
		next
	}
	function flush(s,    i) {
		for (i = 1; i <= n; i++)
			if (sec[i] == s && !done[i]) {
				print key[i] " = " val[i]
				done[i] = 1
			}
	}
	{
		line = $0
		if (match(line, /^[ \t]*\[[^]]*\]/)) {
			flush(cur)
			s = line
			sub(/^[ \t]*\[[ \t]*/, "", s)
			sub(/[ \t]*\].*$/, "", s)
			cur = s
			seen[cur] = 1
			print line
			next
		}
		if (match(line, /^[ \t]*[A-Za-z0-9_.-]+[ \t]*=/)) {
			k = line
			sub(/^[ \t]*/, "", k)
			sub(/[ \t]*=.*$/, "", k)
			for (i = 1; i <= n; i++)
				if (sec[i] == cur && key[i] == k && !done[i]) {
					done[i] = 1
					if (mode[i] == "set")
						line = k " = " val[i]
				}
		}
		print line
	}
	END {
		flush(cur)
		for (i = 1; i <= n; i++)
			if (!done[i] && !printed[sec[i]]) {
				print ""
				print "[" sec[i] "]"
				printed[sec[i]] = 1
				flush(sec[i])
			}
	}' - "$file" >"$file.tmp"
	mv -f "$file.tmp" "$file"
}

# ag_stack_secret: a random secret made once per var directory, so signed
# links and sessions survive re-runs.
ag_stack_secret() {
	if [ ! -s "$AG_VAR/secret" ]; then
		(umask 077 && openssl rand -hex 32 >"$AG_VAR/secret")
	fi
	chmod 0600 "$AG_VAR/secret"
	cat "$AG_VAR/secret"
}

# ag_stack_config: writes AG_CONF from conf/autogate.conf.example (when it
# exists) with this stack's paths, database and secret filled in.
ag_stack_config() {
	local example=$AG_SRC/conf/autogate.conf.example secret tab
	secret=$(ag_stack_secret)
	tab=$(printf '\t')
	if [ -f "$example" ]; then
		cp "$example" "$AG_CONF.new"
	else
		ag_warn "conf/autogate.conf.example not found; writing a minimal configuration"
		: >"$AG_CONF.new"
	fi
	sed -e "s/|/$tab/g" <<EOF | ag_ini_apply "$AG_CONF.new"
set|server|workers|$AG_WORKERS
set|server|public_url|$AG_URL
default|server|timezone|Asia/Jakarta
default|server|max_body|12582912
default|server|max_json|1048576
default|server|max_upload|10485760
set|database|dsn|$AG_DSN
set|security|secret|$secret
set|security|cookie_secure|false
set|paths|templates|$AG_SRC/templates
set|paths|static|$AG_SRC/static
set|paths|sql|$AG_SRC/sql
set|paths|data|$AG_SRC/data
set|paths|storage|$AG_STORAGE
default|paths|fonts|/usr/share/fonts/truetype/dejavu
set|log|level|${AG_LOG_LEVEL:-info}
set|mail|transport|file
set|mail|dir|$AG_MAILDIR
default|mail|from|Autogate <noreply@kek.example>
EOF
	{
		echo "; Generated by script/lib/stack.sh from conf/autogate.conf.example;"
		echo "; re-running script/server or script/test rewrites it."
		cat "$AG_CONF.new"
	} >"$AG_CONF"
	rm -f "$AG_CONF.new"
	chown "root:$AG_USER" "$AG_CONF"
	chmod 0640 "$AG_CONF"
}

ag_program() {
	printf '%s/cgi-bin/autogate-%s' "$AG_BUILD" "$1"
}

# ag_cli PROGRAM ARGS...: runs autogate-PROGRAM (migrate, admin) with the
# stack's configuration as the service user.
ag_cli() {
	local prog
	prog=$(ag_program "$1")
	shift
	[ -x "$prog" ] || ag_die "$prog not built"
	(cd / && ag_as "$AG_USER" "$prog" -c "$AG_CONF" "$@")
}

# ag_stack_migrate: applies pending migrations.
ag_stack_migrate() {
	ag_msg "applying migrations"
	ag_cli migrate up
}

# ag_stack_seed_demo: loads the (idempotent) demo data sets, in order.
ag_stack_seed_demo() {
	local seed found=0
	for seed in "$AG_SRC"/sql/demo/[0-9]*.sql; do
		[ -f "$seed" ] || continue
		found=1
		ag_msg "loading demo data (${seed#"$AG_SRC"/})"
		ag_cli migrate seed "$seed"
	done
	if [ "$found" -eq 0 ]; then
		ag_warn "no demo data in sql/demo"
		return 1
	fi
}

# ag_stack_user ROLE EMAIL NAME PASSWORD [COMPANY_ID]: creates a login
# (idempotent); role super_admin uses create-superadmin.
ag_stack_user() {
	local role=$1 email=$2 name=$3 password=$4 company=${5:-}
	if [ "$role" = super_admin ]; then
		printf '%s\n' "$password" |
			ag_cli admin create-superadmin --email "$email" --name "$name" --password-stdin
	elif [ -n "$company" ]; then
		printf '%s\n' "$password" |
			ag_cli admin create-user --email "$email" --name "$name" --role "$role" \
				--company "$company" --password-stdin
	else
		printf '%s\n' "$password" |
			ag_cli admin create-user --email "$email" --name "$name" --role "$role" --password-stdin
	fi
}

# The demo companies of sql/demo/002_identity.sql.
AG_DEMO_COMPANY_A=5c0d6f3e-1a2b-4c3d-8e9f-0a1b2c3d4e01
AG_DEMO_COMPANY_B=5c0d6f3e-1a2b-4c3d-8e9f-0a1b2c3d4e02

# ag_stack_demo_users PASSWORD: one login per role, tenant users in
# company A, plus a tenant admin of company B (for isolation checks).
ag_stack_demo_users() {
	local pw=$1
	ag_stack_user super_admin superadmin@example.com "Super Admin" "$pw"
	ag_stack_user admin admin@example.com "Admin Kawasan" "$pw"
	ag_stack_user operational operator@example.com "Operator Gerbang" "$pw"
	ag_stack_user tenant_admin tenant-admin@example.com "Admin Tenant Sinar Logam" "$pw" \
		"$AG_DEMO_COMPANY_A"
	ag_stack_user tenant_operational tenant-operator@example.com \
		"Operator Tenant Sinar Logam" "$pw" "$AG_DEMO_COMPANY_A"
	ag_stack_user tenant_admin tenant-admin-b@example.com "Admin Tenant Samudra Pangan" "$pw" \
		"$AG_DEMO_COMPANY_B"
}

# ag_worker_running NAME
ag_worker_running() {
	local exe
	exe=$(ag_program "$1")
	ag_pid_alive "$AG_RUN/$1.pid" "$AG_RUN/$1.sock" "$exe" ||
		ag_pid_alive "$AG_RUN/$1.spawn.pid" "$AG_RUN/$1.sock" "$exe"
}

# ag_worker_stop NAME: SIGTERM (the workers drain), bounded wait.
ag_worker_stop() {
	local name=$1 exe
	exe=$(ag_program "$name")
	if ag_worker_running "$name"; then
		ag_msg "stopping autogate-$name"
	fi
	ag_stop_pid "$AG_RUN/$name.pid" "$AG_RUN/$name.sock" 15 "$exe"
	ag_stop_pid "$AG_RUN/$name.spawn.pid" "$AG_RUN/$name.sock" 5 "$exe"
	rm -f "$AG_RUN/$name.sock"
}

# ag_worker_start NAME: (re)starts autogate-NAME in the background as the
# service user, stderr appended to log/NAME.log, and waits for its socket.
ag_worker_start() {
	local name=$1 prog sock pid tries
	prog=$(ag_program "$name")
	sock=$AG_RUN/$name.sock
	[ -x "$prog" ] || ag_die "$prog not built"
	ag_worker_stop "$name"
	ag_msg "starting autogate-$name ($AG_WORKERS workers, socket ${sock#"$AG_SRC"/})"
	# setsid: the workers outlive this script and its terminal; setpriv
	# execs, so $! is the worker itself.
	(cd / && exec setsid setpriv --reuid="$AG_USER" --regid="$AG_USER" --init-groups -- \
		"$prog" -c "$AG_CONF" --listen "$sock" --workers "$AG_WORKERS" \
		--pidfile "$AG_RUN/$name.pid") </dev/null >>"$AG_LOGDIR/$name.log" 2>&1 &
	pid=$!
	echo "$pid" >"$AG_RUN/$name.spawn.pid"
	tries=100
	while [ ! -S "$sock" ]; do
		if ! kill -0 "$pid" 2>/dev/null || [ "$tries" -le 0 ]; then
			ag_tail_logs "$AG_LOGDIR/$name.log"
			ag_die "autogate-$name did not create $sock"
		fi
		tries=$((tries - 1))
		sleep 0.1
	done
}

# The mail sender is no FastCGI server: no socket, its own pid file and
# log (log/mailer.log). It is started and stopped with the workers.
ag_mailer_match() {
	printf '%s -c %s' "$(ag_program mailer)" "$AG_CONF"
}

ag_mailer_running() {
	ag_pid_alive "$AG_RUN/mailer.pid" "$(ag_mailer_match)" "$(ag_program mailer)"
}

# ag_mailer_stop: SIGTERM (it finishes the message in hand), bounded wait.
ag_mailer_stop() {
	if ag_mailer_running; then
		ag_msg "stopping autogate-mailer"
	fi
	ag_stop_pid "$AG_RUN/mailer.pid" "$(ag_mailer_match)" 15 "$(ag_program mailer)"
}

# ag_mailer_start: (re)starts autogate-mailer in the background as the
# service user; a tree that does not build it yet only gets a warning.
ag_mailer_start() {
	local prog pid
	prog=$(ag_program mailer)
	if [ ! -x "$prog" ]; then
		ag_warn "$prog not built; e-mail stays in the outbox"
		return 0
	fi
	ag_mailer_stop
	ag_msg "starting autogate-mailer (mail into ${AG_MAILDIR#"$AG_SRC"/})"
	(cd / && exec setsid setpriv --reuid="$AG_USER" --regid="$AG_USER" --init-groups -- \
		"$prog" -c "$AG_CONF") </dev/null >>"$AG_LOGDIR/mailer.log" 2>&1 &
	pid=$!
	echo "$pid" >"$AG_RUN/mailer.pid"
	if ! kill -0 "$pid" 2>/dev/null; then
		ag_tail_logs "$AG_LOGDIR/mailer.log"
		ag_die "autogate-mailer did not start"
	fi
}

ag_workers_start() {
	local n
	for n in "${AG_WORKER_NAMES[@]}"; do
		ag_worker_start "$n"
	done
	ag_mailer_start
}

ag_workers_stop() {
	local n
	for n in "${AG_WORKER_NAMES[@]}"; do
		ag_worker_stop "$n"
	done
	ag_mailer_stop
}

# ag_nginx ARGS...: nginx with this stack's prefix and configuration, as
# the service user.
ag_nginx() {
	(cd / && ag_as "$AG_USER" nginx -p "$AG_NGINX_DIR" -c "$AG_NGINX_CONF" \
		-e "$AG_LOGDIR/nginx-error.log" "$@")
}

ag_nginx_running() {
	ag_pid_alive "$AG_NGINX_DIR/nginx.pid" "$AG_NGINX_CONF"
}

# ag_nginx_start: renders the configuration, tests it, then starts nginx
# or makes the running one reload it.
ag_nginx_start() {
	ag_render "$AG_SRC/conf/nginx/nginx.conf.in" "$AG_NGINX_CONF" \
		"VAR=$AG_VAR" "SRC=$AG_SRC" "PORT=$AG_PORT" "RUN=$AG_RUN"
	chmod 0644 "$AG_NGINX_CONF"
	if ! ag_nginx -t -q; then
		ag_die "nginx rejected $AG_NGINX_CONF"
	fi
	if ag_nginx_running; then
		ag_msg "reloading nginx"
		kill -HUP "$(head -n 1 "$AG_NGINX_DIR/nginx.pid")"
	else
		ag_msg "starting nginx on 127.0.0.1:$AG_PORT"
		if ! ag_nginx </dev/null >>"$AG_LOGDIR/nginx-error.log" 2>&1; then
			ag_tail_logs "$AG_LOGDIR/nginx-error.log"
			ag_die "nginx did not start (is port $AG_PORT free?)"
		fi
	fi
}

ag_nginx_stop() {
	if ag_nginx_running; then
		ag_msg "stopping nginx"
	fi
	ag_stop_pid "$AG_NGINX_DIR/nginx.pid" "$AG_NGINX_CONF" 10
}

# ag_stack_stop: nginx first (no new requests), then workers, then the
# database.
ag_stack_stop() {
	ag_nginx_stop
	ag_workers_stop
	ag_pg_stop
}

# ag_stack_status: prints one line per component; false when any is down.
ag_stack_status() {
	local n ok=0 code
	if ag_pg_running; then
		printf '%-10s running (%s)\n' postgres "$AG_PGSOCK"
	else
		printf '%-10s stopped\n' postgres
		ok=1
	fi
	for n in "${AG_WORKER_NAMES[@]}"; do
		if ag_worker_running "$n"; then
			printf '%-10s running (pid %s)\n' "$n" "$(head -n 1 "$AG_RUN/$n.pid" 2>/dev/null || head -n 1 "$AG_RUN/$n.spawn.pid")"
		else
			printf '%-10s stopped\n' "$n"
			ok=1
		fi
	done
	if ag_mailer_running; then
		printf '%-10s running (pid %s)\n' mailer "$(head -n 1 "$AG_RUN/mailer.pid")"
	elif [ ! -x "$(ag_program mailer)" ]; then
		printf '%-10s not built\n' mailer
	else
		printf '%-10s stopped\n' mailer
		ok=1
	fi
	if ag_nginx_running; then
		printf '%-10s running (%s)\n' nginx "$AG_URL"
	else
		printf '%-10s stopped\n' nginx
		ok=1
	fi
	code=$(ag_http_code "$AG_URL/v1/health")
	printf '%-10s %s/v1/health -> %s\n' health "$AG_URL" "$code"
	[ "$code" = 200 ] || ok=1
	return "$ok"
}

# ag_stack_logs: every log of the stack, for failure reports.
ag_stack_logs() {
	local n
	for n in "${AG_WORKER_NAMES[@]}"; do
		printf '%s\n' "$AG_LOGDIR/$n.log"
	done
	printf '%s\n' "$AG_LOGDIR/mailer.log" "$AG_LOGDIR/nginx-error.log" "$AG_PGLOG"
}
