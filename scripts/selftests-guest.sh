#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# selftests-guest.sh KDIR BIN TESTS: runs inside the test VM (`make
# check`): the selftests TESTS, one by one, as kselftest's `make run_tests`,
# with KTAP output. BIN holds the helpers the host built for them
# (TEST_GEN_FILES).
#
# A test that passed fails all the same, its result line saying why, when
# while it ran the kernel reported a problem (KERNEL_REPORTS, in dmesg),
# set a taint bit of a report (KERNEL_REPORT_TAINTS), or when it left a
# module loaded (but the force tests, which leave theirs for good: the
# point of those tests).

set -o pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
. "$TOP/scripts/kernel-reports.sh"

mkdir -p /tmp/rust_livepatch-selftests
# Their times kept: make finds them up to date.
cp -a "$2/." /tmp/rust_livepatch-selftests/

# The debug kernel: kmemleak scans all memory every 10 minutes, slow under
# emulation: scan once, at the end, instead.
[ -w /sys/kernel/debug/kmemleak ] && echo scan=off > /sys/kernel/debug/kmemleak

modules() { cut -d' ' -f1 /proc/modules | sort; }

rc=0
res=/tmp/rust_livepatch-selftests/result
for t in $3; do
	taint=$(cat /proc/sys/kernel/tainted)
	loaded=$(modules)
	mark="rust_livepatch: selftest $t starts"
	echo "$mark" > /dev/kmsg
	# The result line is held back: it may have to say "not ok". Through
	# a pipe: the kselftest runner reopens /dev/stdout for appending,
	# which overwrites earlier output when the guest's stdout is a file.
	rm -f "$res"
	# (A shell loop: awk's buffered reads reorder the runner's lines.)
	make -s -C "$TOP/selftests" run_tests KDIR="$1" TEST_PROGS="$t" \
		OUTPUT=/tmp/rust_livepatch-selftests 2>&1 |
		while IFS= read -r line; do
			if [[ "$line" =~ ^(not\ )?ok\ [0-9]+\ selftests:\  ]]; then
				echo "$line" > "$res"
			else
				echo "$line"
			fi
		done
	result=$(cat "$res" 2>/dev/null) ||
		result="not ok 1 selftests: livepatch: $t # no result line"

	why=()
	reports=$(dmesg | sed -n "\|$mark|,\$p" | tr -d '\r' | grep -E "$KERNEL_REPORTS" |
		grep -v -- '-\[ cut here \]-')
	[ -z "$reports" ] ||
		why+=("kernel report: $(head -n 1 <<< "$reports" | sed 's/^\[[^]]*\] //')")
	new=$(( $(cat /proc/sys/kernel/tainted) & ~taint & KERNEL_REPORT_TAINTS ))
	[ "$new" -eq 0 ] || why+=("new taint bits $new (/proc/sys/kernel/tainted)")
	left=$(comm -13 <(echo "$loaded") <(modules) | xargs)
	if [ -n "$left" ] && [[ "$t" != *test-force.sh ]]; then
		why+=("left loaded: $left")
	fi

	if [ ${#why[@]} -gt 0 ]; then
		[ -z "$reports" ] || sed 's/^/# kernel report: /' <<< "$reports"
		result="not ok ${result#*ok } # $(printf '%s; ' "${why[@]}" | sed 's/; $//')"
	fi
	echo "$result"
	[[ "$result" == ok* ]] || rc=1
done

# With kmemleak (the debug kernel): scan for leaks once the tests are done;
# a scan that finds some prints "kmemleak: N new suspected memory leaks",
# which fails the run (vm.sh). Objects younger than 5 s are not reported
# by a scan: the second one, after the first has taken its time, sees them.
if [ -w /sys/kernel/debug/kmemleak ]; then
	echo scan > /sys/kernel/debug/kmemleak
	echo scan > /sys/kernel/debug/kmemleak
	cat /sys/kernel/debug/kmemleak
	leaks=$(grep -c '^unreferenced object' /sys/kernel/debug/kmemleak)
	echo "kmemleak: $leaks suspected leaks after the tests"
	[ "$leaks" -eq 0 ] || rc=1
fi
exit $rc
