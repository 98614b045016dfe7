// SPDX-License-Identifier: GPL-2.0
/*
 * mailslotfs: NetBIOS datagrams and name service packets, parsed and
 * built. Pure code (no kernel calls), also built in userspace.
 *
 * Field layouts: RFC 1002 4.2 and 4.4 (big-endian), [MS-MAIL] 2.2.1 and
 * [MS-CIFS] 2.2.4.33.1 for the SMB_COM_TRANSACTION (little-endian).
 * Reference/protocol.md walks through them byte by byte.
 */
#ifndef __KERNEL__
#include <string.h>
#else
#include <linux/string.h>
#endif

#include "nbt.h"

static u16 get_be16(const u8 *p)
{
	return p[0] << 8 | p[1];
}

static u32 get_be32(const u8 *p)
{
	return (u32)get_be16(p) << 16 | get_be16(p + 2);
}

static u16 get_le16(const u8 *p)
{
	return p[0] | p[1] << 8;
}

static void put_be16(u8 *p, u16 v)
{
	p[0] = v >> 8;
	p[1] = v;
}

static void put_be32(u8 *p, u32 v)
{
	put_be16(p, v >> 16);
	put_be16(p + 2, v);
}

static void put_le16(u8 *p, u16 v)
{
	p[0] = v;
	p[1] = v >> 8;
}

static void put_le32(u8 *p, u32 v)
{
	put_le16(p, v);
	put_le16(p + 2, v >> 16);
}

/* Scope labels of an encoded name, from @p[*off], until the root label. */
static int nbt_parse_scope(const u8 *p, size_t end, size_t *off,
			   struct nbt_name *n)
{
	size_t o = *off, total = 33, i;
	u8 l;

	n->scope_len = 0;
	for (;;) {
		if (o >= end)
			return -NBT_MALFORMED;
		l = p[o++];
		if (!l)
			break;
		/* 0x40 and up: a compression pointer or nonsense */
		if (l > 63 || o + l > end || total + 1 + l + 1 > 255)
			return -NBT_MALFORMED;
		if (n->scope_len)
			n->scope[n->scope_len++] = '.';
		for (i = 0; i < l; i++) {
			if (p[o + i] <= ' ' || p[o + i] == '.' || p[o + i] >= 0x7f)
				return -NBT_MALFORMED;
			n->scope[n->scope_len++] = p[o + i];
		}
		o += l;
		total += 1 + l;
	}
	*off = o;
	return 0;
}

/* A second-level encoded name at @p[*off]: the length byte 32, 32 letters
 * 'A'..'P' (two per byte, high nibble first), the scope, the root label.
 */
static int nbt_parse_name(const u8 *p, size_t end, size_t *off,
			  struct nbt_name *n)
{
	size_t o = *off;
	unsigned int i;
	u8 hi, lo;

	if (o + 1 + 2 * NBT_NAME_LEN > end || p[o] != 2 * NBT_NAME_LEN)
		return -NBT_MALFORMED;
	for (i = 0; i < NBT_NAME_LEN; i++) {
		hi = p[o + 1 + 2 * i] - 'A';
		lo = p[o + 2 + 2 * i] - 'A';
		if (hi > 15 || lo > 15)
			return -NBT_MALFORMED;
		n->name[i] = hi << 4 | lo;
	}
	*off = o + 1 + 2 * NBT_NAME_LEN;
	return nbt_parse_scope(p, end, off, n);
}

static size_t nbt_name_size(const struct nbt_name *n)
{
	return 1 + 2 * NBT_NAME_LEN + (n->scope_len ? n->scope_len + 1 : 0) + 1;
}

/* Encode @n at @p (nbt_name_size() bytes). */
static void nbt_put_name(u8 *p, const struct nbt_name *n)
{
	unsigned int i, label = 0;

	*p++ = 2 * NBT_NAME_LEN;
	for (i = 0; i < NBT_NAME_LEN; i++) {
		*p++ = 'A' + (n->name[i] >> 4);
		*p++ = 'A' + (n->name[i] & 15);
	}
	for (i = 0; i <= n->scope_len && n->scope_len; i++) {
		if (i == n->scope_len || n->scope[i] == '.') {
			p[label] = i - label;	/* the length byte */
			label = i + 1;
		} else {
			p[i + 1] = n->scope[i];
		}
	}
	p[n->scope_len ? n->scope_len + 1 : 0] = 0;
}

/**
 * nbt_make_name() - a NetBIOS name from text and a suffix
 * @n: the name to fill (no scope)
 * @text: up to 15 characters, upper-cased here; or "*"
 * @len: length of @text
 * @suffix: the 16th byte (name type); "*" takes only 0
 *
 * Return: 0, or -EINVAL for an empty or too long name, a control byte, or
 * '*' in a longer name.
 */
int nbt_make_name(struct nbt_name *n, const char *text, size_t len, u8 suffix)
{
	size_t i;

	memset(n, 0, sizeof(*n));
	if (len == 1 && text[0] == '*') {
		n->name[0] = '*';
		return suffix ? -EINVAL : 0;
	}
	if (!len || len > NBT_NAME_LEN - 1)
		return -EINVAL;
	for (i = 0; i < NBT_NAME_LEN - 1; i++) {
		if (i >= len) {
			n->name[i] = ' ';
			continue;
		}
		if ((u8)text[i] < ' ' || text[i] == 0x7f || text[i] == '*')
			return -EINVAL;
		n->name[i] = msfs_fold(text[i]);
	}
	n->name[NBT_NAME_LEN - 1] = suffix;
	return 0;
}

static int nbt_hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = msfs_fold(c);
	return c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/**
 * nbt_make_target_name() - the NetBIOS name a remote target gives
 * @n: filled in
 * @text: "NAME" (NAME<00>) or, as Samba's tools write it, "NAME#hh" with
 *	two hexadecimal digits for the suffix ("CORP#1c": the domain
 *	controllers of CORP, an Internet group)
 * @len: its length
 *
 * Return: 0, or -EINVAL when it makes no name.
 */
int nbt_make_target_name(struct nbt_name *n, const char *text, size_t len)
{
	int hi, lo;

	if (len < 3 || text[len - 3] != '#')
		return nbt_make_name(n, text, len, NBT_WORKSTATION);
	hi = nbt_hex(text[len - 2]);
	lo = nbt_hex(text[len - 1]);
	if (hi < 0 || lo < 0) {
		memset(n, 0, sizeof(*n));
		return -EINVAL;
	}
	return nbt_make_name(n, text, len - 3, hi << 4 | lo);
}

/**
 * nbt_name_eq() - the same NetBIOS name?
 * @a: a name
 * @b: another
 *
 * Return: true when the 15 name bytes match without regard to ASCII case
 * (senders upper-case, nmbd upper-cases before comparing), the suffixes
 * are equal and so are the scopes (case-insensitive).
 */
bool nbt_name_eq(const struct nbt_name *a, const struct nbt_name *b)
{
	return a->name[NBT_NAME_LEN - 1] == b->name[NBT_NAME_LEN - 1] &&
	       msfs_name_eq((const char *)a->name, (const char *)b->name,
			    NBT_NAME_LEN - 1) &&
	       a->scope_len == b->scope_len &&
	       msfs_name_eq(a->scope, b->scope, a->scope_len);
}

/**
 * nbt_name_is_star() - is this the broadcast name "*"?
 * @n: the name
 *
 * Return: true for '*' followed by 15 NUL bytes.
 */
bool nbt_name_is_star(const struct nbt_name *n)
{
	unsigned int i;

	if (n->name[0] != '*')
		return false;
	for (i = 1; i < NBT_NAME_LEN; i++)
		if (n->name[i])
			return false;
	return true;
}

/**
 * nbt_mailslot_name_ok() - can this be the name after "\MAILSLOT\"?
 * @name: the name, levels separated by '\'
 * @len: its length
 *
 * Return: true for 1..255 printable ASCII bytes other than '/', whose
 * levels are neither empty nor "." nor "..".
 */
bool nbt_mailslot_name_ok(const char *name, size_t len)
{
	size_t i, start = 0;

	if (!len || len > NBT_MAILSLOT_NAME_MAX)
		return false;
	for (i = 0; i <= len; i++) {
		if (i < len && name[i] != '\\') {
			if ((u8)name[i] < ' ' || (u8)name[i] >= 0x7f || name[i] == '/')
				return false;
			continue;
		}
		if (i == start || (i - start == 1 && name[start] == '.') ||
		    (i - start == 2 && name[start] == '.' && name[start + 1] == '.'))
			return false;
		start = i + 1;
	}
	return true;
}

/* The SMB_COM_TRANSACTION mailslot write at @smb (@len bytes, all of it). */
static int nbt_parse_smb(const u8 *smb, size_t len, struct nbt_dgram *d)
{
	size_t name_end, data_off, data_len;
	const u8 *nul;

	if (len < NBT_SMB_HDR + 1 || smb[0] != 0xff || smb[1] != 'S' ||
	    smb[2] != 'M' || smb[3] != 'B')
		return -NBT_MALFORMED;
	if (smb[4] != 0x25)		/* SMB_COM_TRANSACTION */
		return -NBT_NOT_MAILSLOT;
	if (len < NBT_SMB_NAME_OFF + 1 || smb[32] != 17 || smb[59] != 3)
		return -NBT_MALFORMED;	/* WordCount 17, SetupCount 3 */
	if (get_le16(smb + 61) != 1)	/* MailSlotOpcode: write */
		return -NBT_NOT_MAILSLOT;
	nul = memchr(smb + NBT_SMB_NAME_OFF, 0, len - NBT_SMB_NAME_OFF);
	if (!nul)
		return -NBT_MALFORMED;
	name_end = nul - smb + 1;
	data_len = get_le16(smb + 55);
	data_off = get_le16(smb + 57);
	/* the data follows the name, padded by 0-3 bytes, and ends the packet */
	if (data_off < name_end || data_off > name_end + 3 ||
	    data_off + data_len != len || get_le16(smb + 35) != data_len ||
	    get_le16(smb + 67) != len - NBT_SMB_NAME_OFF)
		return -NBT_MALFORMED;
	d->mailslot = (const char *)smb + NBT_SMB_NAME_OFF + NBT_MAILSLOT_PREFIX_LEN;
	d->mailslot_len = name_end - 1 - NBT_SMB_NAME_OFF - NBT_MAILSLOT_PREFIX_LEN;
	if (name_end - 1 - NBT_SMB_NAME_OFF < NBT_MAILSLOT_PREFIX_LEN ||
	    !msfs_name_eq((const char *)smb + NBT_SMB_NAME_OFF,
			  NBT_MAILSLOT_PREFIX, NBT_MAILSLOT_PREFIX_LEN))
		return -NBT_NOT_MAILSLOT;
	if (!nbt_mailslot_name_ok(d->mailslot, d->mailslot_len))
		return -NBT_MALFORMED;
	d->data = smb + data_off;
	d->data_len = data_len;
	return 0;
}

/**
 * nbt_parse_dgram() - parse a mailslot write received on UDP 138
 * @p: the UDP payload
 * @len: its length
 * @d: filled in; its pointers point into @p
 *
 * Checks, in order: the header; the type (0x10-0x12 carry data, 0x13-0x16
 * do not); no fragment (M clear, F set, PACKET_OFFSET 0); DGM_LENGTH is
 * exactly what follows the header; both names decode within it; the SMB
 * is a mailslot write whose DataOffset, DataCount, TotalDataCount and
 * ByteCount agree with each other and the packet, with a name that
 * begins with "\MAILSLOT\" (any case) and a valid remainder.
 *
 * Return: 0, or -%NBT_MALFORMED, -%NBT_FRAGMENT, -%NBT_NOT_MAILSLOT.
 */
int nbt_parse_dgram(const u8 *p, size_t len, struct nbt_dgram *d)
{
	size_t off = NBT_DGM_HDR;
	int err;

	if (len < NBT_DGM_HDR || len > NBT_DGM_MAX)
		return -NBT_MALFORMED;
	d->type = p[0];
	d->flags = p[1];
	d->dgm_id = get_be16(p + 2);
	d->src_ip = get_be32(p + 4);
	d->src_port = get_be16(p + 8);
	if (d->type >= NBT_DGM_ERROR && d->type <= NBT_DGM_QUERY_NEG)
		return -NBT_NOT_MAILSLOT;
	if (d->type < NBT_DIRECT_UNIQUE || d->type > NBT_BROADCAST)
		return -NBT_MALFORMED;
	if ((d->flags & NBT_F_MORE) || !(d->flags & NBT_F_FIRST) || get_be16(p + 12))
		return -NBT_FRAGMENT;
	if (get_be16(p + 10) != len - NBT_DGM_HDR)
		return -NBT_MALFORMED;
	err = nbt_parse_name(p, len, &off, &d->src);
	if (!err)
		err = nbt_parse_name(p, len, &off, &d->dst);
	if (!err)
		err = nbt_parse_smb(p + off, len - off, d);
	return err;
}

/**
 * nbt_max_message() - the largest message Windows and Samba accept
 * @mailslot_len: length of the name after "\MAILSLOT\"
 * @broadcast: for a group or broadcast write
 *
 * MS-MAIL <2>: a write is at most 512 bytes of SMB, and the redirector
 * pads the data to 4 bytes: 432 - roundup4(n) bytes of message; a
 * broadcast at most 424, as the Win32 documentation says.
 *
 * Return: the limit in bytes, 0 when the name leaves no room.
 */
size_t nbt_max_message(size_t mailslot_len, bool broadcast)
{
	size_t pad = (mailslot_len + 3) & ~(size_t)3;
	size_t max = pad < 432 ? 432 - pad : 0;

	return broadcast && max > NBT_BROADCAST_MAX_MSG ? NBT_BROADCAST_MAX_MSG : max;
}

/* The SMB_COM_TRANSACTION mailslot write, at @s, data unpadded. */
static void nbt_put_smb(u8 *s, const struct nbt_dgram_tx *t)
{
	size_t name_len = NBT_MAILSLOT_PREFIX_LEN + t->mailslot_len + 1;
	size_t data_off = NBT_SMB_NAME_OFF + name_len;

	s[0] = 0xff;
	memcpy(s + 1, "SMB", 3);
	s[4] = 0x25;			/* SMB_COM_TRANSACTION */
	s[32] = 17;			/* WordCount */
	put_le16(s + 35, t->data_len);	/* TotalDataCount */
	put_le32(s + 45, 1000);		/* Timeout, as Windows NT */
	put_le16(s + 55, t->data_len);	/* DataCount */
	put_le16(s + 57, data_off);	/* DataOffset */
	s[59] = 3;			/* SetupCount */
	put_le16(s + 61, 1);		/* MailSlotOpcode: write */
	put_le16(s + 63, 1);		/* Priority */
	put_le16(s + 65, 2);		/* Class: unreliable, broadcast */
	put_le16(s + 67, name_len + t->data_len);	/* ByteCount */
	memcpy(s + NBT_SMB_NAME_OFF, NBT_MAILSLOT_PREFIX, NBT_MAILSLOT_PREFIX_LEN);
	memcpy(s + NBT_SMB_NAME_OFF + NBT_MAILSLOT_PREFIX_LEN, t->mailslot,
	       t->mailslot_len);
	if (t->data_len)
		memcpy(s + data_off, t->data, t->data_len);
}

/**
 * nbt_build_dgram() - a mailslot write, as Windows' browser and Samba send it
 * @buf: where it goes
 * @size: room in @buf
 * @t: what to send
 *
 * One unfragmented datagram (FLAGS: B node, first) from port 138; the SMB
 * header all zero but for its signature and command; no padding before the
 * data (DataOffset 80 + n). Every byte of the result is set.
 *
 * Return: the length, -EINVAL for a bad mailslot name or type, -EMSGSIZE
 * when it does not fit @size or the 16-bit lengths.
 */
int nbt_build_dgram(u8 *buf, size_t size, const struct nbt_dgram_tx *t)
{
	size_t src_len = nbt_name_size(t->src), dst_len = nbt_name_size(t->dst);
	size_t smb_len = NBT_SMB_NAME_OFF + NBT_MAILSLOT_PREFIX_LEN +
			 t->mailslot_len + 1 + t->data_len;
	size_t total = NBT_DGM_HDR + src_len + dst_len + smb_len;
	u8 *p = buf;

	if (!nbt_mailslot_name_ok(t->mailslot, t->mailslot_len) ||
	    (t->type != NBT_DIRECT_UNIQUE && t->type != NBT_DIRECT_GROUP))
		return -EINVAL;
	if (total > size || total > NBT_DGM_MAX)
		return -EMSGSIZE;
	memset(buf, 0, total);
	p[0] = t->type;
	p[1] = NBT_F_FIRST | NBT_F_BNODE;
	put_be16(p + 2, t->dgm_id);
	put_be32(p + 4, t->src_ip);
	put_be16(p + 8, NBT_DGM_PORT);
	put_be16(p + 10, total - NBT_DGM_HDR);
	p += NBT_DGM_HDR;
	nbt_put_name(p, t->src);
	nbt_put_name(p + src_len, t->dst);
	nbt_put_smb(p + src_len + dst_len, t);
	return total;
}

/* The rest of a request: QDCOUNT 1, the question, nothing else. */
static int nbt_parse_question(const u8 *p, size_t len, struct nbt_ns *ns)
{
	size_t off = NBT_NS_HDR;
	int err;

	if (get_be16(p + 4) != 1 || get_be16(p + 6) || get_be16(p + 8) ||
	    get_be16(p + 10))
		return -NBT_MALFORMED;
	err = nbt_parse_name(p, len, &off, &ns->name);
	if (err)
		return err;
	if (off + 4 != len || get_be16(p + off + 2) != NBT_QCLASS_IN)
		return -NBT_MALFORMED;
	ns->qtype = get_be16(p + off);
	if (ns->qtype != NBT_QTYPE_NB && ns->qtype != NBT_QTYPE_NBSTAT)
		return -NBT_NOT_MAILSLOT;
	return 0;
}

/* RDATA of a node status response: the name table (statistics ignored). */
static int nbt_parse_names(const u8 *r, size_t rlen, struct nbt_ns *ns)
{
	unsigned int i;

	if (rlen < 1 || 1 + 18 * (size_t)r[0] > rlen)
		return -NBT_MALFORMED;
	ns->num_names = r[0] < NBT_NS_MAX_NAMES ? r[0] : NBT_NS_MAX_NAMES;
	for (i = 0; i < ns->num_names; i++) {
		memcpy(ns->names[i], r + 1 + 18 * i, NBT_NAME_LEN);
		ns->name_flags[i] = get_be16(r + 1 + 18 * i + NBT_NAME_LEN);
	}
	return 0;
}

/* RDATA of a positive NB answer: NB_FLAGS and NB_ADDRESS, 6 bytes each.
 * A name query response may list several (an Internet group); the others
 * carry one.
 */
static int nbt_parse_nb(const u8 *r, size_t rlen, struct nbt_ns *ns)
{
	unsigned int i;

	if (rlen < 6 || rlen % 6 || (ns->opcode != NBT_OP_QUERY && rlen != 6))
		return -NBT_MALFORMED;
	ns->nb_flags = get_be16(r);
	ns->addr = get_be32(r + 2);
	ns->naddrs = rlen / 6 < NBT_NS_MAX_ADDRS ? rlen / 6 : NBT_NS_MAX_ADDRS;
	for (i = 0; i < ns->naddrs; i++)
		ns->addrs[i] = get_be32(r + 6 * i + 2);
	return 0;
}

/* The rest of a response: ANCOUNT 1, one resource record. */
static int nbt_parse_answer(const u8 *p, size_t len, struct nbt_ns *ns)
{
	size_t off = NBT_NS_HDR, rlen;
	int err;

	if (get_be16(p + 4) || get_be16(p + 6) != 1)
		return -NBT_MALFORMED;
	err = nbt_parse_name(p, len, &off, &ns->name);
	if (err)
		return err;
	if (off + 10 > len || get_be16(p + off + 2) != NBT_QCLASS_IN)
		return -NBT_MALFORMED;
	ns->qtype = get_be16(p + off);
	ns->ttl = get_be32(p + off + 4);
	rlen = get_be16(p + off + 8);
	off += 10;
	if (off + rlen > len ||
	    (ns->opcode != NBT_OP_QUERY && ns->qtype != NBT_QTYPE_NB))
		return -NBT_MALFORMED;
	if (ns->opcode == NBT_OP_WACK) {
		if (rlen != 2)
			return -NBT_MALFORMED;
		ns->wack_flags = get_be16(p + off);
		return 0;
	}
	if (ns->rcode)
		return 0;		/* a negative response carries no data */
	if (ns->qtype == NBT_QTYPE_NBSTAT)
		return nbt_parse_names(p + off, rlen, ns);
	if (ns->qtype != NBT_QTYPE_NB)
		return -NBT_MALFORMED;
	return nbt_parse_nb(p + off, rlen, ns);
}

/**
 * nbt_parse_ns() - parse a name service packet (UDP 137)
 * @p: the UDP payload
 * @len: its length
 * @ns: filled in
 *
 * Understands what an H node needs: name query and node status requests
 * (one question, no records), and the responses to them (one record: an
 * NB address list, or a node status name table); and what an NBNS answers
 * a registration, refresh or release with (one NB record: the name's
 * NB_FLAGS and address; for a negative one, only RCODE counts) or a WACK
 * (its TTL and the request's flags). Names may not use compression
 * pointers; every count and length must fit the packet.
 *
 * Return: 0, -%NBT_MALFORMED, or -%NBT_NOT_MAILSLOT for another kind of
 * packet (a registration or release request from another node, a WACK
 * request ...).
 */
int nbt_parse_ns(const u8 *p, size_t len, struct nbt_ns *ns)
{
	u16 f;

	if (len < NBT_NS_HDR || len > NBT_DGM_MAX)
		return -NBT_MALFORMED;
	memset(ns, 0, sizeof(*ns));
	ns->trn_id = get_be16(p);
	f = get_be16(p + 2);
	ns->response = f >> 15;
	ns->opcode = (f >> 11) & 15;
	ns->nm_flags = (f >> 4) & 0x7f;
	ns->rcode = f & 15;
	if (ns->opcode == NBT_OP_QUERY)
		return ns->response ? nbt_parse_answer(p, len, ns) :
				      nbt_parse_question(p, len, ns);
	if (!ns->response || ns->opcode < NBT_OP_REGISTER ||
	    ns->opcode > NBT_OP_REFRESH_ALT)
		return -NBT_NOT_MAILSLOT;
	return nbt_parse_answer(p, len, ns);
}

/* Header and question of a request; the length, or -EMSGSIZE. */
static int nbt_put_question(u8 *buf, size_t size, u16 trn_id, u16 flags,
			    const struct nbt_name *name, u16 qtype)
{
	size_t nlen = nbt_name_size(name), total = NBT_NS_HDR + nlen + 4;

	if (total > size)
		return -EMSGSIZE;
	memset(buf, 0, total);
	put_be16(buf, trn_id);
	put_be16(buf + 2, flags);
	put_be16(buf + 4, 1);		/* QDCOUNT */
	nbt_put_name(buf + NBT_NS_HDR, name);
	put_be16(buf + NBT_NS_HDR + nlen, qtype);
	put_be16(buf + NBT_NS_HDR + nlen + 2, NBT_QCLASS_IN);
	return total;
}

/**
 * nbt_build_name_query() - a NAME QUERY REQUEST (RFC 1002 4.2.12)
 * @buf: where it goes
 * @size: room in @buf
 * @trn_id: NAME_TRN_ID
 * @name: the name to resolve
 * @broadcast: set the B flag (a B node's query to the subnet)
 *
 * Return: the length, or -EMSGSIZE.
 */
int nbt_build_name_query(u8 *buf, size_t size, u16 trn_id,
			 const struct nbt_name *name, bool broadcast)
{
	u16 flags = (NBT_NM_RD | (broadcast ? NBT_NM_B : 0)) << 4;

	return nbt_put_question(buf, size, trn_id, flags, name, NBT_QTYPE_NB);
}

/**
 * nbt_build_name_reg() - a request to an NBNS about one of our names
 * @buf: where it goes
 * @size: room in @buf
 * @trn_id: NAME_TRN_ID
 * @opcode: %NBT_OP_REGISTER (RFC 1002 4.2.2, RD set), %NBT_OP_REFRESH
 *	(4.2.4) or %NBT_OP_RELEASE (4.2.9), all unicast (B clear)
 * @name: the name
 * @nb_flags: its NB_FLAGS: %NBT_NB_GROUP, the node type
 * @ttl: the TTL asked for, in seconds (a release: 0)
 * @addr: the address it is (to be) registered at (host order)
 *
 * The question, then one additional NB record for the same name, which
 * points back at the question's (0xc00c) as every NetBIOS node writes it.
 *
 * Return: the length, -EINVAL for another opcode, or -EMSGSIZE.
 */
int nbt_build_name_reg(u8 *buf, size_t size, u16 trn_id, u8 opcode,
		       const struct nbt_name *name, u16 nb_flags, u32 ttl,
		       u32 addr)
{
	u16 flags = (u16)opcode << 11;
	u8 *rr;
	int len;

	if (opcode == NBT_OP_REGISTER)
		flags |= NBT_NM_RD << 4;
	else if (opcode == NBT_OP_RELEASE)
		ttl = 0;
	else if (opcode != NBT_OP_REFRESH)
		return -EINVAL;
	len = nbt_put_question(buf, size, trn_id, flags, name, NBT_QTYPE_NB);
	if (len < 0 || (size_t)len + 18 > size)
		return -EMSGSIZE;
	put_be16(buf + 10, 1);		/* ARCOUNT */
	rr = buf + len;
	put_be16(rr, 0xc000 | NBT_NS_HDR);	/* RR_NAME: the question's */
	put_be16(rr + 2, NBT_QTYPE_NB);
	put_be16(rr + 4, NBT_QCLASS_IN);
	put_be32(rr + 6, ttl);
	put_be16(rr + 10, 6);		/* RDLENGTH */
	put_be16(rr + 12, nb_flags);
	put_be32(rr + 14, addr);
	return len + 18;
}

/**
 * nbt_build_node_status_query() - a NODE STATUS REQUEST for "*"
 * @buf: where it goes
 * @size: room in @buf
 * @trn_id: NAME_TRN_ID
 *
 * What `nmblookup -A` sends, to learn a host's names from its address.
 *
 * Return: the length, or -EMSGSIZE.
 */
int nbt_build_node_status_query(u8 *buf, size_t size, u16 trn_id)
{
	struct nbt_name star;

	nbt_make_name(&star, "*", 1, 0);
	return nbt_put_question(buf, size, trn_id, 0, &star, NBT_QTYPE_NBSTAT);
}

/* Header and the one resource record of a response, without its RDATA. */
static int nbt_put_answer(u8 *buf, size_t size, u16 trn_id,
			  const struct nbt_name *name, u16 type, u32 ttl,
			  size_t rdlen)
{
	size_t nlen = nbt_name_size(name);
	size_t total = NBT_NS_HDR + nlen + 10 + rdlen;
	u8 *rr = buf + NBT_NS_HDR + nlen;

	if (total > size)
		return -EMSGSIZE;
	memset(buf, 0, total);
	put_be16(buf, trn_id);
	put_be16(buf + 2, 0x8000 | (NBT_NM_AA | NBT_NM_RD) << 4);
	put_be16(buf + 6, 1);		/* ANCOUNT */
	nbt_put_name(buf + NBT_NS_HDR, name);
	put_be16(rr, type);
	put_be16(rr + 2, NBT_QCLASS_IN);
	put_be32(rr + 4, ttl);
	put_be16(rr + 8, rdlen);
	return total;
}

/**
 * nbt_build_name_query_response() - a POSITIVE NAME QUERY RESPONSE
 * @buf: where it goes
 * @size: room in @buf
 * @trn_id: the query's NAME_TRN_ID
 * @name: the name asked for
 * @nb_flags: its NB_FLAGS: %NBT_NB_GROUP for a group name, and the node
 *	type (ONT)
 * @addr: this node's address on the querier's subnet (host order)
 *
 * The answer to a broadcast query, and to an NBNS's unicast one when it
 * challenges a registration of one of our names (RFC 1002 5.1.4).
 *
 * Return: the length, or -EMSGSIZE.
 */
int nbt_build_name_query_response(u8 *buf, size_t size, u16 trn_id,
				  const struct nbt_name *name, u16 nb_flags,
				  u32 addr)
{
	int len = nbt_put_answer(buf, size, trn_id, name, NBT_QTYPE_NB,
				 300000, 6);

	if (len > 0) {
		put_be16(buf + len - 6, nb_flags);
		put_be32(buf + len - 4, addr);
	}
	return len;
}

/**
 * nbt_build_node_status_response() - a NODE STATUS RESPONSE
 * @buf: where it goes
 * @size: room in @buf
 * @trn_id: the request's NAME_TRN_ID
 * @names: the node's names, %NBT_NAME_LEN bytes each, one after another
 * @flags: their NAME_FLAGS
 * @n: how many
 *
 * The statistics (46 bytes, starting with the unit id) are zero.
 *
 * Return: the length, or -EMSGSIZE.
 */
int nbt_build_node_status_response(u8 *buf, size_t size, u16 trn_id,
				   const u8 *names, const u16 *flags,
				   unsigned int n)
{
	struct nbt_name star;
	unsigned int i;
	u8 *r;
	int len;

	if (n > 255)
		return -EMSGSIZE;
	nbt_make_name(&star, "*", 1, 0);
	len = nbt_put_answer(buf, size, trn_id, &star, NBT_QTYPE_NBSTAT, 0,
			     1 + 18 * n + 46);
	if (len < 0)
		return len;
	r = buf + len - (1 + 18 * n + 46);
	r[0] = n;
	for (i = 0; i < n; i++) {
		memcpy(r + 1 + 18 * i, names + NBT_NAME_LEN * i, NBT_NAME_LEN);
		put_be16(r + 1 + 18 * i + NBT_NAME_LEN, flags[i]);
	}
	return len;
}
