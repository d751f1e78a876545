#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# klp-status.sh [-c|-p]: what livepatch transitions are waiting for.
#
# For each livepatch: whether it is enabled and in transition. During a
# transition: how many tasks have switched, and for each task that has
# not, its pid, comm, whether it is a kernel thread, and its kernel stack
# with the frames that block the switch marked: a function being patched
# (old code, when patching) or code of the patch module (new code, when
# unpatching). With -c, only the counts; with -p, only the pending task
# ids, one a line. Needs root (/proc/<pid>/stack, /proc/<pid>/patch_state).

KLP=/sys/kernel/livepatch
PF_KTHREAD=$((0x00200000))

mode=${1:-full}

# "tid state" for every task: one grep, as there can be thousands.
task_states() {
	grep -H . /proc/[0-9]*/task/[0-9]*/patch_state 2>/dev/null |
		awk -F'[/:]' '{ print $5, $NF }'
}

is_kthread() {
	local flags
	flags=$(awk '{ print $9 }' "/proc/$1/stat" 2>/dev/null) || return 1
	(( flags & PF_KTHREAD ))
}

# The functions the patch replaces, from its sysfs directories
# (<object>/<function>,<sympos>).
patched_funcs() {
	local d
	for d in "$1"/*/*,*/; do
		[ -d "$d" ] || continue
		d=${d%/}
		d=${d##*/}
		echo "${d%,*}"
	done
}

show_task() {
	local tid=$1 patch=$2 funcs=$3 kind=user frame name blocked=""
	is_kthread "$tid" && kind=kthread
	echo "    pid $tid [$(cat "/proc/$tid/comm" 2>/dev/null)] $kind"
	while read -r frame; do
		frame=${frame#\[<*>\] }
		name=${frame%%+*}
		if grep -qx "$name" <<< "$funcs" || [[ "$frame" == *"[$patch]"* ]]; then
			echo "      $frame   <- blocks the switch"
			blocked+=" $name"
		else
			echo "      $frame"
		fi
	done < <(cat "/proc/$tid/stack" 2>/dev/null)
	[ -n "$blocked" ] || echo "      (no patched function on the stack: it switches at its next check)"
}

[ -d "$KLP" ] || { echo "no $KLP: kernel without CONFIG_LIVEPATCH?" >&2; exit 1; }
found=0
for dir in "$KLP"/*/; do
	[ -d "$dir" ] || continue
	found=1
	dir=${dir%/}
	patch=${dir##*/}
	enabled=$(cat "$dir/enabled")
	transition=$(cat "$dir/transition")
	if [ "$transition" = 0 ]; then
		[ "$mode" = -p ] || echo "$patch: enabled=$enabled, no transition"
		continue
	fi
	target=$enabled	# patching targets state 1, unpatching state 0
	verb=$([ "$enabled" = 1 ] && echo patching || echo unpatching)
	# The core sets every task's state when a transition starts.
	states=$(task_states)
	pending=$(awk -v t="$target" '$2 != t { print $1 }' <<< "$states")
	if [ "$mode" = -p ]; then
		[ -z "$pending" ] || echo "$pending"
		continue
	fi
	npending=$(grep -c . <<< "$pending")
	ntasks=$(grep -c . <<< "$states")
	echo "$patch: $verb in transition: $((ntasks - npending)) tasks switched, $npending pending"
	[ "$mode" = -c ] || [ "$npending" = 0 ] && continue
	funcs=$(patched_funcs "$dir")
	for tid in $pending; do
		show_task "$tid" "$patch" "$funcs"
	done
done
[ "$found" = 1 ] || [ "$mode" = -p ] || echo "no livepatch loaded"
exit 0
