#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run-qemu.sh IMAGE INITRD GIC(2|3) LOG [TIMEOUT]
#
# Boot the KVM host under QEMU TCG with EL2 (virtualization=on), console
# teed to LOG, and kill it after TIMEOUT seconds (default 1800).  Prints
# the QEMU status for ktap.py: ok, timeout or exit=N.  QEMU_EXTRA adds
# options (e.g. "-icount shift=0,sleep=off"), MACHINE_OPTS adds -M
# properties (e.g. "dtb-randomness=off"); SMP and MEM size the host.
# QEMU=/path/to/qemu-system-aarch64 runs another QEMU than Debian's 7.2;
# QEMU=bpo: bookworm-backports' (scripts/qemu-bpo.sh).
# MODE=vhe|nvhe|protected|nested boots KVM in that host mode (lib.sh,
# MODES; default vhe) and makes the runner check that it did; nested
# runs QEMU=bpo unless QEMU is set.
# PIN_VM=0 turns off the runner's idle VM (runner.pin_vm, see pin_vm()
# in runner/init.c: a workaround for a suspected QEMU 7.2 TCG bug).
. "$(dirname "$0")/lib.sh"

image=${1:?usage: run-qemu.sh IMAGE INITRD GIC LOG [TIMEOUT]}
initrd=$2
gic=$3
logf=$4
timeout=${5:-1800}
mode=${MODE:-vhe}
mode_ok "$mode" || die "MODE=$mode: not one of $MODES"
QEMU=$(mode_qemu "$mode")
qemu=${QEMU:-qemu-system-aarch64}
[ "$qemu" = bpo ] && qemu=$("$TOP/scripts/qemu-bpo.sh")
if [ -z "${QEMU:-}" ]; then
	need qemu-system-aarch64 qemu-system-arm
else
	[ -x "$qemu" ] || die "QEMU=$qemu is not an executable"
fi
[ -f "$image" ] || die "no kernel image $image"

cmd=("$qemu" -M "virt,virtualization=on,gic-version=$gic${MACHINE_OPTS:+,$MACHINE_OPTS}"
     -cpu max -smp "${SMP:-4}" -m "${MEM:-4G}" -nographic -no-reboot -nic none
     -kernel "$image" -initrd "$initrd"
     -append "console=ttyAMA0 loglevel=5 panic=-1 kasan.fault=report runner.pin_vm=${PIN_VM:-1} $(mode_args "$mode") ${CMDLINE_EXTRA:-}"
     ${QEMU_EXTRA:-})
log "qemu: ${cmd[*]}"
set +e
timeout -k 10 "$timeout" "${cmd[@]}" </dev/null 2>&1 | tee "$logf" |
	if [ "${QUIET:-0}" = 1 ]; then cat >/dev/null; else
		grep --line-buffered -E '^(ok|not ok|# RUN|# dmesg:|KTAP|1\.\.)|Kernel panic'
	fi >&2
rc=${PIPESTATUS[0]}
set -e
case $rc in
0) echo ok ;;
124|137) log "qemu: killed after ${timeout}s"; echo timeout ;;
*) echo "exit=$rc" ;;
esac
