// SPDX-License-Identifier: GPL-2.0
/*
 * klp_bench_patch_c.c - a C livepatch of klp_bench_target's klp_bench_func(),
 * doing the same work, for the redirection benchmark (see klp_bench_target.c),
 * and of the same function of its Rust twin, klp_bench_target_rs
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/livepatch.h>
#include <linux/module.h>

static unsigned long livepatch_klp_bench_func(unsigned long x)
{
	barrier();
	return x * 3 + 1;
}

static struct klp_func funcs[] = {
	{
		.old_name = "klp_bench_func",
		.new_func = livepatch_klp_bench_func,
	}, { }
};

/* An array of its own: a klp_func goes on the func_list of one object. */
static struct klp_func funcs_rs[] = {
	{
		.old_name = "klp_bench_func",
		.new_func = livepatch_klp_bench_func,
	}, { }
};

/*
 * Both objects on every kernel: the core patches an object only while its
 * module is loaded, and klp_bench_target_rs is built only where Rust
 * functions can be livepatched.
 */
static struct klp_object objs[] = {
	{
		.name = "klp_bench_target",
		.funcs = funcs,
	}, {
		.name = "klp_bench_target_rs",
		.funcs = funcs_rs,
	}, { }
};

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
};

static int __init klp_bench_patch_c_init(void)
{
	return klp_enable_patch(&patch);
}

static void __exit klp_bench_patch_c_exit(void)
{
}

module_init(klp_bench_patch_c_init);
module_exit(klp_bench_patch_c_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
MODULE_DESCRIPTION("Livepatch benchmark: the C replacement");
