#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The built rust_livepatch.ko declares itself as the livepatch core and the
# module loader require: modinfo shows "livepatch: Y" (klp_enable_patch()
# refuses a module without it) and a GPL license (klp_enable_patch() is
# EXPORT_SYMBOL_GPL).

. $(dirname $0)/functions.sh

MOD_LIVEPATCH=rust_livepatch

# modinfo_field(field) - the value of field in the module's modinfo
function modinfo_field() {
	modinfo -F "$1" "test_modules/$MOD_LIVEPATCH.ko"
}

echo -n "TEST: modinfo of $MOD_LIVEPATCH.ko ... "
is_livepatch_mod $MOD_LIVEPATCH || die "modinfo lacks livepatch: Y"
[[ "$(modinfo_field license)" == "GPL" ]] ||
	die "license is '$(modinfo_field license)', expected GPL"
[[ "$(modinfo_field name)" == "$MOD_LIVEPATCH" ]] ||
	die "name is '$(modinfo_field name)', expected $MOD_LIVEPATCH"
[[ "$(modinfo_field vermagic)" == "$(uname -r) "* ]] ||
	die "vermagic '$(modinfo_field vermagic)' is not for $(uname -r)"
echo "ok"

exit 0
