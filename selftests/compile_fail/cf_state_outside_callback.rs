// SPDX-License-Identifier: GPL-2.0

//! System states are used in callbacks only, which hold the core's lock: a
//! `PatchedObject` cannot be made elsewhere.
//!
//! expect: selftests/compile_fail/cf_state_outside_callback.rs:25: error[E0624]: associated function `from_raw` is private

use kernel::prelude::*;

#[cfg(not(klp_kernel_livepatch))]
#[path = "../../livepatch/mod.rs"]
mod livepatch;
#[cfg(klp_kernel_livepatch)]
use kernel::livepatch;

use livepatch::{
    PatchedObject,
    State, //
};

// SAFETY: only this module declares state 1, with an `i32`.
static LOGLEVEL: State<i32> = unsafe { State::new(1, 1) };

fn outside_a_callback() -> Option<i32> {
    let obj = PatchedObject::from_raw(core::ptr::null_mut());
    LOGLEVEL.get(obj)?.get()
}

module! {
    type: CompileFail,
    name: "cf_state_outside_callback",
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
