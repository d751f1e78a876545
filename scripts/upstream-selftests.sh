#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# upstream-selftests.sh KDIR: build the kernel's own livepatch selftests
# (tools/testing/selftests/livepatch of KDIR's source: C test modules and
# the getpid helper) in a copy in the cache, for `make check-upstream`;
# print the copy's path.

set -e -o pipefail
. "$(dirname "$0")/lib.sh"

KDIR=$1
KSRC=$("$RLP_TOP/scripts/check-kdir.sh" --ksrc "$KDIR")
dir="$RLP_CACHE/upstream-selftests/$(basename "$KDIR")"

say "Building upstream's livepatch selftests from $KSRC into $dir"
mkdir -p "$dir"
cp -a "$KSRC/tools/testing/selftests/livepatch/." "$dir/"
# Debian's kernel (RLP_KERNEL=debian): in the root of its toolchain.
in_root=()
[ ! -f "$KDIR/.rlp-root" ] || in_root=("$RLP_TOP/scripts/toolchain-root.sh" "$(cat "$KDIR/.rlp-root")")
rustc=$("${in_root[@]}" "$RLP_TOP/scripts/check-kdir.sh" "$KDIR")
run_logged upstream-modules "${in_root[@]}" make -C "$KDIR" M="$dir/test_modules" RUSTC="$rustc" modules
run_logged upstream-helper gcc -O2 -o "$dir/test_klp-call_getpid" "$dir/test_klp-call_getpid.c"
echo "$dir"
