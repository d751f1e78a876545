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
//! ```ignore
//! fn getpid() -> Result<i32> {
//!     Ok(current!().tgid_nr_ns(None))
//! }
//!
//! static FUNCS: Funcs<1> = Funcs::new([Func::new(
//!     syscall_name!("getpid"),
//!     syscall0!(getpid),
//! )]);
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

/// C `long __<arch>_sys_<name>(const struct pt_regs *regs)`, the entry of a
/// system call with `CONFIG_ARCH_HAS_SYSCALL_WRAPPER`.
#[cfg(CONFIG_ARCH_HAS_SYSCALL_WRAPPER)]
pub type Syscall0Fn = extern "C" fn(*const kernel::bindings::pt_regs) -> ffi::c_long;

/// C `long sys_<name>(void)`, the entry of a system call without arguments.
#[cfg(not(CONFIG_ARCH_HAS_SYSCALL_WRAPPER))]
pub type Syscall0Fn = extern "C" fn() -> ffi::c_long;

impl NewFunc {
    /// A replacement for a system call without arguments; see [`syscall0!`].
    pub const fn syscall0(f: Syscall0Fn) -> Self {
        Self(f as *const ffi::c_void)
    }
}

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
macro_rules! syscall_prefix {
    () => {
        "__x64_"
    };
}
#[cfg(all(CONFIG_ARCH_HAS_SYSCALL_WRAPPER, target_arch = "s390x"))]
macro_rules! syscall_prefix {
    () => {
        "__s390x_"
    };
}
#[cfg(all(CONFIG_ARCH_HAS_SYSCALL_WRAPPER, target_arch = "aarch64"))]
macro_rules! syscall_prefix {
    () => {
        "__arm64_"
    };
}
#[cfg(any(
    not(CONFIG_ARCH_HAS_SYSCALL_WRAPPER),
    target_arch = "powerpc",
    target_arch = "powerpc64"
))]
macro_rules! syscall_prefix {
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
macro_rules! syscall_prefix {
    () => {
        compile_error!(
            "livepatch::syscall: the syscall wrapper prefix of this architecture is missing"
        )
    };
}
#[doc(hidden)]
pub(crate) use syscall_prefix;

/// The name of the function that enters system call `$name`, a string
/// literal, as a `&'static CStr` for [`Func::new`](super::Func::new):
/// `c"__x64_sys_getpid"` for `"getpid"` on x86_64.
macro_rules! syscall_name {
    ($name:literal) => {
        ::kernel::c_str!(concat!(
            $crate::livepatch::syscall::syscall_prefix!(),
            "sys_",
            $name
        ))
    };
}
pub(crate) use syscall_name;

/// Makes a [`NewFunc`] that replaces a system call without arguments, named
/// by [`syscall_name!`], by `f: fn() -> Result<T>`, where `T` converts to
/// `long`.
///
/// An error from `f` is returned to the caller as a negative errno.
macro_rules! syscall0 {
    ($f:path) => {{
        #[cfg(CONFIG_ARCH_HAS_SYSCALL_WRAPPER)]
        extern "C" fn sys(_regs: *const ::kernel::bindings::pt_regs) -> ::kernel::ffi::c_long {
            $crate::livepatch::syscall::syscall_return($f())
        }
        #[cfg(not(CONFIG_ARCH_HAS_SYSCALL_WRAPPER))]
        extern "C" fn sys() -> ::kernel::ffi::c_long {
            $crate::livepatch::syscall::syscall_return($f())
        }
        $crate::livepatch::NewFunc::syscall0(sys)
    }};
}
pub(crate) use syscall0;
