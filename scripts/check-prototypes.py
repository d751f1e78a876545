#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""check-prototypes.py KDIR|BTF MODULE.ko...: the C prototype each livepatch
module says its replacements have (its .klp_prototypes section, written by
module_livepatch!) against the prototype the kernel's BTF gives the
function replaced: vmlinux's (KDIR/vmlinux, or a raw BTF file such as
/sys/kernel/btf/vmlinux), or a target module's (its .ko among MODULE.ko...,
whose split BTF builds on vmlinux's). Exits 1 with one
line per mismatch, naming the function, the prototype found and the
replacement's; says once when there is no BTF to check against, and which
functions it could not check (not in the BTF, or in a module without BTF).
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import btf  # noqa: E402


def records(path: str):
    """(object, function, [result, args...]) for each replacement."""
    with open(path, "rb") as f:
        data = btf.elf_section(f.read(), ".klp_prototypes")
    if not data:
        return []
    found, fields = [], []
    for field in data.split(b"\0"):
        if field:
            fields.append(field.decode())
        elif fields:
            found.append((fields[0], fields[1], fields[2:]))
            fields = []
    return found


def spell(proto) -> str:
    return f"{proto[0]} ({', '.join(proto[1:])})"


def matches(want, have) -> bool:
    return len(want) == len(have) and all(
        w == h or (w == "ptr" and h.startswith("ptr")) for w, h in zip(want, have))


def main() -> int:
    kdir = sys.argv[1]
    # Each module once: the test modules' directory links to some.
    modules = sorted({os.path.realpath(m) for m in sys.argv[2:]})
    vmlinux = kdir if os.path.isfile(kdir) else os.path.join(kdir, "vmlinux")
    base = btf.load(vmlinux) if os.path.exists(vmlinux) else None
    if base is None:
        print(f"prototypes not checked: {vmlinux} has no BTF (CONFIG_DEBUG_INFO_BTF)")
        return 0
    by_name = {os.path.basename(m)[:-3].replace("-", "_"): m for m in modules}
    module_btf = {}
    bad = unchecked = checked = 0
    for m in modules:
        for obj, func, proto in records(m):
            if obj == "vmlinux":
                target = base
            else:
                if obj not in module_btf:
                    path = by_name.get(obj)
                    module_btf[obj] = btf.load(path, base) if path else None
                target = module_btf[obj]
            found = target.prototypes(func) if target else []
            if not found:
                why = "no BTF of its module" if target is None else "not in the BTF"
                print(f"{os.path.basename(m)}: {func} ({obj}): not checked: {why}")
                unchecked += 1
            elif not any(matches(proto, f) for f in found):
                print(f"{os.path.basename(m)}: {func} ({obj}): the kernel's prototype is "
                      f"{' or '.join(spell(f) for f in found)}, the replacement's {spell(proto)}")
                bad += 1
            else:
                checked += 1
    print(f"prototypes: {checked} checked against BTF, {bad} mismatched, {unchecked} not checked")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
