#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Bad input is refused with an errno and changes nothing: writes to the
# Rust patch's sysfs files that are not a boolean, or that ask for the
# state it is in, or force without a transition; loading it twice;
# removing it while enabled; enabling it again once disabled; a second
# livepatch while one is in transition (EBUSY, which the core does not
# log: insmod reports it); and bad klp_job_target parameters, which are
# logged. None leaves a module behind.

. $(dirname $0)/functions.sh

MOD_LIVEPATCH=rust_livepatch

setup_config

# check_write_fails(attr, value, error) - writing value to the patch's attr
#	fails with error and leaves it patched
function check_write_fails() {
	local ret

	ret=$( (echo "$2" > "$SYSFS_KLP_DIR/$MOD_LIVEPATCH/$1") 2>&1) &&
		die "writing '${2:0:20}' to $1 succeeded"
	[[ "$ret" == *"$3"* ]] || die "writing '${2:0:20}' to $1: '$ret', expected '$3'"
	check_sysfs_value "$MOD_LIVEPATCH" "enabled" "1"
	check_sysfs_value "$MOD_LIVEPATCH" "transition" "0"
	check_cmdline "$MOD_LIVEPATCH: this has been live patched"
}

# check_cmd_fails(error, cmd...) - cmd fails with error
function check_cmd_fails() {
	local error="$1" ret; shift

	ret=$("$@" 2>&1) && die "'$*' succeeded"
	[[ "$ret" == *"$error"* ]] || die "'$*': '$ret', expected '$error'"
}


# - load the livepatch; write non-booleans, the current state, and force
#   outside a transition: each fails with EINVAL, the patch stays as it was
# - load it again: EEXIST; remove it while enabled: in use

start_test "bad sysfs writes and module operations on the patch are refused"

load_lp $MOD_LIVEPATCH
for value in 2 abc "" "$(printf 'x%.0s' {1..5000})" 1 yes; do
	check_write_fails enabled "$value" "Invalid argument"
done
check_write_fails force 1 "Invalid argument"
check_cmd_fails "File exists" insmod test_modules/$MOD_LIVEPATCH.ko
check_cmd_fails "is in use" rmmod $MOD_LIVEPATCH
disable_lp $MOD_LIVEPATCH
unload_lp $MOD_LIVEPATCH

check_result "% insmod test_modules/$MOD_LIVEPATCH.ko
$(patching_log $MOD_LIVEPATCH)
$(unpatching_log $MOD_LIVEPATCH)
% rmmod $MOD_LIVEPATCH"


# - disable the livepatch: its sysfs directory goes with the patch, so it
#   cannot be enabled again (ENOENT); the module, no longer in use, is
#   removed

start_test "a disabled patch cannot be enabled again"

load_lp $MOD_LIVEPATCH
disable_lp $MOD_LIVEPATCH
check_cmd_fails "No such file or directory" bash -c "echo 1 > $SYSFS_KLP_DIR/$MOD_LIVEPATCH/enabled"
[[ -e /sys/module/$MOD_LIVEPATCH ]] || die "$MOD_LIVEPATCH unloaded"
unload_lp $MOD_LIVEPATCH

check_result "% insmod test_modules/$MOD_LIVEPATCH.ko
$(patching_log $MOD_LIVEPATCH)
$(unpatching_log $MOD_LIVEPATCH)
% rmmod $MOD_LIVEPATCH"


# - upstream's busy target holds test_klp_callbacks_demo in transition;
#   load the Rust sample: refused with EBUSY, nothing
#   left loaded
# - reverse the first transition; unload

start_test "a second patch while one is in transition is refused"

load_mod test_klp_callbacks_busy block_transition=Y
load_lp_nowait test_klp_callbacks_demo
loop_until 'grep -q "^1$" $SYSFS_KLP_DIR/test_klp_callbacks_demo/transition' ||
	die "failed to stall the transition"
load_failing_mod $MOD_LIVEPATCH
[[ ! -e /sys/module/$MOD_LIVEPATCH ]] || die "$MOD_LIVEPATCH loaded"
disable_lp test_klp_callbacks_demo
unload_lp test_klp_callbacks_demo
unload_mod test_klp_callbacks_busy

check_result "% insmod test_modules/test_klp_callbacks_busy.ko block_transition=Y
test_klp_callbacks_busy: test_klp_callbacks_busy_init
test_klp_callbacks_busy: busymod_work_func enter
% insmod test_modules/test_klp_callbacks_demo.ko
livepatch: enabling patch 'test_klp_callbacks_demo'
livepatch: 'test_klp_callbacks_demo': initializing patching transition
test_klp_callbacks_demo: pre_patch_callback: vmlinux
test_klp_callbacks_demo: pre_patch_callback: test_klp_callbacks_busy -> [MODULE_STATE_LIVE] Normal state
livepatch: 'test_klp_callbacks_demo': starting patching transition
% insmod test_modules/$MOD_LIVEPATCH.ko
insmod: ERROR: could not insert module test_modules/$MOD_LIVEPATCH.ko: Device or resource busy
% echo 0 > $SYSFS_KLP_DIR/test_klp_callbacks_demo/enabled
livepatch: 'test_klp_callbacks_demo': reversing transition from patching to unpatching
livepatch: 'test_klp_callbacks_demo': starting unpatching transition
livepatch: 'test_klp_callbacks_demo': completing unpatching transition
test_klp_callbacks_demo: post_unpatch_callback: vmlinux
test_klp_callbacks_demo: post_unpatch_callback: test_klp_callbacks_busy -> [MODULE_STATE_LIVE] Normal state
livepatch: 'test_klp_callbacks_demo': unpatching complete
% rmmod test_klp_callbacks_demo
% rmmod test_klp_callbacks_busy
test_klp_callbacks_busy: busymod_work_func exit
test_klp_callbacks_busy: test_klp_callbacks_busy_exit"


# - load klp_job_target with an unknown mode, then an out of range
#   period: each fails with EINVAL and a log line naming the parameter,
#   and the module is not left loaded

start_test "bad parameters of the target module are refused and logged"

load_failing_mod $MOD_TARGET mode=bogus
[[ ! -e /sys/module/$MOD_TARGET ]] || die "$MOD_TARGET loaded"
load_failing_mod $MOD_TARGET period_ms=0
[[ ! -e /sys/module/$MOD_TARGET ]] || die "$MOD_TARGET loaded"

check_result "% insmod test_modules/$MOD_TARGET.ko mode=bogus
$MOD_TARGET: mode=bogus unknown: use kthread, freezable or workqueue
insmod: ERROR: could not insert module test_modules/$MOD_TARGET.ko: Invalid parameters
% insmod test_modules/$MOD_TARGET.ko period_ms=0
$MOD_TARGET: period_ms=0 out of range 1..10000
insmod: ERROR: could not insert module test_modules/$MOD_TARGET.ko: Invalid parameters"

exit 0
