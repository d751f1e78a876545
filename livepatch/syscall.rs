// SPDX-License-Identifier: GPL-2.0

//! Replacements for system calls.
//!
//! C header: [`include/linux/livepatch_helpers.h`](srctree/include/linux/livepatch_helpers.h)
//!
//! The function to patch is the one the system call table points to. With
//! `CONFIG_ARCH_HAS_SYSCALL_WRAPPER`, that is an arch-prefixed wrapper that
//! takes the caller's registers, `long __x64_sys_getpriority(const struct
//! pt_regs *regs)` on x86_64; otherwise it is `long sys_getpriority(long,
//! long)`, each argument as a `long`. [`syscall_name!`] spells that name for
//! the architecture being built, and [`syscall!`] makes a replacement of
//! that prototype from a safe function that takes the system call's
//! arguments, as `KLP_SYSCALL_DEFINEx` does in C:
//!
//! ```
//! use kernel::{
//!     ffi::c_long,
//!     livepatch::{
//!         syscall,
//!         Func, //
//!     },
//!     prelude::*, //
//! };
//!
//! /// Reports a constant priority.
//! fn getpriority(_which: i32, _who: i32) -> Result<c_long> {
//!     Ok(20)
//! }
//!
//! static FUNCS: [Func; 1] = [
//!     // SAFETY: kernel/sys.c: `SYSCALL_DEFINE2(getpriority, int, which,
//!     // int, who)`: its entry has the prototype `syscall!` makes for two
//!     // `int` arguments.
//!     unsafe {
//!         Func::vmlinux(
//!             syscall::syscall_name!("getpriority"),
//!             syscall::syscall!(getpriority: fn(which: i32, who: i32) -> Result<c_long>),
//!         )
//!     },
//! ];
//! ```
//!
//! Reading the arguments from the registers is specific to each
//! architecture: it is written for x86_64 and the architectures without the
//! wrapper; a replacement with arguments does not build for the others yet
//! (arm64, s390; powerpc and riscv, whose prefixes are missing too). On
//! x86_64, only the 64-bit entry is replaced, as in upstream's
//! `test_klp_syscall.c`: 32-bit tasks (`__ia32_sys_*`) keep the original.

use kernel::{
    ffi,
    prelude::*,
    uaccess::UserPtr, //
};

/// A type a system call replacement takes for an argument: what C's
/// `SYSCALL_DEFINEx` makes of the `long` the entry gets (`__SC_CAST`).
pub trait SyscallArg {
    /// The argument, from the register or `long` that holds it.
    fn from_reg(reg: ffi::c_ulong) -> Self;
}

macro_rules! impl_syscall_arg {
    ($($t:ty),*) => {
        $(
            impl SyscallArg for $t {
                #[inline]
                fn from_reg(reg: ffi::c_ulong) -> Self {
                    // As C casts it: truncated to the argument's type.
                    reg as $t
                }
            }
        )*
    };
}
impl_syscall_arg!(i8, u8, i16, u16, i32, u32, i64, u64, isize, usize);

/// A `const char __user *` or any other pointer to user memory.
impl SyscallArg for UserPtr {
    #[inline]
    fn from_reg(reg: ffi::c_ulong) -> Self {
        UserPtr::from_addr(reg)
    }
}

/// What a system call returns for `r`: the value, or a negative errno.
///
/// A value that does not fit in a `long` is returned as `EOVERFLOW`.
#[doc(hidden)]
pub fn syscall_return<T: TryInto<ffi::c_long>>(r: Result<T>) -> ffi::c_long {
    match r.and_then(|v| v.try_into().map_err(|_| EOVERFLOW)) {
        Ok(v) => v,
        Err(e) => e.to_errno() as ffi::c_long,
    }
}

/// The first `N` arguments of a system call, from the registers its entry
/// was called with (C: `SC_X86_64_REGS_TO_ARGS` and the like).
///
/// # Safety
///
/// `regs` is what a system call entry was called with.
#[doc(hidden)]
#[cfg(CONFIG_ARCH_HAS_SYSCALL_WRAPPER)]
#[inline]
pub unsafe fn args<const N: usize>(regs: *const kernel::bindings::pt_regs) -> [ffi::c_ulong; N] {
    const { assert!(N <= 6, "a system call has at most 6 arguments") };
    #[cfg(target_arch = "x86_64")]
    {
        // SAFETY: `regs` is valid for the call (the caller's guarantee).
        let r = unsafe { &*regs };
        let all = [r.di, r.si, r.dx, r.r10, r.r8, r.r9];
        core::array::from_fn(|i| all[i])
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        let _ = regs;
        const {
            assert!(
                N == 0,
                "livepatch::syscall: system call arguments are not read on this architecture"
            )
        };
        [0; N]
    }
}

/// The prefix of the name of the functions that enter system calls
/// (C: `SYSCALL_DEFINEx` in `<asm/syscall_wrapper.h>`), on the
/// architectures that build Rust and livepatches.
#[cfg(all(CONFIG_ARCH_HAS_SYSCALL_WRAPPER, target_arch = "x86_64"))]
#[macro_export]
#[doc(hidden)]
macro_rules! klp_syscall_prefix {
    () => {
        "__x64_"
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
#[cfg(all(CONFIG_ARCH_HAS_SYSCALL_WRAPPER, target_arch = "s390x"))]
#[macro_export]
#[doc(hidden)]
macro_rules! klp_syscall_prefix {
    () => {
        "__s390x_"
    };
}
#[cfg(not(CONFIG_ARCH_HAS_SYSCALL_WRAPPER))]
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
    not(any(target_arch = "x86_64", target_arch = "aarch64", target_arch = "s390x"))
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

/// The kinds of a system call entry's result and arguments (see
/// [`CType::KIND`](super::CType::KIND)): a `long`, and the caller's registers
/// or a `long` per argument.
#[cfg(CONFIG_ARCH_HAS_SYSCALL_WRAPPER)]
#[macro_export]
#[doc(hidden)]
macro_rules! klp_syscall_prototype {
    ($($arg:ident),*) => {
        &["int 8 s", "ptr struct pt_regs"]
    };
}
#[cfg(not(CONFIG_ARCH_HAS_SYSCALL_WRAPPER))]
#[macro_export]
#[doc(hidden)]
macro_rules! klp_syscall_prototype {
    ($($arg:ident),*) => {
        &["int 8 s", $({ let _ = stringify!($arg); "int 8 s" }),*]
    };
}
#[doc(hidden)]
pub use klp_syscall_prototype as prototype;

/// Makes a [`NewFunc`](super::NewFunc) that replaces the entry of a system
/// call, named by [`syscall_name!`], by the safe function `$f`, given its
/// type: `syscall!(f: fn(which: i32, who: i32) -> Result<c_long>)`, up to six
/// arguments, each a [`SyscallArg`], and a `Result` of a value that converts
/// to `long`.
///
/// Its prototype is the system call's entry: with
/// `CONFIG_ARCH_HAS_SYSCALL_WRAPPER`, `long __<arch>_sys_<name>(const struct
/// pt_regs *regs)`, otherwise `long sys_<name>(long, ...)`. An error from
/// `$f` is returned to the caller as a negative errno.
#[macro_export]
macro_rules! klp_syscall {
    ($f:tt: fn($($arg:ident: $ty:ty),* $(,)?) -> $ret:ty) => {{
        const __KLP_F: fn($($ty),*) -> $ret = $f;
        const __KLP_N: usize = <[&str]>::len(&[$(stringify!($arg)),*]);
        #[cfg(CONFIG_ARCH_HAS_SYSCALL_WRAPPER)]
        extern "C" fn __klp_sys(
            regs: *const ::kernel::bindings::pt_regs,
        ) -> ::kernel::ffi::c_long {
            // SAFETY: the system call table's entry, which this replaces
            // (what the caller of `Func::vmlinux` asserts), is called with
            // the caller's registers.
            let regs = unsafe { $crate::livepatch::syscall::args::<__KLP_N>(regs) };
            #[allow(unused_variables, unused_mut)]
            let mut regs = regs.into_iter();
            $(
                let $arg = <$ty as $crate::livepatch::syscall::SyscallArg>::from_reg(
                    regs.next().unwrap_or(0),
                );
            )*
            $crate::livepatch::keep_frame($crate::livepatch::syscall::syscall_return(
                __KLP_F($($arg),*),
            ))
        }
        #[cfg(not(CONFIG_ARCH_HAS_SYSCALL_WRAPPER))]
        extern "C" fn __klp_sys($($arg: ::kernel::ffi::c_ulong),*) -> ::kernel::ffi::c_long {
            const { assert!(__KLP_N <= 6, "a system call has at most 6 arguments") };
            $(
                let $arg = <$ty as $crate::livepatch::syscall::SyscallArg>::from_reg($arg);
            )*
            $crate::livepatch::keep_frame($crate::livepatch::syscall::syscall_return(
                __KLP_F($($arg),*),
            ))
        }
        // A `const` of its own: not within an `unsafe` block of the caller.
        const __KLP_NEW_FUNC: $crate::livepatch::NewFunc =
            // SAFETY: `__klp_sys` is an `extern "C"` function of the
            // prototype documented above.
            unsafe {
                $crate::livepatch::NewFunc::from_ptr(
                    __klp_sys as *const ::kernel::ffi::c_void,
                    $crate::livepatch::syscall::prototype!($($arg),*),
                )
            };
        __KLP_NEW_FUNC
    }};
}
pub use klp_syscall as syscall;
