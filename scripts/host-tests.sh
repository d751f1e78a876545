#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# host-tests.sh KDIR: the tests that run on the host, not in the VM
# (selftests/host/test-*.sh), as one KTAP suite. Each test exits as a
# kselftest does: 0 pass, 4 skip, anything else fail; its output is
# printed as KTAP diagnostics.

TOP=$(cd "$(dirname "$0")/.." && pwd)
export KDIR=$1 RLP_TOP=$TOP

tests=("$TOP"/selftests/host/test-*.sh)
echo "TAP version 13"
echo "1..${#tests[@]}"
n=0
for t in "${tests[@]}"; do
	n=$((n + 1))
	name="host: ${t##*/}"
	echo "# selftests: $name"
	out=$(bash "$t" 2>&1)
	rc=$?
	[ -n "$out" ] && sed 's/^/# /' <<< "$out"
	case $rc in
	0) echo "ok $n $name" ;;
	4) echo "ok $n $name # SKIP" ;;
	*) echo "not ok $n $name # exit=$rc" ;;
	esac
done
