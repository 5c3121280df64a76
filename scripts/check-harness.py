#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""check-harness.py [TOP]: checks of the harness's own files and targets.

Run by tests/run-unit.sh (the unit stage of 'make check'):

1. exec:PATH, one per file that is run directly (as a command, not as
   the argument of an interpreter: "$TOP/scripts/x.sh args", not
   "python3 $TOP/scripts/x.py" or "cp $TOP/nested/l1.sh"): it must exist,
   be tracked in git with mode 100755 and start with "#!".  Where they are
   run from: the Makefile (the commands 'make -n TARGET' prints, for
   every target below), every tracked shell script outside patches/
   (found by a small lexer that knows quoting, $( ), <( ), backquotes,
   VAR=value prefixes, arrays and the wrappers exec, env, flock,
   timeout...), and .ci/run, the CI entry point.  Paths are recognised
   as $TOP/..., $top/..., $here/... (the script's directory),
   $(dirname "$0")/... and bare scripts/..., tests/..., nested/...
2. make-n:TARGET, one per target that 'make help' lists and per .PHONY
   target: 'make -n TARGET' succeeds.  'make -n' still runs recipe lines
   that call $(MAKE) or start with '+', so make-n:no-recursive-make
   checks first that the Makefile has none (and the make -n checks are
   not run if it has).

Prints one "STATUS<TAB>NAME<TAB>DETAIL" line per check and exits 1 on any
failure.
"""

import os
import re
import subprocess
import sys

REDIRS = ('<<<', '<<-', '<<', '>>', '>&', '<&', '&>', '>|', '<', '>')
OPS = ('&&', '||', ';;', '|&', '|', ';', '&', '(', ')', '\n')
WORD_END = ' \t\n|&;()<>'


class Word:
    """A shell word: its source text, its line, the command lists of the
    $( ), <( ) and backquote substitutions in it."""

    def __init__(self, raw, line, subs):
        self.raw = raw
        self.line = line
        self.subs = subs

    def __repr__(self):
        return 'Word(%r)' % self.raw


def _skip_balanced(s, i, open_, close):
    """Index after the `close` matching the `open_` at s[i]."""
    depth = 0
    while i < len(s):
        if s[i] == open_:
            depth += 1
        elif s[i] == close:
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return i


def _dollar(s, i, line, subs):
    if s.startswith('$((', i):
        return _skip_balanced(s, i + 1, '(', ')'), line
    if s.startswith('$(', i):
        sub, i, line = lex(s, i + 2, line, ')')
        subs.append(sub)
        return i, line
    if s.startswith('${', i):
        j = _skip_balanced(s, i + 1, '{', '}')
        return j, line + s.count('\n', i, j)
    return i + 1, line


def _dquote(s, i, line, subs):
    while i < len(s):
        c = s[i]
        if c == '\\':
            i += 2
        elif c == '"':
            return i + 1, line
        elif c == '`':
            sub, i, line = lex(s, i + 1, line, '`')
            subs.append(sub)
        elif c == '$':
            i, line = _dollar(s, i, line, subs)
        else:
            line += c == '\n'
            i += 1
    return i, line


def _word(s, i, line, close):
    start, line0, subs = i, line, []
    while i < len(s):
        c = s[i]
        if c in WORD_END or (c == '`' and close == '`'):
            break
        if c == '\\':
            line += s[i + 1:i + 2] == '\n'
            i += 2
        elif c == "'":
            j = s.find("'", i + 1)
            j = len(s) if j < 0 else j
            line += s.count('\n', i, j)
            i = j + 1
        elif c == '"':
            i, line = _dquote(s, i + 1, line, subs)
        elif c == '`':
            sub, i, line = lex(s, i + 1, line, '`')
            subs.append(sub)
        elif c == '$':
            i, line = _dollar(s, i, line, subs)
        else:
            i += 1
    return Word(s[start:i], line0, subs), i, line


def lex(s, i=0, line=1, close=None):
    """Tokens of the shell text s from index i: Word objects, operator
    strings (newline is one) and ('redir', OP) tuples.  Stops after the
    `close` character (')' or '`') that ends a substitution.  Returns
    (tokens, index, line)."""
    toks = []
    depth = 0
    while i < len(s):
        c = s[i]
        if c == '\\' and s[i + 1:i + 2] == '\n':
            i += 2
            line += 1
        elif c in ' \t':
            i += 1
        elif c == '#':
            while i < len(s) and s[i] != '\n':
                i += 1
        elif close == '`' and c == '`':
            return toks, i + 1, line
        elif close == ')' and c == ')' and depth == 0:
            return toks, i + 1, line
        elif c in '<>' and s[i + 1:i + 2] == '(':
            sub, j, line2 = lex(s, i + 2, line, ')')
            toks.append(Word(s[i:j], line, [sub]))
            i, line = j, line2
        else:
            op = next((o for o in REDIRS if s.startswith(o, i)), None)
            if op:
                toks.append(('redir', op))
                i += len(op)
                continue
            op = next((o for o in OPS if s.startswith(o, i)), None)
            if op:
                depth += (op == '(') - (op == ')')
                line += op == '\n'
                toks.append(op)
                i += len(op)
                continue
            w, i, line = _word(s, i, line, close)
            if w.raw.isdigit() and s[i:i + 1] in ('<', '>'):
                continue        # a file descriptor: 2>/dev/null
            toks.append(w)
    return toks, i, line


def unquote(raw):
    return re.sub(r'\\(.)', r'\1', raw).replace('"', '').replace("'", '')


ASSIGN = re.compile(r'^[A-Za-z_][A-Za-z0-9_]*(\[[^]]*\])?\+?=')
# Words after which the next word is still a command.
PREFIX = {'if', 'then', 'else', 'elif', 'do', 'while', 'until', '!', '{', '}',
          'time', 'exec', 'command', 'nohup', 'env', 'sudo', '$sudo'}
# Wrappers: how many operands come before the command; their options
# that take an argument.
WRAPPERS = {'flock': (1, ('-w', '-E', '--timeout', '--conflict-exit-code')),
            'timeout': (1, ('-k', '-s', '--kill-after', '--signal'))}


def words(toks):
    """Yield (Word, is_command) for every word of toks, substitutions
    included.  A command word is the first word of a simple command after
    assignments, keywords and wrappers, or the first element of an array
    assignment (cmd=(prog args); "${cmd[@]}")."""
    cmd, redir, wrap = True, False, None
    for t in toks:
        if isinstance(t, tuple):
            redir = True
            continue
        if isinstance(t, str):
            cmd, wrap = True, None
            continue
        for sub in t.subs:
            yield from words(sub)
        if redir:
            redir = False
            continue
        if not cmd:
            yield t, False
            continue
        text = unquote(t.raw)
        if wrap is not None:
            if wrap[2]:
                wrap[2] = False
            elif text.startswith('-'):
                wrap[2] = text in WRAPPERS[wrap[0]][1]
            elif wrap[1] > 0:
                wrap[1] -= 1
            else:
                wrap = None
                yield t, True
                cmd = False
            if wrap is not None:
                yield t, False
            continue
        if ASSIGN.match(t.raw) or text in PREFIX:
            yield t, False
            continue
        if text in WRAPPERS:
            wrap = [text, WRAPPERS[text][0], False]
            yield t, False
            continue
        yield t, True
        cmd = False


PATHREF = re.compile(r'^(?:\$\{?(TOP|top|here)\}?|\$\(dirname \$\{?(?:0|BASH_SOURCE\[0\])\}?\))/(.*)$')
LITERAL = re.compile(r'^[A-Za-z0-9_.+/-]+$')


def resolve(raw, script_dir, top, topdirs, bare):
    """The path, relative to top, of the harness file that the word raw
    names, or None (not a harness path, or not a literal one).  A bare
    relative path (scripts/x.sh) counts when bare is true (make -n runs
    in top), else only if top has that file (a script may have cd'd)."""
    text = unquote(raw)
    m = PATHREF.match(text)
    if m:
        base = top if m.group(1) in ('TOP', 'top') else script_dir
        rest = m.group(2)
    elif text.split('/', 1)[0] in topdirs and '/' in text and \
            (bare or os.path.isfile(os.path.join(top, text))):
        base, rest = top, text
    else:
        return None
    if not LITERAL.match(rest):
        return None
    rel = os.path.relpath(os.path.normpath(os.path.join(base, rest)), top)
    if rel.startswith('..') or rel.split('/', 1)[0] not in topdirs:
        return None
    return rel


def direct_execs(text, script_dir, top, topdirs, bare=False):
    """[(path, line)] of the harness files that shell text runs directly."""
    toks = lex(text)[0]
    out = []
    for w, is_cmd in words(toks):
        if is_cmd:
            rel = resolve(w.raw, script_dir, top, topdirs, bare)
            if rel:
                out.append((rel, w.line))
    return out


# ---------------------------------------------------------------------------

def git(top, *args):
    return subprocess.run(['git', '-C', top] + list(args), capture_output=True,
                          text=True, check=True).stdout


def make(top, *args):
    env = {k: v for k, v in os.environ.items()
           if k not in ('MAKEFLAGS', 'MFLAGS', 'MAKELEVEL', 'MAKEOVERRIDES', 'DRY_RUN')}
    return subprocess.run(['make', '--no-print-directory', '-C', top] + list(args),
                          capture_output=True, text=True, env=env)


def help_targets(help_text):
    found = []
    for m in re.finditer(r'\bmake ([a-z][a-z0-9-]*(?:\|[a-z][a-z0-9-]*)*)', help_text):
        for t in m.group(1).split('|'):
            if t not in found:
                found.append(t)
    return found


def phony_targets(makefile_text):
    text = makefile_text.replace('\\\n', ' ')
    found = []
    for m in re.finditer(r'^\.PHONY\s*:(.*)$', text, re.M):
        found += m.group(1).split()
    return found


def recursive_make_lines(makefile_text):
    """Recipe lines that 'make -n' would still run."""
    bad = []
    for n, line in enumerate(makefile_text.split('\n'), 1):
        if not line.startswith('\t'):
            continue
        body = line.lstrip('\t').lstrip('@-')
        if body.startswith('+') or re.search(r'\$[({]MAKE[)}]', line):
            bad.append('Makefile:%d: %s' % (n, line.strip()))
    return bad


def is_shell(path):
    if path.endswith('.sh'):
        return True
    try:
        with open(path, 'rb') as f:
            first = f.readline(200)
    except OSError:
        return False
    return re.match(rb'#!\s*\S*(/bash|/sh|busybox sh|env bash|env sh)\b', first) is not None


def main():
    top = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else
                          os.path.join(os.path.dirname(__file__), '..'))
    results = []

    def emit(st, name, detail=''):
        results.append(st)
        print('%s\t%s\t%s' % (st, name, detail))

    try:
        modes = {}
        for entry in git(top, 'ls-files', '-s', '-z').split('\0'):
            if entry:
                meta, path = entry.split('\t', 1)
                modes[path] = meta.split()[0]
    except (OSError, subprocess.CalledProcessError) as e:
        emit('FAIL', 'exec:git', 'cannot list the files tracked in git: %s' % e)
        return 1
    topdirs = {p.split('/', 1)[0] for p in modes if '/' in p} - {'work'}

    callers = {}        # path -> first "where" it is run from

    def found(rel, where):
        callers.setdefault(rel, where)

    # The Makefile's targets: make -n, once it is safe.
    with open(os.path.join(top, 'Makefile')) as f:
        mtext = f.read()
    bad = recursive_make_lines(mtext)
    if bad:
        emit('FAIL', 'make-n:no-recursive-make',
             "'make -n' would run these lines, so no target was tried: " + '; '.join(bad))
    else:
        emit('PASS', 'make-n:no-recursive-make')
        h = make(top, 'help')
        targets = help_targets(h.stdout)
        if h.returncode != 0 or not targets:
            emit('FAIL', 'make-n:help', "'make help' failed or lists no target: %s" %
                 (h.stderr.strip().splitlines() or ['?'])[-1])
        for t in targets + [t for t in phony_targets(mtext) if t not in targets]:
            r = make(top, '-n', t)
            if r.returncode != 0:
                emit('FAIL', 'make-n:' + t, "'make -n %s' failed: %s" %
                     (t, (r.stderr.strip().splitlines() or ['?'])[-1]))
                continue
            emit('PASS', 'make-n:' + t)
            for rel, _ in direct_execs(r.stdout, top, top, topdirs, bare=True):
                found(rel, "'make %s' (Makefile)" % t)

    # Shell scripts of the harness, and the CI entry point.
    for path in sorted(modes):
        if path.split('/', 1)[0] in ('patches', 'work'):
            continue
        full = os.path.join(top, path)
        if not os.path.isfile(full) or not is_shell(full):
            continue
        with open(full, errors='replace') as f:
            text = f.read()
        for rel, line in direct_execs(text, os.path.dirname(full), top, topdirs):
            found(rel, '%s:%d' % (path, line))
    if '.ci/run' in modes:
        found('.ci/run', 'CI (the entry point)')

    if not callers:
        emit('FAIL', 'exec:scan', 'found no script run directly by the Makefile or a script')
    for rel in sorted(callers):
        where = callers[rel]
        full = os.path.join(top, rel)
        if not os.path.isfile(full):
            emit('FAIL', 'exec:' + rel, 'run by %s, but does not exist' % where)
        elif rel not in modes:
            emit('FAIL', 'exec:' + rel, 'run by %s, but not tracked in git (git add %s)' % (where, rel))
        elif modes[rel] != '100755':
            emit('FAIL', 'exec:' + rel, 'run by %s, but tracked with mode %s, not 100755 '
                 '(git update-index --chmod=+x %s)' % (where, modes[rel], rel))
        else:
            with open(full, 'rb') as f:
                head = f.read(2)
            if head != b'#!':
                emit('FAIL', 'exec:' + rel, 'run by %s, but does not start with a #! line' % where)
            else:
                emit('PASS', 'exec:' + rel)
    return 1 if 'FAIL' in results else 0


if __name__ == '__main__':
    sys.exit(main())
