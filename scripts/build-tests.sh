#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# build-tests.sh OUT TEST...
#
# Build the named KVM selftests (e.g. arm64/vgic_irq) from $TREE, arm64,
# static, into OUT.  TEST "all" builds the whole arm64 list.  Files named
# in $EXTRA_TESTS (selftest C files brought by the user) are copied into
# the tree as arm64/extra-<name>.c for the time of the build.
. "$(dirname "$0")/lib.sh"

out=${1:?usage: build-tests.sh OUT TEST...}
shift
need ${CROSS_COMPILE}gcc gcc-aarch64-linux-gnu
need rsync rsync
[ -f "$TREE/Makefile" ] || die "no kernel tree at $TREE (run 'make tree')"
mkdir -p "$out"
out=$(cd "$out" && pwd)

# Kernel UAPI headers for the selftests, installed from the same tree.
hdr=$out/hdr
stamp=$(git -C "$TREE" rev-parse HEAD 2>/dev/null || echo none)
if [ "$(cat "$hdr/.stamp" 2>/dev/null)" != "$stamp" ]; then
	log "selftests: headers_install"
	make -s -C "$TREE" O="$hdr" ARCH=arm64 headers_install >"$out/headers.log" 2>&1 ||
		{ cat "$out/headers.log" >&2; die "headers_install failed"; }
	echo "$stamp" >"$hdr/.stamp"
fi

progs=()
for t in "$@"; do
	progs+=("$t")
done

kvm=$TREE/tools/testing/selftests/kvm
if [ -n "${EXTRA_TESTS:-}" ]; then
	# The copies only live for the build: the tree stays clean.
	trap 'rm -f "$kvm"/arm64/extra-*.c' EXIT
	for f in $EXTRA_TESTS; do
		[ -f "$f" ] || die "EXTRA_TESTS: no such file '$f'"
		n=extra-$(basename "${f%.c}")
		cp "$f" "$kvm/arm64/$n.c"
		progs+=("arm64/$n")
	done
fi

args=(ARCH=arm64 CROSS_COMPILE="$CROSS_COMPILE" LDFLAGS=-static
      OUTPUT="$out" KHDR_INCLUDES="-isystem $hdr/usr/include")
if [ "${progs[*]}" != all ]; then
	args+=(TEST_GEN_PROGS_arm64="${progs[*]}")
fi
log "selftests: building ${progs[*]}"
if ! make -s -C "$kvm" -j"$JOBS" "${args[@]}" >"$out/build.log" 2>&1; then
	grep -E 'error|Error' "$out/build.log" | head -n 30 >&2
	die "selftests build failed (full log $out/build.log)"
fi
log "selftests: built into $out"
