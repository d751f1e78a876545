/* SPDX-License-Identifier: GPL-2.0 */
/*
 * klp_bench_target.h - the function klp_bench_target.c calls in a loop,
 * and bench/modules/klp_bench_patch_{c,rs} replace.
 */
#ifndef _KLP_BENCH_TARGET_H
#define _KLP_BENCH_TARGET_H

unsigned long klp_bench_func(unsigned long x);

#endif /* _KLP_BENCH_TARGET_H */
