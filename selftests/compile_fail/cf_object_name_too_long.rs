// SPDX-License-Identifier: GPL-2.0

//! The core refuses an object whose module name is longer than a module's
//! can be: it does not build.
//!
//! expect: selftests/compile_fail/cf_object_name_too_long.rs:22: error[E0080]: evaluation panicked: a module name longer than MODULE_NAME_LEN allows
//! expect(rustc 1.85): livepatch/mod.rs: error[E0080]: could not evaluate static initializer: the evaluated program panicked at 'a module name longer than MODULE_NAME_LEN allows'
use kernel::prelude::*;

#[cfg(not(klp_kernel_livepatch))]
#[path = "../../livepatch/mod.rs"]
mod livepatch;
#[cfg(klp_kernel_livepatch)]
use kernel::livepatch;

use livepatch::{
    Func,
    Object, //
};

static FUNCS: [Func; 0] = [];
static OBJECTS: [Object; 1] = [Object::module(
    c"a_module_name_that_is_much_longer_than_any_module_can_have",
    &FUNCS,
)];

module! {
    type: CompileFail,
    name: "cf_object_name_too_long",
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
