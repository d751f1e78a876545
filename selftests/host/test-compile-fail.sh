#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What the livepatch API must refuse does not build. Each
# selftests/compile_fail/cf_*.rs misuses it in one way that would otherwise
# let safe code cause undefined behaviour (or hide what it asserts), and
# names, in its "//! expect:" line, the error rustc must report for it.
# They are built as external modules against KDIR, as the project's
# modules are; none may build, and each must fail with an error that has
# every "expect:" text of its file.

dir=$RLP_TOP/selftests/compile_fail
# Debian's kernel (RLP_KERNEL=debian): in the root of its toolchain.
in_root=()
[ ! -f "$KDIR/.rlp-root" ] || in_root=("$RLP_TOP/scripts/toolchain-root.sh" "$(cat "$KDIR/.rlp-root")")
rustc=$("${in_root[@]}" "$RLP_TOP/scripts/check-kdir.sh" "$KDIR") || exit 1
mk=("${in_root[@]}" make -C "$KDIR" M="$dir" RUSTC="$rustc")

"${mk[@]}" clean > /dev/null 2>&1
out=$("${mk[@]}" -k -j"$(nproc)" modules 2>&1)
# "<file>\t<error>" for each error rustc reports in a cf_*.rs file ("-->",
# or ":::" for an error in a macro that file invokes).
errors=$(awk '/^error/ { e = $0 }
	      /^ *(-->|:::) cf_[a-z_]*\.rs:/ { f = $2; sub(/:.*/, "", f); if (e != "") print f "\t" e }' <<< "$out")
"${mk[@]}" clean > /dev/null 2>&1

ret=0
for f in "$dir"/cf_*.rs; do
	name=${f##*/}
	found=$(awk -F'\t' -v n="$name" '$1 == n' <<< "$errors" | cut -f2-)
	matching=$found
	while read -r expect; do
		matching=$(grep -F -- "$expect" <<< "$matching")
	done < <(sed -n 's|^//! expect: ||p' "$f")
	if ! grep -q '^//! expect: ' "$f"; then
		echo "$name: no '//! expect:' line"
		ret=1
	elif [[ -z "$matching" ]]; then
		echo "$name: expected an error with: $(sed -n 's|^//! expect: ||p' "$f" | paste -sd'|')"
		echo "${found:-  nothing: it built}" | sed 's/^error/  error/'
		ret=1
	else
		echo "$name: $(head -n 1 <<< "$matching")"
	fi
done
exit $ret
