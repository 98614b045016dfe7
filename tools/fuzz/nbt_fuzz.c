// SPDX-License-Identifier: GPL-2.0
/*
 * nbt_fuzz: a libFuzzer harness for the code that reads what the network
 * sends (net/nbt.c, net/addr.c), built in userspace with ASan and UBSan
 * (make fuzz). Every input goes to every parser. Besides not crashing,
 * what a parser accepts must hold together:
 *  - a datagram's message and mailslot name lie inside the input, and the
 *    name is one the module would deliver to;
 *  - a datagram built from what was parsed parses back to the same;
 *  - the answer to a parsed name query parses back as that answer;
 *  - a parsed NBNS response keeps at most NBT_NS_MAX_ADDRS addresses,
 *    the first of them its address, and a registration, refresh and
 *    release of its name build and have the length of the question and
 *    one record, and whatever it says keeps a name's timers in bounds;
 *  - a parsed CIDR list has no host bits set; a parsed wins= list has at
 *    most two distinct unicast addresses.
 */
#include <assert.h>
#include <stdint.h>
#include <string.h>

#include "../../net/nbt.h"

static int inside(const void *p, size_t n, const uint8_t *buf, size_t len)
{
	const uint8_t *q = p;

	return q >= buf && n <= len && q - buf <= (long)(len - n);
}

static void dgram_round_trip(const struct nbt_dgram *d)
{
	static uint8_t out[1 << 17];
	struct nbt_dgram_tx tx = {
		.type = d->type, .dgm_id = d->dgm_id, .src_ip = d->src_ip,
		.src = &d->src, .dst = &d->dst,
		.mailslot = d->mailslot, .mailslot_len = d->mailslot_len,
		.data = d->data, .data_len = d->data_len,
	};
	struct nbt_dgram e;
	int len;

	if (d->type == NBT_BROADCAST)
		return;			/* the module never sends those */
	len = nbt_build_dgram(out, sizeof(out), &tx);
	if (len < 0)
		return;			/* too large for a datagram we send */
	assert(nbt_parse_dgram(out, len, &e) == 0);
	assert(e.type == d->type && e.dgm_id == d->dgm_id);
	assert(e.src_ip == d->src_ip);
	assert(nbt_name_eq(&e.src, &d->src) && nbt_name_eq(&e.dst, &d->dst));
	assert(e.mailslot_len == d->mailslot_len);
	assert(!memcmp(e.mailslot, d->mailslot, d->mailslot_len));
	assert(e.data_len == d->data_len);
	assert(!d->data_len || !memcmp(e.data, d->data, d->data_len));
}

static void fuzz_dgram(const uint8_t *buf, size_t len)
{
	struct nbt_dgram d;

	if (nbt_parse_dgram(buf, len, &d))
		return;
	assert(inside(d.data, d.data_len, buf, len));
	assert(inside(d.mailslot, d.mailslot_len, buf, len));
	assert(nbt_mailslot_name_ok(d.mailslot, d.mailslot_len));
	assert(d.src.scope_len <= NBT_SCOPE_MAX && d.dst.scope_len <= NBT_SCOPE_MAX);
	dgram_round_trip(&d);
}

static void fuzz_ns_reg(const struct nbt_ns *a)
{
	static const u8 ops[] = { NBT_OP_REGISTER, NBT_OP_REFRESH, NBT_OP_RELEASE };
	static uint8_t out[2048];
	struct nbt_ns r;
	unsigned int i;
	int n;

	for (i = 0; i < sizeof(ops); i++) {
		n = nbt_build_name_reg(out, sizeof(out), a->trn_id, ops[i], &a->name,
				       a->nb_flags, a->ttl, a->addr);
		assert(n > 0 && n <= (int)sizeof(out));
		assert(out[n - 18] == 0xc0 && out[n - 17] == 12);
		/* a request about a name: not a packet this node parses */
		assert(nbt_parse_ns(out, n, &r) == -NBT_NOT_MAILSLOT);
	}
}

/* Whatever a name server answers, a name's timers stay within bounds. */
static void fuzz_reg_answer(const struct nbt_ns *a)
{
	struct nbt_reg n = { .state = NBT_REG_WAIT, .op = NBT_OP_REGISTER,
			     .trn = a->trn_id, .when = 500 };
	enum nbt_reg_outcome o = nbt_reg_answer(&n, a, 1000, 100);

	assert(n.state <= NBT_REG_CONFLICT);
	if (o == NBT_REG_IGNORED)
		assert(n.state == NBT_REG_WAIT && n.when == 500);
	else
		assert(n.when > 1000 && n.when <= 1000 + NBT_REG_REFRESH_MAX_S * 100);
}

static void fuzz_ns(const uint8_t *buf, size_t len)
{
	static uint8_t out[2048];
	struct nbt_ns q, a;
	int n;

	if (nbt_parse_ns(buf, len, &q))
		return;
	assert(q.num_names <= NBT_NS_MAX_NAMES);
	assert(q.naddrs <= NBT_NS_MAX_ADDRS);
	assert(!q.naddrs || q.addrs[0] == q.addr);
	if (q.response) {
		fuzz_ns_reg(&q);
		fuzz_reg_answer(&q);
	}
	if (q.response || q.qtype != NBT_QTYPE_NB)
		return;
	n = nbt_build_name_query_response(out, sizeof(out), q.trn_id, &q.name,
					  NBT_NB_GROUP, 0x0a4d0002);
	if (n < 0)
		return;
	assert(nbt_parse_ns(out, n, &a) == 0);
	assert(a.response && a.trn_id == q.trn_id && a.qtype == NBT_QTYPE_NB);
	assert(nbt_name_eq(&a.name, &q.name));
	assert(a.addr == 0x0a4d0002 && (a.nb_flags & NBT_NB_GROUP));
}

static void fuzz_addr(const uint8_t *buf, size_t len)
{
	struct msfs_cidr c[16];
	struct nbt_name name;
	u32 wins[2];
	char s[256];
	u32 addr;
	int i, n;

	if (len >= sizeof(s))
		return;
	memcpy(s, buf, len);
	s[len] = 0;
	n = msfs_parse_cidrs(s, c, 16);
	for (i = 0; i < n; i++)
		assert(!(c[i].addr & ~c[i].mask));
	memset(wins, 0xff, sizeof(wins));
	n = msfs_parse_wins(s, wins, 2);
	assert(n <= 2);
	for (i = 0; i < n; i++)
		assert(wins[i] && wins[i] < 0xe0000000);
	for (i = n < 0 ? 0 : n; n >= 0 && i < 2; i++)
		assert(!wins[i]);
	assert(n < 2 || wins[0] != wins[1]);
	msfs_parse_ipv4(s, len, &addr);
	/* a remote target's name: never past the input, a name or nothing */
	if (!nbt_make_target_name(&name, s, len))
		assert(name.name[0] == '*' || name.name[NBT_NAME_LEN - 2] == ' ' ||
		       len >= NBT_NAME_LEN - 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *buf, size_t len)
{
	fuzz_dgram(buf, len);
	fuzz_ns(buf, len);
	fuzz_addr(buf, len);
	return 0;
}
