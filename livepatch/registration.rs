// SPDX-License-Identifier: GPL-2.0

//! Enabling a patch: the core's structures, built from a [`Patch`] and kept,
//! pinned, with the module (C: `klp_enable_patch()`).

use super::{
    bindings,
    Func,
    Livepatch,
    Patch, //
};
use core::{
    pin::Pin,
    ptr, //
};
use kernel::{
    error::to_result,
    ffi,
    prelude::*,
    str::as_char_ptr_in_const_context,
    sync::atomic::{
        Acquire,
        Atomic,
        Release, //
    },
    types::Opaque, //
};

/// The livepatch core's structures for a patch, built from its [`Patch`]
/// and registered with the core: what a [`Livepatched`] module keeps,
/// pinned, until it is removed.
///
/// # Invariants
///
/// `patch` was enabled by `klp_enable_patch()` and holds a reference on the
/// module, which the core drops only once it no longer uses `patch` and the
/// arrays it points to, `objs`, `funcs` and `states`
/// (`klp_free_patch_finish()`). Each of `decls` points to its `klp_state` in
/// `states` until `self` is dropped.
#[pin_data(PinnedDrop)]
pub(super) struct Registration {
    #[pin]
    patch: Opaque<bindings::klp_patch>,
    objs: Pin<KBox<[Opaque<bindings::klp_object>]>>,
    funcs: Pin<KBox<[Opaque<bindings::klp_func>]>>,
    states: Pin<KBox<[Opaque<bindings::klp_state>]>>,
    decls: &'static [&'static StateDecl],
    /// The names of the Rust functions replaced, which `funcs` points to.
    #[cfg(CONFIG_FTRACE_MCOUNT_USE_RUST_FENTRY)]
    names: KVec<(usize, kernel::str::CString)>,
}

// SAFETY: the core serialises its accesses to the structures; Rust accesses
// none of them after registering them, but the state declarations, which
// are `Sync`.
unsafe impl Send for Registration {}
// SAFETY: as for `Send`.
unsafe impl Sync for Registration {}

/// A system state as a [`Patch`](super::Patch) lists it, whatever its data
/// type: made by `State::decl`.
///
/// # Invariants
///
/// `id` is not zero (which ends the core's array of states). `raw` is NULL
/// or points to this state's `klp_state` in the
/// [`Registration`](super::Registration) that attached it, until that is
/// dropped.
pub struct StateDecl {
    id: ffi::c_ulong,
    version: ffi::c_uint,
    raw: Atomic<*mut bindings::klp_state>,
}

impl StateDecl {
    /// The state `id` at `version`, attached to no registration.
    pub(super) const fn new(id: ffi::c_ulong, version: ffi::c_uint) -> Self {
        // INVARIANT: nothing attached; `State::new` refuses a zero `id`.
        Self {
            id,
            version,
            raw: Atomic::new(ptr::null_mut()),
        }
    }

    /// The state's structure in the registration that attached it, or NULL.
    pub(super) fn raw(&self) -> *mut bindings::klp_state {
        self.raw.load(Acquire)
    }

    /// The state's id.
    #[inline]
    pub fn id(&self) -> ffi::c_ulong {
        self.id
    }

    /// The core's structure for this state, without data.
    pub(super) fn to_raw(&self) -> bindings::klp_state {
        bindings::klp_state {
            id: self.id,
            version: self.version,
            data: ptr::null_mut(),
        }
    }

    /// Points the state at `raw`, its structure in a registered patch.
    ///
    /// # Safety
    ///
    /// `raw` is this state's `klp_state` in a patch being enabled, valid
    /// until `detach` is called.
    pub(super) unsafe fn attach(&self, raw: *mut bindings::klp_state) {
        // INVARIANT: by the caller.
        self.raw.store(raw, Release);
    }

    /// Forgets the structure `attach` gave.
    pub(super) fn detach(&self) {
        // INVARIANT: NULL.
        self.raw.store(ptr::null_mut(), Release);
    }
}

/// A copy of `c`, as the core's object holds it.
fn callbacks(c: &bindings::klp_callbacks) -> bindings::klp_callbacks {
    bindings::klp_callbacks {
        pre_patch: c.pre_patch,
        post_patch: c.post_patch,
        pre_unpatch: c.pre_unpatch,
        post_unpatch: c.post_unpatch,
        ..super::NO_CALLBACKS
    }
}

/// The `i`th entry of the core's array of functions of `patch`: each
/// object's functions, then a zeroed entry that ends them.
fn func_at(patch: &Patch, mut i: usize) -> bindings::klp_func {
    for obj in patch.objs {
        if i < obj.funcs.len() {
            let f: &Func = &obj.funcs[i];
            return bindings::klp_func {
                old_name: as_char_ptr_in_const_context(f.old_name),
                new_func: f.new_func.as_ptr(),
                old_sympos: f.sympos as ffi::c_ulong,
                ..pin_init::zeroed()
            };
        }
        if i == obj.funcs.len() {
            break;
        }
        i -= obj.funcs.len() + 1;
    }
    pin_init::zeroed()
}

/// The address of the element at `i` of `slice`, as the core's pointer.
fn raw_at<T>(slice: &Pin<KBox<[Opaque<T>]>>, i: usize) -> *mut T {
    slice[i].get()
}

impl Registration {
    /// Builds the core's structures for `patch` and enables it, replacing
    /// all other patches if `replace` (C: `klp_enable_patch()`).
    ///
    /// Fails with `EBUSY` unless `module` is being loaded.
    ///
    /// # Safety
    ///
    /// Called from the `init` of `module`, as its last fallible step, and
    /// the result is dropped only when the module is removed (its `exit`):
    /// a module whose patch was enabled must not fail to load, and the core
    /// uses the structures until then.
    unsafe fn new(
        patch: Patch,
        replace: bool,
        module: &'static ThisModule,
    ) -> impl PinInit<Self, Error> {
        pin_init::pin_init_scope(move || {
            let this = module.as_ptr();
            // A livepatch must be a module (`THIS_MODULE` is NULL in vmlinux).
            if this.is_null() {
                return Err(EINVAL);
            }
            // SAFETY: `this` is this module (`ThisModule`), alive while its
            // code runs; the loader writes `state` only before and after
            // `init`.
            if unsafe { (*this).state } != kernel::bindings::module_state_MODULE_STATE_COMING {
                return Err(EBUSY);
            }
            let decls = (patch.states)();
            for (i, decl) in decls.iter().enumerate() {
                // The core would only ever find the first (`klp_get_state()`).
                if decls[..i].iter().any(|d| d.id() == decl.id()) {
                    pr_err!("livepatch state {} declared twice\n", decl.id());
                    return Err(EINVAL);
                }
            }

            #[cfg(CONFIG_FTRACE_MCOUNT_USE_RUST_FENTRY)]
            let names = super::rust_target::names(&patch)?;
            let nfuncs = patch.objs.iter().map(|o| o.funcs.len() + 1).sum();
            let funcs = KBox::pin_slice::<_, _, Error>(
                |i| {
                    let func = func_at(&patch, i);
                    #[cfg(CONFIG_FTRACE_MCOUNT_USE_RUST_FENTRY)]
                    let func = super::rust_target::named(func, &names, i);
                    Ok(Opaque::new(func))
                },
                nfuncs,
                GFP_KERNEL,
            )?;
            let mut first = 0;
            let objs = KBox::pin_slice::<_, _, Error>(
                |i| {
                    Ok(match patch.objs.get(i) {
                        Some(obj) => {
                            let funcs = raw_at(&funcs, first);
                            first += obj.funcs.len() + 1;
                            Opaque::new(bindings::klp_object {
                                name: obj
                                    .name
                                    .map_or(core::ptr::null(), as_char_ptr_in_const_context),
                                funcs,
                                callbacks: callbacks(&obj.callbacks),
                                ..pin_init::zeroed()
                            })
                        }
                        None => Opaque::zeroed(),
                    })
                },
                patch.objs.len() + 1,
                GFP_KERNEL,
            )?;
            let states = KBox::pin_slice::<_, _, Error>(
                |i| {
                    Ok(decls
                        .get(i)
                        .map_or(Opaque::zeroed(), |d| Opaque::new(d.to_raw())))
                },
                decls.len() + 1,
                GFP_KERNEL,
            )?;

            let raw = bindings::klp_patch {
                mod_: this,
                objs: raw_at(&objs, 0),
                states: raw_at(&states, 0),
                replace,
                ..pin_init::zeroed()
            };
            for (i, decl) in decls.iter().enumerate() {
                // SAFETY: `raw_at(&states, i)` is `decl`'s state, which the
                // registration keeps until it detaches it when dropped; if
                // enabling fails, `patch` below detaches it before `states`
                // is freed.
                unsafe { decl.attach(raw_at(&states, i)) };
            }
            Ok(try_pin_init!(Self {
                objs,
                funcs,
                states,
                decls,
                #[cfg(CONFIG_FTRACE_MCOUNT_USE_RUST_FENTRY)]
                names,
                patch <- Opaque::try_ffi_init(move |slot: *mut bindings::klp_patch| {
                    // SAFETY: `slot` is valid for writes.
                    unsafe { slot.write(raw) };
                    // SAFETY: `slot` is a `klp_patch` of this module, pinned
                    // as the registration, whose `objs`, their `funcs`, and
                    // `states` are pinned arrays that end in a zeroed entry,
                    // with names from `'static` C strings, replacements whose
                    // prototypes the callers of `Func::vmlinux` and
                    // `Func::module` vouched for in the objects they were
                    // declared for (`Object::new`), and callbacks from
                    // `Callbacks`. On success the core uses them until it drops
                    // its reference on the module, before the module's `exit`
                    // drops them (the caller's guarantee); on failure the core
                    // no longer uses them when it returns (as a C module's
                    // static structures, they may be freed then; a kernel
                    // built with CONFIG_DEBUG_KOBJECT_RELEASE may release
                    // their kobjects later, for C modules as for this).
                    let ret = to_result(unsafe { bindings::klp_enable_patch(slot) });
                    if ret.is_err() {
                        decls.iter().for_each(|d| d.detach());
                    }
                    // INVARIANT: on success, enabled, and `decls` point to
                    // their states.
                    ret
                }),
            }? Error))
        })
    }
}

#[pinned_drop]
impl PinnedDrop for Registration {
    fn drop(self: Pin<&mut Self>) {
        for decl in self.decls {
            decl.detach();
        }
        // The core's structures are freed with the fields: the core dropped
        // its reference on the module, so it no longer uses them.
    }
}

/// A livepatch module: its `T`, and `T`'s patch, enabled once `T`'s `init`
/// has succeeded. [`module_livepatch!`](super::module_livepatch) makes one
/// and keeps it, pinned, until the module is removed.
#[pin_data]
pub struct Livepatched<T: Livepatch> {
    // Dropped first: the patch's structures go before `T`.
    #[pin]
    patch: Registration,
    module: T,
}

impl<T: Livepatch> Livepatched<T> {
    /// Runs `T`'s `init`, then enables `T`'s patch; `EBUSY` unless `first`.
    ///
    /// # Safety
    ///
    /// As for [`Registration::new`]: `first` is true only in the first call
    /// of the module's `init`, the loader's, and the result is dropped only
    /// when the module is removed.
    #[doc(hidden)]
    pub unsafe fn new(module: &'static ThisModule, first: bool) -> impl PinInit<Self, Error> {
        pin_init::pin_init_scope(move || {
            if !first {
                return Err(EBUSY);
            }
            let inner = T::init(module)?;
            let replace = inner.replace();
            // SAFETY: this is the module's `init` (the caller's guarantee),
            // whose last fallible step the registration is (an error drops
            // `inner`), and the result is dropped only at the module's exit.
            let patch = unsafe { Registration::new(T::PATCH, replace, module) };
            Ok(try_pin_init!(Self {
                module: inner,
                patch <- patch,
            }? Error))
        })
    }
}
