/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libmailslot's tests: a table of tests, each a function that checks
 * with TAP_EXPECT() and may skip; TAP on stdout, the status 1 when any
 * test failed. Small on purpose: the tests must not need the kselftest
 * harness, nor the library's own build beyond the library.
 */
#ifndef MSL_TAP_H
#define MSL_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

struct tap_test {
	const char *name;
	void (*fn)(void);
};

#define TAP_TEST(f)	{ #f, f }
#define TAP_COUNT(a)	(sizeof(a) / sizeof((a)[0]))

static int tap_failed;		/* checks failed in the current test */
static char tap_skip_reason[128];

static void tap_fail(const char *file, int line, const char *cond,
		     const char *fmt, ...)
{
	va_list ap;

	tap_failed++;
	printf("# %s:%d: failed: %s", file, line, cond);
	if (fmt[0]) {
		printf(": ");
		va_start(ap, fmt);
		vprintf(fmt, ap);
		va_end(ap);
	}
	printf("\n");
}

/* check @cond; on failure say so, with printf-style details */
#define TAP_EXPECT(cond, fmt, ...) do {					\
	if (!(cond))							\
		tap_fail(__FILE__, __LINE__, #cond, fmt, ##__VA_ARGS__);\
} while (0)

/* check that two integers are equal, and show both when not */
#define TAP_EQ(a, b) do {						\
	long long __a = (long long)(a), __b = (long long)(b);		\
									\
	if (__a != __b)							\
		tap_fail(__FILE__, __LINE__, #a " == " #b,		\
			 "%lld != %lld", __a, __b);			\
} while (0)

/* check a failure (-1): its errno and its Win32 error code */
#define TAP_FAILS(call, err, code) do {					\
	long long __ret;						\
	int __err;							\
	unsigned int __code;						\
									\
	errno = 0;							\
	__ret = (call);							\
	__err = errno;							\
	__code = msl_last_error();					\
	TAP_EQ(-1, __ret);						\
	TAP_EQ((err), __err);						\
	TAP_EQ((code), __code);						\
} while (0)

/* check a failure to make a handle: its errno and its Win32 error code */
#define TAP_NO_HANDLE(call, err, code)					\
	TAP_FAILS((call) == MSL_INVALID_HANDLE ? -1 : 0, err, code)

/* the current test is skipped, for @reason */
static inline void tap_skip(const char *reason)
{
	snprintf(tap_skip_reason, sizeof(tap_skip_reason), "%s", reason);
}

static int tap_run(const struct tap_test *tests, size_t n)
{
	unsigned int failed = 0;
	size_t i;

	printf("TAP version 13\n1..%zu\n", n);
	for (i = 0; i < n; i++) {
		tap_failed = 0;
		tap_skip_reason[0] = '\0';
		fflush(stdout);
		tests[i].fn();
		if (tap_skip_reason[0] && !tap_failed)
			printf("ok %zu %s # SKIP %s\n", i + 1, tests[i].name,
			       tap_skip_reason);
		else
			printf("%sok %zu %s\n", tap_failed ? "not " : "", i + 1,
			       tests[i].name);
		failed += !!tap_failed;
	}
	printf("# %zu tests, %u failed\n", n, failed);
	return failed ? 1 : 0;
}

#endif /* MSL_TAP_H */
