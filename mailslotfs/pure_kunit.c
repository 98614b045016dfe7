// SPDX-License-Identifier: GPL-2.0
/*
 * mailslotfs: KUnit suite of the pure code (name folding, limits), part
 * of the module's test build (make MSFS_KUNIT=1) on kernels with
 * CONFIG_KUNIT. The tests themselves are in pure_tests.h; each is one
 * parameter of the one case here.
 */
#include <kunit/test.h>
#include <linux/string.h>

#define MSFS_TEST_CTX struct kunit
#define MSFS_EXPECT(cond, fmt, ...) \
	KUNIT_EXPECT_TRUE_MSG(test, cond, fmt, ##__VA_ARGS__)

#include "pure_tests.h"

static void msfs_pure_desc(const struct msfs_pure_test *t, char *desc)
{
	strscpy(desc, t->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(msfs_pure, msfs_pure_tests, msfs_pure_desc);

static void msfs_test_pure(struct kunit *test)
{
	const struct msfs_pure_test *t = test->param_value;

	t->fn(test);
}

static struct kunit_case msfs_pure_cases[] = {
	KUNIT_CASE_PARAM(msfs_test_pure, msfs_pure_gen_params),
	{}
};

static struct kunit_suite msfs_pure_suite = {
	.name = "mailslotfs_pure",
	.test_cases = msfs_pure_cases,
};

kunit_test_suite(msfs_pure_suite);
