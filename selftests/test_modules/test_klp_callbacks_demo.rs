// SPDX-License-Identifier: GPL-2.0

//! Livepatch test: livepatch demo, in Rust.
//!
//! The Rust counterpart of upstream's `test_klp_callbacks_demo.c`: callbacks
//! for vmlinux and the two C test targets, the pre-patch callback returning
//! `pre_patch_ret`, and a replacement for the busy target's work function.

use kernel::{
    error::to_result,
    prelude::*, //
};

#[path = "../../livepatch/mod.rs"]
mod livepatch;
#[path = "../../support/param.rs"]
mod param;

use livepatch::{
    work_fn,
    Callbacks,
    Func,
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
    type: TestKlpCallbacksDemo,
    name: "test_klp_callbacks_demo",
    authors: ["rust_livepatch developers"],
    description: "Livepatch test: livepatch demo",
    license: "GPL",
}

livepatch::modinfo_livepatch!();

static PRE_PATCH_RET: IntParam = IntParam::new(0);
module_param_int! {
    name: pre_patch_ret,
    value: PRE_PATCH_RET,
    perm: 0o644,
    description: "pre_patch_ret (default=0)",
}

struct Demo;

impl Callbacks for Demo {
    fn pre_patch(obj: &PatchedObject) -> Result {
        pr_info!("pre_patch_callback: {obj}\n");
        to_result(PRE_PATCH_RET.get())
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

fn patched_work_func() {
    pr_info!("patched_work_func\n");
}

static NO_FUNCS: Funcs<0> = Funcs::new([]);

static BUSYMOD_FUNCS: Funcs<1> =
    Funcs::new([Func::new(c"busymod_work_func", work_fn!(patched_work_func))]);

static OBJS: Objects<3> = Objects::new([
    Object::vmlinux_with_callbacks::<Demo, 0>(&NO_FUNCS),
    Object::module_with_callbacks::<Demo, 0>(c"test_klp_callbacks_mod", &NO_FUNCS),
    Object::module_with_callbacks::<Demo, 1>(c"test_klp_callbacks_busy", &BUSYMOD_FUNCS),
]);

static PATCH: Patch = Patch::new(&OBJS);

struct TestKlpCallbacksDemo;

impl kernel::Module for TestKlpCallbacksDemo {
    fn init(module: &'static ThisModule) -> Result<Self> {
        PATCH.enable(module)?;
        Ok(TestKlpCallbacksDemo)
    }
}
