// SPDX-License-Identifier: GPL-2.0
/*
 * msfs-bench: throughput and one-way latency, W writer processes to one
 * reader, every message checked.
 *
 * A message of 8 bytes or more starts with its writer's number and its
 * sequence number in that writer's stream (host order); from 12 bytes on
 * it ends with the complement of the sequence number, so that a message
 * cut short or made of two shows. The reader checks the length of every
 * message and, where they fit, the writer, the sequence (each writer's
 * messages arrive once, in order) and the trailer. Empty messages carry
 * nothing: their count is checked, and that nothing is left queued.
 *
 * Throughput: the writers send as fast as they can until the time is up
 * (a timer in the reader sets the stop flag), then publish how many they
 * sent; the reader takes everything and stops when it has them all (the
 * timer keeps interrupting its wait so that it sees the last writer end).
 * The rate is what the reader took while the writers were sending, over
 * that time, after a warm-up (a quarter of it, at most 0.25 s: slab
 * caches grow, pages fault in): not what was left queued when they
 * stopped, which the reader drains alone (a transport with deep buffers
 * would gain by it).
 *
 * Latency: each writer notes the time, sends one message and waits until
 * the reader has taken it; the reader notes when it got it. One message
 * per writer is in flight, so this is the hand-off, not queueing.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdalign.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"

#define HDR_LEN		8
#define TRAILER_MIN	12
#define TICK_US		10000	/* the reader's timer, once the time is up */

/**
 * struct writer_state - a writer's part of the shared page
 * @sent: messages sent, once @done
 * @nvcsw: its voluntary context switches (times it slept)
 * @ack: latency: the sequence number the reader has taken, plus one
 * @t_send: latency: when the message in flight was sent
 */
struct writer_state {
	alignas(64) uint64_t sent;
	uint64_t nvcsw;
	uint32_t ack;
	uint64_t t_send;
};

/**
 * struct shared - what the reader and the writers share
 * @ready: writers that have opened the queue
 * @go: the writers may start
 * @stop: throughput: the time is up
 * @done: writers that have finished sending
 * @finished: the reader is done: the writers may close and exit
 * @w: each writer's state
 */
struct shared {
	uint32_t ready;
	uint32_t go;
	uint32_t stop;
	uint32_t done;
	uint32_t finished;
	struct writer_state w[BENCH_MAX_WRITERS];
};

static struct shared *sh;
static bool latency;

/* throughput: the window measured, and what the reader took by then */
static double window;
static uint64_t taken;	/* the reader's count, for its signal handler */
static uint64_t t_warm, n_warm, t_stop, n_stop;

static void arm_timer(double first, long interval_us)
{
	struct itimerval it = {
		.it_interval = { interval_us / 1000000, interval_us % 1000000 },
		.it_value = { (long)first, (long)((first - (long)first) * 1e6) },
	};

	setitimer(ITIMER_REAL, &it, NULL);
}

/* Throughput: the warm-up is over; then the time is up. */
static void on_alarm(int sig)
{
	if (sig != SIGALRM || latency)
		return;
	if (!t_warm) {
		t_warm = now_ns();
		n_warm = __atomic_load_n(&taken, __ATOMIC_RELAXED);
		arm_timer(window, TICK_US);
	} else if (!t_stop) {
		t_stop = now_ns();
		n_stop = __atomic_load_n(&taken, __ATOMIC_RELAXED);
		__atomic_store_n(&sh->stop, 1, __ATOMIC_RELAXED);
	}
}

static void stamp(char *buf, size_t size, uint32_t w, uint32_t seq)
{
	uint32_t tail = ~seq;

	if (size >= HDR_LEN) {
		memcpy(buf, &w, 4);
		memcpy(buf + 4, &seq, 4);
	}
	if (size >= TRAILER_MIN)
		memcpy(buf + size - 4, &tail, 4);
}

/*
 * The sequence number message @seq of writer @w carries: its own, but
 * when -x asks the first writer to lose message INJECT_AT (every later
 * one carries the next number), send it twice, or swap it with the next.
 */
#define INJECT_AT	10
static uint32_t wire_seq(const struct bench_opts *o, int w, uint32_t seq)
{
	if (w || !o->inject || seq < INJECT_AT)
		return seq;
	if (!strcmp(o->inject, "lose"))
		return seq + 1;
	if (!strcmp(o->inject, "dup"))
		return seq - (seq > INJECT_AT);
	if (seq <= INJECT_AT + 1)	/* swap */
		return 2 * INJECT_AT + 1 - seq;
	return seq;
}

static bool inject_ok(const char *kind)
{
	return !strcmp(kind, "lose") || !strcmp(kind, "dup") ||
	       !strcmp(kind, "swap");
}

static void writer_fail(int w, const char *what)
{
	fprintf(stderr, "msfs-bench: writer %d: %s: %s\n", w, what,
		strerror(errno));
	_exit(1);
}

static void writer_main(struct queue *q, int w, long samples)
{
	struct writer_state *ws = &sh->w[w];
	size_t size = q->o->size;
	char *buf = calloc(1, size + 1);
	struct rusage ru;
	uint32_t seq = 0;
	int status = 0;

	signal(SIGPIPE, SIG_IGN);
	if (q->o->pin)
		pin_to(1);
	/* the reader's end is the reader's: when it goes, the queue goes */
	if (q->rfd >= 0)
		close(q->rfd);
	if (!buf || q->t->writer_open(q))
		writer_fail(w, "open");
	memset(buf, 'a' + w % 26, size);
	__atomic_add_fetch(&sh->ready, 1, __ATOMIC_RELEASE);
	futex_wake(&sh->ready);
	futex_wait(&sh->go, 0);
	for (;; seq++) {
		if (latency ? seq == samples :
		    __atomic_load_n(&sh->stop, __ATOMIC_RELAXED))
			break;
		stamp(buf, size, w, wire_seq(q->o, w, seq));
		if (latency)
			__atomic_store_n(&ws->t_send, now_ns(), __ATOMIC_RELEASE);
		if (q->t->send(q, buf, size) != (ssize_t)size) {
			fprintf(stderr, "msfs-bench: writer %d: send %u: %s\n",
				w, seq, strerror(errno));
			status = 1;
			break;
		}
		if (latency)
			futex_wait(&ws->ack, seq);
	}
	getrusage(RUSAGE_SELF, &ru);
	ws->nvcsw = ru.ru_nvcsw;
	ws->sent = seq;
	__atomic_add_fetch(&sh->done, 1, __ATOMIC_RELEASE);
	futex_wait(&sh->finished, 0);
	_exit(status);
}

/**
 * struct reader - what the reader keeps
 * @q: the queue
 * @buf: a message
 * @next: each writer's next sequence number
 * @received: messages taken
 * @lat: latency samples, in ns
 * @nlat: how many
 */
struct reader {
	struct queue *q;
	char *buf;
	uint32_t next[BENCH_MAX_WRITERS];
	uint64_t received;
	uint64_t *lat;
	long nlat;
};

/*
 * What the writers sent: latency, @samples each; throughput, what they
 * said once all of them are done (until then, ~0).
 */
static uint64_t total_sent(int writers, long samples)
{
	uint64_t sum = 0;
	int i;

	if (latency)
		return (uint64_t)samples * writers;
	if (__atomic_load_n(&sh->done, __ATOMIC_ACQUIRE) != (uint32_t)writers)
		return ~0ULL;
	for (i = 0; i < writers; i++)
		sum += sh->w[i].sent;
	return sum;
}

/* Check one message of @len bytes; the writer it came from, or -1. */
static int check(struct reader *r, ssize_t len)
{
	const struct bench_opts *o = r->q->o;
	uint32_t w, seq, tail;

	if (len != (ssize_t)o->size)
		die("%s: message %llu is %zd bytes, sent %zu", o->transport,
		    (unsigned long long)r->received, len, o->size);
	if (o->size < HDR_LEN)
		return o->writers == 1 ? 0 : -1;
	memcpy(&w, r->buf, 4);
	memcpy(&seq, r->buf + 4, 4);
	if (w >= (uint32_t)o->writers)
		die("%s: message from writer %u of %d: damaged", o->transport,
		    w, o->writers);
	if (seq < r->next[w])
		die("%s: writer %u: message %u after %u: duplicated or reordered",
		    o->transport, w, seq, r->next[w] - 1);
	if (seq > r->next[w])
		die("%s: writer %u: message %u where %u was due: lost or reordered",
		    o->transport, w, seq, r->next[w]);
	memcpy(&tail, r->buf + o->size - 4, 4);
	if (o->size >= TRAILER_MIN && tail != ~seq)
		die("%s: writer %u: message %u: its end is not its own",
		    o->transport, w, seq);
	r->next[w]++;
	return w;
}

static void take_latency(struct reader *r, int w)
{
	struct writer_state *ws = &sh->w[w];
	uint64_t t = now_ns();

	r->lat[r->nlat++] = t - __atomic_load_n(&ws->t_send, __ATOMIC_ACQUIRE);
	__atomic_store_n(&ws->ack, ws->ack + 1, __ATOMIC_RELEASE);
	futex_wake(&ws->ack);
}

/* Take messages until every writer is done and all they sent is here. */
static void read_all(struct reader *r, long samples, uint64_t deadline)
{
	const struct bench_opts *o = r->q->o;
	ssize_t len;
	int w;

	while (r->received < total_sent(o->writers, samples)) {
		len = r->q->t->recv(r->q, r->buf, BENCH_MAX_MSG + 64);
		if (len < 0 && errno == EINTR) {
			if (now_ns() > deadline)
				die("%s: %llu messages received, then nothing: lost",
				    o->transport, (unsigned long long)r->received);
			continue;
		}
		if (len < 0)
			die("%s: receive: %s", o->transport, strerror(errno));
		w = check(r, len);
		__atomic_store_n(&taken, ++r->received, __ATOMIC_RELAXED);
		if (latency)
			take_latency(r, w);
	}
	if (r->q->t->set_nonblock(r->q))
		die("%s: nonblocking: %s", o->transport, strerror(errno));
	len = r->q->t->recv(r->q, r->buf, BENCH_MAX_MSG + 64);
	if (len >= 0 || errno != EAGAIN)
		die("%s: a message more than the writers sent: duplicated (%s)",
		    o->transport, len >= 0 ? "queued" : strerror(errno));
	for (w = 0; w < o->writers && o->size >= HDR_LEN; w++)
		if (r->next[w] != (latency ? (uint64_t)samples : sh->w[w].sent))
			die("%s: writer %d: %u received of %llu sent", o->transport,
			    w, r->next[w], (unsigned long long)sh->w[w].sent);
}

/*
 * Throughput: SIGALRM when the warm-up is over, when the time is up, then
 * every tick. Latency: every second, to check the deadline.
 */
static void start_timer(double seconds)
{
	struct sigaction sa = { .sa_handler = on_alarm };	/* no SA_RESTART */

	sigaction(SIGALRM, &sa, NULL);
	window = seconds;
	if (latency)
		arm_timer(1, 1000000);
	else
		arm_timer(seconds / 4 < 0.25 ? seconds / 4 : 0.25, 0);
}

static pid_t pid[BENCH_MAX_WRITERS];

/* When the reader fails, the writers it leaves behind go too. */
static void kill_writers(void)
{
	int i;

	for (i = 0; i < BENCH_MAX_WRITERS; i++)
		if (pid[i] > 0)
			kill(pid[i], SIGKILL);
}

/* Fork the writers, start them, read everything; 0 if they all did well. */
static int run(struct queue *q, struct reader *r, long samples, uint64_t *t0)
{
	const struct bench_opts *o = q->o;
	int i, status, failed = 0;
	uint32_t n;

	atexit(kill_writers);
	if (o->pin)
		pin_to(0);
	for (i = 0; i < o->writers; i++) {
		pid[i] = fork();
		if (pid[i] < 0)
			die("fork: %s", strerror(errno));
		if (!pid[i])
			writer_main(q, i, samples);
	}
	while ((n = __atomic_load_n(&sh->ready, __ATOMIC_ACQUIRE)) < (uint32_t)o->writers)
		futex_wait(&sh->ready, n);
	if (q->t->accept && q->t->accept(q))
		die("%s: accept: %s", o->transport, strerror(errno));
	start_timer(latency ? 0 : o->seconds);
	*t0 = now_ns();
	__atomic_store_n(&sh->go, 1, __ATOMIC_RELEASE);
	futex_wake(&sh->go);
	read_all(r, samples, *t0 + (uint64_t)((o->seconds * 4 + 60) * 1e9));
	arm_timer(0, 0);
	__atomic_store_n(&sh->finished, 1, __ATOMIC_RELEASE);
	futex_wake(&sh->finished);
	for (i = 0; i < o->writers; i++) {
		if (waitpid(pid[i], &status, 0) < 0 || !WIFEXITED(status) ||
		    WEXITSTATUS(status))
			failed = 1;
		pid[i] = 0;
	}
	return failed;
}

static void setup(const struct bench_opts *o, struct queue *q, struct reader *r)
{
	raise_limits(1024);
	sh = shared_alloc(sizeof(*sh));
	memset(r, 0, sizeof(*r));
	r->q = q;
	r->buf = malloc(BENCH_MAX_MSG + 64);
	if (!r->buf)
		die("out of memory");
	if (queue_create(q, o))
		die("%s: cannot make a queue of %zu-byte messages for %d writers: %s",
		    o->transport, o->size, o->writers, strerror(errno));
}

int cmd_tput(const struct bench_opts *o)
{
	uint64_t t0, msgs, wsleep = 0, wmin = ~0ULL, wmax = 0;
	struct queue q;
	struct reader r;
	struct rusage ru;
	double secs;
	int i;

	if (o->inject && (o->size < HDR_LEN || !inject_ok(o->inject)))
		die("-x lose, dup or swap, with messages of %d bytes or more",
		    HDR_LEN);
	setup(o, &q, &r);
	if (run(&q, &r, 0, &t0))
		die("%s: a writer failed", o->transport);
	getrusage(RUSAGE_SELF, &ru);
	q.t->destroy(&q);
	msgs = n_stop - n_warm;
	secs = (t_stop - t_warm) / 1e9;
	for (i = 0; i < o->writers; i++) {
		wsleep += sh->w[i].nvcsw;
		wmin = sh->w[i].sent < wmin ? sh->w[i].sent : wmin;
		wmax = sh->w[i].sent > wmax ? sh->w[i].sent : wmax;
	}
	if (!msgs)
		die("%s: nothing received in time", o->transport);
	/*
	 * type,transport,writers,size,run,msgs,secs,msgs/s,MB/s,writer and
	 * reader sleeps/msg,fairness,messages drained after the time was up,
	 * messages in all
	 */
	printf("tput,%s,%d,%zu,%d,%llu,%.3f,%.0f,%.2f,%.3f,%.3f,%.2f,%llu,%llu\n",
	       o->transport, o->writers, o->size, o->run,
	       (unsigned long long)msgs, secs, msgs / secs,
	       msgs * (double)o->size / secs / 1e6,
	       (double)wsleep / r.received, (double)ru.ru_nvcsw / r.received,
	       wmax ? (double)wmin / wmax : 0,
	       (unsigned long long)(r.received - n_stop),
	       (unsigned long long)r.received);
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

int cmd_lat(const struct bench_opts *o)
{
	struct queue q;
	struct reader r;
	uint64_t t0;
	long n;

	if (o->size < HDR_LEN && o->writers > 1)
		die("%s: %zu-byte messages from several writers: whose is whose?",
		    o->transport, o->size);
	latency = true;
	setup(o, &q, &r);
	r.lat = calloc(o->count * o->writers, sizeof(*r.lat));
	if (!r.lat)
		die("out of memory");
	if (run(&q, &r, o->count, &t0))
		die("%s: a writer failed", o->transport);
	q.t->destroy(&q);
	n = r.nlat;
	qsort(r.lat, n, sizeof(*r.lat), cmp_u64);
	/* type,transport,writers,size,run,samples,p50 us,p99 us,max us */
	printf("lat,%s,%d,%zu,%d,%ld,%.1f,%.1f,%.1f\n", o->transport,
	       o->writers, o->size, o->run, n, r.lat[n / 2] / 1e3,
	       r.lat[n * 99 / 100] / 1e3, r.lat[n - 1] / 1e3);
	return 0;
}
