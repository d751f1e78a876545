#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Transitions interrupted from outside end cleanly: removing the target
# module ends a transition that its kthread blocked, and unpatches it if
# the transition was over; user tasks stopped with SIGSTOP do not block a
# transition (the core checks their stacks, which hold no patched code,
# and switches them while they are stopped) and, continued, run the
# patched code; a CPU taken offline and back
# during a transition, or before one, changes nothing but its idle task.

. $(dirname $0)/functions.sh

MOD_LIVEPATCH=klp_job_patch
NPROC=100
READERS=${OUTPUT:-$(dirname $0)}/klp_cmdline_readers
CPU1=/sys/devices/system/cpu/cpu1/online
PATCHED="$MOD_LIVEPATCH: this has been live patched"
READERS_OUT=/tmp/klp_cmdline_readers.out

setup_config

# readers_stopped(n) - n of the readers (the parent's children) are
#	stopped (ps(1) state T)
function readers_stopped() {
	[[ $(ps -o stat= --ppid "$READERS_PID" | grep -c '^T') -eq "$1" ]]
}

# set_cpu1(state) - take CPU 1 offline (0) or bring it online (1)
function set_cpu1() {
	echo "$1" > $CPU1 && [[ $(cat $CPU1) == "$1" ]] ||
		die "cannot set CPU 1 online=$1"
}

# unblocking_rmmod_log() - the log of removing the target whose kthread
#	blocks the patching transition, which then completes
function unblocking_rmmod_log() {
	echo "% rmmod $MOD_TARGET
$MOD_TARGET: kthread: stopped
livepatch: reverting patch '$MOD_LIVEPATCH' on unloading module '$MOD_TARGET'
livepatch: '$MOD_LIVEPATCH': completing patching transition
livepatch: '$MOD_LIVEPATCH': patching complete"
}


# - the kthread form blocks the patching transition; remove the target:
#   its kthread stops, the core reverts the patch on the module, and the
#   transition completes
# - the workqueue form, patched; remove the target: the patch stays
#   enabled for vmlinux

start_test "removing the target module during and after a transition"

block_patching $MOD_LIVEPATCH
unload_mod $MOD_TARGET
wait_transition $MOD_LIVEPATCH
check_sysfs_value "$MOD_LIVEPATCH" "enabled" "1"
check_cmdline "$PATCHED"

load_mod $MOD_TARGET mode=workqueue
wait_passes patched 5
unload_mod $MOD_TARGET
check_sysfs_value "$MOD_LIVEPATCH" "transition" "0"
check_cmdline "$PATCHED"
disable_lp $MOD_LIVEPATCH
unload_lp $MOD_LIVEPATCH

check_result "$(blocked_patching_log $MOD_LIVEPATCH)
$(unblocking_rmmod_log)
% insmod test_modules/$MOD_TARGET.ko mode=workqueue
livepatch: applying patch '$MOD_LIVEPATCH' to loading module '$MOD_TARGET'
$MOD_TARGET: workqueue: running the job every 20 ms
% rmmod $MOD_TARGET
$MOD_TARGET: workqueue: stopped
livepatch: reverting patch '$MOD_LIVEPATCH' on unloading module '$MOD_TARGET'
$(unpatching_log $MOD_LIVEPATCH)
% rmmod $MOD_LIVEPATCH"


# - the kthread form holds the transition open; start NPROC readers of
#   /proc/cmdline and stop them (SIGSTOP); load the livepatch
# - the transition waits for the kthread only: every stopped reader has
#   switched (/proc/<pid>/patch_state), and is still stopped, also once
#   the core has signaled the tasks left (after 15 s)
# - remove the target, the transition completes; continue the readers
#   (SIGCONT): they run again, and read the patched text

start_test "$NPROC user tasks stopped by SIGSTOP switch, and run patched code when continued"

load_mod $MOD_TARGET mode=kthread
pid=$(job_status pid)
setsid "$READERS" "$NPROC" 100 "$PATCHED" > "$READERS_OUT" &
READERS_PID=$!
trap 'kill -KILL -- -$READERS_PID 2> /dev/null; cleanup' EXIT INT TERM HUP
loop_until '[[ $(pgrep -c -P $READERS_PID) -eq $NPROC ]]' ||
	die "the $NPROC readers did not start"
kill -STOP -- -$READERS_PID
loop_until "readers_stopped $NPROC" || die "the readers did not stop"

load_lp_nowait $MOD_LIVEPATCH
wait_pending "$pid"
for reader in $(pgrep -P $READERS_PID); do
	[[ $(cat /proc/$reader/patch_state) == 1 ]] ||
		die "stopped reader $reader did not switch"
done
# After 15 s the core signals the tasks left: wait for it, so that the
# transcript does not depend on how long the checks above took.
wait_dmesg "signaling remaining tasks"
readers_stopped $NPROC || die "a reader ran while stopped"
unload_mod $MOD_TARGET
wait_transition $MOD_LIVEPATCH

[[ $(grep -c '^patched:' "$READERS_OUT") -eq 0 ]] ||
	die "a reader read the patched text while stopped"
kill -CONT -- -$READERS_PID
loop_until "[[ \$(grep -c '^patched:' $READERS_OUT) -eq $NPROC ]]" ||
	die "$(grep -c '^patched:' "$READERS_OUT") of $NPROC continued readers read the patched text"
kill -TERM -- -$READERS_PID
wait $READERS_PID 2> /dev/null
[[ $(awk '$1 == "counts:" && $7 == 0' "$READERS_OUT" | wc -l) -eq $NPROC ]] ||
	die "a reader read text other than the original or the patched one"
disable_lp $MOD_LIVEPATCH
unload_lp $MOD_LIVEPATCH

check_result "$(blocked_patching_log $MOD_LIVEPATCH)
livepatch: signaling remaining tasks
$(unblocking_rmmod_log)
$(unpatching_log $MOD_LIVEPATCH)
% rmmod $MOD_LIVEPATCH"


# - with the kthread form blocking a transition, take CPU 1 offline and
#   back: the transition still waits for the kthread only; reversing
#   completes
# - with CPU 1 offline, load the livepatch: the transition completes (the
#   offline CPU's idle task is switched at once); online again, a task on
#   CPU 1 reads the patched text

start_test "CPU hotplug during and before a transition"

[[ -w $CPU1 ]] || skip "CPU 1 cannot be taken offline ($CPU1): no CPU hotplug"

trap 'echo 1 > $CPU1 2> /dev/null; cleanup' EXIT INT TERM HUP
block_patching $MOD_LIVEPATCH
set_cpu1 0
set_cpu1 1
check_sysfs_value "$MOD_LIVEPATCH" "transition" "1"
wait_pending "$pid"
disable_lp $MOD_LIVEPATCH
unload_lp $MOD_LIVEPATCH
unload_mod $MOD_TARGET

set_cpu1 0
load_lp $MOD_LIVEPATCH
set_cpu1 1
[[ $(taskset -c 1 cat /proc/cmdline) == "$PATCHED" ]] ||
	die "a task on CPU 1 does not run the patched code"
disable_lp $MOD_LIVEPATCH
unload_lp $MOD_LIVEPATCH

check_result "$(blocked_patching_log $MOD_LIVEPATCH)
$(reversal_log $MOD_LIVEPATCH)
% rmmod $MOD_LIVEPATCH
% rmmod $MOD_TARGET
$MOD_TARGET: kthread: stopped
% insmod test_modules/$MOD_LIVEPATCH.ko
$(patching_log $MOD_LIVEPATCH)
$(unpatching_log $MOD_LIVEPATCH)
% rmmod $MOD_LIVEPATCH"

exit 0
