#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# run.sh: libmailslot's tests on a running mailslotfs, as root, with it
# mounted where the library looks (tools/vm-run mounts it at /mailslot):
#
#   tools/vm-run -- tools/lib/tests/run.sh
#
# Builds what is missing (make lib), then runs the Wine checks on the
# library (wine_test), a Windows program through mailslot_windows.h
# (win32_test), what the library adds (lib_test) and the Python
# bindings (test_mailslot.py). TAP, each program's own TAP nested under
# "# " as kselftest does; the status is non-zero when any test failed.
set -u
repo=$(cd "$(dirname "$0")/../../.." && pwd)
cd "$repo" || exit 1
scale=${MSFS_TIME_SCALE:-1}
limit=$((120 * ${scale%%.*}))

if ! make -s lib >&2; then
	echo "Bail out! make lib failed"
	exit 1
fi
# what ran before may have unloaded it (tools/install-test does): mount
# it where the library looks first, which loads it
if ! grep -q ' mailslotfs ' /proc/self/mounts; then
	mkdir -p /mailslot
	mount -t mailslotfs none /mailslot 2>/dev/null
fi
if ! grep -q ' mailslotfs ' /proc/self/mounts; then
	echo "Bail out! mailslotfs is not mounted, and mounting it failed"
	exit 1
fi

progs=(build/lib/tests/wine_test build/lib/tests/win32_test
       build/lib/tests/lib_test "python3 -B tools/lib/tests/test_mailslot.py")
echo "TAP version 13"
echo "1..${#progs[@]}"
n=0 status=0
for p in "${progs[@]}"; do
	n=$((n + 1))
	# shellcheck disable=SC2086 # a command and its arguments
	timeout "$limit" $p 2>&1 | sed 's/^/# /'
	rc=${PIPESTATUS[0]}
	if [ "$rc" = 0 ]; then
		echo "ok $n libmailslot: ${p##*/}"
	else
		echo "not ok $n libmailslot: ${p##*/} # exit=$rc"
		status=1
	fi
done
exit "$status"
