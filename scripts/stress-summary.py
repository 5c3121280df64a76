#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""One stress.sh summary line per test of a host run.

usage: stress-summary.py HOST CONSOLE_LOG PLAN.iters RESULTS LABEL

PLAN.iters has "NAME ITERATIONS TOTALS" per test (TOTALS y: the test must
print "# totals:" lines).  RESULTS is what ktap.py wrote ("LABEL NAME
STATUS DETAIL").  Prints "host test iterations result splats delivered
notified", tab separated.

A failed boot (test 1: a kernel report at boot, or no idle VM) adds a
"boot" row.  A test PASSes only if the runner passed it, no kernel
report was printed during it, every "# totals: ... delivered D/E[ ...
notified N/M]" line adds up to D == E and N == M, and a TOTALS=y test
printed at least one.
"""
import re
import sys

RUN = re.compile(r'^# RUN \d+ (\S+)$')
END = re.compile(r'^(?:not ok|ok) \d+ (\S+)')
TOT = re.compile(r'#\s*totals:.*?delivered (\d+)/(\d+)'
                 r'(?:.*?notified (\d+)/(\d+))?')
SPLAT = re.compile(r'SPLAT .*\((\d+) report')


def parse_log(lines):
    """Per test: [dmesg lines, delivered, expected, notified, expected,
    number of totals lines]."""
    stats = {}
    cur = None
    for raw in lines:
        line = raw.rstrip('\r')
        m = RUN.match(line)
        if m:
            cur = stats.setdefault(m.group(1), [0, 0, 0, 0, 0, 0])
            continue
        if END.match(line):
            cur = None
            continue
        if cur is None:
            continue
        if line.startswith('# dmesg:'):
            cur[0] += 1
        m = TOT.search(line)
        if m:
            cur[1] += int(m.group(1))
            cur[2] += int(m.group(2))
            cur[5] += 1
            if m.group(3) is not None:
                cur[3] += int(m.group(3))
                cur[4] += int(m.group(4))
    return stats


def summarize(host, lines, iters, verdict):
    """iters: name -> (iterations, wants totals); verdict: name ->
    (status, detail).  Returns the summary rows."""
    stats = parse_log(lines)
    rows = []
    # Test 1 of every run: a report at boot, or no idle VM (runner.pin_vm),
    # fails the host even if every test after it passed.
    status, detail = verdict.get('boot', ('PASS', ''))
    if status != 'PASS':
        m = SPLAT.search(detail)
        rows.append((host, 'boot', '-', status, int(m.group(1)) if m else
                     stats.get('boot', [0])[0], '-', '-'))
    for name, (n, want_totals) in iters.items():
        status, detail = verdict.get(name, ('NOTRUN', ''))
        dmesg, d, de, nn, ne, ntot = stats.get(name, [0, 0, 0, 0, 0, 0])
        # The runner's "SPLAT <class> (N report line(s))"; a crash is one.
        m = SPLAT.search(detail)
        splats = int(m.group(1)) if m else (1 if status == 'CRASH' else dmesg)
        if status == 'PASS':
            if splats:
                status = 'FAIL'
            elif d != de or nn != ne:
                status = 'FAIL'   # lost (or extra) interrupts/notifications
            elif want_totals and not ntot:
                status = 'FAIL'   # nothing counted: cannot tell
        deliv = '%d/%d' % (d, de) if ntot else '-'
        notif = '%d/%d' % (nn, ne) if ntot and ne else '-'
        rows.append((host, name, n, status, splats, deliv, notif))
    return rows


def main(argv):
    host, logf, itersf, resultsf, label = argv[1:6]
    iters = {}
    with open(itersf) as f:
        for line in f:
            if line.strip():
                name, n, totals = line.split()
                iters[name] = (n, totals == 'y')
    verdict = {}
    with open(resultsf) as f:
        for line in f:
            fields = line.rstrip('\n').split('\t')
            if len(fields) >= 3 and fields[0] == label:
                verdict[fields[1]] = (fields[2],
                                      fields[3] if len(fields) > 3 else '')
    try:
        with open(logf, errors='replace') as f:
            lines = f.read().splitlines()
    except OSError:
        lines = []
    for row in summarize(host, lines, iters, verdict):
        print('%s\t%s\t%s\t%s\t%d\t%s\t%s' % row)


if __name__ == '__main__':
    main(sys.argv)
