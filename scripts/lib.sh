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

# What the kernel prints when something went wrong, which fails a VM run:
# crashes, WARN()s (lockdep and debug-object reports are WARNINGs too),
# "BUG: ..." reports (sleeping in atomic context, KFENCE, list corruption),
# leaks found by kmemleak (the guest scripts ask for a scan at their end).
SPLATS='Kernel panic|Oops|BUG:|WARNING:|kmemleak: [0-9]+ new suspected memory leaks'

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
		info "[$((SECONDS - start)) s] $last"
	done
	wait "$pid"
	rc=$?
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
	say "Step 1/4: host packages and tools"
	"$RLP_TOP/scripts/setup-host.sh"
	say "Step 2/4: the Rust-enabled test kernel"
	KDIR=$("$RLP_TOP/scripts/kernel.sh" build)
	say "Step 3/4: building the modules against $KDIR"
	run_logged modules make -C "$RLP_TOP" KDIR="$KDIR"
}
