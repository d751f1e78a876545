// SPDX-License-Identifier: GPL-2.0

//! Safe declarations of kernel livepatches.
//!
//! C header: [`include/linux/livepatch.h`](srctree/include/linux/livepatch.h)
//!
//! This module is the only code that knows the raw `klp_*` structures. A
//! livepatch declares what it patches as statics, as the C sample does with
//! `funcs[]`, `objs[]` and `patch`, and enables the patch from its `init`:
//!
//! ```ignore
//! fn livepatch_cmdline_proc_show(m: &SeqFile) -> Result {
//!     seq_print!(m, "this has been live patched\n");
//!     Ok(())
//! }
//!
//! static FUNCS: Funcs<1> = Funcs::new([Func::new(
//!     c"cmdline_proc_show",
//!     seq_show!(livepatch_cmdline_proc_show),
//! )]);
//! static OBJS: Objects<1> = Objects::new([Object::vmlinux(&FUNCS)]);
//! static PATCH: Patch = Patch::new(&OBJS);
//!
//! impl kernel::Module for SamplePatch {
//!     fn init(module: &'static ThisModule) -> Result<Self> {
//!         PATCH.enable(module)?;
//!         Ok(SamplePatch)
//!     }
//! }
//! ```
//!
//! The module must also carry `livepatch=Y` in its modinfo, which
//! [`modinfo_livepatch!`] adds, and be GPL: `klp_enable_patch()` is GPL-only.
//!
//! What Rust cannot check, any more than C can: that the C function named in
//! a [`Func`] has the prototype of the adapter macro that made its
//! replacement ([`seq_show!`], ...). The livepatch author checks that against
//! the kernel source, as for a C livepatch.
//!
//! Mount this directory as `mod livepatch;` at the crate root: its macros
//! refer to `$crate::livepatch`.

// External modules cannot share a Rust crate, so each livepatch module
// compiles its own copy of this layer and uses part of it. Its items are
// written as the public API they would be in the `kernel` crate.
#![allow(dead_code, unreachable_pub, unused_imports, unused_macros)]

use core::ptr;
use kernel::{
    error::to_result,
    ffi,
    prelude::*,
    str::as_char_ptr_in_const_context,
    sync::atomic::{
        Atomic,
        Full,
        Relaxed, //
    },
    types::Opaque, //
};

pub(crate) mod bindings;
mod callbacks;
pub mod shadow;
mod state;
pub mod syscall;

pub use callbacks::{
    Callbacks,
    LoadedModule,
    ModuleState,
    PatchedObject, //
};
pub use state::{
    State,
    States, //
};

/// The address of a replacement function, for [`Func::new`].
///
/// Made by the adapter macros ([`seq_show!`], ...), each of which turns a safe
/// Rust function into an `extern "C"` function of one C prototype.
#[derive(Clone, Copy)]
pub struct NewFunc(*const ffi::c_void);

/// A C `int show(struct seq_file *m, void *v)` function.
pub type SeqShowFn = extern "C" fn(*mut kernel::bindings::seq_file, *mut ffi::c_void) -> ffi::c_int;

impl NewFunc {
    /// The `extern "C"` function at `f`, for adapter macros outside this
    /// module (such as those of a test target's functions).
    pub const fn from_ptr(f: *const ffi::c_void) -> Self {
        Self(f)
    }

    /// A replacement for a seq_file show function; see [`seq_show!`].
    pub const fn seq_show(f: SeqShowFn) -> Self {
        Self(f as *const ffi::c_void)
    }
}

/// A C `void fn(struct work_struct *work)` function.
pub type WorkFn = extern "C" fn(*mut kernel::bindings::work_struct);

impl NewFunc {
    /// A replacement for a work item's function; see [`work_fn!`].
    pub const fn work(f: WorkFn) -> Self {
        Self(f as *const ffi::c_void)
    }
}

/// Makes a [`NewFunc`] that replaces a C work function,
/// `void fn(struct work_struct *work)`, by `f: fn()`, which does not get
/// the work item: its container is the patched module's business.
macro_rules! work_fn {
    ($f:path) => {{
        extern "C" fn work(_work: *mut ::kernel::bindings::work_struct) {
            $f()
        }
        $crate::livepatch::NewFunc::work(work)
    }};
}
pub(crate) use work_fn;

/// Makes a [`NewFunc`] that replaces a C seq_file show function,
/// `int show(struct seq_file *m, void *v)`, by `f: fn(&SeqFile) -> Result`.
///
/// An error from `f` is returned to the seq_file core as a negative errno.
macro_rules! seq_show {
    ($f:path) => {{
        extern "C" fn show(
            m: *mut ::kernel::bindings::seq_file,
            _v: *mut ::kernel::ffi::c_void,
        ) -> ::kernel::ffi::c_int {
            // SAFETY: the seq_file core calls a show function with a valid
            // `seq_file` that no other thread uses until the call returns.
            let m = unsafe { ::kernel::seq_file::SeqFile::from_raw(m) };
            ::kernel::error::from_result(|| $f(m).map(|()| 0))
        }
        $crate::livepatch::NewFunc::seq_show(show)
    }};
}
pub(crate) use seq_show;

/// Marks the module as a livepatch (C: `MODULE_INFO(livepatch, "Y")`);
/// `klp_enable_patch()` refuses modules without it.
macro_rules! modinfo_livepatch {
    () => {
        // Same form as the modinfo entries of `module!`.
        #[cfg(MODULE)]
        #[link_section = ".modinfo"]
        #[used(compiler)]
        static __MODINFO_LIVEPATCH: [u8; 12] = *b"livepatch=Y\0";
    };
}
pub(crate) use modinfo_livepatch;

/// A function to replace (C: `struct klp_func`).
///
/// # Invariants
///
/// `old_name` points to a `'static` C string and `new_func` came from a
/// [`NewFunc`]; the other fields are zero until the livepatch core owns it.
#[repr(transparent)]
pub struct Func(Opaque<bindings::klp_func>);

// SAFETY: Rust never accesses a `Func` after building it; the livepatch core
// does, under its `klp_mutex`.
unsafe impl Sync for Func {}

impl Func {
    /// Redirects calls of the C function `old_name` to `new_func`.
    ///
    /// `old_name` must be unique in its object's kallsyms.
    pub const fn new(old_name: &'static CStr, new_func: NewFunc) -> Self {
        Self::new_sympos(old_name, new_func, 0)
    }

    /// As [`Func::new`], for the `sympos`-th (from 1) of several
    /// functions named `old_name` in kallsyms.
    pub const fn new_sympos(old_name: &'static CStr, new_func: NewFunc, sympos: usize) -> Self {
        // INVARIANT: the fields are set as documented.
        Self(Opaque::new(bindings::klp_func {
            old_name: as_char_ptr_in_const_context(old_name),
            new_func: new_func.0.cast_mut(),
            old_sympos: sympos,
            ..pin_init::zeroed()
        }))
    }
}

/// `N` [`Func`]s and the empty entry that ends them, as C expects.
#[repr(C)]
pub struct Funcs<const N: usize> {
    funcs: [Func; N],
    end: Func,
}

impl<const N: usize> Funcs<N> {
    /// The functions of one object.
    pub const fn new(funcs: [Func; N]) -> Self {
        Self {
            funcs,
            end: Func(Opaque::zeroed()),
        }
    }
}

/// The kernel itself or a module, and the functions to patch in it
/// (C: `struct klp_object`).
#[repr(transparent)]
pub struct Object(Opaque<bindings::klp_object>);

// SAFETY: as for `Func`.
unsafe impl Sync for Object {}

impl Object {
    /// Functions of vmlinux (C: `.name = NULL`).
    pub const fn vmlinux<const N: usize>(funcs: &'static Funcs<N>) -> Self {
        Self::new(ptr::null(), funcs, pin_init::zeroed())
    }

    /// Functions of the module `name`, patched whenever it is loaded.
    pub const fn module<const N: usize>(name: &'static CStr, funcs: &'static Funcs<N>) -> Self {
        Self::new(
            as_char_ptr_in_const_context(name),
            funcs,
            pin_init::zeroed(),
        )
    }

    /// As [`Object::vmlinux`], with the callbacks of `C`.
    pub const fn vmlinux_with_callbacks<C: Callbacks, const N: usize>(
        funcs: &'static Funcs<N>,
    ) -> Self {
        Self::new(ptr::null(), funcs, callbacks::raw::<C>())
    }

    /// As [`Object::module`], with the callbacks of `C`.
    pub const fn module_with_callbacks<C: Callbacks, const N: usize>(
        name: &'static CStr,
        funcs: &'static Funcs<N>,
    ) -> Self {
        Self::new(
            as_char_ptr_in_const_context(name),
            funcs,
            callbacks::raw::<C>(),
        )
    }

    const fn new<const N: usize>(
        name: *const ffi::c_char,
        funcs: &'static Funcs<N>,
        callbacks: bindings::klp_callbacks,
    ) -> Self {
        Self(Opaque::new(bindings::klp_object {
            name,
            // `Funcs` is `repr(C)` and made of `repr(transparent)` `Func`s:
            // it is an array of `N + 1` `klp_func`s. All of it is inside
            // `Opaque`, so the core may write through this pointer.
            funcs: ptr::from_ref(funcs).cast_mut().cast(),
            callbacks,
            ..pin_init::zeroed()
        }))
    }
}

/// `N` [`Object`]s and the empty entry that ends them, as C expects.
#[repr(C)]
pub struct Objects<const N: usize> {
    objs: [Object; N],
    end: Object,
}

impl<const N: usize> Objects<N> {
    /// The objects of one patch.
    pub const fn new(objs: [Object; N]) -> Self {
        Self {
            objs,
            end: Object(Opaque::zeroed()),
        }
    }
}

/// A livepatch (C: `struct klp_patch`).
///
/// # Invariants
///
/// `objs` and `states` point to `'static` arrays ending in an empty entry
/// ([`Objects`], [`States`]) or, for `states`, are NULL. Once `used` is
/// set, only [`Patch::enable`], once, then the livepatch core touch `patch`.
pub struct Patch {
    patch: Opaque<bindings::klp_patch>,
    objs: *mut bindings::klp_object,
    states: *mut bindings::klp_state,
    replace: Atomic<bool>,
    used: Atomic<bool>,
}

// SAFETY: `enable` hands `patch` to the livepatch core once (`used` makes
// sure) and never touches it again; the core serialises its accesses. The
// pointers are to `'static` data that is `Sync`.
unsafe impl Sync for Patch {}

impl Patch {
    /// A patch of the given objects.
    pub const fn new<const N: usize>(objs: &'static Objects<N>) -> Self {
        // INVARIANT: `Objects` is `repr(C)` and made of `repr(transparent)`
        // `Object`s: an array of `N + 1` `klp_object`s, inside `Opaque`.
        Self {
            patch: Opaque::zeroed(),
            objs: ptr::from_ref(objs).cast_mut().cast(),
            states: ptr::null_mut(),
            replace: Atomic::new(false),
            used: Atomic::new(false),
        }
    }

    /// The patch also declares the system states `states`; see [`State`].
    pub const fn with_states<T: Copy + Send, const N: usize>(
        self,
        states: &'static States<T, N>,
    ) -> Self {
        // INVARIANT: `States` is an array of `N + 1` `klp_state`s.
        Self {
            states: states.as_raw(),
            ..self
        }
    }

    /// The patch replaces all patches enabled before it (atomic replace,
    /// C: `.replace = true`): it is cumulative, and functions it does not
    /// patch go back to their original code.
    pub const fn replacing(self) -> Self {
        Self {
            replace: Atomic::new(true),
            ..self
        }
    }

    /// Sets whether the patch replaces all others, as [`Patch::replacing`],
    /// at run time (e.g. from a module parameter). Has no effect once the
    /// patch is enabled.
    pub fn set_replace(&self, replace: bool) {
        self.replace.store(replace, Relaxed);
    }

    /// Registers the patch and starts the transition to it
    /// (C: `klp_enable_patch()`). Call it from `module`'s `init`.
    ///
    /// The core holds a reference on `module` until the patch is disabled
    /// and freed, so the patch, a static of that module, outlives its use.
    /// Returns `EBUSY` if called twice (with a log line) or, from the core,
    /// while another patch is in transition (the core does not log that).
    pub fn enable(&'static self, module: &'static ThisModule) -> Result {
        if self.used.xchg(true, Full) {
            pr_warn!("the patch was already enabled once\n");
            return Err(EBUSY);
        }
        let patch = self.patch.get();
        // SAFETY: `used` was false, so the core has not seen `patch` yet and
        // nothing else writes it: this is the only access.
        unsafe {
            (*patch).mod_ = module.as_ptr();
            (*patch).objs = self.objs;
            (*patch).states = self.states;
            (*patch).replace = self.replace.load(Relaxed);
        }
        // SAFETY: `patch` is a valid `klp_patch` whose `objs` and their
        // `funcs`, and `states`, are `'static` arrays ending in an empty entry
        // (type invariant), with names from `'static` C strings, replacements
        // from `NewFunc` and callbacks from `Callbacks`. It lives as long as
        // `module`, which the core keeps loaded while it uses the patch.
        to_result(unsafe { bindings::klp_enable_patch(patch) })
    }
}
