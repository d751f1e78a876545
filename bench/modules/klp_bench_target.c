// SPDX-License-Identifier: GPL-2.0
/*
 * klp_bench_target.c - the cost of a livepatch's redirection, measured
 *
 * klp_bench_func() is a small noinline function with an ftrace call site.
 * Writing N to /sys/kernel/debug/klp_bench_target/run calls it N times in a
 * tight loop, timed with ktime_get_ns(); reading the file gives
 * "<calls> <ns>" of the last run. Measured unpatched, and patched by a C
 * and by a Rust livepatch (klp_bench_patch_c, klp_bench_patch_rs) whose
 * replacements do the same work, the differences are what the redirection
 * (the ftrace handler and the call of the replacement) costs per call.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/uaccess.h>

#include "klp_bench_target.h"

static struct dentry *debugfs_dir;
static DEFINE_MUTEX(run_lock);
static u64 last_calls, last_ns;
static unsigned long last_sum;

/*
 * The function the livepatches replace: the same work as theirs. The
 * compiler barrier keeps it from being treated as a pure function, whose
 * calls the loop could merge.
 */
noinline unsigned long klp_bench_func(unsigned long x)
{
	barrier();
	return x * 3 + 1;
}

static ssize_t run_write(struct file *file, const char __user *buf,
			 size_t count, loff_t *ppos)
{
	unsigned long calls, i, sum = 0;
	u64 start;
	int ret;

	ret = kstrtoul_from_user(buf, count, 10, &calls);
	if (ret)
		return ret;
	if (!calls || calls > 100000000)
		return -EINVAL;

	mutex_lock(&run_lock);
	start = ktime_get_ns();
	for (i = 0; i < calls; i++)
		sum += klp_bench_func(i);
	last_ns = ktime_get_ns() - start;
	last_calls = calls;
	/* Kept: the calls' results are used, so the calls cannot go. */
	last_sum = sum;
	mutex_unlock(&run_lock);
	return count;
}

static ssize_t run_read(struct file *file, char __user *buf, size_t count,
			loff_t *ppos)
{
	char line[48];
	int len;

	mutex_lock(&run_lock);
	len = scnprintf(line, sizeof(line), "%llu %llu\n", last_calls, last_ns);
	mutex_unlock(&run_lock);
	return simple_read_from_buffer(buf, count, ppos, line, len);
}

static const struct file_operations run_fops = {
	.owner = THIS_MODULE,
	.read = run_read,
	.write = run_write,
};

static int __init klp_bench_target_init(void)
{
	debugfs_dir = debugfs_create_dir(KBUILD_MODNAME, NULL);
	debugfs_create_file("run", 0600, debugfs_dir, NULL, &run_fops);
	return 0;
}

static void __exit klp_bench_target_exit(void)
{
	debugfs_remove_recursive(debugfs_dir);
}

module_init(klp_bench_target_init);
module_exit(klp_bench_target_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Livepatch benchmark: a function to redirect, called in a loop");
