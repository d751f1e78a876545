#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# selftests-guest.sh KDIR [TESTS]: runs inside the test VM (`make check`):
# the selftests (or only TESTS), as kselftest's `make run_tests`, with KTAP
# output.

set -o pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)

mkdir -p /tmp/rust_livepatch-selftests

# Through a pipe: the kselftest runner reopens /dev/stdout for appending,
# which overwrites earlier output when the guest's stdout is a file.
make -s -C "$TOP/selftests" run_tests KDIR="$1" ${2:+TEST_PROGS="$2"} \
	OUTPUT=/tmp/rust_livepatch-selftests 2>&1 | cat
