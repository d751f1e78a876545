// SPDX-License-Identifier: GPL-2.0

//! Livepatch benchmark target, in Rust: `klp_bench_target.c` with the
//! function to redirect written in Rust.
//!
//! Built where Rust functions can be livepatched (the kernel calls
//! `__fentry__` from Rust code: RLP_KERNEL=rust-ftrace). Its
//! `klp_bench_func()` has the C target's name and C prototype, so the C and
//! the Rust benchmark livepatches replace it as they replace the C one, with
//! the same replacements. Writing N to
//! /sys/kernel/debug/klp_bench_target_rs/run calls it N times in a tight
//! loop; reading the file gives "<calls> <ns>" of the last run.

use core::sync::atomic::{
    compiler_fence,
    Ordering, //
};
use kernel::{
    debugfs,
    ffi,
    fmt,
    new_mutex,
    prelude::*,
    sync::Mutex,
    time::{
        Instant,
        Monotonic, //
    },
    uaccess::UserSliceReader, //
};

module! {
    type: KlpBenchTargetRs,
    name: "klp_bench_target_rs",
    authors: ["rust_livepatch developers"],
    description: "Livepatch benchmark: a Rust function to redirect, called in a loop",
    license: "GPL",
}

/// The function the livepatches replace: the same work as theirs. The
/// compiler fence, the counterpart of the C target's `barrier()`, keeps it
/// from being treated as a pure function, whose calls the loop could merge
/// or drop: the caller is in this crate and sees the body.
#[no_mangle]
#[inline(never)]
pub extern "C" fn klp_bench_func(x: ffi::c_ulong) -> ffi::c_ulong {
    compiler_fence(Ordering::SeqCst);
    x.wrapping_mul(3).wrapping_add(1)
}

/// The most calls one write may ask for, as in C.
const MAX_CALLS: usize = 100_000_000;

/// What the last run did.
#[derive(Clone, Copy, Default)]
struct Run {
    calls: usize,
    ns: i64,
}

/// The `run` file: one run at a time.
#[pin_data]
struct Bench {
    #[pin]
    last: Mutex<Run>,
}

impl Bench {
    fn new() -> impl PinInit<Self> {
        pin_init!(Self {
            last <- new_mutex!(Run::default()),
        })
    }
}

impl debugfs::Reader for Bench {
    fn read_from_slice(&self, reader: &mut UserSliceReader) -> Result {
        let mut buf = [0u8; 24];
        let len = reader.len();
        if len > buf.len() {
            return Err(EINVAL);
        }
        reader.read_slice(&mut buf[..len])?;
        let calls: usize = core::str::from_utf8(&buf[..len])
            .map_err(|_| EINVAL)?
            .trim()
            .parse()
            .map_err(|_| EINVAL)?;
        if !(1..=MAX_CALLS).contains(&calls) {
            return Err(EINVAL);
        }

        let mut last = self.last.lock();
        let start = Instant::<Monotonic>::now();
        let mut sum: ffi::c_ulong = 0;
        for i in 0..calls {
            sum = sum.wrapping_add(klp_bench_func(i));
        }
        let ns = start.elapsed().as_nanos();
        // Keeps the sum; the fence in `klp_bench_func` keeps the calls.
        core::hint::black_box(sum);
        *last = Run { calls, ns };
        Ok(())
    }
}

impl debugfs::Writer for Bench {
    fn write(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let last = *self.last.lock();
        writeln!(f, "{} {}", last.calls, last.ns)
    }
}

struct KlpBenchTargetRs {
    _run: Pin<KBox<debugfs::File<Bench>>>,
    _dir: debugfs::Dir,
}

impl kernel::Module for KlpBenchTargetRs {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        let dir = debugfs::Dir::new(c"klp_bench_target_rs");
        let run = KBox::pin_init(dir.read_write_file(c"run", Bench::new()), GFP_KERNEL)?;
        Ok(Self {
            _run: run,
            _dir: dir,
        })
    }
}
