// SPDX-License-Identifier: GPL-2.0
/*
 * msl_sizes PATH: write to the slot PATH one message of each size below,
 * each in one write(): zero-length, 1 byte, the largest payload of every
 * size class of the module's message caches (the class less the 40-byte
 * header: mailslotfs/pure.h, limits.c), and payloads that go on in
 * segments, up to 64 KiB (the default max_msg_size). A helper of
 * slab_test.sh.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static const unsigned int sizes[] = {
	0, 1, 8, 24, 40, 56, 72, 88, 104, 120, 136, 152, 168, 184, 200, 216,
	232, 248, 264, 280, 296, 312, 328, 344, 360, 376, 392, 408, 424, 440,
	456, 472, 600, 728, 856, 984, 1240, 1496, 1752, 2008, 2520, 3032, 3544,
	4056, 4057, 4200, 5000, 6000, 8192, 12000, 16384, 20000, 32768, 40000,
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
