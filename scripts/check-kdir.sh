#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check-kdir.sh KDIR: refuse, in one line, a kernel build tree that a Rust
# livepatch cannot be built against or loaded into; print the rustc that
# built it (RUSTC, the one the project's kernel.sh used, rustc on PATH or
# /usr/bin/rustc, whichever matches).
# check-kdir.sh --ksrc KDIR: print its source tree.

fail() { echo "KDIR=$kdir: $*" >&2; exit 1; }

if [ "$1" = --ksrc ]; then
	kdir=$2
	[ -e "$kdir/source" ] && readlink -f "$kdir/source" || readlink -f "$kdir"
	exit 0
fi

kdir=$1
cfg=$kdir/include/config/auto.conf
[ -d "$kdir" ] || fail "no such directory; point KDIR at a kernel build tree"
[ -f "$cfg" ] || fail "not a configured kernel build tree (no include/config/auto.conf)"
grep -q '^CONFIG_LIVEPATCH=y' "$cfg" ||
	fail "kernel built without CONFIG_LIVEPATCH: it cannot load livepatches"
grep -q '^CONFIG_RUST=y' "$cfg" ||
	fail "kernel built without CONFIG_RUST: it cannot load Rust modules"
[ -f "$kdir/rust/libkernel.rmeta" ] && [ -f "$kdir/rust/bindings/.bindings_generated.rs.cmd" ] ||
	fail "no Rust build metadata (rust/libkernel.rmeta); distribution header packages lack it, use a full build tree (on Debian's own kernel: make distro)"

want=$(sed -n 's/^CONFIG_RUSTC_VERSION_TEXT="\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' "$cfg")
for rustc in ${RUSTC:-} $(cat "$kdir/.rlp-rustc" 2>/dev/null) rustc /usr/bin/rustc; do
	if [ "$("$rustc" --version 2>/dev/null)" = "$want" ]; then
		command -v "$rustc"
		exit 0
	fi
done
fail "built with $want, which is not rustc on PATH; pass RUSTC=<path of that rustc>"
