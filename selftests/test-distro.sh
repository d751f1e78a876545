#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make distro` serves the kernel it runs on when that is Debian's own
# (RLP_KERNEL=debian boots it): its check accepts the running kernel, the
# sample built for it (the same build make distro makes: the upload of the
# running kernel, in Debian's toolchain) has the running kernel's vermagic,
# and the lines make distro prints to try it work: the kernel loads the
# unsigned module, tainted, and the patch completes.

. $(dirname $0)/functions.sh

MOD_LIVEPATCH=rust_livepatch

setup_config


# - distro.sh --check accepts the running kernel, naming its upload
# - the sample's vermagic is the running kernel's
# - insmod, as make distro says: /proc/cmdline patched, transition 0, the
#   kernel tainted as for an unsigned module (E); then disable, rmmod

start_test "make distro's check and module, on Debian's running kernel"

out=$("$RLP_TOP/scripts/distro.sh" --check 2>&1) || die "distro.sh --check refused the running kernel: $out"
upload=$(uname -v | sed -n 's/.* Debian \([^ ]*\) .*/\1/p')
[[ "$out" == *"Kernel $(uname -r), Debian upload $upload"* ]] ||
	die "distro.sh --check does not name the running kernel $(uname -r) ($upload): $out"
vermagic=$(modinfo -F vermagic "test_modules/$MOD_LIVEPATCH.ko")
[[ "${vermagic%% *}" == "$(uname -r)" ]] ||
	die "$MOD_LIVEPATCH.ko has vermagic '$vermagic', the kernel is $(uname -r)"
CMDLINE=$(cat /proc/cmdline)

load_lp $MOD_LIVEPATCH
check_cmdline "$MOD_LIVEPATCH: this has been live patched"
wait_transition $MOD_LIVEPATCH
# TAINT_UNSIGNED_MODULE, bit 13: the module carries no signature.
(( $(cat /proc/sys/kernel/tainted) & (1 << 13) )) ||
	die "the kernel is not tainted for an unsigned module (tainted: $(cat /proc/sys/kernel/tainted))"

disable_lp $MOD_LIVEPATCH
unload_lp $MOD_LIVEPATCH
check_cmdline "$CMDLINE"

check_result "% insmod test_modules/$MOD_LIVEPATCH.ko
$(patching_log $MOD_LIVEPATCH)
$(unpatching_log $MOD_LIVEPATCH)
% rmmod $MOD_LIVEPATCH"

exit 0
