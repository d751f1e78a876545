// SPDX-License-Identifier: GPL-2.0

//! A replacement's Rust signature is checked against its adapter: a show
//! function takes a `&SeqFile`.
//!
//! expect: selftests/compile_fail/cf_seq_show_signature.rs:28: error[E0308]: mismatched types: incorrect number of function parameters

use kernel::prelude::*;

#[cfg(not(klp_kernel_livepatch))]
#[path = "../../livepatch/mod.rs"]
mod livepatch;
#[cfg(klp_kernel_livepatch)]
use kernel::livepatch;

use livepatch::Func;

fn show_without_seq_file() -> Result {
    Ok(())
}

static FUNCS: [Func; 1] = [
    // SAFETY: `cmdline_proc_show()` is a seq_file show function; the
    // replacement does not have the signature `seq_show!` takes.
    unsafe {
        Func::vmlinux(
            c"cmdline_proc_show",
            livepatch::seq_show!(show_without_seq_file),
        )
    },
];

module! {
    type: CompileFail,
    name: "cf_seq_show_signature",
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
