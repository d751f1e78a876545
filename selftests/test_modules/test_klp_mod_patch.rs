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

#[path = "../../livepatch/mod.rs"]
mod livepatch;

use livepatch::{
    seq_show,
    Func,
    Funcs,
    Object,
    Objects,
    Patch, //
};

module! {
    type: TestKlpModPatch,
    name: "test_klp_mod_patch",
    authors: ["rust_livepatch developers"],
    description: "Livepatch test: patch for module-provided function",
    license: "GPL",
}

livepatch::modinfo_livepatch!();

fn livepatch_mod_target_show(m: &SeqFile) -> Result {
    seq_print!(m, "test_klp_mod_patch: this has been live patched\n");
    Ok(())
}

static FUNCS: Funcs<1> = Funcs::new([Func::new(
    c"test_klp_mod_target_show",
    seq_show!(livepatch_mod_target_show),
)]);
static OBJS: Objects<1> = Objects::new([Object::module(c"test_klp_mod_target", &FUNCS)]);
static PATCH: Patch = Patch::new(&OBJS);

struct TestKlpModPatch;

impl kernel::Module for TestKlpModPatch {
    fn init(module: &'static ThisModule) -> Result<Self> {
        PATCH.enable(module)?;
        Ok(TestKlpModPatch)
    }
}
