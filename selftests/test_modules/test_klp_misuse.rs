// SPDX-License-Identifier: GPL-2.0

//! Livepatch test: misuse that safe code can write, and that is harmless.
//!
//! - `module!` names the module's type (`LocalModule`), so the module's own
//!   code can call its `init` again, here from within the first. Enabling
//!   the patch a second time, or dropping a registration the core still
//!   uses, would corrupt the core's lists or free what it uses:
//!   `module_livepatch!` refuses the second call (`EBUSY`), and the patch,
//!   enabled once by the loader's call, works as any other.
//! - Shadow variables are keyed by an address, which two live borrows can
//!   share. A variable freed while a reference to it is alive, through the
//!   same borrow, another at the same address, or `free_all`, keeps its
//!   value until the reference is dropped; `alloc` of an existing variable
//!   fails with `EEXIST`, without the core's `WARN`.
//! - The callbacks of a module loaded while the patch is enabled run outside
//!   a transition, where `klp_get_prev_state()` warns: `State::prev` says
//!   there is none.

use kernel::{
    prelude::*,
    seq_file::SeqFile,
    seq_print,
    sync::atomic::{
        Atomic,
        Relaxed, //
    }, //
};

#[cfg(not(klp_kernel_livepatch))]
#[path = "../../livepatch/mod.rs"]
mod livepatch;
#[cfg(klp_kernel_livepatch)]
use kernel::livepatch;
#[path = "../../support/callback_info.rs"]
mod callback_info;

use callback_info::Info;
use livepatch::{
    Callbacks,
    Func,
    Livepatch,
    Object,
    Patch,
    PatchedObject,
    Shadow,
    SharedData,
    State,
    StateDecl, //
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

/// A shadow variable's value that counts its drops, and forgets its value
/// when dropped.
#[repr(C)]
struct Tracked {
    value: u64,
}

// SAFETY: `#[repr(C)]`, of one `u64`.
unsafe impl SharedData for Tracked {}

static DROPS: Atomic<u32> = Atomic::new(0);

impl Drop for Tracked {
    fn drop(&mut self) {
        self.value = 0;
        DROPS.add(1, Relaxed);
    }
}

const VALUE: u64 = 0x524c50;

// SAFETY: only this module uses id 0x524c5001, through this handle, with a
// `Tracked`.
static TRACKED: Shadow<Tracked> = unsafe { Shadow::new(0x524c5001) };

/// An object whose first field is at its own address: a variable attached
/// to one is attached to the other.
#[repr(C)]
struct Outer {
    first: u64,
}

/// Frees a variable while a reference to it is alive, with `free`, and logs
/// what the reference sees then, and after it is dropped.
fn shadow_free_referenced(what: &str, free: impl FnOnce(&Outer)) -> Result {
    let obj = KBox::new(Outer { first: 1 }, GFP_KERNEL)?;
    DROPS.store(0, Relaxed);
    let r = TRACKED.get_or_alloc(&*obj, GFP_KERNEL, Tracked { value: VALUE })?;
    free(&obj);
    pr_info!(
        "shadow freed {what} while referenced: attached: {}, value {:#x}, drops {}\n",
        TRACKED.get(&*obj).is_some(),
        r.value,
        DROPS.load(Relaxed)
    );
    drop(r);
    pr_info!("shadow reference dropped: drops {}\n", DROPS.load(Relaxed));
    Ok(())
}

fn shadow_cases() -> Result {
    shadow_free_referenced("with free", |obj| TRACKED.free(obj))?;
    shadow_free_referenced("through its first field", |obj| TRACKED.free(&obj.first))?;
    shadow_free_referenced("with free_all", |_| TRACKED.free_all())?;

    let obj = KBox::new(Outer { first: 1 }, GFP_KERNEL)?;
    let _first = TRACKED.alloc(&*obj, GFP_KERNEL, Tracked { value: VALUE })?;
    if let Err(e) = TRACKED.alloc(&*obj, GFP_KERNEL, Tracked { value: VALUE }) {
        pr_info!(
            "shadow alloc of an existing variable: error {}\n",
            e.to_errno()
        );
    }
    TRACKED.free(&*obj);
    Ok(())
}

// SAFETY: only this module declares state 0x524c5001, with an `i32`.
static STATE: State<i32> = unsafe { State::new(0x524c5001, 1) };
static STATES: [&StateDecl; 1] = [STATE.decl()];

/// The callbacks of a module that is loaded while the patch is enabled.
struct LoadedLater;

#[vtable]
impl Callbacks for LoadedLater {
    fn pre_patch(obj: &PatchedObject) -> Result {
        let prev = if STATE.prev(obj).is_some() {
            "some"
        } else {
            "none"
        };
        pr_info!(
            "pre_patch_callback: {}: previous state: {prev}\n",
            Info(obj)
        );
        Ok(())
    }
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
static NO_FUNCS: [Func; 0] = [];
static OBJECTS: [Object; 2] = [
    Object::vmlinux(&FUNCS),
    Object::module(c"test_klp_callbacks_mod", &NO_FUNCS).with_callbacks::<LoadedLater>(),
];

struct TestKlpMisuse;

impl kernel::Module for TestKlpMisuse {
    fn init(module: &'static ThisModule) -> Result<Self> {
        // Pinned in a box, which would be dropped, and the patch's
        // structures freed, at the end of this function, were it enabled.
        match KBox::pin_init(
            <crate::LocalModule as kernel::InPlaceModule>::init(module),
            GFP_KERNEL,
        ) {
            Err(e) => pr_info!("a second init of the module: error {}\n", e.to_errno()),
            Ok(_) => pr_err!("a second init of the module succeeded\n"),
        }
        shadow_cases()?;
        Ok(TestKlpMisuse)
    }
}

impl Livepatch for TestKlpMisuse {
    const PATCH: Patch = Patch::new(&OBJECTS).states(|| &STATES);
}
