#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A user task blocked in a function being patched cannot switch while it
# is there, and switches on its way back to user space. NPROC (1000)
# processes read klp_job_target's "wait" file again and again: each read
# blocks in klp_job_user_wait(), which klp_job_patch replaces, until the
# test releases the readers. While they block, the transition is still
# not over after a retry of the core (each stack check finds the function
# on their stacks; the retries counted by the workqueue tracepoint that
# records the transition's work), and the test releases them before the
# core's signal (after 15 s), which would end their reads early. Released,
# each read reports whether its task was still pending when
# klp_job_user_wait() returned (more than half must be), and the task's
# first act back in user space, reading its own patch_state, finds it
# switched: the target state, or, for a reader that got there after the
# transition ended, no transition at all (-1); never the state it started
# in. The transition completes; each read says
# which version of klp_job_user_wait() ran it: the original before
# patching, the patched one before unpatching. The same in both
# directions.

. $(dirname $0)/functions.sh

MOD_LIVEPATCH=klp_job_patch
NPROC=${NPROC:-1000}
WAITERS=${OUTPUT:-$(dirname $0)}/klp_user_waiters
WAITERS_OUT=/tmp/klp_user_waiters.out

setup_config

# reads(version, [what]) - the readers' reads that returned that version's
#	text, then what (a pattern: "pending|switched", and the patch state
#	the reader found back in user space)
function reads() {
	grep -cE "^read: [0-9]+ $1 ${2:-.*}\$" "$WAITERS_OUT"
}

# blocked_across_retries(mod) - after the core's first try and a retry,
#	the transition still waits (each reader's report after the release
#	says whether it was still pending); and the core has not signalled
#	the readers yet (it does after 15 s: an interrupted read switches at
#	its exit and restarts in the new code, which is not what this tests)
function blocked_across_retries() {
	loop_until "[[ \$(retries) -ge 1 ]]" || die "the core did not retry the transition"
	check_sysfs_value "$1" "transition" "1"
	! signalled ||
		die "the core signalled the readers before the test released them:" \
			"the guest is too slow (retry, or VM_JOBS=1)"
}

# signalled() - the core has signalled the tasks it waits for, in this test
function signalled() {
	new_dmesg | grep -q "livepatch: signaling remaining tasks"
}

# release(mod, version, target) - release the readers: every reader's
#	read was run by version, and none found itself unswitched back in
#	user space; most were still pending when version returned (a reader
#	preempted just after it may be switched by a stack check: the core's
#	right); then the transition ends (mod gone: unpatched). Checked in
#	that order: a reader left unswitched blocks in the patched function
#	again, and the transition would wait for it forever.
function release() {
	local old=$((1 - $3)) pending

	echo 1 > "$SYSFS_DEBUG_DIR/$MOD_TARGET/release"
	loop_until "[[ \$(reads $2) -eq $NPROC ]]" ||
		die "$(reads "$2") of $NPROC reads returned by version $2;" \
			"the last lines: $(tail -n 2 "$WAITERS_OUT" | xargs)" \
			"$(signalled && echo "(the core signalled the readers)")"
	[[ $(reads "$2" "[a-z]+ $old") -eq 0 ]] ||
		die "$(reads "$2" "[a-z]+ $old") readers back in user space in state $old, unswitched"
	pending=$(reads "$2" "pending .*")
	[[ "$pending" -gt $((NPROC / 2)) ]] ||
		die "only $pending of $NPROC readers pending when version $2 returned"
	loop_until "[[ ! -e $SYSFS_KLP_DIR/$1 ]] || grep -qs '^0$' $SYSFS_KLP_DIR/$1/transition" ||
		die "$1: transition not finished after the release"
	echo "  $pending of $NPROC readers pending when version $2 returned; back in user space," \
		"$(reads "$2" "[a-z]+ $3") in state $3, $(reads "$2" "[a-z]+ -1") after the transition, none unswitched"
}


# - NPROC readers block in klp_job_user_wait(); load the livepatch: they
#   stay pending across retries; release: each, pending when the original
#   version returned, is patched back in user space
# - they block again, in the patched function; unpatch: the same, each
#   pending when the patched version returned, unpatched in user space

start_test "$NPROC user tasks blocked in a patched function switch on their way to user space"

load_mod $MOD_TARGET
setsid "$WAITERS" "$NPROC" "$SYSFS_DEBUG_DIR/$MOD_TARGET/wait" > "$WAITERS_OUT" &
WAITERS_PID=$!
trap 'kill -TERM -- -$WAITERS_PID 2> /dev/null; cleanup' EXIT INT TERM HUP
loop_until "[[ \$(job_status waiting) -eq $NPROC ]]" ||
	die "$(job_status waiting) of $NPROC readers blocked"
tries_on

load_lp_nowait $MOD_LIVEPATCH
blocked_across_retries $MOD_LIVEPATCH
release $MOD_LIVEPATCH 1 1
[[ $(reads 2) -eq 0 ]] || die "$(reads 2) reads returned by the patched version"
loop_until "[[ \$(job_status waiting) -eq $NPROC ]]" ||
	die "$(job_status waiting) of $NPROC readers blocked again"

echo > "$TRACING/trace"
log "% echo 0 > $SYSFS_KLP_DIR/$MOD_LIVEPATCH/enabled"
echo 0 > "$SYSFS_KLP_DIR/$MOD_LIVEPATCH/enabled"
blocked_across_retries $MOD_LIVEPATCH
release $MOD_LIVEPATCH 2 0
[[ $(reads 1) -eq $NPROC ]] || die "$(reads 1) reads returned by the original version"

kill -TERM -- -$WAITERS_PID
wait $WAITERS_PID || die "klp_user_waiters failed: $(tail -n 3 "$WAITERS_OUT")"
tries_off
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
