// SPDX-License-Identifier: GPL-2.0
/*
 * mailslotfs: mounting, options and the module.
 *
 * There is one mailslot namespace per network namespace, as
 * \\.\mailslot\ is one per Windows machine: the superblock is keyed by the
 * mounter's network namespace and holds a reference to it, so every mount
 * made in one network namespace shows the same slots.
 */
#include <linux/fs_context.h>
#include <linux/fs_parser.h>
#include <linux/module.h>
#include <linux/seq_file.h>
#include <linux/ctype.h>
#include <linux/security.h>
#include <linux/slab.h>
#include <linux/user_namespace.h>
#include <net/net_namespace.h>

#include "internal.h"
#include "compat.h"

#define MSFS_DEFAULT_MODE	(S_ISVTX | 0777)

/*
 * The limit options are numbered by enum msfs_limit; then these; then
 * the remote options, by enum msfs_ropt (ropts.c).
 */
enum {
	MSFS_OPT_MODE = MSFS_NR_LIMITS,
	MSFS_OPT_UID,
	MSFS_OPT_GID,
	MSFS_OPT_REMOTE,
};

static const struct fs_parameter_spec msfs_fs_parameters[] = {
	fsparam_string("max_msg_size",	MSFS_MAX_MSG_SIZE),
	fsparam_string("slot_msgs",	MSFS_SLOT_MSGS),
	fsparam_string("slot_bytes",	MSFS_SLOT_BYTES),
	fsparam_string("max_slots",	MSFS_MAX_SLOTS),
	fsparam_string("total_bytes",	MSFS_TOTAL_BYTES),
	fsparam_string("user_slots",	MSFS_USER_SLOTS),
	fsparam_string("user_bytes",	MSFS_USER_BYTES),
	fsparam_u32oct("mode",		MSFS_OPT_MODE),
	fsparam_u32("uid",		MSFS_OPT_UID),
	fsparam_u32("gid",		MSFS_OPT_GID),
	fsparam_flag_no("remote",	MSFS_OPT_REMOTE + MSFS_RO_REMOTE),
	__fsparam(fs_param_is_string, "remote_allow",
		  MSFS_OPT_REMOTE + MSFS_RO_ALLOW, fs_param_can_be_empty, NULL),
	fsparam_string("netbios_name",	MSFS_OPT_REMOTE + MSFS_RO_NBNAME),
	fsparam_string("workgroup",	MSFS_OPT_REMOTE + MSFS_RO_WORKGROUP),
	fsparam_u32("remote_rate",	MSFS_OPT_REMOTE + MSFS_RO_RATE),
	__fsparam(fs_param_is_string, "wins",
		  MSFS_OPT_REMOTE + MSFS_RO_WINS, fs_param_can_be_empty, NULL),
	{}
};

/**
 * struct msfs_fs_context - options of one mount or remount
 * @lim: limits
 * @mode: root directory mode
 * @uid: root directory owner
 * @gid: root directory group
 * @remote: the remote options
 * @given: BIT(option) for each other option given (a remount changes only
 *	those)
 */
struct msfs_fs_context {
	u64 lim[MSFS_NR_LIMITS];
	umode_t mode;
	kuid_t uid;
	kgid_t gid;
	struct msfs_ropts remote;
	unsigned int given;
};

static int msfs_parse_limit(struct fs_context *fc, enum msfs_limit which,
			    const char *text)
{
	const struct msfs_limit_desc *d = &msfs_limit_desc[which];
	struct msfs_fs_context *ctx = fc->fs_private;
	u64 val;

	if (msfs_parse_size(text, &val))
		return invalfc(fc, "%s: not a size: %s", d->name, text);
	if (msfs_limit_check(which, val))
		return invalfc(fc, "%s: %llu is outside %llu..%llu", d->name,
			       val, d->min, d->max);
	ctx->lim[which] = val;
	return 0;
}

static int msfs_parse_owner(struct fs_context *fc, int opt, u32 id)
{
	struct msfs_fs_context *ctx = fc->fs_private;
	kuid_t uid;
	kgid_t gid;

	if (opt == MSFS_OPT_UID) {
		uid = make_kuid(current_user_ns(), id);
		if (!uid_valid(uid) || !kuid_has_mapping(fc->user_ns, uid))
			return invalfc(fc, "uid %u has no mapping", id);
		ctx->uid = uid;
	} else {
		gid = make_kgid(current_user_ns(), id);
		if (!gid_valid(gid) || !kgid_has_mapping(fc->user_ns, gid))
			return invalfc(fc, "gid %u has no mapping", id);
		ctx->gid = gid;
	}
	return 0;
}

static int msfs_parse_param(struct fs_context *fc, struct fs_parameter *param)
{
	struct msfs_fs_context *ctx = fc->fs_private;
	struct fs_parse_result result;
	int opt, err = 0;

	opt = fs_parse(fc, msfs_fs_parameters, param, &result);
	if (opt < 0)
		return opt;
	if (opt >= MSFS_OPT_REMOTE)
		return msfs_ropts_parse(fc, &ctx->remote, opt - MSFS_OPT_REMOTE,
					param, &result);
	switch (opt) {
	case MSFS_OPT_MODE:
		ctx->mode = result.uint_32 & S_IALLUGO;
		break;
	case MSFS_OPT_UID:
	case MSFS_OPT_GID:
		err = msfs_parse_owner(fc, opt, result.uint_32);
		break;
	default:
		err = msfs_parse_limit(fc, opt, param->string);
	}
	if (!err)
		ctx->given |= BIT(opt);
	return err;
}

static int msfs_check_limits(struct fs_context *fc, const u64 *lim)
{
	if (msfs_limits_check(lim))
		return invalfc(fc, "max_msg_size must fit in slot_bytes and total_bytes");
	return 0;
}

/**
 * msfs_limits_copy() - a consistent copy of a namespace's limits
 * @sbi: the namespace
 * @lim: array of %MSFS_NR_LIMITS values to fill
 *
 * A remount may change several limits at once; a new slot must not take
 * some old and some new ones.
 */
void msfs_limits_copy(struct msfs_sb_info *sbi, u64 *lim)
{
	unsigned int seq;

	do {
		seq = read_seqbegin(&sbi->lim_seq);
		memcpy(lim, sbi->lim, sizeof(sbi->lim));
	} while (read_seqretry(&sbi->lim_seq, seq));
}

static int msfs_fill_super(struct super_block *sb, struct fs_context *fc)
{
	struct msfs_fs_context *ctx = fc->fs_private;
	struct msfs_sb_info *sbi = MSFS_SB(sb);
	struct inode *root;

	memcpy(sbi->lim, ctx->lim, sizeof(sbi->lim));
	sbi->mode = ctx->mode;
	sbi->uid = ctx->uid;
	sbi->gid = ctx->gid;

	sb->s_iflags |= SB_I_NOEXEC | SB_I_NODEV;
	sb->s_blocksize = PAGE_SIZE;
	sb->s_blocksize_bits = PAGE_SHIFT;
	sb->s_magic = MAILSLOTFS_MAGIC;
	sb->s_op = &msfs_super_ops;
	sb->s_time_gran = 1;
	msfs_set_d_op(sb, &msfs_dentry_ops);

	root = msfs_get_inode(sb, NULL, S_IFDIR | ctx->mode);
	if (IS_ERR(root))
		return PTR_ERR(root);
	root->i_fop = &msfs_root_fops;
	root->i_uid = ctx->uid;
	root->i_gid = ctx->gid;
	sb->s_root = d_make_root(root);
	return sb->s_root ? 0 : -ENOMEM;
}

static int msfs_test_super(struct super_block *sb, struct fs_context *fc)
{
	struct msfs_sb_info *want = fc->s_fs_info;

	return MSFS_SB(sb)->net == want->net;
}

static void msfs_free_sbi(struct msfs_sb_info *sbi)
{
	if (!sbi)
		return;
	msfs_users_free(sbi);
	msfs_owner_put(sbi->owner);
	put_net(sbi->net);
	kfree(sbi);
}

static struct msfs_sb_info *msfs_alloc_sbi(struct fs_context *fc)
{
	struct msfs_sb_info *sbi = kzalloc(sizeof(*sbi), GFP_KERNEL_ACCOUNT);
	struct msfs_owner *owner;

	if (!sbi)
		return ERR_PTR(-ENOMEM);
	owner = msfs_owner_get(fc->net_ns->user_ns);
	if (IS_ERR(owner)) {
		kfree(sbi);
		return ERR_CAST(owner);
	}
	sbi->owner = owner;
	sbi->net = get_net(fc->net_ns);
	seqlock_init(&sbi->lim_seq);
	spin_lock_init(&sbi->users_lock);
	spin_lock_init(&sbi->idx_lock);
	mutex_init(&sbi->remote_lock);
	return sbi;
}

/* Would the options given change the instance? */
static bool msfs_options_differ(const struct msfs_fs_context *ctx,
				struct msfs_sb_info *sbi)
{
	struct msfs_remote_cfg cfg;
	int i;

	for (i = 0; i < MSFS_NR_LIMITS; i++)
		if (ctx->given & BIT(i) && ctx->lim[i] != msfs_limit(sbi, i))
			return true;
	if ((ctx->given & BIT(MSFS_OPT_MODE) && ctx->mode != sbi->mode) ||
	    (ctx->given & BIT(MSFS_OPT_UID) && !uid_eq(ctx->uid, sbi->uid)) ||
	    (ctx->given & BIT(MSFS_OPT_GID) && !gid_eq(ctx->gid, sbi->gid)))
		return true;
	msfs_ropts_merge(&ctx->remote, &sbi->rcfg, &cfg);	/* under s_umount */
	return !msfs_ropts_eq(&sbi->rcfg, &cfg);
}

/*
 * The instance of the caller's network namespace, made if there is none.
 * When it exists already, options that would change it are refused with
 * EBUSY (remount changes them): never silently ignored.
 */
static int msfs_get_tree(struct fs_context *fc)
{
	struct msfs_fs_context *ctx = fc->fs_private;
	struct msfs_sb_info *sbi;
	struct super_block *sb;
	int err;

	err = msfs_check_limits(fc, ctx->lim);
	if (err)
		return err;
	sbi = msfs_alloc_sbi(fc);
	if (IS_ERR(sbi))
		return PTR_ERR(sbi);
	fc->s_fs_info = sbi;	/* the superblock takes it if it is new */

	sb = sget_fc(fc, msfs_test_super, set_anon_super_fc);
	if (IS_ERR(sb))
		return PTR_ERR(sb);
	if (sb->s_root) {
		err = -EBUSY;
		if (msfs_options_differ(ctx, MSFS_SB(sb))) {
			errorfc(fc, "the instance has other options: remount changes them");
			goto fail;
		}
		goto out;
	}
	err = msfs_fill_super(sb, fc);
	if (err)
		goto fail;
	err = msfs_ropts_apply(fc, MSFS_SB(sb), &ctx->remote.cfg);
	if (err)
		goto fail;
	sb->s_flags |= SB_ACTIVE;
out:
	fc->root = dget(sb->s_root);
	return 0;
fail:
	deactivate_locked_super(sb);
	return err;
}

static void msfs_reconfigure_root(struct super_block *sb,
				  const struct msfs_fs_context *ctx)
{
	struct msfs_sb_info *sbi = MSFS_SB(sb);
	struct inode *root = d_inode(sb->s_root);

	inode_lock(root);
	if (ctx->given & BIT(MSFS_OPT_MODE)) {
		WRITE_ONCE(sbi->mode, ctx->mode);
		root->i_mode = S_IFDIR | ctx->mode;
	}
	if (ctx->given & BIT(MSFS_OPT_UID)) {
		WRITE_ONCE(sbi->uid, ctx->uid);
		root->i_uid = ctx->uid;
	}
	if (ctx->given & BIT(MSFS_OPT_GID)) {
		WRITE_ONCE(sbi->gid, ctx->gid);
		root->i_gid = ctx->gid;
	}
	msfs_set_ctime_now(root);
	inode_unlock(root);
}

/*
 * Remount changes the options given, and only those. New namespace-wide
 * limits apply at once; per-slot limits apply to slots created afterwards.
 */
static int msfs_reconfigure(struct fs_context *fc)
{
	struct msfs_fs_context *ctx = fc->fs_private;
	struct super_block *sb = fc->root->d_sb;
	struct msfs_sb_info *sbi = MSFS_SB(sb);
	struct msfs_remote_cfg cfg;
	u64 lim[MSFS_NR_LIMITS];
	int i, err;

	for (i = 0; i < MSFS_NR_LIMITS; i++)
		lim[i] = ctx->given & BIT(i) ? ctx->lim[i] : sbi->lim[i];
	err = msfs_check_limits(fc, lim);
	if (err)
		return err;
	msfs_ropts_merge(&ctx->remote, &sbi->rcfg, &cfg);
	err = msfs_ropts_apply(fc, sbi, &cfg);
	if (err)
		return err;
	write_seqlock(&sbi->lim_seq);
	for (i = 0; i < MSFS_NR_LIMITS; i++)
		WRITE_ONCE(sbi->lim[i], lim[i]);
	write_sequnlock(&sbi->lim_seq);
	msfs_reconfigure_root(sb, ctx);
	return 0;
}

/*
 * "remote_allow=10.0.0.0/8,192.168.1.0/24": mount(2) cuts its options at
 * commas, so the networks after the first came as options of their own.
 * They start with a digit, as no option does: join them again.
 */
static void msfs_join_list(char **rest)
{
	char *tok;

	while (*rest && isdigit(**rest)) {
		tok = *rest;
		tok[-1] = ',';		/* where strsep() cut */
		strsep(rest, ",");
	}
}

/* key[=value],... as generic_parse_monolithic(), but for remote_allow. */
static int msfs_parse_monolithic(struct fs_context *fc, void *data)
{
	char *opts = data, *key, *value;
	int err;

	if (!opts)
		return 0;
	err = security_sb_eat_lsm_opts(opts, &fc->security);
	while (!err && (key = strsep(&opts, ",")) != NULL) {
		if (!*key)
			continue;
		value = strchr(key, '=');
		if (value)
			*value++ = 0;
		if (value && !strcmp(key, "remote_allow"))
			msfs_join_list(&opts);
		err = vfs_parse_fs_string(fc, key, value, value ? strlen(value) : 0);
	}
	return err < 0 ? err : 0;
}

static void msfs_free_fc(struct fs_context *fc)
{
	msfs_free_sbi(fc->s_fs_info);
	kfree(fc->fs_private);
}

static const struct fs_context_operations msfs_context_ops = {
	.free		= msfs_free_fc,
	.parse_param	= msfs_parse_param,
	.parse_monolithic = msfs_parse_monolithic,
	.get_tree	= msfs_get_tree,
	.reconfigure	= msfs_reconfigure,
};

static int msfs_init_fs_context(struct fs_context *fc)
{
	struct msfs_fs_context *ctx;

	ctx = kzalloc(sizeof(*ctx), GFP_KERNEL);
	if (!ctx)
		return -ENOMEM;
	msfs_limits_default(ctx->lim);
	msfs_ropts_init(&ctx->remote);
	ctx->mode = MSFS_DEFAULT_MODE;
	ctx->uid = current_fsuid();
	ctx->gid = current_fsgid();
	fc->fs_private = ctx;
	fc->ops = &msfs_context_ops;
	/* mounting is a privilege of the network namespace's owner */
	put_user_ns(fc->user_ns);
	fc->user_ns = get_user_ns(fc->net_ns->user_ns);
	return 0;
}

/* The options, as a remount may be changing them: each part consistent. */
static int msfs_show_options(struct seq_file *m, struct dentry *root)
{
	struct msfs_sb_info *sbi = MSFS_SB(root->d_sb);
	struct user_namespace *ns = seq_user_ns(m);
	struct msfs_remote_cfg rcfg;
	u64 lim[MSFS_NR_LIMITS];
	umode_t mode = READ_ONCE(sbi->mode);
	kuid_t uid = READ_ONCE(sbi->uid);
	kgid_t gid = READ_ONCE(sbi->gid);
	int i;

	if (mode != MSFS_DEFAULT_MODE)
		seq_printf(m, ",mode=%o", mode);
	if (!uid_eq(uid, GLOBAL_ROOT_UID))
		seq_printf(m, ",uid=%u", from_kuid_munged(ns, uid));
	if (!gid_eq(gid, GLOBAL_ROOT_GID))
		seq_printf(m, ",gid=%u", from_kgid_munged(ns, gid));
	msfs_limits_copy(sbi, lim);
	for (i = 0; i < MSFS_NR_LIMITS; i++)
		if (lim[i] != msfs_limit_desc[i].def)
			seq_printf(m, ",%s=%llu", msfs_limit_desc[i].name, lim[i]);
	mutex_lock(&sbi->remote_lock);
	rcfg = sbi->rcfg;
	mutex_unlock(&sbi->remote_lock);
	msfs_ropts_show(m, &rcfg);
	return 0;
}

const struct super_operations msfs_super_ops = {
	.alloc_inode	= msfs_alloc_inode,
	.free_inode	= msfs_free_inode,
	.evict_inode	= msfs_evict_inode,
	.statfs		= simple_statfs,
	.show_options	= msfs_show_options,
};

/*
 * The superblock goes before its info: evicting the inodes (which frees
 * their queues) uses the namespace counters.
 */
static void msfs_kill_sb(struct super_block *sb)
{
	struct msfs_sb_info *sbi = MSFS_SB(sb);

	if (sbi)
		msfs_remote_off(sbi);
	kill_litter_super(sb);
	msfs_free_sbi(sbi);
}

static struct file_system_type msfs_fs_type = {
	.owner			= THIS_MODULE,
	.name			= "mailslotfs",
	.init_fs_context	= msfs_init_fs_context,
	.parameters		= msfs_fs_parameters,
	.kill_sb		= msfs_kill_sb,
	.fs_flags		= FS_USERNS_MOUNT,
};

static int __init msfs_init(void)
{
	int err;

	err = msfs_inode_cache_init();
	if (err)
		return err;
	err = msfs_queue_cache_init();
	if (err)
		goto out_inode;
	err = msfs_remote_init();
	if (err)
		goto out_queue;
	err = msfs_netns_init();
	if (err)
		goto out_remote;
	err = register_filesystem(&msfs_fs_type);
	if (err)
		goto out_netns;
	return 0;

out_netns:
	msfs_netns_exit();
out_remote:
	msfs_remote_exit();
out_queue:
	msfs_queue_cache_exit();
out_inode:
	msfs_inode_cache_exit();
	return err;
}

static void __exit msfs_exit(void)
{
	unregister_filesystem(&msfs_fs_type);
	msfs_netns_exit();
	msfs_remote_exit();
	msfs_queue_cache_exit();
	msfs_inode_cache_exit();
}

module_init(msfs_init);
module_exit(msfs_exit);
MODULE_ALIAS_FS("mailslotfs");
MODULE_DESCRIPTION("Windows mailslots as a filesystem");
MODULE_LICENSE("GPL");
MODULE_VERSION(MSFS_VERSION);
