# SPDX-License-Identifier: GPL-2.0
#
# mailslotfs: Windows mailslots as a Linux filesystem.
#
#   make                  build mailslotfs.ko for Debian's 6.1 kernel
#   make KVER=<release>   ... for another kernel whose headers are installed
#   make install          install the module (and the uapi header) here
#
# Objects go to build/<release>/, one tree per kernel.

KVER ?= $(shell tools/kver 6.1 2>/dev/null)
KDIR ?= /lib/modules/$(KVER)/build
B := build/$(KVER)
SRC := Kbuild $(wildcard mailslotfs/*.[ch]) include/uapi/linux/mailslot.h
KBUILD_ARGS := W=1 KCFLAGS=-Werror

.PHONY: all deps module install clean

all: mailslotfs.ko

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

install: $(B)/mailslotfs.ko
	$(MAKE) -C $(KDIR) M=$(CURDIR)/$(B) modules_install
	depmod -a $(KVER)
	install -D -m 644 include/uapi/linux/mailslot.h /usr/local/include/linux/mailslot.h

clean:
	rm -rf build mailslotfs.ko
