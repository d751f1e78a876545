#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# No adapter's extern "C" function (`__klp_*`, the address the core knows as
# a patch's new function) ends in a tail call: the core finds the tasks
# still in a patch by those functions on their stacks, and a jump into the
# module's code would hide a task running it (livepatch::keep_frame).
# Reads the objects `make` built.

cd "$RLP_TOP" || exit 1
objs=$(ls rust_livepatch.o samples/*.o selftests/test_modules/*.o bench/modules/*.o 2> /dev/null |
	grep -v '\.mod\.o$')
[ -n "$objs" ] || { echo "no objects: build the modules first"; exit 1; }
bad=""
n=0
for o in $objs; do
	# A jmp whose target is relocated leaves the function: a tail call;
	# but for the return thunk (CONFIG_MITIGATION_RETHUNK, as in Debian's
	# kernels), which is how such a kernel returns.
	found=$(objdump -dr --no-show-raw-insn "$o" | awk '
		/^[0-9a-f]+ <.*>:$/ { fn = ($2 ~ /___klp_/) ? $2 : ""; if (fn) n++; prev = ""; next }
		fn && prev ~ /\tjmp / && /R_X86_64_(PLT|PC)32/ && $NF !~ /^__x86_return_thunk/ { print fn " " $NF }
		fn { prev = $0 }
		END { print "count " n + 0 }')
	n=$((n + $(sed -n 's/^count //p' <<< "$found")))
	bad+=$(grep -v '^count ' <<< "$found" | sed "s|^|$o: |; s|$|\\n|")
done
[ "$n" -gt 0 ] || { echo "no adapter functions (___klp_*) found"; exit 1; }
if [ -n "$bad" ]; then
	echo -en "$bad"
	echo "adapters ending in a tail call: end them with livepatch::keep_frame()"
	exit 1
fi
echo "$n adapter functions, none ends in a tail call"
