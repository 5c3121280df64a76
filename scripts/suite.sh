#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# suite.sh LABEL FLAVOUR GIC PLAN [KERNEL_TREE]
#
# One host run: build the FLAVOUR kernel from KERNEL_TREE (default: the
# series tree $TREE), build the selftests of PLAN from $TESTS_TREE
# (default: the series tree) into $TESTS_OUT,
# pack them with the runner, boot a GICv$GIC host under QEMU and parse the
# results.  Appends to $RESULTS (default work/results.tsv) and exits 1 on
# any failure.  The console log is kept in work/LABEL.log.
. "$(dirname "$0")/lib.sh"

label=${1:?usage: suite.sh LABEL FLAVOUR GIC PLAN [KERNEL_TREE]}
flavour=$2
gic=$3
plan=$4
ktree=${5:-$TREE}
results=${RESULTS:-$WORK/results.tsv}
[ -f "$plan" ] || die "no plan $plan"

# The build directory sits beside the tree it builds (work/linux ->
# work/build-debug, work/base/linux -> work/base/build-debug): the same
# relative source path lets ccache share objects between base and series.
kout=$(dirname "$ktree")/build-$flavour
"$TOP/scripts/build-kernel.sh" "$flavour" "$ktree" "$kout"

# Selftests always come from the series tree (TESTS_TREE overrides), so
# that base runs show the series' reproducers failing on the base kernel.
tests=${TESTS_OUT:-$WORK/selftests}
# A plan names arm64 selftests by basename; BUILD_PROGS (Makefile.kvm
# names, e.g. "arch_timer arm64/vgic_irq") overrides what gets built.
if [ -n "${BUILD_PROGS:-}" ]; then
	read -r -a progs <<<"$BUILD_PROGS"
else
	mapfile -t progs < <(plan_progs "$plan" | sed 's|^|arm64/|')
fi
if [ -n "${EXTRA_TESTS:-}" ]; then
	plan2=$WORK/$label.plan
	cp "$plan" "$plan2"
	for f in $EXTRA_TESTS; do
		n=extra-$(basename "${f%.c}")
		echo "$n ${EXTRA_TIMEOUT:-600} $n" >>"$plan2"
	done
	plan=$plan2
fi
TREE=${TESTS_TREE:-$TREE} "$TOP/scripts/build-tests.sh" "$tests" "${progs[@]}"

initrd=$WORK/$label.cpio.gz
"$TOP/scripts/mkinitrd.sh" "$initrd" "$tests" "$plan"

log "run[$label]: booting GICv$gic host, $flavour kernel, plan $(basename "$plan")"
t=$(date +%s)
status=$("$TOP/scripts/run-qemu.sh" "$kout/arch/arm64/boot/Image" "$initrd" "$gic" \
	"$WORK/$label.log" "${QEMU_TIMEOUT:-2400}")
log "run[$label]: QEMU $status after $(($(date +%s) - t)) s; console log $WORK/$label.log"
python3 "$TOP/scripts/ktap.py" --label "$label" --results "$results" "$WORK/$label.log" "$status"
