// SPDX-License-Identifier: GPL-2.0

//! Livepatch test: atomic replace, in Rust.
//!
//! The Rust counterpart of upstream's `test_klp_atomic_replace.c`: replaces
//! `meminfo_proc_show()`, and all earlier patches when loaded with
//! `replace=1`.

use kernel::{
    prelude::*,
    seq_file::SeqFile,
    seq_print, //
};

#[cfg(not(klp_kernel_livepatch))]
#[path = "../../livepatch/mod.rs"]
mod livepatch;
#[cfg(klp_kernel_livepatch)]
use kernel::livepatch;
#[path = "../../support/param.rs"]
mod param;

use livepatch::{
    Func,
    Livepatch,
    Object,
    Patch, //
};
use param::{
    module_param_int,
    IntParam, //
};

livepatch::module_livepatch! {
    type: TestKlpAtomicReplace,
    name: "test_klp_atomic_replace",
    authors: ["rust_livepatch developers"],
    description: "Livepatch test: atomic replace",
    license: "GPL",
}

static REPLACE: IntParam = IntParam::new(0);
module_param_int! {
    name: replace,
    value: REPLACE,
    perm: 0o644,
    description: "replace (default=0)",
}

fn livepatch_meminfo_proc_show(m: &SeqFile) -> Result {
    seq_print!(m, "test_klp_atomic_replace: this has been live patched\n");
    Ok(())
}

static FUNCS: [Func; 1] = [
    // SAFETY: `meminfo_proc_show()` (fs/proc/meminfo.c) is a seq_file show
    // function, `int (struct seq_file *m, void *v)`: the prototype
    // `seq_show!` makes.
    unsafe {
        Func::vmlinux(
            c"meminfo_proc_show",
            livepatch::seq_show!(livepatch_meminfo_proc_show),
        )
    },
];
static OBJECTS: [Object; 1] = [Object::vmlinux(&FUNCS)];

struct TestKlpAtomicReplace;

impl kernel::Module for TestKlpAtomicReplace {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        Ok(TestKlpAtomicReplace)
    }
}

impl Livepatch for TestKlpAtomicReplace {
    const PATCH: Patch = Patch::new(&OBJECTS);

    fn replace(&self) -> bool {
        REPLACE.get() != 0
    }
}
