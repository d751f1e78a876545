#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make stress`: set up as `make check` does, on the debug test kernel
# (RLP_KERNEL=debug unless set; RLP_KERNEL= for the normal one), then, in a
# VM, enable -> transition -> disable -> unload klp_job_patch (the per-task
# tests' Rust livepatch) over and over
# while user processes read /proc/cmdline, whose show function it
# replaces, and klp_job_target's workqueue job runs. Prints what was done
# and counted; fails on a read or pass lost or counted twice, a
# transition not complete in time, a kernel report or a leak.
#
#   STRESS_CYCLES   cycles to run (200)
#   STRESS_TASKS    reader processes (1000), each reading every
#   STRESS_PERIOD   ms (1000: under TCG the debug kernel cannot serve 1000
#                   readers every 200 ms; with KVM try 10)
#   STRESS_LIMIT    s a transition may take (60)
#   STRESS_TIME     s after which no new cycle starts (3600)

set -e -o pipefail
. "$(dirname "$0")/lib.sh"

export RLP_KERNEL=${RLP_KERNEL-debug}
CYCLES=${STRESS_CYCLES:-200}
TASKS=${STRESS_TASKS:-1000}
PERIOD=${STRESS_PERIOD:-1000}
LIMIT=${STRESS_LIMIT:-60}
TIME=${STRESS_TIME:-3600}

prepare

log="$RLP_LOGS/stress.log"
say "Stress: $CYCLES cycles of klp_job_patch, $TASKS readers every $PERIOD ms, the workqueue job; ${RLP_KERNEL:-normal} kernel"
info "results also in $log; no new cycle after $TIME s"
set +e
"$RLP_TOP/scripts/vm.sh" "$KDIR" $((TIME + 900)) \
	"'$RLP_TOP/scripts/stress-guest.sh' $CYCLES $TASKS $PERIOD $LIMIT $TIME" | tee "$log"
rc=${PIPESTATUS[0]}
set -e
echo "  kernel reports in the guest console: $(count_kernel_reports "$RLP_LOGS/vm-console.log")"
[ "$rc" -eq 0 ] && echo "stress: PASS" || echo "stress: FAIL"
exit "$rc"
