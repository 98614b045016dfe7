// SPDX-License-Identifier: GPL-2.0
/*
 * mailslotfs: the KUnit suites of the pure code, part of the module's
 * test build (make MSFS_KUNIT=1) on kernels with CONFIG_KUNIT:
 * mailslotfs_pure (name folding, limits: pure_tests.h) and mailslotfs_nbt
 * (the NetBIOS parsers and builders: net/nbt_tests.h). The tests are
 * shared with the userspace runner (tools/unit/unit.c); each is one
 * parameter of its suite's one case.
 */
#include <kunit/test.h>
#include <linux/string.h>

#define MSFS_TEST_CTX struct kunit
#define MSFS_EXPECT(cond, fmt, ...) \
	KUNIT_EXPECT_TRUE_MSG(test, cond, fmt, ##__VA_ARGS__)

#include "pure_tests.h"
#include "../net/nbt_tests.h"

static void msfs_kunit_desc(const struct msfs_test *t, char *desc)
{
	strscpy(desc, t->name, KUNIT_PARAM_DESC_SIZE);
}

static void msfs_kunit_run(struct kunit *test)
{
	const struct msfs_test *t = test->param_value;

	t->fn(test);
}

KUNIT_ARRAY_PARAM(msfs_pure, msfs_pure_tests, msfs_kunit_desc);
KUNIT_ARRAY_PARAM(nbt, nbt_tests, msfs_kunit_desc);

static struct kunit_case msfs_pure_cases[] = {
	KUNIT_CASE_PARAM(msfs_kunit_run, msfs_pure_gen_params),
	{}
};

static struct kunit_case nbt_cases[] = {
	KUNIT_CASE_PARAM(msfs_kunit_run, nbt_gen_params),
	{}
};

static struct kunit_suite msfs_pure_suite = {
	.name = "mailslotfs_pure",
	.test_cases = msfs_pure_cases,
};

static struct kunit_suite nbt_suite = {
	.name = "mailslotfs_nbt",
	.test_cases = nbt_cases,
};

kunit_test_suites(&msfs_pure_suite, &nbt_suite);
