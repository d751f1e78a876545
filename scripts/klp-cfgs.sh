#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# klp-cfgs.sh KDIR: the `--cfg` flags that tell the Rust code what differs
# between the kernels it builds against, read off KDIR's own Rust bindings.
# Kbuild passes them to rustc; scripts/rust-project.py to rust-analyzer.

bindings=$1/rust/bindings/bindings_generated.rs
src=$1/source
[ -e "$src" ] || src=$1

# Since 7.3, `struct kobj_attribute` puts `show` and `store` in anonymous
# unions (`__SYSFS_FUNCTION_ALTERNATIVE`, include/linux/sysfs.h).
grep -qs 'kobj_attribute__bindgen_ty_1' "$bindings" && echo "--cfg klp_kobj_attribute_anon"
# Since 7.3, kvfree_call_rcu() takes a `struct kvfree_rcu_head`, not a
# `struct rcu_head` (include/linux/rcupdate.h).
grep -qs 'pub struct kvfree_rcu_head' "$bindings" && echo "--cfg klp_kvfree_rcu_head"
# A kernel with this project's series applied has `kernel::livepatch`: the
# modules use it instead of their own copy of livepatch/.
[ -f "$src/rust/kernel/livepatch.rs" ] && echo "--cfg klp_kernel_livepatch"
exit 0
