# SPDX-License-Identifier: GPL-2.0
#
# Kbuild rules for an external module that mounts this directory as
# `mod livepatch;`. In the module's Kbuild:
#
#   obj-m := my_patch.o
#   klp_modules := my_patch.o
#   include $(src)/livepatch/livepatch.mk
#
# <linux/livepatch.h> is not part of the kernel's own Rust bindings, so the
# module generates bindings for it. The clang flags must be exactly those
# the kernel used for its bindings, or struct layouts could differ. They are
# computed in rust/Makefile, which an external module cannot include, but
# the kernel records the command it ran: take the flags from there.

klp_dir := $(patsubst $(src)/%,%,$(dir $(lastword $(MAKEFILE_LIST))))
klp_bindgen_saved := $(objtree)/rust/bindings/.bindings_generated.rs.cmd
klp_bindgen_cflags = $(shell sed -n -e 's/^savedcmd_[^ ]* := .* -- //' \
	-e 's/ -Wp,-MMD,[^ ]*//' -e 's/ ; .*//p' $(klp_bindgen_saved))

# bindgen ALLOWLIST: the bindings of $< for $@, with the kernel's flags.
quiet_cmd_klp_bindgen = BINDGEN $@
      cmd_klp_bindgen = (cd $(objtree) && $(BINDGEN) $(abspath $<) \
	--use-core --ctypes-prefix ffi --no-layout-tests --no-doc-comments \
	$(klp_bindgen_allowlist) --no-recursive-allowlist \
	--with-derive-custom-struct 'klp_.*=MaybeZeroable' \
	-o $(abspath $@) -- $(klp_bindgen_cflags))

$(obj)/$(klp_dir)bindings_generated.rs: private klp_bindgen_allowlist := \
	--allowlist-type 'klp_.*' --allowlist-function 'klp_.*'
$(obj)/$(klp_dir)bindings_generated.rs: $(src)/$(klp_dir)bindings_helper.h \
		$(klp_bindgen_saved) FORCE
	$(call if_changed,klp_bindgen)

$(addprefix $(obj)/,$(klp_modules)): $(obj)/$(klp_dir)bindings_generated.rs

targets += $(klp_dir)bindings_generated.rs
