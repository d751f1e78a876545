// SPDX-License-Identifier: GPL-2.0

//! Replacements of Rust functions of vmlinux, where the kernel gives Rust
//! code ftrace call sites (`CONFIG_FTRACE_MCOUNT_USE_RUST_FENTRY`, this
//! project's kernel patch), with no `unsafe`.
//!
//! The original is named as a Rust path, and the compiler checks that the
//! replacement has exactly its type: both are called with the same
//! arguments, by the same compiler's calling convention. The name the core
//! needs is the symbol at the original's address, found when the patch is
//! enabled; an address that is not the start of a function of vmlinux (a
//! generic or `#[inline]` function has its copy in the module, a
//! `#[track_caller]` one a shim there) is refused then.
//!
//! ```ignore
//! fn patched_name(_e: &Error) -> Option<&'static CStr> {
//!     Some(c"PATCHED")
//! }
//!
//! static FUNCS: [Func; 1] = [Func::rust(livepatch::rust_func!(
//!     (kernel::error::Error::name): fn(e: &Error) -> Option<&'static CStr> => patched_name
//! ))];
//! ```

use super::{
    bindings,
    Func,
    NewFunc,
    Patch, //
};
use kernel::{
    ffi,
    prelude::*,
    str::{
        BStr,
        CString, //
    },
};

/// The address of a Rust function of vmlinux, as the module sees it.
#[derive(Clone, Copy)]
pub(super) struct Original(*const ffi::c_void);

// SAFETY: a function's address may be used from any thread.
unsafe impl Send for Original {}
// SAFETY: as for `Send`.
unsafe impl Sync for Original {}

/// A Rust function and its replacement, of the same type: made by
/// [`rust_func!`], for [`Func::rust`].
#[derive(Clone, Copy)]
pub struct RustReplacement {
    original: Original,
    new_func: NewFunc,
}

impl RustReplacement {
    /// # Safety
    ///
    /// `original` and `replacement` are the addresses of functions of the
    /// same Rust type: [`rust_func!`]'s.
    #[doc(hidden)]
    pub const unsafe fn new(original: *const ffi::c_void, replacement: *const ffi::c_void) -> Self {
        Self {
            original: Original(original),
            // SAFETY: the replacement has the original's type (the caller's
            // guarantee), so the core may call it in the original's place.
            new_func: unsafe { NewFunc::from_ptr(replacement, &[]) },
        }
    }
}

impl Func {
    /// Redirects calls of a Rust function of vmlinux to its replacement,
    /// both named by [`rust_func!`].
    #[inline]
    pub const fn rust(replacement: RustReplacement) -> Self {
        Self {
            object: None,
            old_name: c"",
            new_func: replacement.new_func,
            sympos: 0,
            original: Some(replacement.original),
        }
    }
}

/// The names of the Rust functions `patch` replaces, with the index of each
/// in the core's array of functions (as `registration::func_at` counts).
/// `EINVAL` for an address that is no Rust function of vmlinux, or a name
/// the patch lists twice in vmlinux (which the core would refuse with a
/// stack trace).
pub(super) fn names(patch: &Patch) -> Result<KVec<(usize, CString)>> {
    let mut names: KVec<(usize, CString)> = KVec::new();
    let mut i = 0;
    for obj in patch.objs {
        for f in obj.funcs {
            if let Some(Original(addr)) = f.original {
                let name = name(addr)?;
                let twice = names.iter().any(|(_, n)| n.to_bytes() == name.to_bytes())
                    || obj
                        .funcs
                        .iter()
                        .any(|g| g.old_name.to_bytes() == name.to_bytes());
                if obj.name.is_none() && twice {
                    pr_err!(
                        "livepatch: {}: replaced twice by this patch\n",
                        BStr::from_bytes(name.to_bytes())
                    );
                    return Err(EINVAL);
                }
                names.push((i, name), GFP_KERNEL)?;
            }
            i += 1;
        }
        i += 1;
    }
    Ok(names)
}

/// `func`, the `i`th of the core's array, named as `names` says if it is a
/// Rust function's.
pub(super) fn named(
    mut func: bindings::klp_func,
    names: &[(usize, CString)],
    i: usize,
) -> bindings::klp_func {
    if let Some((_, name)) = names.iter().find(|(at, _)| *at == i) {
        func.old_name = name.as_char_ptr();
    }
    func
}

/// What `sprint_symbol()` writes at most (C: `KSYM_SYMBOL_LEN`, which
/// bindgen cannot translate; `BUILD_ID_SIZE_MAX` is 20).
const KSYM_SYMBOL_LEN: usize = b"%s+%#lx/%#lx [%s %s]\0".len()
    + (super::KSYM_NAME_LEN - 1)
    + 2 * (usize::BITS as usize * 3 / 10)
    + (super::MODULE_NAME_LEN - 1)
    + 20 * 2
    + 1;

/// The name of the function of vmlinux that starts at `addr`.
fn name(addr: *const ffi::c_void) -> Result<CString> {
    let mut buf = KVec::from_elem(0u8, KSYM_SYMBOL_LEN, GFP_KERNEL)?;
    // SAFETY: `buf` has room for `KSYM_SYMBOL_LEN` bytes, what
    // `sprint_symbol()` writes at most; `addr` is only looked up.
    let len = unsafe { kernel::bindings::sprint_symbol(buf.as_mut_ptr().cast(), addr as usize) };
    let symbol = &buf[..usize::try_from(len).unwrap_or(0)];
    // "name+0x0/0x40", or "name+0x10/0x40 [module]".
    let plus = symbol
        .iter()
        .position(|&b| b == b'+')
        .unwrap_or(symbol.len());
    let name = BStr::from_bytes(&symbol[..plus]);
    if symbol.contains(&b'[') {
        pr_err!(
            "livepatch: {name}: a function of this module, not of vmlinux (a generic, #[inline] or #[track_caller] Rust function is a copy)\n"
        );
        return Err(EINVAL);
    }
    if !symbol[plus..].starts_with(b"+0x0/") {
        pr_err!(
            "livepatch: {}: not the start of a function\n",
            BStr::from_bytes(symbol)
        );
        return Err(EINVAL);
    }
    CString::try_from_fmt(fmt!("{name}"))
}

/// Makes a [`RustReplacement`]: the Rust function of vmlinux `$original` (a
/// path, in parentheses if it has more than one segment), whose type is
/// given with named arguments, and `$replacement`, of that type:
/// `rust_func!((kernel::error::Error::name): fn(e: &Error) -> Option<&'static
/// CStr> => patched_name)`. Either of another type does not build.
#[macro_export]
macro_rules! klp_rust_func {
    ($original:tt: fn($($arg:ident: $ty:ty),* $(,)?) -> $ret:ty => $replacement:tt) => {{
        // Token trees, not paths: a type error then points at the caller's
        // tokens; a path of several segments comes in parentheses.
        #[allow(unused_parens)]
        const __KLP_ORIGINAL: fn($($ty),*) -> $ret = $original;
        #[allow(unused_parens)]
        const __KLP_F: fn($($ty),*) -> $ret = $replacement;
        // What the core calls: the replacement, its frame kept.
        fn __klp_rust_new($($arg: $ty),*) -> $ret {
            $crate::livepatch::keep_frame(__KLP_F($($arg),*))
        }
        const __KLP_REPLACEMENT: $crate::livepatch::RustReplacement =
            // SAFETY: both functions have the type above.
            unsafe {
                $crate::livepatch::RustReplacement::new(
                    __KLP_ORIGINAL as *const ::kernel::ffi::c_void,
                    __klp_rust_new as *const ::kernel::ffi::c_void,
                )
            };
        __KLP_REPLACEMENT
    }};
}
pub use klp_rust_func as rust_func;
