// SPDX-License-Identifier: GPL-2.0

//! Prints `EINVAL` as the kernel crate prints an error, when loaded: the
//! observer of `test_klp_rust_function`'s replacement of
//! `kernel::error::Error::name()`.

use kernel::prelude::*;

module! {
    type: TestKlpErrorName,
    name: "test_klp_error_name",
    authors: ["rust_livepatch developers"],
    description: "Livepatch test: how an error prints",
    license: "GPL",
}

struct TestKlpErrorName;

impl kernel::Module for TestKlpErrorName {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        pr_info!("EINVAL prints as {:?}\n", EINVAL);
        Ok(TestKlpErrorName)
    }
}
