#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What safe code can write against the livepatch API and is not caught at
# build time is harmless: test_klp_misuse calls its module's init a second
# time, from the first, which is refused (EBUSY) instead of enabling the
# patch twice (which corrupts the core's lists) or dropping a registration
# the core still uses. The patch then works and goes as any other; the run
# fails on any kernel report. (selftests/compile_fail/ holds the misuse
# that does not build.)

. $(dirname $0)/functions.sh

MOD_LIVEPATCH=test_klp_misuse

setup_config


# - load the module, whose init calls the module's init again: refused
# - /proc/version is patched; disable and unload: the original is back

start_test "a second init of a livepatch module is refused"

VERSION=$(cat /proc/version)

load_lp $MOD_LIVEPATCH
[[ "$(cat /proc/version)" == "$MOD_LIVEPATCH: this has been live patched" ]] ||
	die "/proc/version: '$(cat /proc/version)'"
disable_lp $MOD_LIVEPATCH
unload_lp $MOD_LIVEPATCH
[[ "$(cat /proc/version)" == "$VERSION" ]] || die "/proc/version not restored"

check_result "% insmod test_modules/$MOD_LIVEPATCH.ko
$MOD_LIVEPATCH: a second init of the module: error -16
$(patching_log $MOD_LIVEPATCH)
$(unpatching_log $MOD_LIVEPATCH)
% rmmod $MOD_LIVEPATCH"

exit 0
