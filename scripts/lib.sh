# SPDX-License-Identifier: GPL-2.0
# Common helpers for the harness scripts.  Sourced, never executed.

set -euo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SHARED=${SHARED:-$TOP/../shared}

KVER=${KVER:-7.3.4}
DEBVER=${DEBVER:-7.3.4-1~bpo13+1}
DEB=linux-source-7.3_${DEBVER}_all.deb

# Everything derived from the base lives outside the clone, keyed by
# version, so that a second clone (or CI) reuses it.
CACHE=${VGIC_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/vgic-series}
BASE_REPO=$CACHE/base-$KVER.git
# The development tree: base commit + patches/ applied as commits.
TREE=${TREE:-$TOP/work/linux}
WORK=${WORK:-$TOP/work}

ARCH=arm64
CROSS_COMPILE=${CROSS_COMPILE:-aarch64-linux-gnu-}
export ARCH CROSS_COMPILE

JOBS=${JOBS:-$(($(nproc) + 1))}

_t0=$(date +%s)

log()
{
	printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2
}

die()
{
	printf 'error: %s\n' "$*" >&2
	exit 1
}

elapsed()
{
	echo $(($(date +%s) - _t0))
}

# need CMD PACKAGE: fail with the Debian package to install.
need()
{
	command -v "$1" >/dev/null 2>&1 ||
		die "'$1' not found: install the Debian package '$2' (or run 'make deps')"
}
# The unpatched base, for base-run: same layout as the series tree.
BASE_TREE=${BASE_TREE:-$WORK/base/linux}

# The neutral identity of the commits in patches/ (see scripts/send.sh).
SERIES_NAME="vgic-series harness"
SERIES_EMAIL="harness@localhost"

# The Debian mirror the system's apt uses, for the private apt
# configurations of prepare-base.sh and nested.sh: active source files
# only (*.list, *.sources; not *.disabled*), not the security archive,
# preferring a URI that names Debian.  VGIC_MIRROR overrides.
debian_mirror()
{
	local uris

	if [ -n "${VGIC_MIRROR:-}" ]; then
		echo "$VGIC_MIRROR"
		return
	fi
	uris=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list \
			/etc/apt/sources.list.d/*.sources 2>/dev/null |
		grep -oE '^ *(URIs:|deb) +[a-z]+://[^ ]+' | awk '{print $2}' |
		grep -v security || true)
	{ grep -i debian <<<"$uris" || echo "$uris"; } | head -n1
}
