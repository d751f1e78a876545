#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# toolchain-root.sh ROOT CMD...: run CMD in ROOT, a root file system of
# another Debian suite that holds the toolchain a kernel was built with
# (scripts/debian-toolchain.sh makes it), in the current directory. The
# project and the cache are mounted at the same paths inside, so that the
# paths Kbuild records mean the same on both sides. The mounts live in a
# mount namespace of CMD's own: nothing stays mounted when it ends.
#
# Needs root (chroot, mount); for another user it runs through sudo and CMD
# runs as that user again, so that what it builds is theirs.

set -e
. "$(dirname "$0")/lib.sh"

root=$1
shift
[ -x "$root/usr/bin/env" ] && [ -f "$root/.rlp-complete" ] ||
	die "$root: not a toolchain root (scripts/debian-toolchain.sh makes them): run 'RLP_KERNEL=debian make check' or 'make distro' again"

if [ "$(id -u)" -ne 0 ]; then
	command -v sudo > /dev/null ||
		die "the Debian kernel's toolchain runs in a chroot, which needs root: run as root or install sudo"
	RLP_USERSPEC="$(id -u):$(id -g)" RLP_CACHE=$RLP_CACHE RLP_LOGS=$RLP_LOGS \
		exec sudo --preserve-env=MAKEFLAGS,MFLAGS,RLP_CACHE,RLP_LOGS,RLP_USERSPEC "$0" "$root" "$@"
fi

# The project and the cache, by their paths as given and as real paths.
binds=$(printf '%s\n' "$RLP_TOP" "$RLP_CACHE" "$(realpath "$RLP_TOP")" "$(realpath "$RLP_CACHE")" |
	sort -u | tr '\n' ' ')
# unshare: the mounts below are CMD's alone. unshare makes "/" private,
# which fails where "/" is not a mount point: in a chroot (a build root, a
# fresh Debian root made by debootstrap). There the mounts go on a private
# bind of ROOT onto itself instead (made once: if ROOT lies on a shared
# mount, that bind alone also appears in the parent's namespace, and
# stays). --rbind: /dev and /proc with what is mounted under them. The same
# PATH as a login shell of the root, none of the caller's tools (its
# rustup, the project's bindgen); nor its LIBCLANG_PATH, which names the
# host's libclang.
if mountpoint -q /; then
	propagation=private
else
	propagation=unchanged
fi
exec unshare --mount --propagation $propagation -- /bin/sh -e -c '
	root=$1 cwd=$2 user=$3 binds=$4 propagation=$5
	shift 5
	if [ "$propagation" = unchanged ]; then
		mountpoint -q "$root" || mount --bind "$root" "$root"
		mount --make-rprivate "$root"
	fi
	for d in /dev /proc; do
		mount --rbind "$d" "$root$d"
	done
	for d in $binds; do
		mkdir -p "$root$d"
		mount --bind "$d" "$root$d"
	done
	exec chroot ${user:+--userspec="$user"} "$root" /usr/bin/env -u LIBCLANG_PATH \
		PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin \
		/bin/sh -c "cd \"\$0\" && exec \"\$@\"" "$cwd" "$@"
' toolchain-root "$root" "$PWD" "${RLP_USERSPEC:-}" "$binds" "$propagation" "$@"
