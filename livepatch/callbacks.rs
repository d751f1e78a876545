// SPDX-License-Identifier: GPL-2.0

//! Callbacks around the patching of one object (C: `struct klp_callbacks`).
//!
//! See `Documentation/livepatch/callbacks.rst`. The core runs them under its
//! `klp_mutex`, one at a time: for vmlinux when the patch is enabled or
//! disabled, for a module also when that module is loaded or removed while
//! the patch is enabled.

use super::{
    bindings,
    Object,
    NO_CALLBACKS, //
};
use kernel::{
    error::{
        from_result,
        VTABLE_DEFAULT_ERROR, //
    },
    ffi,
    prelude::*,
    types::Opaque, //
};

/// What a livepatch does before and after one object is patched or
/// unpatched (C: `struct klp_callbacks`). Attach it with
/// [`Object::with_callbacks`](super::Object::with_callbacks); the callbacks
/// not implemented stay NULL, as in C.
///
/// ```
/// use kernel::{
///     livepatch::{
///         Callbacks,
///         Func,
///         Object,
///         PatchedObject, //
///     },
///     prelude::*, //
/// };
///
/// struct Announce;
///
/// #[vtable]
/// impl Callbacks for Announce {
///     fn post_patch(obj: &PatchedObject) {
///         match obj.module() {
///             Some(module) => pr_info!("{} patched\n", module.name()),
///             None => pr_info!("vmlinux patched\n"),
///         }
///     }
/// }
///
/// static FUNCS: [Func; 0] = [];
/// static OBJECTS: [Object; 1] = [Object::vmlinux(&FUNCS).with_callbacks::<Announce>()];
/// # assert!(<Announce as Callbacks>::HAS_POST_PATCH && !<Announce as Callbacks>::HAS_PRE_PATCH);
/// ```
#[vtable]
pub trait Callbacks {
    /// Before the object is patched. An error refuses the patch: enabling
    /// it fails with that error, or, for a module loaded later, the module's
    /// load does. No other callback of this object runs then.
    fn pre_patch(_obj: &PatchedObject) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// After the object is patched and the transition has completed.
    fn post_patch(_obj: &PatchedObject) {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Before the object is unpatched.
    fn pre_unpatch(_obj: &PatchedObject) {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// After the object is unpatched and the transition has completed.
    fn post_unpatch(_obj: &PatchedObject) {
        build_error!(VTABLE_DEFAULT_ERROR)
    }
}

impl Object {
    /// The object, with the callbacks that `C` implements.
    #[inline]
    pub const fn with_callbacks<C: Callbacks>(self) -> Self {
        Self {
            callbacks: raw::<C>(),
            ..self
        }
    }
}

/// The C callbacks that call `C`'s methods, NULL for those it lacks.
const fn raw<C: Callbacks>() -> bindings::klp_callbacks {
    bindings::klp_callbacks {
        pre_patch: if C::HAS_PRE_PATCH {
            Some(pre_patch::<C>)
        } else {
            None
        },
        post_patch: if C::HAS_POST_PATCH {
            Some(post_patch::<C>)
        } else {
            None
        },
        pre_unpatch: if C::HAS_PRE_UNPATCH {
            Some(pre_unpatch::<C>)
        } else {
            None
        },
        post_unpatch: if C::HAS_POST_UNPATCH {
            Some(post_unpatch::<C>)
        } else {
            None
        },
        ..NO_CALLBACKS
    }
}

/// # Safety
///
/// Called by the core, as the `pre_patch` callback of `obj`.
unsafe extern "C" fn pre_patch<C: Callbacks>(obj: *mut bindings::klp_object) -> ffi::c_int {
    // SAFETY: the core calls callbacks with one of its objects, alive and
    // under `klp_mutex` for the whole call.
    let obj = unsafe { PatchedObject::from_raw(obj) };
    from_result(|| C::pre_patch(obj).map(|()| 0))
}

/// # Safety
///
/// Called by the core, as the `post_patch` callback of `obj`.
unsafe extern "C" fn post_patch<C: Callbacks>(obj: *mut bindings::klp_object) {
    // SAFETY: as in `pre_patch`.
    C::post_patch(unsafe { PatchedObject::from_raw(obj) })
}

/// # Safety
///
/// Called by the core, as the `pre_unpatch` callback of `obj`.
unsafe extern "C" fn pre_unpatch<C: Callbacks>(obj: *mut bindings::klp_object) {
    // SAFETY: as in `pre_patch`.
    C::pre_unpatch(unsafe { PatchedObject::from_raw(obj) })
}

/// # Safety
///
/// Called by the core, as the `post_unpatch` callback of `obj`.
unsafe extern "C" fn post_unpatch<C: Callbacks>(obj: *mut bindings::klp_object) {
    // SAFETY: as in `pre_patch`.
    C::post_unpatch(unsafe { PatchedObject::from_raw(obj) })
}

/// The object a callback runs for, as the core sees it then.
///
/// A `&PatchedObject` exists only for the duration of a callback, so it also
/// proves that the holder runs under the core's `klp_mutex` (see
/// [`State`](super::State)).
///
/// # Invariants
///
/// Wraps a `klp_object` of a registered patch, and is only borrowed for
/// the duration of a callback, which holds `klp_mutex`.
#[repr(transparent)]
pub struct PatchedObject(Opaque<bindings::klp_object>);

impl PatchedObject {
    /// # Safety
    ///
    /// `ptr` is the object a callback was called with, and the reference is
    /// used only during that call.
    unsafe fn from_raw<'a>(ptr: *mut bindings::klp_object) -> &'a Self {
        // INVARIANT: by the caller.
        // SAFETY: valid by the caller; `PatchedObject` is transparent.
        unsafe { &*ptr.cast() }
    }

    /// The module patched, while it is loaded; `None` for vmlinux.
    pub fn module(&self) -> Option<&LoadedModule> {
        // SAFETY: the object is valid and the core writes `mod` only under
        // `klp_mutex`, which the caller holds (type invariant).
        let module = unsafe { (*self.0.get()).mod_ };
        // SAFETY: the core sets `mod`, under `klp_mutex`, only to a loaded
        // module that is not going away, and `klp_module_going()` clears it,
        // under `klp_mutex`, before the module is freed. The caller holds
        // `klp_mutex`.
        (!module.is_null()).then(|| unsafe { &*module.cast::<LoadedModule>() })
    }

    /// Whether the callback runs in a transition of its patch, rather than
    /// for a module being loaded or removed while the patch is enabled.
    ///
    /// The core runs an object's callbacks outside a transition only from
    /// `klp_module_coming()` and `klp_module_going()`, when that module is
    /// `MODULE_STATE_COMING` or `MODULE_STATE_GOING`; vmlinux's only in
    /// transitions. So a live module, or vmlinux, means a transition; a
    /// module still loading or already unloading may mean either, and counts
    /// as none.
    pub(super) fn in_transition(&self) -> bool {
        self.module()
            .is_none_or(|module| module.state() == ModuleState::Live)
    }
}

/// A loaded module, seen from a callback (C: `struct module`).
#[repr(transparent)]
pub struct LoadedModule(Opaque<kernel::bindings::module>);

impl LoadedModule {
    /// The module's name.
    pub fn name(&self) -> &CStr {
        // SAFETY: the module is valid while it is borrowed (see
        // `PatchedObject::module`), and its `name` is a NUL-terminated array
        // written before the module is listed.
        unsafe { CStr::from_char_ptr((*self.0.get()).name.as_ptr()) }
    }

    /// Where the module is in its life cycle.
    pub fn state(&self) -> ModuleState {
        // SAFETY: the module is valid (as in `name`). The module loader
        // changes `state` concurrently: read it once, as C's `READ_ONCE()`.
        let state = unsafe { (&raw const (*self.0.get()).state).read_volatile() };
        match state {
            kernel::bindings::module_state_MODULE_STATE_LIVE => ModuleState::Live,
            kernel::bindings::module_state_MODULE_STATE_COMING => ModuleState::Coming,
            kernel::bindings::module_state_MODULE_STATE_GOING => ModuleState::Going,
            // `MODULE_STATE_UNFORMED`, the only value left.
            _ => ModuleState::Unformed,
        }
    }
}

/// The life cycle of a module (C: `enum module_state`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ModuleState {
    /// Normal state.
    Live,
    /// Fully formed, running `module_init`.
    Coming,
    /// Going away.
    Going,
    /// Still setting it up.
    Unformed,
}
