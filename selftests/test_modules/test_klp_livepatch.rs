// SPDX-License-Identifier: GPL-2.0

//! Livepatch test: livepatch module, in Rust.
//!
//! The Rust counterpart of upstream's `test_klp_livepatch.c`: replaces
//! `cmdline_proc_show()`.

use kernel::{
    prelude::*,
    seq_file::SeqFile,
    seq_print, //
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
    type: TestKlpLivepatch,
    name: "test_klp_livepatch",
    authors: ["rust_livepatch developers"],
    description: "Livepatch test: livepatch module",
    license: "GPL",
}

// Not mangled, and a function of its own: upstream's test-ftrace.sh traces
// the replacement by the name its C one has, where ftrace can trace Rust
// code (RLP_KERNEL=rust-ftrace). Only Rust calls it, through `seq_show!`.
#[no_mangle]
#[expect(clippy::no_mangle_with_rust_abi)]
#[inline(never)]
fn livepatch_cmdline_proc_show(m: &SeqFile) -> Result {
    seq_print!(m, "test_klp_livepatch: this has been live patched\n");
    Ok(())
}

static FUNCS: [Func; 1] = [
    // SAFETY: `cmdline_proc_show()` (fs/proc/cmdline.c) is a seq_file show
    // function, `int (struct seq_file *m, void *v)`: the prototype
    // `seq_show!` makes.
    unsafe {
        Func::vmlinux(
            c"cmdline_proc_show",
            livepatch::seq_show!(livepatch_cmdline_proc_show),
        )
    },
];
static OBJECTS: [Object; 1] = [Object::vmlinux(&FUNCS)];

struct TestKlpLivepatch;

impl kernel::Module for TestKlpLivepatch {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        Ok(TestKlpLivepatch)
    }
}

impl Livepatch for TestKlpLivepatch {
    const PATCH: Patch = Patch::new(&OBJECTS);
}
