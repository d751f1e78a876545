// SPDX-License-Identifier: GPL-2.0

//! A replacement has the type declared for it, from which its C prototype is
//! made: a function of another type does not build.
//!
//! expect: selftests/compile_fail/cf_new_func_type.rs:29: error[E0308]: mismatched types: expected fn pointer, found fn item
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

fn show_returning_unit(_m: &SeqFile, _v: *mut c_void) {}

static FUNCS: [Func; 1] = [
    // SAFETY: `cmdline_proc_show()` is a seq_file show function,
    // `int (struct seq_file *m, void *v)`; the function returns nothing.
    unsafe {
        Func::vmlinux(
            c"cmdline_proc_show",
            livepatch::new_func!(show_returning_unit: fn(m: &SeqFile, v: *mut c_void) -> Result),
        )
    },
];

module! {
    type: CompileFail,
    name: "cf_new_func_type",
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
