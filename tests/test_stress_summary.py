#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Unit tests of scripts/stress-summary.py: a stress host run -> verdicts."""
import importlib.util
import os
import unittest

_path = os.path.join(os.path.dirname(__file__), '..', 'scripts',
                     'stress-summary.py')
_spec = importlib.util.spec_from_file_location('stress_summary', _path)
ss = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(ss)


def run(lines, verdict, iters=None):
    iters = iters or {'t': ('200', True)}
    return {r[1]: r for r in ss.summarize('h', lines, iters, verdict)}


RUN = ['# RUN 2 t\n']
OK = ['ok 2 t # time=9.0s\n']


class StressSummaryTest(unittest.TestCase):
    def test_exact_totals_pass(self):
        lines = RUN + ['    # totals: a: delivered 200/200 in 200 runs\n',
                       '    # totals: b: delivered 5/5, notified 4/4\n'] + OK
        r = run(lines, {'t': ('PASS', 'time=9.0s')})['t']
        self.assertEqual(r[3:], ('PASS', 0, '205/205', '4/4'))

    def test_lost_interrupt_fails(self):
        lines = RUN + ['    # totals: a: delivered 199/200 in 200 runs\n'] + OK
        self.assertEqual(run(lines, {'t': ('PASS', '')})['t'][3], 'FAIL')

    def test_lost_notification_fails(self):
        lines = RUN + ['    # totals: a: delivered 5/5, notified 3/5\n'] + OK
        self.assertEqual(run(lines, {'t': ('PASS', '')})['t'][3], 'FAIL')

    def test_no_totals_fails_when_required(self):
        r = run(RUN + OK, {'t': ('PASS', '')})['t']
        self.assertEqual((r[3], r[5]), ('FAIL', '-'))

    def test_no_totals_passes_when_not_required(self):
        r = run(RUN + OK, {'t': ('PASS', '')}, {'t': ('200', False)})['t']
        self.assertEqual(r[3], 'PASS')

    def test_dmesg_report_fails_a_passed_test(self):
        lines = RUN + ['    # totals: a: delivered 1/1\n',
                       '# dmesg: WARNING: CPU: 1 PID: 2 at x.c:1 f+0x0/0x4\n'] + OK
        r = run(lines, {'t': ('PASS', '')})['t']
        self.assertEqual(r[3:5], ('FAIL', 1))

    def test_splat_count_from_runner(self):
        r = run(RUN, {'t': ('FAIL', 'SPLAT lockdep (7 report line(s))')})['t']
        self.assertEqual(r[3:5], ('FAIL', 7))

    def test_crash_counts_one_splat(self):
        self.assertEqual(run(RUN, {'t': ('CRASH', 'panic')})['t'][3:5],
                         ('CRASH', 1))

    def test_failed_boot_adds_a_row(self):
        rows = run(RUN + ['    # totals: a: delivered 1/1\n'] + OK,
                   {'boot': ('FAIL', 'SPLAT lockdep (2 report line(s))'),
                    't': ('PASS', '')})
        self.assertEqual(rows['boot'][3:5], ('FAIL', 2))
        self.assertEqual(rows['t'][3], 'PASS')

    def test_passed_boot_adds_no_row(self):
        rows = run(RUN + ['    # totals: a: delivered 1/1\n'] + OK,
                   {'boot': ('PASS', ''), 't': ('PASS', '')})
        self.assertNotIn('boot', rows)

    def test_not_run(self):
        self.assertEqual(run([], {})['t'][3], 'NOTRUN')

    def test_totals_of_another_test_do_not_count(self):
        lines = ['# RUN 2 u\n', '    # totals: a: delivered 3/3\n',
                 'ok 2 u\n'] + RUN + OK
        r = run(lines, {'t': ('PASS', '')})['t']
        self.assertEqual((r[3], r[5]), ('FAIL', '-'))


if __name__ == '__main__':
    unittest.main()
