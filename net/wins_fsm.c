// SPDX-License-Identifier: GPL-2.0
/*
 * mailslotfs: the registration of one name with the NetBIOS name servers,
 * as pure state (RFC 1001 15.1-15.5, RFC 1002 4.2 and 6): what is due
 * when, and what an answer does to it. wins.c drives it with jiffies and
 * sends what it says; the unit tests drive it with a clock of their own.
 * Times are ticks of the caller's clock, compared as jiffies are (they
 * may wrap).
 */
#include "nbt.h"

/* Is @a before @b, on a clock that wraps? */
static bool nbt_before(unsigned long a, unsigned long b)
{
	return (long)(a - b) < 0;
}

/* A request of @n->op goes out now: wait for its answer. */
static enum nbt_reg_do nbt_reg_ask(struct nbt_reg *n, unsigned long now,
				   unsigned long hz)
{
	n->state = NBT_REG_WAIT;
	n->wacked = false;
	n->when = now + NBT_REG_WAIT_S * hz;
	return NBT_REG_SEND;
}

/* A refresh went unanswered: the name stays @n->server's, which is asked
 * again after %NBT_REG_RETRY_S, until the name's TTL there runs out or
 * %NBT_REG_RENEW_MAX_S have passed since the first refresh that went
 * unanswered, whichever comes first (a server that is down must not keep
 * the name away from the others for days).
 */
static void nbt_reg_renew(struct nbt_reg *n, unsigned long now,
			  unsigned long hz)
{
	unsigned long last = now + NBT_REG_RENEW_MAX_S * hz;

	n->state = NBT_REG_RENEW;
	if (nbt_before(last, n->expires))
		n->expires = last;
	n->when = now + NBT_REG_RETRY_S * hz;
	if (nbt_before(n->expires, n->when))
		n->when = n->expires;
}

/**
 * nbt_reg_due() - what is due for a name now
 * @n: its state
 * @nservers: the name servers there are (1 or 2)
 * @now: the time
 * @hz: ticks a second
 *
 * A request unanswered is sent again after %NBT_REG_WAIT_S, to
 * %NBT_REG_TRIES copies in all; then the next server is asked; when none
 * answered, all of it again after %NBT_REG_RETRY_S. A name registered is
 * refreshed, with the server that has it, when its time comes; a refresh
 * unanswered is tried again with that server after %NBT_REG_RETRY_S,
 * until the name's TTL there runs out or %NBT_REG_RENEW_MAX_S have
 * passed: then the name is registered afresh (with the first server
 * that answers). A name
 * refused, or another host's, is registered afresh (never fought for:
 * a new registration request) when its time comes. After the call,
 * @n->when is when the name next needs a call; @n->tries is 0 for a new
 * request, which takes a new NAME_TRN_ID.
 *
 * Return: %NBT_REG_SEND (@n->op to server @n->server, now),
 * %NBT_REG_GAVE_UP (no server answered: nothing is sent until @n->when)
 * or %NBT_REG_NOTHING.
 */
enum nbt_reg_do nbt_reg_due(struct nbt_reg *n, unsigned int nservers,
			    unsigned long now, unsigned long hz)
{
	if (!nservers || (n->state != NBT_REG_IDLE && nbt_before(now, n->when)))
		return NBT_REG_NOTHING;
	if (n->state == NBT_REG_RENEW && !nbt_before(now, n->expires))
		n->state = NBT_REG_IDLE;	/* the server has let it go */
	switch (n->state) {
	case NBT_REG_WAIT:
		if (++n->tries < NBT_REG_TRIES)
			return nbt_reg_ask(n, now, hz);
		n->tries = 0;
		if (n->op == NBT_OP_REFRESH) {	/* the name stays its server's */
			nbt_reg_renew(n, now, hz);
			return NBT_REG_GAVE_UP;
		}
		if (++n->server < nservers)
			return nbt_reg_ask(n, now, hz);
		n->server = 0;
		n->state = NBT_REG_RETRY;
		n->when = now + NBT_REG_RETRY_S * hz;
		return NBT_REG_GAVE_UP;
	case NBT_REG_DONE:
	case NBT_REG_RENEW:
		n->op = NBT_OP_REFRESH;
		break;
	default:		/* idle, or time to try again (conflict too) */
		n->op = NBT_OP_REGISTER;
		n->server = 0;
		break;
	}
	n->tries = 0;
	return nbt_reg_ask(n, now, hz);
}

/**
 * nbt_reg_held() - may the server @n->server have the name?
 * @n: the name's state
 *
 * Return: true if the name is registered there, or was and a refresh is
 * out or unanswered (the server may hold it until its TTL runs out): a
 * release is owed to that server.
 */
bool nbt_reg_held(const struct nbt_reg *n)
{
	return n->state == NBT_REG_DONE || n->state == NBT_REG_RENEW ||
	       (n->state == NBT_REG_WAIT && n->op == NBT_OP_REFRESH);
}

/* Registered, or refreshed, for @ttl seconds: refresh at half of it. */
static enum nbt_reg_outcome nbt_reg_done(struct nbt_reg *n, u32 ttl,
					 unsigned long now, unsigned long hz)
{
	u32 held = !ttl || ttl > NBT_REG_HELD_MAX_S ? NBT_REG_HELD_MAX_S : ttl;
	u32 s = ttl / 2;

	if (!ttl || s > NBT_REG_REFRESH_MAX_S)
		s = NBT_REG_REFRESH_MAX_S;	/* TTL 0: infinite */
	if (s < NBT_REG_REFRESH_MIN_S)
		s = NBT_REG_REFRESH_MIN_S;
	n->state = NBT_REG_DONE;
	n->when = now + (unsigned long)s * hz;
	n->expires = now + (unsigned long)held * hz;
	return n->op == NBT_OP_REFRESH ? NBT_REG_REFRESHED : NBT_REG_REGISTERED;
}

/**
 * nbt_reg_answer() - a name server's answer to a name's request
 * @n: the name's state
 * @a: the answer, parsed, from the server asked (the caller checks the
 *	source address and the name)
 * @now: the time
 * @hz: ticks a second
 *
 * Only an answer with the request's NAME_TRN_ID, while it waits, counts:
 * a WACK waits as long as it says (at most %NBT_REG_WACK_MAX_S, at least
 * a second), once for each copy of the request sent (a second WACK is
 * ignored, so that WACKs cannot hold a registration up for ever: after
 * the wait the request is sent again, counting a try); a positive
 * registration or refresh answer (nmbd answers a refresh with opcode 5)
 * makes the name registered, refreshed at half the TTL
 * (%NBT_REG_REFRESH_MIN_S to %NBT_REG_REFRESH_MAX_S); ACT_ERR and CFT_ERR
 * leave the name to its owner (a conflict, reported once for each
 * answer), another RCODE, or a registration answer with RA clear (the
 * end-node challenge, RFC 1002 4.2.7, which this node does not do), is
 * refused: the name is registered afresh after %NBT_REG_REFUSED_S (an
 * answer may be forged: one must not drop the name for good).
 *
 * Return: what it was (%NBT_REG_IGNORED for anything else).
 */
enum nbt_reg_outcome nbt_reg_answer(struct nbt_reg *n, const struct nbt_ns *a,
				    unsigned long now, unsigned long hz)
{
	u32 wait;

	if (n->state != NBT_REG_WAIT || !a->response || a->trn_id != n->trn)
		return NBT_REG_IGNORED;
	if (a->opcode == NBT_OP_WACK) {
		if (n->wacked)
			return NBT_REG_IGNORED;
		n->wacked = true;
		wait = a->ttl < 1 ? 1 : a->ttl;
		if (wait > NBT_REG_WACK_MAX_S)
			wait = NBT_REG_WACK_MAX_S;
		n->when = now + (unsigned long)wait * hz;
		return NBT_REG_WACKED;
	}
	if (a->opcode != NBT_OP_REGISTER && a->opcode != NBT_OP_REFRESH &&
	    a->opcode != NBT_OP_REFRESH_ALT)
		return NBT_REG_IGNORED;
	if (!a->rcode && (n->op != NBT_OP_REGISTER || (a->nm_flags & NBT_NM_RA)))
		return nbt_reg_done(n, a->ttl, now, hz);
	n->when = now + NBT_REG_REFUSED_S * hz;
	if (a->rcode == NBT_RCODE_ACT || a->rcode == NBT_RCODE_CFT) {
		n->state = NBT_REG_CONFLICT;
		return NBT_REG_CONFLICTED;
	}
	n->state = NBT_REG_RETRY;
	return a->rcode ? NBT_REG_REFUSED : NBT_REG_CHALLENGE;
}
