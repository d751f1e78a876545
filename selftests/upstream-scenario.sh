#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# upstream-test-<x>.sh (symlinks to this script): upstream's scenario
# test-<x>.sh, from the kernel source under test, run against the Rust
# livepatches. Upstream's scripts load test_modules/<name>.ko from the
# current directory, where the Rust modules carry upstream's names: the
# dmesg transcripts they expect are upstream's own, line for line.

scenario=${0##*/upstream-}
upstream=$KSRC/tools/testing/selftests/livepatch
run=${OUTPUT:-/tmp/rust_livepatch-selftests}/upstream

# The getpid hammer of test-syscall.sh is built there (TEST_GEN_FILES).
mkdir -p "$run"
ln -sfn "$RLP_TOP/selftests/test_modules" "$run/test_modules"
ln -sfn "$upstream/functions.sh" "$run/functions.sh"
cd "$run" || exit 1

# Cases whose premise does not hold for a Rust livepatch are cut from the
# scenario and reported as skipped: see expected-skips. A case marked
# rust-ftrace runs where the kernel traces Rust functions: its
# available_filter_functions has Rust (v0-mangled, _R...) symbols. After
# the scenario, each case's result is printed as a KTAP subtest: "ok",
# "not ok", or "ok ... # SKIP <why>" for a case cut.
rust_traced() {
	grep -q '^_R' /sys/kernel/tracing/available_filter_functions 2>/dev/null
}
script=$upstream/$scenario
declare -A cut
while IFS='|' read -r file case why unless; do
	[ "$file" = "$scenario" ] || continue
	[ "$unless" = rust-ftrace ] && rust_traced && continue
	grep -qxF "start_test \"$case\"" "$script" ||
		{ echo "ERROR: no case '$case' in $script to skip"; exit 1; }
	# From that case's start_test up to the next case's comment block.
	awk -v c="start_test \"$case\"" '
		$0 == c { skip = 1; next }
		skip && /^(# |start_test )/ { skip = 0 }
		!skip' "$script" > "$run/$scenario.cut"
	mv "$run/$scenario.cut" "$run/$scenario"
	script=$run/$scenario
	cut[$case]=$why
done < <(grep -v '^#' "$RLP_TOP/selftests/expected-skips")
out=$(mktemp)
bash "$script" 2>&1 | tee "$out"
ret=${PIPESTATUS[0]}

mapfile -t cases < <(sed -n 's/^start_test "\(.*\)"$/\1/p' "$upstream/$scenario")
echo "KTAP version 1"
echo "1..${#cases[@]}"
for i in "${!cases[@]}"; do
	case=${cases[i]}
	if [ -n "${cut[$case]:-}" ]; then
		echo "ok $((i + 1)) $case # SKIP ${cut[$case]}"
	elif grep -qxF "TEST: $case ... ok" "$out"; then
		echo "ok $((i + 1)) $case"
	else
		echo "not ok $((i + 1)) $case"
	fi
done
rm -f "$out"

# Upstream's scripts stop at a failed case with its modules loaded: unload
# them, so that the next scenario starts from a clean kernel.
if [ "$ret" -ne 0 ]; then
	. "$upstream/functions.sh"
	for enabled in "$SYSFS_KLP_DIR"/test_klp_*/enabled; do
		[ -e "$enabled" ] && echo 0 > "$enabled"
	done
	loop_until '[ -z "$(ls $SYSFS_KLP_DIR)" ]'
	for mod in $(lsmod | awk '$1 ~ /^test_klp_/ { print $1 }'); do
		rmmod "$mod" || echo "# could not unload $mod"
	done
fi
exit $ret
