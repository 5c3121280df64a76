#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The test suite behind 'make check'.  Stages (each also a make target):
#   unit      host-side unit tests of the harness (splat classifier, KTAP
#             parser, export round trip, scripts/check-harness.py: run bits
#             and make targets), and 'make TARGET DRY_RUN=1' of each long
#             target (tests/run-unit.sh)
#   model     SPIN models of the TDIR protocol (scripts/model.sh,
#             docs/tdir-model.md): one result per search, PASS when its
#             outcome is the expected one
#   hygiene   the series applies to v$KVER, patches/ is what export
#             produces, checkpatch --strict is clean on every patch
#   hosts     debug kernel on a GICv3 and a GICv2 host, kcsan kernel on a
#             GICv3 host, each running the series' selftests and the
#             upstream vgic tests (plans/*.plan)
#   stress    'make stress' short: the race reproducers 10 times each on
#             the debug GICv3 host, exact totals
# Ends with "N passed, N failed, N skipped" and exits 1 on any failure.
. "$(dirname "$0")/lib.sh"

stages=${STAGES:-unit model hygiene hosts stress}
export RESULTS=$WORK/check-results.tsv
mkdir -p "$WORK"
: >"$RESULTS"

record()	# stage name PASS|FAIL|SKIP detail
{
	printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "${4:-}" >>"$RESULTS"
	printf '%-7s %s: %s %s\n' "$3" "$1" "$2" "${4:-}"
}

stage_unit()
{
	log "=== unit: harness unit tests"
	"$TOP/tests/run-unit.sh" || true
}

stage_model()
{
	local rc=0 before

	log "=== model: SPIN models of the TDIR protocol"
	before=$(grep -c '^model'$'\t' "$RESULTS" || true)
	"$TOP/scripts/model.sh" || rc=$?
	if [ "$(grep -c '^model'$'\t' "$RESULTS" || true)" = "$before" ]; then
		record model run FAIL "scripts/model.sh ran no search (exit $rc)"
	fi
}

# Print the files a patch adds that no MAINTAINERS entry routes to kvmarm
# (or, for the arch-neutral KVM selftest library, to the KVM list).
new_files_unmaintained()
{
	local f bad=0 lists want

	for f in $(awk '/^diff --git /{f=$4} /^new file mode/{sub("^b/", "", f); print f}' "$1"); do
		lists=$(cd "$TREE" && ./scripts/get_maintainer.pl --no-git --no-git-fallback -f "$f" 2>/dev/null)
		want=kvmarm@lists.linux.dev
		case "$f" in
		tools/testing/selftests/kvm/*/arm64/*|tools/testing/selftests/kvm/arm64/*) ;;
		tools/testing/selftests/kvm/*) want=kvm@vger.kernel.org ;;
		esac
		if ! grep -q "$want" <<<"$lists"; then
			echo "$f: no MAINTAINERS entry sends it to $want"
			bad=1
		fi
	done
	return $bad
}

stage_hygiene()
{
	local p name out tmp

	log "=== hygiene: apply, round trip, checkpatch"
	if "$TOP/scripts/apply.sh"; then
		record hygiene apply PASS
	else
		record hygiene apply FAIL "patches/ do not apply to v$KVER"
		return
	fi
	tmp=$(mktemp -d)
	"$TOP/scripts/export.sh" "$tmp" 2>/dev/null
	if diff -r "$TOP/patches" "$tmp" >"$WORK/roundtrip.diff" 2>&1; then
		record hygiene round-trip PASS
	else
		head -n 40 "$WORK/roundtrip.diff"
		record hygiene round-trip FAIL "patches/ differ from 'make export' (see $WORK/roundtrip.diff)"
	fi
	rm -rf "$tmp"
	for p in "$TOP"/patches/*.patch; do
		[ -e "$p" ] || continue
		name=$(basename "$p")
		case "$name" in 0000-*) continue ;; esac
		# UNKNOWN_COMMIT_ID: the tree has no upstream history, see
		# scripts/known-commits.txt and the fixes-tags check below.
		# FILE_PATH_CHANGES ("does MAINTAINERS need updating?") is asked
		# for every new file: the maintainers check below answers it.
		# /usr/bin first: spdxcheck.py needs Debian's python3-ply/-git.
		if out=$(cd "$TREE" && PATH=/usr/bin:$PATH ./scripts/checkpatch.pl --strict --quiet \
				--no-summary --show-types \
				--ignore UNKNOWN_COMMIT_ID,FILE_PATH_CHANGES "$p" 2>&1); then
			record checkpatch "$name" PASS
		else
			printf '%s\n' "$out" | head -n 40
			record checkpatch "$name" FAIL "checkpatch --strict"
		fi
		if out=$(new_files_unmaintained "$p"); then
			record maintainers "$name" PASS
		else
			printf '%s\n' "$out"
			record maintainers "$name" FAIL "new file not routed to its KVM list by MAINTAINERS"
		fi
		if out=$(python3 "$TOP/scripts/check-fixes.py" "$TOP/scripts/known-commits.txt" "$p"); then
			record fixes-tags "$name" PASS
		else
			printf '%s\n' "$out"
			record fixes-tags "$name" FAIL "Fixes: tag not in scripts/known-commits.txt"
		fi
	done
}

stage_hosts()
{
	log "=== hosts: debug GICv3, debug GICv2, kcsan GICv3"
	"$TOP/scripts/suite.sh" debug-gicv3 debug 3 "$TOP/plans/series.plan" || true
	"$TOP/scripts/suite.sh" debug-gicv2 debug 2 "$TOP/plans/series-gicv2.plan" || true
	"$TOP/scripts/suite.sh" kcsan-gicv3 kcsan 3 "$TOP/plans/series.plan" || true
}

# A short 'make stress': the race reproducers looped STRESS_ITER (10)
# times on the debug GICv3 host, with the same pass criteria (no report,
# exact delivered/notified totals).  One result per test.
stage_stress()
{
	local host test iters status splats deliv notif rc=0 rows=0

	log "=== stress: race reproducers, short loop"
	rm -f "$WORK/stress-summary.tsv"
	"$TOP/scripts/stress.sh" --short || rc=$?
	if [ -f "$WORK/stress-summary.tsv" ]; then
		while IFS=$'\t' read -r host test iters status splats deliv notif; do
			[ "$host" = host ] && continue
			rows=$((rows + 1))
			record stress "$test" "$status" \
				"$host, $iters iterations, $splats splat(s), delivered $deliv, notified $notif"
		done <"$WORK/stress-summary.tsv"
	fi
	if [ "$rows" -eq 0 ]; then
		record stress run FAIL "stress.sh --short ran no test (exit $rc)"
	fi
}

t0=$(date +%s)
"$TOP/scripts/deps.sh"
for s in $stages; do
	"stage_$s"
done

# suite.sh appends "label name STATUS detail"; unit/record use PASS/FAIL/SKIP.
read -r pass fail skip < <(awk -F'\t' '
	$3 == "PASS" { p++ } $3 == "SKIP" { s++ }
	$3 != "PASS" && $3 != "SKIP" { f++ }
	END { printf "%d %d %d\n", p, f, s }' "$RESULTS")
if [ "$fail" -gt 0 ]; then
	echo
	echo "Failures:"
	awk -F'\t' '$3 != "PASS" && $3 != "SKIP" { printf "  %s: %s %s %s\n", $1, $2, $3, $4 }' "$RESULTS"
fi
log "check took $(($(date +%s) - t0)) s"
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
