// SPDX-License-Identifier: GPL-2.0
/*
 * cli-fake: LD_PRELOAD, for mailslot(1)'s tests on the host, where no
 * module can be loaded (tools/cli-test). It fakes no more of mailslotfs
 * than the tool's own code needs to run:
 *
 * - statfs() and fstatfs() say MAILSLOTFS_MAGIC for whatever lies below
 *   the directory $CLI_FAKE_MOUNT (an absolute path without symbolic
 *   links), so a slot there is a plain file, and a client's write lands
 *   in it for the test to read;
 * - MAILSLOT_IOC_RECV on a file there hands out the files of the directory
 *   $CLI_FAKE_QUEUE, one per call in the order of their names, and removes
 *   each: a name ending in ".remote" was sent by 10.0.0.7:138 as ALPHA<00>
 *   to BETA<03>, any other name by local pid 4242. An empty queue is the
 *   end of the read timeout (EAGAIN); a buffer too small gets EMSGSIZE and
 *   the size, as from the module;
 * - MAILSLOT_IOC_SET_MAX_SIZE on a file there appends "SET_MAX_SIZE n" to
 *   the file $CLI_FAKE_LOG, when that is set, and succeeds;
 * - the other mailslotfs ioctls on a file there succeed and do nothing.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <linux/mailslot.h>

#define FAKE_MSG_MAX 65536

/* Is @path below $CLI_FAKE_MOUNT, or that directory itself? */
static int faked(const char *path)
{
	const char *root = getenv("CLI_FAKE_MOUNT");
	char real[PATH_MAX];
	int err = errno;
	size_t n;

	if (!root || !realpath(path, real)) {
		errno = err;
		return 0;
	}
	n = strlen(root);
	return !strncmp(real, root, n) && (real[n] == '/' || !real[n]);
}

static int fd_faked(int fd)
{
	char link[64];

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	return faked(link);
}

int statfs(const char *path, struct statfs *st)
{
	static int (*real)(const char *path, struct statfs *st);

	if (!real)
		real = dlsym(RTLD_NEXT, "statfs");
	if (real(path, st))
		return -1;
	if (faked(path))
		st->f_type = MAILSLOTFS_MAGIC;
	return 0;
}

int fstatfs(int fd, struct statfs *st)
{
	static int (*real)(int fd, struct statfs *st);

	if (!real)
		real = dlsym(RTLD_NEXT, "fstatfs");
	if (real(fd, st))
		return -1;
	if (fd_faked(fd))
		st->f_type = MAILSLOTFS_MAGIC;
	return 0;
}

/* A 16-byte NetBIOS name: @name padded with spaces, then @type. */
static void nb_name(char *out, const char *name, char type)
{
	memset(out, ' ', MAILSLOT_NB_NAME_LEN - 1);
	memcpy(out, name, strlen(name));
	out[MAILSLOT_NB_NAME_LEN - 1] = type;
}

/* The message in the file @path, as the file @name says it was sent. */
static int deliver(const char *path, const char *name,
		   struct mailslot_recv *r)
{
	size_t n = strlen(name);
	char *buf = malloc(FAKE_MSG_MAX);
	ssize_t len = -1;
	int fd;

	fd = buf ? open(path, O_RDONLY) : -1;
	if (fd >= 0) {
		len = read(fd, buf, FAKE_MSG_MAX);
		close(fd);
	}
	if (len < 0 || (size_t)len > r->buf_len) {
		r->msg_len = len;
		free(buf);
		errno = len < 0 ? EIO : EMSGSIZE;
		return -1;
	}
	memcpy((void *)(unsigned long)r->buf, buf, len);
	free(buf);
	r->msg_len = len;
	r->recv_time_ns = 1700000000LL * 1000000000LL;
	r->origin = MAILSLOT_ORIGIN_LOCAL;
	r->pid = 4242;
	if (n > 7 && !strcmp(name + n - 7, ".remote")) {
		r->origin = MAILSLOT_ORIGIN_REMOTE;
		r->pid = 0;
		r->src_addr = htonl(0x0a000007);
		r->src_port = htons(138);
		nb_name(r->src_name, "ALPHA", 0x00);
		nb_name(r->dst_name, "BETA", 0x03);
	}
	return unlink(path);
}

static int visible(const struct dirent *e)
{
	return e->d_name[0] != '.';
}

/* The next message of $CLI_FAKE_QUEUE into @r. */
static int fake_recv(struct mailslot_recv *r)
{
	const char *dir = getenv("CLI_FAKE_QUEUE");
	struct dirent **names;
	char path[PATH_MAX];
	int n, i, ret;

	n = dir ? scandir(dir, &names, visible, alphasort) : 0;
	if (n <= 0) {
		errno = EAGAIN;
		return -1;
	}
	snprintf(path, sizeof(path), "%s/%s", dir, names[0]->d_name);
	ret = deliver(path, names[0]->d_name, r);
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return ret;
}

/* SET_MAX_SIZE's @size, into $CLI_FAKE_LOG. */
static int fake_set_max_size(const __u32 *size)
{
	const char *log = getenv("CLI_FAKE_LOG");
	FILE *f = log ? fopen(log, "a") : NULL;

	if (f) {
		fprintf(f, "SET_MAX_SIZE %u\n", *size);
		fclose(f);
	}
	return 0;
}

int ioctl(int fd, unsigned long req, ...)
{
	static int (*real)(int fd, unsigned long req, ...);
	va_list ap;
	void *arg;

	va_start(ap, req);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (!real)
		real = dlsym(RTLD_NEXT, "ioctl");
	if (_IOC_TYPE(req) != MAILSLOT_IOC_MAGIC || !fd_faked(fd))
		return real(fd, req, arg);
	if (req == MAILSLOT_IOC_RECV)
		return fake_recv(arg);
	if (req == MAILSLOT_IOC_SET_MAX_SIZE)
		return fake_set_max_size(arg);
	return 0;
}
