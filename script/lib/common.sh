# shellcheck shell=bash
# common.sh - messages, checks, users and the out-of-tree build shared by
# script/server, script/test and bench/run.
#
# The caller sets AG_SRC (absolute path of the source tree) before sourcing.

: "${AG_SRC:?AG_SRC must be set before sourcing common.sh}"

# The unprivileged user that runs the workers and nginx.
AG_USER=autogate
# PostgreSQL refuses to run as root; the private clusters run as this user.
AG_PG_USER=postgres

ag_msg() {
	printf '==> %s\n' "$*"
}

ag_warn() {
	printf 'warning: %s\n' "$*" >&2
}

ag_die() {
	printf 'error: %s\n' "$*" >&2
	exit 1
}

# ag_require_root: the scripts install packages, create a system user and
# switch users, all of which need root.
ag_require_root() {
	if [ "$(id -u)" -ne 0 ]; then
		ag_die "run this as root (it installs packages and runs services as '$AG_USER' and '$AG_PG_USER')"
	fi
}

# ag_ensure_user: creates the unprivileged system user when missing.
ag_ensure_user() {
	if ! id -u "$AG_USER" >/dev/null 2>&1; then
		ag_msg "creating system user $AG_USER"
		useradd --system --no-create-home --shell /usr/sbin/nologin "$AG_USER"
	fi
	if ! id -u "$AG_PG_USER" >/dev/null 2>&1; then
		ag_die "system user '$AG_PG_USER' is missing: is the postgresql package installed?"
	fi
}

# ag_as USER CMD...: runs CMD as USER in the foreground (exec, no PAM, no
# extra process), keeping the environment.
ag_as() {
	local user=$1
	shift
	setpriv --reuid="$user" --regid="$user" --init-groups -- "$@"
}

# ag_check_reachable USER MODE PATH...: stops with a clear message when USER
# cannot reach PATH (MODE is a test(1) flag: -r readable, -x traversable,
# -w writable).
ag_check_reachable() {
	local user=$1 mode=$2 p
	shift 2
	for p in "$@"; do
		if ! ag_as "$user" test "$mode" "$p"; then
			ag_die "user '$user' cannot access $p (test $mode failed).
  Every directory above it must be traversable by others, e.g.:
    chmod o+x $(dirname "$p")   (and its parents)
  or move the source tree to a place like /srv/autogate."
		fi
	done
}

# ag_check_sockpath PATH: unix socket paths are limited to 107 bytes.
ag_check_sockpath() {
	if [ ${#1} -gt 100 ]; then
		ag_die "socket path too long (${#1} bytes, max 100): $1; use a shorter source path"
	fi
}

# ag_render TEMPLATE OUT NAME=VALUE...: copies TEMPLATE to OUT replacing
# every @NAME@ by VALUE; fails when a placeholder is left over.
ag_render() {
	local tmpl=$1 out=$2 kv name value expr=()
	shift 2
	for kv in "$@"; do
		name=${kv%%=*}
		value=${kv#*=}
		# Escape the characters sed treats specially in a replacement.
		value=$(printf '%s' "$value" | sed -e 's/[\\|&]/\\&/g')
		expr+=(-e "s|@${name}@|${value}|g")
	done
	sed "${expr[@]}" "$tmpl" >"$out.tmp"
	if grep -n '@[A-Z_]*@' "$out.tmp" >&2; then
		rm -f "$out.tmp"
		ag_die "unsubstituted placeholder in $tmpl (see above)"
	fi
	mv -f "$out.tmp" "$out"
}

# ag_mkdir OWNER MODE DIR...: creates DIR (not recursively chowned) with
# the given owner and mode.
ag_mkdir() {
	local owner=$1 mode=$2 d
	shift 2
	for d in "$@"; do
		mkdir -p "$d"
		chown "$owner" "$d"
		chmod "$mode" "$d"
	done
}

# ag_tail_logs FILE...: prints the last lines of each existing log.
ag_tail_logs() {
	local f
	for f in "$@"; do
		[ -f "$f" ] || continue
		printf -- '--- last lines of %s ---\n' "$f" >&2
		tail -n 25 "$f" >&2
	done
}

# ag_http_code URL: prints the HTTP status of a GET (000 when no answer).
ag_http_code() {
	curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$1" 2>/dev/null || true
}

# ag_wait_http URL SECONDS: polls URL until it answers 200, at most SECONDS.
ag_wait_http() {
	local url=$1 limit=$2 code=000 tries
	tries=$((limit * 4))
	while [ "$tries" -gt 0 ]; do
		code=$(ag_http_code "$url")
		if [ "$code" = 200 ]; then
			return 0
		fi
		tries=$((tries - 1))
		sleep 0.25
	done
	ag_warn "$url did not answer 200 within ${limit}s (last status: $code)"
	return 1
}

# ag_pid_alive PIDFILE MATCH [EXE]: true when PIDFILE names a live process
# whose command line contains MATCH or whose executable is EXE (guards
# against recycled pids and other stacks' processes).
ag_pid_alive() {
	local pidfile=$1 match=$2 exe=${3:-} pid link
	[ -s "$pidfile" ] || return 1
	pid=$(head -n 1 "$pidfile")
	case $pid in '' | *[!0-9]*) return 1 ;; esac
	[ -r "/proc/$pid/cmdline" ] || return 1
	if tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -F -- "$match"; then
		return 0
	fi
	[ -n "$exe" ] || return 1
	link=$(readlink "/proc/$pid/exe" 2>/dev/null) || return 1
	[ "${link% (deleted)}" = "$exe" ]
}

# ag_stop_pid PIDFILE MATCH SECONDS [EXE]: sends SIGTERM to the process in
# PIDFILE (when ag_pid_alive agrees), waits up to SECONDS for it to drain
# and exit, then SIGKILLs it. Removes the pidfile.
ag_stop_pid() {
	local pidfile=$1 name=$2 limit=$3 exe=${4:-} pid tries
	if ! ag_pid_alive "$pidfile" "$name" "$exe"; then
		rm -f "$pidfile"
		return 0
	fi
	pid=$(head -n 1 "$pidfile")
	kill -TERM "$pid" 2>/dev/null || true
	tries=$((limit * 10))
	while [ "$tries" -gt 0 ] && kill -0 "$pid" 2>/dev/null; do
		# A zombie child of this shell counts as gone.
		if grep -q '^State:.*Z' "/proc/$pid/status" 2>/dev/null; then
			break
		fi
		tries=$((tries - 1))
		sleep 0.1
	done
	if kill -0 "$pid" 2>/dev/null && ! grep -q '^State:.*Z' "/proc/$pid/status" 2>/dev/null; then
		ag_warn "$name (pid $pid) did not exit within ${limit}s; killing it"
		kill -KILL "$pid" 2>/dev/null || true
	fi
	wait "$pid" 2>/dev/null || true
	rm -f "$pidfile"
}

# ag_check_not_configured_in_tree: an in-tree configure breaks VPATH builds.
ag_check_not_configured_in_tree() {
	if [ -e "$AG_SRC/config.status" ]; then
		ag_die "the source tree was configured in-tree ($AG_SRC/config.status exists).
  Out-of-tree builds (build/release, build/asan) need a clean tree: run
    cd $AG_SRC && make distclean
  and then re-run this script."
	fi
}

# ag_autoreconf_if_needed: regenerates configure only when it is missing or
# older than its inputs.
ag_autoreconf_if_needed() {
	local f need=0
	if [ ! -x "$AG_SRC/configure" ] || [ ! -e "$AG_SRC/Makefile.in" ]; then
		need=1
	else
		for f in "$AG_SRC/configure.ac" "$AG_SRC/Makefile.am" "$AG_SRC"/mk/*.am; do
			if [ "$f" -nt "$AG_SRC/configure" ] || [ "$f" -nt "$AG_SRC/Makefile.in" ]; then
				need=1
				break
			fi
		done
	fi
	if [ "$need" -eq 1 ]; then
		ag_msg "autoreconf -fi"
		(cd "$AG_SRC" && autoreconf -fi)
	fi
}

# ag_build BUILDDIR [CONFIGURE-ARGS...]: configures (once, or again when
# the arguments change) and builds out of tree in BUILDDIR.
# MAKEFLAGS_EXTRA may add e.g. -k.
ag_build() {
	local dir=$1 stamp args
	shift
	ag_check_not_configured_in_tree
	ag_autoreconf_if_needed
	mkdir -p "$dir"
	stamp="$dir/.autogate-configure-args"
	args="$*"
	if [ ! -f "$dir/Makefile" ] || [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$args" ]; then
		ag_msg "configuring in ${dir#"$AG_SRC"/}: configure $args"
		(cd "$dir" && "$AG_SRC/configure" -q "$@")
		printf '%s' "$args" >"$stamp"
	fi
	ag_msg "building in ${dir#"$AG_SRC"/} (make -j2)"
	# shellcheck disable=SC2086 # MAKEFLAGS_EXTRA is a word list
	make -C "$dir" -j2 ${MAKEFLAGS_EXTRA:-}
}
