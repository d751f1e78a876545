#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# rust-ftrace-toolchain.sh: set up (once) the rustc of RLP_KERNEL=rust-ftrace
# and print the directory of its `rustc` and `rustdoc`.
#
# Only rustc >= 1.98 has `-Zinstrument-mcount=fentry`. Debian ships it in
# experimental, built for a newer glibc, libstdc++ and LLVM than Debian 12
# has. The .debs of that rustc, and of the libraries it needs that Debian
# 12 lacks (from trixie), are unpacked into the cache, keyed by the rustc
# upload, and the tools are started through the unpacked dynamic loader.
# Nothing is installed into the system, and its apt configuration is not
# touched: the packages come through the private apt state of
# debian-apt.sh.

set -e -o pipefail
. "$(dirname "$0")/lib.sh"

MIN_RUSTC=1.98
# The upload the variant was tested with, used as long as it is cached or
# Debian has it; RLP_RUST_FTRACE_RUSTC=<upload> picks another.
TESTED=1.98.1+dfsg1-1~exp1
# Libraries of the newer rustc that Debian 12 has too old or not at all;
# the others (libffi8, libedit2, libxml2, zlib) come with libclang-19-dev.
LIBS_TRIXIE=(libc6 libstdc++6 libgcc-s1 libz3-4 libzstd1)

version=${RLP_RUST_FTRACE_RUSTC:-$TESTED}
if [ -f "$RLP_CACHE/toolchains/rustc-$version/.rlp-complete" ]; then
	echo "$RLP_CACHE/toolchains/rustc-$version/bin"
	exit 0
fi

. "$RLP_TOP/scripts/debian-apt.sh"
update_lists
suite=$(uploads rustc | awk -v v="$version" '$1 == v { print $2; exit }')
if [ -z "$suite" ]; then
	[ -z "${RLP_RUST_FTRACE_RUSTC:-}" ] ||
		die "RLP_RUST_FTRACE_RUSTC=$version: Debian has no such rustc upload; it has: $(uploads rustc | cut -d' ' -f1 | xargs)"
	# The newest upload of rustc at MIN_RUSTC or newer, in any suite.
	read -r version suite < <(uploads rustc |
		awk -v min="$MIN_RUSTC" '{ split($1, v, /[.+~-]/); split(min, m, ".");
			if (v[1] > m[1] || (v[1] == m[1] && v[2] >= m[2])) print }' | head -n 1) ||
		die "Debian ships no rustc >= $MIN_RUSTC ($(uploads rustc | head -n 1 | cut -d' ' -f1) is the newest): RLP_KERNEL=rust-ftrace needs -Zinstrument-mcount=fentry"
	info "rustc $TESTED, which RLP_KERNEL=rust-ftrace was tested with, is gone from Debian: trying $version"
fi
series=$(echo "$version" | sed 's/^\([0-9]*\.[0-9]*\).*/\1/')
dir="$RLP_CACHE/toolchains/rustc-$version"
if [ ! -f "$dir/.rlp-complete" ]; then
	# libstd-rust-X.Y links the LLVM it was built with.
	llvm=$(apt-cache "${APT_OPTS[@]}" show "libstd-rust-$series=$version" |
		sed -n 's/^Depends:.*\(libllvm[0-9]*\).*/\1/p' | head -n 1)
	[ -n "$llvm" ] || die "libstd-rust-$series $version: no libllvm among its dependencies; see 'apt-cache show' of it"
	say "Setting up rustc $version ($suite) for RLP_KERNEL=rust-ftrace in ${dir/#$HOME/\~} (about 150 MB of .debs)"
	rm -rf "$dir" && mkdir -p "$dir/debs"
	pkgs=("rustc=$version" "libstd-rust-$series=$version" "libstd-rust-dev=$version"
	      "rust-src=$version" "$llvm/trixie")
	for p in "${LIBS_TRIXIE[@]}"; do pkgs+=("$p/trixie"); done
	(cd "$dir/debs" && run_logged rust-ftrace-download apt-get "${APT_OPTS[@]}" download "${pkgs[@]}")
	run_logged rust-ftrace-unpack sh -c "for d in '$dir'/debs/*.deb; do dpkg-deb -x \"\$d\" '$dir/root' || exit; done"
	rm -rf "$dir/debs"
	mkdir -p "$dir/bin"
	lib="$dir/root/usr/lib/x86_64-linux-gnu"
	for tool in rustc rustdoc; do
		# rustc finds its sysroot from librustc_driver's path, not from
		# its own (which is the loader's here).
		printf '#!/bin/sh\nexec %q --library-path %q %q "$@"\n' \
			"$lib/ld-linux-x86-64.so.2" "$lib" "$dir/root/usr/bin/$tool" > "$dir/bin/$tool"
		chmod +x "$dir/bin/$tool"
	done
	"$dir/bin/rustc" --version | grep -q "^rustc $series" ||
		die "the unpacked rustc $version does not run; see $RLP_LOGS/rust-ftrace-unpack.log"
	touch "$dir/.rlp-complete"
fi
echo "$dir/bin"
