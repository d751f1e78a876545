#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench-guest.sh KDIR BINDIR: runs inside the test VM (`make bench`).
# Prints one "RESULT ..." line per measurement for bench.sh to tabulate:
#   RESULT percall VARIANT NS...        ns per read of /proc/cmdline, REPS runs
#   RESULT transition PATCH LOAD N PATCH_MS UNPATCH_MS   medians of TREPS
#                                       (- when not done within LIMIT s)
#   RESULT form MODE PATCH_MS            (- when not done within FORM_LIMIT s)

KDIR=$1
BIN=$2
TOP=$(cd "$(dirname "$0")/.." && pwd)
KLP=/sys/kernel/livepatch
READS=${READS:-100000}
REPS=${REPS:-5}
TREPS=${TREPS:-3}
TASKS=${TASKS:-0 100 1000 10000}
LIMIT=${LIMIT:-60}
FORM_LIMIT=${FORM_LIMIT:-30}
PATCHES=${PATCHES:-c rust}	# the order of the transition measurements

declare -A KO=(
	[c]="$KDIR/samples/livepatch/livepatch-sample.ko"
	[rust]="$TOP/rust_livepatch.ko"
	[job]="$TOP/selftests/test_modules/klp_job_patch.ko"
)
declare -A NAME=([c]=livepatch_sample [rust]=rust_livepatch [job]=klp_job_patch)

now_ms() { echo $((${EPOCHREALTIME/./} / 1000)); }

# wait_for COND: poll COND every 10 ms for at most LIMIT s.
wait_for() {
	local end=$(($(now_ms) + LIMIT * 1000))
	until eval "$1"; do
		[ "$(now_ms)" -lt "$end" ] || return 1
		sleep 0.01
	done
}

# enable P: load patch P; print ms until its transition ended, or -.
enable() {
	local start
	start=$(now_ms)
	# $$ is the script's pid in a $(...) subshell too: the bench stops.
	insmod "${KO[$1]}" || { echo "ERROR: cannot load ${KO[$1]}" >&2; kill $$; exit 1; }
	if wait_for "grep -qx 0 $KLP/${NAME[$1]}/transition 2>/dev/null"; then
		echo $(($(now_ms) - start))
	else
		echo -
	fi
}

# disable P: unpatch P (reversing a stalled transition); print ms until its
# sysfs directory went, or - after LIMIT s.
disable() {
	local start
	start=$(now_ms)
	echo 0 > "$KLP/${NAME[$1]}/enabled"
	if wait_for "[ ! -e $KLP/${NAME[$1]} ]"; then
		echo $(($(now_ms) - start))
	else
		echo -
	fi
}

# unload P: wait (up to 10 minutes) for P's transition to end, remove P.
unload() {
	[ -e "/sys/module/${NAME[$1]}" ] || return 0
	LIMIT=600 wait_for "[ ! -e $KLP/${NAME[$1]} ] && rmmod ${NAME[$1]} 2> /dev/null" ||
		{ echo "ERROR: ${NAME[$1]} still loaded after 10 minutes"; exit 1; }
}

# readers N PERIOD: start N processes reading /proc/cmdline every PERIOD ms,
# with the normal policy; stop_readers ends them.
readers() {
	[ "$1" -gt 0 ] || return 0
	setsid chrt -o 0 "$BIN/klp_cmdline_readers" "$1" "$2" > /tmp/readers &
	READERS=$!
	wait_for "grep -q ready /tmp/readers" ||
		{ echo "ERROR: $1 readers not started in $LIMIT s"; exit 1; }
}

stop_readers() {
	[ -n "$READERS" ] || return 0
	kill -TERM -- -"$READERS"
	wait "$READERS" 2> /dev/null
	READERS=
}

# median V...: the middle value, - (not done) counting as the largest.
median() {
	printf '%s\n' "$@" | sed 's/^-$/999999999/' | sort -n |
		sed -n "$(( ($# + 1) / 2 ))p" | sed 's/^999999999$/-/'
}

percall() {
	local ns=() r
	for ((r = 0; r < REPS; r++)); do
		ns+=("$("$BIN/read_cmdline" "$READS")")
	done
	echo "RESULT percall $1 ${ns[*]}"
}

# The observer outranks the load, as under TCG a busy load starves it;
# the load is started with the normal policy.
chrt -f -p 50 $$ > /dev/null

echo "# per-call cost: $REPS runs of $READS reads of /proc/cmdline"
percall unpatched
for p in c rust; do
	enable "$p" > /dev/null
	percall "$p"
	disable "$p" > /dev/null
	unload "$p"
done

echo "# transition latency: median of $TREPS, limit $LIMIT s each"
for load in sleeping busy; do
	period=$([ "$load" = busy ] && echo 10 || echo 1000000)
	for n in $TASKS; do
		for p in $PATCHES; do
			readers "$n" "$period"
			patch=() unpatch=()
			for ((r = 0; r < TREPS; r++)); do
				patch+=("$(enable "$p")")
				unpatch+=("$(disable "$p")")
				# Past the limit once is enough: end the load so the
				# transition can finish.
				[ "${patch[-1]}" != - ] && [ "${unpatch[-1]}" != - ] || break
				unload "$p"
			done
			stop_readers
			unload "$p"
			echo "RESULT transition $p $load $n $(median "${patch[@]}") $(median "${unpatch[@]}")"
		done
	done
done

echo "# job forms, patched by klp_job_patch: limit $FORM_LIMIT s each"
LIMIT=$FORM_LIMIT
for mode in workqueue kthread; do
	insmod "$TOP/selftests/test_modules/klp_job_target.ko" mode=$mode || exit 1
	ms=$(enable job)
	disable job > /dev/null
	rmmod klp_job_target
	unload job
	echo "RESULT form $mode $ms"
done
