#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What safe code can write against the livepatch API and is not caught at
# build time is harmless (selftests/compile_fail/ holds the misuse that does
# not build); the run fails on any kernel report, a WARN included:
# - test_klp_misuse calls its module's init a second time, from the first,
#   which is refused (EBUSY) instead of enabling the patch twice (which
#   corrupts the core's lists) or dropping a registration the core still
#   uses. The patch then works and goes as any other.
# - Its init frees a shadow variable while a reference to it is alive: with
#   `free`, through another object at the same address, and with
#   `free_all`. The variable is detached, but its value stays intact and is
#   dropped once, when the reference is. A second `alloc` for an object
#   fails with EEXIST, without the core's WARN.
# - A module loaded while the patch is enabled gets its callbacks outside a
#   transition, where klp_get_prev_state() warns: State::prev says none.

. $(dirname $0)/functions.sh

MOD_LIVEPATCH=test_klp_misuse
MOD_TARGET=test_klp_callbacks_mod

setup_config


# - load the module: the second init is refused, the shadow cases pass
# - /proc/version is patched; a module loaded meanwhile sees no previous
#   state; disable and unload: the original is back

start_test "misuse that safe code can write is harmless"

VERSION=$(cat /proc/version)

load_lp $MOD_LIVEPATCH
[[ "$(cat /proc/version)" == "$MOD_LIVEPATCH: this has been live patched" ]] ||
	die "/proc/version: '$(cat /proc/version)'"
load_mod $MOD_TARGET
unload_mod $MOD_TARGET
disable_lp $MOD_LIVEPATCH
unload_lp $MOD_LIVEPATCH
[[ "$(cat /proc/version)" == "$VERSION" ]] || die "/proc/version not restored"

check_result "% insmod test_modules/$MOD_LIVEPATCH.ko
$MOD_LIVEPATCH: a second init of the module: error -16
$MOD_LIVEPATCH: shadow freed with free while referenced: attached: false, value 0x524c50, drops 0
$MOD_LIVEPATCH: shadow reference dropped: drops 1
$MOD_LIVEPATCH: shadow freed through its first field while referenced: attached: false, value 0x524c50, drops 0
$MOD_LIVEPATCH: shadow reference dropped: drops 1
$MOD_LIVEPATCH: shadow freed with free_all while referenced: attached: false, value 0x524c50, drops 0
$MOD_LIVEPATCH: shadow reference dropped: drops 1
$MOD_LIVEPATCH: shadow alloc of an existing variable: error -17
$(patching_log $MOD_LIVEPATCH)
% insmod test_modules/$MOD_TARGET.ko
livepatch: applying patch '$MOD_LIVEPATCH' to loading module '$MOD_TARGET'
$MOD_LIVEPATCH: pre_patch_callback: $MOD_TARGET -> [MODULE_STATE_COMING] Full formed, running module_init: previous state: none
$MOD_TARGET: ${MOD_TARGET}_init
% rmmod $MOD_TARGET
$MOD_TARGET: ${MOD_TARGET}_exit
livepatch: reverting patch '$MOD_LIVEPATCH' on unloading module '$MOD_TARGET'
$(unpatching_log $MOD_LIVEPATCH)
% rmmod $MOD_LIVEPATCH"

exit 0
