#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make KDIR=<tree>` refuses, before building anything, a kernel build tree
# that cannot build or load a Rust livepatch: one without CONFIG_LIVEPATCH,
# one without CONFIG_RUST, one without the Rust build metadata (as in
# distribution header packages). Each refusal is one line naming the cause.

# Runs on the host: it needs make and the built tree, not a guest.

. "$RLP_TOP/scripts/lib.sh"

# fake_kdir(sed_script, with_rust) - a copy of KDIR's configuration edited
#	by sed_script, with or without its Rust build metadata, in $FAKE
function fake_kdir() {
	FAKE=$(mktemp -d)
	mkdir -p "$FAKE/include/config"
	sed -e "$1" "$KDIR/include/config/auto.conf" > "$FAKE/include/config/auto.conf"
	if [[ "$2" == "with_rust" ]]; then
		mkdir -p "$FAKE/rust/bindings"
		cp "$KDIR/rust/libkernel.rmeta" "$FAKE/rust/"
		cp "$KDIR/rust/bindings/.bindings_generated.rs.cmd" "$FAKE/rust/bindings/"
	fi
}

# check_refused(expected) - make against $FAKE fails with expected and
#	does not start building
function check_refused() {
	local out

	out=$(make -C "$RLP_TOP" KDIR="$FAKE" 2>&1) &&
		die "make KDIR=$FAKE succeeded"
	rm -rf "$FAKE"
	if [[ "$out" != *"$1"* ]] || [[ "$out" == *BINDGEN* ]] || [[ "$out" == *RUSTC* ]]; then
		echo -e "not ok\n\n$out\n"
		die "expected a refusal before building: '$1'"
	fi
}

echo -n "TEST: KDIR without CONFIG_LIVEPATCH is refused ... "
fake_kdir '/^CONFIG_LIVEPATCH=/d' with_rust
check_refused "kernel built without CONFIG_LIVEPATCH: it cannot load livepatches"
echo "ok"

echo -n "TEST: KDIR without CONFIG_RUST is refused ... "
fake_kdir '/^CONFIG_RUST=/d' with_rust
check_refused "kernel built without CONFIG_RUST: it cannot load Rust modules"
echo "ok"

echo -n "TEST: KDIR without Rust build metadata is refused ... "
fake_kdir '' no_rust
check_refused "no Rust build metadata (rust/libkernel.rmeta)"
echo "ok"

exit 0
