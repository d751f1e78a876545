// SPDX-License-Identifier: GPL-2.0

//! The C interface of the benchmark target `klp_bench_target`.
//!
//! C source: `bench/modules/klp_bench_target.c`

// Each module mounts this file, as `mod bench;` at its crate root.
#![allow(unreachable_pub, unused_macros)]

/// Makes a [`NewFunc`](crate::livepatch::NewFunc) that replaces
/// `unsigned long klp_bench_func(unsigned long x)` by
/// `f: fn(usize) -> usize`.
macro_rules! bench_func {
    ($f:path) => {{
        const __KLP_F: fn(usize) -> usize = $f;
        extern "C" fn __klp_bench_func(x: ::kernel::ffi::c_ulong) -> ::kernel::ffi::c_ulong {
            $crate::livepatch::keep_frame(__KLP_F(x))
        }
        // A `const` of its own: not within an `unsafe` block of the caller.
        const __KLP_NEW_FUNC: $crate::livepatch::NewFunc =
            // SAFETY: `__klp_bench_func` is an `extern "C"` function of the
            // prototype documented above.
            unsafe {
                $crate::livepatch::NewFunc::from_ptr(
                    __klp_bench_func as *const ::kernel::ffi::c_void,
                )
            };
        __KLP_NEW_FUNC
    }};
}
pub(crate) use bench_func;
