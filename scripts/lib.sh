# SPDX-License-Identifier: GPL-2.0
#
# Shared helpers for the set-up, demo and test scripts: plain-words
# progress, logs kept in files, and the cache that lives outside the clone.

RLP_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RLP_CACHE=${RLP_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/rust_livepatch}
RLP_LOGS=${RLP_LOGS:-$RLP_CACHE/logs}
mkdir -p "$RLP_CACHE" "$RLP_LOGS"

# Tools the project installs into its cache, first on PATH.
export PATH="$RLP_CACHE/tools/bin:$RLP_CACHE/venv/bin:$PATH"

# The kernel series the project supports, newest first; the default is the
# newest of them that Debian ships (scripts/kernel.sh).
SUPPORTED_KVERS="7.3 7.2"

# Kernel reports: KERNEL_REPORTS, kernel_reports, count_kernel_reports.
. "$RLP_TOP/scripts/kernel-reports.sh"

say() { echo "==> $*" >&2; }
info() { echo "    $*" >&2; }
die() { echo "ERROR: $*" >&2; exit 1; }

# run_logged NAME CMD...: run CMD with its output in $RLP_LOGS/NAME.log.
# Every 15 s print how long it has run and its latest log line; on failure
# print the log's tail and exit.
run_logged() {
	local name=$1; shift
	local log="$RLP_LOGS/$name.log" start=$SECONDS pid rc last
	info "log: $log"
	"$@" >"$log" 2>&1 </dev/null &
	pid=$!
	while ! wait_for_exit "$pid" 15; do
		last=$(tail -n 1 "$log" 2>/dev/null | cut -c1-100)
		info "[$((SECONDS - start)) s] ${last:-(no output yet)}"
	done
	# Not `wait; rc=$?`: under `set -e`, a failure would exit before
	# the log's tail is shown.
	rc=0
	wait "$pid" || rc=$?
	if [ "$rc" -ne 0 ]; then
		echo "---- last 40 lines of $log ----" >&2
		tail -n 40 "$log" >&2
		die "$name failed (exit $rc); full log: $log"
	fi
	info "done in $((SECONDS - start)) s"
}

# wait_for_exit PID SECS: true once PID has exited, false after SECS.
wait_for_exit() {
	local i
	for ((i = 0; i < $2 * 10; i++)); do
		kill -0 "$1" 2>/dev/null || return 0
		sleep 0.1
	done
	return 1
}

# as_root CMD...: run CMD as root, through sudo when needed.
as_root() {
	if [ "$(id -u)" -eq 0 ]; then
		"$@"
	elif command -v sudo >/dev/null; then
		sudo "$@"
	else
		die "'$*' needs root: run as root or install sudo"
	fi
}

# prepare: what `make demo` and `make check` share. Install what is
# missing, build (or reuse) the test kernel, build the modules; sets KDIR.
prepare() {
	say "Set-up 1/3: host packages and tools"
	"$RLP_TOP/scripts/setup-host.sh"
	say "Set-up 2/3: the Rust-enabled test kernel"
	KDIR=$("$RLP_TOP/scripts/kernel.sh" build)
	say "Set-up 3/3: building the modules against ${KDIR/#$HOME/\~}"
	# Kbuild compiles the modules one by one unless given jobs.
	run_logged modules make -C "$RLP_TOP" KDIR="$KDIR" -j"$(($(nproc) + 1))"
	if [ "${RLP_KERNEL:-}" = upstream ]; then
		# The tests load the kernel's own sample, built with it, where
		# they load the project's (test_modules/rust_livepatch.ko links
		# here). Without the object, the next build of the project's
		# sample replaces it.
		info "the sample is the kernel's: samples/rust/rust_livepatch.ko"
		rm -f "$RLP_TOP"/rust_livepatch.o "$RLP_TOP"/.rust_livepatch.*.cmd
		cp "$KDIR/samples/rust/rust_livepatch.ko" "$RLP_TOP/rust_livepatch.ko"
	fi
}
