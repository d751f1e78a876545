// SPDX-License-Identifier: GPL-2.0

//! A state's data is borrowed for the callback only: it cannot be kept past it.
//!
//! expect: selftests/compile_fail/cf_state_escapes.rs:28: error: lifetime may not live long enough: assignment requires that `'1` must outlive `'static`
//! expect(rustc 1.85): selftests/compile_fail/cf_state_escapes.rs: error[E0521]: borrowed data escapes outside of function

use kernel::prelude::*;

#[cfg(not(klp_kernel_livepatch))]
#[path = "../../livepatch/mod.rs"]
mod livepatch;
#[cfg(klp_kernel_livepatch)]
use kernel::livepatch;

use livepatch::{
    PatchedObject,
    State,
    StateData, //
};

// SAFETY: only this module declares state 1, with an `i32`.
static LOGLEVEL: State<i32> = unsafe { State::new(1, 1) };

struct Keep(Option<StateData<'static, i32>>);

fn keep(obj: &PatchedObject, slot: &mut Keep) {
    slot.0 = LOGLEVEL.get(obj);
}

module! {
    type: CompileFail,
    name: "cf_state_escapes",
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
