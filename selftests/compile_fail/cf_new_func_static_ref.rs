// SPDX-License-Identifier: GPL-2.0

//! A reference a replacement gets from a C argument lasts for the call: a
//! replacement declared to take a `&'static SeqFile`, which it could keep,
//! does not build.
//!
//! expect: livepatch/adapter.rs: error[E0597]: `call` does not live long enough
use kernel::{
    ffi::c_void,
    prelude::*,
    seq_file::SeqFile, //
};

#[cfg(not(klp_kernel_livepatch))]
#[path = "../../livepatch/mod.rs"]
mod livepatch;
#[cfg(klp_kernel_livepatch)]
use kernel::livepatch;

use livepatch::Func;

fn show_keeping_seq_file(_m: &'static SeqFile, _v: *mut c_void) -> Result {
    Ok(())
}

static FUNCS: [Func; 1] = [
    // SAFETY: `cmdline_proc_show()` is a seq_file show function,
    // `int (struct seq_file *m, void *v)`; the replacement would keep `m`.
    unsafe {
        Func::vmlinux(
            c"cmdline_proc_show",
            livepatch::new_func!(show_keeping_seq_file: fn(m: &'static SeqFile, v: *mut c_void) -> Result),
        )
    },
];

module! {
    type: CompileFail,
    name: "cf_new_func_static_ref",
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
