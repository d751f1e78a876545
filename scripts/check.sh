#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make check`: set up whatever is missing (host packages and tools, the
# test kernel), build the modules, run the selftests on the test kernel in
# virtme-ng VMs, as many at once as the host has CPUs (VM_JOBS;
# scripts/vm-tests.sh), and the host tests meanwhile. Prints the KTAP results, then
# "N passed, N failed, N skipped"; exits non-zero on any failure, crash or
# time-out. A skip that selftests/expected-skips does not list is a failure.
#
#   TESTS="test-a.sh test-b.sh"   only those selftests (no host tests)
#   CHECK_ALSO="7.2 rust-ftrace"  then, on each kernel series listed, the
#                                 build and the SMOKE_TESTS; on the kernel
#                                 variant rust-ftrace, its own smoke tests;
#                                 on debian (Debian's own kernel), the build
#                                 and the SMOKE_TESTS
#
# `check.sh upstream` (`make check-upstream`) runs the kernel's own C
# livepatch selftests instead, in the same VM set-up.

set -e -o pipefail
. "$(dirname "$0")/lib.sh"

# What CHECK_ALSO runs on another kernel: the sample, the per-task job in
# its workqueue form, and upstream's basic scenarios.
SMOKE_TESTS="test-livepatch.sh test-workqueue.sh upstream-test-livepatch.sh"
# What CHECK_ALSO runs on the kernel that traces Rust code: the ftrace
# proof, upstream's ftrace scenario (all its cases), and the Rust target's
# workqueue and kthread forms.
RUST_FTRACE_SMOKE_TESTS="test-rust-ftrace.sh test-rust-function.sh upstream-test-ftrace.sh
	rust-target-test-workqueue.sh rust-target-test-kthread.sh"
# On the kernel with the series (RLP_KERNEL=upstream): kernel::livepatch's
# doctests, the tests of the sample (now the kernel's), and upstream's
# scenarios with the test modules built against kernel::livepatch.
if [ "${RLP_KERNEL:-}" = upstream ]; then
	TESTS=${TESTS:-test-kunit-doctests.sh test-livepatch.sh test-sysfs.sh test-bad-input.sh test-user-tasks.sh $(
		sed -n 's/^\t\(upstream-test-[a-z-]*\.sh\).*/\1/p' "$RLP_TOP/selftests/Makefile" | xargs)}
	export VM_APPEND="kunit.filter_glob=rust_doctests_kernel.rust_doctest_kernel_livepatch*"
fi
# On the kernel that traces Rust code (RLP_KERNEL=rust-ftrace): every
# selftest, with none of upstream's cases skipped, the ftrace proof, and
# the per-task tests against the Rust target.
[ "${RLP_KERNEL:-}" != rust-ftrace ] || EXTRA_TESTS="test-rust-ftrace.sh test-rust-function.sh
	rust-target-test-workqueue.sh rust-target-test-freezable.sh rust-target-test-kthread.sh
	rust-target-test-force.sh"
# On Debian's own kernel (RLP_KERNEL=debian): every selftest, and make
# distro's check and module on the kernel the VM runs.
[ "${RLP_KERNEL:-}" != debian ] || EXTRA_TESTS="test-distro.sh"

# not_run: what a run of this kind leaves out, and the command that runs it.
not_run() {
	[ -z "${TESTS:-}" ] && [ "$1" != upstream ] || return 0
	echo "Not run by this command:"
	[ "${RLP_KERNEL:-}" = debug ] ||
		echo "  the debug kernel's lockdep, KFENCE and kmemleak checks: RLP_KERNEL=debug make check"
	[ "${RLP_KERNEL:-}" = rust-ftrace ] || [[ " ${CHECK_ALSO:-} " == *" rust-ftrace "* ]] ||
		echo "  Rust functions as targets, the traced replacement of upstream's test-ftrace.sh: RLP_KERNEL=rust-ftrace make check"
	[ "${RLP_KERNEL:-}" = upstream ] ||
		echo "  kernel::livepatch in the kernel, its KUnit doctests and in-tree sample: RLP_KERNEL=upstream make check"
	case "${RLP_KERNEL:-}" in
	btf | debian) ;;
	*) echo "  the C prototypes checked against the kernel's own BTF: RLP_KERNEL=btf make check" ;;
	esac
	echo "  the kernel's own C livepatch selftests: make check-upstream"
	echo "  enable/disable cycles under load: make stress"
}

# Logs are named after the series and variant; RLP_KERNEL=test is the
# default kernel.
logname=${RLP_KVER:+-$RLP_KVER}${RLP_KERNEL:+-$RLP_KERNEL}
logname=${logname%-test}
# The outermost run keeps its transcript, for the excerpts in the
# documentation (scripts/update-excerpts.py).
if [ -z "${RESULTS:-}" ]; then
	exec > >(tee "$RLP_LOGS/check$logname.log") 2>&1
	tee_pid=$!
fi
# The results of this run are appended to $RESULTS ("passed failed skipped").
RESULTS=${RESULTS:-$(mktemp)}
export RESULTS

prepare

log="$RLP_LOGS/selftests$logname.log"
: > "$log"
if [ "$1" = upstream ]; then
	dir=$("$RLP_TOP/scripts/upstream-selftests.sh" "$KDIR")
	guest="'$RLP_TOP/scripts/upstream-guest.sh' '$KDIR' '$dir'"
	log="$RLP_LOGS/upstream-selftests.log"
	: > "$log"
	tests=$(sed -n '/^TEST_PROGS :=/,/^$/p' "$dir/Makefile" | grep -o 'test-[a-z-]*\.sh' | xargs)
	export VM_DURATIONS=durations-upstream-c
else
	# The guest's helpers (TEST_GEN_FILES), built here: in the emulated
	# guest, gcc takes most of a minute.
	bin="$RLP_CACHE/selftests-bin/$(basename "$KDIR")"
	mkdir -p "$bin"
	run_logged selftests-bin make -C "$RLP_TOP/selftests" KDIR="$KDIR" OUTPUT="$bin" all
	guest="'$RLP_TOP/scripts/selftests-guest.sh' '$KDIR' '$bin'"
	tests=${TESTS:-$(make -s -C "$RLP_TOP/selftests" KDIR="$KDIR" \
		--eval='print-tests: ; @echo $(TEST_PROGS)' print-tests) ${EXTRA_TESTS:-}}
fi

say "Selftests in VMs, kernel $(cat "$KDIR/include/config/kernel.release")"
info "results also in $log"
# The host tests run while the VMs boot and wait, at low priority: their
# results are printed after the VMs'.
if [ "$1" != upstream ] && [ -z "${TESTS:-}" ]; then
	host_log="$RLP_LOGS/host-tests.log"
	nice -n 19 "$RLP_TOP/scripts/host-tests.sh" "$KDIR" > "$host_log" 2>&1 &
	host_pid=$!
	# `|| true`: a trap's failure would become the script's exit status.
	trap 'kill "$host_pid" 2> /dev/null || true' EXIT
fi
set +e
# shellcheck disable=SC2086 # one word per test
"$RLP_TOP/scripts/vm-tests.sh" "$KDIR" "$guest" $tests | tee -a "$log"
rc=${PIPESTATUS[0]}
if [ -n "${host_pid:-}" ]; then
	wait "$host_pid"
	host_rc=$?
	trap - EXIT
	say "Host tests (KTAP), run alongside the VMs"
	tee -a "$log" < "$host_log"
	# host-tests.sh exits 0 once it has printed every result.
	[ "$host_rc" -eq 0 ] || echo "not ok - host-tests.sh stopped early (exit $host_rc)" | tee -a "$log"
fi
set -e -o pipefail

# No test expects to fail: kselftest's XFAIL (exit 2, also what bash
# returns for a syntax error) counts as a failure, and so does a skipped
# test: only the cases of expected-skips, cut from their scenarios, may be
# skipped (their KTAP subtest lines, "# ok N <case> # SKIP <why>").
count() { awk -v re="$1" '$0 ~ re { n++ } END { print n + 0 }' "$log"; }
skipped_tests=$(count '^ok .*# SKIP')
failed=$(( $(count '^not ok |^ok .*# XFAIL') + skipped_tests ))
passed=$(( $(count '^ok ') - skipped_tests - $(count '^ok .*# XFAIL') ))
skipped=$(count '^# ok [0-9]+ .* # SKIP ')
echo
if [ "$skipped" -gt 0 ]; then
	echo "Cases skipped, as selftests/expected-skips says:"
	sed -nE 's/^# ok [0-9]+ (.*) # SKIP (.*)$/  \1: \2/p' "$log"
fi
if [ "$skipped_tests" -gt 0 ]; then
	echo "Skipped tests, counted as failures (a missing tool or kernel feature):"
	grep -E '^ok .*# SKIP|^# (SKIP|skip)[: ]' "$log" | sed 's/^/  /'
fi
if [ "${RLP_KERNEL:-}" = rust-ftrace ] && [ "$skipped" -gt 0 ]; then
	echo "RLP_KERNEL=rust-ftrace traces Rust functions: no case may be skipped, counted as failures."
	failed=$((failed + skipped))
fi
if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
	echo "The VM exited with $rc before the tests finished: counted as a failure."
	failed=$((failed + 1))
elif [ $((passed + skipped + failed)) -eq 0 ]; then
	echo "No test ran: counted as a failure."
	failed=1
fi
not_run "${1:-}"
echo "${RLP_KVER:+kernel $RLP_KVER: }${RLP_KERNEL:+RLP_KERNEL=$RLP_KERNEL: }$passed passed, $failed failed, $skipped skipped"
echo "$passed $failed $skipped" >> "$RESULTS"

for also in ${CHECK_ALSO:-}; do
	echo
	runs=$(wc -l < "$RESULTS")
	if [ "$also" = rust-ftrace ]; then
		say "CHECK_ALSO: kernel variant $also: the build and" $RUST_FTRACE_SMOKE_TESTS
		RLP_KERNEL=$also CHECK_ALSO= TESTS=$RUST_FTRACE_SMOKE_TESTS "$0" "$@" || true
	elif [ "$also" = debian ]; then
		say "CHECK_ALSO: Debian's own kernel: the build and $SMOKE_TESTS"
		RLP_KERNEL=$also CHECK_ALSO= TESTS=$SMOKE_TESTS "$0" "$@" || true
	else
		say "CHECK_ALSO: kernel series $also: the build and $SMOKE_TESTS"
		RLP_KVER=$also CHECK_ALSO= TESTS=$SMOKE_TESTS "$0" "$@" || true
	fi
	[ "$(wc -l < "$RESULTS")" -gt "$runs" ] || {
		echo "$also: the set-up or the build failed: counted as a failure"
		echo "0 1 0" >> "$RESULTS"
	}
done
if [ -n "${CHECK_ALSO:-}" ]; then
	read -r passed failed skipped < <(awk '{ p += $1; f += $2; s += $3 } END { print p, f, s }' "$RESULTS")
	echo
	echo "All kernels: $passed passed, $failed failed, $skipped skipped"
fi
# The transcript is whole once tee has read its last line.
if [ -n "${tee_pid:-}" ]; then
	exec >&- 2>&-
	wait "$tee_pid"
fi
[ "$failed" -eq 0 ]
