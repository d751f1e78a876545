// SPDX-License-Identifier: GPL-2.0

//! A patch is enabled once, by `module_livepatch!`, after the module's `init`:
//! enabling it from safe code does not build.
//!
//! expect: selftests/compile_fail/cf_enable_safe.rs:25: error[E0133]: call to unsafe function `registration::Registration::new` is unsafe

use kernel::prelude::*;

#[cfg(not(klp_kernel_livepatch))]
#[path = "../../livepatch/mod.rs"]
mod livepatch;
#[cfg(klp_kernel_livepatch)]
use kernel::livepatch;

use livepatch::{
    Object,
    Patch,
    Registration, //
};

static OBJECTS: [Object; 0] = [];

fn enable_outside_init(module: &'static ThisModule) -> Result {
    let first = Registration::new(Patch::new(&OBJECTS), false, module);
    let _first = KBox::pin_init(first, GFP_KERNEL)?;
    Ok(())
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
    fn init(_module: &'static ThisModule) -> Result<Self> {
        Ok(CompileFail)
    }
}
