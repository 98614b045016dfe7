// SPDX-License-Identifier: GPL-2.0
/*
 * test_windows: mailslot_windows.h on the host, as TAP: the Wine checks
 * that fail before a slot exists (numbered as in reference/semantics.md
 * section 2), and what the Windows names add: BOOL results, DWORD
 * timeouts, overlapped I/O refused. tests/win32_test.c runs a Windows
 * program on mailslotfs.
 */
#include <errno.h>

#include "mailslot_windows.h"
#include "tests/tap.h"

/* Wine #1, #3-#6, #16-#18: what fails before any slot is made */
static void wine_checks_without_a_slot(void)
{
	DWORD max, next, count, timeout, n = 0xdeadbeef;
	char buf[16];

	/* #1 */
	TAP_FAILS(GetMailslotInfo(INVALID_HANDLE_VALUE, &max, &next, &count,
				  &timeout) ? 0 : -1, EBADF, ERROR_INVALID_HANDLE);
	/* #3-#4 */
	TAP_NO_HANDLE(CreateMailslotA("blah", 0, 0, NULL), EINVAL,
		      ERROR_INVALID_NAME);
	/* #5-#6 */
	TAP_NO_HANDLE(CreateMailslotA(NULL, 0, 0, NULL), EFAULT,
		      ERROR_PATH_NOT_FOUND);
	/* #16-#18 */
	TAP_FAILS(ReadFile(INVALID_HANDLE_VALUE, buf, 0, &n, NULL) ? 0 : -1,
		  EBADF, ERROR_INVALID_HANDLE);
	TAP_EQ(0, n);
	/* and the client side of them */
	TAP_NO_HANDLE(CreateFileA("blah", GENERIC_WRITE, FILE_SHARE_READ, NULL,
				  OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL),
		      EINVAL, ERROR_INVALID_NAME);
	TAP_NO_HANDLE(CreateFileA(NULL, GENERIC_WRITE, FILE_SHARE_READ, NULL,
				  OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL),
		      EFAULT, ERROR_PATH_NOT_FOUND);
}

static void windows_header_odds_and_ends(void)
{
	LPOVERLAPPED ov = (LPOVERLAPPED)16;
	DWORD n = 0xdeadbeef;
	char buf[4];

	SetLastError(42);
	TAP_EQ(42, GetLastError());
	TAP_FAILS(ReadFile(INVALID_HANDLE_VALUE, buf, 4, &n, ov) ? 0 : -1,
		  EOPNOTSUPP, ERROR_NOT_SUPPORTED);
	TAP_EQ(0, n);
	n = 0xdeadbeef;
	TAP_FAILS(WriteFile(INVALID_HANDLE_VALUE, buf, 4, &n, ov) ? 0 : -1,
		  EOPNOTSUPP, ERROR_NOT_SUPPORTED);
	TAP_EQ(0, n);
	TAP_FAILS(CloseHandle(NULL) ? 0 : -1, EBADF, ERROR_INVALID_HANDLE);
	TAP_FAILS(SetMailslotInfo(INVALID_HANDLE_VALUE, 0) ? 0 : -1, EBADF,
		  ERROR_INVALID_HANDLE);
	TAP_EQ(MAILSLOT_WAIT_FOREVER, msl_win32_timeout(MAILSLOT_WAIT_FOREVER));
	TAP_EQ(0, msl_win32_timeout(0));
	TAP_EQ(1000, msl_win32_timeout(1000));
	TAP_EQ(INT32_MAX, msl_win32_timeout(0x80000000U));
	TAP_EQ(INT32_MAX, msl_win32_timeout(0xfffffffeU));
}

static const struct tap_test tests[] = {
	TAP_TEST(wine_checks_without_a_slot),
	TAP_TEST(windows_header_odds_and_ends),
};

int main(void)
{
	return tap_run(tests, TAP_COUNT(tests));
}
