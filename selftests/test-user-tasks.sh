#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# User tasks switch when they return to user space: with 1000 processes
# (NPROC) that keep reading /proc/cmdline, a syscall into the function the
# livepatch replaces, every one of them switches and the transition
# completes, in both directions. Like upstream's test-syscall.sh, at ten
# times its scale; the pending count is shown as it falls. Each reads every
# PERIOD_MS (1000: under emulation on a loaded 2-core host, 1000 readers
# every 100 ms starve the guest, its test scripts and the kselftest
# runner's time-out included). The readers run at nice 19, so that when the
# host is busier still they slow down, not the test: they switch at their
# next syscall exit whatever their priority.

. $(dirname $0)/functions.sh

MOD_LIVEPATCH=rust_livepatch
NPROC=${NPROC:-1000}
PERIOD_MS=${PERIOD_MS:-1000}
READERS=${OUTPUT:-$(dirname $0)}/klp_cmdline_readers
READERS_OUT=/tmp/klp_cmdline_readers.out
PATCHED="$MOD_LIVEPATCH: this has been live patched"

setup_config

# transition_over(mod) - mod's transition is over (or mod is gone: it
#	was unpatched)
function transition_over() {
	[[ ! -e "$SYSFS_KLP_DIR/$1" ]] || grep -q '^0$' "$SYSFS_KLP_DIR/$1/transition" 2> /dev/null
}

# watch_pending(mod) - wait for mod's transition to end, adding the number
#	of tasks it waits for to PENDING whenever that changes
function watch_pending() {
	local last="" now i

	for ((i = 0; i < MAX_RETRIES; i++)); do
		transition_over "$1" && return
		now=$($KLP_STATUS -p | wc -l)
		[[ "$now" == "$last" ]] || PENDING+=" $now"
		last=$now
		sleep $RETRY_INTERVAL
	done
	die "$1: transition not finished"
}

# readers_running() - all NPROC readers and their parent exist
function readers_running() {
	[[ $(pgrep -c -g "$READERS_PID" -f klp_cmdline_readers) -eq $((NPROC + 1)) ]]
}


# - start NPROC readers, load the livepatch, watch every task switch
# - every reader reads the patched text; disable, watch them switch back;
#   no reader ever read anything but the original or the patched text

start_test "$NPROC user processes in a patched syscall switch"

setsid nice -n 19 "$READERS" "$NPROC" "$PERIOD_MS" "$PATCHED" > "$READERS_OUT" &
READERS_PID=$!
trap 'kill -TERM -- -$READERS_PID 2> /dev/null; cleanup' EXIT INT TERM HUP
loop_until "[[ \$(grep -c '^running:' $READERS_OUT) -eq $NPROC ]]" ||
	die "$(grep -c '^running:' "$READERS_OUT") of $NPROC readers have started reading"

PENDING=""
start=${EPOCHREALTIME/./}
load_lp_nowait $MOD_LIVEPATCH
watch_pending $MOD_LIVEPATCH
patch_ms=$(( (${EPOCHREALTIME/./} - start) / 1000 ))
patch_pending=$PENDING
loop_until "[[ \$(grep -c '^patched:' $READERS_OUT) -eq $NPROC ]]" ||
	die "$(grep -c '^patched:' "$READERS_OUT") of $NPROC readers read the patched text"
readers_running || die "readers died while patched"

PENDING=""
start=${EPOCHREALTIME/./}
log "% echo 0 > $SYSFS_KLP_DIR/$MOD_LIVEPATCH/enabled"
echo 0 > "$SYSFS_KLP_DIR/$MOD_LIVEPATCH/enabled"
watch_pending $MOD_LIVEPATCH
unpatch_ms=$(( (${EPOCHREALTIME/./} - start) / 1000 ))
unpatch_pending=$PENDING
loop_until '[[ ! -e "$SYSFS_KLP_DIR/$MOD_LIVEPATCH" ]]' ||
	die "failed to disable livepatch $MOD_LIVEPATCH"
readers_running || die "readers died while unpatching"
kill -TERM -- -$READERS_PID
wait $READERS_PID 2> /dev/null
[[ $(awk '$1 == "counts:" && $7 == 0' "$READERS_OUT" | wc -l) -eq $NPROC ]] ||
	die "a reader read text other than the original or the patched one"
unload_lp $MOD_LIVEPATCH

check_result "% insmod test_modules/$MOD_LIVEPATCH.ko
$(patching_log $MOD_LIVEPATCH)
$(unpatching_log $MOD_LIVEPATCH)
% rmmod $MOD_LIVEPATCH"
none=" none (over before the first sample)"
echo "  patching: $patch_ms ms, tasks pending when sampled:${patch_pending:-$none}"
echo "  unpatching: $unpatch_ms ms, tasks pending when sampled:${unpatch_pending:-$none}"

exit 0
