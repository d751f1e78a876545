#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The prototype check (scripts/check-prototypes.py, run after each build of
# the modules) refuses a replacement whose C prototype is not the one the
# kernel's BTF gives the function it replaces, in one line naming the
# function, the prototype found and the replacement's, and accepts the
# project's own. Against a BTF made here for the one function of the test,
# `int cmdline_proc_show(struct seq_file *m, void *v)`, so that it runs on
# kernels without BTF too; and, on a kernel with BTF (Debian's), against
# the kernel's own, as every build of the modules is checked.

dir=$RLP_TOP/selftests/prototype_fail
# Debian's kernel (RLP_KERNEL=debian): in the root of its toolchain.
in_root=""
[ ! -f "$KDIR/.rlp-root" ] || in_root="$RLP_TOP/scripts/toolchain-root.sh $(cat "$KDIR/.rlp-root")"
# shellcheck disable=SC2086 # the root's command and its path
rustc=$($in_root "$RLP_TOP/scripts/check-kdir.sh" "$KDIR") || exit 1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"; $in_root make -C "$KDIR" M="$dir" clean > /dev/null 2>&1' EXIT

# shellcheck disable=SC2086
$in_root make -C "$KDIR" M="$dir" RUSTC="$rustc" modules > "$tmp/build.log" 2>&1 ||
	{ tail -n 20 "$tmp/build.log"; echo "pf_wrong_argument did not build"; exit 1; }

# The BTF of one function: types 1 int, 2 struct seq_file (declared), 3 a
# pointer to it, 4 void *, 5 the prototype, 6 the function.
python3 - "$tmp/btf" <<'PY'
import struct, sys
names = b"\0int\0seq_file\0m\0v\0cmdline_proc_show\0"
off = lambda s: names.index(b"\0" + s + b"\0") + 1
t = b"".join([
    struct.pack("<IIII", off(b"int"), 1 << 24, 4, (1 << 24) | 32),
    struct.pack("<III", off(b"seq_file"), 7 << 24, 0),
    struct.pack("<III", 0, 2 << 24, 2),
    struct.pack("<III", 0, 2 << 24, 0),
    struct.pack("<III", 0, (13 << 24) | 2, 1) + struct.pack("<IIII", off(b"m"), 3, off(b"v"), 4),
    struct.pack("<III", off(b"cmdline_proc_show"), 12 << 24, 5),
])
header = struct.pack("<HBBIIIII", 0xeb9f, 1, 0, 24, 0, len(t), len(t), len(names))
open(sys.argv[1], "wb").write(header + t + names)
PY

out=$(python3 "$RLP_TOP/scripts/check-prototypes.py" "$tmp/btf" \
	"$dir/pf_wrong_argument.ko" "$RLP_TOP/rust_livepatch.ko" 2>&1)
rc=$?
echo "$out"
expected="pf_wrong_argument.ko: cmdline_proc_show (vmlinux): the kernel's prototype is int 4 s (ptr struct seq_file, ptr void), the replacement's int 4 s (ptr struct seq_file, int 8 u)"
[[ $rc -eq 1 ]] || { echo "the check exited $rc, expected 1"; exit 1; }
grep -qxF "$expected" <<< "$out" || { echo "expected: $expected"; exit 1; }
grep -q '^prototypes: 1 checked against BTF, 1 mismatched, 0 not checked$' <<< "$out" ||
	{ echo "expected rust_livepatch.ko's cmdline_proc_show checked, pf_wrong_argument's refused"; exit 1; }

# The kernel's own BTF, where it has it: the same one-line refusal, and
# the project's own replacement accepted.
out=$(python3 "$RLP_TOP/scripts/check-prototypes.py" "$KDIR" \
	"$dir/pf_wrong_argument.ko" "$RLP_TOP/rust_livepatch.ko" 2>&1)
rc=$?
echo "$out"
if grep -q "^prototypes not checked: $KDIR/vmlinux has no BTF" <<< "$out"; then
	echo "checked against the test's BTF only"
else
	[[ $rc -eq 1 ]] && grep -qxF "$expected" <<< "$out" &&
		grep -q ', 1 mismatched, 0 not checked$' <<< "$out" ||
		{ echo "against $KDIR/vmlinux's BTF: expected: $expected, and rust_livepatch.ko accepted"; exit 1; }
fi
