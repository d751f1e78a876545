#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# stress-guest.sh CYCLES TASKS PERIOD_MS LIMIT TIME: runs inside the VM
# (`make stress`); see stress.sh.

TOP=$(cd "$(dirname "$0")/.." && pwd)
CYCLES=$1 TASKS=$2 PERIOD=$3 LIMIT=$4 TIME=$5
MODS=$TOP/selftests/test_modules
KLP=/sys/kernel/livepatch/klp_job_patch
PATCHED="klp_job_patch: this has been live patched"
READERS=/tmp/klp_cmdline_readers
COUNTS=/tmp/klp_cmdline_counts

# wait_for(cond, secs) - true once cond holds, false after secs
wait_for() {
	local i
	for ((i = 0; i < $2 * 10; i++)); do
		eval "$1" && return 0
		sleep 0.1
	done
	return 1
}

# kmemleak (the debug kernel) scans all memory every 10 minutes, slow
# under emulation: scan once, at the end, instead.
[ -w /sys/kernel/debug/kmemleak ] && echo scan=off > /sys/kernel/debug/kmemleak

gcc -O2 -o "$READERS" "$TOP/selftests/klp_cmdline_readers.c" || exit 1
insmod "$MODS/klp_job_target.ko" mode=workqueue || exit 1
setsid "$READERS" "$TASKS" "$PERIOD" "$PATCHED" > "$COUNTS" &
readers=$!
wait_for "[ \$(pgrep -c -P $readers) -eq $TASKS ]" 300 ||
	{ echo "the $TASKS readers did not start"; exit 1; }

start=$SECONDS
cycles=0 transitions=0 late=0 stopped=
while [ "$cycles" -lt "$CYCLES" ] && [ $((SECONDS - start)) -lt "$TIME" ]; do
	insmod "$MODS/klp_job_patch.ko" ||
		{ stopped="cycle $((cycles + 1)): insmod failed"; break; }
	if wait_for "grep -q '^0$' $KLP/transition" "$LIMIT"; then
		transitions=$((transitions + 1))
	else
		echo "cycle $((cycles + 1)): patching not complete in $LIMIT s"
		late=$((late + 1))
	fi
	echo 0 > "$KLP/enabled"
	if wait_for "[ ! -e $KLP ]" "$LIMIT"; then
		transitions=$((transitions + 1))
	else
		echo "cycle $((cycles + 1)): unpatching not complete in $LIMIT s"
		late=$((late + 1))
		break
	fi
	rmmod klp_job_patch ||
		{ stopped="cycle $((cycles + 1)): rmmod failed"; break; }
	cycles=$((cycles + 1))
	[ $((cycles % 10)) -eq 0 ] && echo "  $cycles cycles, $((SECONDS - start)) s"
done
elapsed=$((SECONDS - start))

kill -TERM -- -"$readers"
wait "$readers"
# The job's final counts, which it logs when it goes.
echo "module klp_job_target +p" > /sys/kernel/debug/dynamic_debug/control
rmmod klp_job_target
read -r original patched stale queued < <(dmesg |
	sed -n 's/.*klp_job_target: workqueue: passes: original \([0-9]*\) patched \([0-9]*\) stale \([0-9]*\), queued \([0-9]*\)$/\1 \2 \3 \4/p' | tail -n 1)
read -r r_orig r_patched r_other r_lines < <(awk '$1 == "counts:" {
	o += $3; p += $5; x += $7; n++ } END { print o + 0, p + 0, x + 0, n + 0 }' "$COUNTS")
# Every item queued ran one pass, but the last, cancelled by rmmod.
unrun=$((queued - original - patched))

leaks=0
if [ -w /sys/kernel/debug/kmemleak ]; then
	echo scan > /sys/kernel/debug/kmemleak
	echo scan > /sys/kernel/debug/kmemleak
	leaks=$(grep -c '^unreferenced object' /sys/kernel/debug/kmemleak)
	cat /sys/kernel/debug/kmemleak
fi

echo "stress: $cycles of $CYCLES cycles in $elapsed s ($((elapsed * 1000 / (cycles > 0 ? cycles : 1))) ms per cycle)"
echo "  transitions completed within $LIMIT s: $transitions of $((2 * cycles + late)), late: $late"
echo "  readers: $r_lines of $TASKS reported $((r_orig + r_patched + r_other)) reads:" \
	"$r_orig original, $r_patched patched, $r_other other"
echo "  job: $((original + patched)) passes: $original original, $patched patched ($stale stale);" \
	"$queued items queued, $unrun not run (1: the one cancelled at the end)"
echo "  kmemleak: $leaks suspected leaks"
[ -z "$stopped" ] || echo "  stopped early: $stopped"

ok=1
[ "$cycles" -gt 0 ] && [ "$late" -eq 0 ] && [ -z "$stopped" ] || ok=0
[ "$r_lines" -eq "$TASKS" ] && [ "$r_other" -eq 0 ] || ok=0
[ "$unrun" -eq 1 ] || ok=0
[ "$leaks" -eq 0 ] || ok=0
[ "$ok" -eq 1 ]
