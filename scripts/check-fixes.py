#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""check-fixes.py KNOWN PATCH: every Fixes: tag of PATCH must name a commit
of KNOWN (12-char SHA and exact subject).  Prints what is wrong."""
import re
import sys

known = {}
for line in open(sys.argv[1]):
    if line.startswith('#') or not line.strip():
        continue
    sha, subject = line.rstrip('\n').split('\t')[:2]
    known[sha] = subject
bad = 0
for line in open(sys.argv[2]):
    if line.startswith('---'):
        break
    m = re.match(r'^Fixes: ([0-9a-f]+) \("(.*)"\)$', line.rstrip('\n'))
    if not line.startswith('Fixes:'):
        continue
    if not m:
        print('malformed: %s' % line.rstrip())
        bad += 1
    elif len(m.group(1)) != 12 or m.group(1) not in known:
        print('unknown commit (want a verified 12-char SHA): %s' % line.rstrip())
        bad += 1
    elif known[m.group(1)] != m.group(2):
        print('subject mismatch: %s (known: "%s")' % (line.rstrip(), known[m.group(1)]))
        bad += 1
sys.exit(1 if bad else 0)
