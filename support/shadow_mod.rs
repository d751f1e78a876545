// SPDX-License-Identifier: GPL-2.0

//! The C side of upstream's `livepatch-shadow-mod` sample, which the
//! shadow variable samples patch.
//!
//! C source: [`samples/livepatch/livepatch-shadow-mod.c`](srctree/samples/livepatch/livepatch-shadow-mod.c)
//!
//! [`Dummy`] mirrors its `struct dummy`, which is declared in the `.c` file
//! only (the C fixes declare it again too), and the adapter macros make the
//! replacements of its functions from safe Rust functions:
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
//!             dummy_free!(livepatch_fix1_dummy_free),
//!         )
//!     },
//! ];
//! ```
//!
//! As for [`seq_show!`](crate::livepatch::seq_show), the author checks each
//! prototype, and `struct dummy`, against the C source.

// Each test module mounts this file, as `mod <file name>;` at its crate root,
// and uses part of it.
#![allow(dead_code, unreachable_pub, unused_imports, unused_macros)]

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

/// Makes a [`NewFunc`](crate::livepatch::NewFunc) that replaces
/// `struct dummy *dummy_alloc(void)` by `f: fn() -> Option<KBox<Dummy>>`.
///
/// The caller owns the dummy returned and frees it with `kfree()`.
macro_rules! dummy_alloc {
    ($f:path) => {{
        // Not generic in lifetimes: `f` gets its references for the call.
        const __KLP_F: fn() -> Option<::kernel::alloc::KBox<$crate::shadow_mod::Dummy>> = $f;
        extern "C" fn __klp_alloc() -> *mut $crate::shadow_mod::Dummy {
            $crate::livepatch::keep_frame(
                __KLP_F().map_or(::core::ptr::null_mut(), ::kernel::alloc::KBox::into_raw),
            )
        }
        // A `const` of its own: not within an `unsafe` block of the caller.
        const __KLP_NEW_FUNC: $crate::livepatch::NewFunc =
            // SAFETY: `__klp_alloc` is an `extern "C"` function of the
            // prototype documented above.
            unsafe {
                $crate::livepatch::NewFunc::from_ptr(__klp_alloc as *const ::kernel::ffi::c_void)
            };
        __KLP_NEW_FUNC
    }};
}
pub(crate) use dummy_alloc;

/// Makes a [`NewFunc`](crate::livepatch::NewFunc) that replaces
/// `void dummy_free(struct dummy *d)` by `f: fn(KBox<Dummy>)`.
macro_rules! dummy_free {
    ($f:path) => {{
        // Not generic in lifetimes: `f` gets its references for the call.
        const __KLP_F: fn(::kernel::alloc::KBox<$crate::shadow_mod::Dummy>) = $f;
        extern "C" fn __klp_free(d: *mut $crate::shadow_mod::Dummy) {
            // SAFETY: the C module calls `dummy_free()` with a dummy from
            // `dummy_alloc()` (`kzalloc()` of a `struct dummy`, or a `KBox`
            // of a replacement), which it took off its list and no longer
            // uses: the callee owns it, and the C one `kfree()`s it.
            let d = unsafe { ::kernel::alloc::KBox::from_raw(d) };
            $crate::livepatch::keep_frame(__KLP_F(d))
        }
        // A `const` of its own: not within an `unsafe` block of the caller.
        const __KLP_NEW_FUNC: $crate::livepatch::NewFunc =
            // SAFETY: `__klp_free` is an `extern "C"` function of the
            // prototype documented above.
            unsafe {
                $crate::livepatch::NewFunc::from_ptr(__klp_free as *const ::kernel::ffi::c_void)
            };
        __KLP_NEW_FUNC
    }};
}
pub(crate) use dummy_free;

/// Makes a [`NewFunc`](crate::livepatch::NewFunc) that replaces
/// `bool dummy_check(struct dummy *d, unsigned long jiffies)` by
/// `f: fn(&Dummy, c_ulong) -> bool`.
macro_rules! dummy_check {
    ($f:path) => {{
        // Not generic in lifetimes: `f` gets its references for the call.
        const __KLP_F: fn(&$crate::shadow_mod::Dummy, ::kernel::ffi::c_ulong) -> bool = $f;
        extern "C" fn __klp_check(
            d: *mut $crate::shadow_mod::Dummy,
            jiffies: ::kernel::ffi::c_ulong,
        ) -> bool {
            // SAFETY: the C module calls `dummy_check()` with a dummy on its
            // list, holding the list's mutex: nothing frees or changes the
            // dummy before the call returns.
            let d = unsafe { &*d };
            $crate::livepatch::keep_frame(__KLP_F(d, jiffies))
        }
        // A `const` of its own: not within an `unsafe` block of the caller.
        const __KLP_NEW_FUNC: $crate::livepatch::NewFunc =
            // SAFETY: `__klp_check` is an `extern "C"` function of the
            // prototype documented above.
            unsafe {
                $crate::livepatch::NewFunc::from_ptr(__klp_check as *const ::kernel::ffi::c_void)
            };
        __KLP_NEW_FUNC
    }};
}
pub(crate) use dummy_check;
