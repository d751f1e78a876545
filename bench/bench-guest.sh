#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench-guest.sh KDIR BINDIR: runs inside the test VM (`make bench`).
# Prints one "RESULT ..." line per measurement for report.py:
#   RESULT redirect VARIANT NS...        ns per call of klp_bench_func(), one
#                                        value per window (WINDOWS in each
#                                        of REPS repetitions)
#   RESULT redirect_rs VARIANT NS...     the same of the Rust twin
#                                        (klp_bench_target_rs), where built
#   RESULT percall VARIANT NS...         ns per read of /proc/cmdline, the
#                                        same windows
#   RESULT transition PATCH LOAD N P=MS:TRIES:SCANS,... U=MS:TRIES:SCANS,...
#                                        enable and disable times of TREPS
#                                        repetitions (- past LIMIT s), each
#                                        with how many times the core tried
#                                        to complete the transition, and
#                                        how many times RCU Tasks rescanned
#                                        its holdouts meanwhile
#   RESULT form MODE MS:TRIES:SCANS,...  enable times of the job's forms
#                                        (- past FORM_LIMIT s), TREPS of the
#                                        workqueue form, one of the kthread's
#
# C and Rust are measured in alternating order (C, Rust, then Rust, C, ...)
# on the same, settled load: every load task has started its work before
# the first measurement, and runs until the last of the row. PARTS picks
# what is measured, of: redirect percall transition form.

KDIR=$1
BIN=$2
TOP=$(cd "$(dirname "$0")/.." && pwd)
KLP=/sys/kernel/livepatch
CALLS=${CALLS:-10000000}
READS=${READS:-100000}
REPS=${REPS:-9}
WINDOWS=${WINDOWS:-10}
TREPS=${TREPS:-7}
SLEEPING=${SLEEPING:-0 100 1000 10000}
BUSY=${BUSY:-10 100 500}
BUSY_MS=${BUSY_MS:-100}
LIMIT=${LIMIT:-60}
FORM_LIMIT=${FORM_LIMIT:-30}
PARTS=${PARTS:-redirect percall transition form}

declare -A KO=(
	[c]="$KDIR/samples/livepatch/livepatch-sample.ko"
	[rust]="$TOP/rust_livepatch.ko"
	[job]="$TOP/selftests/test_modules/klp_job_patch.ko"
	[bench-c]="$TOP/bench/modules/klp_bench_patch_c.ko"
	[bench-rust]="$TOP/bench/modules/klp_bench_patch_rs.ko"
)
declare -A NAME=([c]=livepatch_sample [rust]=rust_livepatch [job]=klp_job_patch
		 [bench-c]=klp_bench_patch_c [bench-rust]=klp_bench_patch_rs)

TRACING=/sys/kernel/tracing

# A descriptor that never becomes readable, both ends of a pipe: `read -t`
# on it waits without starting a program. sleep(1) would cost about 0.1 s
# of the one emulated CPU per poll, at this shell's real-time priority,
# and starve the tasks the transition waits for.
exec {NEVER}<> <(:)

# wait_for COND: poll COND every 10 ms for at most LIMIT s.
wait_for() {
	local end=$((${EPOCHREALTIME/./} + LIMIT * 1000000))
	until eval "$1"; do
		[ "${EPOCHREALTIME/./}" -lt "$end" ] || return 1
		read -rt 0.01 -u "$NEVER" _ || :
	done
}

# is_zero FILE: FILE reads 0 (read by the shell: no fork per poll).
is_zero() {
	local v
	{ read -r v < "$1"; } 2> /dev/null && [ "$v" = 0 ]
}

# fail MSG: stop the whole bench, also from a $(...) subshell ($$ is the
# script's pid there too). MSG goes to the script's own output, which the
# host shows and logs (the guest's stderr goes only to its console log).
exec {OUT}>&1
fail() {
	echo "ERROR: $*" >&"$OUT"
	kill $$
	exit 1
}

# Two waits of the kernel make a transition's time fall in clusters: the
# core tries to complete it when it starts it, then about once a second
# (rounded to a whole second); and unpatching waits for an RCU Tasks grace
# period (ftrace frees the patch's trampoline), which rescans the tasks it
# still waits for every 100 ms or more. Kprobes count both. They stay armed
# for the whole run, the per-call loops included: neither function is on
# those paths.
[ -e "$TRACING/kprobe_profile" ] || mount -t tracefs nodev "$TRACING" ||
	fail "no tracefs at $TRACING"
# Only the hit counts are read, and kprobe_profile counts hits with the
# ring buffer off.
echo 0 > "$TRACING/tracing_on"
for probe in klp_try:klp_try_complete_transition rcu_scan:check_all_holdout_tasks; do
	echo "p:klp_bench/${probe%:*} ${probe#*:}" >> "$TRACING/kprobe_events" ||
		fail "cannot put a kprobe on ${probe#*:} (CONFIG_KPROBE_EVENTS?)"
	echo 1 > "$TRACING/events/klp_bench/${probe%:*}/enable" ||
		fail "cannot enable the kprobe on ${probe#*:}"
done

# counts: set TRIES and SCANS to the kprobes' hits so far, and MISSED to
# the hits they missed (no fork).
counts() {
	local name hits missed
	MISSED=0
	while read -r name hits missed; do
		case $name in
		klp_try) TRIES=$hits ;;
		rcu_scan) SCANS=$hits ;;
		*) continue ;;
		esac
		MISSED=$((MISSED + missed))
	done < "$TRACING/kprobe_profile"
}

# timed START_US COND: wait for COND; print the ms since START_US, or -
# after LIMIT s, then the core's tries and RCU Tasks' rescans since
# counts() was last called: MS:TRIES:SCANS.
timed() {
	local ms=- end tries=$TRIES scans=$SCANS
	if wait_for "$2"; then
		end=${EPOCHREALTIME/./}
		ms=$(((end - $1) / 1000))
	fi
	counts
	[ "$MISSED" -eq 0 ] || fail "the kprobes missed $MISSED hits: the counts are wrong"
	echo "$ms:$((TRIES - tries)):$((SCANS - scans))"
}

# enable P: load patch P; print timed()'s until its transition ended.
enable() {
	local start
	counts
	start=${EPOCHREALTIME/./}
	insmod "${KO[$1]}" || fail "cannot load ${KO[$1]}"
	timed "$start" "is_zero $KLP/${NAME[$1]}/transition"
}

# disable P: unpatch P (reversing a stalled transition); print timed()'s
# until its sysfs directory went.
disable() {
	local start
	counts
	start=${EPOCHREALTIME/./}
	echo 0 > "$KLP/${NAME[$1]}/enabled"
	timed "$start" "[ ! -e $KLP/${NAME[$1]} ]"
}

# unload P: wait (up to 10 minutes) for P's transition to end, remove P.
unload() {
	[ -e "/sys/module/${NAME[$1]}" ] || return 0
	LIMIT=600 wait_for "[ ! -e $KLP/${NAME[$1]} ] && rmmod ${NAME[$1]} 2> /dev/null" ||
		fail "${NAME[$1]} still loaded after 10 minutes"
}

# part NAME: NAME is one of PARTS.
part() { [[ " $PARTS " = *" $1 "* ]]; }

for p in $PARTS; do
	[[ " redirect percall transition form " = *" $p "* ]] ||
		fail "PARTS: $p is none of redirect percall transition form"
done
[ "$REPS" -ge 1 ] && [ "$TREPS" -ge 1 ] && [ "$WINDOWS" -ge 1 ] &&
	[ "$CALLS" -ge "$WINDOWS" ] && [ "$READS" -ge "$WINDOWS" ] ||
	fail "REPS, TREPS and WINDOWS must be at least 1, CALLS and READS at least WINDOWS"

# order R A B: A B for an odd repetition R, B A for an even one.
order() {
	if [ $(($1 % 2)) -eq 1 ]; then echo "$2 $3"; else echo "$3 $2"; fi
}

# readers N PERIOD: start N processes reading /proc/cmdline every PERIOD ms,
# with the normal policy, and wait until each has done its first read;
# stop_readers ends them.
readers() {
	[ "$1" -gt 0 ] || return 0
	setsid chrt -o 0 "$BIN/klp_cmdline_readers" "$1" "$2" > /tmp/readers &
	READERS=$!
	LIMIT=600 wait_for "[ \$(grep -c '^running:' /tmp/readers) -eq $1 ]" ||
		fail "$1 readers not all running in 600 s"
}

stop_readers() {
	[ -n "$READERS" ] || return 0
	kill -TERM -- -"$READERS"
	wait "$READERS" 2> /dev/null
	READERS=
}

# The machine's speed varies over time (docs/benchmark-method.md): each
# repetition times WINDOWS short windows, and the report takes the smallest
# of them all.

# redirect TARGET: ns per call of TARGET's klp_bench_func() now, in WINDOWS
# windows of CALLS / WINDOWS calls, after a tenth of CALLS untimed: the first
# calls after a module load are not timed.
redirect() {
	local run=/sys/kernel/debug/$1/run calls ns ps w out=""
	echo $((CALLS / 10 + 1)) > "$run" || fail "$1 refused CALLS=$CALLS"
	for ((w = 0; w < WINDOWS; w++)); do
		echo $((CALLS / WINDOWS)) > "$run" || fail "$1 refused $((CALLS / WINDOWS)) calls"
		read -r calls ns < "$run"
		ps=$((ns * 1000 / calls))
		printf -v out '%s %d.%03d' "$out" $((ps / 1000)) $((ps % 1000))
	done
	echo "${out# }"
}

# redirection TARGET KIND: print "RESULT KIND VARIANT NS..." of TARGET's
# klp_bench_func(), unpatched and patched by each benchmark livepatch.
redirection() {
	local r p v
	local -A ns=([unpatched]="" [c]="" [rust]="")
	echo "# redirection: $REPS repetitions of $WINDOWS windows of" \
		"$((CALLS / WINDOWS)) calls of $1's klp_bench_func()"
	insmod "$TOP/bench/modules/$1.ko" || fail "cannot load $1"
	for ((r = 1; r <= REPS; r++)); do
		ns[unpatched]+=" $(redirect "$1")"
		for p in $(order $r c rust); do
			[[ "$(enable "bench-$p")" != -* ]] || fail "bench-$p: transition not done in $LIMIT s"
			ns[$p]+=" $(redirect "$1")"
			disable "bench-$p" > /dev/null
			unload "bench-$p"
		done
	done
	rmmod "$1"
	for v in unpatched c rust; do echo "RESULT $2 $v${ns[$v]}"; done
}

# The observer outranks the load, as under TCG a busy load starves it;
# the load is started with the normal policy.
chrt -f -p 50 $$ > /dev/null

if part redirect; then
	redirection klp_bench_target redirect
	# The Rust twin is built where the kernel can livepatch Rust functions.
	if grep -q '^CONFIG_FTRACE_MCOUNT_USE_RUST_FENTRY=y' "$KDIR/.config"; then
		redirection klp_bench_target_rs redirect_rs
	fi
fi

# reads: ns per read of /proc/cmdline now, in WINDOWS windows of
# READS / WINDOWS reads, after a tenth of READS untimed.
reads() {
	"$BIN/read_cmdline" $((READS / 10 + 1)) > /dev/null
	"$BIN/read_cmdline" $((READS / WINDOWS)) "$WINDOWS"
}

if part percall; then
	echo "# per-call cost: $REPS repetitions of $WINDOWS windows of" \
		"$((READS / WINDOWS)) reads of /proc/cmdline"
	declare -A ns=([unpatched]="" [c]="" [rust]="")
	for ((r = 1; r <= REPS; r++)); do
		ns[unpatched]+=" $(reads)"
		for p in $(order $r c rust); do
			[[ "$(enable "$p")" != -* ]] || fail "$p: transition not done in $LIMIT s"
			ns[$p]+=" $(reads)"
			disable "$p" > /dev/null
			unload "$p"
		done
	done
	for v in unpatched c rust; do echo "RESULT percall $v${ns[$v]}"; done
fi

if part transition; then
	echo "# transition latency: $TREPS repetitions in alternating order, limit $LIMIT s each"
	for load in sleeping busy; do
		if [ "$load" = busy ]; then tasks=$BUSY period=$BUSY_MS; else tasks=$SLEEPING period=86400000; fi
		for n in $tasks; do
			readers "$n" "$period"
			declare -A p_ms=([c]="" [rust]="") u_ms=([c]="" [rust]="")
			for ((r = 1; r <= TREPS; r++)); do
				for p in $(order $r c rust); do
					p_ms[$p]+=",$(enable "$p")"
					u_ms[$p]+=",$(disable "$p")"
					unload "$p"
				done
			done
			stop_readers
			for p in c rust; do
				echo "RESULT transition $p $load $n P=${p_ms[$p]#,} U=${u_ms[$p]#,}"
			done
		done
	done
fi

if part form; then
	echo "# job forms, patched by klp_job_patch: $TREPS repetitions of the" \
		"workqueue form, one of the kthread form, limit $FORM_LIMIT s each"
	LIMIT=$FORM_LIMIT
	for mode in workqueue kthread; do
		# The kthread form never completes: once is enough.
		reps=$TREPS
		[ "$mode" = workqueue ] || reps=1
		ms=""
		for ((r = 1; r <= reps; r++)); do
			insmod "$TOP/selftests/test_modules/klp_job_target.ko" mode=$mode ||
				fail "cannot load klp_job_target mode=$mode"
			ms+=",$(enable job)"
			disable job > /dev/null
			rmmod klp_job_target
			unload job
		done
		echo "RESULT form $mode ${ms#,}"
	done
fi
