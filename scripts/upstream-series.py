#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""upstream-series.py KSRC OUTDIR: write the patch series that adds this
project's livepatch API and sample to the kernel source tree KSRC, as
`git format-patch` files with a cover letter, into OUTDIR.

The series is made from the project's files (livepatch/, rust_livepatch.rs)
and the commit messages in scripts/upstream/, so that it cannot drift from
them. Only the files the series touches are taken from KSRC: the patches
are made in a small repository of those files, and apply to KSRC with
`git am` (their blob ids are those of KSRC's files). Everything that ends
up in the patches is fixed (author, dates, no commit ids), so the same
inputs give the same files.
"""

import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

TOP = pathlib.Path(__file__).resolve().parent.parent
MESSAGES = TOP / "scripts" / "upstream"
AUTHOR = ("rust_livepatch developers", "rust-livepatch@invalid")
DATE = "2026-11-29T12:00:00+00:00"

# Lines of livepatch/mod.rs that belong to a later patch of the series.
LATER = {
    "shadow": [r"^pub mod shadow;$", r"^pub use shadow::Shadow;$"],
    "syscall": [r"^pub mod syscall;$"],
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


def without(text: str, patterns: list) -> str:
    return "\n".join(
        l for l in text.split("\n") if not any(re.match(p, l) for p in patterns)
    )


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


def maintainers(text: str, files: list) -> str:
    """MAINTAINERS with an entry for the Rust livepatch files `files`. Each
    patch that adds files lists them, so that checkpatch sees MAINTAINERS
    updated where files are added."""
    entry = (
        "LIVE PATCHING [RUST]\n"
        "L:\tlive-patching@vger.kernel.org\n"
        "L:\trust-for-linux@vger.kernel.org\n"
        "S:\tMaintained\n" + "".join(f"F:\t{f}\n" for f in sorted(files)) + "\n"
    )
    at = text.index("\n\n", text.index("\nLIVE PATCHING\n")) + 2
    return text[:at] + entry + text[at:]


def series(ksrc: pathlib.Path):
    """The files of KSRC the series changes, and the state of every file it
    touches after each patch, with the patch's message."""
    read = lambda p: (ksrc / p).read_text()
    lp = {m: in_kernel_crate((TOP / "livepatch" / f"{m}.rs").read_text())
          for m in ("mod", "callbacks", "state", "shadow", "syscall")}
    base = ["rust/bindings/bindings_helper.h", "rust/kernel/lib.rs", "MAINTAINERS",
            "samples/rust/Kconfig", "samples/rust/Makefile"]
    lib = insert_sorted(read("rust/kernel/lib.rs"),
                        "#[cfg(CONFIG_LIVEPATCH)]\npub mod livepatch;", r"^pub mod [a-z]")
    files = ["rust/kernel/livepatch.rs", "rust/kernel/livepatch/callbacks.rs",
             "rust/kernel/livepatch/state.rs", "rust/kernel/livepatch/shadow.rs",
             "rust/kernel/livepatch/syscall.rs", "samples/rust/rust_livepatch.rs"]
    steps = [
        ("1-bindings.txt", {
            "rust/bindings/bindings_helper.h": insert_sorted(
                read("rust/bindings/bindings_helper.h"),
                "#include <linux/livepatch.h>", r"^#include <linux/"),
        }),
        ("2-livepatch.txt", {
            "rust/kernel/livepatch.rs": without(lp["mod"], LATER["shadow"] + LATER["syscall"]),
            "rust/kernel/livepatch/callbacks.rs": lp["callbacks"],
            "rust/kernel/livepatch/state.rs": lp["state"],
            "rust/kernel/lib.rs": lib,
            "MAINTAINERS": maintainers(read("MAINTAINERS"), files[:3]),
        }),
        ("3-shadow.txt", {
            "rust/kernel/livepatch.rs": without(lp["mod"], LATER["syscall"]),
            "rust/kernel/livepatch/shadow.rs": lp["shadow"],
            "MAINTAINERS": maintainers(read("MAINTAINERS"), files[:4]),
        }),
        ("4-syscall.txt", {
            "rust/kernel/livepatch.rs": lp["mod"],
            "rust/kernel/livepatch/syscall.rs": lp["syscall"],
            "MAINTAINERS": maintainers(read("MAINTAINERS"), files[:5]),
        }),
        ("5-sample.txt", {
            "samples/rust/rust_livepatch.rs": sample((TOP / "rust_livepatch.rs").read_text()),
            "samples/rust/Kconfig": kconfig(read("samples/rust/Kconfig")),
            "samples/rust/Makefile": makefile(read("samples/rust/Makefile")),
            "MAINTAINERS": maintainers(read("MAINTAINERS"), files),
        }),
    ]
    return base, steps


def git(repo, *args, **kw):
    env = dict(os.environ, GIT_AUTHOR_NAME=AUTHOR[0], GIT_AUTHOR_EMAIL=AUTHOR[1],
               GIT_COMMITTER_NAME=AUTHOR[0], GIT_COMMITTER_EMAIL=AUTHOR[1],
               GIT_AUTHOR_DATE=DATE, GIT_COMMITTER_DATE=DATE,
               GIT_CONFIG_GLOBAL="/dev/null", GIT_CONFIG_NOSYSTEM="1")
    return subprocess.run(["git", "-C", str(repo), *args], env=env, check=True,
                          text=True, **kw)


def rustfmt(text: str, ksrc: pathlib.Path) -> str:
    """`text` formatted with the kernel's rustfmt configuration (from stdin:
    rustfmt does not follow `mod` items then)."""
    rustfmt = shutil.which("rustfmt", path="/usr/bin") or "rustfmt"
    return subprocess.run([rustfmt, "--edition", "2021", "--config-path",
                           str(ksrc / ".rustfmt.toml")], input=text, capture_output=True,
                          text=True, check=True).stdout


def main() -> None:
    ksrc, out = map(pathlib.Path, sys.argv[1:3])
    version = subprocess.run(["make", "-s", "-C", str(ksrc), "kernelversion"],
                             capture_output=True, text=True, check=True).stdout.strip()
    base, steps = series(ksrc)
    with tempfile.TemporaryDirectory() as tmp:
        repo = pathlib.Path(tmp)
        git(repo, "init", "-q", "-b", "base")
        for p in base:
            (repo / p).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(ksrc / p, repo / p)
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", "base")
        git(repo, "checkout", "-q", "-b", "rust-livepatch")
        for msg, files in steps:
            for p, text in files.items():
                f = repo / p
                f.parent.mkdir(parents=True, exist_ok=True)
                text = text if text.endswith("\n") else text + "\n"
                f.write_text(rustfmt(text, ksrc) if p.endswith(".rs") else text)
            git(repo, "add", "-A")
            git(repo, "commit", "-q", "-F", str(MESSAGES / msg))
        cover = (MESSAGES / "cover.txt").read_text() + f"\nIt applies to Linux {version}.\n"
        git(repo, "config", "branch.rust-livepatch.description", cover)
        if out.exists():
            shutil.rmtree(out)
        git(repo, "format-patch", "-q", "--cover-letter", "--cover-from-description=subject",
            "--zero-commit", "--no-signature", "-o", str(out.resolve()), "base")
    print(f"{out}: {len(list(out.glob('*.patch')))} files for Linux {version}")


if __name__ == "__main__":
    main()
