// SPDX-License-Identifier: GPL-2.0
/*
 * mailslotfs: the kernel UDP sockets of remote mailslots, and the routes
 * and subnets that sending needs.
 *
 * Receiving happens in process context: a socket's sk_data_ready only
 * queues its work, which drains the socket with skb_recv_udp(), as the
 * sunrpc server does. So delivery can allocate normally, and a flood is
 * bounded by the socket's receive buffer before it reaches the slots.
 */
#include <linux/inetdevice.h>
#include <linux/in.h>
#include <linux/netdevice.h>
#include <linux/slab.h>
#include <linux/uio.h>
#include <net/route.h>
#include <net/sock.h>
#include <net/udp.h>

#include "internal.h"

static struct workqueue_struct *msfs_wq;

static void msfs_data_ready(struct sock *sk)
{
	struct msfs_rsock *rs;

	rcu_read_lock();
	rs = rcu_dereference_sk_user_data(sk);
	if (rs)
		queue_work(msfs_wq, &rs->work);
	rcu_read_unlock();
}

/* Drain the socket, a batch at a time, so that other work gets its turn. */
static void msfs_rsock_work(struct work_struct *work)
{
	struct msfs_rsock *rs = container_of(work, struct msfs_rsock, work);
	struct sk_buff *skb;
	int err, n;

	for (n = 0; n < 64; n++) {
		skb = skb_recv_udp(rs->sock->sk, MSG_DONTWAIT, &err);
		if (!skb)
			return;
		rs->handle(rs->remote, skb, rs->scratch);
		consume_skb(skb);
	}
	queue_work(msfs_wq, work);
}

/* A UDP socket of @net bound to @port on every address. */
static int msfs_udp_bind(struct net *net, u16 port, struct socket **sock)
{
	struct sockaddr_in sin = {
		.sin_family = AF_INET,
		.sin_port = htons(port),
		.sin_addr.s_addr = htonl(INADDR_ANY),
	};
	struct socket *s;
	int err;

	err = sock_create_kern(net, AF_INET, SOCK_DGRAM, IPPROTO_UDP, &s);
	if (err)
		return err;
	/* group writes leave from 138; the name service answers one host */
	if (port == NBT_DGM_PORT)
		sock_set_flag(s->sk, SOCK_BROADCAST);
	err = kernel_bind(s, (struct sockaddr *)&sin, sizeof(sin));
	if (err) {
		sock_release(s);
		return err;
	}
	*sock = s;
	return 0;
}

/**
 * msfs_rsock_open() - bind a remote socket and start receiving on it
 * @r: the remote state it belongs to
 * @rs: the socket to set up, whose @rs->sock is NULL
 * @port: the UDP port
 * @handle: what is done with each packet, in @rs's work
 * @scratch: the size of the buffer @handle is given (0: none)
 *
 * @rs->sock is set only once the socket is bound (smp_store_release()),
 * then the socket is hooked: the WINS work, which may read @r->ns.sock
 * while a remount opens it (smp_load_acquire()), sees NULL or a socket
 * bound to @port, never one being made or closed. Its work is queued
 * only once it is hooked, so it always sees the socket.
 *
 * Return: 0, -EADDRINUSE when @port is taken, or another errno.
 */
int msfs_rsock_open(struct msfs_remote *r, struct msfs_rsock *rs, u16 port,
		    void (*handle)(struct msfs_remote *, struct sk_buff *, void *),
		    size_t scratch)
{
	struct socket *sock;
	struct sock *sk;
	int err = -ENOMEM;

	if (scratch) {
		rs->scratch = kmalloc(scratch, GFP_KERNEL_ACCOUNT);
		if (!rs->scratch)
			goto fail;
	}
	err = msfs_udp_bind(r->net, port, &sock);
	if (err)
		goto fail;
	rs->remote = r;
	rs->handle = handle;
	INIT_WORK(&rs->work, msfs_rsock_work);
	/* bound: the WINS work may send on it (pairs with its acquire) */
	smp_store_release(&rs->sock, sock);
	sk = sock->sk;
	write_lock_bh(&sk->sk_callback_lock);
	rs->saved_data_ready = sk->sk_data_ready;
	rcu_assign_sk_user_data(sk, rs);
	sk->sk_data_ready = msfs_data_ready;
	write_unlock_bh(&sk->sk_callback_lock);
	return 0;
fail:
	kfree(rs->scratch);
	rs->scratch = NULL;
	return err;
}

/* Stop queueing work for what arrives; a grace period later none can be. */
void msfs_rsock_unhook(struct msfs_rsock *rs)
{
	struct sock *sk;

	if (!rs->sock)
		return;
	sk = rs->sock->sk;
	write_lock_bh(&sk->sk_callback_lock);
	sk->sk_data_ready = rs->saved_data_ready;
	rcu_assign_sk_user_data(sk, NULL);
	write_unlock_bh(&sk->sk_callback_lock);
}

/* After msfs_rsock_unhook() and a grace period: wait for the last work. */
void msfs_rsock_quiesce(struct msfs_rsock *rs)
{
	if (rs->sock)
		cancel_work_sync(&rs->work);
}

/* Close the socket (no work of it may run any more). */
void msfs_rsock_release(struct msfs_rsock *rs)
{
	if (rs->sock) {
		kernel_sock_shutdown(rs->sock, SHUT_RDWR);
		sock_release(rs->sock);
		rs->sock = NULL;
	}
	kfree(rs->scratch);
	rs->scratch = NULL;
}

/**
 * msfs_udp_send() - one UDP packet from a socket
 * @sock: the socket
 * @addr: the destination (host order)
 * @port: its port
 * @buf: the payload
 * @len: its length
 * @flags: MSG_DONTWAIT, or 0 to wait for room in the socket's buffer
 *
 * Return: 0 or a negative errno.
 */
int msfs_udp_send(struct socket *sock, u32 addr, u16 port, const u8 *buf,
		  size_t len, int flags)
{
	struct sockaddr_in sin = {
		.sin_family = AF_INET,
		.sin_port = htons(port),
		.sin_addr.s_addr = htonl(addr),
	};
	struct msghdr msg = {
		.msg_name = &sin,
		.msg_namelen = sizeof(sin),
		.msg_flags = flags,
	};
	struct kvec iov = { .iov_base = (void *)buf, .iov_len = len };
	int ret = kernel_sendmsg(sock, &msg, &iov, 1, len);

	return ret < 0 ? ret : 0;
}

/* The route to @daddr (host order); its source address in @fl4. */
static struct rtable *msfs_route(struct net *net, u32 daddr,
				 struct flowi4 *fl4)
{
	*fl4 = (struct flowi4){
		.daddr = htonl(daddr),
		.flowi4_proto = IPPROTO_UDP,
	};
	return ip_route_output_key(net, fl4);
}

/* The address this host sends to @daddr from (host order), 0 if none. */
u32 msfs_source_addr(struct net *net, u32 daddr)
{
	struct flowi4 fl4;
	struct rtable *rt = msfs_route(net, daddr, &fl4);

	if (IS_ERR(rt))
		return 0;
	ip_rt_put(rt);
	return ntohl(fl4.saddr);
}

/**
 * msfs_route_unicast() - can an answer go to @daddr, and to it alone?
 * @net: the network namespace
 * @daddr: the address (host order)
 * @saddr: out: the address to answer from (host order)
 *
 * Return: true when there is a route to @daddr and it is a unicast (or
 * local) one: not a broadcast, a group address or a martian.
 */
bool msfs_route_unicast(struct net *net, u32 daddr, u32 *saddr)
{
	struct flowi4 fl4;
	struct rtable *rt = msfs_route(net, daddr, &fl4);
	bool ok;

	if (IS_ERR(rt))
		return false;
	ok = rt->rt_type == RTN_UNICAST || rt->rt_type == RTN_LOCAL;
	ip_rt_put(rt);
	*saddr = ntohl(fl4.saddr);
	return ok;
}

/**
 * msfs_subnets() - the IPv4 subnets a group write goes to
 * @net: the network namespace
 * @s: filled in: each subnet's local address and broadcast address
 * @max: room in @s
 *
 * Those of the up, non-loopback interfaces, but /31 and /32.
 *
 * Return: how many were found.
 */
int msfs_subnets(struct net *net, struct msfs_subnet *s, int max)
{
	struct net_device *dev;
	struct in_device *in_dev;
	struct in_ifaddr *ifa;
	int n = 0;

	rcu_read_lock();
	for_each_netdev_rcu(net, dev) {
		if (!(dev->flags & IFF_UP) || (dev->flags & IFF_LOOPBACK))
			continue;
		in_dev = __in_dev_get_rcu(dev);
		if (!in_dev)
			continue;
		in_dev_for_each_ifa_rcu(ifa, in_dev) {
			if (n == max || ifa->ifa_prefixlen >= 31)
				continue;
			s[n].local = ntohl(ifa->ifa_local);
			/* `ip addr add` without brd leaves it 0: derive it */
			s[n].bcast = ifa->ifa_broadcast ? ntohl(ifa->ifa_broadcast) :
				     s[n].local | ~ntohl(ifa->ifa_mask);
			n++;
		}
	}
	rcu_read_unlock();
	return n;
}

int msfs_sock_init(void)
{
	msfs_wq = alloc_workqueue("mailslotfs", WQ_UNBOUND, 0);
	return msfs_wq ? 0 : -ENOMEM;
}

void msfs_sock_exit(void)
{
	destroy_workqueue(msfs_wq);
}
