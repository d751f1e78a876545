#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# debian-toolchain.sh CONFIG: set up (once) the toolchain that built a
# Debian kernel, as its .config (CONFIG) records it, and print the root it
# runs in (scripts/toolchain-root.sh runs a command there).
#
# An out-of-tree Rust module must be built by the very rustc that built
# the kernel (CONFIG_RUSTC_VERSION_TEXT), and the kernel's Rust metadata
# with the same bindgen (CONFIG_BINDGEN_VERSION_TEXT) and gcc
# (CONFIG_CC_VERSION_TEXT). Debian builds a suite's kernels with that
# suite's packages, made for a newer glibc than Debian 12's: they run in a
# minimal root of the suite that ships that rustc (debootstrap minbase),
# with the exact uploads installed, cached in
# $RLP_CACHE/debian/toolchain/<suite>-rustc-<upload>. Nothing is installed
# into the system. A kernel whose rustc no Debian suite ships is refused,
# in one line.

set -e -o pipefail
. "$(dirname "$0")/lib.sh"
. "$RLP_TOP/scripts/debian-apt.sh"

CONFIG=$1
[ -f "$CONFIG" ] || die "usage: $0 <kernel .config>"
config_text() { sed -n "s/^$1=\"\(.*\)\"$/\1/p" "$CONFIG"; }
rustc_text=$(config_text CONFIG_RUSTC_VERSION_TEXT)
bindgen_text=$(config_text CONFIG_BINDGEN_VERSION_TEXT)
cc_text=$(config_text CONFIG_CC_VERSION_TEXT)
[ -n "$rustc_text" ] && [ -n "$bindgen_text" ] ||
	die "$CONFIG: no CONFIG_RUSTC_VERSION_TEXT or CONFIG_BINDGEN_VERSION_TEXT: not a kernel built with Rust"
rustc_version=$(awk '{ print $2 }' <<< "$rustc_text")	# rustc 1.85.1 (...)
bindgen_version=$(awk '{ print $2 }' <<< "$bindgen_text")	# bindgen 0.71.1
# x86_64-linux-gnu-gcc-14 (Debian 14.2.0-19) 14.2.0: package gcc-14, 14.2.0-19
cc=${cc_text%% *}
gcc_pkg=gcc-${cc##*-gcc-}
gcc_upload=$(sed -n 's/.*(Debian \([^)]*\)).*/\1/p' <<< "$cc_text")
[[ "$cc" == *-gcc-* ]] && [ -n "$gcc_upload" ] ||
	die "$CONFIG: built by '$cc_text', not a gcc of Debian's: this tool knows how to find only Debian's toolchains"

update_lists >&2

# matching PACKAGE VERSION [SUITE...]: "upload suite" lines of the uploads
# of PACKAGE whose upstream version is VERSION, in the suites given (all
# if none).
matching() {
	local pkg=$1 version=$2
	shift 2
	uploads "$pkg" | awk -v v="$version" -v suites=" $* " '
		(index($1, v "+") == 1 || index($1, v "-") == 1) &&
		(suites == "  " || index(suites, " " $2 " "))'
}

# The suite: one that ships this rustc, and the bindgen too (a backports
# suite with its base). A release suite before a backports one.
suite="" rustc_upload=""
while read -r upload s; do
	base=${s%-backports}
	bindgen_upload=$(matching bindgen "$bindgen_version" "$s" "$base" | sed -n 1p | cut -d" " -f1)
	if [ -n "$bindgen_upload" ]; then
		suite=$s rustc_upload=$upload
		break
	fi
done < <(matching rustc "$rustc_version" | awk '{ print ($2 ~ /-backports$/), $0 }' |
	 sort -s -n -k1,1 | cut -d' ' -f2-)
if [ -z "$suite" ]; then
	if [ -z "$(matching rustc "$rustc_version")" ]; then
		die "this kernel was built by $rustc_text, which no Debian suite ships (${SUITES[*]} have rustc $(uploads rustc | cut -d' ' -f1 | sed 's/+.*//' | sort -uV | xargs)): its Rust modules cannot be built"
	fi
	die "this kernel was built by $bindgen_text, which no Debian suite that ships its rustc $rustc_version has (bindgen $(uploads bindgen | cut -d' ' -f1 | xargs)): its Rust metadata cannot be rebuilt"
fi
base=${suite%-backports}
gcc_pin=""
if matching "$gcc_pkg" "${gcc_upload%-*}" "$suite" "$base" | grep -q "^$gcc_upload "; then
	gcc_pin="=$gcc_upload"
fi

# What the kernel's build (modules_prepare, then external modules) runs:
# the exact compilers (rustfmt: bindgen formats the bindings with it;
# clippy: make CLIPPY=1), and the tools Kbuild and Kconfig probe (pahole:
# CONFIG_PAHOLE_VERSION; openssl: CONFIG_OPENSSL_SUPPORTS_ML_DSA; without
# them the configuration would differ from Debian's); python3 for make
# rust-analyzer.
pkgs=("rustc=$rustc_upload" "rust-src=$rustc_upload" "bindgen=$bindgen_upload"
      "$gcc_pkg$gcc_pin" libc6-dev libclang-dev make flex bison bc libelf-dev
      libssl-dev openssl cpio kmod pahole python3)
for p in rustfmt rust-clippy; do
	! uploads "$p" | grep -qF "$rustc_upload " || pkgs+=("$p=$rustc_upload")
done

root="$RLP_CACHE/debian/toolchain/$suite-rustc-$rustc_upload"
if [ ! -f "$root/.rlp-complete" ]; then
	say "Setting up the toolchain of this Debian kernel: rustc $rustc_upload, bindgen $bindgen_upload, $gcc_pkg${gcc_pin:+ $gcc_upload} ($suite), in a minimal $base root"
	info "in ${root/#$HOME/\~} (about 3 minutes, 1.7 GB)"
	command -v debootstrap > /dev/null ||
		die "debootstrap is missing: install it (apt-get install debootstrap), or run scripts/setup-host.sh with RLP_KERNEL=debian"
	mirror=$(debian_mirror)
	tmp="$root.tmp"
	as_root rm -rf "$tmp"
	mkdir -p "$(dirname "$root")"
	run_logged debian-toolchain-debootstrap as_root debootstrap --variant=minbase "$base" "$tmp" "$mirror"
	{
		echo "deb $mirror $base main"
		[ "$suite" = "$base" ] || echo "deb $mirror $suite main"
	} | as_root tee "$tmp/etc/apt/sources.list" > /dev/null
	as_root mv "$tmp" "$root"
	# toolchain-root.sh runs only in a complete root; what it has so far
	# is the base, no package of the list.
	echo base | as_root tee "$root/.rlp-complete" > /dev/null
fi
# The packages, when the root lacks some (a new root, or a list changed).
# The root's apt follows the system's on expired Release files (a mirror
# snapshot may serve them).
if [ "$(cat "$root/.rlp-complete")" != "${pkgs[*]}" ]; then
	apt_opts=$(apt-config dump | sed -n 's/^\(Acquire::Check-\(Valid-Until\|Date\)\) "\(.*\)";$/-o \1=\3/p' | xargs)
	run_logged debian-toolchain-install "$RLP_TOP/scripts/toolchain-root.sh" "$root" \
		sh -c "apt-get $apt_opts update && DEBIAN_FRONTEND=noninteractive apt-get $apt_opts install -y --no-install-recommends $(printf '%q ' "${pkgs[@]}") && apt-get clean"
	echo "${pkgs[*]}" | as_root tee "$root/.rlp-complete" > /dev/null
fi

# The tools must say what the kernel recorded.
got=$("$RLP_TOP/scripts/toolchain-root.sh" "$root" rustc --version)
[ "$got" = "$rustc_text" ] ||
	die "the rustc in ${root/#$HOME/\~} says '$got', the kernel was built by '$rustc_text': remove that directory and try again"
got=$("$RLP_TOP/scripts/toolchain-root.sh" "$root" bindgen --version)
[ "$got" = "$bindgen_text" ] ||
	die "the bindgen in ${root/#$HOME/\~} says '$got', the kernel was built by '$bindgen_text': remove that directory and try again"
got=$("$RLP_TOP/scripts/toolchain-root.sh" "$root" "$cc" --version | head -n 1)
[ "$got" = "$cc_text" ] ||
	info "warning: the kernel was built by '$cc_text', the root has '$got' (Debian has no other upload of $gcc_pkg in $suite): close, not exact"
echo "$root"
