// SPDX-License-Identifier: GPL-2.0

//! Livepatch test: livepatch demo2, in Rust.
//!
//! The Rust counterpart of upstream's `test_klp_callbacks_demo2.c`: vmlinux
//! callbacks only, and atomic replace when loaded with `replace=1`.

use kernel::prelude::*;

#[path = "../../livepatch/mod.rs"]
mod livepatch;
#[path = "../../support/param.rs"]
mod param;

use livepatch::{
    Callbacks,
    Funcs,
    Object,
    Objects,
    Patch,
    PatchedObject, //
};
use param::{
    module_param_int,
    IntParam, //
};

module! {
    type: TestKlpCallbacksDemo2,
    name: "test_klp_callbacks_demo2",
    authors: ["rust_livepatch developers"],
    description: "Livepatch test: livepatch demo2",
    license: "GPL",
}

livepatch::modinfo_livepatch!();

static REPLACE: IntParam = IntParam::new(0);
module_param_int! {
    name: replace,
    value: REPLACE,
    perm: 0o644,
    description: "replace (default=0)",
}

struct Demo2;

impl Callbacks for Demo2 {
    fn pre_patch(obj: &PatchedObject) -> Result {
        pr_info!("pre_patch_callback: {obj}\n");
        Ok(())
    }

    fn post_patch(obj: &PatchedObject) {
        pr_info!("post_patch_callback: {obj}\n");
    }

    fn pre_unpatch(obj: &PatchedObject) {
        pr_info!("pre_unpatch_callback: {obj}\n");
    }

    fn post_unpatch(obj: &PatchedObject) {
        pr_info!("post_unpatch_callback: {obj}\n");
    }
}

static NO_FUNCS: Funcs<0> = Funcs::new([]);
static OBJS: Objects<1> = Objects::new([Object::vmlinux_with_callbacks::<Demo2, 0>(&NO_FUNCS)]);
static PATCH: Patch = Patch::new(&OBJS);

struct TestKlpCallbacksDemo2;

impl kernel::Module for TestKlpCallbacksDemo2 {
    fn init(module: &'static ThisModule) -> Result<Self> {
        PATCH.set_replace(REPLACE.get() != 0);
        PATCH.enable(module)?;
        Ok(TestKlpCallbacksDemo2)
    }
}
