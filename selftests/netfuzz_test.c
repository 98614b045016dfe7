// SPDX-License-Identifier: GPL-2.0
/*
 * A live network fuzzer: mutated NetBIOS packets at the running module,
 * UDP 138 and 137 of host B, from forged sources of anywhere (and some
 * from B's own sockets), for MSFS_NETFUZZ_SECONDS (default 20). The seeds
 * are the datagrams of MSFS_FUZZ_SEEDS (a directory of packets, one per
 * file: make fuzz leaves the captures' in build/fuzz/seed) and a few made
 * here; each is sent as it is or after one to four mutations, blind
 * (bits, bytes, truncation, junk appended, ranges copied) and aware of the
 * fields (the lengths, counts and offsets of RFC 1002 and of the SMB
 * Transaction set to boundary values). B has slots for the names the
 * seeds write to, and a reader drains one of them meanwhile.
 *
 * Afterwards the counters must add up: every datagram B's port 138 took
 * counts once as delivered or as one drop, every packet on port 137 once
 * as answered, refused, limited or ignored; nothing may splat (vm-run
 * checks the kernel log).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <pthread.h>
#include <sys/syscall.h>

#include "kselftest_harness.h"
#include "mailslot.h"
#include "nbt_example.h"
#include "msl_net.h"

#define MAX_SEEDS	512
#define PKT_MAX		1500

struct seed {
	unsigned char data[PKT_MAX];
	size_t len;
};

static struct seed seeds[MAX_SEEDS];
static unsigned int nseeds;

static void add_seed(const void *p, size_t len)
{
	if (nseeds == MAX_SEEDS || len > PKT_MAX)
		return;
	memcpy(seeds[nseeds].data, p, len);
	seeds[nseeds++].len = len;
}

/* The seeds of @dir: one packet per file. */
static void load_seeds(const char *dir)
{
	char path[512];
	struct dirent *d;
	ssize_t n;
	DIR *dp;
	int fd;

	dp = dir ? opendir(dir) : NULL;
	while (dp && (d = readdir(dp))) {
		if (d->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, d->d_name);
		fd = open(path, O_RDONLY);
		if (fd < 0)
			continue;
		n = read(fd, seeds[nseeds].data, PKT_MAX);
		if (n > 0 && nseeds < MAX_SEEDS)
			seeds[nseeds++].len = n;
		close(fd);
	}
	if (dp)
		closedir(dp);
}

/* A few of our own: the worked example, and name service requests. */
static void builtin_seeds(void)
{
	unsigned char p[64];

	add_seed(nbt_t_example, DGRAM_LEN);
	add_seed(p, ns_request(p, 0x1234, NULL, false));
	add_seed(p, ns_request(p, 0x1235, "HOSTB", true));
	add_seed(p, ns_request(p, 0x1236, "WORKGROUP", false));
}

static unsigned int rnd(unsigned int *s)
{
	*s = *s * 1103515245 + 12345;
	return *s >> 8;
}

/* A 16-bit boundary value for a length, count or offset field. */
static unsigned int boundary(unsigned int *s, size_t len)
{
	static const unsigned int v[] = { 0, 1, 2, 0x7f, 0x80, 0xff, 0x100,
					  0x7fff, 0x8000, 0xfffe, 0xffff };

	switch (rnd(s) % 3) {
	case 0:
		return v[rnd(s) % ARRAY_SIZE(v)];
	case 1:
		return len + rnd(s) % 5 - 2;
	}
	return rnd(s) & 0xffff;
}

/* Fields worth aiming at: RFC 1002's (both byte orders), the SMB's. */
static const unsigned int fields_be[] = { 2, 4, 6, 8, 10, 12 };
static const unsigned int fields_smb[] = { 35, 37, 55, 57, 59, 61, 67 };

static void put16(unsigned char *p, size_t len, size_t off, unsigned int v,
		  bool le)
{
	if (off + 1 >= len)
		return;
	p[off] = le ? v : v >> 8;
	p[off + 1] = le ? v >> 8 : v;
}

/* One mutation of @p (@len bytes, room for PKT_MAX): its new length. */
static size_t mutate(unsigned char *p, size_t len, unsigned int *s)
{
	size_t i, n, smb = 14 + 34 + 34;	/* where a plain datagram's SMB is */

	switch (rnd(s) % 8) {
	case 0:		/* a bit */
		if (len)
			p[rnd(s) % len] ^= 1 << (rnd(s) % 8);
		break;
	case 1:		/* a byte */
		if (len)
			p[rnd(s) % len] = rnd(s);
		break;
	case 2:		/* shorter */
		return len ? rnd(s) % len : 0;
	case 3:		/* junk after it */
		n = rnd(s) % 64;
		for (i = 0; i < n && len < PKT_MAX; i++)
			p[len++] = rnd(s);
		break;
	case 4:		/* a header field */
		put16(p, len, fields_be[rnd(s) % ARRAY_SIZE(fields_be)],
		      boundary(s, len), false);
		break;
	case 5:		/* an SMB field */
		put16(p, len, smb + fields_smb[rnd(s) % ARRAY_SIZE(fields_smb)],
		      boundary(s, len), true);
		break;
	case 6:		/* a label length of a name */
		if (len > 48)
			p[rnd(s) % 2 ? 14 : 48] = rnd(s) % 70;
		break;
	default:	/* a range copied over another */
		if (len > 8) {
			n = rnd(s) % (len / 2);
			memmove(p + rnd(s) % (len - n), p + rnd(s) % (len - n), n);
		}
	}
	return len;
}

static const char *const sources[] = {
	IP_A, "10.77.0.3", "10.77.0.255", "10.77.0.0", "10.77.1.9",
	"192.0.2.1", "224.0.0.1", "10.77.0.2", "127.0.0.1",
};

/* A reader of B's BROWSE, so that it is full only now and then. */
static void *drain(void *arg)
{
	char buf[4096];
	int fd = *(int *)arg;

	while (read(fd, buf, sizeof(buf)) >= 0 || errno == EMSGSIZE)
		usleep(1000);
	return NULL;
}

/* From a socket of B's own (a local sender), to its port @port. */
static int send_local(struct _test_data_net *self, int s, int port,
		      const void *p, size_t len)
{
	struct sockaddr_in to = {
		.sin_family = AF_INET,
		.sin_port = htons(port),
		.sin_addr.s_addr = inet_addr(IP_B),
	};

	return sendto(s, p, len, 0, (struct sockaddr *)&to, sizeof(to)) < 0 &&
	       errno != EAGAIN ? -1 : 0;
}

/* the drain after the sending: 300 s (scaled), and the budget */
TEST_F_TIMEOUT(net, mutated_packets_are_counted_once, 300)
{
	long long end, sent = 0, dgrams = 0, names = 0;
	unsigned int s = getpid(), k, n;
	unsigned char p[PKT_MAX];
	int fds[4], local, raw, port;
	pthread_t reader;
	size_t len;

	ASSERT_EQ(0, mount_in(self, self->b, self->db,
			      "remote,workgroup=WORKGROUP,netbios_name=HOSTB,remote_rate=0"));
	fds[0] = msl_create(PB("BROWSE"));
	ASSERT_EQ(0, mkdir(PB("NET"), 0777));
	fds[1] = msl_create(PB("NET/NETLOGON"));
	fds[2] = msl_create(PB("MESSNGR"));
	fds[3] = msl_create(PB("LANMAN"));
	ASSERT_LE(0, fds[3]);
	ASSERT_EQ(0, pthread_create(&reader, NULL, drain, &fds[0]));
	builtin_seeds();
	load_seeds(getenv("MSFS_FUZZ_SEEDS"));
	TH_LOG("%u seeds", nseeds);
	ASSERT_EQ(0, enter(self, self->b));
	local = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	enter(self, NULL);
	ASSERT_LE(0, local);
	raw = spoof_socket(self);
	ASSERT_LE(0, raw);
	end = msl_now_ms() + 1000LL * msl_budget("MSFS_NETFUZZ_SECONDS", 20);
	while (msl_now_ms() < end) {
		k = rnd(&s) % nseeds;
		memcpy(p, seeds[k].data, seeds[k].len);
		len = seeds[k].len;
		for (n = rnd(&s) % 5; n; n--)
			len = mutate(p, len, &s);
		port = rnd(&s) % 3 ? 138 : 137;
		if (rnd(&s) % 16 == 0) {
			ASSERT_EQ(0, send_local(self, local, port, p, len));
		} else {
			spoof_on(raw, sources[rnd(&s) % ARRAY_SIZE(sources)],
				 rnd(&s) % 4 ? port : rnd(&s) & 0xffff,
				 IP_B, port, p, len);
		}
		sent++;
	}
	close(raw);
	close(local);
	/* every packet that got in is counted once */
	ASSERT_TRUE(msl_until(drained(self, self->b, &dgrams), 60000));
	ASSERT_TRUE(msl_until(ns_drained(self, self->b, &names), 60000));
	TH_LOG("%lld sent: %lld datagrams (%lld delivered), %lld name packets",
	       sent, dgrams, counter(self, self->b, "delivered"), names);
	EXPECT_LT(0, dgrams);
	EXPECT_LT(0, names);
	EXPECT_GE(sent, dgrams + names);
	pthread_cancel(reader);
	pthread_join(reader, NULL);
	for (k = 0; k < 4; k++)
		close(fds[k]);
}

int main(int argc, char **argv)
{
	msl_extra_seconds = msl_budget("MSFS_NETFUZZ_SECONDS", 20);
	exit(msl_net_main(argc, argv));
}
