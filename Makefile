# SPDX-License-Identifier: GPL-2.0
#
#   make                build the modules against KDIR
#   make demo           set everything up, then show the livepatch in a VM
#   make check          set everything up, then run the selftests in a VM
#   make check-upstream the same with the kernel's own C livepatch selftests
#   make bench          measure Rust against upstream's C sample (docs/)
#   make stress         enable/disable cycles under load, on the debug kernel
#   make KDIR=<tree>    use your own Rust-enabled kernel build tree
#
# By default KDIR is the project's test kernel once `make check` or
# `make demo` has built it, else the running kernel's build tree.

KDIR ?= $(shell scripts/kernel.sh kdir 2>/dev/null || echo /lib/modules/$$(uname -r)/build)
BINDGEN ?= $(firstword $(wildcard $(HOME)/.cache/rust_livepatch/tools/bin/bindgen) bindgen)
export LIBCLANG_PATH ?= /usr/lib/llvm-19/lib

modules clean:
	@rustc=$$(scripts/check-kdir.sh $(KDIR)) && \
	$(MAKE) -C $(KDIR) M=$(CURDIR) RUSTC=$$rustc BINDGEN=$(BINDGEN) \
		CLIPPY_DRIVER=$$(dirname $$rustc)/clippy-driver $@

demo check stress:
	@scripts/$@.sh

check-upstream:
	@scripts/check.sh upstream

bench:
	@bench/bench.sh

rustfmt rustfmtcheck:
	@rustfmt --edition 2021 $(if $(filter rustfmtcheck,$@),--check) \
		--config-path $$(scripts/check-kdir.sh --ksrc $(KDIR))/.rustfmt.toml \
		$$(git ls-files '*.rs' ':!livepatch/')

.PHONY: modules clean demo check stress check-upstream bench rustfmt rustfmtcheck
