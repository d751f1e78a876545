// SPDX-License-Identifier: GPL-2.0

//! A replacement of `cmdline_proc_show()` whose second argument is an
//! integer where the function takes a pointer: Rust cannot see it, the
//! check against the kernel's BTF does.

use kernel::{
    prelude::*,
    seq_file::SeqFile, //
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
    type: WrongArgument,
    name: "pf_wrong_argument",
    authors: ["rust_livepatch developers"],
    description: "A replacement of the wrong prototype, for the prototype check",
    license: "GPL",
}

fn show(_m: &SeqFile, _v: u64) -> Result {
    Ok(())
}

static FUNCS: [Func; 1] = [
    // SAFETY: none: `cmdline_proc_show()` takes a `void *` where this takes
    // a `u64`. The module is built, never loaded.
    unsafe {
        Func::vmlinux(
            c"cmdline_proc_show",
            livepatch::new_func!(show: fn(m: &SeqFile, v: u64) -> Result),
        )
    },
];
static OBJECTS: [Object; 1] = [Object::vmlinux(&FUNCS)];

struct WrongArgument;

impl kernel::Module for WrongArgument {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        Ok(WrongArgument)
    }
}

impl Livepatch for WrongArgument {
    const PATCH: Patch = Patch::new(&OBJECTS);
}
