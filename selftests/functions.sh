#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Shell functions for the rust_livepatch selftests: the kernel's own
# tools/testing/selftests/livepatch/functions.sh, from the source of the
# kernel under test (load_lp, disable_lp, start_test, check_result, ...),
# and the few verbs it lacks.

. "$KSRC/tools/testing/selftests/livepatch/functions.sh"

# check_cmdline(expected) - /proc/cmdline reads as expected
#	expected - the whole expected text
function check_cmdline() {
	local expected="$1"
	local result

	result=$(cat /proc/cmdline)
	if [[ "$result" != "$expected" ]]; then
		echo -e "FAIL\n\n/proc/cmdline: '$result', expected '$expected'\n"
		die "livepatch kselftest(s) failed"
	fi
}
