#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""update-excerpts.py [--check] [demo=FILE] [check=FILE]: rewrite the
excerpts in README.md and docs/*.md from their sources, so that what the
documentation shows is what the project prints.

An excerpt sits between two markers:

    <!-- excerpt: KIND -->
    ...
    <!-- /excerpt -->

and KIND says where it comes from:

    help        scripts/help.txt as Markdown tables (what `make help` prints)
    demo        the transcript of `make demo`, trimmed to the kernel it ran
                on, the cmdline before and after, the core's own log lines
                and the per-task summary
    demo-forms  the same transcript's three forms of the job
    check       the transcript of a `make check`, trimmed to the progress
                of the VM tests and the summary line

The transcripts are $RLP_LOGS/demo.log, which `make demo` writes, and
$RLP_LOGS/check.log, which `make check` writes (demo=FILE, check=FILE
take others). An excerpt whose transcript is
missing is left as it is. Paths under $HOME are written from `~`; any other
absolute path but the guest's /proc, /sys and /dev is an error.

--check rewrites nothing: it fails (exit 1) when an excerpt made from the
tree (help) differs from what its source now gives, and prints the
difference. selftests/host/test-docs.sh runs it.
"""

import difflib
import os
import pathlib
import re
import sys

TOP = pathlib.Path(__file__).resolve().parent.parent
HELP = TOP / "scripts" / "help.txt"
BEGIN = re.compile(r"^<!-- excerpt: ([a-z-]+) -->$")
END = "<!-- /excerpt -->"
# Absolute paths an excerpt may show: the guest's kernel interfaces.
GUEST_PATHS = re.compile(r"^/(proc|sys|dev)(/|$)")
ABSOLUTE = re.compile(r"(?:^|(?<=[\s'\"`=(:]))(/[\w.~+-][\w./~+-]*)")


def logs_dir() -> pathlib.Path:
    cache = os.environ.get("RLP_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "rust_livepatch")
    return pathlib.Path(os.environ.get("RLP_LOGS") or os.path.join(cache, "logs"))


def help_entries():
    """(section, names, description) for each entry of scripts/help.txt."""
    section, entries = None, []
    for line in HELP.read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if not line.startswith(" "):
            section = line.rstrip(":")
            continue
        if line.startswith("   ") and entries:
            entries[-1][2].append(line.strip())
            continue
        name, _, what = line.strip().partition("  ")
        entries.append((section, name, [what.strip()] if what.strip() else []))
    return [(s, n, " ".join(w)) for s, n, w in entries]


def render_help() -> list[str]:
    out, section = [], None
    for s, names, what in help_entries():
        if s != section:
            if section is not None:
                out.append("")
            section = s
            first = "target" if s.startswith("Targets") else "variable"
            out += [f"| {first} | what it does |", "|---|---|"]
        cells = ", ".join(f"`{n}`" for n in names.split(", "))
        # Paths and variables as code: $VAR/x.log, dir/, a/b.md, x.sh.
        what = re.sub(r"(?<![\w`$/.~-])(\$?[\w.~-]*(?:/[\w.-]+)+/?|\$\w+|[\w.-]+/(?=[\s,]|$)"
                      r"|[\w-]+\.(?:log|sh|txt|md|toml|json))(?![\w/])", r"`\1`", what)
        out.append(f"| {cells} | {what.replace('|', '/')} |")
    return out


def relative(lines: list[str], what: str) -> list[str]:
    """The lines with $HOME as ~; an error for another absolute path."""
    home = os.path.expanduser("~")
    out = []
    for line in lines:
        if home != "/":
            line = re.sub(re.escape(home) + r"(?=/|$)", "~", line)
        for path in ABSOLUTE.findall(line):
            if not GUEST_PATHS.match(path):
                sys.exit(f"update-excerpts: the {what} excerpt would show the absolute path "
                         f"{path}: trim it in {__file__}")
        out.append(line)
    return out


def short(line: str, width: int = 60) -> str:
    """A long line (the VM's kernel command line) cut at a word."""
    if len(line) <= width:
        return line
    return line[:width].rsplit(" ", 1)[0] + " ..."


def sections(lines: list[str]) -> list[list[str]]:
    """The demo's transcript cut where each "== " heading starts."""
    parts = [[]]
    for line in lines:
        if line.startswith("== "):
            parts.append([])
        parts[-1].append(line)
    return [p for p in parts if p]


def render_demo(lines: list[str]) -> list[str]:
    """The kernel it ran on; the sample's sections, each its heading, its
    commands but `ls` and what `cat /proc/cmdline` printed; the core's own
    lines of its log; then the summary of the three forms."""
    out = ["```", "$ make demo", "..."]
    for part in sections(lines):
        head = part[0]
        if head.startswith(("== The kernel", "== Summary")):
            out += [l for l in part if l.strip()]
            continue
        if head.startswith("== The livepatch core's log"):
            out += [head] + [l for l in part if "] livepatch: " in l]
            continue
        if not head.startswith(("== Before", "== Load", "== Disable")):
            if out[-1] != "...":
                out.append("...")
            continue
        out.append(head)
        for i, line in enumerate(part[1:], 1):
            if line.startswith("$ ") and not line.startswith("$ ls "):
                out.append(line)
            elif part[i - 1] == "$ cat /proc/cmdline":
                out.append(short(line))
    return relative(out + ["```"], "demo")


def render_demo_forms(lines: list[str]) -> list[str]:
    out, keep = ["```"], False
    for line in lines:
        keep = keep or line.startswith("== One job")
        if keep:
            out.append(line)
    while out[-1] == "":
        out.pop()
    return relative(out + ["```"], "demo-forms")


def render_check(lines: list[str]) -> list[str]:
    """The VM tests' progress, first and last lines, and the summary."""
    progress = [l.strip() for l in lines if re.match(r"^\s*\[vm\d+\] (not )?ok ", l)]
    heading = [l for l in lines if l.startswith("==> Selftests in VMs")][:1]
    summary = [l for l in lines
               if re.search(r"\b\d+ passed, \d+ failed, \d+ skipped$", l)]
    if not progress or not summary:
        sys.exit("update-excerpts: the check transcript has no VM test results or no summary line")
    if len(progress) > 4:
        progress = progress[:2] + ["..."] + progress[-1:]
    out = ["```", "$ make check", "...", *heading, *("    " + p for p in progress), "...", *summary, "```"]
    return relative(out, "check")


def transcript(name: str, given: dict) -> list[str] | None:
    path = pathlib.Path(given.get(name) or logs_dir() / f"{name}.log")
    if not path.is_file():
        return None
    return [l.rstrip("\r") for l in path.read_text(errors="replace").splitlines()]


def excerpt(kind: str, given: dict, check: bool):
    """The new lines of an excerpt, or None to leave it as it is."""
    if kind == "help":
        return render_help()
    if check:
        return None
    source = {"demo": "demo", "demo-forms": "demo", "check": "check"}.get(kind)
    if source is None:
        sys.exit(f"update-excerpts: unknown excerpt kind '{kind}'")
    lines = transcript(source, given)
    if lines is None:
        print(f"update-excerpts: no {source} transcript ({given.get(source) or logs_dir() / (source + '.log')}): "
              f"the {kind} excerpts are left as they are")
        return None
    return {"demo": render_demo, "demo-forms": render_demo_forms,
            "check": render_check}[kind](lines)


def main() -> int:
    args = sys.argv[1:]
    check = "--check" in args
    given = dict(a.split("=", 1) for a in args if "=" in a)
    docs = [TOP / "README.md", *sorted((TOP / "docs").glob("*.md"))]
    stale = 0
    for doc in docs:
        text = doc.read_text().split("\n")
        out, i, changed = [], 0, False
        while i < len(text):
            out.append(text[i])
            m = BEGIN.match(text[i])
            if not m:
                i += 1
                continue
            end = text.index(END, i + 1)
            old = text[i + 1:end]
            new = excerpt(m.group(1), given, check)
            if new is not None and new != old:
                changed = True
                where = f"{doc.relative_to(TOP)}:{i + 1}: {m.group(1)}"
                if check:
                    stale += 1
                    print(f"{where}: differs from its source; run scripts/update-excerpts.py")
                    sys.stdout.writelines(difflib.unified_diff(
                        [l + "\n" for l in old], [l + "\n" for l in new], "documented", "now", n=1))
                else:
                    print(f"{where}: updated")
            out += new if new is not None and not check else old
            out.append(END)
            i = end + 1
        if changed and not check:
            doc.write_text("\n".join(out))
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
