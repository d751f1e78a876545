#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make bench`: what a Rust livepatch costs next to a C one: the redirection
# of one call (bench/modules/), one read of /proc/cmdline with upstream's C
# sample (samples/livepatch/livepatch-sample.c, built with the test kernel),
# and how transitions scale with the number of tasks. Not a test: it prints
# numbers, writes them to docs/benchmarks.md and docs/benchmarks.png, and
# compares them with the previous run's, if there is one.
#
# RLP_KERNEL=rust-ftrace make bench measures only the redirection (PARTS),
# of the C target's function and of its Rust twin, and writes only that
# section of docs/benchmarks.md.
#
# PARTS, CALLS, READS, REPS, WINDOWS, TREPS, SLEEPING, BUSY, BUSY_MS, LIMIT,
# FORM_LIMIT tune
# the guest's measurements (see bench-guest.sh); VM_MEMORY (4G) must hold
# the largest SLEEPING.

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

log="$RLP_LOGS/bench${RLP_KERNEL:+-$RLP_KERNEL}.log"
if [ "${RLP_KERNEL:-}" = rust-ftrace ]; then
	PARTS=${PARTS:-redirect}
	[ "$PARTS" = redirect ] || die "RLP_KERNEL=rust-ftrace make bench measures the redirection only: unset PARTS"
	say "Measuring the redirection of a C and of a Rust function in a VM (about 2 minutes under TCG)"
else
	# A partial run is compared with the previous partial one, never
	# made the baseline of a full run.
	[ -z "${PARTS:-}" ] || log="${log%.log}-partial.log"
	say "Measuring in a VM (11 to 15 minutes under TCG)"
fi
previous="${log%.log}-previous.log"
info "results also in $log"
export VM_MEMORY=${VM_MEMORY:-4G}
# One vCPU: with a second, whether a transition completed at the core's
# first try or a second later was chance (docs/benchmark-method.md).
export VM_CPUS=${VM_CPUS:-1}
vars=""
for v in PARTS CALLS READS REPS WINDOWS TREPS SLEEPING BUSY BUSY_MS LIMIT FORM_LIMIT; do
	[ -n "${!v:-}" ] && vars+="$v='${!v}' "
done
"$RLP_TOP/scripts/vm.sh" "$KDIR" "${VM_TIMEOUT:-3600}" \
	"$vars'$RLP_TOP/bench/bench-guest.sh' '$KDIR' '$bin'" | tee "$log.new" ||
	die "the benchmark stopped in the VM (the ERROR line above says why): its output is in $log.new"
grep -q '^RESULT ' "$log.new" || die "the VM printed no results (PARTS='${PARTS:-}'?): see $log.new"
# Only a complete run becomes the next run's baseline.
[ -f "$log" ] && mv "$log" "$previous"
mv "$log.new" "$log"

PARTS=${PARTS:-} "$RLP_CACHE/venv/bin/python3" "$RLP_TOP/bench/report.py" "$log" "$KDIR" \
	"$(cat "$RLP_LOGS/vm-accel")" "$RLP_TOP/docs" "$previous"
