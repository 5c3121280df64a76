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
# QEMU=bpo (the default): QEMU 10.0 from bookworm-backports
# (scripts/qemu-bpo.sh); QEMU=system: Debian bookworm's 7.2;
# QEMU=/path/to/qemu-system-aarch64: another build (lib.sh, mode_qemu).
# MODE=vhe|nvhe|protected|nested boots KVM in that host mode (lib.sh,
# MODES; default vhe) and makes the runner check that it did.
# PIN_VM=1|0 turns the runner's idle VM on or off (runner.pin_vm, see
# pin_vm() in runner/init.c); by default it is on only for a QEMU before
# 8.1 (lib.sh, pin_vm_default: a QEMU 7.2 TCG bug).
. "$(dirname "$0")/lib.sh"

image=${1:?usage: run-qemu.sh IMAGE INITRD GIC LOG [TIMEOUT]}
initrd=$2
gic=$3
logf=$4
timeout=${5:-1800}
mode=${MODE:-vhe}
mode_ok "$mode" || die "MODE=$mode: not one of $MODES"
qemu=$(qemu_bin "$(mode_qemu "$mode")") || exit 1
ver=$(qemu_version "$qemu")
pin=${PIN_VM:-$(pin_vm_default "$ver")}
[ -f "$image" ] || die "no kernel image $image"

cmd=("$qemu" -M "virt,virtualization=on,gic-version=$gic${MACHINE_OPTS:+,$MACHINE_OPTS}"
     -cpu max -smp "${SMP:-4}" -m "${MEM:-4G}" -nographic -no-reboot -nic none
     -kernel "$image" -initrd "$initrd"
     -append "console=ttyAMA0 loglevel=5 panic=-1 kasan.fault=report runner.pin_vm=$pin $(mode_args "$mode") ${CMDLINE_EXTRA:-}"
     ${QEMU_EXTRA:-})
log "qemu: QEMU $ver, idle VM $([ "$pin" = 1 ] && echo on || echo off): ${cmd[*]}"
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
