// SPDX-License-Identifier: GPL-2.0

//! Livepatch test: one description of functions used by two objects.
//!
//! With static `klp_func` arrays, as C declares them, one array listed by
//! two objects puts the same list nodes on two of the core's lists, and
//! `klp_enable_patch()` oopses on the corrupted list. Here the core's
//! structures are built from the descriptions when the patch is enabled:
//! `FUNCS` is listed by vmlinux and by the module `klp_job_target` (which
//! has no `version_proc_show`: it is not loaded while this patch is), and
//! the patch loads and works as any other.

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

use livepatch::{
    Func,
    Livepatch,
    Object,
    Patch, //
};

livepatch::module_livepatch! {
    type: TestKlpShared,
    name: "test_klp_shared",
    authors: ["rust_livepatch developers"],
    description: "Livepatch test: one description of functions used by two objects",
    license: "GPL",
}

fn livepatch_version_proc_show(m: &SeqFile) -> Result {
    seq_print!(m, "test_klp_shared: this has been live patched\n");
    Ok(())
}

static FUNCS: [Func; 1] = [
    // SAFETY: `version_proc_show()` (fs/proc/version.c) is a seq_file show
    // function, `int (struct seq_file *m, void *v)`: the prototype
    // `seq_show!` makes.
    unsafe {
        Func::new(
            c"version_proc_show",
            livepatch::seq_show!(livepatch_version_proc_show),
        )
    },
];
static OBJECTS: [Object; 2] = [
    Object::vmlinux(&FUNCS),
    Object::module(c"klp_job_target", &FUNCS),
];

struct TestKlpShared;

impl kernel::Module for TestKlpShared {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        Ok(TestKlpShared)
    }
}

impl Livepatch for TestKlpShared {
    fn patch(&self) -> Patch {
        Patch::new(&OBJECTS)
    }
}
