#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Host-side unit tests of the harness.  Appends "unit NAME STATUS DETAIL"
# to $RESULTS (if set) and exits 1 on any failure.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
out=${WORK:-$top/work}/unit
mkdir -p "$out"
fail=0

emit()	# STATUS NAME DETAIL
{
	[ "$1" = PASS ] || fail=1
	printf '%-7s unit: %s %s\n' "$1" "$2" "${3:-}"
	[ -z "${RESULTS:-}" ] || printf 'unit\t%s\t%s\t%s\n' "$2" "$1" "${3:-}" >>"$RESULTS"
}

# 1. splat classifier (the runner's own C code, built for the host)
if gcc -O2 -Wall -Wextra -Werror -o "$out/test_splat" "$top/tests/test_splat.c" "$top/runner/splat.c"; then
	while IFS=$'\t' read -r st name detail; do
		emit "$st" "$name" "$detail"
	done < <("$out/test_splat" "$top"/tests/data/splat-*.txt "$top"/tests/data/kcsan-*.txt)
else
	emit FAIL splat:build "runner/splat.c does not build"
fi

# 2. the runner itself builds for the guest, warning free
if aarch64-linux-gnu-gcc -static -O2 -Wall -Wextra -Werror -o "$out/init" \
		"$top/runner/init.c" "$top/runner/splat.c"; then
	emit PASS runner:build
else
	emit FAIL runner:build "runner/init.c does not build"
fi

# 3. KTAP parser
while read -r line; do
	case "$line" in
	*" ... ok") emit PASS "ktap:${line%% *}" ;;
	*" ... FAIL"|*" ... ERROR") emit FAIL "ktap:${line%% *}" ;;
	esac
done < <(python3 -m unittest -v "$top/tests/test_ktap.py" 2>&1)

# 3b. benchmark report (parsing, spread, goals; no plotting)
while read -r line; do
	case "$line" in
	*" ... ok") emit PASS "bench:${line%% *}" ;;
	*" ... FAIL"|*" ... ERROR") emit FAIL "bench:${line%% *}" ;;
	esac
done < <(python3 -m unittest -v "$top/tests/test_bench_report.py" 2>&1)

# 3c. stress summary (lost interrupts, missing totals, splats)
while read -r line; do
	case "$line" in
	*" ... ok") emit PASS "stress:${line%% *}" ;;
	*" ... FAIL"|*" ... ERROR") emit FAIL "stress:${line%% *}" ;;
	esac
done < <(python3 -m unittest -v "$top/tests/test_stress_summary.py" 2>&1)

# 3d. the harness checker's shell lexer and target lists
while read -r line; do
	case "$line" in
	*" ... ok") emit PASS "harness:${line%% *}" ;;
	*" ... FAIL"|*" ... ERROR") emit FAIL "harness:${line%% *}" ;;
	esac
done < <(python3 -m unittest -v "$top/tests/test_check_harness.py" 2>&1)

# 4. export/apply round trip
bash "$top/tests/test-roundtrip.sh" >"$out/roundtrip.log" 2>&1
rc=$?
while IFS=$'\t' read -r st name; do
	case "$st" in PASS|FAIL) emit "$st" "$name" ;; esac
done <"$out/roundtrip.log"
[ $rc -eq 0 ] || emit FAIL roundtrip:script "exit $rc: $(tail -n1 "$out/roundtrip.log")"

# 5. the harness's files and targets (scripts/check-harness.py): every file
#    the Makefile or a script runs directly is tracked with mode 100755 and
#    starts with #!; every target of 'make help' resolves (make -n).
python3 "$top/scripts/check-harness.py" "$top" >"$out/harness.tsv" 2>"$out/harness.err"
rc=$?
while IFS=$'\t' read -r st name detail; do
	case "$st" in PASS|FAIL) emit "$st" "$name" "$detail" ;; esac
done <"$out/harness.tsv"
[ $rc -eq 0 ] || grep -q '^FAIL' "$out/harness.tsv" ||
	emit FAIL harness:script "exit $rc: $(tail -n1 "$out/harness.err")"

# 6. the long targets start: 'make TARGET DRY_RUN=1' checks what TARGET
#    needs and prints what it would build and boot, in about a second,
#    building and booting nothing (DRY_TARGETS in the Makefile).
dry=$(sed -n 's/^DRY_TARGETS *:= *//p' "$top/Makefile")
[ -n "$dry" ] || emit FAIL dry-run:targets "no DRY_TARGETS in the Makefile"
for t in $dry; do
	if env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make --no-print-directory -s -C "$top" "$t" DRY_RUN=1 \
			>"$out/dry-$t.log" 2>&1; then
		emit PASS "dry-run:$t"
	else
		why=$(grep -m1 -E '^error:|Permission denied|No such file|\*\*\*' "$out/dry-$t.log" ||
			tail -n1 "$out/dry-$t.log")
		emit FAIL "dry-run:$t" "'make $t DRY_RUN=1' failed: $why (log: $out/dry-$t.log)"
	fi
done

# 7. lib.sh's QEMU selection: QEMU 10.0 (bpo) by default, the idle VM only
#    for a QEMU before 8.1; the stress timeouts' per-mode factor.
lib_case()	# NAME WANT COMMAND...: run COMMAND in a shell that sourced lib.sh
{
	local name=$1 want=$2 got

	shift 2
	got=$(bash -c '. "$0/scripts/lib.sh" && eval "$1"' "$top" "$*" 2>&1)
	if [ "$got" = "$want" ]; then
		emit PASS "lib:$name"
	else
		emit FAIL "lib:$name" "got '$got', want '$want'"
	fi
}
fake_qemu()	# VERSION: a qemu-system-aarch64 that only prints its version
{
	local f=$out/qemu-$1

	printf '#!/bin/sh\necho "QEMU emulator version %s (Debian test)"\n' "$1" >"$f"
	chmod +x "$f"
	echo "$f"
}
lib_case qemu-default bpo 'unset QEMU; mode_qemu vhe'
lib_case qemu-default-nested bpo 'unset QEMU; mode_qemu nested'
lib_case qemu-system system 'QEMU=system mode_qemu nvhe'
lib_case qemu-path "$out/q" "QEMU=$out/q mode_qemu vhe"
lib_case qemu-version 10.0.2 "qemu_version $(fake_qemu 10.0.2)"
lib_case pin-vm-7.2 1 "pin_vm_default 7.2.22"
lib_case pin-vm-8.0 1 "pin_vm_default 8.0.5"
lib_case pin-vm-8.1 0 "pin_vm_default 8.1.0"
lib_case pin-vm-10.0 0 "pin_vm_default 10.0.2"
lib_case slowdown "1 1 4 12" 'echo $(for m in $MODES; do mode_slowdown $m; done)'

exit $fail
