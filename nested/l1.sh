#!/bin/busybox sh
# SPDX-License-Identifier: GPL-2.0
#
# nested-l1 [L2LOAD_ARGS...]: a plan entry of the L1 host (the KVM under
# test).  Boots the L2 guest with Debian's packaged qemu-system-aarch64
# -accel kvm (unpacked under /nested by scripts/nested.sh), two vCPUs, the
# same GIC version as this host (GICv3 with ITS, or GICv2 with GICv2m),
# three virtio-blk disks (MSI-X, INTx, virtio-mmio), and waits for it to
# power off.  PASS needs QEMU to exit 0 and L2 to print "L2-NESTED: PASS"
# (nested/l2-init.sh).
bb=/bin/busybox
N=/nested
l2_mem=256M
l2_timeout=1200
set -o pipefail

[ -c /dev/kvm ] || { echo "nested: no /dev/kvm in L1 (KVM did not initialise)"; exit 1; }
gic=2
$bb grep -q GICv3 /proc/interrupts && gic=3
if [ $gic = 3 ]; then machine=virt,gic-version=3,its=on; else machine=virt,gic-version=2; fi

for d in msi intx mmio; do
	$bb truncate -s 2M /tmp/$d.img || exit 1
done
qemu="$N/lib/ld-linux-aarch64.so.1 --library-path $N/lib $N/bin/qemu-system-aarch64"
echo "nested: $($N/lib/ld-linux-aarch64.so.1 --library-path $N/lib $N/bin/qemu-system-aarch64 --version | $bb head -n1)"
echo "nested: L2 on a GICv$gic host: -M $machine -smp 2 -m $l2_mem, l2load $*"
t0=$($bb date +%s)
$bb timeout -s KILL $l2_timeout $qemu -accel kvm -M $machine -cpu host \
	-smp 2 -m $l2_mem -nographic -no-reboot -nic none \
	-kernel $N/l2/Image -initrd $N/l2/initrd.gz \
	-append "console=ttyAMA0 loglevel=4 panic=-1 -- $*" \
	-drive if=none,id=msi,file=/tmp/msi.img,format=raw,file.locking=off \
	-device virtio-blk-pci,drive=msi,serial=msi \
	-drive if=none,id=intx,file=/tmp/intx.img,format=raw,file.locking=off \
	-device virtio-blk-pci,drive=intx,serial=intx,vectors=0 \
	-drive if=none,id=mmio,file=/tmp/mmio.img,format=raw,file.locking=off \
	-device virtio-blk-device,drive=mmio,serial=mmio \
	</dev/null 2>&1 | $bb tee /tmp/l2.log
rc=$?
t=$(($($bb date +%s) - t0))
$bb rm -f /tmp/msi.img /tmp/intx.img /tmp/mmio.img
if [ $rc != 0 ]; then
	echo "nested: L2 QEMU exited with status $rc after ${t}s (137: killed after ${l2_timeout}s)"
	exit 1
fi
if ! $bb grep -q '^L2-NESTED: PASS' /tmp/l2.log; then
	echo "nested: L2 did not report success after ${t}s"
	exit 1
fi
echo "nested: L2 passed in ${t}s"
