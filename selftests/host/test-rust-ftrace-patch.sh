#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The kernel patches of RLP_KERNEL=rust-ftrace (patches/rust-ftrace/) apply
# to the default series' source, in order, and are `checkpatch.pl --strict`
# clean but for the Signed-off-by their submitter adds.

ksrc=$(env -u RLP_KVER -u RLP_KSRC -u RLP_KERNEL "$RLP_TOP/scripts/kernel.sh" ksrc 2>/dev/null) ||
	{ echo "cannot get the default series' kernel source (scripts/kernel.sh ksrc)"; exit 1; }
tree=$(mktemp -d)
trap 'rm -rf "$tree"' EXIT
patches=("$RLP_TOP"/patches/rust-ftrace/*.patch)
# A copy of the files the patches touch is enough for `git apply`.
for f in $(sed -n 's|^diff --git a/\([^ ]*\) .*|\1|p' "${patches[@]}" | sort -u); do
	mkdir -p "$tree/$(dirname "$f")"
	cp "$ksrc/$f" "$tree/$f"
done
for p in "${patches[@]}"; do
	(cd "$tree" && git apply "$p") ||
		{ echo "${p#"$RLP_TOP"/} does not apply to $(basename "$ksrc")"; exit 1; }
	report=$("$ksrc/scripts/checkpatch.pl" --strict --no-tree "$p" 2>&1 |
		grep -E '^(ERROR|WARNING|CHECK):' | grep -v 'Missing Signed-off-by')
	[ -z "$report" ] || { echo "$report"; echo "${p##*/}: checkpatch.pl --strict reports the above"; exit 1; }
	echo "${p##*/}: applies to $(basename "$ksrc"), checkpatch.pl --strict clean"
done
