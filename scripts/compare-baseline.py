#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""compare-baseline.py suspects|report BASELINE RESULTS [RETRIES]

BASELINE: "name<TAB>status<TAB>detail" lines (baselines/*.tsv).
RESULTS, RETRIES: suite.sh results, "label<TAB>name<TAB>status<TAB>detail".

suspects: print the tests that passed (or skipped) on the base and not now.
report:   print the per-test table; a suspect whose retry (NAME-retryN in
          RETRIES) passed is FLAKY, any other is a REGRESSION; end with
          "N passed, N failed" and exit 1 on any regression.
"""
import sys

OK = ('PASS', 'SKIP')


def read_baseline(path):
    base = {}
    for line in open(path):
        if line.startswith('#') or not line.strip():
            continue
        name, status = line.rstrip('\n').split('\t')[:2]
        base[name] = status
    return base


def read_results(path):
    res = {}
    for line in open(path):
        _, name, status = line.rstrip('\n').split('\t')[:3]
        res[name] = status
    return res


def main(argv):
    mode, base, now = argv[1], read_baseline(argv[2]), read_results(argv[3])
    suspects = sorted(n for n in now if base.get(n) in OK and now[n] not in OK)
    if mode == 'suspects':
        print('\n'.join(suspects))
        return 0
    retried = set()
    if len(argv) > 4:
        retried = {name.rsplit('-retry', 1)[0]
                   for name, status in read_results(argv[4]).items()
                   if status == 'PASS'}
    reg = 0
    for name in sorted(set(base) | set(now)):
        verdict = ''
        if name in suspects:
            verdict = 'FLAKY (passed on retry)' if name in retried else 'REGRESSION'
        reg += verdict == 'REGRESSION'
        print('%-32s base %-8s series %-8s %s' % (name, base.get(name, '-'),
                                                  now.get(name, '-'), verdict))
    print('%d passed, %d failed' % (sum(1 for s in now.values() if s in OK), reg))
    return 1 if reg else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
