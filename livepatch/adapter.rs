// SPDX-License-Identifier: GPL-2.0

//! Replacement functions: safe Rust functions behind the C prototype of the
//! function they replace.
//!
//! The livepatch core redirects a C function to its replacement without
//! knowing either prototype. [`new_func!`] makes the replacement: an
//! `extern "C"` function of one C prototype that converts each C argument
//! to the Rust type the safe function takes ([`Arg`]), calls it, and
//! converts what it returns ([`Ret`]). Which C prototype that is follows
//! from the Rust types ([`CType`]); that the replaced function has it is
//! what [`Func::vmlinux`](super::Func::vmlinux) asks its caller to assert.
//!
//! ```
//! use kernel::{
//!     ffi::c_void,
//!     livepatch::{
//!         self,
//!         Func, //
//!     },
//!     prelude::*,
//!     seq_file::SeqFile,
//!     seq_print, //
//! };
//!
//! fn show(m: &SeqFile, _v: *mut c_void) -> Result {
//!     seq_print!(m, "patched\n");
//!     Ok(())
//! }
//!
//! static FUNCS: [Func; 1] = [
//!     // SAFETY: fs/proc/version.c: `static int version_proc_show(struct
//!     // seq_file *m, void *v)`, the prototype made from these types.
//!     unsafe {
//!         Func::vmlinux(
//!             c"version_proc_show",
//!             livepatch::new_func!(show: fn(m: &SeqFile, v: *mut c_void) -> Result),
//!         )
//!     },
//! ];
//! ```

use super::SharedData;
use core::marker::PhantomData;
use kernel::{
    error::from_result,
    ffi,
    prelude::*,
    seq_file::SeqFile, //
};

/// The address of a replacement function, for [`Func::vmlinux`] and
/// [`Func::module`]: made by [`new_func!`] or an adapter built on it.
///
/// [`Func::vmlinux`]: super::Func::vmlinux
/// [`Func::module`]: super::Func::module
#[derive(Clone, Copy)]
pub struct NewFunc {
    func: *const ffi::c_void,
    /// The kinds ([`CType::KIND`]) of its result, then of its arguments;
    /// empty for a replacement of a Rust function.
    prototype: &'static [&'static str],
}

// SAFETY: a function's address may be used from any thread.
unsafe impl Send for NewFunc {}
// SAFETY: as for `Send`.
unsafe impl Sync for NewFunc {}

impl NewFunc {
    /// The function at `f`, of the C prototype `prototype` describes (the
    /// kinds of its result and arguments, as [`CType::KIND`]), for
    /// [`new_func!`].
    ///
    /// # Safety
    ///
    /// `f` is the address of an `extern "C"` function whose C prototype is
    /// the one [`new_func!`] documents for its types.
    #[doc(hidden)]
    #[inline]
    pub const unsafe fn from_ptr(
        f: *const ffi::c_void,
        prototype: &'static [&'static str],
    ) -> Self {
        Self { func: f, prototype }
    }

    /// The address, for the core's `klp_func`.
    pub(super) fn as_ptr(self) -> *mut ffi::c_void {
        self.func.cast_mut()
    }

    /// The kinds of its result and arguments.
    pub(super) const fn prototype(&self) -> &'static [&'static str] {
        self.prototype
    }
}

/// Returns `r` once the call that computed it has returned: every
/// replacement made by [`new_func!`] ends with it.
///
/// The core finds the tasks that still run a patch by its new functions on
/// their stacks. A tail call from the replacement into other code of the
/// module would leave the replacement's frame while that code runs, and let
/// unpatching complete, and the module go, under it. The assembly block
/// below takes `r`, so it runs after the call that computed `r` has
/// returned, and the compiler keeps it: the call cannot be a tail call.
#[doc(hidden)]
#[inline(always)]
pub fn keep_frame<T>(r: T) -> T {
    // SAFETY: an assembly block without instructions, which reads the
    // address of `r` and touches no other register, flag, or the stack.
    unsafe {
        core::arch::asm!("/* {0} */", in(reg) &raw const r, options(nostack, preserves_flags))
    };
    r
}

/// The call of a replacement function: what its arguments borrow, so that
/// no reference made from a C argument outlives the call.
#[doc(hidden)]
pub struct Call(PhantomData<*mut ()>);

impl Call {
    /// A call of a replacement made by [`new_func!`].
    #[doc(hidden)]
    #[inline]
    pub fn new() -> Self {
        Self(PhantomData)
    }
}

/// The C type of an argument of a replacement's prototype, for the Rust
/// type that stands for it ([`Arg`]).
pub trait CType {
    /// The C type, as an FFI type.
    type C;

    /// The C type as the kernel's BTF describes it, for a check of the
    /// prototype when the module is built: `"void"`, `"bool"`,
    /// `"int <size> <s|u>"`, `"ptr void"`, `"ptr struct <name>"`, or `"ptr"`
    /// for any pointer.
    const KIND: &'static str;
}

/// [`CType::KIND`] of an integer of `size` bytes.
#[doc(hidden)]
pub const fn int_kind(size: usize, signed: bool) -> &'static str {
    match (size, signed) {
        (1, true) => "int 1 s",
        (1, false) => "int 1 u",
        (2, true) => "int 2 s",
        (2, false) => "int 2 u",
        (4, true) => "int 4 s",
        (4, false) => "int 4 u",
        (8, true) => "int 8 s",
        (8, false) => "int 8 u",
        _ => panic!("no C integer of this size"),
    }
}

/// A type a replacement function takes for one argument of the C function
/// it replaces.
///
/// # Safety
///
/// [`Arg::from_c`] makes a valid `Self`, used only during the call
/// `'call`, from any value that the C callers of a function with an argument
/// of type [`CType::C`] pass, provided they pass what the implementation
/// documents (a valid `seq_file`, ...).
pub unsafe trait Arg<'call>: CType + Sized {
    /// The Rust value of the C argument `c`.
    ///
    /// # Safety
    ///
    /// `c` is an argument of a call of the replaced function, whose callers
    /// pass what the implementation documents, and `call` is that call's.
    unsafe fn from_c(c: Self::C, call: &'call Call) -> Self;
}

/// A type a replacement function returns, for the C return type.
///
/// # Safety
///
/// Every value [`Ret::into_c`] returns is one that the implementation
/// documents, and that callers of a C function returning [`Ret::C`] with
/// that documented meaning accept.
pub unsafe trait Ret {
    /// The C return type, as an FFI type.
    type C;

    /// The C return type as [`CType::KIND`] describes one.
    const KIND: &'static str;

    /// The C value of `self`.
    fn into_c(self) -> Self::C;
}

macro_rules! impl_plain {
    ($($t:ty),*) => {
        $(
            impl CType for $t {
                type C = $t;
                const KIND: &'static str = int_kind(core::mem::size_of::<$t>(), <$t>::MIN != 0);
            }

            // SAFETY: every value of the C type is a valid value of the
            // same Rust type.
            unsafe impl<'call> Arg<'call> for $t {
                #[inline]
                unsafe fn from_c(c: $t, _call: &'call Call) -> Self {
                    c
                }
            }

            // SAFETY: any value of the C type (a caller of the replaced
            // function must accept all of them: see `Func::vmlinux`).
            unsafe impl Ret for $t {
                type C = $t;
                const KIND: &'static str = int_kind(core::mem::size_of::<$t>(), <$t>::MIN != 0);

                #[inline]
                fn into_c(self) -> $t {
                    self
                }
            }
        )*
    };
}
// Integers of the size of an `int` or larger.
impl_plain!(i32, u32, i64, u64, isize, usize);

macro_rules! impl_narrow {
    ($($t:ty => $c:ty),*) => {
        $(
            /// Passed as an `int`: a C caller built by GCC need not extend
            /// it to more bits, which Rust would assume it did.
            impl CType for $t {
                type C = $c;
                const KIND: &'static str = int_kind(core::mem::size_of::<$t>(), <$t>::MIN != 0);
            }

            // SAFETY: the low bits of any `int` are a valid value.
            unsafe impl<'call> Arg<'call> for $t {
                #[inline]
                unsafe fn from_c(c: $c, _call: &'call Call) -> Self {
                    c as $t
                }
            }

            // SAFETY: any value of the C type (see `impl_plain!`).
            unsafe impl Ret for $t {
                type C = $t;
                const KIND: &'static str = int_kind(core::mem::size_of::<$t>(), <$t>::MIN != 0);

                #[inline]
                fn into_c(self) -> $t {
                    self
                }
            }
        )*
    };
}
impl_narrow!(i8 => ffi::c_int, u8 => ffi::c_uint, i16 => ffi::c_int, u16 => ffi::c_uint);

/// C `bool`, passed as an `int` (see `impl_narrow!`).
impl CType for bool {
    type C = ffi::c_uint;
    const KIND: &'static str = "bool";
}

// SAFETY: any `int`: its low byte, which C's `bool` sets to 0 or 1, says it.
unsafe impl<'call> Arg<'call> for bool {
    #[inline]
    unsafe fn from_c(c: ffi::c_uint, _call: &'call Call) -> Self {
        c as u8 != 0
    }
}

// SAFETY: `false` or `true`, what any caller accepts.
unsafe impl Ret for bool {
    type C = bool;
    const KIND: &'static str = "bool";

    #[inline]
    fn into_c(self) -> bool {
        self
    }
}

/// A pointer a replacement gets, and cannot dereference without `unsafe`.
impl<T> CType for *mut T {
    type C = *mut T;
    const KIND: &'static str = "ptr";
}

// SAFETY: any pointer is a valid raw pointer.
unsafe impl<'call, T> Arg<'call> for *mut T {
    #[inline]
    unsafe fn from_c(c: *mut T, _call: &'call Call) -> Self {
        c
    }
}

/// As for `*mut T`.
impl<T> CType for *const T {
    type C = *const T;
    const KIND: &'static str = "ptr";
}

// SAFETY: any pointer is a valid raw pointer.
unsafe impl<'call, T> Arg<'call> for *const T {
    #[inline]
    unsafe fn from_c(c: *const T, _call: &'call Call) -> Self {
        c
    }
}

/// C `void`.
// SAFETY: nothing is returned.
unsafe impl Ret for () {
    type C = ();
    const KIND: &'static str = "void";

    #[inline]
    fn into_c(self) {}
}

/// C `int`, 0 on success or a negative errno.
// SAFETY: 0, or a negative errno, what a caller of a function that returns
// 0 or an error accepts.
unsafe impl Ret for Result {
    type C = ffi::c_int;
    const KIND: &'static str = "int 4 s";

    #[inline]
    fn into_c(self) -> ffi::c_int {
        from_result(|| self.map(|()| 0))
    }
}

/// C `int`, any value or a negative errno.
// SAFETY: any value of the C type (see `impl_plain!`).
unsafe impl Ret for Result<ffi::c_int> {
    type C = ffi::c_int;
    const KIND: &'static str = "int 4 s";

    #[inline]
    fn into_c(self) -> ffi::c_int {
        from_result(|| self)
    }
}

/// C `T *`, non-NULL, of a `kmalloc()`ed `T` that the callee owns.
impl<T: SharedData> CType for KBox<T> {
    type C = *mut T;
    const KIND: &'static str = "ptr";
}

// SAFETY: for a non-NULL pointer that its callers allocated with `kmalloc()`
// (or as a `KBox`), as a `T`, and hand over to the callee, which frees it,
// `KBox::from_raw()` gives the owning `KBox`.
unsafe impl<'call, T: SharedData> Arg<'call> for KBox<T> {
    #[inline]
    unsafe fn from_c(c: *mut T, _call: &'call Call) -> Self {
        // SAFETY: by the function's safety requirements.
        unsafe { KBox::from_raw(c) }
    }
}

/// C `T *`, NULL or as for `KBox<T>`.
impl<T: SharedData> CType for Option<KBox<T>> {
    type C = *mut T;
    const KIND: &'static str = "ptr";
}

// SAFETY: as for `KBox<T>`, or NULL.
unsafe impl<'call, T: SharedData> Arg<'call> for Option<KBox<T>> {
    #[inline]
    unsafe fn from_c(c: *mut T, _call: &'call Call) -> Self {
        // SAFETY: by the function's safety requirements.
        (!c.is_null()).then(|| unsafe { KBox::from_raw(c) })
    }
}

/// C `T *`, NULL for `None`, of a `kmalloc()`ed `T` that the caller takes
/// over and frees with `kfree()`.
// SAFETY: NULL, or a `kmalloc()`ed `T` (a `KBox`) that nothing else owns.
unsafe impl<T: SharedData> Ret for Option<KBox<T>> {
    type C = *mut T;
    const KIND: &'static str = "ptr";

    #[inline]
    fn into_c(self) -> *mut T {
        self.map_or(core::ptr::null_mut(), KBox::into_raw)
    }
}

/// C `struct seq_file *`.
impl CType for &SeqFile {
    type C = *mut kernel::bindings::seq_file;
    const KIND: &'static str = "ptr struct seq_file";
}

// SAFETY: for a `seq_file` that its callers do not use elsewhere until the
// call returns, as the seq_file core does with show and iterator functions,
// `SeqFile::from_raw()` gives a reference valid for the call.
unsafe impl<'call> Arg<'call> for &'call SeqFile {
    #[inline]
    unsafe fn from_c(c: *mut kernel::bindings::seq_file, _call: &'call Call) -> Self {
        // SAFETY: by the function's safety requirements.
        unsafe { SeqFile::from_raw(c) }
    }
}

/// Makes a [`NewFunc`] that replaces a C function by the safe Rust function
/// `$f` (its name, or a path in parentheses), given its type with named
/// arguments: `new_func!(f: fn(m: &SeqFile, v: *mut c_void) -> Result)`.
///
/// The replacement is an `extern "C"` function that takes, for each
/// argument, its type's [`CType::C`], and returns its return type's
/// [`Ret::C`] (C `void` if there is none). It converts the arguments with
/// [`Arg`], calls `$f` and converts its result with [`Ret`]. References it makes from C
/// arguments are valid for the call only: a function that would keep one
/// (`&'static SeqFile`) does not build.
#[macro_export]
macro_rules! klp_new_func {
    ($f:tt: fn($($arg:ident: $ty:ty),* $(,)?) -> $ret:ty) => {{
        // The function as one of the type declared: it must take its
        // references for any lifetime, so for the call only.
        const __KLP_F: fn($($ty),*) -> $ret = $f;
        extern "C" fn __klp_new_func(
            $($arg: <$ty as $crate::livepatch::CType>::C),*
        ) -> <$ret as $crate::livepatch::Ret>::C {
            // Unused by a function without arguments.
            #[allow(unused_variables)]
            let call = $crate::livepatch::Call::new();
            $crate::livepatch::keep_frame($crate::livepatch::Ret::into_c(__KLP_F($(
                // SAFETY: the function this replaces has the C prototype
                // made of these types and its callers pass what each type's
                // `Arg` requires (what the caller of `Func::vmlinux` or
                // `Func::module` asserts); `call` is this call's.
                unsafe { $crate::livepatch::Arg::from_c($arg, &call) }
            ),*)))
        }
        // A `const` of its own: not within an `unsafe` block of the caller.
        const __KLP_NEW_FUNC: $crate::livepatch::NewFunc =
            // SAFETY: `__klp_new_func` is an `extern "C"` function of the
            // prototype documented above.
            unsafe {
                $crate::livepatch::NewFunc::from_ptr(
                    __klp_new_func as *const ::kernel::ffi::c_void,
                    &[
                        <$ret as $crate::livepatch::Ret>::KIND,
                        $(<$ty as $crate::livepatch::CType>::KIND),*
                    ],
                )
            };
        __KLP_NEW_FUNC
    }};
    ($f:tt: fn($($arg:ident: $ty:ty),* $(,)?)) => {
        $crate::livepatch::new_func!($f: fn($($arg: $ty),*) -> ())
    };
}
pub use klp_new_func as new_func;

/// Makes a [`NewFunc`] that replaces a C seq_file show function,
/// `int show(struct seq_file *m, void *v)`, by `f: fn(&SeqFile) -> Result`.
///
/// An error from `f` is returned to the seq_file core as a negative errno.
#[macro_export]
macro_rules! klp_seq_show {
    ($f:tt) => {{
        fn __klp_show(
            m: &::kernel::seq_file::SeqFile,
            _v: *mut ::kernel::ffi::c_void,
        ) -> ::kernel::error::Result {
            const __KLP_F: fn(&::kernel::seq_file::SeqFile) -> ::kernel::error::Result = $f;
            __KLP_F(m)
        }
        $crate::livepatch::new_func!(
            __klp_show: fn(
                m: &::kernel::seq_file::SeqFile,
                v: *mut ::kernel::ffi::c_void,
            ) -> ::kernel::error::Result
        )
    }};
}
pub use klp_seq_show as seq_show;

/// Makes a [`NewFunc`] that replaces a C work function,
/// `void fn(struct work_struct *work)`, by `f: fn()`, which does not get
/// the work item: its container is the patched code's business.
#[macro_export]
macro_rules! klp_work_fn {
    ($f:tt) => {{
        fn __klp_work(_work: *mut ::kernel::bindings::work_struct) {
            const __KLP_F: fn() = $f;
            __KLP_F()
        }
        $crate::livepatch::new_func!(
            __klp_work: fn(work: *mut ::kernel::bindings::work_struct)
        )
    }};
}
pub use klp_work_fn as work_fn;
