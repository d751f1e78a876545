// SPDX-License-Identifier: GPL-2.0

//! The C side of upstream's `livepatch-shadow-mod` sample, which the
//! shadow variable samples patch.
//!
//! C source: [`samples/livepatch/livepatch-shadow-mod.c`](srctree/samples/livepatch/livepatch-shadow-mod.c)
//!
//! [`Dummy`] mirrors its `struct dummy`, which is declared in the `.c` file
//! only (the C fixes declare it again too); a replacement of its functions
//! takes a `&Dummy` (a dummy of the list) or a `KBox<Dummy>` (one it frees)
//! for a `struct dummy *`, and returns an `Option<KBox<Dummy>>` for one
//! (the API's conversions of a `kmalloc()`ed pointer):
//!
//! ```ignore
//! fn livepatch_fix1_dummy_free(d: KBox<Dummy>) { /* ... */ }
//!
//! static FUNCS: [Func; 1] = [
//!     // SAFETY: livepatch-shadow-mod.c: `void dummy_free(struct dummy *d)`.
//!     unsafe {
//!         Func::module(
//!             c"livepatch_shadow_mod",
//!             c"dummy_free",
//!             new_func!(livepatch_fix1_dummy_free: fn(d: KBox<Dummy>)),
//!         )
//!     },
//! ];
//! ```
//!
//! As for any replacement, the author checks each prototype, and
//! `struct dummy`, against the C source.

// Each test module mounts this file, as `mod <file name>;` at its crate root,
// and uses part of it.
#![allow(dead_code, unreachable_pub, unused_imports, unused_macros)]

use crate::livepatch;
use core::ptr;
use kernel::{
    alloc::flags::GFP_KERNEL,
    ffi,
    prelude::*,
    types::Opaque, //
};

/// A dummy of `livepatch-shadow-mod` (C: `struct dummy`).
///
/// Dummies are allocated with `kzalloc()` and freed with `kfree()`, in C or
/// as a [`KBox`], whose allocator is `kmalloc`'s.
///
/// ```ignore
/// let d = Dummy::new(EXPIRE_PERIOD)?;
/// pr_info!("dummy @ {:p}, expires @ {:x}\n", &*d, d.jiffies_expire());
/// ```
#[repr(C)]
pub struct Dummy {
    /// Linked and unlinked by the C module under its `dummy_list_mutex`.
    list: Opaque<kernel::bindings::list_head>,
    jiffies_expire: ffi::c_ulong,
}

// SAFETY: `#[repr(C)]`, of a C `struct list_head` (`Opaque` is transparent)
// and an `unsigned long`: livepatch-shadow-mod.c's `struct dummy`.
unsafe impl livepatch::SharedData for Dummy {}

impl Dummy {
    /// A dummy that expires `secs` seconds from now, not on any list
    /// (C: the start of `dummy_alloc()`).
    pub fn new(secs: u32) -> Result<KBox<Self>> {
        let expire = jiffies().wrapping_add(kernel::time::msecs_to_jiffies(secs * 1000));
        Ok(KBox::new(
            Dummy {
                list: Opaque::zeroed(),
                jiffies_expire: expire,
            },
            GFP_KERNEL,
        )?)
    }

    /// When it expires, in jiffies.
    pub fn jiffies_expire(&self) -> ffi::c_ulong {
        self.jiffies_expire
    }
}

/// The current time in jiffies (C: `jiffies`).
///
/// ```ignore
/// let expired = time_after(jiffies(), d.jiffies_expire());
/// ```
pub fn jiffies() -> ffi::c_ulong {
    // SAFETY: `jiffies` is a valid, aligned `unsigned long` that the timer
    // code updates; a volatile read is how the kernel reads it (C: the
    // variable is `volatile`, as `READ_ONCE()` would make it).
    unsafe { ptr::read_volatile(&raw const kernel::bindings::jiffies) }
}

/// Whether `a` is after `b`, across wrap-around (C: `time_after()`).
///
/// ```ignore
/// assert!(time_after(1, c_ulong::MAX));
/// ```
pub fn time_after(a: ffi::c_ulong, b: ffi::c_ulong) -> bool {
    (b.wrapping_sub(a) as ffi::c_long) < 0
}

/// C `struct dummy *`, for a dummy of the C module's list.
impl livepatch::CType for &Dummy {
    type C = *mut Dummy;
    const KIND: &'static str = "ptr struct dummy";
}

// SAFETY: the C module calls the functions replaced with `&Dummy`
// (`dummy_check()`) with a dummy on its list, holding the list's mutex:
// nothing frees or changes the dummy before the call returns.
unsafe impl<'call> livepatch::Arg<'call> for &'call Dummy {
    // SAFETY: `Arg::from_c`'s contract, unchanged: `c` is an argument of
    // `call`, a call of the replaced function by callers that keep the
    // implementation's contract above.
    unsafe fn from_c(c: *mut Dummy, _call: &'call livepatch::Call) -> Self {
        // SAFETY: by the implementation's contract above.
        unsafe { &*c }
    }
}
