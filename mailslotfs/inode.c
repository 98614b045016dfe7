// SPDX-License-Identifier: GPL-2.0
/*
 * mailslotfs: inodes, directories and names.
 *
 * Slots and directories live only in the dcache: every name is a pinned
 * dentry (an extra reference taken when it is created, dropped when it is
 * unlinked), as in ramfs. Names are case-insensitive and case-preserving:
 * the dentry operations hash and compare ASCII-folded names, and a negative
 * dentry is never reused, so a create always keeps the spelling it was given.
 */
#include <linux/fsnotify.h>
#include <linux/memcontrol.h>
#include <linux/namei.h>
#include <linux/slab.h>
#include <linux/stringhash.h>

#include "internal.h"
#include "compat.h"

static struct kmem_cache *msfs_inode_cachep;
static const struct inode_operations msfs_dir_iops;
static const struct inode_operations msfs_slot_iops;

static int msfs_d_hash(const struct dentry *dentry, struct qstr *q)
{
	unsigned long hash = init_name_hash(dentry);
	unsigned int i;

	for (i = 0; i < q->len; i++)
		hash = partial_name_hash(msfs_fold(q->name[i]), hash);
	q->hash = end_name_hash(hash);
	return 0;
}

static int msfs_d_compare(const struct dentry *dentry, unsigned int len,
			  const char *str, const struct qstr *name)
{
	return len != name->len || !msfs_name_eq(str, name->name, len);
}

/*
 * A negative dentry may carry another spelling of the name: a create must
 * not reuse it, so that creating "Foo" after a failed lookup of "FOO"
 * stores "Foo". Only creators (who hold the parent locked exclusively, so
 * that nobody can instantiate the dentry meanwhile) drop it: a plain
 * lookup that dropped it could unhash a dentry a create has just made
 * positive. The names of remote paths are never reused (remote.c).
 */
static MSFS_D_REVALIDATE(msfs_d_revalidate)
{
	struct inode *inode = d_inode_rcu(dentry);

	if (!inode)
		return !(flags & (LOOKUP_CREATE | LOOKUP_RENAME_TARGET));
	return !msfs_is_remote(inode);
}

const struct dentry_operations msfs_dentry_ops = {
	.d_hash		= msfs_d_hash,
	.d_compare	= msfs_d_compare,
	.d_revalidate	= msfs_d_revalidate,
	.d_delete	= always_delete_dentry,
};

/* Charge a new node to its maker; the root is nobody's. */
static int msfs_charge_maker(struct inode *inode, const struct inode *dir)
{
	struct msfs_sb_info *sbi = MSFS_SB(inode->i_sb);
	struct msfs_user *u;
	int err;

	if (!dir)
		return 0;
	u = msfs_user_get(sbi, current_fsuid());
	if (!u)
		return -ENOMEM;
	err = msfs_charge_node(sbi, u);
	if (!err)
		MSFS_SLOT(inode)->user = u;
	return err;
}

/**
 * msfs_get_inode() - a new slot or directory inode
 * @sb: the superblock
 * @dir: the parent directory, NULL for the root
 * @mode: S_IFREG (a slot) or S_IFDIR, with permissions
 *
 * A slot or directory counts for the user who makes it (account.c); a
 * slot keeps its server's memory cgroup, for the remote messages.
 *
 * Return: the inode, ERR_PTR(-ENOSPC) when the namespace has its maximum
 * number of slots and directories, ERR_PTR(-EDQUOT) when its maker has,
 * or ERR_PTR(-ENOMEM).
 */
struct inode *msfs_get_inode(struct super_block *sb, const struct inode *dir,
			     umode_t mode)
{
	struct inode *inode = new_inode(sb);
	int err;

	if (!inode)
		return ERR_PTR(-ENOMEM);
	err = msfs_charge_maker(inode, dir);
	if (err) {
		iput(inode);	/* nothing charged: evict knows */
		return ERR_PTR(err);
	}
	inode->i_ino = get_next_ino();
	inode_init_owner(MSFS_NOP_IDMAP, inode, dir, mode);
	msfs_init_times(inode);
	if (S_ISDIR(mode)) {
		inode->i_op = &msfs_dir_iops;
		inode->i_fop = &simple_dir_operations;
		inc_nlink(inode);
	} else {
		inode->i_op = &msfs_slot_iops;
		inode->i_fop = &msfs_slot_fops;
		msfs_slot_init(MSFS_SLOT(inode), MSFS_SB(sb));
		MSFS_SLOT(inode)->memcg = get_mem_cgroup_from_mm(current->mm);
	}
	return inode;
}

static int msfs_mknod(struct inode *dir, struct dentry *dentry, umode_t mode)
{
	struct inode *inode;

	if (dentry->d_name.len > NAME_MAX)
		return -ENAMETOOLONG;
	if (dentry->d_parent == dir->i_sb->s_root &&
	    msfs_name_reserved(dentry->d_name.name, dentry->d_name.len))
		return -EINVAL;
	inode = msfs_get_inode(dir->i_sb, dir, mode);
	if (IS_ERR(inode))
		return PTR_ERR(inode);
	if (d_in_lookup(dentry))	/* from ->atomic_open() */
		d_add(dentry, inode);
	else
		d_instantiate(dentry, inode);
	dget(dentry);	/* pin the name until it is removed */
	msfs_touch_dir(dir);
	if (S_ISREG(mode))
		msfs_index_add(MSFS_SLOT(inode), dentry);
	return 0;
}

static MSFS_MKDIR_RET msfs_mkdir(struct msfs_idmap *idmap, struct inode *dir,
				 struct dentry *dentry, umode_t mode)
{
	int err = msfs_mknod(dir, dentry, mode | S_IFDIR);

	if (!err)
		inc_nlink(dir);
	return msfs_mkdir_ret(err);
}

/* Remove a slot's name as unlink(2) would; @dir is locked by the caller. */
static void msfs_drop_name(struct inode *dir, struct dentry *dentry)
{
	struct inode *inode = d_inode(dentry);

	if (!simple_positive(dentry))
		return;	/* already unlinked */
	msfs_index_del(MSFS_SLOT(inode));
	inode_lock_nested(inode, I_MUTEX_CHILD);	/* as vfs_unlink() */
	simple_unlink(dir, dentry);	/* drops the pin */
	inode_unlock(inode);
	fsnotify_link_count(inode);
	d_delete_notify(dir, dentry);
}

/**
 * msfs_remove_name() - the server has gone: its slot's name goes too
 * @dentry: the slot's dentry (the caller holds a reference)
 *
 * The name can be created again at once. Does nothing if the name was
 * unlinked already. From ->release(), the closing file's reference can be
 * the dentry's last: d_delete() would then take the inode off the dentry
 * and evict it under the file that is being released, so an extra
 * reference keeps the inode until __fput() lets go of the dentry.
 */
void msfs_remove_name(struct dentry *dentry)
{
	struct dentry *parent = dget_parent(dentry);
	struct inode *dir = d_inode(parent);

	dget(dentry);
	inode_lock_nested(dir, I_MUTEX_PARENT);
	if (dentry->d_parent == parent)
		msfs_drop_name(dir, dentry);
	inode_unlock(dir);
	dput(dentry);
	dput(parent);
}

/* A name in the root that starts with '@' is a remote path (remote.c). */
static bool msfs_is_remote_name(const struct inode *dir,
				const struct dentry *dentry)
{
	return dentry->d_parent == dir->i_sb->s_root &&
	       msfs_name_reserved(dentry->d_name.name, dentry->d_name.len);
}

static struct dentry *msfs_lookup(struct inode *dir, struct dentry *dentry,
				  unsigned int flags)
{
	if (!msfs_is_remote_name(dir, dentry))
		return simple_lookup(dir, dentry, flags);
	/* mkdir and exclusive creates of such names are refused */
	if (flags & LOOKUP_EXCL)
		return ERR_PTR(-EINVAL);
	return msfs_remote_lookup(dir, dentry);
}

/* rmdir(2): the names of remote paths are not names that can be removed. */
static int msfs_rmdir(struct inode *dir, struct dentry *dentry)
{
	if (msfs_is_remote(d_inode(dentry)))
		return -EPERM;
	return simple_rmdir(dir, dentry);
}

/* unlink(2) of a slot: its name leaves the index too. */
static int msfs_unlink(struct inode *dir, struct dentry *dentry)
{
	if (msfs_is_slot(d_inode(dentry)))
		msfs_index_del(MSFS_SLOT(d_inode(dentry)));
	return simple_unlink(dir, dentry);
}

/* Only a reader creates, and a slot has exactly one reader. */
static int msfs_create_mode(unsigned int flags)
{
	switch (flags & O_ACCMODE) {
	case O_RDONLY:
		return 0;
	case O_WRONLY:
		return -ENOENT;	/* clients never create */
	default:
		return -EINVAL;
	}
}

/*
 * open(O_CREAT) of a missing name. Creating and opening happen together,
 * under the parent's lock, so the opener that creates the slot is its
 * server and nobody can open the slot before it has one.
 */
static int msfs_atomic_open(struct inode *dir, struct dentry *dentry,
			    struct file *file, unsigned int flags,
			    umode_t mode)
{
	struct dentry *res = NULL;
	int err;

	if (msfs_is_remote_name(dir, dentry) && (flags & O_EXCL))
		return -EINVAL;
	if (!(flags & O_CREAT) || d_really_is_positive(dentry) ||
	    msfs_is_remote_name(dir, dentry)) {
		if (d_in_lookup(dentry))
			res = msfs_lookup(dir, dentry, 0);
		return IS_ERR(res) ? PTR_ERR(res) : finish_no_open(file, res);
	}
	/* a name being looked up is hashed only once it is a slot */
	err = msfs_create_mode(flags);
	if (!err)
		err = msfs_mknod(dir, dentry, (mode & S_IALLUGO) | S_IFREG);
	if (err)
		return err;
	file->f_mode |= FMODE_CREATED;
	err = finish_open(file, dentry, NULL);
	if (err) {
		/* refused (an LSM, fanotify): clients may have opened it */
		msfs_slot_kill(MSFS_SLOT(d_inode(dentry)));
		msfs_drop_name(dir, dentry);
	}
	return err;
}

/*
 * chmod, chown and utimes work; a slot's size is its queue, so truncate
 * fails, except the O_TRUNC of an open, which `echo x > slot` uses.
 */
static int msfs_setattr(struct msfs_idmap *idmap, struct dentry *dentry,
			struct iattr *attr)
{
	int err;

	if (attr->ia_valid & ATTR_SIZE)
		return attr->ia_valid & ATTR_OPEN ? 0 : -EINVAL;
	err = setattr_prepare(idmap, dentry, attr);
	if (!err)
		setattr_copy(idmap, d_inode(dentry), attr);
	return err;
}

/* st_size of a slot is the number of bytes queued. */
static int msfs_slot_getattr(struct msfs_idmap *idmap, const struct path *path,
			     struct kstat *stat, u32 mask, unsigned int flags)
{
	struct inode *inode = d_inode(path->dentry);

	msfs_fillattr(idmap, mask, inode, stat);
	stat->size = READ_ONCE(MSFS_SLOT(inode)->bytes);
	return 0;
}

static const struct inode_operations msfs_dir_iops = {
	.lookup		= msfs_lookup,
	.atomic_open	= msfs_atomic_open,
	.mkdir		= msfs_mkdir,
	.rmdir		= msfs_rmdir,
	.unlink		= msfs_unlink,
	.setattr	= msfs_setattr,
};

static const struct inode_operations msfs_slot_iops = {
	.setattr	= msfs_setattr,
	.getattr	= msfs_slot_getattr,
};

/**
 * msfs_is_slot() - is this inode a slot?
 * @inode: an inode of mailslotfs
 *
 * Return: true for a slot (not a directory, not a remote path).
 */
bool msfs_is_slot(const struct inode *inode)
{
	return inode->i_op == &msfs_slot_iops;
}

struct inode *msfs_alloc_inode(struct super_block *sb)
{
	struct msfs_slot *slot;

	slot = alloc_inode_sb(sb, msfs_inode_cachep, GFP_KERNEL);
	if (!slot)
		return NULL;
	INIT_HLIST_NODE(&slot->idx_node);
	slot->idx_key = NULL;
	slot->user = NULL;
	slot->memcg = NULL;
	return &slot->vfs_inode;
}

/* After an RCU grace period: remote delivery may have looked at it. */
void msfs_free_inode(struct inode *inode)
{
	struct msfs_slot *slot = MSFS_SLOT(inode);

	kfree(slot->idx_key);
	mem_cgroup_put(slot->memcg);
	kmem_cache_free(msfs_inode_cachep, slot);
}

void msfs_evict_inode(struct inode *inode)
{
	struct msfs_slot *slot = MSFS_SLOT(inode);

	clear_inode(inode);
	if (msfs_is_remote(inode)) {
		msfs_remote_evict(inode);
		return;		/* never counted */
	}
	if (msfs_is_slot(inode)) {
		msfs_index_del(slot);
		msfs_slot_kill(slot);
	}
	if (slot->user)
		msfs_uncharge_node(MSFS_SB(inode->i_sb), slot->user);
}

/* The root's readdir: what dcache_readdir() gives, but for remote paths. */
struct msfs_readdir {
	struct dir_context ctx;
	struct dir_context *caller;
};

static bool msfs_root_filldir(struct dir_context *ctx, const char *name,
			      int len, loff_t pos, u64 ino, unsigned int type)
{
	struct msfs_readdir *rd = container_of(ctx, struct msfs_readdir, ctx);

	if (msfs_name_reserved(name, len))
		return true;
	rd->caller->pos = pos;
	return rd->caller->actor(rd->caller, name, len, pos, ino, type);
}

static int msfs_root_readdir(struct file *file, struct dir_context *ctx)
{
	struct msfs_readdir rd = {
		.ctx.actor = msfs_root_filldir,
		.ctx.pos = ctx->pos,
		.caller = ctx,
	};
	int err = dcache_readdir(file, &rd.ctx);

	ctx->pos = rd.ctx.pos;
	return err;
}

const struct file_operations msfs_root_fops = {
	.open		= dcache_dir_open,
	.release	= dcache_dir_close,
	.llseek		= dcache_dir_lseek,
	.read		= generic_read_dir,
	.iterate_shared	= msfs_root_readdir,
	.fsync		= noop_fsync,
};

static void msfs_init_once(void *obj)
{
	struct msfs_slot *slot = obj;

	spin_lock_init(&slot->lock);
	slot->head = NULL;
	slot->tail = &slot->head;
	init_waitqueue_head(&slot->rwait);
	init_waitqueue_head(&slot->wwait);
	INIT_LIST_HEAD(&slot->wsleepers);
	INIT_LIST_HEAD(&slot->wparked);
	mutex_init(&slot->read_mutex);
	inode_init_once(&slot->vfs_inode);
}

int msfs_inode_cache_init(void)
{
	msfs_inode_cachep = kmem_cache_create("mailslotfs_inode",
					      sizeof(struct msfs_slot), 0,
					      SLAB_RECLAIM_ACCOUNT | SLAB_ACCOUNT,
					      msfs_init_once);
	return msfs_inode_cachep ? 0 : -ENOMEM;
}

void msfs_inode_cache_exit(void)
{
	rcu_barrier();	/* inodes are freed after an RCU grace period */
	kmem_cache_destroy(msfs_inode_cachep);
}
