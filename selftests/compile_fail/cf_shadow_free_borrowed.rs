// SPDX-License-Identifier: GPL-2.0

//! Freeing a shadow variable takes its object mutably: no reference to the
//! variable may be alive.
//!
//! expect: error[E0502]
//! expect: cannot borrow `obj` as mutable

use kernel::prelude::*;

#[cfg(not(klp_kernel_livepatch))]
#[path = "../../livepatch/mod.rs"]
mod livepatch;
#[cfg(klp_kernel_livepatch)]
use kernel::livepatch;

use livepatch::Shadow;

// SAFETY: only this module uses id 1, through this handle, with a `u32`.
static SV: Shadow<u32> = unsafe { Shadow::new(1) };

fn use_after_free() -> Result<u32> {
    let mut obj = KBox::new(0u64, GFP_KERNEL)?;
    let var = SV.get_or_alloc(&*obj, GFP_KERNEL, |_, _| Ok(1))?;
    SV.free(&mut *obj);
    Ok(*var)
}

module! {
    type: CompileFail,
    name: "cf_shadow_free_borrowed",
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
