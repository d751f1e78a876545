# SPDX-License-Identifier: GPL-2.0
"""report.py LOG KDIR ACCEL DOCS [PREVIOUS_LOG]: tabulate bench-guest.sh's
RESULT lines.

Writes DOCS/benchmarks.md (tables) and DOCS/benchmarks.png (transition
latency against task count, Rust and C) and prints the tables; after a
partial run (PARTS), it only prints them. On the kernel that can livepatch
Rust functions (RLP_KERNEL=rust-ftrace), it writes only its own section of
DOCS/benchmarks.md, the redirection of a Rust function, which the other
kernels' reports keep. With PREVIOUS_LOG, also
prints how far each row moved from that run: rows that both runs completed
should agree within 20%.
"""

import math
import os
import re
import statistics
import subprocess
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

PATCHES = {"unpatched": "unpatched", "c": "C", "rust": "Rust"}

# The measurements of a loop's time per call, where a disturbance only ever
# adds time: their rows give, and compare, the smallest value.
PER_CALL = ("redirect", "redirect_rs", "percall")

ALL_PARTS = {"redirect", "percall", "transition", "form"}
VM_CPUS = os.environ.get("VM_CPUS") or "1"

# Where the rust-ftrace section starts and ends in benchmarks.md.
RUST_TARGET_BEGIN = "<!-- begin: written by RLP_KERNEL=rust-ftrace make bench -->"
RUST_TARGET_END = "<!-- end: RLP_KERNEL=rust-ftrace -->"


def timings(text):
    """The times, and the counts of the kernel's waits, of
    "MS:TRIES:SCANS,...": MS is None past the limit; a count is a pair
    (the core's tries, RCU Tasks' rescans), None in a log from before they
    were counted."""
    ms, counts = [], []
    for v in text.split(","):
        t, *n = v.split(":")
        ms.append(None if t == "-" else float(t))
        counts.append(tuple(map(int, n)) if len(n) == 2 else None)
    return ms, counts


def parse(log):
    """{(kind, key...): [values]} of a log, a value None when the measurement
    did not complete in time, and {key: [counts]} of its transitions
    (timings())."""
    rows, counts = {}, {}
    with open(log) as f:
        for line in f:
            w = line.split()
            if len(w) < 3 or w[0] != "RESULT":
                continue
            if w[1] in PER_CALL:
                rows[(w[1], w[2])] = [float(x) for x in w[3:]]
            elif w[1] == "transition" and len(w) == 7:
                for part in w[5:]:
                    what, values = part.split("=", 1)
                    key = ("transition", w[2], w[3], int(w[4]), what)
                    rows[key], counts[key] = timings(values)
            elif w[1] == "form":
                rows[("form", w[2])], counts[("form", w[2])] = timings(w[3])
    return rows, counts


def stats(values):
    """median (None when it did not complete: a run past the limit counts
    as longer than any that completed), min, max of the completed values,
    and how many completed."""
    done = [v for v in values if v is not None]
    if not done:
        return None, None, None, 0
    med = statistics.median([math.inf if v is None else v for v in values])
    return (None if math.isinf(med) else med), min(done), max(done), len(done)


def per_call_cell(values, digits=2):
    """The smallest of values, then their median and largest."""
    med, lo, hi, _ = stats(values)
    return f"{lo:.{digits}f} (median {med:.{digits}f}, largest {hi:.{digits}f})"


def cell(values, unit="", digits=0):
    med, lo, hi, n = stats(values)
    if med is None:
        return f"past the limit ({n} of {len(values)} completed)" if n else "did not complete"
    text = f"{med:.{digits}f}{unit} ({lo:.{digits}f}-{hi:.{digits}f})"
    return text + (f", {n} of {len(values)} completed" if n < len(values) else "")


def sizes(kdir, top):
    rows = []
    for name, ko in (("C livepatch-sample", f"{kdir}/samples/livepatch/livepatch-sample.ko"),
                     ("rust_livepatch", f"{top}/rust_livepatch.ko")):
        out = subprocess.run(["size", ko], capture_output=True, text=True, check=True).stdout
        text, data, bss = out.splitlines()[1].split()[:3]
        rows.append(f"| {name} | {text} | {data} | {bss} | {os.path.getsize(ko)} |")
    return rows


def first_tries(values, counts):
    """How many of the runs completed at the core's first try, or None if
    their tries were not counted."""
    if None in counts:
        return None
    return sum(1 for v, c in zip(values, counts) if v is not None and c[0] == 1)


def transition_cell(values, counts, unit=""):
    """cell(), how many runs completed at the core's first try (or, if none
    completed, how many tries failed), and how many times RCU Tasks
    rescanned its holdouts in a run (fewest-most)."""
    if values is None:
        return "not measured"
    first = first_tries(values, counts)
    if first is None:
        return f"{cell(values, unit)}; tries not counted"
    if all(v is None for v in values):
        tries = "-".join(sorted({str(c[0]) for c in counts}, key=int))
        text = f"{cell(values, unit)}; the core tried {tries} times"
    else:
        text = f"{cell(values, unit)}; {first}/{len(values)} at the first try"
    lo, hi = min(c[1] for c in counts), max(c[1] for c in counts)
    if not hi:
        return text
    return text + f", rescans {lo}" + (f"-{hi}" if hi > lo else "")


def report(rows, counts, kdir, accel, top):
    limit = os.environ.get("LIMIT") or "60"
    release = subprocess.run(["make", "-s", "-C", kdir, "kernelrelease"],
                             capture_output=True, text=True).stdout.strip()
    md = [
        "# Benchmarks",
        "",
        f"Measured by `make bench` on Linux {release}, test kernel "
        f"`{os.path.basename(kdir)}` (tinyconfig + `scripts/test-kernel.config` + "
        f"`selftests/config`), in a {VM_CPUS}-CPU virtme-ng VM under **{accel}**. "
        + ("Under TCG every instruction is emulated: read the ratios, not the "
           "absolute times. " if accel.startswith("TCG") else "")
        + "C and Rust are measured in alternating order (C then Rust, then Rust "
        "then C, ...), each repetition on the same settled load. The time per "
        "call or per read of the same loop falls, from one measurement to the "
        "next, into clusters up to twice apart, with nothing changed in the "
        "guest; a native loop on the host varied too, by up to 1.5 times "
        "(benchmark-method.md). So each repetition of a per-call loop is "
        "timed in short windows, and the per-call cells give the smallest "
        "window first, the "
        "least disturbed measurement, then the median and the largest; "
        "overheads and ratios come from the smallest. Transition "
        "cells give the median and, in parentheses, the smallest and largest "
        "value.",
        "",
        "## The redirection itself",
        "",
        "`klp_bench_target` calls the `noinline` C function `klp_bench_func()` "
        "in a loop (`CALLS` calls per repetition, in `WINDOWS` windows each timed "
        "with `ktime_get_ns()`), unpatched, and "
        "patched by a C livepatch and by a Rust livepatch whose replacements do "
        "the same work (`bench/modules/`). The overhead is what a call costs "
        "patched, less what it costs unpatched: the ftrace handler that finds "
        "the replacement, and the call of it.",
        "",
        "| variant | ns per call | overhead, ns per call |",
        "|---|---|---|",
    ]
    best = {v: stats(rows.get(("redirect", v), []))[1] for v in PATCHES}
    for v in PATCHES:
        if best[v] is not None:
            over = "" if v == "unpatched" or best["unpatched"] is None else \
                f"{best[v] - best['unpatched']:.2f}"
            md.append(f"| {PATCHES[v]} | {per_call_cell(rows[('redirect', v)])} | {over} |")
    if None not in best.values() and best["c"] > best["unpatched"]:
        oc, orr = best["c"] - best["unpatched"], best["rust"] - best["unpatched"]
        md += ["", f"Rust/C ratio of the redirection overhead: **{orr / oc:.2f}**; "
               f"of the time per patched call: **{best['rust'] / best['c']:.2f}**."]

    md += ["", "## End to end: one read of /proc/cmdline", "",
           "One `pread()` of `/proc/cmdline` from offset 0 runs `cmdline_proc_show()` "
           "or its replacement once, with the system call and seq_file around it. "
           "The unpatched kernel prints the whole (long) virtme-ng command line; "
           "the patches print one short line.", "",
           "| variant | ns per read |", "|---|---|"]
    best = {v: stats(rows.get(("percall", v), []))[1] for v in PATCHES}
    for v in PATCHES:
        if best[v] is not None:
            md.append(f"| {PATCHES[v]} | {per_call_cell(rows[('percall', v)], digits=0)} |")
    if best["c"] and best["rust"]:
        md += ["", f"Rust/C ratio of the time per read: **{best['rust'] / best['c']:.2f}**."]

    md += ["", f"## Transition latency (limit {limit} s)", "",
           "From `insmod` of the patch to `transition` reading 0 (patch), and from "
           "`echo 0 > enabled` to the patch's sysfs directory going away (unpatch), "
           "in ms, with N processes asleep (sleeping) or reading `/proc/cmdline` "
           "every `BUSY_MS` ms (busy), all started and past their first read "
           "before the first measurement. The core tries to complete a transition "
           "when it starts, then about once a second: the times fall in clusters (done at "
           "the first try, or after one, two, ... retries), and a median of a few "
           "runs can land in either. So each cell also says how many runs the "
           "core completed at its first try, counted by a kprobe on "
           "`klp_try_complete_transition()`. Unpatching also waits for an RCU "
           "Tasks grace period (ftrace frees the patch's trampoline after "
           "`synchronize_rcu_tasks()`), which looks again at the tasks it still "
           "waits for every 100 ms or more: a second kprobe, on "
           "`check_all_holdout_tasks()`, counts these rescans, fewest-most per "
           "run. The VM has one CPU: with two, the "
           "first try failed whenever the other CPU was running a task (its idle "
           "task included), by chance, and the same row moved by up to 202% "
           "between two runs. With one, a first try fails only for a task with "
           "the patched function on its stack.", "",
           "| load | N | C patch | Rust patch | C unpatch | Rust unpatch |",
           "|---|---|---|---|---|---|"]
    trans = [k for k in rows if k[0] == "transition"]
    for load in ("sleeping", "busy"):
        for n in sorted({k[3] for k in trans if k[2] == load}):
            keys = [("transition", p, load, n, w) for w in ("P", "U") for p in ("c", "rust")]
            cells = [transition_cell(rows.get(k), counts.get(k)) for k in keys]
            md.append(f"| {load} | {n} | " + " | ".join(cells) + " |")

    md += ["", "## The job's forms, patched by klp_job_patch", "",
           "From `insmod` of the patch to `transition` reading 0, with the "
           "form's limit (`FORM_LIMIT`); the kthread form, which must never "
           "complete, once.", "",
           "| form | insmod to transition 0 |", "|---|---|"]
    for mode in ("workqueue", "kthread"):
        if ("form", mode) in rows:
            form = transition_cell(rows[("form", mode)], counts[("form", mode)], " ms")
            md.append(f"| {mode} | {form} |")

    md += ["", "## Size", "", "| module | text | data | bss | .ko bytes |", "|---|---|---|---|---|"]
    md += sizes(kdir, top)
    md += ["", "![transition latency](benchmarks.png)", ""]
    return md, release


def rust_target(rows, kdir, accel, release):
    """The rust-ftrace section: the redirection of the C target's and of the
    Rust target's klp_bench_func(), measured in one run on one kernel."""
    with open(f"{kdir}/.rlp-rustc") as f:
        rustc = f.read().strip()
    version = subprocess.run([rustc, "--version"], capture_output=True, text=True,
                             check=True).stdout.split()[1]
    windows = len(rows.get(("redirect_rs", "unpatched"), []))
    md = [
        RUST_TARGET_BEGIN,
        "## A patched Rust function next to a patched C function",
        "",
        f"Measured by `RLP_KERNEL=rust-ftrace make bench` on Linux {release}, test "
        f"kernel `{os.path.basename(kdir)}` (the default configuration with "
        "`scripts/rust-ftrace-kernel.config` and `patches/rust-ftrace/`, its Rust "
        f"built by rustc {version}), in a {VM_CPUS}-CPU virtme-ng VM under **{accel}**, "
        "in one run; the other sections come from the last full `make bench`. "
        "`klp_bench_target_rs` is `klp_bench_target` in Rust: its `klp_bench_func()` "
        "is `extern \"C\"` and does the same work, behind a compiler fence, the "
        "counterpart of C's `barrier()`. "
        "The same C and Rust livepatches replace both functions, each in a "
        "`klp_object` of its own. Cells: ns per call, the smallest of "
        f"{windows} windows, then the median and the largest; the overheads come "
        "from the smallest.",
        "",
        "| replacement | C target | Rust target | overhead, C target | overhead, Rust target |",
        "|---|---|---|---|---|",
    ]
    kinds = ("redirect", "redirect_rs")
    best = {(k, v): stats(rows.get((k, v), []))[1] for k in kinds for v in PATCHES}
    over = {}
    for v in PATCHES:
        cells = [per_call_cell(rows[(k, v)]) if (k, v) in rows else "" for k in kinds]
        for k in kinds:
            if v != "unpatched" and None not in (best[(k, v)], best[(k, "unpatched")]):
                over[(k, v)] = best[(k, v)] - best[(k, "unpatched")]
            cells.append(f"{over[(k, v)]:.2f}" if (k, v) in over else "")
        md.append(f"| {PATCHES[v]} | " + " | ".join(cells) + " |")
    ratios = [f"{PATCHES[v]} replacement **{over[('redirect_rs', v)] / over[('redirect', v)]:.2f}**"
              for v in ("c", "rust")
              if over.get(("redirect", v), 0) > 0 and ("redirect_rs", v) in over]
    if ratios:
        md += ["", "Rust target/C target ratio of the redirection overhead: "
               + ", ".join(ratios) + "."]
    return md + [RUST_TARGET_END]


def with_section(text, section):
    """text (benchmarks.md) with its rust-ftrace section replaced by section,
    or, if it has none, with section before the end-to-end figures."""
    new = "\n".join(section) + "\n\n"
    pattern = re.compile(re.escape(RUST_TARGET_BEGIN) + ".*?" + re.escape(RUST_TARGET_END)
                         + "\n*", re.DOTALL)
    if pattern.search(text):
        return pattern.sub(lambda _: new, text, count=1)
    if not text:
        return "# Benchmarks\n\n" + new
    at = text.find("## End to end")
    return text[:at] + new + text[at:] if at >= 0 else text + "\n" + new


def kept_section(path):
    """The rust-ftrace section of the benchmarks.md at path, if any."""
    if not os.path.exists(path):
        return None
    with open(path) as f:
        m = re.search(re.escape(RUST_TARGET_BEGIN) + ".*?" + re.escape(RUST_TARGET_END),
                      f.read(), re.DOTALL)
    return m.group(0).split("\n") if m else None


def plot(rows, release, accel, path):
    fig, ax = plt.subplots(figsize=(7, 4.5))
    for p, style in (("c", "--"), ("rust", "-")):
        for load, marker in (("sleeping", "o"), ("busy", "s")):
            pts = []
            for k, v in rows.items():
                if k[0] == "transition" and k[1] == p and k[2] == load and k[4] == "P":
                    med, lo, hi, _ = stats(v)
                    if med is not None:
                        pts.append((k[3], med, med - lo, hi - med))
            pts.sort()
            if pts:
                ax.errorbar([x[0] for x in pts], [x[1] for x in pts],
                            yerr=[[x[2] for x in pts], [x[3] for x in pts]],
                            fmt=style, marker=marker, capsize=3,
                            label=f"{PATCHES[p]} patch, {load}")
    ax.set_xscale("symlog", linthresh=10)
    ax.set_xlabel("user processes")
    ax.set_ylabel("patch transition (ms)")
    ax.set_title(f"Transition latency, Linux {release}, {accel}")
    ax.grid(True, alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=100)


def clusters(counts):
    """The clusters a row's runs fell in, (tries, rescans); None if not
    counted."""
    return None if None in counts else set(counts)


def compare(rows, counts, previous, previous_counts):
    """Lines comparing this run with a previous one: the smallest values of
    the per-call rows, the medians of the others. A transition row whose
    runs all fell in the same cluster, in both runs, is "settled"; the
    others can differ by a retry (about 1 s) or a rescan (100 ms) from run
    to run without anything changing."""
    out, worst, worst_per_call, worst_settled, settled_rows = [], 0.0, 0.0, 0.0, 0
    for k in sorted(previous.keys() - rows.keys(), key=str):
        out.append(f"  {' '.join(map(str, k))}: in the previous run only")
    for k in sorted(rows, key=str):
        if k not in previous:
            out.append(f"  {' '.join(map(str, k))}: in this run only")
            continue
        which = 1 if k[0] in PER_CALL else 0
        a, b = stats(rows[k])[which], stats(previous[k])[which]
        if a is None or b is None:
            out.append(f"  {' '.join(map(str, k))}: not completed in "
                       f"{'both runs' if a is None and b is None else 'one run'}")
            continue
        if not b:
            out.append(f"  {' '.join(map(str, k))}: {b:.2f} then {a:.2f}")
            continue
        diff = (a - b) / b
        settled, note = False, ""
        if k[0] in PER_CALL:
            worst_per_call = max(worst_per_call, abs(diff))
            if len(rows[k]) != len(previous[k]):
                # The smallest of more, shorter windows is lower.
                note = f", the smallest of {len(previous[k])} then of {len(rows[k])} values"
        else:
            fa, fb = first_tries(rows[k], counts[k]), first_tries(previous[k], previous_counts[k])
            ca, cb = clusters(counts[k]), clusters(previous_counts[k])
            settled = ca is not None and cb is not None and len(ca | cb) == 1
            note = (f", first try {'?' if fb is None else fb}/{len(previous[k])} "
                    f"then {'?' if fa is None else fa}/{len(rows[k])}")
        worst = max(worst, abs(diff))
        if settled:
            worst_settled = max(worst_settled, abs(diff))
            settled_rows += 1
        out.append(f"  {' '.join(map(str, k))}: {b:.2f} then {a:.2f} ({diff:+.0%}{note})"
                   + ("  <- over 20%" if abs(diff) > 0.2 else ""))
    settled_text = f"{worst_settled:.0%} in {settled_rows}" if settled_rows else "there are none"
    out.append(f"largest difference between the two runs: {worst:.0%}; in the per-call "
               f"rows: {worst_per_call:.0%}; in the transition and form rows settled in one "
               f"cluster (every run of both with the same tries and RCU Tasks rescans): "
               f"{settled_text}")
    return out


def write(path, text):
    with open(path, "w") as f:
        f.write(text)


def main():
    log, kdir, accel, docs = sys.argv[1:5]
    top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    rows, counts = parse(log)
    path = f"{docs}/benchmarks.md"
    os.makedirs(docs, exist_ok=True)
    if os.environ.get("RLP_KERNEL") == "rust-ftrace":
        if not any(k[0] == "redirect_rs" for k in rows):
            sys.exit(f"ERROR: {log} has no redirection of klp_bench_target_rs: "
                     "run RLP_KERNEL=rust-ftrace make bench with PARTS=redirect")
        release = subprocess.run(["make", "-s", "-C", kdir, "kernelrelease"],
                                 capture_output=True, text=True).stdout.strip()
        section = rust_target(rows, kdir, accel, release)
        text = ""
        if os.path.exists(path):
            with open(path) as f:
                text = f.read()
        write(path, with_section(text, section))
        print("\n".join(section))
    else:
        md, release = report(rows, counts, kdir, accel, top)
        print("\n".join(md))
        parts = set((os.environ.get("PARTS") or " ".join(ALL_PARTS)).split())
        if parts != ALL_PARTS:
            print(f"\nPARTS={' '.join(sorted(parts))}: a partial run, {path} not written")
        else:
            kept = kept_section(path)
            text = "\n".join(md)
            write(path, with_section(text, kept) if kept else text)
            plot(rows, release, accel, f"{docs}/benchmarks.png")
    if len(sys.argv) > 5 and os.path.exists(sys.argv[5]):
        print(f"\nThis run against the previous one ({sys.argv[5]}), the smallest "
              "values of the per-call rows, the medians of the others:")
        print("\n".join(compare(rows, counts, *parse(sys.argv[5]))))


if __name__ == "__main__":
    main()
