#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# export.sh [OUTDIR]
#
# Regenerate the postings (format-patch + cover letter each) from the
# commits of $TREE since v$KVER into OUTDIR (default patches/).
#
# The series is cut into postings, each mailed as a thread of its own and
# applied in order.  In the tree, a posting is a branch posting/N-NAME
# that points at its last commit: posting N is posting/(N-1)..posting/N
# (posting 1 starts at v$KVER), and the last one must be HEAD.  Each goes
# to OUTDIR/N-NAME/.  Its cover letter's subject and text are that
# branch's description (git branch --edit-description posting/N-NAME),
# its subject prefix is the config branch.posting/N-NAME.vgicprefix (default PATCH,
# e.g. "RFC PATCH v2"), both set by apply.sh from the patches, so that
# apply + export round-trips.  Later postings carry the earlier ones as
# prerequisite-patch-id lines under base-commit (format-patch --base),
# which is what b4 reads.  A tree without posting/ branches exports one
# posting of everything, from the checked-out branch, into OUTDIR/.
# The output is stable: an unchanged series gives byte-identical files.
. "$(dirname "$0")/lib.sh"

out=${1:-$TOP/patches}
[ -d "$TREE/.git" ] || [ -f "$TREE/.git" ] || die "no tree at $TREE (run 'make tree')"
cd "$TREE"
git diff --quiet HEAD || die "$TREE has uncommitted changes; commit them first"
n=$(git rev-list --count "v$KVER..HEAD")

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# fmt BRANCH FROM DIR: format FROM..BRANCH into DIR with BRANCH's cover.
fmt()
{
	local branch=$1 from=$2 dir=$3 desc prefix last date

	desc=$(git config "branch.$branch.description" || true)
	if [ -z "$desc" ]; then
		log "export: $branch has no cover letter text yet; using a placeholder (git branch --edit-description $branch)"
		git config "branch.$branch.description" "$(printf 'KVM: arm64: vgic: SUBJECT\n\nDescribe the series here.\n')"
	fi
	prefix=$(git config "branch.$branch.vgicprefix" || echo "${SUBJECT_PREFIX:-PATCH}")
	mkdir -p "$dir"
	git -c core.abbrev=12 -c diff.renames=true format-patch -q --zero-commit --no-signature \
		--cover-letter --cover-from-description=subject --base="v$KVER" \
		--subject-prefix="$prefix" \
		-o "$dir" "$from..refs/heads/$branch" >/dev/null
	# The cover letter's date is "now"; pin it to the newest patch's.
	last=$(ls "$dir"/*.patch | tail -n1)
	date=$(sed -n 's/^Date: //p' "$last" | head -n1)
	sed -i "s/^Date: .*/Date: $date/" "$dir/0000-cover-letter.patch"
}

mapfile -t postings < <(git for-each-ref --format='%(refname:short)' 'refs/heads/posting/' | sort -V)
count=0
if [ "$n" -gt 0 ] && [ ${#postings[@]} -gt 0 ]; then
	from=v$KVER
	for b in "${postings[@]}"; do
		git merge-base --is-ancestor "$from" "$b" ||
			die "export: $b does not build on ${from#posting/}: the posting/ branches must follow each other"
		k=$(git rev-list --count "$from..$b")
		[ "$k" -gt 0 ] || die "export: $b has no commit of its own"
		fmt "$b" "$from" "$tmp/${b#posting/}"
		count=$((count + 1))
		from=$b
	done
	[ "$(git rev-parse "$from")" = "$(git rev-parse HEAD)" ] ||
		die "export: HEAD is not the last posting ($from); move it (git branch -f $from HEAD) or add a posting/ branch for the commits after it"
elif [ "$n" -gt 0 ]; then
	fmt "$(git symbolic-ref --short HEAD)" "v$KVER" "$tmp"
	count=1
fi
mkdir -p "$out"
find "$out" -name '*.patch' -delete
find "$out" -mindepth 1 -type d -empty -delete
cp -r "$tmp"/. "$out"/
log "export: $n patch(es) in $count posting(s) in $out"
