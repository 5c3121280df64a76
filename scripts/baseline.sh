#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# baseline.sh record|compare
#
# record:  run every upstream arm64 KVM selftest (the Makefile.kvm list of
#          the base tree) on the unpatched base, debug kernel, GICv3 host,
#          and store the per-test result in baselines/base-debug-gicv3.tsv.
# compare: run the same list on the series kernel and fail on any test
#          that passed (or skipped) on the base and does not now.
# Slow (tens of minutes): not part of 'make check'.  DRY_RUN=1: check and
# print what it would build and run (see lib.sh).
. "$(dirname "$0")/lib.sh"
dry_run_init

mode=${1:-}
case "$mode" in
record|compare) ;;
*) die "usage: baseline.sh record|compare" ;;
esac
file=$TOP/baselines/base-debug-gicv3.tsv
# 120 s per test, as tools/testing/selftests/kvm/settings asks of kselftest.
timeout=${BASELINE_TIMEOUT:-120}

mk=$BASE_TREE/tools/testing/selftests/kvm/Makefile.kvm
arm64_progs()
{
	awk '
	/^TEST_GEN_PROGS_COMMON *\+?= */ { common[++nc] = $3 }
	/^TEST_GEN_PROGS_arm64 *\+?= */ {
		if ($3 == "$(TEST_GEN_PROGS_COMMON)") { for (i = 1; i <= nc; i++) print common[i] }
		else print $3
	}' "$mk"
}

if [ "$dry_run" = 1 ]; then
	need_script suite.sh build-tests.sh
	need_file "$TOP/scripts/compare-baseline.py"
	need rsync rsync
	dry_tree "$BASE_TREE" base
	if [ -f "$mk" ]; then
		n=$(arm64_progs | wc -l)
		[ "$n" -gt 0 ] || problem "no arm64 tests found in $mk"
		n="$n tests"
	else
		n="every arm64 test of the base's Makefile.kvm"
	fi
	if [ "$mode" = record ]; then
		dry_kernel debug "$BASE_TREE"
		would "boot a GICv3 host (debug kernel of $BASE_TREE): $n, ${timeout}s each at most"
		would "record the results in $file"
	else
		need_file "$file"
		[ ! -f "$file" ] || echo "baseline: $file, $(grep -vc '^#' "$file") tests"
		dry_tree "$TREE" series
		if [ "${COMPARE_ONLY:-0}" = 1 ]; then
			[ -s "$WORK/baseline-compare.tsv" ] ||
				problem "COMPARE_ONLY=1: no results of an earlier run in $WORK/baseline-compare.tsv"
			would "compare $WORK/baseline-compare.tsv with the baseline"
		else
			dry_kernel debug "$TREE"
			would "boot a GICv3 host (debug kernel of $TREE): $n, ${timeout}s each at most," \
			      "retry twice each test that passed on the base and fails"
		fi
	fi
	dry_qemu
	dry_run_end "baseline $mode"
fi

mapfile -t progs < <(arm64_progs)
[ ${#progs[@]} -gt 0 ] || die "no arm64 tests found in $mk"

plan=$WORK/baseline.plan
: >"$plan"
for p in "${progs[@]}"; do
	echo "$(basename "$p") $timeout $(basename "$p")" >>"$plan"
done
log "baseline: ${#progs[@]} tests, ${timeout}s each at most"
export BUILD_PROGS="${progs[*]}"

if [ "$mode" = record ]; then
	res=$WORK/baseline-record.tsv
	: >"$res"
	RESULTS=$res TESTS_TREE=$BASE_TREE TESTS_OUT=$WORK/base-selftests QEMU_TIMEOUT=$((timeout * ${#progs[@]})) \
		"$TOP/scripts/suite.sh" baseline-base debug 3 "$plan" "$BASE_TREE" || true
	[ -s "$res" ] || die "baseline: no result recorded (see the messages above); $file left as it was"
	mkdir -p "$(dirname "$file")"
	{
		echo "# Upstream arm64 KVM selftests on the unpatched v$KVER, debug kernel,"
		echo "# QEMU $(qemu_version "$(qemu_bin "$(mode_qemu vhe)")") GICv3 host. Recorded by 'make baseline'."
		cut -f2-4 "$res"
	} >"$file"
	log "baseline: recorded $file"
	exit 0
fi

[ -f "$file" ] || die "no baseline $file: run 'make baseline' first"
# Compare like with like: the series runs on the QEMU the baseline was
# recorded on (its header says which version), unless QEMU= is set.
if [ -z "${QEMU:-}" ]; then
	bver=$(sed -n 's/^# QEMU \([0-9.]*\) .*/\1/p' "$file" | head -n1)
	for q in bpo system; do
		if [ -n "$bver" ] && [ "$(qemu_version "$(qemu_bin $q)")" = "$bver" ]; then
			export QEMU=$q
			break
		fi
	done
	[ -n "${QEMU:-}" ] ||
		die "the baseline was recorded on QEMU ${bver:-(unknown)}, neither QEMU=bpo nor QEMU=system is that version: re-record it (make baseline) or set QEMU="
	log "check-full: QEMU=$QEMU ($bver), the baseline's"
fi
res=$WORK/baseline-compare.tsv
# COMPARE_ONLY=1 reuses the results of the last full run (to re-judge).
if [ "${COMPARE_ONLY:-0}" != 1 ]; then
	: >"$res"
	RESULTS=$res TESTS_OUT=$WORK/full-selftests QEMU_TIMEOUT=$((timeout * ${#progs[@]})) \
		"$TOP/scripts/suite.sh" full-series debug 3 "$plan" || true
fi
[ -s "$res" ] || die "check-full: no result recorded (see the messages above)"
# A test that passed on the base and not now is run twice more on the
# series: timer tests are flaky under TCG (they fail on the base too).  A
# pass on retry is reported as FLAKY, not hidden and not a regression.
mapfile -t suspects < <(python3 "$TOP/scripts/compare-baseline.py" suspects "$file" "$res")
flaky=$WORK/baseline-retry.tsv
: >"$flaky"
if [ ${#suspects[@]} -gt 0 ]; then
	rplan=$WORK/baseline-retry.plan
	: >"$rplan"
	rprogs=()
	for t in "${suspects[@]}"; do
		echo "$t-retry1 $timeout $t" >>"$rplan"
		echo "$t-retry2 $timeout $t" >>"$rplan"
		for p in "${progs[@]}"; do [ "$(basename "$p")" = "$t" ] && rprogs+=("$p"); done
	done
	log "check-full: retrying ${suspects[*]}"
	RESULTS=$flaky TESTS_OUT=$WORK/full-selftests BUILD_PROGS="${rprogs[*]}" NO_KERNEL_BUILD=1 \
		"$TOP/scripts/suite.sh" full-series-retry debug 3 "$rplan" || true
fi
python3 "$TOP/scripts/compare-baseline.py" report "$file" "$res" "$flaky"
