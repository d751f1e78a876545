#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Choosing the kernel to test fails early and in one line when the choice
# cannot work: a series Debian does not ship (RLP_KVER=6.1), before any
# kernel source is downloaded, naming the series it does ship; something
# that is not a series; a source tree (RLP_KSRC) that does not exist, or
# that was built in place.

KERNEL_SH=$RLP_TOP/scripts/kernel.sh
. "$RLP_TOP/scripts/lib.sh"

# refused(expected, env...) - kernel.sh build, run with env, fails with
#	one line of output (the progress lines aside) that contains expected
function refused() {
	local expected=$1 out errors
	shift
	out=$(env "$@" "$KERNEL_SH" build 2>&1) && { echo "$* kernel.sh build succeeded"; exit 1; }
	errors=$(grep -v '^==> \|^    ' <<< "$out")
	if [[ $(wc -l <<< "$errors") -ne 1 ]] || [[ "$errors" != *"$expected"* ]]; then
		echo -e "$*: expected one line with '$expected', got:\n$out"
		exit 1
	fi
	echo "$*: $errors"
}

before=$(ls "$RLP_CACHE/src" 2>/dev/null)
refused "Debian ships no linux-source-6.1; it ships" RLP_KVER=6.1
[[ "$(ls "$RLP_CACHE/src" 2>/dev/null)" == "$before" ]] ||
	{ echo "RLP_KVER=6.1 downloaded a kernel source"; exit 1; }
refused "give a kernel series, such as" RLP_KVER=latest

refused "not a kernel source tree" RLP_KSRC=/nonexistent
tree=$(mktemp -d)
trap 'rm -rf "$tree"' EXIT
printf 'VERSION = 7\nPATCHLEVEL = 3\n' > "$tree/Makefile"
touch "$tree/.config"
refused "run 'make mrproper' there" RLP_KSRC="$tree"
exit 0
