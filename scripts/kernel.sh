#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The Rust-enabled test kernel: source from Debian's linux-source-7.2
# package, tinyconfig plus the fragments below, built once and cached
# outside the clone under a key of kernel version, fragments and toolchain.
#
#   kernel.sh build   fetch, configure and build (if not cached); print KDIR
#   kernel.sh kdir    print KDIR of the newest cached build, or fail
#
# RLP_KERNEL=debug selects the debug variant: the same kernel plus
# scripts/debug-kernel.config (lockdep, KFENCE, kmemleak, ...), cached apart.

set -e
. "$(dirname "$0")/lib.sh"

FRAGMENTS=("$RLP_TOP/scripts/test-kernel.config" "$RLP_TOP/selftests/config")
LATEST=latest
case "${RLP_KERNEL:-}" in
"") ;;
debug)	FRAGMENTS+=("$RLP_TOP/scripts/debug-kernel.config"); LATEST=latest-debug ;;
*)	die "RLP_KERNEL=$RLP_KERNEL: unknown kernel variant (the one there is: debug)" ;;
esac
SUITES=(trixie-backports sid)	# the suites that carry linux-source-7.2
RUST_MAKE_VARS=(RUSTC=/usr/bin/rustc HOSTRUSTC=/usr/bin/rustc
		RUSTDOC=/usr/bin/rustdoc CLIPPY_DRIVER=/usr/bin/clippy-driver
		BINDGEN="$RLP_CACHE/tools/bin/bindgen")
export LIBCLANG_PATH=${LIBCLANG_PATH:-/usr/lib/llvm-19/lib}

# Download the newest linux-source-7.2 .deb with a private apt state, so the
# system's apt configuration and packages are never touched. The mirror is
# the one the system already uses.
fetch_source_deb() {
	local apt="$RLP_CACHE/apt" mirror
	mirror=$(grep -hoE '^(URIs:|deb) +https?://[^ ]+/debian/?( |$)' \
		/etc/apt/sources.list /etc/apt/sources.list.d/*.sources 2>/dev/null |
		awk '{print $2}' | head -n 1)
	[ -n "$mirror" ] || die "no Debian mirror found in /etc/apt/sources.list*; cannot fetch linux-source-7.2"
	mkdir -p "$apt/lists/partial" "$apt/archives/partial"
	: > "$apt/sources.list"
	for s in "${SUITES[@]}"; do
		echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror $s main" >> "$apt/sources.list"
	done
	APT_OPTS=(-o Dir::Etc::SourceList="$apt/sources.list" -o Dir::Etc::SourceParts=/dev/null
		  -o Dir::State::Lists="$apt/lists" -o Dir::Cache="$apt" -o Dir::State::Status=/dev/null
		  -o APT::Default-Release=)
	run_logged apt-source-update apt-get "${APT_OPTS[@]}" update
	DEB_VERSION=$(apt-cache "${APT_OPTS[@]}" madison linux-source-7.2 |
		awk -F'|' '{gsub(/ /, "", $2); print $2}' | sort -V | tail -n 1)
	[ -n "$DEB_VERSION" ] || die "linux-source-7.2 is not offered by ${SUITES[*]} at $mirror"
}

# Unpack the kernel source for $DEB_VERSION into $KSRC (once).
unpack_source() {
	KSRC="$RLP_CACHE/src/$DEB_VERSION/linux-source-7.2"
	[ -f "$KSRC/.rlp-unpacked" ] && return
	say "Unpacking linux-source-7.2 $DEB_VERSION"
	local dir="$RLP_CACHE/src/$DEB_VERSION"
	rm -rf "$dir" && mkdir -p "$dir"
	(cd "$dir" && run_logged apt-download apt-get "${APT_OPTS[@]}" \
		download "linux-source-7.2=$DEB_VERSION")
	run_logged unpack sh -c "dpkg-deb -x '$dir'/linux-source-7.2_*.deb '$dir/deb' &&
		tar -C '$dir' -xf '$dir'/deb/usr/src/linux-source-7.2.tar.xz &&
		rm -rf '$dir/deb' '$dir'/*.deb"
	[ -f "$KSRC/Makefile" ] || die "unexpected layout in linux-source-7.2 $DEB_VERSION: no $KSRC/Makefile"
	touch "$KSRC/.rlp-unpacked"
}

cache_key() {
	{
		echo "$DEB_VERSION"
		cat "${FRAGMENTS[@]}"
		/usr/bin/rustc --version
		"$RLP_CACHE/tools/bin/bindgen" --version
		gcc --version | head -n 1
	} | sha256sum | cut -c1-12
}

# Configure and build into $KDIR unless a complete build is there.
build_kernel() {
	KDIR="$RLP_CACHE/kernel/$DEB_VERSION-$(cache_key)"
	if [ -f "$KDIR/.rlp-complete" ]; then
		say "Test kernel cached: $KDIR"
		return
	fi
	say "Configuring the test kernel ($DEB_VERSION) in $KDIR"
	mkdir -p "$KDIR"
	local mk=(make -C "$KSRC" O="$KDIR" "${RUST_MAKE_VARS[@]}")
	run_logged kernel-config sh -c "$(printf '%q ' "${mk[@]}") tinyconfig &&
		'$KSRC/scripts/kconfig/merge_config.sh' -m -O '$KDIR' '$KDIR/.config' $(printf '%q ' "${FRAGMENTS[@]}") &&
		$(printf '%q ' "${mk[@]}") olddefconfig"
	check_config
	say "Building the test kernel with $(($(nproc) + 1)) jobs (about 6 minutes on 2 cores)"
	run_logged kernel-build "${mk[@]}" -j"$(($(nproc) + 1))" bzImage modules
	touch "$KDIR/.rlp-complete"
}

# Every option a fragment asks for must have survived olddefconfig; a
# dropped one (say CONFIG_RUST, when the toolchain is unusable) is fatal.
check_config() {
	local want lost=()
	for want in $(grep -h '^CONFIG_' "${FRAGMENTS[@]}"); do
		grep -qx "$want" "$KDIR/.config" || lost+=("$want")
	done
	[ ${#lost[@]} -eq 0 ] && return
	[[ " ${lost[*]} " == *" CONFIG_RUST=y "* ]] &&
		info "CONFIG_RUST was dropped; 'make -C $KSRC O=$KDIR ${RUST_MAKE_VARS[*]} rustavailable' says why"
	die "the test kernel config lacks: ${lost[*]} (see $RLP_LOGS/kernel-config.log)"
}

case "$1" in
build)
	fetch_source_deb
	unpack_source
	build_kernel
	echo "$KSRC" > "$KDIR/.rlp-ksrc"
	ln -sfn "$KDIR" "$RLP_CACHE/kernel/$LATEST"
	echo "$KDIR"
	;;
kdir)
	[ -f "$RLP_CACHE/kernel/$LATEST/.rlp-complete" ] || exit 1
	readlink -f "$RLP_CACHE/kernel/$LATEST"
	;;
*)
	die "usage: $0 build|kdir"
	;;
esac
