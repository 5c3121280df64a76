#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# nested.sh [RUN...]
#
# 'make nested': the KVM under test (L1, booted by QEMU TCG with EL2)
# runs a real Linux guest (L2) with Debian's packaged qemu-system-aarch64
# -accel kvm, under interrupt load: virtio-blk over MSI-X (ITS LPIs or
# GICv2m), PCI INTx (level SPIs) and virtio-mmio, IPIs between its two
# vCPUs, the arch timer.  See plans/nested.plan, nested/l1.sh,
# nested/l2-init.sh and nested/l2load.c.
#
# RUN is [base-]FLAVOUR-gicvN[-MODE] (MODE: a host mode of lib.sh; without
# it, $MODE, default vhe); by default these four, in $MODE:
#   debug-gicv3       series, debug kernel, GICv3 host (L2: GICv3 + ITS)
#   debug-gicv2       series, debug kernel, GICv2 host (L2: GICv2 + GICv2m;
#                     left out for MODE=nested: KVM's NV needs a GICv3)
#   kcsan-gicv3       series, kcsan kernel, GICv3 host
#   base-debug-gicv3  unpatched base, debug kernel, GICv3 host (comparison)
#
# The arm64 userspace (qemu-system-arm and its dependency closure,
# busybox-static) comes from Debian bookworm as .debs, fetched with a
# private apt configuration (the system's apt sources and state are left
# alone) and unpacked with dpkg-deb, cached in $CACHE/nested.  The L2
# kernel is the "l2" flavour (configs/l2.config) of the base tree.  All of
# it rides in the L1 initramfs, appended to the runner's as a second cpio
# archive; the L1 side is one plan entry of the usual runner, so splats,
# timeouts and KTAP work as for the selftests.
#
# Environment: NO_KERNEL_BUILD=1 (use the L1 images as they are),
# RESULTS (default work/nested-results.tsv), QEMU_TIMEOUT (per L1 boot,
# default 1800 s), QEMU_LOCK=FILE (run each L1 under flock FILE, for
# machines shared with other QEMU runs; default none), NESTED_PLAN, MEM/SMP (L1, see
# run-qemu.sh), NESTED_SUITE (Debian suite, default bookworm),
# VGIC_MIRROR (default: the Debian mirror of /etc/apt, see lib.sh),
# DRY_RUN=1 (check and print what it would fetch, build and boot; see lib.sh).
. "$(dirname "$0")/lib.sh"
dry_run_init

need apt-get apt
need dpkg-deb dpkg
need cpio cpio
need gzip gzip
need python3 python3
need ${CROSS_COMPILE}gcc gcc-aarch64-linux-gnu
need ${CROSS_COMPILE}readelf binutils-aarch64-linux-gnu
lock=${QEMU_LOCK:-}
[ -z "$lock" ] || need flock util-linux

MODE=${MODE:-vhe}
mode_ok "$MODE" || die "MODE=$MODE: not one of $MODES"
runs=("$@")
if [ ${#runs[@]} -eq 0 ]; then
	runs=(debug-gicv3 debug-gicv2 kcsan-gicv3 base-debug-gicv3)
	[ "$MODE" != nested ] || runs=(debug-gicv3 kcsan-gicv3 base-debug-gicv3)
fi
for i in "${!runs[@]}"; do
	r=${runs[$i]}
	host_split "${r#base-}" "$MODE" && [[ "$flavour" =~ ^(debug|kcsan)$ ]] ||
		die "unknown run '$r' ([base-]{debug,kcsan}-gicv{2,3}[-{${MODES// /,}}])"
	runs[$i]=${r%-"$mode"}-$mode
done

ncache=$CACHE/nested
suite=${NESTED_SUITE:-bookworm}
pkgs=(qemu-system-arm busybox-static)
plan=${NESTED_PLAN:-$TOP/plans/nested.plan}
results=${RESULTS:-$WORK/nested-results.tsv}
nwork=$WORK/nested

if [ "$dry_run" = 1 ]; then
	need_file "$plan" "$TOP/nested/l1.sh" "$TOP/nested/l2-init.sh" "$TOP/nested/l2load.c"
	if [ -f "$ncache/apt/done" ] && [ "$(cat "$ncache/apt/done")" = "$suite ${pkgs[*]}" ]; then
		echo "arm64 userspace: cached in $ncache/apt"
	else
		mirror=$(debian_mirror)
		[ -n "$mirror" ] || problem "no Debian mirror configured in /etc/apt; cannot fetch ${pkgs[*]} for arm64"
		would "fetch arm64 ${pkgs[*]} and their dependencies ($suite, ${mirror:-?}) into $ncache"
	fi
	dry_tree "$BASE_TREE" base
	dry_kernel l2 "$BASE_TREE" "$WORK/base/build-l2"
	would "pack the L1 initramfs $WORK/nested.cpio.gz: runner + $(basename "$plan"), L2 kernel and initramfs, arm64 QEMU"
	for r in "${runs[@]}"; do
		case $r in
		base-*) ktree=$BASE_TREE kind=base ;;
		*) ktree=$TREE kind=series ;;
		esac
		host_split "${r#base-}"
		dry_tree "$ktree" "$kind"
		dry_kernel "$flavour" "$ktree"
		would "boot a GICv$gic L1 host ($flavour kernel of $ktree, $mode mode), L2 under KVM; log $WORK/nested-$r.log"
	done
	QEMU=$(mode_qemu "$MODE") dry_qemu
	dry_run_end nested
fi
mkdir -p "$ncache" "$nwork"

# 1. arm64 .debs: the closure of qemu-system-arm and busybox-static, as if
#    installed on an empty arm64 system.
fetch()
{
	local apt=$ncache/apt mirror
	local -a aptopts

	if [ -f "$apt/done" ] && [ "$(cat "$apt/done")" = "$suite ${pkgs[*]}" ]; then
		log "nested: cached arm64 .debs in $apt/cache/archives"
		return
	fi
	mirror=$(debian_mirror)
	[ -n "$mirror" ] || die "no Debian mirror configured in /etc/apt; cannot fetch ${pkgs[*]} for arm64"
	rm -rf "$apt"
	mkdir -p "$apt"/{lists/partial,cache/archives/partial,state}
	: >"$apt/state/status"
	echo "deb [arch=arm64] $mirror $suite main" >"$apt/sources.list"
	aptopts=(-o Dir::Etc::SourceList="$apt/sources.list" -o Dir::Etc::SourceParts=-
		 -o Dir::State="$apt/state" -o Dir::State::Lists="$apt/lists"
		 -o Dir::State::status="$apt/state/status" -o Dir::Cache="$apt/cache"
		 -o APT::Architecture=arm64 -o APT::Architectures::=arm64
		 -o APT::Get::List-Cleanup=0 -o Debug::NoLocking=1)
	[ "$(id -u)" != 0 ] || aptopts+=(-o APT::Sandbox::User=root)
	log "nested: fetching arm64 ${pkgs[*]} and dependencies ($suite)"
	apt-get "${aptopts[@]}" update -q >"$apt/update.log" 2>&1 ||
		{ tail -n 5 "$apt/update.log" >&2; die "apt-get update (arm64, $suite) failed"; }
	apt-get "${aptopts[@]}" install -y -q --download-only --no-install-recommends \
		"${pkgs[@]}" >"$apt/download.log" 2>&1 ||
		{ tail -n 10 "$apt/download.log" >&2; die "apt-get download of arm64 ${pkgs[*]} failed"; }
	echo "$suite ${pkgs[*]}" >"$apt/done"
	log "nested: $(ls "$apt"/cache/archives/*.deb | wc -l) .debs," \
	    "$(du -sh "$apt/cache/archives" | cut -f1)"
}

# 2. Unpack them, and keep only what runs: qemu-system-aarch64, the shared
#    libraries it needs (transitively), the dynamic loader, busybox.
stage_userspace()
{
	local root=$ncache/root stamp out=$1 lib f q
	local -a todo=() seen=()

	stamp=$(ls "$ncache"/apt/cache/archives/*.deb | xargs -n1 basename | sha256sum | cut -c1-16)
	if [ "$(cat "$root/.stamp" 2>/dev/null)" != "$stamp" ]; then
		log "nested: unpacking the .debs"
		rm -rf "$root"
		mkdir -p "$root"
		for f in "$ncache"/apt/cache/archives/*.deb; do
			dpkg-deb -x "$f" "$root"
		done
		echo "$stamp" >"$root/.stamp"
	fi
	q=$root/usr/bin/qemu-system-aarch64
	[ -x "$q" ] && [ -x "$root/bin/busybox" ] || die "unpacked .debs lack qemu-system-aarch64 or busybox"
	mkdir -p "$out/bin" "$out/nested/bin" "$out/nested/lib"
	cp "$root/bin/busybox" "$out/bin/busybox"
	cp "$q" "$out/nested/bin/"
	cp -L "$root/lib/ld-linux-aarch64.so.1" "$out/nested/lib/"
	todo=("$q")
	while [ ${#todo[@]} -gt 0 ]; do
		f=${todo[0]}
		todo=("${todo[@]:1}")
		for lib in $(${CROSS_COMPILE}readelf -d "$f" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
			case " ${seen[*]} " in *" $lib "*) continue ;; esac
			seen+=("$lib")
			for d in lib/aarch64-linux-gnu usr/lib/aarch64-linux-gnu; do
				if [ -e "$root/$d/$lib" ]; then
					cp -L "$root/$d/$lib" "$out/nested/lib/$lib"
					todo+=("$out/nested/lib/$lib")
					continue 2
				fi
			done
			die "qemu-system-aarch64 needs $lib, not in the unpacked .debs"
		done
	done
	log "nested: qemu-system-aarch64 + ${#seen[@]} libraries, $(du -sh "$out" | cut -f1)"
}

# 3. L2: the l2 flavour of the base tree and its initramfs.
stage_l2()
{
	local out=$1 kout=$WORK/base/build-l2 r

	"$TOP/scripts/build-kernel.sh" l2 "$BASE_TREE" "$kout"
	mkdir -p "$out/nested/l2"
	cp "$kout/arch/arm64/boot/Image" "$out/nested/l2/Image"
	r=$(mktemp -d)
	mkdir -p "$r"/{bin,dev,proc,sys,tmp}
	cp "$ncache/root/bin/busybox" "$r/bin/busybox"
	cp "$TOP/nested/l2-init.sh" "$r/init"
	chmod 755 "$r/init"
	${CROSS_COMPILE}gcc -static -O2 -Wall -Wextra -Werror -o "$r/bin/l2load" "$TOP/nested/l2load.c"
	(cd "$r" && find . | cpio -o -H newc --quiet | gzip -9) >"$out/nested/l2/initrd.gz"
	rm -rf "$r"
}

t0=$(date +%s)
fetch
payload=$(mktemp -d)
trap 'rm -rf "$payload"' EXIT
stage_userspace "$payload"
stage_l2 "$payload"

# The L1 initramfs: the runner with the plan (mkinitrd.sh), then the
# payload as a second archive (the kernel unpacks concatenated archives).
mkdir -p "$nwork/bin"
cp "$TOP/nested/l1.sh" "$nwork/bin/nested-l1"
chmod 755 "$nwork/bin/nested-l1"
initrd=$WORK/nested.cpio.gz
"$TOP/scripts/mkinitrd.sh" "$initrd" "$nwork/bin" "$plan"
(cd "$payload" && find . | cpio -o -H newc --quiet | gzip -6) >>"$initrd"
log "nested: L1 initramfs $initrd $(du -h "$initrd" | cut -f1)" \
    "(payload $(du -sh "$payload" | cut -f1) unpacked), prepared in $(($(date +%s) - t0)) s"

failed=0
summary=()
for r in "${runs[@]}"; do
	case $r in
	base-*) ktree=$BASE_TREE ;;
	*) ktree=$TREE ;;
	esac
	host_split "${r#base-}"
	kout=$(dirname "$ktree")/build-$flavour
	label=nested-$r
	if ! "$TOP/scripts/build-kernel.sh" "$flavour" "$ktree" "$kout"; then
		summary+=("$(printf '%-26s %-7s %6s  %s' "$r" FAIL - "no L1 kernel ($kout)")")
		failed=$((failed + 1))
		continue
	fi
	if [ -n "$lock" ]; then
		log "nested[$r]: waiting for $lock"
		exec 8>>"$lock"
		flock 8
	fi
	log "nested[$r]: booting GICv$gic L1 host, $flavour kernel of $ktree, $mode mode"
	t=$(date +%s)
	status=$(MODE=$mode "$TOP/scripts/run-qemu.sh" "$kout/arch/arm64/boot/Image" "$initrd" "$gic" \
		"$WORK/$label.log" "${QEMU_TIMEOUT:-1800}" 8>&-)
	wall=$(($(date +%s) - t))
	[ -z "$lock" ] || exec 8>&-
	if python3 "$TOP/scripts/ktap.py" --label "$label" --results "$results" \
			"$WORK/$label.log" "$status"; then
		res=PASS
	else
		res=FAIL
		failed=$((failed + 1))
	fi
	l2=$(sed -n 's/^ *nested: L2 passed in \([0-9]*\)s.*/\1 s/p' "$WORK/$label.log")
	irqs=$(sed -n 's/^ *l2load: summary //p' "$WORK/$label.log" | tail -n1)
	summary+=("$(printf '%-26s %-7s %6s  L2 %s, %s' "$r" "$res" "${wall}s" "${l2:-n/a}" "$irqs")")
done

echo
printf '%-26s %-7s %6s  %s\n' run result wall "L2 time and interrupt counts (console logs: work/nested-RUN.log)"
printf '%s\n' "${summary[@]}"
echo "nested: ${#runs[@]} run(s), $failed failed, $(($(date +%s) - t0)) s in all"
[ $failed = 0 ]
