// SPDX-License-Identifier: GPL-2.0

//! Replacements for system calls.
//!
//! C header: [`include/linux/syscalls.h`](srctree/include/linux/syscalls.h)
//!
//! The function to patch is the one the system call table points to. With
//! `CONFIG_ARCH_HAS_SYSCALL_WRAPPER`, that is an arch-prefixed wrapper that
//! takes the caller's registers, `long __x64_sys_getpid(const struct pt_regs
//! *regs)` on x86_64; otherwise it is `long sys_getpid(void)`.
//! [`syscall_name!`] spells that name for the architecture being built and
//! [`syscall0!`] makes a replacement of that prototype:
//!
//! ```
//! use kernel::{
//!     livepatch::{
//!         syscall,
//!         Func, //
//!     },
//!     prelude::*, //
//! };
//!
//! fn getpid() -> Result<i32> {
//!     Ok(kernel::current!().tgid_nr_ns(None))
//! }
//!
//! static FUNCS: [Func; 1] = [
//!     // SAFETY: getpid takes no arguments (kernel/sys.c:
//!     // `SYSCALL_DEFINE0(getpid)`): its entry has the prototype `syscall0!`
//!     // makes.
//!     unsafe {
//!         Func::vmlinux(
//!             syscall::syscall_name!("getpid"),
//!             syscall::syscall0!(getpid),
//!         )
//!     },
//! ];
//! ```
//!
//! Only system calls without arguments are supported: reading arguments from
//! `pt_regs` is specific to each architecture.

use super::NewFunc;
use kernel::{
    error::from_result,
    ffi,
    prelude::*, //
};

/// What a system call returns for `r`: the value, or a negative errno.
///
/// A value that does not fit in a `long` is returned as `EOVERFLOW`.
#[doc(hidden)]
pub fn syscall_return<T: TryInto<ffi::c_long>>(r: Result<T>) -> ffi::c_long {
    from_result(|| r?.try_into().map_err(|_| EOVERFLOW))
}

/// The prefix of the name of the functions that enter system calls
/// (C: `SYSCALL_DEFINEx` in `<asm/syscall_wrapper.h>`), as upstream's
/// `test_klp_syscall.c` spells it.
#[cfg(all(CONFIG_ARCH_HAS_SYSCALL_WRAPPER, target_arch = "x86_64"))]
#[macro_export]
#[doc(hidden)]
macro_rules! klp_syscall_prefix {
    () => {
        "__x64_"
    };
}
#[cfg(all(CONFIG_ARCH_HAS_SYSCALL_WRAPPER, target_arch = "s390x"))]
#[macro_export]
#[doc(hidden)]
macro_rules! klp_syscall_prefix {
    () => {
        "__s390x_"
    };
}
#[cfg(all(CONFIG_ARCH_HAS_SYSCALL_WRAPPER, target_arch = "aarch64"))]
#[macro_export]
#[doc(hidden)]
macro_rules! klp_syscall_prefix {
    () => {
        "__arm64_"
    };
}
#[cfg(any(
    not(CONFIG_ARCH_HAS_SYSCALL_WRAPPER),
    target_arch = "powerpc",
    target_arch = "powerpc64"
))]
#[macro_export]
#[doc(hidden)]
macro_rules! klp_syscall_prefix {
    () => {
        ""
    };
}
// Expanded only where a livepatch names a system call, so that livepatches
// that do not still build here.
#[cfg(all(
    CONFIG_ARCH_HAS_SYSCALL_WRAPPER,
    not(any(
        target_arch = "x86_64",
        target_arch = "s390x",
        target_arch = "aarch64",
        target_arch = "powerpc",
        target_arch = "powerpc64"
    ))
))]
#[macro_export]
#[doc(hidden)]
macro_rules! klp_syscall_prefix {
    () => {
        compile_error!(
            "livepatch::syscall: the syscall wrapper prefix of this architecture is missing"
        )
    };
}
#[doc(hidden)]
pub use klp_syscall_prefix as syscall_prefix;

/// The name of the function that enters system call `$name`, a string
/// literal, as a `&'static CStr` for [`Func::vmlinux`](super::Func::vmlinux):
/// `c"__x64_sys_getpid"` for `"getpid"` on x86_64.
#[macro_export]
macro_rules! klp_syscall_name {
    ($name:literal) => {
        ::kernel::c_str!(concat!(
            $crate::livepatch::syscall::syscall_prefix!(),
            "sys_",
            $name
        ))
    };
}
pub use klp_syscall_name as syscall_name;

/// Makes a [`NewFunc`] that replaces a system call without arguments, named
/// by [`syscall_name!`], by `f: fn() -> Result<T>`, where `T` converts to
/// `long`. Its prototype is the system call's entry: with
/// `CONFIG_ARCH_HAS_SYSCALL_WRAPPER`, `long __<arch>_sys_<name>(const struct
/// pt_regs *regs)`, otherwise `long sys_<name>(void)`.
///
/// An error from `f` is returned to the caller as a negative errno.
#[macro_export]
macro_rules! klp_syscall0 {
    ($f:path) => {{
        #[cfg(CONFIG_ARCH_HAS_SYSCALL_WRAPPER)]
        extern "C" fn __klp_sys(
            _regs: *const ::kernel::bindings::pt_regs,
        ) -> ::kernel::ffi::c_long {
            $crate::livepatch::keep_frame($crate::livepatch::syscall::syscall_return($f()))
        }
        #[cfg(not(CONFIG_ARCH_HAS_SYSCALL_WRAPPER))]
        extern "C" fn __klp_sys() -> ::kernel::ffi::c_long {
            $crate::livepatch::keep_frame($crate::livepatch::syscall::syscall_return($f()))
        }
        // A `const` of its own: not within an `unsafe` block of the caller.
        const __KLP_NEW_FUNC: $crate::livepatch::NewFunc =
            // SAFETY: `__klp_sys` is an `extern "C"` function of the
            // prototype documented above.
            unsafe {
                $crate::livepatch::NewFunc::from_ptr(__klp_sys as *const ::kernel::ffi::c_void)
            };
        __KLP_NEW_FUNC
    }};
}
pub use klp_syscall0 as syscall0;
