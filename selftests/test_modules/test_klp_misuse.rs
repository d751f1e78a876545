// SPDX-License-Identifier: GPL-2.0

//! Livepatch test: misuse that safe code can write, and that is harmless.
//!
//! `module!` names the module's type (`LocalModule`), so the module's own
//! code can call its `init` again, here from within the first. Enabling the
//! patch a second time, or dropping a registration the core still uses,
//! would corrupt the core's lists or free what it uses: `module_livepatch!`
//! refuses the second call (`EBUSY`), and the patch, enabled once by the
//! loader's call, works as any other.

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
    type: TestKlpMisuse,
    name: "test_klp_misuse",
    authors: ["rust_livepatch developers"],
    description: "Livepatch test: misuse that safe code can write, harmless",
    license: "GPL",
}

fn livepatch_version_proc_show(m: &SeqFile) -> Result {
    seq_print!(m, "test_klp_misuse: this has been live patched\n");
    Ok(())
}

static FUNCS: [Func; 1] = [
    // SAFETY: `version_proc_show()` (fs/proc/version.c) is a seq_file show
    // function, `int (struct seq_file *m, void *v)`: the prototype
    // `seq_show!` makes.
    unsafe {
        Func::vmlinux(
            c"version_proc_show",
            livepatch::seq_show!(livepatch_version_proc_show),
        )
    },
];
static OBJECTS: [Object; 1] = [Object::vmlinux(&FUNCS)];

struct TestKlpMisuse;

impl kernel::Module for TestKlpMisuse {
    fn init(module: &'static ThisModule) -> Result<Self> {
        match <crate::LocalModule as kernel::Module>::init(module) {
            Err(e) => pr_info!("a second init of the module: error {}\n", e.to_errno()),
            Ok(_) => pr_err!("a second init of the module succeeded\n"),
        }
        Ok(TestKlpMisuse)
    }
}

impl Livepatch for TestKlpMisuse {
    fn patch(&self) -> Patch {
        Patch::new(&OBJECTS)
    }
}
