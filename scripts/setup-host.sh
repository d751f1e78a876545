#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install what building a Rust-enabled kernel and booting it under
# virtme-ng needs on Debian 12, and only what is missing. Idempotent.

set -e
. "$(dirname "$0")/lib.sh"

BINDGEN_VERSION=0.72.1
VIRTME_NG_VERSION=1.42

# Debian packages and why each is needed.
PACKAGES=(
	rustc-web		# rustc >= 1.85 (kernel 7.2 minimum), as /usr/bin/rustc
	rust-web-src		# the core library sources the kernel compiles
	rust-web-clippy		# clippy-driver matching that rustc (make CLIPPY=1)
	libclang-19-dev		# libclang >= 17 for bindgen
	bc bison flex libelf-dev libssl-dev cpio kmod	# kernel build
	xz-utils		# the kernel source tarball
	qemu-system-x86		# the VM
	udev			# virtme-ng-init finds its virtio ports through udev
	busybox-static		# virtme-ng's initramfs
	python3-venv		# virtme-ng is installed into a venv in the cache
	rsync			# kselftest's run_tests copies the tests with it
)

missing=()
for p in $(printf '%s\n' "${PACKAGES[@]}" | sed 's/#.*//'); do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	say "Installing Debian packages: ${missing[*]}"
	run_logged apt-update as_root apt-get update
	run_logged apt-install as_root env DEBIAN_FRONTEND=noninteractive \
		apt-get install -y --no-install-recommends "${missing[@]}"
fi

[ -x /usr/bin/rustc ] || die "/usr/bin/rustc missing: install Debian's rustc-web"

if ! bindgen --version 2>/dev/null | grep -qF "$BINDGEN_VERSION"; then
	command -v cargo >/dev/null ||
		die "cargo not found: install Rust with rustup (or Debian's cargo-web) to build bindgen-cli"
	say "Building bindgen-cli $BINDGEN_VERSION with cargo (about a minute)"
	run_logged bindgen-install cargo install --locked --root "$RLP_CACHE/tools" \
		bindgen-cli --version "$BINDGEN_VERSION"
fi

if ! vng --version 2>/dev/null | grep -qF "$VIRTME_NG_VERSION"; then
	say "Installing virtme-ng $VIRTME_NG_VERSION from PyPI into $RLP_CACHE/venv"
	run_logged virtme-ng-install sh -c "python3 -m venv '$RLP_CACHE/venv' &&
		'$RLP_CACHE/venv/bin/pip' install 'virtme-ng==$VIRTME_NG_VERSION'"
fi
say "Host tools ready: $(/usr/bin/rustc --version), $(bindgen --version), vng $(vng --version | awk '{print $NF}')"
