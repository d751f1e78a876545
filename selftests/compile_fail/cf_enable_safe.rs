// SPDX-License-Identifier: GPL-2.0

//! A patch is enabled once, by `module_livepatch!`, after the module's `init`:
//! enabling it from safe code, where the result could be dropped while the
//! core uses it, does not build.
//!
//! expect: selftests/compile_fail/cf_enable_safe.rs:50: error[E0133]: call to unsafe function `Livepatched::<T>::new` is unsafe

use kernel::prelude::*;

#[cfg(not(klp_kernel_livepatch))]
#[path = "../../livepatch/mod.rs"]
mod livepatch;
#[cfg(klp_kernel_livepatch)]
use kernel::livepatch;

use livepatch::{
    Livepatch,
    Livepatched,
    Object,
    Patch, //
};

static OBJECTS: [Object; 0] = [];

struct Empty;

impl kernel::Module for Empty {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        Ok(Empty)
    }
}

impl Livepatch for Empty {
    const PATCH: Patch = Patch::new(&OBJECTS);
}

module! {
    type: CompileFail,
    name: "cf_enable_safe",
    authors: ["rust_livepatch developers"],
    description: "must not build",
    license: "GPL",
}

struct CompileFail;

impl kernel::Module for CompileFail {
    fn init(module: &'static ThisModule) -> Result<Self> {
        let _patch = KBox::pin_init(Livepatched::<Empty>::new(module, true), GFP_KERNEL)?;
        Ok(CompileFail)
    }
}
