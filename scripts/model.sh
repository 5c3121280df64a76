#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# 'make model': the SPIN models of the TDIR protocol (models/, see
# docs/tdir-model.md), each searched exhaustively, and each outcome
# compared with the expected one: the old protocol loses a deactivation,
# the new one passes every property (with one SPI and with two), each
# barrier-removed variant fails, and so does the linker's scan that skips
# the SPI's owner (the bug of the patch's first version), which needs two
# SPIs: with one it passes.
#
#   scripts/model.sh [NAME...]     run all models, or the named ones
#   scripts/model.sh --list        list them
#   scripts/model.sh --trail NAME  run NAME, print its counterexample
#                                  (statements only, one line per step)
#
# Prints one line per model (name, expected, got, states stored, time),
# appends "model NAME PASS|FAIL DETAIL" to $RESULTS when set (the model
# stage of 'make check'), exits 1 on any unexpected outcome.
# MODEL_MEM (MB, default 2048) bounds each search's memory; a search that
# hits it, or the depth bound, is an error, never a pass.
. "$(dirname "$0")/lib.sh"

MODEL_MEM=${MODEL_MEM:-2048}
out=$WORK/model

# Bounds (docs/tdir-model.md, "Bounds"): B1 is the default of the models
# (2 vCPUs, 1 SPI, 2 injections, 1 retarget, 1 spontaneous exit, 1 EOImode
# flip); B0 drops the spontaneous exit and the flip, for the cycle search.
# B2 has 2 SPIs, each injected once to any vCPU, and no retarget,
# spontaneous exit or flip; B2F routes SPI s to vCPU s (the cycle search).
B0="-DSPONT=0 -DFLIPS=0"
B2="-DNS=2 -DROUNDS=1 -DRETARGETS=0 -DSPONT=0 -DFLIPS=0"
B2F="$B2 -DFIXED_ROUTE"

# name	file	search	expected	defines
# search: safety (assertions, invalid end states) or cycles (non-progress
# cycles: with no progress label, any infinite execution).
# expected: pass, assert (assertion violated), end (invalid end state),
# cycle (non-progress cycle).
MODELS="
old	tdir-old.pml	safety	assert
new	tdir-new.pml	safety	pass
new-cycles	tdir-new.pml	cycles	pass	$B0
new-2spi	tdir-new.pml	safety	pass	$B2
new-2spi-cycles	tdir-new.pml	cycles	pass	$B2F
scan-skips-owner	tdir-new.pml	safety	assert	-DSCAN_SKIPS_OWNER $B2
scan-skips-owner-1spi	tdir-new.pml	safety	pass	-DSCAN_SKIPS_OWNER
no-entry-mb	tdir-new.pml	safety	assert	-DNO_ENTRY_MB
e1s-after-mb	tdir-new.pml	safety	assert	-DE1S_AFTER_MB
no-link-mb	tdir-new.pml	safety	assert	-DNO_LINK_MB
no-sync-mb	tdir-new.pml	safety	assert	-DNO_SYNC_MB
no-mode-mb	tdir-new.pml	safety	end	-DNO_MODE_MB
no-wait	tdir-new.pml	safety	assert	-DNO_WAIT
no-backstop	tdir-new.pml	safety	assert	-DNO_BACKSTOP
"

record_model()	# name PASS|FAIL detail
{
	[ -z "${RESULTS:-}" ] || printf 'model\t%s\t%s\t%s\n' "$1" "$2" "$3" >>"$RESULTS"
}

# run_one name file search defines...: search the model in $out/name;
# sets got, states, secs.  ($cflags and $panflags are lists of words.)
# shellcheck disable=SC2086
run_one()
{
	local name=$1 file=$2 search=$3 dir cflags panflags t0 log
	shift 3

	dir=$out/$name
	rm -rf "$dir"
	mkdir -p "$dir"
	cp "$TOP"/models/*.pml "$dir"/
	log=$dir/pan.out
	got=error states=- secs=0
	t0=$(date +%s.%N)
	if [ "$search" = cycles ]; then
		cflags="-DNP" panflags="-l"
	else
		cflags="-DSAFETY" panflags=""
	fi
	# --trail: iterate to the shortest counterexample (slower)
	if [ -n "$trail" ]; then
		cflags="$cflags -DREACH" panflags="$panflags -i"
	fi
	if ! (cd "$dir" && spin -a "$@" "$file") >"$dir/spin.out" 2>&1; then
		cat "$dir/spin.out" >&2
		got="error(spin)"
	elif ! (cd "$dir" && gcc -O2 -w $cflags -DCOLLAPSE -DMEMLIM="$MODEL_MEM" \
			-o pan pan.c) >"$dir/gcc.out" 2>&1; then
		head -n 20 "$dir/gcc.out" >&2
		got="error(gcc)"
	else
		(cd "$dir" && ./pan -m100000 $panflags) >"$log" 2>&1 || true
		states=$(awk '/states, stored/ { print $1; exit }' "$log")
		states=${states:--}
		if grep -qE '^pan:[0-9]+: assertion violated' "$log"; then
			got=assert
		elif grep -qE '^pan:[0-9]+: invalid end state' "$log"; then
			got=end
		elif grep -qE '^pan:[0-9]+: (non-progress|acceptance) cycle' "$log"; then
			got=cycle
		elif grep -qE 'max search depth too small|reached -DMEMLIM|out of memory' "$log"; then
			got="error(bound)"
		elif grep -q 'errors: 0' "$log" && ! grep -q 'Search not completed' "$log"; then
			got=pass
		fi
	fi
	secs=$(echo "$(date +%s.%N) - $t0" | bc)
}

# The trail of a failed search, statement by statement, without the
# bookkeeping (loop counters, else/goto, resets of locals).
print_trail()	# name file defines...
{
	local name=$1 file=$2 nv=2 d
	shift 2

	for d in "$@"; do
		case $d in -DNV=*) nv=${d#-DNV=} ;; esac
	done
	(cd "$out/$name" && spin -t -p "$@" "$file") 2>&1 |
		awk -v nv="$nv" '/^spin: trail ends/ { exit }
		     /proc +[0-9]+ \(/ {
			if ($0 ~ /\[(else|\(1\)|\.\(goto\)|break|goto :b[0-9]+)\]/) next
			if ($0 ~ /\[(v|r|s|t|g|old|tgt|sync|bail|linked|first|seen|clear|mask\[[0-9]\]) = (0|\((v|r|s|t|tgt)\+1\))\]/) next
			if ($0 ~ /\[\(\((v|r|s|t|tgt)<[=(]/) next
			sub(/^ *[0-9]+:[ \t]+/, "")
			sub(/\(state [0-9]+\)[ \t]*/, "")
			# proc 1..NV are vcpu(0)..vcpu(NV-1), then injector(0..NS-1)
			if (match($0, /^proc +[0-9]+ \(vcpu:[0-9]+\)/)) {
				split($0, w, " +")
				$0 = sprintf("vcpu%d    %s", w[2] - 1, substr($0, RLENGTH + 2))
			} else if (match($0, /^proc +[0-9]+ \(injector:[0-9]+\)/)) {
				split($0, w, " +")
				$0 = sprintf("inj%d     %s", w[2] - nv - 1, substr($0, RLENGTH + 2))
			} else if (match($0, /^proc +[0-9]+ \([:a-z]+:[0-9]+\)/)) {
				n = substr($0, 1, RLENGTH); gsub(/^proc +[0-9]+ \(:?|:?:[0-9]+\)$/, "", n)
				$0 = sprintf("%-9s%s", n, substr($0, RLENGTH + 2))
			}
			print; next }
		     /assertion violated|invalid end state|START OF CYCLE/ { print }'
}

list=0 trail=
case "${1:-}" in
--list) list=1; shift ;;
--trail) trail=${2:?--trail NAME}; shift 2; set -- "$trail" ;;
esac

if [ "$list" = 1 ]; then
	printf '%s\n' "$MODELS" | awk -F'\t' 'NF { printf "%-22s %-12s %-7s expect %-7s %s\n", $1, $2, $3, $4, $5 }'
	exit 0
fi

need spin spin
need gcc gcc
need bc bc
mkdir -p "$out"

selected=" $* "
n=0 bad=0 t_all=$(date +%s)
printf '%-22s %-9s %-12s %12s %8s\n' model expected got states time
while IFS=$'\t' read -r name file search expected defines; do
	[ -n "$name" ] || continue
	if [ $# -gt 0 ] && [[ "$selected" != *" $name "* ]]; then
		continue
	fi
	n=$((n + 1))
	# shellcheck disable=SC2086 # defines are words
	run_one "$name" "$file" "$search" $defines
	if [ "$got" = "$expected" ]; then
		status=PASS
	else
		status=FAIL
		bad=$((bad + 1))
	fi
	printf '%-22s %-9s %-12s %12s %7.1fs%s\n' "$name" "$expected" "$got" "$states" "$secs" \
		"$([ "$status" = PASS ] || echo " UNEXPECTED (see $out/$name/pan.out)")"
	record_model "$name" "$status" "expected $expected, got $got, $states states, ${secs%.*} s ($file $search $defines)"
	if [ -n "$trail" ]; then
		if [ "$got" = pass ]; then
			echo "$name: no counterexample" >&2
		else
			# shellcheck disable=SC2086
			print_trail "$name" "$file" $defines
		fi
	fi
done <<<"$MODELS"

[ "$n" -gt 0 ] || die "no model named: $*"
log "model: $n searches, $bad unexpected, $(($(date +%s) - t_all)) s"
[ "$bad" -eq 0 ]
