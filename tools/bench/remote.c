// SPDX-License-Identifier: GPL-2.0
/*
 * msfs-bench: remote delivery. A sender in network namespace A floods
 * host B with NetBIOS datagrams (DIRECT_UNIQUE from BENCHA<00> to
 * BENCHB<00>, a mailslot write of 424 bytes to \MAILSLOT\BENCH, built by
 * the module's own net/nbt.c) from a plain UDP socket, as fast as it can
 * for the time given. In B, the reader takes them either from the slot
 * BENCH of a mailslotfs instance mounted there with remote on
 * (remote_rate=0: no rate limit) or, to compare, from a plain UDP socket
 * bound to port 138 (mailslotfs remote off).
 *
 * Each datagram's message starts with its sequence number: the reader
 * checks that none comes twice or out of order, and counts the gaps. The
 * datagrams that never arrived are set against what B counted: the UDP
 * receive buffer errors of /proc/net/snmp, the drops of /proc/net/dev and
 * /proc/net/mailslot.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/mailslot.h>

#include "bench.h"
#include "../../net/nbt.h"

#define PAYLOAD		424
#define BATCH		64
#define MOUNT_OPTS	"remote,remote_rate=0,netbios_name=BENCHB,workgroup=BENCH," \
			"slot_msgs=1024,slot_bytes=16M"

/**
 * struct counters - what namespace B counted
 * @udp_in: Udp InDatagrams
 * @udp_rcvbuf: Udp RcvbufErrors
 * @udp_inerr: Udp InErrors
 * @dev_drop: receive drops of every device
 * @ms_received: /proc/net/mailslot received
 * @ms_delivered: ... delivered
 * @ms_full: ... dropped_slot_full
 * @ms_dropped: ... every dropped_* counter
 */
struct counters {
	long long udp_in, udp_rcvbuf, udp_inerr, dev_drop;
	long long ms_received, ms_delivered, ms_full, ms_dropped;
};

static void read_snmp(struct counters *c)
{
	static const char sep[] = { ' ', '\n', '\0' };
	char keys[1024], vals[1024], *k, *v, *ks, *vs;
	FILE *f = fopen("/proc/net/snmp", "r");

	if (!f)
		die("/proc/net/snmp: %s", strerror(errno));
	while (fgets(keys, sizeof(keys), f) && fgets(vals, sizeof(vals), f)) {
		if (strncmp(keys, "Udp:", 4))
			continue;
		k = strtok_r(keys, sep, &ks);
		v = strtok_r(vals, sep, &vs);
		while ((k = strtok_r(NULL, sep, &ks)) &&
		       (v = strtok_r(NULL, sep, &vs))) {
			if (!strcmp(k, "InDatagrams"))
				c->udp_in = atoll(v);
			else if (!strcmp(k, "RcvbufErrors"))
				c->udp_rcvbuf = atoll(v);
			else if (!strcmp(k, "InErrors"))
				c->udp_inerr = atoll(v);
		}
	}
	fclose(f);
}

static void read_dev(struct counters *c)
{
	FILE *f = fopen("/proc/net/dev", "r");
	long long rx[4];
	char line[512], *p;

	if (!f)
		die("/proc/net/dev: %s", strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		p = strchr(line, ':');
		if (p && sscanf(p + 1, "%lld %lld %lld %lld", &rx[0], &rx[1],
				&rx[2], &rx[3]) == 4)
			c->dev_drop += rx[3];
	}
	fclose(f);
}

static void read_mailslot(struct counters *c)
{
	FILE *f = fopen("/proc/net/mailslot", "r");
	char key[64];
	long long v;

	if (!f)
		return;
	while (fscanf(f, "%63s %lld", key, &v) == 2) {
		if (!strcmp(key, "received"))
			c->ms_received = v;
		else if (!strcmp(key, "delivered"))
			c->ms_delivered = v;
		else if (!strncmp(key, "dropped_", 8))
			c->ms_dropped += v;
		if (!strcmp(key, "dropped_slot_full"))
			c->ms_full = v;
	}
	fclose(f);
}

static void read_counters(struct counters *c)
{
	memset(c, 0, sizeof(*c));
	read_snmp(c);
	read_dev(c);
	read_mailslot(c);
}

static void enter(const char *ns)
{
	char p[128];
	int fd;

	snprintf(p, sizeof(p), "/run/netns/%s", ns);
	fd = open(p, O_RDONLY);
	if (fd < 0 || setns(fd, CLONE_NEWNET))
		die("entering network namespace %s: %s", ns, strerror(errno));
	close(fd);
}

/* The datagram, and where its message starts in it. */
static int build_dgram(unsigned char *buf, size_t *data_off)
{
	static unsigned char data[PAYLOAD];
	struct nbt_name src, dst;
	struct nbt_dgram_tx tx = {
		.type = NBT_DIRECT_UNIQUE, .dgm_id = 1,
		.src_ip = 0x0a4d0001, .src = &src, .dst = &dst,
		.mailslot = "BENCH", .mailslot_len = 5,
		.data = data, .data_len = PAYLOAD,
	};
	struct nbt_dgram d;
	int len;

	memset(data, 'r', sizeof(data));
	if (nbt_make_name(&src, "BENCHA", 6, NBT_WORKSTATION) ||
	    nbt_make_name(&dst, "BENCHB", 6, NBT_WORKSTATION))
		die("NetBIOS names");
	len = nbt_build_dgram(buf, NBT_DGM_MAX, &tx);
	if (len < 0 || nbt_parse_dgram(buf, len, &d) || d.data_len != PAYLOAD)
		die("cannot build the datagram");
	*data_off = d.data - buf;
	return len;
}

/* In namespace A: send for @secs; how many went. */
static long long flood(const struct bench_opts *o, uint32_t *go)
{
	static unsigned char buf[BATCH][NBT_DGM_MAX];
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(138) };
	struct iovec iov[BATCH];
	struct mmsghdr msgs[BATCH];
	long long sent = 0;
	uint64_t end;
	size_t off;
	int s, i, n, len = 0;

	enter(o->ns_a);
	for (i = 0; i < BATCH; i++) {
		len = build_dgram(buf[i], &off);
		iov[i] = (struct iovec){ buf[i], len };
		msgs[i] = (struct mmsghdr){ .msg_hdr = {
			.msg_iov = &iov[i], .msg_iovlen = 1 } };
	}
	to.sin_addr.s_addr = inet_addr(o->addr_b);
	s = socket(AF_INET, SOCK_DGRAM, 0);
	if (s < 0 || connect(s, (struct sockaddr *)&to, sizeof(to)))
		die("sender socket: %s", strerror(errno));
	futex_wait(go, 0);
	end = now_ns() + (uint64_t)(o->seconds * 1e9);
	while (now_ns() < end) {
		for (i = 0; i < BATCH; i++) {
			uint32_t seq = sent + i;

			memcpy(buf[i] + off, &seq, 4);
		}
		/* every datagram of the batch goes: no number is skipped */
		for (i = 0; i < BATCH; i += n) {
			n = sendmmsg(s, msgs + i, BATCH - i, 0);
			if (n < 0 && errno != ENOBUFS)
				die("sendmmsg: %s", strerror(errno));
			n = n < 0 ? 0 : n;
		}
		sent += BATCH;
	}
	close(s);
	return sent;
}

/* In namespace B: the reader's descriptor. */
static int receiver(const struct bench_opts *o, char *dir, size_t len,
		    bool msfs)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(138) };
	struct timeval tv = { 1, 0 };
	int32_t ms = 1000;
	char p[300];
	int fd, i;

	enter(o->ns_b);
	if (msfs) {
		snprintf(dir, len, "/tmp/msfs-bench-remote.XXXXXX");
		if (!mkdtemp(dir) || mount("none", dir, "mailslotfs", 0, MOUNT_OPTS))
			die("mount -o %s: %s", MOUNT_OPTS, strerror(errno));
		snprintf(p, sizeof(p), "%s/BENCH", dir);
		fd = open(p, O_RDONLY | O_CREAT | O_EXCL, 0600);
		if (fd < 0 || ioctl(fd, MAILSLOT_IOC_SET_TIMEOUT, &ms))
			die("%s: %s", p, strerror(errno));
		return fd;
	}
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	/* the last instance's socket may take a moment to go */
	for (i = 0; i < 50; i++) {
		if (!bind(fd, (struct sockaddr *)&sin, sizeof(sin)))
			break;
		usleep(100000);
	}
	if (fd < 0 || i == 50 ||
	    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)))
		die("UDP socket on port 138: %s", strerror(errno));
	return fd;
}

/**
 * struct tally - what the reader saw
 * @delivered: messages taken
 * @gaps: sequence numbers that never came
 * @t_last: when the last one came
 */
struct tally {
	long long delivered;
	long long gaps;
	uint64_t t_last;
};

static void take(int fd, bool msfs, size_t off, const uint32_t *done,
		 struct tally *t)
{
	static unsigned char buf[NBT_DGM_MAX];
	uint32_t seq, next = 0;
	ssize_t len, want = msfs ? PAYLOAD : (ssize_t)off + PAYLOAD;

	for (;;) {
		len = read(fd, buf, sizeof(buf));
		if (len < 0 && (errno == EAGAIN || errno == EINTR)) {
			if (__atomic_load_n(done, __ATOMIC_ACQUIRE))
				return;
			continue;
		}
		if (len < 0)
			die("receive: %s", strerror(errno));
		if (len != want)
			die("a datagram of %zd bytes, sent %zd", len, want);
		memcpy(&seq, buf + (msfs ? 0 : off), 4);
		if (seq < next)
			die("datagram %u after %u: duplicated or reordered",
			    seq, next - 1);
		t->gaps += seq - next;
		next = seq + 1;
		t->delivered++;
		t->t_last = now_ns();
	}
}

int cmd_remote(const struct bench_opts *o)
{
	struct { uint32_t go, done; long long sent; } *sh;
	bool msfs = !strcmp(o->transport, "msfs");
	unsigned char probe[NBT_DGM_MAX];
	struct counters a, b;
	struct tally t = { 0 };
	char dir[64] = "";
	uint64_t t0;
	size_t off;
	int fd, status;
	long long lost, counted;
	pid_t pid;

	if (!msfs && strcmp(o->transport, "udp"))
		die("remote: msfs or udp, not %s", o->transport);
	if (!o->ns_a || !o->ns_b || !o->addr_b)
		die("remote: -a, -b and -i are needed");
	build_dgram(probe, &off);
	sh = shared_alloc(sizeof(*sh));
	pid = fork();
	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (!pid) {
		sh->sent = flood(o, &sh->go);
		__atomic_store_n(&sh->done, 1, __ATOMIC_RELEASE);
		_exit(0);
	}
	fd = receiver(o, dir, sizeof(dir), msfs);
	read_counters(&a);
	t0 = now_ns();
	__atomic_store_n(&sh->go, 1, __ATOMIC_RELEASE);
	futex_wake(&sh->go);
	take(fd, msfs, off, &sh->done, &t);
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		die("the sender failed");
	read_counters(&b);
	close(fd);
	if (msfs && (umount(dir) || rmdir(dir)))
		die("umount %s: %s", dir, strerror(errno));
	lost = sh->sent - t.delivered;
	counted = (b.udp_rcvbuf - a.udp_rcvbuf) + (b.dev_drop - a.dev_drop) +
		  (b.ms_dropped - a.ms_dropped);
	/*
	 * type,transport,run,secs,sent,delivered,delivered/s,lost,rcvbuf errors,
	 * device drops,slot full,other mailslot drops,uncounted
	 */
	printf("remote,%s,%d,%.3f,%lld,%lld,%.0f,%lld,%lld,%lld,%lld,%lld,%lld\n",
	       o->transport, o->run, (t.t_last - t0) / 1e9, sh->sent,
	       t.delivered, t.delivered / ((t.t_last - t0) / 1e9), lost,
	       b.udp_rcvbuf - a.udp_rcvbuf, b.dev_drop - a.dev_drop,
	       b.ms_full - a.ms_full,
	       (b.ms_dropped - a.ms_dropped) - (b.ms_full - a.ms_full),
	       lost - counted);
	return 0;
}
