// SPDX-License-Identifier: GPL-2.0
/*
 * msfs-bench: the transports, each with the same queue budget (see
 * queue_depth()): mailslotfs, POSIX mqueue, AF_UNIX SOCK_DGRAM and
 * SOCK_SEQPACKET, and a pipe as the byte-stream ceiling.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "bench.h"

/*
 * Messages a queue of @o may hold: 1024, or as many as fit in 16 MiB, as
 * mailslotfs's slot_msgs=1024,slot_bytes=16M would allow; -q overrides it.
 */
long queue_depth(const struct bench_opts *o)
{
	long depth = BENCH_QUEUE_BYTES / (o->size ? o->size : 1);

	if (o->depth)
		return o->depth;
	return depth < BENCH_QUEUE_MSGS ? depth : BENCH_QUEUE_MSGS;
}

static int write_file(const char *path, const char *fmt, long v)
{
	FILE *f = fopen(path, "w");
	int err;

	if (!f)
		return -1;
	fprintf(f, fmt, v);
	err = fclose(f);
	return err ? -1 : 0;
}

/* mailslotfs: a slot of the instance at o->dir */

static int msfs_create(struct queue *q)
{
	char opts[128];
	long bytes = BENCH_QUEUE_BYTES;

	if (q->depth * (long)q->o->size > bytes)
		bytes = q->depth * (long)q->o->size;
	/*
	 * a slot takes the limits of its namespace when it is created; the
	 * namespace's budget and the writers' share (root's too) must not
	 * bind before the slot's
	 */
	snprintf(opts, sizeof(opts),
		 "slot_msgs=%ld,slot_bytes=%ld,total_bytes=1G,user_bytes=1G",
		 q->depth, bytes);
	if (mount(NULL, q->o->dir, NULL, MS_REMOUNT, opts))
		die("remount %s -o %s: %s", q->o->dir, opts, strerror(errno));
	snprintf(q->name, sizeof(q->name), "%s/bench-%d", q->o->dir, getpid());
	q->rfd = open(q->name, O_RDONLY | O_CREAT | O_EXCL, 0600);
	return q->rfd < 0 ? -1 : 0;
}

static int msfs_writer_open(struct queue *q)
{
	q->wfd = open(q->name, O_WRONLY);
	return q->wfd < 0 ? -1 : 0;
}

static ssize_t fd_send(struct queue *q, const void *buf, size_t len)
{
	return write(q->wfd, buf, len);
}

static ssize_t fd_recv(struct queue *q, void *buf, size_t len)
{
	return read(q->rfd, buf, len);
}

static int fd_set_nonblock(struct queue *q)
{
	return fcntl(q->rfd, F_SETFL, fcntl(q->rfd, F_GETFL) | O_NONBLOCK);
}

static void fd_destroy(struct queue *q)
{
	close(q->rfd);
}

/* POSIX message queues */

static int mq_create(struct queue *q)
{
	struct mq_attr attr = {
		.mq_maxmsg = q->depth,
		.mq_msgsize = q->msgsize,
	};

	snprintf(q->name, sizeof(q->name), "/msfs-bench-%d", getpid());
	mq_unlink(q->name);
	q->rfd = mq_open(q->name, O_RDONLY | O_CREAT | O_EXCL, 0600, &attr);
	return q->rfd < 0 ? -1 : 0;
}

static int mq_writer_open(struct queue *q)
{
	q->wfd = mq_open(q->name, O_WRONLY);
	return q->wfd < 0 ? -1 : 0;
}

static ssize_t mq_send_one(struct queue *q, const void *buf, size_t len)
{
	return mq_send(q->wfd, buf, len, 0) ? -1 : (ssize_t)len;
}

static ssize_t mq_recv_one(struct queue *q, void *buf, size_t len)
{
	return mq_receive(q->rfd, buf, len, NULL);
}

static int mq_set_nonblock(struct queue *q)
{
	struct mq_attr attr = { .mq_flags = O_NONBLOCK };

	return mq_setattr(q->rfd, &attr, NULL);
}

static void mq_destroy(struct queue *q)
{
	mq_close(q->rfd);
	mq_unlink(q->name);
}

/* AF_UNIX: an abstract address; the budget is each writer's share of it */

static socklen_t unix_addr(struct queue *q, struct sockaddr_un *sun)
{
	size_t len = strnlen(q->name, sizeof(sun->sun_path) - 1);

	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	/* an abstract name: a NUL, then the queue's name */
	memcpy(sun->sun_path + 1, q->name, len);
	return offsetof(struct sockaddr_un, sun_path) + 1 + len;
}

/*
 * A writer may have its share of 16 MiB in flight (the kernel doubles
 * what SO_SNDBUF asks, to make room for its own overhead), or more when
 * -q asks for a deeper queue (the memory benchmark).
 */
static int unix_sndbuf(struct queue *q, int fd)
{
	long want = BENCH_QUEUE_BYTES / q->o->writers / 2;
	long deep = q->depth * (long)(q->o->size + 2048);
	int val;

	if (q->o->depth && deep > want)
		want = deep;
	val = want;
	return setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &val, sizeof(val));
}

static int unix_create(struct queue *q, int type)
{
	struct sockaddr_un sun;
	int val = BENCH_QUEUE_BYTES / 2;

	/* a socket takes max_dgram_qlen when it is created */
	if (type == SOCK_DGRAM &&
	    write_file("/proc/sys/net/unix/max_dgram_qlen", "%ld\n", q->depth))
		die("net.unix.max_dgram_qlen: %s", strerror(errno));
	snprintf(q->name, sizeof(q->name), "msfs-bench-%d", getpid());
	q->lfd = socket(AF_UNIX, type, 0);
	if (q->lfd < 0 ||
	    setsockopt(q->lfd, SOL_SOCKET, SO_RCVBUFFORCE, &val, sizeof(val)) ||
	    bind(q->lfd, (struct sockaddr *)&sun, unix_addr(q, &sun)))
		return -1;
	q->rfd = q->lfd;
	if (type == SOCK_SEQPACKET)
		return listen(q->lfd, q->o->writers);
	return 0;
}

static int dgram_create(struct queue *q)
{
	return unix_create(q, SOCK_DGRAM);
}

static int seqpacket_create(struct queue *q)
{
	return unix_create(q, SOCK_SEQPACKET);
}

static int unix_writer_open(struct queue *q, int type)
{
	struct sockaddr_un sun;

	q->wfd = socket(AF_UNIX, type, 0);
	if (q->wfd < 0 || unix_sndbuf(q, q->wfd))
		return -1;
	return connect(q->wfd, (struct sockaddr *)&sun, unix_addr(q, &sun));
}

static int dgram_writer_open(struct queue *q)
{
	return unix_writer_open(q, SOCK_DGRAM);
}

static int seqpacket_writer_open(struct queue *q)
{
	return unix_writer_open(q, SOCK_SEQPACKET);
}

static ssize_t sock_send(struct queue *q, const void *buf, size_t len)
{
	return send(q->wfd, buf, len, 0);
}

static ssize_t sock_recv(struct queue *q, void *buf, size_t len)
{
	return recv(q->rfd, buf, len, 0);
}

static int sock_set_nonblock(struct queue *q)
{
	return fd_set_nonblock(q);
}

/*
 * Seqpacket: one connection per writer. With one writer the reader reads
 * it as the others read theirs; with more it waits in epoll and reads the
 * connections that are ready until each runs dry.
 */
static int seqpacket_accept(struct queue *q)
{
	struct epoll_event ev = { .events = EPOLLIN };
	int i, n = q->o->writers;

	for (i = 0; i < n; i++) {
		q->cfd[i] = accept4(q->lfd, NULL, NULL, n > 1 ? SOCK_NONBLOCK : 0);
		if (q->cfd[i] < 0)
			return -1;
	}
	q->rfd = q->cfd[0];
	if (n == 1)
		return 0;
	q->epfd = epoll_create1(0);
	if (q->epfd < 0)
		return -1;
	for (i = 0; i < n; i++) {
		ev.data.fd = q->cfd[i];
		if (epoll_ctl(q->epfd, EPOLL_CTL_ADD, q->cfd[i], &ev))
			return -1;
	}
	return 0;
}

static ssize_t seqpacket_recv(struct queue *q, void *buf, size_t len)
{
	struct epoll_event ev[BENCH_MAX_WRITERS];
	ssize_t ret;
	int i, n;

	if (q->o->writers == 1)
		return recv(q->rfd, buf, len, 0);
	for (;;) {
		if (!q->nready) {
			n = epoll_wait(q->epfd, ev, q->o->writers,
				       q->nonblock ? 0 : -1);
			if (n < 0)
				return -1;
			if (!n) {
				errno = EAGAIN;
				return -1;
			}
			for (i = 0; i < n; i++)
				q->ready[i] = ev[i].data.fd;
			q->nready = n;
		}
		ret = recv(q->ready[q->nready - 1], buf, len, MSG_DONTWAIT);
		if (ret >= 0 || errno != EAGAIN)
			return ret;
		q->nready--;
	}
}

static int seqpacket_set_nonblock(struct queue *q)
{
	if (q->o->writers == 1)
		return fd_set_nonblock(q);
	q->nonblock = true;	/* the reader's epoll_wait does not wait */
	return 0;
}

static void sock_destroy(struct queue *q)
{
	int i;

	for (i = 0; i < q->o->writers && q->t->accept; i++)
		close(q->cfd[i]);
	if (q->epfd > 0)
		close(q->epfd);
	close(q->lfd);
}

/*
 * A pipe, 16 MiB: a byte stream, so the reader reads each message whole
 * by its known size. Writes above PIPE_BUF may interleave, so several
 * writers of 64 KiB messages is not a pipe's job; nor are empty messages.
 */
static int pipe_create(struct queue *q)
{
	int p[2];

	if ((q->o->writers > 1 && q->o->size > 4096) || !q->o->size) {
		errno = EINVAL;
		return -1;
	}
	if (pipe(p))
		return -1;
	q->rfd = p[0];
	q->lfd = p[1];
	return fcntl(p[1], F_SETPIPE_SZ, BENCH_QUEUE_BYTES) < 0 ? -1 : 0;
}

static int pipe_writer_open(struct queue *q)
{
	q->wfd = q->lfd;
	return 0;
}

static ssize_t pipe_recv(struct queue *q, void *buf, size_t len)
{
	size_t got = 0;
	ssize_t n;

	if (len < q->o->size) {
		errno = EMSGSIZE;
		return -1;
	}
	while (got < q->o->size) {
		n = read(q->rfd, (char *)buf + got, q->o->size - got);
		if (n < 0 && errno == EINTR && got)
			continue;
		if (n < 0)
			return -1;
		if (!n)
			break;
		got += n;
	}
	return got;
}

static void pipe_destroy(struct queue *q)
{
	close(q->rfd);
	close(q->lfd);
}

static const struct transport transports[] = {
	{ "msfs", msfs_create, msfs_writer_open, NULL, fd_send, fd_recv,
	  fd_set_nonblock, fd_destroy },
	{ "mq", mq_create, mq_writer_open, NULL, mq_send_one, mq_recv_one,
	  mq_set_nonblock, mq_destroy },
	{ "dgram", dgram_create, dgram_writer_open, NULL, sock_send, sock_recv,
	  sock_set_nonblock, sock_destroy },
	{ "seqpacket", seqpacket_create, seqpacket_writer_open,
	  seqpacket_accept, sock_send, seqpacket_recv, seqpacket_set_nonblock,
	  sock_destroy },
	{ "pipe", pipe_create, pipe_writer_open, NULL, fd_send, pipe_recv,
	  fd_set_nonblock, pipe_destroy },
};

const struct transport *transport_find(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(transports); i++)
		if (!strcmp(transports[i].name, name))
			return &transports[i];
	return NULL;
}

/* Make the queue of @o; the reader's side of @q is ready. */
int queue_create(struct queue *q, const struct bench_opts *o)
{
	memset(q, 0, sizeof(*q));
	q->t = transport_find(o->transport);
	if (!q->t)
		die("no such transport: %s", o->transport);
	q->o = o;
	q->depth = queue_depth(o);
	q->msgsize = o->size ? o->size : 1;
	q->rfd = -1;
	q->lfd = -1;
	q->wfd = -1;
	q->epfd = -1;
	if (q->t->create(q))
		return -1;
	return 0;
}
