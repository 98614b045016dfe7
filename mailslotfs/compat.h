/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mailslotfs: the kernel API differences between the kernels it builds on.
 *
 * Every difference is wrapped here under a module-private name, gated on
 * MSFS_KERNEL, which Kbuild sets to major * 1000 + minor of the target
 * kernel: major.minor granularity, because stable releases backport
 * helpers, and the sublevel of KERNEL_VERSION() saturates at 255.
 * Include it last. Built and tested on Debian's 6.1 and 6.12; the gates
 * above 6.12 follow the upstream changes named next to them.
 */
#ifndef _MSFS_COMPAT_H
#define _MSFS_COMPAT_H

#ifndef MSFS_KERNEL
#error "MSFS_KERNEL is set by Kbuild"
#endif

#include <linux/dcache.h>
#include <linux/fs.h>
#include <linux/stat.h>

/* 6.3: inode operations take a struct mnt_idmap instead of a userns */
#if MSFS_KERNEL >= 6003
#define msfs_idmap mnt_idmap
#define MSFS_NOP_IDMAP (&nop_mnt_idmap)
#else
#define msfs_idmap user_namespace
#define MSFS_NOP_IDMAP (&init_user_ns)
#endif

/* 6.6: generic_fillattr() takes the request mask */
static inline void msfs_fillattr(struct msfs_idmap *idmap, u32 mask,
				 struct inode *inode, struct kstat *stat)
{
#if MSFS_KERNEL >= 6006
	generic_fillattr(idmap, mask, inode, stat);
#else
	generic_fillattr(idmap, inode, stat);
#endif
}

/* 6.6: i_ctime behind accessors; 6.7: i_atime and i_mtime too */
static inline struct timespec64 msfs_set_ctime_now(struct inode *inode)
{
#if MSFS_KERNEL >= 6006
	return inode_set_ctime_current(inode);
#else
	inode->i_ctime = current_time(inode);
	return inode->i_ctime;
#endif
}

static inline void msfs_set_mtime(struct inode *inode, struct timespec64 ts)
{
#if MSFS_KERNEL >= 6007
	inode_set_mtime_to_ts(inode, ts);
#else
	inode->i_mtime = ts;
#endif
}

static inline void msfs_set_atime(struct inode *inode, struct timespec64 ts)
{
#if MSFS_KERNEL >= 6007
	inode_set_atime_to_ts(inode, ts);
#else
	inode->i_atime = ts;
#endif
}

/* A new inode: all three times now. */
static inline void msfs_init_times(struct inode *inode)
{
	struct timespec64 now = msfs_set_ctime_now(inode);

	msfs_set_mtime(inode, now);
	msfs_set_atime(inode, now);
}

/* A directory whose entries changed. */
static inline void msfs_touch_dir(struct inode *dir)
{
	msfs_set_mtime(dir, msfs_set_ctime_now(dir));
}

/* A message was queued. */
static inline void msfs_touch_mtime(struct inode *inode)
{
	msfs_set_mtime(inode, current_time(inode));
}

/* 6.14: ->d_revalidate() is also given the parent and the name */
#if MSFS_KERNEL >= 6014
#define MSFS_D_REVALIDATE(fn)						\
	int fn(struct inode *dir, const struct qstr *name,		\
	       struct dentry *dentry, unsigned int flags)
#else
#define MSFS_D_REVALIDATE(fn)						\
	int fn(struct dentry *dentry, unsigned int flags)
#endif

/* 6.15: ->mkdir() returns a dentry */
#if MSFS_KERNEL >= 6015
#define MSFS_MKDIR_RET struct dentry *
#define msfs_mkdir_ret(err) ERR_PTR(err)
#else
#define MSFS_MKDIR_RET int
#define msfs_mkdir_ret(err) (err)
#endif

/* 6.17: default dentry operations are set through a helper */
static inline void msfs_set_d_op(struct super_block *sb,
				 const struct dentry_operations *ops)
{
#if MSFS_KERNEL >= 6017
	set_default_d_op(sb, ops);
#else
	sb->s_d_op = ops;
#endif
}

#endif /* _MSFS_COMPAT_H */
