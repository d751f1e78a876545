// SPDX-License-Identifier: GPL-2.0

//! Livepatch test: system state modification, version 2, in Rust.
//!
//! The Rust counterpart of upstream's `test_klp_state2.c`; the patch is in
//! `klp_state2.rs`.

livepatch::module_livepatch! {
    type: TestKlpState2,
    name: "test_klp_state2",
    authors: ["rust_livepatch developers"],
    description: "Livepatch test: system state modification",
    license: "GPL",
}

include!("klp_state2.rs");
