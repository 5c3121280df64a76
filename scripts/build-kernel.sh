#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# build-kernel.sh FLAVOUR [SRC] [OUT]
#
# Build the arm64 KVM host kernel of one flavour (debug, kcsan, bench) out
# of tree with ccache: allnoconfig + configs/base.config + configs/FLAVOUR.config
# merged by scripts/kconfig/merge_config.sh.  Any requested option that did
# not survive olddefconfig is listed and fails the build.
. "$(dirname "$0")/lib.sh"

flavour=${1:?usage: build-kernel.sh FLAVOUR [SRC] [OUT]}
src=${2:-$TREE}
out=${3:-$WORK/build-$flavour}
frag=$TOP/configs/$flavour.config
[ -f "$frag" ] || die "no config fragment $frag"
[ -f "$src/Makefile" ] || die "no kernel tree at $src (run 'make tree')"

need ${CROSS_COMPILE}gcc gcc-aarch64-linux-gnu
need ccache ccache
need bison bison
need flex flex
need bc bc

mkdir -p "$out"
src=$(cd "$src" && pwd)
out=$(cd "$out" && pwd)
# One build per output directory at a time (parallel suites share them).
exec 9>"$out/.lock"
flock 9
if [ "${NO_KERNEL_BUILD:-0}" = 1 ] && [ -f "$out/arch/arm64/boot/Image" ]; then
	log "kernel[$flavour]: NO_KERNEL_BUILD=1, using $out/arch/arm64/boot/Image as is"
	exit 0
fi
export CCACHE_BASEDIR=$TOP
export CCACHE_NOHASHDIR=1
export KBUILD_BUILD_TIMESTAMP="Thu Jan  1 00:00:00 UTC 2026"
export KBUILD_BUILD_USER=vgic KBUILD_BUILD_HOST=harness
mk=(make -s -C "$src" O="$out" ARCH=arm64 CROSS_COMPILE="$CROSS_COMPILE"
    CC="ccache ${CROSS_COMPILE}gcc")

cfg=$(cat "$TOP/configs/base.config" "$frag" | sha256sum | cut -c1-16)
if [ "$(cat "$out/.frag-hash" 2>/dev/null)" != "$cfg" ]; then
	log "kernel[$flavour]: configuring"
	"${mk[@]}" allnoconfig >/dev/null
	(cd "$out" && KCONFIG_CONFIG=.config "$src/scripts/kconfig/merge_config.sh" \
		-m -O "$out" .config "$TOP/configs/base.config" "$frag" >/dev/null)
	"${mk[@]}" olddefconfig >/dev/null
	missing=$(cat "$TOP/configs/base.config" "$frag" | grep -E '^CONFIG_[A-Z0-9_]+=' |
		while IFS= read -r line; do
			key=${line%%=*} val=${line#*=}
			if [ "$val" = n ]; then
				grep -q "^$key=" "$out/.config" && echo "$line (is $(grep "^$key=" "$out/.config"))"
			else
				grep -qx "$line" "$out/.config" || echo "$line"
			fi
		done || true)
	if [ -n "$missing" ]; then
		printf 'Missing after olddefconfig:\n%s\n' "$missing" >&2
		die "kernel[$flavour]: config fragment not satisfied"
	fi
	echo "$cfg" >"$out/.frag-hash"
fi

log "kernel[$flavour]: building Image with -j$JOBS (src $src)"
t=$(date +%s)
if ! "${mk[@]}" -j"$JOBS" Image ${KBUILD_EXTRA:-} >"$out/build.log" 2>&1; then
	tail -n 40 "$out/build.log" >&2
	die "kernel[$flavour]: build failed (full log $out/build.log)"
fi
log "kernel[$flavour]: $out/arch/arm64/boot/Image ($(($(date +%s) - t)) s)"
