#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# upstream-test-<x>.sh (symlinks to this script): upstream's scenario
# test-<x>.sh, from the kernel source under test and unchanged, run against
# the Rust livepatches. Upstream's scripts load test_modules/<name>.ko from
# the current directory, where the Rust modules carry upstream's names: the
# dmesg transcripts they expect are upstream's own, line for line.

scenario=${0##*/upstream-}
run=${OUTPUT:-/tmp/rust_livepatch-selftests}/upstream

# The getpid hammer of test-syscall.sh is built there (TEST_GEN_FILES).
mkdir -p "$run"
ln -sfn "$RLP_TOP/selftests/test_modules" "$run/test_modules"
cd "$run" || exit 1
"$KSRC/tools/testing/selftests/livepatch/$scenario"
ret=$?

# Upstream's scripts stop at a failed case with its modules loaded: unload
# them, so that the next scenario starts from a clean kernel.
if [ "$ret" -ne 0 ]; then
	for enabled in /sys/kernel/livepatch/test_klp_*/enabled; do
		[ -e "$enabled" ] && echo 0 > "$enabled"
	done
	for i in $(seq 1 100); do
		[ -z "$(ls /sys/kernel/livepatch)" ] && break
		sleep 0.1
	done
	for mod in $(lsmod | awk '$1 ~ /^test_klp_/ { print $1 }'); do
		rmmod "$mod" || echo "# could not unload $mod"
	done
fi
exit $ret
