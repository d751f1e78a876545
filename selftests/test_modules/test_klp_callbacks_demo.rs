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
    type: TestKlpCallbacksDemo,
    name: "test_klp_callbacks_demo",
    authors: ["rust_livepatch developers"],
    description: "Livepatch test: livepatch demo",
    license: "GPL",
}

static PRE_PATCH_RET: IntParam = IntParam::new(0);
module_param_int! {
    name: pre_patch_ret,
    value: PRE_PATCH_RET,
    perm: 0o644,
    description: "pre_patch_ret (default=0)",
}

struct Demo;

#[vtable]
impl Callbacks for Demo {
    fn pre_patch(obj: &PatchedObject) -> Result {
        pr_info!("pre_patch_callback: {}\n", Info(obj));
        to_result(PRE_PATCH_RET.get())
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

fn patched_work_func() {
    pr_info!("patched_work_func\n");
}

static NO_FUNCS: [Func; 0] = [];

static BUSYMOD_FUNCS: [Func; 1] = [
    // SAFETY: `busymod_work_func()` (test_modules/test_klp_callbacks_busy.c of
    // the kernel's livepatch selftests) is a work function,
    // `void (struct work_struct *work)`: the prototype `work_fn!` makes.
    unsafe {
        Func::module(
            c"test_klp_callbacks_busy",
            c"busymod_work_func",
            livepatch::work_fn!(patched_work_func),
        )
    },
];

static OBJECTS: [Object; 3] = [
    Object::vmlinux(&NO_FUNCS).with_callbacks::<Demo>(),
    Object::module(c"test_klp_callbacks_mod", &NO_FUNCS).with_callbacks::<Demo>(),
    Object::module(c"test_klp_callbacks_busy", &BUSYMOD_FUNCS).with_callbacks::<Demo>(),
];

struct TestKlpCallbacksDemo;

impl kernel::Module for TestKlpCallbacksDemo {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        Ok(TestKlpCallbacksDemo)
    }
}

impl Livepatch for TestKlpCallbacksDemo {
    const PATCH: Patch = Patch::new(&OBJECTS);
}
