#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# qemu-bpo.sh: print the path of a qemu-system-aarch64 from Debian's
# bookworm-backports (10.0 when this was written), fetched once into
# $CACHE/qemu-bpo with a private apt configuration (its own sources
# list, state and cache; the system's apt and its installed QEMU 7.2 are
# left alone) and unpacked with dpkg-deb.  Its library dependencies are
# bookworm's own.
#
# It is the QEMU every host boots unless QEMU= says otherwise
# (QEMU=system: bookworm's 7.2; lib.sh, mode_qemu).  Why not 7.2: its
# multi-threaded TCG can run stale translations of patched kernel text
# (see pin_vm() in runner/init.c and docs/reliability.md), and it has no
# FEAT_NV2 for the nested host.
. "$(dirname "$0")/lib.sh"

dir=$CACHE/qemu-bpo
bin=$dir/root/usr/bin/qemu-system-aarch64
if [ -x "$bin" ] && "$bin" --version >/dev/null 2>&1; then
	echo "$bin"
	exit 0
fi

need apt-get apt
need dpkg-deb dpkg
mirror=$(debian_mirror)
[ -n "$mirror" ] || die "no Debian mirror configured in /etc/apt; cannot fetch QEMU from bookworm-backports"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
apt=$tmp/apt
mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial" "$tmp/debs"
echo "deb $mirror bookworm-backports main" >"$apt/sources.list"
aptopts=(-o Dir::Etc::SourceList="$apt/sources.list" -o Dir::Etc::SourceParts=-
	 -o Dir::State::Lists="$apt/lists" -o Dir::Cache="$apt/cache"
	 -o APT::Get::List-Cleanup=0 -o APT::Sandbox::User=root)
log "qemu-bpo: fetching qemu-system-arm from bookworm-backports ($mirror)"
apt-get "${aptopts[@]}" update -q >&2 ||
	die "apt-get update for bookworm-backports failed"
(cd "$tmp/debs" && apt-get "${aptopts[@]}" download \
	qemu-system-arm qemu-system-common qemu-system-data >&2) ||
	die "cannot download qemu-system-arm from bookworm-backports"
rm -rf "$dir.new"
mkdir -p "$dir.new"
for d in "$tmp"/debs/*.deb; do
	dpkg-deb -x "$d" "$dir.new/root"
done
ls "$tmp"/debs >"$dir.new/debs.txt"
"$dir.new/root/usr/bin/qemu-system-aarch64" --version >&2 ||
	die "the bookworm-backports QEMU does not run here (missing libraries? see ldd $dir.new/root/usr/bin/qemu-system-aarch64)"
rm -rf "$dir"
mv "$dir.new" "$dir"
echo "$bin"
