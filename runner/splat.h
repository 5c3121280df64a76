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

#endif
