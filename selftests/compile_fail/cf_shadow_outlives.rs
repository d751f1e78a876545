// SPDX-License-Identifier: GPL-2.0

//! A shadow variable is reached while its object is borrowed: the reference
//! cannot outlive the object.
//!
//! expect: error[E0505]
//! expect: cannot move out of `obj` because it is borrowed

use kernel::prelude::*;

#[cfg(not(klp_kernel_livepatch))]
#[path = "../../livepatch/mod.rs"]
mod livepatch;
#[cfg(klp_kernel_livepatch)]
use kernel::livepatch;

use livepatch::Shadow;

// SAFETY: only this module uses id 1, through this handle, with a `u32`.
static SV: Shadow<u32> = unsafe { Shadow::new(1) };

fn outlive() -> Result<u32> {
    let obj = KBox::new(0u64, GFP_KERNEL)?;
    let var = SV.get_or_alloc(&*obj, GFP_KERNEL, |_, _| Ok(1))?;
    drop(obj);
    Ok(*var)
}

module! {
    type: CompileFail,
    name: "cf_shadow_outlives",
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
