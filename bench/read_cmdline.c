// SPDX-License-Identifier: GPL-2.0
/*
 * read_cmdline N [W] - read /proc/cmdline N times from offset 0, so that
 * every read runs its show function (the one a livepatch replaces) once, and
 * print the mean time of one read in nanoseconds; W times (default 1), the
 * means on one line.
 */

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct timespec start, end;
	char buf[4096];
	long i, n, w, windows = 1;
	double ns;
	int fd;

	n = argc > 1 ? atol(argv[1]) : 0;
	if (argc == 3)
		windows = atol(argv[2]);
	if (argc < 2 || argc > 3 || n <= 0 || windows <= 0) {
		fprintf(stderr, "usage: %s N [W]\n", argv[0]);
		return 2;
	}
	fd = open("/proc/cmdline", O_RDONLY);
	if (fd < 0) {
		perror("/proc/cmdline");
		return 1;
	}
	for (w = 0; w < windows; w++) {
		clock_gettime(CLOCK_MONOTONIC, &start);
		for (i = 0; i < n; i++) {
			if (pread(fd, buf, sizeof(buf), 0) <= 0) {
				perror("pread");
				return 1;
			}
		}
		clock_gettime(CLOCK_MONOTONIC, &end);
		ns = (end.tv_sec - start.tv_sec) * 1e9 +
		     (end.tv_nsec - start.tv_nsec);
		printf("%s%.1f", w ? " " : "", ns / n);
	}
	printf("\n");
	return 0;
}
