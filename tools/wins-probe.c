// SPDX-License-Identifier: GPL-2.0
/*
 * wins-probe: net/nbt.c's WINS packets against a real NetBIOS name server,
 * from userspace, so that what the module sends and parses can be checked
 * against Samba's nmbd on the host, without booting a guest
 * (tools/wins-interop runs it). One request, then every answer for WAIT
 * seconds, one line each:
 *
 *   wins-probe SERVER register|refresh|release NAME#hh ADDR [group]
 *   wins-probe SERVER query NAME#hh
 *   wins-probe - answer NAME#hh ADDR SECONDS
 *
 * register, refresh and release are sent from UDP 137 (as the module
 * does); "answer" answers name queries for NAME as recv.c does (the
 * server's challenge). Lines: "wack TTL FLAGS", "answer OPCODE RCODE RA
 * TTL NB_FLAGS ADDR...", "challenged", or "timeout".
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "../net/nbt.h"

static int udp_socket(u16 port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(port) };
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	if (fd < 0 || bind(fd, (struct sockaddr *)&sin, sizeof(sin))) {
		perror("wins-probe: socket");
		exit(2);
	}
	return fd;
}

static void send_to(int fd, u32 addr, u16 port, const u8 *buf, int len)
{
	struct sockaddr_in sin = {
		.sin_family = AF_INET, .sin_port = htons(port),
		.sin_addr.s_addr = htonl(addr),
	};

	if (len < 0 || sendto(fd, buf, len, 0, (struct sockaddr *)&sin,
			      sizeof(sin)) != len) {
		perror("wins-probe: sendto");
		exit(2);
	}
}

static void print_answer(const struct nbt_ns *a)
{
	unsigned int i;

	if (a->opcode == NBT_OP_WACK) {
		printf("wack %u %04x\n", a->ttl, a->wack_flags);
		return;
	}
	printf("answer %u %u %d %u %04x", a->opcode, a->rcode,
	       !!(a->nm_flags & NBT_NM_RA), a->ttl, a->nb_flags);
	for (i = 0; i < a->naddrs; i++)
		printf(" %u.%u.%u.%u", a->addrs[i] >> 24, (a->addrs[i] >> 16) & 255,
		       (a->addrs[i] >> 8) & 255, a->addrs[i] & 255);
	printf("\n");
}

/* Print each answer to @trn from @server for @secs; 0 if any came. */
static int answers(int fd, u32 server, u16 trn, int secs)
{
	static u8 buf[NBT_DGM_MAX];
	struct sockaddr_in from;
	socklen_t flen;
	struct pollfd p = { .fd = fd, .events = POLLIN };
	time_t end = time(NULL) + secs;
	struct nbt_ns a;
	int n, got = 0;

	while (time(NULL) < end && poll(&p, 1, 1000) >= 0) {
		if (!(p.revents & POLLIN))
			continue;
		flen = sizeof(from);
		n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &flen);
		if (n < 0 || ntohl(from.sin_addr.s_addr) != server ||
		    nbt_parse_ns(buf, n, &a) || !a.response || a.trn_id != trn)
			continue;
		print_answer(&a);
		fflush(stdout);
		got = 1;
		if (a.opcode != NBT_OP_WACK)
			return 0;
	}
	if (!got)
		printf("timeout\n");
	return !got;
}

/* Answer name queries for @name at @addr for @secs, as recv.c does. */
static int answer(const struct nbt_name *name, u32 addr, int secs)
{
	static u8 buf[NBT_DGM_MAX], out[NBT_DGM_MAX];
	int fd = udp_socket(NBT_NS_PORT), n;
	struct sockaddr_in from;
	socklen_t flen;
	time_t end = time(NULL) + secs;
	struct nbt_ns q;

	while (time(NULL) < end) {
		struct pollfd p = { .fd = fd, .events = POLLIN };

		if (poll(&p, 1, 1000) <= 0)
			continue;
		flen = sizeof(from);
		n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &flen);
		if (n < 0 || nbt_parse_ns(buf, n, &q) || q.response ||
		    q.qtype != NBT_QTYPE_NB || !nbt_name_eq(&q.name, name))
			continue;
		n = nbt_build_name_query_response(out, sizeof(out), q.trn_id, name,
						  NBT_NB_ONT_H, addr);
		send_to(fd, ntohl(from.sin_addr.s_addr), ntohs(from.sin_port), out, n);
		printf("challenged\n");
		fflush(stdout);
	}
	return 0;
}

int main(int argc, char **argv)
{
	static u8 pkt[NBT_DGM_MAX];
	struct nbt_name name;
	u32 server = 0, addr = 0;
	u16 trn = (u16)(getpid() ^ time(NULL));
	int fd, len, op;

	if (argc < 4 || nbt_make_target_name(&name, argv[3], strlen(argv[3])) ||
	    (strcmp(argv[1], "-") &&
	     msfs_parse_ipv4(argv[1], strlen(argv[1]), &server)) ||
	    (argc > 4 && msfs_parse_ipv4(argv[4], strlen(argv[4]), &addr))) {
		fprintf(stderr, "usage: wins-probe SERVER %s NAME#hh [ADDR [group]]\n"
			"       wins-probe - answer NAME#hh ADDR SECONDS\n",
			"register|refresh|release|query");
		return 2;
	}
	if (!strcmp(argv[2], "answer"))
		return answer(&name, addr, argc > 5 ? atoi(argv[5]) : 30);
	if (!strcmp(argv[2], "query")) {
		fd = udp_socket(0);
		len = nbt_build_name_query(pkt, sizeof(pkt), trn, &name, false);
		send_to(fd, server, NBT_NS_PORT, pkt, len);
		return answers(fd, server, trn, 5);
	}
	op = !strcmp(argv[2], "register") ? NBT_OP_REGISTER :
	     !strcmp(argv[2], "refresh") ? NBT_OP_REFRESH :
	     !strcmp(argv[2], "release") ? NBT_OP_RELEASE : -1;
	if (op < 0 || argc < 5)
		return 2;
	fd = udp_socket(NBT_NS_PORT);
	len = nbt_build_name_reg(pkt, sizeof(pkt), trn, op, &name,
				 NBT_NB_ONT_H | (argc > 5 ? NBT_NB_GROUP : 0),
				 300000, addr);
	send_to(fd, server, NBT_NS_PORT, pkt, len);
	return answers(fd, server, trn, 20);
}
