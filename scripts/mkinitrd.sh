#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# mkinitrd.sh OUT.cpio.gz TESTDIR PLAN
#
# Pack the runner as /init, the selftest binaries named in PLAN (found in
# TESTDIR, by basename) and PLAN itself as /plan.
. "$(dirname "$0")/lib.sh"

img=${1:?usage: mkinitrd.sh OUT TESTDIR PLAN}
testdir=$2
plan=$3
need cpio cpio
need ${CROSS_COMPILE}gcc gcc-aarch64-linux-gnu

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,dev,proc,sys,tmp}
${CROSS_COMPILE}gcc -static -O2 -Wall -Wextra -Werror -o "$root/init" \
	"$TOP/runner/init.c" "$TOP/runner/splat.c"
cp "$plan" "$root/plan"
plan_progs "$plan" | while read -r prog; do
	bin=$(find "$testdir" -name "$prog" -type f -perm -u+x | head -n1)
	[ -n "$bin" ] || die "test program '$prog' of $plan not found in $testdir"
	cp "$bin" "$root/bin/$prog"
done
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$img"
