#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# export.sh [OUTDIR]
#
# Regenerate the series (format-patch + cover letter) from the commits of
# $TREE since v$KVER into OUTDIR (default patches/).  The cover letter's
# subject and text are the tree branch's description, which apply.sh sets
# from patches/0000-cover-letter.patch, so apply + export round-trips.
# The output is stable: an unchanged series gives byte-identical files.
. "$(dirname "$0")/lib.sh"

out=${1:-$TOP/patches}
[ -d "$TREE/.git" ] || die "no tree at $TREE (run 'make tree')"
cd "$TREE"
git diff --quiet HEAD || die "$TREE has uncommitted changes; commit them first"
branch=$(git symbolic-ref --short HEAD)
n=$(git rev-list --count "v$KVER..HEAD")

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [ "$n" -gt 0 ]; then
	desc=$(git config "branch.$branch.description" || true)
	if [ -z "$desc" ]; then
		log "export: no cover letter text yet; using a placeholder (edit with 'git branch --edit-description')"
		git config "branch.$branch.description" "$(printf 'KVM: arm64: vgic: SUBJECT\n\nDescribe the series here.\n')"
	fi
	git -c core.abbrev=12 -c diff.renames=true format-patch -q --zero-commit --no-signature \
		--cover-letter --cover-from-description=subject --base="v$KVER" \
		--subject-prefix="${SUBJECT_PREFIX:-PATCH}" \
		-o "$tmp" "v$KVER..HEAD" >/dev/null
	# The cover letter's date is "now"; pin it to the newest patch's.
	last=$(ls "$tmp"/*.patch | tail -n1)
	date=$(sed -n 's/^Date: //p' "$last" | head -n1)
	sed -i "s/^Date: .*/Date: $date/" "$tmp/0000-cover-letter.patch"
fi
mkdir -p "$out"
rm -f "$out"/*.patch
cp "$tmp"/*.patch "$out"/ 2>/dev/null || true
log "export: $n patch(es) + cover letter in $out"
