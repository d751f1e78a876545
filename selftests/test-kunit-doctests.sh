#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# On a kernel with this project's series applied (RLP_KERNEL=upstream), the
# examples of kernel::livepatch's documentation ran at boot as KUnit tests
# (CONFIG_RUST_KERNEL_DOCTESTS; the VM runs only kernel::livepatch's), and
# all passed.

. $(dirname $0)/functions.sh

RESULTS=/sys/kernel/debug/kunit/rust_doctests_kernel/results

echo -n "TEST: the doctests of kernel::livepatch pass ... "
[[ -r $RESULTS ]] ||
	die "no $RESULTS: the kernel lacks the series or CONFIG_RUST_KERNEL_DOCTESTS (RLP_KERNEL=upstream)"
passed=$(grep -cE '^ *ok [0-9]+ rust_doctest_kernel_livepatch' $RESULTS)
failed=$(grep -cE '^ *not ok [0-9]+ rust_doctest_kernel_livepatch' $RESULTS)
if [[ $failed -ne 0 || $passed -eq 0 ]]; then
	echo -e "not ok\n"
	cat $RESULTS
	die "kernel::livepatch doctests: $passed passed, $failed failed"
fi
echo "ok"
grep -oE 'ok [0-9]+ rust_doctest_kernel_livepatch[a-z_0-9]*' $RESULTS | sed 's/^/  /'
echo "  kernel::livepatch doctests: $passed passed, $failed failed"

exit 0
