// SPDX-License-Identifier: GPL-2.0
/*
 * Host-side unit test of runner/splat.c: every line of
 * tests/data/splat-*.txt is "CLASS<TAB>kernel log message" where CLASS is
 * the expected classification or "-" for a line that must not count.
 * Prints one "PASS|FAIL splat:<file>:<line> ..." line per case.
 *
 * tests/data/kcsan-*.txt: one KCSAN report each, as the kernel logs it
 * (from "BUG: KCSAN:" to the closing "===="), after a first line
 * "# expect: ignore" or "# expect: count" for splat_kcsan_benign().
 */
#include <stdio.h>
#include <string.h>
#include "../runner/splat.h"

static int kcsan_case(const char *path, const char *name)
{
	static char buf[64][512];
	char *lines[64], line[512], want[16] = "";
	const char *why;
	FILE *f = fopen(path, "r");
	int n = 0;

	if (!f) {
		perror(path);
		return 2;
	}
	while (fgets(line, sizeof(line), f) && n < 64) {
		line[strcspn(line, "\n")] = 0;
		if (sscanf(line, "# expect: %15s", want) == 1)
			continue;
		strcpy(buf[n], line);
		lines[n] = buf[n];
		n++;
	}
	fclose(f);
	why = splat_kcsan_benign(lines, n);
	if ((why != NULL) != !strcmp(want, "ignore") || !want[0]) {
		printf("FAIL\tsplat:%s\twant %s got %s\n", name, want[0] ? want : "(no expect line)",
		       why ? "ignore" : "count");
		return 1;
	}
	printf("PASS\tsplat:%s\t%s\n", name, want);
	return 0;
}

int main(int argc, char **argv)
{
	int i, failed = 0;

	for (i = 1; i < argc; i++) {
		const char *base = strrchr(argv[i], '/') ? strrchr(argv[i], '/') + 1 : argv[i];
		FILE *f;

		if (!strncmp(base, "kcsan-", 6)) {
			failed += kcsan_case(argv[i], base);
			continue;
		}
		f = fopen(argv[i], "r");
		char line[4096];
		int nr = 0;

		if (!f) {
			perror(argv[i]);
			return 2;
		}
		while (fgets(line, sizeof(line), f)) {
			char *tab = strchr(line, '\t'), *msg;
			const char *got;

			nr++;
			if (line[0] == '#' || !tab)
				continue;
			*tab = 0;
			msg = tab + 1;
			msg[strcspn(msg, "\n")] = 0;
			got = splat_classify(msg);
			if (!got)
				got = "-";
			if (strcmp(got, line)) {
				printf("FAIL\tsplat:%s:%d\twant %s got %s: %s\n",
				       strrchr(argv[i], '/') ? strrchr(argv[i], '/') + 1 : argv[i],
				       nr, line, got, msg);
				failed++;
			} else {
				printf("PASS\tsplat:%s:%d\t%s\n",
				       strrchr(argv[i], '/') ? strrchr(argv[i], '/') + 1 : argv[i],
				       nr, line);
			}
		}
		fclose(f);
	}
	return failed ? 1 : 0;
}
