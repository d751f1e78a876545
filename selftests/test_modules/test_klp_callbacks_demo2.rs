// SPDX-License-Identifier: GPL-2.0

//! Livepatch test: livepatch demo2, in Rust.
//!
//! The Rust counterpart of upstream's `test_klp_callbacks_demo2.c`: vmlinux
//! callbacks only, and atomic replace when loaded with `replace=1`.

use kernel::prelude::*;

#[cfg(not(klp_kernel_livepatch))]
#[path = "../../livepatch/mod.rs"]
mod livepatch;
#[cfg(klp_kernel_livepatch)]
use kernel::livepatch;
#[path = "../../support/callback_info.rs"]
mod callback_info;
#[path = "../../support/param.rs"]
mod param;

use callback_info::Info;
use livepatch::{
    Callbacks,
    Func,
    Livepatch,
    Object,
    Patch,
    PatchedObject, //
};
use param::{
    module_param_int,
    IntParam, //
};

livepatch::module_livepatch! {
    type: TestKlpCallbacksDemo2,
    name: "test_klp_callbacks_demo2",
    authors: ["rust_livepatch developers"],
    description: "Livepatch test: livepatch demo2",
    license: "GPL",
}

static REPLACE: IntParam = IntParam::new(0);
module_param_int! {
    name: replace,
    value: REPLACE,
    perm: 0o644,
    description: "replace (default=0)",
}

struct Demo2;

#[vtable]
impl Callbacks for Demo2 {
    fn pre_patch(obj: &PatchedObject) -> Result {
        pr_info!("pre_patch_callback: {}\n", Info(obj));
        Ok(())
    }

    fn post_patch(obj: &PatchedObject) {
        pr_info!("post_patch_callback: {}\n", Info(obj));
    }

    fn pre_unpatch(obj: &PatchedObject) {
        pr_info!("pre_unpatch_callback: {}\n", Info(obj));
    }

    fn post_unpatch(obj: &PatchedObject) {
        pr_info!("post_unpatch_callback: {}\n", Info(obj));
    }
}

static NO_FUNCS: [Func; 0] = [];
static OBJECTS: [Object; 1] = [Object::vmlinux(&NO_FUNCS).with_callbacks::<Demo2>()];

struct TestKlpCallbacksDemo2;

impl kernel::Module for TestKlpCallbacksDemo2 {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        Ok(TestKlpCallbacksDemo2)
    }
}

impl Livepatch for TestKlpCallbacksDemo2 {
    const PATCH: Patch = Patch::new(&OBJECTS);

    fn replace(&self) -> bool {
        REPLACE.get() != 0
    }
}
