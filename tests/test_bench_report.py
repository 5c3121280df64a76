# SPDX-License-Identifier: GPL-2.0
"""Unit tests of scripts/bench-report.py (parsing, spread, goals)."""
import contextlib
import importlib.util
import io
import os
import tempfile
import unittest

_top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_spec = importlib.util.spec_from_file_location(
    'bench_report', os.path.join(_top, 'scripts', 'bench-report.py'))
br = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(br)

LOG = """[    3.1] random kernel line
    # bench: name=roundtrip ops=2000 ticks=4000000 exits=6006 ticks_per_op=2000.00 exits_per_op=3.003
    ok 1 roundtrip: 2000.0 ticks per interrupt
    # bench: name=roundtrip_idle ops=2000 ticks=4100000 exits=6006 wakeups=%d ticks_per_op=2050.00 exits_per_op=3.003
    # bench: name=overflow ops=2000 ticks=6000000 exits=6569 ticks_per_op=3000.00 exits_per_op=3.284
    # bench: name=tdir_before ops=2000 ticks=500 exits=0 ticks_per_op=0.25 exits_per_op=0.000
    # bench: name=tdir ops=2000 ticks=%d exits=%d ticks_per_op=0 exits_per_op=0
    # bench: name=cross_dir ops=2000 ticks=20000000 exits=8000 wakeups=4000 vcpu1_exits=10000 ticks_per_op=10000.00 exits_per_op=4.000
    ok 5 cross_dir: 10000.0 ticks per round, 4.00 exits of vCPU0 and 5.00 of vCPU1
    # bench: name=irqfd ops=2000 ticks=12000000 exits=6000 wakeups=%d vcpu1_exits=%d ticks_per_op=6000.00 exits_per_op=3.000
    # Rate: 41016.71 LPIs/sec
"""


def vals(tdir_ticks=500, tdir_exits=0, rate=None, wakeups=0, irqfd_wakeups=0):
    with tempfile.NamedTemporaryFile('w', suffix='.log', delete=False) as f:
        text = LOG % (wakeups, tdir_ticks, tdir_exits, irqfd_wakeups, irqfd_wakeups)
        if rate is not None:
            text = text.replace('41016.71', rate)
        f.write(text)
    try:
        return br.parse_log(f.name)
    finally:
        os.unlink(f.name)


def summarise(runs, max_spread):
    # The report's complaints go to stderr; keep unittest's output parseable.
    with contextlib.redirect_stderr(io.StringIO()):
        return br.summarise(runs, max_spread)


class BenchReport(unittest.TestCase):
    def test_parse(self):
        v = vals(tdir_ticks=4000000, tdir_exits=2000, wakeups=2000)
        self.assertEqual(v['roundtrip'], 2000.0)
        self.assertEqual(v['overflow'], 3000.0)
        self.assertEqual(v['roundtrip_idle'], 2050.0)
        self.assertEqual(v['idle_wakeups'], 1.0)
        self.assertEqual(v['tdir_before'], 0.25)
        self.assertEqual(v['tdir'], 2000.0)
        self.assertEqual(v['tdir_exits'], 1.0)
        self.assertEqual(v['lpi_stress'], 41016.71)
        self.assertEqual(v['cross_dir'], 10000.0)
        self.assertEqual(v['cross_dir_exits'], 9.0)
        self.assertEqual(v['irqfd'], 6000.0)
        self.assertEqual(v['irqfd_idle_wakeups'], 0.0)
        self.assertEqual(v['irqfd_idle_exits'], 0.0)

    def test_parse_idle_vcpu(self):
        # wakeups and vcpu1_exits are the second vCPU's
        v = vals(irqfd_wakeups=1000)
        self.assertEqual(v['irqfd_idle_wakeups'], 0.5)
        self.assertEqual(v['irqfd_idle_exits'], 0.5)
        self.assertEqual(v['idle_wakeups'], 0.0)

    def test_parse_old_line(self):
        # A line without vcpu1_exits (older vgic_bench) still parses.
        with tempfile.NamedTemporaryFile('w', suffix='.log', delete=False) as f:
            f.write('# bench: name=roundtrip_idle ops=100 ticks=1000 exits=300 wakeups=5 '
                    'ticks_per_op=10.00 exits_per_op=3.000\n')
        try:
            v = br.parse_log(f.name)
        finally:
            os.unlink(f.name)
        self.assertEqual(v, {'roundtrip_idle': 10.0, 'idle_wakeups': 0.05})

    def test_identical_runs(self):
        runs = {'base': [vals(4000000, 2000)] * 2, 'series': [vals()] * 2}
        s, bad = summarise(runs, 0.1)
        self.assertEqual(bad, 0)
        self.assertEqual(s['metrics']['roundtrip']['ratio'], 1.0)
        self.assertEqual(s['metrics']['tdir_exits']['series']['mean'], 0.0)
        self.assertTrue(all(g['met'] for g in s['goals'].values()))

    def test_spread_too_large(self):
        runs = {'base': [vals(), vals(rate='41100.00')], 'series': [vals()] * 2}
        s, bad = summarise(runs, 0.1)
        self.assertEqual(bad, 1)
        self.assertGreater(s['metrics']['lpi_stress']['base']['spread_pct'], 0.1)

    def test_missing_figure(self):
        v = vals()
        del v['overflow']
        s, bad = summarise({'base': [vals()], 'series': [v]}, 0.1)
        self.assertEqual(bad, 1)

    def test_no_runs(self):
        s, bad = summarise({'base': [], 'series': []}, 0.1)
        self.assertEqual(bad, 1)

    def test_goal_roundtrip_idle(self):
        # The 2-vCPU round trip may cost at most 0.1 % more than the base.
        ok, slow = vals(), vals()
        ok['roundtrip_idle'] *= 1.0009
        slow['roundtrip_idle'] *= 1.002
        s, bad = summarise({'base': [vals()], 'series': [ok]}, 0.1)
        self.assertTrue(s['goals']['roundtrip_idle']['met'])
        s, bad = summarise({'base': [vals()], 'series': [slow]}, 0.1)
        self.assertEqual(bad, 0)
        self.assertFalse(s['goals']['roundtrip_idle']['met'])
        self.assertTrue(s['goals']['roundtrip']['met'])

    def test_goal_tdir_exits(self):
        # One exit in 2000 DIR writes (a timer tick) meets the goal; an
        # exit every 500 (traps that stop only now and then) does not.
        s, bad = summarise({'base': [vals()], 'series': [vals(tdir_exits=1)]}, 0.1)
        self.assertTrue(s['goals']['tdir_exits']['met'])
        s, bad = summarise({'base': [vals()], 'series': [vals(tdir_exits=4)]}, 0.1)
        self.assertFalse(s['goals']['tdir_exits']['met'])

    def test_goal_irqfd_wakeups(self):
        s, bad = summarise({'base': [vals(irqfd_wakeups=2000)],
                            'series': [vals(irqfd_wakeups=3)]}, 0.1)
        self.assertEqual(bad, 0)
        self.assertFalse(s['goals']['irqfd_idle_wakeups']['met'])
        s, bad = summarise({'base': [vals(irqfd_wakeups=2000)], 'series': [vals()]}, 0.1)
        self.assertTrue(s['goals']['irqfd_idle_wakeups']['met'])

    def test_new_figure_missing(self):
        # An old log without cross_dir and irqfd fails the report.
        v = vals()
        for m in ('cross_dir', 'cross_dir_exits', 'irqfd', 'irqfd_idle_wakeups',
                  'irqfd_idle_exits'):
            del v[m]
        s, bad = summarise({'base': [vals()], 'series': [v]}, 0.1)
        self.assertEqual(bad, 1)

    def test_spread_new_metric(self):
        # The spread check covers the new benchmarks too.
        other = vals()
        other['cross_dir'] *= 1.002
        s, bad = summarise({'base': [vals(), other], 'series': [vals()] * 2}, 0.1)
        self.assertEqual(bad, 1)
        self.assertGreater(s['metrics']['cross_dir']['base']['spread_pct'], 0.1)

    def test_goal_missed(self):
        slow = vals()
        slow['roundtrip'] *= 1.01
        s, bad = summarise({'base': [vals()], 'series': [slow]}, 0.1)
        self.assertEqual(bad, 0)
        self.assertFalse(s['goals']['roundtrip']['met'])
        self.assertTrue(s['goals']['overflow']['met'])


if __name__ == '__main__':
    unittest.main()
