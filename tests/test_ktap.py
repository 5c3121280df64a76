#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Unit tests of scripts/ktap.py: the console log -> per-test results."""
import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', 'scripts'))
import ktap  # noqa: E402

HEAD = ['[    0.000000] Booting Linux on physical CPU 0x0\n',
        'KTAP version 1\n', '1..4\n', '# RUN 1 boot\n', 'ok 1 boot\n']


class KtapTest(unittest.TestCase):
    def statuses(self, lines, qemu='ok'):
        _, res = ktap.parse(lines, qemu)
        return [(r['name'], r['status']) for r in res]

    def test_all_pass_and_skip(self):
        lines = HEAD + ['# RUN 2 a\n', '    TAP version 13\n', '    ok 1 inner\n',
                        'ok 2 a # time=1.0s\n', '# RUN 3 b\n', 'ok 3 b # SKIP (0.1s)\n',
                        '# RUN 4 c\n', 'not ok 4 c # exit=1\n']
        self.assertEqual(self.statuses(lines),
                         [('boot', 'PASS'), ('a', 'PASS'), ('b', 'SKIP'), ('c', 'FAIL')])

    def test_inner_results_are_not_top_level(self):
        lines = HEAD + ['# RUN 2 a\n', '    not ok 1 inner\n', 'ok 2 a\n']
        self.assertEqual(self.statuses(lines)[1], ('a', 'PASS'))

    def test_splat_and_timeout_directives(self):
        lines = HEAD + ['# RUN 2 a\n', '# dmesg: BUG: KASAN: wild-memory-access\n',
                        'not ok 2 a # SPLAT kasan (3 report line(s))\n',
                        '# RUN 3 b\n', 'not ok 3 b # TIMEOUT 60s\n']
        st = self.statuses(lines)
        self.assertEqual(st[1], ('a', 'FAIL'))
        self.assertEqual(st[2], ('b', 'TIMEOUT'))

    def test_panic_is_a_crash_of_the_running_test(self):
        lines = HEAD + ['# RUN 2 a\n', 'ok 2 a\n', '# RUN 3 b\n',
                        '[   12.3] Unable to handle kernel paging request at virtual address dead0000000000c0\n',
                        '[   12.4] Kernel panic - not syncing: Oops: Fatal exception\n']
        _, res = ktap.parse(lines, 'exit=0')
        st = [(r['name'], r['status']) for r in res]
        self.assertEqual(st[:3], [('boot', 'PASS'), ('a', 'PASS'), ('b', 'CRASH')])
        self.assertIn('Kernel panic', res[2]['detail'])
        # test 4 never ran: reported, not silently dropped
        self.assertEqual(st[3][1], 'NOTRUN')

    def test_qemu_timeout_names_the_running_test(self):
        lines = HEAD + ['# RUN 2 a\n', '    still going\n']
        st = self.statuses(lines, 'timeout')
        self.assertEqual(st[1], ('a', 'TIMEOUT'))

    def test_no_runner_output_is_a_boot_failure(self):
        st = self.statuses(['[ 0.0] Booting\n', '[ 1.0] Kernel panic - not syncing: VFS\n'],
                           'exit=0')
        self.assertEqual(st, [('boot', 'CRASH')])

    def test_timeout_before_runner(self):
        _, res = ktap.parse(['[ 0.0] Booting\n'], 'timeout')
        self.assertEqual(res[0]['status'], 'CRASH')
        self.assertIn('timed out', res[0]['detail'])


if __name__ == '__main__':
    unittest.main()
