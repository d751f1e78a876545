// SPDX-License-Identifier: GPL-2.0

//! System states (C: `struct klp_state`).
//!
//! See `Documentation/livepatch/system-state.rst`. A patch declares the
//! states it changes, each an `id` with a `version`; the core refuses a patch
//! that would replace one with a newer version of a state it knows, so a
//! patch that does not know a change cannot undo it by replacing.
//!
//! A state may carry data, usually made in `pre_patch` and freed in
//! `post_unpatch`, that a replacing patch can take over. Here the data is a
//! `T: Copy` owned by the state: it is read and written by value, so no
//! reference to it can outlive it. All accesses take the callback's
//! [`PatchedObject`], which proves the caller holds `klp_mutex`, the lock
//! that serialises every callback of every patch.
//!
//! What Rust cannot check across modules, any more than C can: that every
//! patch declaring a state `id` uses the same data type `T` for it. The id
//! names what the state is; its data type is part of that contract.

use super::{
    bindings,
    callbacks::PatchedObject, //
};
use core::marker::PhantomData;
use kernel::{
    ffi,
    prelude::*,
    types::Opaque, //
};

/// One system state with data of type `T`.
///
/// ```ignore
/// const LOGLEVEL: u64 = 1;
///
/// static STATES: States<i32, 1> = States::new([State::new(LOGLEVEL, 1)]);
/// static PATCH: Patch = Patch::new(&OBJS).with_states(&STATES);
///
/// impl Callbacks for Fix {
///     fn pre_patch(obj: &PatchedObject) -> Result {
///         STATES.get(LOGLEVEL).ok_or(EINVAL)?.alloc(obj, 0)
///     }
/// }
/// ```
///
/// # Invariants
///
/// `data` is NULL or comes from `KBox::<T>::into_raw()` of a patch that
/// declares this `id` with the same `T`; it changes only under `klp_mutex`.
#[repr(transparent)]
pub struct State<T> {
    state: Opaque<bindings::klp_state>,
    _data: PhantomData<T>,
}

// SAFETY: the data is only accessed under `klp_mutex` (type invariant) and
// is `Send`.
unsafe impl<T: Send> Sync for State<T> {}

impl<T: Copy + Send> State<T> {
    /// The state `id` at `version`, without data.
    pub const fn new(id: u64, version: u32) -> Self {
        Self {
            // INVARIANT: no data yet.
            state: Opaque::new(bindings::klp_state {
                id: id as ffi::c_ulong,
                version,
                data: core::ptr::null_mut(),
            }),
            _data: PhantomData,
        }
    }

    fn raw(&self) -> *mut bindings::klp_state {
        self.state.get()
    }

    /// The state's id.
    pub fn id(&self) -> u64 {
        // SAFETY: `id` is written at declaration only.
        unsafe { (*self.raw()).id as u64 }
    }

    fn data(&self) -> *mut T {
        // SAFETY: `data` changes only under `klp_mutex`, which the callers
        // hold (they have a `PatchedObject`).
        unsafe { (*self.raw()).data.cast() }
    }

    fn set_data(&self, data: *mut T) {
        // INVARIANT: the callers pass NULL or a `KBox<T>` pointer.
        // SAFETY: as in `data`.
        unsafe { (*self.raw()).data = data.cast() };
    }

    /// Gives the state data `value`, freeing any it had.
    pub fn alloc(&self, obj: &PatchedObject, value: T) -> Result {
        let new = KBox::new(value, GFP_KERNEL)?;
        self.free(obj);
        self.set_data(KBox::into_raw(new));
        Ok(())
    }

    /// The state's data, if it has any.
    pub fn get(&self, _obj: &PatchedObject) -> Option<T> {
        let data = self.data();
        // SAFETY: a non-NULL `data` is a live `KBox<T>` (type invariant),
        // not changed while the caller holds `klp_mutex`.
        (!data.is_null()).then(|| unsafe { *data })
    }

    /// Stores `value` in the state's data; `EINVAL` if it has none.
    pub fn set(&self, _obj: &PatchedObject, value: T) -> Result {
        let data = self.data();
        if data.is_null() {
            return Err(EINVAL);
        }
        // SAFETY: as in `get`; no reference to the data exists.
        unsafe { *data = value };
        Ok(())
    }

    /// Frees the state's data, if it has any.
    pub fn free(&self, _obj: &PatchedObject) {
        let data = self.data();
        if !data.is_null() {
            self.set_data(core::ptr::null_mut());
            // SAFETY: `data` came from `KBox::into_raw()` (type invariant)
            // and is no longer reachable from the state.
            drop(unsafe { KBox::from_raw(data) });
        }
    }

    /// Moves the data of `prev`, the same state of a patch being replaced,
    /// to this state (C: `state->data = prev_state->data`).
    pub fn take_over(&self, obj: &PatchedObject, prev: &State<T>) {
        let data = prev.data();
        prev.set_data(core::ptr::null_mut());
        self.free(obj);
        self.set_data(data);
    }

    /// This state in the most recent patch installed before the one in
    /// transition (C: `klp_get_prev_state()`). Only during a transition,
    /// enabling or disabling: elsewhere, as in the callbacks of a module
    /// loaded later, the core warns and this is `None`.
    pub fn prev<'a>(&self, _obj: &'a PatchedObject) -> Option<&'a State<T>> {
        // SAFETY: the caller holds `klp_mutex`, which protects the list of
        // patches that `klp_get_prev_state()` walks.
        let prev = unsafe { bindings::klp_get_prev_state(self.id() as ffi::c_ulong) };
        // SAFETY: the patch owning `prev` stays registered while the caller
        // holds `klp_mutex`; it declares this id, so its data type is `T`
        // (see the module documentation), and `State<T>` is transparent.
        (!prev.is_null()).then(|| unsafe { &*prev.cast::<State<T>>() })
    }
}

/// `N` [`State`]s and the empty entry that ends them, as C expects.
#[repr(C)]
pub struct States<T, const N: usize> {
    states: [State<T>; N],
    end: State<T>,
}

impl<T: Copy + Send, const N: usize> States<T, N> {
    /// The states of one patch.
    pub const fn new(states: [State<T>; N]) -> Self {
        Self {
            states,
            end: State::new(0, 0),
        }
    }

    /// The state `id` (C: `klp_get_state()`).
    pub fn get(&self, id: u64) -> Option<&State<T>> {
        self.states.iter().find(|s| s.id() == id)
    }

    pub(super) const fn as_raw(&self) -> *mut bindings::klp_state {
        // An array of `N + 1` `klp_state`s: `States` is `repr(C)` and made
        // of transparent `State`s, all inside `Opaque`.
        core::ptr::from_ref(self).cast_mut().cast()
    }
}
