// SPDX-License-Identifier: GPL-2.0

//! A Rust function's replacement has exactly its type: one of another type
//! does not build, and needs no `unsafe` to be refused.
//!
//! needs: CONFIG_FTRACE_MCOUNT_USE_RUST_FENTRY
//! expect: selftests/compile_fail/cf_rust_func_type.rs:28: error[E0308]: mismatched types: expected fn pointer, found fn item

use kernel::{
    error::Error,
    prelude::*, //
};

#[cfg(not(klp_kernel_livepatch))]
#[path = "../../livepatch/mod.rs"]
mod livepatch;
#[cfg(klp_kernel_livepatch)]
use kernel::livepatch;

use livepatch::Func;

/// Not `Option<&'static CStr>`, as `Error::name()` returns.
fn patched_name(_e: &Error) -> bool {
    true
}

static FUNCS: [Func; 1] = [Func::rust(livepatch::rust_func!(
    (kernel::error::Error::name): fn(e: &Error) -> Option<&'static CStr> => patched_name
))];

module! {
    type: CompileFail,
    name: "cf_rust_func_type",
    authors: ["rust_livepatch developers"],
    description: "must not build",
    license: "GPL",
}

struct CompileFail;

impl kernel::Module for CompileFail {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        Ok(CompileFail)
    }
}
