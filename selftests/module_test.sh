#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The module and its mounts: it unloads when nothing uses it, mounting
# loads it (MODULE_ALIAS_FS), and umount and rmmod are refused cleanly while
# a slot is open, also after a lazy umount. The test takes mailslotfs over
# for its run: it unmounts every mailslotfs mount first (it skips if one is
# busy) and mounts them again at the end.

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=selftests/tap.sh
. "$here/tap.sh"
dir=
holder=

loaded() {
	grep -q '^mailslotfs ' /proc/modules
}

restore() {
	[ -n "$holder" ] && kill "$holder" 2>/dev/null && wait "$holder" 2>/dev/null
	[ -n "$dir" ] && { umount "$dir" 2>/dev/null; rmdir "$dir"; }
	for m in $mounts; do
		mount -t mailslotfs none "$m" || return 1
	done
}

echo "TAP version 13"
if [ "$(id -u)" != 0 ]; then
	echo "1..0 # SKIP needs root"
	exit $ksft_skip
fi
require_module
mounts=$(awk '$3 == "mailslotfs" { print $2 }' /proc/mounts | sort -r)
for m in $mounts; do
	if ! umount "$m" 2>/dev/null; then
		restore
		echo "1..0 # SKIP $m is busy"
		exit $ksft_skip
	fi
done
echo "1..7"
dir=$(mktemp -d /tmp/msl-module.XXXXXX)

! loaded || rmmod mailslotfs
! loaded
result $? "the module unloads when nothing uses it"

mount -t mailslotfs none "$dir" && loaded
result $? "mount -t mailslotfs loads the module"

! rmmod mailslotfs 2>/dev/null && loaded
result $? "rmmod is refused while mounted"

"$here/msl_hold" "$dir/held" >/dev/null &
holder=$!
i=0
while [ ! -e "$dir/held" ] && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
! umount "$dir" 2>/dev/null && [ -e "$dir/held" ]
result $? "umount is refused while a slot is open"

umount -l "$dir" && ! rmmod mailslotfs 2>/dev/null && loaded
result $? "rmmod is refused while a slot is open after a lazy umount"

kill "$holder" && wait "$holder" 2>/dev/null
holder=
rmmod mailslotfs && ! loaded
result $? "the module unloads after the last slot closes"

restore
result $? "the mounts are back"

echo "# Totals: pass:$((n - fails)) fail:$fails xfail:0 xpass:0 skip:0 error:0"
[ $fails = 0 ]
