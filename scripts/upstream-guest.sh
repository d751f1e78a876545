#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# upstream-guest.sh KDIR DIR TESTS: runs inside the test VM (`make
# check-upstream`): the kernel's own livepatch selftests TESTS, built in
# DIR, with the kselftest runner of KDIR's source.

KDIR=$1
DIR=$2
KSRC=$(readlink -f "$KDIR/source")
export KDIR

BASE_DIR="$KSRC/tools/testing/selftests"
. "$BASE_DIR/kselftest/runner.sh"
# Their settings ask for no time-out; the runner finds settings only in
# the kernel's tree, so say it here, with a bound.
export kselftest_override_timeout=600

cd "$DIR" || exit 1
# Through a pipe, as in selftests-guest.sh.
# shellcheck disable=SC2086 # one word per test
run_many $3 | cat
