// SPDX-License-Identifier: GPL-2.0

//! Shadow variables: typed data attached to an object by its address.
//!
//! C header: [`include/linux/livepatch.h`](srctree/include/linux/livepatch.h)
//!
//! A livepatch that needs a new field in a structure it cannot change
//! attaches a shadow variable to each instance: a value found again from
//! the instance's address and a numeric id (C: `klp_shadow_*()`).
//!
//! ```
//! use kernel::{
//!     ffi::c_ulong,
//!     livepatch::Shadow,
//!     prelude::*,
//!     sync::atomic::{
//!         Atomic,
//!         Relaxed, //
//!     },
//! };
//!
//! /// The id of the shadow variables, shared with the modules that use it.
//! const SV_COUNTER: c_ulong = 0x524c5001;
//!
//! // SAFETY: every user of id `SV_COUNTER` attaches an `Atomic<i32>` (here
//! // only this example) and frees only its own variables; this is the only
//! // `Shadow` of the id here.
//! static COUNTER: Shadow<Atomic<i32>> = unsafe { Shadow::new(SV_COUNTER) };
//!
//! let mut obj = KBox::new(0u64, GFP_KERNEL)?;
//! let count = COUNTER.get_or_alloc(&*obj, GFP_KERNEL, |_, _| Ok(Atomic::new(0)))?;
//! count.fetch_add(1, Relaxed);
//! drop(count);
//! assert_eq!(COUNTER.get(&*obj).map(|c| c.load(Relaxed)), Some(1));
//! COUNTER.free(&mut *obj);
//! assert!(COUNTER.get(&*obj).is_none());
//! # Ok::<(), Error>(())
//! ```
//!
//! Why safe code cannot misuse it:
//! - The variable owns its `T` (`Send + Sync`), dropped when it is freed.
//!   [`ShadowRef`], what `get` and `alloc` return, borrows the object and
//!   holds the RCU read lock. `free` takes the object by `&mut`, so no
//!   `ShadowRef` of it can be alive. `free_all` cannot borrow every object:
//!   it closes the handle, after which `get` and `alloc` fail, and waits for
//!   an RCU grace period, which outlives every `ShadowRef` handed out before.
//!
//! What Rust cannot check: that the other users of an id, in this module,
//! in other modules or in C, store the same type and free only what they
//! own. [`Shadow::new`] is `unsafe` for that, as [`Func::vmlinux`](super::Func::vmlinux)
//! is for the C prototype of a patched function.

use core::{marker::PhantomData, mem, ptr};
use kernel::{
    alloc::{
        flags,
        Flags, //
    },
    ffi,
    prelude::*,
    sync::{
        atomic::{
            Atomic,
            Relaxed, //
        },
        rcu, //
    },
};

use super::bindings;

/// The shadow variables of one id, of type `T`, as this module sees them;
/// see the [module documentation](self).
///
/// # Invariants
///
/// It is the module's only handle for `id`. Once `closed` is set, it hands
/// out no more [`ShadowRef`]s.
pub struct Shadow<T> {
    id: ffi::c_ulong,
    closed: Atomic<bool>,
    _data: PhantomData<T>,
}

/// A reference to a shadow variable, valid while its object is borrowed.
///
/// It holds the RCU read lock: do not sleep while holding it.
///
/// # Invariants
///
/// `data` points to the initialised `T` of a live shadow variable, which
/// neither `free` (the object is borrowed) nor `free_all` (the RCU read
/// lock is held) can free while this exists.
pub struct ShadowRef<'a, T> {
    data: ptr::NonNull<T>,
    _obj: PhantomData<&'a T>,
    _rcu: rcu::Guard,
}

impl<T> core::ops::Deref for ShadowRef<'_, T> {
    type Target = T;

    fn deref(&self) -> &T {
        // SAFETY: by the type invariants, `data` is a valid `T` that is not
        // freed while `self` lives, and only shared references to it exist.
        unsafe { self.data.as_ref() }
    }
}

impl<T> ShadowRef<'_, T> {
    /// The address of the data, for logging (C: what `klp_shadow_get()`
    /// returns).
    pub fn addr(&self) -> usize {
        self.data.as_ptr() as usize
    }
}

/// The C flags for `flags`: [`Flags`] does not expose its bits outside the
/// `kernel` crate, so they are rebuilt from the flags it is made of.
fn gfp(f: Flags) -> kernel::bindings::gfp_t {
    let known = [
        (flags::GFP_KERNEL, kernel::bindings::GFP_KERNEL),
        (
            flags::GFP_KERNEL_ACCOUNT,
            kernel::bindings::GFP_KERNEL_ACCOUNT,
        ),
        (flags::GFP_ATOMIC, kernel::bindings::GFP_ATOMIC),
        (flags::GFP_NOWAIT, kernel::bindings::GFP_NOWAIT),
        (flags::__GFP_ZERO, kernel::bindings::__GFP_ZERO),
        (flags::__GFP_NOWARN, kernel::bindings::__GFP_NOWARN),
    ];
    known
        .iter()
        .filter(|(k, _)| f.contains(*k))
        .fold(0, |raw, (_, bits)| raw | bits)
}

/// The address of `obj` as the C API's key. Zero-sized objects are refused
/// at build time: distinct ones can share an address.
fn key<O>(obj: &O) -> *mut ffi::c_void {
    const { assert!(mem::size_of::<O>() != 0) };
    ptr::from_ref(obj).cast_mut().cast()
}

/// What the constructor trampoline gets as `ctor_data`.
struct Ctor<F> {
    f: Option<F>,
    err: Option<Error>,
}

/// The C constructor: moves the value made by `F` into the new variable.
///
/// # Safety
///
/// `ctor_data` points to a `Ctor<F>` that nothing else accesses during the
/// call; `shadow_data` to `size_of::<T>()` bytes aligned for `T`.
unsafe extern "C" fn klp_ctor<T, F: FnOnce(usize, usize) -> Result<T>>(
    obj: *mut ffi::c_void,
    shadow_data: *mut ffi::c_void,
    ctor_data: *mut ffi::c_void,
) -> ffi::c_int {
    // SAFETY: by the function's safety requirements.
    let c = unsafe { &mut *ctor_data.cast::<Ctor<F>>() };
    let Some(f) = c.f.take() else {
        return EINVAL.to_errno();
    };
    match f(obj as usize, shadow_data as usize) {
        Ok(v) => {
            // SAFETY: by the function's safety requirements; the memory is
            // the new variable's, not yet a `T`, so nothing is overwritten.
            unsafe { shadow_data.cast::<T>().write(v) };
            0
        }
        Err(e) => {
            c.err = Some(e);
            e.to_errno()
        }
    }
}

/// The C destructor: calls `D`, then drops the `T`.
///
/// # Safety
///
/// `shadow_data` is the initialised `T` of a variable being freed, which
/// nothing else accesses any more. Some `D` existed: it was given to
/// [`Shadow::free_with`] or [`Shadow::free_all_with`].
unsafe extern "C" fn klp_dtor<T, D: Fn(usize, &mut T) + Copy>(
    obj: *mut ffi::c_void,
    shadow_data: *mut ffi::c_void,
) {
    const { assert!(mem::size_of::<D>() == 0) };
    // SAFETY: `D` is a zero-sized `Copy` type of which a value exists (by
    // the safety requirements), so making another is copying it; a
    // zero-sized read from a dangling aligned pointer is valid.
    let d = unsafe { ptr::NonNull::<D>::dangling().read() };
    // SAFETY: by the function's safety requirements.
    let data = unsafe { &mut *shadow_data.cast::<T>() };
    d(obj as usize, data);
    // SAFETY: `data` is an initialised `T` that is never used again.
    unsafe { ptr::drop_in_place(data) };
}

/// The C destructor of variables freed without a `D`: drops the `T`.
///
/// # Safety
///
/// As for [`klp_dtor`].
unsafe extern "C" fn klp_drop<T>(_obj: *mut ffi::c_void, shadow_data: *mut ffi::c_void) {
    // SAFETY: by the function's safety requirements.
    unsafe { ptr::drop_in_place(shadow_data.cast::<T>()) };
}

type KlpAlloc = unsafe extern "C" fn(
    *mut ffi::c_void,
    ffi::c_ulong,
    usize,
    kernel::bindings::gfp_t,
    bindings::klp_shadow_ctor_t,
    *mut ffi::c_void,
) -> *mut ffi::c_void;

impl<T: Send + Sync> Shadow<T> {
    /// A handle for the variables of `id`.
    ///
    /// # Safety
    ///
    /// It is the module's only `Shadow` of `id`, and every user of `id`, in
    /// this module, in other modules or in C:
    /// - attaches a `T` to the objects, whose value refers to nothing in a
    ///   module's memory (a function, a `'static` reference or a vtable of a
    ///   module), since a variable may outlive the module that attached it;
    /// - frees variables that other users may access only when they no
    ///   longer do: [`Shadow::free_all`] frees the variables of all users,
    ///   so every other user of `id` is done with them by then (with
    ///   livepatches: disabled, in the order the modules document).
    pub const unsafe fn new(id: ffi::c_ulong) -> Self {
        // The data follows the `klp_shadow` header in a `kmalloc()`ed
        // block: aligned for a pointer at least.
        const { assert!(mem::align_of::<T>() <= mem::align_of::<usize>()) };
        // INVARIANT: by the safety requirements; not closed.
        Self {
            id,
            closed: Atomic::new(false),
            _data: PhantomData,
        }
    }

    /// The id (C: `id`).
    #[inline]
    pub fn id(&self) -> ffi::c_ulong {
        self.id
    }

    /// The variable of `obj`, if any (C: `klp_shadow_get()`).
    pub fn get<'a, O>(&'a self, obj: &'a O) -> Option<ShadowRef<'a, T>> {
        let guard = rcu::read_lock();
        if self.closed.load(Relaxed) {
            return None;
        }
        // SAFETY: a plain lookup; `obj` is only a key.
        let data = unsafe { bindings::klp_shadow_get(key(obj), self.id) };
        // SAFETY: `guard` was taken before `closed` was found clear, and
        // `data` is what the core has for `obj`, which the caller borrows.
        unsafe { self.make_ref(data, guard) }
    }

    /// The address of `obj`'s variable in the core, if it has one, whether
    /// or not this handle is closed: what a test of [`Shadow::free_all`]
    /// asks (C: `klp_shadow_get()`, not dereferenced).
    pub fn attached_addr<O>(&self, obj: &O) -> Option<usize> {
        // SAFETY: a plain lookup; `obj` is only a key.
        let data = unsafe { bindings::klp_shadow_get(key(obj), self.id) };
        (!data.is_null()).then_some(data as usize)
    }

    /// Attaches a new variable to `obj`, its value made by
    /// `ctor(obj_addr, data_addr)` (C: `klp_shadow_alloc()`).
    ///
    /// `ctor` runs under a spinlock, with interrupts off: it must not sleep
    /// or free shadow variables. Fails with `ctor`'s error, `EEXIST`
    /// (after a `WARN`, as in C) if `obj` has one, `ENOMEM`, or `ENOENT`
    /// once [`Shadow::free_all`] has been called.
    pub fn alloc<'a, O, F>(&'a self, obj: &'a O, flags: Flags, ctor: F) -> Result<ShadowRef<'a, T>>
    where
        F: FnOnce(usize, usize) -> Result<T>,
    {
        self.attach(bindings::klp_shadow_alloc, obj, flags, ctor)
    }

    /// The variable of `obj`, attached first as by [`Shadow::alloc`] if
    /// there is none (C: `klp_shadow_get_or_alloc()`).
    pub fn get_or_alloc<'a, O, F>(
        &'a self,
        obj: &'a O,
        flags: Flags,
        ctor: F,
    ) -> Result<ShadowRef<'a, T>>
    where
        F: FnOnce(usize, usize) -> Result<T>,
    {
        self.attach(bindings::klp_shadow_get_or_alloc, obj, flags, ctor)
    }

    /// Detaches `obj`'s variable, if any, and drops its value
    /// (C: `klp_shadow_free()`). The value is dropped under the core's
    /// spinlock, with interrupts off: `T`'s `Drop` must not sleep (freeing
    /// memory is fine).
    pub fn free<O>(&self, obj: &mut O) {
        // SAFETY: `Self::drop_fn()` drops a `T`; `obj` is borrowed mutably,
        // so no `ShadowRef` of its variable is alive in this module.
        unsafe { bindings::klp_shadow_free(key(obj), self.id, Self::drop_fn()) };
    }

    /// As [`Shadow::free`], calling `dtor(obj_addr, &mut value)` first
    /// (C: the `dtor` argument).
    ///
    /// `dtor` must be a function or a closure without captures. It runs
    /// under a spinlock, as `ctor` does in [`Shadow::alloc`].
    pub fn free_with<O, D>(&self, obj: &mut O, dtor: D)
    where
        D: Fn(usize, &mut T) + Copy,
    {
        // SAFETY: as in `free`; `klp_dtor::<T, D>` may be called: a `D` exists.
        unsafe { bindings::klp_shadow_free(key(obj), self.id, Self::dtor_fn(&dtor)) };
    }

    /// Frees every variable of the id, here or attached by other modules,
    /// and closes this handle (C: `klp_shadow_free_all()`). For the module's
    /// exit, once its patch is disabled and the other users of the id are
    /// done with its variables (see [`Shadow::new`]).
    ///
    /// It waits for an RCU grace period: call it where the caller may
    /// sleep, and holding no [`ShadowRef`].
    pub fn free_all(&self) {
        self.close();
        // SAFETY: as in `free`; `close()` waited for all `ShadowRef`s.
        unsafe { bindings::klp_shadow_free_all(self.id, Self::drop_fn()) };
    }

    /// As [`Shadow::free_all`], calling `dtor` first as [`Shadow::free_with`]
    /// does.
    pub fn free_all_with<D>(&self, dtor: D)
    where
        D: Fn(usize, &mut T) + Copy,
    {
        self.close();
        // SAFETY: as in `free_all`, and `klp_dtor::<T, D>` may be called.
        unsafe { bindings::klp_shadow_free_all(self.id, Self::dtor_fn(&dtor)) };
    }

    /// The address of the C constructor that [`Shadow::alloc`] passes for
    /// `ctor`, for logging (C: `ctor`).
    pub fn ctor_addr<F: FnOnce(usize, usize) -> Result<T>>(&self, _ctor: &F) -> usize {
        klp_ctor::<T, F> as *const () as usize
    }

    /// The address of the C destructor that [`Shadow::free_with`] passes
    /// for `dtor`, for logging (C: `dtor`).
    pub fn dtor_addr<D: Fn(usize, &mut T) + Copy>(&self, dtor: &D) -> usize {
        Self::dtor_fn(dtor).map_or(0, |f| f as usize)
    }

    /// The address of the C destructor that [`Shadow::free`] passes, zero
    /// (`NULL`) if `T` needs no drop.
    pub fn drop_addr(&self) -> usize {
        Self::drop_fn().map_or(0, |f| f as usize)
    }

    fn drop_fn() -> bindings::klp_shadow_dtor_t {
        if mem::needs_drop::<T>() {
            Some(klp_drop::<T>)
        } else {
            None
        }
    }

    fn dtor_fn<D: Fn(usize, &mut T) + Copy>(_dtor: &D) -> bindings::klp_shadow_dtor_t {
        Some(klp_dtor::<T, D>)
    }

    /// Stops handing out `ShadowRef`s and waits until none is left.
    fn close(&self) {
        self.closed.store(true, Relaxed);
        // SAFETY: an FFI call without requirements. (Called with a
        // `ShadowRef` alive, it would wait forever: see `free_all`.)
        unsafe { kernel::bindings::synchronize_rcu() };
    }

    fn attach<'a, O, F>(
        &'a self,
        klp_alloc: KlpAlloc,
        obj: &'a O,
        flags: Flags,
        ctor: F,
    ) -> Result<ShadowRef<'a, T>>
    where
        F: FnOnce(usize, usize) -> Result<T>,
    {
        if self.closed.load(Relaxed) {
            return Err(ENOENT);
        }
        let mut c = Ctor {
            f: Some(ctor),
            err: None,
        };
        // SAFETY: `klp_ctor::<T, F>` gets `c`, a `Ctor<F>` only it uses during
        // the call, and `size_of::<T>()` bytes aligned as `T` (`new` checks
        // that `T` needs no more than a pointer's alignment, which the data
        // has).
        let data = unsafe {
            klp_alloc(
                key(obj),
                self.id,
                mem::size_of::<T>(),
                gfp(flags),
                Some(klp_ctor::<T, F>),
                ptr::from_mut(&mut c).cast(),
            )
        };
        if let Some(e) = c.err {
            return Err(e);
        }
        let guard = rcu::read_lock();
        // A variable attached while `free_all` runs may stay attached:
        // never used, as the handle is closed.
        if self.closed.load(Relaxed) {
            return Err(ENOENT);
        }
        // SAFETY: as in `get`; `data` is what the core attached to `obj`.
        match unsafe { self.make_ref(data, guard) } {
            Some(r) => Ok(r),
            None if c.f.is_some() && self.get(obj).is_some() => Err(EEXIST),
            None => Err(ENOMEM),
        }
    }

    /// A `ShadowRef` of the variable at `data`, if not null.
    ///
    /// # Safety
    ///
    /// `data` is NULL or the data of the variable of this handle's id that
    /// the core has for an object the caller borrows for `'a`; `guard` was
    /// taken before `closed` was found clear, so `free_all` waits for it.
    unsafe fn make_ref<'a>(
        &'a self,
        data: *mut ffi::c_void,
        guard: rcu::Guard,
    ) -> Option<ShadowRef<'a, T>> {
        // INVARIANT: a non-null `data` is the initialised `T` of a variable
        // of this handle's id (by the caller, and `new`'s safety
        // requirements), live: `free` needs the object borrowed mutably, and
        // `free_all` waits for `guard`.
        Some(ShadowRef {
            data: ptr::NonNull::new(data.cast())?,
            _obj: PhantomData,
            _rcu: guard,
        })
    }
}
