# SPDX-License-Identifier: GPL-2.0
#
# mailslotfs: Windows mailslots as a Linux filesystem.
#
#   make                  build mailslotfs.ko for Debian's 6.1 kernel
#   make KVER=<release>   ... for another kernel whose headers are installed
#   make check            install what is missing, build for 6.1 and 6.12,
#                         run checkpatch and sparse, run every test in a guest
#   make demo             show what mailslotfs does, in a guest
#   make install          install the module (and the uapi header) here
#
# Objects go to build/<release>/, one tree per kernel.

KVER ?= $(shell tools/kver 6.1 2>/dev/null)
KDIR ?= /lib/modules/$(KVER)/build
B := build/$(KVER)
SRC := Kbuild $(wildcard mailslotfs/*.[ch]) include/uapi/linux/mailslot.h
KBUILD_ARGS := W=1 KCFLAGS=-Werror

.PHONY: all deps module guest selftests tools check demo install clean

all: mailslotfs.ko tools

deps:
	@tools/deps

mailslotfs.ko: $(B)/mailslotfs.ko
	cp $< $@

# Kbuild writes objects next to the sources: give each kernel a tree of
# links to them.
$(B)/mailslotfs.ko: $(SRC) | deps
	@test -n "$(KVER)" || { echo "no Debian 6.1 kernel: run tools/deps" >&2; exit 1; }
	@mkdir -p $(B)
	@cp -rsf $(CURDIR)/Kbuild $(CURDIR)/mailslotfs $(CURDIR)/include $(B)/
	$(MAKE) -C $(KDIR) M=$(CURDIR)/$(B) $(KBUILD_ARGS) modules

module: $(B)/mailslotfs.ko

# What tools/vm-run needs for a kernel: the module in a module tree of its
# own (so that modprobe finds it and its dependencies), and the initramfs.
MODROOT := $(B)/modroot/lib/modules/$(KVER)
guest: $(MODROOT)/modules.dep $(B)/initramfs.gz

$(MODROOT)/modules.dep: $(B)/mailslotfs.ko
	@mkdir -p $(MODROOT)/extra
	@ln -sfn /lib/modules/$(KVER)/kernel $(MODROOT)/kernel
	@cp /lib/modules/$(KVER)/modules.order /lib/modules/$(KVER)/modules.builtin* $(MODROOT)/
	@cp $< $(MODROOT)/extra/
	depmod -b $(CURDIR)/$(B)/modroot -a $(KVER)

$(B)/initramfs.gz: tools/mkinitramfs tools/vm-init /boot/vmlinuz-$(KVER)
	tools/mkinitramfs $(KVER) $@

# the command-line tool (build/tools/mailslot)
tools: build/tools/mailslot

build/tools/mailslot: tools/mailslot.c include/uapi/linux/mailslot.h
	@mkdir -p $(@D)
	$(CC) -Wall -Wextra -O2 -Iinclude/uapi -o $@ $<

selftests: | deps
	@$(MAKE) -s -C selftests KSFT_DIR=$(shell tools/ksrc selftests) OUTPUT=$(CURDIR)/selftests

check: deps
	tools/check

demo: deps tools
	tools/vm-run -- tools/demo

install: $(B)/mailslotfs.ko tools
	$(MAKE) -C $(KDIR) M=$(CURDIR)/$(B) modules_install
	depmod -a $(KVER)
	install -D -m 644 include/uapi/linux/mailslot.h /usr/local/include/linux/mailslot.h
	install -D -m 755 build/tools/mailslot /usr/local/bin/mailslot

clean:
	rm -rf build mailslotfs.ko
	-$(MAKE) -s -C selftests KSFT_DIR=$$(tools/ksrc selftests) OUTPUT=$(CURDIR)/selftests clean
