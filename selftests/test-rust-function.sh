#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# On a kernel whose Rust code has ftrace call sites (RLP_KERNEL=rust-ftrace),
# a livepatch replaces a Rust function of vmlinux declared with no `unsafe`
# (livepatch::rust_func!): test_klp_rust_function replaces
# kernel::error::Error::name(), so the kernel crate prints EINVAL as
# EPATCHED while patched, and as before once unpatched: EINVAL, or
# Error(22) on a kernel without CONFIG_SYMBOLIC_ERRNAME, where the original
# finds no name (test_klp_error_name prints it when loaded); the transition
# completes both ways. A generic original, which has no
# function in vmlinux, is refused when the patch is enabled, in one line.

. $(dirname $0)/functions.sh

MOD_LIVEPATCH=test_klp_rust_function
MOD_GENERIC=test_klp_rust_generic
MOD_OBSERVER=test_klp_error_name

setup_config

# observe() - load and unload the observer, which prints EINVAL
function observe() {
	load_mod $MOD_OBSERVER
	unload_mod $MOD_OBSERVER
}


# - EINVAL prints as the kernel's config says (EINVAL, or Error(22));
#   patch Error::name(): it prints as EPATCHED; unpatch: as before
# - a patch of a generic function fails to load

start_test "a Rust function of vmlinux replaced with no unsafe"

# The module's own copy of the generic function, which it cannot replace.
copy=$(nm "test_modules/$MOD_GENERIC.ko" | awk '$3 ~ /4core3cmp3max/ { print $3; exit }')
[[ -n "$copy" ]] || die "no copy of core::cmp::max in $MOD_GENERIC.ko"

observe
# The kernel crate names an error only with CONFIG_SYMBOLIC_ERRNAME.
want="Error(22)"
! grep -q '^CONFIG_SYMBOLIC_ERRNAME=y' "$KDIR/.config" || want=EINVAL
original=$(new_dmesg | sed -n "s/.*$MOD_OBSERVER: EINVAL prints as //p" | tail -n 1)
[[ "$original" == "$want" ]] || die "unpatched, EINVAL prints as '$original', expected '$want'"
load_lp $MOD_LIVEPATCH
observe
disable_lp $MOD_LIVEPATCH
unload_lp $MOD_LIVEPATCH
observe
load_failing_mod $MOD_GENERIC

check_result "% insmod test_modules/$MOD_OBSERVER.ko
$MOD_OBSERVER: EINVAL prints as $original
% rmmod $MOD_OBSERVER
% insmod test_modules/$MOD_LIVEPATCH.ko
$(patching_log $MOD_LIVEPATCH)
% insmod test_modules/$MOD_OBSERVER.ko
$MOD_OBSERVER: EINVAL prints as EPATCHED
% rmmod $MOD_OBSERVER
$(unpatching_log $MOD_LIVEPATCH)
% rmmod $MOD_LIVEPATCH
% insmod test_modules/$MOD_OBSERVER.ko
$MOD_OBSERVER: EINVAL prints as $original
% rmmod $MOD_OBSERVER
% insmod test_modules/$MOD_GENERIC.ko
$MOD_GENERIC: max(1, 2) = 2
$MOD_GENERIC: livepatch: $copy: a function of this module, not of vmlinux (a generic, #[inline] or #[track_caller] Rust function is a copy)
insmod: ERROR: could not insert module test_modules/$MOD_GENERIC.ko: Invalid parameters"

exit 0
