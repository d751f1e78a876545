#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""rust-project.py JSON KBUILD KDIR: complete the rust-project.json that the
kernel's `make M=... rust-analyzer` wrote for this project.

The kernel's generator takes a .rs file for a crate root only when the
Kbuild or Makefile of its own directory names its object; this project's
Rust modules are listed in the top Kbuild (they depend on bindings it
generates). Add every module listed there, with the dependencies and cfgs
of a module the generator found, and the cfgs Kbuild adds for KDIR
(scripts/klp-cfgs.sh).
"""

import json
import pathlib
import re
import subprocess
import sys


def main() -> None:
    project_file, kbuild_file, kdir = map(pathlib.Path, sys.argv[1:4])
    top = kbuild_file.resolve().parent
    kbuild = kbuild_file.read_text()
    project = json.loads(project_file.read_text())
    crates = project["crates"]

    lines = [l for l in kbuild.split("\n") if l.startswith("klp_rust ")]
    roots = [top / (m + ".rs") for l in lines for m in re.findall(r"([\w/]+)\.o\b", l)]
    known = {pathlib.Path(c["root_module"]).resolve() for c in crates}
    model = next((c for c in crates if pathlib.Path(c["root_module"]).resolve() in roots), None)
    if model is None:
        sys.exit(f"{project_file}: none of the modules of {kbuild_file}; was it made with M={top}?")

    flags = subprocess.check_output([top / "scripts" / "klp-cfgs.sh", kdir], text=True)
    cfgs = re.findall(r"--cfg (\w+)", flags)
    for root in roots:
        if root not in known:
            crates.append(dict(model, display_name=root.stem, root_module=str(root)))
    for crate in crates:
        if pathlib.Path(crate["root_module"]).resolve() in roots:
            crate["cfg"] = sorted(set(crate["cfg"]) | set(cfgs))

    project_file.write_text(json.dumps(project, sort_keys=True, indent=4) + "\n")
    print(f"{project_file}: {len(roots)} modules of this project")


if __name__ == "__main__":
    main()
