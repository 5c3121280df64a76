#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# (Re)create the development tree $TREE: the cached base commit plus every
# patch in patches/ applied with git am.  On a conflict, name the patch and
# the file, leave the tree as git am left it, exit non-zero.
#
#   apply.sh          fresh tree at base + series (refuses to drop unexported
#                     commits in an existing tree unless FORCE=1)
#   apply.sh --base   the unpatched base in $BASE_TREE (work/base/linux)
. "$(dirname "$0")/lib.sh"

patches_hash()
{
	find "$TOP/patches" -name '*.patch' | sort | xargs -r cat | sha256sum | cut -c1-16
}

# The postings of patches/, in order: its N-NAME directories, or patches/
# itself for a single posting without one (see export.sh).
postings()
{
	local d

	for d in "$TOP"/patches/[0-9]*-*/; do
		[ -d "$d" ] && echo "${d%/}"
	done | sort -V | grep . || echo "$TOP/patches"
}

mode=series
if [ "${1:-}" = "--base" ]; then
	mode=base
	TREE=$BASE_TREE
	FORCE=1
	# Already at the base with nothing changed: keep it (and its builds).
	if [ -d "$TREE/.git" ] && [ "$(git -C "$TREE" rev-parse HEAD)" = "$(git -C "$BASE_REPO" rev-parse "v$KVER" 2>/dev/null)" ] &&
	   git -C "$TREE" diff --quiet HEAD; then
		log "tree: $TREE is the unpatched v$KVER"
		exit 0
	fi
fi

"$TOP/scripts/prepare-base.sh"

if [ -d "$TREE/.git" ] && [ "${FORCE:-0}" != 1 ]; then
	# Do not lose work: commits on the tree's branch that are not in
	# patches/ must be exported first.
	if [ -d "$TREE/.git/rebase-apply" ]; then
		die "$TREE has a git am in progress; resolve it (git am --continue/--abort) or rerun with FORCE=1"
	fi
	if ! git -C "$TREE" diff --quiet HEAD 2>/dev/null; then
		die "$TREE has uncommitted changes; commit and 'make export', or rerun with FORCE=1"
	fi
	cur=$(git -C "$TREE" rev-parse HEAD)
	read -r smode shead shash <"$TREE/.git/vgic-applied" 2>/dev/null || true
	if [ -n "${shead:-}" ] && [ "$cur" != "$shead" ]; then
		# Exported since? Then patches/ holds exactly these commits.
		tmpx=$(mktemp -d)
		"$TOP/scripts/export.sh" "$tmpx" 2>/dev/null
		if ! diff -rq "$TOP/patches" "$tmpx" >/dev/null 2>&1; then
			rm -rf "$tmpx"
			die "$TREE has commits not exported to patches/; run 'make export' or rerun with FORCE=1"
		fi
		rm -rf "$tmpx"
		echo "series $cur $(patches_hash)" >"$TREE/.git/vgic-applied"
		log "tree: $TREE is the exported series"
		exit 0
	fi
	if [ "${smode:-}" = series ] && [ "${shash:-}" = "$(patches_hash)" ]; then
		log "tree: $TREE is up to date with patches/"
		exit 0
	fi
fi

log "tree: $TREE ($mode)"
if [ ! -d "$TREE/.git" ]; then
	mkdir -p "$(dirname "$TREE")"
	git clone -q --shared --no-checkout "$BASE_REPO" "$TREE"
	# patches/ carries a neutral identity so that it round-trips the same
	# for everyone; 'make send' puts the sender's identity on the mails.
	git -C "$TREE" config user.name "$SERIES_NAME"
	git -C "$TREE" config user.email "$SERIES_EMAIL"
fi
cd "$TREE"
git am --abort >/dev/null 2>&1 || true
git checkout -q -f -B "$mode" "v$KVER"
git clean -q -fdx

shopt -s nullglob
mkdir -p "$WORK"
if [ "$mode" = series ]; then
	for b in $(git for-each-ref --format='%(refname:short)' 'refs/heads/posting/'); do
		git branch -q -D "$b"
	done
	total=0 nposts=0
	while read -r dir; do
		name=${dir#"$TOP"/}
		cover=$dir/0000-cover-letter.patch
		for p in "$dir"/*.patch; do
			case "$(basename "$p")" in 0000-*) continue ;; esac
			if ! git am -q --keep-cr --committer-date-is-author-date "$p" >"$WORK/am.log" 2>&1; then
				file=$(sed -n 's/^error: patch failed: \(.*\):\([0-9]*\)$/\1 line \2/p' "$WORK/am.log" | head -n1)
				[ -n "$file" ] || file=$(sed -n 's/^error: \(.*\): does not exist in index$/\1 (missing)/p; s/^error: \(.*\): patch does not apply$/\1/p' "$WORK/am.log" | head -n1)
				cat "$WORK/am.log" >&2
				die "$name/$(basename "$p") does not apply to v$KVER + the patches before it: ${file:-see above}; the tree is left in $TREE for inspection (git am --show-current-patch=diff)"
			fi
			total=$((total + 1))
		done
		nposts=$((nposts + 1))
		[ -f "$cover" ] || continue
		if [ "$dir" = "$TOP/patches" ]; then
			git config "branch.$mode.description" "$(python3 "$TOP/scripts/cover-desc.py" "$cover")"
		else
			posting_restore "$dir"
		fi
	done < <(postings)
	log "tree: applied $total patch(es) in $nposts posting(s) on v$KVER"
fi
echo "$mode $(git rev-parse HEAD) $(patches_hash)" >.git/vgic-applied
