#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# rust-target-test-<x>.sh (symlinks to this script): the per-task test
# test-<x>.sh against the Rust test target klp_job_target_rs, where the
# kernel can livepatch Rust functions (RLP_KERNEL=rust-ftrace): the same
# job, the same livepatch, the same transcripts.

test=${0##*/rust-target-}
[ "$test" != "${0##*/}" ] || { echo "run it as rust-target-test-<x>.sh"; exit 1; }
export KLP_JOB_TARGET=klp_job_target_rs
exec "$(dirname "$0")/$test"
