#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The console scan that fails a VM run (kernel_reports, scripts/lib.sh)
# flags the guest kernel's reports and nothing else: console.log holds each
# kind of kernel report next to user-space lines that look like one
# (virtme-ng-init's "WARNING:", a program's "BUG:", a test's line in
# /dev/kmsg), which must not be flagged.

. "$RLP_TOP/scripts/lib.sh"

log=$(dirname "$0")/console.log
found=$(kernel_reports "$log" | sed 's/^\[[ 0-9.]*\] //')
expected="------------[ cut here ]------------
WARNING: kernel/livepatch/core.c:1150 at klp_enable_patch+0x61/0x400, CPU#1: insmod/391
BUG: KFENCE: use-after-free read in klp_shadow_get+0x3c/0x90
Oops: general protection fault, probably for non-canonical address 0xdead000000000108: 0000 [#1] SMP NOPTI
WARNING: possible circular locking dependency detected
------------[ cut here ]------------
kernel BUG at lib/list_debug.c:32!
[    T391] BUG: sleeping function called from invalid context at kernel/locking/mutex.c:580
kmemleak: 2 new suspected memory leaks (see /sys/kernel/debug/kmemleak)
Kernel panic - not syncing: Fatal exception"

if [[ "$found" != "$expected" ]]; then
	echo "kernel_reports flagged the wrong lines:"
	diff -u --label expected --label flagged <(echo "$expected") <(echo "$found")
	exit 1
fi
count=$(count_kernel_reports "$log")
[[ "$count" -eq 8 ]] || { echo "count_kernel_reports: $count, expected 8"; exit 1; }
echo "8 kernel reports flagged, 6 user-space look-alikes not"
