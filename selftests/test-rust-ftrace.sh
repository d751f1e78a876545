#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# On a kernel whose Rust code calls __fentry__ (RLP_KERNEL=rust-ftrace),
# Rust functions are ftrace call sites like C functions: vmlinux's and a
# module's are in available_filter_functions, and the function tracer
# records a call of one by its v0-mangled name. (Upstream's test-ftrace.sh,
# which then runs all its cases, traces the replacement by its C name.)

. $(dirname $0)/functions.sh

MOD_LIVEPATCH=test_klp_livepatch
FILTER=$SYSFS_TRACING_DIR/available_filter_functions
# The replacement new_func! makes (for seq_show!), the patch's new function
# for the core.
ADAPTER=___klp_new_func

setup_config


# - vmlinux's Rust functions (v0-mangled: _R...) are in the filter list
# - so are the livepatch module's, once it is loaded, its adapter among them
# - reading /proc/cmdline runs the adapter, and the function tracer records
#   the call

start_test "Rust functions are ftrace call sites, and traced"

vmlinux=$(grep -c '^_R[^ ]*$' "$FILTER")
[ "$vmlinux" -gt 0 ] || die "no Rust function of vmlinux in $FILTER"
load_lp $MOD_LIVEPATCH
module=$(grep -c "^_R.* \[$MOD_LIVEPATCH\]\$" "$FILTER")
site=$(grep -m1 "^_R[^ ]*$ADAPTER \[$MOD_LIVEPATCH\]\$" "$FILTER") ||
	die "the adapter $ADAPTER of $MOD_LIVEPATCH is not in $FILTER"
trace_function "*$ADAPTER"
check_cmdline "$MOD_LIVEPATCH: this has been live patched"
traced=$(grep -m1 "[0-9]: _R[^ ]*$ADAPTER <-" "$SYSFS_TRACING_DIR/trace") ||
	die "the function tracer did not record $ADAPTER"
cleanup_tracing
disable_lp $MOD_LIVEPATCH
unload_lp $MOD_LIVEPATCH

check_result "% insmod test_modules/$MOD_LIVEPATCH.ko
$(patching_log $MOD_LIVEPATCH)
$(unpatching_log $MOD_LIVEPATCH)
% rmmod $MOD_LIVEPATCH"
echo "  $FILTER: $vmlinux Rust functions of vmlinux, $module of $MOD_LIVEPATCH, among them:"
echo "  $site"
echo "  trace: ${traced#"${traced%%[! ]*}"}"

exit 0
