// SPDX-License-Identifier: GPL-2.0

//! Naming the C function a replacement stands in for asserts its prototype:
//! `Func::vmlinux` needs `unsafe` (the example: a work function for a
//! show function).
//!
//! expect: selftests/compile_fail/cf_func_unsafe.rs:21: error[E0133]: call to unsafe function `Func::vmlinux` is unsafe

use kernel::prelude::*;

#[cfg(not(klp_kernel_livepatch))]
#[path = "../../livepatch/mod.rs"]
mod livepatch;
#[cfg(klp_kernel_livepatch)]
use kernel::livepatch;

use livepatch::Func;

fn f() {}

static FUNCS: [Func; 1] = [Func::vmlinux(c"version_proc_show", livepatch::work_fn!(f))];

module! {
    type: CompileFail,
    name: "cf_func_unsafe",
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
