#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Parse the runner's KTAP from a QEMU console log.

Usage: ktap.py [--label L] [--results FILE] CONSOLE_LOG [QEMU_STATUS]

QEMU_STATUS is "ok", "timeout" or "exit=N" (from run-qemu.sh).  The runner
(runner/init.c) prints "# RUN N name" before each test and "ok/not ok N
name" after it.  A test that started but has no result line crashed the
kernel (panic) or was running when QEMU timed out: it is reported as
failed, with the console tail as its report, never as silence.  Tests of
the plan that never started are reported as "not run".

Prints a result table, appends "label<TAB>name<TAB>result<TAB>detail" lines
to --results, and exits 1 if anything failed.
"""
import re
import sys

RESULT = re.compile(r'^(not ok|ok) (\d+) (\S+)(?: # (.*))?$')
RUN = re.compile(r'^# RUN (\d+) (\S+)$')
PLAN = re.compile(r'^1\.\.(\d+)$')
# A kernel timestamp prefix, in case printk output shares the console.
PRINTK = re.compile(r'^\[\s*\d+\.\d+\]\s?')


def parse(lines, qemu_status='ok'):
    """Return (plan, results).  results: list of dicts (nr, name, status,
    detail, log) in plan order; status is PASS, FAIL, SKIP, CRASH, TIMEOUT
    or NOTRUN."""
    plan = None
    started = False
    results = {}
    current = None
    order = []
    for raw in lines:
        line = raw.rstrip('\r\n')
        if not started:
            if line.strip() == 'KTAP version 1':
                started = True
            continue
        m = PLAN.match(line)
        if m and plan is None:
            plan = int(m.group(1))
            continue
        m = RUN.match(line)
        if m:
            nr, name = int(m.group(1)), m.group(2)
            current = {'nr': nr, 'name': name, 'status': None,
                       'detail': '', 'log': []}
            results[nr] = current
            order.append(nr)
            continue
        m = RESULT.match(line)
        if m:
            verdict, nr, name, directive = m.groups()
            nr = int(nr)
            res = results.get(nr)
            if res is None:
                res = {'nr': nr, 'name': name, 'log': []}
                results[nr] = res
                order.append(nr)
            directive = directive or ''
            if verdict == 'ok':
                res['status'] = 'SKIP' if directive.startswith('SKIP') else 'PASS'
            elif directive.startswith('TIMEOUT'):
                res['status'] = 'TIMEOUT'
            else:
                res['status'] = 'FAIL'
            res['detail'] = directive
            current = None
            continue
        if current is not None:
            current['log'].append(line)

    out = [results[n] for n in order]
    for res in out:
        if res['status'] is None:
            if qemu_status == 'timeout':
                res['status'] = 'TIMEOUT'
                res['detail'] = 'QEMU timed out while this test ran'
            else:
                panic = [l for l in res['log'] if 'Kernel panic' in l]
                res['status'] = 'CRASH'
                res['detail'] = (PRINTK.sub('', panic[0]).strip() if panic
                                 else 'no result (kernel died: %s)' % qemu_status)
    if not started:
        detail = ('QEMU timed out before the runner started'
                  if qemu_status == 'timeout' else
                  'the runner never started (%s)' % qemu_status)
        out.append({'nr': 0, 'name': 'boot', 'status': 'CRASH',
                    'detail': detail, 'log': list(lines)[-60:]})
    elif plan is not None:
        seen = {r['nr'] for r in out}
        for nr in range(1, plan + 1):
            if nr not in seen:
                out.append({'nr': nr, 'name': '#%d' % nr, 'status': 'NOTRUN',
                            'detail': 'not run (an earlier test crashed)',
                            'log': []})
    return plan, out


def main(argv):
    label = ''
    results_file = None
    args = []
    it = iter(argv[1:])
    for a in it:
        if a == '--label':
            label = next(it)
        elif a == '--results':
            results_file = next(it)
        else:
            args.append(a)
    if not args:
        print(__doc__, file=sys.stderr)
        return 2
    with open(args[0], errors='replace') as f:
        lines = f.readlines()
    status = args[1] if len(args) > 1 else 'ok'
    _, res = parse(lines, status)

    failed = 0
    width = max([len(r['name']) for r in res] + [10])
    print('%-*s  %-7s  %s' % (width, 'test' + (' [%s]' % label if label else ''),
                              'result', 'detail'))
    for r in res:
        print('%-*s  %-7s  %s' % (width, r['name'], r['status'], r['detail']))
        if r['status'] in ('FAIL', 'CRASH', 'TIMEOUT', 'NOTRUN'):
            failed += 1
            if r['status'] in ('CRASH', 'TIMEOUT') and r['log']:
                print('    --- console tail of %s ---' % r['name'])
                for l in r['log'][-40:]:
                    print('    | ' + l)
    if results_file:
        with open(results_file, 'a') as f:
            for r in res:
                f.write('%s\t%s\t%s\t%s\n' % (label, r['name'], r['status'],
                                              r['detail']))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
