#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make check`: set up whatever is missing (host packages and tools, the
# test kernel), build the modules, run the selftests on the test kernel in
# a virtme-ng VM. Prints the KTAP results, then "N passed, N failed,
# N skipped"; exits non-zero on any failure, crash or time-out.
# TESTS="test-a.sh test-b.sh" runs only those selftests.
# `check.sh upstream` (`make check-upstream`) runs the kernel's own C
# livepatch selftests instead, in the same VM set-up.

set -e -o pipefail
. "$(dirname "$0")/lib.sh"

VM_TIMEOUT=${VM_TIMEOUT:-1800}

prepare

if [ "$1" = upstream ]; then
	dir=$("$RLP_TOP/scripts/upstream-selftests.sh" "$KDIR")
	guest="'$RLP_TOP/scripts/upstream-guest.sh' '$KDIR' '$dir'"
	log="$RLP_LOGS/upstream-selftests.log"
else
	guest="'$RLP_TOP/scripts/selftests-guest.sh' '$KDIR' '${TESTS:-}'"
	log="$RLP_LOGS/selftests.log"
fi

say "Step 4/4: selftests in a VM (at most $VM_TIMEOUT s)"
info "results also in $log"
set +e
"$RLP_TOP/scripts/vm.sh" "$KDIR" "$VM_TIMEOUT" "$guest" | tee "$log"
rc=${PIPESTATUS[0]}
set -e -o pipefail

# No test expects to fail: kselftest's XFAIL (exit 2, also what bash
# returns for a syntax error) counts as a failure.
count() { awk -v re="$1" '$0 ~ re { n++ } END { print n + 0 }' "$log"; }
skipped_tests=$(count '^ok .*# SKIP')
failed=$(count '^not ok |^ok .*# XFAIL')
passed=$(( $(count '^ok ') - skipped_tests - $(count '^ok .*# XFAIL') ))
# Cases cut from a test that ran (upstream-scenario.sh) count as skipped.
skipped=$(( skipped_tests + $(count '^# SKIP case: ') ))
echo
if [ "$skipped" -gt 0 ]; then
	echo "Skipped, and why:"
	grep -E '^# SKIP: |^# SKIP case: |^ok .*# SKIP' "$log" | sed 's/^/  /'
fi
if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
	echo "The VM exited with $rc before the tests finished: counted as a failure."
	failed=$((failed + 1))
elif [ $((passed + skipped + failed)) -eq 0 ]; then
	echo "No test ran: counted as a failure."
	failed=1
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
