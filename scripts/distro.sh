#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make distro`: on a Debian machine running Debian's own kernel, build
# rust_livepatch.ko (and the project's other modules) for that kernel, and
# say how to try it. Nothing is installed into the system but debootstrap
# and xz-utils if missing: the kernel's source and headers and the exact
# toolchain Debian built it with go to the cache, as for RLP_KERNEL=debian
# (scripts/debian-kernel.sh, scripts/debian-toolchain.sh).
#
#   distro.sh          check the running kernel, build, print the insmod lines
#   distro.sh --check  only check that the running kernel is one this serves
#
# RLP_DISTRO_ABI=<uname -r> RLP_DISTRO_UPLOAD=<Debian version>: build for
# that kernel instead of the running one.

set -e -o pipefail
. "$(dirname "$0")/lib.sh"

# The running kernel: its ABI, and the upload it came from, which its
# version string names ("#1 SMP PREEMPT_DYNAMIC Debian 7.3.4-1~bpo13+1 (...)").
abi=${RLP_DISTRO_ABI:-$(uname -r)}
upload=${RLP_DISTRO_UPLOAD:-$(uname -v | sed -n 's/.* Debian \([^ ]*\) .*/\1/p')}
[ -f /etc/debian_version ] ||
	die "not a Debian system (no /etc/debian_version): make distro builds for Debian's own kernels; elsewhere use make KDIR=<your kernel's build tree>"
[[ "$abi" =~ ^([0-9]+\.[0-9]+)\.[0-9]+\+deb[0-9]+-(amd64|cloud-amd64|rt-amd64)$ ]] ||
	die "kernel $abi is not one of Debian's Rust-enabled amd64 kernels (their release looks like 7.3.4+deb13-amd64): boot one (apt-get install -t trixie-backports linux-image-amd64), or use make KDIR=<your kernel's build tree>"
series=${BASH_REMATCH[1]} flavour=${BASH_REMATCH[2]}
[ -n "$upload" ] ||
	die "kernel $abi: its version string ('$(uname -v)') names no Debian upload: not a kernel Debian built"
config=""
for f in "/boot/config-$abi" "/usr/lib/modules/$abi/config" "/lib/modules/$abi/config"; do
	[ -f "$f" ] && config=$f && break
done
if [ -n "$config" ]; then
	grep -q '^CONFIG_LIVEPATCH=y' "$config" ||
		die "kernel $abi is built without CONFIG_LIVEPATCH ($config): it cannot load a livepatch"
	grep -q '^CONFIG_RUST=y' "$config" ||
		die "kernel $abi is built without CONFIG_RUST ($config): it cannot load a Rust module"
fi
[[ " $SUPPORTED_KVERS " == *" $series "* ]] ||
	info "kernel series $series is not one this project was tested on ($SUPPORTED_KVERS): trying it"
say "Kernel $abi, Debian upload $upload${config:+, config $config}: Rust and livepatch enabled"
[ "${1:-}" != --check ] || exit 0

missing=()
for p in debootstrap xz-utils; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	say "Installing Debian packages: ${missing[*]}"
	run_logged apt-install as_root env DEBIAN_FRONTEND=noninteractive \
		apt-get install -y --no-install-recommends "${missing[@]}"
fi

KDIR=$(RLP_KERNEL=debian RLP_KVER=$series RLP_DEBIAN_UPLOAD=$upload RLP_DEBIAN_FLAVOUR=$flavour \
	RLP_DEBIAN_HEADERS_ONLY=1 "$RLP_TOP/scripts/kernel.sh" build)
read -r built _ < "$KDIR/.rlp-debian"
[ "$built" = "$abi" ] || die "the build tree of upload $upload is for $built, not $abi"

say "Building the modules against ${KDIR/#$HOME/\~}"
run_logged distro-modules make -C "$RLP_TOP" KDIR="$KDIR" -j"$(($(nproc) + 1))"
ko="$RLP_TOP/rust_livepatch.ko"
vermagic=$(modinfo -F vermagic "$ko")
[ "${vermagic%% *}" = "$abi" ] || die "$ko has vermagic '$vermagic', not $abi"

say "rust_livepatch.ko for $abi (vermagic: $vermagic)"
cat <<EOF
Try it, as root:
  insmod $ko
  cat /proc/cmdline                                    # rust_livepatch: this has been live patched
  cat /sys/kernel/livepatch/rust_livepatch/transition  # 0 once every task runs the new code
  echo 0 > /sys/kernel/livepatch/rust_livepatch/enabled
  rmmod rust_livepatch
The module is not signed: the kernel loads it and taints itself (dmesg:
"module verification failed"). Under Secure Boot (lockdown) it refuses it
until it is signed with a key enrolled as a MOK: see docs/debian-kernel.md.
EOF
lockdown=$(cat /sys/kernel/security/lockdown 2>/dev/null || true)
if [[ -n "$lockdown" && "$lockdown" != *"[none]"* ]]; then
	echo "This kernel is locked down ($lockdown): sign the module first (docs/debian-kernel.md)."
fi
