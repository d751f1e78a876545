#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The documentation says what the tree does, and shows what it prints:
#
# - every make target and variable that scripts/help.txt documents (what
#   `make help` prints, and README.md's reference table) exists: a rule of
#   the Makefile; a variable the Makefile or a script reads;
# - every user-facing target and variable is documented there. User-facing
#   means: the targets of the Makefile's .PHONY list, and `make` itself;
#   the variables the Makefile assigns with `?=` or reads as $(VAR), those
#   scripts/*.sh and bench/*.sh read with a default or a test of being set
#   (${VAR:-...}, ${VAR-...}, ${VAR:+...}, ${VAR:=...}), and those
#   scripts/*.py and bench/*.py read with os.environ.get(), but not the
#   INTERNAL ones below, which a command sets for the scripts it starts (or
#   the environment's own). The selftests' scripts run in the guest and are
#   not scanned: they take nothing from the user;
# - the excerpt made from the tree (scripts/update-excerpts.py: the
#   reference table) is up to date;
# - the excerpts of transcripts (`make demo`, `make check`) show no
#   absolute path of the host, name no file or module the tree lacks, and
#   have the form the scripts print now: their headings and summary lines
#   are ones the scripts still print;
# - every relative link of README.md and docs/*.md leads to a file, and to
#   a heading of it where it names one;
# - README.md has at most 300 lines, at most 2 strings like commit hashes
#   (dated figures belong in docs/measurements.md), and names the command
#   .ci/run runs;
# - the example module of docs/writing-a-livepatch.md, as the page shows
#   it, builds against KDIR (but a kernel whose toolchain runs in a root of
#   its own: Debian's).

top=${RLP_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}

python3 - "$top" <<'PY' || exit 1
import os, pathlib, re, subprocess, sys

top = pathlib.Path(sys.argv[1])
os.chdir(top)
fail = []

# Set by the commands for the scripts they start, or the environment's.
INTERNAL = {
    "RESULTS": "check.sh's results file, for its CHECK_ALSO runs",
    "EXTRA_TESTS": "check.sh's per-kernel additions",
    "STAMP": "kernel.sh's own", "SERIES_FILES": "kernel.sh's own",
    "VM_CONSOLE": "vm-tests.sh names each VM's console log",
    "VM_DURATIONS": "check.sh, for check-upstream's durations",
    "VM_APPEND": "check.sh, the upstream kernel's KUnit filter",
    "RLP_DEBIAN_UPLOAD": "set by distro.sh", "RLP_DEBIAN_HEADERS_ONLY": "set by distro.sh",
    "RLP_USERSPEC": "toolchain-root.sh, through sudo to itself",
    "XDG_CACHE_HOME": "the XDG standard; named in RLP_CACHE's entry",
    "HOME": "the environment's", "MAKE": "make's", "CURDIR": "make's",
}
# Read by the kernel's Makefile, which `make -C $KDIR` runs.
KBUILD = {"CLIPPY"}

# scripts/help.txt: (section, names, description).
entries, section = [], None
for line in (top / "scripts/help.txt").read_text().splitlines():
    if not line.strip() or line.startswith("#"):
        continue
    if not line.startswith(" "):
        section = line
    elif not line.startswith("   "):
        entries.append((section, line.strip().split("  ")[0]))
doc_targets, doc_vars = set(), set()
for section, names in entries:
    for name in names.split(", "):
        if section.startswith("Targets"):
            doc_targets.add(name.removeprefix("make").strip())
        else:
            doc_vars.add(re.match(r"[A-Z_][A-Z0-9_]*", name).group(0))

makefile = (top / "Makefile").read_text()
phony = set(re.search(r"^\.PHONY:((?:.*\\\n)*.*)", makefile, re.M).group(1)
            .replace("\\\n", " ").split())
rules = set()
for m in re.finditer(r"^([a-z][\w -]*):(?!=)", makefile, re.M):
    rules.update(m.group(1).split())
for t in sorted(doc_targets - {""}):
    if t not in rules:
        fail.append(f"scripts/help.txt documents 'make {t}', which the Makefile has no rule for")
for t in sorted(phony - doc_targets):
    fail.append(f"the Makefile's target '{t}' is not documented in scripts/help.txt")

scripts = [p for d in ("scripts", "bench") for p in sorted((top / d).glob("*.sh"))]
pys = [p for d in ("scripts", "bench") for p in sorted((top / d).glob("*.py"))]
read = set(re.findall(r"^(?:export )?([A-Z_][A-Z0-9_]*) \?=", makefile, re.M))
read |= set(re.findall(r"\$\(([A-Z_][A-Z0-9_]*)\)", makefile))
for p in scripts:
    read |= set(re.findall(r"\$\{([A-Z_][A-Z0-9_]*)(?::?[-+=])", p.read_text()))
for p in pys:
    read |= set(re.findall(r"os\.environ\.get\(\"([A-Z_][A-Z0-9_]*)\"", p.read_text()))
user = read - set(INTERNAL)
everything = makefile + "".join(p.read_text() for p in scripts + pys)
for v in sorted(doc_vars):
    if v not in KBUILD and not re.search(
            r"\$\{?%s\b|\$\(%s\)|^(export )?%s \?=|os\.environ\.get\(\"%s\"" % (v, v, v, v),
            everything, re.M):
        fail.append(f"scripts/help.txt documents {v}, which neither the Makefile nor a script reads")
for v in sorted(user - doc_vars):
    fail.append(f"{v} is read by the Makefile or a script but not documented in scripts/help.txt "
                f"(or, if a command sets it for another, listed as INTERNAL in selftests/host/test-docs.sh)")

# Excerpts made from the tree are current.
r = subprocess.run(["python3", "scripts/update-excerpts.py", "--check"],
                   capture_output=True, text=True)
if r.returncode:
    fail.append("excerpts out of date:\n" + (r.stdout + r.stderr).rstrip())

# Excerpts of transcripts: paths, names, form.
files = subprocess.run(["git", "ls-files"], capture_output=True, text=True).stdout.split()
basenames = {os.path.basename(f) for f in files}
stems = {os.path.splitext(b)[0] for b in basenames}


def printed(script_text: str, lead: str) -> list[re.Pattern]:
    """The lines a script prints that start with `lead` (echo "== ...",
    say "..."), as patterns: a $VAR or $(...) in them stands for anything."""
    out = []
    for m in re.finditer(r'(?:echo|say) "(%s[^"]*)"' % re.escape(lead), script_text):
        parts = re.split(r"\$\([^)]*\)|\$\{[^}]*\}|\$\w+", m.group(1))
        out.append(re.compile("^" + ".*".join(re.escape(p) for p in parts) + "$"))
    return out


demo_heads = printed((top / "scripts/demo-guest.sh").read_text(), "== ") + \
    printed((top / "scripts/demo-guest.sh").read_text(), "-- ")
says = [p for s in scripts for p in printed(s.read_text(), "")]
check_sh = (top / "scripts/check.sh").read_text()
summary_form = "$passed passed, $failed failed, $skipped skipped"
docs = [top / "README.md", *sorted((top / "docs").glob("*.md"))]
for doc in docs:
    text = doc.read_text().split("\n")
    for i, line in enumerate(text):
        m = re.match(r"^<!-- excerpt: (demo|demo-forms|check) -->$", line)
        if not m:
            continue
        kind, where = m.group(1), f"{doc.relative_to(top)}:{i + 1} ({m.group(1)})"
        body = text[i + 1:text.index("<!-- /excerpt -->", i)]
        if len(body) < 3:
            fail.append(f"{where}: empty; cut it from a real run (scripts/update-excerpts.py)")
        for l in body:
            for path in re.findall(r"(?:^|(?<=[\s'\"`=(:]))(/[\w.~+-][\w./~+-]*)", l):
                if not re.match(r"^/(proc|sys|dev)(/|$)", path):
                    fail.append(f"{where}: absolute path of the host: {path}")
            for name in re.findall(r"[\w./-]+\.(?:ko|rs|sh|c|py)\b", l):
                stem = os.path.splitext(os.path.basename(name))[0]
                ok = (name.endswith(".ko") and stem.replace("-", "_") in {s.replace("-", "_") for s in stems}) \
                    or os.path.basename(name) in basenames
                if not ok:
                    fail.append(f"{where}: names {name}, which the tree does not have")
            for mod in re.findall(r"(?:rmmod((?: [\w-]+)+)|/sys/kernel/livepatch/([\w-]+))", l):
                for name in " ".join(mod).split():
                    if name.replace("-", "_") not in {s.replace("-", "_") for s in stems}:
                        fail.append(f"{where}: names the module {name}, which the tree does not build")
            if kind.startswith("demo") and re.match(r"^(==|--) ", l):
                if not any(p.match(l) for p in demo_heads):
                    fail.append(f"{where}: scripts/demo-guest.sh no longer prints '{l}'")
            if kind == "check" and l.startswith("==> "):
                if not any(p.match(l[4:]) for p in says):
                    fail.append(f"{where}: no script prints '{l}' any longer")
            if kind == "check" and re.search(r"\d+ passed, ", l):
                if not re.match(r"^([\w .=:-]+: )?\d+ passed, \d+ failed, \d+ skipped$", l) \
                        or summary_form not in check_sh:
                    fail.append(f"{where}: the summary line '{l}' is not the form scripts/check.sh prints")

# Relative links, and the headings they name.
def slugs(path: pathlib.Path) -> set[str]:
    out = set()
    for h in re.findall(r"^#+ (.*)$", path.read_text(), re.M):
        s = re.sub(r"[^\w\- ]", "", h.strip().lower().replace("`", "")).replace(" ", "-")
        out.add(s)
    return out


for doc in docs:
    text = re.sub(r"```.*?```", "", doc.read_text(), flags=re.S)
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if re.match(r"^[a-z]+:", target):
            continue
        path, _, anchor = target.partition("#")
        dest = (doc.parent / path).resolve() if path else doc
        if not dest.exists():
            fail.append(f"{doc.relative_to(top)}: link to {target}: no such file")
        elif anchor and dest.suffix == ".md" and anchor not in slugs(dest):
            fail.append(f"{doc.relative_to(top)}: link to {target}: no such heading")

# The README's limits.
readme = (top / "README.md").read_text()
if readme.count("\n") > 300:
    fail.append(f"README.md has {readme.count(chr(10))} lines: at most 300 (aim at 250); move depth to docs/")
hashes = re.findall(r"(?:^|[^0-9a-z])([0-9a-f]{7,12})(?:[^0-9a-z]|$)", readme, re.M)
if len(hashes) > 2:
    fail.append(f"README.md cites commit-like hashes ({', '.join(hashes)}): dated figures go in docs/measurements.md")
ci = [l for l in (top / ".ci/run").read_text().splitlines()
      if l.strip() and not re.match(r"^\s*(#|set |cd |export )", l)]
if ci and ci[-1].strip() not in readme:
    fail.append(f"README.md does not name the command .ci/run runs: {ci[-1].strip()}")

for f in fail:
    print(f)
print(f"documentation: {len(doc_targets)} targets, {len(doc_vars)} variables documented; "
      f"{len(fail)} problem(s)")
sys.exit(1 if fail else 0)
PY

# The guide's example module, built from the page's own text.
guide=$top/docs/writing-a-livepatch.md
if [ -z "${KDIR:-}" ] || [ ! -d "$KDIR" ]; then
	echo "no KDIR: the guide's example not built"
	exit 0
fi
if [ -f "$KDIR/.rlp-root" ]; then
	echo "the guide's example not built: this kernel's toolchain runs in a root of its own"
	exit 0
fi
rustc=$("$top/scripts/check-kdir.sh" "$KDIR") || exit 1
ex=$(mktemp -d)
trap 'rm -rf "$ex"' EXIT
# As the guide says: a copy of livepatch/ and of klp-cfgs.sh, and each file
# the page shows after an "<!-- example: FILE -->" line.
cp -r "$top/livepatch" "$ex/"
rm -f "$ex"/livepatch/bindings_generated.rs "$ex"/livepatch/.*.cmd
cp "$top/scripts/klp-cfgs.sh" "$ex/livepatch/"
awk -v dir="$ex" '
	/^<!-- example: [^ ]+ -->$/ { file = dir "/" $3; next }
	file && /^```/ { if (open) { close(file); file = ""; open = 0 } else open = 1; next }
	open { print > file }' "$guide"
if [ ! -f "$ex/Kbuild" ] || [ ! -f "$ex/my_patch.rs" ]; then
	echo "$guide shows no Kbuild and my_patch.rs after '<!-- example: ... -->' lines"
	exit 1
fi
if ! make -C "$KDIR" M="$ex" RUSTC="$rustc" \
	LIBCLANG_PATH="${LIBCLANG_PATH:-/usr/lib/llvm-19/lib}" modules > "$ex/build.log" 2>&1; then
	if grep -qE '^(error|warning)' "$ex/build.log"; then
		grep -E -A4 '^(error|warning)' "$ex/build.log" | head -n 30
	else
		tail -n 20 "$ex/build.log"
	fi
	echo "the example of docs/writing-a-livepatch.md does not build against $KDIR"
	exit 1
fi
echo "the example of docs/writing-a-livepatch.md builds: $(basename "$ex")/my_patch.ko"
