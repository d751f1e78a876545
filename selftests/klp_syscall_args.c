// SPDX-License-Identifier: GPL-2.0
/*
 * klp_syscall_args WHICH WHO: calls getpriority(2) with these arguments
 * and prints what the system call returned, a negative errno on failure.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
	long ret;

	if (argc != 3) {
		fprintf(stderr, "usage: %s WHICH WHO\n", argv[0]);
		return 2;
	}
	ret = syscall(SYS_getpriority, atoi(argv[1]), atoi(argv[2]));
	printf("%ld\n", ret == -1 ? -(long)errno : ret);
	return 0;
}
