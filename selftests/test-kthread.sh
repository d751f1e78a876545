#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A kthread whose never-returning main function is the code being patched
# has no point where it can switch: every other task switches, the core
# signals and wakes it after 15 s, and still, two more tries of the core
# later (counted by the workqueue tracepoint that records the transition's
# work), the transition waits for it, while it goes on running the code it
# started with. klp-status.sh names it and the function on its stack.
# Reversing the transition completes. The same holds in the other
# direction, for a kthread that started on the patched main function.

. $(dirname $0)/functions.sh

MOD_LIVEPATCH=klp_job_patch

setup_config

# after_signal() - wait for two more tries of the core after its signal
#	(which wakes the kthread): still in transition after them, the
#	kthread did not switch when woken
function after_signal() {
	echo > "$TRACING/trace"
	loop_until "[[ \$(retries) -ge 2 ]]" ||
		die "the core did not try again after its signal"
}

tries_on


# - the kthread form runs original passes; load the livepatch
# - every task but the kthread switches; the core signals remaining tasks
# - the kthread is unswitched, runs only original passes, and klp-status.sh
#   shows klp_job_kthread on its stack as what blocks the switch
# - reverse the transition: it completes, no pass ever ran patched code

start_test "kthread form blocks patching, reversing completes"

load_mod $MOD_TARGET mode=kthread
pid=$(job_status pid)
wait_passes original 5

load_lp_nowait $MOD_LIVEPATCH
start=$SECONDS
wait_pending "$pid"
wait_dmesg "signaling remaining tasks"
after_signal
check_sysfs_value "$MOD_LIVEPATCH" "transition" "1"
[[ $(cat /proc/$pid/patch_state) == 0 ]] || die "kthread $pid switched"
wait_passes original 5
check_job patched -eq 0
status=$($KLP_STATUS)
[[ "$status" == *"pid $pid [klp_job_kthread] kthread"* &&
   "$status" == *"klp_job_kthread+"*"<- blocks the switch"* ]] ||
	die "klp-status.sh does not name the blocking kthread: $status"
stuck=$((SECONDS - start))

disable_lp $MOD_LIVEPATCH
wait_passes original 5
check_job patched -eq 0
unload_lp $MOD_LIVEPATCH
unload_mod $MOD_TARGET

check_result "$(blocked_patching_log $MOD_LIVEPATCH)
livepatch: signaling remaining tasks
$(reversal_log $MOD_LIVEPATCH)
% rmmod $MOD_LIVEPATCH
% rmmod $MOD_TARGET
$MOD_TARGET: kthread: stopped"
echo "  kthread $pid blocked the patching transition for $stuck s until reversed"


# - load the livepatch, then the kthread form: it starts on the patched
#   (Rust) main function and runs patched passes only
# - disable the livepatch: every task but the kthread switches back; the
#   kthread, with the Rust main function on its stack, blocks unpatching
# - re-enable: the reversal completes; unload the target, then the patch

start_test "kthread form started patched blocks unpatching, re-enabling completes"

load_lp $MOD_LIVEPATCH
load_mod $MOD_TARGET mode=kthread
pid=$(job_status pid)
wait_passes patched 5
check_job original -eq 0

log "% echo 0 > $SYSFS_KLP_DIR/$MOD_LIVEPATCH/enabled"
echo 0 > "$SYSFS_KLP_DIR/$MOD_LIVEPATCH/enabled"
start=$SECONDS
wait_pending "$pid"
wait_dmesg "signaling remaining tasks"
after_signal
check_sysfs_value "$MOD_LIVEPATCH" "transition" "1"
[[ $(cat /proc/$pid/patch_state) == 1 ]] || die "kthread $pid switched back"
wait_passes patched 5
check_job original -eq 0
status=$($KLP_STATUS)
[[ "$status" == *"pid $pid [klp_job_kthread] kthread"* &&
   "$status" == *"[$MOD_LIVEPATCH]   <- blocks the switch"* ]] ||
	die "klp-status.sh does not name the blocking kthread: $status"
stuck=$((SECONDS - start))

log "% echo 1 > $SYSFS_KLP_DIR/$MOD_LIVEPATCH/enabled"
echo 1 > "$SYSFS_KLP_DIR/$MOD_LIVEPATCH/enabled"
wait_transition $MOD_LIVEPATCH
check_sysfs_value "$MOD_LIVEPATCH" "enabled" "1"
wait_passes patched 5
check_job original -eq 0

unload_mod $MOD_TARGET
disable_lp $MOD_LIVEPATCH
unload_lp $MOD_LIVEPATCH

check_result "% insmod test_modules/$MOD_LIVEPATCH.ko
$(patching_log $MOD_LIVEPATCH)
% insmod test_modules/$MOD_TARGET.ko mode=kthread
livepatch: applying patch '$MOD_LIVEPATCH' to loading module '$MOD_TARGET'
$MOD_TARGET: kthread: running the job every 20 ms
% echo 0 > $SYSFS_KLP_DIR/$MOD_LIVEPATCH/enabled
livepatch: '$MOD_LIVEPATCH': initializing unpatching transition
livepatch: '$MOD_LIVEPATCH': starting unpatching transition
livepatch: signaling remaining tasks
% echo 1 > $SYSFS_KLP_DIR/$MOD_LIVEPATCH/enabled
livepatch: '$MOD_LIVEPATCH': reversing transition from unpatching to patching
livepatch: '$MOD_LIVEPATCH': starting patching transition
livepatch: '$MOD_LIVEPATCH': completing patching transition
livepatch: '$MOD_LIVEPATCH': patching complete
% rmmod $MOD_TARGET
$MOD_TARGET: kthread: stopped
livepatch: reverting patch '$MOD_LIVEPATCH' on unloading module '$MOD_TARGET'
$(unpatching_log $MOD_LIVEPATCH)
% rmmod $MOD_LIVEPATCH"
echo "  kthread $pid blocked the unpatching transition for $stuck s until reversed"

tries_off
exit 0
