// SPDX-License-Identifier: GPL-2.0

//! The core keeps the name of a patched function: it must be `'static`.
//!
//! expect: selftests/compile_fail/cf_name_not_static.rs:22: error[E0597]: `name` does not live long enough

use kernel::prelude::*;

#[cfg(not(klp_kernel_livepatch))]
#[path = "../../livepatch/mod.rs"]
mod livepatch;
#[cfg(klp_kernel_livepatch)]
use kernel::livepatch;

use livepatch::{
    Func,
    NewFunc, //
};

fn name_on_the_stack(new_func: NewFunc) -> Func {
    let name = *b"version_proc_show\0";
    let name = CStr::from_bytes_with_nul(&name).unwrap();
    // SAFETY: not reached: the name does not live long enough.
    unsafe { Func::vmlinux(name, new_func) }
}

module! {
    type: CompileFail,
    name: "cf_name_not_static",
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
