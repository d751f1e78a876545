#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make upstream-check`: what a maintainer checks before applying the
# series in upstream/ to the kernel source of RLP_KVER (default series):
# it applies with `git am`; each patch is `checkpatch.pl --strict` clean
# (a series generated without --signoff is allowed its missing
# Signed-off-by, and a patch that adds files is not asked to touch
# MAINTAINERS when get_maintainer.pl already finds the series' entry for
# each of them); and the kernel builds after each patch (bisectable),
# incrementally, with the configuration of the upstream test kernel
# (RLP_KERNEL=upstream). Takes a full kernel build, then a few minutes per
# patch.

set -e -o pipefail
. "$(dirname "$0")/lib.sh"

"$RLP_TOP/scripts/setup-host.sh"
ksrc=$("$RLP_TOP/scripts/kernel.sh" ksrc)
work="$RLP_CACHE/upstream-check"
tree="$work/linux" out="$work/build"
patches=("$RLP_TOP"/upstream/00[0-9][1-9]-*.patch)
export LIBCLANG_PATH=${LIBCLANG_PATH:-/usr/lib/llvm-19/lib}
mk=(make -C "$tree" O="$out" RUSTC=/usr/bin/rustc HOSTRUSTC=/usr/bin/rustc
    RUSTDOC=/usr/bin/rustdoc RUSTFMT=/usr/bin/rustfmt
    BINDGEN="$RLP_CACHE/tools/bin/bindgen")
fragments=("$RLP_TOP/scripts/test-kernel.config" "$RLP_TOP/selftests/config"
	   "$RLP_TOP/scripts/upstream-kernel.config")
git=(git -C "$tree" -c user.name=upstream-check -c user.email=upstream-check@invalid)

# -f: Debian's linux-source .gitignore ignores everything at the top level.
say "A git repository of $(basename "$ksrc") in ${tree/#$HOME/\~}"
rm -rf "$tree"
mkdir -p "$work"
run_logged upstream-check-copy sh -c "cp -a '$ksrc' '$tree' && rm -f '$tree/.rlp-unpacked' &&
	git -C '$tree' init -q && git -C '$tree' add -A -f &&
	git -C '$tree' -c user.name=upstream-check -c user.email=upstream-check@invalid \
		commit -q -m 'Linux $(make -s -C "$ksrc" kernelversion)'"

say "Building the kernel without the series (the base of the incremental builds)"
mkdir -p "$out"
run_logged upstream-check-base sh -c "$(printf '%q ' "${mk[@]}") tinyconfig &&
	'$tree/scripts/kconfig/merge_config.sh' -m -O '$out' '$out/.config' $(printf '%q ' "${fragments[@]}") &&
	$(printf '%q ' "${mk[@]}") olddefconfig && $(printf '%q ' "${mk[@]}") -j$(($(nproc) + 1)) bzImage modules"

n=0
for p in "${patches[@]}"; do
	n=$((n + 1))
	subject=$(sed -n 's/^Subject: //p' "$p")
	say "$subject"
	"${git[@]}" am -q "$p" || die "${p##*/} does not apply: regenerate the series (make upstream-series)"
	# A copy: checkpatch.pl misreads a patch file that git tracks as changed.
	cp "$p" "$work/patch"
	ignore=()
	grep -q '^Signed-off-by: ' "$p" || ignore+=(MISSING_SIGN_OFF)
	added=$("${git[@]}" show --name-only --diff-filter=A --format= HEAD)
	if [ -n "$added" ]; then
		for f in $added; do
			(cd "$tree" && scripts/get_maintainer.pl --no-git --no-rolestats -f "$f" 2>/dev/null) |
				grep -q 'live-patching@vger.kernel.org' ||
				die "${p##*/}: MAINTAINERS has no entry for $f"
		done
		ignore+=(FILE_PATH_CHANGES)
	fi
	report=$("$tree/scripts/checkpatch.pl" --strict --root="$tree" \
		${ignore[@]:+--ignore "$(IFS=,; echo "${ignore[*]}")"} "$work/patch" 2>&1 |
		grep -E '^(ERROR|WARNING|CHECK):' || true)
	[ -z "$report" ] || { echo "$report"; die "${p##*/}: checkpatch.pl --strict reports the above"; }
	info "checkpatch.pl --strict: clean${ignore[*]:+ (not asked: ${ignore[*]})}"
	start=$SECONDS
	run_logged "upstream-check-$n" sh -c "
		'$tree/scripts/kconfig/merge_config.sh' -m -O '$out' '$out/.config' $(printf '%q ' "${fragments[@]}") &&
		$(printf '%q ' "${mk[@]}") olddefconfig &&
		$(printf '%q ' "${mk[@]}") -j$(($(nproc) + 1)) bzImage modules"
	echo "patch $n/${#patches[@]}: applies, checkpatch clean, the kernel builds ($((SECONDS - start)) s)"
done
grep -q '^CONFIG_SAMPLE_RUST_LIVEPATCH=m' "$out/.config" && [ -f "$out/samples/rust/rust_livepatch.ko" ] ||
	die "the series applied, but the sample was not built (CONFIG_SAMPLE_RUST_LIVEPATCH)"
echo "upstream-check: ${#patches[@]} patches apply to $(basename "$ksrc"), are checkpatch-clean and build one by one"
