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
#             GICv3 host (VHE), and the debug GICv3 host in nVHE, protected
#             and nested mode (CHECK_HOSTS), each running the series'
#             selftests and the upstream vgic tests (plans/*.plan)
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

# Each posting (patches/N-NAME/, see scripts/export.sh): one cover letter
# whose "[... 0/K]" counts its K patches; then its mbox as 'make send
# POSTING=N MBOX=...' writes it goes through 'b4 am' and 'git am' on
# v$KVER plus the postings before it, in a scratch worktree, and must
# give the tree of the posting's branch with every patch signed off by
# its sender.
check_postings()
{
	local dir name k n wt mbx prev=v$KVER out b sob from

	for dir in $(find "$TOP/patches" -mindepth 1 -maxdepth 1 -type d -name '[0-9]*-*' | sort -V); do
		name=$(basename "$dir")
		k=$(find "$dir" -name '[0-9]*.patch' ! -name '0000-*' | wc -l)
		n=$(sed -n 's/^Subject: \[.* 0*0\/\([0-9]*\)\].*/\1/p' "$dir/0000-cover-letter.patch" 2>/dev/null | head -n1)
		if [ -f "$dir/0000-cover-letter.patch" ] && [ "$(find "$dir" -name '0000-*' | wc -l)" = 1 ] &&
		   [ "${n:-x}" = "$k" ]; then
			record posting "$name cover" PASS "$k patches"
		else
			record posting "$name cover" FAIL "want one 0000-cover-letter.patch saying 0/$k (found 0/${n:-none})"
		fi
		wt=$WORK/b4/linux
		b=posting/$name
		if ! git -C "$TREE" rev-parse -q --verify "refs/heads/$b" >/dev/null; then
			record posting "$name b4-am" FAIL "no branch $b in $TREE"
			continue
		fi
		rm -rf "$WORK/b4"
		git -C "$TREE" worktree prune
		mkdir -p "$WORK/b4/out"
		git -C "$TREE" worktree add -q --detach "$wt" "$prev"
		mbx=$WORK/b4/$name.mbx
		if ! out=$(POSTING=${name%%-*} MBOX=$mbx "$TOP/scripts/send.sh" 2>&1) ||
		   ! out=$(cd "$wt" && b4 -q am -m "$mbx" -o "$WORK/b4/out" 2>&1) ||
		   ! out=$(cd "$wt" && git -c user.name=b4 -c user.email=b4@localhost am -q "$WORK"/b4/out/*.mbx 2>&1); then
			printf '%s\n' "$out" | tail -n 20
			record posting "$name b4-am" FAIL "b4 am + git am of its mbox on ${prev#posting/}"
		elif ! git -C "$wt" diff --quiet "$b"; then
			record posting "$name b4-am" FAIL "b4 am gives another tree than $b"
		else
			# b4 keeps the trailers; the last Signed-off-by must be the sender's
			bad=0
			for c in $(git -C "$wt" rev-list "$prev..HEAD"); do
				from=$(git -C "$wt" log -1 --format='%an <%ae>' "$c")
				sob=$(git -C "$wt" log -1 --format=%B "$c" | sed -n 's/^Signed-off-by: //p' | tail -n1)
				[ "$sob" = "$from" ] || { echo "$(git -C "$wt" log -1 --format=%s "$c"): last Signed-off-by '$sob', author '$from'"; bad=1; }
			done
			if [ $bad = 0 ]; then
				record posting "$name b4-am" PASS "applies on ${prev#posting/} with b4 am, $k patches, signed off"
			else
				record posting "$name b4-am" FAIL "Signed-off-by does not match the author"
			fi
		fi
		git -C "$TREE" worktree remove --force "$wt"
		rm -rf "$WORK/b4"
		prev=$b
	done
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
	check_postings
	for p in "$TOP"/patches/*.patch "$TOP"/patches/*/*.patch; do
		[ -e "$p" ] || continue
		name=${p#"$TOP"/patches/}
		case "$name" in 0000-*|*/0000-*) continue ;; esac
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

# The hosts of 'make check': HOST (FLAVOUR-gicvN-MODE, lib.sh) and its
# plan.  Why these plans: README.md "Hosts and plans".
CHECK_HOSTS="
debug-gicv3-vhe		series.plan
debug-gicv2-vhe		series-gicv2.plan
kcsan-gicv3-vhe		series.plan
debug-gicv3-nvhe	series-modes.plan
debug-gicv3-protected	series-modes.plan
debug-gicv3-nested	series-nested.plan
"

stage_hosts()
{
	local host plan flavour gic mode

	log "=== hosts: $(awk 'NF { printf "%s ", $1 }' <<<"$CHECK_HOSTS")"
	while read -r host plan; do
		[ -n "$host" ] || continue
		host_split "$host" || die "check.sh: bad host name $host"
		MODE=$mode "$TOP/scripts/suite.sh" "$host" "$flavour" "$gic" "$TOP/plans/$plan" || true
	done <<<"$CHECK_HOSTS"
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
# The hosts stage needs the debug and kcsan kernels: build them in the
# background while the single-threaded stages (unit, model, hygiene) run,
# which leaves a core idle on this 2-core machine class.  build-kernel.sh
# locks its output directory, so suite.sh waits for these and then finds
# nothing to do; a failed build is built (and reported) again there.
prebuild=
case " $stages " in
*" hosts "*)
	if "$TOP/scripts/apply.sh" >"$WORK/prebuild-tree.log" 2>&1; then
		(
			for f in debug kcsan; do
				JOBS=2 nice -n 10 "$TOP/scripts/build-kernel.sh" "$f" "$TREE" \
					"$(dirname "$TREE")/build-$f" >"$WORK/prebuild-$f.log" 2>&1 || true
			done
		) &
		prebuild=$!
		log "check: building the debug and kcsan kernels in the background (work/prebuild-*.log)"
	fi ;;
esac
for s in $stages; do
	"stage_$s"
done
[ -z "$prebuild" ] || wait "$prebuild" 2>/dev/null || true

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
