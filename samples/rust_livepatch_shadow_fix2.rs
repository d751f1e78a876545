// SPDX-License-Identifier: GPL-2.0

//! Shadow variables, livepatch demo, in Rust.
//!
//! The Rust counterpart of `samples/livepatch/livepatch-shadow-fix2.c`.
//! Loaded on top of `rust_livepatch_shadow_fix1`, it adds a field to the
//! dummies of `livepatch-shadow-mod`, dummies already allocated included:
//! the patched `dummy_check()` counts its calls in a SV_COUNTER shadow
//! variable, attached on first use, and the patched `dummy_free()` logs the
//! count and frees the leak as fix1 does. Example:
//!
//! ```text
//! $ insmod rust_livepatch_shadow_fix2.ko
//! $ dmesg | grep fix2
//! rust_livepatch_shadow_fix2: livepatch_fix2_dummy_leak_dtor: dummy @ 0x..., prevented leak @ 0x...
//! rust_livepatch_shadow_fix2: livepatch_fix2_dummy_free: dummy @ 0x..., check counter = 4
//! $ echo 0 > /sys/kernel/livepatch/rust_livepatch_shadow_fix2/enabled
//! $ rmmod rust_livepatch_shadow_fix2
//! ```
//!
//! The counter is an atomic: a `&` to it is shared, and C's `+= 1` under the
//! caller's mutex is not something Rust can see.

use kernel::{
    alloc::flags::GFP_NOWAIT,
    ffi::c_ulong,
    prelude::*,
    sync::atomic::{
        Atomic,
        Relaxed, //
    }, //
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
use shadow_mod::{
    time_after,
    Dummy, //
};

livepatch::module_livepatch! {
    type: ShadowFix2,
    name: "rust_livepatch_shadow_fix2",
    authors: ["rust_livepatch developers"],
    description: "Live patching demo for shadow variables, in Rust",
    license: "GPL",
}

/// Shadow variable ids: SV_LEAK is fix1's, of the same type.
const SV_LEAK: usize = 1;
const SV_COUNTER: usize = 2;

// SAFETY: the users of `SV_LEAK`, this module and fix1, attach a
// `KBox<i32>` with a `Shadow` (the C samples a `kzalloc()`ed `int`), and
// each frees only the variables of the dummies it frees; this is the
// module's only handle of it.
static LEAK: Shadow<KBox<i32>> = unsafe { Shadow::new(SV_LEAK) };
// SAFETY: only this module uses `SV_COUNTER`, through this handle, with an
// `Atomic<i32>`.
static COUNTER: Shadow<Atomic<i32>> = unsafe { Shadow::new(SV_COUNTER) };

fn livepatch_fix2_dummy_check(d: &Dummy, jiffies: c_ulong) -> bool {
    // Patch: count the checks of each dummy, in flight ones included:
    // attach the counter on first use.
    if let Ok(count) = COUNTER.get_or_alloc(d, GFP_NOWAIT, Atomic::new(0)) {
        count.add(1, Relaxed);
    }
    time_after(jiffies, d.jiffies_expire())
}

fn livepatch_fix2_dummy_leak_dtor(d: usize, leak: &KBox<i32>) {
    pr_info!(
        "livepatch_fix2_dummy_leak_dtor: dummy @ {:p}, prevented leak @ {:p}\n",
        d as *const Dummy,
        &**leak
    );
}

fn livepatch_fix2_dummy_free(d: KBox<Dummy>) {
    // Patch: free the leak, as fix1 does.
    if LEAK.get(&*d).is_some() {
        LEAK.free_with(&*d, livepatch_fix2_dummy_leak_dtor);
    } else {
        pr_info!("livepatch_fix2_dummy_free: dummy @ {:p} leaked!\n", &*d);
    }

    // Patch: log the final count and detach the counter.
    let count = COUNTER.get(&*d).map(|c| c.load(Relaxed));
    if let Some(count) = count {
        pr_info!(
            "livepatch_fix2_dummy_free: dummy @ {:p}, check counter = {}\n",
            &*d,
            count
        );
        COUNTER.free(&*d);
    }
}

static FUNCS: [Func; 2] = [
    // SAFETY: livepatch-shadow-mod.c defines
    // `bool dummy_check(struct dummy *d, unsigned long jiffies)`, called with
    // a dummy of its list under the list's mutex: the prototype and contract
    // of this replacement's types (support/shadow_mod.rs for `&Dummy`).
    unsafe {
        Func::module(
            c"livepatch_shadow_mod",
            c"dummy_check",
            livepatch::new_func!(livepatch_fix2_dummy_check: fn(d: &Dummy, jiffies: c_ulong) -> bool),
        )
    },
    // SAFETY: livepatch-shadow-mod.c defines `void dummy_free(struct dummy *d)`,
    // called with a `kmalloc()`ed dummy that the callee frees: the prototype
    // and contract of this replacement's types.
    unsafe {
        Func::module(
            c"livepatch_shadow_mod",
            c"dummy_free",
            livepatch::new_func!(livepatch_fix2_dummy_free: fn(d: KBox<Dummy>)),
        )
    },
];
static OBJECTS: [Object; 1] = [Object::module(c"livepatch_shadow_mod", &FUNCS)];

struct ShadowFix2;

impl kernel::Module for ShadowFix2 {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        Ok(ShadowFix2)
    }
}

impl Livepatch for ShadowFix2 {
    const PATCH: Patch = Patch::new(&OBJECTS);
}

impl Drop for ShadowFix2 {
    fn drop(&mut self) {
        // Free the counters of the dummies still alive.
        COUNTER.free_all();
    }
}
