#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Rust livepatches extend the data of a C module with shadow variables, as
# upstream's shadow samples do: fix1 attaches a shadow variable to each new
# dummy of livepatch-shadow-mod and frees the leak it holds with the dummy;
# fix2, stacked on fix1, counts checks of every dummy, old ones included,
# and frees leaks in turn. Every shadow variable attached is freed exactly
# once: with its dummy, or by fix1's exit (klp_shadow_free_all()).

. $(dirname $0)/functions.sh

MOD_TARGET=livepatch_shadow_mod
MOD_FIX1=rust_livepatch_shadow_fix1
MOD_FIX2=rust_livepatch_shadow_fix2

# cleanup() - after a test that failed half-way, leave none of these
#	modules loaded
function cleanup() {
	local mod

	for mod in $MOD_FIX2 $MOD_FIX1; do
		if [[ -e "$SYSFS_KLP_DIR/$mod" ]]; then
			echo 0 > "$SYSFS_KLP_DIR/$mod/enabled" 2> /dev/null
			loop_until "[[ ! -e $SYSFS_KLP_DIR/$mod ]]"
		fi
	done
	rmmod $MOD_FIX2 $MOD_FIX1 $MOD_TARGET 2> /dev/null
	pop_config
}

# new_dmesg() - the kernel log since the test started
function new_dmesg() {
	dmesg | awk -v l="$LAST_DMESG" 'p; $0 == l { p=1 }'
}

# dummies(pattern) - the dummy addresses of the new log lines that match
#	pattern ("... dummy @ <addr>, ..."), sorted
function dummies() {
	new_dmesg | sed -n "s/.*$1.*dummy @ \([0-9a-fx]*\).*/\1/p" | sort
}

setup_config


# - the module allocates dummies and leaks memory with each
# - fix1: new dummies get a SV_LEAK shadow variable whose leak is freed
#   with the dummy; dummies from before fix1 are reported as leaked
# - fix2 on top: dummies get a SV_COUNTER variable counting their checks,
#   logged when they are freed with their leak
# - disable fix2 then fix1, unload them: fix1's exit frees the SV_LEAK
#   variables left; each one attached was freed exactly once

start_test "shadow variables attached, used and freed by fix1 and fix2"

load_mod $MOD_TARGET
wait_dmesg "dummy_alloc: dummy @"

load_lp $MOD_FIX1
wait_dmesg "$MOD_FIX1: livepatch_fix1_dummy_alloc: dummy @"
wait_dmesg "$MOD_FIX1: livepatch_fix1_dummy_free: dummy @"
wait_dmesg "$MOD_FIX1: livepatch_fix1_dummy_leak_dtor: dummy @"

load_lp $MOD_FIX2
wait_dmesg "$MOD_FIX2: livepatch_fix2_dummy_leak_dtor: dummy @"
wait_dmesg "$MOD_FIX2: livepatch_fix2_dummy_free: dummy @"

disable_lp $MOD_FIX2
disable_lp $MOD_FIX1
unload_lp $MOD_FIX2
unload_lp $MOD_FIX1
unload_mod $MOD_TARGET

check_result "% insmod test_modules/$MOD_TARGET.ko
% insmod test_modules/$MOD_FIX1.ko
$(patching_log $MOD_FIX1)
% insmod test_modules/$MOD_FIX2.ko
$(patching_log $MOD_FIX2)
$(unpatching_log $MOD_FIX2)
$(unpatching_log $MOD_FIX1)
% rmmod $MOD_FIX2
% rmmod $MOD_FIX1
% rmmod $MOD_TARGET"

new_dmesg | grep -q "$MOD_FIX1: livepatch_fix1_dummy_free: dummy @ .* leaked!" ||
	die "fix1 reported no dummy from before it as leaked"
new_dmesg | grep -q "$MOD_FIX2: livepatch_fix2_dummy_free: dummy @ .*, check counter = [1-9]" ||
	die "fix2 counted no check of a freed dummy"
attached=$(dummies "$MOD_FIX1: livepatch_fix1_dummy_alloc:")
freed=$(dummies "dummy_leak_dtor:")
[[ -n "$attached" && "$attached" == "$freed" ]] ||
	die "shadow variables attached to dummies: $(echo $attached); their leaks freed: $(echo $freed)"
echo "  $(echo "$attached" | wc -l) shadow variables attached and freed"

exit 0
