// SPDX-License-Identifier: GPL-2.0
/*
 * mailslot: a small command-line tool for mailslotfs.
 *
 *   mailslot serve PATH [-n COUNT] [-t MS] [-d SECONDS] [-x]
 *	create the slot PATH and print every message with its sender (a
 *	process, or an address and NetBIOS names); stop after COUNT
 *	messages, or when a read waits longer than MS milliseconds; -d
 *	waits SECONDS before the first read; -x prints messages in hex
 *   mailslot send PATH MESSAGE...
 *	write each MESSAGE to the slot as one message
 *   mailslot info PATH
 *	print what GetMailslotInfo would (opens PATH as a client)
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <linux/mailslot.h>

static int bad_usage(void)
{
	fprintf(stderr,
		"usage: mailslot serve PATH [-n COUNT] [-t MS] [-d SECONDS] [-x]\n"
		"       mailslot send PATH MESSAGE...\n"
		"       mailslot info PATH\n");
	return 2;
}

/* A NetBIOS name as nmblookup writes it: NAME<xx>. */
static void print_nbname(const char *n)
{
	int end = 15;

	while (end > 0 && (n[end - 1] == ' ' || !n[end - 1]))
		end--;
	printf("%.*s<%02x>", end, n, (unsigned char)n[15]);
}

static void print_message(const struct mailslot_recv *r, const char *buf,
			  int hex)
{
	struct in_addr a = { .s_addr = r->src_addr };
	time_t t = r->recv_time_ns / 1000000000LL;
	unsigned int i, len;
	char when[32];

	strftime(when, sizeof(when), "%H:%M:%S", localtime(&t));
	printf("[%s] %u bytes from ", when, r->msg_len);
	if (r->origin == MAILSLOT_ORIGIN_REMOTE) {
		printf("%s:%u ", inet_ntoa(a), ntohs(r->src_port));
		print_nbname(r->src_name);
		printf(" to ");
		print_nbname(r->dst_name);
	} else {
		printf("pid %d uid %u", r->pid, r->uid);
	}
	printf(hex ? ":" : ": \"");
	len = r->msg_len;
	if (!hex && len && buf[len - 1] == '\n')
		len--;	/* echo's newline */
	for (i = 0; i < len; i++) {
		if (hex)
			printf(" %02x", (unsigned char)buf[i]);
		else
			putchar(isprint((unsigned char)buf[i]) ? buf[i] : '.');
	}
	printf(hex ? "\n" : "\"\n");
	fflush(stdout);
}

static int serve(const char *path, long count, int timeout_ms, int delay,
		 int hex)
{
	static char buf[1 << 20];
	struct mailslot_recv r;
	__s32 ms = timeout_ms;
	long n;
	int fd;

	fd = open(path, O_RDONLY | O_CREAT | O_EXCL, 0666);
	if (fd < 0) {
		perror(path);
		return 1;
	}
	if (timeout_ms >= 0 && ioctl(fd, MAILSLOT_IOC_SET_TIMEOUT, &ms)) {
		perror("MAILSLOT_IOC_SET_TIMEOUT");
		return 1;
	}
	printf("serving %s\n", path);
	fflush(stdout);
	if (delay)
		sleep(delay);
	for (n = 0; count < 0 || n < count; n++) {
		memset(&r, 0, sizeof(r));
		r.buf = (unsigned long)buf;
		r.buf_len = sizeof(buf);
		if (ioctl(fd, MAILSLOT_IOC_RECV, &r) < 0) {
			if (errno == EAGAIN)
				break;
			perror("MAILSLOT_IOC_RECV");
			return 1;
		}
		print_message(&r, buf, hex);
	}
	close(fd);
	return 0;
}

static int send_all(const char *path, char **msgs, int n)
{
	int fd, i;

	fd = open(path, O_WRONLY);
	if (fd < 0) {
		perror(path);
		return 1;
	}
	for (i = 0; i < n; i++) {
		if (write(fd, msgs[i], strlen(msgs[i])) < 0) {
			perror("write");
			return 1;
		}
	}
	close(fd);
	return 0;
}

static int info(const char *path)
{
	struct mailslot_info mi;
	int fd;

	fd = open(path, O_WRONLY);
	if (fd < 0 || ioctl(fd, MAILSLOT_IOC_GET_INFO, &mi)) {
		perror(path);
		return 1;
	}
	printf("%s:\n", path);
	printf("  messages queued  %u (%llu bytes)\n", mi.msg_count,
	       (unsigned long long)mi.queued_bytes);
	if (mi.next_size == MAILSLOT_NO_MESSAGE)
		printf("  next message     none\n");
	else
		printf("  next message     %u bytes\n", mi.next_size);
	printf("  largest message  %u bytes\n", mi.max_msg_size);
	printf("  quota            %u messages, %llu bytes\n", mi.max_msgs,
	       (unsigned long long)mi.quota_bytes);
	if (mi.read_timeout == MAILSLOT_WAIT_FOREVER)
		printf("  read timeout     forever\n");
	else
		printf("  read timeout     %d ms\n", mi.read_timeout);
	printf("  remote drops     %llu\n", (unsigned long long)mi.drops);
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	long count = -1;
	int timeout = -1, delay = 0, hex = 0, opt;

	if (argc < 3)
		return bad_usage();
	if (!strcmp(argv[1], "send"))
		return argc < 4 ? bad_usage() : send_all(argv[2], argv + 3, argc - 3);
	if (!strcmp(argv[1], "info"))
		return argc != 3 ? bad_usage() : info(argv[2]);
	if (strcmp(argv[1], "serve"))
		return bad_usage();
	optind = 3;
	while ((opt = getopt(argc, argv, "n:t:d:x")) != -1) {
		switch (opt) {
		case 'n':
			count = atol(optarg);
			break;
		case 't':
			timeout = atoi(optarg);
			break;
		case 'd':
			delay = atoi(optarg);
			break;
		case 'x':
			hex = 1;
			break;
		default:
			return bad_usage();
		}
	}
	return serve(argv[2], count, timeout, delay, hex);
}
