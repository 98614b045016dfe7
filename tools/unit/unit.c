// SPDX-License-Identifier: GPL-2.0
/*
 * unit: the tests of mailslotfs's pure code, run in userspace on the host
 * as TAP: name folding and limits (mailslotfs/pure_tests.h) and the
 * NetBIOS parsers and builders (net/nbt_tests.h). The same tests are the
 * module's KUnit suites.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

struct msfs_unit {
	int failed;
};

static void msfs_unit_fail(struct msfs_unit *test, const char *cond,
			   const char *fmt, ...)
{
	va_list ap;

	test->failed++;
	printf("# failed: %s: ", cond);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

#define MSFS_TEST_CTX struct msfs_unit
#define MSFS_EXPECT(cond, fmt, ...) do {				\
	if (!(cond))							\
		msfs_unit_fail(test, #cond, fmt, ##__VA_ARGS__);	\
} while (0)

#include "../../mailslotfs/pure_tests.h"
#include "../../net/nbt_tests.h"

static unsigned int num, failed;

static void run(const struct msfs_test *tests, size_t n)
{
	struct msfs_unit t;
	size_t i;

	for (i = 0; i < n; i++) {
		t.failed = 0;
		tests[i].fn(&t);
		printf("%sok %u %s\n", t.failed ? "not " : "", ++num, tests[i].name);
		failed += !!t.failed;
	}
}

int main(void)
{
	printf("TAP version 13\n1..%zu\n",
	       ARRAY_SIZE(msfs_pure_tests) + ARRAY_SIZE(nbt_tests));
	run(msfs_pure_tests, ARRAY_SIZE(msfs_pure_tests));
	run(nbt_tests, ARRAY_SIZE(nbt_tests));
	return failed ? 1 : 0;
}
