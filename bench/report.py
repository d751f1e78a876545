# SPDX-License-Identifier: GPL-2.0
"""report.py LOG KDIR ACCEL DOCS: tabulate bench-guest.sh's RESULT lines.

Writes DOCS/benchmarks.md (tables) and DOCS/benchmarks.png (transition
latency against task count, Rust and C) and prints the tables.
"""

import os
import statistics
import subprocess
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

PATCHES = {"c": "C livepatch-sample", "rust": "rust_livepatch"}


def parse(log):
    percall, transition, forms = {}, [], {}
    with open(log) as f:
        for line in f:
            w = line.split()
            if len(w) < 2 or w[0] != "RESULT":
                continue
            if len(w) < 4:
                continue
            if w[1] == "percall":
                percall[w[2]] = [float(x) for x in w[3:]]
            elif w[1] == "transition" and len(w) == 7:
                transition.append((w[2], w[3], int(w[4]), w[5], w[6]))
            elif w[1] == "form":
                forms[w[2]] = w[3]
    return percall, transition, forms


def sizes(kdir, top):
    rows = []
    for name, ko in (("C livepatch-sample", f"{kdir}/samples/livepatch/livepatch-sample.ko"),
                     ("rust_livepatch", f"{top}/rust_livepatch.ko")):
        out = subprocess.run(["size", ko], capture_output=True, text=True, check=True).stdout
        text, data, bss = out.splitlines()[1].split()[:3]
        rows.append(f"| {name} | {text} | {data} | {bss} | {os.path.getsize(ko)} |")
    return rows


def ms(v, limit):
    return f"did not complete in {limit} s" if v == "-" else v


def main():
    log, kdir, accel, docs = sys.argv[1:5]
    top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    percall, transition, forms = parse(log)
    limit = os.environ.get("LIMIT") or "60"
    form_limit = os.environ.get("FORM_LIMIT") or "30"
    release = subprocess.run(["make", "-s", "-C", kdir, "kernelrelease"],
                             capture_output=True, text=True).stdout.strip()

    md = [
        "# Benchmarks",
        "",
        f"Measured by `make bench` on Linux {release}, test kernel "
        f"`{os.path.basename(kdir)}` (tinyconfig + `scripts/test-kernel.config` + "
        f"`selftests/config`), in a 2-CPU virtme-ng VM under **{accel}**. "
        + ("Under TCG every instruction is emulated: read the ratios, not the "
           "absolute times." if accel.startswith("TCG") else ""),
        "",
        "## Cost of one call of the patched function",
        "",
        "One `pread()` of `/proc/cmdline` from offset 0 runs `cmdline_proc_show()` "
        "or its replacement once. The unpatched kernel prints the whole (long) "
        "virtme-ng command line; the patches print one short line.",
        "",
        "| variant | median ns/read | min | max |",
        "|---|---|---|---|",
    ]
    med = {}
    for v in ("unpatched", "c", "rust"):
        if v in percall:
            x = percall[v]
            med[v] = statistics.median(x)
            md.append(f"| {PATCHES.get(v, v)} | {med[v]:.0f} | {min(x):.0f} | {max(x):.0f} |")
    if {"c", "rust"} <= med.keys():
        md += ["", f"Rust/C ratio of the per-read time: **{med['rust'] / med['c']:.2f}**."]
        if "unpatched" in med:
            md.append(f"Difference to unpatched: C {med['c'] - med['unpatched']:+.0f} ns, "
                      f"Rust {med['rust'] - med['unpatched']:+.0f} ns.")

    md += ["", f"## Transition latency (limit {limit} s)", "",
           "Median of 3 runs (TREPS): from `insmod` of the patch to `transition` reading 0 (patch), and from "
           "`echo 0 > enabled` to the patch's sysfs directory going away (unpatch), "
           "in ms, with N processes reading `/proc/cmdline` every 10 ms (busy) or "
           "asleep (sleeping).", "",
           "| load | N | C patch | Rust patch | C unpatch | Rust unpatch |",
           "|---|---|---|---|---|---|"]
    table = {(p, load, n): (a, b) for p, load, n, a, b in transition}
    for load in ("sleeping", "busy"):
        for n in sorted({n for _, l, n, _, _ in transition if l == load}):
            c, r = table.get(("c", load, n), ("?", "?")), table.get(("rust", load, n), ("?", "?"))
            md.append(f"| {load} | {n} | {ms(c[0], limit)} | {ms(r[0], limit)} | "
                      f"{ms(c[1], limit)} | {ms(r[1], limit)} |")

    md += ["", "## The job's forms, patched by rust_livepatch", "",
           "| form | insmod to transition 0 |", "|---|---|"]
    for mode in ("workqueue", "kthread"):
        if mode in forms:
            md.append(f"| {mode} | {ms(forms[mode], form_limit)} ms |".replace(" s ms", " s"))

    md += ["", "## Size", "", "| module | text | data | bss | .ko bytes |", "|---|---|---|---|---|"]
    md += sizes(kdir, top)
    md += ["", "rust_livepatch also carries the four replacements and the object for "
           "`klp_job_target`, and its modinfo and symbols; the C sample patches one function.",
           "", "![transition latency](benchmarks.png)", ""]

    os.makedirs(docs, exist_ok=True)
    with open(f"{docs}/benchmarks.md", "w") as f:
        f.write("\n".join(md))
    print("\n".join(md))

    fig, ax = plt.subplots(figsize=(7, 4.5))
    for p, style in (("c", "--"), ("rust", "-")):
        for load, marker in (("sleeping", "o"), ("busy", "s")):
            pts = sorted((n, int(a)) for q, l, n, a, _ in transition
                         if q == p and l == load and a != "-")
            if pts:
                ax.plot([n for n, _ in pts], [a for _, a in pts], style, marker=marker,
                        label=f"{PATCHES[p]}, {load}")
    ax.set_xscale("symlog", linthresh=100)
    ax.set_xlabel("user processes")
    ax.set_ylabel("patch transition (ms)")
    ax.set_title(f"Transition latency, Linux {release}, {accel}")
    ax.grid(True, alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(f"{docs}/benchmarks.png", dpi=100)


if __name__ == "__main__":
    main()
