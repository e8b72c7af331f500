# Hot Restart for TamaGo — build, boot and test the firmware image.
#
#   make                      build the ELF image for TARGET (default mx6ullevk = QEMU / NXP EVK)
#   make APP=../myfirmware IMAGE=myfw   build your own firmware (a main package calling kernel.Main)
#   make qemu                 build and boot it under qemu-system-arm, console on stdio
#   make test                 host tests, both targets built, QEMU integration tests
#   make TARGET=usbarmory imx flashable USB armory Mk II image
#   make TARGET=usbarmory AUTHORIZED_KEYS=~/.ssh/id_ed25519.pub   SSH console over USB
#   make qemu AUTHORIZED_KEYS=~/.ssh/id_ed25519.pub   SSH console over the EVK's ENET, on 127.0.0.1:2222 (SSH_PORT)
#   make TUNABLES='pmm.rambankSize=0x400000 hrCtrl.maxBadness=5'   static tunables
#   make VERSION=v2 UPGRADE_KEY=minisign.pub   image version; only images signed with that key upgrade it
#   make SECURITY_VERSION=3   security version: a board refuses upgrades below the highest it committed
#   go run ./tools/hrbuild image|imx|qemu …   the build itself, which image, imx and qemu run (a user's module: go tool hrbuild)

TARGET   ?= mx6ullevk
TUNABLES ?=
STARTUP  ?=
# An OpenSSH authorized_keys file built into the image; empty: no network console.
AUTHORIZED_KEYS ?=
# The image's version (banner, `version`, upgrade manifest) and the minisign
# public key a hot upgrade must be signed with (empty: no signature needed).
VERSION ?= $(shell git describe --always --dirty 2>/dev/null || echo unknown)
UPGRADE_KEY ?=
# The image's security version (a uint32 in the signed manifest): raise it
# when a release fixes a hole, so no board takes the older images back.
SECURITY_VERSION ?= 0
BUILD    ?= build
IMAGE    ?= hr-$(TARGET)
# APP is the firmware's main package: a directory (this module's or one of
# your own module, which is then built from inside it so that its go.mod
# applies) or a package path of this module. The default is the built-in
# image with the examples.
APP      ?= ./kernel/image
APP_DIR   = $(if $(wildcard $(APP)/*.go),$(abspath $(APP)))

SHELL := /bin/bash
export GOTOOLCHAIN := local
# GOMAXPROCS=1: tamago-go's GOOSPKG resolution calls modload.ListModules from
# the parallel package preloader (width GOMAXPROCS) and races on the in-memory
# go.mod ("index out of range" in modfile, seen once in ~15 builds); -p 2
# keeps two compiles running.
GOENV      := GOOS=tamago GOARCH=arm GOARM=7 GOOSPKG=github.com/usbarmory/tamago GOMAXPROCS=1
# GOTAGS: more build tags for the firmware (qemu/testdata/myfirmware's v2).
TOOLCHAIN  := tamago-go1.26.0
STATICCHECK := v0.6.1
TAMAGO_ROOT = $${XDG_CACHE_HOME:-$$HOME/.cache}/tamago-go/$(TOOLCHAIN)
# The wrapper path is resolved without GOOS set (tamago-notes §9).
TAMAGO     = $$(go tool -n github.com/usbarmory/tamago/cmd/tamago)

# The host port QEMU forwards to the EVK's SSH console (10.0.0.1:22).
SSH_PORT ?= 2222

# tools/hrbuild/qemu.go has the QEMU command line: with a key built in, the
# EVK's first ENET is on QEMU's user-mode network (no root needed), the host
# 10.0.0.2 as on the Mk II's USB link, and only 127.0.0.1:$(SSH_PORT)
# reaches the board.
ifeq ($(filter $(TARGET),mx6ullevk usbarmory),)
$(error TARGET must be mx6ullevk or usbarmory, not "$(TARGET)")
endif

# The board packages that are pure Go (host-tested); the others build only
# with GOOS=tamago.
BOARD_HOST_PKGS = ./board/tunables ./board/loadable ./board/internal/rxbuf ./board/internal/seq ./board/internal/ethlink
HOST_PKGS = $$(go list ./... 2>/dev/null | grep -v -e '/board/' -e '/qemu$$') $(BOARD_HOST_PKGS)

.PHONY: all image toolchain qemu qemu-gdb test test-host test-qemu test-qemu10 test-qemu-both build-all vet fuzz bench qemu-install qemu10-install imx imx-tools clean

all: image

# tamago-go is installed into the user cache on first use: the wrapper clones
# https://github.com/usbarmory/tamago-go at $(TOOLCHAIN) and builds it
# (about 7 minutes on 2 cores). GOOS must not be set while it builds.
toolchain:
	@mkdir -p $(BUILD)
	@if ! [ -x "$(TAMAGO_ROOT)/bin/go" ] || ! [ -d "$(TAMAGO_ROOT)/pkg/tool" ]; then \
		rm -rf "$(TAMAGO_ROOT)"; \
		echo "toolchain: installing $(TOOLCHAIN) into $(TAMAGO_ROOT) (first run, ~7 min)"; \
		if ! env -u GOOS -u GOARCH -u GOARM -u GOOSPKG $(TAMAGO) version >$(BUILD)/toolchain.log 2>&1; then \
			rm -rf "$(TAMAGO_ROOT)"; \
			echo "make: cannot install the $(TOOLCHAIN) compiler: cloning https://github.com/usbarmory/tamago-go or building it failed (details: $(BUILD)/toolchain.log)." >&2; \
			exit 1; \
		fi; \
	fi

# The build is tools/hrbuild, the same program a user's own module runs as
# `go tool hrbuild` (README "Write your own service"): the tunables are
# validated on the host and laid over the committed defaults (with the
# startup script, authorized keys and upgrade key: -overlay); the manifest
# (kernel/upgrade) is added to the linked ELF as the non-loaded section
# .hr.manifest, before tools/hotspan's span is written into it.
HRBUILD = go run ./tools/hrbuild
HRBUILD_FLAGS = -target $(TARGET) -o $(BUILD) -name $(IMAGE) -version "$(VERSION)" -security "$(SECURITY_VERSION)" \
	$(if $(UPGRADE_KEY),-upgrade-key "$(UPGRADE_KEY)") $(if $(AUTHORIZED_KEYS),-authorized-keys "$(AUTHORIZED_KEYS)") \
	$(if $(STARTUP),-startup "$(STARTUP)") $(if $(GOTAGS),-tags "$(GOTAGS)") -tunables "$(TUNABLES)" \
	-C $(or $(APP_DIR),$(CURDIR)) $(if $(APP_DIR),.,$(APP))

image: toolchain imx-tools
	@$(HRBUILD) image $(HRBUILD_FLAGS)

# Flashable Mk II (or EVK) image, tamago-example's recipe (tools/hrbuild/imx.go): the
# ELF as a flat binary from 0x80010000 holding every allocated PROGBITS
# section, then an i.MX boot image whose DCD (tamago's imximage.cfg) sets up
# clocks and DRAM before the boot ROM loads it, its IVT entry the ELF's. The
# BSS is not shipped: the image's own cpuinit zeroes it at every boot
# (board/internal/imx6/cpuinit_arm.s), so 32 MiB of zeroes stay out of the
# file. The sections are taken from the ELF rather than listed, since a
# fixed list silently drops new ones: Go 1.26 keeps runtime.firstmoduledata
# in .go.module.
OBJCOPY := arm-none-eabi-objcopy

ifneq ($(filter imx,$(MAKECMDGOALS)),)
ifeq ($(filter usbarmory mx6ullevk,$(TARGET)),)
$(error make imx builds the Mk II or EVK image, with tamago's DCD for it: use TARGET=usbarmory or TARGET=mx6ullevk)
endif
endif

imx: toolchain imx-tools
	@$(HRBUILD) imx $(HRBUILD_FLAGS)

# Debian's objcopy has no ARM ELF support; mkimage is in u-boot-tools.
imx-tools:
	@command -v $(OBJCOPY) >/dev/null && command -v mkimage >/dev/null || { \
		echo "imx: installing Debian's binutils-arm-none-eabi and u-boot-tools"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq binutils-arm-none-eabi u-boot-tools >/dev/null; }

# The QEMU suite also drives the SSH console with OpenSSH's own client and
# with Ansible's raw module (README "Many boards").
qemu-install:
	@command -v qemu-system-arm >/dev/null || { \
		echo "qemu-system-arm missing: installing Debian's package"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq qemu-system-arm >/dev/null; }
	@command -v ssh >/dev/null || { \
		echo "ssh missing: installing Debian's openssh-client"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openssh-client >/dev/null; }
	@command -v ansible-playbook >/dev/null || { \
		echo "ansible-playbook missing: installing Debian's ansible-core"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ansible-core >/dev/null; }

qemu: toolchain imx-tools qemu-install
	@$(HRBUILD) qemu -ssh-port $(SSH_PORT) $(HRBUILD_FLAGS)

qemu-gdb: toolchain imx-tools qemu-install
	@$(HRBUILD) qemu -gdb -ssh-port $(SSH_PORT) $(HRBUILD_FLAGS)

vet: toolchain
	go vet $(HOST_PKGS) ./qemu
	go run honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK) $(HOST_PKGS) ./qemu
	$(GOENV) $(TAMAGO) vet -p 2 -tags mx6ullevk,linkramsize,linkprintk,linkcpuinit ./kernel ./kernel/trap ./kernel/image ./board/...
	$(GOENV) $(TAMAGO) vet -p 2 -tags usbarmory,linkramsize,linkprintk,linkcpuinit ./kernel ./kernel/trap ./kernel/image ./board/...
	tamago=$(TAMAGO) && cd $(APP_TEST) && $(GOENV) $$tamago vet -p 2 -tags mx6ullevk,linkramsize,linkprintk,linkcpuinit .
	tamago=$(TAMAGO) && cd $(APP_TEST) && $(GOENV) $$tamago vet -p 2 -tags mx6ullevk,linkramsize,linkprintk,linkcpuinit,v2 .

# Fuzz targets of every parser that takes outside bytes (package:target).
# `make fuzz` runs each for FUZZTIME; test-host runs each for 2 s (≈ 30–60 s in all), and pmm's
# FuzzOpen longer, as before. What a run finds is saved under the package's
# testdata/fuzz and becomes a regression test of the plain `go test`.
FUZZ_TARGETS := ./pmm:FuzzOpen ./pmm:FuzzDamageOneRecord ./pmm/record:FuzzLoad ./kernel/bootrec:FuzzDecode ./kernel/crashlog:FuzzAttach \
	./kernel/upgrade:FuzzParse ./kernel/upgrade:FuzzParseManifest ./kernel/upgrade:FuzzVerify ./kernel/upgrade:FuzzUnmarshalState \
	./kernel/console:FuzzSession ./kernel/console:FuzzExec ./kernel/netconsole:FuzzExecRequest ./kernel/tunables:FuzzParse \
	./actors:FuzzMigrate ./actors:FuzzParseDesc \
	./actors:FuzzShowState
FUZZTIME ?= 30s

fuzz:
	@for t in $(FUZZ_TARGETS); do \
		echo "fuzz: $${t#*:} in $${t%%:*} for $(FUZZTIME)"; \
		go test -count=1 -run='^$$' -fuzz="^$${t#*:}$$" -fuzztime=$(FUZZTIME) $${t%%:*} || exit 1; \
	done

# make test fuzzes by count, not time: Go 1.26's coordinator can report a
# spurious "context deadline exceeded" when a -fuzztime duration ends
# while a worker is busy (go.dev/issue/75804, fixed in Go 1.27).
test-host:
	go test -count=1 $(HOST_PKGS)
	cd $(APP_TEST) && go test -count=1 -tags v2 . && go test -count=1 -tags v3 . && go test -count=1 .
	go test -count=1 -run='^$$' -fuzz=FuzzOpen -fuzztime=100000x ./pmm
	$(MAKE) fuzz FUZZTIME=500x FUZZ_TARGETS="$(filter-out ./pmm:FuzzOpen,$(FUZZ_TARGETS))"

# The QEMU suite also boots a second EVK image with a startup script and
# tighter tunables (qemu/testdata), to exercise the policy and the breaker.
TEST_TUNABLES := hrCtrl.maxBadness=2 hrCtrl.interval=60000 hrCtrl.minRunTime=0 kern.crashLoopCount=3
# ...and a third with a test key (qemu/testdata/ssh, never to be authorized
# on a real board) for the SSH tests over the emulated ENET.
SSH_TEST_KEY := qemu/testdata/ssh/id_ed25519
# The upgrade tests boot a second version of the EVK image, one that
# crash-loops and one that panics (qemu/testdata/upgrade); the SSH image trusts a test minisign
# key (never to be trusted on a real board) and refuses unsigned upgrades.
UPGRADE_TEST_KEY := qemu/testdata/upgrade/minisign

# The soak image lets thousands of quick failures restart their groups
# without escalating: badness decays every 100 ms and never reaches 1000.
SOAK_TUNABLES := hrCtrl.maxBadness=1000 hrCtrl.interval=100 hrCtrl.minRunTime=0 hrCtrl.maxBackoff=0 pmm.maxBlocks=64

# ...and a firmware of another module, built as a user builds theirs
# (README "Write your own service").
APP_TEST := qemu/testdata/myfirmware

build-all:
	$(MAKE) imx TARGET=usbarmory
	$(MAKE) image TARGET=mx6ullevk
	$(MAKE) image TARGET=mx6ullevk IMAGE=hr-test STARTUP=qemu/testdata/startup.rc TUNABLES="$(TEST_TUNABLES)"
	$(MAKE) image TARGET=mx6ullevk IMAGE=hr-soak TUNABLES="$(SOAK_TUNABLES)"
	$(MAKE) image TARGET=mx6ullevk IMAGE=hr-ssh AUTHORIZED_KEYS=$(SSH_TEST_KEY).pub UPGRADE_KEY=$(UPGRADE_TEST_KEY).pub
	$(MAKE) image TARGET=mx6ullevk IMAGE=hr-app APP=$(APP_TEST) VERSION=app-test
	$(MAKE) image TARGET=mx6ullevk IMAGE=hr-app-v2 APP=$(APP_TEST) VERSION=app-v2 GOTAGS=v2 TUNABLES=kern.upgradeTrial=8000
	$(MAKE) image TARGET=mx6ullevk IMAGE=hr-app-bad APP=$(APP_TEST) VERSION=app-bad GOTAGS=badstate
	$(MAKE) image TARGET=mx6ullevk IMAGE=hr-app-auto APP=$(APP_TEST) VERSION=app-auto GOTAGS=autostart
	$(MAKE) image TARGET=mx6ullevk IMAGE=hr-app-v3 APP=$(APP_TEST) VERSION=app-v3 GOTAGS=v3 TUNABLES=kern.upgradeTrial=8000
	$(MAKE) image TARGET=mx6ullevk IMAGE=hr-app-incompat APP=$(APP_TEST) VERSION=app-incompat GOTAGS=incompat
	$(MAKE) image TARGET=mx6ullevk IMAGE=hr-app-same APP=$(APP_TEST) VERSION=app-same
	$(MAKE) image TARGET=mx6ullevk IMAGE=hr-app-badtype APP=$(APP_TEST) VERSION=app-badtype GOTAGS=badtype
	$(MAKE) image TARGET=mx6ullevk IMAGE=hr-app-v3panic APP=$(APP_TEST) VERSION=app-v3panic GOTAGS=v3panic TUNABLES=kern.upgradeTrial=8000
	$(MAKE) image TARGET=mx6ullevk IMAGE=hr-v2 VERSION=v2-test STARTUP=qemu/testdata/upgrade/v2.rc TUNABLES=kern.upgradeTrial=8000
	$(MAKE) image TARGET=mx6ullevk IMAGE=hr-v2-bad VERSION=v2-bad STARTUP=qemu/testdata/upgrade/crashloop.rc
	$(MAKE) image TARGET=mx6ullevk IMAGE=hr-v2-panic VERSION=v2-panic STARTUP=qemu/testdata/upgrade/panic.rc
	$(MAKE) image TARGET=mx6ullevk IMAGE=hr-sec1 VERSION=sec1-test SECURITY_VERSION=1
	$(MAKE) image TARGET=mx6ullevk IMAGE=hr-loop STARTUP=qemu/testdata/loop.rc

# QEMU 9.1 and later model the i.MX UART's 32-entry receive FIFO as silicon
# has it; Debian 12's 7.2 holds one character. The suite passes on both:
# test-qemu10 runs it again on QEMU >= 9.1, the system's where it is that
# recent, otherwise Debian's 10.0 from bookworm-backports unpacked into the
# user cache beside the system's 7.2 (tools/qemu10/install.sh).
QEMU10_VERSION := 1:10.0.2+ds-2+deb13u1~bpo12+1
QEMU10_DIR = $${XDG_CACHE_HOME:-$$HOME/.cache}/hr-qemu/10.0.2

qemu10-install:
	@[ -x "$(QEMU10_DIR)/bin/qemu-system-arm" ] || tools/qemu10/install.sh "$(QEMU10_DIR)" "$(QEMU10_VERSION)"

test-qemu10: qemu10-install
	@PATH="$(QEMU10_DIR)/bin:$$PATH" && echo "test-qemu10: $$(qemu-system-arm --version | head -1)" && \
	$(MAKE) --no-print-directory test-qemu PATH="$$PATH" QEMU_LOG=qemu10-test.log

QEMU_LOG ?= qemu-test.log

test-qemu: qemu-install
	@echo "test-qemu: $$(qemu-system-arm --version | head -1)"
	HR_IMAGE=$(CURDIR)/$(BUILD)/hr-mx6ullevk.elf HR_TEST_IMAGE=$(CURDIR)/$(BUILD)/hr-test.elf \
	HR_MK2_IMAGE=$(CURDIR)/$(BUILD)/hr-usbarmory.elf HR_IMX=$(CURDIR)/$(BUILD)/hr-usbarmory.imx \
	HR_SOAK_IMAGE=$(CURDIR)/$(BUILD)/hr-soak.elf HR_APP_IMAGE=$(CURDIR)/$(BUILD)/hr-app.elf \
	HR_APP_V2_IMAGE=$(CURDIR)/$(BUILD)/hr-app-v2.elf HR_APP_BAD_IMAGE=$(CURDIR)/$(BUILD)/hr-app-bad.elf HR_APP_AUTO_IMAGE=$(CURDIR)/$(BUILD)/hr-app-auto.elf \
	HR_APP_V3_IMAGE=$(CURDIR)/$(BUILD)/hr-app-v3.elf HR_APP_INCOMPAT_IMAGE=$(CURDIR)/$(BUILD)/hr-app-incompat.elf \
	HR_APP_SAME_IMAGE=$(CURDIR)/$(BUILD)/hr-app-same.elf HR_APP_BADTYPE_IMAGE=$(CURDIR)/$(BUILD)/hr-app-badtype.elf \
	HR_APP_V3PANIC_IMAGE=$(CURDIR)/$(BUILD)/hr-app-v3panic.elf \
	HR_SSH_IMAGE=$(CURDIR)/$(BUILD)/hr-ssh.elf HR_SSH_KEY=$(CURDIR)/$(SSH_TEST_KEY) \
	HR_V2_IMAGE=$(CURDIR)/$(BUILD)/hr-v2.elf HR_SEC1_IMAGE=$(CURDIR)/$(BUILD)/hr-sec1.elf HR_V2BAD_IMAGE=$(CURDIR)/$(BUILD)/hr-v2-bad.elf \
	HR_V2PANIC_IMAGE=$(CURDIR)/$(BUILD)/hr-v2-panic.elf HR_LOOP_IMAGE=$(CURDIR)/$(BUILD)/hr-loop.elf \
	HR_UPGRADE_KEY=$(CURDIR)/$(UPGRADE_TEST_KEY).key HR_TOOL_TEST=1 go test -count=1 -timeout 20m -v $(if $(RUN),-run '$(RUN)') ./qemu 2>&1 | tee $(BUILD)/$(QEMU_LOG) | grep --line-buffered -E '^(--- |PASS|FAIL|ok|panic)|_test\.go:[0-9]+: ' ; test $${PIPESTATUS[0]} -eq 0

# CI runs both suites at once (.ci/run: make test TEST_QEMU=test-qemu-both):
# each keeps one emulator busy at a time, so on two cores both take about the
# time of one. Their lines are prefixed as they come; the logs stay apart.
TEST_QEMU ?= test-qemu

test-qemu-both: qemu-install qemu10-install
	@set -o pipefail; \
	{ $(MAKE) --no-print-directory test-qemu 2>&1 | sed -u 's/^/[qemu] /'; } & a=$$!; \
	{ $(MAKE) --no-print-directory test-qemu10 2>&1 | sed -u 's/^/[qemu10] /'; }; b=$$?; \
	wait $$a; a=$$?; \
	echo "test-qemu-both: exit $$a on the system's QEMU, $$b on QEMU >= 9.1"; \
	test $$a -eq 0 && test $$b -eq 0

test: qemu-install test-host build-all vet $(TEST_QEMU)

bench:
	go test -run='^$$' -bench=. -benchmem ./pmm ./actors

clean:
	rm -rf $(BUILD)
