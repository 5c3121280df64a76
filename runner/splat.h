/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel splat classifier shared by the in-guest runner (init.c) and the
 * host-side unit test (tests/test_splat.c).
 */
#ifndef SPLAT_H
#define SPLAT_H

/*
 * Return the name of the report class a kernel log line starts, or NULL
 * if the line is not the start of a report.  @line is the message text
 * without the printk prefix.
 */
const char *splat_classify(const char *line);

/*
 * Given the N lines of one KCSAN report (from its "BUG: KCSAN:" line to
 * the closing "====" line), return why it is to be ignored, or NULL if it
 * counts.  Only races outside KVM, seen under a known caller, are ignored.
 */
const char *splat_kcsan_benign(char *const *lines, int n);

#endif
