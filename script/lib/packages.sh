# shellcheck shell=bash disable=SC2034 # the lists are used by the scripts that source this
# packages.sh - the Debian packages the scripts need, and their installer.
# Sourced by script/server, script/test and bench/run; needs common.sh.

# Build and run the development stack (script/server).
AG_PACKAGES=(
	build-essential autoconf automake libtool pkg-config
	libfcgi-dev libpq-dev libjansson-dev libssl-dev libqrencode-dev
	libhpdf-dev libcmocka-dev libcurl4-openssl-dev libmagic-dev
	libargon2-dev libpng-dev zlib1g-dev fonts-dejavu-core
	postgresql nginx-light
	curl openssl
)

# Extra packages for script/test: QR and PDF checks, the browser test,
# a second compiler.
AG_TEST_PACKAGES=(
	zbar-tools poppler-utils chromium nodejs npm clang
)

# Extra packages for bench/run.
AG_BENCH_PACKAGES=(
	wrk jq
)

# ag_pkg_installed PKG: true when dpkg says PKG is installed.
ag_pkg_installed() {
	local status
	status=$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null) || return 1
	[ "$status" = installed ]
}

# ag_pkg_present PKG: installed, or (node, npm) provided by another
# package, e.g. NodeSource's nodejs, which bundles npm and conflicts with
# Debian's npm package.
ag_pkg_present() {
	case $1 in
	npm) command -v npm >/dev/null 2>&1 && return 0 ;;
	nodejs) command -v node >/dev/null 2>&1 && return 0 ;;
	esac
	ag_pkg_installed "$1"
}

# ag_install_packages PKG...: installs the packages that are missing, with
# no prompts; runs apt-get update only when something has to be installed.
ag_install_packages() {
	local missing=() p
	for p in "$@"; do
		ag_pkg_present "$p" || missing+=("$p")
	done
	if [ ${#missing[@]} -eq 0 ]; then
		return 0
	fi
	ag_msg "installing missing packages: ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q </dev/null
	apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null
}
