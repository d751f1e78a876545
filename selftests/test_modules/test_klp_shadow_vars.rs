// SPDX-License-Identifier: GPL-2.0

//! Livepatch test: shadow variables, in Rust.
//!
//! The Rust counterpart of upstream's `test_klp_shadow_vars.c`: exercises
//! [`livepatch::shadow`] at load time and logs each call as the C module
//! does, addresses replaced by `PTR<n>` in first-seen order, so that
//! upstream's `test-shadow-vars.sh` checks the same transcript.

use kernel::{
    alloc::flags::GFP_KERNEL,
    prelude::*,
    sync::atomic::{
        Atomic,
        Relaxed, //
    }, //
};

#[cfg(not(klp_kernel_livepatch))]
#[path = "../../livepatch/mod.rs"]
mod livepatch;
#[cfg(klp_kernel_livepatch)]
use kernel::livepatch;

use livepatch::Shadow;

module! {
    type: TestKlpShadowVars,
    name: "test_klp_shadow_vars",
    authors: ["rust_livepatch developers"],
    description: "Livepatch test: shadow variables",
    license: "GPL",
}

/// The number of objects that get shadow variables.
const NUM_OBJS: usize = 3;

/// The ids of the two new fields of each object: a `char *` and an `int *`
/// in C, here their addresses.
const SV_ID1: usize = 0x1234;
const SV_ID2: usize = 0x1235;

// SAFETY: only this module uses these ids, each with this one handle, and
// stores a `usize` (an address) in each variable.
static SV1: Shadow<usize> = unsafe { Shadow::new(SV_ID1) };
// SAFETY: as for `SV1`.
static SV2: Shadow<usize> = unsafe { Shadow::new(SV_ID2) };

/// An object that shadow variables extend; not empty, so that each one has
/// its own address.
struct TestObject(#[allow(dead_code)] u8);

/// Addresses seen so far, `PTR<n>` being the `n`th: lock-free and without
/// allocation, as constructors run under a spinlock. Loading is single
/// threaded.
static PTRS: [Atomic<usize>; 32] = [const { Atomic::new(0) }; 32];
static NPTRS: Atomic<usize> = Atomic::new(0);

/// The `n` of `PTR<n>` for `addr`, `-ENOMEM` when the table is full.
fn ptr_id(addr: usize) -> isize {
    let n = NPTRS.load(Relaxed);
    if let Some(i) = PTRS[..n].iter().position(|a| a.load(Relaxed) == addr) {
        return i as isize;
    }
    if n == PTRS.len() {
        return ENOMEM.to_errno() as isize;
    }
    PTRS[n].store(addr, Relaxed);
    NPTRS.store(n + 1, Relaxed);
    n as isize
}

fn addr<T>(x: &T) -> usize {
    core::ptr::from_ref(x) as usize
}

fn shadow_get(sv: &Shadow<usize>, obj: &TestObject) -> Option<(usize, usize)> {
    let data = sv.get(obj).map(|r| (addr(&*r), *r));
    pr_info!(
        "klp_shadow_get(obj=PTR{}, id={:#x}) = PTR{}\n",
        ptr_id(addr(obj)),
        sv.id(),
        ptr_id(data.map_or(0, |d| d.0))
    );
    data
}

/// Whether `shadow_ctor` ran since this was last asked.
static CTOR_RAN: Atomic<bool> = Atomic::new(false);

/// The constructor of both ids: the variable's value is `var`. The C test
/// logs the address and value in its constructor; here the variable's
/// address is known once attached, so `shadow_alloc` logs them.
fn shadow_ctor(var: usize) -> Result<usize> {
    CTOR_RAN.store(true, Relaxed);
    Ok(var)
}

/// `klp_shadow_alloc()` or, with `or_get`, `klp_shadow_get_or_alloc()`.
fn shadow_alloc(sv: &Shadow<usize>, obj: &TestObject, var: usize, or_get: bool) -> Option<usize> {
    let init = pin_init::init_scope(move || Ok::<_, Error>(shadow_ctor(var)));
    let data = if or_get {
        sv.get_or_alloc(obj, GFP_KERNEL, init)
    } else {
        sv.alloc(obj, GFP_KERNEL, init)
    };
    let data = data.ok().map(|r| addr(&*r));
    if CTOR_RAN.xchg(false, Relaxed) {
        pr_info!(
            "shadow_ctor: PTR{} -> PTR{}\n",
            ptr_id(data.unwrap_or(0)),
            ptr_id(var)
        );
    }
    pr_info!(
        "klp_shadow_{}(obj=PTR{}, id={:#x}, size={:x}, gfp_flags=GFP_KERNEL), ctor=PTR{}, ctor_data=PTR{} = PTR{}\n",
        if or_get { "get_or_alloc" } else { "alloc" },
        ptr_id(addr(obj)),
        sv.id(),
        core::mem::size_of::<usize>(),
        ptr_id(shadow_ctor as *const () as usize),
        ptr_id(var),
        ptr_id(data.unwrap_or(0))
    );
    data
}

/// The destructor of `SV_ID1`: the value is an address, nothing to free.
fn shadow_dtor(obj: usize, data: &usize) {
    pr_info!(
        "shadow_dtor(obj=PTR{}, shadow_data=PTR{})\n",
        ptr_id(obj),
        ptr_id(addr(data))
    );
}

fn shadow_free(sv: &Shadow<usize>, obj: &TestObject) {
    sv.free_with(obj, shadow_dtor);
    pr_info!(
        "klp_shadow_free(obj=PTR{}, id={:#x}, dtor=PTR{})\n",
        ptr_id(addr(obj)),
        sv.id(),
        ptr_id(shadow_dtor as *const () as usize)
    );
}

/// `klp_shadow_free_all()` without a destructor (`usize` has no drop).
fn shadow_free_all(sv: &Shadow<usize>) {
    sv.free_all();
    pr_info!("klp_shadow_free_all(id={:#x}, dtor=PTR0)\n", sv.id());
}

/// Logs that `got`, a variable's address and value, is `want`.
fn expect(got: Option<(usize, usize)>, want: (usize, usize)) {
    if got == Some(want) {
        pr_info!(
            "  got expected PTR{} -> PTR{} result\n",
            ptr_id(want.0),
            ptr_id(want.1)
        );
    }
}

fn expect_none<T>(got: Option<T>) {
    if got.is_none() {
        pr_info!("  got expected NULL result\n");
    }
}

/// The passes of the C test, on stack objects and fields as there.
fn run() -> Result {
    let objs = [const { TestObject(0) }; NUM_OBJS];
    let nfields1 = [0u8; NUM_OBJS];
    let nfields2 = [0i32; NUM_OBJS];
    let mut sv1 = [0; NUM_OBJS];
    let mut sv2 = [0; NUM_OBJS];

    ptr_id(0);

    // With no shadow variable yet, expect not to find any.
    expect_none(shadow_get(&SV1, &objs[0]));

    // Pass 1: attach a char and an int field to each object.
    for i in 0..NUM_OBJS {
        let f1 = addr(&nfields1[i]);
        ptr_id(f1);
        sv1[i] = shadow_alloc(&SV1, &objs[i], f1, i % 2 == 0).ok_or(ENOMEM)?;

        let f2 = addr(&nfields2[i]);
        ptr_id(f2);
        sv2[i] = shadow_alloc(&SV2, &objs[i], f2, false).ok_or(ENOMEM)?;
    }

    // Pass 2: find them again, with the values stored.
    for i in 0..NUM_OBJS {
        let sv = shadow_get(&SV1, &objs[i]).ok_or(EINVAL)?;
        expect(Some(sv), (sv1[i], addr(&nfields1[i])));
        let sv = shadow_get(&SV2, &objs[i]).ok_or(EINVAL)?;
        expect(Some(sv), (sv2[i], addr(&nfields2[i])));
    }

    // Pass 3: get_or_alloc returns the existing variables.
    for i in 0..NUM_OBJS {
        let dup = addr(&nfields1[i]);
        ptr_id(dup);
        let sv = shadow_alloc(&SV1, &objs[i], dup, true).ok_or(EINVAL)?;
        let value = SV1.get(&objs[i]).map(|r| *r).ok_or(EINVAL)?;
        expect(Some((sv, value)), (sv1[i], addr(&nfields1[i])));
    }

    // Pass 4: free the char fields, with the destructor.
    for obj in &objs {
        shadow_free(&SV1, obj);
        expect_none(shadow_get(&SV1, obj));
    }

    // Pass 5: the int fields are still there.
    for i in 0..NUM_OBJS {
        let sv = shadow_get(&SV2, &objs[i]).ok_or(EINVAL)?;
        expect(Some(sv), (sv2[i], addr(&nfields2[i])));
    }

    // Pass 6: free all the int fields.
    shadow_free_all(&SV2);
    for obj in &objs {
        expect_none(shadow_get(&SV2, obj));
    }

    Ok(())
}

struct TestKlpShadowVars;

impl kernel::Module for TestKlpShadowVars {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        run().inspect_err(|_| {
            shadow_free_all(&SV1);
            shadow_free_all(&SV2);
        })?;
        Ok(TestKlpShadowVars)
    }
}
