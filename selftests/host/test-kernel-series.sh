#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Choosing the kernel to test fails early and in one line when the choice
# cannot work: a series Debian does not ship (RLP_KVER=6.1), before any
# kernel source is downloaded, naming the series it does ship; something
# that is not a series; a source tree (RLP_KSRC) that does not exist, or
# that was built in place; RLP_KSRC with Debian's own kernel; a Debian
# kernel built by a rustc that no Debian suite ships.

KERNEL_SH=$RLP_TOP/scripts/kernel.sh
. "$RLP_TOP/scripts/lib.sh"

# refused(expected, env...) - kernel.sh build, run with env, fails with
#	one line of output (the progress lines aside) that contains expected
function refused() {
	local expected=$1 out errors
	shift
	out=$(env -u RLP_KERNEL "$@" "$KERNEL_SH" build 2>&1) && { echo "$* kernel.sh build succeeded"; exit 1; }
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
refused "unset RLP_KSRC" RLP_KERNEL=debian RLP_KSRC="$tree"

# Debian's kernel (RLP_KERNEL=debian, make distro): one built by a rustc no
# Debian suite ships is refused, in one line.
cat > "$tree/config" <<'EOF'
CONFIG_RUSTC_VERSION_TEXT="rustc 1.84.9 (0000000 2025-01-01)"
CONFIG_BINDGEN_VERSION_TEXT="bindgen 0.71.1"
CONFIG_CC_VERSION_TEXT="x86_64-linux-gnu-gcc-14 (Debian 14.2.0-19) 14.2.0"
EOF
out=$("$RLP_TOP/scripts/debian-toolchain.sh" "$tree/config" 2>&1) &&
	{ echo "debian-toolchain.sh accepted a kernel built by rustc 1.84.9"; exit 1; }
errors=$(grep -v '^==> \|^    ' <<< "$out")
if [[ $(wc -l <<< "$errors") -ne 1 ]] || [[ "$errors" != *"rustc 1.84.9"*"which no Debian suite ships"* ]]; then
	echo -e "rustc 1.84.9: expected one line saying no Debian suite ships it, got:\n$out"
	exit 1
fi
echo "rustc 1.84.9: $errors"
exit 0
