#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bisect.sh: build every prefix of the series (make bisect).
#
# For each commit of the series, in a worktree of its own
# (work/bisect/linux, built in work/bisect/build-debug so that ccache
# shares objects with the other builds):
#   - the debug kernel Image, incrementally;
#   - every kernel .c file the commit touches with W=1 and sparse (C=1),
#     compared with the same file built at the base: any warning the base
#     does not have fails;
#   - the KVM selftests the series adds or touches, when the commit
#     touches tools/testing/selftests/kvm.
# Ends with "N passed, N failed".  The log (one line per commit, with the
# posting it belongs to) is kept in bisect/bisect.log, to be committed
# with the series it was run on.  DRY_RUN=1: check and print what it
# would build (see lib.sh).
. "$(dirname "$0")/lib.sh"
dry_run_init

need sparse sparse
bt=$WORK/bisect/linux
bo=$WORK/bisect/build-debug
if [ "$dry_run" = 1 ]; then
	need_script build-tests.sh
	need rsync rsync
	dry_tree "$TREE" series
	if [ -d "$TREE/.git" ]; then
		n=$(git -C "$TREE" rev-list --count "v$KVER..HEAD" 2>/dev/null) ||
			problem "$TREE has no tag v$KVER"
	else
		n=$(find "$TOP/patches" -name '[0-9]*.patch' ! -name '0000-*' | wc -l)
	fi
	[ "${n:-0}" -gt 0 ] || problem "no commits in the series"
	dry_kernel debug "$bt" "$bo"
	would "build each of the ${n:-0} prefixes of the series in the worktree $bt: debug Image," \
	      "W=1 + sparse (C=1) on the .c files each commit touches, the selftests it touches"
	dry_run_end bisect
fi
[ -d "$TREE/.git" ] || die "no tree at $TREE (run 'make tree')"
if [ ! -d "$bt/.git" ] && [ ! -f "$bt/.git" ]; then
	git -C "$TREE" worktree add -q --detach "$bt" "v$KVER"
fi
mapfile -t commits < <(git -C "$TREE" rev-list --reverse "v$KVER..HEAD")
[ ${#commits[@]} -gt 0 ] || die "no commits in the series"

mk=(make -s -C "$bt" O="$bo" ARCH=arm64 CROSS_COMPILE="$CROSS_COMPILE"
    CC="ccache ${CROSS_COMPILE}gcc")
pass=0 fail=0

# Warnings of FILE.o built with W=1 C=1 in the current checkout.
warnings()
{
	local obj=${1%.c}.o

	rm -f "$bo/$obj"
	# Debian bookworm's sparse 0.6.4 has no __typeof_unqual__, so the
	# kernel's scripts/checker-valid.sh turns C=1 off (with a make
	# warning that has no "warning:") and sparse silently never runs:
	# define it as __typeof__ for sparse (CF goes to CHECKFLAGS), and fail
	# loudly if sparse is still turned off.
	{ "${mk[@]}" W=1 C=1 CF=-D__typeof_unqual__=__typeof__ "$obj" 2>&1 || true; } |
		sed -E 's/.*(specified, but .* is not available or not up to date).*/error: sparse did not run: C=1 \1/' |
		{ grep -E 'warning:|error:' || true; } |
		sed -E 's/:[0-9]+:[0-9]+:/:/' |
		# make may also (re)build prerequisites of FILE.o with C=1, the
		# vDSO for one: their warnings are not FILE's.  Keep FILE's own
		# and those in headers (which FILE's build reports).
		{ grep -E "(^|/)${1//./\\.}:|\.h:|^error: sparse" || true; } | sort -u
}

# posting_of COMMIT: the posting/ branch the commit is in (the first one)
posting_of()
{
	local b

	for b in $(git -C "$TREE" for-each-ref --format='%(refname:short)' 'refs/heads/posting/' | sort -V); do
		if git -C "$TREE" merge-base --is-ancestor "$1" "$b"; then
			echo "${b#posting/}"
			return
		fi
	done
	echo series
}
blog=$WORK/bisect/bisect.log
mkdir -p "$WORK/bisect"
{
	echo "# make bisect, $(date -u +%Y-%m-%d), v$KVER + ${#commits[@]} commits, HEAD $(git -C "$TREE" rev-parse --short=12 HEAD)"
	echo "# per commit: debug Image builds; W=1 + sparse (C=1) on each .c file it touches adds no"
	echo "# warning over the same file at v$KVER; the selftests it touches build without warning"
} >"$blog"
t0=$(date +%s)
for c in "${commits[@]}"; do
	subj=$(git -C "$TREE" log -1 --format='%h %s' "$c")
	post=$(posting_of "$c")
	git -C "$bt" checkout -q --detach "$c"
	ok=1
	log "bisect: $subj"
	if ! KBUILD_EXTRA= "$TOP/scripts/build-kernel.sh" debug "$bt" "$bo" >/dev/null 2>"$WORK/bisect/last.err"; then
		cat "$WORK/bisect/last.err" >&2
		ok=0
	fi
	mapfile -t cfiles < <(git -C "$bt" diff --name-only "$c~1" "$c" -- '*.c' | grep -v '^tools/' || true)
	for f in "${cfiles[@]}"; do
		[ -f "$bt/$f" ] || continue
		now=$(warnings "$f")
		git -C "$bt" checkout -q --detach "v$KVER"
		if [ -f "$bt/$f" ]; then before=$(warnings "$f"); else before=; fi
		git -C "$bt" checkout -q --detach "$c"
		new=$(comm -13 <(echo "$before") <(echo "$now") | grep -v '^$' || true)
		if [ -n "$new" ]; then
			echo "new W=1/sparse warnings in $f:" >&2
			echo "$new" >&2
			ok=0
		fi
	done
	if git -C "$bt" diff --name-only "$c~1" "$c" | grep -q '^tools/testing/selftests/kvm/'; then
		mapfile -t progs < <(git -C "$bt" diff --name-only "$c~1" "$c" -- 'tools/testing/selftests/kvm/arm64/*.c' |
			sed 's#tools/testing/selftests/kvm/##; s#\.c$##')
		[ ${#progs[@]} -gt 0 ] || progs=(arm64/vgic_irq)
		if ! TREE=$bt "$TOP/scripts/build-tests.sh" "$WORK/bisect/selftests" "${progs[@]}" >/dev/null 2>"$WORK/bisect/last.err"; then
			cat "$WORK/bisect/last.err" >&2
			ok=0
		elif grep -q 'warning:' "$WORK/bisect/selftests/build.log"; then
			grep 'warning:' "$WORK/bisect/selftests/build.log" >&2
			ok=0
		fi
	fi
	files=${#cfiles[@]}
	if [ $ok = 1 ]; then
		echo "PASS    bisect: $subj"
		printf 'PASS\t%s\t%s\t%s .c file(s) checked\n' "$post" "$subj" "$files" >>"$blog"
		pass=$((pass + 1))
	else
		echo "FAIL    bisect: $subj"
		printf 'FAIL\t%s\t%s\t%s .c file(s) checked\n' "$post" "$subj" "$files" >>"$blog"
		fail=$((fail + 1))
	fi
done
echo "# $pass passed, $fail failed, $(($(date +%s) - t0)) s" >>"$blog"
mkdir -p "$TOP/bisect"
cp "$blog" "$TOP/bisect/bisect.log"
log "bisect: log in bisect/bisect.log (commit it with the series)"
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
