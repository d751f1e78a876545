#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# selftests-guest.sh KDIR BIN TESTS: runs inside the test VM (`make
# check`): the selftests TESTS, as kselftest's `make run_tests`, with KTAP
# output. BIN holds the helpers the host built for them (TEST_GEN_FILES).

set -o pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)

mkdir -p /tmp/rust_livepatch-selftests
# Their times kept: make finds them up to date.
cp -a "$2/." /tmp/rust_livepatch-selftests/

# The debug kernel: kmemleak scans all memory every 10 minutes, slow under
# emulation: scan once, at the end, instead.
[ -w /sys/kernel/debug/kmemleak ] && echo scan=off > /sys/kernel/debug/kmemleak

# Through a pipe: the kselftest runner reopens /dev/stdout for appending,
# which overwrites earlier output when the guest's stdout is a file.
make -s -C "$TOP/selftests" run_tests KDIR="$1" TEST_PROGS="$3" \
	OUTPUT=/tmp/rust_livepatch-selftests 2>&1 | cat
rc=$?

# With kmemleak (the debug kernel): scan for leaks once the tests are done;
# a scan that finds some prints "kmemleak: N new suspected memory leaks",
# which fails the run (vm.sh). Objects younger than 5 s are not reported
# by a scan: the second one, after the first has taken its time, sees them.
if [ -w /sys/kernel/debug/kmemleak ]; then
	echo scan > /sys/kernel/debug/kmemleak
	echo scan > /sys/kernel/debug/kmemleak
	cat /sys/kernel/debug/kmemleak
	leaks=$(grep -c '^unreferenced object' /sys/kernel/debug/kmemleak)
	echo "kmemleak: $leaks suspected leaks after the tests"
	[ "$leaks" -eq 0 ] || rc=1
fi
exit $rc
