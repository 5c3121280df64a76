#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Unit tests of scripts/check-harness.py: which files a script or a
Makefile command runs directly, which targets 'make help' lists."""
import importlib.util
import os
import unittest

_path = os.path.join(os.path.dirname(__file__), '..', 'scripts',
                     'check-harness.py')
_spec = importlib.util.spec_from_file_location('check_harness', _path)
ch = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(ch)

TOP = '/t'
DIRS = {'scripts', 'tests', 'nested'}


def execs(text, script_dir=TOP + '/scripts', bare=False):
    return [p for p, _ in ch.direct_execs(text, script_dir, TOP, DIRS, bare)]


class DirectExecs(unittest.TestCase):
    def test_command(self):
        self.assertEqual(execs('"$TOP/scripts/a.sh" x "$y"\n'), ['scripts/a.sh'])

    def test_interpreter_argument_is_not_run_directly(self):
        self.assertEqual(execs('python3 "$TOP/scripts/a.py" x\nbash "$top/tests/b.sh"\n'
                               '. "$(dirname "$0")/lib.sh"\n'), [])

    def test_data_uses_are_not(self):
        self.assertEqual(execs('[ -x "$TOP/scripts/a.sh" ] && cp "$TOP/nested/l1.sh" x\n'
                               'echo "$TOP/scripts/b.sh" >"$TOP/scripts/c.sh"\n'
                               'cat <"$TOP/scripts/d.sh" 2>"$TOP/scripts/e.sh"\n'
                               "echo '$TOP/scripts/f.sh'\n"), [])

    def test_comment(self):
        self.assertEqual(execs('# "$TOP/scripts/a.sh"\nx # "$TOP/scripts/b.sh"\n'), [])

    def test_assignments_before_the_command(self):
        self.assertEqual(execs('A=1 B="x y" C=$(z) "$TOP/scripts/a.sh"\n'), ['scripts/a.sh'])

    def test_continuation_line_and_line_number(self):
        r = ch.direct_execs('x\nA=1 \\\n\t"$TOP/scripts/a.sh" \\\n\tb\n', TOP, TOP, DIRS, False)
        self.assertEqual(r, [('scripts/a.sh', 3)])

    def test_substitutions(self):
        self.assertEqual(execs('x=$("$TOP/scripts/a.sh")\n'
                               'echo "v: $("$TOP/scripts/b.sh" | head)"\n'
                               'done < <("$TOP/scripts/c.sh" -l)\n'
                               'y=`"$TOP/scripts/d.sh"`\n'),
                         ['scripts/a.sh', 'scripts/b.sh', 'scripts/c.sh', 'scripts/d.sh'])

    def test_lists_pipes_keywords(self):
        self.assertEqual(execs('if ! "$TOP/scripts/a.sh"; then\n\tb && "$TOP/scripts/b.sh" || c\n'
                               'fi\nd | "$TOP/scripts/c.sh" &\n( "$TOP/scripts/d.sh" )\n'),
                         ['scripts/a.sh', 'scripts/b.sh', 'scripts/c.sh', 'scripts/d.sh'])

    def test_wrappers_and_arrays(self):
        self.assertEqual(execs('exec "$TOP/scripts/a.sh"\n'
                               'timeout -k 10 5 "$TOP/scripts/b.sh" 5\n'
                               'flock "$L" "$TOP/scripts/c.sh"\n'
                               'cmd=("$TOP/scripts/d.sh" "$x")\n'
                               'cmd=(flock "$L" "${cmd[@]}")\n'),
                         ['scripts/a.sh', 'scripts/b.sh', 'scripts/c.sh', 'scripts/d.sh'])

    def test_path_forms(self):
        self.assertEqual(execs('"${TOP}/scripts/a.sh"\n"$(dirname "$0")/b.sh"\n'
                               '"$here/c.py"\n"$TOP/scripts/$x.sh"\n"$WORK/d.sh"\n'),
                         ['scripts/a.sh', 'scripts/b.sh', 'scripts/c.py'])

    def test_make_n_output(self):
        out = 'scripts/deps.sh\nSTAGES=unit scripts/check.sh\nrm -rf work\n' \
              'RESULTS=work/r.tsv scripts/suite.sh debug-gicv3 debug 3 plans/series.plan\n'
        self.assertEqual(execs(out, TOP, bare=True),
                         ['scripts/deps.sh', 'scripts/check.sh', 'scripts/suite.sh'])

    def test_bare_path_in_a_script_needs_the_file(self):
        # cd "$TREE" && scripts/checkpatch.pl: not the harness's file
        self.assertEqual(execs('cd "$TREE" && scripts/checkpatch.pl x\n'), [])


class Targets(unittest.TestCase):
    def test_help_targets(self):
        h = ('  make check       the suite; make unit|hygiene|hosts|check-stress: one stage\n'
             '  make kernel FLAVOUR=debug|kcsan\n  make run   main job\n')
        self.assertEqual(ch.help_targets(h),
                         ['check', 'unit', 'hygiene', 'hosts', 'check-stress', 'kernel', 'run'])

    def test_phony_targets(self):
        self.assertEqual(ch.phony_targets('.PHONY: a b \\\n\tc\nx:\n'), ['a', 'b', 'c'])

    def test_recursive_make(self):
        m = 'a:\n\t@$(S)/x.sh\nb:\n\t$(MAKE) a\nc:\n\t+@echo\nV = $(MAKE)\n'
        self.assertEqual(ch.recursive_make_lines(m),
                         ['Makefile:4: $(MAKE) a', 'Makefile:6: +@echo'])


if __name__ == '__main__':
    unittest.main()
