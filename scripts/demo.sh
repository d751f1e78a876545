#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make demo`: set up whatever is missing, build the modules, then boot the
# kernel in a VM and show the Rust livepatch at work. The kernel is
# Debian's own (RLP_KERNEL=debian): the kernel people run, and no kernel to
# compile; RLP_KERNEL=test (or another variant) for the project's.

set -e -o pipefail
export RLP_KERNEL=${RLP_KERNEL:-debian}
. "$(dirname "$0")/lib.sh"

prepare
say "The demo, in a VM"
# The transcript is also kept, for the excerpts in the documentation
# (scripts/update-excerpts.py): demo.log for the default kernel.
variant=$RLP_KERNEL
[ "$variant" != debian ] || variant=""
log="$RLP_LOGS/demo${RLP_KVER:+-$RLP_KVER}${variant:+-$variant}.log"
info "transcript also in $log"
# The demo keeps kernel messages off the console, where vm.sh looks for
# kernel reports: the guest looks for them in its log instead.
"$RLP_TOP/scripts/vm.sh" "$KDIR" "${VM_TIMEOUT:-600}" \
	"dmesg -n 1; '$RLP_TOP/scripts/demo-guest.sh' || exit;
	 if dmesg | grep -E '$KERNEL_REPORTS'; then echo 'ERROR: the guest kernel reported the problems above'; exit 1; fi" |
	tee "$log"
