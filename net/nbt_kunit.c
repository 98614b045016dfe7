// SPDX-License-Identifier: GPL-2.0
/*
 * mailslotfs: KUnit suite of the NetBIOS parsers and builders, part of the
 * module's test build (make MSFS_KUNIT=1). The tests are in nbt_tests.h,
 * shared with the userspace runner; each is one parameter here.
 */
#include <kunit/test.h>
#include <linux/string.h>

#define MSFS_TEST_CTX struct kunit
#define MSFS_EXPECT(cond, fmt, ...) \
	KUNIT_EXPECT_TRUE_MSG(test, cond, fmt, ##__VA_ARGS__)

#include "nbt_tests.h"

static void nbt_kunit_desc(const struct nbt_test *t, char *desc)
{
	strscpy(desc, t->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(nbt, nbt_tests, nbt_kunit_desc);

static void nbt_kunit_run(struct kunit *test)
{
	const struct nbt_test *t = test->param_value;

	t->fn(test);
}

static struct kunit_case nbt_kunit_cases[] = {
	KUNIT_CASE_PARAM(nbt_kunit_run, nbt_gen_params),
	{}
};

static struct kunit_suite nbt_kunit_suite = {
	.name = "mailslotfs_nbt",
	.test_cases = nbt_kunit_cases,
};

kunit_test_suite(nbt_kunit_suite);
