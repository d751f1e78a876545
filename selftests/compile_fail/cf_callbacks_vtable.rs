// SPDX-License-Identifier: GPL-2.0

//! Callbacks are a `#[vtable]`: an implementation without the attribute, which
//! would leave NULL callbacks undetected, does not build.
//!
//! expect: selftests/compile_fail/cf_callbacks_vtable.rs:23: error[E0046]: not all trait items implemented, missing: `USE_VTABLE_ATTR`, `OwnerModule`

use kernel::prelude::*;

#[cfg(not(klp_kernel_livepatch))]
#[path = "../../livepatch/mod.rs"]
mod livepatch;
#[cfg(klp_kernel_livepatch)]
use kernel::livepatch;

use livepatch::{
    Callbacks,
    PatchedObject, //
};

struct NoVtable;

impl Callbacks for NoVtable {
    fn post_patch(_obj: &PatchedObject) {}
}

module! {
    type: CompileFail,
    name: "cf_callbacks_vtable",
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
