// SPDX-License-Identifier: GPL-2.0

//! A system state's data is `kmalloc()`ed, and may be freed by a C patch
//! taking it over: zero-sized data, which is no allocation, does not build.
//!
//! expect: selftests/compile_fail/cf_state_zero_sized.rs:19: error[E0080]: evaluation panicked: a system state's data may not be zero-sized
//! expect(rustc 1.85): livepatch/state.rs: error[E0080]: could not evaluate static initializer: the evaluated program panicked at 'a system state's data may not be zero-sized'
use kernel::prelude::*;

#[cfg(not(klp_kernel_livepatch))]
#[path = "../../livepatch/mod.rs"]
mod livepatch;
#[cfg(klp_kernel_livepatch)]
use kernel::livepatch;

use livepatch::State;

// SAFETY: only this module declares state 1, with a `[u32; 0]`.
static EMPTY: State<[u32; 0]> = unsafe { State::new(1, 1) };

module! {
    type: CompileFail,
    name: "cf_state_zero_sized",
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
