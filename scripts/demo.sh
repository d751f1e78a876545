#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make demo`: set up whatever is missing, build the modules, then boot the
# test kernel in a VM and show the Rust livepatch at work.

set -e -o pipefail
. "$(dirname "$0")/lib.sh"

prepare
say "The demo, in a VM"
# The transcript is also kept, for the excerpts in the documentation
# (scripts/update-excerpts.py).
log="$RLP_LOGS/demo${RLP_KVER:+-$RLP_KVER}${RLP_KERNEL:+-$RLP_KERNEL}.log"
info "transcript also in $log"
# The demo keeps kernel messages off the console, where vm.sh looks for
# kernel reports: the guest looks for them in its log instead.
"$RLP_TOP/scripts/vm.sh" "$KDIR" "${VM_TIMEOUT:-600}" \
	"dmesg -n 1; '$RLP_TOP/scripts/demo-guest.sh' || exit;
	 if dmesg | grep -E '$KERNEL_REPORTS'; then echo 'ERROR: the guest kernel reported the problems above'; exit 1; fi" |
	tee "$log"
