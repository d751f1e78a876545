#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# No replacement function (`___klp_*`, the address the core knows as a
# patch's new function) ends in a tail call: the core finds the tasks still
# in a patch by those functions on their stacks, and a jump into the
# module's code would hide a task running it (livepatch::keep_frame).
# Reads the objects `make` built: every module source that makes a
# replacement has its object, and in it its replacement functions.

cd "$RLP_TOP" || exit 1
# The modules that make replacements (the sample is the kernel's own when
# the kernel has kernel::livepatch).
sources=$(grep -lE '(new_func|seq_show|work_fn|syscall|job_kthread|job_work)!' \
	rust_livepatch.rs samples/*.rs selftests/test_modules/*.rs bench/modules/*.rs)
"$RLP_TOP/scripts/klp-cfgs.sh" "$KDIR" | grep -q klp_kernel_livepatch &&
	sources=$(grep -vx rust_livepatch.rs <<< "$sources")
bad=""
n=0
objs=0
for src in $sources; do
	o=${src%.rs}.o
	# klp_state2.rs is a part of test_klp_state2 and test_klp_state3.
	[ "$src" = selftests/test_modules/klp_state2.rs ] && continue
	objs=$((objs + 1))
	if [ ! -f "$o" ]; then
		bad+="$o: missing: build the modules first\n"
		continue
	fi
	# A jmp whose target is relocated leaves the function: a tail call;
	# but for the return thunk (CONFIG_MITIGATION_RETHUNK, as in Debian's
	# kernels), which is how such a kernel returns.
	found=$(objdump -dr --no-show-raw-insn "$o" | awk '
		/^[0-9a-f]+ <.*>:$/ { fn = ($2 ~ /___klp_/) ? $2 : ""; if (fn) n++; prev = ""; next }
		fn && prev ~ /\tjmp / && /R_X86_64_(PLT|PC)32/ && $NF !~ /^__x86_return_thunk/ { print fn " " $NF }
		fn { prev = $0 }
		END { print "count " n + 0 }')
	count=$(sed -n 's/^count //p' <<< "$found")
	[ "$count" -gt 0 ] || bad+="$o: no replacement function (___klp_*)\n"
	n=$((n + count))
	bad+=$(grep -v '^count ' <<< "$found" | sed "s|^|$o: tail call: |; s|$|\\\\n|")
done
if [ -n "$bad" ]; then
	echo -en "$bad"
	echo "every replacement must be in its object and end with livepatch::keep_frame()"
	exit 1
fi
echo "$n replacement functions in $objs objects, none ends in a tail call"
