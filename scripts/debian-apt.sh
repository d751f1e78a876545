# SPDX-License-Identifier: GPL-2.0
#
# Debian's packages of other suites (linux-source, a newer rustc) through a
# private apt state, so that the system's apt configuration and packages
# are never touched; the mirror is the one the system uses.

# The suites that may carry a linux-source-<series> package, or the rustc
# of RLP_KERNEL=rust-ftrace and its libraries.
SUITES=(bookworm-backports trixie trixie-backports sid experimental)
APT="$RLP_CACHE/apt"
APT_OPTS=(-o Dir::Etc::SourceList="$APT/sources.list" -o Dir::Etc::SourceParts=/dev/null
	  -o Dir::State::Lists="$APT/lists" -o Dir::Cache="$APT" -o Dir::State::Status=/dev/null
	  -o APT::Default-Release= -o Acquire::IndexTargets::deb::DEP-11::DefaultEnabled=false)

# The Debian mirror the system uses (its first in /etc/apt/sources.list*).
debian_mirror() {
	local mirror
	mirror=$(grep -hoE '^(URIs:|deb) +https?://[^ ]+/debian/?( |$)' \
		/etc/apt/sources.list /etc/apt/sources.list.d/*.sources 2>/dev/null |
		awk '{print $2}' | head -n 1)
	[ -n "$mirror" ] || die "no Debian mirror in /etc/apt/sources.list*: cannot look up Debian's packages of other suites; add one, or use RLP_KSRC=<kernel tree>"
	echo "$mirror"
}

# Package lists of SUITES, refreshed when a day old (RLP_APT_REFRESH=1: now).
update_lists() {
	local mirror stamp="$APT/lists/.rlp-updated"
	if [ -f "$stamp" ] && [ -z "${RLP_APT_REFRESH:-}" ] &&
	   [ -n "$(find "$stamp" -mmin -1440)" ]; then
		return
	fi
	mirror=$(debian_mirror)
	mkdir -p "$APT/lists/partial" "$APT/archives/partial"
	: > "$APT/sources.list"
	for s in "${SUITES[@]}"; do
		echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror $s main" >> "$APT/sources.list"
	done
	say "Looking up Debian's packages (${SUITES[*]})"
	run_logged apt-source-update apt-get "${APT_OPTS[@]}" update
	touch "$stamp"
}

# Uploads of package $1, newest first: "version suite" lines.
uploads() {
	apt-cache "${APT_OPTS[@]}" madison "$1" 2>/dev/null |
		awk -F'|' '{ gsub(/ /, "", $2); split($3, s, " "); sub(/\/.*/, "", s[2]); print $2, s[2] }'
}
