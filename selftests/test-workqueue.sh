#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The same job as work items has a state boundary between two items: the
# worker switches there, the transition completes at the core's first try
# or its first retry, a second later (the retries counted by the
# workqueue tracepoint that records the transition's work), and from then on every pass runs the new
# code with state the new code derived (no stale pass), in both
# directions. Every work item queued runs one pass but the last (the
# target's final counts).

. $(dirname $0)/functions.sh

MOD_LIVEPATCH=klp_job_patch

setup_config


# - the workqueue form runs original passes
# - patch: the transition completes; from then on no original pass runs,
#   patched passes do, none stale
# - unpatch: from then on no patched pass runs, original passes do

# check_tries(what) - the transition just over took the core's first try or
#	its first retry
function check_tries() {
	local tries

	tries=$((1 + $(retries)))
	[[ "$tries" -le 2 ]] || die "$1 took $tries tries of the core, expected 1 or 2"
	echo "  $1: $tries tries of the core"
	echo > "$TRACING/trace"
}

start_test "workqueue form switches between items, no stale state"

load_mod $MOD_TARGET mode=workqueue dyndbg=+p
wait_passes original 5
tries_on

start=${EPOCHREALTIME/./}
load_lp $MOD_LIVEPATCH
took=$(( (${EPOCHREALTIME/./} - start) / 1000 ))
check_tries patching
original=$(job_status original)
wait_passes patched 10
check_job original -eq "$original"

disable_lp $MOD_LIVEPATCH
check_tries unpatching
patched=$(job_status patched)
wait_passes original 10
check_job patched -eq "$patched"
check_job stale -eq 0
tries_off
unload_lp $MOD_LIVEPATCH
unload_mod $MOD_TARGET
check_final_counts workqueue

check_result "% insmod test_modules/$MOD_TARGET.ko mode=workqueue dyndbg=+p
$MOD_TARGET: workqueue: running the job every 20 ms
% insmod test_modules/$MOD_LIVEPATCH.ko
$(patching_log $MOD_LIVEPATCH)
$(unpatching_log $MOD_LIVEPATCH)
% rmmod $MOD_LIVEPATCH
% rmmod $MOD_TARGET
$MOD_TARGET: workqueue: stopped"
echo "  insmod to patching complete: $took ms"


# - load the livepatch, then the workqueue form: patched passes only
# - unpatch: from then on no patched pass runs, none stale

start_test "workqueue form started patched switches back cleanly"

load_lp $MOD_LIVEPATCH
load_mod $MOD_TARGET mode=workqueue
wait_passes patched 10
check_job original -eq 0

disable_lp $MOD_LIVEPATCH
patched=$(job_status patched)
wait_passes original 10
check_job patched -eq "$patched"
check_job stale -eq 0
unload_lp $MOD_LIVEPATCH
unload_mod $MOD_TARGET

check_result "% insmod test_modules/$MOD_LIVEPATCH.ko
$(patching_log $MOD_LIVEPATCH)
% insmod test_modules/$MOD_TARGET.ko mode=workqueue
livepatch: applying patch '$MOD_LIVEPATCH' to loading module '$MOD_TARGET'
$MOD_TARGET: workqueue: running the job every 20 ms
$(unpatching_log $MOD_LIVEPATCH)
% rmmod $MOD_LIVEPATCH
% rmmod $MOD_TARGET
$MOD_TARGET: workqueue: stopped"

exit 0
