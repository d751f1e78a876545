// SPDX-License-Identifier: GPL-2.0

//! The core names an object's sysfs directory after its target and refuses a
//! second one, with a stack trace: two objects for vmlinux in one patch do
//! not build.
//!
//! expect: selftests/compile_fail/cf_patch_same_object.rs:26: error[E0080]: evaluation panicked: two objects of a patch for the same target
//! expect(rustc 1.85): livepatch/mod.rs: error[E0080]: evaluation of constant value failed: the evaluated program panicked at 'two objects of a patch for the same target'
use kernel::prelude::*;

#[cfg(not(klp_kernel_livepatch))]
#[path = "../../livepatch/mod.rs"]
mod livepatch;
#[cfg(klp_kernel_livepatch)]
use kernel::livepatch;

use livepatch::{
    Func,
    Object,
    Patch, //
};

static FUNCS: [Func; 0] = [];
static MORE_FUNCS: [Func; 0] = [];
static OBJECTS: [Object; 2] = [Object::vmlinux(&FUNCS), Object::vmlinux(&MORE_FUNCS)];
const PATCH: Patch = Patch::new(&OBJECTS);

module! {
    type: CompileFail,
    name: "cf_patch_same_object",
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
