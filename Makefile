# SPDX-License-Identifier: GPL-2.0
#
# mailslotfs: Windows mailslots as a Linux filesystem.
#
# Users: the running kernel's headers and a compiler are all it takes.
#   make                  build mailslotfs.ko for the running kernel (KVER,
#                         default `uname -r`), the mailslot tool, and the
#                         man pages when rst2man (python3-docutils) is there
#   make install          install them: the module under /lib/modules, then
#                         depmod; mailslot(1), the man pages and
#                         <linux/mailslot.h> under PREFIX (/usr/local);
#                         DESTDIR stages it all (and skips depmod)
#   make uninstall        remove what make install installed
#   make dkms-install     put the source in /usr/src for DKMS, which builds
#                         and installs it for KVER now and for every kernel
#                         installed later
#   make dkms-uninstall   remove it from DKMS (every kernel) and /usr/src
#
# Developers, as root on Debian bookworm (these install what they need):
#   make check            build for Debian's 6.1 and 6.12 kernels (W=1,
#                         -Werror), sparse, checkpatch, the unit tests,
#                         and every test in a guest on each kernel
#   make check-debug      the suite, fault injection and a soak on a debug
#                         kernel (KASAN, lockdep, kmemleak), built once
#   make demo             show what mailslotfs does, in a guest
#   make bench            measure mailslotfs against mqueue, AF_UNIX and a
#                         pipe in a guest; results in build/bench/
#                         (BENCH_KERNEL=6.12|debug; BENCH_SHORT=1 or make
#                         bench-short: the quick check CI runs; make
#                         bench-profile: perf profiles of the hot cells)
#   make deb              the Debian packages (mailslotfs-dkms,
#                         mailslot-tools) in build/deb/, checked by lintian
#   make KVER=R module    the developers' build for kernel R (W=1, -Werror)
#   make lib              libmailslot, Windows' mailslot calls (tools/lib/)
#   make lib-test         its host tests
#
# Objects go to build/<release>/, one tree per kernel: the module is
# build/<release>/mailslotfs.ko.

MSFS_VERSION := $(shell cat $(CURDIR)/VERSION)
KVER ?= $(shell uname -r)
KDIR ?= /lib/modules/$(KVER)/build
# where the kernel's modules are: MODBASE/lib/modules/KVER (the debug
# kernel's are in its cache directory), and its image
MODBASE ?=
VMLINUZ ?= /boot/vmlinuz-$(KVER)
B := build/$(KVER)
SRC := Kbuild VERSION $(wildcard common/*.[ch] mailslotfs/*.[ch] net/*.[ch] selftests/nbt_example.h) \
	include/uapi/linux/mailslot.h

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
INCLUDEDIR ?= $(PREFIX)/include
MANDIR ?= $(PREFIX)/share/man
MODDIR ?= /lib/modules/$(KVER)/extra
CFLAGS ?= -O2 -g
RST2MAN ?= $(firstword $(shell command -v rst2man rst2man.py 2>/dev/null))
MAN := build/man/mailslot.1 build/man/mailslotfs.5

.PHONY: all modules module deps guest unit fuzz fuzz-syscalls selftests tools man deb check wins-interop \
	check-debug demo install install-module install-tools uninstall \
	install-dkms-src dkms-install dkms-uninstall clean
.PHONY: bench bench-short bench-profile

all: modules tools $(if $(RST2MAN),man)

modules: $(B)/mailslotfs.ko

deps:
	@tools/deps

# Kbuild writes objects next to the sources: give each kernel a tree of
# links to them. ARGS: more Kbuild arguments.
define kbuild
	@test -d $(KDIR) || { echo "no headers of kernel $(KVER) in $(KDIR):" \
		"install linux-headers-$(KVER), or set KVER (and KDIR)" >&2; exit 1; }
	@mkdir -p $(B)/selftests
	@cp -rsf $(CURDIR)/Kbuild $(CURDIR)/VERSION $(CURDIR)/common \
		$(CURDIR)/mailslotfs $(CURDIR)/net $(CURDIR)/include $(B)/
	@! test -e selftests/nbt_example.h || \
		ln -sf $(CURDIR)/selftests/nbt_example.h $(B)/selftests/
	$(MAKE) -C $(KDIR) M=$(CURDIR)/$(B) $(1) MSFS_KUNIT=$(MSFS_KUNIT) modules
endef

# users: no flags of ours, a newer compiler's new warning is no error
$(B)/mailslotfs.ko: $(SRC)
	$(call kbuild,)

# developers: every warning of W=1 is an error; Kbuild rebuilds what was
# built with other flags
module: deps
	$(call kbuild,W=1 KCFLAGS=-Werror)

# What tools/vm-run needs for a kernel: the module in a module tree of its
# own (so that modprobe finds it and its dependencies), and the initramfs.
MODROOT := $(B)/modroot/lib/modules/$(KVER)
guest: $(MODROOT)/modules.dep $(B)/initramfs.gz

$(MODROOT)/modules.dep: module
	@mkdir -p $(MODROOT)/extra
	@ln -sfn $(MODBASE)/lib/modules/$(KVER)/kernel $(MODROOT)/kernel
	@cp $(MODBASE)/lib/modules/$(KVER)/modules.order $(MODBASE)/lib/modules/$(KVER)/modules.builtin* $(MODROOT)/
	@cp $(B)/mailslotfs.ko $(MODROOT)/extra/
	depmod -b $(CURDIR)/$(B)/modroot -a $(KVER)

$(B)/initramfs.gz: tools/mkinitramfs tools/vm-init $(VMLINUZ)
	tools/mkinitramfs $(KVER) $@ $(MODBASE)

# the command-line tool (build/tools/mailslot)
tools: build/tools/mailslot

build/tools/mailslot: tools/mailslot.c include/uapi/linux/mailslot.h VERSION
	@mkdir -p $(@D)
	$(CC) -Wall -Wextra -Wno-unused-parameter -Iinclude/uapi -DMSFS_VERSION='"$(MSFS_VERSION)"' \
		$(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $<

# net/nbt.c's WINS packets against Samba's nmbd, on the host (root)
wins-interop: build/tools/wins-probe
	@tools/wins-interop

build/tools/wins-probe: tools/wins-probe.c $(UNIT_SRC) $(wildcard common/*.h net/nbt.h)
	@mkdir -p $(@D)
	$(CC) -Wall -Wextra -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all \
		-o $@ tools/wins-probe.c common/name.c net/nbt.c net/addr.c

# the man pages, from their reStructuredText
man: $(MAN)

build/man/%: Documentation/man/%.rst
	@test -n "$(RST2MAN)" || { echo "no rst2man: install python3-docutils" >&2; exit 1; }
	@mkdir -p $(@D)
	$(RST2MAN) --halt=warning $< $@

# libmailslot in build/lib/ (tools/lib/Makefile), and its host tests
.PHONY: lib lib-test
lib:
	@$(MAKE) -s -C tools/lib

lib-test:
	@$(MAKE) -s -C tools/lib test

# the pure code's unit tests, on the host (also the module's KUnit suites)
UNIT_SRC := common/name.c mailslotfs/name.c mailslotfs/limits.c net/nbt.c net/addr.c \
	net/wins_fsm.c
unit: build/unit/unit
	$<

build/unit/unit: tools/unit/unit.c $(UNIT_SRC) $(wildcard common/*.h mailslotfs/pure*.h net/nbt*.h) selftests/nbt_example.h
	@mkdir -p $(@D)
	$(CC) -Wall -Wextra -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all \
		-o $@ $< $(UNIT_SRC)

# libFuzzer (clang) on the parsers, seeded with every datagram of the
# captures in ../shared; the corpus grows in build/fuzz/corpus, and what
# crashes lands in build/fuzz/crash-*
FUZZ_SECONDS ?= 60
MSFS_SHARED ?= $(CURDIR)/../shared
fuzz: build/fuzz/nbt_fuzz
	@tools/fuzz/seed $(MSFS_SHARED) build/fuzz/seed
	@mkdir -p build/fuzz/corpus
	$< -max_total_time=$(FUZZ_SECONDS) -max_len=2048 -timeout=10 \
		-artifact_prefix=build/fuzz/ -print_final_stats=1 \
		build/fuzz/corpus build/fuzz/seed

# The debug kernel's fuzzers for longer than make check-debug runs them:
# trinity, the live network fuzzer and the teardown race, FUZZ_SECONDS
# each, then the KUnit results and a kmemleak scan (tools/debug-suite).
fuzz-syscalls: deps
	MSFS_FUZZ_ONLY=1 MSFS_KSFT_EXTRA=$(FUZZ_SECONDS) \
	MSFS_TRINITY_SECONDS=$(FUZZ_SECONDS) MSFS_NETFUZZ_SECONDS=$(FUZZ_SECONDS) \
	MSFS_RACE_SECONDS=$(FUZZ_SECONDS) \
	VMRUN_TIMEOUT=$$((10800 + 3 * $(FUZZ_SECONDS))) tools/check-debug

build/fuzz/nbt_fuzz: tools/fuzz/nbt_fuzz.c $(UNIT_SRC) $(wildcard common/*.h mailslotfs/pure*.h net/nbt*.h) selftests/nbt_example.h | deps
	@mkdir -p $(@D)
	clang -Wall -Wextra -O1 -g -fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=all -o $@ $< $(UNIT_SRC)

# The selftests, built with the kselftest harness of Debian's linux-source;
# build/ksft/ is laid out like tools/testing/selftests/ for tools/ksft-run.
selftests: | deps
	@$(MAKE) -s -C selftests KSFT_DIR=$(shell tools/ksrc selftests) OUTPUT=$(CURDIR)/selftests
	@mkdir -p build/ksft
	@cp -r $(shell tools/ksrc selftests)/kselftest $(shell tools/ksrc selftests)/lib.mk \
		$(shell tools/ksrc selftests)/kselftest*.h build/ksft/
	@ln -sfn ../../selftests build/ksft/mailslot

# the Debian packages in build/deb/, lintian clean
deb: | deps
	tools/build-deb

check: deps
	tools/check

check-debug: deps
	tools/check-debug

demo: deps tools
	tools/vm-run -- tools/demo

# the benchmark (tools/bench/run): one guest run, results in build/bench/
BENCH_SRC := $(wildcard tools/bench/*.c) net/nbt.c common/name.c
build/bench/msfs-bench: $(BENCH_SRC) $(wildcard tools/bench/*.h net/nbt.h common/pure.h) \
		include/uapi/linux/mailslot.h
	@mkdir -p $(@D)
	$(CC) -Wall -Wextra -O2 -Iinclude/uapi -o $@ $(BENCH_SRC)

bench: deps
	tools/bench/run $(if $(BENCH_SHORT),short,full)

bench-short: deps
	tools/bench/run short

bench-profile: deps
	tools/bench/run profile

install: install-module install-tools

install-module: $(B)/mailslotfs.ko
	install -D -m 644 $< $(DESTDIR)$(MODDIR)/mailslotfs.ko
	$(if $(DESTDIR),,depmod -a $(KVER))

install-tools: build/tools/mailslot $(if $(RST2MAN),man)
	install -D -m 755 build/tools/mailslot $(DESTDIR)$(BINDIR)/mailslot
	install -D -m 644 include/uapi/linux/mailslot.h $(DESTDIR)$(INCLUDEDIR)/linux/mailslot.h
ifneq ($(RST2MAN),)
	install -D -m 644 build/man/mailslot.1 $(DESTDIR)$(MANDIR)/man1/mailslot.1
	install -D -m 644 build/man/mailslotfs.5 $(DESTDIR)$(MANDIR)/man5/mailslotfs.5
else
	@echo "man pages not installed: no rst2man (install python3-docutils)"
endif

uninstall:
	rm -f $(DESTDIR)$(MODDIR)/mailslotfs.ko $(DESTDIR)$(BINDIR)/mailslot \
		$(DESTDIR)$(INCLUDEDIR)/linux/mailslot.h \
		$(DESTDIR)$(MANDIR)/man1/mailslot.1 $(DESTDIR)$(MANDIR)/man5/mailslotfs.5
	$(if $(DESTDIR),,depmod -a $(KVER))

# DKMS: the sources of the module, in /usr/src/mailslotfs-VERSION
DKMS_DIR ?= /usr/src/mailslotfs-$(MSFS_VERSION)
DKMS_SRC := Makefile Kbuild Kconfig VERSION include/uapi/linux/mailslot.h \
	$(filter-out mailslotfs/kunit.c common/test.h %_tests.h, \
		     $(wildcard common/*.[ch] mailslotfs/*.[ch] net/*.[ch]))

# dkms.conf with the version of VERSION
build/dkms.conf: dkms.conf VERSION
	@mkdir -p $(@D)
	sed 's/#MODULE_VERSION#/$(MSFS_VERSION)/' $< >$@

install-dkms-src: build/dkms.conf
	@for f in $(DKMS_SRC); do install -D -m 644 $$f $(DESTDIR)$(DKMS_DIR)/$$f || exit 1; done
	install -m 644 build/dkms.conf $(DESTDIR)$(DKMS_DIR)/dkms.conf

dkms-install: install-dkms-src
	dkms status -m mailslotfs -v $(MSFS_VERSION) | grep -q . || \
		dkms add -m mailslotfs -v $(MSFS_VERSION)
	dkms install -m mailslotfs -v $(MSFS_VERSION) -k $(KVER)

dkms-uninstall:
	! dkms status -m mailslotfs -v $(MSFS_VERSION) | grep -q . || \
		dkms remove -m mailslotfs -v $(MSFS_VERSION) --all
	rm -rf $(DESTDIR)$(DKMS_DIR)

clean:
	rm -rf build mailslotfs.ko
	rm -f $(addprefix selftests/,$(shell cat selftests/.gitignore 2>/dev/null))
