// SPDX-License-Identifier: GPL-2.0
/*
 * mailslotfs: the names of a namespace at its NetBIOS name servers (WINS),
 * as an H node keeps them (RFC 1001 15.1-15.5, RFC 1002 4.2 and 5.1.2).
 * With wins= set, NAME<00>, NAME<03>, NAME<20> (unique) and WORKGROUP<00>
 * (group) are registered with the first server, unicast from UDP 137:
 *  - a request unanswered is sent again after MSFS_WINS_WAIT_S, up to
 *    MSFS_WINS_TRIES times; then the next server is asked, and when none
 *    answers, all of it again after MSFS_WINS_RETRY_S;
 *  - a WACK says how long the server needs (bounded: MSFS_WINS_WACK_MAX_S);
 *  - a positive answer is refreshed at half its TTL (at most a day, at
 *    least a minute later), with the server that gave it;
 *  - a negative one (another host has the name) is logged and counted,
 *    and the name is left alone until the options change: never fought.
 *    Other refusals are tried again after MSFS_WINS_REFUSED_S.
 * The server checks a registration by asking the name's owner: recv.c
 * answers those queries. When remote stops, or the options change, the
 * names registered are released: one packet each, nothing waited for.
 *
 * One delayed work does the sending; the answers come to UDP 137 (recv.c
 * hands them to msfs_wins_response()); @wins.lock serialises the two.
 */
#include <linux/jiffies.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "internal.h"

#define MSFS_WINS_TRIES		3	/* RFC 1002 UCAST_REQ_RETRY_COUNT */
#define MSFS_WINS_WAIT_S	5	/* RFC 1002 UCAST_REQ_RETRY_TIMEOUT */
#define MSFS_WINS_WACK_MAX_S	120
#define MSFS_WINS_RETRY_S	300	/* no server answered */
#define MSFS_WINS_REFUSED_S	3600	/* a server refused, not for a conflict */
#define MSFS_WINS_REFRESH_MIN_S	60
#define MSFS_WINS_REFRESH_MAX_S	86400
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
	struct msfs_wins_name *n = &r->wins.names[i];
	struct socket *sock = READ_ONCE(r->ns.sock);
	u32 server = wc->wins[n->server];
	struct nbt_name name = { 0 };
	u8 pkt[MSFS_WINS_PKT];
	int len;

	if (!sock)
		return -EADDRINUSE;	/* UDP 137 is someone else's */
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

/* (Re)send name @i's registration or refresh; the next deadline. */
static unsigned long msfs_wins_ask(struct msfs_remote *r,
				   const struct msfs_wins_conf *wc,
				   unsigned int i)
{
	struct msfs_wins_name *n = &r->wins.names[i];
	int err = msfs_wins_send(r, wc, i, n->op);

	if (err == -EADDRINUSE)
		pr_info_ratelimited("mailslotfs: UDP port 137 is taken in this network namespace: not registering %s with WINS\n",
				    r->wins.host);
	n->state = MSFS_WINS_WAIT;
	n->when = jiffies + MSFS_WINS_WAIT_S * HZ;
	return n->when;
}

/* Name @i's request went unanswered: again, the next server, or later. */
static unsigned long msfs_wins_timeout(struct msfs_remote *r,
				       const struct msfs_wins_conf *wc,
				       unsigned int i)
{
	struct msfs_wins_name *n = &r->wins.names[i];

	if (++n->tries < MSFS_WINS_TRIES)
		return msfs_wins_ask(r, wc, i);
	n->tries = 0;
	if (++n->server < wc->nwins)
		return msfs_wins_ask(r, wc, i);
	pr_info_ratelimited("mailslotfs: no WINS server answers for %s; trying again in %d s\n",
			    r->wins.host, MSFS_WINS_RETRY_S);
	n->server = 0;
	n->state = MSFS_WINS_RETRY;
	n->when = jiffies + MSFS_WINS_RETRY_S * HZ;
	return n->when;
}

/* What is due for name @i now; when it next needs attention (0: never). */
static unsigned long msfs_wins_step(struct msfs_remote *r,
				    const struct msfs_wins_conf *wc,
				    unsigned int i)
{
	struct msfs_wins_name *n = &r->wins.names[i];

	if (n->state == MSFS_WINS_CONFLICT)
		return 0;
	if (n->state != MSFS_WINS_IDLE && time_before(jiffies, n->when))
		return n->when;
	switch (n->state) {
	case MSFS_WINS_WAIT:
		return msfs_wins_timeout(r, wc, i);
	case MSFS_WINS_DONE:
		n->op = NBT_OP_REFRESH;
		break;
	default:		/* idle, or time to try again */
		n->op = NBT_OP_REGISTER;
		n->server = 0;
		break;
	}
	n->tries = 0;
	return msfs_wins_ask(r, wc, i);
}

static void msfs_wins_work(struct work_struct *work)
{
	struct msfs_wins *w = container_of(to_delayed_work(work),
					   struct msfs_wins, work);
	struct msfs_remote *r = container_of(w, struct msfs_remote, wins);
	struct msfs_wins_conf wc;
	unsigned long when, next = 0;
	unsigned int i;

	msfs_wins_conf(r, &wc);
	mutex_lock(&w->lock);
	if (w->stopped || !wc.nwins)
		goto out;
	for (i = 0; i < MSFS_WINS_NAMES; i++) {
		when = msfs_wins_step(r, &wc, i);
		if (when && (!next || time_before(when, next)))
			next = when;
	}
	if (next)
		mod_delayed_work(system_wq, &w->work,
				 time_after(next, jiffies) ? next - jiffies : 0);
out:
	mutex_unlock(&w->lock);
}

/* A positive answer to name @i's request @n->op, with TTL @ttl. */
static void msfs_wins_registered(struct msfs_remote *r, struct msfs_wins_name *n,
				 u32 ttl)
{
	u32 s = ttl / 2;

	if (!ttl || s > MSFS_WINS_REFRESH_MAX_S)
		s = MSFS_WINS_REFRESH_MAX_S;	/* TTL 0: infinite */
	if (s < MSFS_WINS_REFRESH_MIN_S)
		s = MSFS_WINS_REFRESH_MIN_S;
	msfs_count(r->net, n->op == NBT_OP_REFRESH ? MSFS_WINS_REFRESHES :
			   MSFS_WINS_REGISTRATIONS);
	n->state = MSFS_WINS_DONE;
	n->when = jiffies + (unsigned long)s * HZ;
}

/* A negative answer: another node owns the name, or the server refuses. */
static void msfs_wins_refused(struct msfs_remote *r, struct msfs_wins_name *n,
			      const struct nbt_ns *a, u32 server)
{
	const u8 *name = a->name.name;

	n->state = MSFS_WINS_RETRY;
	n->when = jiffies + MSFS_WINS_REFUSED_S * HZ;
	if (a->rcode == NBT_RCODE_ACT || a->rcode == NBT_RCODE_CFT) {
		msfs_count(r->net, MSFS_WINS_CONFLICTS);
		n->state = MSFS_WINS_CONFLICT;
		pr_warn_ratelimited("mailslotfs: WINS server %pI4h: %.15s<%02x> belongs to another host (RCODE %u); not contested\n",
				    &server, name, name[NBT_NAME_LEN - 1], a->rcode);
	} else if (a->rcode) {
		pr_warn_ratelimited("mailslotfs: WINS server %pI4h refuses %.15s<%02x> (RCODE %u); trying again in %d s\n",
				    &server, name, name[NBT_NAME_LEN - 1], a->rcode,
				    MSFS_WINS_REFUSED_S);
	} else {
		pr_warn_ratelimited("mailslotfs: WINS server %pI4h wants %.15s<%02x> challenged by this host (RFC 1002 end-node challenge), which it does not do; trying again in %d s\n",
				    &server, name, name[NBT_NAME_LEN - 1],
				    MSFS_WINS_REFUSED_S);
	}
}

/* Is @a, from @saddr, the answer to name @i's request? */
static bool msfs_wins_match(const struct msfs_wins_name *n,
			    const struct msfs_wins_conf *wc, unsigned int i,
			    const struct nbt_ns *a, u32 saddr)
{
	struct nbt_name ours = { 0 };

	memcpy(ours.name, wc->names[i], NBT_NAME_LEN);
	return n->state == MSFS_WINS_WAIT && a->trn_id == n->trn &&
	       n->server < wc->nwins && saddr == wc->wins[n->server] &&
	       nbt_name_eq(&a->name, &ours);
}

/* Name @i's request is answered by @a. */
static void msfs_wins_answer(struct msfs_remote *r, unsigned int i,
			     const struct nbt_ns *a, u32 server)
{
	struct msfs_wins_name *n = &r->wins.names[i];
	u32 wait;

	switch (a->opcode) {
	case NBT_OP_WACK:
		wait = clamp_t(u32, a->ttl, 1, MSFS_WINS_WACK_MAX_S);
		n->when = jiffies + wait * HZ;
		return;
	case NBT_OP_REGISTER:
	case NBT_OP_REFRESH:
	case NBT_OP_REFRESH_ALT:
		break;
	default:
		return;		/* a release answer: not what was asked */
	}
	/* RA clear on a registration: the end-node challenge (RFC 1002 4.2.7) */
	if (a->rcode || (n->op == NBT_OP_REGISTER && !(a->nm_flags & NBT_NM_RA)))
		msfs_wins_refused(r, n, a, server);
	else
		msfs_wins_registered(r, n, a->ttl);
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
	struct msfs_wins_conf wc;
	unsigned int i;

	msfs_wins_conf(r, &wc);
	mutex_lock(&w->lock);
	for (i = 0; i < MSFS_WINS_NAMES && !w->stopped; i++) {
		if (!msfs_wins_match(&w->names[i], &wc, i, a, saddr))
			continue;
		msfs_wins_answer(r, i, a, saddr);
		mod_delayed_work(system_wq, &w->work, 0);	/* the next step */
		break;
	}
	mutex_unlock(&w->lock);
}

/* Release the names registered under @wc; forget them all. */
static void msfs_wins_release(struct msfs_remote *r,
			      const struct msfs_wins_conf *wc)
{
	struct msfs_wins_name *n;
	unsigned int i;

	for (i = 0; i < MSFS_WINS_NAMES; i++) {
		n = &r->wins.names[i];
		if (wc->nwins && (n->state == MSFS_WINS_DONE ||
				  (n->state == MSFS_WINS_WAIT &&
				   n->op == NBT_OP_REFRESH)))
			msfs_wins_send(r, wc, i, NBT_OP_RELEASE);
		*n = (struct msfs_wins_name){ .state = MSFS_WINS_IDLE };
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
 * One release for each name registered, to the server that has it; no
 * answer is waited for (as Windows does at shutdown). Never waits for
 * the network: the work it waits for does not either.
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
