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
//! // SAFETY: every user of id `SV_COUNTER` attaches an `Atomic<i32>` with a
//! // `Shadow` (here only this example); this is its only `Shadow` here.
//! static COUNTER: Shadow<Atomic<i32>> = unsafe { Shadow::new(SV_COUNTER) };
//!
//! let obj = KBox::new(0u64, GFP_KERNEL)?;
//! let count = COUNTER.get_or_alloc(&*obj, GFP_KERNEL, Atomic::new(0))?;
//! count.fetch_add(1, Relaxed);
//! COUNTER.free(&*obj);
//! // Detached, but alive as long as a reference is.
//! assert!(COUNTER.get(&*obj).is_none());
//! assert_eq!(count.load(Relaxed), 1);
//! # Ok::<(), Error>(())
//! ```
//!
//! Why safe code cannot misuse it: the core only keys variables by an
//! address, and two live borrows can share one (a field at offset 0 and its
//! container; `GlobalLockedBy::as_mut()` gives a `&mut T` at the address of
//! the `&GlobalLockedBy` it was called on), so no borrow of the object can
//! prove that a variable is no longer used. Instead each value lives in a
//! node of its own with a count of references: the core's variable holds
//! one, each [`ShadowRef`] another. [`Shadow::free`] and
//! [`Shadow::free_all`] detach variables and drop the core's references; the
//! value is dropped with the last reference, and its node freed after an
//! RCU grace period, since [`Shadow::get`] finds it under the RCU read lock
//! (C: `kfree_rcu()`, which calls no code of the module).
//!
//! What Rust cannot check: that the other users of an id, in this module or
//! in others, use a `Shadow` of the same type. [`Shadow::new`] is `unsafe`
//! for that, as [`Func::vmlinux`](super::Func::vmlinux) is for the C
//! prototype of a patched function.

use super::{
    bindings,
    SharedData, //
};
use core::{
    marker::PhantomData,
    mem,
    ops::Deref,
    pin::Pin,
    ptr::{
        self,
        NonNull, //
    },
};
use kernel::{
    alloc::{
        flags,
        Flags, //
    },
    ffi,
    prelude::*,
    sync::{
        atomic::Relaxed,
        rcu,
        Refcount, //
    },
    types::Opaque,
};

/// What `kvfree_call_rcu()` links a node by: since 7.3, a `struct
/// kvfree_rcu_head`; before, a `struct rcu_head`, a macro for `struct
/// callback_head` that bindgen does not see.
#[cfg(klp_kvfree_rcu_head)]
type RcuHead = kernel::bindings::kvfree_rcu_head;
#[cfg(not(klp_kvfree_rcu_head))]
type RcuHead = kernel::bindings::callback_head;

/// A shadow variable's value and its references, which the core's variable
/// points to.
///
/// # Invariants
///
/// `refs` counts the core's variable, while it points here, and each
/// [`ShadowRef`]; `value` is initialised while `refs` is not zero, and the
/// node is freed an RCU grace period after `refs` reaches zero.
#[repr(C)]
#[pin_data]
struct Node<T> {
    /// For `kfree_rcu()`: first, as its offset must be small.
    rcu: Opaque<RcuHead>,
    refs: Refcount,
    #[pin]
    value: T,
}

impl<T> Node<T> {
    /// A node of the value `init` makes, with the references of a variable
    /// and of one [`ShadowRef`].
    fn new<E>(init: impl PinInit<T, E>, flags: Flags) -> Result<NonNull<Self>>
    where
        Error: From<E>,
    {
        let init = try_pin_init!(Self {
            rcu: Opaque::uninit(),
            refs: Refcount::new(2),
            value <- init,
        }? Error);
        // INVARIANT: two references: the variable's, once attached, and the
        // `ShadowRef` returned then; until then, both are the caller's.
        let node = KBox::pin_init::<Error>(init, flags)?;
        // SAFETY: the node is never moved: it is freed where it is.
        let node = KBox::into_raw(unsafe { Pin::into_inner_unchecked(node) });
        // SAFETY: `KBox::into_raw()` is not NULL.
        Ok(unsafe { NonNull::new_unchecked(node) })
    }

    /// Takes one more reference to the node at `node`, unless it has none
    /// left (C: `refcount_inc_not_zero()`, which the kernel crate lacks).
    ///
    /// # Safety
    ///
    /// `node` is a node not yet freed: one a variable pointed to when found
    /// under the RCU read lock, which the caller still holds.
    unsafe fn get_ref(node: NonNull<Self>) -> Option<ShadowRef<T>> {
        // SAFETY: the node is not freed before the grace period ends.
        let refs = unsafe { node.as_ref() }.refs.as_atomic();
        let mut old = refs.load(Relaxed);
        loop {
            if old == 0 {
                return None;
            }
            // Saturated, as `refcount_t` saturates, but silently: never
            // freed (a leak), and `put` leaves it so.
            if old < 0 {
                break;
            }
            let new = old.checked_add(1).unwrap_or(REFCOUNT_SATURATED);
            match refs.cmpxchg(old, new, Relaxed) {
                Ok(_) => break,
                Err(now) => old = now,
            }
        }
        // INVARIANT: one more reference, counted.
        Some(ShadowRef { node })
    }

    /// Drops a node that was never attached, and its two references.
    ///
    /// # Safety
    ///
    /// `node` is made by [`Node::new`] and was never attached to a variable:
    /// the caller owns both its references.
    unsafe fn discard(node: NonNull<Self>) {
        // SAFETY: by the function's safety requirements, twice.
        unsafe {
            Self::put(node);
            Self::put(node);
        }
    }

    /// Drops one reference to the node at `node`, and its value and the node
    /// with the last one.
    ///
    /// # Safety
    ///
    /// The caller owns one reference to the node, which it no longer uses.
    unsafe fn put(node: NonNull<Self>) {
        let node = node.as_ptr();
        // SAFETY: the node is alive: the caller has a reference.
        let refs = unsafe { &(*node).refs };
        // Saturated (`get_ref`): never freed, and no `refcount_t` warning.
        if refs.as_atomic().load(Relaxed) < 0 || !refs.dec_and_test() {
            return;
        }
        // SAFETY: that was the last reference: nothing uses the value any
        // more, and nothing finds the node but under the RCU read lock, to
        // see that it has no reference left.
        unsafe { ptr::drop_in_place(&raw mut (*node).value) };
        // SAFETY: `node` is a `KBox` allocation (`kmalloc()`), whose
        // `callback_head` is free to use; `kvfree_call_rcu()` frees it after
        // a grace period, and calls no code of this module.
        unsafe { kernel::bindings::kvfree_call_rcu((*node).rcu.get(), node.cast()) };
    }
}

/// The shadow variables of one id, of type `T`, as this module sees them;
/// see the [module documentation](self).
///
/// # Invariants
///
/// The core's variables of `id` point to a [`Node<T>`] each, and hold one
/// of its references.
pub struct Shadow<T> {
    id: ffi::c_ulong,
    _data: PhantomData<T>,
}

/// A counted reference to a shadow variable's value, which lives at least as
/// long as it does, whether or not the variable is freed meanwhile.
///
/// # Invariants
///
/// `node` is a live [`Node<T>`] of which this owns one reference.
pub struct ShadowRef<T> {
    node: NonNull<Node<T>>,
}

// SAFETY: the value is shared by every reference (`Sync`) and dropped by
// the last one, on any thread (`Send`).
unsafe impl<T: Send + Sync> Send for ShadowRef<T> {}
// SAFETY: as for `Send`.
unsafe impl<T: Send + Sync> Sync for ShadowRef<T> {}

impl<T> Deref for ShadowRef<T> {
    type Target = T;

    fn deref(&self) -> &T {
        // SAFETY: the node is alive, and its value initialised, while a
        // reference to it is (type invariants); only shared references to
        // the value exist.
        unsafe { &self.node.as_ref().value }
    }
}

impl<T> Drop for ShadowRef<T> {
    fn drop(&mut self) {
        // SAFETY: `self` owns a reference (type invariants), and is gone.
        unsafe { Node::put(self.node) };
    }
}

/// `REFCOUNT_SATURATED` of `<linux/refcount.h>`.
const REFCOUNT_SATURATED: i32 = i32::MIN / 2;

/// The C flags for `flags`: [`Flags`] does not expose its bits outside the
/// `kernel` crate, so they are rebuilt from the public flags, of which every
/// `Flags` is made.
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
        (flags::__GFP_HIGHMEM, kernel::bindings::__GFP_HIGHMEM),
    ];
    known
        .iter()
        .filter(|(k, _)| f.contains(*k))
        .fold(0, |raw, (_, bits)| raw | bits)
}

/// The address of `obj`, the C API's key: objects at the same address (a
/// zero-sized one and its neighbour, a field at offset 0 and its container)
/// share their variables.
fn key<O>(obj: &O) -> *mut ffi::c_void {
    ptr::from_ref(obj).cast_mut().cast()
}

/// What the constructor gets as `ctor_data`: the node to attach, and
/// whether the core attached it.
struct Ctor<T> {
    node: NonNull<Node<T>>,
    attached: bool,
}

/// The C constructor: points the new variable to the node.
///
/// # Safety
///
/// `ctor_data` points to a `Ctor<T>` that nothing else accesses during the
/// call; `shadow_data` to the new variable's data, room for a pointer.
unsafe extern "C" fn shadow_ctor<T>(
    _obj: *mut ffi::c_void,
    shadow_data: *mut ffi::c_void,
    ctor_data: *mut ffi::c_void,
) -> ffi::c_int {
    // SAFETY: by the function's safety requirements.
    let c = unsafe { &mut *ctor_data.cast::<Ctor<T>>() };
    // SAFETY: by the function's safety requirements; the data is the new
    // variable's, aligned for a pointer (it follows the `klp_shadow`
    // header), and nothing reads it before the core attaches it.
    unsafe { shadow_data.cast::<*mut Node<T>>().write(c.node.as_ptr()) };
    c.attached = true;
    0
}

/// The node a variable's data points to.
///
/// # Safety
///
/// `shadow_data` is the data of a live variable of a `Shadow<T>`'s id.
unsafe fn node_of<T>(shadow_data: *mut ffi::c_void) -> NonNull<Node<T>> {
    // SAFETY: the data holds the non-NULL pointer `shadow_ctor` wrote
    // (`Shadow`'s invariants).
    unsafe { NonNull::new_unchecked(*shadow_data.cast::<*mut Node<T>>()) }
}

/// The C destructor: drops the variable's reference.
///
/// # Safety
///
/// `shadow_data` is the data of a variable of a `Shadow<T>`'s id, being
/// freed.
unsafe extern "C" fn shadow_put<T>(_obj: *mut ffi::c_void, shadow_data: *mut ffi::c_void) {
    // SAFETY: the variable owns a reference, and is gone after this.
    unsafe { Node::put(node_of::<T>(shadow_data)) };
}

/// The C destructor of [`Shadow::free_with`]: calls `D`, then drops the
/// variable's reference.
///
/// # Safety
///
/// As for [`shadow_put`]; and some `D` exists: one was given to
/// [`Shadow::free_with`] or [`Shadow::free_all_with`].
unsafe extern "C" fn shadow_dtor<T, D: Fn(usize, &T) + Copy>(
    obj: *mut ffi::c_void,
    shadow_data: *mut ffi::c_void,
) {
    const { assert!(mem::size_of::<D>() == 0) };
    // SAFETY: `D` is a zero-sized `Copy` type of which a value exists (by
    // the safety requirements), so making another is copying it; a
    // zero-sized read from a dangling aligned pointer is valid.
    let d = unsafe { NonNull::<D>::dangling().read() };
    // SAFETY: as in `shadow_put`.
    let node = unsafe { node_of::<T>(shadow_data) };
    // SAFETY: the variable's reference keeps the value alive for the call.
    d(obj as usize, unsafe { &node.as_ref().value });
    // SAFETY: as in `shadow_put`.
    unsafe { Node::put(node) };
}

/// Whether the core attached a new variable, or one was there.
enum Attached<T> {
    New(ShadowRef<T>),
    Existing(NonNull<Node<T>>),
}

impl<T: Send + Sync + SharedData + 'static> Shadow<T> {
    /// A handle for the variables of `id`.
    ///
    /// # Safety
    ///
    /// Every user of `id`, in this module or in others, is a `Shadow<T>` of
    /// the same `T`, built from this same code (its variables point to its
    /// reference-counted nodes, which C and other versions of it do not
    /// know), and:
    /// - its values refer to nothing in a module's memory (a function, a
    ///   `'static` reference or a vtable of a module), since a variable may
    ///   outlive the module that attached it;
    /// - it frees variables that other users may access only when they no
    ///   longer do: [`Shadow::free_all`] frees the variables of all users,
    ///   so every other user of `id` is done with them by then (with
    ///   livepatches: disabled, in the order the modules document).
    pub const unsafe fn new(id: ffi::c_ulong) -> Self {
        // INVARIANT: by the safety requirements.
        Self {
            id,
            _data: PhantomData,
        }
    }

    /// The id (C: `id`).
    #[inline]
    pub fn id(&self) -> ffi::c_ulong {
        self.id
    }

    /// The variable of `obj`, if any (C: `klp_shadow_get()`).
    pub fn get<O>(&self, obj: &O) -> Option<ShadowRef<T>> {
        let _guard = rcu::read_lock();
        // SAFETY: a plain lookup; `obj` is only a key.
        let data = unsafe { bindings::klp_shadow_get(key(obj), self.id) };
        if data.is_null() {
            return None;
        }
        // SAFETY: `data` is a variable of this id, found under the RCU read
        // lock, which `_guard` holds: the variable and its node are freed
        // only after a grace period.
        unsafe { Node::get_ref(node_of::<T>(data)) }
    }

    /// Attaches a new variable to `obj`, its value made by `init`
    /// (C: `klp_shadow_alloc()`).
    ///
    /// `init` runs before the variable is attached, where the caller runs:
    /// with `flags` that may sleep, it may sleep, and it may use shadow
    /// variables. Fails with `init`'s error,
    /// `ENOMEM`, or `EEXIST` if `obj` has a variable (without the core's
    /// `WARN`); the value `init` made is then dropped.
    pub fn alloc<O, E>(
        &self,
        obj: &O,
        flags: Flags,
        init: impl PinInit<T, E>,
    ) -> Result<ShadowRef<T>>
    where
        Error: From<E>,
    {
        if self.get(obj).is_some() {
            return Err(EEXIST);
        }
        match self.attach(obj, flags, Node::new(init, flags)?)? {
            Attached::New(r) => Ok(r),
            Attached::Existing(node) => {
                // SAFETY: `node` was never attached.
                unsafe { Node::discard(node) };
                Err(EEXIST)
            }
        }
    }

    /// The variable of `obj`, attached first as by [`Shadow::alloc`] if
    /// there is none (C: `klp_shadow_get_or_alloc()`); `init` runs only if
    /// none was found first, and its value is dropped if another variable
    /// was attached meanwhile.
    pub fn get_or_alloc<O, E>(
        &self,
        obj: &O,
        flags: Flags,
        init: impl PinInit<T, E>,
    ) -> Result<ShadowRef<T>>
    where
        Error: From<E>,
    {
        if let Some(r) = self.get(obj) {
            return Ok(r);
        }
        let mut node = Node::new(init, flags)?;
        loop {
            match self.attach(obj, flags, node)? {
                Attached::New(r) => return Ok(r),
                Attached::Existing(ours) => {
                    if let Some(r) = self.get(obj) {
                        // SAFETY: `ours` was never attached.
                        unsafe { Node::discard(ours) };
                        return Ok(r);
                    }
                    // Freed since: attach ours again.
                    node = ours;
                }
            }
        }
    }

    /// Detaches `obj`'s variable, if any (C: `klp_shadow_free()`). Its value
    /// is dropped once no [`ShadowRef`] to it is left: here, under the
    /// core's spinlock with interrupts off, if there is none, so `T`'s
    /// `Drop` must not sleep (freeing memory is fine), nor use shadow
    /// variables (the core's lock is held).
    pub fn free<O>(&self, obj: &O) {
        // SAFETY: `shadow_put::<T>` drops a reference of a variable of this id.
        unsafe { bindings::klp_shadow_free(key(obj), self.id, Some(shadow_put::<T>)) };
    }

    /// As [`Shadow::free`], calling `dtor(obj_addr, &value)` first
    /// (C: the `dtor` argument).
    ///
    /// `dtor` must be a function or a closure without captures. It runs
    /// under the core's spinlock, with interrupts off: it must not sleep,
    /// nor use shadow variables.
    pub fn free_with<O, D>(&self, obj: &O, dtor: D)
    where
        D: Fn(usize, &T) + Copy,
    {
        // SAFETY: as in `free`; `shadow_dtor::<T, D>` may be called: a `D` exists.
        unsafe { bindings::klp_shadow_free(key(obj), self.id, Self::dtor_fn(&dtor)) };
    }

    /// Detaches every variable of the id, here or attached by other
    /// modules, as [`Shadow::free`] does (C: `klp_shadow_free_all()`). For
    /// the module's exit, once its patch is disabled and the other users of
    /// the id are done with its variables (see [`Shadow::new`]).
    pub fn free_all(&self) {
        // SAFETY: as in `free`.
        unsafe { bindings::klp_shadow_free_all(self.id, Some(shadow_put::<T>)) };
    }

    /// As [`Shadow::free_all`], calling `dtor` first as [`Shadow::free_with`]
    /// does.
    pub fn free_all_with<D>(&self, dtor: D)
    where
        D: Fn(usize, &T) + Copy,
    {
        // SAFETY: as in `free_with`.
        unsafe { bindings::klp_shadow_free_all(self.id, Self::dtor_fn(&dtor)) };
    }

    fn dtor_fn<D: Fn(usize, &T) + Copy>(_dtor: &D) -> bindings::klp_shadow_dtor_t {
        Some(shadow_dtor::<T, D>)
    }

    /// Attaches `node`, with its two references, to `obj` unless `obj` has
    /// a variable: then gives `node` back.
    fn attach<O>(&self, obj: &O, flags: Flags, node: NonNull<Node<T>>) -> Result<Attached<T>> {
        let mut c = Ctor {
            node,
            attached: false,
        };
        // SAFETY: `shadow_ctor::<T>` gets `c`, a `Ctor<T>` only it uses during
        // the call, and room for a pointer; the C function attaches a new
        // variable only if `obj` has none (`klp_shadow_get_or_alloc()`, which
        // unlike `klp_shadow_alloc()` does not `WARN` when there is one).
        let data = unsafe {
            bindings::klp_shadow_get_or_alloc(
                key(obj),
                self.id,
                mem::size_of::<*mut Node<T>>(),
                gfp(flags),
                Some(shadow_ctor::<T>),
                ptr::from_mut(&mut c).cast(),
            )
        };
        if c.attached {
            // INVARIANT: the variable holds one reference, this the other.
            Ok(Attached::New(ShadowRef { node }))
        } else if data.is_null() {
            // SAFETY: `node` was never attached.
            unsafe { Node::discard(node) };
            Err(ENOMEM)
        } else {
            Ok(Attached::Existing(node))
        }
    }
}
