#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The livepatch core publishes the Rust patch in sysfs exactly as it does a
# C one: /sys/kernel/livepatch/rust_livepatch/ appears on load with the
# documented attributes, values and permissions, and disappears when the
# patch is disabled.

. $(dirname $0)/functions.sh

MOD_LIVEPATCH=rust_livepatch

setup_config


# - no sysfs entry before loading
# - every attribute with its permissions and value while patched
# - the entry is removed once the patch is disabled

start_test "sysfs entries before, while and after patching"

[[ ! -e "$SYSFS_KLP_DIR/$MOD_LIVEPATCH" ]] ||
	die "$SYSFS_KLP_DIR/$MOD_LIVEPATCH exists before loading"

load_lp $MOD_LIVEPATCH

check_sysfs_rights "$MOD_LIVEPATCH" "" "drwxr-xr-x"
check_sysfs_rights "$MOD_LIVEPATCH" "enabled" "-rw-r--r--"
check_sysfs_value  "$MOD_LIVEPATCH" "enabled" "1"
check_sysfs_rights "$MOD_LIVEPATCH" "transition" "-r--r--r--"
check_sysfs_value  "$MOD_LIVEPATCH" "transition" "0"
check_sysfs_rights "$MOD_LIVEPATCH" "force" "--w-------"
check_sysfs_rights "$MOD_LIVEPATCH" "replace" "-r--r--r--"
check_sysfs_value  "$MOD_LIVEPATCH" "replace" "0"
check_sysfs_rights "$MOD_LIVEPATCH" "stack_order" "-r--r--r--"
check_sysfs_value  "$MOD_LIVEPATCH" "stack_order" "1"
check_sysfs_rights "$MOD_LIVEPATCH" "vmlinux" "drwxr-xr-x"
check_sysfs_rights "$MOD_LIVEPATCH" "vmlinux/patched" "-r--r--r--"
check_sysfs_value  "$MOD_LIVEPATCH" "vmlinux/patched" "1"
check_sysfs_rights "$MOD_LIVEPATCH" "vmlinux/cmdline_proc_show,1" "drwxr-xr-x"

disable_lp $MOD_LIVEPATCH
unload_lp $MOD_LIVEPATCH

check_result "% insmod test_modules/$MOD_LIVEPATCH.ko
$(patching_log $MOD_LIVEPATCH)
$(unpatching_log $MOD_LIVEPATCH)
% rmmod $MOD_LIVEPATCH"

exit 0
