// SPDX-License-Identifier: GPL-2.0

//! Shadow variables, livepatch demo, in Rust.
//!
//! The Rust counterpart of `samples/livepatch/livepatch-shadow-fix1.c`.
//! Fixes the memory leak of `livepatch-shadow-mod`, which allocates a
//! "leak" with each dummy and forgets it: the patched `dummy_alloc()` keeps
//! the leak in a shadow variable of the dummy, and the patched
//! `dummy_free()` frees it with the dummy. Example:
//!
//! ```text
//! $ insmod livepatch-shadow-mod.ko
//! $ insmod rust_livepatch_shadow_fix1.ko
//! $ dmesg | grep fix1
//! rust_livepatch_shadow_fix1: livepatch_fix1_dummy_alloc: dummy @ 0x..., expires @ ...
//! rust_livepatch_shadow_fix1: livepatch_fix1_dummy_free: dummy @ 0x... leaked!
//! rust_livepatch_shadow_fix1: livepatch_fix1_dummy_leak_dtor: dummy @ 0x..., prevented leak @ 0x...
//! $ echo 0 > /sys/kernel/livepatch/rust_livepatch_shadow_fix1/enabled
//! $ rmmod rust_livepatch_shadow_fix1
//! ```
//!
//! Dummies allocated before the patch have no shadow variable: their leak
//! is reported, not fixed. Unlike C's `%p`, addresses are printed as they
//! are, not hashed.

use kernel::{
    alloc::flags::GFP_KERNEL,
    prelude::*, //
};

#[cfg(not(klp_kernel_livepatch))]
#[path = "../livepatch/mod.rs"]
mod livepatch;
#[cfg(klp_kernel_livepatch)]
use kernel::livepatch;
#[path = "../support/shadow_mod.rs"]
mod shadow_mod;

use livepatch::{
    Func,
    Livepatch,
    Object,
    Patch,
    Shadow, //
};
use shadow_mod::Dummy;

livepatch::module_livepatch! {
    type: ShadowFix1,
    name: "rust_livepatch_shadow_fix1",
    authors: ["rust_livepatch developers"],
    description: "Live patching demo for shadow variables, in Rust",
    license: "GPL",
}

/// Shadow variable ids, shared with fix2.
const SV_LEAK: usize = 1;

/// Dummies expire after a few cleanups (C: `EXPIRE_PERIOD`).
const EXPIRE_PERIOD: u32 = 4 * 3;

// SAFETY: the users of `SV_LEAK`, this module and fix2, attach a
// `KBox<i32>` with a `Shadow` (the C samples a `kzalloc()`ed `int`), and
// each frees only the variables of the dummies it frees; this is the
// module's only handle of it.
static LEAK: Shadow<KBox<i32>> = unsafe { Shadow::new(SV_LEAK) };

fn livepatch_fix1_dummy_alloc() -> Option<KBox<Dummy>> {
    let d = Dummy::new(EXPIRE_PERIOD).ok()?;
    let leak = KBox::new(0, GFP_KERNEL).ok()?;

    // Patch: save the leak into a SV_LEAK shadow variable, which the
    // patched dummy_free() frees.
    if let Err(e) = LEAK.alloc(&*d, GFP_KERNEL, leak) {
        pr_err!(
            "livepatch_fix1_dummy_alloc: failed to allocate shadow variable for the leaking pointer: dummy @ {:p} ({:?})\n",
            &*d,
            e
        );
        return None;
    }

    pr_info!(
        "livepatch_fix1_dummy_alloc: dummy @ {:p}, expires @ {:x}\n",
        &*d,
        d.jiffies_expire()
    );
    Some(d)
}

fn livepatch_fix1_dummy_leak_dtor(d: usize, leak: &KBox<i32>) {
    // The leak is freed when the variable drops it, after this returns. The
    // dummy's address is printed as `{:p}` prints pointers: hashed, since
    // 7.3, as C's `%p`, like the address printed at its allocation.
    pr_info!(
        "livepatch_fix1_dummy_leak_dtor: dummy @ {:p}, prevented leak @ {:p}\n",
        d as *const Dummy,
        &**leak
    );
}

fn livepatch_fix1_dummy_free(d: KBox<Dummy>) {
    // Patch: free the leak, if the dummy has one: dummies allocated before
    // this patch do not.
    if LEAK.get(&*d).is_some() {
        LEAK.free_with(&*d, livepatch_fix1_dummy_leak_dtor);
    } else {
        pr_info!("livepatch_fix1_dummy_free: dummy @ {:p} leaked!\n", &*d);
    }
}

static FUNCS: [Func; 2] = [
    // SAFETY: livepatch-shadow-mod.c defines `struct dummy *dummy_alloc(void)`,
    // whose callers own the dummy returned and `kfree()` it: the prototype
    // and contract of this replacement's types.
    unsafe {
        Func::module(
            c"livepatch_shadow_mod",
            c"dummy_alloc",
            livepatch::new_func!(livepatch_fix1_dummy_alloc: fn() -> Option<KBox<Dummy>>),
        )
    },
    // SAFETY: livepatch-shadow-mod.c defines `void dummy_free(struct dummy *d)`,
    // called with a `kmalloc()`ed dummy that the callee frees: the prototype
    // and contract of this replacement's types.
    unsafe {
        Func::module(
            c"livepatch_shadow_mod",
            c"dummy_free",
            livepatch::new_func!(livepatch_fix1_dummy_free: fn(d: KBox<Dummy>)),
        )
    },
];
static OBJECTS: [Object; 1] = [Object::module(c"livepatch_shadow_mod", &FUNCS)];

struct ShadowFix1;

impl kernel::Module for ShadowFix1 {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        Ok(ShadowFix1)
    }
}

impl Livepatch for ShadowFix1 {
    const PATCH: Patch = Patch::new(&OBJECTS);
}

impl Drop for ShadowFix1 {
    fn drop(&mut self) {
        // Free the leaks of the dummies still alive.
        LEAK.free_all_with(livepatch_fix1_dummy_leak_dtor);
    }
}
