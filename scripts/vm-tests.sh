#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vm-tests.sh KDIR GUEST TESTS...: run the VM tests TESTS in VM_JOBS VMs at
# once (default: one per host CPU), each VM running `GUEST '<its tests>'`
# (a guest command, see selftests-guest.sh) on its own host CPU. Tests are
# split by their durations measured in earlier runs ($RLP_CACHE/durations,
# else selftests/durations); test-force.sh, which leaves a module loaded,
# runs last in its VM (its Rust-target twin last in another). Prints one
# KTAP stream in the order of TESTS and, for a VM that failed or whose
# tests failed, its guest console log; exits non-zero if a VM failed.

set -e -o pipefail
. "$(dirname "$0")/lib.sh"

KDIR=$1 GUEST=$2
shift 2
TESTS=("$@")
VM_TIMEOUT=${VM_TIMEOUT:-1800}
JOBS=${VM_JOBS:-$(nproc)}
[ "$JOBS" -ge 1 ] || JOBS=1
[ "$JOBS" -le ${#TESTS[@]} ] || JOBS=${#TESTS[@]}
# VM_DURATIONS names the file for another set of tests (check-upstream's).
DURATIONS="$RLP_CACHE/${VM_DURATIONS:-durations}"
# Seeded with this project's tests' times; another set starts unmeasured.
if [ ! -f "$DURATIONS" ]; then
	if [ -z "${VM_DURATIONS:-}" ]; then
		cp "$RLP_TOP/selftests/durations" "$DURATIONS"
	else
		: > "$DURATIONS"
	fi
fi

# duration TEST: seconds it took last time (60 if never measured).
duration() {
	awk -v t="$1" '$1 == t { d = $2 } END { print d != "" ? d : 60 }' "$DURATIONS"
}

# The host CPUs this process may run on (a cpuset need not start at 0).
mapfile -t CPUS < <(python3 -c 'import os; print(*sorted(os.sched_getaffinity(0)), sep="\n")')

# A force test (test-force.sh, and its Rust-target twin) leaves its
# livepatch loaded for good: each runs last in a VM of its own.
is_final() { [[ "$1" == *test-force.sh ]]; }
finals=()
for t in "${TESTS[@]}"; do is_final "$t" && finals+=("$t"); done
if [ "$JOBS" -lt ${#finals[@]} ]; then
	info "${#finals[@]} force tests, one VM each: $JOBS VM(s) raised to ${#finals[@]}"
	JOBS=${#finals[@]}
fi

# The force tests first, one per VM; then the others longest first, each to
# the VM with the least work so far.
declare -a load bins
for ((i = 0; i < JOBS; i++)); do load[i]=0; bins[i]=""; done
for ((i = 0; i < ${#finals[@]}; i++)); do
	load[i]=$(duration "${finals[i]}")
	bins[i]=" ${finals[i]}"
done
for t in $(for t in "${TESTS[@]}"; do is_final "$t" || echo "$(duration "$t") $t"; done | sort -rn | awk '{print $2}'); do
	min=0
	for ((i = 1; i < JOBS; i++)); do
		[ "${load[i]}" -lt "${load[min]}" ] && min=$i
	done
	load[min]=$((load[min] + $(duration "$t")))
	bins[min]+=" $t"
done
# Each VM runs its tests in the order of TESTS, its force test last.
for ((i = 0; i < JOBS; i++)); do
	ordered="" final=""
	for t in "${TESTS[@]}"; do
		[[ " ${bins[i]} " == *" $t "* ]] || continue
		if is_final "$t"; then final=" $t"; else ordered+=" $t"; fi
	done
	ordered+=$final
	bins[i]=${ordered# }
done

# The VMs' logs have fixed names in $RLP_LOGS: one run at a time.
exec 9> "$RLP_LOGS/vm-tests.lock"
flock -n 9 || die "another run is using the VM logs in $RLP_LOGS: wait for it to end (or give this one its own RLP_CACHE)"

info "$JOBS VM(s), at most $VM_TIMEOUT s each, on their own host CPUs:"
rm -f "$RLP_LOGS"/vm[0-9]*.out "$RLP_LOGS"/vm[0-9]*.err
pids=()
for ((i = 0; i < JOBS; i++)); do
	info "  vm$i (about ${load[i]} s): ${bins[i]}"
	: > "$RLP_LOGS/vm$i.out"
	VM_CONSOLE="$RLP_LOGS/vm-console-$i.log" taskset -c "${CPUS[i % ${#CPUS[@]}]}" \
		"$RLP_TOP/scripts/vm.sh" "$KDIR" "$VM_TIMEOUT" "$GUEST '${bins[i]}'" \
		> "$RLP_LOGS/vm$i.out" 2> "$RLP_LOGS/vm$i.err" < /dev/null &
	pids[i]=$!
done

# Progress, as results come. A test's time runs from the poll that saw
# its "# selftests:" line (so not the VM's boot) to the one that saw its
# result, to within the 2 s poll; only tests that passed update the
# durations. Only complete lines are read: a VM may be writing the last.
declare -a seen nstarts
declare -A started
for ((i = 0; i < JOBS; i++)); do seen[i]=0; nstarts[i]=0; done
: > "$DURATIONS.new"
running=$JOBS
while [ "$running" -gt 0 ]; do
	sleep 2
	running=0
	for ((i = 0; i < JOBS; i++)); do
		kill -0 "${pids[i]}" 2>/dev/null && running=$((running + 1))
		out=$(head -n "$(wc -l < "$RLP_LOGS/vm$i.out")" "$RLP_LOGS/vm$i.out")
		n=$(grep -c '^# selftests: ' <<< "$out" || true)
		for ((k = nstarts[i]; k < n; k++)); do started[$i,$k]=$SECONDS; done
		nstarts[i]=$n
		mapfile -t results < <(grep -E '^(not )?ok [0-9]+ selftests: ' <<< "$out" || true)
		for ((r = seen[i]; r < ${#results[@]}; r++)); do
			test=$(sed -E 's/^[^:]*: [^:]*: ([^ ]+).*/\1/' <<< "${results[r]}")
			took=$((SECONDS - ${started[$i,$r]:-$SECONDS}))
			[[ "${results[r]}" =~ ^ok\ [0-9]+\ [^#]*$ ]] && echo "$test $took" >> "$DURATIONS.new"
			# Each test is a kselftest run of its own, numbered 1:
			# the number says nothing here (ktap-merge.py renumbers).
			info "[vm$i] ${results[r]%% [0-9]* selftests:*} $test ($took s)"
		done
		seen[i]=${#results[@]}
	done
done

rcs=()
for ((i = 0; i < JOBS; i++)); do
	rc=0
	wait "${pids[i]}" || rc=$?
	rcs[i]=$rc
done
# Keep the durations measured now, and the others.
awk 'NR == FNR { new[$1] = $2; next } !($1 in new) { print } END { for (t in new) print t, new[t] }' \
	"$DURATIONS.new" "$DURATIONS" | sort > "$DURATIONS.tmp" && mv "$DURATIONS.tmp" "$DURATIONS"
rm -f "$DURATIONS.new"

python3 "$RLP_TOP/scripts/ktap-merge.py" "${TESTS[*]}" "${RLP_LOGS}"/vm[0-9]*.out

status=0
for ((i = 0; i < JOBS; i++)); do
	if [ "${rcs[i]}" -ne 0 ] || grep -qE '^not ok ' "$RLP_LOGS/vm$i.out"; then
		cat "$RLP_LOGS/vm$i.err" >&2
		echo "# vm$i (${bins[i]}): exit ${rcs[i]}; guest console: $RLP_LOGS/vm-console-$i.log" >&2
	fi
	[ "${rcs[i]}" -eq 0 ] || status=${rcs[i]}
done
exit "$status"
