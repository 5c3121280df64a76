#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench.sh: the cost of the vgic hot paths, base vs series ('make bench').
#
# Builds the "bench" flavour (no lockdep, no sanitizers) of the base and of
# the series, boots each BENCH_RUNS times (default 2) as a one-CPU GICv3
# host under QEMU -icount shift=0,sleep=off, and runs bench/bench.plan:
# bench/vgic_bench.c (round trip, with an idle vCPU, LR overflow, DIR after
# idle, cross-vCPU EOImode=1 deactivation, irqfd) and the upstream
# vgic_lpi_stress.  Under icount, the guest's counter and the
# host's clock follow the instruction count, so the figures do not depend
# on how busy this machine is.  scripts/bench-report.py prints the table,
# the run-to-run spread and the ratios, and writes CSV, JSON and a PNG to
# work/bench/ and bench/results/ (the copy the README shows).
# DRY_RUN=1: check and print what it would build and boot (see lib.sh).
. "$(dirname "$0")/lib.sh"
dry_run_init

runs=${BENCH_RUNS:-2}
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || die "BENCH_RUNS must be a positive integer, not '$runs'"
out=$WORK/bench
plan=$TOP/bench/bench.plan
declare -A tree=([base]=$BASE_TREE [series]=$TREE)

if [ "$dry_run" = 1 ]; then
	need_script build-tests.sh
	need_file "$plan" "$TOP/bench/vgic_bench.c" "$TOP/scripts/bench-report.py"
	need rsync rsync
	# 'make bench' installs it first (deps.sh WITH_BENCH=1).
	/usr/bin/python3 -c 'import matplotlib' 2>/dev/null ||
		echo "python3-matplotlib: not installed; 'make bench' installs it, scripts/bench.sh alone needs it"
	for k in base series; do
		dry_tree "${tree[$k]}" "$k"
		dry_kernel bench "${tree[$k]}"
	done
	would "build vgic_bench.c and arm64/vgic_lpi_stress from ${tree[series]} into $out/tests"
	would "boot each kernel $runs time(s) as a one-CPU GICv3 host under QEMU -icount, plan $(basename "$plan")"
	dry_qemu
	would "write the report to $out and $TOP/bench/results"
	dry_run_end bench
fi

mkdir -p "$out"
/usr/bin/python3 -c 'import matplotlib' 2>/dev/null ||
	die "python3 matplotlib not found: install the Debian package 'python3-matplotlib' (or run 'make deps WITH_BENCH=1')"

for k in base series; do
	"$TOP/scripts/build-kernel.sh" bench "${tree[$k]}" "$(dirname "${tree[$k]}")/build-bench"
done

# One set of binaries, from the series tree, for both kernels.
EXTRA_TESTS=$TOP/bench/vgic_bench.c "$TOP/scripts/build-tests.sh" "$out/tests" arm64/vgic_lpi_stress
"$TOP/scripts/mkinitrd.sh" "$out/bench.cpio.gz" "$out/tests" "$plan"

rm -f "$out"/run-*.log "$out/results.tsv"
failed=0
for k in base series; do
	image=$(dirname "${tree[$k]}")/build-bench/arch/arm64/boot/Image
	for r in $(seq 1 "$runs"); do
		lg=$out/run-$k-$r.log
		log "bench[$k run $r]: booting, icount"
		t=$(date +%s)
		status=$(SMP=1 QUIET=1 MACHINE_OPTS=dtb-randomness=off \
			QEMU_EXTRA="-icount shift=0,sleep=off" \
			"$TOP/scripts/run-qemu.sh" "$image" "$out/bench.cpio.gz" 3 "$lg" \
			"${QEMU_TIMEOUT:-1800}")
		log "bench[$k run $r]: QEMU $status after $(($(date +%s) - t)) s"
		python3 "$TOP/scripts/ktap.py" --label "bench-$k-$r" \
			--results "$out/results.tsv" "$lg" "$status" >"$out/ktap-$k-$r.txt" ||
			{ cat "$out/ktap-$k-$r.txt"; failed=1; }
	done
done
[ "$failed" = 0 ] || die "bench: a benchmark run failed (logs in $out)"

mkdir -p "$TOP/bench/results"
/usr/bin/python3 "$TOP/scripts/bench-report.py" "$out" "$TOP/bench/results" | tee "$out/bench.txt"
cp "$out/bench.txt" "$TOP/bench/results/bench.txt"
