#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The scan of the console that fails a VM run, and of dmesg that fails the
# test that was running (kernel_reports, scripts/kernel-reports.sh), flags
# the guest kernel's reports and nothing else: console.log holds each kind
# of kernel report next to lines that look like one (virtme-ng-init's
# "WARNING:", a program's "BUG:", a test's line in /dev/kmsg, the kernel's
# own "watchdog:", "rcu:" and "INFO:" lines that report nothing), which must
# not be flagged.

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
watchdog: BUG: soft lockup - CPU#1 stuck for 26s! [klp_job_kthread:391]
rcu: INFO: rcu_preempt self-detected stall on CPU
INFO: rcu_tasks detected stalls on tasks:
INFO: task kworker/0:1:12 blocked for more than 122 seconds.
UBSAN: array-index-out-of-bounds in kernel/livepatch/core.c:42:7
BUG: KASAN: slab-use-after-free in klp_shadow_get+0x3c/0x90
Kernel panic - not syncing: Fatal exception"

if [[ "$found" != "$expected" ]]; then
	echo "kernel_reports flagged the wrong lines:"
	diff -u --label expected --label flagged <(echo "$expected") <(echo "$found")
	exit 1
fi
count=$(count_kernel_reports "$log")
[[ "$count" -eq 14 ]] || { echo "count_kernel_reports: $count, expected 14"; exit 1; }
echo "14 kernel reports flagged, 9 look-alikes not"
