#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make bench`: what a Rust livepatch costs next to upstream's C sample
# (samples/livepatch/livepatch-sample.c, built with the test kernel), and how
# transitions scale with the number of tasks. Not a test: it prints numbers
# and writes them to docs/benchmarks.md and docs/benchmarks.png.
#
# READS, REPS, TREPS, TASKS, LIMIT, FORM_LIMIT, PATCHES tune the guest's
# measurements (see bench-guest.sh); VM_MEMORY (4G) must hold the largest TASKS.

set -e -o pipefail
. "$(dirname "$0")/../scripts/lib.sh"

prepare
if ! "$RLP_CACHE/venv/bin/python3" -c 'import matplotlib' 2> /dev/null; then
	say "Installing matplotlib from PyPI into $RLP_CACHE/venv, for the plot"
	run_logged matplotlib-install "$RLP_CACHE/venv/bin/pip" install 'matplotlib==3.9.2'
fi

bin="$RLP_CACHE/bench/$(basename "$KDIR")"
mkdir -p "$bin"
gcc -O2 -o "$bin/read_cmdline" "$RLP_TOP/bench/read_cmdline.c"
gcc -O2 -o "$bin/klp_cmdline_readers" "$RLP_TOP/selftests/klp_cmdline_readers.c"

log="$RLP_LOGS/bench.log"
say "Measuring in a VM (TASKS=${TASKS:-0 100 1000 10000}; can take 20 minutes under TCG)"
info "results also in $log"
export VM_MEMORY=${VM_MEMORY:-4G}
"$RLP_TOP/scripts/vm.sh" "$KDIR" "${VM_TIMEOUT:-3600}" \
	"READS='${READS:-}' REPS='${REPS:-}' TREPS='${TREPS:-}' TASKS='${TASKS:-}' LIMIT='${LIMIT:-}' FORM_LIMIT='${FORM_LIMIT:-}' PATCHES='${PATCHES:-}' \
	 '$RLP_TOP/bench/bench-guest.sh' '$KDIR' '$bin'" | tee "$log"

"$RLP_CACHE/venv/bin/python3" "$RLP_TOP/bench/report.py" "$log" "$KDIR" \
	"$(cat "$RLP_LOGS/vm-accel")" "$RLP_TOP/docs"
