#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install what building a Rust-enabled kernel and booting it under
# virtme-ng needs on Debian 12, and only what is missing. Idempotent.
# Everything comes from Debian's packages (or, for bindgen-cli and
# virtme-ng, from crates.io and PyPI into the cache), so a minimal Debian 12
# with nothing but git, make and sudo is enough: the project never relies on
# tools the user may have installed some other way (rustup, pip --user).

set -e
. "$(dirname "$0")/lib.sh"

BINDGEN_VERSION=0.72.1
VIRTME_NG_VERSION=1.42

# Debian packages and why each is needed.
PACKAGES=(
	rustc-web		# rustc >= 1.85 (kernel 7.2 minimum), as /usr/bin/rustc
	rust-web-src		# the core library sources the kernel compiles
	rust-web-clippy		# clippy-driver matching that rustc (make CLIPPY=1)
	rustfmt-web		# /usr/bin/rustfmt: the kernel formats its bindings, make rustfmt
	cargo-web		# /usr/bin/cargo, to build bindgen-cli
	libclang-19-dev		# libclang >= 17 for bindgen
	bc bison flex libelf-dev libssl-dev cpio kmod	# kernel build
	perl			# kernel build scripts, checkpatch.pl
	python3			# kernel scripts (rust-analyzer), bench report
	xz-utils		# the kernel source tarball
	qemu-system-x86		# the VM
	udev			# virtme-ng-init finds its virtio ports through udev
	busybox-static		# virtme-ng's initramfs
	python3-venv		# virtme-ng is installed into a venv in the cache
	rsync			# kselftest's run_tests copies the tests with it
	procps			# sysctl, ps, pkill: upstream's livepatch functions.sh
	iproute2		# ip: virtme-ng-init brings up the guest's loopback
)
# RLP_KERNEL=debian: the toolchain Debian built its kernel with runs in a
# chroot of its suite; virtme-ng reads the version of Debian's image with
# `file`.
[ "${RLP_KERNEL:-}" != debian ] || PACKAGES+=(debootstrap file)
# RLP_KERNEL=btf: pahole makes the kernel's BTF from its DWARF.
[ "${RLP_KERNEL:-}" != btf ] || PACKAGES+=(dwarves)

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

for tool in rustc rustdoc rustfmt cargo clippy-driver; do
	[ -x /usr/bin/$tool ] || die "/usr/bin/$tool missing although its Debian package is installed: reinstall ${tool/clippy-driver/rust-web-clippy}"
done

# Debian's cargo, whatever else is on PATH: the bindgen that builds the
# kernel must not depend on a toolchain the project did not install.
# Debian's kernel (RLP_KERNEL=debian) is built with its own bindgen, in the
# root of its toolchain: none is built here.
if [ "${RLP_KERNEL:-}" != debian ] &&
   ! "$RLP_CACHE/tools/bin/bindgen" --version 2>/dev/null | grep -qF "$BINDGEN_VERSION"; then
	say "Building bindgen-cli $BINDGEN_VERSION with Debian's cargo (about 2 minutes)"
	run_logged bindgen-install env CARGO_HOME="$RLP_CACHE/cargo" \
		/usr/bin/cargo install --locked --root "$RLP_CACHE/tools" \
		bindgen-cli --version "$BINDGEN_VERSION"
fi

if ! "$RLP_CACHE/venv/bin/vng" --version 2>/dev/null | grep -qF "$VIRTME_NG_VERSION"; then
	say "Installing virtme-ng $VIRTME_NG_VERSION from PyPI into $RLP_CACHE/venv"
	run_logged virtme-ng-install sh -c "python3 -m venv '$RLP_CACHE/venv' &&
		'$RLP_CACHE/venv/bin/pip' install 'virtme-ng==$VIRTME_NG_VERSION'"
fi
say "Host tools ready: $(/usr/bin/rustc --version | cut -d' ' -f1-2), $("$RLP_CACHE/tools/bin/bindgen" --version 2>/dev/null || echo "no bindgen (RLP_KERNEL=debian has its own)"), vng $("$RLP_CACHE/venv/bin/vng" --version | awk '{print $NF}')"
