#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Shell functions for the rust_livepatch selftests: the kernel's own
# tools/testing/selftests/livepatch/functions.sh, from the source of the
# kernel under test (load_lp, disable_lp, start_test, check_result, ...),
# and the few verbs it lacks.

. "$KSRC/tools/testing/selftests/livepatch/functions.sh"

# check_cmdline(expected) - /proc/cmdline reads as expected
#	expected - the whole expected text
function check_cmdline() {
	local expected="$1"
	local result

	result=$(cat /proc/cmdline)
	if [[ "$result" != "$expected" ]]; then
		echo -e "FAIL\n\n/proc/cmdline: '$result', expected '$expected'\n"
		die "livepatch kselftest(s) failed"
	fi
}

# patching_log(mod) - the core's log of a patching transition that
#	completes on its own, for check_result
function patching_log() {
	echo "livepatch: enabling patch '$1'
livepatch: '$1': initializing patching transition
livepatch: '$1': starting patching transition
livepatch: '$1': completing patching transition
livepatch: '$1': patching complete"
}

# reversal_log(mod) - the log of disabling mod while its patching
#	transition is blocked, and of the reversal that completes
function reversal_log() {
	echo "% echo 0 > $SYSFS_KLP_DIR/$1/enabled
livepatch: '$1': reversing transition from patching to unpatching
livepatch: '$1': starting unpatching transition
livepatch: '$1': completing unpatching transition
livepatch: '$1': unpatching complete"
}

# unpatching_log(mod) - the log of disabling mod and the unpatching
#	transition that follows and completes on its own, for check_result
function unpatching_log() {
	echo "% echo 0 > $SYSFS_KLP_DIR/$1/enabled
livepatch: '$1': initializing unpatching transition
livepatch: '$1': starting unpatching transition
livepatch: '$1': completing unpatching transition
livepatch: '$1': unpatching complete"
}

# check_result() - verify dmesg output, as upstream's check_result(), which
#	keeps only lines with "livepatch:" or "test_klp", its modules' prefix,
#	and so drops its own "% insmod ..." lines for other modules: keep
#	those, insmod's errors, and the lines of the job's target and patch
#	modules and of the callbacks sample; but the target's final counts,
#	which only some tests ask for (dyndbg=+p) and read (final_counts).
function check_result {
	local expect="$*"
	local result

	result=$(new_dmesg | \
		 grep -e 'livepatch:' -e 'livepatch_callbacks_' -e 'test_klp' -e 'klp_job_' \
		      -e '\] % ' -e 'insmod: ERROR' | \
		 grep -v '\(tainting\|taints\) kernel' | \
		 grep -v "$MOD_TARGET: [a-z]*: passes: original " | \
		 sed 's/^\[[ 0-9.]*\] //' | \
		 sed 's/^\[[ ]*[CT][0-9]*\] //')

	if [[ "$expect" == "$result" ]] ; then
		echo "ok"
	elif [[ "$result" == "" ]] ; then
		echo -e "not ok\n\nbuffer overrun? can't find canary dmesg entry: $LAST_DMESG\n"
		die "livepatch kselftest(s) failed"
	else
		echo -e "not ok\n\n$(diff -upr --label expected --label result <(echo "$expect") <(echo "$result"))\n"
		die "livepatch kselftest(s) failed"
	fi
}

# cleanup() - upstream's (restore the config); also, after a test that
#	failed half-way, leave none of our modules loaded for the next one
function cleanup() {
	local patch mod

	for patch in "$SYSFS_KLP_DIR"/{rust_livepatch,klp_job_patch,test_klp_}*; do
		[[ -e "$patch/enabled" ]] || continue
		echo 0 > "$patch/enabled" 2> /dev/null
		loop_until '[[ ! -e "$patch" ]]'
	done
	for mod in $(lsmod | awk '$1 ~ /^(rust_livepatch|livepatch_|test_klp_|klp_job_)/ { print $1 }'); do
		rmmod "$mod" 2> /dev/null
	done
	tries_off
	pop_config
}

KLP_STATUS="$RLP_TOP/scripts/klp-status.sh"
# The C target, or the Rust one (rust-target.sh).
MOD_TARGET=${KLP_JOB_TARGET:-klp_job_target}
JOB_STATUS="$SYSFS_DEBUG_DIR/$MOD_TARGET/status"

# job_status(field) - a field of klp_job_target's status (mode, original,
#	patched, stale, queued, last, pid), read by the shell itself:
#	wait_passes polls it, and under emulation each program run costs
#	a tenth of a second or more
function job_status() {
	local field value

	while read -r field value _; do
		[[ "$field" == "$1:" ]] && echo "$value" && return
	done < "$JOB_STATUS"
}

# wait_passes(field, n) - wait until the job has run n more passes of the
#	original or patched code
function wait_passes() {
	local field="$1" n="$2" want

	want=$(( $(job_status "$field") + n ))
	loop_until "[[ \$(job_status $field) -ge $want ]]" ||
		die "the job did not run $n more $field passes"
}

# check_job(field, op, value) - the job's status field compares to value
#	with the test(1) operator op (-eq, -gt, ...)
function check_job() {
	local value

	value=$(job_status "$1")
	test "$value" "$2" "$3" ||
		die "$MOD_TARGET: $1 is $value, expected $2 $3"
}

# wait_pending(tids) - wait until the transition waits for exactly these
#	tasks (klp-status.sh -p), every other task having switched
function wait_pending() {
	loop_until "[[ \"\$($KLP_STATUS -p | xargs)\" == \"$*\" ]]" ||
		die "the transition waits for '$($KLP_STATUS -p | xargs)', expected '$*'"
}

# block_patching(mod) - load the job's kthread form, then livepatch mod,
#	and wait until the transition waits for the kthread only; pid is
#	the kthread's
function block_patching() {
	load_mod $MOD_TARGET mode=kthread
	pid=$(job_status pid)
	load_lp_nowait "$1"
	wait_pending "$pid"
}

# blocked_patching_log(mod) - the log of block_patching(mod), for
#	check_result
function blocked_patching_log() {
	echo "% insmod test_modules/$MOD_TARGET.ko mode=kthread
$MOD_TARGET: kthread: running the job every 20 ms
% insmod test_modules/$1.ko
livepatch: enabling patch '$1'
livepatch: '$1': initializing patching transition
livepatch: '$1': starting patching transition"
}

# new_dmesg() - the kernel log since the test started
function new_dmesg() {
	dmesg | awk -v l="$LAST_DMESG" 'p; $0 == l { p = 1 }'
}

# wait_dmesg(text) - wait until the kernel log has a line with text since
#	the test started
function wait_dmesg() {
	loop_until "new_dmesg | grep -qF \"$1\"" ||
		die "no '$1' in the kernel log"
}

TRACING=/sys/kernel/tracing

# The core's tries to complete a transition: the first where the transition
# starts, each retry in the transition's work, klp_transition_work_fn(),
# whose runs the workqueue_execute_start tracepoint records. (Not a kprobe:
# on 7.3, registering a kprobe event a second time in a boot crashes the
# kernel, with or without livepatches; docs/testing.md.)
TRIES_EVENT=$TRACING/events/workqueue/workqueue_execute_start

# tries_on() - record the core's retries from now on
function tries_on() {
	local addr

	addr=$(awk '$3 == "klp_transition_work_fn" { print $1; exit }' /proc/kallsyms)
	[[ -n "$addr" ]] || die "klp_transition_work_fn is not in /proc/kallsyms"
	[[ -n "${addr//0/}" ]] || die "/proc/kallsyms hides addresses (kernel.kptr_restrict)"
	echo "function == 0x$addr" > "$TRIES_EVENT/filter"
	echo 1 > "$TRIES_EVENT/enable"
	echo 1 > "$TRACING/tracing_on"
	echo > "$TRACING/trace"
}

# tries_off() - stop recording the core's retries
function tries_off() {
	[[ ! -e "$TRIES_EVENT/enable" ]] || echo 0 > "$TRIES_EVENT/enable"
	[[ ! -e "$TRIES_EVENT/filter" ]] || echo 0 > "$TRIES_EVENT/filter"
}

# retries() - the core's retries since the trace was cleared
#	(echo > $TRACING/trace)
function retries() {
	grep -c "function klp_transition_work_fn\$" "$TRACING/trace"
}

# check_final_counts(mode) - the target's final counts, logged when it was
#	removed (loaded with dyndbg=+p): no stale pass, and every item queued
#	ran one pass, but the last, which may have been cancelled
function check_final_counts() {
	local line original patched stale queued

	line=$(new_dmesg |
		grep -o "$MOD_TARGET: $1: passes: original .*") ||
		die "no final counts of $MOD_TARGET in the kernel log"
	read -r original patched stale queued < <(sed -E \
		's/.*original ([0-9]+) patched ([0-9]+) stale ([0-9]+), queued ([0-9]+)$/\1 \2 \3 \4/' <<< "$line")
	[[ "$stale" -eq 0 ]] || die "$stale stale passes: $line"
	(( queued - original - patched == 0 || queued - original - patched == 1 )) ||
		die "items queued and passes run do not agree: $line"
	echo "  final counts: original $original, patched $patched, stale $stale, queued $queued"
}

# wait_transition(mod) - wait until mod's transition is over
function wait_transition() {
	loop_until "grep -q '^0$' $SYSFS_KLP_DIR/$1/transition" ||
		die "$1: transition not finished"
}
