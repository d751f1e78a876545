#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""ktap-merge.py TESTS LOG...: one KTAP stream, in the order of TESTS (a
space-separated list of test scripts), from the kselftest output of several
VMs (LOG...), each of which ran some of the tests.

A test's block is its "# selftests: <dir>: <test>" line, its output, and its
"ok"/"not ok" line (with the lines the runner prints before it, such as
"# overriding timeout"). Blocks are renumbered; a test no log has a result
for (its VM stopped first) is "not ok". Lines outside the blocks (the
guests' own, such as the kmemleak count) follow, as "#" lines.
"""

import re
import sys

RESULT = re.compile(r"^(not ok|ok) \d+ (selftests: .*?: (\S+))(.*)$")
START = re.compile(r"^# selftests: .*?: (\S+)$")


def blocks(path):
    """{test: [lines]} of one log, and the lines outside any block."""
    found, other, pending, current = {}, [], [], None
    with open(path, errors="replace") as f:
        for line in f.read().splitlines():
            if line.startswith("TAP version") or re.match(r"^1\.\.\d+$", line):
                continue
            m = START.match(line)
            if m:
                current = m.group(1)
                found[current] = pending + [line]
                pending = []
                continue
            m = RESULT.match(line)
            if m and current == m.group(3):
                found[current].append(line)
                current = None
            elif current:
                found[current].append(line)
            elif line.startswith("# "):
                pending.append(line)
            elif line.strip():
                other.append(line)
    if current:
        found[current].append(f"# (the VM stopped while {current} ran)")
    return found, other + pending


def main() -> None:
    tests = sys.argv[1].split()
    found, other = {}, []
    for path in sys.argv[2:]:
        f, o = blocks(path)
        found.update(f)
        other += o
    print("TAP version 13")
    print(f"1..{len(tests)}")
    for n, test in enumerate(tests, 1):
        lines = found.get(test)
        if not lines:
            print(f"# selftests: livepatch: {test}")
            print(f"not ok {n} selftests: livepatch: {test} # no result: its VM stopped before it ran")
            continue
        last = RESULT.match(lines[-1])
        for line in lines[:-1]:
            print(line)
        if last:
            print(f"{last.group(1)} {n} {last.group(2)}{last.group(4)}")
        else:
            print(lines[-1])
            print(f"not ok {n} selftests: livepatch: {test} # no result: its VM stopped while it ran")
    for line in other:
        print(line if line.startswith("#") else f"# {line}")


if __name__ == "__main__":
    main()
