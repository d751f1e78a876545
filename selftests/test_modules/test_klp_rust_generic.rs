// SPDX-License-Identifier: GPL-2.0

//! Livepatch test: a generic Rust function cannot be replaced.
//!
//! `core::cmp::max::<u32>` has no function in vmlinux: its address is that
//! of this module's copy. Enabling the patch fails, in one line that says
//! so, before the core is asked.

use kernel::prelude::*;

#[cfg(not(klp_kernel_livepatch))]
#[path = "../../livepatch/mod.rs"]
mod livepatch;
#[cfg(klp_kernel_livepatch)]
use kernel::livepatch;

use livepatch::{
    Func,
    Livepatch,
    Object,
    Patch, //
};

livepatch::module_livepatch! {
    type: TestKlpRustGeneric,
    name: "test_klp_rust_generic",
    authors: ["rust_livepatch developers"],
    description: "Livepatch test: a generic Rust function is refused",
    license: "GPL",
}

fn min(a: u32, b: u32) -> u32 {
    a.min(b)
}

static FUNCS: [Func; 1] = [Func::rust(livepatch::rust_func!(
    (core::cmp::max::<u32>): fn(a: u32, b: u32) -> u32 => min
))];
static OBJECTS: [Object; 1] = [Object::vmlinux(&FUNCS)];

struct TestKlpRustGeneric;

impl kernel::Module for TestKlpRustGeneric {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        // Keep the copy: a function the module does not use is not built.
        pr_info!(
            "max(1, 2) = {}\n",
            core::hint::black_box(core::cmp::max(1u32, 2))
        );
        Ok(TestKlpRustGeneric)
    }
}

impl Livepatch for TestKlpRustGeneric {
    const PATCH: Patch = Patch::new(&OBJECTS);
}
