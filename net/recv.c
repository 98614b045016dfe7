// SPDX-License-Identifier: GPL-2.0
/*
 * mailslotfs: what arrives on UDP 138 (datagrams, delivered up to the
 * filesystem) and on UDP 137 (the name service of a B node, for this
 * host's own names), each in its socket's work (sock.c). Every packet is
 * counted once, as delivered or as one reason it was not.
 *
 * The configuration is read under RCU (a remount may replace it) for
 * everything but the delivery and the sending of an answer, which sleep.
 */
#include <linux/ip.h>
#include <linux/jhash.h>
#include <linux/random.h>
#include <linux/udp.h>
#include <net/route.h>
#include <net/udp.h>

#include "internal.h"

/* Take a token of @b, which gains @rate a second up to @burst (a burst
 * lowered by a remount applies at once); false when it has none.
 */
static bool msfs_bucket_take(struct msfs_bucket *b, u32 rate, u32 burst)
{
	unsigned long now = jiffies;
	u64 add;

	/* an hour of tokens is more than any burst: no overflow */
	add = div_u64((u64)min(now - b->stamp, 3600UL * HZ) * rate, HZ);
	if (add)
		b->stamp = now;
	b->tokens = min_t(u64, burst, b->tokens + add);
	if (!b->tokens)
		return false;
	b->tokens--;
	return true;
}

/* A limiter whose every bucket is full, for @rate a second. */
void msfs_limiter_init(struct msfs_limiter *l, u32 rate)
{
	unsigned int i;

	spin_lock_init(&l->lock);
	l->seed = get_random_u32();
	for (i = 0; i < MSFS_RATE_BUCKETS; i++)
		l->buckets[i] = (struct msfs_bucket){ rate, jiffies };
}

/* Limit each source to @rate packets a second (bursts of as many). */
static bool msfs_rate_ok(struct msfs_limiter *l, u32 rate, u32 addr)
{
	struct msfs_bucket *b;
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
static enum msfs_counter msfs_sender_ok(const struct msfs_rconf *c,
					struct msfs_limiter *l, u32 saddr)
{
	if (c->cfg.nallow && !msfs_cidrs_match(c->cfg.allow, c->cfg.nallow, saddr))
		return MSFS_DROP_NOT_ALLOWED;
	if (!msfs_rate_ok(l, c->cfg.rate, saddr))
		return MSFS_DROP_RATE_LIMIT;
	return MSFS_RECEIVED;
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

/* May @skb go up at all? Parsed into @d when it may. */
static enum msfs_counter msfs_dgm_check(struct msfs_remote *r,
					struct sk_buff *skb, u32 saddr,
					struct nbt_dgram *d)
{
	const struct msfs_rconf *c;
	enum msfs_counter v;
	int err;

	rcu_read_lock();
	c = rcu_dereference(r->conf);
	v = msfs_sender_ok(c, &r->dgm_rate, saddr);
	if (v != MSFS_RECEIVED)
		goto out;
	v = MSFS_DROP_MALFORMED;
	if (!msfs_skb_ok(skb))
		goto out;
	err = nbt_parse_dgram(skb->data, skb->len, d);
	v = err ? msfs_parse_verdict(err) : MSFS_RECEIVED;
	if (!err && !msfs_name_is_ours(c, &d->dst))
		v = MSFS_DROP_NOT_FOR_US;
out:
	rcu_read_unlock();
	return v;
}

/**
 * msfs_dgm_handle() - a datagram on UDP 138
 * @r: the remote state
 * @skb: the packet
 * @scratch: unused
 *
 * One from an address of this namespace is a local write that went
 * around the filesystem: from port 138, our own (nobody else can have
 * that port), back from a broadcast or a local address, and delivered
 * when it was sent (send.c); from another port, a local socket's, whose
 * user is unknown (the owner's deliver() says where it may go).
 */
void msfs_dgm_handle(struct msfs_remote *r, struct sk_buff *skb, void *scratch)
{
	u32 saddr = ntohl(ip_hdr(skb)->saddr);
	u16 sport = ntohs(udp_hdr(skb)->source);
	bool local = inet_addr_type(r->net, htonl(saddr)) == RTN_LOCAL;
	struct nbt_dgram d;
	enum msfs_counter v;

	if (local && sport == NBT_DGM_PORT) {
		msfs_count(r->net, MSFS_LOOPED_BACK);
		return;
	}
	msfs_count(r->net, MSFS_RECEIVED);
	v = msfs_dgm_check(r, skb, saddr, &d);
	if (v == MSFS_RECEIVED)
		v = r->ops->deliver(r->owner, &d, saddr, sport,
				    local ? MSFS_SENDER_LOCAL : MSFS_SENDER_NET);
	msfs_count(r->net, v);
}

/* Is @q about one of the names we answer for (node status: or "*")? */
static bool msfs_ns_ours(const struct msfs_rconf *c, const struct nbt_ns *q)
{
	return (q->qtype == NBT_QTYPE_NBSTAT && nbt_name_is_star(&q->name)) ||
	       msfs_name_index(c, &q->name, true) >= 0;
}

/* The answer to @q, which is about one of our names, from address @src. */
static int msfs_ns_answer(const struct msfs_rconf *c, const struct nbt_ns *q,
			  u32 src, u8 *buf, size_t size)
{
	int i = msfs_name_index(c, &q->name, true);

	if (q->qtype == NBT_QTYPE_NBSTAT)
		return nbt_build_node_status_response(buf, size, q->trn_id,
						      c->names[0], c->name_flags,
						      MSFS_NAMES_ANSWERED);
	return nbt_build_name_query_response(buf, size, q->trn_id, &q->name,
					     c->name_flags[i] &
					     (NBT_NB_GROUP | NBT_NB_ONT_H), src);
}

/* Was @skb sent to this host alone (not to a broadcast or group address)? */
static bool msfs_skb_unicast(struct net *net, const struct sk_buff *skb)
{
	return skb->pkt_type == PACKET_HOST &&
	       inet_addr_type(net, ip_hdr(skb)->daddr) == RTN_LOCAL;
}

/* Is @saddr:@sport the name service of one of the servers of wins=? */
static bool msfs_ns_from_server(const struct msfs_rconf *c, u32 saddr,
				u16 sport)
{
	unsigned int i;

	for (i = 0; sport == NBT_NS_PORT && i < c->cfg.nwins; i++)
		if (c->cfg.wins[i] == saddr)
			return true;
	return false;
}

/* May the answer to @q go to @saddr:@sport? Only to a port, to a unicast
 * address that has a route (so never to a broadcast, group or martian
 * source: the name service is no reflector), and the larger node status
 * answer only to a request made to this host alone; then within the
 * budget of answers: the servers' own, for a name query from a server of
 * @c (which checks that we still have a name: a LAN host flooding from
 * its own address cannot starve it; one that forges the server's address
 * still can, as it could forge the server's answers), else the one of
 * all others. *@src: the address to answer from.
 */
static enum msfs_counter msfs_ns_may_answer(struct msfs_remote *r,
					    const struct msfs_rconf *c,
					    const struct sk_buff *skb,
					    const struct nbt_ns *q, u32 saddr,
					    u16 sport, u32 *src)
{
	struct msfs_bucket *b = &r->replies;
	bool ok;

	if (!sport || !msfs_route_unicast(r->net, saddr, src) ||
	    (q->qtype == NBT_QTYPE_NBSTAT && !msfs_skb_unicast(r->net, skb)))
		return MSFS_NS_REFUSED;
	if (q->qtype == NBT_QTYPE_NB && msfs_ns_from_server(c, saddr, sport))
		b = &r->server_replies;
	spin_lock(&r->reply_lock);
	ok = msfs_bucket_take(b, MSFS_NS_REPLY_RATE, 2 * MSFS_NS_REPLY_RATE);
	spin_unlock(&r->reply_lock);
	return ok ? MSFS_NS_ANSWERED : MSFS_NS_LIMITED;
}

/* the name service's buffers, one set per socket */
struct msfs_ns_scratch {
	struct nbt_ns q;
	bool nbns_answer;	/* @q is an answer for wins.c */
	u8 buf[NBT_DGM_MAX];
};

size_t msfs_ns_scratch_size(void)
{
	return sizeof(struct msfs_ns_scratch);
}

/* What becomes of a packet on UDP 137; the answer's length in *@len. */
static enum msfs_counter msfs_ns_verdict(struct msfs_remote *r,
					 struct sk_buff *skb,
					 struct msfs_ns_scratch *s, int *len)
{
	u32 saddr = ntohl(ip_hdr(skb)->saddr), src;
	u16 sport = ntohs(udp_hdr(skb)->source);
	const struct msfs_rconf *c;
	enum msfs_counter v = MSFS_NS_IGNORED;

	s->nbns_answer = false;
	rcu_read_lock();
	c = rcu_dereference(r->conf);
	if (msfs_sender_ok(c, &r->ns_rate, saddr) != MSFS_RECEIVED ||
	    !msfs_skb_ok(skb) || nbt_parse_ns(skb->data, skb->len, &s->q))
		goto out;
	s->nbns_answer = s->q.response && s->q.opcode != NBT_OP_QUERY;
	if (s->q.response || !msfs_ns_ours(c, &s->q))
		goto out;
	v = msfs_ns_may_answer(r, c, skb, &s->q, saddr, sport, &src);
	if (v == MSFS_NS_ANSWERED)
		*len = msfs_ns_answer(c, &s->q, src, s->buf, NBT_DGM_MAX);
out:
	rcu_read_unlock();
	return v;
}

/**
 * msfs_ns_handle() - a packet on UDP 137
 * @r: the remote state
 * @skb: the packet
 * @scratch: a struct msfs_ns_scratch
 *
 * Answers queries for our own names (a name server's too, when it checks
 * that we still have one), and hands a name server's answers to wins.c.
 * Every packet counts once: answered, refused, limited or ignored (an
 * answer to wins.c among the ignored).
 */
void msfs_ns_handle(struct msfs_remote *r, struct sk_buff *skb, void *scratch)
{
	struct msfs_ns_scratch *s = scratch;
	u32 saddr = ntohl(ip_hdr(skb)->saddr);
	u16 sport = ntohs(udp_hdr(skb)->source);
	enum msfs_counter v;
	int len = -EINVAL;

	msfs_count(r->net, MSFS_NS_PACKETS);
	v = msfs_ns_verdict(r, skb, s, &len);
	msfs_count(r->net, v);
	if (s->nbns_answer)
		msfs_wins_response(r, &s->q, saddr);
	/* never wait for room from the receive work: umount waits for it */
	if (v == MSFS_NS_ANSWERED &&
	    (len < 0 || msfs_udp_send(r->ns.sock, saddr, sport, s->buf, len,
				      MSG_DONTWAIT)))
		msfs_count(r->net, MSFS_SEND_ERRORS);
}
