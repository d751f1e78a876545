// SPDX-License-Identifier: GPL-2.0

//! Livepatch test: livepatch module, in Rust.
//!
//! The Rust counterpart of upstream's `test_klp_livepatch.c`: replaces
//! `cmdline_proc_show()`.

use kernel::{prelude::*, seq_file::SeqFile, seq_print};

#[path = "../../livepatch/mod.rs"]
mod livepatch;

use livepatch::{seq_show, Func, Funcs, Object, Objects, Patch};

module! {
    type: TestKlpLivepatch,
    name: "test_klp_livepatch",
    authors: ["rust_livepatch developers"],
    description: "Livepatch test: livepatch module",
    license: "GPL",
}

livepatch::modinfo_livepatch!();

fn livepatch_cmdline_proc_show(m: &SeqFile) -> Result {
    seq_print!(m, "test_klp_livepatch: this has been live patched\n");
    Ok(())
}

static FUNCS: Funcs<1> = Funcs::new([Func::new(
    c"cmdline_proc_show",
    seq_show!(livepatch_cmdline_proc_show),
)]);
static OBJS: Objects<1> = Objects::new([Object::vmlinux(&FUNCS)]);
static PATCH: Patch = Patch::new(&OBJS);

struct TestKlpLivepatch;

impl kernel::Module for TestKlpLivepatch {
    fn init(module: &'static ThisModule) -> Result<Self> {
        PATCH.enable(module)?;
        Ok(TestKlpLivepatch)
    }
}
