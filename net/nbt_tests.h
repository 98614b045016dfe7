/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mailslotfs: tests of the NetBIOS parsers and builders (nbt.c), written
 * once for two runners, as ../common/test.h says; nbt_tests[] lists
 * them. The packets are real: the
 * worked example of reference/protocol.md 2.7, a Windows NT frame
 * (tcpdump's eapon1.pcap, frame 76) and nmbd's answers to nmblookup
 * (shared/interop/captures/nmblookup.pcap).
 */
#ifndef _MSFS_NBT_TESTS_H
#define _MSFS_NBT_TESTS_H

#include "../common/test.h"
#include "nbt.h"
#include "../selftests/nbt_example.h"

/* eapon1.pcap frame 76: Windows NT, DJP95S0J<00> -> ARBEITSGRUPPE<1D> */
static const u8 nbt_t_windows[] =
	"\x11\x0e\x89\x32\xa9\xfe\x43\xc2\x00\x8a\x00\xa5\x00\x00\x20\x45"
	"\x45\x45\x4b\x46\x41\x44\x4a\x44\x46\x46\x44\x44\x41\x45\x4b\x43"
	"\x41\x43\x41\x43\x41\x43\x41\x43\x41\x43\x41\x43\x41\x41\x41\x00"
	"\x20\x45\x42\x46\x43\x45\x43\x45\x46\x45\x4a\x46\x45\x46\x44\x45"
	"\x48\x46\x43\x46\x46\x46\x41\x46\x41\x45\x46\x43\x41\x43\x41\x42"
	"\x4e\x00\xff\x53\x4d\x42\x25\x00\x00\x00\x00\x00\x00\x00\x00\x00"
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
	"\x00\x00\x11\x00\x00\x0b\x00\x00\x00\x00\x00\x00\x00\x00\x00\xe8"
	"\x03\x00\x00\x00\x00\x00\x00\x00\x00\x0b\x00\x56\x00\x03\x00\x01"
	"\x00\x01\x00\x02\x00\x1c\x00\x5c\x4d\x41\x49\x4c\x53\x4c\x4f\x54"
	"\x5c\x42\x52\x4f\x57\x53\x45\x00\x02\x00\x44\x4a\x50\x39\x35\x53"
	"\x30\x4a\x00";

/* nmblookup.pcap frames 2, 3, 8 and 9 */
static const u8 nbt_t_query[] =
	"\x47\xf6\x01\x10\x00\x01\x00\x00\x00\x00\x00\x00\x20\x45\x4e\x46"
	"\x44\x45\x4d\x46\x45\x45\x46\x46\x44\x46\x45\x43\x41\x43\x41\x43"
	"\x41\x43\x41\x43\x41\x43\x41\x43\x41\x43\x41\x42\x4d\x00\x00\x20"
	"\x00\x01";
static const u8 nbt_t_query_reply[] =
	"\x47\xf6\x85\x80\x00\x00\x00\x01\x00\x00\x00\x00\x20\x45\x4e\x46"
	"\x44\x45\x4d\x46\x45\x45\x46\x46\x44\x46\x45\x43\x41\x43\x41\x43"
	"\x41\x43\x41\x43\x41\x43\x41\x43\x41\x43\x41\x42\x4d\x00\x00\x20"
	"\x00\x01\x00\x03\xf4\x80\x00\x06\x80\x00\x0a\x4d\x00\x01";
static const u8 nbt_t_status_query[] =
	"\x09\x32\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x20\x43\x4b\x41"
	"\x41\x41\x41\x41\x41\x41\x41\x41\x41\x41\x41\x41\x41\x41\x41\x41"
	"\x41\x41\x41\x41\x41\x41\x41\x41\x41\x41\x41\x41\x41\x00\x00\x21"
	"\x00\x01";
static const u8 nbt_t_status_reply[] =
	"\x09\x32\x84\x00\x00\x00\x00\x01\x00\x00\x00\x00\x20\x43\x4b\x41"
	"\x41\x41\x41\x41\x41\x41\x41\x41\x41\x41\x41\x41\x41\x41\x41\x41"
	"\x41\x41\x41\x41\x41\x41\x41\x41\x41\x41\x41\x41\x41\x00\x00\x21"
	"\x00\x01\x00\x00\x00\x00\x00\xd1\x09\x4e\x4d\x42\x44\x50\x44\x43"
	"\x20\x20\x20\x20\x20\x20\x20\x20\x00\x04\x00\x4e\x4d\x42\x44\x50"
	"\x44\x43\x20\x20\x20\x20\x20\x20\x20\x20\x03\x04\x00\x4e\x4d\x42"
	"\x44\x50\x44\x43\x20\x20\x20\x20\x20\x20\x20\x20\x20\x04\x00\x01"
	"\x02\x5f\x5f\x4d\x53\x42\x52\x4f\x57\x53\x45\x5f\x5f\x02\x01\x84"
	"\x00\x4d\x53\x4c\x54\x45\x53\x54\x20\x20\x20\x20\x20\x20\x20\x20"
	"\x00\x84\x00\x4d\x53\x4c\x54\x45\x53\x54\x20\x20\x20\x20\x20\x20"
	"\x20\x20\x1b\x04\x00\x4d\x53\x4c\x54\x45\x53\x54\x20\x20\x20\x20"
	"\x20\x20\x20\x20\x1c\x04\x00\x4d\x53\x4c\x54\x45\x53\x54\x20\x20"
	"\x20\x20\x20\x20\x20\x20\x1d\x04\x00\x4d\x53\x4c\x54\x45\x53\x54"
	"\x20\x20\x20\x20\x20\x20\x20\x20\x1e\x84\x00\x00\x00\x00\x00\x00"
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00";

#define NBT_T_MAX 600

/* A test packet into @buf (tests change their copy); its length. */
#define nbt_t_bytes(pkt, buf) (memcpy(buf, pkt, sizeof(pkt) - 1), sizeof(pkt) - 1)

static bool nbt_t_name_is(const struct nbt_name *n, const char *text, u8 suffix)
{
	struct nbt_name want;

	return !nbt_make_name(&want, text, strlen(text), suffix) &&
	       nbt_name_eq(n, &want);
}

static void nbt_test_parse_real(MSFS_TEST_CTX *test)
{
	static u8 p[NBT_T_MAX];
	struct nbt_dgram d;
	size_t len = nbt_t_bytes(nbt_t_example, p);

	MSFS_EXPECT(len == 177, "example: %d bytes", (int)len);
	MSFS_EXPECT(!nbt_parse_dgram(p, len, &d), "example parses");
	MSFS_EXPECT(d.type == NBT_DIRECT_GROUP && d.dgm_id == 0x1234, "header");
	MSFS_EXPECT(d.src_ip == 0xc000020a && d.src_port == 138, "source");
	MSFS_EXPECT(nbt_t_name_is(&d.src, "SENDER", 0), "source name");
	MSFS_EXPECT(nbt_t_name_is(&d.dst, "workgroup", 0x1d), "destination name");
	MSFS_EXPECT(d.mailslot_len == 6 && !memcmp(d.mailslot, "BROWSE", 6),
		    "mailslot name");
	MSFS_EXPECT(d.data_len == 9 && d.data == p + 168, "data");

	len = nbt_t_bytes(nbt_t_windows, p);
	MSFS_EXPECT(!nbt_parse_dgram(p, len, &d), "the Windows frame parses");
	MSFS_EXPECT(nbt_t_name_is(&d.src, "DJP95S0J", 0) &&
		    nbt_t_name_is(&d.dst, "ARBEITSGRUPPE", 0x1d), "its names");
	MSFS_EXPECT(d.data_len == 11, "its data: %d", (int)d.data_len);
}

static void nbt_test_build_matches_example(MSFS_TEST_CTX *test)
{
	static u8 want[NBT_T_MAX], got[NBT_T_MAX];
	struct nbt_name src, dst;
	struct nbt_dgram_tx t = {
		.type = NBT_DIRECT_GROUP, .dgm_id = 0x1234, .src_ip = 0xc000020a,
		.src = &src, .dst = &dst, .mailslot = "BROWSE", .mailslot_len = 6,
	};
	size_t len = nbt_t_bytes(nbt_t_example, want);
	int n;

	nbt_make_name(&src, "SENDER", 6, 0);
	nbt_make_name(&dst, "WORKGROUP", 9, 0x1d);
	t.data = want + 168;
	t.data_len = 9;
	want[1] = NBT_F_FIRST | NBT_F_BNODE;	/* the example is an H node */
	n = nbt_build_dgram(got, sizeof(got), &t);
	MSFS_EXPECT(n == (int)len, "length %d", n);
	MSFS_EXPECT(n == (int)len && !memcmp(got, want, len), "bytes");
	MSFS_EXPECT(nbt_build_dgram(got, len - 1, &t) == -EMSGSIZE, "no room");
	t.mailslot = "BRO/WSE";
	t.mailslot_len = 7;
	MSFS_EXPECT(nbt_build_dgram(got, sizeof(got), &t) == -EINVAL, "bad name");
}

static void nbt_test_truncated(MSFS_TEST_CTX *test)
{
	static u8 p[NBT_T_MAX];
	struct nbt_dgram d;
	size_t len = nbt_t_bytes(nbt_t_windows, p), cut;

	for (cut = 0; cut < len; cut++)
		MSFS_EXPECT(nbt_parse_dgram(p, cut, &d) == -NBT_MALFORMED,
			    "cut at %d", (int)cut);
}

struct nbt_t_mutation {
	unsigned int off;	/* in the example */
	u8 val;
	int err;
};

static const struct nbt_t_mutation nbt_t_mutations[] = {
	{ 0, 0x10, 0 },			/* DIRECT_UNIQUE */
	{ 0, 0x12, 0 },			/* BROADCAST */
	{ 0, 0x13, -NBT_NOT_MAILSLOT },	/* DATAGRAM ERROR */
	{ 0, 0x16, -NBT_NOT_MAILSLOT },
	{ 0, 0x05, -NBT_MALFORMED },
	{ 1, 0x0f, -NBT_FRAGMENT },	/* M set */
	{ 1, 0x0c, -NBT_FRAGMENT },	/* F clear */
	{ 1, 0x02, 0 },
	{ 1, 0x0a, 0 },			/* nmbd's M node */
	{ 13, 0x01, -NBT_FRAGMENT },	/* PACKET_OFFSET */
	{ 11, 0xa2, -NBT_MALFORMED },	/* DGM_LENGTH one short */
	{ 11, 0xa4, -NBT_MALFORMED },	/* one long */
	{ 14, 0x21, -NBT_MALFORMED },	/* a first label of 33 */
	{ 15, 'Q', -NBT_MALFORMED },	/* not 'A'..'P' */
	{ 47, 0xc0, -NBT_MALFORMED },	/* a compression pointer for scope */
	{ 47, 0x01, -NBT_MALFORMED },	/* a scope label running into the next name */
	{ 82, 0xfe, -NBT_MALFORMED },	/* not SMB */
	{ 86, 0x72, -NBT_NOT_MAILSLOT },	/* another SMB command */
	{ 114, 16, -NBT_MALFORMED },	/* WordCount */
	{ 117, 0x08, -NBT_MALFORMED },	/* TotalDataCount */
	{ 137, 0x08, -NBT_MALFORMED },	/* DataCount */
	{ 137, 0x0a, -NBT_MALFORMED },
	{ 139, 0x55, -NBT_MALFORMED },	/* DataOffset into the name */
	{ 139, 0x57, -NBT_MALFORMED },	/* past the data */
	{ 141, 2, -NBT_MALFORMED },	/* SetupCount */
	{ 143, 2, -NBT_NOT_MAILSLOT },	/* opcode 2: not a write */
	{ 149, 0x1b, -NBT_MALFORMED },	/* ByteCount */
	{ 152, 'm', 0 },		/* \mAILSLOT\: any case */
	{ 153, 'X', -NBT_NOT_MAILSLOT },	/* \MXILSLOT\ */
	{ 161, '/', -NBT_MALFORMED },	/* '/' in the name */
	{ 161, 0x01, -NBT_MALFORMED },	/* a control byte */
	{ 167, 'x', -NBT_MALFORMED },	/* no NUL before the data offset */
};

static void nbt_test_mutations(MSFS_TEST_CTX *test)
{
	static u8 p[NBT_T_MAX];
	const struct nbt_t_mutation *m;
	struct nbt_dgram d;
	size_t len;

	for (m = nbt_t_mutations;
	     m < nbt_t_mutations + ARRAY_SIZE(nbt_t_mutations); m++) {
		len = nbt_t_bytes(nbt_t_example, p);
		p[m->off] = m->val;
		MSFS_EXPECT(nbt_parse_dgram(p, len, &d) == m->err,
			    "byte %u = 0x%02x", m->off, m->val);
	}
}

/* A message with a scope on both names, padded as Windows' redirector does. */
static void nbt_test_scope_and_padding(MSFS_TEST_CTX *test)
{
	static u8 p[NBT_T_MAX];
	struct nbt_name src, dst;
	struct nbt_dgram_tx t = {
		.type = NBT_DIRECT_UNIQUE, .src = &src, .dst = &dst,
		.mailslot = "NET\\NETLOGON", .mailslot_len = 12,
		.data = (const u8 *)"hi", .data_len = 2,
	};
	struct nbt_dgram d;
	int n;

	nbt_make_name(&src, "a", 1, 0);
	nbt_make_name(&dst, "b", 1, 0);
	memcpy(dst.scope, "corp.example", 12);
	dst.scope_len = 12;
	n = nbt_build_dgram(p, sizeof(p), &t);
	MSFS_EXPECT(n == 14 + 34 + 47 + 80 + 12 + 2, "length %d", n);
	MSFS_EXPECT(!nbt_parse_dgram(p, n, &d), "parses");
	MSFS_EXPECT(d.dst.scope_len == 12 &&
		    msfs_name_eq(d.dst.scope, "CORP.EXAMPLE", 12), "scope");
	MSFS_EXPECT(nbt_name_eq(&d.dst, &dst) && nbt_name_eq(&d.src, &src), "names");
	MSFS_EXPECT(d.mailslot_len == 12 && d.data_len == 2, "name and data");
}

static void nbt_test_names(MSFS_TEST_CTX *test)
{
	struct nbt_name a, b;

	MSFS_EXPECT(!nbt_make_name(&a, "sender", 6, 0) &&
		    !memcmp(a.name, "SENDER         \0", 16), "padded, upper case");
	MSFS_EXPECT(!nbt_make_name(&b, "SeNdEr", 6, 0) && nbt_name_eq(&a, &b),
		    "case-insensitive");
	MSFS_EXPECT(!nbt_make_name(&b, "SENDER", 6, 0x20) && !nbt_name_eq(&a, &b),
		    "the suffix counts");
	MSFS_EXPECT(nbt_make_name(&a, "0123456789abcdef", 16, 0) == -EINVAL, "16");
	MSFS_EXPECT(!nbt_make_name(&a, "0123456789abcde", 15, 0), "15");
	MSFS_EXPECT(nbt_make_name(&a, "", 0, 0) == -EINVAL, "empty");
	MSFS_EXPECT(nbt_make_name(&a, "a\tb", 3, 0) == -EINVAL, "control byte");
	MSFS_EXPECT(nbt_make_name(&a, "a*", 2, 0) == -EINVAL, "'*' inside");
	MSFS_EXPECT(!nbt_make_name(&a, "*", 1, 0) && nbt_name_is_star(&a), "*");
	MSFS_EXPECT(nbt_make_name(&a, "*", 1, 1) == -EINVAL, "*<01>");
	MSFS_EXPECT(!nbt_make_name(&a, "STAR", 4, 0) && !nbt_name_is_star(&a), "not *");
}

struct nbt_t_target {
	const char *text;
	int err;
	const char *name;
	u8 suffix;
};

static const struct nbt_t_target nbt_t_targets[] = {
	{ "FILESRV", 0, "FILESRV", 0 }, { "corp#1c", 0, "CORP", 0x1c },
	{ "CORP#1B", 0, "CORP", 0x1b }, { "HOST#20", 0, "HOST", 0x20 },
	{ "a#00", 0, "A", 0 }, { "#1c", -EINVAL, NULL, 0 },
	{ "CORP#1", 0, "CORP#1", 0 },	/* not a suffix: part of the name */
	{ "CORP#1g", -EINVAL, NULL, 0 }, { "CORP#g1", -EINVAL, NULL, 0 },
	{ "0123456789abcde#1c", 0, "0123456789abcde", 0x1c },
	{ "0123456789abcdef#1c", -EINVAL, NULL, 0 }, { "*#00", 0, "*", 0 },
	{ "*#1c", -EINVAL, NULL, 0 }, { "ab", 0, "AB", 0 },
};

static void nbt_test_target_names(MSFS_TEST_CTX *test)
{
	const struct nbt_t_target *t;
	struct nbt_name n;
	int err;

	for (t = nbt_t_targets; t < nbt_t_targets + ARRAY_SIZE(nbt_t_targets);
	     t++) {
		err = nbt_make_target_name(&n, t->text, strlen(t->text));
		MSFS_EXPECT(err == t->err, "\"%s\": %d", t->text, err);
		MSFS_EXPECT(err || nbt_t_name_is(&n, t->name, t->suffix),
			    "\"%s\": the name", t->text);
	}
}

struct nbt_t_slotname {
	const char *name;
	bool ok;
};

static const struct nbt_t_slotname nbt_t_slotnames[] = {
	{ "BROWSE", true }, { "NET\\NETLOGON", true }, { "net\\getdc42", true },
	{ "x", true }, { "", false }, { "A\\\\B", false }, { "\\A", false },
	{ "A\\", false }, { ".", false }, { "..\\x", false }, { "a\\..", false },
	{ "...", true }, { "a/b", false }, { "a\x01", false }, { "a\x7f", false },
	{ "caf\xe9", false },
};

static void nbt_test_mailslot_names(MSFS_TEST_CTX *test)
{
	static char longname[NBT_MAILSLOT_NAME_MAX + 1];
	const struct nbt_t_slotname *s;

	for (s = nbt_t_slotnames;
	     s < nbt_t_slotnames + ARRAY_SIZE(nbt_t_slotnames); s++)
		MSFS_EXPECT(nbt_mailslot_name_ok(s->name, strlen(s->name)) == s->ok,
			    "\"%s\"", s->name);
	memset(longname, 'x', sizeof(longname));
	MSFS_EXPECT(nbt_mailslot_name_ok(longname, NBT_MAILSLOT_NAME_MAX), "255");
	MSFS_EXPECT(!nbt_mailslot_name_ok(longname, sizeof(longname)), "256");
}

static void nbt_test_max_message(MSFS_TEST_CTX *test)
{
	MSFS_EXPECT(nbt_max_message(6, true) == 424, "BROWSE, broadcast");
	MSFS_EXPECT(nbt_max_message(6, false) == 424, "BROWSE");
	MSFS_EXPECT(nbt_max_message(1, false) == 428, "1 character");
	MSFS_EXPECT(nbt_max_message(1, true) == 424, "1 character, broadcast");
	MSFS_EXPECT(nbt_max_message(12, false) == 420, "NET\\NETLOGON");
	MSFS_EXPECT(nbt_max_message(13, false) == 416, "13 characters");
	MSFS_EXPECT(nbt_max_message(429, false) == 0, "no room");
	MSFS_EXPECT(nbt_max_message(255, false) == 176, "the longest name");
}

static void nbt_test_name_service(MSFS_TEST_CTX *test)
{
	static u8 p[NBT_T_MAX], want[NBT_T_MAX];
	struct nbt_name name;
	struct nbt_ns ns;
	size_t len;
	int n;

	nbt_make_name(&name, "MSLTEST", 7, 0x1c);
	len = nbt_t_bytes(nbt_t_query, want);
	n = nbt_build_name_query(p, sizeof(p), 0x47f6, &name, true);
	MSFS_EXPECT(n == (int)len && !memcmp(p, want, len), "query as nmblookup -B");
	MSFS_EXPECT(!nbt_parse_ns(want, len, &ns) && !ns.response &&
		    ns.qtype == NBT_QTYPE_NB && nbt_name_eq(&ns.name, &name) &&
		    (ns.nm_flags & NBT_NM_B), "query parses");

	len = nbt_t_bytes(nbt_t_query_reply, p);
	MSFS_EXPECT(!nbt_parse_ns(p, len, &ns) && ns.response && !ns.rcode &&
		    ns.trn_id == 0x47f6 && ns.nb_flags == NBT_NB_GROUP &&
		    ns.addr == 0x0a4d0001, "nmbd's answer");

	len = nbt_t_bytes(nbt_t_status_query, want);
	n = nbt_build_node_status_query(p, sizeof(p), 0x0932);
	MSFS_EXPECT(n == (int)len && !memcmp(p, want, len), "status as nmblookup -A");

	len = nbt_t_bytes(nbt_t_status_reply, p);
	MSFS_EXPECT(!nbt_parse_ns(p, len, &ns) && ns.response &&
		    ns.qtype == NBT_QTYPE_NBSTAT && ns.num_names == 9 &&
		    !memcmp(ns.names[0], "NMBDPDC        \0", 16) &&
		    ns.name_flags[0] == NBT_NAME_ACTIVE &&
		    ns.name_flags[4] == (NBT_NB_GROUP | NBT_NAME_ACTIVE),
		    "nmbd's name table");
	for (n = 0; n < (int)len; n++)
		MSFS_EXPECT(nbt_parse_ns(p, n, &ns) == -NBT_MALFORMED, "cut at %d", n);
}

static void nbt_test_name_service_answers(MSFS_TEST_CTX *test)
{
	static const u8 names[2][NBT_NAME_LEN] = {
		"HOST           \0", "WORKGROUP      \0",
	};
	static const u16 flags[2] = { NBT_NAME_ACTIVE, NBT_NB_GROUP | NBT_NAME_ACTIVE };
	static u8 p[NBT_T_MAX];
	struct nbt_name name;
	struct nbt_ns ns;
	int n;

	nbt_make_name(&name, "HOST", 4, 0x20);
	n = nbt_build_name_query_response(p, sizeof(p), 7, &name, false, 0x0a000001);
	MSFS_EXPECT(n > 0 && !nbt_parse_ns(p, n, &ns) && ns.trn_id == 7 &&
		    nbt_name_eq(&ns.name, &name) && !ns.nb_flags &&
		    ns.addr == 0x0a000001, "a name query answer");
	n = nbt_build_node_status_response(p, sizeof(p), 8, names[0], flags, 2);
	MSFS_EXPECT(n == 12 + 34 + 10 + 1 + 36 + 46, "status length %d", n);
	MSFS_EXPECT(!nbt_parse_ns(p, n, &ns) && ns.num_names == 2 &&
		    !memcmp(ns.names[1], names[1], 16) && ns.name_flags[1] == flags[1],
		    "a node status answer");
	/* a registration (opcode 5) is not ours to answer */
	p[2] = 0x28;
	MSFS_EXPECT(nbt_parse_ns(p, n, &ns) == -NBT_NOT_MAILSLOT, "opcode 5");
}

/* nmbd_startup.pcap frame 3: nmbd registers NMBDA<00> by broadcast */
static const u8 nbt_t_register[] =
	"\x3e\x78\x29\x10\x00\x01\x00\x00\x00\x00\x00\x01\x20\x45\x4f\x45"
	"\x4e\x45\x43\x45\x45\x45\x42\x43\x41\x43\x41\x43\x41\x43\x41\x43"
	"\x41\x43\x41\x43\x41\x43\x41\x43\x41\x43\x41\x41\x41\x00\x00\x20"
	"\x00\x01\xc0\x0c\x00\x20\x00\x01\x00\x00\x00\x00\x00\x06\x00\x00"
	"\x0a\x4d\x00\x01";

/* An NBNS's response to a request about MSLTEST<1c> (the name of
 * nbt_t_query), written out byte by byte as RFC 1002 4.2.5-4.2.16 draw
 * them: header, RR_NAME, NB, IN, TTL, RDLENGTH and @rdlen bytes of RDATA.
 */
static size_t nbt_t_response(u8 *p, u16 flags, u32 ttl, const u8 *rdata,
			     size_t rdlen)
{
	static const u8 hdr[] = { 0x12, 0x34, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0 };

	memcpy(p, hdr, 12);
	p[2] = flags >> 8;
	p[3] = flags & 255;
	memcpy(p + 12, nbt_t_query + 12, 34);	/* MSLTEST<1c> */
	memcpy(p + 46, "\x00\x20\x00\x01", 4);
	p[50] = ttl >> 24;
	p[51] = (ttl >> 16) & 255;
	p[52] = (ttl >> 8) & 255;
	p[53] = ttl & 255;
	p[54] = rdlen >> 8;
	p[55] = rdlen & 255;
	memcpy(p + 56, rdata, rdlen);
	return 56 + rdlen;
}

static void nbt_test_name_reg_requests(MSFS_TEST_CTX *test)
{
	static u8 p[NBT_T_MAX], want[NBT_T_MAX];
	struct nbt_name name;
	struct nbt_ns ns;
	size_t len = nbt_t_bytes(nbt_t_register, want);
	int n;

	/* nmbd's broadcast registration, but for B: a unicast one to an NBNS */
	nbt_make_name(&name, "NMBDA", 5, 0);
	want[3] &= ~(NBT_NM_B << 4);
	n = nbt_build_name_reg(p, sizeof(p), 0x3e78, NBT_OP_REGISTER, &name, 0,
			       0, 0x0a4d0001);
	MSFS_EXPECT(n == (int)len && !memcmp(p, want, len), "registration: %d", n);
	n = nbt_build_name_reg(p, sizeof(p), 1, NBT_OP_REGISTER, &name,
			       NBT_NB_GROUP | NBT_NB_ONT_H, 300000, 0x0a4d0001);
	MSFS_EXPECT(n == (int)len && p[2] == 0x29 && p[3] == 0 &&
		    p[56] == 0x00 && p[57] == 0x04 && p[58] == 0x93 &&
		    p[59] == 0xe0 && p[62] == 0xe0 && p[63] == 0,
		    "RD, TTL 300000, NB_FLAGS group H");
	n = nbt_build_name_reg(p, sizeof(p), 1, NBT_OP_REFRESH, &name, 0, 600,
			       0x0a4d0001);
	MSFS_EXPECT(n == (int)len && p[2] == 0x40 && p[3] == 0 &&
		    p[58] == 0x02 && p[59] == 0x58, "refresh: opcode 8, no RD");
	n = nbt_build_name_reg(p, sizeof(p), 1, NBT_OP_RELEASE, &name, 0, 600,
			       0x0a4d0001);
	MSFS_EXPECT(n == (int)len && p[2] == 0x30 && p[3] == 0 &&
		    !p[56] && !p[57] && !p[58] && !p[59] &&
		    !memcmp(p + 64, "\x0a\x4d\x00\x01", 4),
		    "release: opcode 6, TTL 0");
	MSFS_EXPECT(nbt_build_name_reg(p, len - 1, 1, NBT_OP_REGISTER, &name, 0,
				       0, 1) == -EMSGSIZE, "no room");
	MSFS_EXPECT(nbt_build_name_reg(p, len - 18, 1, NBT_OP_REGISTER, &name,
				       0, 0, 1) == -EMSGSIZE, "no room for the record");
	MSFS_EXPECT(nbt_build_name_reg(p, sizeof(p), 1, NBT_OP_QUERY, &name, 0,
				       0, 1) == -EINVAL, "not a registration");
	/* a request of these is another node's business, not ours to parse */
	MSFS_EXPECT(nbt_parse_ns(want, len, &ns) == -NBT_NOT_MAILSLOT,
		    "a registration request");

	/* the unicast query to an NBNS: RD, no B */
	nbt_make_name(&name, "MSLTEST", 7, 0x1c);
	len = nbt_t_bytes(nbt_t_query, want);
	want[3] &= ~(NBT_NM_B << 4);
	n = nbt_build_name_query(p, sizeof(p), 0x47f6, &name, false);
	MSFS_EXPECT(n == (int)len && !memcmp(p, want, len), "unicast query");
}

struct nbt_t_reply {
	u16 flags;		/* R, OPCODE, NM_FLAGS, RCODE */
	u32 ttl;
	u8 rdlen;
	int err;
	const char *what;
};

static const struct nbt_t_reply nbt_t_replies[] = {
	{ 0xad80, 300000, 6, 0, "positive registration (AA RD RA)" },
	{ 0xad06, 0, 6, 0, "negative registration: ACT_ERR" },
	{ 0xad07, 0, 0, 0, "negative registration: CFT_ERR, no RDATA" },
	{ 0xad00, 300000, 6, 0, "end-node challenge (RA clear)" },
	{ 0xc580, 300000, 6, 0, "positive refresh" },
	{ 0xcd80, 300000, 6, 0, "positive refresh, opcode 9" },
	{ 0xb400, 0, 6, 0, "positive release" },
	{ 0xb406, 0, 6, 0, "negative release" },
	{ 0xbc00, 7, 2, 0, "WACK" },
	{ 0xbc00, 7, 6, -NBT_MALFORMED, "WACK of 6 bytes" },
	{ 0xad80, 300000, 12, -NBT_MALFORMED, "registration of 2 addresses" },
	{ 0xad80, 300000, 5, -NBT_MALFORMED, "registration of 5 bytes" },
	{ 0xd580, 0, 6, -NBT_NOT_MAILSLOT, "opcode 10" },
	{ 0x9580, 0, 6, -NBT_NOT_MAILSLOT, "opcode 2" },
};

static void nbt_test_name_reg_responses(MSFS_TEST_CTX *test)
{
	static const u8 rdata[12] = { 0x60, 0, 10, 77, 0, 2, 0x60, 0, 10, 77, 0, 3 };
	static u8 p[NBT_T_MAX];
	const struct nbt_t_reply *r;
	struct nbt_ns ns;
	size_t len, cut;

	for (r = nbt_t_replies; r < nbt_t_replies + ARRAY_SIZE(nbt_t_replies);
	     r++) {
		len = nbt_t_response(p, r->flags, r->ttl, rdata, r->rdlen);
		MSFS_EXPECT(nbt_parse_ns(p, len, &ns) == r->err, "%s", r->what);
		if (r->err)
			continue;
		MSFS_EXPECT(ns.response && ns.trn_id == 0x1234 &&
			    ns.opcode == ((r->flags >> 11) & 15) &&
			    ns.rcode == (r->flags & 15) && ns.ttl == r->ttl &&
			    nbt_t_name_is(&ns.name, "MSLTEST", 0x1c),
			    "%s: fields", r->what);
		MSFS_EXPECT(ns.opcode != NBT_OP_WACK || ns.wack_flags == 0x6000,
			    "%s: the request's flags", r->what);
		MSFS_EXPECT(ns.rcode || ns.opcode == NBT_OP_WACK ||
			    (ns.addr == 0x0a4d0002 && ns.nb_flags == NBT_NB_ONT_H &&
			     ns.naddrs == 1), "%s: address", r->what);
		for (cut = 0; cut < len; cut++)
			MSFS_EXPECT(nbt_parse_ns(p, cut, &ns) == -NBT_MALFORMED,
				    "%s: cut at %d", r->what, (int)cut);
	}
	/* ANCOUNT 0, or a question: no answer to a registration */
	len = nbt_t_response(p, 0xad80, 1, rdata, 6);
	p[7] = 0;
	MSFS_EXPECT(nbt_parse_ns(p, len, &ns) == -NBT_MALFORMED, "ANCOUNT 0");
	p[5] = 1;
	p[7] = 1;
	MSFS_EXPECT(nbt_parse_ns(p, len, &ns) == -NBT_MALFORMED, "QDCOUNT 1");
	/* a registration answer of another type than NB */
	len = nbt_t_response(p, 0xad80, 1, rdata, 6);
	p[47] = 0x21;
	MSFS_EXPECT(nbt_parse_ns(p, len, &ns) == -NBT_MALFORMED, "NBSTAT");
	/* RDLENGTH past the end */
	len = nbt_t_response(p, 0xbc00, 1, rdata, 2);
	p[55] = 3;
	MSFS_EXPECT(nbt_parse_ns(p, len, &ns) == -NBT_MALFORMED, "RDLENGTH");
}

/* An Internet group (DOMAIN<1c>): every address, up to the bound. */
static void nbt_test_group_answer(MSFS_TEST_CTX *test)
{
	static u8 rdata[6 * (NBT_NS_MAX_ADDRS + 5)], p[NBT_T_MAX];
	struct nbt_ns ns;
	unsigned int i;
	size_t len;

	for (i = 0; i < NBT_NS_MAX_ADDRS + 5; i++) {
		rdata[6 * i] = 0xe0;		/* group, H node */
		rdata[6 * i + 2] = 10;
		rdata[6 * i + 5] = i + 1;
	}
	len = nbt_t_response(p, 0x8580, 300000, rdata, 18);
	MSFS_EXPECT(!nbt_parse_ns(p, len, &ns) && ns.naddrs == 3 &&
		    ns.addrs[0] == 0x0a000001 && ns.addrs[2] == 0x0a000003 &&
		    ns.addr == 0x0a000001 && (ns.nb_flags & NBT_NB_GROUP),
		    "three addresses");
	len = nbt_t_response(p, 0x8580, 300000, rdata, sizeof(rdata));
	MSFS_EXPECT(!nbt_parse_ns(p, len, &ns) && ns.naddrs == NBT_NS_MAX_ADDRS &&
		    ns.addrs[NBT_NS_MAX_ADDRS - 1] == 0x0a000000 + NBT_NS_MAX_ADDRS,
		    "%d addresses: the first %d kept", NBT_NS_MAX_ADDRS + 5,
		    NBT_NS_MAX_ADDRS);
	len = nbt_t_response(p, 0x8580, 300000, rdata, 20);
	MSFS_EXPECT(nbt_parse_ns(p, len, &ns) == -NBT_MALFORMED, "20 bytes");
	/* a negative answer from the NBNS: no such name */
	len = nbt_t_response(p, 0x8583, 0, rdata, 0);
	MSFS_EXPECT(!nbt_parse_ns(p, len, &ns) && ns.rcode == NBT_RCODE_NAM &&
		    !ns.naddrs, "NAM_ERR");
}

struct nbt_t_ip {
	const char *text;
	int err;
	u32 addr;
};

static const struct nbt_t_ip nbt_t_ips[] = {
	{ "10.0.0.7", 0, 0x0a000007 }, { "0.0.0.0", 0, 0 },
	{ "255.255.255.255", 0, 0xffffffff }, { "256.0.0.1", -EINVAL, 0 },
	{ "10.0.0", -EINVAL, 0 }, { "10.0.0.7.", -EINVAL, 0 },
	{ "10.0.0.07", -EINVAL, 0 }, { "10..0.7", -EINVAL, 0 },
	{ "a.b.c.d", -EINVAL, 0 }, { "", -EINVAL, 0 }, { "*", -EINVAL, 0 },
	{ "FILESRV", -EINVAL, 0 }, { "1.2.3.4x", -EINVAL, 0 },
	{ "99999999999.1.1.1", -EINVAL, 0 },
};

struct nbt_t_cidrs {
	const char *text;
	int n;
	u32 in, out;		/* an address inside, one outside */
};

static const struct nbt_t_cidrs nbt_t_cidr_lists[] = {
	{ "10.0.0.0/8", 1, 0x0a010203, 0x0b000001 },
	{ "10.77.0.2", 1, 0x0a4d0002, 0x0a4d0003 },
	{ "192.168.1.0/24,10.0.0.0/8", 2, 0xc0a80107, 0xc0a80207 },
	{ "", 0, 0, 0x01020304 },
	{ "10.0.0.1/8", -EINVAL, 0, 0 },	/* host bits set */
	{ "10.0.0.0/33", -EINVAL, 0, 0 },
	{ "10.0.0.0/", -EINVAL, 0, 0 },
	{ "10.0.0.0/8,", -EINVAL, 0, 0 },
	{ ",10.0.0.0/8", -EINVAL, 0, 0 },
	{ "10.0.0.0/8,,1.1.1.1", -EINVAL, 0, 0 },
	{ "1.1.1.1,2.2.2.2,3.3.3.3", -EINVAL, 0, 0 },	/* more than 2 */
};

static void nbt_test_addresses(MSFS_TEST_CTX *test)
{
	const struct nbt_t_ip *ip;
	const struct nbt_t_cidrs *c;
	struct msfs_cidr list[2];
	u32 addr;
	int n;

	for (ip = nbt_t_ips; ip < nbt_t_ips + ARRAY_SIZE(nbt_t_ips); ip++) {
		addr = 1;
		MSFS_EXPECT(msfs_parse_ipv4(ip->text, strlen(ip->text), &addr) == ip->err &&
			    (ip->err || addr == ip->addr), "\"%s\"", ip->text);
	}
	for (c = nbt_t_cidr_lists;
	     c < nbt_t_cidr_lists + ARRAY_SIZE(nbt_t_cidr_lists); c++) {
		n = msfs_parse_cidrs(c->text, list, 2);
		MSFS_EXPECT(n == c->n, "\"%s\": %d", c->text, n);
		if (n < 0)
			continue;
		MSFS_EXPECT(!n || msfs_cidrs_match(list, n, c->in), "\"%s\" in", c->text);
		MSFS_EXPECT(!msfs_cidrs_match(list, n, c->out), "\"%s\" out", c->text);
	}
	n = msfs_parse_cidrs("0.0.0.0/0", list, 2);
	MSFS_EXPECT(n == 1 && msfs_cidrs_match(list, n, 0xffffffff), "everything");
}

struct nbt_t_wins {
	const char *text;
	int n;
	u32 first, second;
};

static const struct nbt_t_wins nbt_t_wins_lists[] = {
	{ "10.1.0.2", 1, 0x0a010002, 0 },
	{ "10.1.0.2:10.2.0.2", 2, 0x0a010002, 0x0a020002 },
	{ "", 0, 0, 0 },
	{ "10.1.0.2:", -EINVAL, 0, 0 },
	{ ":10.1.0.2", -EINVAL, 0, 0 },
	{ "10.1.0.2::10.2.0.2", -EINVAL, 0, 0 },
	{ "10.1.0.2,10.2.0.2", -EINVAL, 0, 0 },	/* mount(2) would cut it */
	{ "10.1.0.2:10.1.0.2", -EINVAL, 0, 0 },	/* twice */
	{ "1.1.1.1:2.2.2.2:3.3.3.3", -EINVAL, 0, 0 },	/* more than 2 */
	{ "0.0.0.0", -EINVAL, 0, 0 },
	{ "255.255.255.255", -EINVAL, 0, 0 },
	{ "224.0.0.1", -EINVAL, 0, 0 },
	{ "223.255.255.254", 1, 0xdffffffe, 0 },
	{ "10.1.0.0/16", -EINVAL, 0, 0 },
	{ "wins.example", -EINVAL, 0, 0 },
};

static void nbt_test_wins_option(MSFS_TEST_CTX *test)
{
	const struct nbt_t_wins *w;
	u32 out[2];
	int n;

	for (w = nbt_t_wins_lists;
	     w < nbt_t_wins_lists + ARRAY_SIZE(nbt_t_wins_lists); w++) {
		memset(out, 0xff, sizeof(out));	/* a list parsed before */
		n = msfs_parse_wins(w->text, out, 2);
		MSFS_EXPECT(n == w->n, "\"%s\": %d", w->text, n);
		MSFS_EXPECT(n < 0 || out[0] == w->first, "\"%s\" first", w->text);
		MSFS_EXPECT(n < 0 || out[1] == w->second, "\"%s\" second", w->text);
	}
}

/* The registration timers: retransmission, the second server, a pause. */
static void nbt_test_reg_timers(MSFS_TEST_CTX *test)
{
	static const struct {
		unsigned long at;
		enum nbt_reg_do what;
		u8 server, tries;
	} steps[] = {
		{ 1000, NBT_REG_SEND, 0, 0 }, { 1499, NBT_REG_NOTHING, 0, 0 },
		{ 1500, NBT_REG_SEND, 0, 1 }, { 2000, NBT_REG_SEND, 0, 2 },
		{ 2500, NBT_REG_SEND, 1, 0 }, { 3000, NBT_REG_SEND, 1, 1 },
		{ 3500, NBT_REG_SEND, 1, 2 }, { 4000, NBT_REG_GAVE_UP, 0, 0 },
		{ 33999, NBT_REG_NOTHING, 0, 0 }, { 34000, NBT_REG_SEND, 0, 0 },
	};
	struct nbt_reg n = { 0 };
	unsigned int i;
	enum nbt_reg_do d;

	for (i = 0; i < ARRAY_SIZE(steps); i++) {
		d = nbt_reg_due(&n, 2, steps[i].at, 100);
		MSFS_EXPECT(d == steps[i].what && n.server == steps[i].server &&
			    n.tries == steps[i].tries && n.op == NBT_OP_REGISTER,
			    "step %u at %lu: %d, server %u, try %u", i, steps[i].at,
			    d, n.server, n.tries);
	}
	MSFS_EXPECT(n.state == NBT_REG_WAIT && n.when == 34500, "waiting");
	/* one server: the pause comes after its three tries */
	n = (struct nbt_reg){ 0 };
	nbt_reg_due(&n, 1, 0, 100);
	nbt_reg_due(&n, 1, 500, 100);
	nbt_reg_due(&n, 1, 1000, 100);
	MSFS_EXPECT(nbt_reg_due(&n, 1, 1500, 100) == NBT_REG_GAVE_UP &&
		    n.state == NBT_REG_RETRY, "one server");
	n = (struct nbt_reg){ 0 };
	MSFS_EXPECT(nbt_reg_due(&n, 0, 0, 100) == NBT_REG_NOTHING &&
		    n.state == NBT_REG_IDLE, "no server: nothing sent");
	/* the clock wraps */
	n = (struct nbt_reg){ 0 };
	nbt_reg_due(&n, 1, -100UL, 100);
	MSFS_EXPECT(nbt_reg_due(&n, 1, 10, 100) == NBT_REG_NOTHING &&
		    nbt_reg_due(&n, 1, 400, 100) == NBT_REG_SEND &&
		    n.tries == 1, "across the wrap");
}

/* A name stays with the server that took it: its refreshes, unanswered or
 * not, go there (and releases, while it may have the name); a new
 * registration, once the server has let the name go, starts again.
 */
static void nbt_test_reg_refresh(MSFS_TEST_CTX *test)
{
	static const struct {
		unsigned long at;
		enum nbt_reg_do what;
		u8 state, op, server, tries;
		bool held;
	} steps[] = {
		{ 51599, NBT_REG_NOTHING, NBT_REG_DONE, NBT_OP_REGISTER, 1, 0, true },
		{ 51600, NBT_REG_SEND, NBT_REG_WAIT, NBT_OP_REFRESH, 1, 0, true },
		{ 52100, NBT_REG_SEND, NBT_REG_WAIT, NBT_OP_REFRESH, 1, 1, true },
		{ 52600, NBT_REG_SEND, NBT_REG_WAIT, NBT_OP_REFRESH, 1, 2, true },
		{ 53100, NBT_REG_GAVE_UP, NBT_REG_RENEW, NBT_OP_REFRESH, 1, 0, true },
		{ 83099, NBT_REG_NOTHING, NBT_REG_RENEW, NBT_OP_REFRESH, 1, 0, true },
		{ 83100, NBT_REG_SEND, NBT_REG_WAIT, NBT_OP_REFRESH, 1, 0, true },
		{ 83600, NBT_REG_SEND, NBT_REG_WAIT, NBT_OP_REFRESH, 1, 1, true },
		{ 84100, NBT_REG_SEND, NBT_REG_WAIT, NBT_OP_REFRESH, 1, 2, true },
		{ 84600, NBT_REG_GAVE_UP, NBT_REG_RENEW, NBT_OP_REFRESH, 1, 0, true },
		/* the TTL runs out at 101600: registered afresh, then */
		{ 101599, NBT_REG_NOTHING, NBT_REG_RENEW, NBT_OP_REFRESH, 1, 0, true },
		{ 101600, NBT_REG_SEND, NBT_REG_WAIT, NBT_OP_REGISTER, 0, 0, false },
	};
	struct nbt_ns a = {
		.trn_id = 77, .response = true, .opcode = NBT_OP_REGISTER,
		.nm_flags = NBT_NM_AA | NBT_NM_RA, .ttl = 1000,
	};
	struct nbt_reg n = { 0 };
	unsigned long t;
	enum nbt_reg_do d;
	unsigned int i;

	/* the first server does not answer; the second takes the name */
	for (i = 0; i <= NBT_REG_TRIES; i++)
		nbt_reg_due(&n, 2, i * 500, 100);
	MSFS_EXPECT(n.server == 1 && !nbt_reg_held(&n), "asking the second");
	n.trn = 77;
	MSFS_EXPECT(nbt_reg_answer(&n, &a, 1600, 100) == NBT_REG_REGISTERED,
		    "registered with the second");
	for (i = 0; i < ARRAY_SIZE(steps); i++) {
		d = nbt_reg_due(&n, 2, steps[i].at, 100);
		MSFS_EXPECT(d == steps[i].what && n.state == steps[i].state &&
			    n.op == steps[i].op && n.server == steps[i].server &&
			    n.tries == steps[i].tries &&
			    nbt_reg_held(&n) == steps[i].held,
			    "step %u at %lu: %d, state %u, op %u, server %u, try %u",
			    i, steps[i].at, d, n.state, n.op, n.server, n.tries);
	}
	/* a server that stops answering keeps the name an hour at most */
	n = (struct nbt_reg){ .state = NBT_REG_WAIT, .op = NBT_OP_REFRESH,
			      .server = 1, .tries = NBT_REG_TRIES - 1,
			      .expires = NBT_REG_HELD_MAX_S * 100UL };
	t = 0;
	for (i = 0; i < 100 && n.op == NBT_OP_REFRESH; i++) {
		if ((long)(t - n.when) < 0)
			t = n.when;
		nbt_reg_due(&n, 2, t, 100);
	}
	MSFS_EXPECT(n.op == NBT_OP_REGISTER && n.server == 0 &&
		    t <= (NBT_REG_RENEW_MAX_S + NBT_REG_TRIES * NBT_REG_WAIT_S) * 100,
		    "registered afresh at %lu, op %u, server %u", t, n.op, n.server);
	/* refreshed after a retry: the server's again, for the new TTL */
	n = (struct nbt_reg){ .state = NBT_REG_RENEW, .op = NBT_OP_REFRESH,
			      .server = 1, .when = 0, .expires = 100000 };
	nbt_reg_due(&n, 2, 0, 100);
	n.trn = 77;
	MSFS_EXPECT(nbt_reg_answer(&n, &a, 10, 100) == NBT_REG_REFRESHED &&
		    n.state == NBT_REG_DONE && n.server == 1 &&
		    n.expires == 10 + 1000 * 100, "refreshed on retry");
	/* a refused name, or another host's, is not the server's */
	nbt_reg_due(&n, 2, n.when, 100);
	n.trn = 77;
	a.rcode = NBT_RCODE_ACT;
	nbt_reg_answer(&n, &a, 20, 100);
	MSFS_EXPECT(!nbt_reg_held(&n), "a conflict");
	n = (struct nbt_reg){ .state = NBT_REG_RETRY, .op = NBT_OP_REFRESH };
	MSFS_EXPECT(!nbt_reg_held(&n), "refused");
	n = (struct nbt_reg){ 0 };
	MSFS_EXPECT(!nbt_reg_held(&n), "new");
}

/* WACKs, however many, hold a registration up for a bounded time. */
static void nbt_test_reg_wacks(MSFS_TEST_CTX *test)
{
	struct nbt_ns a = {
		.trn_id = 77, .response = true, .opcode = NBT_OP_WACK,
		.ttl = NBT_REG_WACK_MAX_S,
	};
	struct nbt_reg n = { 0 };
	unsigned long now = 0;
	unsigned int sent = 0;

	/* a WACK as soon as each copy goes out, and every second after */
	for (now = 0; now < 100000 && n.state != NBT_REG_RETRY; now += 100) {
		if (nbt_reg_due(&n, 2, now, 100) == NBT_REG_SEND)
			sent++;
		n.trn = 77;
		nbt_reg_answer(&n, &a, now, 100);
	}
	MSFS_EXPECT(n.state == NBT_REG_RETRY && sent == 2 * NBT_REG_TRIES &&
		    now <= 2 * NBT_REG_TRIES * NBT_REG_WACK_MAX_S * 100 + 100,
		    "given up after %u copies, at %lu", sent, now);
}

/* What a name server's answers do: WACK, positive, negative, challenge. */
static void nbt_test_reg_answers(MSFS_TEST_CTX *test)
{
	struct nbt_ns a = {
		.trn_id = 77, .response = true, .opcode = NBT_OP_REGISTER,
		.nm_flags = NBT_NM_AA | NBT_NM_RD | NBT_NM_RA, .ttl = 300000,
	};
	struct nbt_reg n = { 0 };

	nbt_reg_due(&n, 2, 0, 100);
	n.trn = 77;
	a.trn_id = 78;
	MSFS_EXPECT(nbt_reg_answer(&n, &a, 10, 100) == NBT_REG_IGNORED,
		    "another NAME_TRN_ID");
	a.trn_id = 77;
	a.response = false;
	MSFS_EXPECT(nbt_reg_answer(&n, &a, 10, 100) == NBT_REG_IGNORED, "a request");
	a.response = true;
	a.opcode = NBT_OP_RELEASE;
	MSFS_EXPECT(nbt_reg_answer(&n, &a, 10, 100) == NBT_REG_IGNORED,
		    "a release answer");
	a.opcode = NBT_OP_WACK;
	a.ttl = 7;
	MSFS_EXPECT(nbt_reg_answer(&n, &a, 10, 100) == NBT_REG_WACKED &&
		    n.when == 710 && n.state == NBT_REG_WAIT, "WACK 7 s");
	MSFS_EXPECT(nbt_reg_answer(&n, &a, 700, 100) == NBT_REG_IGNORED &&
		    n.when == 710, "a second WACK for the same copy: ignored");
	MSFS_EXPECT(nbt_reg_due(&n, 2, 710, 100) == NBT_REG_SEND && n.tries == 1 &&
		    n.when == 710 + NBT_REG_WAIT_S * 100, "sent again after it");
	a.ttl = 100000;
	nbt_reg_answer(&n, &a, 720, 100);
	MSFS_EXPECT(n.when == 720 + NBT_REG_WACK_MAX_S * 100,
		    "WACK bounded; one for each copy sent");
	nbt_reg_due(&n, 2, n.when, 100);
	a.ttl = 0;
	nbt_reg_answer(&n, &a, 10, 100);
	MSFS_EXPECT(n.when == 110, "WACK 0: a second");
	MSFS_EXPECT(nbt_reg_due(&n, 2, 109, 100) == NBT_REG_NOTHING, "WACK waits");

	a.opcode = NBT_OP_REGISTER;
	a.ttl = 300000;
	MSFS_EXPECT(nbt_reg_answer(&n, &a, 200, 100) == NBT_REG_REGISTERED &&
		    n.state == NBT_REG_DONE &&
		    n.when == 200 + NBT_REG_REFRESH_MAX_S * 100UL,
		    "registered; refreshed within a day");
	MSFS_EXPECT(nbt_reg_answer(&n, &a, 200, 100) == NBT_REG_IGNORED,
		    "a second answer");
	n.server = 1;		/* the second server has it */
	MSFS_EXPECT(nbt_reg_due(&n, 2, n.when, 100) == NBT_REG_SEND &&
		    n.op == NBT_OP_REFRESH && n.server == 1 && !n.tries,
		    "the refresh, to the server that has it");
	a.ttl = 1000;
	a.nm_flags = NBT_NM_AA;		/* RA does not matter to a refresh */
	MSFS_EXPECT(nbt_reg_answer(&n, &a, 300, 100) == NBT_REG_REFRESHED &&
		    n.when == 300 + 500 * 100, "refreshed (opcode 5, as nmbd)");
	nbt_reg_due(&n, 2, n.when, 100);
	a.opcode = NBT_OP_REFRESH_ALT;
	a.ttl = 10;
	MSFS_EXPECT(nbt_reg_answer(&n, &a, 400, 100) == NBT_REG_REFRESHED &&
		    n.when == 400 + NBT_REG_REFRESH_MIN_S * 100, "at least a minute");

	/* a registration with RA clear: the end-node challenge */
	n = (struct nbt_reg){ 0 };
	nbt_reg_due(&n, 1, 0, 100);
	n.trn = 77;
	a.opcode = NBT_OP_REGISTER;
	MSFS_EXPECT(nbt_reg_answer(&n, &a, 5, 100) == NBT_REG_CHALLENGE &&
		    n.state == NBT_REG_RETRY &&
		    n.when == 5 + NBT_REG_REFUSED_S * 100, "end-node challenge");
	MSFS_EXPECT(nbt_reg_due(&n, 1, n.when, 100) == NBT_REG_SEND &&
		    n.op == NBT_OP_REGISTER, "tried again an hour later");
	n.trn = 77;
	a.rcode = NBT_RCODE_RFS;
	MSFS_EXPECT(nbt_reg_answer(&n, &a, 5, 100) == NBT_REG_REFUSED &&
		    n.state == NBT_REG_RETRY, "refused");
	nbt_reg_due(&n, 1, n.when, 100);
	n.trn = 77;
	a.rcode = NBT_RCODE_ACT;
	MSFS_EXPECT(nbt_reg_answer(&n, &a, 5, 100) == NBT_REG_CONFLICTED &&
		    n.state == NBT_REG_CONFLICT, "ACT_ERR: a conflict");
	MSFS_EXPECT(nbt_reg_answer(&n, &a, 6, 100) == NBT_REG_IGNORED,
		    "a conflict counted once");
	/* not fought for; after a while, asked for again (the answer may be forged) */
	MSFS_EXPECT(nbt_reg_due(&n, 1, 4 + NBT_REG_REFUSED_S * 100, 100) ==
		    NBT_REG_NOTHING, "not before the retry time");
	MSFS_EXPECT(nbt_reg_due(&n, 1, 5 + NBT_REG_REFUSED_S * 100, 100) ==
		    NBT_REG_SEND && n.state == NBT_REG_WAIT &&
		    n.op == NBT_OP_REGISTER && !n.server && !n.tries,
		    "registered afresh after the retry time");
	n.trn = 77;
	MSFS_EXPECT(nbt_reg_answer(&n, &a, 7, 100) == NBT_REG_CONFLICTED &&
		    n.when == 7 + NBT_REG_REFUSED_S * 100, "the next conflict counted");
	n = (struct nbt_reg){ .state = NBT_REG_WAIT, .trn = 77 };
	a.rcode = NBT_RCODE_CFT;
	MSFS_EXPECT(nbt_reg_answer(&n, &a, 5, 100) == NBT_REG_CONFLICTED,
		    "CFT_ERR: a conflict");
}

static const struct msfs_test nbt_tests[] = {
	{ "parse_real_datagrams", nbt_test_parse_real },
	{ "build_matches_example", nbt_test_build_matches_example },
	{ "truncated_at_every_offset", nbt_test_truncated },
	{ "field_mutations", nbt_test_mutations },
	{ "scope_and_padding", nbt_test_scope_and_padding },
	{ "names", nbt_test_names },
	{ "target_names", nbt_test_target_names },
	{ "mailslot_names", nbt_test_mailslot_names },
	{ "max_message", nbt_test_max_message },
	{ "name_service", nbt_test_name_service },
	{ "name_service_answers", nbt_test_name_service_answers },
	{ "name_reg_requests", nbt_test_name_reg_requests },
	{ "name_reg_responses", nbt_test_name_reg_responses },
	{ "group_answer", nbt_test_group_answer },
	{ "addresses", nbt_test_addresses },
	{ "wins_option", nbt_test_wins_option },
	{ "reg_timers", nbt_test_reg_timers },
	{ "reg_answers", nbt_test_reg_answers },
	{ "reg_wacks", nbt_test_reg_wacks },
	{ "reg_refresh", nbt_test_reg_refresh },
};

#endif /* _MSFS_NBT_TESTS_H */
