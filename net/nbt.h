/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mailslotfs: NetBIOS over TCP/IP packets (RFC 1001/1002) and the SMB
 * mailslot write they carry ([MS-MAIL]): parsers and builders. Pure code,
 * also built in userspace for unit tests and fuzzing. Every length and
 * offset is checked against the packet; what does not add up is rejected,
 * never guessed at.
 */
#ifndef _MSFS_NBT_H
#define _MSFS_NBT_H

#include "../common/pure.h"

#define NBT_NS_PORT		137	/* name service */
#define NBT_DGM_PORT		138	/* datagram service */

#define NBT_NAME_LEN		16	/* 15 characters and a suffix */
#define NBT_SCOPE_MAX		223	/* a whole encoded name fits in 255 */

/* datagram types (RFC 1002 4.4.1) */
#define NBT_DIRECT_UNIQUE	0x10
#define NBT_DIRECT_GROUP	0x11
#define NBT_BROADCAST		0x12
#define NBT_DGM_ERROR		0x13
#define NBT_DGM_QUERY_NEG	0x16

/* datagram FLAGS */
#define NBT_F_MORE		0x01
#define NBT_F_FIRST		0x02
#define NBT_F_BNODE		0x00	/* SNT 00: B node */

#define NBT_DGM_HDR		14
#define NBT_SMB_HDR		32
#define NBT_SMB_NAME_OFF	69	/* MailslotName, from the SMB header */
#define NBT_MAILSLOT_PREFIX	"\\MAILSLOT\\"
#define NBT_MAILSLOT_PREFIX_LEN	10
#define NBT_MAILSLOT_NAME_MAX	255	/* what follows the prefix */
#define NBT_DGM_MAX		2048	/* larger UDP payloads are not datagrams */

/* broadcast and group writes: Windows' limit (MS-MAIL 2.1 and <2>) */
#define NBT_BROADCAST_MAX_MSG	424

/* name suffixes */
#define NBT_WORKSTATION		0x00
#define NBT_MESSENGER		0x03
#define NBT_SERVER		0x20
#define NBT_MASTER_BROWSER	0x1d
#define NBT_BROWSERS		0x1e

/**
 * struct nbt_name - a NetBIOS name as the wire carries it
 * @name: 15 bytes padded with spaces and the suffix; "*" is '*' and 15 NULs
 * @scope_len: length of @scope
 * @scope: the scope, dotted ("corp.example"), not NUL-terminated
 */
struct nbt_name {
	u8 name[NBT_NAME_LEN];
	u8 scope_len;
	char scope[NBT_SCOPE_MAX];
};

/* why a packet is not delivered; each is a counter */
enum nbt_verdict {
	NBT_MALFORMED = 1,	/* lengths, offsets, names or fields do not add up */
	NBT_FRAGMENT,		/* M set or F clear: nobody sends fragments */
	NBT_NOT_MAILSLOT,	/* a valid packet, but not a mailslot write */
};

/**
 * struct nbt_dgram - a mailslot write received as a datagram
 * @type: %NBT_DIRECT_UNIQUE, %NBT_DIRECT_GROUP or %NBT_BROADCAST
 * @flags: FLAGS
 * @dgm_id: DGM_ID
 * @src_ip: SOURCE_IP (host order), as claimed by the sender
 * @src_port: SOURCE_PORT (host order)
 * @src: SOURCE_NAME
 * @dst: DESTINATION_NAME
 * @mailslot: the name after "\MAILSLOT\", in the packet, not terminated
 * @mailslot_len: its length
 * @data: the message, in the packet
 * @data_len: its length
 */
struct nbt_dgram {
	u8 type;
	u8 flags;
	u16 dgm_id;
	u32 src_ip;
	u16 src_port;
	struct nbt_name src;
	struct nbt_name dst;
	const char *mailslot;
	size_t mailslot_len;
	const u8 *data;
	size_t data_len;
};

int nbt_parse_dgram(const u8 *p, size_t len, struct nbt_dgram *d);

/**
 * struct nbt_dgram_tx - a mailslot write to send
 * @type: %NBT_DIRECT_UNIQUE or %NBT_DIRECT_GROUP
 * @dgm_id: DGM_ID
 * @src_ip: SOURCE_IP (host order): the sending interface's address
 * @src: SOURCE_NAME
 * @dst: DESTINATION_NAME
 * @mailslot: the name after "\MAILSLOT\", levels separated by '\'
 * @mailslot_len: its length
 * @data: the message
 * @data_len: its length
 */
struct nbt_dgram_tx {
	u8 type;
	u16 dgm_id;
	u32 src_ip;
	const struct nbt_name *src;
	const struct nbt_name *dst;
	const char *mailslot;
	size_t mailslot_len;
	const u8 *data;
	size_t data_len;
};

int nbt_build_dgram(u8 *buf, size_t size, const struct nbt_dgram_tx *t);
size_t nbt_max_message(size_t mailslot_len, bool broadcast);
bool nbt_mailslot_name_ok(const char *name, size_t len);

int nbt_make_name(struct nbt_name *n, const char *text, size_t len, u8 suffix);
int nbt_make_target_name(struct nbt_name *n, const char *text, size_t len);
bool nbt_name_eq(const struct nbt_name *a, const struct nbt_name *b);
bool nbt_name_is_star(const struct nbt_name *n);

/* name service (RFC 1002 4.2) */

#define NBT_NS_HDR		12
#define NBT_QTYPE_NB		0x0020
#define NBT_QTYPE_NBSTAT	0x0021
#define NBT_QCLASS_IN		0x0001
#define NBT_NB_GROUP		0x8000	/* NB_FLAGS and NAME_FLAGS: a group name */
#define NBT_NAME_ACTIVE		0x0400	/* NAME_FLAGS: ACT */
#define NBT_NB_ONT_H		0x6000	/* NB_FLAGS ONT: an H node (Microsoft's) */
#define NBT_NS_MAX_NAMES	16	/* names a node status response carries here */
#define NBT_NS_MAX_ADDRS	25	/* addresses a name query response keeps */

/* OPCODE (RFC 1002 4.2.1.1) */
#define NBT_OP_QUERY		0
#define NBT_OP_REGISTER		5
#define NBT_OP_RELEASE		6
#define NBT_OP_WACK		7
#define NBT_OP_REFRESH		8
#define NBT_OP_REFRESH_ALT	9	/* what some NBNSs answer a refresh with */

/* RCODE of a negative response */
#define NBT_RCODE_FMT		1	/* format error */
#define NBT_RCODE_SRV		2	/* server failure */
#define NBT_RCODE_NAM		3	/* no such name */
#define NBT_RCODE_IMP		4	/* not implemented */
#define NBT_RCODE_RFS		5	/* refused */
#define NBT_RCODE_ACT		6	/* active: the name is owned by another node */
#define NBT_RCODE_CFT		7	/* in conflict */

/**
 * struct nbt_ns - a name service packet: query, node status, or answer
 * @trn_id: NAME_TRN_ID
 * @response: R bit
 * @opcode: OPCODE (0: query)
 * @nm_flags: NM_FLAGS (AA 0x40, TC 0x20, RD 0x10, RA 0x08, B 0x01)
 * @rcode: RCODE
 * @qtype: %NBT_QTYPE_NB or %NBT_QTYPE_NBSTAT
 * @name: the question's name, or the answer's
 * @ttl: a response's TTL, in seconds (a WACK: how long to wait)
 * @nb_flags: a positive name query, registration, refresh or release
 *	response: NB_FLAGS of the first address
 * @addr: its NB_ADDRESS (host order)
 * @naddrs: a positive name query response: the addresses it lists (at
 *	most %NBT_NS_MAX_ADDRS are kept)
 * @addrs: their NB_ADDRESSes (host order), in the packet's order
 * @wack_flags: a WACK: the 16 bits after NAME_TRN_ID of the request it
 *	answers (its OPCODE and NM_FLAGS)
 * @num_names: a node status response: the names it lists (at most
 *	%NBT_NS_MAX_NAMES are kept)
 * @names: their 16 bytes
 * @name_flags: their NAME_FLAGS
 */
struct nbt_ns {
	u16 trn_id;
	bool response;
	u8 opcode;
	u8 nm_flags;
	u8 rcode;
	u16 qtype;
	struct nbt_name name;
	u32 ttl;
	u16 nb_flags;
	u32 addr;
	unsigned int naddrs;
	u32 addrs[NBT_NS_MAX_ADDRS];
	u16 wack_flags;
	unsigned int num_names;
	u8 names[NBT_NS_MAX_NAMES][NBT_NAME_LEN];
	u16 name_flags[NBT_NS_MAX_NAMES];
};

#define NBT_NM_AA		0x40
#define NBT_NM_RD		0x10
#define NBT_NM_RA		0x08
#define NBT_NM_B		0x01

int nbt_parse_ns(const u8 *p, size_t len, struct nbt_ns *ns);
int nbt_build_name_query(u8 *buf, size_t size, u16 trn_id,
			 const struct nbt_name *name, bool broadcast);
int nbt_build_node_status_query(u8 *buf, size_t size, u16 trn_id);
int nbt_build_name_query_response(u8 *buf, size_t size, u16 trn_id,
				  const struct nbt_name *name, u16 nb_flags,
				  u32 addr);
int nbt_build_name_reg(u8 *buf, size_t size, u16 trn_id, u8 opcode,
		       const struct nbt_name *name, u16 nb_flags, u32 ttl,
		       u32 addr);
int nbt_build_node_status_response(u8 *buf, size_t size, u16 trn_id,
				   const u8 *names, const u16 *flags,
				   unsigned int n);

/* wins_fsm.c: the registration of one name with the name servers */

#define NBT_REG_TRIES		3	/* RFC 1002 UCAST_REQ_RETRY_COUNT */
#define NBT_REG_WAIT_S		5	/* RFC 1002 UCAST_REQ_RETRY_TIMEOUT */
#define NBT_REG_WACK_MAX_S	120
#define NBT_REG_RETRY_S		300	/* no server answered */
#define NBT_REG_REFUSED_S	3600	/* a server refused, or said conflict */
#define NBT_REG_REFRESH_MIN_S	60
#define NBT_REG_REFRESH_MAX_S	86400
#define NBT_REG_HELD_MAX_S	604800	/* a TTL longer (or 0): a week */
#define NBT_REG_RENEW_MAX_S	3600	/* refreshes unanswered: another server */

enum nbt_reg_state {
	NBT_REG_IDLE,		/* to be registered */
	NBT_REG_WAIT,		/* a request is out */
	NBT_REG_DONE,		/* registered; refreshed at @when */
	NBT_REG_RETRY,		/* registered again at @when */
	NBT_REG_RENEW,		/* its refresh unanswered: again at @when */
	NBT_REG_CONFLICT,	/* another host's: registered again at @when */
};

/**
 * struct nbt_reg - one name at the name servers
 * @state: enum nbt_reg_state
 * @op: what is (or was last) asked: %NBT_OP_REGISTER or %NBT_OP_REFRESH
 * @tries: copies of the request sent to this server, but the first
 * @server: the index of the server asked (or that has the name)
 * @wacked: a WACK was taken for the copy of the request last sent
 * @trn: NAME_TRN_ID of the request out (the caller's to choose)
 * @addr: the address registered (host order; the caller's)
 * @when: the request's deadline, the refresh, or the new try
 * @expires: when the server that has the name lets it go, unrefreshed
 */
struct nbt_reg {
	u8 state;
	u8 op;
	u8 tries;
	u8 server;
	u8 wacked;
	u16 trn;
	u32 addr;
	unsigned long when;
	unsigned long expires;
};

enum nbt_reg_do {
	NBT_REG_NOTHING,
	NBT_REG_SEND,
	NBT_REG_GAVE_UP,
};

enum nbt_reg_outcome {
	NBT_REG_IGNORED,
	NBT_REG_WACKED,
	NBT_REG_REGISTERED,
	NBT_REG_REFRESHED,
	NBT_REG_CONFLICTED,
	NBT_REG_REFUSED,
	NBT_REG_CHALLENGE,
};

enum nbt_reg_do nbt_reg_due(struct nbt_reg *n, unsigned int nservers,
			    unsigned long now, unsigned long hz);
bool nbt_reg_held(const struct nbt_reg *n);
enum nbt_reg_outcome nbt_reg_answer(struct nbt_reg *n, const struct nbt_ns *a,
				    unsigned long now, unsigned long hz);

/* addr.c: addresses as mount options and remote targets write them */

/**
 * struct msfs_cidr - an IPv4 network
 * @addr: its address (host order), host bits zero
 * @mask: its netmask (host order)
 */
struct msfs_cidr {
	u32 addr;
	u32 mask;
};

int msfs_parse_ipv4(const char *s, size_t len, u32 *addr);
int msfs_parse_cidrs(const char *s, struct msfs_cidr *out, unsigned int max);
bool msfs_cidrs_match(const struct msfs_cidr *c, unsigned int n, u32 addr);
int msfs_parse_wins(const char *s, u32 *out, unsigned int max);

#endif /* _MSFS_NBT_H */
