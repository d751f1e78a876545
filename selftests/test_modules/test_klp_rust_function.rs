// SPDX-License-Identifier: GPL-2.0

//! Livepatch test: a Rust function of vmlinux replaced, with no `unsafe`.
//!
//! Where the kernel gives Rust code ftrace call sites (RLP_KERNEL=
//! rust-ftrace), replaces `kernel::error::Error::name()`, which the kernel
//! crate's `Debug` of an error calls: while patched, `EINVAL` prints as
//! `EPATCHED`. The compiler checks that the replacement has the original's
//! type; the core finds the original by the name of the symbol at its
//! address.

use kernel::{
    error::Error,
    prelude::*, //
};

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
    type: TestKlpRustFunction,
    name: "test_klp_rust_function",
    authors: ["rust_livepatch developers"],
    description: "Livepatch test: a Rust function of vmlinux replaced",
    license: "GPL",
}

/// The name of `EINVAL` is `EPATCHED`; the others have none.
fn patched_name(e: &Error) -> Option<&'static CStr> {
    (*e == EINVAL).then_some(c"EPATCHED")
}

static FUNCS: [Func; 1] = [Func::rust(livepatch::rust_func!(
    (kernel::error::Error::name): fn(e: &Error) -> Option<&'static CStr> => patched_name
))];
static OBJECTS: [Object; 1] = [Object::vmlinux(&FUNCS)];

struct TestKlpRustFunction;

impl kernel::Module for TestKlpRustFunction {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        Ok(TestKlpRustFunction)
    }
}

impl Livepatch for TestKlpRustFunction {
    const PATCH: Patch = Patch::new(&OBJECTS);
}
