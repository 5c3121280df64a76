#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# stress.sh [--short]
#
# 'make stress': loop each race reproducer of the series (plans/stress.plan.in)
# for STRESS_ITER iterations (default 200), through each test's own -i
# option, on three hosts: debug GICv3, debug GICv2 (the tests that run with
# a GICv2 host) and kcsan GICv3, one scripts/suite.sh run per host.  Timeouts
# scale with STRESS_ITER.
#
# Pass criteria, per test and host: the runner's verdict (which already
# fails a test on any kernel report in dmesg: lockdep, KASAN, KCSAN, WARNING,
# BUG, list corruption), no splat line, and no lost interrupt: every
# "# totals: ... delivered D/E[, notified N/M]" line the test prints must
# have D == E and N == M, and a test marked TOTALS=y in the template must
# print at least one.
#
# Writes work/stress-summary.tsv (host, test, iterations, result, splats,
# delivered, notified), prints it, ends with "N passed, N failed, N
# skipped" and exits 1 on any failure, or when nothing passed.
#
# Environment:
#   STRESS_ITER=N        iterations (default 200; --short: 10)
#   MODE=M               host mode (lib.sh MODES; default vhe) of the
#                        default hosts and of hosts named without one
#   STRESS_HOSTS="..."   hosts among {debug,kcsan}-gicv{3,2}[-MODE] (default
#                        debug-gicv3, debug-gicv2 and kcsan-gicv3 in MODE,
#                        no GICv2 for nested; --short: debug-gicv3)
#   STRESS_TESTS="..."   only these tests of the template (default: all)
#   PIN_VM=0             do not keep an idle VM for the whole run (see
#                        pin_vm() in runner/init.c; scripts/run-qemu.sh)
#   STRESS_KTREE=DIR     kernel tree to boot (default: the series tree)
#   QEMU_LOCK=FILE       run each host under flock FILE (shared machines)
#   DRY_RUN=1            check and print the hosts and plans, run nothing
#                        (see lib.sh)
#   plus what scripts/suite.sh takes (NO_KERNEL_BUILD, TESTS_TREE, TESTS_OUT).
. "$(dirname "$0")/lib.sh"

# The hosts a stress run can boot: {debug,kcsan}-gicv{3,2}[-MODE] (no
# MODE: $MODE); sets flavour, gic and mode for HOST.
HOSTS_KNOWN="{debug,kcsan}-gicv{3,2}[-{${MODES// /,}}]"
host_cfg()
{
	host_split "$1" "$MODE" && [[ "$flavour" =~ ^(debug|kcsan)$ ]]
}
MODE=${MODE:-vhe}
mode_ok "$MODE" || die "MODE=$MODE: not one of $MODES"
dry_run_init

short=0
case "${1:-}" in
--short) short=1 ;;
"") ;;
*) die "usage: stress.sh [--short]" ;;
esac

if [ $short = 1 ]; then
	iter=${STRESS_ITER:-10}
	hosts=${STRESS_HOSTS:-debug-gicv3-$MODE}
elif [ "$MODE" = nested ]; then
	# KVM's nested virtualisation needs a GICv3: no GICv2 host
	iter=${STRESS_ITER:-200}
	hosts=${STRESS_HOSTS:-debug-gicv3-$MODE kcsan-gicv3-$MODE}
else
	iter=${STRESS_ITER:-200}
	hosts=${STRESS_HOSTS:-debug-gicv3-$MODE debug-gicv2-$MODE kcsan-gicv3-$MODE}
fi
[[ "$iter" =~ ^[1-9][0-9]*$ ]] || die "STRESS_ITER must be a positive integer, not '$iter'"
ktree=${STRESS_KTREE:-$TREE}
ttree=${TESTS_TREE:-$TREE}
tmpl=$TOP/plans/stress.plan.in
summary=$WORK/stress-summary.tsv
results=$WORK/stress-results.tsv
[ -f "$tmpl" ] || die "no $tmpl"

# Does PROGRAM take -i?  Its getopt() option string must have "i:".
takes_iter()
{
	grep -Eq 'getopt\([^"]*"[^"]*i:' "$1"
}

# gen_plan HOST_GIC OUT: the runner plan for one host ($mode, set by
# host_cfg, scales the timeouts by lib.sh's mode_slowdown); the iteration
# count of each test goes to OUT.iters ("NAME ITERS").
gen_plan()
{
	local gic=$1 out=$2 name base per models totals prog args src n timeout total=0
	local slow

	slow=$(mode_slowdown "$mode")

	: >"$out"
	: >"$out.iters"
	while read -r name base per models totals prog args; do
		case "$name" in ''|'#'*) continue ;; esac
		if [ -n "${STRESS_TESTS:-}" ]; then
			case " $STRESS_TESTS " in *" $name "*) ;; *) continue ;; esac
		fi
		case ",$models," in *",$gic,"*) ;; *) continue ;; esac
		src=$ttree/tools/testing/selftests/kvm/arm64/$prog.c
		if [ ! -f "$src" ]; then
			log "stress: $prog is not in $ttree, left out"
			continue
		fi
		n=$iter
		if ! takes_iter "$src"; then
			log "stress: $prog has no -i option, runs once"
			args=${args//-i @ITER@/}
			n=1
		fi
		args=${args//@ITER@/$n}
		timeout=$(awk -v b="$base" -v p="$per" -v n="$n" -v f="$slow" \
			'BEGIN { printf "%d", f * (b + p * n) + 0.999 }')
		total=$((total + timeout))
		printf '%s\t%s\t%s %s\n' "$name" "$timeout" "$prog" "$args" >>"$out"
		printf '%s %s %s\n' "$name" "$n" "$totals" >>"$out.iters"
	done <"$tmpl"
	echo "$total"
}

# summarize HOST LABEL PLAN: one summary line per test of the plan.
summarize()
{
	python3 "$TOP/scripts/stress-summary.py" "$1" "$WORK/$2.log" "$3.iters" \
		"$results" "$2" >>"$summary"
}

# Every name in STRESS_TESTS must be a test of the template.
for t in ${STRESS_TESTS:-}; do
	awk -v t="$t" '$1 == t { f = 1 } END { exit !f }' "$tmpl" ||
		problem "STRESS_TESTS: '$t' is not a test of $tmpl"
done

if [ "$dry_run" = 1 ]; then
	need_script suite.sh build-tests.sh
	need_file "$TOP/scripts/stress-summary.py"
	need column bsdextrautils
	need rsync rsync
	dry_tree "$ktree" series
	dry_tree "$ttree" series
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	for host in $hosts; do
		host_cfg "$host" || { problem "unknown host '$host' ($HOSTS_KNOWN)"; continue; }
		dry_kernel "$flavour" "$ktree"
		if [ -d "$ttree/tools/testing/selftests/kvm/arm64" ]; then
			total=$(gen_plan "$gic" "$tmp/plan" 2>/dev/null)
			tests=$(awk '{ printf " %s(%s)", $1, $2 }' "$tmp/plan.iters")
			[ -n "$tests" ] || problem "stress[$host]: no test of $tmpl is in $ttree"
			would "boot a GICv$gic host ($flavour kernel, $mode mode), tests (iterations):$tests; timeouts add up to ${total}s"
		else
			tests=$(awk -v g="$gic" -v only=" ${STRESS_TESTS:-} " '
				/^[ \t]*(#|$)/ { next }
				("," $4 ",") !~ ("," g ",") { next }
				only != "  " && index(only, " " $1 " ") == 0 { next }
				{ printf " %s", $1 }' "$tmpl")
			would "boot a GICv$gic host ($flavour kernel, $mode mode), $iter iterations of those in $ttree of:$tests"
		fi
	done
	QEMU=$(mode_qemu "$MODE") dry_qemu
	dry_run_end stress
fi

mkdir -p "$WORK"
: >"$results"
printf 'host\ttest\titerations\tresult\tsplats\tdelivered\tnotified\n' >"$summary"

t0=$(date +%s)
for host in $hosts; do
	host_cfg "$host" || die "unknown host '$host' ($HOSTS_KNOWN)"
	host=$flavour-gicv$gic-$mode
	label=stress-$host
	plan=$WORK/$label.plan
	total=$(gen_plan "$gic" "$plan")
	if [ ! -s "$plan" ]; then
		log "stress[$host]: no test to run"
		continue
	fi
	log "stress[$host]: $(wc -l <"$plan") tests, $iter iterations, timeouts add up to ${total}s"
	t=$(date +%s)
	cmd=("$TOP/scripts/suite.sh" "$label" "$flavour" "$gic" "$plan" "$ktree")
	if [ -n "${QEMU_LOCK:-}" ]; then
		cmd=(flock "$QEMU_LOCK" "${cmd[@]}")
	fi
	# A host that fails before QEMU (build) must not be judged on the
	# console log of an earlier run.
	rm -f "$WORK/$label.log"
	RESULTS=$results MODE=$mode QEMU_TIMEOUT=$((total + 300)) "${cmd[@]}" || true
	log "stress[$host]: $(($(date +%s) - t)) s"
	summarize "$host" "$label" "$plan"
done

echo
column -t -s $'\t' "$summary"
read -r pass fail skip < <(awk -F'\t' 'NR > 1 { if ($4 == "PASS") p++; else if ($4 == "SKIP") s++; else f++ }
	END { printf "%d %d %d\n", p, f, s }' "$summary")
log "stress took $(($(date +%s) - t0)) s; summary in $summary"
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
