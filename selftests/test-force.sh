#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Forcing a blocked transition completes it, but does not move the blocked
# kthread off the code on its stack: it goes on running that code while
# the core counts it as switched. Forcing a patching transition leaves the
# kthread on the target's own code, so the patch can still be removed.
# Forcing an unpatching transition leaves it on code of the patch module,
# so, as the core documents, that module can never be removed: it keeps a
# reference for good.
#
# Runs last: the livepatch module stays loaded until the VM powers off.

. $(dirname $0)/functions.sh

MOD_LIVEPATCH=klp_job_patch

setup_config


# - the kthread form blocks the patching transition; force it
# - the transition completes, the kthread still runs original passes only
# - the patch can be disabled and its module removed

start_test "forced patching: the kthread stays on old code"

block_patching $MOD_LIVEPATCH

log "% echo 1 > $SYSFS_KLP_DIR/$MOD_LIVEPATCH/force"
echo 1 > "$SYSFS_KLP_DIR/$MOD_LIVEPATCH/force"
wait_transition $MOD_LIVEPATCH
check_sysfs_value "$MOD_LIVEPATCH" "enabled" "1"
wait_passes original 5
check_job patched -eq 0

disable_lp $MOD_LIVEPATCH
unload_lp $MOD_LIVEPATCH
unload_mod $MOD_TARGET

check_result "$(blocked_patching_log $MOD_LIVEPATCH)
% echo 1 > $SYSFS_KLP_DIR/$MOD_LIVEPATCH/force
livepatch: forcing remaining tasks to the patched state
livepatch: '$MOD_LIVEPATCH': completing patching transition
livepatch: '$MOD_LIVEPATCH': patching complete
$(unpatching_log $MOD_LIVEPATCH)
% rmmod $MOD_LIVEPATCH
% rmmod $MOD_TARGET
$MOD_TARGET: kthread: stopped"


# - the kthread form started patched blocks unpatching; force it
# - the transition completes, the kthread still runs patched passes: the
#   Rust main function, code of the patch module
# - the patch module keeps a reference: rmmod fails, it stays loaded

start_test "forced unpatching: the patch module can never be removed"

load_lp $MOD_LIVEPATCH
load_mod $MOD_TARGET mode=kthread
pid=$(job_status pid)
log "% echo 0 > $SYSFS_KLP_DIR/$MOD_LIVEPATCH/enabled"
echo 0 > "$SYSFS_KLP_DIR/$MOD_LIVEPATCH/enabled"
wait_pending "$pid"

log "% echo 1 > $SYSFS_KLP_DIR/$MOD_LIVEPATCH/force"
echo 1 > "$SYSFS_KLP_DIR/$MOD_LIVEPATCH/force"
loop_until '[[ ! -e "$SYSFS_KLP_DIR/$MOD_LIVEPATCH" ]]' ||
	die "$MOD_LIVEPATCH not removed after the forced unpatching"
wait_passes patched 5

[[ $(cat /sys/module/$MOD_LIVEPATCH/refcnt) == 1 ]] ||
	die "$MOD_LIVEPATCH: refcnt $(cat /sys/module/$MOD_LIVEPATCH/refcnt), expected 1"
log "% rmmod $MOD_LIVEPATCH"
ret=$(rmmod $MOD_LIVEPATCH 2>&1) && die "rmmod $MOD_LIVEPATCH succeeded"
[[ "$ret" == *"is in use"* ]] || die "rmmod $MOD_LIVEPATCH: $ret"
[[ -e /sys/module/$MOD_LIVEPATCH ]] || die "$MOD_LIVEPATCH was removed"
unload_mod $MOD_TARGET

check_result "% insmod test_modules/$MOD_LIVEPATCH.ko
$(patching_log $MOD_LIVEPATCH)
% insmod test_modules/$MOD_TARGET.ko mode=kthread
livepatch: applying patch '$MOD_LIVEPATCH' to loading module '$MOD_TARGET'
$MOD_TARGET: kthread: running the job every 20 ms
% echo 0 > $SYSFS_KLP_DIR/$MOD_LIVEPATCH/enabled
livepatch: '$MOD_LIVEPATCH': initializing unpatching transition
livepatch: '$MOD_LIVEPATCH': starting unpatching transition
% echo 1 > $SYSFS_KLP_DIR/$MOD_LIVEPATCH/force
livepatch: forcing remaining tasks to the patched state
livepatch: '$MOD_LIVEPATCH': completing unpatching transition
livepatch: '$MOD_LIVEPATCH': unpatching complete
% rmmod $MOD_LIVEPATCH
% rmmod $MOD_TARGET
$MOD_TARGET: kthread: stopped"

exit 0
