#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The Rust-enabled test kernel: tinyconfig plus the fragments below, built
# once and cached outside the clone under a key of kernel source, fragments
# and toolchain.
#
#   kernel.sh build   fetch, configure and build (if not cached); print KDIR
#   kernel.sh kdir    print KDIR of the newest cached build, or fail
#   kernel.sh series  print the series that RLP_KVER (or its default) selects
#   kernel.sh ksrc    fetch and unpack (if not there) the source of that
#                     series, or take RLP_KSRC; print its path
#
# Where the source comes from:
#   RLP_KVER=7.3      Debian's linux-source-7.3 package, newest upload of the
#                     series in any suite that carries it (a release before
#                     an -rc). Default: the newest series the project
#                     supports that Debian ships (SUPPORTED_KVERS, lib.sh).
#   RLP_KSRC=<dir>    a kernel source tree of your own (mainline, next, a
#                     distribution's), built out of tree (O=), never written.
# RLP_KERNEL selects a variant, each cached apart (test, or none: the test
# kernel itself): debug adds
# scripts/debug-kernel.config (lockdep, KFENCE, kmemleak, ...); upstream
# applies this project's patch series (upstream/*.patch: kernel::livepatch
# and its sample) and adds scripts/upstream-kernel.config (the in-tree
# sample, KUnit and the `kernel` crate's doctests); rust-ftrace applies
# patches/rust-ftrace/ (Rust code calls __fentry__, so Rust functions can be
# traced and livepatched) and builds with a rustc >= 1.98 that the project
# sets up (scripts/rust-ftrace-toolchain.sh); btf adds
# scripts/btf-kernel.config (BTF, so that the adapters' C prototypes are
# checked at build time); debian is Debian's own binary
# kernel of the series, nothing of it compiled (scripts/debian-kernel.sh).

set -e
. "$(dirname "$0")/lib.sh"

# No CONFIG_BUG in them, on purpose for now: docs/testing.md#kernel-reports.
BASE_FRAGMENTS=("$RLP_TOP/scripts/test-kernel.config" "$RLP_TOP/selftests/config")
FRAGMENTS=("${BASE_FRAGMENTS[@]}")
VARIANT=""
case "${RLP_KERNEL:-}" in
""|test) ;;
debug)	FRAGMENTS+=("$RLP_TOP/scripts/debug-kernel.config"); VARIANT=-debug ;;
upstream) FRAGMENTS+=("$RLP_TOP/scripts/upstream-kernel.config"); VARIANT=-upstream ;;
rust-ftrace) FRAGMENTS+=("$RLP_TOP/scripts/rust-ftrace-kernel.config"); VARIANT=-rust-ftrace ;;
btf)	FRAGMENTS+=("$RLP_TOP/scripts/btf-kernel.config"); VARIANT=-btf ;;
debian)	VARIANT=-debian ;;
*)	die "RLP_KERNEL=$RLP_KERNEL: unknown kernel variant (there are: test, debug, upstream, rust-ftrace, btf, debian)" ;;
esac
RUSTC=/usr/bin/rustc
RUST_MAKE_VARS=(RUSTC=$RUSTC HOSTRUSTC=$RUSTC
		RUSTDOC=/usr/bin/rustdoc CLIPPY_DRIVER=/usr/bin/clippy-driver
		RUSTFMT=/usr/bin/rustfmt BINDGEN="$RLP_CACHE/tools/bin/bindgen")

# RLP_KERNEL=rust-ftrace: the rustc >= 1.98 the project sets up. It has no
# clippy-driver: no `make CLIPPY=1` on this variant.
use_rust_ftrace_toolchain() {
	local bin
	bin=$("$RLP_TOP/scripts/rust-ftrace-toolchain.sh")
	RUSTC=$bin/rustc
	RUST_MAKE_VARS=(RUSTC=$RUSTC HOSTRUSTC=$RUSTC RUSTDOC=$bin/rustdoc
			RUSTFMT=/usr/bin/rustfmt BINDGEN="$RLP_CACHE/tools/bin/bindgen")
}
export LIBCLANG_PATH=${LIBCLANG_PATH:-/usr/lib/llvm-19/lib}
. "$RLP_TOP/scripts/debian-apt.sh"

# The series Debian ships a linux-source package of, newest first.
shipped_series() {
	apt-cache "${APT_OPTS[@]}" pkgnames linux-source- 2>/dev/null |
		sed -n 's/^linux-source-\([0-9][0-9.]*\)$/\1/p' | sort -rV | xargs
}

# The upload to use: the newest release of the series, else its newest -rc.
pick_upload() {
	local all
	all=$(uploads "linux-source-$1")
	{ grep -v '~rc' <<< "$all"; grep '~rc' <<< "$all"; } | grep . | head -n 1
}

# Sets KVER: RLP_KVER, or the newest supported series with a release.
select_series() {
	local s
	if [ -n "${RLP_KVER:-}" ]; then
		KVER=$RLP_KVER
		[[ "$KVER" =~ ^[0-9]+\.[0-9]+$ ]] ||
			die "RLP_KVER=$KVER: give a kernel series, such as ${SUPPORTED_KVERS%% *}"
		return
	fi
	for s in $SUPPORTED_KVERS; do
		if uploads "linux-source-$s" | grep -qv '~rc'; then
			KVER=$s
			return
		fi
	done
	die "Debian ships none of the kernel series this project supports ($SUPPORTED_KVERS); it ships: $(shipped_series)"
}

# Sets DEB_VERSION and SUITE for series KVER, or fails in one line naming
# the series Debian does ship.
resolve_series() {
	local upload oldest=${SUPPORTED_KVERS##* }
	if [ -n "${RLP_DEBIAN_UPLOAD:-}" ]; then
		# A given upload (make distro: the running kernel's).
		upload=$(uploads "linux-source-$KVER" | awk -v v="$RLP_DEBIAN_UPLOAD" '$1 == v' | sed -n 1p)
		[ -n "$upload" ] ||
			die "Debian no longer ships linux-source-$KVER $RLP_DEBIAN_UPLOAD, the source of that kernel (it has $(uploads "linux-source-$KVER" | cut -d' ' -f1 | xargs)): boot a kernel of an upload Debian ships"
	else
		upload=$(pick_upload "$KVER")
	fi
	[ -n "$upload" ] ||
		die "RLP_KVER=$KVER: Debian ships no linux-source-$KVER; it ships $(shipped_series) (${SUITES[*]}), of which this project supports $SUPPORTED_KVERS"
	if ! [[ " $SUPPORTED_KVERS " == *" $KVER "* ]]; then
		[ "$(printf '%s\n' "$KVER" "$oldest" | sort -V | head -n 1)" = "$oldest" ] ||
			die "RLP_KVER=$KVER: older than the series this project supports ($SUPPORTED_KVERS)"
		info "RLP_KVER=$KVER is newer than the series this project was tested on ($SUPPORTED_KVERS): trying it"
	fi
	read -r DEB_VERSION SUITE <<< "$upload"
}

# Unpack linux-source-$KVER $DEB_VERSION into $KSRC (once).
unpack_source() {
	local dir="$RLP_CACHE/src/$DEB_VERSION" pkg="linux-source-$KVER"
	KSRC="$dir/$pkg"
	[ -f "$KSRC/.rlp-unpacked" ] && return
	say "Downloading and unpacking $pkg $DEB_VERSION ($SUITE, about 170 MB)"
	rm -rf "$dir" && mkdir -p "$dir"
	(cd "$dir" && run_logged apt-download apt-get "${APT_OPTS[@]}" download "$pkg=$DEB_VERSION")
	run_logged unpack sh -c "dpkg-deb -x '$dir'/${pkg}_*.deb '$dir/deb' &&
		tar -C '$dir' -xf '$dir'/deb/usr/src/$pkg.tar.xz &&
		rm -rf '$dir/deb' '$dir'/*.deb"
	[ -f "$KSRC/Makefile" ] || die "unexpected layout in $pkg $DEB_VERSION: no $KSRC/Makefile"
	touch "$KSRC/.rlp-unpacked"
}

# RLP_KSRC: check the user's tree and name its build after it.
user_source() {
	KSRC=$(realpath "$RLP_KSRC" 2>/dev/null) && [ -f "$KSRC/Makefile" ] &&
		grep -q '^PATCHLEVEL' "$KSRC/Makefile" ||
		die "RLP_KSRC=$RLP_KSRC: not a kernel source tree (no top-level Makefile with VERSION and PATCHLEVEL)"
	[ ! -f "$KSRC/.config" ] && [ ! -d "$KSRC/include/config" ] ||
		die "RLP_KSRC=$RLP_KSRC: the tree has been configured or built in place; the test kernel is built with O=, which needs a clean tree: run 'make mrproper' there"
	KVER=$(make -s -C "$KSRC" kernelversion 2>/dev/null | grep -E '^[0-9]') ||
		die "RLP_KSRC=$RLP_KSRC: 'make kernelversion' fails there"
	DEB_VERSION="ksrc-$KVER-$(echo "$KSRC" | sha256sum | cut -c1-8)"
	local oldest=${SUPPORTED_KVERS##* }
	[ "$(printf '%s\n' "${KVER%.*}" "$oldest" | sort -V | head -n 1)" = "$oldest" ] ||
		die "RLP_KSRC=$RLP_KSRC: kernel $KVER is older than the series this project supports ($SUPPORTED_KVERS)"
}

# apply_series NAME FIX PATCH...: a copy of $KSRC, linux-NAME, with the
# patches applied; the files they leave alone are hard links to $KSRC's,
# so that a new series rebuilds the kernel incrementally (STAMP names the
# series, SERIES_FILES lists the files it changes).
apply_series() {
	local name=$1 fix=$2 hash dst f p
	shift 2
	hash=$(cat "$@" | sha256sum | cut -c1-12)
	dst="$(dirname "$KSRC")/linux-$name"
	[ ! "$dst" -ef "$KSRC" ] ||
		die "RLP_KSRC=$KSRC: RLP_KERNEL=$name keeps its patched copy of the tree at that path; rename the tree"
	SERIES_FILES=$(sed -n 's|^diff --git a/\([^ ]*\) b/\([^ ]*\)$|\1\n\2|p' "$@" | sort -u)
	if [ "$(cat "$dst/.rlp-series" 2>/dev/null)" != "$hash" ]; then
		say "Applying the patches of RLP_KERNEL=$name to a copy of the kernel source"
		rm -rf "$dst"
		cp -al "$KSRC" "$dst"
		for f in $SERIES_FILES; do
			[ -e "$dst/$f" ] && cp --remove-destination "$KSRC/$f" "$dst/$f"
		done
		for p in "$@"; do
			(cd "$dst" && git apply "$p") ||
				die "${p#"$RLP_TOP"/} does not apply to kernel $KVER: $fix"
		done
		echo "$hash" > "$dst/.rlp-series"
	fi
	KSRC=$dst
	STAMP="series $hash"
}

# cache_key RUSTC FRAGMENT...
cache_key() {
	local rustc=$1
	shift
	{
		echo "$DEB_VERSION"
		cat "$@"
		"$rustc" --version
		"$RLP_CACHE/tools/bin/bindgen" --version
		gcc --version | head -n 1
	} | sha256sum | cut -c1-12
}

# Configure and build into $KDIR unless a complete build is there. A user
# tree is rebuilt (incrementally) when its git HEAD or work tree changed.
build_kernel() {
	local stamp=${STAMP:-}
	KDIR="$RLP_CACHE/kernel/$DEB_VERSION-$(cache_key "$RUSTC" "${FRAGMENTS[@]}")$VARIANT"
	[ -n "${RLP_KSRC:-}" ] && stamp="$(git -C "$KSRC" describe --always --dirty 2>/dev/null) $(git -C "$KSRC" diff HEAD 2>/dev/null | sha256sum | cut -c1-12)"
	if [ -f "$KDIR/.rlp-complete" ] && [ "$(cat "$KDIR/.rlp-complete")" = "$stamp" ]; then
		say "Test kernel cached: ${KDIR/#$HOME/\~}"
		return
	fi
	say "Configuring the test kernel ($KVER, ${DEB_VERSION}${VARIANT}) in ${KDIR/#$HOME/\~}"
	mkdir -p "$KDIR"
	rm -f "$KDIR/.rlp-complete"
	WHEN="about 15 minutes on 2 cores"
	[ -z "$VARIANT" ] || [ -f "$KDIR/.config" ] ||
		seed_build "$RLP_CACHE/kernel/$DEB_VERSION-$(cache_key /usr/bin/rustc "${BASE_FRAGMENTS[@]}")"
	local mk=(make -C "$KSRC" O="$KDIR" "${RUST_MAKE_VARS[@]}")
	run_logged kernel-config sh -c "$(printf '%q ' "${mk[@]}") tinyconfig &&
		'$KSRC/scripts/kconfig/merge_config.sh' -m -O '$KDIR' '$KDIR/.config' $(printf '%q ' "${FRAGMENTS[@]}") &&
		$(printf '%q ' "${mk[@]}") olddefconfig"
	check_config
	say "Building the test kernel with $(($(nproc) + 1)) jobs ($WHEN)"
	run_logged kernel-build "${mk[@]}" -j"$(($(nproc) + 1))" bzImage modules
	echo "$stamp" > "$KDIR/.rlp-complete"
}

# seed_build BASE: start a variant's build from a copy of BASE, the default
# build of the same source, so that Kbuild rebuilds only what the variant
# changes (its patches, options and rustc): minutes instead of a whole
# kernel. Kbuild rebuilds a target whose command changed, and its saved
# commands (*.cmd, *.d) hold the real paths of the source and build trees:
# they are moved to the variant's; what they fail to match is rebuilt, never
# reused. It also rebuilds a target older than a prerequisite: the files the
# series changes may be older than BASE's objects, so they are touched. The
# copy is made apart and moved into place complete: an interrupted seed is
# started again, never built on.
seed_build() {
	local base=$1 from to_src to_obj tmp="$KDIR.seed" f
	[ -f "$base/.rlp-complete" ] && [ -f "$base/.rlp-ksrc" ] || return 0
	say "Copying the default build of $DEB_VERSION as the start of this variant's"
	info "from ${base/#$HOME/\~}"
	WHEN="only what the variant changes: 3 to 15 minutes on 2 cores"
	base=$(realpath "$base")
	from=$(realpath "$(cat "$base/.rlp-ksrc")")
	to_src=$(realpath "$KSRC")
	to_obj=$(realpath "$KDIR")
	rm -rf "$tmp"
	cp -a "$base" "$tmp"
	rm -f "$tmp"/.rlp-* "$tmp/.version"
	find "$tmp" \( -name '*.cmd' -o -name '*.d' \) -type f -print0 |
		FROM_SRC=$from TO_SRC=$to_src FROM_OBJ=$base TO_OBJ=$to_obj xargs -0r perl -pi -e \
			's/\Q$ENV{FROM_SRC}\E(?![\w.+~-])/$ENV{TO_SRC}/g; s/\Q$ENV{FROM_OBJ}\E(?![\w.+~-])/$ENV{TO_OBJ}/g'
	for f in ${SERIES_FILES:-}; do
		[ ! -e "$KSRC/$f" ] || touch "$KSRC/$f"
	done
	rm -rf "$KDIR"
	mv "$tmp" "$KDIR"
}

# Every option a fragment asks for must have survived olddefconfig; a
# dropped one (say CONFIG_RUST, when the toolchain is unusable) is fatal.
check_config() {
	local want lost=() why
	for want in $(grep -h '^CONFIG_' "${FRAGMENTS[@]}"); do
		grep -qx "$want" "$KDIR/.config" || lost+=("$want")
	done
	[ ${#lost[@]} -eq 0 ] && return
	if [[ " ${lost[*]} " == *" CONFIG_RUST=y "* ]]; then
		why=$(make -s -C "$KSRC" O="$KDIR" "${RUST_MAKE_VARS[@]}" rustavailable 2>&1 |
			grep -m1 -iE 'error|not|too' | sed 's/^\*\*\* *//')
		die "kernel $KVER cannot build Rust with this toolchain ($("$RUSTC" --version | cut -d' ' -f1-2)): ${why:-see $RLP_LOGS/kernel-config.log}"
	fi
	die "kernel $KVER lacks what the test kernel needs: ${lost[*]} (unknown to this kernel, or their dependencies are; see $RLP_LOGS/kernel-config.log)"
}

# The `latest` links: per series and variant, and one for the default.
link_name() {
	if [ -n "${RLP_KSRC:-}" ]; then
		echo "latest-ksrc$VARIANT"
	else
		echo "latest-$1$VARIANT"
	fi
}

case "$1" in
build)
	if [ -n "${RLP_KSRC:-}" ]; then
		[ "${RLP_KERNEL:-}" != debian ] ||
			die "RLP_KERNEL=debian is Debian's kernel, built from Debian's source: unset RLP_KSRC"
		user_source
	else
		update_lists
		select_series
		resolve_series
		unpack_source
	fi
	case "${RLP_KERNEL:-}" in
	upstream)
		apply_series upstream "regenerate the series (make upstream-series)" \
			"$RLP_TOP"/upstream/00[0-9][1-9]-*.patch ;;
	rust-ftrace)
		use_rust_ftrace_toolchain
		apply_series rust-ftrace "port the patch to it, or use RLP_KVER=${SUPPORTED_KVERS%% *}" \
			"$RLP_TOP"/patches/rust-ftrace/*.patch ;;
	debian)
		. "$RLP_TOP/scripts/debian-kernel.sh"
		debian_build
		if [ -z "${RLP_DEBIAN_FLAVOUR:-}" ]; then
			ln -sfn "$KDIR" "$RLP_CACHE/debian/latest-$KVER"
			[ -n "${RLP_KVER:-}" ] || ln -sfn "$KDIR" "$RLP_CACHE/debian/latest"
		fi
		echo "$KDIR"
		exit 0 ;;
	esac
	build_kernel
	echo "$KSRC" > "$KDIR/.rlp-ksrc"
	echo "$RUSTC" > "$KDIR/.rlp-rustc"
	ln -sfn "$KDIR" "$RLP_CACHE/kernel/$(link_name "$KVER")"
	[ -n "${RLP_KVER:-}${RLP_KSRC:-}" ] || ln -sfn "$KDIR" "$RLP_CACHE/kernel/latest$VARIANT"
	echo "$KDIR"
	;;
kdir)
	if [ "${RLP_KERNEL:-}" = debian ]; then
		link=$RLP_CACHE/debian/latest${RLP_KVER:+-$RLP_KVER}
		[ -f "$link/.rlp-complete" ] || exit 1
		readlink -f "$link"
		exit 0
	fi
	if [ -n "${RLP_KSRC:-}" ]; then
		link=$(link_name)
	elif [ -n "${RLP_KVER:-}" ]; then
		link=$(link_name "$RLP_KVER")
	else
		link=latest$VARIANT
	fi
	[ -f "$RLP_CACHE/kernel/$link/.rlp-complete" ] || exit 1
	readlink -f "$RLP_CACHE/kernel/$link"
	;;
series)
	update_lists >&2
	select_series
	echo "$KVER"
	;;
ksrc)
	if [ -n "${RLP_KSRC:-}" ]; then
		user_source
	else
		update_lists >&2
		select_series
		resolve_series
		unpack_source >&2
	fi
	echo "$KSRC"
	;;
*)
	die "usage: $0 build|kdir|series|ksrc"
	;;
esac
