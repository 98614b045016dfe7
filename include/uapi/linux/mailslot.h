/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * mailslotfs: Windows mailslots as a Linux filesystem.
 *
 * The ioctls a mailslot descriptor answers, besides FIONREAD (the size of
 * the next queued message, 0 when none). See Documentation/mailslotfs.rst.
 */
#ifndef _UAPI_LINUX_MAILSLOT_H
#define _UAPI_LINUX_MAILSLOT_H

#include <linux/ioctl.h>
#include <linux/types.h>

/* statfs(2) f_type of a mailslotfs mount ("MSLT") */
#define MAILSLOTFS_MAGIC	0x4d534c54

/* mailslot_info.next_size when nothing is queued (Windows' value) */
#define MAILSLOT_NO_MESSAGE	0xffffffffU
/* a read timeout that never expires (Windows' MAILSLOT_WAIT_FOREVER) */
#define MAILSLOT_WAIT_FOREVER	(-1)

/* mailslot_info.flags */
#define MAILSLOT_INFO_SERVER	0x1	/* asked through the server descriptor */
#define MAILSLOT_INFO_ORPHANED	0x2	/* the server has closed the slot */
#define MAILSLOT_INFO_NO_REMOTE	0x4	/* the slot refuses remote messages */

/**
 * struct mailslot_info - what GetMailslotInfo() reports, and more
 * @max_msg_size: largest message the slot accepts, in bytes
 * @next_size: length of the next message, or %MAILSLOT_NO_MESSAGE
 * @msg_count: messages queued
 * @read_timeout: read timeout in milliseconds, %MAILSLOT_WAIT_FOREVER or 0
 * @queued_bytes: payload bytes queued (also st_size)
 * @quota_bytes: payload bytes the slot may hold
 * @max_msgs: messages the slot may hold
 * @flags: %MAILSLOT_INFO_SERVER, %MAILSLOT_INFO_ORPHANED,
 *	%MAILSLOT_INFO_NO_REMOTE
 * @drops: remote datagrams for this slot that were dropped
 * @__reserved: zero
 */
struct mailslot_info {
	__u32 max_msg_size;
	__u32 next_size;
	__u32 msg_count;
	__s32 read_timeout;
	__u64 queued_bytes;
	__u64 quota_bytes;
	__u32 max_msgs;
	__u32 flags;
	__u64 drops;
	__u64 __reserved[4];
};

/* mailslot_recv.origin */
#define MAILSLOT_ORIGIN_LOCAL	1	/* written through the filesystem */
#define MAILSLOT_ORIGIN_REMOTE	2	/* received as a NetBIOS datagram */

/* mailslot_recv.flags */
#define MAILSLOT_RECV_PEEK	0x1	/* copy the message, leave it queued */

/* NetBIOS names: 15 characters, a suffix byte, as on the wire (decoded) */
#define MAILSLOT_NB_NAME_LEN	16

/**
 * struct mailslot_recv - one message and who sent it
 * @buf: user address of the buffer the message is copied to
 * @buf_len: size of that buffer
 * @msg_len: length of the message; also set when the call fails with
 *	EMSGSIZE because @buf_len is too small (the message stays queued)
 * @flags: in: 0 or %MAILSLOT_RECV_PEEK
 * @origin: %MAILSLOT_ORIGIN_LOCAL or %MAILSLOT_ORIGIN_REMOTE
 * @recv_time_ns: CLOCK_REALTIME when the message was queued
 * @pid: local writer's process id in the caller's pid namespace
 *	(0 when the writer is not visible there)
 * @uid: local writer's effective uid in the caller's user namespace;
 *	(__u32)-1 for a remote message
 * @gid: local writer's effective gid in the caller's user namespace;
 *	(__u32)-1 for a remote message
 * @src_addr: remote sender's IPv4 address (network byte order)
 * @src_port: remote sender's UDP port (network byte order)
 * @__pad: zero
 * @src_name: remote sender's NetBIOS name, as claimed by the datagram:
 *	15 characters padded with spaces, then the suffix byte
 * @dst_name: NetBIOS name the datagram was addressed to, the same way
 * @__reserved: zero
 *
 * Sender fields of the other origin are zero (but @uid and @gid, above).
 */
struct mailslot_recv {
	__u64 buf;
	__u32 buf_len;
	__u32 msg_len;
	__u32 flags;
	__u32 origin;
	__s64 recv_time_ns;
	__s32 pid;
	__u32 uid;
	__u32 gid;
	__be32 src_addr;
	__be16 src_port;
	__u16 __pad;
	char src_name[MAILSLOT_NB_NAME_LEN];
	char dst_name[MAILSLOT_NB_NAME_LEN];
	__u32 __reserved[5];
};

#define MAILSLOT_IOC_MAGIC	0xB8
/* GetMailslotInfo: any descriptor of the slot */
#define MAILSLOT_IOC_GET_INFO	_IOR(MAILSLOT_IOC_MAGIC, 1, struct mailslot_info)
/* SetMailslotInfo: the server; milliseconds, MAILSLOT_WAIT_FOREVER or 0 */
#define MAILSLOT_IOC_SET_TIMEOUT _IOW(MAILSLOT_IOC_MAGIC, 2, __s32)
/* read one message with its sender: the server */
#define MAILSLOT_IOC_RECV	_IOWR(MAILSLOT_IOC_MAGIC, 3, struct mailslot_recv)
/* the server: 1 accepts remote messages (the default), 0 refuses them */
#define MAILSLOT_IOC_SET_REMOTE	_IOW(MAILSLOT_IOC_MAGIC, 4, __u32)
/*
 * The server: the slot's largest message in bytes, CreateMailslot()'s
 * nMaxMessageSize, at any time, up or down. 0, or anything above the
 * largest the slot was made with (GET_INFO's max_msg_size then), is that
 * maximum (Windows' "any size"); GET_INFO reports what applies. Messages
 * already queued stay; a writer waiting for room gets EMSGSIZE if its
 * message is now too large.
 */
#define MAILSLOT_IOC_SET_MAX_SIZE _IOW(MAILSLOT_IOC_MAGIC, 5, __u32)

#endif /* _UAPI_LINUX_MAILSLOT_H */
