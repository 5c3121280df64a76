#!/bin/busybox sh
# SPDX-License-Identifier: GPL-2.0
#
# /init of the nested (L2) guest of 'make nested': run the interrupt
# workload (/bin/l2load, arguments from the kernel command line after
# "--"), check the guest's own kernel log, print the verdict marker that
# the L1 side (nested/l1.sh) looks for, and power off.
bb=/bin/busybox
$bb mount -t proc proc /proc
$bb mount -t sysfs sysfs /sys
$bb mount -t devtmpfs devtmpfs /dev
exec </dev/console >/dev/console 2>&1

echo "L2: $($bb uname -r), $($bb nproc) CPUs, $($bb grep -m1 -oE 'GICv[23]|GIC-0' /proc/interrupts)"
/bin/l2load "$@"
rc=$?
# A report in L2's own log may be KVM's fault (lost or spurious interrupts,
# RCU stalls from interrupts that never arrive).
if $bb dmesg | $bb grep -E 'WARNING:|BUG:|Oops|rcu.*stall|nobody cared|hung_task|Call trace:'; then
	echo "L2: kernel reports in the guest log (above)"
	rc=1
fi
$bb grep -E '^ *(IPI[0-9]|[0-9]+):' /proc/interrupts | $bb grep -vE '^ *[A-Z0-9]+:( +0)+ +[A-Za-z]' |
	$bb sed 's/^/L2: /'
if [ "$rc" = 0 ]; then
	echo "L2-NESTED: PASS"
else
	echo "L2-NESTED: FAIL rc=$rc"
fi
$bb sync
$bb poweroff -f
