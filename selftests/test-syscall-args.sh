#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A system call replacement gets the system call's arguments, each in its
# place and of its type (livepatch::syscall::syscall!): the replacement of
# getpriority(2) in test_klp_syscall_args returns 1000 + 100 * which + who,
# so each result tells which values arrived where; a negative `who` tells
# that an `int` keeps its sign. Unpatched, the same calls fail with EINVAL
# (no such `which`).

. $(dirname $0)/functions.sh

MOD_LIVEPATCH=test_klp_syscall_args
CALL=${OUTPUT:-$(dirname $0)}/klp_syscall_args

setup_config

# expect_calls(results) - the results of getpriority(7, 3) and (9, -3)
function expect_calls() {
	local got

	got="$("$CALL" 7 3) $("$CALL" 9 -3)"
	[[ "$got" == "$1" ]] || die "getpriority(7, 3), (9, -3): $got, expected $1"
}


# - unpatched: both calls fail with EINVAL
# - patched: 1703 and 1897
# - unpatched again: EINVAL

start_test "a system call replaced with its arguments"

expect_calls "-22 -22"
load_lp $MOD_LIVEPATCH
expect_calls "1703 1897"
disable_lp $MOD_LIVEPATCH
expect_calls "-22 -22"
unload_lp $MOD_LIVEPATCH

check_result "% insmod test_modules/$MOD_LIVEPATCH.ko
$(patching_log $MOD_LIVEPATCH)
$(unpatching_log $MOD_LIVEPATCH)
% rmmod $MOD_LIVEPATCH"

exit 0
