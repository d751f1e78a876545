#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A quiet point is not a state boundary. The freezable kthread form's thread
# loops in klp_job_freezable_kthread(), which is not patched (the helpers it
# calls are), and sleeps in a freezable wait between passes. It switches
# while it sleeps there: since 7.x the core tries to switch a task that
# schedules out of a freezable sleep (klp_sched_try_switch() in
# __schedule(): a check of its own stack), as its periodic stack check
# would. The system is never frozen: the freezer itself plays no part, and
# the kernel does not switch tasks at it. The transition completes, but the
# format the loop derived from the old code is then handed to the new code
# (a stale pass), in both directions: the local state that, as the 2015
# design discussion of the consistency model put it, would survive a
# switch at the freezer too. Compare test-workqueue.sh, where the same job
# has no stale pass.

. $(dirname $0)/functions.sh

MOD_LIVEPATCH=klp_job_patch

setup_config


# - the freezable form runs original passes with the original format
# - patch: the transition completes, and every patched pass is stale: it
#   got the format the loop derived from the original code
# - unpatch: original passes get the original format again; no pass is
#   patched or stale any more, and every patched pass was stale

start_test "freezable form switches, but old state reaches the new code"

load_mod $MOD_TARGET mode=freezable
wait_passes original 5
check_job stale -eq 0

load_lp $MOD_LIVEPATCH
wait_passes patched 5
check_job stale -gt 0

disable_lp $MOD_LIVEPATCH
patched=$(job_status patched)
wait_passes original 5
check_job patched -eq "$patched"
check_job stale -eq "$patched"
unload_lp $MOD_LIVEPATCH
unload_mod $MOD_TARGET

check_result "% insmod test_modules/$MOD_TARGET.ko mode=freezable
$MOD_TARGET: freezable: running the job every 20 ms
% insmod test_modules/$MOD_LIVEPATCH.ko
$(patching_log $MOD_LIVEPATCH)
$(unpatching_log $MOD_LIVEPATCH)
% rmmod $MOD_LIVEPATCH
% rmmod $MOD_TARGET
$MOD_TARGET: freezable: stopped"


# - load the livepatch, then the freezable form: its loop derives the
#   patched format and runs patched passes, none stale
# - unpatch: the transition completes, and every original pass is stale:
#   it got the format the patched code derived

start_test "freezable form started patched: new state reaches the old code"

load_lp $MOD_LIVEPATCH
load_mod $MOD_TARGET mode=freezable
wait_passes patched 5
check_job original -eq 0
check_job stale -eq 0

disable_lp $MOD_LIVEPATCH
wait_passes original 5
check_job stale -gt 0
unload_lp $MOD_LIVEPATCH
unload_mod $MOD_TARGET

check_result "% insmod test_modules/$MOD_LIVEPATCH.ko
$(patching_log $MOD_LIVEPATCH)
% insmod test_modules/$MOD_TARGET.ko mode=freezable
livepatch: applying patch '$MOD_LIVEPATCH' to loading module '$MOD_TARGET'
$MOD_TARGET: freezable: running the job every 20 ms
$(unpatching_log $MOD_LIVEPATCH)
% rmmod $MOD_LIVEPATCH
% rmmod $MOD_TARGET
$MOD_TARGET: freezable: stopped"

exit 0
