// SPDX-License-Identifier: GPL-2.0

//! A shadow variable id's data type is a contract with other modules:
//! `Shadow::new` needs `unsafe`.
//!
//! expect: selftests/compile_fail/cf_shadow_unsafe.rs:18: error[E0133]: call to unsafe function `Shadow::<T>::new` is unsafe

use kernel::prelude::*;

#[cfg(not(klp_kernel_livepatch))]
#[path = "../../livepatch/mod.rs"]
mod livepatch;
#[cfg(klp_kernel_livepatch)]
use kernel::livepatch;

use livepatch::Shadow;

static COUNTER: Shadow<u32> = Shadow::new(1);

module! {
    type: CompileFail,
    name: "cf_shadow_unsafe",
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
