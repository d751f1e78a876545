#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# On a kernel whose Rust code calls __fentry__ (RLP_KERNEL=rust-ftrace),
# Rust functions are ftrace call sites like C functions: vmlinux's and a
# module's are in available_filter_functions, and the function tracer
# records their calls. Upstream's test-ftrace.sh then runs all its cases.

. $(dirname $0)/functions.sh

MOD_LIVEPATCH=test_klp_livepatch
FUNCTION_NAME=livepatch_cmdline_proc_show
FILTER=$SYSFS_TRACING_DIR/available_filter_functions

setup_config


# - vmlinux's Rust functions (v0-mangled: _R...) are in the filter list
# - so are the livepatch module's, once it is loaded

start_test "Rust functions are ftrace call sites"

vmlinux=$(grep -c '^_R[^ ]*$' "$FILTER")
[ "$vmlinux" -gt 0 ] || die "no Rust function of vmlinux in $FILTER"
load_lp $MOD_LIVEPATCH
site=$(grep -x "$FUNCTION_NAME \[$MOD_LIVEPATCH\]" "$FILTER") ||
	die "$FUNCTION_NAME of $MOD_LIVEPATCH is not in $FILTER"
module=$(grep -c " \[$MOD_LIVEPATCH\]\$" "$FILTER")
disable_lp $MOD_LIVEPATCH
unload_lp $MOD_LIVEPATCH

check_result "% insmod test_modules/$MOD_LIVEPATCH.ko
$(patching_log $MOD_LIVEPATCH)
$(unpatching_log $MOD_LIVEPATCH)
% rmmod $MOD_LIVEPATCH"
echo "  $FILTER: $vmlinux Rust functions of vmlinux, $module of $MOD_LIVEPATCH, among them:"
echo "  $site"


# - trace the replacement: reading /proc/cmdline runs it, through the
#   livepatch, and the function tracer records the call

start_test "the function tracer records a Rust function"

load_lp $MOD_LIVEPATCH
trace_function "$FUNCTION_NAME"
check_cmdline "$MOD_LIVEPATCH: this has been live patched"
traced=$(grep -m1 -w "$FUNCTION_NAME" "$SYSFS_TRACING_DIR/trace")
check_traced_functions "$FUNCTION_NAME"
disable_lp $MOD_LIVEPATCH
unload_lp $MOD_LIVEPATCH

check_result "% insmod test_modules/$MOD_LIVEPATCH.ko
$(patching_log $MOD_LIVEPATCH)
$(unpatching_log $MOD_LIVEPATCH)
% rmmod $MOD_LIVEPATCH"
echo "  trace: ${traced#"${traced%%[! ]*}"}"

exit 0
