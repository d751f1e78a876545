#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# One description of functions listed by two objects of a patch loads and
# works: the API builds the core's structures from the descriptions when
# the patch is enabled, so no list node is shared. (The same with static C
# structures, or the project's API before it, oopsed in klp_enable_patch()
# on a poisoned list pointer.) The run fails on any kernel report.

. $(dirname $0)/functions.sh

MOD_LIVEPATCH=test_klp_shared

setup_config


# - load the patch whose vmlinux object and klp_job_target object list the
#   same functions: /proc/version is patched
# - disable and unload it: the original /proc/version is back

start_test "one description of functions in two objects"

VERSION=$(cat /proc/version)

load_lp $MOD_LIVEPATCH
[[ "$(cat /proc/version)" == "$MOD_LIVEPATCH: this has been live patched" ]] ||
	die "/proc/version: '$(cat /proc/version)'"
[[ -d "$SYSFS_KLP_DIR/$MOD_LIVEPATCH/vmlinux/version_proc_show,1" ]] ||
	die "no vmlinux/version_proc_show,1 in $SYSFS_KLP_DIR/$MOD_LIVEPATCH"
check_sysfs_value "$MOD_LIVEPATCH" "vmlinux/patched" "1"
check_sysfs_value "$MOD_LIVEPATCH" "klp_job_target/patched" "0"

disable_lp $MOD_LIVEPATCH
unload_lp $MOD_LIVEPATCH
[[ "$(cat /proc/version)" == "$VERSION" ]] || die "/proc/version not restored"

check_result "% insmod test_modules/$MOD_LIVEPATCH.ko
$(patching_log $MOD_LIVEPATCH)
$(unpatching_log $MOD_LIVEPATCH)
% rmmod $MOD_LIVEPATCH"

exit 0
