#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A livepatch written in Rust replaces a vmlinux function through the
# ordinary livepatch core: /proc/cmdline shows the Rust replacement of
# cmdline_proc_show() while patched and the original text afterwards, and
# the core's dmesg transcript is the one upstream's C test patch produces.

. $(dirname $0)/functions.sh

MOD_LIVEPATCH=rust_livepatch

setup_config


# - load the Rust livepatch, check /proc/cmdline is patched
# - disable and unload it, check the original /proc/cmdline is back

start_test "basic function patching"

CMDLINE=$(cat /proc/cmdline)

load_lp $MOD_LIVEPATCH
check_cmdline "$MOD_LIVEPATCH: this has been live patched"

disable_lp $MOD_LIVEPATCH
unload_lp $MOD_LIVEPATCH
check_cmdline "$CMDLINE"

check_result "% insmod test_modules/$MOD_LIVEPATCH.ko
$(patching_log $MOD_LIVEPATCH)
$(unpatching_log $MOD_LIVEPATCH)
% rmmod $MOD_LIVEPATCH"

exit 0
