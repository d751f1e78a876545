// SPDX-License-Identifier: GPL-2.0

//! A directory of read-only attributes in `/sys/kernel`.
//!
//! C header: [`include/linux/kobject.h`](srctree/include/linux/kobject.h)
//!
//! What a livepatch test module uses to report its state, as C modules do
//! with `kobject_create_and_add(name, kernel_kobj)` and a
//! `struct kobj_attribute`:
//!
//! ```ignore
//! fn count_show(f: &mut Formatter<'_>) -> Result {
//!     writeln!(f, "{}", COUNT.load(Relaxed))?;
//!     Ok(())
//! }
//!
//! static COUNT_ATTR: Attribute = Attribute::read_only(c"count", sysfs_show!(count_show));
//!
//! // In `init`, keeping `dir` in the module, which removes it on unload:
//! let dir = KernelDir::new(c"my_module")?;
//! dir.create_file(&COUNT_ATTR)?;
//! ```

// Each test module mounts this file, as `mod <file name>;` at its crate root,
// and uses part of it.
#![allow(dead_code, unreachable_pub, unused_imports, unused_macros)]

use core::ptr::{
    self,
    NonNull, //
};
use kernel::{
    bindings,
    error::{
        from_result,
        to_result, //
    },
    ffi,
    prelude::*,
    str::Formatter,
    types::Opaque, //
};

/// C `ssize_t show(struct kobject *, struct kobj_attribute *, char *buf)`.
pub type ShowFn =
    extern "C" fn(*mut bindings::kobject, *mut bindings::kobj_attribute, *mut ffi::c_char) -> isize;

/// A show function made by [`sysfs_show!`], for [`Attribute::read_only`].
///
/// It hides the function: made by [`sysfs_show!`], it trusts its arguments
/// to be those sysfs passes, so only sysfs may call it.
#[derive(Clone, Copy)]
pub struct Show(ShowFn);

impl Show {
    /// See [`sysfs_show!`].
    #[doc(hidden)]
    pub const fn new(f: ShowFn) -> Self {
        Self(f)
    }
}

/// Runs `f` on `buf`, the buffer of a sysfs show call less its last byte
/// (sysfs warns if the text fills the page), and returns what the show
/// function returns: the length of the text, or a negative errno.
#[doc(hidden)]
pub fn show(buf: &mut [u8], f: impl FnOnce(&mut Formatter<'_>) -> Result) -> isize {
    let mut fmt = Formatter::new(buf);
    // `Formatter` fails rather than writing past the buffer, so the length
    // fits in an `isize`.
    from_result(|| f(&mut fmt).map(|()| fmt.bytes_written() as isize))
}

/// Makes a [`Show`] from `f: fn(&mut Formatter<'_>) -> Result`, which writes
/// the text of the attribute.
///
/// An error from `f`, including text longer than a page, is returned to the
/// reader as a negative errno.
macro_rules! sysfs_show {
    ($f:path) => {{
        extern "C" fn show(
            _kobj: *mut ::kernel::bindings::kobject,
            _attr: *mut ::kernel::bindings::kobj_attribute,
            buf: *mut ::kernel::ffi::c_char,
        ) -> isize {
            // SAFETY: this is the show function of a `kobj_attribute` in a
            // kobject of `kobj_sysfs_ops` (`KernelDir`), which sysfs calls
            // with a zeroed `PAGE_SIZE` buffer of its own, used by nothing
            // else until this returns (`sysfs_kf_seq_show()`).
            let buf = unsafe {
                ::core::slice::from_raw_parts_mut(buf.cast::<u8>(), ::kernel::page::PAGE_SIZE - 1)
            };
            $crate::sysfs::show(buf, $f)
        }
        $crate::sysfs::Show::new(show)
    }};
}
pub(crate) use sysfs_show;

/// A read-only file of a [`KernelDir`] (C: `struct kobj_attribute`).
///
/// # Invariants
///
/// `name` is a `'static` C string, `mode` is 0444 and `store` is `None`.
#[repr(transparent)]
pub struct Attribute(Opaque<bindings::kobj_attribute>);

// SAFETY: Rust never accesses an `Attribute` after building it; sysfs only
// reads it.
unsafe impl Sync for Attribute {}

impl Attribute {
    /// The file `name`, readable by all, whose text `show` writes
    /// (C: `__ATTR_RO`).
    pub const fn read_only(name: &'static CStr, show: Show) -> Self {
        // Zeroed: with `CONFIG_DEBUG_LOCK_ALLOC`, `struct attribute` has
        // lockdep fields, which must be zero for a static attribute.
        let mut attr: bindings::kobj_attribute = pin_init::zeroed();
        attr.attr.name = kernel::str::as_char_ptr_in_const_context(name);
        attr.attr.mode = 0o444;
        // Since 7.3, `show` shares an anonymous union (a struct with
        // `CONFIG_CFI`) with `show_const`; `Kbuild` sets the cfg from the
        // kernel's own bindings.
        #[cfg(not(klp_kobj_attribute_anon))]
        {
            attr.show = Some(show.0);
        }
        #[cfg(klp_kobj_attribute_anon)]
        {
            attr.__bindgen_anon_1.show = Some(show.0);
        }
        // INVARIANT: the fields are set as documented, `store` is zero.
        Self(Opaque::new(attr))
    }
}

/// The directory `/sys/kernel/<name>`, removed when dropped.
///
/// Drop it before the module is unloaded, e.g. by keeping it in the module's
/// struct: its files call the module's show functions.
///
/// # Invariants
///
/// `kobj` is a kobject made by `kobject_create_and_add()` under
/// `kernel_kobj`, on which this holds the reference it returned, and whose
/// files are all [`Attribute`]s.
pub struct KernelDir {
    kobj: NonNull<bindings::kobject>,
}

// SAFETY: `KernelDir` is a handle on a kobject, which may be used and
// released from any task; sysfs serialises the creation of files.
unsafe impl Send for KernelDir {}
// SAFETY: as above.
unsafe impl Sync for KernelDir {}

impl KernelDir {
    /// Creates the empty directory `/sys/kernel/<name>`
    /// (C: `kobject_create_and_add(name, kernel_kobj)`).
    pub fn new(name: &CStr) -> Result<Self> {
        // SAFETY: `kernel_kobj` is set at boot by `ksysfs_init()`, a core
        // initcall, before any module is loaded, and never written again.
        let parent = unsafe { bindings::kernel_kobj };
        // SAFETY: `name` is a valid C string, which the kobject copies;
        // `parent` is a valid kobject.
        let kobj = unsafe { bindings::kobject_create_and_add(name.as_char_ptr(), parent) };
        // INVARIANT: on success `kobj` is a new kobject under `kernel_kobj`
        // with one reference, ours, and no files.
        NonNull::new(kobj).map(|kobj| Self { kobj }).ok_or(ENOMEM)
    }

    /// Adds `attr` as a file of the directory (C: `sysfs_create_file()`).
    pub fn create_file(&self, attr: &'static Attribute) -> Result {
        // INVARIANT: the new file is an `Attribute`.
        // SAFETY: `kobj` is valid (type invariant). `attr` is a valid
        // `kobj_attribute` (type invariant of `Attribute`), `'static`, and
        // the file is removed, at the latest, when `self` is dropped.
        to_result(unsafe {
            bindings::sysfs_create_file_ns(
                self.kobj.as_ptr(),
                &raw const (*attr.0.get()).attr,
                ptr::null(),
            )
        })
    }
}

impl Drop for KernelDir {
    fn drop(&mut self) {
        let kobj = self.kobj.as_ptr();
        // `kobject_del()` removes the directory and its files now, waiting
        // for show calls in progress: the final `kobject_put()` may be
        // deferred (`CONFIG_DEBUG_KOBJECT_RELEASE`) past the module's unload.
        // SAFETY: `kobj` is valid and in sysfs (type invariant).
        unsafe { bindings::kobject_del(kobj) };
        // SAFETY: this drops the reference we hold (type invariant); the
        // kobject's release function is the kobject core's.
        unsafe { bindings::kobject_put(kobj) };
    }
}
