# SPDX-License-Identifier: GPL-2.0
# Common helpers for the harness scripts.  Sourced, never executed.

set -euo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SHARED=${SHARED:-$TOP/../shared}

KVER=${KVER:-7.3.4}
DEBVER=${DEBVER:-7.3.4-1~bpo13+1}
DEB=linux-source-7.3_${DEBVER}_all.deb

# Everything derived from the base lives outside the clone, keyed by
# version, so that a second clone (or CI) reuses it.
CACHE=${VGIC_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/vgic-series}
BASE_REPO=$CACHE/base-$KVER.git
# The development tree: base commit + patches/ applied as commits.
TREE=${TREE:-$TOP/work/linux}
WORK=${WORK:-$TOP/work}

ARCH=arm64
CROSS_COMPILE=${CROSS_COMPILE:-aarch64-linux-gnu-}
export ARCH CROSS_COMPILE

JOBS=${JOBS:-$(($(nproc) + 1))}

_t0=$(date +%s)

log()
{
	printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2
}

die()
{
	printf 'error: %s\n' "$*" >&2
	exit 1
}

elapsed()
{
	echo $(($(date +%s) - _t0))
}

# need CMD PACKAGE: fail with the Debian package to install.
need()
{
	command -v "$1" >/dev/null 2>&1 ||
		problem "'$1' not found: install the Debian package '$2' (or run 'make deps')"
}

# Dry runs.  With DRY_RUN=1 the long targets (make nested, stress, bench,
# bisect, baseline, check-full; the unit stage of 'make check' starts each
# of them this way) check what they need (tools, naming the Debian package
# of a missing one; files, plans, the base) and print what they would
# build and boot, then exit: 0, or 1 with every problem listed.  They
# build nothing, boot nothing and write nothing to work/.  A script opts
# in with dry_run_init; after it, need and need_file report a problem
# and go on instead of dying.
dry_run=0
dry_problems=0
dry_seen=

dry_run_init()
{
	if [ "${DRY_RUN:-0}" = 1 ]; then
		dry_run=1
		log "$(basename "$0"): dry run: checking; nothing is built, booted or written"
	fi
}

# problem MSG: die, or in a dry run report it (once) and go on.
problem()
{
	[ "$dry_run" = 1 ] || die "$*"
	case "$dry_seen" in *"|$*|"*) return 0 ;; esac
	dry_seen="$dry_seen|$*|"
	printf 'error: %s\n' "$*" >&2
	dry_problems=$((dry_problems + 1))
}

# would WHAT: what a dry run would do.
would()
{
	printf 'would %s\n' "$*"
}

# need_file FILE...: each must exist.
need_file()
{
	local f

	for f in "$@"; do
		[ -e "$f" ] || problem "${f#"$TOP"/} is missing"
	done
}

# need_script NAME...: scripts/NAME must exist and be executable.
need_script()
{
	local f

	for f in "$@"; do
		if [ ! -e "$TOP/scripts/$f" ]; then
			problem "scripts/$f is missing"
		elif [ ! -x "$TOP/scripts/$f" ]; then
			problem "scripts/$f is not executable (git update-index --chmod=+x scripts/$f)"
		fi
	done
}

dry_run_end()	# NAME
{
	if [ "$dry_problems" -gt 0 ]; then
		echo "$1: dry run: $dry_problems problem(s), see the errors above"
		exit 1
	fi
	echo "$1: dry run OK (nothing built, booted or written)"
	exit 0
}

# dry_base: where 'make tree' would get the base from.
dry_base()
{
	local mirror

	case "$dry_seen" in *"|base|"*) return 0 ;; esac
	dry_seen="$dry_seen|base|"
	if [ -d "$BASE_REPO" ] && git -C "$BASE_REPO" rev-parse -q --verify "refs/tags/v$KVER" >/dev/null; then
		echo "base v$KVER: cached in $BASE_REPO"
	elif [ -f "$SHARED/base/$DEB" ]; then
		need_file "$SHARED/base/SHA256SUMS"
		need dpkg-deb dpkg
		need xz xz-utils
		would "unpack the base from $SHARED/base/$DEB (route 1) into $BASE_REPO"
	else
		mirror=$(debian_mirror)
		[ -n "$mirror" ] || problem "no base: no $BASE_REPO, no $SHARED/base/$DEB, and no Debian mirror in /etc/apt"
		need apt-get apt
		would "fetch linux-source-7.3=$DEBVER from ${mirror:-?} trixie-backports (route 2) into $BASE_REPO"
	fi
}

# dry_tree DIR series|base: the kernel tree a target builds from (once).
dry_tree()
{
	local n

	case "$dry_seen" in *"|tree $1|"*) return 0 ;; esac
	dry_seen="$dry_seen|tree $1|"
	if [ -f "$1/Makefile" ] && git -C "$1" rev-parse -q --verify HEAD >/dev/null 2>&1; then
		echo "tree: $1 at $(git -C "$1" log -1 --format='%h %s')"
		return 0
	fi
	dry_base
	if [ "$2" = base ]; then
		would "create $1: the unpatched v$KVER (make base-tree)"
	else
		n=$(find "$TOP/patches" -name '[0-9]*.patch' ! -name '0000-*' 2>/dev/null | wc -l)
		would "create $1: v$KVER + the $n patches of patches/ (make tree)"
	fi
}

# dry_kernel FLAVOUR SRC [OUT]: what build-kernel.sh would build.
dry_kernel()
{
	local out=${3:-$(dirname "$2")/build-$1}

	case "$dry_seen" in *"|kernel $out|"*) return 0 ;; esac
	dry_seen="$dry_seen|kernel $out|"
	need_script build-kernel.sh
	need_file "$TOP/configs/base.config" "$TOP/configs/$1.config"
	need "${CROSS_COMPILE}gcc" gcc-aarch64-linux-gnu
	need ccache ccache
	need bison bison
	need flex flex
	need bc bc
	need make make
	if [ -f "$out/arch/arm64/boot/Image" ]; then
		would "build the $1 kernel of $2 in $out (incremental)"
	else
		would "build the $1 kernel of $2 in $out (from scratch)"
	fi
}

# dry_qemu: the emulator run-qemu.sh would start, and what boots need.
dry_qemu()
{
	local q=${QEMU:-bpo}

	need_script run-qemu.sh mkinitrd.sh
	need_file "$TOP/runner/init.c" "$TOP/runner/splat.c" "$TOP/scripts/ktap.py"
	need cpio cpio
	need gzip gzip
	need timeout coreutils
	need python3 python3
	case "$q" in
	system)
		need qemu-system-aarch64 qemu-system-arm
		q=$(command -v qemu-system-aarch64 || true) ;;
	bpo)
		need_script qemu-bpo.sh
		q=$CACHE/qemu-bpo/root/usr/bin/qemu-system-aarch64
		if [ ! -x "$q" ]; then
			need apt-get apt
			need dpkg-deb dpkg
			would "fetch QEMU from bookworm-backports into $CACHE/qemu-bpo (scripts/qemu-bpo.sh)"
			q=
		fi ;;
	*)
		[ -x "$q" ] || problem "QEMU=$q is not an executable (QEMU=bpo|system|/path)" ;;
	esac
	if [ -n "$q" ] && [ -x "$q" ]; then
		echo "qemu: $q ($("$q" --version 2>/dev/null | sed -n 1p))"
	fi
}
# Host modes: how KVM runs on the host under test (kvm-arm.mode).  A host
# is named FLAVOUR-gicvN-MODE (debug-gicv3-nvhe); result tables use that
# name.  scripts/run-qemu.sh boots MODE (MODE=vhe by default).
#   vhe        the kernel at EL2 (the default on -cpu max)
#   nvhe       kvm-arm.mode=nvhe: the kernel at EL1, KVM's hypervisor at EL2
#   protected  kvm-arm.mode=protected (pKVM, hVHE on QEMU's -cpu max)
#   nested     kvm-arm.mode=nested, on QEMU 10 (QEMU 7.2, QEMU=system, has
#              no FEAT_NV2); KVM selftests then run their guests at vEL2
#              unless NV=0 is in their environment
MODES="vhe nvhe protected nested"

# mode_ok MODE: is MODE one of $MODES?
mode_ok()
{
	case " $MODES " in *" $1 "*) return 0 ;; esac
	return 1
}

# mode_args MODE: the kernel command line words that select MODE.
mode_args()
{
	case $1 in
	vhe) echo "runner.mode=vhe" ;;
	*) echo "kvm-arm.mode=$1 runner.mode=$1" ;;
	esac
}

# mode_qemu MODE: the QEMU a MODE host boots, in QEMU= terms: QEMU if set,
# else "bpo" (QEMU 10.0 from bookworm-backports, scripts/qemu-bpo.sh).
# QEMU=system is Debian bookworm's own 7.2 (package qemu-system-arm), which
# has no FEAT_NV2 (no nested host) and needs the runner's idle VM
# (pin_vm_default); QEMU=/path/to/qemu-system-aarch64 any other build.
mode_qemu()
{
	echo "${QEMU:-bpo}"
}

# qemu_bin QEMU: the qemu-system-aarch64 of a QEMU= value, fetched first
# for bpo.
qemu_bin()
{
	case $1 in
	bpo) "$TOP/scripts/qemu-bpo.sh" ;;
	system)
		need qemu-system-aarch64 qemu-system-arm
		command -v qemu-system-aarch64 ;;
	*)
		[ -x "$1" ] || die "QEMU=$1 is not an executable (QEMU=bpo|system|/path)"
		echo "$1" ;;
	esac
}

# qemu_version BIN: "MAJOR.MINOR.PATCH" of a qemu-system-aarch64.
qemu_version()
{
	"$1" --version | sed -n 's/^QEMU emulator version \([0-9.]*\).*/\1/p' | head -n1
}

# pin_vm_default VERSION (as qemu_version prints it): the runner's idle
# VM (runner.pin_vm, see pin_vm() in runner/init.c) is on by default only
# for a QEMU before 8.1, whose multi-threaded TCG can run stale
# translations of kernel text that KVM patches when its first VM is
# created or its last one destroyed (docs/reliability.md: 1
# kvm_vcpu_load_debug warning in 30 stress iterations on 7.2 without it,
# 0 in 180 on 10.0).  PIN_VM= overrides.
pin_vm_default()
{
	case $1 in
	[0-7].*|8.0.*) echo 1 ;;
	*) echo 0 ;;
	esac
}

# mode_slowdown MODE: how many times longer a test takes in MODE than on
# VHE, for the timeouts of generated plans (make stress).  Measured on the
# debug GICv3 host under QEMU TCG, 2026-12-03: nVHE about the same;
# protected 2-4x (vgic_teardown 154 s against 50 s); nested, guests at vEL2,
# about 10x (vgic_lpi_disable_race 97-118 s per case against 9-10 s with
# NV=0 on the same host).
mode_slowdown()
{
	case $1 in
	protected) echo 4 ;;
	nested) echo 12 ;;
	*) echo 1 ;;
	esac
}

# host_split NAME [MODE]: set flavour, gic and mode from FLAVOUR-gicvN[-MODE]
# (no MODE in NAME: the MODE argument, default vhe).  Returns 1 for a name
# of another shape or an unknown mode.
host_split()
{
	[[ "$1" =~ ^([a-z0-9]+)-gicv([23])(-([a-z]+))?$ ]] || return 1
	flavour=${BASH_REMATCH[1]}
	gic=${BASH_REMATCH[2]}
	mode=${BASH_REMATCH[4]:-${2:-vhe}}
	mode_ok "$mode"
}

# plan_progs PLAN: the programs a runner plan runs (the first word after
# the timeout that is not a VAR=VALUE), one per line, sorted.
plan_progs()
{
	grep -vE '^\s*(#|$)' "$1" |
		awk '{ for (i = 3; i <= NF; i++) if ($i !~ /=/) { print $i; break } }' | sort -u
}

# posting_restore DIR: in the git tree of the current directory, point the
# branch posting/$(basename DIR) at HEAD and give it DIR's cover letter
# (description) and subject prefix, so that export.sh writes DIR again.
posting_restore()
{
	local cover=$1/0000-cover-letter.patch b prefix

	b=posting/$(basename "$1")
	prefix=$(sed -n 's/^Subject: \[\(.*\) 0*0\/[0-9]*\].*/\1/p' "$cover" | head -n1)
	git branch -q -f "$b" HEAD
	git config "branch.$b.description" "$(python3 "$TOP/scripts/cover-desc.py" "$cover")"
	git config "branch.$b.vgicprefix" "${prefix:-PATCH}"
}

# The unpatched base, for base-run: same layout as the series tree.
BASE_TREE=${BASE_TREE:-$WORK/base/linux}

# The neutral identity of the commits in patches/ (see scripts/send.sh).
SERIES_NAME="vgic-series harness"
SERIES_EMAIL="harness@localhost"

# The Debian mirror the system's apt uses, for the private apt
# configurations of prepare-base.sh and nested.sh: active source files
# only (*.list, *.sources; not *.disabled*), not the security archive,
# preferring a URI that names Debian.  VGIC_MIRROR overrides.
debian_mirror()
{
	local uris

	if [ -n "${VGIC_MIRROR:-}" ]; then
		echo "$VGIC_MIRROR"
		return
	fi
	uris=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list \
			/etc/apt/sources.list.d/*.sources 2>/dev/null |
		grep -oE '^ *(URIs:|deb) +[a-z]+://[^ ]+' | awk '{print $2}' |
		grep -v security || true)
	{ grep -i debian <<<"$uris" || echo "$uris"; } | head -n1
}
