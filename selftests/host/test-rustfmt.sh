#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Every Rust file of the project is formatted as rustfmt, with the kernel's
# .rustfmt.toml, formats it (`make rustfmtcheck`).

out=$(make -s -C "$RLP_TOP" KDIR="$KDIR" rustfmtcheck 2>&1) && exit 0
# Without rustfmt's colours.
sed 's/\x1b[[(][0-9;]*[mB]//g' <<< "$out" | head -n 40
echo "Rust files not formatted as rustfmt would: run 'make rustfmt'"
exit 1
