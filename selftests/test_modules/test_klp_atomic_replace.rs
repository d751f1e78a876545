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

#[path = "../../livepatch/mod.rs"]
mod livepatch;
#[path = "../../support/param.rs"]
mod param;

use livepatch::{
    seq_show,
    Func,
    Funcs,
    Object,
    Objects,
    Patch, //
};
use param::{
    module_param_int,
    IntParam, //
};

module! {
    type: TestKlpAtomicReplace,
    name: "test_klp_atomic_replace",
    authors: ["rust_livepatch developers"],
    description: "Livepatch test: atomic replace",
    license: "GPL",
}

livepatch::modinfo_livepatch!();

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

static FUNCS: Funcs<1> = Funcs::new([Func::new(
    c"meminfo_proc_show",
    seq_show!(livepatch_meminfo_proc_show),
)]);
static OBJS: Objects<1> = Objects::new([Object::vmlinux(&FUNCS)]);
static PATCH: Patch = Patch::new(&OBJS);

struct TestKlpAtomicReplace;

impl kernel::Module for TestKlpAtomicReplace {
    fn init(module: &'static ThisModule) -> Result<Self> {
        PATCH.set_replace(REPLACE.get() != 0);
        PATCH.enable(module)?;
        Ok(TestKlpAtomicReplace)
    }
}
