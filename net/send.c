// SPDX-License-Identifier: GPL-2.0
/*
 * mailslotfs: writing to remote slots. A target is resolved when its
 * handle is opened, as Windows resolves \\TARGET\mailslot\NAME:
 *  - an IPv4 address: a direct unique datagram to the name its node
 *    status answer gives (what `nmblookup -A` asks), or "*" when it
 *    does not answer;
 *  - "*" or the workgroup: a direct group datagram to <workgroup><00> on
 *    each local subnet's broadcast address;
 *  - a NetBIOS name ("NAME", or "NAME#hh" for another suffix than 00):
 *    with wins=, an RFC 1002 name query to each name server in turn
 *    (unicast, RD); when none knows it, a name query broadcast on the
 *    local subnets; a unique name gets a direct unique datagram, a group
 *    name a direct group one on the broadcast addresses, or, when a name
 *    server lists its members (an Internet group), to each of them; no
 *    answer is ENXIO.
 * Answers are cached for a minute (a name nobody answered for: 10 s).
 * Every write is one datagram per destination, sent from port 138.
 */
#include <linux/in.h>
#include <linux/jiffies.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/uio.h>
#include <net/route.h>
#include <net/sock.h>

#include "internal.h"

#define MSFS_NS_TRIES		3
#define MSFS_NS_WAIT_MS		250
/* a name server, past routers: RFC 1002 says 3 tries 5 s apart, which a
 * blocked open() should not wait for; a second server is there for that
 */
#define MSFS_WINS_Q_TRIES	2
#define MSFS_WINS_Q_WAIT_MS	1000
#define MSFS_SUBNETS_MAX	16

/* A temporary socket for asking the name service. */
static int msfs_ns_socket(struct net *net, struct socket **sock)
{
	int err = sock_create_kern(net, AF_INET, SOCK_DGRAM, IPPROTO_UDP, sock);

	if (err)
		return err;
	sock_set_flag((*sock)->sk, SOCK_BROADCAST);
	return 0;
}

/**
 * struct msfs_question - a question to the name service
 * @trn: its NAME_TRN_ID: random, so that nobody can answer it unasked
 * @qtype: %NBT_QTYPE_NB (a name query) or %NBT_QTYPE_NBSTAT (node status)
 * @name: the name asked for (a name query)
 * @addr: the host asked (node status, a name server): the answer must
 *	come from it
 * @nbns: @addr is a name server: its negative answer is an answer too
 * @tries: how many times it is sent
 * @wait_ms: how long each time is waited for an answer
 * @pkt: the request
 * @len: its length
 */
struct msfs_question {
	u16 trn;
	u16 qtype;
	const struct nbt_name *name;
	u32 addr;
	bool nbns;
	unsigned int tries;
	unsigned int wait_ms;
	u8 pkt[NBT_NS_HDR + 64];
	int len;
};

/* Does @a, from @from (host order), answer @q (positively, but for a name
 * server, which may say that it does not know the name)?
 */
static bool msfs_answers(const struct msfs_question *q, const struct nbt_ns *a,
			 u32 from)
{
	if (!a->response || a->opcode != NBT_OP_QUERY || a->trn_id != q->trn)
		return false;
	/* a negative answer's record may be of type NULL (RFC 1002 4.2.14) */
	if (q->nbns)
		return from == q->addr && nbt_name_eq(&a->name, q->name) &&
		       (a->rcode || a->qtype == q->qtype);
	if (a->rcode || a->qtype != q->qtype)
		return false;
	if (q->qtype == NBT_QTYPE_NBSTAT)
		return from == q->addr;
	return nbt_name_eq(&a->name, q->name);
}

/* Wait @q->wait_ms for the answer to @q: 0, -EAGAIN (time is up) or an
 * error. Other packets do not extend the wait.
 */
static int msfs_ns_wait(struct socket *sock, const struct msfs_question *q,
			struct nbt_ns *ans, u8 *buf)
{
	unsigned long end = jiffies + msecs_to_jiffies(q->wait_ms);
	struct sockaddr_in from;
	struct msghdr msg = { .msg_name = &from, .msg_namelen = sizeof(from) };
	struct kvec iov = { .iov_base = buf, .iov_len = NBT_DGM_MAX };
	long left;
	int len;

	for (;;) {
		left = (long)(end - jiffies);
		if (left <= 0)
			return -EAGAIN;
		WRITE_ONCE(sock->sk->sk_rcvtimeo, left);
		len = kernel_recvmsg(sock, &msg, &iov, 1, NBT_DGM_MAX, 0);
		if (len < 0)
			return len;
		if (!nbt_parse_ns(buf, len, ans) &&
		    msfs_answers(q, ans, ntohl(from.sin_addr.s_addr)))
			return 0;
	}
}

/* Ask the name service: send @q to each of @addrs on UDP 137, up to
 * @q->tries times, and wait for an answer.
 */
static int msfs_ns_ask(struct net *net, const u32 *addrs, int naddrs,
		       const struct msfs_question *q, struct nbt_ns *ans)
{
	struct socket *sock;
	int i, try, err = -ENOMEM;
	u8 *buf = kmalloc(NBT_DGM_MAX, GFP_KERNEL);

	if (!buf)
		return err;
	err = msfs_ns_socket(net, &sock);
	if (err)
		goto free;
	for (try = 0; try < q->tries; try++) {
		for (i = 0; i < naddrs; i++)
			msfs_udp_send(sock, addrs[i], NBT_NS_PORT, q->pkt, q->len, 0);
		err = msfs_ns_wait(sock, q, ans, buf);
		if (err != -EAGAIN)
			goto release;	/* answered (0), or interrupted */
	}
	err = -ENXIO;
release:
	sock_release(sock);
free:
	kfree(buf);
	return err;
}

/* Cached answer for a name (@by_addr false) or an address; NULL if none. */
static struct msfs_nbcache *msfs_cache_find(struct msfs_remote *r,
					    const struct nbt_name *name,
					    u32 addr, bool by_addr)
{
	struct msfs_nbcache *c;

	for (c = r->cache; c < r->cache + MSFS_NBCACHE; c++) {
		if (!c->expires || time_after(jiffies, c->expires) ||
		    c->by_addr != by_addr)
			continue;
		if (by_addr ? c->addr == addr : nbt_name_eq(&c->name, name))
			return c;
	}
	return NULL;
}

/* Cache @e: an answer for a minute, no answer (@found false) for 10 s. */
static void msfs_cache_put(struct msfs_remote *r, const struct msfs_nbcache *e,
			   bool found)
{
	struct msfs_nbcache *c, *victim = r->cache;

	for (c = r->cache; c < r->cache + MSFS_NBCACHE; c++)
		if (!c->expires || time_before(c->expires, victim->expires))
			victim = c;
	*victim = *e;
	victim->expires = jiffies + (found ? 60 : 10) * HZ;
}

/* The name to send a unique datagram to @addr to, by node status. */
static int msfs_node_status(struct msfs_remote *r, u32 addr,
			    struct nbt_name *name)
{
	struct msfs_nbcache e = { .addr = addr, .by_addr = true };
	struct msfs_question q = {
		.trn = get_random_u16(),
		.qtype = NBT_QTYPE_NBSTAT,
		.addr = addr,
		.tries = MSFS_NS_TRIES,
		.wait_ms = MSFS_NS_WAIT_MS,
	};
	struct nbt_ns *ans;
	unsigned int i;
	bool found = false;
	int err;

	nbt_make_name(&e.name, "*", 1, 0);
	ans = kmalloc(sizeof(*ans), GFP_KERNEL);
	if (!ans)
		return -ENOMEM;
	q.len = nbt_build_node_status_query(q.pkt, sizeof(q.pkt), q.trn);
	err = msfs_ns_ask(r->net, &addr, 1, &q, ans);
	if (!err)
		for (i = 0; i < ans->num_names && !found; i++)
			if (ans->names[i][NBT_NAME_LEN - 1] == NBT_WORKSTATION &&
			    !(ans->name_flags[i] & NBT_NB_GROUP)) {
				memcpy(e.name.name, ans->names[i], NBT_NAME_LEN);
				found = true;
			}
	kfree(ans);
	if (err && err != -ENXIO)
		return err;	/* interrupted: nothing learned */
	msfs_cache_put(r, &e, found);
	*name = e.name;
	return 0;
}

/* A name server's positive answer into @e: a unique name's address, a
 * group's members (none for a group of the local subnets: nmbd and
 * Windows list 255.255.255.255 for it).
 */
static void msfs_wins_entry(const struct nbt_ns *ans, struct msfs_nbcache *e)
{
	unsigned int i;

	e->group = ans->nb_flags & NBT_NB_GROUP;
	e->addr = ans->addr;
	for (i = 0; e->group && i < ans->naddrs; i++)
		if (ans->addrs[i] && ans->addrs[i] != 0xffffffff)
			e->addrs[e->naddrs++] = ans->addrs[i];
}

/* Ask the name servers, each in turn: 0 with @e filled, -ENOENT when one
 * says it does not know the name, -ENXIO when none answers, or an error.
 */
static int msfs_wins_query(struct msfs_remote *r, const struct nbt_name *name,
			   struct nbt_ns *ans, struct msfs_nbcache *e)
{
	struct msfs_question q = {
		.qtype = NBT_QTYPE_NB,
		.name = name,
		.nbns = true,
		.tries = MSFS_WINS_Q_TRIES,
		.wait_ms = MSFS_WINS_Q_WAIT_MS,
	};
	u32 wins[MSFS_WINS_MAX];
	unsigned int i, n;
	int err = -ENXIO;

	rcu_read_lock();
	n = rcu_dereference(r->conf)->cfg.nwins;
	memcpy(wins, rcu_dereference(r->conf)->cfg.wins, sizeof(wins));
	rcu_read_unlock();
	for (i = 0; i < n && err == -ENXIO; i++) {
		q.trn = get_random_u16();
		q.addr = wins[i];
		q.len = nbt_build_name_query(q.pkt, sizeof(q.pkt), q.trn, name,
					     false);
		msfs_count(r->net, MSFS_WINS_QUERIES);
		err = msfs_ns_ask(r->net, &wins[i], 1, &q, ans);
	}
	if (err)
		return err;
	if (ans->rcode)
		return -ENOENT;
	msfs_count(r->net, MSFS_WINS_ANSWERS);
	msfs_wins_entry(ans, e);
	return 0;
}

/* Ask the local subnets by broadcast: 0 with @e filled, -ENXIO, or an error. */
static int msfs_bcast_query(struct msfs_remote *r, const struct nbt_name *name,
			    struct nbt_ns *ans, struct msfs_nbcache *e)
{
	struct msfs_subnet s[MSFS_SUBNETS_MAX];
	u32 bcast[MSFS_SUBNETS_MAX];
	struct msfs_question q = {
		.trn = get_random_u16(),
		.qtype = NBT_QTYPE_NB,
		.name = name,
		.tries = MSFS_NS_TRIES,
		.wait_ms = MSFS_NS_WAIT_MS,
	};
	int i, n, err;

	n = msfs_subnets(r->net, s, MSFS_SUBNETS_MAX);
	for (i = 0; i < n; i++)
		bcast[i] = s[i].bcast;
	q.len = nbt_build_name_query(q.pkt, sizeof(q.pkt), q.trn, name, true);
	err = n ? msfs_ns_ask(r->net, bcast, n, &q, ans) : -ENXIO;
	if (!err) {
		e->addr = ans->addr;
		e->group = ans->nb_flags & NBT_NB_GROUP;
	}
	return err;
}

/* Resolve a NetBIOS name: the name servers first (H node), then a
 * broadcast name query (B node). An address, or a group.
 */
static int msfs_name_query(struct msfs_remote *r, const struct nbt_name *name,
			   struct msfs_nbcache *e)
{
	struct nbt_ns *ans = kmalloc(sizeof(*ans), GFP_KERNEL);
	int err;

	if (!ans)
		return -ENOMEM;
	memset(e, 0, sizeof(*e));
	e->name = *name;
	err = msfs_wins_query(r, name, ans, e);
	if (err == -ENXIO || err == -ENOENT)
		err = msfs_bcast_query(r, name, ans, e);
	kfree(ans);
	if (err && err != -ENXIO)
		return err;
	msfs_cache_put(r, e, e->addr || e->group);
	return 0;
}

/* Is @text "*" or the workgroup? Then @t is a group write to it. */
static bool msfs_resolve_group(struct msfs_remote *r, const char *text,
			       size_t len, struct msfs_target *t)
{
	const struct msfs_remote_cfg *cfg;
	bool group;

	rcu_read_lock();
	cfg = &rcu_dereference(r->conf)->cfg;
	group = (len == 1 && text[0] == '*') ||
		(len == strlen(cfg->workgroup) &&
		 msfs_name_eq(text, cfg->workgroup, len));
	if (group)
		nbt_make_name(&t->dst, cfg->workgroup, strlen(cfg->workgroup),
			      NBT_WORKSTATION);
	rcu_read_unlock();
	t->group = group;
	t->naddrs = 0;
	return group;
}

/* Fill @t for a NetBIOS name (or "*"): unique or group. */
static int msfs_resolve_name(struct msfs_remote *r, const char *text,
			     size_t len, struct msfs_target *t)
{
	struct msfs_nbcache *c, e;
	int err = 0;

	if (msfs_resolve_group(r, text, len, t))
		return 0;
	if (nbt_make_target_name(&t->dst, text, len))
		return -ENXIO;
	if (mutex_lock_interruptible(&r->cache_lock))
		return -ERESTARTSYS;
	c = msfs_cache_find(r, &t->dst, 0, false);
	if (!c) {
		err = msfs_name_query(r, &t->dst, &e);
		c = &e;
	}
	if (!err && !c->addr && !c->group)
		err = -ENXIO;
	t->group = c->group;
	t->addr = c->addr;
	t->naddrs = c->naddrs;
	memcpy(t->addrs, c->addrs, sizeof(t->addrs));
	mutex_unlock(&r->cache_lock);
	return err;
}

/**
 * msfs_target_resolve() - where the writes to @target go
 * @r: the remote state
 * @target: what follows '@': an IPv4 address, "*", or a NetBIOS name
 * @len: its length
 * @t: filled in, but for the mailslot name
 *
 * Return: 0; -ENXIO for a name nobody answers for; -EINTR and the like
 * when the wait was interrupted.
 */
int msfs_target_resolve(struct msfs_remote *r, const char *target, size_t len,
			struct msfs_target *t)
{
	struct msfs_nbcache *c;
	u32 addr;
	int err = 0;

	if (msfs_parse_ipv4(target, len, &addr))
		return msfs_resolve_name(r, target, len, t);
	t->group = false;
	t->addr = addr;
	t->naddrs = 0;
	if (mutex_lock_interruptible(&r->cache_lock))
		return -ERESTARTSYS;
	c = msfs_cache_find(r, NULL, addr, true);
	if (c)
		t->dst = c->name;
	else
		err = msfs_node_status(r, addr, &t->dst);
	mutex_unlock(&r->cache_lock);
	return err;
}

static int msfs_send_one(struct msfs_remote *r, struct nbt_dgram_tx *tx,
			 u32 daddr, u8 *buf)
{
	int len = nbt_build_dgram(buf, NBT_DGM_MAX, tx);

	if (len > 0)
		len = msfs_udp_send(r->dgm.sock, daddr, NBT_DGM_PORT, buf, len, 0);
	msfs_count(r->net, len < 0 ? MSFS_SEND_ERRORS : MSFS_SENT);
	return len < 0 ? len : 0;
}

/* Is @n one of the names this host receives for, as now configured? */
static bool msfs_is_ours(struct msfs_remote *r, const struct nbt_name *n)
{
	bool ours;

	rcu_read_lock();
	ours = msfs_name_is_ours(rcu_dereference(r->conf), n);
	rcu_read_unlock();
	return ours;
}

/* What goes to this host itself is delivered here, as the writer: to a
 * slot it could write locally (the copy a broadcast sends back, or one
 * sent to a local address, is then dropped on arrival: recv.c).
 */
static void msfs_deliver_here(struct msfs_remote *r,
			      const struct nbt_dgram_tx *tx)
{
	struct nbt_dgram *d = kzalloc(sizeof(*d), GFP_KERNEL);
	enum msfs_counter c = MSFS_DROP_NOMEM;

	msfs_count(r->net, MSFS_RECEIVED);
	if (d) {
		d->type = tx->type;
		d->flags = NBT_F_FIRST;
		d->dgm_id = tx->dgm_id;
		d->src_ip = tx->src_ip;
		d->src_port = NBT_DGM_PORT;
		d->src = *tx->src;
		d->dst = *tx->dst;
		d->mailslot = tx->mailslot;
		d->mailslot_len = tx->mailslot_len;
		d->data = tx->data;
		d->data_len = tx->data_len;
		c = msfs_is_ours(r, &d->dst) ?
		    r->ops->deliver(r->owner, d, tx->src_ip, NBT_DGM_PORT,
				    MSFS_SENDER_WRITER) : MSFS_DROP_NOT_FOR_US;
	}
	msfs_count(r->net, c);
	kfree(d);
}

/* A unique write: to @daddr, or here when that is this host. */
static int msfs_send_unique(struct msfs_remote *r, struct nbt_dgram_tx *tx,
			    u32 daddr, u8 *buf)
{
	if (inet_addr_type(r->net, htonl(daddr)) == RTN_LOCAL) {
		tx->src_ip = daddr;
		msfs_deliver_here(r, tx);
		return 0;
	}
	tx->src_ip = msfs_source_addr(r->net, daddr);
	return msfs_send_one(r, tx, daddr, buf);
}

/* A group write: here, and to the broadcast address of each local subnet. */
static int msfs_send_group(struct msfs_remote *r, struct nbt_dgram_tx *tx,
			   u8 *buf)
{
	struct msfs_subnet s[MSFS_SUBNETS_MAX];
	int i, n, err = 0, ret;

	n = msfs_subnets(r->net, s, MSFS_SUBNETS_MAX);
	if (!n)
		return -ENETUNREACH;
	tx->src_ip = s[0].local;
	msfs_deliver_here(r, tx);
	for (i = 0; i < n; i++) {
		tx->src_ip = s[i].local;
		ret = msfs_send_one(r, tx, s[i].bcast, buf);
		err = err ?: ret;
	}
	return err;
}

/* A write to an Internet group: here if this host is a member, and to
 * each other member. The first error, after trying them all.
 */
static int msfs_send_members(struct msfs_remote *r, struct nbt_dgram_tx *tx,
			     const struct msfs_target *t, u8 *buf)
{
	bool here = false;
	unsigned int i;
	int err = 0, ret;

	for (i = 0; i < t->naddrs && i < NBT_NS_MAX_ADDRS; i++) {
		if (inet_addr_type(r->net, htonl(t->addrs[i])) == RTN_LOCAL) {
			if (!here) {
				tx->src_ip = t->addrs[i];
				msfs_deliver_here(r, tx);
			}
			here = true;
			continue;
		}
		tx->src_ip = msfs_source_addr(r->net, t->addrs[i]);
		ret = msfs_send_one(r, tx, t->addrs[i], buf);
		err = err ?: ret;
	}
	return err;
}

/**
 * msfs_remote_send() - one write to a remote slot
 * @r: the remote state
 * @t: the target
 * @data: the message
 * @len: its length, at most @t->max_msg
 *
 * A group write also reaches this host's own slot of that name, and a
 * unique write to one of its addresses only that, as Windows delivers
 * them; in both cases only if the writer could write that slot locally.
 * A group whose members a name server listed gets one datagram each
 * (at most %NBT_NS_MAX_ADDRS), else one per local subnet's broadcast.
 *
 * Return: 0 once every datagram is sent; the first error otherwise
 * (-ENETUNREACH when a group write finds no subnet to go to).
 */
int msfs_remote_send(struct msfs_remote *r, const struct msfs_target *t,
		     const u8 *data, size_t len)
{
	struct nbt_name src = { 0 };
	struct nbt_dgram_tx tx = {
		.type = t->group ? NBT_DIRECT_GROUP : NBT_DIRECT_UNIQUE,
		.dgm_id = atomic_inc_return(&r->dgm_id),
		.src = &src, .dst = &t->dst,
		.mailslot = t->mailslot, .mailslot_len = t->mailslot_len,
		.data = data, .data_len = len,
	};
	u8 *buf = kmalloc(NBT_DGM_MAX, GFP_KERNEL);
	int err;

	if (!buf)
		return -ENOMEM;
	rcu_read_lock();
	memcpy(src.name, rcu_dereference(r->conf)->names[0], NBT_NAME_LEN);
	rcu_read_unlock();
	if (t->group && t->naddrs)
		err = msfs_send_members(r, &tx, t, buf);
	else if (t->group)
		err = msfs_send_group(r, &tx, buf);
	else
		err = msfs_send_unique(r, &tx, t->addr, buf);
	kfree(buf);
	return err;
}
