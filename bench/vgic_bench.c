// SPDX-License-Identifier: GPL-2.0
/*
 * vgic_bench - cost of the vgic hot paths, in guest counter ticks
 *
 * Written for 'make bench' (scripts/bench.sh), which boots the host under
 * QEMU with -icount shift=0,sleep=off: the guest's virtual counter then
 * follows the number of instructions the whole emulated machine executed
 * (one tick per 16 instructions on QEMU 7.2), so a tick count covers the
 * guest, the exits and everything KVM does on them, and two runs give the
 * same figure.  On real hardware the numbers are wall-clock ticks.
 *
 * One vCPU unless said otherwise, a GICv3 guest, PSTATE.I masked: the
 * guest polls IAR (or waits in WFI, then reads IAR), so no physical
 * interrupt entry is involved and nothing is printed while it measures.
 * Each benchmark runs a warm-up round first.  SPIs target vCPU0, which
 * takes the time.
 *
 *   roundtrip  EOImode=0; the guest makes one SPI pending through
 *              GICD_ISPENDR (an exit handled in the kernel), acks it and
 *              EOIs it.  Never more than one interrupt in flight: the list
 *              registers never overflow.  Reported per interrupt.
 *
 *   roundtrip_idle
 *              the same with a second vCPU idling in WFI: an SPI arriving
 *              at an idle VM must not wake vCPUs it does not target.  The
 *              host also reports the idle vCPU's halt wakeups.
 *
 *   overflow   EOImode=0; the guest takes K SPIs of rising priority, one
 *              at a time (each preempts the last), so that K > nr_lr of
 *              them are active at once, then EOIs them in reverse order.
 *              The EOIs of the ones that no longer fit in the list
 *              registers only bump EOIcount: KVM deactivates them in the
 *              fold walk.  Reported per interrupt.
 *
 *   tdir       EOImode=1; the guest takes and deactivates one edge SPI,
 *              makes sure KVM pruned it, then times M writes to
 *              ICC_DIR_EL1 of an inactive SPI.  With no SPI in flight
 *              these must not trap (ICH_HCR_EL2.TDIR clear).  The host
 *              counts the vCPU's exits across the burst.  Reported per
 *              DIR write, with a reference burst before any SPI.
 *
 *   cross_dir  two vCPUs, both EOImode=1: the cost of an SPI deactivated
 *              on another vCPU than the one that took it.  A round: vCPU1
 *              makes an edge SPI pending through GICD_ISPENDR, vCPU0 acks
 *              it and EOIs it (priority drop only), vCPU1 deactivates it
 *              with ICC_DIR_EL1 (trapped: the SPI is active on vCPU0), and
 *              vCPU0 runs again, which prunes the SPI: each round starts
 *              with no SPI in flight.  The vCPUs hand over to each other
 *              with an SGI (EOI and DIR too) and wait in WFI, never by
 *              spinning, so that one host CPU can run the two: four
 *              hand-overs per round, the SPI and three SGIs.  Reported per
 *              round, with the exits of both vCPUs.
 *
 *   irqfd      EOImode=0, a second vCPU idling in WFI; a host thread
 *              injects a level SPI through an eventfd bound with KVM_IRQFD
 *              and KVM_IRQFD_FLAG_RESAMPLE (the injection then runs in
 *              irqfd_wakeup(), IRQs off), waits on the resamplefd, and
 *              injects again.  vCPU0 waits in WFI, acks the SPI, reads a
 *              distributor register (an exit, as the handler of a device
 *              would take reading it; without an exit between the ack and
 *              the EOI, v7.3.4 never signals the resamplefd) and EOIs it.
 *              Reported per interrupt, with the idle vCPU's halt wakeups
 *              and exits.
 *
 * The threads of cross_dir and irqfd run SCHED_BATCH: a wake-up then never
 * preempts the waker, which runs on until it blocks (WFI, read()), so that
 * on one host CPU each hand-over is one context switch, at the same place
 * in every round and on every kernel.
 *
 * Output: one KTAP result per benchmark and a "# bench:" line with the
 * raw figures, which scripts/bench.sh collects.
 */
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include <linux/sizes.h>

#include "kvm_util.h"
#include "processor.h"
#include "test_util.h"
#include "gic.h"
#include "gic_v3.h"
#include "vgic.h"

#define NR_IRQS			64
#define BENCH_SPI		MIN_SPI
#define IDLE_SPI		(MIN_SPI + 1)
#define IRQFD_SPI		(MIN_SPI + 2)
/* cross_dir: the vCPUs hand over to each other with this SGI */
#define BENCH_SGI		1
#define MAX_K			16
#define OVF_SPI(i)		(MIN_SPI + 8 + (i))
/* 5 priority bits: 8 apart, all above the priority mask. */
#define OVF_PRIO(i)		(0x80 - 8 * (i))
#define PMR_PRIO		0xf0

#define IAR_POLL_COUNT		1000000

enum bench {
	BENCH_ROUNDTRIP,
	BENCH_ROUNDTRIP_IDLE,
	BENCH_OVERFLOW,
	BENCH_TDIR,
	BENCH_CROSS_DIR,
	BENCH_IRQFD,
	NR_BENCH,
};

static const char * const bench_name[NR_BENCH] = {
	[BENCH_ROUNDTRIP]	= "roundtrip",
	[BENCH_ROUNDTRIP_IDLE]	= "roundtrip_idle",
	[BENCH_OVERFLOW]	= "overflow",
	[BENCH_TDIR]		= "tdir",
	[BENCH_CROSS_DIR]	= "cross_dir",
	[BENCH_IRQFD]		= "irqfd",
};

/*
 * Guest -> host, uc.args[1]. CMD_START: the number of operations in
 * args[2]; CMD_END: the tick count; CMD_INJECT (irqfd): the number of
 * interrupts the host thread must inject, one at a time.
 */
enum {
	CMD_START = 1,
	CMD_END,
	CMD_INJECT,
};

struct bench_args {
	enum bench bench;
	u32 nr_ops;		/* interrupts, rounds or DIR writes */
	u32 nr_k;		/* overflow: interrupts active at once */
	u32 nr_vcpus;
};

static struct bench_args args;

static inline u64 guest_ticks(void)
{
	u64 t;

	isb();
	t = read_sysreg(cntvct_el0);
	isb();
	return t;
}

static u32 guest_ack(u32 intid)
{
	unsigned int count = IAR_POLL_COUNT;
	u32 iar;

	do {
		iar = gic_get_and_ack_irq();
		GUEST_ASSERT(count--);
	} while (iar == IAR_SPURIOUS);

	GUEST_ASSERT_EQ(iar, intid);
	return iar;
}

/* Wait in WFI for @intid, the only interrupt that may come, and ack it. */
static u32 guest_wait(u32 intid)
{
	u32 iar;

	while ((iar = gic_get_and_ack_irq()) == IAR_SPURIOUS)
		wfi();

	GUEST_ASSERT_EQ(iar, intid);
	return iar;
}

/* Make BENCH_SGI pending on @vcpu (Aff0 = vCPU ID, Aff3-1 = 0) */
static void guest_send_sgi(u32 vcpu)
{
	write_sysreg_s(((u64)BENCH_SGI << ICC_SGI1R_SGI_ID_SHIFT) | BIT(vcpu),
		       SYS_ICC_SGI1R_EL1);
	isb();
}

/* Wait for the other vCPU's SGI and retire it (EOImode=1) */
static void guest_take_sgi(void)
{
	u32 iar = guest_wait(BENCH_SGI);

	gic_set_eoi(iar);
	gic_set_dir(iar);
}

static void guest_roundtrip(u32 n)
{
	u32 i;

	for (i = 0; i < n; i++) {
		gic_irq_set_pending(BENCH_SPI);
		gic_set_eoi(guest_ack(BENCH_SPI));
	}
}

static void guest_overflow(u32 n, u32 k)
{
	u32 iar[MAX_K];
	u32 r, i;

	for (r = 0; r < n; r++) {
		/* Lowest priority first: each one preempts the previous. */
		for (i = 0; i < k; i++) {
			gic_irq_set_pending(OVF_SPI(i));
			iar[i] = guest_ack(OVF_SPI(i));
		}
		for (i = k; i-- > 0; )
			gic_set_eoi(iar[i]);
	}
}

/*
 * cross_dir, vCPU0: n rounds. vCPU1 waits in WFI for each of our SGIs, we
 * wait in WFI for the SPI and for its SGI.
 */
static void guest_cross_dir(u32 n)
{
	u32 i;

	for (i = 0; i < n; i++) {
		guest_send_sgi(1);		/* go: make the SPI pending */
		/* Priority drop only: the SPI stays active */
		gic_set_eoi(guest_wait(BENCH_SPI));
		guest_send_sgi(1);		/* deactivate it */
		/* It did; KVM prunes the SPI before we enter the guest again */
		guest_take_sgi();
	}
}

/* cross_dir, vCPU1: serve vCPU0's rounds until the host stops us. */
static void guest_cross_dir_vcpu1(void)
{
	gic_set_eoi_split(true);
	gic_irq_enable(BENCH_SGI);
	guest_send_sgi(0);			/* ready */

	for (;;) {
		guest_take_sgi();
		gic_irq_set_pending(BENCH_SPI);
		guest_take_sgi();
		/* Active on vCPU0, not in our LRs: traps to KVM */
		gic_set_dir(BENCH_SPI);
		guest_send_sgi(0);
	}
}

/* irqfd: n interrupts, injected by a host thread, one at a time */
static void guest_irqfd(u32 n)
{
	u32 i, iar;

	for (i = 0; i < n; i++) {
		iar = guest_wait(IRQFD_SPI);
		/*
		 * An exit between the ack and the EOI, as the handler of a
		 * device would take reading it: the SPI is then active at the
		 * fold that sees the EOI, which v7.3.4 needs to signal the
		 * resamplefd.
		 */
		readl(GICD_BASE_GVA + GICD_TYPER);
		gic_set_eoi(iar);
	}
}

static void guest_dir_burst(u32 n)
{
	u32 i;

	for (i = 0; i < n; i++)
		write_sysreg_s(IDLE_SPI, SYS_ICC_DIR_EL1);
}

static void guest_run(void (*fn)(u32, u32), u32 n, u32 k)
{
	u64 t0, t1;

	GUEST_SYNC_ARGS(CMD_START, n, 0, 0, 0);
	t0 = guest_ticks();
	fn(n, k);
	t1 = guest_ticks();
	GUEST_SYNC_ARGS(CMD_END, t1 - t0, 0, 0, 0);
}

static void roundtrip_fn(u32 n, u32 k)
{
	guest_roundtrip(n);
}

static void overflow_fn(u32 n, u32 k)
{
	guest_overflow(n, k);
}

static void dir_fn(u32 n, u32 k)
{
	guest_dir_burst(n);
}

static void cross_dir_fn(u32 n, u32 k)
{
	guest_cross_dir(n);
}

static void irqfd_fn(u32 n, u32 k)
{
	guest_irqfd(n);
}

static void guest_check_idle(u32 intid)
{
	GUEST_ASSERT(!gic_irq_get_active(intid));
	GUEST_ASSERT(!gic_irq_get_pending(intid));
}

static void guest_code(void)
{
	u32 i, warm = args.nr_ops / 10 + 1;

	gic_init(GIC_V3, args.nr_vcpus);
	local_irq_disable();

	/* Nothing is ever routed to the other vCPUs: they idle, or serve. */
	if (guest_get_vcpuid()) {
		if (args.bench == BENCH_CROSS_DIR)
			guest_cross_dir_vcpu1();
		for (;;)
			wfi();
	}

	gic_set_priority_mask(PMR_PRIO);

	gic_set_priority(BENCH_SPI, 0x80);
	gic_irq_set_config(BENCH_SPI, true);
	gic_irq_enable(BENCH_SPI);
	gic_set_priority(IDLE_SPI, 0x80);
	gic_irq_set_config(IDLE_SPI, true);
	gic_irq_enable(IDLE_SPI);
	gic_set_priority(IRQFD_SPI, 0x80);
	gic_irq_set_config(IRQFD_SPI, false);
	gic_irq_enable(IRQFD_SPI);
	for (i = 0; i < args.nr_k; i++) {
		gic_set_priority(OVF_SPI(i), OVF_PRIO(i));
		gic_irq_set_config(OVF_SPI(i), true);
		gic_irq_enable(OVF_SPI(i));
	}

	switch (args.bench) {
	case BENCH_ROUNDTRIP:
	case BENCH_ROUNDTRIP_IDLE:
		gic_set_eoi_split(false);
		roundtrip_fn(warm, 0);
		guest_run(roundtrip_fn, args.nr_ops, 0);
		guest_check_idle(BENCH_SPI);
		break;
	case BENCH_OVERFLOW:
		gic_set_eoi_split(false);
		overflow_fn(warm, args.nr_k);
		guest_run(overflow_fn, args.nr_ops, args.nr_k);
		for (i = 0; i < args.nr_k; i++)
			guest_check_idle(OVF_SPI(i));
		break;
	case BENCH_TDIR:
		gic_set_eoi_split(true);
		/* Reference: no SPI has ever been in flight. */
		dir_fn(warm, 0);
		guest_run(dir_fn, args.nr_ops, 0);

		gic_irq_set_pending(BENCH_SPI);
		i = guest_ack(BENCH_SPI);
		gic_set_eoi(i);
		gic_set_dir(i);
		/* Exit once more so that KVM prunes the SPI. */
		readl(GICD_BASE_GVA + GICD_TYPER);
		guest_check_idle(BENCH_SPI);

		dir_fn(warm, 0);
		guest_run(dir_fn, args.nr_ops, 0);
		break;
	case BENCH_CROSS_DIR:
		gic_set_eoi_split(true);
		gic_irq_enable(BENCH_SGI);
		guest_take_sgi();		/* vCPU1 is ready */
		cross_dir_fn(warm, 0);
		guest_run(cross_dir_fn, args.nr_ops, 0);
		guest_check_idle(BENCH_SPI);
		break;
	case BENCH_IRQFD:
		gic_set_eoi_split(false);
		GUEST_SYNC_ARGS(CMD_INJECT, warm, 0, 0, 0);
		irqfd_fn(warm, 0);
		/* The host injects nr_ops more at CMD_START */
		guest_run(irqfd_fn, args.nr_ops, 0);
		guest_check_idle(IRQFD_SPI);
		break;
	default:
		GUEST_FAIL("unknown benchmark %u", args.bench);
	}

	GUEST_DONE();
}

struct result {
	u64 ticks;
	u64 exits;	/* of vCPU0 */
	u64 wakeups;	/* halt wakeups of vCPU1 */
	u64 exits1;	/* of vCPU1 */
};

static bool vcpu1_stop;

/* vCPU1: idle in WFI, or cross_dir's other half; no ucall but aborts */
static void *vcpu1_thread(void *arg)
{
	struct kvm_vcpu *vcpu = arg;
	struct ucall uc;

	while (!READ_ONCE(vcpu1_stop)) {
		if (__vcpu_run(vcpu)) {
			TEST_ASSERT(errno == EINTR, "KVM_RUN: errno %d", errno);
			continue;
		}
		if (get_ucall(vcpu, &uc) == UCALL_ABORT)
			REPORT_GUEST_ASSERT(uc);
	}
	return NULL;
}

static void sig_nop(int sig)
{
}

/*
 * irqfd: the host thread that injects the SPI, waits for the resampler
 * notification of its deactivation, and injects it again, nr times at
 * each post of go.
 */
struct injector {
	pthread_t thread;
	sem_t go;
	u32 nr;
	bool stop;
	int fd;
	int resamplefd;
};

static void *injector_thread(void *arg)
{
	struct injector *inj = arg;
	u64 one = 1, count;
	int ret;
	u32 i, nr;

	for (;;) {
		while (sem_wait(&inj->go))
			TEST_ASSERT(errno == EINTR, "sem_wait: errno %d", errno);
		if (READ_ONCE(inj->stop))
			return NULL;

		/* The next go may set nr before this batch is over */
		nr = READ_ONCE(inj->nr);
		for (i = 0; i < nr; i++) {
			ret = write(inj->fd, &one, sizeof(one));
			TEST_ASSERT(ret == sizeof(one), __KVM_SYSCALL_ERROR("write()", ret));
			/* Blocks until KVM saw the guest deactivate the SPI */
			ret = read(inj->resamplefd, &count, sizeof(count));
			TEST_ASSERT(ret == sizeof(count), __KVM_SYSCALL_ERROR("read()", ret));
			TEST_ASSERT(count == 1, "resamplefd signalled %lu times for one SPI",
				    count);
		}
	}
}

static void injector_start(struct kvm_vm *vm, struct injector *inj)
{
	struct kvm_irqfd irqfd = {
		.gsi = IRQFD_SPI - MIN_SPI,
		.flags = KVM_IRQFD_FLAG_RESAMPLE,
	};

	inj->fd = kvm_new_eventfd();
	inj->resamplefd = kvm_new_eventfd();
	irqfd.fd = inj->fd;
	irqfd.resamplefd = inj->resamplefd;
	vm_ioctl(vm, KVM_IRQFD, &irqfd);

	inj->stop = false;
	TEST_ASSERT(!sem_init(&inj->go, 0, 0), "sem_init: errno %d", errno);
	pthread_create(&inj->thread, NULL, injector_thread, inj);
}

static void injector_go(struct injector *inj, u32 nr)
{
	WRITE_ONCE(inj->nr, nr);
	TEST_ASSERT(!sem_post(&inj->go), "sem_post: errno %d", errno);
}

static void injector_stop(struct injector *inj)
{
	WRITE_ONCE(inj->stop, true);
	TEST_ASSERT(!sem_post(&inj->go), "sem_post: errno %d", errno);
	pthread_join(inj->thread, NULL);
	sem_destroy(&inj->go);
	close(inj->fd);
	close(inj->resamplefd);
}

/* Returns the number of timed runs the guest reported (tdir: 2). */
static int run_bench(enum bench b, struct result *res)
{
	/* Threads that hand over to each other: see the top of the file */
	bool batch = b == BENCH_CROSS_DIR || b == BENCH_IRQFD;
	struct sched_param sp = { .sched_priority = 0 };
	struct kvm_vcpu *vcpus[2], *vcpu;
	struct injector inj;
	pthread_t vcpu1;
	struct kvm_vm *vm;
	struct ucall uc;
	u64 start = 0, wake = 0, start1 = 0;
	int nr = 0, gic_fd;

	if (batch)
		TEST_ASSERT(!sched_setscheduler(0, SCHED_BATCH, &sp),
			    "SCHED_BATCH: errno %d", errno);

	args.bench = b;
	args.nr_vcpus = b == BENCH_ROUNDTRIP_IDLE || b == BENCH_CROSS_DIR ||
			b == BENCH_IRQFD ? 2 : 1;
	vm = vm_create_with_vcpus(args.nr_vcpus, guest_code, vcpus);
	vcpu = vcpus[0];
	sync_global_to_guest(vm, args);
	gic_fd = vgic_v3_setup(vm, args.nr_vcpus, NR_IRQS);
	__TEST_REQUIRE(gic_fd >= 0, "Failed to create vgic-v3, skipping");

	/* Created after SCHED_BATCH: the threads inherit it */
	if (b == BENCH_IRQFD)
		injector_start(vm, &inj);

	if (args.nr_vcpus > 1) {
		struct sigaction sa = { .sa_handler = sig_nop };

		TEST_ASSERT(!sigaction(SIGUSR1, &sa, NULL), "sigaction");
		WRITE_ONCE(vcpu1_stop, false);
		pthread_create(&vcpu1, NULL, vcpu1_thread, vcpus[1]);
	}

	for (;;) {
		vcpu_run(vcpu);

		switch (get_ucall(vcpu, &uc)) {
		case UCALL_SYNC:
			if (uc.args[1] == CMD_INJECT) {
				TEST_ASSERT_EQ(b, BENCH_IRQFD);
				injector_go(&inj, uc.args[2]);
			} else if (uc.args[1] == CMD_START) {
				/* vCPU1, if any, is blocked in WFI */
				start = vcpu_get_stat(vcpu, exits);
				if (args.nr_vcpus > 1) {
					wake = vcpu_get_stat(vcpus[1], halt_wakeup);
					start1 = vcpu_get_stat(vcpus[1], exits);
				}
				if (b == BENCH_IRQFD)
					injector_go(&inj, uc.args[2]);
			} else {
				TEST_ASSERT(nr < 2, "too many timed runs");
				res[nr].ticks = uc.args[2];
				/* Minus the exit of this ucall. */
				res[nr].exits = vcpu_get_stat(vcpu, exits) - start - 1;
				res[nr].wakeups = 0;
				res[nr].exits1 = 0;
				if (args.nr_vcpus > 1) {
					res[nr].wakeups =
						vcpu_get_stat(vcpus[1], halt_wakeup) - wake;
					res[nr].exits1 =
						vcpu_get_stat(vcpus[1], exits) - start1;
				}
				nr++;
			}
			break;
		case UCALL_DONE:
			if (args.nr_vcpus > 1) {
				/* Out of KVM_RUN for good, now or at the next call. */
				vcpus[1]->run->immediate_exit = 1;
				WRITE_ONCE(vcpu1_stop, true);
				pthread_kill(vcpu1, SIGUSR1);
				pthread_join(vcpu1, NULL);
			}
			if (b == BENCH_IRQFD)
				injector_stop(&inj);
			close(gic_fd);
			kvm_vm_free(vm);
			if (batch)
				TEST_ASSERT(!sched_setscheduler(0, SCHED_OTHER, &sp),
					    "SCHED_OTHER: errno %d", errno);
			return nr;
		case UCALL_ABORT:
			REPORT_GUEST_ASSERT(uc);
			break;
		default:
			TEST_FAIL("Unknown ucall %lu", uc.cmd);
		}
	}
}

static void report(enum bench b, const char *what, u64 ops, struct result *r)
{
	ksft_print_msg("bench: name=%s%s ops=%lu ticks=%lu exits=%lu wakeups=%lu vcpu1_exits=%lu ticks_per_op=%.2f exits_per_op=%.3f\n",
		       bench_name[b], what, ops, r->ticks, r->exits, r->wakeups,
		       r->exits1, (double)r->ticks / ops, (double)r->exits / ops);
}

static void help(const char *name)
{
	printf("usage: %s [-b BENCHMARK] [-n OPS] [-k K] [-h]\n", name);
	printf(" -b: run only this benchmark (default: all): roundtrip,\n");
	printf("     roundtrip_idle, overflow, tdir, cross_dir or irqfd\n");
	printf(" -n: interrupts (roundtrip*, irqfd), rounds (overflow, cross_dir) or\n");
	printf("     DIR writes (tdir) per benchmark\n");
	printf("     (default: 2000, 2000, 250, 20000, 2000, 2000)\n");
	printf(" -k: overflow: interrupts active at once, 5-%d (default: 8)\n", MAX_K);
	exit(0);
}

int main(int argc, char **argv)
{
	static const u32 def_ops[NR_BENCH] = { 2000, 2000, 250, 20000, 2000, 2000 };
	struct result res[2];
	int first = 0, last = NR_BENCH - 1, nr_bench;
	u32 nr_ops = 0, nr_k = 8;
	int opt, b;

	while ((opt = getopt(argc, argv, "hb:n:k:")) != -1) {
		switch (opt) {
		case 'b':
			for (b = 0; b < NR_BENCH; b++)
				if (!strcmp(optarg, bench_name[b]))
					break;
			TEST_ASSERT(b < NR_BENCH, "unknown benchmark '%s'", optarg);
			first = last = b;
			break;
		case 'n':
			nr_ops = atoi_positive("Number of operations", optarg);
			break;
		case 'k':
			nr_k = atoi_positive("Interrupts active at once", optarg);
			TEST_ASSERT(nr_k >= 5 && nr_k <= MAX_K, "-k must be 5-%d", MAX_K);
			break;
		case 'h':
		default:
			help(argv[0]);
		}
	}

	TEST_REQUIRE(kvm_supports_vgic_v3());
	test_disable_default_vgic();

	nr_bench = last - first + 1;
	ksft_print_header();
	ksft_set_plan(nr_bench);

	for (b = first; b <= last; b++) {
		args.nr_ops = nr_ops ? nr_ops : def_ops[b];
		args.nr_k = nr_k;

		switch (b) {
		case BENCH_ROUNDTRIP:
			TEST_ASSERT_EQ(run_bench(b, res), 1);
			report(b, "", args.nr_ops, &res[0]);
			ksft_test_result_pass("roundtrip: %.1f ticks per interrupt\n",
					      (double)res[0].ticks / args.nr_ops);
			break;
		case BENCH_ROUNDTRIP_IDLE:
			TEST_ASSERT_EQ(run_bench(b, res), 1);
			report(b, "", args.nr_ops, &res[0]);
			ksft_test_result_pass("roundtrip_idle: %.1f ticks per interrupt, %lu wakeups of the idle vCPU\n",
					      (double)res[0].ticks / args.nr_ops, res[0].wakeups);
			break;
		case BENCH_OVERFLOW:
			TEST_ASSERT_EQ(run_bench(b, res), 1);
			report(b, "", (u64)args.nr_ops * nr_k, &res[0]);
			ksft_test_result_pass("overflow: %.1f ticks per interrupt, %u active\n",
					      (double)res[0].ticks / args.nr_ops / nr_k, nr_k);
			break;
		case BENCH_TDIR:
			TEST_ASSERT_EQ(run_bench(b, res), 2);
			report(b, "_before", args.nr_ops, &res[0]);
			report(b, "", args.nr_ops, &res[1]);
			ksft_test_result_pass("tdir: %.1f ticks per DIR write after the last SPI (%.1f before any), %lu exits\n",
					      (double)res[1].ticks / args.nr_ops,
					      (double)res[0].ticks / args.nr_ops, res[1].exits);
			break;
		case BENCH_CROSS_DIR:
			TEST_ASSERT_EQ(run_bench(b, res), 1);
			report(b, "", args.nr_ops, &res[0]);
			ksft_test_result_pass("cross_dir: %.1f ticks per round, %.2f exits of vCPU0 and %.2f of vCPU1\n",
					      (double)res[0].ticks / args.nr_ops,
					      (double)res[0].exits / args.nr_ops,
					      (double)res[0].exits1 / args.nr_ops);
			break;
		case BENCH_IRQFD:
			if (!kvm_has_cap(KVM_CAP_IRQFD_RESAMPLE)) {
				ksft_test_result_skip("irqfd: no KVM_CAP_IRQFD_RESAMPLE\n");
				break;
			}
			TEST_ASSERT_EQ(run_bench(b, res), 1);
			report(b, "", args.nr_ops, &res[0]);
			ksft_test_result_pass("irqfd: %.1f ticks per interrupt, %lu wakeups and %lu exits of the idle vCPU\n",
					      (double)res[0].ticks / args.nr_ops,
					      res[0].wakeups, res[0].exits1);
			break;
		}
	}

	ksft_finished();
}
