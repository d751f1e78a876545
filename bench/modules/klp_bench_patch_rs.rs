// SPDX-License-Identifier: GPL-2.0

//! A Rust livepatch of `klp_bench_target`'s `klp_bench_func()`, doing the
//! same work as the C one, for the redirection benchmark (see
//! `klp_bench_target.c`), and of the same function of its Rust twin,
//! `klp_bench_target_rs`.

use core::sync::atomic::{
    compiler_fence,
    Ordering, //
};
use kernel::prelude::*;

#[cfg(not(klp_kernel_livepatch))]
#[path = "../../livepatch/mod.rs"]
mod livepatch;
#[cfg(klp_kernel_livepatch)]
use kernel::livepatch;

use livepatch::{
    Func,
    Livepatch,
    Object,
    Patch, //
};

livepatch::module_livepatch! {
    type: KlpBenchPatchRs,
    name: "klp_bench_patch_rs",
    authors: ["rust_livepatch developers"],
    description: "Livepatch benchmark: the Rust replacement",
    license: "GPL",
}

/// The same work as the C replacement, compiler barrier included.
fn livepatch_klp_bench_func(x: usize) -> usize {
    compiler_fence(Ordering::SeqCst);
    x.wrapping_mul(3).wrapping_add(1)
}

static FUNCS: [Func; 1] = [
    // SAFETY: klp_bench_target.c defines
    // `unsigned long klp_bench_func(unsigned long x)`, the prototype of this
    // replacement's types.
    unsafe {
        Func::module(
            c"klp_bench_target",
            c"klp_bench_func",
            livepatch::new_func!(livepatch_klp_bench_func: fn(x: usize) -> usize),
        )
    },
];

static FUNCS_RS: [Func; 1] = [
    // SAFETY: klp_bench_target_rs.rs defines `klp_bench_func` `extern "C"`
    // and unmangled, as `fn(c_ulong) -> c_ulong`: that prototype.
    unsafe {
        Func::module(
            c"klp_bench_target_rs",
            c"klp_bench_func",
            livepatch::new_func!(livepatch_klp_bench_func: fn(x: usize) -> usize),
        )
    },
];

// Both objects on every kernel: the core patches an object only while its
// module is loaded, and klp_bench_target_rs is built only where Rust
// functions can be livepatched.
static OBJECTS: [Object; 2] = [
    Object::module(c"klp_bench_target", &FUNCS),
    Object::module(c"klp_bench_target_rs", &FUNCS_RS),
];

struct KlpBenchPatchRs;

impl kernel::Module for KlpBenchPatchRs {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        Ok(KlpBenchPatchRs)
    }
}

impl Livepatch for KlpBenchPatchRs {
    const PATCH: Patch = Patch::new(&OBJECTS);
}
