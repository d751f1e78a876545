#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A user task switches when it returns to user space, and a user task
# blocked in a function being patched can switch no other way. NPROC (1000)
# processes read klp_job_target's "wait" file again and again: each read
# blocks in klp_job_user_wait(), which klp_job_patch replaces, until the
# test releases the readers. While they block, the transition waits for
# every one of them across the core's retries (each stack check finds the
# function on their stacks), and none switched at the exit to user mode (a
# kprobe on klp_update_patch_state(), which the kernel calls there for a
# task still pending, filtered to the readers). Released, every reader
# returns to user space and switches there (NPROC hits of the kprobe), and
# the transition completes; each read that returned says which version of
# klp_job_user_wait() ran it: the original before patching, the patched
# one before unpatching. The same in both directions.

. $(dirname $0)/functions.sh

MOD_LIVEPATCH=klp_job_patch
NPROC=${NPROC:-1000}
WAITERS=${OUTPUT:-$(dirname $0)}/klp_user_waiters
WAITERS_OUT=/tmp/klp_user_waiters.out
# The readers' comm, as the kernel truncates it (TASK_COMM_LEN).
WAITERS_COMM=klp_user_waiter

setup_config

# exit_switches() - the readers' switches at the exit to user mode
function exit_switches() {
	probe_hits klp_exit_switch
}

# tries() - the core's tries to complete the transition
function tries() {
	probe_hits klp_try
}

# reads(version) - the readers' reads that returned that version's text
function reads() {
	grep -c "^read: [0-9]* $1\$" "$WAITERS_OUT"
}

# blocked_across_retries(mod) - after the core's first try and a retry,
#	the transition still waits for every reader, none of which switched
#	at the exit to user mode
function blocked_across_retries() {
	local pending

	loop_until "[[ \$(tries) -ge 2 ]]" || die "the core did not retry the transition"
	check_sysfs_value "$1" "transition" "1"
	pending=$(comm -12 <($KLP_STATUS -p | sort) <(pgrep -g "$WAITERS_PID" -x "$WAITERS_COMM" |
		grep -vx "$WAITERS_PID" | sort) | wc -l)
	[[ "$pending" -eq $NPROC ]] || die "$pending of $NPROC readers pending after $(tries) tries"
	[[ $(exit_switches) -eq 0 ]] || die "$(exit_switches) readers switched while blocked"
}

# release(mod) - release the readers and wait for the transition to end
#	(mod gone: unpatched); every reader switched at the exit to user mode
function release() {
	echo 1 > "$SYSFS_DEBUG_DIR/$MOD_TARGET/release"
	loop_until "[[ ! -e $SYSFS_KLP_DIR/$1 ]] || grep -q '^0$' $SYSFS_KLP_DIR/$1/transition" ||
		die "$1: transition not finished after the release"
	[[ $(exit_switches) -eq $NPROC ]] ||
		die "$(exit_switches) of $NPROC readers switched at the exit to user mode"
}


# - NPROC readers block in klp_job_user_wait(); load the livepatch: they
#   stay pending across retries; release: each switches at the exit to
#   user mode, having read the original version's text
# - they block again, in the patched function; unpatch: the same, each
#   having read the patched version's text

start_test "$NPROC user tasks blocked in a patched function switch at the exit to user mode"

load_mod $MOD_TARGET
setsid "$WAITERS" "$NPROC" "$SYSFS_DEBUG_DIR/$MOD_TARGET/wait" > "$WAITERS_OUT" &
WAITERS_PID=$!
trap 'kill -TERM -- -$WAITERS_PID 2> /dev/null; cleanup' EXIT INT TERM HUP
loop_until "[[ \$(job_status waiting) -eq $NPROC ]]" ||
	die "$(job_status waiting) of $NPROC readers blocked"
# A task still pending when it returns to user mode switches in
# klp_update_patch_state(), and nowhere else calls it for a user task.
probe_on klp_exit_switch klp_update_patch_state "comm == \"$WAITERS_COMM\""
probe_on klp_try klp_try_complete_transition

load_lp_nowait $MOD_LIVEPATCH
blocked_across_retries $MOD_LIVEPATCH
release $MOD_LIVEPATCH
loop_until "[[ \$(reads 1) -eq $NPROC ]]" && [[ $(reads 2) -eq 0 ]] ||
	die "reads by the original: $(reads 1), by the patched: $(reads 2), expected $NPROC and 0"
loop_until "[[ \$(job_status waiting) -eq $NPROC ]]" ||
	die "$(job_status waiting) of $NPROC readers blocked again"

echo > "$TRACING/trace"
log "% echo 0 > $SYSFS_KLP_DIR/$MOD_LIVEPATCH/enabled"
echo 0 > "$SYSFS_KLP_DIR/$MOD_LIVEPATCH/enabled"
blocked_across_retries $MOD_LIVEPATCH
release $MOD_LIVEPATCH
loop_until "[[ \$(reads 2) -eq $NPROC ]]" && [[ $(reads 1) -eq $NPROC ]] ||
	die "reads by the original: $(reads 1), by the patched: $(reads 2), expected $NPROC each"

kill -TERM -- -$WAITERS_PID
wait $WAITERS_PID || die "klp_user_waiters failed: $(tail -n 3 "$WAITERS_OUT")"
probes_off
unload_lp $MOD_LIVEPATCH
unload_mod $MOD_TARGET

check_result "% insmod test_modules/$MOD_TARGET.ko
$MOD_TARGET: workqueue: running the job every 20 ms
% insmod test_modules/$MOD_LIVEPATCH.ko
$(patching_log $MOD_LIVEPATCH)
$(unpatching_log $MOD_LIVEPATCH)
% rmmod $MOD_LIVEPATCH
% rmmod $MOD_TARGET
$MOD_TARGET: workqueue: stopped"

exit 0
