// SPDX-License-Identifier: GPL-2.0
/*
 * mailslotfs: /mailslot/@TARGET/NAME..., the paths of remote slots.
 *
 * "@TARGET" in the root, and every name below it, is a directory that
 * exists only while a path walk or an open holds it: it is made by
 * ->lookup, never reused (->d_revalidate drops it), never counted, and the
 * root's readdir skips it. Opening a name below it for writing resolves
 * TARGET (net/send.c) and gives a handle whose every write() is one
 * datagram to \MAILSLOT\NAME... there. The target is kept in the
 * handle's inode, made for that open alone, so that a reopen through
 * /proc/self/fd writes to it too; it is all the state there is. All of it
 * needs remote on: else EOPNOTSUPP, and a log line.
 */
#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/slab.h>
#include <linux/uio.h>

#include "internal.h"
#include "compat.h"

static const struct inode_operations msfs_remote_dir_iops;
static const struct inode_operations msfs_remote_file_iops;
static const struct file_operations msfs_remote_fops;

/**
 * msfs_is_remote() - is this an inode of a remote path?
 * @inode: the inode
 *
 * Return: true for the directories and handles below "@TARGET".
 */
bool msfs_is_remote(const struct inode *inode)
{
	return inode->i_op == &msfs_remote_dir_iops ||
	       inode->i_op == &msfs_remote_file_iops;
}

/* A received write goes up to the slot it names (index.c). */
static enum msfs_counter msfs_remote_deliver(void *owner,
					     const struct nbt_dgram *d,
					     u32 saddr, u16 sport,
					     enum msfs_sender who)
{
	return msfs_deliver(owner, d, saddr, sport, who);
}

static const struct msfs_remote_ops msfs_remote_ops = {
	.deliver	= msfs_remote_deliver,
};

/**
 * msfs_sb_remote() - the remote state of a namespace, if remote is on
 * @sbi: the namespace
 *
 * Return: a counted reference (msfs_remote_put() it), or NULL.
 */
struct msfs_remote *msfs_sb_remote(struct msfs_sb_info *sbi)
{
	struct msfs_remote *r;

	rcu_read_lock();
	r = rcu_dereference(sbi->remote);
	if (r && !msfs_remote_tryget(r))
		r = NULL;
	rcu_read_unlock();
	return r;
}

/**
 * msfs_remote_off() - switch remote off in a namespace
 * @sbi: the namespace
 *
 * Nothing is received for it once this returns (kill_sb relies on it).
 */
void msfs_remote_off(struct msfs_sb_info *sbi)
{
	struct msfs_remote *r;

	mutex_lock(&sbi->remote_lock);
	r = rcu_replace_pointer(sbi->remote, NULL,
				lockdep_is_held(&sbi->remote_lock));
	mutex_unlock(&sbi->remote_lock);
	if (r)
		msfs_remote_stop(r);
}

/* Switch remote on in a namespace where it is off. */
static int msfs_remote_on(struct msfs_sb_info *sbi,
			  const struct msfs_remote_cfg *cfg)
{
	struct msfs_remote *r;

	r = msfs_remote_start(sbi->net, cfg, &msfs_remote_ops, sbi);
	if (IS_ERR(r))
		return PTR_ERR(r);
	mutex_lock(&sbi->remote_lock);
	rcu_assign_pointer(sbi->remote, r);
	mutex_unlock(&sbi->remote_lock);
	return 0;
}

/**
 * msfs_remote_apply() - make remote what the options say
 * @sbi: the namespace, under sb->s_umount (mount, remount)
 * @cfg: the options
 *
 * Switches remote on or off; if it is on and stays on, the running state
 * takes the new options and keeps its sockets, so that remote is never
 * off in between. On failure nothing has changed.
 *
 * Return: 0, or the error of switching on or of reconfiguring.
 */
int msfs_remote_apply(struct msfs_sb_info *sbi,
		      const struct msfs_remote_cfg *cfg)
{
	struct msfs_remote *r;
	int err = 0;

	/* only mount, remount and kill_sb change it: s_umount holds them off */
	mutex_lock(&sbi->remote_lock);
	r = rcu_dereference_protected(sbi->remote,
				      lockdep_is_held(&sbi->remote_lock));
	mutex_unlock(&sbi->remote_lock);
	if (r && cfg->on)
		err = msfs_remote_reconfigure(r, cfg);
	else if (r)
		msfs_remote_off(sbi);
	else if (cfg->on)
		err = msfs_remote_on(sbi, cfg);
	if (err)
		return err;
	mutex_lock(&sbi->remote_lock);	/* against msfs_show_options() */
	sbi->rcfg = *cfg;
	mutex_unlock(&sbi->remote_lock);
	return 0;
}

static struct msfs_remote *msfs_remote_or_log(struct super_block *sb)
{
	struct msfs_remote *r = msfs_sb_remote(MSFS_SB(sb));

	if (!r)
		pr_info_ratelimited("mailslotfs: remote mailslots are off in this network namespace; mount -o remount,remote turns them on\n");
	return r;
}

static struct inode *msfs_remote_inode(struct super_block *sb, umode_t mode)
{
	struct inode *inode = new_inode(sb);

	if (!inode)
		return NULL;
	inode->i_ino = get_next_ino();
	inode->i_mode = mode;
	inode->i_uid = current_fsuid();
	inode->i_gid = current_fsgid();
	msfs_init_times(inode);
	if (S_ISDIR(mode)) {
		inode->i_op = &msfs_remote_dir_iops;
		inode->i_fop = &simple_dir_operations;
		set_nlink(inode, 2);
	} else {
		inode->i_op = &msfs_remote_file_iops;
		inode->i_fop = &msfs_remote_fops;
	}
	return inode;
}

/**
 * msfs_remote_lookup() - a name of a remote path: a passing directory
 * @dir: "@TARGET"'s parent (the root) or a directory below it
 * @dentry: the name being looked up
 *
 * Return: NULL (@dentry is now a directory), or ERR_PTR(-EOPNOTSUPP)
 * when remote is off, ERR_PTR(-ENOMEM).
 */
struct dentry *msfs_remote_lookup(struct inode *dir, struct dentry *dentry)
{
	struct msfs_remote *r = msfs_remote_or_log(dir->i_sb);
	struct inode *inode;

	if (!r)
		return ERR_PTR(-EOPNOTSUPP);
	msfs_remote_put(r);
	if (dentry->d_name.len > NAME_MAX)
		return ERR_PTR(-ENAMETOOLONG);
	inode = msfs_remote_inode(dir->i_sb, S_IFDIR | 0777);
	if (!inode)
		return ERR_PTR(-ENOMEM);
	d_add(dentry, inode);
	return NULL;
}

static struct dentry *msfs_remote_dir_lookup(struct inode *dir,
					     struct dentry *dentry,
					     unsigned int flags)
{
	return msfs_remote_lookup(dir, dentry);
}

/*
 * "@TARGET/NET/NETLOGON": TARGET into @target (without the '@') and
 * "NET\NETLOGON" into @t->mailslot. @dentry is the last name.
 */
static int msfs_split_path(struct dentry *dentry, struct msfs_target *t,
			   const char **target, size_t *target_len)
{
	struct dentry *d;
	size_t len = 0, n;

	for (d = dentry; !IS_ROOT(d->d_parent); d = d->d_parent)
		len += d->d_name.len + 1;
	if (len - 1 > sizeof(t->mailslot))
		return -EINVAL;
	t->mailslot_len = len - 1;
	for (d = dentry; !IS_ROOT(d->d_parent); d = d->d_parent) {
		n = d->d_name.len;
		len -= n + 1;
		memcpy(t->mailslot + len, d->d_name.name, n);
		if (len)
			t->mailslot[len - 1] = '\\';
	}
	*target = (const char *)d->d_name.name + 1;
	*target_len = d->d_name.len - 1;
	return nbt_mailslot_name_ok(t->mailslot, t->mailslot_len) ? 0 : -EINVAL;
}

/* Resolve where the writes of @dentry's handle go. */
static int msfs_remote_target(struct super_block *sb, struct dentry *dentry,
			      struct msfs_target *t)
{
	struct msfs_remote *r;
	const char *target;
	size_t len;
	int err;

	err = msfs_split_path(dentry, t, &target, &len);
	if (err)
		return err;
	r = msfs_remote_or_log(sb);
	if (!r)
		return -EOPNOTSUPP;
	err = msfs_target_resolve(r, target, len, t);
	msfs_remote_put(r);
	t->max_msg = nbt_max_message(t->mailslot_len, t->group);
	return err;
}

/* Opening a name below "@TARGET": only for writing, the handle of a slot. */
static int msfs_remote_atomic_open(struct inode *dir, struct dentry *dentry,
				   struct file *file, unsigned int flags,
				   umode_t mode)
{
	struct msfs_target *t;
	struct inode *inode;
	int err;

	if (!d_in_lookup(dentry))
		return finish_no_open(file, NULL);
	if ((flags & O_ACCMODE) != O_WRONLY)
		return -EINVAL;		/* remote slots are written, not read */
	t = kzalloc(sizeof(*t), GFP_KERNEL_ACCOUNT);
	if (!t)
		return -ENOMEM;
	err = msfs_remote_target(dir->i_sb, dentry, t);
	if (err)
		goto free;
	inode = msfs_remote_inode(dir->i_sb, S_IFREG | 0222);
	if (!inode) {
		err = -ENOMEM;
		goto free;
	}
	inode->i_private = t;	/* freed with the inode */
	d_add(dentry, inode);
	return finish_open(file, dentry, NULL);
free:
	kfree(t);
	return err;
}

/* The first open of a handle, or a reopen (/proc/self/fd): for writing. */
static int msfs_remote_open(struct inode *inode, struct file *file)
{
	if ((file->f_flags & O_ACCMODE) != O_WRONLY)
		return -EINVAL;
	return stream_open(inode, file);
}

/**
 * msfs_remote_evict() - a remote path's inode goes
 * @inode: a directory or a handle below "@TARGET"
 *
 * A handle's target goes with it.
 */
void msfs_remote_evict(struct inode *inode)
{
	kfree(inode->i_private);
}

/* One write, one datagram to each destination. */
static ssize_t msfs_remote_write_iter(struct kiocb *iocb, struct iov_iter *from)
{
	struct file *file = iocb->ki_filp;
	const struct msfs_target *t = file_inode(file)->i_private;
	size_t len = iov_iter_count(from);
	struct msfs_remote *r;
	u8 *buf;
	int err;

	if (len > t->max_msg)
		return -EMSGSIZE;
	r = msfs_remote_or_log(file_inode(file)->i_sb);
	if (!r)
		return -EOPNOTSUPP;
	err = -ENOMEM;
	buf = kmalloc(len + 1, GFP_KERNEL);
	if (!buf)
		goto put;
	err = -EFAULT;
	if (copy_from_iter(buf, len, from) != len)
		goto free;
	err = msfs_remote_send(r, t, buf, len);
free:
	kfree(buf);
put:
	msfs_remote_put(r);
	return err ?: len;
}

/*
 * O_TRUNC at open is fine; a size is refused as a slot's is (EINVAL), and
 * nothing else is set on a passing inode.
 */
static int msfs_remote_setattr(struct msfs_idmap *idmap, struct dentry *dentry,
			       struct iattr *attr)
{
	if (attr->ia_valid & ATTR_SIZE)
		return attr->ia_valid & ATTR_OPEN ? 0 : -EINVAL;
	return -EPERM;
}

static const struct inode_operations msfs_remote_dir_iops = {
	.lookup		= msfs_remote_dir_lookup,
	.atomic_open	= msfs_remote_atomic_open,
	.setattr	= msfs_remote_setattr,
};

static const struct inode_operations msfs_remote_file_iops = {
	.setattr	= msfs_remote_setattr,
};

static const struct file_operations msfs_remote_fops = {
	.owner		= THIS_MODULE,
	.open		= msfs_remote_open,
	.write_iter	= msfs_remote_write_iter,
};
