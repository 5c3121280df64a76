#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Turn the verified Debian linux-source-7.3 .deb into a git repository with
# one base commit, cached outside the clone in $CACHE/base-$KVER.git.
#
# Route 1: ../shared/base/ (.deb checked against SHA256SUMS).
# Route 2: apt-get download through a private apt configuration (the
#          system's sources are left alone), reusing the mirror already
#          configured on this machine, suite trixie-backports.
. "$(dirname "$0")/lib.sh"

[ -d "$BASE_REPO" ] && git -C "$BASE_REPO" rev-parse -q --verify refs/tags/v$KVER >/dev/null && {
	log "base: cached $BASE_REPO ($(git -C "$BASE_REPO" rev-parse --short=12 v$KVER))"
	exit 0
}

need git git
need dpkg-deb dpkg
need xz xz-utils
need sha256sum coreutils

mkdir -p "$CACHE"
tmp=$(mktemp -d "$CACHE/unpack.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

if [ -f "$SHARED/base/$DEB" ]; then
	log "base: route 1, verifying $SHARED/base/$DEB"
	(cd "$SHARED/base" && grep " $DEB\$" SHA256SUMS | sha256sum -c --quiet -) ||
		die "$SHARED/base/$DEB does not match SHA256SUMS; refusing to use it"
	debfile=$SHARED/base/$DEB
else
	log "base: route 2, $SHARED/base/$DEB is missing; fetching $DEBVER with apt"
	need apt-get apt
	mirror=$(debian_mirror)
	[ -n "$mirror" ] || die "no Debian mirror configured in /etc/apt; cannot fetch $DEB"
	apt=$tmp/apt
	mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial"
	echo "deb $mirror trixie-backports main" >"$apt/sources.list"
	aptopts=(-o Dir::Etc::SourceList="$apt/sources.list" -o Dir::Etc::SourceParts=-
		 -o Dir::State::Lists="$apt/lists" -o Dir::Cache="$apt/cache"
		 -o APT::Get::List-Cleanup=0)
	apt-get "${aptopts[@]}" update -q >&2 ||
		die "apt-get update for trixie-backports failed"
	(cd "$tmp" && apt-get "${aptopts[@]}" download "linux-source-7.3=$DEBVER" >&2) ||
		die "linux-source-7.3=$DEBVER is no longer in trixie-backports; put the .deb in $SHARED/base/"
	debfile=$tmp/$DEB
fi

log "base: unpacking $(basename "$debfile")"
dpkg-deb -x "$debfile" "$tmp/deb"
tarball=$(ls "$tmp"/deb/usr/src/linux-source-7.3*.tar.xz)
mkdir -p "$tmp/repo"
tar -xJf "$tarball" -C "$tmp/repo" --strip-components=1
rm -rf "$tmp/deb"

cd "$tmp/repo"
# Debian's top-level .gitignore ignores everything at the top level
# ("/*" then "!/debian/"), which would hide new files from git.  Drop that
# block in the base commit; the series never touches .gitignore.
if grep -q '^/\*$' .gitignore; then
	sed -i '/^\/\*$/,$d' .gitignore
fi
git init -q -b base .
git config user.name "vgic-series harness"
git config user.email "harness@localhost"
git config gc.auto 0
log "base: committing $(find . -path ./.git -prune -o -type f -print | wc -l) files"
git add -A -f
GIT_AUTHOR_DATE="2026-01-01T00:00:00Z" GIT_COMMITTER_DATE="2026-01-01T00:00:00Z" \
	git commit -q -m "Linux $KVER (Debian linux-source-7.3 $DEBVER)"
git tag v$KVER
cd /
rm -rf "$BASE_REPO"
mv "$tmp/repo/.git" "$BASE_REPO"
git -C "$BASE_REPO" config core.bare true
log "base: $BASE_REPO at $(git -C "$BASE_REPO" rev-parse --short=12 v$KVER) ($(elapsed) s)"
