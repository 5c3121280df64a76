#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Unit test of the export/apply round trip on a small throwaway repository:
# export twice gives byte-identical patches; a tree rebuilt from the patches
# (git am + the cover letter's description, as apply.sh does) exports to
# the same bytes again.  Prints PASS/FAIL lines.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export GIT_AUTHOR_NAME=Dev GIT_AUTHOR_EMAIL=dev@example.org
export GIT_COMMITTER_NAME=Dev GIT_COMMITTER_EMAIL=dev@example.org

git init -q -b series "$tmp/a"
cd "$tmp/a"
printf 'int x;\n' >f.c
git add f.c
GIT_AUTHOR_DATE="1000000000 +0000" GIT_COMMITTER_DATE="1000000000 +0000" git commit -q -m base
git tag vT
printf 'int x;\nint y;\n' >f.c
GIT_AUTHOR_DATE="1000000100 +0000" git commit -q -am "KVM: arm64: vgic: Add y" -m "Because." -m "Signed-off-by: Dev <dev@example.org>"
printf 'int x;\nint y;\nint z;\n' >f.c
GIT_AUTHOR_DATE="1000000200 +0000" git commit -q -am "KVM: arm64: vgic: Add z" -m "Signed-off-by: Dev <dev@example.org>"
git config branch.series.description "$(printf 'KVM: arm64: vgic: The series\n\nIt adds y and z.\n\nTesting: none.')"

run_export() { TREE=$tmp/a KVER=T bash "$top/scripts/export.sh" "$1" 2>/dev/null; }
check() { if "$@"; then echo "PASS	$name"; else echo "FAIL	$name"; fi; }

run_export "$tmp/p1"
sleep 1
run_export "$tmp/p2"
name=roundtrip:export-is-stable check diff -r "$tmp/p1" "$tmp/p2"
name=roundtrip:cover-subject check grep -q '^Subject: \[PATCH 0/2\] KVM: arm64: vgic: The series$' "$tmp/p1/0000-cover-letter.patch"

# Rebuild from the patches the way apply.sh does.
git clone -q --no-checkout "$tmp/a" "$tmp/b"
cd "$tmp/b"
git checkout -q -B series vT
for p in "$tmp"/p1/000[1-9]-*.patch; do
	git am -q --keep-cr --committer-date-is-author-date "$p"
done
git config branch.series.description "$(python3 "$top/scripts/cover-desc.py" "$tmp/p1/0000-cover-letter.patch")"
TREE=$tmp/b KVER=T bash "$top/scripts/export.sh" "$tmp/p3" 2>/dev/null
name=roundtrip:apply-then-export check diff -r "$tmp/p1" "$tmp/p3"

# Postings: posting/N-NAME branches, one directory each, a subject prefix
# of their own, the later ones with prerequisite-patch-id lines; rebuilt
# the way apply.sh does (git am per directory, then posting_restore).
cd "$tmp/a"
git branch posting/1-first HEAD~1
git branch posting/2-second HEAD
git config branch.posting/1-first.description "$(printf 'KVM: arm64: vgic: First\n\nAdds y.')"
git config branch.posting/2-second.description "$(printf 'KVM: arm64: vgic: Second\n\nAdds z.')"
git config branch.posting/2-second.vgicprefix "RFC PATCH v2"
run_export "$tmp/p4"
name=roundtrip:postings-dirs check test -f "$tmp/p4/1-first/0001-KVM-arm64-vgic-Add-y.patch" -a -f "$tmp/p4/2-second/0001-KVM-arm64-vgic-Add-z.patch"
name=roundtrip:postings-prefix check grep -q '^Subject: \[RFC PATCH v2 0/1\] KVM: arm64: vgic: Second$' "$tmp/p4/2-second/0000-cover-letter.patch"
name=roundtrip:postings-prerequisite check grep -q '^prerequisite-patch-id: ' "$tmp/p4/2-second/0000-cover-letter.patch"
git checkout -q -b detour HEAD~1
name=roundtrip:postings-head-must-be-last check bash -c '! TREE='"$tmp/a"' KVER=T bash "'"$top"'/scripts/export.sh" '"$tmp/p6"' 2>/dev/null'
git checkout -q series
git clone -q --no-checkout "$tmp/a" "$tmp/c"
cd "$tmp/c"
git checkout -q -B series vT
for d in "$tmp"/p4/1-first "$tmp"/p4/2-second; do
	for p in "$d"/000[1-9]-*.patch; do
		git am -q --keep-cr --committer-date-is-author-date "$p"
	done
	(TOP=$top; . "$top/scripts/lib.sh"; posting_restore "$d")
done
TREE=$tmp/c KVER=T bash "$top/scripts/export.sh" "$tmp/p5" 2>/dev/null
name=roundtrip:postings-apply-then-export check diff -r "$tmp/p4" "$tmp/p5"
