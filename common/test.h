/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mailslotfs: what the tests of the pure code (mailslotfs/pure_tests.h
 * and net/nbt_tests.h) share with their two runners, the KUnit suites
 * (mailslotfs/kunit.c, in the kernel) and tools/unit/unit.c (userspace,
 * on the host). A runner defines
 *	MSFS_TEST_CTX			what a test function is given
 *	MSFS_EXPECT(cond, fmt, ...)	a check on "test", with a message
 * before it includes the tests.
 */
#ifndef _MSFS_TEST_H
#define _MSFS_TEST_H

/* one test: its name, and the function that runs it */
struct msfs_test {
	const char *name;
	void (*fn)(MSFS_TEST_CTX *test);
};

#endif /* _MSFS_TEST_H */
