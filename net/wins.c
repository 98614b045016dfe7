// SPDX-License-Identifier: GPL-2.0
/*
 * mailslotfs: the names of a namespace at its NetBIOS name servers (WINS),
 * as an H node keeps them (RFC 1001 15.1-15.5, RFC 1002 4.2 and 5.1.2).
 * With wins= set, NAME<00>, NAME<03>, NAME<20> (unique) and WORKGROUP<00>
 * (group) are registered with the first server, unicast from UDP 137, as
 * wins_fsm.c says (pure, unit-tested): sent again, then the next server,
 * WACK, refresh at half the TTL with the server that took the name, a
 * conflict never fought (the name is registered afresh an hour later).
 * The server checks a registration by asking the name's owner: recv.c
 * answers those queries. When remote stops, or the options change, the
 * names a server may have are released, each to the server that took it:
 * one packet each, nothing waited for.
 *
 * One delayed work does the sending; the answers come to UDP 137 (recv.c
 * hands them to msfs_wins_response()); @wins.lock serialises the two.
 */
#include <linux/jiffies.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "internal.h"

#define MSFS_WINS_TTL		300000	/* asked for, as Windows asks */
#define MSFS_WINS_PKT		(NBT_NS_HDR + 64 + 18)

/* what a name needs of the configuration, copied out of RCU */
struct msfs_wins_conf {
	unsigned int nwins;
	u32 wins[MSFS_WINS_MAX];
	u8 names[MSFS_WINS_NAMES][NBT_NAME_LEN];
	u16 nb_flags[MSFS_WINS_NAMES];
};

static void msfs_wins_conf(struct msfs_remote *r, struct msfs_wins_conf *wc)
{
	const struct msfs_rconf *c;
	unsigned int i;

	rcu_read_lock();
	c = rcu_dereference(r->conf);
	wc->nwins = c->cfg.nwins;
	memcpy(wc->wins, c->cfg.wins, sizeof(wc->wins));
	memcpy(wc->names, c->names, sizeof(wc->names));
	for (i = 0; i < MSFS_WINS_NAMES; i++)
		wc->nb_flags[i] = c->name_flags[i] & (NBT_NB_GROUP | NBT_NB_ONT_H);
	rcu_read_unlock();
}

/* Send @op about name @i to its server: one packet, never waited for. */
static int msfs_wins_send(struct msfs_remote *r, const struct msfs_wins_conf *wc,
			  unsigned int i, u8 op)
{
	struct nbt_reg *n = &r->wins.names[i];
	/* a remount may be opening it: pairs with msfs_rsock_open()'s release */
	struct socket *sock = smp_load_acquire(&r->ns.sock);
	struct nbt_name name = { 0 };
	u8 pkt[MSFS_WINS_PKT];
	u32 server;
	int len;

	if (!sock)
		return -EADDRINUSE;	/* UDP 137 is someone else's */
	/* a remount published fewer servers; msfs_wins_reconfigure() is
	 * about to start the names afresh: never send to wins[] past them
	 */
	if (n->server >= wc->nwins)
		return -ENOENT;
	server = wc->wins[n->server];
	/* a retransmission keeps the request's NAME_TRN_ID (RFC 1002 4.2.1.1) */
	if (op == NBT_OP_RELEASE || !n->tries)
		n->trn = get_random_u16();
	if (op != NBT_OP_RELEASE)
		n->addr = msfs_source_addr(r->net, server);
	if (!n->addr)
		return -ENETUNREACH;
	memcpy(name.name, wc->names[i], NBT_NAME_LEN);
	len = nbt_build_name_reg(pkt, sizeof(pkt), n->trn, op, &name,
				 wc->nb_flags[i], MSFS_WINS_TTL, n->addr);
	if (len < 0)
		return len;
	len = msfs_udp_send(sock, server, NBT_NS_PORT, pkt, len, MSG_DONTWAIT);
	if (len)
		msfs_count(r->net, MSFS_SEND_ERRORS);
	return len;
}

/* Do what is due for name @i; it needs the work again at @n->when. */
static void msfs_wins_step(struct msfs_remote *r, const struct msfs_wins_conf *wc,
			   unsigned int i)
{
	struct nbt_reg *n = &r->wins.names[i];

	switch (nbt_reg_due(n, wc->nwins, jiffies, HZ)) {
	case NBT_REG_SEND:
		if (msfs_wins_send(r, wc, i, n->op) == -EADDRINUSE)
			pr_info_ratelimited("mailslotfs: UDP port 137 is taken in this network namespace: not registering %s with WINS\n",
					    r->wins.host);
		break;
	case NBT_REG_GAVE_UP:
		pr_info_ratelimited("mailslotfs: no WINS server answers for %s; trying again in %d s\n",
				    r->wins.host, NBT_REG_RETRY_S);
		break;
	default:
		break;
	}
}

static void msfs_wins_work(struct work_struct *work)
{
	struct msfs_wins *w = container_of(to_delayed_work(work),
					   struct msfs_wins, work);
	struct msfs_remote *r = container_of(w, struct msfs_remote, wins);
	struct msfs_wins_conf wc;
	unsigned long next = 0;
	unsigned int i;

	msfs_wins_conf(r, &wc);
	mutex_lock(&w->lock);
	if (w->stopped || !wc.nwins)
		goto out;
	for (i = 0; i < MSFS_WINS_NAMES; i++) {
		msfs_wins_step(r, &wc, i);
		if (!i || time_before(w->names[i].when, next))
			next = w->names[i].when;
	}
	mod_delayed_work(system_wq, &w->work,
			 time_after(next, jiffies) ? next - jiffies : 0);
out:
	mutex_unlock(&w->lock);
}

/* What answer @a did, for the log and the counters. */
static void msfs_wins_report(struct msfs_remote *r, enum nbt_reg_outcome o,
			     const struct nbt_ns *a, u32 server)
{
	const u8 *name = a->name.name;
	u8 suffix = name[NBT_NAME_LEN - 1];

	switch (o) {
	case NBT_REG_REGISTERED:
		msfs_count(r->net, MSFS_WINS_REGISTRATIONS);
		break;
	case NBT_REG_REFRESHED:
		msfs_count(r->net, MSFS_WINS_REFRESHES);
		break;
	case NBT_REG_CONFLICTED:
		msfs_count(r->net, MSFS_WINS_CONFLICTS);
		pr_warn_ratelimited("mailslotfs: WINS server %pI4h: %.15s<%02x> belongs to another host (RCODE %u); not contested, registering it again in %d s\n",
				    &server, name, suffix, a->rcode,
				    NBT_REG_REFUSED_S);
		break;
	case NBT_REG_REFUSED:
		pr_warn_ratelimited("mailslotfs: WINS server %pI4h refuses %.15s<%02x> (RCODE %u); trying again in %d s\n",
				    &server, name, suffix, a->rcode,
				    NBT_REG_REFUSED_S);
		break;
	case NBT_REG_CHALLENGE:
		pr_warn_ratelimited("mailslotfs: WINS server %pI4h wants %.15s<%02x> challenged by this host (RFC 1002 end-node challenge), which it does not do; trying again in %d s\n",
				    &server, name, suffix, NBT_REG_REFUSED_S);
		break;
	default:
		break;
	}
}

/* Is @a, from @saddr, about name @i, from the server it asked? */
static bool msfs_wins_match(const struct nbt_reg *n,
			    const struct msfs_wins_conf *wc, unsigned int i,
			    const struct nbt_ns *a, u32 saddr)
{
	struct nbt_name ours = { 0 };

	memcpy(ours.name, wc->names[i], NBT_NAME_LEN);
	return n->server < wc->nwins && saddr == wc->wins[n->server] &&
	       nbt_name_eq(&a->name, &ours);
}

/**
 * msfs_wins_response() - an NBNS's answer on UDP 137
 * @r: the remote state
 * @a: the answer (registration, refresh, release, WACK), parsed
 * @saddr: who sent it (host order)
 *
 * Taken only from the server asked, for the name asked about, with the
 * NAME_TRN_ID of the request; anything else is ignored. Called from the
 * receive work, which msfs_remote_stop() waits for before msfs_wins_stop().
 */
void msfs_wins_response(struct msfs_remote *r, const struct nbt_ns *a,
			u32 saddr)
{
	struct msfs_wins *w = &r->wins;
	enum nbt_reg_outcome o;
	struct msfs_wins_conf wc;
	unsigned int i;

	msfs_wins_conf(r, &wc);
	mutex_lock(&w->lock);
	for (i = 0; i < MSFS_WINS_NAMES && !w->stopped; i++) {
		if (!msfs_wins_match(&w->names[i], &wc, i, a, saddr))
			continue;
		o = nbt_reg_answer(&w->names[i], a, jiffies, HZ);
		if (o == NBT_REG_IGNORED)
			continue;
		msfs_wins_report(r, o, a, saddr);
		mod_delayed_work(system_wq, &w->work, 0);	/* the next step */
		break;
	}
	mutex_unlock(&w->lock);
}

/* Release the names the servers of @wc may have (registered, their refresh
 * out or unanswered), each to the server that took it; forget them all.
 */
static void msfs_wins_release(struct msfs_remote *r,
			      const struct msfs_wins_conf *wc)
{
	struct nbt_reg *n;
	unsigned int i;

	for (i = 0; i < MSFS_WINS_NAMES; i++) {
		n = &r->wins.names[i];
		if (wc->nwins && nbt_reg_held(n))
			msfs_wins_send(r, wc, i, NBT_OP_RELEASE);
		*n = (struct nbt_reg){ .state = NBT_REG_IDLE };
	}
}

/**
 * msfs_wins_init() - the WINS state of a new remote state
 * @r: the remote state
 */
void msfs_wins_init(struct msfs_remote *r)
{
	mutex_init(&r->wins.lock);
	INIT_DELAYED_WORK(&r->wins.work, msfs_wins_work);
}

/**
 * msfs_wins_start() - register the names, if there are servers
 * @r: the remote state, its configuration published
 */
void msfs_wins_start(struct msfs_remote *r)
{
	const struct msfs_rconf *c;

	rcu_read_lock();
	c = rcu_dereference(r->conf);
	strscpy(r->wins.host, c->cfg.netbios_name, sizeof(r->wins.host));
	rcu_read_unlock();
	mod_delayed_work(system_wq, &r->wins.work, 0);
}

/**
 * msfs_wins_reconfigure() - the servers or the names may have changed
 * @r: the remote state, the new configuration published
 * @old: the configuration before
 *
 * If the servers or the names changed, what was registered is released
 * and the new names registered (with the new servers) from the start.
 * Waits for the work, which never waits for the network.
 */
void msfs_wins_reconfigure(struct msfs_remote *r, const struct msfs_rconf *old)
{
	struct msfs_wins_conf before, now;
	unsigned int i;

	msfs_wins_conf(r, &now);
	before.nwins = old->cfg.nwins;
	memcpy(before.wins, old->cfg.wins, sizeof(before.wins));
	memcpy(before.names, old->names, sizeof(before.names));
	for (i = 0; i < MSFS_WINS_NAMES; i++)
		before.nb_flags[i] = old->name_flags[i] &
				     (NBT_NB_GROUP | NBT_NB_ONT_H);
	if (!memcmp(&before, &now, sizeof(now)))
		return;
	cancel_delayed_work_sync(&r->wins.work);
	mutex_lock(&r->wins.lock);
	msfs_wins_release(r, &before);
	mutex_unlock(&r->wins.lock);
	msfs_wins_start(r);
}

/**
 * msfs_wins_stop() - release the names, register no more
 * @r: the remote state, nothing received for it any more
 *
 * One release for each name a server may have (registered, or its refresh
 * out or unanswered), to the server that took it; no answer is waited
 * for (as Windows does at shutdown). Never waits for the network: the
 * work it waits for does not either.
 */
void msfs_wins_stop(struct msfs_remote *r)
{
	struct msfs_wins_conf wc;

	mutex_lock(&r->wins.lock);
	r->wins.stopped = true;
	mutex_unlock(&r->wins.lock);
	cancel_delayed_work_sync(&r->wins.work);
	msfs_wins_conf(r, &wc);
	mutex_lock(&r->wins.lock);
	msfs_wins_release(r, &wc);
	mutex_unlock(&r->wins.lock);
}
