// SPDX-License-Identifier: GPL-2.0
/*
 * Which kernel log lines start a report that must fail the test that
 * caused it.  Order matters: the first match names the class, so the
 * specific lockdep/KASAN/KCSAN headers come before the generic "BUG:" and
 * "WARNING:" ones.
 */
#include <string.h>
#include "splat.h"

struct splat_pattern {
	const char *needle;	/* substring of the message */
	const char *class;
	int anchored;		/* needle must start the message */
};

static const struct splat_pattern patterns[] = {
	{ "BUG: KASAN:",				"kasan",	0 },
	{ "BUG: KCSAN:",				"kcsan",	0 },
	{ "BUG: KFENCE:",				"kfence",	0 },
	{ "BUG: Invalid wait context",			"lockdep",	0 },
	{ "WARNING: possible circular locking",		"lockdep",	0 },
	{ "WARNING: possible recursive locking",	"lockdep",	0 },
	{ "WARNING: inconsistent lock state",		"lockdep",	0 },
	{ "WARNING: possible irq lock inversion",	"lockdep",	0 },
	{ "WARNING: HARDIRQ-safe -> HARDIRQ-unsafe",	"lockdep",	0 },
	{ "WARNING: SOFTIRQ-safe -> SOFTIRQ-unsafe",	"lockdep",	0 },
	{ "WARNING: suspicious RCU usage",		"lockdep",	0 },
	{ "WARNING: bad unlock balance",		"lockdep",	0 },
	{ "WARNING: lock held when returning",		"lockdep",	0 },
	{ "WARNING: held lock freed",			"lockdep",	0 },
	{ "BUG: sleeping function called from invalid context", "atomic-sleep", 0 },
	{ "BUG: scheduling while atomic",		"atomic-sleep",	0 },
	{ "BUG: spinlock",				"spinlock",	0 },
	{ "list_add corruption",			"list",		0 },
	{ "list_del corruption",			"list",		0 },
	{ "list_add_tail corruption",			"list",		0 },
	{ "hlist_add corruption",			"list",		0 },
	{ "Unable to handle kernel",			"oops",		0 },
	{ "Internal error: Oops",			"oops",		0 },
	{ "Internal error:",				"oops",		0 },
	{ "kernel BUG at",				"bug",		0 },
	{ "Kernel panic - not syncing",			"panic",	0 },
	{ "INFO: task ",				"hung-task",	1 },
	{ "watchdog: BUG: soft lockup",			"lockup",	0 },
	{ "rcu: INFO: rcu_preempt detected stall",	"rcu-stall",	0 },
	{ "rcu: INFO: rcu_sched detected stall",	"rcu-stall",	0 },
	{ "UBSAN:",					"ubsan",	0 },
	{ "kmemleak:",					"kmemleak",	2 },
	{ "BUG:",					"bug",		0 },
	{ "WARNING:",					"warning",	0 },
	{ "Oops",					"oops",		1 },
};

const char *splat_classify(const char *line)
{
	unsigned int i;

	for (i = 0; i < sizeof(patterns) / sizeof(patterns[0]); i++) {
		const struct splat_pattern *p = &patterns[i];
		const char *hit;

		switch (p->anchored) {
		case 1:
			if (!strncmp(line, p->needle, strlen(p->needle)))
				return p->class;
			break;
		case 2:
			/* kmemleak: only the "new suspected memory leaks" line */
			if (!strncmp(line, p->needle, strlen(p->needle)) &&
			    strstr(line, "suspected memory leak"))
				return p->class;
			break;
		default:
			hit = strstr(line, p->needle);
			if (hit)
				return p->class;
		}
	}
	return NULL;
}

/*
 * KCSAN reports that are not the code under test's, and that KCSAN's own
 * debugfs filter cannot scope: it matches only the function the race was
 * seen in, and these races are seen in library functions everyone calls.
 * A report is ignored only if one of its frames is one of these callers
 * and none of its frames is KVM's (a "kvm" or "vgic" symbol).
 */
static const struct {
	const char *frame;
	const char *why;
} benign_kcsan[] = {
	/*
	 * _find_next_bit() in the idle balancer's lockless walk of
	 * nohz.idle_cpus_mask (kernel/sched/fair.c), whose bits other CPUs
	 * flip as they enter and leave idle: the scheduler's, not touched
	 * by the series.  Seen once, on the kcsan L1 host of make nested
	 * (QEMU 10.0, 2026-12-03), as "race at unknown origin".
	 */
	{ "_nohz_idle_balance", "scheduler: nohz idle balance" },
};

const char *splat_kcsan_benign(char *const *lines, int n)
{
	const char *why = NULL;
	unsigned int j;
	int i;

	for (i = 0; i < n; i++) {
		if (strstr(lines[i], "kvm") || strstr(lines[i], "vgic"))
			return NULL;
		for (j = 0; j < sizeof(benign_kcsan) / sizeof(benign_kcsan[0]); j++) {
			const char *hit = strstr(lines[i], benign_kcsan[j].frame);
			char next = hit ? hit[strlen(benign_kcsan[j].frame)] : 0;

			/* A frame: " name+0x.../0x..." or " name.isra.0+..." */
			if (next == '+' || next == '.')
				why = benign_kcsan[j].why;
		}
	}
	return why;
}
