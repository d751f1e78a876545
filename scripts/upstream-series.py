#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""upstream-series.py [OPTIONS] KSRC OUTDIR: write the patch series that
adds this project's livepatch API and sample to the kernel source tree
KSRC, as `git format-patch` files with a cover letter, into OUTDIR.

The series is made from the project's files (livepatch/, rust_livepatch.rs)
and the commit messages in scripts/upstream/, so that it cannot drift from
them. Only the files the series touches are taken from KSRC: the patches
are made in a small repository of those files, and apply to KSRC with
`git am` (their blob ids are those of KSRC's files). The author is the one
who generates the series (--author, else `git config user.name` and
`user.email`), who signs each patch off only when asked (--signoff: the
Developer's Certificate of Origin is theirs to give); the MAINTAINERS
entry's M: and R: lines come from --maintainer and --reviewer, its L:
lines from --list. --base names the upstream commit the series applies to
(`base-commit:`, as `git format-patch --base` writes it). Everything else
is fixed (dates, no commit ids), so the same inputs give the same files.
"""

import argparse
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

TOP = pathlib.Path(__file__).resolve().parent.parent
MESSAGES = TOP / "scripts" / "upstream"
DATE = "2026-12-03T12:00:00+00:00"
LISTS = ["live-patching@vger.kernel.org", "rust-for-linux@vger.kernel.org"]

# What livepatch/mod.rs declares for each submodule that a later patch of the
# series adds; each must be found, so that the split cannot drift.
LATER = {
    "callbacks": ["mod callbacks;\n",
                  "pub use callbacks::{\n    Callbacks,\n    LoadedModule,\n"
                  "    ModuleState,\n    PatchedObject, //\n};\n"],
    "state": ["mod state;\n", "pub use state::{\n    State,\n    StateData, //\n};\n"],
    "shadow": ["pub mod shadow;\n", "pub use shadow::Shadow;\n"],
    "syscall": ["pub mod syscall;\n"],
}


def in_kernel_crate(text: str) -> str:
    """livepatch/*.rs as a module of the `kernel` crate."""
    # What only an out-of-tree copy of the layer needs.
    text = re.sub(
        r"// External modules cannot share a Rust crate.*?\n#!\[allow\([^)]*\)\]\n\n",
        "",
        text,
        flags=re.S,
    )
    text = re.sub(
        r"// bindgen's output for <linux/livepatch.h>.*?\nmod bindings;\n",
        "use crate::bindings;\n",
        text,
        flags=re.S,
    )
    lines = []
    in_macro = False
    for line in text.split("\n"):
        if line.startswith("macro_rules!"):
            in_macro = True
        elif line == "}":
            in_macro = False
        if not line.lstrip().startswith("//"):
            # The kernel crate names itself `crate`, `$crate` in its macros.
            line = line.replace("::kernel::", "$crate::" if in_macro else "crate::")
            line = re.sub(r"\bkernel::", "crate::", line)
        lines.append(line)
    return "\n".join(lines)


def without_rust_targets(text: str) -> str:
    """livepatch/*.rs without what only a kernel whose Rust code has ftrace
    call sites compiles (patches/rust-ftrace/, not upstream): each item
    under `#[cfg(CONFIG_FTRACE_MCOUNT_USE_RUST_FENTRY)]`, and the comments
    just above it."""
    attr = "#[cfg(CONFIG_FTRACE_MCOUNT_USE_RUST_FENTRY)]"
    lines, out, i = text.split("\n"), [], 0
    while i < len(lines):
        if lines[i].strip() != attr:
            out.append(lines[i])
            i += 1
            continue
        indent = lines[i][:len(lines[i]) - len(lines[i].lstrip())]
        while out and out[-1].startswith(indent + "//"):
            out.pop()
        i += 1
        # The item: one line, or a block to its closing brace.
        if lines[i].rstrip().endswith("{"):
            while not lines[i].startswith(indent + "}"):
                i += 1
        i += 1
    if "rust_target" in "\n".join(out):
        raise SystemExit("livepatch/: rust_target outside a cfg: update without_rust_targets()")
    return "\n".join(out)


def without(text: str, *submodules: str) -> str:
    """livepatch.rs without what it declares for `submodules`."""
    for m in submodules:
        for snippet in LATER[m]:
            if snippet not in text:
                raise SystemExit(f"livepatch/mod.rs: no {snippet!r}: update LATER")
            text = text.replace(snippet, "")
    return text


def rcu_head_in_crate(text: str) -> str:
    """shadow.rs in the `kernel` crate of the series' kernel, which has
    `struct kvfree_rcu_head` (an out-of-tree build of 7.2 has not)."""
    alias = re.search(r"#\[cfg\(klp_kvfree_rcu_head\)\]\n(type RcuHead = .*;)\n"
                      r"#\[cfg\(not\(klp_kvfree_rcu_head\)\)\]\ntype RcuHead = .*;\n", text)
    if not alias:
        raise SystemExit("livepatch/shadow.rs: no RcuHead: update rcu_head_in_crate()")
    return text.replace(alias.group(0), alias.group(1) + "\n")


def gfp_in_crate(text: str) -> str:
    """shadow.rs in the `kernel` crate, where `Flags` gives its bits."""
    fn = re.search(r"/// The C flags for `flags`.*?\n}\n", text, re.S)
    if not fn:
        raise SystemExit("livepatch/shadow.rs: no gfp(): update gfp_in_crate()")
    return text.replace(fn.group(0), "/// The C flags for `flags`.\n"
                        "fn gfp(f: Flags) -> crate::bindings::gfp_t {\n    f.as_raw()\n}\n")


def sample(text: str) -> str:
    """rust_livepatch.rs as an in-tree sample, using `kernel::livepatch`."""
    text = text.replace(
        "#[cfg(not(klp_kernel_livepatch))]\nmod livepatch;\n"
        "#[cfg(klp_kernel_livepatch)]\nuse kernel::livepatch;\n\n",
        "",
    )
    # `use livepatch::{...};` joins the `use kernel::{...};` above it.
    items = re.search(r"\nuse livepatch::\{\n(.*?)\n\};\n", text, re.S)
    text = text.replace(items.group(0), "\n")
    nested = "    livepatch::{\n        self,\n" + "\n".join(
        "    " + l for l in items.group(1).split("\n")) + "\n    },\n"
    text = text.replace("use kernel::{\n", "use kernel::{\n" + nested, 1)
    return re.sub(r"\n\n\n+", "\n\n", text)


def insert_sorted(text: str, line: str, pattern: str) -> str:
    """Insert `line` among the consecutive lines matching `pattern`, in
    order."""
    lines = text.split("\n")
    for i, l in enumerate(lines):
        if re.match(pattern, l) and l > line:
            lines.insert(i, line)
            return "\n".join(lines)
    raise SystemExit(f"no place for {line!r}")


def kconfig(text: str) -> str:
    entry = """config SAMPLE_RUST_LIVEPATCH
	tristate "Livepatch"
	depends on LIVEPATCH && m
	help
	  This option builds the Rust livepatch sample, the counterpart of
	  samples/livepatch/livepatch-sample.c: it replaces the function that
	  shows /proc/cmdline.

	  To compile this as a module, choose M here:
	  the module will be called rust_livepatch.

	  If unsure, say N.

"""
    return text.replace("config SAMPLE_RUST_MINIMAL\n", entry + "config SAMPLE_RUST_MINIMAL\n")


def makefile(text: str) -> str:
    soc = "obj-$(CONFIG_SAMPLE_RUST_SOC)\t\t\t+= rust_soc.o\n"
    return text.replace(soc, soc + "obj-$(CONFIG_SAMPLE_RUST_LIVEPATCH)\t\t+= rust_livepatch.o\n", 1)


def maintainers(text: str, files: list, opts) -> str:
    """MAINTAINERS with an entry for the Rust livepatch files `files`. Each
    patch that adds files lists them, so that checkpatch sees MAINTAINERS
    updated where files are added."""
    entry = ("LIVE PATCHING [RUST]\n"
             + "".join(f"M:\t{m}\n" for m in opts.maintainer)
             + "".join(f"R:\t{r}\n" for r in opts.reviewer)
             + "".join(f"L:\t{l}\n" for l in (opts.list or LISTS))
             + "S:\tMaintained\n" + "".join(f"F:\t{f}\n" for f in sorted(files)) + "\n")
    at = text.index("\n\n", text.index("\nLIVE PATCHING\n")) + 2
    return text[:at] + entry + text[at:]


def series(ksrc: pathlib.Path, opts):
    """The files of KSRC the series changes, and the state of every file it
    touches after each patch, with the patch's message."""
    read = lambda p: (ksrc / p).read_text()
    lp = {m: without_rust_targets(in_kernel_crate((TOP / "livepatch" / f"{m}.rs").read_text()))
          for m in ("mod", "adapter", "registration", "callbacks", "state", "shadow",
                    "syscall")}
    lp["shadow"] = rcu_head_in_crate(gfp_in_crate(lp["shadow"]))
    base = ["rust/bindings/bindings_helper.h", "rust/kernel/lib.rs", "MAINTAINERS",
            "samples/rust/Kconfig", "samples/rust/Makefile"]
    lib = insert_sorted(read("rust/kernel/lib.rs"),
                        "#[cfg(CONFIG_LIVEPATCH)]\npub mod livepatch;", r"^pub mod [a-z]")
    api = ["rust/kernel/livepatch.rs", "rust/kernel/livepatch/"]
    sample_rs = "samples/rust/rust_livepatch.rs"
    m = lambda *files: maintainers(read("MAINTAINERS"), api + list(files), opts)
    sub = lambda name: f"rust/kernel/livepatch/{name}.rs"
    steps = [
        ("1-registration.txt", {
            "rust/bindings/bindings_helper.h": insert_sorted(
                read("rust/bindings/bindings_helper.h"),
                "#include <linux/livepatch.h>", r"^#include <linux/"),
            "rust/kernel/livepatch.rs": without(lp["mod"], "callbacks", "state", "shadow",
                                                "syscall"),
            sub("adapter"): lp["adapter"],
            sub("registration"): lp["registration"],
            "rust/kernel/lib.rs": lib,
            "MAINTAINERS": m(),
        }),
        ("2-callbacks.txt", {
            "rust/kernel/livepatch.rs": without(lp["mod"], "state", "shadow", "syscall"),
            sub("callbacks"): lp["callbacks"],
        }),
        ("3-states.txt", {
            "rust/kernel/livepatch.rs": without(lp["mod"], "shadow", "syscall"),
            sub("state"): lp["state"],
        }),
        ("4-shadow.txt", {
            "rust/kernel/livepatch.rs": without(lp["mod"], "syscall"),
            sub("shadow"): lp["shadow"],
        }),
        ("5-syscall.txt", {
            "rust/kernel/livepatch.rs": lp["mod"],
            sub("syscall"): lp["syscall"],
        }),
        ("6-sample.txt", {
            sample_rs: sample((TOP / "rust_livepatch.rs").read_text()),
            "samples/rust/Kconfig": kconfig(read("samples/rust/Kconfig")),
            "samples/rust/Makefile": makefile(read("samples/rust/Makefile")),
            "MAINTAINERS": m(sample_rs),
        }),
    ]
    return base, steps


def git(repo, author, *args, **kw):
    name, email = author
    env = dict(os.environ, GIT_AUTHOR_NAME=name, GIT_AUTHOR_EMAIL=email,
               GIT_COMMITTER_NAME=name, GIT_COMMITTER_EMAIL=email,
               GIT_AUTHOR_DATE=DATE, GIT_COMMITTER_DATE=DATE,
               GIT_CONFIG_GLOBAL="/dev/null", GIT_CONFIG_NOSYSTEM="1")
    return subprocess.run(["git", "-C", str(repo), *args], env=env, check=True,
                          text=True, **kw)


def author(opts):
    """(name, email) of who generates the series."""
    if opts.author:
        m = re.fullmatch(r"\s*(.+?)\s*<([^<>@\s]+@[^<>\s]+)>\s*", opts.author)
        if not m:
            raise SystemExit(f"--author {opts.author!r}: give 'Name <email>'")
        return m.group(1), m.group(2)
    get = lambda k: subprocess.run(["git", "-C", str(TOP), "config", k],
                                   capture_output=True, text=True).stdout.strip()
    name, email = get("user.name"), get("user.email")
    if not name or not email:
        raise SystemExit("who generates the series? set git config user.name and user.email, "
                         "or pass --author 'Name <email>'")
    return name, email


def rustfmt(text: str, ksrc: pathlib.Path) -> str:
    """`text` formatted with the kernel's rustfmt configuration (from stdin:
    rustfmt does not follow `mod` items then)."""
    rustfmt = shutil.which("rustfmt", path="/usr/bin") or "rustfmt"
    return subprocess.run([rustfmt, "--edition", "2021", "--config-path",
                           str(ksrc / ".rustfmt.toml")], input=text, capture_output=True,
                          text=True, check=True).stdout


def options_of(series: pathlib.Path) -> list:
    """The options that made the committed series in `series`: its author,
    whether it is signed off, its MAINTAINERS lines and its base."""
    first = next(series.glob("0001-*.patch")).read_text()
    head = first.split("\n\n", 1)[0].replace("\n ", " ")
    who = re.search(r"^From: (.*)$", head, re.M).group(1)
    opts = ["--author", who]
    if f"\nSigned-off-by: {who}\n" in first:
        opts.append("--signoff")
    for key, opt in (("M", "--maintainer"), ("R", "--reviewer"), ("L", "--list")):
        for value in re.findall(rf"^\+{key}:\t(.*)$", first, re.M):
            opts += [opt, value]
    base = re.search(r"^base-commit: (\S+)$",
                     next(series.glob("0000-*.patch")).read_text(), re.M)
    return opts + (["--base", base.group(1)] if base else [])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("ksrc", type=pathlib.Path)
    ap.add_argument("out", type=pathlib.Path)
    ap.add_argument("--author", help="'Name <email>' (default: git config)")
    ap.add_argument("--signoff", action="store_true", help="add the author's Signed-off-by")
    ap.add_argument("--maintainer", action="append", default=[], help="an M: line")
    ap.add_argument("--reviewer", action="append", default=[], help="an R: line")
    ap.add_argument("--list", action="append", default=[],
                    help=f"an L: line (default: {', '.join(LISTS)})")
    ap.add_argument("--base", help="the upstream commit the series applies to")
    ap.add_argument("--like", type=pathlib.Path,
                    help="take the options above from the series in this directory")
    opts = ap.parse_args()
    if opts.like:
        opts = ap.parse_args(sys.argv[1:] + options_of(opts.like))
    ksrc, out = opts.ksrc, opts.out
    who = author(opts)
    version = subprocess.run(["make", "-s", "-C", str(ksrc), "kernelversion"],
                             capture_output=True, text=True, check=True).stdout.strip()
    base, steps = series(ksrc, opts)
    with tempfile.TemporaryDirectory() as tmp:
        repo = pathlib.Path(tmp)
        git(repo, who, "init", "-q", "-b", "base")
        for p in base:
            (repo / p).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(ksrc / p, repo / p)
        git(repo, who, "add", "-A")
        git(repo, who, "commit", "-q", "-m", "base")
        git(repo, who, "checkout", "-q", "-b", "rust-livepatch")
        for msg, files in steps:
            for p, text in files.items():
                f = repo / p
                f.parent.mkdir(parents=True, exist_ok=True)
                text = text if text.endswith("\n") else text + "\n"
                f.write_text(rustfmt(text, ksrc) if p.endswith(".rs") else text)
            git(repo, who, "add", "-A")
            git(repo, who, "commit", "-q", *(["-s"] if opts.signoff else []),
                "-F", str(MESSAGES / msg))
        cover = (MESSAGES / "cover.txt").read_text()
        cover += (f"\nIt applies to Linux {version}"
                  + ("." if opts.base else f", and was generated against the source "
                     f"tree {ksrc.name} (no upstream commit was named).") + "\n")
        git(repo, who, "config", "branch.rust-livepatch.description", cover)
        if out.exists():
            shutil.rmtree(out)
        git(repo, who, "format-patch", "-q", "--cover-letter",
            "--cover-from-description=subject", *(["-s"] if opts.signoff else []),
            "--zero-commit", "--no-signature", "-o", str(out.resolve()), "base")
        if opts.base:
            letter = next(out.glob("0000-*.patch"))
            text = letter.read_text()
            letter.write_text(text.rstrip("\n") + f"\n\nbase-commit: {opts.base}\n")
    print(f"{out}: {len(list(out.glob('*.patch')))} files for Linux {version}")


if __name__ == "__main__":
    main()
