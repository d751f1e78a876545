// SPDX-License-Identifier: GPL-2.0

//! Module parameters that `module!` cannot declare yet.
//!
//! C header: [`include/linux/moduleparam.h`](srctree/include/linux/moduleparam.h)
//!
//! `module!` parameters are integers, read-only and absent from sysfs.
//! The tests need three more kinds:
//!
//! - [`module_param_int!`], C's `module_param(name, int, perm)`: an `int`
//!   with a sysfs mode; the callback tests change `pre_patch_ret` of a loaded
//!   livepatch through `/sys/module/<name>/parameters/`.
//! - [`module_param_array!`], C's `module_param_array(name, int, &num, 0)`:
//!   comma-separated ints given when the module is loaded,
//!   `insmod foo.ko name=12,34`, stored in an [`IntArray`]:
//!
//! ```ignore
//! static PIDS: IntArray<8> = IntArray::new();
//! module_param_array! {
//!     name: pids,
//!     array: PIDS,
//!     description: "Pids to watch",
//! }
//!
//! for pid in PIDS.values() { ... }
//! ```
//!
//! - [`module_param_string!`], C's `module_param_string(name, buf, N, 0)`:
//!   a string given when the module is loaded, `insmod foo.ko mode=kthread`,
//!   stored in a [`StrParam`]; the Rust test target takes its `mode` so.
//!
//! The kernel's own C parsers (`param_ops_int`, `param_array_ops`,
//! `param_ops_string`) store the values. They write an array or a string
//! while the module loads, before its `init` runs, from the same task; its
//! permissions are 0, as for `module!`'s parameters, so nothing else writes
//! it. They write an `int`
//! also when its sysfs file is written, under the module's parameter lock,
//! with a plain store: Rust reads it once per use ([`IntParam::get`]), as C
//! code reads such parameters.

// Each test module mounts this file, as `mod <file name>;` at its crate root,
// and uses part of it.
#![allow(dead_code, unreachable_pub, unused_imports, unused_macros)]

use core::cell::UnsafeCell;
use kernel::{
    bindings,
    ffi,
    module_param::KernelParam,
    prelude::*,
    sync::atomic::{
        Atomic,
        Relaxed, //
    }, //
};

/// An `int` set by a parameter declared with [`module_param_int!`].
#[repr(transparent)]
pub struct IntParam(Atomic<i32>);

impl IntParam {
    /// The parameter's value until it is set, for a `static`.
    pub const fn new(default: i32) -> Self {
        Self(Atomic::new(default))
    }

    /// The current value.
    pub fn get(&self) -> i32 {
        self.0.load(Relaxed)
    }
}

/// Up to `N` ints, set by a parameter declared with [`module_param_array!`].
///
/// The values are atomics so that a module may also update them at run time,
/// as upstream's `test_klp_syscall.c` does with its array.
pub struct IntArray<const N: usize> {
    values: [Atomic<i32>; N],
    len: Atomic<u32>,
}

impl<const N: usize> IntArray<N> {
    /// An empty array, for a `static`.
    pub const fn new() -> Self {
        assert!(
            N <= u32::MAX as usize,
            "C counts the values in an unsigned int"
        );
        Self {
            values: [const { Atomic::new(0) }; N],
            len: Atomic::new(0),
        }
    }

    /// The values given on the command line, in order.
    pub fn values(&self) -> &[Atomic<i32>] {
        // C never stores more than `N` values; `min` keeps the slice in
        // bounds without relying on it.
        &self.values[..(self.len.load(Relaxed) as usize).min(N)]
    }

    /// The C description of the array (C: `struct kparam_array`).
    #[doc(hidden)]
    pub const fn kparam_array(&'static self) -> KparamArray {
        KparamArray(bindings::kparam_array {
            max: N as u32,
            elemsize: size_of::<ffi::c_int>() as u32,
            // `Atomic<T>` has the layout of `T` and allows writes through
            // these pointers (it is an `UnsafeCell`).
            num: self.len.as_ptr(),
            ops: &raw const bindings::param_ops_int,
            elem: self.values.as_ptr().cast_mut().cast(),
        })
    }
}

impl<const N: usize> Default for IntArray<N> {
    fn default() -> Self {
        Self::new()
    }
}

/// A string of fewer than `N` bytes, set by a parameter declared with
/// [`module_param_string!`].
pub struct StrParam<const N: usize>(UnsafeCell<[u8; N]>);

// SAFETY: C writes the buffer only while the module is being loaded, before
// its `init` runs, from the loading task (the parameter has no sysfs file);
// Rust code of the module, which runs after that, only reads it.
unsafe impl<const N: usize> Sync for StrParam<N> {}

impl<const N: usize> StrParam<N> {
    /// The parameter's value until it is set, for a `static`.
    pub const fn new(default: &str) -> Self {
        let bytes = default.as_bytes();
        assert!(bytes.len() < N, "the default and its NUL must fit");
        assert!(N <= u32::MAX as usize, "C has the size as an unsigned int");
        let mut buf = [0; N];
        let mut i = 0;
        while i < bytes.len() {
            buf[i] = bytes[i];
            i += 1;
        }
        Self(UnsafeCell::new(buf))
    }

    /// The value, without its NUL.
    pub fn get(&self) -> &[u8] {
        // SAFETY: nothing writes the buffer any more (see `Sync`).
        let buf = unsafe { &*self.0.get() };
        // `new` and C (`param_set_copystring()`) leave a NUL within `N`.
        buf.split(|&b| b == 0).next().unwrap_or(&[])
    }

    /// The C description of the buffer (C: `struct kparam_string`).
    #[doc(hidden)]
    pub const fn kparam_string(&'static self) -> KparamString {
        KparamString(bindings::kparam_string {
            maxlen: N as u32,
            string: self.0.get().cast(),
        })
    }
}

/// A `struct kparam_string`, in a `static` made by [`module_param_string!`].
#[doc(hidden)]
#[repr(transparent)]
pub struct KparamString(bindings::kparam_string);

// SAFETY: Rust never accesses it; the C parameter code reads it, and writes
// the `StrParam` it points to, only while the module is being loaded.
unsafe impl Sync for KparamString {}

/// A `struct kparam_array`, in a `static` made by [`module_param_array!`].
#[doc(hidden)]
#[repr(transparent)]
pub struct KparamArray(bindings::kparam_array);

// SAFETY: Rust never accesses it; the C parameter code reads it, and writes
// the `IntArray` it points to, only while the module is being loaded.
unsafe impl Sync for KparamArray {}

/// Parameter `name` of the module `module`, parsed by `ops` into `arg`, with
/// sysfs mode `perm`, for the `__param` section, where the module loader
/// looks for parameters.
const fn kernel_param(
    name: &'static CStr,
    module: *mut bindings::module,
    ops: *const bindings::kernel_param_ops,
    perm: u16,
    arg: bindings::kernel_param__bindgen_ty_1,
) -> KernelParam {
    KernelParam::new(bindings::kernel_param {
        name: kernel::str::as_char_ptr_in_const_context(name),
        mod_: module,
        ops,
        perm,
        level: -1,
        flags: 0,
        __bindgen_anon_1: arg,
    })
}

/// Parameter `name` of the module `module` that sets `value`, with sysfs
/// mode `perm`.
#[doc(hidden)]
pub const fn int_param(
    name: &'static CStr,
    module: *mut bindings::module,
    value: &'static IntParam,
    perm: u16,
) -> KernelParam {
    // `Atomic<i32>` has the layout of `int` and allows writes through this
    // pointer (it is an `UnsafeCell`).
    let arg = bindings::kernel_param__bindgen_ty_1 {
        arg: value.0.as_ptr().cast(),
    };
    kernel_param(name, module, &raw const bindings::param_ops_int, perm, arg)
}

/// Parameter `name` of the module `module` that sets `array`; not in sysfs
/// (C: `perm` 0), parsed when the module is loaded.
#[doc(hidden)]
pub const fn array_param(
    name: &'static CStr,
    module: *mut bindings::module,
    array: &'static KparamArray,
) -> KernelParam {
    let arg = bindings::kernel_param__bindgen_ty_1 { arr: &array.0 };
    kernel_param(name, module, &raw const bindings::param_array_ops, 0, arg)
}

/// Parameter `name` of the module `module` that sets `string`; not in sysfs
/// (C: `perm` 0), parsed when the module is loaded.
#[doc(hidden)]
pub const fn string_param(
    name: &'static CStr,
    module: *mut bindings::module,
    string: &'static KparamString,
) -> KernelParam {
    let arg = bindings::kernel_param__bindgen_ty_1 { str_: &string.0 };
    kernel_param(name, module, &raw const bindings::param_ops_string, 0, arg)
}

/// `s`, a string ending in NUL, as an array for the `.modinfo` section.
#[doc(hidden)]
pub const fn modinfo<const N: usize>(s: &str) -> [u8; N] {
    match s.as_bytes().first_chunk() {
        Some(a) if s.len() == N => *a,
        _ => panic!("`N` is not the length of `s`"),
    }
}

/// Emits the `.modinfo` entries that `modinfo` reads for the parameter
/// `name` of type `ptype` (C: the `__MODULE_PARM_TYPE()` of `module_param()`,
/// and `MODULE_PARM_DESC()`).
macro_rules! modinfo_parm {
    ($name:ident, $ptype:literal, $desc:literal) => {
        const PARMTYPE: &str = concat!("parmtype=", stringify!($name), ":", $ptype, "\0");
        #[link_section = ".modinfo"]
        #[used(compiler)]
        static MODINFO_PARMTYPE: [u8; PARMTYPE.len()] = $crate::param::modinfo(PARMTYPE);

        const PARM: &str = concat!("parm=", stringify!($name), ":", $desc, "\0");
        #[link_section = ".modinfo"]
        #[used(compiler)]
        static MODINFO_PARM: [u8; PARM.len()] = $crate::param::modinfo(PARM);
    };
}
pub(crate) use modinfo_parm;

/// Emits the parameter `param`, a [`KernelParam`] expression, into the
/// `__param` section, and its `.modinfo` entries ([`modinfo_parm!`]).
macro_rules! param_entry {
    ($name:ident, $ptype:literal, $desc:literal, $param:expr) => {
        const _: () = {
            #[link_section = "__param"]
            #[used(compiler)]
            static PARAM: ::kernel::module_param::KernelParam = $param;

            $crate::param::modinfo_parm!($name, $ptype, $desc);
        };
    };
}
pub(crate) use param_entry;

/// Declares the module parameter `name` that sets `value`, an [`IntParam`]
/// static, with sysfs mode `perm`
/// (C: `module_param(name, int, perm)` and `MODULE_PARM_DESC`).
///
/// ```ignore
/// static PRE_PATCH_RET: IntParam = IntParam::new(0);
/// module_param_int! {
///     name: pre_patch_ret,
///     value: PRE_PATCH_RET,
///     perm: 0o644,
///     description: "pre_patch_ret (default=0)",
/// }
/// ```
macro_rules! module_param_int {
    (
        name: $name:ident,
        value: $value:path,
        perm: $perm:expr,
        description: $desc:literal $(,)?
    ) => {
        $crate::param::param_entry!(
            $name,
            "int",
            $desc,
            $crate::param::int_param(
                ::kernel::c_str!(stringify!($name)),
                &raw mut ::kernel::bindings::__this_module,
                &$value,
                $perm,
            )
        );
    };
}
pub(crate) use module_param_int;

/// Declares the module parameter `name` that sets `array`, an
/// [`IntArray`] static, from comma-separated ints
/// (C: `module_param_array(name, int, &num, 0)` and `MODULE_PARM_DESC`).
///
/// This exists because `module!` cannot declare array parameters. It is for
/// loadable modules, which external modules always are.
macro_rules! module_param_array {
    (
        name: $name:ident,
        array: $array:path,
        description: $desc:literal $(,)?
    ) => {
        $crate::param::param_entry!($name, "array of int", $desc, {
            static ARRAY: $crate::param::KparamArray = $array.kparam_array();
            $crate::param::array_param(
                ::kernel::c_str!(stringify!($name)),
                &raw mut ::kernel::bindings::__this_module,
                &ARRAY,
            )
        });
    };
}
pub(crate) use module_param_array;

/// Declares the module parameter `name` that sets `string`, a
/// [`StrParam`] static (C: `module_param_string(name, string, N, 0)` and
/// `MODULE_PARM_DESC`): a value of `N` bytes or more fails the load.
macro_rules! module_param_string {
    (
        name: $name:ident,
        string: $string:path,
        description: $desc:literal $(,)?
    ) => {
        $crate::param::param_entry!($name, "string", $desc, {
            static STRING: $crate::param::KparamString = $string.kparam_string();
            $crate::param::string_param(
                ::kernel::c_str!(stringify!($name)),
                &raw mut ::kernel::bindings::__this_module,
                &STRING,
            )
        });
    };
}
pub(crate) use module_param_string;
