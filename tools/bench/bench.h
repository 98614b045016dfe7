/* SPDX-License-Identifier: GPL-2.0 */
/*
 * msfs-bench: what `make bench` measures in the guest. See
 * tools/bench/main.c for the commands and Documentation/performance.rst
 * for what the figures mean.
 */
#ifndef MSFS_BENCH_H
#define MSFS_BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdnoreturn.h>
#include <sys/types.h>

#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))

#define BENCH_MAX_WRITERS	64
#define BENCH_MAX_MSG		65536

/* the queue budget every transport gets: 1024 messages or 16 MiB */
#define BENCH_QUEUE_MSGS	1024
#define BENCH_QUEUE_BYTES	(16 << 20)

/**
 * struct bench_opts - what one command was asked to do
 * @transport: "msfs", "mq", "dgram", "seqpacket", "pipe" or "udp"
 * @dir: where mailslotfs is mounted
 * @size: message size in bytes
 * @writers: number of writer processes
 * @seconds: how long to send
 * @count: messages (memory), slots (names), latency samples per writer
 * @ops: operations to time (names)
 * @depth: messages the queue may hold (default: the budget)
 * @ns_a: network namespace of the remote sender
 * @ns_b: network namespace of the remote receiver
 * @addr_b: IPv4 address of the receiver
 * @run: run number, copied to the output
 * @pin: the reader on the first CPU, the writers on the second
 * @inject: a test of the checks: writer 0 "loses", "dups" or "swaps" a
 *	message of its stream on purpose, and the run must fail
 */
struct bench_opts {
	const char *transport;
	const char *dir;
	size_t size;
	int writers;
	double seconds;
	long count;
	long ops;
	long depth;
	const char *ns_a;
	const char *ns_b;
	const char *addr_b;
	int run;
	const char *inject;
	bool pin;
};

struct transport;

/**
 * struct queue - one queue of a transport, as the reader holds it
 * @t: the transport
 * @o: the options it was made with
 * @depth: messages it may hold
 * @msgsize: largest message
 * @rfd: the reader's descriptor
 * @lfd: seqpacket: the listening socket; pipe: the write end
 * @wfd: a writer's descriptor (in the writer's process)
 * @cfd: seqpacket: the reader's connections, one per writer
 * @epfd: seqpacket with several writers: an epoll of @cfd
 * @ready: seqpacket: connections epoll said were readable
 * @nready: how many of @ready are left
 * @nonblock: seqpacket: the reader no longer waits
 * @name: path or name of the queue
 */
struct queue {
	const struct transport *t;
	const struct bench_opts *o;
	long depth;
	size_t msgsize;
	int rfd;
	int lfd;
	int wfd;
	int cfd[BENCH_MAX_WRITERS];
	int epfd;
	int ready[BENCH_MAX_WRITERS];
	int nready;
	bool nonblock;
	char name[256];
};

/**
 * struct transport - the calls a benchmark makes on a transport
 * @name: as given to -t
 * @create: make the queue, as its reader (before the writers fork)
 * @writer_open: in a writer's process: open the queue for writing
 * @accept: after the writers opened theirs: seqpacket accepts them
 * @send: one message; the length sent, or -1 with errno
 * @recv: one message; its length, or -1 with errno (EINTR: a signal)
 * @set_nonblock: make the reader's next @recv fail with EAGAIN if empty
 * @destroy: the reader closes and removes the queue
 */
struct transport {
	const char *name;
	int (*create)(struct queue *q);
	int (*writer_open)(struct queue *q);
	int (*accept)(struct queue *q);
	ssize_t (*send)(struct queue *q, const void *buf, size_t len);
	ssize_t (*recv)(struct queue *q, void *buf, size_t len);
	int (*set_nonblock)(struct queue *q);
	void (*destroy)(struct queue *q);
};

/* main.c */
uint64_t now_ns(void);
void futex_wait(uint32_t *addr, uint32_t val);
void futex_wake(uint32_t *addr);
noreturn void die(const char *fmt, ...);
void *shared_alloc(size_t size);
void raise_limits(long fds);
void pin_to(int cpu);

/* transport.c */
const struct transport *transport_find(const char *name);
long queue_depth(const struct bench_opts *o);
int queue_create(struct queue *q, const struct bench_opts *o);

/* the commands */
int cmd_tput(const struct bench_opts *o);
int cmd_lat(const struct bench_opts *o);
int cmd_mem(const struct bench_opts *o);
int cmd_names(const struct bench_opts *o);
int cmd_remote(const struct bench_opts *o);

#endif /* MSFS_BENCH_H */
