// SPDX-License-Identifier: GPL-2.0
/*
 * mailslotfs: the remote mount options (remote, remote_allow,
 * netbios_name, workgroup, remote_rate, wins): parsed, merged into the running
 * ones by a remount, checked, applied, and shown. super.c hands each of
 * them here; what they mean is net/'s.
 */
#include <linux/capability.h>
#include <linux/fs_context.h>
#include <linux/fs_parser.h>
#include <linux/seq_file.h>
#include <linux/string.h>
#include <linux/user_namespace.h>
#include <net/net_namespace.h>

#include "internal.h"

/* A NetBIOS name option: 1-15 characters, kept in upper case. */
static int msfs_parse_nbname(struct fs_context *fc, struct fs_parameter *param,
			     char *dst)
{
	size_t i, len = strlen(param->string);
	struct nbt_name n;

	if (nbt_make_name(&n, param->string, len, 0) || param->string[0] == '*')
		return invalfc(fc, "%s: not a NetBIOS name of 1 to 15 characters: %s",
			       param->key, param->string);
	for (i = 0; i < len; i++)
		dst[i] = msfs_fold(param->string[i]);
	dst[len] = 0;
	return 0;
}

static int msfs_parse_allow(struct fs_context *fc, struct fs_parameter *param,
			    struct msfs_remote_cfg *c)
{
	int n = msfs_parse_cidrs(param->string, c->allow, MSFS_ALLOW_MAX);

	if (n < 0)
		return invalfc(fc, "remote_allow: not up to %d IPv4 networks: %s",
			       MSFS_ALLOW_MAX, param->string);
	c->nallow = n;
	return 0;
}

static int msfs_parse_wins_opt(struct fs_context *fc,
			       struct fs_parameter *param,
			       struct msfs_remote_cfg *c)
{
	int n = msfs_parse_wins(param->string, c->wins, MSFS_WINS_MAX);

	if (n < 0)
		return invalfc(fc, "wins: not up to %d unicast IPv4 addresses separated by ':': %s",
			       MSFS_WINS_MAX, param->string);
	c->nwins = n;
	return 0;
}

/**
 * msfs_ropts_init() - the remote options of a new mount context
 * @o: filled in: the defaults, none given
 */
void msfs_ropts_init(struct msfs_ropts *o)
{
	msfs_remote_cfg_default(&o->cfg);
	o->given = 0;
}

/**
 * msfs_ropts_parse() - one remote option
 * @fc: the mount context, for its messages
 * @o: the remote options so far
 * @opt: which
 * @param: the option
 * @result: what fs_parse() made of it
 *
 * Return: 0, or -EINVAL with a message.
 */
int msfs_ropts_parse(struct fs_context *fc, struct msfs_ropts *o,
		     enum msfs_ropt opt, struct fs_parameter *param,
		     const struct fs_parse_result *result)
{
	struct msfs_remote_cfg *c = &o->cfg;
	int err = 0;

	switch (opt) {
	case MSFS_RO_REMOTE:
		c->on = !result->negated;
		break;
	case MSFS_RO_ALLOW:
		err = msfs_parse_allow(fc, param, c);
		break;
	case MSFS_RO_RATE:
		c->rate = result->uint_32;
		break;
	case MSFS_RO_NBNAME:
		err = msfs_parse_nbname(fc, param, c->netbios_name);
		break;
	case MSFS_RO_WORKGROUP:
		err = msfs_parse_nbname(fc, param, c->workgroup);
		break;
	case MSFS_RO_WINS:
		err = msfs_parse_wins_opt(fc, param, c);
		break;
	}
	if (!err)
		o->given |= BIT(opt);
	return err;
}

/**
 * msfs_ropts_merge() - the remote options after a remount
 * @o: the options given
 * @old: the running ones
 * @cfg: filled in: those given, the others as they were
 */
void msfs_ropts_merge(const struct msfs_ropts *o,
		      const struct msfs_remote_cfg *old,
		      struct msfs_remote_cfg *cfg)
{
	*cfg = *old;
	if (o->given & BIT(MSFS_RO_REMOTE))
		cfg->on = o->cfg.on;
	if (o->given & BIT(MSFS_RO_ALLOW)) {
		cfg->nallow = o->cfg.nallow;
		memcpy(cfg->allow, o->cfg.allow, sizeof(cfg->allow));
	}
	if (o->given & BIT(MSFS_RO_RATE))
		cfg->rate = o->cfg.rate;
	if (o->given & BIT(MSFS_RO_NBNAME))
		strscpy(cfg->netbios_name, o->cfg.netbios_name,
			sizeof(cfg->netbios_name));
	if (o->given & BIT(MSFS_RO_WORKGROUP))
		strscpy(cfg->workgroup, o->cfg.workgroup, sizeof(cfg->workgroup));
	if (o->given & BIT(MSFS_RO_WINS)) {
		cfg->nwins = o->cfg.nwins;
		memcpy(cfg->wins, o->cfg.wins, sizeof(cfg->wins));
	}
}

/**
 * msfs_ropts_eq() - are two sets of remote options the same?
 * @a: one
 * @b: the other
 *
 * Return: true when they are.
 */
bool msfs_ropts_eq(const struct msfs_remote_cfg *a,
		   const struct msfs_remote_cfg *b)
{
	return a->on == b->on && a->rate == b->rate &&
	       !strcmp(a->netbios_name, b->netbios_name) &&
	       !strcmp(a->workgroup, b->workgroup) && a->nallow == b->nallow &&
	       !memcmp(a->allow, b->allow, a->nallow * sizeof(a->allow[0])) &&
	       a->nwins == b->nwins &&
	       !memcmp(a->wins, b->wins, a->nwins * sizeof(a->wins[0]));
}

/**
 * msfs_ropts_apply() - make the remote options of a namespace @cfg
 * @fc: the mount context, for its messages
 * @sbi: the namespace, under sb->s_umount
 * @cfg: the options
 *
 * Switches remote on or off, or gives it other options. Having it on
 * takes CAP_NET_ADMIN in the network namespace.
 *
 * Return: 0, -EPERM, or the error of switching remote on.
 */
int msfs_ropts_apply(struct fs_context *fc, struct msfs_sb_info *sbi,
		     const struct msfs_remote_cfg *cfg)
{
	bool running = rcu_access_pointer(sbi->remote);
	int err;

	if (running && msfs_ropts_eq(&sbi->rcfg, cfg))
		return 0;
	if (cfg->on && !ns_capable(sbi->net->user_ns, CAP_NET_ADMIN)) {
		errorfc(fc, "remote needs CAP_NET_ADMIN in the network namespace");
		return -EPERM;
	}
	err = msfs_remote_apply(sbi, cfg);
	if (err)
		errorfc(fc, "cannot apply the remote options (error %d)", err);
	return err;
}

/**
 * msfs_ropts_show() - the remote options, for /proc/mounts
 * @m: where they go
 * @c: the options
 */
void msfs_ropts_show(struct seq_file *m, const struct msfs_remote_cfg *c)
{
	unsigned int i;

	if (!c->on)
		return;
	seq_puts(m, ",remote");
	/* names may hold ',', ' ' and the like: escaped */
	seq_show_option(m, "netbios_name", c->netbios_name);
	seq_show_option(m, "workgroup", c->workgroup);
	if (c->rate != MSFS_REMOTE_RATE_DEFAULT)
		seq_printf(m, ",remote_rate=%u", c->rate);
	for (i = 0; i < c->nallow; i++)
		seq_printf(m, "%s%pI4h/%d", i ? "," : ",remote_allow=",
			   &c->allow[i].addr, hweight32(c->allow[i].mask));
	for (i = 0; i < c->nwins; i++)
		seq_printf(m, "%s%pI4h", i ? ":" : ",wins=", &c->wins[i]);
}
