// SPDX-License-Identifier: GPL-2.0

//! System states (C: `struct klp_state`).
//!
//! See `Documentation/livepatch/system-state.rst`. A patch declares the
//! states it changes, each an id with a version; the core refuses a patch
//! that would replace one with a newer version of a state it knows, so a
//! patch that does not know a change cannot undo it by replacing.
//!
//! A state may carry data, usually made in `pre_patch` and freed in
//! `post_unpatch`, that a replacing patch can take over. Here the data is a
//! `T: Copy` owned by the state, read and written by value, so no reference
//! to it can outlive it. It is reached through [`StateData`], which borrows
//! a callback's [`PatchedObject`]: the proof that the caller holds the
//! core's `klp_mutex`, which serialises every callback of every patch.
//!
//! What Rust cannot check: that every patch declaring the same id, in any
//! module, agrees on the data type. [`State::new`] is `unsafe` for that, and
//! the type must have a layout that C and every build agree on
//! ([`SharedData`]).

use super::{
    bindings,
    callbacks::PatchedObject,
    Patch,
    SharedData,
    StateDecl, //
};
use core::{
    marker::PhantomData,
    ptr::{
        self,
        NonNull, //
    },
};
use kernel::{
    ffi,
    prelude::*, //
};

/// One system state with data of type `T`.
///
/// ```
/// use kernel::{
///     ffi::c_ulong,
///     livepatch::{
///         PatchedObject,
///         State,
///         StateDecl, //
///     },
///     prelude::*, //
/// };
///
/// const LOGLEVEL: c_ulong = 1;
///
/// // SAFETY: every patch that declares state 1 keeps an `i32` in its data
/// // (here only this example).
/// static LOGLEVEL_STATE: State<i32> = unsafe { State::new(LOGLEVEL, 1) };
/// static STATES: [&StateDecl; 1] = [LOGLEVEL_STATE.decl()];
///
/// // In a callback (`Patch::new(&OBJECTS).states(|| &STATES)`):
/// fn pre_patch(obj: &PatchedObject) -> Result {
///     LOGLEVEL_STATE.get(obj).ok_or(EINVAL)?.alloc(0)
/// }
/// # assert_eq!(STATES[0].id(), LOGLEVEL);
/// ```
pub struct State<T> {
    decl: StateDecl,
    _data: PhantomData<T>,
}

impl<T: Copy + Send + SharedData> State<T> {
    /// The state `id` at `version`.
    ///
    /// # Panics
    ///
    /// If `id` is zero, which ends the core's array of states, or `T` is
    /// zero-sized (its `KBox` is no allocation, which a C patch taking the
    /// data over would `kfree()`): in a `static`, an error at build time.
    ///
    /// # Safety
    ///
    /// Every patch that declares the state `id`, in this module or any
    /// other, in C or in Rust, keeps in its data NULL or a `T` allocated with
    /// `kmalloc()` (as [`KBox`] does), and accesses it only from its
    /// callbacks (under `klp_mutex`): the state's owner may read, write and
    /// free it, and a later patch take it over. `T` refers to nothing in a
    /// module's memory (a function, a `'static` reference or a vtable of a
    /// module), since the data may outlive the module.
    pub const unsafe fn new(id: ffi::c_ulong, version: ffi::c_uint) -> Self {
        assert!(id != 0, "a system state's id may not be zero");
        assert!(
            core::mem::size_of::<T>() != 0,
            "a system state's data may not be zero-sized"
        );
        // INVARIANT: `id` is not zero; no structure attached.
        Self {
            decl: StateDecl::new(id, version),
            _data: PhantomData,
        }
    }

    /// What a [`Patch`](super::Patch) lists for this state.
    #[inline]
    pub const fn decl(&self) -> &StateDecl {
        &self.decl
    }

    /// This state in this module's patch, during one of its callbacks
    /// (C: `klp_get_state()`); `None` if the patch does not declare it.
    pub fn get<'a>(&self, _obj: &'a PatchedObject) -> Option<StateData<'a, T>> {
        // SAFETY: a non-NULL `raw` is this state's `klp_state` in this
        // module's registered patch (`StateDecl`'s invariant), whose data is
        // NULL or a `T` (`new`'s safety requirements); the caller holds
        // `klp_mutex` while it borrows `_obj`.
        unsafe { StateData::new(self.decl.raw()) }
    }

    /// This state in the most recent patch installed before this one, for
    /// the callbacks of this patch's transition (C: `klp_get_prev_state()`).
    ///
    /// `None` if no earlier patch declares it, and whenever the callback
    /// may run outside a transition, where the core would warn
    /// (`WARN_ON_ONCE`): for a module that is still loading or already
    /// unloading ([`PatchedObject::module`]), as when it is loaded or removed
    /// while the patch is enabled. `None` may then also mean "not known".
    pub fn prev<'a>(&self, obj: &'a PatchedObject) -> Option<StateData<'a, T>> {
        if !obj.in_transition() {
            return None;
        }
        // SAFETY: the caller holds `klp_mutex` (it has a `PatchedObject`),
        // which protects the list of patches that `klp_get_prev_state()`
        // walks; this patch is in transition, so the core does not warn.
        let raw = unsafe { bindings::klp_get_prev_state(self.decl.id()) };
        // SAFETY: the patch owning a non-NULL `raw` stays registered while
        // the caller holds `klp_mutex`, for as long as it borrows `obj`; it
        // declares this id, so its data is NULL or a `T` (`new`'s safety
        // requirements).
        unsafe { StateData::new(raw) }
    }
}

impl Patch {
    /// The patch also declares the system states that `states` returns.
    ///
    /// A function, not the array itself: the declarations are statics
    /// with interior mutability (each records its registration's
    /// `klp_state`), and rustc 1.85, which builds Debian's kernels, refuses a
    /// `const` such as [`Livepatch::PATCH`] that refers to such memory
    /// (E0080, "reference to mutable memory in `const`").
    ///
    /// [`Livepatch::PATCH`]: super::Livepatch::PATCH
    #[inline]
    pub const fn states(self, states: fn() -> &'static [&'static StateDecl]) -> Self {
        Self { states, ..self }
    }
}

/// The `klp_state` of a registered patch, and its data of type `T`,
/// borrowed for the duration of a callback.
///
/// # Invariants
///
/// `raw` points to a `klp_state` of a registered patch whose data is NULL
/// or a `kmalloc()`ed `T`, and the caller holds `klp_mutex` for `'a`.
pub struct StateData<'a, T> {
    raw: NonNull<bindings::klp_state>,
    _borrow: PhantomData<(&'a PatchedObject, T)>,
}

impl<T: Copy + Send + SharedData> StateData<'_, T> {
    /// # Safety
    ///
    /// A non-NULL `raw` is a `klp_state` of a registered patch whose data is
    /// NULL or a `kmalloc()`ed `T`, and the caller holds `klp_mutex` for the
    /// lifetime of the result.
    unsafe fn new(raw: *mut bindings::klp_state) -> Option<Self> {
        // INVARIANT: by the caller.
        Some(Self {
            raw: NonNull::new(raw)?,
            _borrow: PhantomData,
        })
    }

    fn data(&self) -> *mut T {
        // SAFETY: `raw` is valid and `data` changes only under `klp_mutex`,
        // which the caller holds (type invariants).
        unsafe { (*self.raw.as_ptr()).data.cast() }
    }

    fn set_data(&self, data: *mut T) {
        // SAFETY: as in `data`.
        unsafe { (*self.raw.as_ptr()).data = data.cast() };
    }

    /// Gives the state data `value`, freeing any it had.
    pub fn alloc(&self, value: T) -> Result {
        let new = KBox::new(value, GFP_KERNEL)?;
        self.free();
        // INVARIANT: a `KBox` is `kmalloc()`ed.
        self.set_data(KBox::into_raw(new));
        Ok(())
    }

    /// The state's data, if it has any.
    pub fn get(&self) -> Option<T> {
        let data = self.data();
        // SAFETY: a non-NULL `data` is a valid `T` (type invariants), not
        // changed while the caller holds `klp_mutex`.
        (!data.is_null()).then(|| unsafe { *data })
    }

    /// Stores `value` in the state's data; `EINVAL` if it has none.
    pub fn set(&self, value: T) -> Result {
        let data = self.data();
        if data.is_null() {
            return Err(EINVAL);
        }
        // SAFETY: as in `get`; no reference to the data exists.
        unsafe { *data = value };
        Ok(())
    }

    /// Frees the state's data, if it has any.
    pub fn free(&self) {
        let data = self.data();
        if !data.is_null() {
            self.set_data(ptr::null_mut());
            // SAFETY: `data` is a `kmalloc()`ed `T` (type invariants), as a
            // `KBox<T>` is, no longer reachable from the state.
            drop(unsafe { KBox::from_raw(data) });
        }
    }

    /// Moves the data of `prev`, the same state of a patch being replaced
    /// (see [`State::prev`]), to this state (C: `state->data =
    /// prev_state->data`).
    pub fn take_over(&self, prev: &StateData<'_, T>) {
        let data = prev.data();
        if data == self.data() {
            return;
        }
        prev.set_data(ptr::null_mut());
        self.free();
        self.set_data(data);
    }
}
