#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install what the harness needs from Debian's archive (bookworm), only
# the packages whose command is missing.  Needs root (or sudo).  With
# CHECK_ONLY=1, only name what is missing; DRY_RUN=1 (make bench DRY_RUN=1)
# names what it would install and exits 0.
. "$(dirname "$0")/lib.sh"

# command package
want="
aarch64-linux-gnu-gcc gcc-aarch64-linux-gnu
aarch64-linux-gnu-ld binutils-aarch64-linux-gnu
qemu-system-aarch64 qemu-system-arm
gcc gcc
make make
bc bc
bison bison
flex flex
cpio cpio
rsync rsync
column bsdextrautils
ccache ccache
sparse sparse
git git
git-send-email git-email
python3 python3
perl perl
xz xz-utils
gzip gzip
timeout coreutils
dpkg-deb dpkg
spin spin
b4 b4
"
missing=()
while read -r cmd pkg; do
	[ -n "$cmd" ] || continue
	if [ "$cmd" = git-send-email ]; then
		case "$(git send-email -h 2>&1 || true)" in *send-email*"<options>"*) continue ;; esac
	elif command -v "$cmd" >/dev/null 2>&1; then
		continue
	fi
	missing+=("$pkg")
done <<<"$want"
# Headers and the arm64 libc for the static selftests.
for f in /usr/include/openssl/ssl.h:libssl-dev /usr/include/gelf.h:libelf-dev \
	 /usr/aarch64-linux-gnu/lib/libc.a:libc6-dev-arm64-cross; do
	[ -e "${f%%:*}" ] || missing+=("${f##*:}")
done

# git send-email needs Mail::Address (a Recommends of git-email).
perl -MMail::Address -e1 2>/dev/null || missing+=(libmailtools-perl)
# checkpatch runs scripts/spdxcheck.py, which imports ply and git.
/usr/bin/python3 -c 'import ply' 2>/dev/null || missing+=(python3-ply)
/usr/bin/python3 -c 'import git' 2>/dev/null || missing+=(python3-git)
# 'make bench' plots with matplotlib (WITH_BENCH=1; not needed by make check).
if [ "${WITH_BENCH:-0}" = 1 ]; then
	/usr/bin/python3 -c 'import matplotlib' 2>/dev/null || missing+=(python3-matplotlib)
fi

if [ ${#missing[@]} -eq 0 ]; then
	log "deps: all present"
	exit 0
fi
if [ "${DRY_RUN:-0}" = 1 ]; then
	would "install ${missing[*]} (apt-get install --no-install-recommends)"
	exit 0
fi
if [ "${CHECK_ONLY:-0}" = 1 ]; then
	die "missing packages: ${missing[*]} (install them with: apt-get install --no-install-recommends ${missing[*]}, or 'make deps')"
fi
sudo=
[ "$(id -u)" = 0 ] || sudo=sudo
log "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q >/dev/null || die "apt-get update failed"
$sudo apt-get install -y -q --no-install-recommends "${missing[@]}" >"${TMPDIR:-/tmp}/vgic-deps.log" 2>&1 ||
	{ tail -n 20 "${TMPDIR:-/tmp}/vgic-deps.log" >&2; die "apt-get install ${missing[*]} failed"; }
log "deps: installed ${missing[*]}"
