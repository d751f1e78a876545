#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What the livepatch API must refuse does not build. Each
# selftests/compile_fail/cf_*.rs misuses it in one way that would otherwise
# let safe code cause undefined behaviour (or hide what it asserts), and
# names, in its "//! expect: FILE[:LINE]: MESSAGE" lines, the errors rustc
# must report for it, in rustc's short format: the file and line of each
# (the line may be left out for an error inside the API's own code, a
# macro's), its code, message and label. Each file is built on its own, as
# an external module against KDIR, so that its errors cannot be taken for
# another's; it passes when it does not build and its errors are exactly
# those expected, no more, no fewer (warnings do not count). A file with a
# "//! needs: CONFIG_X" line is built only for a kernel that has CONFIG_X
# (Rust functions as targets: RLP_KERNEL=rust-ftrace). Where a rustc words
# an error differently, "//! expect(rustc X.Y): ..." lines replace a file's
# "//! expect:" lines for rustc X.Y (Debian's kernel is built by 1.85).

dir=$RLP_TOP/selftests/compile_fail
# Debian's kernel (RLP_KERNEL=debian): in the root of its toolchain.
in_root=""
[ ! -f "$KDIR/.rlp-root" ] || in_root="$RLP_TOP/scripts/toolchain-root.sh $(cat "$KDIR/.rlp-root")"
# shellcheck disable=SC2086 # the root's command and its path
rustc=$($in_root "$RLP_TOP/scripts/check-kdir.sh" "$KDIR") || exit 1
version=$($in_root "$rustc" --version | awk '{ split($2, v, "."); print v[1] "." v[2] }')
out=$(mktemp -d)
trap 'rm -rf "$out"; $in_root make -C "$KDIR" M="$dir" clean > /dev/null 2>&1' EXIT

# build NAME: build cf_NAME.o alone; its errors, one per line, in $out/NAME.
build() {
	# shellcheck disable=SC2086 # the root's command and its path
	$in_root make -C "$KDIR" M="$dir" RUSTC="$rustc" "$1.o" > "$out/$1.log" 2>&1 &&
		echo "built" > "$out/$1.built"
	# "file:line:col: error[...]: ...", the file relative to the project.
	sed -n 's|^\(\.\./\.\./\)*\([^ :]*\.rs\):\([0-9]*\):[0-9]*: \(error.*\)$|\2:\3: \4|p' \
		"$out/$1.log" | sed "s|^cf_|selftests/compile_fail/cf_|" > "$out/$1"
}
export -f build
export KDIR dir rustc out in_root
# needs FILE: the kernel option FILE needs, if KDIR lacks it.
needs() {
	local option
	option=$(sed -n 's|^//! needs: ||p' "$1")
	[ -z "$option" ] || grep -q "^$option=y" "$KDIR/include/config/auto.conf" || echo "$option"
}
for f in "$dir"/cf_*.rs; do
	[ -n "$(needs "$f")" ] || basename "$f" .rs
done | xargs -P "$(nproc)" -I{} bash -c 'build {}'

ret=0
for f in "$dir"/cf_*.rs; do
	name=$(basename "$f" .rs)
	if [ -n "$(needs "$f")" ]; then
		echo "$name: not built: this kernel lacks $(needs "$f")"
		continue
	fi
	expected=$(sed -n "s|^//! expect(rustc $version): ||p" "$f")
	[[ -n "$expected" ]] || expected=$(sed -n 's|^//! expect: ||p' "$f")
	if ! grep -q '^//! expect: ' "$f"; then
		echo "$name: no '//! expect:' line"
		ret=1
		continue
	fi
	if [[ -f "$out/$name.built" ]]; then
		echo "$name: it built"
		ret=1
		continue
	fi
	# Each error matches one expectation: "FILE:LINE: MSG" or "FILE: MSG"
	# (any line), MSG a prefix of the error.
	unmatched=$(awk -v expected="$expected" '
		BEGIN { n = split(expected, e, "\n"); for (i = 1; i <= n; i++) left[i] = 1 }
		{
			err = $0; hit = 0
			for (i = 1; i <= n && !hit; i++) {
				if (!left[i]) continue
				x = e[i]
				if (x ~ /^[^ :]+:[0-9]+: /) { if (index(err, x) == 1) hit = i }
				else {
					split(x, p, ": "); file = p[1]; msg = substr(x, length(file) + 3)
					if (index(err, file ":") == 1 && index(err, msg) > 0 &&
					    index(substr(err, index(err, ": ") + 2), msg) == 1) hit = i
				}
			}
			if (hit) left[hit] = 0; else print "unexpected: " err
		}
		END { for (i = 1; i <= n; i++) if (left[i]) print "missing:    " e[i] }' "$out/$name")
	if [[ -n "$unmatched" ]]; then
		echo "$name: its errors are not those expected"
		sed 's/^/  /' <<< "$unmatched"
		grep -q . "$out/$name" || tail -n 5 "$out/$name.log" | sed 's/^/  log: /'
		ret=1
	else
		echo "$name: $(head -n 1 "$out/$name")"
	fi
done
exit $ret
