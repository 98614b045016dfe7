/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the network tests share (remote_test.c, netfuzz_test.c): two
 * hosts, A (10.77.0.1) and B (10.77.0.2), network namespaces joined by a
 * veth pair, made once per run (msl_net_main()); a fixture that mounts an
 * instance of each on demand, and reads their counters as increases since
 * the test began; packets from anywhere (spoof()). Include it after
 * kselftest_harness.h, mailslot.h and nbt_example.h.
 */
#ifndef MAILSLOT_NET_H
#define MAILSLOT_NET_H

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/udp.h>
#include <stdarg.h>
#include <sys/socket.h>

#define IP_A	"10.77.0.1"
#define IP_B	"10.77.0.2"
#define OPTS	"remote,workgroup=MSLTEST,remote_rate=0"

#define DGRAM_LEN (sizeof(nbt_t_example) - 1)

/* Every test that waits on the network or on a teardown: seconds, scaled. */
#define NET_TIMEOUT	60

static inline int sh(const char *fmt, ...)
{
	char cmd[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	return system(cmd);
}

/*
 * The two hosts are made once, before the first test, and removed after
 * the last: namespaces and a veth pair cost seconds each on a debug
 * kernel. A test leaves them as it found them: it unmounts its instances
 * (which closes their sockets) and compares counters with what they were
 * when it started.
 */
static char ns_a[32], ns_b[32];
static pid_t hosts_owner;
static int hosts_status = -1;

static inline void hosts_del(void)
{
	if (getpid() == hosts_owner)
		sh("ip netns del %s; ip netns del %s", ns_a, ns_b);
}

/* %1$s: A's namespace, %2$s: B's, %3$d: the veth pair's number */
static const char * const hosts_script[] = {
	"ip netns add %1$s",
	"ip netns add %2$s",
	"ip link add va%3$d netns %1$s type veth peer name vb%3$d netns %2$s",
	/* A without brd: the broadcast address is derived from the prefix */
	"ip -n %1$s addr add " IP_A "/24 dev va%3$d",
	"ip -n %2$s addr add " IP_B "/24 brd + dev vb%3$d",
	"ip -n %1$s link set va%3$d up",
	"ip -n %1$s link set lo up",
	"ip -n %2$s link set vb%3$d up",
	"ip -n %2$s link set lo up",
};

static inline void hosts_add(void)
{
	pid_t pid = getpid();
	char fmt[1024] = "";
	unsigned int i;

	snprintf(ns_a, sizeof(ns_a), "msla%d", pid);
	snprintf(ns_b, sizeof(ns_b), "mslb%d", pid);
	if (getuid())
		return;
	hosts_owner = pid;
	atexit(hosts_del);
	/* one shell runs them all: starting a process is slow on a debug kernel */
	for (i = 0; i < ARRAY_SIZE(hosts_script); i++)
		snprintf(fmt + strlen(fmt), sizeof(fmt) - strlen(fmt), "%s%s",
			 i ? " && " : "", hosts_script[i]);
	hosts_status = sh(fmt, ns_a, ns_b, pid);
}

#define MAX_COUNTERS	64

/* The counters of a namespace's /proc/net/mailslot, by name. */
struct counters {
	int n;
	char name[MAX_COUNTERS][48];
	long long val[MAX_COUNTERS];
};

FIXTURE(net) {
	const char *a, *b;	/* network namespaces */
	char da[64], db[64];	/* their mailslotfs mounts */
	char p[256];
	int self_ns;
	struct counters base_a, base_b;	/* when the test started */
};

/* Enter network namespace @name (NULL: back to the test's own). */
static inline int enter(struct _test_data_net *self, const char *name)
{
	char path[64];
	int fd, err;

	if (!name)
		return setns(self->self_ns, CLONE_NEWNET);
	snprintf(path, sizeof(path), "/run/netns/%s", name);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	err = setns(fd, CLONE_NEWNET);
	close(fd);
	return err;
}

/* Mount an instance of namespace @ns on @dir with @opts; 0 or errno. */
static inline int mount_in(struct _test_data_net *self, const char *ns,
			   const char *dir, const char *opts)
{
	int err = 0;

	if (enter(self, ns))
		return errno;
	if (mount("none", dir, MSL_FSTYPE, 0, opts))
		err = errno;
	enter(self, NULL);
	return err;
}

static inline int remount(const char *dir, const char *opts)
{
	return mount(NULL, dir, NULL, MS_REMOUNT, opts) ? errno : 0;
}

/* Read namespace @ns's /proc/net/mailslot into @c; 0 or -1. */
static inline int counters_read(struct _test_data_net *self, const char *ns,
				struct counters *c)
{
	FILE *f;

	if (enter(self, ns))
		return -1;
	f = fopen("/proc/net/mailslot", "r");
	enter(self, NULL);
	if (!f)
		return -1;
	c->n = 0;
	while (c->n < MAX_COUNTERS &&
	       fscanf(f, "%47s %lld", c->name[c->n], &c->val[c->n]) == 2)
		c->n++;
	fclose(f);
	return 0;
}

static inline long long counters_get(const struct counters *c, const char *name)
{
	int i;

	for (i = 0; i < c->n; i++)
		if (!strcmp(c->name[i], name))
			return c->val[i];
	return -1;
}

/* A counter of namespace @ns: how much it went up since the test began. */
static inline long long counter(struct _test_data_net *self, const char *ns,
				const char *name)
{
	const struct counters *base = ns == self->a ? &self->base_a : &self->base_b;
	struct counters now;
	long long v;

	if (counters_read(self, ns, &now))
		return -1;
	v = counters_get(&now, name);
	return v < 0 ? v : v - counters_get(base, name);
}

/* The counters the receive work keeps come a little after the send. */
static inline long long counter_reaches(struct _test_data_net *self,
					const char *ns, const char *name,
					long long want)
{
	long long v = -1;

	msl_until((v = counter(self, ns, name)) >= want, 10000);
	return v;
}

/* Datagrams queued on UDP port @port of namespace @ns, or -1. */
static inline long udp_queued(struct _test_data_net *self, const char *ns, int port)
{
	char line[256];
	unsigned int lport;
	long rx = -1, n;
	FILE *f;

	if (enter(self, ns))
		return -1;
	f = fopen("/proc/net/udp", "r");
	enter(self, NULL);
	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, " %*d: %*x:%x %*x:%*x %*x %*x:%lx", &lport, &n) == 2 &&
		    (int)lport == port)
			rx = n;
	if (f)
		fclose(f);
	return rx;
}

/*
 * Has namespace @ns's receive work caught up? Nothing is queued on its
 * UDP 138, and every datagram it received is counted as delivered or as
 * one drop, twice in a row with the same total (then in *@received).
 */
static inline bool drained(struct _test_data_net *self, const char *ns,
			   long long *received)
{
	static long long last = -1;
	long long sum = 0, got;
	struct counters c;
	int i;

	if (udp_queued(self, ns, 138) != 0 || counters_read(self, ns, &c))
		return false;
	for (i = 0; i < c.n; i++)
		if (!strcmp(c.name[i], "delivered") ||
		    !strncmp(c.name[i], "dropped_", 8))
			sum += c.val[i];
	got = counters_get(&c, "received");
	if (got != sum || got != last) {
		last = got;
		return false;
	}
	*received = got - counters_get(ns == self->a ? &self->base_a :
				       &self->base_b, "received");
	return true;
}

/*
 * The same for the name service: nothing is queued on UDP 137, and every
 * packet it received is counted once as answered, refused, limited or
 * ignored, twice in a row (then the packets in *@packets).
 */
static inline bool ns_drained(struct _test_data_net *self, const char *ns,
			      long long *packets)
{
	static const char *const verdicts[] = {
		"name_queries_answered", "name_queries_refused",
		"name_replies_limited", "name_packets_ignored",
	};
	static long long last = -1;
	long long sum = 0, got;
	struct counters c;
	unsigned int i;

	if (udp_queued(self, ns, 137) != 0 || counters_read(self, ns, &c))
		return false;
	for (i = 0; i < ARRAY_SIZE(verdicts); i++)
		sum += counters_get(&c, verdicts[i]);
	got = counters_get(&c, "name_packets");
	if (got != sum || got != last) {
		last = got;
		return false;
	}
	*packets = got - counters_get(ns == self->a ? &self->base_a :
				      &self->base_b, "name_packets");
	return true;
}

/* Is UDP port @port of namespace @ns free (no instance has remote on)? */
static inline bool port_free(struct _test_data_net *self, const char *ns, int port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(port) };
	bool ok;
	int s;

	if (enter(self, ns))
		return false;
	s = socket(AF_INET, SOCK_DGRAM, 0);
	enter(self, NULL);
	ok = s >= 0 && !bind(s, (struct sockaddr *)&sin, sizeof(sin));
	close(s);
	return ok;
}

FIXTURE_SETUP(net)
{
	if (getuid())
		SKIP(return, "needs root");
	ASSERT_EQ(0, hosts_status) TH_LOG("cannot make the two hosts (ip netns, veth)");
	self->a = ns_a;
	self->b = ns_b;
	self->self_ns = open("/proc/self/ns/net", O_RDONLY);
	ASSERT_LE(0, self->self_ns);
	/* what an earlier test started is gone */
	ASSERT_TRUE(msl_until(port_free(self, self->a, 138) &&
			      port_free(self, self->b, 138), 10000));
	ASSERT_EQ(0, counters_read(self, self->a, &self->base_a));
	ASSERT_EQ(0, counters_read(self, self->b, &self->base_b));
	snprintf(self->da, sizeof(self->da), "/tmp/msla.XXXXXX");
	snprintf(self->db, sizeof(self->db), "/tmp/mslb.XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->da));
	ASSERT_NE(NULL, mkdtemp(self->db));
	umask(0);
}

FIXTURE_TEARDOWN(net)
{
	umount2(self->da, MNT_DETACH);
	umount2(self->db, MNT_DETACH);
	rmdir(self->da);
	rmdir(self->db);
}

#define PA(name) msl_path(self->p, sizeof(self->p), self->da, name)
#define PB(name) msl_path(self->p, sizeof(self->p), self->db, name)

static inline ssize_t recv_msg(int fd, struct mailslot_recv *r, void *buf, size_t len)
{
	memset(r, 0, sizeof(*r));
	r->buf = (unsigned long)buf;
	r->buf_len = len;
	return ioctl(fd, MAILSLOT_IOC_RECV, r);
}

/* A raw socket of A's namespace, that writes IP headers: see spoof_on(). */
static inline int spoof_socket(struct _test_data_net *self)
{
	int s, one = 1;

	if (enter(self, self->a))
		return -1;
	s = socket(AF_INET, SOCK_RAW, IPPROTO_RAW);
	enter(self, NULL);
	if (s >= 0)
		setsockopt(s, SOL_SOCKET, SO_BROADCAST, &one, sizeof(one));
	return s;
}

/*
 * A UDP datagram from @saddr:@sport to @daddr:@dport, whatever the source,
 * on @s (spoof_socket()): it writes the IP header (UDP checksum 0, which
 * IPv4 allows). 0 or -1.
 */
static inline int spoof_on(int s, const char *saddr, int sport,
			   const char *daddr, int dport, const void *buf,
			   size_t len)
{
	struct {
		struct iphdr ip;
		struct udphdr udp;
		unsigned char data[2048];
	} pkt = { 0 };
	struct sockaddr_in to = { .sin_family = AF_INET };
	size_t total = sizeof(pkt.ip) + sizeof(pkt.udp) + len;

	if (len > sizeof(pkt.data))
		return -1;
	pkt.ip.version = 4;
	pkt.ip.ihl = 5;
	pkt.ip.ttl = 64;
	pkt.ip.protocol = IPPROTO_UDP;
	pkt.ip.saddr = inet_addr(saddr);
	pkt.ip.daddr = inet_addr(daddr);
	pkt.ip.tot_len = htons(total);
	pkt.udp.source = htons(sport);
	pkt.udp.dest = htons(dport);
	pkt.udp.len = htons(sizeof(pkt.udp) + len);
	memcpy(pkt.data, buf, len);
	to.sin_addr.s_addr = pkt.ip.daddr;
	return sendto(s, &pkt, total, 0, (struct sockaddr *)&to,
		      sizeof(to)) == (ssize_t)total ? 0 : -1;
}

/* spoof_on() a socket of its own. */
static inline int spoof(struct _test_data_net *self, const char *saddr,
			int sport, const char *daddr, int dport,
			const void *buf, size_t len)
{
	int s = spoof_socket(self), ret;

	if (s < 0)
		return -1;
	ret = spoof_on(s, saddr, sport, daddr, dport, buf, len);
	close(s);
	return ret;
}

/* The second-level encoding of a NetBIOS name (RFC 1002 4.1): 34 bytes. */
static inline void nb_encode(unsigned char *p, const char *name, unsigned char suffix)
{
	unsigned char n[16];
	int i;

	memset(n, ' ', 15);
	if (!strcmp(name, "*"))
		memset(n, 0, 15);
	memcpy(n, name, strlen(name));
	n[15] = suffix;
	p[0] = 32;
	for (i = 0; i < 16; i++) {
		p[1 + 2 * i] = 'A' + (n[i] >> 4);
		p[2 + 2 * i] = 'A' + (n[i] & 15);
	}
	p[33] = 0;
}

/*
 * A name service request (RFC 1002 4.2.12, 4.2.17) in @p: a name query
 * for @name<00> (@bcast: with the B flag), or a node status request (@name
 * NULL). Its length (50).
 */
static inline size_t ns_request(unsigned char *p, unsigned short trn,
				const char *name, bool bcast)
{
	memset(p, 0, 12);
	p[0] = trn >> 8;
	p[1] = trn;
	p[2] = name ? 0x01 : 0;		/* RD */
	p[3] = bcast ? 0x10 : 0;	/* B */
	p[5] = 1;			/* QDCOUNT */
	nb_encode(p + 12, name ?: "*", 0);
	p[46] = 0;
	p[47] = name ? 0x20 : 0x21;	/* NB or NBSTAT */
	p[48] = 0;
	p[49] = 1;			/* IN */
	return 50;
}

/* A datagram from A's namespace (remote off there), from port @port. */
static inline int inject(struct _test_data_net *self, const void *buf, size_t len)
{
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(138) };
	int s, ret;

	if (enter(self, self->a))
		return -1;
	s = socket(AF_INET, SOCK_DGRAM, 0);
	enter(self, NULL);
	to.sin_addr.s_addr = inet_addr(IP_B);
	ret = sendto(s, buf, len, 0, (struct sockaddr *)&to, sizeof(to));
	close(s);
	return ret == (ssize_t)len ? 0 : -1;
}

/*
 * The main of a network test: the two hosts are made before the first
 * test and removed after the last.
 */
static inline int msl_net_main(int argc, char **argv)
{
	msl_require_module();
	hosts_add();
	return msl_main(argc, argv);
}

#endif /* MAILSLOT_NET_H */
