#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What the livepatch API must refuse does not build. Each
# selftests/compile_fail/cf_*.rs misuses it in one way that would otherwise
# let safe code cause undefined behaviour (or hide what it asserts), and
# names, in its "//! expect:" line, the error rustc must report for it.
# They are built as external modules against KDIR, as the project's
# modules are; none may build, and each must fail with an error that has
# every "expect:" text of its file (in its first line or its labels and
# notes).

dir=$RLP_TOP/selftests/compile_fail
# Debian's kernel (RLP_KERNEL=debian): in the root of its toolchain.
in_root=()
[ ! -f "$KDIR/.rlp-root" ] || in_root=("$RLP_TOP/scripts/toolchain-root.sh" "$(cat "$KDIR/.rlp-root")")
rustc=$("${in_root[@]}" "$RLP_TOP/scripts/check-kdir.sh" "$KDIR") || exit 1
mk=("${in_root[@]}" make -C "$KDIR" M="$dir" RUSTC="$rustc")

"${mk[@]}" clean > /dev/null 2>&1
out=$("${mk[@]}" -k -j"$(nproc)" modules 2>&1)
# "<file>\t<error>\t<its text>" for each error rustc reports in a cf_*.rs
# file ("-->", or ":::" for an error in a macro that file invokes); the
# text is that of the error's labels and notes, up to the next error.
errors=$(awk 'function flush(f) { for (f in files) print f "\t" e "\t" body; delete files }
	      /^error/ { flush(); e = $0; body = ""; next }
	      e != "" { body = body " " $0 }
	      /^ *(-->|:::) cf_[a-z_]*\.rs:/ { f = $2; sub(/:.*/, "", f); if (e != "") files[f] = 1 }
	      END { flush() }' <<< "$out")
"${mk[@]}" clean > /dev/null 2>&1

# Where rustc words an error differently, a file gives the expectations of
# that rustc as "//! expect(rustc X.Y): ...", used instead of its
# "//! expect:" lines when the kernel's rustc is X.Y.
version=$("${in_root[@]}" "$rustc" --version | awk '{ split($2, v, "."); print v[1] "." v[2] }')

ret=0
for f in "$dir"/cf_*.rs; do
	name=${f##*/}
	found=$(awk -F'\t' -v n="$name" '$1 == n' <<< "$errors" | cut -f2-)
	expects=$(sed -n "s|^//! expect(rustc $version): ||p" "$f")
	[ -n "$expects" ] || expects=$(sed -n 's|^//! expect: ||p' "$f")
	matching=$found
	while read -r expect; do
		matching=$(grep -F -- "$expect" <<< "$matching")
	done <<< "$expects"
	if ! grep -q '^//! expect: ' "$f"; then
		echo "$name: no '//! expect:' line"
		ret=1
	elif [[ -z "$matching" ]]; then
		echo "$name: expected an error with: $(paste -sd'|' <<< "$expects")"
		echo "${found:-  nothing: it built}" | cut -f1 | sed 's/^error/  error/'
		ret=1
	else
		echo "$name: $(head -n 1 <<< "$matching" | cut -f1)"
	fi
done
exit $ret
