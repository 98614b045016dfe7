/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mailslotfs: the tests of the pure code (name.c, limits.c), written once
 * for two runners, as test.h says; msfs_pure_tests[] lists them.
 */
#ifndef _MSFS_PURE_TESTS_H
#define _MSFS_PURE_TESTS_H

#include "pure.h"
#include "../common/test.h"

#define MSFS_KIB 1024ULL
#define MSFS_MIB (1024 * MSFS_KIB)
#define MSFS_GIB (1024 * MSFS_MIB)

struct msfs_eq_case {
	const char *a;
	const char *b;
	bool eq;
};

/* same-length names: equal after ASCII folding only */
static const struct msfs_eq_case msfs_eq_cases[] = {
	{ "NETLOGON", "netlogon", true },
	{ "NetLogon", "nETlOGON", true },
	{ "", "", true },
	{ "abc", "abd", false },
	{ "a@z", "A@Z", true },
	{ "[", "{", false },		/* 0x5b and 0x7b are not letters */
	{ "`", "@", false },
	{ "\xe4", "\xc4", false },	/* no Latin-1 folding */
	{ "1_-", "1_-", true },
};

struct msfs_fold_case {
	unsigned char in;
	unsigned char out;
};

static const struct msfs_fold_case msfs_fold_cases[] = {
	{ 'a', 'A' }, { 'z', 'Z' }, { 'A', 'A' }, { 'Z', 'Z' },
	{ '@', '@' }, { '[', '[' }, { '`', '`' }, { '{', '{' },
	{ 0xe4, 0xe4 }, { 0xff, 0xff }, { 0, 0 },
};

struct msfs_reserved_case {
	const char *name;
	bool reserved;
};

static const struct msfs_reserved_case msfs_reserved_cases[] = {
	{ "@host", true }, { "@", true }, { "@*", true },
	{ "host@", false }, { "", false }, { "NET", false },
};

struct msfs_size_case {
	const char *text;
	int err;
	u64 val;
};

static const struct msfs_size_case msfs_size_cases[] = {
	{ "0", 0, 0 },
	{ "4096", 0, 4096 },
	{ "64k", 0, 64 * MSFS_KIB },
	{ "64K", 0, 64 * MSFS_KIB },
	{ "1m", 0, MSFS_MIB },
	{ "16M", 0, 16 * MSFS_MIB },
	{ "1g", 0, MSFS_GIB },
	{ "18446744073709551615", 0, ~0ULL },
	{ "18446744073709551616", -ERANGE, 0 },
	{ "17179869184g", -ERANGE, 0 },
	{ "17179869183g", 0, 17179869183ULL * MSFS_GIB },
	{ "", -EINVAL, 0 },
	{ "k", -EINVAL, 0 },
	{ "12q", -EINVAL, 0 },
	{ "1kk", -EINVAL, 0 },
	{ "-1", -EINVAL, 0 },
	{ " 1", -EINVAL, 0 },
	{ "1 ", -EINVAL, 0 },
	{ "0x10", -EINVAL, 0 },
};

struct msfs_range_case {
	enum msfs_limit which;
	u64 val;
	int err;
};

static const struct msfs_range_case msfs_range_cases[] = {
	{ MSFS_MAX_MSG_SIZE, 0, 0 },
	{ MSFS_MAX_MSG_SIZE, 16 * MSFS_MIB, 0 },
	{ MSFS_MAX_MSG_SIZE, 16 * MSFS_MIB + 1, -ERANGE },
	{ MSFS_SLOT_MSGS, 0, -ERANGE },
	{ MSFS_SLOT_MSGS, 1, 0 },
	{ MSFS_SLOT_MSGS, 65536, 0 },
	{ MSFS_SLOT_MSGS, 65537, -ERANGE },
	{ MSFS_SLOT_BYTES, 0, -ERANGE },
	{ MSFS_SLOT_BYTES, 256 * MSFS_MIB, 0 },
	{ MSFS_SLOT_BYTES, 256 * MSFS_MIB + 1, -ERANGE },
	{ MSFS_MAX_SLOTS, 0, -ERANGE },
	{ MSFS_MAX_SLOTS, 65537, -ERANGE },
	{ MSFS_TOTAL_BYTES, 4095, -ERANGE },
	{ MSFS_TOTAL_BYTES, 4096, 0 },
	{ MSFS_TOTAL_BYTES, MSFS_GIB, 0 },
	{ MSFS_TOTAL_BYTES, MSFS_GIB + 1, -ERANGE },
	{ MSFS_USER_SLOTS, 0, -ERANGE },
	{ MSFS_USER_SLOTS, 65536, 0 },
	{ MSFS_USER_SLOTS, 65537, -ERANGE },
	{ MSFS_USER_BYTES, 4095, -ERANGE },
	{ MSFS_USER_BYTES, MSFS_GIB, 0 },
	{ MSFS_USER_BYTES, MSFS_GIB + 1, -ERANGE },
};

/* limits as {max_msg_size, slot_msgs, slot_bytes, max_slots, total_bytes,
 *            user_slots, user_bytes}
 */
struct msfs_combo_case {
	u64 lim[MSFS_NR_LIMITS];
	int err;
	u64 max_msg;		/* msfs_max_msg_size() when err is 0 */
};

static const struct msfs_combo_case msfs_combo_cases[] = {
	/* the defaults */
	{ { 64 * MSFS_KIB, 1024, MSFS_MIB, 1024, 64 * MSFS_MIB, 256, 16 * MSFS_MIB },
	  0, 64 * MSFS_KIB },
	/* a largest message must fit an empty slot */
	{ { 2 * MSFS_MIB, 1024, MSFS_MIB, 1024, 64 * MSFS_MIB, 256, 16 * MSFS_MIB },
	  -EINVAL, 0 },
	{ { MSFS_MIB, 1024, MSFS_MIB, 1024, 64 * MSFS_MIB, 256, 16 * MSFS_MIB },
	  0, MSFS_MIB },
	/* ... and an empty namespace, as it is laid out in memory */
	{ { 8192, 1024, MSFS_MIB, 1024, 8192, 256, 16 * MSFS_MIB }, -EINVAL, 0 },
	{ { 8000, 1024, MSFS_MIB, 1024, 8192, 256, 16 * MSFS_MIB }, 0, 8000 },
	/* ... and one user's share */
	{ { 64 * MSFS_KIB, 1024, MSFS_MIB, 1024, 64 * MSFS_MIB, 256, 32 * MSFS_KIB },
	  -EINVAL, 0 },
	/* a share larger than the namespace is no error: that binds */
	{ { 4096, 1024, MSFS_MIB, 3, 8 * MSFS_KIB, 256, 16 * MSFS_MIB }, 0, 4096 },
	/* 0: any size, as large as the slot, namespace and share allow */
	{ { 0, 1024, MSFS_MIB, 1024, 64 * MSFS_MIB, 256, 16 * MSFS_MIB }, 0, MSFS_MIB },
	{ { 0, 1024, 256 * MSFS_MIB, 1024, MSFS_GIB, 256, MSFS_GIB },
	  0, 16 * MSFS_MIB },
	{ { 0, 1024, MSFS_MIB, 1024, 4096, 256, 16 * MSFS_MIB }, 0, 4056 },
	{ { 0, 1024, MSFS_MIB, 1024, 64 * MSFS_MIB, 256, 8192 }, 0, 8136 },
};

struct msfs_charge_case {
	u64 len;
	bool remote;
	u64 charge;
};

/* what a message takes: pure.h's layout, on the classes of limits.c */
static const struct msfs_charge_case msfs_charge_cases[] = {
	{ 0, false, 48 },		/* the 40-byte header alone */
	{ 1, false, 48 },
	{ 8, false, 48 },
	{ 9, false, 64 },
	{ 64, false, 112 },		/* 104 */
	{ 424, false, 464 },
	{ 0, true, 80 },		/* 40 + 40 */
	{ 1, true, 96 },		/* 40 + 4 + 40 */
	{ 9, true, 96 },		/* 40 + 12 + 40 */
	{ 424, true, 512 },		/* 504 */
	{ 400, true, 480 },
	{ 4056, false, 4096 },		/* a page */
	{ 4057, false, 4096 + 48 },	/* a page, 9 bytes in a segment */
	{ 4048 + 4088, false, 8192 },	/* two full pages */
	{ 64 * MSFS_KIB, false, 16 * 4096 + 176 },
};

static void msfs_test_msg_charge(MSFS_TEST_CTX *test)
{
	const struct msfs_charge_case *c;

	for (c = msfs_charge_cases;
	     c < msfs_charge_cases + ARRAY_SIZE(msfs_charge_cases); c++)
		MSFS_EXPECT(msfs_msg_charge(c->len, c->remote) == c->charge,
			    "%llu%s: %llu", c->len, c->remote ? " remote" : "",
			    msfs_msg_charge(c->len, c->remote));
	MSFS_EXPECT(msfs_msg_class(0) == 0, "class 0");
	MSFS_EXPECT(msfs_msg_class(4096) == MSFS_MSG_NCLASSES - 1, "class 4096");
	MSFS_EXPECT(msfs_msg_class(4097) == -1, "class 4097");
}

static void msfs_test_fold(MSFS_TEST_CTX *test)
{
	const struct msfs_fold_case *c;

	for (c = msfs_fold_cases;
	     c < msfs_fold_cases + ARRAY_SIZE(msfs_fold_cases); c++)
		MSFS_EXPECT(msfs_fold(c->in) == c->out, "fold 0x%02x", c->in);
}

static void msfs_test_name_eq(MSFS_TEST_CTX *test)
{
	const struct msfs_eq_case *c;

	for (c = msfs_eq_cases;
	     c < msfs_eq_cases + ARRAY_SIZE(msfs_eq_cases); c++)
		MSFS_EXPECT(msfs_name_eq(c->a, c->b, strlen(c->a)) == c->eq,
			    "\"%s\" vs \"%s\"", c->a, c->b);
}

static void msfs_test_reserved(MSFS_TEST_CTX *test)
{
	const struct msfs_reserved_case *c;

	for (c = msfs_reserved_cases;
	     c < msfs_reserved_cases + ARRAY_SIZE(msfs_reserved_cases); c++)
		MSFS_EXPECT(msfs_name_reserved(c->name, strlen(c->name)) == c->reserved,
			    "\"%s\"", c->name);
}

static void msfs_test_parse_size(MSFS_TEST_CTX *test)
{
	const struct msfs_size_case *c;
	u64 val;
	int err;

	for (c = msfs_size_cases;
	     c < msfs_size_cases + ARRAY_SIZE(msfs_size_cases); c++) {
		val = 0;
		err = msfs_parse_size(c->text, &val);
		MSFS_EXPECT(err == c->err, "\"%s\": %d", c->text, err);
		MSFS_EXPECT(err || val == c->val, "\"%s\": %llu", c->text, val);
	}
}

static void msfs_test_limit_ranges(MSFS_TEST_CTX *test)
{
	const struct msfs_range_case *c;

	for (c = msfs_range_cases;
	     c < msfs_range_cases + ARRAY_SIZE(msfs_range_cases); c++)
		MSFS_EXPECT(msfs_limit_check(c->which, c->val) == c->err, "%s=%llu",
			    msfs_limit_desc[c->which].name, c->val);
}

static void msfs_test_limit_combinations(MSFS_TEST_CTX *test)
{
	const struct msfs_combo_case *c;

	for (c = msfs_combo_cases;
	     c < msfs_combo_cases + ARRAY_SIZE(msfs_combo_cases); c++) {
		MSFS_EXPECT(msfs_limits_check(c->lim) == c->err, "case %d",
			    (int)(c - msfs_combo_cases));
		MSFS_EXPECT(c->err || msfs_max_msg_size(c->lim) == c->max_msg,
			    "case %d", (int)(c - msfs_combo_cases));
	}
}

static void msfs_test_defaults(MSFS_TEST_CTX *test)
{
	u64 lim[MSFS_NR_LIMITS];
	int i;

	msfs_limits_default(lim);
	MSFS_EXPECT(!msfs_limits_check(lim), "the defaults go together");
	for (i = 0; i < MSFS_NR_LIMITS; i++)
		MSFS_EXPECT(!msfs_limit_check(i, lim[i]), "%s",
			    msfs_limit_desc[i].name);
}

static const struct msfs_test msfs_pure_tests[] = {
	{ "fold", msfs_test_fold },
	{ "name_eq", msfs_test_name_eq },
	{ "reserved", msfs_test_reserved },
	{ "parse_size", msfs_test_parse_size },
	{ "limit_ranges", msfs_test_limit_ranges },
	{ "limit_combinations", msfs_test_limit_combinations },
	{ "defaults", msfs_test_defaults },
	{ "msg_charge", msfs_test_msg_charge },
};

#endif /* _MSFS_PURE_TESTS_H */
