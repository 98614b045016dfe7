// SPDX-License-Identifier: GPL-2.0
/*
 * mailslotfs: remote mailslots switched on in a namespace: one kernel UDP
 * socket on port 138 (datagrams) and one on 137 (the name service of a B
 * node, for this host's own names), and what they receive.
 *
 * Receiving happens in process context: a socket's sk_data_ready only
 * queues its work, which drains the socket with skb_recv_udp(), as the
 * sunrpc server does. So delivery can allocate normally, and a flood is
 * bounded by the socket's receive buffer before it reaches the slots.
 *
 * Lifetime: the superblock publishes its struct msfs_remote (RCU, under
 * sbi->remote_lock) while remote is on, holding one reference; senders take
 * more. Switching off unpublishes it, detaches the sockets' callbacks
 * (after which no work runs) and drops the superblock's reference; the
 * sockets are released with the last reference.
 */
#include <linux/jhash.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/udp.h>
#include <linux/utsname.h>
#include <net/route.h>
#include <net/sock.h>
#include <net/udp.h>

#include "../mailslotfs/internal.h"
#include "remote.h"

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
		rs->handle(rs->remote, skb);
		consume_skb(skb);
	}
	queue_work(msfs_wq, work);
}

static int msfs_rsock_open(struct msfs_remote *r, struct msfs_rsock *rs,
			   u16 port,
			   void (*handle)(struct msfs_remote *, struct sk_buff *))
{
	struct sockaddr_in sin = {
		.sin_family = AF_INET,
		.sin_port = htons(port),
		.sin_addr.s_addr = htonl(INADDR_ANY),
	};
	struct socket *sock;
	struct sock *sk;
	int err;

	err = sock_create_kern(r->net, AF_INET, SOCK_DGRAM, IPPROTO_UDP, &sock);
	if (err)
		return err;
	/* group writes leave from 138; the name service answers one host */
	if (port == NBT_DGM_PORT)
		sock_set_flag(sock->sk, SOCK_BROADCAST);
	err = kernel_bind(sock, (struct sockaddr *)&sin, sizeof(sin));
	if (err) {
		sock_release(sock);
		return err;
	}
	rs->sock = sock;
	rs->remote = r;
	rs->handle = handle;
	INIT_WORK(&rs->work, msfs_rsock_work);
	sk = sock->sk;
	write_lock_bh(&sk->sk_callback_lock);
	rs->saved_data_ready = sk->sk_data_ready;
	rcu_assign_sk_user_data(sk, rs);
	sk->sk_data_ready = msfs_data_ready;
	write_unlock_bh(&sk->sk_callback_lock);
	return 0;
}

/* Stop receiving: after this no work of the socket runs. */
static void msfs_rsock_detach(struct msfs_rsock *rs)
{
	struct sock *sk;

	if (!rs->sock)
		return;
	sk = rs->sock->sk;
	write_lock_bh(&sk->sk_callback_lock);
	sk->sk_data_ready = rs->saved_data_ready;
	rcu_assign_sk_user_data(sk, NULL);
	write_unlock_bh(&sk->sk_callback_lock);
	synchronize_rcu();
	cancel_work_sync(&rs->work);
}

static void msfs_rsock_release(struct msfs_rsock *rs)
{
	if (rs->sock) {
		kernel_sock_shutdown(rs->sock, SHUT_RDWR);
		sock_release(rs->sock);
		rs->sock = NULL;
	}
}

/* Take a token of @b, which gains @rate a second up to @burst; false when
 * it has none.
 */
static bool msfs_bucket_take(struct msfs_bucket *b, u32 rate, u32 burst)
{
	unsigned long now = jiffies;
	u64 add;

	/* an hour of tokens is more than any burst: no overflow */
	add = div_u64((u64)min(now - b->stamp, 3600UL * HZ) * rate, HZ);
	if (add) {
		b->tokens = min_t(u64, burst, b->tokens + add);
		b->stamp = now;
	}
	if (!b->tokens)
		return false;
	b->tokens--;
	return true;
}

static void msfs_limiter_init(struct msfs_limiter *l, u32 rate)
{
	unsigned int i;

	spin_lock_init(&l->lock);
	l->seed = get_random_u32();
	for (i = 0; i < MSFS_RATE_BUCKETS; i++)
		l->buckets[i] = (struct msfs_bucket){ rate, jiffies };
}

/* Limit each source to cfg.rate packets a second (bursts of as many). */
static bool msfs_rate_ok(struct msfs_remote *r, struct msfs_limiter *l,
			 u32 addr)
{
	struct msfs_bucket *b;
	u32 rate = r->cfg.rate;
	bool ok;

	if (!rate)
		return true;
	b = &l->buckets[jhash_1word(addr, l->seed) % MSFS_RATE_BUCKETS];
	spin_lock(&l->lock);
	ok = msfs_bucket_take(b, rate, rate);
	spin_unlock(&l->lock);
	return ok;
}

/* The sender may talk to us at all: the allowlist, the rate limit. */
static enum msfs_counter msfs_sender_ok(struct msfs_remote *r,
					struct msfs_limiter *l, u32 saddr)
{
	if (r->cfg.nallow && !msfs_cidrs_match(r->cfg.allow, r->cfg.nallow, saddr))
		return MSFS_DROP_NOT_ALLOWED;
	if (!msfs_rate_ok(r, l, saddr))
		return MSFS_DROP_RATE_LIMIT;
	return MSFS_RECEIVED;
}

/* The index in r->names of a name, or -1; @answer: only names we answer for. */
static int msfs_name_index(const struct msfs_remote *r,
			   const struct nbt_name *n, bool answer)
{
	unsigned int i, count = answer ? 4 : r->nnames;
	struct nbt_name ours = { 0 };

	for (i = 0; i < count; i++) {
		memcpy(ours.name, r->names[i], NBT_NAME_LEN);
		if (nbt_name_eq(&ours, n))
			return i;
	}
	return -1;
}

/**
 * msfs_name_is_ours() - is a datagram to this name for this host?
 * @r: the remote state
 * @n: the destination name
 *
 * Return: true for "*" and for every name this host receives for.
 */
bool msfs_name_is_ours(const struct msfs_remote *r, const struct nbt_name *n)
{
	return nbt_name_is_star(n) || msfs_name_index(r, n, false) >= 0;
}

static enum msfs_counter msfs_parse_verdict(int err)
{
	switch (-err) {
	case NBT_FRAGMENT:
		return MSFS_DROP_FRAGMENT;
	case NBT_NOT_MAILSLOT:
		return MSFS_DROP_NOT_MAILSLOT;
	}
	return MSFS_DROP_MALFORMED;
}

/* The UDP payload, checksummed and linear; false when it is neither. */
static bool msfs_skb_ok(struct sk_buff *skb)
{
	if (!udp_skb_csum_unnecessary(skb) && __udp_lib_checksum_complete(skb))
		return false;
	return !skb_linearize(skb);
}

static enum msfs_counter msfs_dgm_verdict(struct msfs_remote *r,
					  struct sk_buff *skb, u32 saddr,
					  u16 sport, bool local)
{
	enum msfs_counter c = msfs_sender_ok(r, &r->dgm_rate, saddr);
	struct nbt_dgram d;
	int err;

	if (c != MSFS_RECEIVED)
		return c;
	if (!msfs_skb_ok(skb))
		return MSFS_DROP_MALFORMED;
	err = nbt_parse_dgram(skb->data, skb->len, &d);
	if (err)
		return msfs_parse_verdict(err);
	if (!msfs_name_is_ours(r, &d.dst))
		return MSFS_DROP_NOT_FOR_US;
	return msfs_deliver(r->sbi, &d, saddr, sport,
			    local ? MSFS_SENDER_LOCAL : MSFS_SENDER_NET);
}

/* A datagram on UDP 138. One from an address of this namespace is a local
 * write that went around the filesystem: from port 138, our own (nobody
 * else can have that port), back from a broadcast or a local address,
 * and delivered when it was sent (send.c); from another port, a local
 * socket's, whose user is unknown (msfs_deliver() says where it may go).
 */
static void msfs_dgm_handle(struct msfs_remote *r, struct sk_buff *skb)
{
	u32 saddr = ntohl(ip_hdr(skb)->saddr);
	u16 sport = ntohs(udp_hdr(skb)->source);
	bool local = inet_addr_type(r->net, htonl(saddr)) == RTN_LOCAL;

	if (local && sport == NBT_DGM_PORT) {
		msfs_count(r->net, MSFS_LOOPED_BACK);
		return;
	}
	msfs_count(r->net, MSFS_RECEIVED);
	msfs_count(r->net, msfs_dgm_verdict(r, skb, saddr, sport, local));
}

/* Is @q about one of the names we answer for (node status: or "*")? */
static bool msfs_ns_ours(const struct msfs_remote *r, const struct nbt_ns *q)
{
	return (q->qtype == NBT_QTYPE_NBSTAT && nbt_name_is_star(&q->name)) ||
	       msfs_name_index(r, &q->name, true) >= 0;
}

/* The answer to @q, which is about one of our names, from address @src. */
static int msfs_ns_answer(struct msfs_remote *r, const struct nbt_ns *q,
			  u32 src, u8 *buf, size_t size)
{
	int i = msfs_name_index(r, &q->name, true);

	if (q->qtype == NBT_QTYPE_NBSTAT)
		return nbt_build_node_status_response(buf, size, q->trn_id,
						      r->names[0], r->name_flags, 4);
	return nbt_build_name_query_response(buf, size, q->trn_id, &q->name,
					     r->name_flags[i] & NBT_NB_GROUP, src);
}

/* Was @skb sent to this host alone (not to a broadcast or group address)? */
static bool msfs_skb_unicast(struct net *net, const struct sk_buff *skb)
{
	return skb->pkt_type == PACKET_HOST &&
	       inet_addr_type(net, ip_hdr(skb)->daddr) == RTN_LOCAL;
}

/* May the answer to @q go to @saddr:@sport? Only to a port, to a unicast
 * address that has a route (so never to a broadcast, group or martian
 * source: the name service is no reflector), and the larger node status
 * answer only to a request made to this host alone; then within the
 * budget of answers. *@src: the address to answer from.
 */
static enum msfs_counter msfs_ns_may_answer(struct msfs_remote *r,
					    const struct sk_buff *skb,
					    const struct nbt_ns *q, u32 saddr,
					    u16 sport, u32 *src)
{
	bool ok;

	if (!sport || !msfs_route_unicast(r->net, saddr, src) ||
	    (q->qtype == NBT_QTYPE_NBSTAT && !msfs_skb_unicast(r->net, skb)))
		return MSFS_NS_REFUSED;
	spin_lock(&r->reply_lock);
	ok = msfs_bucket_take(&r->replies, MSFS_NS_REPLY_RATE,
			      2 * MSFS_NS_REPLY_RATE);
	spin_unlock(&r->reply_lock);
	return ok ? MSFS_NS_ANSWERED : MSFS_NS_LIMITED;
}

/* What becomes of a packet on UDP 137, and the answer in @buf. */
static enum msfs_counter msfs_ns_verdict(struct msfs_remote *r,
					 struct sk_buff *skb, struct nbt_ns *q,
					 u8 *buf)
{
	u32 saddr = ntohl(ip_hdr(skb)->saddr), src;
	u16 sport = ntohs(udp_hdr(skb)->source);
	enum msfs_counter c;
	int len;

	if (msfs_sender_ok(r, &r->ns_rate, saddr) != MSFS_RECEIVED ||
	    !msfs_skb_ok(skb) || nbt_parse_ns(skb->data, skb->len, q) ||
	    q->response || !msfs_ns_ours(r, q))
		return MSFS_NS_IGNORED;
	c = msfs_ns_may_answer(r, skb, q, saddr, sport, &src);
	if (c != MSFS_NS_ANSWERED)
		return c;
	len = msfs_ns_answer(r, q, src, buf, NBT_DGM_MAX);
	/* never wait for room from the receive work: umount waits for it */
	if (len < 0 ||
	    msfs_send_to(&r->ns, saddr, sport, buf, len, MSG_DONTWAIT))
		msfs_count(r->net, MSFS_SEND_ERRORS);
	return c;
}

/* A packet on UDP 137: answer queries for our own names, as a B node.
 * Every packet counts once: answered, refused, limited or ignored.
 */
static void msfs_ns_handle(struct msfs_remote *r, struct sk_buff *skb)
{
	struct nbt_ns *q = kmalloc(sizeof(*q), GFP_KERNEL);
	u8 *buf = kmalloc(NBT_DGM_MAX, GFP_KERNEL);

	msfs_count(r->net, MSFS_NS_PACKETS);
	msfs_count(r->net, q && buf ? msfs_ns_verdict(r, skb, q, buf) :
		   MSFS_NS_IGNORED);
	kfree(buf);
	kfree(q);
}

/* The names we receive datagrams for; we answer queries for the first 4. */
static void msfs_remote_names(struct msfs_remote *r)
{
	static const struct {
		bool workgroup;
		u8 suffix;
		bool group;
	} spec[] = {
		{ false, NBT_WORKSTATION, false }, { false, NBT_MESSENGER, false },
		{ false, NBT_SERVER, false }, { true, NBT_WORKSTATION, true },
		{ true, NBT_MASTER_BROWSER, false }, { true, NBT_BROWSERS, true },
	};
	struct nbt_name n;
	const char *text;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(spec); i++) {
		text = spec[i].workgroup ? r->cfg.workgroup : r->cfg.netbios_name;
		nbt_make_name(&n, text, strlen(text), spec[i].suffix);
		memcpy(r->names[i], n.name, NBT_NAME_LEN);
		r->name_flags[i] = NBT_NAME_ACTIVE | (spec[i].group ? NBT_NB_GROUP : 0);
	}
	r->nnames = ARRAY_SIZE(spec);
}

static void msfs_remote_release(struct kref *ref)
{
	struct msfs_remote *r = container_of(ref, struct msfs_remote, ref);

	msfs_rsock_release(&r->dgm);
	msfs_rsock_release(&r->ns);
	kfree(r);
}

/**
 * msfs_remote_put() - drop a reference to a namespace's remote state
 * @r: the state
 */
void msfs_remote_put(struct msfs_remote *r)
{
	kref_put(&r->ref, msfs_remote_release);
}

/**
 * msfs_remote_get() - the remote state of a namespace, if remote is on
 * @sbi: the namespace
 *
 * Return: a counted reference (msfs_remote_put() it), or NULL.
 */
struct msfs_remote *msfs_remote_get(struct msfs_sb_info *sbi)
{
	struct msfs_remote *r;

	rcu_read_lock();
	r = rcu_dereference(sbi->remote);
	if (r && !kref_get_unless_zero(&r->ref))
		r = NULL;
	rcu_read_unlock();
	return r;
}

static struct msfs_remote *msfs_remote_alloc(struct msfs_sb_info *sbi,
					     const struct msfs_remote_cfg *cfg)
{
	struct msfs_remote *r = kzalloc(sizeof(*r), GFP_KERNEL_ACCOUNT);

	if (!r)
		return NULL;
	kref_init(&r->ref);
	r->sbi = sbi;
	r->net = sbi->net;
	r->cfg = *cfg;
	msfs_limiter_init(&r->dgm_rate, cfg->rate);
	msfs_limiter_init(&r->ns_rate, cfg->rate);
	spin_lock_init(&r->reply_lock);
	r->replies = (struct msfs_bucket){ 2 * MSFS_NS_REPLY_RATE, jiffies };
	mutex_init(&r->cache_lock);
	atomic_set(&r->dgm_id, get_random_u32());
	msfs_remote_names(r);
	return r;
}

/**
 * msfs_remote_start() - switch remote mailslots on in a namespace
 * @sbi: the namespace; remote must be off
 * @cfg: its options
 *
 * Binds UDP 138 (required) and 137 (if free: else this host does not
 * answer name queries, and a log line says so).
 *
 * Return: 0, -EADDRINUSE when port 138 is taken (a log line says so), or
 * another error of socket creation.
 */
int msfs_remote_start(struct msfs_sb_info *sbi, const struct msfs_remote_cfg *cfg)
{
	struct msfs_remote *r = msfs_remote_alloc(sbi, cfg);
	int err;

	if (!r)
		return -ENOMEM;
	err = msfs_rsock_open(r, &r->dgm, NBT_DGM_PORT, msfs_dgm_handle);
	if (err) {
		if (err == -EADDRINUSE)
			pr_warn_ratelimited("mailslotfs: UDP port 138 is taken in this network namespace (by Samba's nmbd?); remote mailslots need it\n");
		kfree(r);
		return err;
	}
	if (msfs_rsock_open(r, &r->ns, NBT_NS_PORT, msfs_ns_handle))
		pr_info_ratelimited("mailslotfs: UDP port 137 is taken in this network namespace: not answering name queries for %s\n",
				    r->cfg.netbios_name);
	mutex_lock(&sbi->remote_lock);
	rcu_assign_pointer(sbi->remote, r);
	mutex_unlock(&sbi->remote_lock);
	return 0;
}

/**
 * msfs_remote_stop() - switch remote mailslots off in a namespace
 * @sbi: the namespace
 *
 * Nothing is received any more when this returns; the sockets go with the
 * last sender.
 */
void msfs_remote_stop(struct msfs_sb_info *sbi)
{
	struct msfs_remote *r;

	mutex_lock(&sbi->remote_lock);
	r = rcu_dereference_protected(sbi->remote,
				      lockdep_is_held(&sbi->remote_lock));
	RCU_INIT_POINTER(sbi->remote, NULL);
	mutex_unlock(&sbi->remote_lock);
	if (!r)
		return;
	msfs_rsock_detach(&r->dgm);
	msfs_rsock_detach(&r->ns);
	synchronize_rcu();	/* no msfs_remote_get() can find it now */
	msfs_remote_put(r);
}

/**
 * msfs_remote_cfg_default() - the defaults of the remote mount options
 * @cfg: filled in: off, the host name in upper case (its first label, at
 *	most 15 characters) as NetBIOS name, WORKGROUP, 100 datagrams a
 *	second from one source
 *
 * Return: 0.
 */
int msfs_remote_cfg_default(struct msfs_remote_cfg *cfg)
{
	const char *host = utsname()->nodename;
	struct nbt_name n;
	size_t i;

	memset(cfg, 0, sizeof(*cfg));
	for (i = 0; i < NBT_NAME_LEN - 1 && host[i] && host[i] != '.'; i++)
		cfg->netbios_name[i] = msfs_fold(host[i]);
	/* a host name is any bytes: it must make a name, or this one is used */
	if (nbt_make_name(&n, cfg->netbios_name, i, 0))
		strscpy(cfg->netbios_name, "MAILSLOTFS", sizeof(cfg->netbios_name));
	strscpy(cfg->workgroup, "WORKGROUP", sizeof(cfg->workgroup));
	cfg->rate = 100;
	return 0;
}

int msfs_remote_init(void)
{
	msfs_wq = alloc_workqueue("mailslotfs", WQ_UNBOUND, 0);
	return msfs_wq ? 0 : -ENOMEM;
}

void msfs_remote_exit(void)
{
	destroy_workqueue(msfs_wq);
}
