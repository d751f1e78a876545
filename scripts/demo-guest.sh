#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs inside the test VM (`make demo`): the life of the Rust livepatch, as
# the C sample's header describes it, with the per-task transition shown
# as it happens.

TOP=$(cd "$(dirname "$0")/.." && pwd)
KLP=/sys/kernel/livepatch/rust_livepatch

run() { echo "\$ $*"; eval "$@"; }

# Per-task patch states: -1 no transition, 0 unpatched, 1 patched.
state_counts() {
	cat /proc/[0-9]*/task/[0-9]*/patch_state 2>/dev/null |
		awk '{ n[$1]++ } END { printf "tasks: %d patched, %d unpatched, %d idle\n", n[1], n[0], n[-1] }'
}

# Seconds since $1, a ${EPOCHREALTIME/./} in microseconds.
elapsed() {
	local us=$((${EPOCHREALTIME/./} - $1))
	printf '%d.%02d' $((us / 1000000)) $((us % 1000000 / 10000))
}

# Print the transition's progress whenever it changes, until it is over.
watch_transition() {
	local start=${EPOCHREALTIME/./} line last=""
	while [ -e "$KLP" ]; do
		line="enabled=$(cat $KLP/enabled 2>/dev/null) transition=$(cat $KLP/transition 2>/dev/null) $(state_counts)"
		if [ "$line" != "$last" ]; then
			printf '  %6s s  %s\n' "$(elapsed "$start")" "$line"
			last=$line
		fi
		[ "$(cat $KLP/transition 2>/dev/null)" = 0 ] && return
		sleep 0.05
	done
	printf '  %6s s  %s removed: %s\n' "$(elapsed "$start")" "$KLP" "$(state_counts)"
}

echo "== Before: the kernel's own cmdline_proc_show()"
run cat /proc/cmdline
echo
echo "== Load the Rust livepatch; every task switches to the new code"
echo "   (user tasks when they leave the kernel, kthreads when no patched"
echo "   function is on their stack)"
run insmod "$TOP/rust_livepatch.ko"
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
dmesg | grep -E 'livepatch' | sed 's/^/  /'
