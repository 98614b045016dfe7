// SPDX-License-Identifier: GPL-2.0
/*
 * mailslotfs: open slot files.
 *
 * The open that creates a slot (O_RDONLY | O_CREAT) is its server, the
 * only reader; every other open is a client, write-only. The role belongs
 * to the open file description: dups, forks and SCM_RIGHTS copies share
 * it. A server file is the only one with FMODE_READ.
 */
#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/pid.h>
#include <linux/poll.h>
#include <linux/sched/signal.h>
#include <linux/string.h>
#include <linux/seq_file.h>
#include <linux/uaccess.h>
#include <linux/uio.h>

#include "internal.h"
#include "compat.h"

static struct msfs_slot *msfs_file_slot(const struct file *file)
{
	return MSFS_SLOT(file_inode(file));
}

static bool msfs_is_server(const struct file *file)
{
	return file->f_mode & FMODE_READ;
}

static int msfs_slot_open(struct inode *inode, struct file *file)
{
	switch (file->f_flags & O_ACCMODE) {
	case O_RDONLY:
		/* only the creating open reads; a live slot has its server */
		if (!(file->f_mode & FMODE_CREATED))
			return -EBUSY;
		break;
	case O_WRONLY:
		if (READ_ONCE(MSFS_SLOT(inode)->dead))
			return -ENOENT;
		break;
	default:
		return -EINVAL;
	}
	return stream_open(inode, file);
}

/* The last close of the server: the slot and its queue go. */
static int msfs_slot_release(struct inode *inode, struct file *file)
{
	if (msfs_is_server(file)) {
		msfs_remove_name(file->f_path.dentry);
		msfs_slot_kill(MSFS_SLOT(inode));
	}
	return 0;
}

static int msfs_copy_to_iter(const struct msfs_msg *msg, void *arg)
{
	return msfs_msg_copy_out(msg, arg);
}

/* One read() is one whole message. */
static ssize_t msfs_read_iter(struct kiocb *iocb, struct iov_iter *to)
{
	struct msfs_rx rx = {
		.buf_len = iov_iter_count(to),
		.nonblock = iocb->ki_filp->f_flags & O_NONBLOCK,
		.copy = msfs_copy_to_iter,
		.arg = to,
	};

	return msfs_dequeue(msfs_file_slot(iocb->ki_filp), &rx);
}

/* A local message: its writer, and whom it is charged to. */
static int msfs_sender_current(struct msfs_msg *msg, struct msfs_sb_info *sbi)
{
	msg->gid = current_egid();
	msg->user = msfs_user_get(sbi, current_euid());
	if (!msg->user)
		return -ENOMEM;
	msg->pid = get_pid(task_tgid(current));
	return 0;
}

/*
 * A client's poll reports room for its last write: the size it last tried
 * to write, done or not (0 before the first), is kept in the file.
 */
static size_t msfs_last_write(const struct file *file)
{
	return (uintptr_t)READ_ONCE(file->private_data);
}

/* One write() is one whole message. */
static ssize_t msfs_write_iter(struct kiocb *iocb, struct iov_iter *from)
{
	struct file *file = iocb->ki_filp;
	struct msfs_slot *slot = msfs_file_slot(file);
	size_t len = iov_iter_count(from);
	struct msfs_msg *msg;
	int err = -EPIPE;

	if (READ_ONCE(slot->dead))
		goto out;
	if (len > READ_ONCE(slot->max_msg_size))
		return -EMSGSIZE;
	WRITE_ONCE(file->private_data, (void *)(uintptr_t)len);
	msg = msfs_msg_alloc(len, false, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	err = msfs_msg_copy_in(msg, from);
	if (err)
		goto free;
	err = msfs_sender_current(msg, MSFS_SB(file_inode(file)->i_sb));
	if (err)
		goto free;
	err = msfs_enqueue(slot, msg, file->f_flags & O_NONBLOCK);
	if (err)
		goto out;	/* msfs_enqueue() freed it */
	return len;
free:
	msfs_msg_free(msg);
out:
	if (err == -EPIPE)
		send_sig(SIGPIPE, current, 0);
	return err;
}

static __poll_t msfs_poll(struct file *file, poll_table *wait)
{
	struct msfs_slot *slot = msfs_file_slot(file);
	bool server = msfs_is_server(file);

	poll_wait(file, server ? &slot->rwait : &slot->wwait, wait);
	return msfs_slot_poll(slot, server, msfs_last_write(file));
}

static void msfs_file_info(struct file *file, struct mailslot_info *info)
{
	msfs_slot_info(msfs_file_slot(file), info);
	if (msfs_is_server(file))
		info->flags |= MAILSLOT_INFO_SERVER;
}

static int msfs_ioc_get_info(struct file *file, void __user *arg)
{
	struct mailslot_info info;

	msfs_file_info(file, &info);
	return copy_to_user(arg, &info, sizeof(info)) ? -EFAULT : 0;
}

static int msfs_ioc_set_timeout(struct file *file, s32 __user *arg)
{
	s32 ms;

	if (get_user(ms, arg))
		return -EFAULT;
	return msfs_set_read_timeout(msfs_file_slot(file), ms);
}

static int msfs_ioc_set_remote(struct file *file, u32 __user *arg)
{
	struct msfs_slot *slot = msfs_file_slot(file);
	u32 on;

	if (get_user(on, arg))
		return -EFAULT;
	if (on > 1)
		return -EINVAL;
	WRITE_ONCE(slot->no_remote, !on);
	return 0;
}

static int msfs_ioc_set_max_size(struct file *file, u32 __user *arg)
{
	u32 size;

	if (get_user(size, arg))
		return -EFAULT;
	msfs_set_max_msg_size(msfs_file_slot(file), size);
	return 0;
}

struct msfs_recv_arg {
	struct mailslot_recv req;
	struct mailslot_recv __user *uarg;
};

/* Describe @msg in @req, keeping only the caller's inputs. */
static void msfs_fill_recv(struct mailslot_recv *req,
			   const struct msfs_msg *msg)
{
	struct user_namespace *ns = current_user_ns();
	struct mailslot_recv in = *req;
	const struct msfs_from_remote *from;

	memset(req, 0, sizeof(*req));
	req->buf = in.buf;
	req->buf_len = in.buf_len;
	req->flags = in.flags;
	req->msg_len = msg->len;
	req->origin = msg->remote ? MAILSLOT_ORIGIN_REMOTE : MAILSLOT_ORIGIN_LOCAL;
	req->recv_time_ns = ktime_to_ns(msg->stamp);
	if (msg->remote) {
		from = msfs_msg_remote(msg);
		req->src_addr = htonl(from->addr);
		req->src_port = htons(from->port);
		memcpy(req->src_name, from->src_name, sizeof(req->src_name));
		memcpy(req->dst_name, from->dst_name, sizeof(req->dst_name));
		req->uid = (u32)-1;	/* no local user: never root's 0 */
		req->gid = (u32)-1;
		return;
	}
	req->pid = pid_vnr(msg->pid);
	req->uid = from_kuid_munged(ns, msg->user->uid);
	req->gid = from_kgid_munged(ns, msg->gid);
}

/* Both the payload and the description must reach the caller. */
static int msfs_copy_recv(const struct msfs_msg *msg, void *arg)
{
	struct msfs_recv_arg *a = arg;

	msfs_fill_recv(&a->req, msg);
	if (msfs_msg_copy_to_user(msg, u64_to_user_ptr(a->req.buf)) ||
	    copy_to_user(a->uarg, &a->req, sizeof(a->req)))
		return -EFAULT;
	return 0;
}

static long msfs_ioc_recv(struct file *file, struct mailslot_recv __user *uarg)
{
	struct msfs_recv_arg a = { .uarg = uarg };
	struct msfs_rx rx = {
		.nonblock = file->f_flags & O_NONBLOCK,
		.copy = msfs_copy_recv,
		.arg = &a,
	};
	ssize_t ret;

	if (copy_from_user(&a.req, uarg, sizeof(a.req)))
		return -EFAULT;
	if (a.req.flags & ~MAILSLOT_RECV_PEEK || a.req.__pad ||
	    memchr_inv(a.req.__reserved, 0, sizeof(a.req.__reserved)))
		return -EINVAL;
	rx.buf_len = a.req.buf_len;
	rx.peek = a.req.flags & MAILSLOT_RECV_PEEK;
	ret = msfs_dequeue(msfs_file_slot(file), &rx);
	if (ret == -EMSGSIZE && put_user(rx.msg_len, &uarg->msg_len))
		return -EFAULT;
	return ret;
}

static long msfs_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	void __user *argp = (void __user *)arg;

	/* FIONREAD never gets here: see msfs_update_next_size() */
	switch (cmd) {
	case MAILSLOT_IOC_GET_INFO:
		return msfs_ioc_get_info(file, argp);
	case MAILSLOT_IOC_SET_TIMEOUT:
		if (!msfs_is_server(file))
			return -EBADF;
		return msfs_ioc_set_timeout(file, argp);
	case MAILSLOT_IOC_RECV:
		if (!msfs_is_server(file))
			return -EBADF;
		return msfs_ioc_recv(file, argp);
	case MAILSLOT_IOC_SET_REMOTE:
		if (!msfs_is_server(file))
			return -EBADF;
		return msfs_ioc_set_remote(file, argp);
	case MAILSLOT_IOC_SET_MAX_SIZE:
		if (!msfs_is_server(file))
			return -EBADF;
		return msfs_ioc_set_max_size(file, argp);
	}
	return -ENOTTY;
}

static void msfs_show_fdinfo(struct seq_file *m, struct file *file)
{
	struct mailslot_info info;

	msfs_file_info(file, &info);
	seq_printf(m, "role:\t%s\n", msfs_is_server(file) ? "server" : "client");
	seq_printf(m, "messages:\t%u\nbytes:\t%llu\n",
		   info.msg_count, info.queued_bytes);
	seq_printf(m, "max_msg_size:\t%u\nread_timeout:\t%d\n",
		   info.max_msg_size, info.read_timeout);
	seq_printf(m, "orphaned:\t%d\n",
		   !!(info.flags & MAILSLOT_INFO_ORPHANED));
}

const struct file_operations msfs_slot_fops = {
	.owner		= THIS_MODULE,
	.open		= msfs_slot_open,
	.release	= msfs_slot_release,
	.read_iter	= msfs_read_iter,
	.write_iter	= msfs_write_iter,
	.poll		= msfs_poll,
	.unlocked_ioctl	= msfs_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.show_fdinfo	= msfs_show_fdinfo,
};
