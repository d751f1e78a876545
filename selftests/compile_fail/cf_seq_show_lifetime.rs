// SPDX-License-Identifier: GPL-2.0

//! A replacement gets the `SeqFile` for the call only: one that would keep it
//! (`&'static SeqFile`) does not build.
//!
//! expect: selftests/compile_fail/cf_seq_show_lifetime.rs:31: error[E0308]: mismatched types: one type is more general than the other

use kernel::{
    prelude::*,
    seq_file::SeqFile, //
};

#[cfg(not(klp_kernel_livepatch))]
#[path = "../../livepatch/mod.rs"]
mod livepatch;
#[cfg(klp_kernel_livepatch)]
use kernel::livepatch;

use livepatch::Func;

fn show_keeping_seq_file(_m: &'static SeqFile) -> Result {
    Ok(())
}

static FUNCS: [Func; 1] = [
    // SAFETY: `cmdline_proc_show()` is a seq_file show function; the
    // replacement asks for a `SeqFile` longer than the call.
    unsafe {
        Func::vmlinux(
            c"cmdline_proc_show",
            livepatch::seq_show!(show_keeping_seq_file),
        )
    },
];

module! {
    type: CompileFail,
    name: "cf_seq_show_lifetime",
    authors: ["rust_livepatch developers"],
    description: "must not build",
    license: "GPL",
}

struct CompileFail;

impl kernel::Module for CompileFail {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        Ok(CompileFail)
    }
}
