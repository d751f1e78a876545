// SPDX-License-Identifier: GPL-2.0

//! Module parameters that the `module!` macro cannot declare yet.
//!
//! C header: [`include/linux/moduleparam.h`](srctree/include/linux/moduleparam.h)
//!
//! `module!` parameters are read-only and absent from sysfs. Upstream's
//! callback tests change `pre_patch_ret` of a loaded livepatch through
//! `/sys/module/<name>/parameters/`, so [`module_param_int!`] declares an
//! `int` parameter with a sysfs mode, as C's `module_param(name, int, perm)`.

use core::sync::atomic::{
    AtomicI32,
    Ordering, //
};
use kernel::{
    bindings,
    prelude::*, //
};

/// The value of an `int` parameter (see [`module_param_int!`]).
///
/// # Invariants
///
/// Laid out as a C `int`; written only by `param_ops_int`, under the
/// module's parameter lock.
#[repr(transparent)]
pub struct IntParam(AtomicI32);

impl IntParam {
    #[doc(hidden)]
    pub const fn new(default: i32) -> Self {
        Self(AtomicI32::new(default))
    }

    /// The current value.
    pub fn get(&self) -> i32 {
        // C's `param_set_int()` stores a plain `int`: read it once, as
        // `READ_ONCE()` would.
        self.0.load(Ordering::Relaxed)
    }
}

/// One entry of a module's `__param` section (C: `struct kernel_param`).
#[repr(transparent)]
#[doc(hidden)]
pub struct KernelParam(bindings::kernel_param);

// SAFETY: the kernel reads the entry, and writes its `arg` only through
// `param_ops_int`, under the module's parameter lock.
unsafe impl Sync for KernelParam {}

impl KernelParam {
    /// An `int` parameter `name` of `module`, stored in `arg`, with sysfs
    /// mode `perm`.
    #[doc(hidden)]
    pub const fn int(
        name: &'static CStr,
        arg: &'static IntParam,
        perm: u16,
        module: *mut bindings::module,
    ) -> Self {
        Self(bindings::kernel_param {
            name: super::char_ptr(name),
            mod_: module,
            ops: &raw const bindings::param_ops_int,
            perm,
            level: -1,
            flags: 0,
            __bindgen_anon_1: bindings::kernel_param__bindgen_ty_1 {
                // `IntParam` is a transparent `AtomicI32`, laid out as `int`.
                arg: core::ptr::from_ref(arg).cast_mut().cast(),
            },
        })
    }
}

/// `s` NUL-padded to `N` bytes, for `.modinfo` entries.
#[doc(hidden)]
pub const fn modinfo<const N: usize>(s: &str) -> [u8; N] {
    let mut out = [0; N];
    let mut i = 0;
    while i < s.len() {
        out[i] = s.as_bytes()[i];
        i += 1;
    }
    out
}

/// Declares `static $name: IntParam`, a module parameter `$name` of C type
/// `int` with sysfs mode `$perm` (C: `module_param(name, int, perm)` and
/// `MODULE_PARM_DESC(name, desc)`).
///
/// ```ignore
/// module_param_int!(pre_patch_ret, 0, 0o644, "pre_patch_ret (default=0)");
///
/// fn pre_patch() -> i32 {
///     pre_patch_ret.get()
/// }
/// ```
macro_rules! module_param_int {
    ($name:ident, $default:expr, $perm:expr, $desc:literal) => {
        #[allow(non_upper_case_globals)]
        static $name: $crate::livepatch::param::IntParam =
            $crate::livepatch::param::IntParam::new($default);

        const _: () = {
            #[cfg(MODULE)]
            #[link_section = "__param"]
            #[used(compiler)]
            static PARAM: $crate::livepatch::param::KernelParam =
                $crate::livepatch::param::KernelParam::int(
                    ::kernel::c_str!(::core::stringify!($name)),
                    &$name,
                    $perm,
                    (&raw const ::kernel::bindings::__this_module).cast_mut(),
                );

            // The entries `modinfo` prints (C: `__MODULE_PARM_TYPE()`, ...).
            const TYPE: &str = ::core::concat!("parmtype=", ::core::stringify!($name), ":int");
            const DESC: &str = ::core::concat!("parm=", ::core::stringify!($name), ":", $desc);
            #[cfg(MODULE)]
            #[link_section = ".modinfo"]
            #[used(compiler)]
            static MODINFO_TYPE: [u8; TYPE.len() + 1] = $crate::livepatch::param::modinfo(TYPE);
            #[cfg(MODULE)]
            #[link_section = ".modinfo"]
            #[used(compiler)]
            static MODINFO_DESC: [u8; DESC.len() + 1] = $crate::livepatch::param::modinfo(DESC);
        };
    };
}
pub(crate) use module_param_int;
