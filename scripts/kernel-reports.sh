# SPDX-License-Identifier: GPL-2.0
#
# What the kernel prints when something went wrong, which fails a VM run
# (vm.sh, on the whole console) and the test it happened in (the guest's
# selftests-guest.sh, on dmesg): crashes, WARN()s and BUG()s (both start
# with "cut here"; lockdep and debug-object reports are WARNINGs too),
# "BUG: ..." reports (sleeping in atomic context, KFENCE, KASAN, list
# corruption), leaks found by kmemleak (the guest scripts ask for a scan at
# their end), the soft and hard lockup detectors' reports, RCU and RCU Tasks
# stall reports, hung tasks, and UBSAN's reports. Only kernel messages
# count: the line must start as printk prints it, with its timestamp (the
# test kernels have CONFIG_PRINTK_TIME), and the report at the start of the
# message. A program's "WARNING:" (virtme-ng-init's, say) is not one.
# Sourced by bash scripts on the host and in the guest.

KERNEL_REPORTS='^\[ *[0-9]+\.[0-9]+\] (\[ *[CT][0-9]+\] )?(Kernel panic|Oops|BUG:|kernel BUG at|WARNING:|-+\[ cut here \]-+|kmemleak: [0-9]+ new suspected memory leaks|watchdog: (BUG: soft lockup|Watchdog detected hard LOCKUP)|rcu: INFO: .* stall|INFO: rcu_tasks.* detected stalls|INFO: task .* blocked for more than|UBSAN: )'

# The taint bits a kernel report sets (/proc/sys/kernel/tainted): D (an oops
# or BUG), W (a WARN), L (a soft lockup).
KERNEL_REPORT_TAINTS=$(( (1 << 7) | (1 << 9) | (1 << 14) ))

# kernel_reports FILE [CONTEXT]: print the kernel reports in FILE, a
# console log or dmesg output, each with CONTEXT lines after it; true if
# there are any.
kernel_reports() {
	tr -d '\r' < "$1" | grep -E ${2:+-A "$2"} "$KERNEL_REPORTS"
}

# count_kernel_reports FILE: how many reports FILE has (a WARN or BUG prints
# "cut here" and its own line: one report).
count_kernel_reports() {
	kernel_reports "$1" | grep -vc -- '-\[ cut here \]-'
}
