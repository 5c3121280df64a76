// SPDX-License-Identifier: GPL-2.0
/*
 * l2load: the interrupt workload of the nested (L2) guest of 'make nested'.
 *
 * Runs inside L2, a Linux guest of the KVM under test, and drives every
 * kind of interrupt that KVM's vgic injects into it, for a fixed amount
 * of work (never for a fixed time):
 *
 *  - three virtio-blk disks, told apart by their serial number:
 *      "msi"   virtio-blk-pci with MSI-X (LPIs through the GICv3 ITS, or
 *              edge SPIs through the GICv2m frame on a GICv2),
 *      "intx"  virtio-blk-pci without MSI-X vectors (PCI INTx: level SPIs),
 *      "mmio"  virtio-blk-device on virtio-mmio (edge SPIs on QEMU's virt);
 *    each disk is written with a known pattern and read back -n times with
 *    O_DIRECT, one 4 KiB block at a time, and every block is checked;
 *  - IPIs: two processes pinned to CPU 0 and CPU 1 pass a token through
 *    two pipes -p times (every wake-up of the other, sleeping CPU is a
 *    reschedule IPI);
 *  - the arch timer, which ticks throughout.
 *
 * Prints the /proc/interrupts deltas of each source and exits 0 only if
 * all data read back matched and every source saw interrupts.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/wait.h>

#define BLK		4096
#define NR_BLOCKS	256	/* 1 MiB per disk */

enum { D_MSI, D_INTX, D_MMIO, NR_DISKS };
static const char *const serials[NR_DISKS] = { "msi", "intx", "mmio" };

struct disk {
	char dev[32];		/* vda */
	char virtio[32];	/* virtio0 */
	unsigned long irqs;	/* /proc/interrupts sum */
	char desc[128];		/* chip, hwirq, trigger of the first line */
};

struct counts {
	unsigned long disk[NR_DISKS];
	unsigned long ipi, resched, timer;
};

static struct disk disks[NR_DISKS];
/* Operations done by each worker (disks, then ping-pong), shared. */
static volatile long *progress;
static volatile sig_atomic_t expired;

static int read_str(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	if (!fgets(buf, len, f))
		buf[0] = 0;
	fclose(f);
	buf[strcspn(buf, "\n")] = 0;
	return 0;
}

static int find_disks(void)
{
	char path[256], buf[256];
	struct dirent *de;
	DIR *d = opendir("/sys/block");
	int i, ret = 0;

	if (!d) {
		perror("/sys/block");
		return -1;
	}
	while ((de = readdir(d))) {
		ssize_t n;

		if (strncmp(de->d_name, "vd", 2) || strlen(de->d_name) > 15)
			continue;
		snprintf(path, sizeof(path), "/sys/block/%.15s/serial", de->d_name);
		if (read_str(path, buf, sizeof(buf)))
			continue;
		for (i = 0; i < NR_DISKS; i++) {
			if (strcmp(buf, serials[i]))
				continue;
			snprintf(disks[i].dev, sizeof(disks[i].dev), "%.15s", de->d_name);
			snprintf(path, sizeof(path), "/sys/block/%.15s/device", de->d_name);
			n = readlink(path, buf, sizeof(buf) - 1);
			if (n > 0) {
				buf[n] = 0;
				snprintf(disks[i].virtio, sizeof(disks[i].virtio), "%s",
					 strrchr(buf, '/') ? strrchr(buf, '/') + 1 : buf);
			}
		}
	}
	closedir(d);
	for (i = 0; i < NR_DISKS; i++) {
		if (!disks[i].dev[0] || !disks[i].virtio[0]) {
			printf("l2load: no virtio-blk disk with serial '%s'\n", serials[i]);
			ret = -1;
		}
	}
	return ret;
}

/* Sum the per-CPU columns of each interrupt source we care about. */
static int read_irqs(struct counts *c, int describe)
{
	char line[1024];
	FILE *f = fopen("/proc/interrupts", "r");
	int ncpu = 0, i;

	memset(c, 0, sizeof(*c));
	if (!f) {
		perror("/proc/interrupts");
		return -1;
	}
	if (fgets(line, sizeof(line), f))
		for (char *p = strtok(line, " \t\n"); p; p = strtok(NULL, " \t\n"))
			ncpu++;
	while (fgets(line, sizeof(line), f)) {
		char *p = line, *end, *rest, *name;
		unsigned long sum = 0;
		char label[32];
		int n;

		line[strcspn(line, "\n")] = 0;
		if (sscanf(p, " %31[^:]:%n", label, &n) != 1)
			continue;
		p += n;
		for (i = 0; i < ncpu; i++) {
			unsigned long v = strtoul(p, &end, 10);

			if (end == p)
				break;
			sum += v;
			p = end;
		}
		rest = p + strspn(p, " ");
		name = strrchr(rest, ' ');
		name = name ? name + 1 : rest;

		if (!strncmp(label, "IPI", 3)) {
			c->ipi += sum;
			if (strstr(rest, "Rescheduling"))
				c->resched += sum;
			continue;
		}
		if (strstr(rest, "arch_timer")) {
			c->timer += sum;
			continue;
		}
		for (i = 0; i < NR_DISKS; i++) {
			size_t l = strlen(disks[i].virtio);

			/* MSI-X: "virtio0-config", "virtio0-req.0"; INTx/mmio: "virtio0" */
			if (strncmp(name, disks[i].virtio, l) ||
			    (name[l] && name[l] != '-'))
				continue;
			c->disk[i] += sum;
			if (describe && !disks[i].desc[0]) {
				char *t = strstr(rest, name);
				int len = t ? (int)(t - rest) : (int)strlen(rest);

				while (len && rest[len - 1] == ' ')
					len--;
				snprintf(disks[i].desc, sizeof(disks[i].desc),
					 "%.*s", len, rest);
			}
		}
	}
	fclose(f);
	return 0;
}

static void pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		printf("l2load: pin to CPU %d: %s\n", cpu, strerror(errno));
}

static uint64_t pattern(int disk, int blk, int word)
{
	return ((uint64_t)(disk + 1) << 56) ^ ((uint64_t)blk << 32) ^
	       (uint64_t)word * 0x9e3779b1u;
}

static void fill(uint64_t *buf, int disk, int blk)
{
	for (int w = 0; w < BLK / 8; w++)
		buf[w] = pattern(disk, blk, w);
}

/* Child: write the pattern, then read -n blocks back with O_DIRECT. */
static int disk_worker(int i, int rounds)
{
	char path[64];
	uint64_t *buf, *want;
	int fd, blk, bad = 0;
	long r;

	snprintf(path, sizeof(path), "/dev/%s", disks[i].dev);
	fd = open(path, O_RDWR | O_DIRECT);
	if (fd < 0) {
		printf("l2load: %s: %s\n", path, strerror(errno));
		return 1;
	}
	if (posix_memalign((void **)&buf, BLK, BLK) ||
	    posix_memalign((void **)&want, BLK, BLK))
		return 1;
	for (blk = 0; blk < NR_BLOCKS; blk++) {
		progress[i]++;
		fill(buf, i, blk);
		if (pwrite(fd, buf, BLK, (off_t)blk * BLK) != BLK) {
			printf("l2load: write %s block %d: %s\n", path, blk, strerror(errno));
			return 1;
		}
	}
	if (fdatasync(fd)) {
		printf("l2load: fdatasync %s: %s\n", path, strerror(errno));
		return 1;
	}
	for (r = 0; r < rounds; r++) {
		progress[i]++;
		if (rounds >= 4 && r && !(r % (rounds / 4)))
			printf("l2load: %s: %ld of %d reads\n", serials[i], r, rounds);
		blk = (r * 97) % NR_BLOCKS;
		memset(buf, 0, BLK);
		if (pread(fd, buf, BLK, (off_t)blk * BLK) != BLK) {
			printf("l2load: read %s block %d: %s\n", path, blk, strerror(errno));
			return 1;
		}
		fill(want, i, blk);
		if (memcmp(buf, want, BLK) && bad++ < 5)
			printf("l2load: %s (%s) block %d: data mismatch in round %ld\n",
			       path, serials[i], blk, r);
	}
	close(fd);
	return bad ? 1 : 0;
}

/* Child: ping-pong a counter between CPU 0 and CPU 1 through two pipes. */
static int pingpong(int rounds)
{
	int ab[2], ba[2], status;
	uint32_t v = 0;
	pid_t pid;

	if (pipe(ab) || pipe(ba))
		return 1;
	pid = fork();
	if (pid < 0)
		return 1;
	if (!pid) {
		close(ab[1]);	/* or the read below never sees EOF */
		close(ba[0]);
		pin(1);
		for (;;) {
			if (read(ab[0], &v, 4) != 4)
				_exit(0);
			v++;
			if (write(ba[1], &v, 4) != 4)
				_exit(1);
		}
	}
	pin(0);
	close(ab[0]);
	close(ba[1]);
	for (int r = 0; r < rounds; r++) {
		uint32_t sent = v + 1;

		progress[NR_DISKS]++;
		if (rounds >= 4 && r && !(r % (rounds / 4)))
			printf("l2load: ping-pong: %d of %d rounds\n", r, rounds);

		if (write(ab[1], &sent, 4) != 4 || read(ba[0], &v, 4) != 4 ||
		    v != sent + 1) {
			printf("l2load: ping-pong broken in round %d (got %u, want %u)\n",
			       r, v, sent + 1);
			return 1;
		}
	}
	close(ab[1]);
	waitpid(pid, &status, 0);
	return !(WIFEXITED(status) && !WEXITSTATUS(status));
}

static void usage(const char *prog)
{
	printf("usage: %s [-n READS_PER_DISK] [-p PINGPONG_ROUNDS] [-w WATCHDOG_SECONDS]\n",
	       prog);
}

static void on_alarm(int sig)
{
	(void)sig;
	expired = 1;
}

static void cat(const char *path, const char *prefix)
{
	char line[512];
	FILE *f = fopen(path, "r");

	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		printf("%s%s", prefix, line);
	fclose(f);
}

/*
 * The workload is stuck (an interrupt that never came?): show where each
 * worker is, the interrupt counts and the blocked tasks, then kill them.
 */
static void watchdog(pid_t *pids, int n)
{
	char path[64];
	int fd;

	printf("l2load: WATCHDOG: workers stuck; progress msi=%ld intx=%ld mmio=%ld ping-pong=%ld\n",
	       progress[D_MSI], progress[D_INTX], progress[D_MMIO], progress[NR_DISKS]);
	for (int i = 0; i < n; i++) {
		if (!pids[i])
			continue;
		printf("l2load: worker %d (pid %d):\n", i, pids[i]);
		snprintf(path, sizeof(path), "/proc/%d/stat", pids[i]);
		cat(path, "l2load:   stat ");
		snprintf(path, sizeof(path), "/proc/%d/stack", pids[i]);
		cat(path, "l2load:   ");
	}
	cat("/proc/interrupts", "l2load: ");
	fd = open("/proc/sysrq-trigger", O_WRONLY);
	if (fd >= 0) {
		/* console loglevel 8, then blocked tasks and all CPUs' backtraces */
		if (write(fd, "8", 1) < 0 || write(fd, "w", 1) < 0 || write(fd, "l", 1) < 0)
			printf("l2load: sysrq: %s\n", strerror(errno));
		close(fd);
	}
	for (int i = 0; i < n; i++)
		if (pids[i])
			kill(pids[i], SIGKILL);
}

int main(int argc, char **argv)
{
	int rounds = 3000, pp = 20000, wd = 600, opt, i, failed = 0, status;
	struct sigaction sa = { 0 };
	struct counts before, after;
	pid_t pids[NR_DISKS + 1];
	long ncpus;

	while ((opt = getopt(argc, argv, "hn:p:w:")) != -1) {
		switch (opt) {
		case 'n':
			rounds = atoi(optarg);
			break;
		case 'p':
			pp = atoi(optarg);
			break;
		case 'w':
			wd = atoi(optarg);
			break;
		case 'h':
		default:
			usage(argv[0]);
			return opt == 'h' ? 0 : 2;
		}
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	ncpus = sysconf(_SC_NPROCESSORS_ONLN);
	if (ncpus < 2) {
		printf("l2load: %ld CPU(s) online, need 2 for the IPI ping-pong\n", ncpus);
		return 1;
	}
	if (find_disks())
		return 1;
	progress = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (progress == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	if (read_irqs(&before, 0))
		return 1;
	printf("l2load: %ld CPUs, disks msi=%s(%s) intx=%s(%s) mmio=%s(%s), %d reads each, %d ping-pongs\n",
	       ncpus, disks[D_MSI].dev, disks[D_MSI].virtio, disks[D_INTX].dev,
	       disks[D_INTX].virtio, disks[D_MMIO].dev, disks[D_MMIO].virtio,
	       rounds, pp);

	for (i = 0; i <= NR_DISKS; i++) {
		pids[i] = fork();
		if (pids[i] < 0) {
			perror("fork");
			return 1;
		}
		if (!pids[i])
			_exit(i < NR_DISKS ? disk_worker(i, rounds) : pingpong(pp));
	}
	/* Not a time limit on the work: only a hang detector. */
	sa.sa_handler = on_alarm;	/* no SA_RESTART: interrupt waitpid() */
	sigaction(SIGALRM, &sa, NULL);
	alarm(wd);
	for (i = 0; i <= NR_DISKS; i++) {
		while (waitpid(pids[i], &status, 0) < 0) {
			if (errno != EINTR || !expired) {
				status = -1;
				break;
			}
			watchdog(pids, NR_DISKS + 1);
			expired = 0;
		}
		pids[i] = 0;
		if (!WIFEXITED(status) || WEXITSTATUS(status)) {
			printf("l2load: %s worker failed\n",
			       i < NR_DISKS ? serials[i] : "ping-pong");
			failed++;
		}
	}
	if (read_irqs(&after, 1))
		return 1;

	for (i = 0; i < NR_DISKS; i++) {
		unsigned long d = after.disk[i] - before.disk[i];

		printf("l2load: irqs %-4s %-8s %8lu  [%s]\n", serials[i],
		       disks[i].virtio, d, disks[i].desc);
		if (!d) {
			printf("l2load: no interrupts from the %s disk\n", serials[i]);
			failed++;
		}
	}
	printf("l2load: irqs ipi  %8lu (reschedule %lu)\n", after.ipi - before.ipi,
	       after.resched - before.resched);
	printf("l2load: irqs timer %7lu\n", after.timer - before.timer);
	if (after.ipi == before.ipi || after.timer == before.timer) {
		printf("l2load: no IPIs or no timer interrupts\n");
		failed++;
	}
	printf("l2load: summary msi=%lu intx=%lu mmio=%lu ipi=%lu timer=%lu\n",
	       after.disk[D_MSI] - before.disk[D_MSI],
	       after.disk[D_INTX] - before.disk[D_INTX],
	       after.disk[D_MMIO] - before.disk[D_MMIO],
	       after.ipi - before.ipi, after.timer - before.timer);
	printf("l2load: %s\n", failed ? "FAIL" : "all data verified");
	return failed ? 1 : 0;
}
