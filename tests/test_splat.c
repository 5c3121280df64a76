// SPDX-License-Identifier: GPL-2.0
/*
 * Host-side unit test of runner/splat.c: every line of
 * tests/data/splat-*.txt is "CLASS<TAB>kernel log message" where CLASS is
 * the expected classification or "-" for a line that must not count.
 * Prints one "PASS|FAIL splat:<file>:<line> ..." line per case.
 */
#include <stdio.h>
#include <string.h>
#include "../runner/splat.h"

int main(int argc, char **argv)
{
	int i, failed = 0;

	for (i = 1; i < argc; i++) {
		FILE *f = fopen(argv[i], "r");
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
