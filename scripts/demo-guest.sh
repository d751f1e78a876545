#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs inside the test VM (`make demo`): the life of the Rust livepatch, as
# the C sample's header describes it, with the per-task transition shown
# as it happens; then the same patch applied to one job in its three forms
# (selftests/test_modules/klp_job_target.c), one after the other.

TOP=$(cd "$(dirname "$0")/.." && pwd)
# The sample, then the per-task tests' patch of the job (and of /proc/cmdline).
SAMPLE=/sys/kernel/livepatch/rust_livepatch
JOB_PATCH=/sys/kernel/livepatch/klp_job_patch
KLP=$SAMPLE
JOB=/sys/kernel/debug/klp_job_target/status
MODS=selftests/test_modules

# Paths in the transcript are relative to the project.
cd "$TOP" || exit 1

run() { echo "\$ $*"; eval "$@"; }

# The transition's state, and its per-task counts from klp-status.sh.
transition_state() {
	local enabled transition
	enabled=$(cat $KLP/enabled 2>/dev/null) && transition=$(cat $KLP/transition 2>/dev/null) || return 1
	echo "enabled=$enabled transition=$transition | $(scripts/klp-status.sh -c)"
}

# Seconds since $1, a ${EPOCHREALTIME/./} in microseconds.
elapsed() {
	local us=$((${EPOCHREALTIME/./} - $1))
	printf '%d.%02d' $((us / 1000000)) $((us % 1000000 / 10000))
}

# watch_transition [SECS]: print the transition's progress whenever it
# changes, until it is over (or SECS have passed: then return 1).
watch_transition() {
	local start=${EPOCHREALTIME/./} line last=""
	TOOK=""
	while [ -e "$KLP" ]; do
		if [ -n "$1" ] && [ $((${EPOCHREALTIME/./} - start)) -gt $(($1 * 1000000)) ]; then
			printf '  %6s s  still in transition\n' "$(elapsed "$start")"
			return 1
		fi
		line=$(transition_state) || continue
		if [ "$line" != "$last" ]; then
			printf '  %6s s  %s\n' "$(elapsed "$start")" "$line"
			last=$line
		fi
		[ "$(cat $KLP/transition 2>/dev/null)" = 0 ] && TOOK=$(elapsed "$start") && return
		sleep 0.05
	done
	TOOK=$(elapsed "$start")
	printf '  %6s s  unpatched, %s removed\n' "$TOOK" "$KLP"
}

# more_passes FIELD N: wait (at most 10 s) until the job has run N more
# passes of the FIELD version (original or patched).
more_passes() {
	local want i
	want=$(($(awk -v f="$1:" '$1 == f { print $2 }' $JOB) + $2))
	for ((i = 0; i < 100; i++)); do
		[ "$(awk -v f="$1:" '$1 == f { print $2 }' $JOB)" -ge "$want" ] && return
		sleep 0.1
	done
}

job() { echo "  job: $(grep -E '^(original|patched|stale):' $JOB | xargs)"; }

# try_form MODE SECS: patch the job in MODE, watch at most SECS, show the
# job's passes; reverse a stalled transition; clean up.
try_form() {
	run insmod $MODS/klp_job_target.ko mode=$1
	more_passes original 5	# to compare with
	job
	run insmod $MODS/klp_job_patch.ko
	if watch_transition "$2"; then
		SUMMARY+=$(printf '\n  %-10s patching complete in %s s' "$1" "$TOOK")
		more_passes patched 5
		job
		SUMMARY+=", $(grep '^stale:' $JOB | xargs) passes"
		run "echo 0 > $KLP/enabled"
		watch_transition
	else
		echo "  Why: klp-status.sh shows what the transition waits for"
		scripts/klp-status.sh | sed 's/^/  | /'
		job
		SUMMARY+=$(printf '\n  %-10s stalled: not complete after %s s, reversed' "$1" "$2")
		run "echo 0 > $KLP/enabled"
		watch_transition
	fi
	run rmmod klp_job_patch klp_job_target
}

echo "== The kernel"
run uname -rv
echo
echo "== Before: the kernel's own cmdline_proc_show()"
run cat /proc/cmdline
echo
echo "== Load the Rust livepatch; every task switches to the new code"
echo "   (user tasks when they leave the kernel, kthreads when no patched"
echo "   function is on their stack)"
run insmod rust_livepatch.ko
watch_transition
run ls $KLP $KLP/vmlinux
run cat /proc/cmdline
echo
echo "== Disable it; the tasks switch back"
run "echo 0 > $KLP/enabled"
watch_transition
run rmmod rust_livepatch
run cat /proc/cmdline
echo
echo "== The livepatch core's log"
dmesg | grep -E '\] (rust_)?livepatch: ' | sed 's/^/  /'

echo
KLP=$JOB_PATCH
echo "== One job, three forms, patched by $MODS/klp_job_patch.ko (Rust). A pass"
echo "   is recorded with the version of the code that ran it and of the code"
echo "   that derived its format; a stale pass mixes the two."
echo
echo "-- workqueue form: one pass per work item, nothing kept between items"
try_form workqueue 60
echo
echo "-- freezable kthread: its loop is not patched and sleeps in a freezable"
echo "   wait, where it switches (the core checks a task's stack when it"
echo "   schedules out of a freezable sleep; nothing is frozen); the format"
echo "   its loop derived from the old code reaches the new code"
try_form freezable 60
echo
echo "-- kthread: the job runs in a main function that never returns"
try_form kthread 20
echo
echo "== Summary${SUMMARY}"
