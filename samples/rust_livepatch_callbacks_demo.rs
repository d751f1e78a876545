// SPDX-License-Identifier: GPL-2.0

//! (Un)patching callbacks livepatch demo, in Rust.
//!
//! The Rust counterpart of `samples/livepatch/livepatch-callbacks-demo.c`.
//! Its targets stay upstream's C modules, built by `samples/Kbuild` from the
//! kernel source.
//!
//! Step 1 - load the simple module:
//!
//! ```text
//! insmod samples/livepatch-callbacks-mod.ko
//! ```
//!
//! Step 2 - load the demonstration livepatch (with callbacks):
//!
//! ```text
//! insmod samples/rust_livepatch_callbacks_demo.ko
//! ```
//!
//! Step 3 - cleanup:
//!
//! ```text
//! echo 0 > /sys/kernel/livepatch/rust_livepatch_callbacks_demo/enabled
//! rmmod rust_livepatch_callbacks_demo
//! rmmod livepatch_callbacks_mod
//! ```
//!
//! Watch dmesg to see the patch enabled, the callbacks run and the objects
//! patched, for vmlinux and the module. Swap the two `insmod`s to see a
//! target module loaded after the livepatch.
//!
//! `pre_patch_ret` sets what the pre-patch callback returns. With a
//! non-zero status such as -19 (-ENODEV), the module loader refuses the
//! target:
//!
//! ```text
//! insmod samples/rust_livepatch_callbacks_demo.ko
//! echo -19 > /sys/module/rust_livepatch_callbacks_demo/parameters/pre_patch_ret
//! insmod samples/livepatch-callbacks-mod.ko
//! insmod: ERROR: could not insert module samples/livepatch-callbacks-mod.ko: No such device
//! ```
//!
//! The second target, `livepatch-callbacks-busymod.ko`, parks its work on
//! `busymod_work_func()`, which this patch replaces, for `sleep_secs`:
//! loading it with `sleep_secs=30` before the livepatch shows a stalled
//! transition, during which the other target can be loaded and removed.

use kernel::{
    error::to_result,
    prelude::*, //
};

#[cfg(not(klp_kernel_livepatch))]
#[path = "../livepatch/mod.rs"]
mod livepatch;
#[cfg(klp_kernel_livepatch)]
use kernel::livepatch;
#[path = "../support/callback_info.rs"]
mod callback_info;
#[path = "../support/param.rs"]
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
    type: RustLivepatchCallbacksDemo,
    name: "rust_livepatch_callbacks_demo",
    authors: ["rust_livepatch developers"],
    description: "Live patching demo for (un)patching callbacks, in Rust",
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
    /// Executed on object patching (ie, patch enablement).
    fn pre_patch(obj: &PatchedObject) -> Result {
        pr_info!("pre_patch_callback: {}\n", Info(obj));
        to_result(PRE_PATCH_RET.get())
    }

    /// Executed on object patching (ie, patch enablement).
    fn post_patch(obj: &PatchedObject) {
        pr_info!("post_patch_callback: {}\n", Info(obj));
    }

    /// Executed on object unpatching (ie, patch disablement).
    fn pre_unpatch(obj: &PatchedObject) {
        pr_info!("pre_unpatch_callback: {}\n", Info(obj));
    }

    /// Executed on object unpatching (ie, patch disablement).
    fn post_unpatch(obj: &PatchedObject) {
        pr_info!("post_unpatch_callback: {}\n", Info(obj));
    }
}

fn patched_work_func() {
    pr_info!("patched_work_func\n");
}

static NO_FUNCS: [Func; 0] = [];

static BUSYMOD_FUNCS: [Func; 1] = [
    // SAFETY: `busymod_work_func()` (samples/livepatch/livepatch-callbacks-
    // busymod.c) is a work function, `void (struct work_struct *work)`: the
    // prototype `work_fn!` makes.
    unsafe {
        Func::module(
            c"livepatch_callbacks_busymod",
            c"busymod_work_func",
            livepatch::work_fn!(patched_work_func),
        )
    },
];

static OBJECTS: [Object; 3] = [
    Object::vmlinux(&NO_FUNCS).with_callbacks::<Demo>(),
    Object::module(c"livepatch_callbacks_mod", &NO_FUNCS).with_callbacks::<Demo>(),
    Object::module(c"livepatch_callbacks_busymod", &BUSYMOD_FUNCS).with_callbacks::<Demo>(),
];

struct RustLivepatchCallbacksDemo;

impl kernel::Module for RustLivepatchCallbacksDemo {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        Ok(RustLivepatchCallbacksDemo)
    }
}

impl Livepatch for RustLivepatchCallbacksDemo {
    const PATCH: Patch = Patch::new(&OBJECTS);
}
