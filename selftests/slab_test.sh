#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Run after the other tests: nothing they did may be left in the kernel.
# No message may remain in the mailslotfs_msg_* caches (every slot of the
# tests is gone), and mailslotfs_inode may hold only the live inodes: the
# root and the entries of each instance still mounted. Needs SLUB's sysfs
# and unmerged caches (boot with slab_nomerge, as tools/vm-run does).

ksft_skip=4
slab=/sys/kernel/slab

echo "TAP version 13"
if [ "$(id -u)" != 0 ]; then
	echo "1..0 # SKIP needs root"
	exit $ksft_skip
fi
msg_caches=$(cd "$slab" 2>/dev/null && ls -d mailslotfs_msg_* 2>/dev/null)
for c in mailslotfs_msg_64 mailslotfs_inode; do
	if [ ! -d "$slab/$c" ] || [ -L "$slab/$c" ]; then
		echo "1..0 # SKIP $c is not a cache of its own (boot with slab_nomerge)"
		exit $ksft_skip
	fi
done
echo "1..2"

active() {	# active objects of a cache, per-cpu slabs flushed first
	echo 1 >"$slab/$1/shrink"
	awk -v c="$1" '$1 == c { print $2 }' /proc/slabinfo
}

# "device mountpoint" of each mailslotfs mount (the type follows "-")
mounts() {
	awk '{ for (i = 7; i < NF; i++) if ($i == "-") break }
	     $(i + 1) == "mailslotfs" { print $3, $5 }' /proc/self/mountinfo
}

# one root inode per instance (superblock), plus what each holds
live=0
for dev in $(mounts | cut -d' ' -f1 | sort -u); do
	mnt=$(mounts | awk -v d="$dev" '$1 == d { print $2; exit }')
	live=$((live + 1 + $(find "$mnt" -mindepth 1 | wc -l)))
done

fails=0
msgs=0
for c in $msg_caches; do
	msgs=$((msgs + $(active "$c")))
done
if [ "$msgs" = 0 ]; then
	echo "ok 1 no message is left"
else
	echo "not ok 1 no message is left: $msgs in mailslotfs_msg_*"
	fails=$((fails + 1))
fi
inodes=$(active mailslotfs_inode)
if [ "$inodes" = "$live" ]; then
	echo "ok 2 only live inodes are left ($live)"
else
	echo "not ok 2 only live inodes are left: $inodes, expected $live"
	fails=$((fails + 1))
fi
echo "# Totals: pass:$((2 - fails)) fail:$fails xfail:0 xpass:0 skip:0 error:0"
[ $fails = 0 ]
