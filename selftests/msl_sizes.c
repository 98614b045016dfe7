// SPDX-License-Identifier: GPL-2.0
/*
 * msl_sizes PATH: write to the slot PATH one message of each size below,
 * each in one write(): zero-length, and sizes that land in every size
 * class of the module's message caches, up to 64 KiB (the default
 * max_msg_size). A helper of slab_test.sh.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static const unsigned int sizes[] = {
	0, 1, 8, 40, 64, 100, 200, 256, 424, 512, 1000, 1024, 1500, 2000, 2048,
	3000, 4000, 4096, 5000, 6000, 8192, 12000, 16384, 20000, 32768, 40000,
	50000, 65536,
};

int main(int argc, char **argv)
{
	static char buf[65536];
	unsigned int i;
	int fd;

	if (argc != 2) {
		fprintf(stderr, "usage: msl_sizes PATH\n");
		return 2;
	}
	fd = open(argv[1], O_WRONLY);
	if (fd < 0) {
		perror(argv[1]);
		return 1;
	}
	for (i = 0; i < ARRAY_SIZE(sizes); i++)
		if (write(fd, buf, sizes[i]) != (ssize_t)sizes[i]) {
			perror("write");
			return 1;
		}
	close(fd);
	return 0;
}
