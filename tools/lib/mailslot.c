// SPDX-License-Identifier: GPL-2.0
/*
 * libmailslot: the calls of Windows on mailslotfs's descriptors.
 *
 * A handle is a descriptor and whether it writes to another host. Names
 * are translated (names.c), then opened one level at a time below the
 * mount, each level checked to be on mailslotfs: a slot is never made,
 * nor a message written, anywhere else. Every failure sets errno and the
 * thread's last error (errors.c).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"

struct msl_handle {
	int fd;
	bool remote;	/* a client of another host's slot */
};

static __thread __u32 msl_error;

/* Fail with @err in @op: errno and the last error. Return: -1 */
static int msl_fail(int err, enum msl_op op)
{
	msl_error = msl_win32_error(err, op);
	errno = err;
	return -1;
}

static struct msl_handle *msl_fail_handle(int err, enum msl_op op)
{
	msl_fail(err, op);
	return MSL_INVALID_HANDLE;
}

static bool msl_valid(struct msl_handle *h)
{
	return h && h != MSL_INVALID_HANDLE;
}

/* close() that keeps errno */
static void msl_close_fd(int fd)
{
	int err = errno;

	close(fd);
	errno = err;
}

__u32 msl_last_error(void)
{
	return msl_error;
}

void msl_set_last_error(__u32 code)
{
	msl_error = code;
}

int msl_fd(struct msl_handle *h)
{
	return msl_valid(h) ? h->fd : msl_fail(EBADF, MSL_OP_OTHER);
}

/* The first mailslotfs mount of /proc/self/mounts: 1, 0 for none, -errno */
static int msl_mount_from_proc(char *buf, size_t len)
{
	FILE *f = fopen("/proc/self/mounts", "re");
	size_t size = 0;
	char *line = NULL;
	int found = 0;

	if (!f)
		return 0;
	while (!found && getline(&line, &size, f) > 0)
		found = msl_parse_mount_line(line, buf, len);
	free(line);
	fclose(f);
	return found;
}

int msl_mount_point(char *buf, size_t len)
{
	const char *env = getenv("MAILSLOT_MOUNT");
	int found;

	if (env && env[0]) {
		if (strlen(env) >= len)
			return msl_fail(ENAMETOOLONG, MSL_OP_OTHER);
		strcpy(buf, env);
		return 0;
	}
	found = msl_mount_from_proc(buf, len);
	if (found < 0)
		return msl_fail(-found, MSL_OP_OTHER);
	if (found)
		return 0;
	if (len <= strlen("/mailslot"))
		return msl_fail(ENAMETOOLONG, MSL_OP_OTHER);
	strcpy(buf, "/mailslot");
	return 0;
}

/* Is @fd on mailslotfs? 0, or -1 with errno ENODEV */
static int msl_check_fs(int fd)
{
	struct statfs st;

	if (fstatfs(fd, &st) || st.f_type != MAILSLOTFS_MAGIC) {
		errno = ENODEV;
		return -1;
	}
	return 0;
}

/* The mount's root directory (O_PATH), or -1 with errno */
static int msl_open_mount(void)
{
	char mnt[PATH_MAX];
	int dir;

	if (msl_mount_point(mnt, sizeof(mnt)))
		return -1;
	dir = open(mnt, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dir < 0) {
		if (errno == ENOENT || errno == ENOTDIR)
			errno = ENODEV;		/* no mailslotfs there */
		return -1;
	}
	if (msl_check_fs(dir)) {
		msl_close_fd(dir);
		return -1;
	}
	return dir;
}

/* The directory @level below @dir, made first when @make; or -1 */
static int msl_enter(int dir, const char *level, bool make)
{
	int fd;

	if (make && mkdirat(dir, level, 0777) && errno != EEXIST)
		return -1;
	fd = openat(dir, level, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd >= 0 && msl_check_fs(fd)) {
		msl_close_fd(fd);
		return -1;
	}
	return fd;
}

/*
 * Walk the directories of @rel (cut up here) from the mount, making the
 * missing ones when @make. Return: the last level's directory, its name
 * in *@last; or -1 with errno.
 */
static int msl_walk(char *rel, bool make, const char **last)
{
	int dir = msl_open_mount(), next;
	char *slash;

	while (dir >= 0 && (slash = strchr(rel, '/'))) {
		*slash = '\0';
		next = msl_enter(dir, rel, make);
		msl_close_fd(dir);
		dir = next;
		rel = slash + 1;
	}
	*last = rel;
	return dir;
}

/* Open the slot @name: a server (@create) or a client; -1 with errno */
static int msl_open_slot(const char *name, bool create, mode_t mode,
			 bool *remote)
{
	char rel[PATH_MAX];
	const char *last;
	int dir, fd, err;

	err = msl_translate_name(name, NULL, create ? MSL_NAME_CREATE : 0,
				 rel, sizeof(rel));
	if (err) {
		errno = -err;
		return -1;
	}
	*remote = rel[0] == '@';
	dir = msl_walk(rel, create, &last);
	if (dir < 0)
		return -1;
	if (create)
		fd = openat(dir, last, O_RDONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
			    O_CLOEXEC, mode);
	else
		fd = openat(dir, last, O_WRONLY | O_NOFOLLOW | O_CLOEXEC);
	msl_close_fd(dir);
	if (fd >= 0 && msl_check_fs(fd)) {
		msl_close_fd(fd);
		return -1;
	}
	return fd;
}

/* CreateMailslot's size and timeout on a new server; 0 or -1 */
static int msl_setup_server(int fd, __u32 max_msg_size,
			    __s32 read_timeout_ms)
{
	__u32 max = max_msg_size;
	__s32 timeout = read_timeout_ms;

	if (max && ioctl(fd, MAILSLOT_IOC_SET_MAX_SIZE, &max))
		return -1;
	if (timeout != MAILSLOT_WAIT_FOREVER &&
	    ioctl(fd, MAILSLOT_IOC_SET_TIMEOUT, &timeout))
		return -1;
	return 0;
}

struct msl_handle *msl_create_mode(const char *name, __u32 max_msg_size,
				   __s32 read_timeout_ms, mode_t mode)
{
	struct msl_handle *h;
	bool remote;

	if (read_timeout_ms < MAILSLOT_WAIT_FOREVER)
		return msl_fail_handle(EINVAL, MSL_OP_SET_INFO);
	h = malloc(sizeof(*h));
	if (!h)
		return msl_fail_handle(ENOMEM, MSL_OP_CREATE);
	h->fd = msl_open_slot(name, true, mode, &remote);
	if (h->fd < 0)
		goto fail;
	h->remote = remote;
	if (msl_setup_server(h->fd, max_msg_size, read_timeout_ms)) {
		msl_close_fd(h->fd);	/* the slot goes with its server */
		free(h);
		return msl_fail_handle(errno, MSL_OP_SET_INFO);
	}
	return h;
fail:
	free(h);
	return msl_fail_handle(errno, MSL_OP_CREATE);
}

struct msl_handle *msl_create(const char *name, __u32 max_msg_size,
			      __s32 read_timeout_ms)
{
	return msl_create_mode(name, max_msg_size, read_timeout_ms, 0666);
}

struct msl_handle *msl_open(const char *name)
{
	struct msl_handle *h = malloc(sizeof(*h));

	if (!h)
		return msl_fail_handle(ENOMEM, MSL_OP_OPEN);
	h->fd = msl_open_slot(name, false, 0, &h->remote);
	if (h->fd < 0) {
		free(h);
		return msl_fail_handle(errno, MSL_OP_OPEN);
	}
	return h;
}

int msl_close(struct msl_handle *h)
{
	int err = 0;

	if (!msl_valid(h))
		return msl_fail(EBADF, MSL_OP_CLOSE);
	/* the descriptor is closed even when close() fails (but for EBADF) */
	if (close(h->fd) && errno != EINTR)
		err = errno;
	free(h);
	return err ? msl_fail(err, MSL_OP_CLOSE) : 0;
}

int msl_query(struct msl_handle *h, struct mailslot_info *info)
{
	if (!msl_valid(h))
		return msl_fail(EBADF, MSL_OP_INFO);
	if (ioctl(h->fd, MAILSLOT_IOC_GET_INFO, info))
		return msl_fail(errno, MSL_OP_INFO);
	return 0;
}

int msl_get_info(struct msl_handle *h, __u32 *max_msg_size,
		 __u32 *next_size, __u32 *msg_count,
		 __s32 *read_timeout_ms)
{
	struct mailslot_info info;

	if (msl_query(h, &info))
		return -1;
	if (max_msg_size)
		*max_msg_size = info.max_msg_size;
	if (next_size)
		*next_size = info.next_size;
	if (msg_count)
		*msg_count = info.msg_count;
	if (read_timeout_ms)
		*read_timeout_ms = info.read_timeout;
	return 0;
}

int msl_set_info(struct msl_handle *h, __s32 read_timeout_ms)
{
	__s32 timeout = read_timeout_ms;

	if (!msl_valid(h))
		return msl_fail(EBADF, MSL_OP_OTHER);
	if (ioctl(h->fd, MAILSLOT_IOC_SET_TIMEOUT, &timeout))
		return msl_fail(errno, MSL_OP_SET_INFO);
	return 0;
}

int msl_read(struct msl_handle *h, void *buf, __u32 len, __u32 *nread)
{
	ssize_t n;

	if (nread)
		*nread = 0;
	if (!msl_valid(h))
		return msl_fail(EBADF, MSL_OP_OTHER);
	n = read(h->fd, buf, len);
	if (n < 0)
		return msl_fail(errno, MSL_OP_READ);
	if (nread)
		*nread = n;
	return 0;
}

/**
 * msl_write_nosigpipe() - write(), and no SIGPIPE
 * @fd: where to
 * @buf: what
 * @len: its length
 *
 * SIGPIPE is blocked during the write; the one a write to a slot whose
 * server has gone raises is taken back, unless one was pending already.
 *
 * Return: what write() returns, errno as it sets it.
 */
ssize_t msl_write_nosigpipe(int fd, const void *buf, size_t len)
{
	const struct timespec now = { 0 };
	sigset_t pipe, old, pending;
	bool was_pending;
	ssize_t n;
	int err;

	sigemptyset(&pipe);
	sigaddset(&pipe, SIGPIPE);
	sigpending(&pending);
	was_pending = sigismember(&pending, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &pipe, &old);
	n = write(fd, buf, len);
	err = errno;
	if (n < 0 && err == EPIPE && !was_pending)
		sigtimedwait(&pipe, NULL, &now);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	errno = err;
	return n;
}

int msl_write(struct msl_handle *h, const void *buf, __u32 len,
	      __u32 *nwritten)
{
	ssize_t n;

	if (nwritten)
		*nwritten = 0;
	if (!msl_valid(h))
		return msl_fail(EBADF, MSL_OP_OTHER);
	n = msl_write_nosigpipe(h->fd, buf, len);
	if (n < 0)
		return msl_fail(errno, h->remote ? MSL_OP_WRITE_REMOTE :
				MSL_OP_WRITE);
	if (nwritten)
		*nwritten = n;
	return 0;
}
