#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Rust livepatches extend the data of a C module with shadow variables, as
# upstream's shadow samples do: fix1 attaches a shadow variable to each new
# dummy of livepatch-shadow-mod and frees the leak it holds with the dummy;
# fix2, stacked on fix1, counts checks of every dummy and frees leaks in
# turn. Every shadow variable attached is freed exactly once.
#
# livepatch-shadow-mod leaks memory on purpose whenever it runs unpatched.
# So fix1 is loaded first and patches the module as it loads, and the module
# is removed while patched: it never runs its leaky code, and the debug
# kernel's kmemleak scan (scripts/selftests-guest.sh) stays clean.

. $(dirname $0)/functions.sh

MOD_TARGET=livepatch_shadow_mod
MOD_FIX1=rust_livepatch_shadow_fix1
MOD_FIX2=rust_livepatch_shadow_fix2

# cleanup() - after a test that failed half-way, leave none of these
#	modules loaded; the target goes first, so that it never runs unpatched
function cleanup() {
	local mod

	rmmod $MOD_TARGET 2> /dev/null
	for mod in $MOD_FIX2 $MOD_FIX1; do
		if [[ -e "$SYSFS_KLP_DIR/$mod" ]]; then
			echo 0 > "$SYSFS_KLP_DIR/$mod/enabled" 2> /dev/null
			loop_until "[[ ! -e $SYSFS_KLP_DIR/$mod ]]"
		fi
	done
	rmmod $MOD_FIX2 $MOD_FIX1 2> /dev/null
	pop_config
}

# dummies(pattern) - the dummy addresses of the new log lines that match
#	pattern ("... dummy @ <addr>, ..."), sorted
function dummies() {
	new_dmesg | sed -n "s/.*$1.*dummy @ \([0-9a-fx]*\).*/\1/p" | sort
}

setup_config


# - fix1 is enabled before its target module exists; the module is
#   patched as it loads, so every dummy gets a SV_LEAK shadow variable
#   whose leak is freed with the dummy
# - fix2 on top: dummies get a SV_COUNTER variable counting their checks,
#   logged when they are freed with their leak
# - the module is removed while patched: its exit frees the dummies left
#   through the patched dummy_free(), and both patches revert it
# - disable fix2 then fix1, unload them: each shadow variable attached was
#   freed exactly once, and no dummy was ever leaked

start_test "shadow variables attached, used and freed by fix1 and fix2"

load_lp $MOD_FIX1
load_mod $MOD_TARGET
wait_dmesg "$MOD_FIX1: livepatch_fix1_dummy_alloc: dummy @"
wait_dmesg "$MOD_FIX1: livepatch_fix1_dummy_leak_dtor: dummy @"

load_lp $MOD_FIX2
wait_dmesg "$MOD_FIX2: livepatch_fix2_dummy_leak_dtor: dummy @"
wait_dmesg "$MOD_FIX2: livepatch_fix2_dummy_free: dummy @"

unload_mod $MOD_TARGET
disable_lp $MOD_FIX2
disable_lp $MOD_FIX1
unload_lp $MOD_FIX2
unload_lp $MOD_FIX1

check_result "% insmod test_modules/$MOD_FIX1.ko
$(patching_log $MOD_FIX1)
% insmod test_modules/$MOD_TARGET.ko
livepatch: applying patch '$MOD_FIX1' to loading module '$MOD_TARGET'
% insmod test_modules/$MOD_FIX2.ko
$(patching_log $MOD_FIX2)
% rmmod $MOD_TARGET
livepatch: reverting patch '$MOD_FIX1' on unloading module '$MOD_TARGET'
livepatch: reverting patch '$MOD_FIX2' on unloading module '$MOD_TARGET'
$(unpatching_log $MOD_FIX2)
$(unpatching_log $MOD_FIX1)
% rmmod $MOD_FIX2
% rmmod $MOD_FIX1"

new_dmesg | grep -q "dummy @ .* leaked!" &&
	die "fix1 found a dummy allocated unpatched: its leak was lost"
new_dmesg | grep -q "$MOD_FIX2: livepatch_fix2_dummy_free: dummy @ .*, check counter = [1-9]" ||
	die "fix2 counted no check of a freed dummy"
attached=$(dummies "$MOD_FIX1: livepatch_fix1_dummy_alloc:")
freed=$(dummies "dummy_leak_dtor:")
[[ -n "$attached" && "$attached" == "$freed" ]] ||
	die "shadow variables attached to dummies: $(echo $attached); their leaks freed: $(echo $freed)"
echo "  $(echo "$attached" | wc -l) shadow variables attached and freed"

exit 0
