# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# What the shell tests with real peers share (interop_test.sh, wins_test.sh,
# tools/recipes-test): skipping, waiting for events and background
# processes. Sourced after tap.sh (skip needs it); the script sets pids
# (the background processes) and W.

# shellcheck disable=SC2154 # tap.sh sets ksft_skip
skip() {
	echo "1..0 # SKIP $1"
	exit "$ksft_skip"
}

# wait_for SECONDS COMMAND...: until COMMAND succeeds, for at most
# SECONDS times MSFS_TIME_SCALE (tools/vm-run sets it per kernel), trying
# again every wait_poll seconds (default 1); its status
wait_for() {
	local scale=${MSFS_TIME_SCALE:-1} end

	scale=${scale%.*}	# whole seconds, and never less than 1
	[ "${scale:-0}" -ge 1 ] 2>/dev/null || scale=1
	end=$((SECONDS + $1 * scale))

	shift
	until "$@"; do
		[ $SECONDS -ge "$end" ] && return 1
		sleep "${wait_poll:-1}"
	done
}

# bg COMMAND...: run COMMAND in the background, its pid added to pids
bg() { "$@" & pids="$pids $!"; }
# hex TEXT: TEXT as hexadecimal digits
hex() { printf '%s' "$1" | od -An -tx1 | tr -d ' \n'; }
