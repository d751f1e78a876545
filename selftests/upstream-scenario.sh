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
exec "$KSRC/tools/testing/selftests/livepatch/$scenario"
