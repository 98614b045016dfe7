#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What an instance holds goes with it: a workload of its own (slots,
# directories, messages of every size class, servers that close with
# messages queued, then the instance unmounted) must leave the
# mailslotfs_msg_* caches and mailslotfs_inode as it found them. It does
# not depend on what ran before it: it compares before and after. Needs
# SLUB's sysfs and unmerged caches (boot with slab_nomerge, as
# tools/vm-run does). Leaks of anything else show when the module's
# caches are destroyed at unload (the guest runner unloads it last).

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=selftests/tap.sh
. "$here/tap.sh"
slab=/sys/kernel/slab

echo "TAP version 13"
if [ "$(id -u)" != 0 ]; then
	echo "1..0 # SKIP needs root"
	exit $ksft_skip
fi
require_module
for c in mailslotfs_msg_64 mailslotfs_inode; do
	if [ ! -d "$slab/$c" ] || [ -L "$slab/$c" ]; then
		echo "1..0 # SKIP $c is not a cache of its own (boot with slab_nomerge)"
		exit $ksft_skip
	fi
done
msg_caches=$(cd "$slab" && ls -d mailslotfs_msg_*)
echo "1..3"

active() {	# active objects of a cache, per-cpu slabs flushed first
	echo 1 >"$slab/$1/shrink"
	awk -v c="$1" '$1 == c { print $2 }' /proc/slabinfo
}

messages() {	# active objects of every message cache
	local c total=0

	for c in $msg_caches; do
		total=$((total + $(active "$c")))
	done
	echo $total
}

# The workload, in a network and mount namespace of its own: an instance
# with slots at two levels; in each, one message of each size below (one
# write each: a message of every size class from 1 byte to 64 KiB, and
# zero-length ones: pure.h, limits.c); servers that close with messages
# queued; a client that outlives its server; then the instance unmounted.
# Remote messages are remote_test's.
workload() {
	local dir pids="" p _

	trap 'kill $pids 2>/dev/null' EXIT
	dir=$(mktemp -d /tmp/msl-slab.XXXXXX) || return 1
	mount -t mailslotfs none "$dir" || return 1
	mkdir "$dir/NET" || return 1
	for p in A B NET/C; do
		"$here/msl_hold" "$dir/$p" >/dev/null &
		pids="$pids $!"
	done
	for _ in $(seq 50); do
		[ -e "$dir/NET/C" ] && [ -e "$dir/A" ] && [ -e "$dir/B" ] && break
		sleep 0.1
	done
	for p in A B NET/C; do
		"$here/msl_sizes" "$dir/$p" || return 1
	done
	exec 3>"$dir/B"		# a client that outlives its server
	# shellcheck disable=SC2086
	kill $pids
	wait
	exec 3>&-
	umount "$dir" && rmdir "$dir"
}

# freed after an RCU grace period: wait for the counts to settle, to
# where they were or below (what ran before may free late)
settles() {	# cache-count-function before
	local _

	for _ in $(seq 50); do
		[ "$($1)" -le "$2" ] && return 0
		sleep 0.1
	done
	return 1
}

msgs0=$(messages)
inodes0=$(active mailslotfs_inode)
export -f workload
export here
timeout 300 unshare -mn -- bash -c 'mount --make-rprivate / && workload' 2>&1 |
	sed 's/^/# /'
result "${PIPESTATUS[0]}" "a workload of its own ran"
settles messages "$msgs0"
result $? "no message of it is left ($(messages) active, $msgs0 before)"
inodes() { active mailslotfs_inode; }
settles inodes "$inodes0"
result $? "no inode of it is left ($(inodes) active, $inodes0 before)"
echo "# Totals: pass:$((n - fails)) fail:$fails xfail:0 xpass:0 skip:0 error:0"
[ $fails = 0 ]
