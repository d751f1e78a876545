# SPDX-License-Identifier: GPL-2.0
#
#   make                build the modules against KDIR
#   make demo           set everything up, then show the livepatch in a VM
#   make check          set everything up, then run the host tests and the
#                       selftests in VMs
#   make check-upstream the same with the kernel's own C livepatch selftests
#   make bench          measure Rust against upstream's C sample (docs/)
#   make stress         enable/disable cycles under load, on the debug kernel
#   make rust-analyzer  write rust-project.json for every module here
#   make upstream-series  write upstream/: the API and sample as patches
#                       for the kernel source of RLP_KVER (default series);
#                       UPSTREAM_OPTS: --signoff, --maintainer 'N <e>',
#                       --reviewer, --list, --base COMMIT, --author
#                       (default: git config)
#   make upstream-check   apply upstream/ and build the kernel after each
#                       patch (bisectable), checkpatch --strict each patch
#   make KDIR=<tree>    use your own Rust-enabled kernel build tree
#   make distro         on Debian's own kernel: build for `uname -r` (the
#                       exact toolchain Debian used, in a chroot), print
#                       the insmod lines
#   make help           every target and variable (scripts/help.txt)
#
# By default KDIR is the project's test kernel (of RLP_KVER, RLP_KSRC,
# RLP_KERNEL) once `make check` or `make demo` has built it, else the
# running kernel's build tree.

KDIR ?= $(shell scripts/kernel.sh kdir 2>/dev/null || echo /lib/modules/$$(uname -r)/build)
RLP_CACHE ?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/rust_livepatch
# A kernel whose toolchain runs in a root of its own (Debian's kernel,
# RLP_KERNEL=debian or `make distro`: the rustc, bindgen and gcc Debian
# built it with, in a chroot of their suite) names that root: the build
# runs there, with that root's bindgen.
klp_root := $(shell cat $(KDIR)/.rlp-root 2>/dev/null)
klp_in_root := $(if $(klp_root),scripts/toolchain-root.sh $(klp_root))
BINDGEN ?= $(if $(klp_root),bindgen,$(firstword $(wildcard $(RLP_CACHE)/tools/bin/bindgen) bindgen))
RUSTFMT ?= $(firstword $(wildcard /usr/bin/rustfmt) rustfmt)
export LIBCLANG_PATH ?= /usr/lib/llvm-19/lib

# The rustc that built KDIR, and the tools that go with it. Recipes that
# call it start with `+`: make hands its jobs (-j) on only to recipes that
# name $(MAKE) directly.
klp_make = rustc=$$($(klp_in_root) scripts/check-kdir.sh $(KDIR)) && \
	$(klp_in_root) $(MAKE) -C $(KDIR) M=$(CURDIR) RUSTC=$$rustc BINDGEN=$(BINDGEN) \
		RUSTFMT=$(RUSTFMT) CLIPPY_DRIVER=$$(dirname $$rustc)/clippy-driver

# After the build, each replacement's C prototype against the kernel's BTF
# (where the kernel has BTF): a mismatch fails the build.
modules:
	+@$(klp_make) $@
	@python3 scripts/check-prototypes.py $(KDIR) $$(find . -name '*.ko' -not -path './.git/*' -not -path './selftests/prototype_fail/*')

clean:
	+@$(klp_make) $@

rust-analyzer: modules
	+@$(klp_make) rust-analyzer
	@python3 scripts/rust-project.py rust-project.json Kbuild $(KDIR)

upstream-series:
	@python3 scripts/upstream-series.py $(UPSTREAM_OPTS) "$$(scripts/kernel.sh ksrc)" upstream

upstream-check:
	@scripts/upstream-check.sh

demo check stress distro:
	@scripts/$@.sh

check-upstream:
	@scripts/check.sh upstream

bench:
	@bench/bench.sh

rustfmt rustfmtcheck:
	@$(RUSTFMT) --edition 2021 $(if $(filter rustfmtcheck,$@),--check) \
		--config-path $$(scripts/check-kdir.sh --ksrc $(KDIR))/.rustfmt.toml \
		$$(git ls-files '*.rs')

# The targets and variables, from the one list README.md shows too.
help:
	@sed -e '/^#/d' -e '/./,$$!d' scripts/help.txt

.PHONY: modules clean rust-analyzer upstream-series upstream-check demo check stress distro \
	check-upstream bench rustfmt rustfmtcheck help
