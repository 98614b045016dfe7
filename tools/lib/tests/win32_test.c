// SPDX-License-Identifier: GPL-2.0
/*
 * win32_test: a Windows program's use of mailslots, through
 * mailslot_windows.h, as Wine's test writes it (the checks are numbered
 * as in reference/semantics.md section 2): BOOL results, DWORD sizes and
 * timeouts, GetLastError. Needs mailslotfs mounted (tests/run.sh).
 */
#include <errno.h>
#include <stdint.h>

#include "mailslot_windows.h"
#include "tap.h"

static const char szmspath[] = "\\\\.\\mailslot\\libmsl_win32_test";

/* #7-#15: any DWORD size and timeout; every output optional */
static void create_with_any_dword(void)
{
	DWORD dwMax = 0, dwNext = 0, dwMsgCount = 7, dwTimeout = 0;
	HANDLE hSlot;

	hSlot = CreateMailslot(szmspath, -1, -1, NULL);
	TAP_EXPECT(hSlot != INVALID_HANDLE_VALUE, "%u", GetLastError());
	TAP_EQ(TRUE, GetMailslotInfo(hSlot, &dwMax, &dwNext, &dwMsgCount,
				     &dwTimeout));
	TAP_EXPECT(dwMax > 0, "%u", dwMax);
	TAP_EQ(MAILSLOT_NO_MESSAGE, dwNext);
	TAP_EQ(0, dwMsgCount);
	TAP_EQ(0xffffffffU, dwTimeout);		/* #12: WAIT_FOREVER round-trips */
	TAP_EQ(TRUE, GetMailslotInfo(hSlot, NULL, NULL, NULL, NULL));
	TAP_EQ(TRUE, CloseHandle(hSlot));
	hSlot = CreateMailslot(szmspath, 0, 0, NULL);		/* #15 */
	TAP_EXPECT(hSlot != INVALID_HANDLE_VALUE, "%u", GetLastError());
	TAP_EQ(TRUE, CloseHandle(hSlot));
}

/* #19-#49: the ends, timeouts and messages, as BOOLs and error codes */
static void ends_and_messages(void)
{
	HANDLE hSlot, hWriter;
	DWORD dwLen = 0xdeadbeef;
	char buffer[16];

	hSlot = CreateMailslot(szmspath, 0, 0, NULL);
	TAP_EQ(FALSE, ReadFile(hSlot, buffer, 0, &dwLen, NULL));	/* #19 */
	TAP_EQ(ERROR_SEM_TIMEOUT, GetLastError());
	TAP_EQ(0, dwLen);
	TAP_EQ(FALSE, WriteFile(hSlot, buffer, sizeof(buffer), &dwLen, NULL));
	TAP_EQ(ERROR_ACCESS_DENIED, GetLastError());			/* #25 */
	hWriter = CreateFile(szmspath, GENERIC_READ | GENERIC_WRITE,
			     FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
	TAP_EXPECT(hWriter != INVALID_HANDLE_VALUE, "%u", GetLastError());
	TAP_EQ(FALSE, ReadFile(hWriter, buffer, 8, &dwLen, NULL));	/* #38 */
	TAP_EQ(ERROR_ACCESS_DENIED, GetLastError());
	TAP_EQ(TRUE, WriteFile(hWriter, "12345678", 8, &dwLen, NULL));	/* #40 */
	TAP_EQ(8, dwLen);
	TAP_EQ(TRUE, ReadFile(hSlot, buffer, sizeof(buffer), &dwLen, NULL));
	TAP_EQ(8, dwLen);						/* #47 */
	TAP_EQ(FALSE, ReadFile(hSlot, buffer, sizeof(buffer), &dwLen, NULL));
	TAP_EQ(ERROR_SEM_TIMEOUT, GetLastError());			/* #49 */
	TAP_EXPECT(CreateMailslot(szmspath, 0, 0, NULL) == INVALID_HANDLE_VALUE,
		   "#50");
	TAP_EQ(ERROR_ALREADY_EXISTS, GetLastError());
	TAP_EQ(TRUE, CloseHandle(hWriter));
	TAP_EQ(TRUE, CloseHandle(hSlot));
	TAP_EQ(FALSE, CloseHandle(INVALID_HANDLE_VALUE));
	TAP_EQ(ERROR_INVALID_HANDLE, GetLastError());
}

/* #92-#104: a short buffer; the message stays */
static void short_buffer(void)
{
	DWORD dwLen = 0xdeadbeef, dwNext = 0, dwMsgCount = 0;
	HANDLE hSlot, hWriter;
	char buffer[16];

	hSlot = CreateMailslot(szmspath, 0, 0, NULL);
	hWriter = CreateFile(szmspath, GENERIC_WRITE, FILE_SHARE_READ, NULL,
			     OPEN_EXISTING, 0, NULL);
	TAP_EQ(TRUE, WriteFile(hWriter, "xy", 2, &dwLen, NULL));
	TAP_EQ(FALSE, ReadFile(hSlot, buffer, 1, &dwLen, NULL));
	TAP_EQ(ERROR_INSUFFICIENT_BUFFER, GetLastError());
	TAP_EQ(0, dwLen);
	TAP_EQ(TRUE, GetMailslotInfo(hSlot, NULL, &dwNext, &dwMsgCount, NULL));
	TAP_EQ(2, dwNext);
	TAP_EQ(1, dwMsgCount);
	CloseHandle(hWriter);
	CloseHandle(hSlot);
}

/* SetMailslotInfo with DWORDs; those beyond 2^31 - 1 ms wait that long */
static void set_info_with_dwords(void)
{
	DWORD dwTimeout = 0;
	HANDLE hSlot = CreateMailslot(szmspath, 0, 0, NULL);

	TAP_EQ(TRUE, SetMailslotInfo(hSlot, MAILSLOT_WAIT_FOREVER));
	TAP_EQ(TRUE, GetMailslotInfo(hSlot, NULL, NULL, NULL, &dwTimeout));
	TAP_EQ(MAILSLOT_WAIT_FOREVER, (__s32)dwTimeout);
	TAP_EQ(TRUE, SetMailslotInfo(hSlot, 0x80000000U));
	TAP_EQ(TRUE, GetMailslotInfo(hSlot, NULL, NULL, NULL, &dwTimeout));
	TAP_EQ(0x7fffffff, dwTimeout);
	TAP_EQ(TRUE, SetMailslotInfo(hSlot, 250));
	TAP_EQ(TRUE, GetMailslotInfo(hSlot, NULL, NULL, NULL, &dwTimeout));
	TAP_EQ(250, dwTimeout);
	CloseHandle(hSlot);
}

/* #2, #3-#4: a missing slot, a name outside the namespace */
static void missing_and_bad_names(void)
{
	TAP_EXPECT(CreateFile(szmspath, GENERIC_WRITE, FILE_SHARE_READ, NULL,
			      OPEN_EXISTING, 0, NULL) == INVALID_HANDLE_VALUE,
		   "#2");
	TAP_EQ(ERROR_FILE_NOT_FOUND, GetLastError());
	TAP_EXPECT(CreateMailslot("blah", 0, 0, NULL) == INVALID_HANDLE_VALUE,
		   "#3");
	TAP_EQ(ERROR_INVALID_NAME, GetLastError());
}

static const struct tap_test tests[] = {
	TAP_TEST(create_with_any_dword),
	TAP_TEST(ends_and_messages),
	TAP_TEST(short_buffer),
	TAP_TEST(set_info_with_dwords),
	TAP_TEST(missing_and_bad_names),
};

int main(void)
{
	return tap_run(tests, TAP_COUNT(tests));
}
