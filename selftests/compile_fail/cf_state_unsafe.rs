// SPDX-License-Identifier: GPL-2.0

//! A system state's data type is a contract with other modules: `State::new`
//! needs `unsafe`.
//!
//! expect: selftests/compile_fail/cf_state_unsafe.rs:18: error[E0133]: call to unsafe function `State::<T>::new` is unsafe

use kernel::prelude::*;

#[cfg(not(klp_kernel_livepatch))]
#[path = "../../livepatch/mod.rs"]
mod livepatch;
#[cfg(klp_kernel_livepatch)]
use kernel::livepatch;

use livepatch::State;

static LOGLEVEL: State<i32> = State::new(1, 1);

module! {
    type: CompileFail,
    name: "cf_state_unsafe",
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
