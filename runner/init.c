// SPDX-License-Identifier: GPL-2.0
/*
 * /init of the test initramfs: mount the pseudo file systems, run the
 * tests listed in /plan one after the other, each under its own timeout,
 * and print the results as KTAP on the console.  After each test the new
 * kernel log records are scanned for reports (WARNING, BUG, Oops, lockdep,
 * KASAN, KCSAN, list corruption, hung tasks): a test that caused one fails
 * even if it exited 0, and the report is printed.  Power off at the end.
 *
 * /plan: one test per line, "NAME TIMEOUT_SECONDS [VAR=VALUE...] PROGRAM
 * [ARGS...]"; lines starting with '#' are comments.  PROGRAM is looked up
 * in /bin; the VAR=VALUE words before it are set in its environment (e.g.
 * NV=0: KVM selftests then do not run their guests at vEL2).
 *
 * runner.mode=vhe|nvhe|protected|nested on the kernel command line: test 1
 * (boot) also checks that KVM initialised in that mode, from the line
 * "kvm [N]: ... mode initialized successfully" in the kernel log, so that a
 * host that fell back to another mode is not taken for the one asked for.
 *
 * Output (top level KTAP; the test's own output is a nested, indented
 * block, read through a pty so that it is line buffered):
 *
 *   KTAP version 1
 *   1..N
 *   # RUN 1 vgic_irq
 *       <test output>
 *   ok 1 vgic_irq
 *   not ok 2 foo # exit=1
 *   not ok 3 bar # TIMEOUT 120s
 *   not ok 4 baz # SPLAT lockdep
 *   ok 5 qux # SKIP
 *   # runner: done
 *
 * A kernel panic leaves a "# RUN" without its result: the host-side parser
 * (scripts/ktap.py) reports that test as crashed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <dirent.h>

#include <linux/kvm.h>

#include "splat.h"

#define MAX_TESTS	128
#define MAX_ARGS	32
#define KSFT_SKIP	4

struct test {
	char *name;
	int timeout;
	char *env[MAX_ARGS + 1];
	char *argv[MAX_ARGS + 1];
};

static struct test tests[MAX_TESTS];
static int nr_tests;
static int kmsg_fd = -1;

static void out(const char *fmt, ...)
{
	char buf[4096];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(buf) - 1)
		n = sizeof(buf) - 1;
	/* One write per line, so kernel messages do not split it. */
	if (write(STDOUT_FILENO, buf, n) < 0)
		return;
}

static void do_mount(const char *src, const char *dst, const char *type,
		     const char *opts)
{
	mkdir(dst, 0755);
	if (mount(src, dst, type, 0, opts) && errno != EBUSY)
		out("# runner: mount %s on %s: %s\n", type, dst, strerror(errno));
}

static void kcsan_ignore(const char *filter)
{
	int fd = open("/sys/kernel/debug/kcsan", O_WRONLY);

	if (fd < 0)
		return;
	if (write(fd, filter, strlen(filter)) != (ssize_t)strlen(filter))
		out("# runner: cannot add %s to the KCSAN filter\n", filter);
	close(fd);
}

static void setup(void)
{
	int fd;

	do_mount("proc", "/proc", "proc", NULL);
	do_mount("sysfs", "/sys", "sysfs", NULL);
	do_mount("devtmpfs", "/dev", "devtmpfs", NULL);
	do_mount("devpts", "/dev/pts", "devpts", "ptmxmode=0666");
	do_mount("debugfs", "/sys/kernel/debug", "debugfs", NULL);
	do_mount("tmpfs", "/tmp", "tmpfs", NULL);
	do_mount("hugetlbfs", "/dev/hugepages", "hugetlbfs", NULL);

	fd = open("/dev/console", O_RDWR);
	if (fd >= 0) {
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		if (fd > 2)
			close(fd);
	}
	setenv("PATH", "/bin", 1);
	setenv("HOME", "/tmp", 1);

	/*
	 * The runner polls and reads the tests' pty, and KCSAN reports data
	 * races in n_tty_poll(), n_tty_read(), n_tty_check_unthrottle() (a
	 * read of tty->ldisc_data's read_tail against the writer, seen once
	 * in a kcsan stress loop) and n_tty_receive_buf_common() for it: the
	 * tty layer's, not the code under test. The tests sleep
	 * in nanosleep(), and KCSAN reports the plain accesses to
	 * hrtimer_sleeper::task in
	 * do_nanosleep() and hrtimer_wakeup(): the timer core's, which the
	 * series does not touch; so is the idle task's read of
	 * tick_sched::got_idle_tick against the tick handler's write
	 * (tick_nohz_idle_got_tick() / tick_nohz_handler()). Filter those
	 * out (kcsan kernels only).  Races seen inside library functions
	 * that everyone calls (the scheduler's _find_next_bit()) cannot be
	 * filtered here without hiding KVM's: scan_kmsg() judges those from
	 * the whole report (splat_kcsan_benign() in splat.c).
	 */
	kcsan_ignore("!n_tty_poll");
	kcsan_ignore("!n_tty_read");
	kcsan_ignore("!n_tty_check_unthrottle");
	kcsan_ignore("!n_tty_receive_buf_common");
	kcsan_ignore("!do_nanosleep");
	kcsan_ignore("!hrtimer_wakeup");
	kcsan_ignore("!tick_nohz_idle_got_tick");
	kcsan_ignore("!tick_nohz_handler");
}

/*
 * Read at most SIZE - 1 bytes of PATH into BUF and terminate them.  Returns
 * the length, or -1 if the file cannot be read or is empty.
 */
static ssize_t slurp(const char *path, char *buf, size_t size)
{
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	return n;
}

/* Is "word" one of the words of the kernel command line? */
static int cmdline_has(const char *word)
{
	char buf[4096], *tok, *save;

	if (slurp("/proc/cmdline", buf, sizeof(buf)) < 0)
		return 0;
	for (tok = strtok_r(buf, " \t\n", &save); tok;
	     tok = strtok_r(NULL, " \t\n", &save))
		if (!strcmp(tok, word))
			return 1;
	return 0;
}

/* The value of "KEY=value" on the kernel command line, copied to buf. */
static int cmdline_value(const char *key, char *val, size_t len)
{
	char buf[4096], *tok, *save;
	size_t klen = strlen(key);

	if (slurp("/proc/cmdline", buf, sizeof(buf)) < 0)
		return -1;
	for (tok = strtok_r(buf, " \t\n", &save); tok;
	     tok = strtok_r(NULL, " \t\n", &save)) {
		if (!strncmp(tok, key, klen) && tok[klen] == '=') {
			snprintf(val, len, "%s", tok + klen + 1);
			return 0;
		}
	}
	return -1;
}

/*
 * runner.mode=MODE: did KVM initialise in MODE?  kvm_arm_init() logs
 * "kvm [N]: {VHE|Hyp nVHE|Hyp hVHE|Protected nVHE|Protected hVHE}[+NV2]
 * mode initialized successfully".  Returns 0 when it did, or when no mode
 * is asked for; otherwise says what it found.
 */
static int check_mode(void)
{
	static const struct {
		const char *mode;
		const char *prefix[2];
	} modes[] = {
		{ "vhe",	{ "VHE mode", NULL } },
		{ "nvhe",	{ "Hyp nVHE mode", "Hyp hVHE mode" } },
		{ "protected",	{ "Protected nVHE mode", "Protected hVHE mode" } },
		{ "nested",	{ "VHE+NV2 mode", NULL } },
	};
	char want[32], rec[1024], found[256] = "";
	unsigned int i, j;
	int fd;

	if (cmdline_value("runner.mode", want, sizeof(want)))
		return 0;
	fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);
	if (fd < 0) {
		out("# runner: mode: /dev/kmsg: %s\n", strerror(errno));
		return -1;
	}
	for (;;) {
		ssize_t n = read(fd, rec, sizeof(rec) - 1);
		char *msg;

		if (n < 0 && (errno == EPIPE || errno == EINTR))
			continue;
		if (n <= 0)
			break;
		rec[n] = 0;
		msg = strstr(rec, "kvm [");
		if (!msg || !strstr(msg, " mode initialized successfully"))
			continue;
		msg = strstr(msg, "]: ");
		if (msg)
			snprintf(found, sizeof(found), "%.*s", (int)strcspn(msg + 3, "\n"), msg + 3);
	}
	close(fd);
	out("# runner: host mode %s: %s\n", want, *found ? found : "no KVM init line");
	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		if (strcmp(modes[i].mode, want))
			continue;
		for (j = 0; j < 2; j++)
			if (modes[i].prefix[j] &&
			    !strncmp(found, modes[i].prefix[j], strlen(modes[i].prefix[j])))
				return 0;
		return -1;
	}
	out("# runner: unknown runner.mode=%s\n", want);
	return -1;
}

/*
 * runner.pin_vm=1: keep one idle VM for the whole run.  KVM enables the
 * preempt notifier static key when the first VM is created and disables
 * it when the last one goes, so tests that create and destroy VMs one
 * after the other make the kernel patch the scheduler's sched-out and
 * sched-in call sites hundreds of times.  Under QEMU 7.2 TCG those tests
 * sometimes hit KVM_BUG_ON(SYSREGS_ON_CPU) in kvm_vcpu_load_debug() (a
 * vCPU loaded at sched-in that was never put at sched-out), on the base
 * kernel too, and no kernel path was found that can do that: TCG before
 * QEMU 8.1 (page locking during translation was reworked in commit
 * deba78709ae8) can run a stale translation of a patched site.  Measured
 * (docs/reliability.md): without the idle VM, 1 warning in 30 stress
 * iterations on 7.2's multi-threaded TCG, none on single-threaded 7.2
 * (30) or on QEMU 10.0 (180).  So scripts/run-qemu.sh asks for it only on
 * a QEMU before 8.1 (QEMU=system); the default QEMU 10.0 runs without
 * it, and the first-VM/last-VM transitions are tested.  With one
 * VM alive throughout, the key never returns to zero and nothing is
 * patched.  The VM has no vCPU, no memory and no device.
 */
static int pin_vm(void)
{
	int kvm, vm;

	if (!cmdline_has("runner.pin_vm=1"))
		return 0;
	kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (kvm < 0) {
		out("# runner: pin_vm: /dev/kvm: %s\n", strerror(errno));
		return -1;
	}
	/* KVM returns it O_CLOEXEC: the VM stays the runner's own */
	vm = ioctl(kvm, KVM_CREATE_VM, 0);
	close(kvm);
	if (vm < 0) {
		out("# runner: pin_vm: KVM_CREATE_VM: %s\n", strerror(errno));
		return -1;
	}
	out("# runner: pin_vm: one idle VM kept for the whole run\n");
	return 0;
}

static int parse_plan(const char *path)
{
	static char buf[65536];
	char *line, *save;
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = 0;

	for (line = strtok_r(buf, "\n", &save); line && nr_tests < MAX_TESTS;
	     line = strtok_r(NULL, "\n", &save)) {
		struct test *t = &tests[nr_tests];
		char *tok, *s2;
		int argc = 0, envc = 0;

		while (*line == ' ' || *line == '\t')
			line++;
		if (!*line || *line == '#')
			continue;
		t->name = strtok_r(line, " \t", &s2);
		tok = strtok_r(NULL, " \t", &s2);
		t->timeout = tok ? atoi(tok) : 0;
		while ((tok = strtok_r(NULL, " \t", &s2)) && argc < MAX_ARGS) {
			/* VAR=VALUE words before the program: its environment */
			if (!argc && envc < MAX_ARGS && strchr(tok, '=')) {
				t->env[envc++] = tok;
				continue;
			}
			t->argv[argc++] = tok;
		}
		t->env[envc] = NULL;
		t->argv[argc] = NULL;
		if (!argc || t->timeout <= 0) {
			out("# runner: bad plan line for '%s'\n", t->name);
			continue;
		}
		nr_tests++;
	}
	return 0;
}

/*
 * A KCSAN report is held back until its closing "====" line, so that
 * splat_kcsan_benign() can look at all of its frames.
 */
#define KCSAN_MAX_LINES	64
static char kcsan_buf[KCSAN_MAX_LINES][256];
static char *kcsan_lines[KCSAN_MAX_LINES];
static int kcsan_nr;
static int kcsan_cut;	/* lines were dropped: judge it as a KVM report */

static void kcsan_hold(const char *msg)
{
	if (kcsan_nr == KCSAN_MAX_LINES) {
		kcsan_cut = 1;
		return;
	}
	snprintf(kcsan_buf[kcsan_nr], sizeof(kcsan_buf[0]), "%s", msg);
	kcsan_lines[kcsan_nr] = kcsan_buf[kcsan_nr];
	kcsan_nr++;
}

/* Count or ignore the KCSAN report held back, and forget it. */
static void kcsan_report_end(int *splats, const char **first_class)
{
	const char *why = kcsan_cut ? NULL : splat_kcsan_benign(kcsan_lines, kcsan_nr);
	int i;

	if (why) {
		out("# runner: KCSAN report outside KVM ignored (%s): %s\n", why,
		    kcsan_lines[0]);
	} else {
		if (!(*splats)++)
			*first_class = "kcsan";
		for (i = 0; i < kcsan_nr; i++)
			out("# dmesg: %s\n", kcsan_lines[i]);
	}
	kcsan_nr = 0;
	kcsan_cut = 0;
}

/*
 * Read every kernel log record not read yet.  Print (and count) the ones
 * from the first report line on: a report is several records long, and
 * the lines that follow its header are what a reader needs.
 */
static int scan_kmsg(const char **first_class)
{
	char rec[8192];
	int splats = 0, printing = 0;

	*first_class = NULL;
	if (kmsg_fd < 0)
		return 0;

	for (;;) {
		ssize_t n = read(kmsg_fd, rec, sizeof(rec) - 1);
		const char *class;
		char *msg, *nl;

		if (n < 0) {
			if (errno == EPIPE)	/* overwritten records, go on */
				continue;
			if (errno == EINTR)
				continue;
			break;			/* EAGAIN: nothing left */
		}
		if (n == 0)
			break;
		rec[n] = 0;
		msg = strchr(rec, ';');
		if (!msg)
			continue;
		msg++;
		nl = strchr(msg, '\n');
		if (nl)
			*nl = 0;

		if (kcsan_nr) {
			kcsan_hold(msg);
			if (!strncmp(msg, "=====", 5))
				kcsan_report_end(&splats, first_class);
			continue;
		}

		class = splat_classify(msg);
		if (class && !strcmp(class, "kcsan")) {
			kcsan_hold(msg);
			continue;
		}
		if (class) {
			if (!splats++)
				*first_class = class;
			printing = 200;	/* lines of context per report */
		}
		if (printing) {
			out("# dmesg: %s\n", msg);
			printing--;
		}
	}
	/* A report still being printed counts, for the test that caused it */
	if (kcsan_nr)
		kcsan_report_end(&splats, first_class);
	return splats;
}

/* Copy the test's output to the console, indented as a nested KTAP block. */
static void pump(int fd, char *pending, size_t *plen, size_t cap)
{
	char buf[4096];
	ssize_t n = read(fd, buf, sizeof(buf));
	ssize_t i;

	if (n <= 0)
		return;
	for (i = 0; i < n; i++) {
		char c = buf[i];

		if (c == '\r')
			continue;
		if (*plen < cap - 1)
			pending[(*plen)++] = c;
		if (c == '\n' || *plen == cap - 1) {
			pending[*plen] = 0;
			out("    %s%s", pending, c == '\n' ? "" : "\n");
			*plen = 0;
		}
	}
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * Print the kernel stack of every thread of the processes in process group
 * PGRP (the timed-out test), so that a TIMEOUT says where the test was
 * stuck: in the kernel (the stack says where) or in userspace (an empty
 * stack, the thread was running or runnable).
 */
static void dump_stacks(pid_t pgrp)
{
	DIR *proc = opendir("/proc");
	struct dirent *p;

	if (!proc)
		return;
	while ((p = readdir(proc))) {
		char path[300], buf[4096], comm[64], state;
		struct dirent *t;
		int pid, pg = -1;
		DIR *tasks;
		char *rp;

		pid = atoi(p->d_name);
		if (pid <= 0)
			continue;
		snprintf(path, sizeof(path), "/proc/%d/stat", pid);
		if (slurp(path, buf, sizeof(buf)) < 0)
			continue;
		/* "pid (comm) state ppid pgrp ...": comm may hold spaces */
		rp = strrchr(buf, ')');
		if (!rp || sscanf(rp + 2, "%c %*d %d", &state, &pg) != 2 || pg != pgrp)
			continue;
		snprintf(path, sizeof(path), "/proc/%d/task", pid);
		tasks = opendir(path);
		if (!tasks)
			continue;
		while ((t = readdir(tasks))) {
			int tid = atoi(t->d_name);

			if (tid <= 0)
				continue;
			state = '?';
			strcpy(comm, "?");
			snprintf(path, sizeof(path), "/proc/%d/task/%d/stat", pid, tid);
			if (slurp(path, buf, sizeof(buf)) >= 0) {
				rp = strrchr(buf, ')');
				if (rp)
					state = rp[2];
				rp = strchr(buf, '(');
				if (rp && sscanf(rp + 1, "%63[^)]", comm) != 1)
					strcpy(comm, "?");
			}
			out("    # timeout: task %d/%d (%s) state %c, kernel stack:\n",
			    pid, tid, comm, state);
			snprintf(path, sizeof(path), "/proc/%d/task/%d/stack", pid, tid);
			if (slurp(path, buf, sizeof(buf)) < 0)
				continue;
			for (rp = strtok(buf, "\n"); rp; rp = strtok(NULL, "\n"))
				out("    #   %s\n", rp);
		}
		closedir(tasks);
	}
	closedir(proc);
}

static int run_one(int nr, struct test *t)
{
	char path[256], pending[4096];
	size_t plen = 0;
	int master, status = 0, timed_out = 0, splats;
	const char *class;
	double start = now(), elapsed;
	pid_t pid;

	out("# RUN %d %s\n", nr, t->name);

	master = posix_openpt(O_RDWR | O_NOCTTY);
	if (master < 0 || grantpt(master) || unlockpt(master)) {
		out("not ok %d %s # runner: no pty: %s\n", nr, t->name, strerror(errno));
		return 1;
	}

	pid = fork();
	if (pid == 0) {
		int slave;

		setsid();
		slave = open(ptsname(master), O_RDWR);
		if (slave < 0)
			_exit(127);
		dup2(slave, 0);
		dup2(slave, 1);
		dup2(slave, 2);
		if (slave > 2)
			close(slave);
		close(master);
		if (chdir("/tmp"))
			_exit(127);
		for (char **e = t->env; *e; e++)
			putenv(*e);
		/* Full path: KVM selftests open their own ELF by argv[0]. */
		snprintf(path, sizeof(path), "/bin/%s", t->argv[0]);
		t->argv[0] = path;
		execv(path, t->argv);
		fprintf(stderr, "exec %s: %s\n", path, strerror(errno));
		_exit(127);
	}

	for (;;) {
		struct pollfd pfd = { .fd = master, .events = POLLIN };
		pid_t w;

		if (poll(&pfd, 1, 200) > 0) {
			if (pfd.revents & POLLIN)
				pump(master, pending, &plen, sizeof(pending));
			else if (pfd.revents & (POLLHUP | POLLERR))
				usleep(20000);
		}

		w = waitpid(pid, &status, WNOHANG);
		if (w == pid)
			break;
		if (!timed_out && now() - start > t->timeout) {
			timed_out = 1;
			dump_stacks(pid);
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
		}
	}
	/* Drain what the test printed before exiting. */
	for (;;) {
		struct pollfd pfd = { .fd = master, .events = POLLIN };

		if (poll(&pfd, 1, 50) <= 0 || !(pfd.revents & POLLIN))
			break;
		pump(master, pending, &plen, sizeof(pending));
	}
	if (plen) {
		pending[plen] = 0;
		out("    %s\n", pending);
	}
	close(master);
	elapsed = now() - start;

	splats = scan_kmsg(&class);

	if (timed_out) {
		out("not ok %d %s # TIMEOUT %ds\n", nr, t->name, t->timeout);
		return 1;
	}
	if (splats) {
		out("not ok %d %s # SPLAT %s (%d report line(s))\n", nr, t->name,
		    class, splats);
		return 1;
	}
	if (WIFSIGNALED(status)) {
		out("not ok %d %s # signal %d\n", nr, t->name, WTERMSIG(status));
		return 1;
	}
	if (WEXITSTATUS(status) == KSFT_SKIP) {
		out("ok %d %s # SKIP (%.1fs)\n", nr, t->name, elapsed);
		return 0;
	}
	if (WEXITSTATUS(status)) {
		out("not ok %d %s # exit=%d\n", nr, t->name, WEXITSTATUS(status));
		return 1;
	}
	out("ok %d %s # time=%.1fs\n", nr, t->name, elapsed);
	return 0;
}

int main(void)
{
	const char *class;
	int i, pinned, failed = 0;

	setup();

	kmsg_fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);
	if (kmsg_fd < 0)
		out("# runner: /dev/kmsg: %s\n", strerror(errno));

	if (parse_plan("/plan"))
		out("# runner: cannot read /plan: %s\n", strerror(errno));

	out("KTAP version 1\n");
	out("1..%d\n", nr_tests + 1);

	/*
	 * Test 1: the boot itself must be clean, and the idle VM, if asked
	 * for, must be there: without it the results would depend on the
	 * QEMU bug it works around.
	 */
	out("# RUN 1 boot\n");
	pinned = pin_vm();
	if (scan_kmsg(&class)) {
		out("not ok 1 boot # SPLAT %s\n", class);
		failed++;
	} else if (pinned) {
		out("not ok 1 boot # runner.pin_vm=1: no idle VM\n");
		failed++;
	} else if (check_mode()) {
		out("not ok 1 boot # KVM is not in the host mode asked for\n");
		failed++;
	} else {
		out("ok 1 boot\n");
	}

	for (i = 0; i < nr_tests; i++)
		failed += run_one(i + 2, &tests[i]);

	out("# runner: done, %d failed\n", failed);
	sync();
	reboot(RB_POWER_OFF);
	for (;;)
		pause();
}
