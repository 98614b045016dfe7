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
#include <linux/hash.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/udp.h>
#include <linux/utsname.h>
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

/* Limit each source to cfg.rate datagrams a second (bursts of as many). */
static bool msfs_rate_ok(struct msfs_remote *r, u32 addr)
{
	struct msfs_bucket *b = &r->buckets[hash_32(addr, ilog2(MSFS_RATE_BUCKETS))];
	u32 rate = r->cfg.rate;
	unsigned long now = jiffies;
	u64 add;
	bool ok;

	if (!rate)
		return true;
	spin_lock(&r->rate_lock);
	if (b->addr != addr || !b->stamp) {
		b->addr = addr;
		b->tokens = rate;
		b->stamp = now;
	}
	add = div_u64((u64)(now - b->stamp) * rate, HZ);
	if (add) {
		b->tokens = min_t(u64, rate, b->tokens + add);
		b->stamp = now;
	}
	ok = b->tokens > 0;
	if (ok)
		b->tokens--;
	spin_unlock(&r->rate_lock);
	return ok;
}

/* The sender may talk to us at all: the allowlist, the rate limit. */
static enum msfs_counter msfs_sender_ok(struct msfs_remote *r, u32 saddr)
{
	if (r->cfg.nallow && !msfs_cidrs_match(r->cfg.allow, r->cfg.nallow, saddr))
		return MSFS_DROP_NOT_ALLOWED;
	if (!msfs_rate_ok(r, saddr))
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
					  u16 sport)
{
	enum msfs_counter c = msfs_sender_ok(r, saddr);
	struct nbt_dgram d;
	int err;

	if (c != MSFS_RECEIVED)
		return c;
	if (!msfs_skb_ok(skb))
		return MSFS_DROP_MALFORMED;
	err = nbt_parse_dgram(skb->data, skb->len, &d);
	if (err)
		return msfs_parse_verdict(err);
	if (!nbt_name_is_star(&d.dst) && msfs_name_index(r, &d.dst, false) < 0)
		return MSFS_DROP_NOT_FOR_US;
	return msfs_deliver(r->sbi, &d, saddr, sport);
}

/* A datagram on UDP 138. */
static void msfs_dgm_handle(struct msfs_remote *r, struct sk_buff *skb)
{
	u32 saddr = ntohl(ip_hdr(skb)->saddr);
	u16 sport = ntohs(udp_hdr(skb)->source);

	msfs_count(r->net, MSFS_RECEIVED);
	msfs_count(r->net, msfs_dgm_verdict(r, skb, saddr, sport));
}

/* A name query or node status request for one of our names: the answer. */
static int msfs_ns_answer(struct msfs_remote *r, const struct nbt_ns *q,
			  u32 saddr, u8 *buf, size_t size)
{
	int i = msfs_name_index(r, &q->name, true);

	if (q->qtype == NBT_QTYPE_NBSTAT) {
		if (i < 0 && !nbt_name_is_star(&q->name))
			return -ENOENT;
		return nbt_build_node_status_response(buf, size, q->trn_id,
						      r->names[0], r->name_flags, 4);
	}
	if (i < 0)
		return -ENOENT;
	return nbt_build_name_query_response(buf, size, q->trn_id, &q->name,
					     r->name_flags[i] & NBT_NB_GROUP,
					     msfs_source_addr(r->net, saddr));
}

/* A packet on UDP 137: answer queries for our own names, as a B node. */
static void msfs_ns_handle(struct msfs_remote *r, struct sk_buff *skb)
{
	u32 saddr = ntohl(ip_hdr(skb)->saddr);
	u16 sport = ntohs(udp_hdr(skb)->source);
	struct nbt_ns *q;
	u8 *buf;
	int len;

	if (msfs_sender_ok(r, saddr) != MSFS_RECEIVED || !msfs_skb_ok(skb))
		return;
	q = kmalloc(sizeof(*q), GFP_KERNEL);
	buf = kmalloc(NBT_DGM_MAX, GFP_KERNEL);
	if (q && buf && !nbt_parse_ns(skb->data, skb->len, q) && !q->response) {
		len = msfs_ns_answer(r, q, saddr, buf, NBT_DGM_MAX);
		if (len > 0 && !msfs_send_to(&r->ns, saddr, sport, buf, len))
			msfs_count(r->net, MSFS_NS_ANSWERED);
	}
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
	struct msfs_remote *r = kzalloc(sizeof(*r), GFP_KERNEL);

	if (!r)
		return NULL;
	kref_init(&r->ref);
	r->sbi = sbi;
	r->net = sbi->net;
	r->cfg = *cfg;
	spin_lock_init(&r->rate_lock);
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
			pr_warn("mailslotfs: UDP port 138 is taken in this network namespace (by Samba's nmbd?); remote mailslots need it\n");
		kfree(r);
		return err;
	}
	if (msfs_rsock_open(r, &r->ns, NBT_NS_PORT, msfs_ns_handle))
		pr_info("mailslotfs: UDP port 137 is taken in this network namespace: not answering name queries for %s\n",
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
	size_t i;

	memset(cfg, 0, sizeof(*cfg));
	for (i = 0; i < NBT_NAME_LEN - 1 && host[i] && host[i] != '.'; i++)
		cfg->netbios_name[i] = msfs_fold(host[i]);
	if (!i)
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
