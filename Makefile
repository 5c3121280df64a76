# SPDX-License-Identifier: GPL-2.0
#
# KVM/arm64 vgic series: build, boot under QEMU, test, export, mail.
# 'make help' lists the targets.  The kernel tree lives in work/linux
# (base v7.3.4 + patches/ as commits), never in this repository.

SHELL := /bin/bash
S := scripts

# DRY_RUN=1: these targets check their prerequisites and print what they
# would do, without the tree prerequisites (scripts/lib.sh, "Dry runs").
# The unit stage of 'make check' runs each of them so.
DRY_TARGETS := nested stress bench bisect baseline check-full
ifeq ($(DRY_RUN),1)
ifneq ($(filter-out $(DRY_TARGETS),$(MAKECMDGOALS)),)
$(error DRY_RUN=1 works with $(DRY_TARGETS) only)
endif
TREE_PREREQ :=
BASE_TREE_PREREQ :=
else
TREE_PREREQ := tree
BASE_TREE_PREREQ := base-tree
endif

.PHONY: help deps tree base-tree export kernel run base-run check \
	unit model hygiene hosts check-stress baseline check-full send bisect bench nested stress clean

help:
	@echo 'Main job and tests:'
	@echo '  make run         series + debug kernel, GICv3 host: series selftests + upstream vgic tests'
	@echo '  make check       the whole test suite (unit, model, hygiene, debug GICv3/GICv2 and kcsan hosts,'
	@echo '                   a short stress loop); make unit|model|hygiene|hosts|check-stress: one stage'
	@echo '  make model       SPIN models of the TDIR protocol, old vs new (1 and 2 SPIs) and barrier-removed variants'
	@echo '                   (docs/tdir-model.md); about two minutes'
	@echo 'Development:'
	@echo '  make tree        (re)create work/linux = v7.3.4 + patches/ as commits'
	@echo '  make export      regenerate patches/ from work/linux'
	@echo '  make kernel FLAVOUR=debug|kcsan'
	@echo '  make send POSTING=N  git send-email dry run of one posting (SEND=1 to send, V=2, IN_REPLY_TO=<msgid>,'
	@echo '                   MBOX=file: write it as an mbox for b4 am)'
	@echo '  make base-run    like run, on the unpatched base kernel (reproducers must fail)'
	@echo '  make baseline    record every upstream arm64 KVM selftest on the base (slow)'
	@echo '  make check-full  rerun them on the series, fail on any regression (slow)'
	@echo '  make bisect      build every prefix of the series, W=1 + sparse on touched files (log: bisect/bisect.log)'
	@echo '  make stress      loop the race reproducers STRESS_ITER=200 times on debug GICv3/GICv2'
	@echo '                   and kcsan GICv3 hosts: no splat, exact delivered/notified totals'
	@echo '  make bench       hot-path cost, base vs series, under QEMU -icount (BENCH_RUNS=2)'
	@echo '  make nested      a Linux L2 guest (Debian qemu-system-aarch64 -accel kvm) under interrupt load'
	@echo '                   on the series debug GICv3/GICv2 and kcsan hosts and on the base (NESTED=run...)'
	@echo 'Variables: EXTRA_TESTS="my_test.c ..." GIC=3|2 FLAVOUR=debug|kcsan PLAN=plans/x.plan'
	@echo '  MODE=vhe|nvhe|protected|nested: the host mode (kvm-arm.mode; nested runs the guests'
	@echo '    at vEL2); run, base-run, stress and nested take it'
	@echo '  QEMU=bpo (default: QEMU 10 from bookworm-backports), QEMU=system (bookworm 7.2)'
	@echo '    or QEMU=/path/qemu-system-aarch64'
	@echo '  PIN_VM=1|0 (idle VM in the runner; default on only for QEMU < 8.1, see pin_vm() in runner/init.c)'
	@echo '  DRY_RUN=1 with $(DRY_TARGETS): check what it needs,'
	@echo '    print what would be built and booted, build and boot nothing (make check runs each so)'

deps:
	@$(S)/deps.sh

tree: deps
	@$(S)/apply.sh

base-tree: deps
	@$(S)/apply.sh --base

export:
	@$(S)/export.sh

FLAVOUR ?= debug
GIC ?= 3
MODE ?= vhe
# The plan of a host mode: plans/series-MODE.plan if there is one
PLAN ?= $(firstword $(wildcard plans/series-$(MODE).plan) plans/series.plan)

kernel: tree
	@$(S)/build-kernel.sh $(FLAVOUR)

run: tree
	@rm -f work/run-results.tsv
	@RESULTS=work/run-results.tsv MODE=$(MODE) $(S)/suite.sh $(FLAVOUR)-gicv$(GIC)-$(MODE) $(FLAVOUR) $(GIC) $(PLAN)

base-run: tree base-tree
	@rm -f work/base-run-results.tsv
	@RESULTS=work/base-run-results.tsv MODE=$(MODE) $(S)/suite.sh base-$(FLAVOUR)-gicv$(GIC)-$(MODE) $(FLAVOUR) $(GIC) $(PLAN) work/base/linux

check:
	@$(S)/check.sh

unit model hygiene hosts:
	@STAGES=$@ $(S)/check.sh

# The short stress loop of 'make check' on its own
check-stress:
	@STAGES=stress $(S)/check.sh

baseline: $(TREE_PREREQ) $(BASE_TREE_PREREQ)
	@$(S)/baseline.sh record

check-full: $(TREE_PREREQ) $(BASE_TREE_PREREQ)
	@$(S)/baseline.sh compare

clean:
	rm -rf work

send: tree
	@$(S)/send.sh

bisect: $(TREE_PREREQ)
	@$(S)/bisect.sh

bench: $(TREE_PREREQ) $(BASE_TREE_PREREQ)
	@WITH_BENCH=1 $(S)/deps.sh
	@$(S)/bench.sh

stress: $(TREE_PREREQ)
	@MODE=$(MODE) $(S)/stress.sh

NESTED ?=
nested: $(TREE_PREREQ) $(BASE_TREE_PREREQ)
	@MODE=$(MODE) $(S)/nested.sh $(NESTED)
