#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Print the branch description a format-patch cover letter was made from.

export.sh makes the cover letter with --cover-from-description=subject:
the description's first paragraph is the subject, the rest is the body,
followed by the shortlog ("Name (N):"), the diffstat and base-commit.
"""
import re
import sys

text = open(sys.argv[1]).read().split('\n')
subject, body, i = None, [], 0
while i < len(text) and text[i] != '':
    if text[i].startswith('Subject: '):
        subject = text[i][len('Subject: '):]
        while i + 1 < len(text) and text[i + 1].startswith((' ', '\t')):
            i += 1
            subject += ' ' + text[i].strip()
    i += 1
subject = re.sub(r'^\[[^]]*\]\s*', '', subject or '')
for line in text[i + 1:]:
    if re.match(r'^.+ \(\d+\):$', line):
        break
    body.append(line)
while body and body[-1] == '':
    body.pop()
print(subject)
print()
print('\n'.join(body))
