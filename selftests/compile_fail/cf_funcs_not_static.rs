// SPDX-License-Identifier: GPL-2.0

//! An object's functions are described by a `'static` array.
//!
//! expect: selftests/compile_fail/cf_funcs_not_static.rs:22: error[E0597]: `funcs` does not live long enough

use kernel::prelude::*;

#[cfg(not(klp_kernel_livepatch))]
#[path = "../../livepatch/mod.rs"]
mod livepatch;
#[cfg(klp_kernel_livepatch)]
use kernel::livepatch;

use livepatch::{
    Func,
    Object, //
};

fn funcs_on_the_stack() -> Object {
    let funcs: [Func; 0] = [];
    Object::vmlinux(&funcs)
}

module! {
    type: CompileFail,
    name: "cf_funcs_not_static",
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
