// SPDX-License-Identifier: GPL-2.0

//! Shadow variables shared by id have a layout every module agrees on: a
//! `repr(Rust)` type, which two builds may lay out differently, does not
//! build.
//!
//! expect: selftests/compile_fail/cf_shadow_repr_rust.rs:25: error[E0277]: the trait bound `Counts: SharedData` is not satisfied
use kernel::prelude::*;

#[cfg(not(klp_kernel_livepatch))]
#[path = "../../livepatch/mod.rs"]
mod livepatch;
#[cfg(klp_kernel_livepatch)]
use kernel::livepatch;

use livepatch::Shadow;

/// Laid out as the compiler pleases.
struct Counts {
    _reads: u32,
    _writes: u64,
}

// SAFETY: only this module uses id 1, through this handle, with a `Counts`.
static SV: Shadow<Counts> = unsafe { Shadow::new(1) };

module! {
    type: CompileFail,
    name: "cf_shadow_repr_rust",
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
