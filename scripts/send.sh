#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# send.sh: mail one posting of patches/ with git send-email.
#
#   make send POSTING=N [V=2] [IN_REPLY_TO=<message-id>] [SEND=1]
#
# POSTING=N picks patches/N-*/ (see scripts/export.sh; without posting
# directories, patches/ itself is the one posting).  Postings are sent
# one at a time, in order: each is its own thread.
# Without SEND=1 this is a dry run (git send-email --dry-run) that prints
# the mails it would send.  MBOX=FILE writes them instead, as one mbox
# threaded the way git send-email --thread --no-chain-reply-to threads
# them (Message-Id, In-Reply-To and References made up from the posting),
# for 'b4 am -m FILE' (the hygiene stage of make check does that).  The commits in patches/ carry a neutral
# identity; the mails get the sender's (git config user.name/user.email)
# as From: and Signed-off-by:.  To/Cc come from scripts/get_maintainer.pl
# of the tree (the kvmarm list, maintainers and reviewers).  The patches
# are threaded under the cover letter.
. "$(dirname "$0")/lib.sh"

case "$(git send-email -h 2>&1 || true)" in *send-email*) ;; *) die "git send-email not found: install the Debian package 'git-email' (or run 'make deps')" ;; esac
if compgen -G "$TOP/patches/[0-9]*-*/0000-cover-letter.patch" >/dev/null; then
	list=$(cd "$TOP/patches" && ls -d [0-9]*-*/ | tr -d / | sort -V | tr '\n' ' ')
	[ -n "${POSTING:-}" ] || die "POSTING=N is needed: patches/ has the postings $list(make send POSTING=1)"
	pdir=$(compgen -G "$TOP/patches/${POSTING}-*" | head -n1 || true)
	[ -n "$pdir" ] && [ -d "$pdir" ] || die "POSTING=$POSTING: no patches/$POSTING-*/ (postings: $list)"
else
	pdir=$TOP/patches
fi
ls "$pdir"/0000-cover-letter.patch >/dev/null 2>&1 || die "no cover letter in ${pdir#"$TOP"/} (run 'make export')"
[ -n "${MBOX:-}" ] || [ -x "$TREE/scripts/get_maintainer.pl" ] || die "no tree at $TREE (run 'make tree')"

v=${V:-1}
name=$(git -C "$TOP" config user.name || true)
email=$(git -C "$TOP" config user.email || true)
if [ -z "$name" ] || [ -z "$email" ]; then
	log "send: no git identity (git config user.name/user.email); using the neutral one"
	name=$SERIES_NAME email=$SERIES_EMAIL
fi

out=$WORK/outgoing
rm -rf "$out"
mkdir -p "$out"
for p in "$pdir"/*.patch; do
	f=$out/$(basename "$p")
	sed -e "s/^From: $SERIES_NAME <$SERIES_EMAIL>\$/From: $name <$email>/" \
	    -e "s/^Signed-off-by: $SERIES_NAME <$SERIES_EMAIL>\$/Signed-off-by: $name <$email>/" \
	    "$p" >"$f"
	if [ "$v" != 1 ]; then
		sed -i -E "1,/^\$/ s/^Subject: \[((RFC )?PATCH)( v[0-9]+)?( [0-9]+\/[0-9]+)?\]/Subject: [\1 v$v\4]/" "$f"
	fi
done

if [ -n "${MBOX:-}" ]; then
	# One mbox, threaded under the cover letter like git send-email does.
	tag=$(basename "$pdir")-v$v
	: >"$MBOX"
	for f in "$out"/*.patch; do
		n=$(basename "$f" | cut -c1-4)
		# Headers are unfolded (RFC 5322 2.2.3): b4 0.12 rejects a
		# folded Subject read from a local mbox.
		awk -v id="<$tag-$n@vgic-series.invalid>" -v root="<$tag-0000@vgic-series.invalid>" \
		    -v first="$n" '
			NR == 1 { print; next }
			!done && /^[ \t]/ { sub(/^[ \t]+/, " "); hdr = hdr $0; next }
			!done && hdr != "" { print hdr; hdr = "" }
			!done && /^$/ {
				print "Message-Id: " id
				if (first != "0000") { print "In-Reply-To: " root; print "References: " root }
				done = 1
				print
				next
			}
			!done { hdr = $0; next }
			{ print }' "$f" >>"$MBOX"
		echo >>"$MBOX"
	done
	log "send: $(ls "$out" | wc -l) mails of ${pdir#"$TOP"/} in $MBOX"
	exit 0
fi

# The series is reviewed on the kvmarm list: To: that, Cc: everyone else
# get_maintainer.pl names (maintainers, reviewers, other lists).
to=(kvmarm@lists.linux.dev)
series=()
for p in "$pdir"/*.patch; do
	case "$(basename "$p")" in 0000-*) ;; *) series+=("$p") ;; esac
done
mapfile -t cc < <(cd "$TREE" && ./scripts/get_maintainer.pl --no-git --no-git-fallback \
	--no-rolestats --no-multiline --separator $'\n' "${series[@]}" 2>/dev/null |
	grep -v -e '^$' -e 'kvmarm@' | sort -u)

args=(--confirm=never --thread --no-chain-reply-to --suppress-cc=self
      --from="$name <$email>")
for a in "${to[@]}"; do args+=(--to="$a"); done
for a in "${cc[@]}"; do args+=(--cc="$a"); done
[ -z "${IN_REPLY_TO:-}" ] || args+=(--in-reply-to="$IN_REPLY_TO")

echo "=== ${pdir#"$TOP"/} v$v: $(ls "$out" | wc -l) mails, threaded under the cover letter"
echo "=== To: ${to[*]}"
echo "=== Cc: ${cc[*]}"
[ -z "${IN_REPLY_TO:-}" ] || echo "=== In-Reply-To: $IN_REPLY_TO"

if [ "${SEND:-0}" != 1 ]; then
	for f in "$out"/*.patch; do
		echo "=================================================================="
		cat "$f"
	done
	echo "=================================================================="
	git -C "$TOP" send-email --dry-run "${args[@]}" "$out"/*.patch
	echo "Dry run only. To send: configure git send-email (git config --global"
	echo "sendemail.smtpServer, sendemail.smtpUser, ...), then 'make send POSTING=${POSTING:-} SEND=1 V=$v'."
	exit 0
fi
git -C "$TOP" config sendemail.smtpServer >/dev/null ||
	die "git send-email is not configured: set sendemail.smtpServer (and smtpUser, smtpEncryption, smtpServerPort) with git config --global, see git-send-email(1)"
git -C "$TOP" send-email "${args[@]}" "$out"/*.patch
