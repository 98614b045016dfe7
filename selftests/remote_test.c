// SPDX-License-Identifier: GPL-2.0
/*
 * Remote mailslots between two network namespaces joined by a veth pair:
 * host A (10.77.0.1, HOSTA) and host B (10.77.0.2, HOSTB), workgroup
 * MSLTEST, each with a mailslotfs instance of its own. The test process
 * stays in its own namespace and reaches both instances through their
 * mounts; it reads a namespace's /proc/net/mailslot by entering it.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <dirent.h>
#include <linux/capability.h>

#include "kselftest_harness.h"
#include "mailslot.h"
#include "../net/nbt_example.h"

#define IP_A	"10.77.0.1"
#define IP_B	"10.77.0.2"
#define OPTS	"remote,workgroup=MSLTEST,remote_rate=0"

#define DGRAM_LEN (sizeof(nbt_t_example) - 1)

static int sh(const char *fmt, ...)
{
	char cmd[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	return system(cmd);
}

FIXTURE(net) {
	char a[32], b[32];	/* network namespaces */
	char da[64], db[64];	/* their mailslotfs mounts */
	char p[256];
	int self_ns;
};

/* Enter network namespace @name (NULL: back to the test's own). */
static int enter(struct _test_data_net *self, const char *name)
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
static int mount_in(struct _test_data_net *self, const char *ns,
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

static int remount(const char *dir, const char *opts)
{
	return mount(NULL, dir, NULL, MS_REMOUNT, opts) ? errno : 0;
}

/* A counter of namespace @ns's /proc/net/mailslot. */
static long long counter(struct _test_data_net *self, const char *ns,
			 const char *name)
{
	char key[64];
	long long v, found = -1;
	FILE *f;

	if (enter(self, ns))
		return -1;
	f = fopen("/proc/net/mailslot", "r");
	enter(self, NULL);
	if (!f)
		return -1;
	while (fscanf(f, "%63s %lld", key, &v) == 2)
		if (!strcmp(key, name))
			found = v;
	fclose(f);
	return found;
}

/* The counters the receive work keeps come a little after the send. */
static long long counter_reaches(struct _test_data_net *self, const char *ns,
				 const char *name, long long want)
{
	long long v;
	int i;

	for (i = 0; i < 300; i++) {
		v = counter(self, ns, name);
		if (v >= want)
			return v;
		usleep(10000);
	}
	return v;
}

FIXTURE_SETUP(net)
{
	pid_t pid = getpid();

	snprintf(self->a, sizeof(self->a), "msla%d", pid);
	snprintf(self->b, sizeof(self->b), "mslb%d", pid);
	ASSERT_EQ(0, sh("ip netns add %s && ip netns add %s", self->a, self->b));
	ASSERT_EQ(0, sh("ip link add va%d netns %s type veth peer name vb%d netns %s",
			pid, self->a, pid, self->b));
	/* A without brd: the broadcast address is derived from the prefix */
	ASSERT_EQ(0, sh("ip -n %s addr add " IP_A "/24 dev va%d", self->a, pid));
	ASSERT_EQ(0, sh("ip -n %s addr add " IP_B "/24 brd + dev vb%d", self->b, pid));
	ASSERT_EQ(0, sh("ip -n %s link set va%d up && ip -n %s link set lo up",
			self->a, pid, self->a));
	ASSERT_EQ(0, sh("ip -n %s link set vb%d up && ip -n %s link set lo up",
			self->b, pid, self->b));
	self->self_ns = open("/proc/self/ns/net", O_RDONLY);
	ASSERT_LE(0, self->self_ns);
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
	sh("ip netns del %s; ip netns del %s", self->a, self->b);
}

#define PA(name) msl_path(self->p, sizeof(self->p), self->da, name)
#define PB(name) msl_path(self->p, sizeof(self->p), self->db, name)

/* Both instances on, A and B named. */
static void both_on(struct __test_metadata *_metadata,
		    struct _test_data_net *self, const char *extra_b)
{
	char opts[256];

	ASSERT_EQ(0, mount_in(self, self->a, self->da, OPTS ",netbios_name=HOSTA"));
	snprintf(opts, sizeof(opts), OPTS ",netbios_name=HOSTB%s", extra_b);
	ASSERT_EQ(0, mount_in(self, self->b, self->db, opts));
}

/* Write @msg to A's remote path @path ("@TARGET/NAME"); 0 or -errno. */
static int send_a(struct _test_data_net *self, const char *path,
		  const void *msg, size_t len)
{
	int fd = open(msl_path(self->p, sizeof(self->p), self->da, path), O_WRONLY);
	int err = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, msg, len) != (ssize_t)len)
		err = -errno;
	close(fd);
	return err;
}

static ssize_t recv_msg(int fd, struct mailslot_recv *r, void *buf, size_t len)
{
	memset(r, 0, sizeof(*r));
	r->buf = (unsigned long)buf;
	r->buf_len = len;
	return ioctl(fd, MAILSLOT_IOC_RECV, r);
}

/*
 * A writes @msg to its remote path @path; B's slot @srv receives it,
 * byte-exact, with its sender in @r. 0, the write's -errno, or 1 when
 * nothing or something else arrived.
 */
static int relay(struct _test_data_net *self, const char *path, int srv,
		 const char *msg, struct mailslot_recv *r)
{
	size_t len = strlen(msg);
	char buf[64];
	int err = send_a(self, path, msg, len);

	if (err)
		return err;
	if (recv_msg(srv, r, buf, sizeof(buf)) != (ssize_t)len)
		return 1;
	return memcmp(buf, msg, len) ? 1 : 0;
}

TEST_F(net, remote_is_off_until_turned_on)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(138) };
	struct stat st;
	int s;

	ASSERT_EQ(0, mount_in(self, self->a, self->da, NULL));
	EXPECT_EQ(-1, open(PA("@" IP_B "/TEST"), O_WRONLY));
	EXPECT_EQ(EOPNOTSUPP, errno);
	EXPECT_EQ(-1, stat(PA("@*"), &st));
	EXPECT_EQ(EOPNOTSUPP, errno);
	/* port 138 is free while remote is off, taken while on */
	ASSERT_EQ(0, enter(self, self->a));
	s = socket(AF_INET, SOCK_DGRAM, 0);
	EXPECT_EQ(0, bind(s, (struct sockaddr *)&sin, sizeof(sin)));
	close(s);
	ASSERT_EQ(0, remount(self->da, "remote"));
	s = socket(AF_INET, SOCK_DGRAM, 0);
	EXPECT_EQ(-1, bind(s, (struct sockaddr *)&sin, sizeof(sin)));
	EXPECT_EQ(EADDRINUSE, errno);
	close(s);
	ASSERT_EQ(0, remount(self->da, "noremote"));
	s = socket(AF_INET, SOCK_DGRAM, 0);
	EXPECT_EQ(0, bind(s, (struct sockaddr *)&sin, sizeof(sin)));
	close(s);
	enter(self, NULL);
	EXPECT_EQ(-1, open(PA("@" IP_B "/TEST"), O_WRONLY));
	EXPECT_EQ(EOPNOTSUPP, errno);
}

TEST_F(net, port_138_taken_is_eaddrinuse)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(138) };
	int s;

	ASSERT_EQ(0, enter(self, self->b));
	s = socket(AF_INET, SOCK_DGRAM, 0);
	ASSERT_EQ(0, bind(s, (struct sockaddr *)&sin, sizeof(sin)));
	enter(self, NULL);
	EXPECT_EQ(EADDRINUSE, mount_in(self, self->b, self->db, "remote"));
	EXPECT_EQ(0, mount_in(self, self->b, self->db, NULL));
	EXPECT_EQ(EADDRINUSE, remount(self->db, "remote"));
	close(s);
	EXPECT_EQ(0, remount(self->db, "remote"));
}

TEST_F(net, remote_needs_cap_net_admin)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2] = { 0 };
	pid_t pid;

	ASSERT_EQ(0, mount_in(self, self->b, self->db, NULL));
	pid = fork();
	if (pid == 0) {
		syscall(SYS_capget, &hdr, data);
		data[0].effective &= ~(1U << CAP_NET_ADMIN);
		if (syscall(SYS_capset, &hdr, data))
			_exit(2);
		_exit(remount(self->db, "remote"));
	}
	EXPECT_EQ(EPERM, msl_wait(pid));
	EXPECT_EQ(0, remount(self->db, "remote"));
}

TEST_F(net, unicast_is_delivered_once_with_its_sender)
{
	struct mailslot_recv r;
	long long q;
	char buf[64];
	int srv;

	both_on(_metadata, self, "");
	srv = msl_create(PB("TEST"));
	ASSERT_LE(0, srv);
	ASSERT_EQ(0, msl_set_timeout(srv, 5000));
	ASSERT_EQ(0, relay(self, "@" IP_B "/TEST", srv, "hello", &r));
	EXPECT_EQ(MAILSLOT_ORIGIN_REMOTE, r.origin);
	EXPECT_EQ(inet_addr(IP_A), r.src_addr);
	EXPECT_EQ(htons(138), r.src_port);
	EXPECT_EQ(0, memcmp(r.src_name, "HOSTA          \0", 16));
	/* B's node status gave its name: a direct unique datagram to it */
	EXPECT_EQ(0, memcmp(r.dst_name, "HOSTB          \0", 16));
	EXPECT_EQ(0, r.pid);
	EXPECT_EQ((__u32)-1, r.uid);	/* no local user: not root */
	EXPECT_EQ((__u32)-1, r.gid);
	ASSERT_EQ(0, msl_set_timeout(srv, 300));
	EXPECT_EQ(-1, recv_msg(srv, &r, buf, sizeof(buf)));	/* once */
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_EQ(1, counter(self, self->b, "delivered"));
	EXPECT_EQ(1, counter(self, self->a, "sent"));
	q = counter(self, self->b, "name_queries_answered");
	EXPECT_LE(1, q);
	/* the name is cached: the next open asks nobody */
	ASSERT_EQ(0, msl_set_timeout(srv, 5000));
	ASSERT_EQ(0, relay(self, "@" IP_B "/TEST", srv, "again", &r));
	EXPECT_EQ(q, counter(self, self->b, "name_queries_answered"));
	close(srv);
}

/* Take B's UDP 137 (B answers no name query then): a socket, or -1. */
static int take_b_name_service(struct _test_data_net *self)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(137) };
	int s;

	if (enter(self, self->b))
		return -1;
	s = socket(AF_INET, SOCK_DGRAM, 0);
	if (s >= 0 && bind(s, (struct sockaddr *)&sin, sizeof(sin))) {
		close(s);
		s = -1;
	}
	enter(self, NULL);
	return s;
}

TEST_F(net, an_address_without_a_name_service_gets_star)
{
	struct mailslot_recv r;
	int s, srv;

	/* nobody answers A's node status request */
	s = take_b_name_service(self);
	ASSERT_LE(0, s);
	both_on(_metadata, self, "");
	srv = msl_create(PB("TEST"));
	ASSERT_EQ(0, msl_set_timeout(srv, 5000));
	ASSERT_EQ(0, relay(self, "@" IP_B "/TEST", srv, "star", &r));
	EXPECT_EQ(0, memcmp(r.dst_name, "*\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 16));
	EXPECT_EQ(0, counter(self, self->b, "name_queries_answered"));
	close(srv);
	close(s);
}

/* On @s, B's UDP 137: answer whoever asked with junk every 50 ms, for @ms. */
static void junk_answers(int s, int ms)
{
	struct sockaddr_in peer = { 0 };
	socklen_t plen = sizeof(peer);
	char buf[600];
	int i;

	for (i = 0; i < ms / 50; i++) {
		while (recvfrom(s, buf, sizeof(buf), MSG_DONTWAIT,
				(struct sockaddr *)&peer, &plen) > 0)
			;
		if (peer.sin_port)
			sendto(s, "junk", 4, 0, (struct sockaddr *)&peer, plen);
		usleep(50000);
	}
}

TEST_F(net, junk_does_not_stall_a_name_query)
{
	struct mailslot_recv r;
	long long t0;
	int s, srv;
	pid_t pid;

	s = take_b_name_service(self);
	ASSERT_LE(0, s);
	both_on(_metadata, self, "");
	srv = msl_create(PB("TEST"));
	ASSERT_EQ(0, msl_set_timeout(srv, 5000));
	pid = fork();
	if (pid == 0) {
		junk_answers(s, 6000);
		_exit(0);
	}
	t0 = msl_now_ms();
	ASSERT_EQ(0, relay(self, "@" IP_B "/TEST", srv, "star", &r));
	/* three tries of 250 ms, however much junk comes meanwhile */
	EXPECT_GT(3000, msl_now_ms() - t0);
	EXPECT_EQ(0, memcmp(r.dst_name, "*\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 16));
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	close(srv);
	close(s);
}

TEST_F(net, broadcast_and_workgroup_reach_every_member)
{
	struct mailslot_recv r;
	char buf[64];
	int srv;

	both_on(_metadata, self, "");
	srv = msl_create(PB("TEST"));
	ASSERT_EQ(0, msl_set_timeout(srv, 5000));
	ASSERT_EQ(0, relay(self, "@*/TEST", srv, "star", &r));
	EXPECT_EQ(0, memcmp(r.dst_name, "MSLTEST        \0", 16));
	ASSERT_EQ(0, relay(self, "@msltest/TEST", srv, "group", &r));
	ASSERT_EQ(0, msl_set_timeout(srv, 300));
	EXPECT_EQ(-1, recv_msg(srv, &r, buf, sizeof(buf)));
	/* A hears its own broadcasts: it has no such slot */
	EXPECT_EQ(2, counter_reaches(self, self->a, "dropped_no_slot", 2));
	close(srv);
}

TEST_F(net, names_resolve_by_name_query)
{
	struct mailslot_recv r;
	long long q;
	int srv;

	both_on(_metadata, self, "");
	srv = msl_create(PB("TEST"));
	ASSERT_EQ(0, msl_set_timeout(srv, 5000));
	ASSERT_EQ(0, relay(self, "@hostb/TEST", srv, "named", &r));
	EXPECT_EQ(inet_addr(IP_A), r.src_addr);
	EXPECT_EQ(0, memcmp(r.dst_name, "HOSTB          \0", 16));
	q = counter(self, self->b, "name_queries_answered");
	ASSERT_EQ(0, relay(self, "@HostB/TEST", srv, "cached", &r));
	EXPECT_EQ(q, counter(self, self->b, "name_queries_answered"));
	EXPECT_EQ(-ENXIO, send_a(self, "@NOSUCHHOST/TEST", "x", 1));
	EXPECT_EQ(-ENXIO, send_a(self, "@0123456789ABCDEF/TEST", "x", 1));
	close(srv);
}

TEST_F(net, wire_names_fold_case_and_map_levels)
{
	struct mailslot_recv r;
	int srv;

	both_on(_metadata, self, "");
	ASSERT_EQ(0, mkdir(PB("Net"), 0777));
	srv = msl_create(PB("Net/NetLogon"));
	ASSERT_EQ(0, msl_set_timeout(srv, 5000));
	ASSERT_EQ(0, relay(self, "@" IP_B "/NET/netlogon", srv, "query", &r));
	/* '\\' separates levels as '/' does; control bytes are not names */
	EXPECT_EQ(-EINVAL, send_a(self, "@" IP_B "/a\x01b", "x", 1));
	close(srv);
}

TEST_F(net, allowlist_decides_who_may_send)
{
	struct mailslot_info info;
	char buf[64];
	int srv;

	both_on(_metadata, self, ",remote_allow=10.99.0.0/16,192.168.0.0/16");
	srv = msl_create(PB("TEST"));
	ASSERT_EQ(0, send_a(self, "@" IP_B "/TEST", "denied", 6));
	EXPECT_EQ(1, counter_reaches(self, self->b, "dropped_sender_not_allowed", 1));
	ASSERT_EQ(0, msl_info(srv, &info));
	EXPECT_EQ(0, info.msg_count);
	ASSERT_EQ(0, remount(self->db, "remote_allow=10.77.0.1"));
	ASSERT_EQ(0, msl_set_timeout(srv, 5000));
	ASSERT_EQ(0, send_a(self, "@" IP_B "/TEST", "allowed", 7));
	EXPECT_EQ(7, read(srv, buf, sizeof(buf)));
	ASSERT_EQ(0, remount(self->db, "remote_allow="));	/* any sender */
	ASSERT_EQ(0, send_a(self, "@" IP_B "/TEST", "any", 3));
	EXPECT_EQ(3, read(srv, buf, sizeof(buf)));
	EXPECT_EQ(EINVAL, remount(self->db, "remote_allow=10.77.0.1/8"));
	close(srv);
}

TEST_F(net, slots_can_refuse_remote_messages)
{
	struct mailslot_info info;
	__u32 v = 0;
	char buf[64];
	int srv, cli;

	both_on(_metadata, self, "");
	srv = msl_create(PB("TEST"));
	cli = msl_client(PB("TEST"));
	ASSERT_EQ(0, ioctl(srv, MAILSLOT_IOC_SET_REMOTE, &v));
	ASSERT_EQ(0, send_a(self, "@" IP_B "/TEST", "refused", 7));
	EXPECT_EQ(1, counter_reaches(self, self->b, "dropped_slot_refuses_remote", 1));
	ASSERT_EQ(0, msl_info(srv, &info));
	EXPECT_EQ(0, info.msg_count);
	EXPECT_EQ(1, info.drops);
	EXPECT_EQ(MAILSLOT_INFO_SERVER | MAILSLOT_INFO_NO_REMOTE, info.flags);
	ASSERT_EQ(1, write(cli, "l", 1));	/* local writers still may */
	EXPECT_EQ(1, read(srv, buf, sizeof(buf)));
	v = 2;
	EXPECT_EQ(-1, ioctl(srv, MAILSLOT_IOC_SET_REMOTE, &v));
	EXPECT_EQ(EINVAL, errno);
	v = 1;
	EXPECT_EQ(-1, ioctl(cli, MAILSLOT_IOC_SET_REMOTE, &v));
	EXPECT_EQ(EBADF, errno);
	ASSERT_EQ(0, ioctl(srv, MAILSLOT_IOC_SET_REMOTE, &v));
	ASSERT_EQ(0, msl_set_timeout(srv, 5000));
	ASSERT_EQ(0, send_a(self, "@" IP_B "/TEST", "accepted", 8));
	EXPECT_EQ(8, read(srv, buf, sizeof(buf)));
	close(cli);
	close(srv);
}

TEST_F(net, messages_larger_than_a_datagram_emsgsize)
{
	static char big[600];
	struct mailslot_info info;
	int fd, srv;

	both_on(_metadata, self, ",max_msg_size=100");
	srv = msl_create(PB("TEST"));
	fd = open(PA("@" IP_B "/TEST"), O_WRONLY);
	ASSERT_LE(0, fd);
	/* TEST: 4 characters, 432 - 4 bytes (MS-MAIL <2>) */
	EXPECT_EQ(-1, write(fd, big, 429));
	EXPECT_EQ(EMSGSIZE, errno);
	EXPECT_EQ(428, write(fd, big, 428));	/* sent; too big for B's slot */
	close(fd);
	fd = open(PA("@*/TEST"), O_WRONLY);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-1, write(fd, big, 425));	/* broadcasts: 424 */
	EXPECT_EQ(EMSGSIZE, errno);
	EXPECT_EQ(424, write(fd, big, 424));
	close(fd);
	EXPECT_EQ(-EMSGSIZE, send_a(self, "@" IP_B "/NET/NETLOGON", big, 421));
	/* what was sent is more than B's slots take */
	EXPECT_EQ(2, counter_reaches(self, self->b, "dropped_too_big", 2));
	ASSERT_EQ(0, msl_info(srv, &info));
	EXPECT_EQ(2, info.drops);
	EXPECT_EQ(0, info.msg_count);
	close(srv);
}

TEST_F(net, a_full_slot_drops_and_counts)
{
	struct mailslot_info info;
	int srv, i;

	both_on(_metadata, self, ",slot_msgs=2");
	srv = msl_create(PB("FULL"));
	for (i = 0; i < 3; i++)
		ASSERT_EQ(0, send_a(self, "@" IP_B "/FULL", "123456789", 9));
	EXPECT_EQ(1, counter_reaches(self, self->b, "dropped_slot_full", 1));
	EXPECT_EQ(2, counter(self, self->b, "delivered"));
	ASSERT_EQ(0, msl_info(srv, &info));
	EXPECT_EQ(2, info.msg_count);
	EXPECT_EQ(1, info.drops);
	close(srv);
}

TEST_F(net, the_namespace_budget_drops_and_counts)
{
	static char msg[400];
	struct mailslot_info info;
	int srv, i;

	both_on(_metadata, self, ",max_msg_size=1000,total_bytes=4096");
	srv = msl_create(PB("BUDGET"));
	/* each costs 400 + 128: seven fit in 4096 */
	for (i = 0; i < 8; i++)
		ASSERT_EQ(0, send_a(self, "@" IP_B "/BUDGET", msg, sizeof(msg)));
	EXPECT_EQ(1, counter_reaches(self, self->b, "dropped_namespace_budget", 1));
	EXPECT_EQ(7, counter(self, self->b, "delivered"));
	ASSERT_EQ(0, msl_info(srv, &info));
	EXPECT_EQ(7, info.msg_count);
	close(srv);
}

TEST_F(net, readdir_never_lists_remote_paths)
{
	struct dirent *d;
	int fd, n = 0;
	DIR *dp;

	both_on(_metadata, self, "");
	fd = open(PA("@" IP_B "/TEST"), O_WRONLY);
	ASSERT_LE(0, fd);
	close(msl_create(PA("local")));
	dp = opendir(self->da);
	while ((d = readdir(dp))) {
		if (d->d_name[0] == '.')
			continue;
		n++;
		EXPECT_NE('@', d->d_name[0]);
	}
	closedir(dp);
	EXPECT_EQ(0, n);	/* "local" went with its server */
	close(fd);
}

TEST_F(net, rate_limit_per_source)
{
	int srv, i;

	ASSERT_EQ(0, mount_in(self, self->a, self->da, OPTS ",netbios_name=HOSTA"));
	ASSERT_EQ(0, mount_in(self, self->b, self->db,
			      "remote,workgroup=MSLTEST,netbios_name=HOSTB,remote_rate=5"));
	srv = msl_create(PB("TEST"));
	for (i = 0; i < 30; i++)
		ASSERT_EQ(0, send_a(self, "@" IP_B "/TEST", "r", 1));
	EXPECT_LE(10, counter_reaches(self, self->b, "dropped_rate_limit", 10));
	EXPECT_GE(10, counter(self, self->b, "delivered"));
	close(srv);
}

/* A datagram from A's namespace (remote off there), from port @port. */
static int inject(struct _test_data_net *self, const void *buf, size_t len)
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

struct mutation {
	unsigned int off;
	unsigned char val;
};

static const struct mutation mutations[] = {
	{ 1, 0x0f }, { 1, 0x0c }, { 13, 0x01 },	/* fragments */
	{ 0, 0x13 }, { 86, 0x72 }, { 143, 2 },	/* not mailslot writes */
	{ 0, 0x05 }, { 10, 0xff }, { 11, 0xa4 }, { 14, 0x21 }, { 15, 'Q' },
	{ 47, 0xc0 }, { 48, 0x3f }, { 114, 16 }, { 117, 0x08 },
	{ 137, 0xff }, { 138, 0xff }, { 139, 0xff },
	{ 141, 2 }, { 149, 0x1b }, { 150, 0xff }, { 161, '/' }, { 167, 'x' },
};

TEST_F(net, malformed_datagrams_are_dropped_and_counted)
{
	unsigned char buf[DGRAM_LEN];
	struct mailslot_info info;
	long long drops;
	unsigned int i, sent = 0;
	char msg[16];
	int srv;

	ASSERT_EQ(0, mount_in(self, self->b, self->db,
			      "remote,workgroup=WORKGROUP,remote_rate=0"));
	srv = msl_create(PB("BROWSE"));
	ASSERT_EQ(0, msl_set_timeout(srv, 5000));
	/* the original arrives */
	ASSERT_EQ(0, inject(self, nbt_t_example, DGRAM_LEN));
	ASSERT_EQ(9, read(srv, msg, sizeof(msg)));
	for (i = 0; i < DGRAM_LEN; i++, sent++)		/* every truncation */
		ASSERT_EQ(0, inject(self, nbt_t_example, i));
	for (i = 0; i < ARRAY_SIZE(mutations); i++, sent++) {
		memcpy(buf, nbt_t_example, DGRAM_LEN);
		buf[mutations[i].off] = mutations[i].val;
		ASSERT_EQ(0, inject(self, buf, DGRAM_LEN));
	}
	memcpy(buf, nbt_t_example, DGRAM_LEN);
	buf[161] = 'X';					/* XROWSE: no slot */
	ASSERT_EQ(0, inject(self, buf, DGRAM_LEN));
	ASSERT_EQ(1 + sent + 1, counter_reaches(self, self->b, "received", 1 + sent + 1));
	drops = counter(self, self->b, "dropped_malformed") +
		counter(self, self->b, "dropped_fragment") +
		counter(self, self->b, "dropped_not_mailslot");
	EXPECT_EQ(sent, drops);
	EXPECT_EQ(3, counter(self, self->b, "dropped_fragment"));
	EXPECT_EQ(3, counter(self, self->b, "dropped_not_mailslot"));
	EXPECT_EQ(1, counter(self, self->b, "dropped_no_slot"));
	EXPECT_EQ(1, counter(self, self->b, "delivered"));
	ASSERT_EQ(0, msl_info(srv, &info));
	EXPECT_EQ(0, info.msg_count);
	close(srv);
}

static long mem_available_kb(void)
{
	char line[128];
	long v = -1;
	FILE *f = fopen("/proc/meminfo", "r");

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "MemAvailable: %ld kB", &v) == 1)
			break;
	if (f)
		fclose(f);
	return v;
}

TEST_F_TIMEOUT(net, a_flood_keeps_memory_at_the_quota, 1200)
{
	const char *env = getenv("MSFS_FLOOD");
	long total = env ? atol(env) : 1000000, sent = 0, before, after;
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(138) };
	struct mmsghdr msgs[256];
	struct iovec iov = { (void *)nbt_t_example, DGRAM_LEN };
	struct mailslot_info info;
	long long recv, got;
	int s, srv, i, n;

	ASSERT_EQ(0, mount_in(self, self->b, self->db,
			      "remote,workgroup=WORKGROUP,remote_rate=0"));
	srv = msl_create(PB("BROWSE"));
	to.sin_addr.s_addr = inet_addr(IP_B);
	for (i = 0; i < 256; i++)
		msgs[i] = (struct mmsghdr){ .msg_hdr = {
			.msg_name = &to, .msg_namelen = sizeof(to),
			.msg_iov = &iov, .msg_iovlen = 1 } };
	ASSERT_EQ(0, enter(self, self->a));
	s = socket(AF_INET, SOCK_DGRAM, 0);
	enter(self, NULL);
	before = mem_available_kb();
	while (sent < total) {
		n = sendmmsg(s, msgs, total - sent < 256 ? total - sent : 256, 0);
		ASSERT_LT(0, n);
		sent += n;
	}
	close(s);
	/* wait until the receive work is done: the counter stops moving */
	do {
		recv = counter(self, self->b, "received");
		usleep(500000);
	} while (counter(self, self->b, "received") != recv);
	after = mem_available_kb();
	ASSERT_EQ(0, msl_info(srv, &info));
	TH_LOG("%ld sent, %lld received, %u queued (%llu bytes), MemAvailable %ld -> %ld kB",
	       sent, recv, info.msg_count, (unsigned long long)info.queued_bytes,
	       before, after);
	got = counter(self, self->b, "delivered");
	EXPECT_EQ(got, info.msg_count);		/* nobody reads */
	EXPECT_EQ(recv < 1024 ? recv : 1024, got);	/* slot_msgs */
	EXPECT_LE(info.queued_bytes, info.quota_bytes);
	EXPECT_EQ(recv, got + counter(self, self->b, "dropped_slot_full"));
	EXPECT_GT(recv, total / 10);
	EXPECT_LT(before - after, 64 * 1024);	/* far less than what was sent */
	close(srv);
}

TEST_HARNESS_MAIN
