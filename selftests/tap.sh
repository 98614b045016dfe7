# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
# What the shell tests share: results as TAP lines, counted in n and fails.

# shellcheck disable=SC2034 # for the scripts that source this
ksft_skip=4
n=0
fails=0

result() {	# status description
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n $2"
	else
		echo "not ok $n $2"
		fails=$((fails + 1))
	fi
}

# Skip the whole script when mailslotfs is not there and modprobe cannot
# load it.
require_module() {
	grep -qw mailslotfs /proc/filesystems || modprobe -q mailslotfs 2>/dev/null ||
		{ echo "1..0 # SKIP mailslotfs is not loaded and modprobe cannot load it"
		  exit "$ksft_skip"; }
}
