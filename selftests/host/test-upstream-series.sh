#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The committed patch series (upstream/) is what `make upstream-series`
# makes from the project's files for the default kernel series, with the
# committed series' own author, sign-off, MAINTAINERS lines and base: it
# cannot drift from livepatch/ and the sample.

# The default series' source, whichever kernel this run tests.
ksrc=$(env -u RLP_KVER -u RLP_KSRC -u RLP_KERNEL "$RLP_TOP/scripts/kernel.sh" ksrc 2>/dev/null) ||
	{ echo "cannot get the default series' kernel source (scripts/kernel.sh ksrc)"; exit 1; }
new=$(mktemp -d)
trap 'rm -rf "$new"' EXIT
python3 "$RLP_TOP/scripts/upstream-series.py" --like "$RLP_TOP/upstream" "$ksrc" "$new/upstream" || exit 1
if ! diff -ru "$RLP_TOP/upstream" "$new/upstream"; then
	echo "upstream/ is not what the project's files make: run 'make upstream-series' and commit it"
	exit 1
fi
echo "upstream/: $(ls "$RLP_TOP"/upstream | wc -l) files, up to date for $(basename "$ksrc")"
