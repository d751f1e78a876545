// SPDX-License-Identifier: GPL-2.0

//! Livepatch test: patch for module-provided function, in Rust.
//!
//! The Rust counterpart of upstream's `test_klp_mod_patch.c`: replaces
//! `test_klp_mod_target_show()` of the C target `test_klp_mod_target`.

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
    type: TestKlpModPatch,
    name: "test_klp_mod_patch",
    authors: ["rust_livepatch developers"],
    description: "Livepatch test: patch for module-provided function",
    license: "GPL",
}

fn livepatch_mod_target_show(m: &SeqFile) -> Result {
    seq_print!(m, "test_klp_mod_patch: this has been live patched\n");
    Ok(())
}

static FUNCS: [Func; 1] = [
    // SAFETY: `test_klp_mod_target_show()` (test_modules/test_klp_mod_target.c
    // of the kernel's livepatch selftests) is a seq_file show function,
    // `int (struct seq_file *m, void *v)`: the prototype `seq_show!` makes.
    unsafe {
        Func::module(
            c"test_klp_mod_target",
            c"test_klp_mod_target_show",
            livepatch::seq_show!(livepatch_mod_target_show),
        )
    },
];
static OBJECTS: [Object; 1] = [Object::module(c"test_klp_mod_target", &FUNCS)];

struct TestKlpModPatch;

impl kernel::Module for TestKlpModPatch {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        Ok(TestKlpModPatch)
    }
}

impl Livepatch for TestKlpModPatch {
    const PATCH: Patch = Patch::new(&OBJECTS);
}
