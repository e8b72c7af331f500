# Hot Restart for TamaGo — build, boot and test the firmware image.
#
#   make                      build the ELF image for TARGET (default mx6ullevk = QEMU / NXP EVK)
#   make qemu                 build and boot it under qemu-system-arm, console on stdio
#   make test                 host tests, both targets built, QEMU integration tests
#   make TARGET=usbarmory imx flashable USB armory Mk II image
#   make TUNABLES='pmm.rambankSize=0x400000 hrCtrl.maxBadness=5'   static tunables

TARGET   ?= mx6ullevk
TUNABLES ?=
BUILD    ?= build
APP      := $(BUILD)/hr-$(TARGET).elf

SHELL := /bin/bash
export GOTOOLCHAIN := local
GOENV      := GOOS=tamago GOARCH=arm GOARM=7 GOOSPKG=github.com/usbarmory/tamago
TEXT_START := 0x80010000
TAGS       := $(TARGET),linkramsize,linkprintk
TOOLCHAIN  := tamago-go1.26.0
TAMAGO_ROOT = $${XDG_CACHE_HOME:-$$HOME/.cache}/tamago-go/$(TOOLCHAIN)
# The wrapper path is resolved without GOOS set (tamago-notes §9).
TAMAGO     = $$(go tool -n github.com/usbarmory/tamago/cmd/tamago)

QEMU_BASE := qemu-system-arm -machine mcimx6ul-evk -cpu cortex-a7 -m 512M -nographic -monitor none -semihosting -net none
ifeq ($(TARGET),usbarmory)
QEMU_SERIAL := -serial null -serial stdio
else ifeq ($(TARGET),mx6ullevk)
QEMU_SERIAL := -serial stdio -serial null
else
$(error TARGET must be mx6ullevk or usbarmory, not "$(TARGET)")
endif

HOST_PKGS = $$(go list ./... | grep -v -e '/board/' -e '/kernel$$' -e '/qemu$$')

.PHONY: all image toolchain qemu qemu-gdb test test-host test-qemu build-all vet fuzz bench qemu-install imx clean

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

# The tunables are validated on the host and laid over the committed defaults.
image: toolchain
	@go run ./kernel/tunables/gen -o $(BUILD)/values-$(TARGET).go $(TUNABLES)
	@printf '{"Replace":{"%s":"%s"}}\n' "$(CURDIR)/kernel/tunables/values.go" "$(CURDIR)/$(BUILD)/values-$(TARGET).go" > $(BUILD)/overlay-$(TARGET).json
	$(GOENV) $(TAMAGO) build -overlay $(BUILD)/overlay-$(TARGET).json -tags $(TAGS) -trimpath \
		-ldflags "-T $(TEXT_START) -R 0x1000" -o $(APP) ./kernel
	@echo "image: $(APP) ($$(stat -c %s $(APP)) bytes)"

qemu-install:
	@command -v qemu-system-arm >/dev/null || { \
		echo "qemu-system-arm missing: installing Debian's package"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq qemu-system-arm >/dev/null; }

qemu: image qemu-install
	$(QEMU_BASE) $(QEMU_SERIAL) -kernel $(APP)

qemu-gdb: image qemu-install
	$(QEMU_BASE) $(QEMU_SERIAL) -S -s -kernel $(APP)

vet: toolchain
	go vet $(HOST_PKGS)
	$(GOENV) $(TAMAGO) vet -tags $(TAGS) ./kernel ./board/...

test-host:
	go test -count=1 $(HOST_PKGS)
	go test -count=1 -run='^$$' -fuzz=FuzzOpen -fuzztime=15s ./pmm

build-all:
	$(MAKE) image TARGET=usbarmory
	$(MAKE) image TARGET=mx6ullevk

test-qemu: qemu-install
	HR_IMAGE=$(CURDIR)/$(BUILD)/hr-mx6ullevk.elf go test -count=1 -timeout 20m -v ./qemu 2>&1 | tee $(BUILD)/qemu-test.log | grep -E '^(=== RUN|--- |PASS|FAIL|ok|panic)|qemu_test.go|harness' ; test $${PIPESTATUS[0]} -eq 0

test: qemu-install test-host build-all vet test-qemu

bench:
	go test -run='^$$' -bench=. -benchmem ./pmm ./actors

clean:
	rm -rf $(BUILD)
