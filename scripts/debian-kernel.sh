# SPDX-License-Identifier: GPL-2.0
#
# RLP_KERNEL=debian (sourced by kernel.sh): Debian's own binary kernel of
# the series, the upload of the linux-source package kernel.sh picked
# (KVER, DEB_VERSION, KSRC), built for nothing. debian_build sets KDIR:
#
#   $RLP_CACHE/debian/packages/<upload>-<flavour>  Debian's packages,
#       unpacked (no maintainer scripts, no initramfs): the image and modules
#       (usr/lib/modules/<abi>), the headers (usr/src/linux-headers-<abi>)
#   $RLP_CACHE/debian/<upload>-<flavour>  KDIR: what out-of-tree Rust
#       modules need that the headers lack (rust/, scripts/target.json),
#       made by `make modules_prepare` in linux-source-<series> (O=), with
#       Debian's .config and make variables (the headers' .kernelvariables,
#       which Debian's Makefile includes: KERNELRELEASE is the ABI, so the
#       vermagic matches) and the toolchain Debian used (debian-toolchain.sh);
#       then the headers' Module.symvers, against which modpost checks every
#       symbol a module needs, and vmlinux (BTF).
#
# KDIR's .rlp-root names the toolchain's root, where `make` builds modules
# against it (the Makefile); .rlp-boot the image the VMs boot (vm.sh),
# beside its modules, where virtme-ng finds them.
#
# RLP_DEBIAN_FLAVOUR: amd64 (default), cloud-amd64, rt-amd64.
# RLP_DEBIAN_HEADERS_ONLY=1: no image or modules (`make distro`: the
# running kernel's are installed).

DEBIAN_FLAVOUR=${RLP_DEBIAN_FLAVOUR:-amd64}

# The ABI (uname -r) of the binary kernel of upload DEB_VERSION.
debian_abi() {
	local pkg abi
	for pkg in $(apt-cache "${APT_OPTS[@]}" pkgnames "linux-headers-$KVER." 2>/dev/null |
		     grep -E "^linux-headers-${KVER//./\\.}\.[0-9.]+[^-]*-$DEBIAN_FLAVOUR\$" | sort -u); do
		abi=${pkg#linux-headers-}
		uploads "$pkg" | grep -qxF "$DEB_VERSION $SUITE" && { echo "$abi"; return; }
	done
	die "Debian has linux-source-$KVER $DEB_VERSION ($SUITE) but no $DEBIAN_FLAVOUR kernel of that upload (linux-headers-$KVER.*-$DEBIAN_FLAVOUR): try another series (RLP_KVER) or later"
}

# debian_unpack ROOT ABI: the packages, unpacked into ROOT (once).
debian_unpack() {
	local root=$1 abi=$2 pkgs p
	[ -f "$root/.rlp-complete" ] && return
	pkgs=("linux-headers-$abi")
	[ -n "${RLP_DEBIAN_HEADERS_ONLY:-}" ] ||
		pkgs+=("linux-base-$abi" "linux-binary-unsigned-$abi" "linux-modules-$abi")
	for p in "${pkgs[@]}"; do
		uploads "$p" | grep -qxF "$DEB_VERSION $SUITE" ||
			die "Debian has no $p $DEB_VERSION ($SUITE): this tool knows the packages of Debian's 7.x kernels (linux-base, linux-binary-unsigned, linux-modules, linux-headers)"
	done
	say "Downloading and unpacking Debian's kernel $abi ($DEB_VERSION, $SUITE): ${pkgs[*]}"
	rm -rf "$root" && mkdir -p "$root/debs"
	(cd "$root/debs" && run_logged debian-download apt-get "${APT_OPTS[@]}" download \
		"${pkgs[@]/%/=$DEB_VERSION}")
	run_logged debian-unpack sh -c "for d in '$root'/debs/*.deb; do dpkg-deb -x \"\$d\" '$root' || exit; done"
	rm -rf "$root/debs"
	# Merged /usr, as on the Debian that installs them; the module index
	# the packages leave to their postinst.
	ln -sfn usr/lib "$root/lib"
	if [ -d "$root/usr/lib/modules/$abi/kernel" ]; then
		run_logged debian-depmod depmod -b "$root" "$abi"
	fi
	touch "$root/.rlp-complete"
}

# debian_check_config KDIR DEBIAN_CONFIG: olddefconfig must have kept
# Debian's configuration, option for option.
debian_check_config() {
	local diff
	diff=$(diff <(grep -E '^(CONFIG_|# CONFIG_)' "$2") <(grep -E '^(CONFIG_|# CONFIG_)' "$1/.config") |
		sed -n 's/^[<>] //p' | sed -E 's/^# (CONFIG_[A-Za-z0-9_]*) is not set/\1=n/' | cut -d= -f1 | sort -u | head -n 5 | xargs)
	[ -z "$diff" ] ||
		die "the configuration differs from Debian's after olddefconfig ($diff): the toolchain is not the one Debian used; see $RLP_LOGS/debian-kernel-config.log"
}

# Every symbol the rebuilt Rust crates export (the names the modules will
# link to: Rust functions, mangled, and the C helpers) must be one Debian's
# kernel exports: the same rustc, crates and flags give the same names.
debian_check_exports() {
	local kdir=$1 names missing
	names=$(sed -n 's/^EXPORT_SYMBOL_RUST_GPL(\(.*\));$/\1/p' "$kdir"/rust/exports_*_generated.h | sort -u)
	[ -n "$names" ] ||
		die "modules_prepare made no rust/exports_*_generated.h in $kdir: cannot check the Rust symbols against Debian's"
	missing=$(comm -23 <(echo "$names") <(awk '{ print $2 }' "$kdir/Module.symvers" | sort -u))
	[ -z "$missing" ] ||
		die "$(wc -l <<< "$missing") symbols of the rebuilt Rust crates are not exported by Debian's kernel (first: $(head -n 1 <<< "$missing")): the Rust metadata does not match it"
	info "the rebuilt Rust crates export $(wc -l <<< "$names") symbols ($(grep -c '^_R' <<< "$names") Rust ones): Debian's kernel exports every one"
}

# Sets KDIR: Debian's kernel of upload DEB_VERSION, ready for `make -C KDIR M=...`.
debian_build() {
	local abi root hdr troot mk jobs
	abi=$(debian_abi)
	KDIR="$RLP_CACHE/debian/$DEB_VERSION-$DEBIAN_FLAVOUR"
	root="$RLP_CACHE/debian/packages/$DEB_VERSION-$DEBIAN_FLAVOUR"
	if [ -f "$KDIR/.rlp-complete" ] && [ -f "$root/.rlp-complete" ] &&
	   { [ -n "${RLP_DEBIAN_HEADERS_ONLY:-}" ] || [ -f "$KDIR/.rlp-boot" ]; }; then
		say "Debian's kernel $abi cached: ${KDIR/#$HOME/\~}"
		return
	fi
	[ -n "${RLP_DEBIAN_HEADERS_ONLY:-}" ] || [ ! -f "$root/.rlp-complete" ] ||
		[ -d "$root/usr/lib/modules/$abi/kernel" ] || rm -f "$root/.rlp-complete"
	debian_unpack "$root" "$abi"
	hdr="$root/usr/src/linux-headers-$abi"
	[ -f "$hdr/.config" ] && [ -f "$hdr/Module.symvers" ] && [ -f "$hdr/.kernelvariables" ] ||
		die "linux-headers-$abi $DEB_VERSION lacks .config, Module.symvers or .kernelvariables: not the layout this tool knows"
	grep -q '^CONFIG_RUST=y' "$hdr/.config" && grep -q '^CONFIG_LIVEPATCH=y' "$hdr/.config" ||
		die "Debian's kernel $abi is built without CONFIG_RUST or CONFIG_LIVEPATCH: it cannot load a Rust livepatch"
	troot=$("$RLP_TOP/scripts/debian-toolchain.sh" "$hdr/.config")

	# .rlp-prepared: modules_prepare is done, only the checks below are
	# left (they are run again).
	if [ ! -f "$KDIR/.rlp-prepared" ]; then
		say "Rebuilding the Rust metadata of $abi with Debian's configuration and toolchain (no kernel is compiled)"
		rm -rf "$KDIR" && mkdir -p "$KDIR"
		cp "$hdr/.config" "$KDIR/.config"
		# Debian's Makefile includes the build tree's .kernelvariables
		# (ARCH, CROSS_COMPILE, CC, KERNELRELEASE: the ABI, so that the
		# vermagic matches), here and in every `make -C KDIR M=...`.
		cp "$hdr/.kernelvariables" "$KDIR/.kernelvariables"
		info "Debian's make variables: $(grep -v '^#' "$hdr/.kernelvariables" | paste -sd';' | sed 's/;/; /g')"
		jobs=$(($(nproc) + 1))
		mk=("$RLP_TOP/scripts/toolchain-root.sh" "$troot" make -C "$KSRC" O="$KDIR")
		run_logged debian-kernel-config "${mk[@]}" olddefconfig
		debian_check_config "$KDIR" "$hdr/.config"
		info "configuration: Debian's, unchanged by olddefconfig"
		run_logged debian-modules-prepare "${mk[@]}" -j"$jobs" modules_prepare
		touch "$KDIR/.rlp-prepared"
	fi
	[ "$(cat "$KDIR/include/config/kernel.release")" = "$abi" ] ||
		die "$KDIR has kernel release $(cat "$KDIR/include/config/kernel.release"), not $abi"
	cp "$hdr/Module.symvers" "$KDIR/Module.symvers"
	# BTF only: modules get their BTF against it (CONFIG_DEBUG_INFO_BTF_MODULES).
	[ ! -f "$hdr/vmlinux" ] || cp "$hdr/vmlinux" "$KDIR/vmlinux"
	debian_check_exports "$KDIR"

	echo "$troot" > "$KDIR/.rlp-root"
	echo "$KSRC" > "$KDIR/.rlp-ksrc"
	echo "$abi $DEB_VERSION $SUITE" > "$KDIR/.rlp-debian"
	if [ -z "${RLP_DEBIAN_HEADERS_ONLY:-}" ]; then
		ls "$root/usr/lib/modules/$abi"/vmlinuz* 2>/dev/null | head -n 1 > "$KDIR/.rlp-boot" && [ -s "$KDIR/.rlp-boot" ] ||
			die "linux-binary-unsigned-$abi $DEB_VERSION has no usr/lib/modules/$abi/vmlinuz*: not the layout this tool knows"
	fi
	touch "$KDIR/.rlp-complete"
}
