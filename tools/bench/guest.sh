#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# guest.sh: the guest's half of `make bench` (tools/bench/run starts it
# through tools/vm-run, mailslotfs mounted at /mailslot). It sets the
# peers' limits to the same queue budget, runs build/bench/msfs-bench for
# every cell and prints each result as a line "BENCH <csv>" on the
# console, which is all the host sees of the guest; a command that fails
# (a lost, duplicated, reordered or damaged message among them) prints
# "BENCH-FAIL <command>" and makes the status non-zero.
#
# MSFS_BENCH_MODE: full (default: everything, MSFS_BENCH_RUNS (3) runs of
# each cell),
# short (one quick run of each throughput cell, for CI), profile (the
# perf profiles of tools/bench/profile.sh).
set -u -o pipefail
cd "$(dirname "$0")/../.." || exit 1
bench=$PWD/build/bench/msfs-bench
mode=${MSFS_BENCH_MODE:-full}
runs=${MSFS_BENCH_RUNS:-3}
failed=0

log() {
	echo "# [${SECONDS}s] $*" >&2
}

# run ARGS...: one measurement; its line goes to the console
run() {
	local out

	if out=$("$bench" "$@"); then
		echo "BENCH $out"
	else
		echo "BENCH-FAIL $*"
		failed=1
	fi
}

# The peers' limits, as far as they have any: each queue is made with
# the budget itself (tools/bench/transport.c), these let it be asked for.
limits() {
	echo 65536 >/proc/sys/fs/mqueue/msg_max
	echo 65536 >/proc/sys/fs/mqueue/msgsize_max
	echo 200000 >/proc/sys/fs/mqueue/queues_max
	echo $((16 << 20)) >/proc/sys/fs/pipe-max-size
	echo $((32 << 20)) >/proc/sys/net/core/wmem_max
	echo $((32 << 20)) >/proc/sys/net/core/rmem_max
}

transports="msfs mq dgram seqpacket pipe"
sizes="0 64 424 4096 65536"

# a pipe carries no empty messages, and interleaves writes over PIPE_BUF
pipe_ok() {
	[ "$1" != pipe ] || { [ "$3" != 0 ] && { [ "$2" = 1 ] || [ "$3" -le 4096 ]; }; }
}

# The checks themselves: a run whose first writer loses, repeats or
# swaps a message on purpose must fail.
selfcheck() {
	local x

	for x in lose dup swap; do
		log "the checks must catch a writer that does: $x"
		if "$bench" tput -t msfs -w 2 -s 64 -d 0.2 -x "$x" 2>/dev/null; then
			echo "BENCH-FAIL the checks did not catch: $x"
			failed=1
		fi
	done
}

# rotate RUN: the transports, the first one moved to the end RUN - 1
# times: who goes first in a cell changes from run to run
rotate() {
	local r=$1 t
	# shellcheck disable=SC2086 # a list of words
	set -- $transports
	for ((; r > 1; r--)); do
		t=$1
		shift
		set -- "$@" "$t"
	done
	echo "$@"
}

# throughput RUNS SECONDS [LATENCY-SAMPLES]: every cell; the runs of a
# cell are spread over the whole time, not back to back
throughput() {
	local runs=$1 secs=$2 lat=${3:-0} r w s t

	for r in $(seq "$runs"); do
		for w in 1 8; do
			for s in $sizes; do
				log "throughput: run $r, $w -> 1, $s bytes"
				for t in $(rotate "$r"); do
					pipe_ok "$t" "$w" "$s" || continue
					run tput -t "$t" -w "$w" -s "$s" -d "$secs" -r "$r"
					[ "$lat" = 0 ] && continue
					[ "$s" = 0 ] && [ "$w" != 1 ] && continue
					run lat -t "$t" -w "$w" -s "$s" -n "$lat" -r "$r"
				done
			done
		done
	done
}

memory() {
	local r s t

	for r in $(seq "$1"); do
		for s in 1 64 424; do
			log "memory: run $r, $s bytes"
			for t in msfs mq dgram; do
				run mem -t "$t" -s "$s" -n 8192 -r "$r"
			done
		done
	done
}

names() {
	local r n t

	for r in $(seq "$1"); do
		for n in 10 1000 100000; do
			log "names: run $r, $n names"
			for t in msfs mq; do
				run names -t "$t" -n "$n" -k 2000 -r "$r"
			done
		done
	done
}

# Two network namespaces joined by a veth pair: A (bencha, 10.77.0.1)
# sends, B (benchb, 10.77.0.2) receives.
veth_up() {
	ip netns add bencha && ip netns add benchb &&
	ip link add va netns bencha type veth peer name vb netns benchb &&
	ip -n bencha addr add 10.77.0.1/24 dev va &&
	ip -n benchb addr add 10.77.0.2/24 dev vb &&
	ip -n bencha link set va up && ip -n benchb link set vb up &&
	ip -n bencha link set lo up && ip -n benchb link set lo up
}

veth_down() {
	ip netns del bencha
	ip netns del benchb
}

remote() {
	local r t

	if ! veth_up; then
		echo "BENCH-FAIL remote: no veth pair"
		failed=1
		return
	fi
	for r in $(seq "$1"); do
		log "remote: run $r"
		for t in udp msfs; do
			run remote -t "$t" -a bencha -b benchb -i 10.77.0.2 -d "$2" -r "$r"
		done
	done
	veth_down
}

limits
echo "BENCH kernel,$(uname -r),$(nproc),$mode,$(cat /sys/devices/system/clocksource/clocksource0/current_clocksource)"
case $mode in
full)
	selfcheck
	throughput "$runs" 1 300
	memory "$runs"
	names "$runs"
	remote "$runs" 2
	;;
short)
	selfcheck
	throughput 1 0.2
	;;
profile)
	# shellcheck source=tools/bench/profile.sh
	. tools/bench/profile.sh
	;;
*)
	echo "guest.sh: no such mode: $mode" >&2
	exit 2
	;;
esac
echo "BENCH-END failed=$failed"
exit "$failed"
