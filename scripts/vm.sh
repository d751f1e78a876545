#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vm.sh KDIR TIMEOUT CMD: boot KDIR's kernel under virtme-ng with the host's
# root file system (read-only, writable overlays), run CMD as root, stream
# its output and return its exit code. The guest console goes to a log
# (VM_CONSOLE) whose tail is shown if the VM fails or times out.
#
# A KDIR that is not the kernel's build tree (RLP_KERNEL=debian) names the
# image to boot in .rlp-boot: Debian's vmlinuz, unpacked beside its modules
# (usr/lib/modules/<abi>/), where virtme-ng finds the ones it needs to boot
# (9p, virtio, overlay: modules in Debian's build) for its initramfs and
# links the directory to the guest's /lib/modules/<abi>.
#
# KVM is used only when a probe shows it can boot this kernel (nested or
# paravirtual KVMs may hang); otherwise QEMU's TCG emulation.

set -e
. "$(dirname "$0")/lib.sh"

KDIR=$1 TIMEOUT=$2 CMD=$3
VM_CPUS=${VM_CPUS:-2}
VM_MEMORY=${VM_MEMORY:-2G}

BOOT=$KDIR
[ ! -f "$KDIR/.rlp-boot" ] || BOOT=$(cat "$KDIR/.rlp-boot")
VNG=(vng --run "$BOOT" --user root --cpus "$VM_CPUS" --memory "$VM_MEMORY" --verbose
     ${VM_APPEND:+--append "$VM_APPEND"})
# TCG emulates the vCPUs in one host thread (VM_TCG_THREAD=single) unless
# asked for one thread per vCPU (multi). With multi, under load, guests
# died of an int3 trap at an ftrace site that the kernel had finished
# patching ("Oops: int3" in cmdline_proc_show, `make stress` after 65
# cycles); with single, 200 cycles pass: a cross-vCPU code-modification
# effect of the emulator, not of the kernel, as far as we can tell.
VM_TCG_THREAD=${VM_TCG_THREAD:-single}

# Cached per host kernel, CPU and test kernel: a probe that hangs costs
# its whole timeout, so it runs once.
kvm_works() {
	[ -w /dev/kvm ] || return 1
	local key stamp
	key=$( (uname -r; grep -m1 'model name' /proc/cpuinfo; readlink -f "$KDIR") | sha256sum | cut -c1-12)
	stamp="$RLP_CACHE/kvm-probe-$key"
	if [ ! -f "$stamp" ]; then
		info "Probing whether KVM can boot the test kernel (at most 60 s, once)"
		# Through a temporary file: parallel VMs may probe at once.
		if timeout -k 5 60 "${VNG[@]}" --exec true </dev/null >/dev/null 2>&1; then
			echo yes > "$stamp.$$"
		else
			echo no > "$stamp.$$"
		fi
		mv -f "$stamp.$$" "$stamp"
	fi
	[ "$(cat "$stamp")" = yes ]
}

if [ "${VM_ACCEL:-auto}" = tcg ] || ! kvm_works; then
	accel=(--disable-kvm "--qemu-opts=-accel tcg,thread=$VM_TCG_THREAD")
	info "VM: QEMU TCG emulation (no usable KVM; thread=$VM_TCG_THREAD), $VM_CPUS CPUs, $VM_MEMORY"
else
	accel=()
	info "VM: KVM, $VM_CPUS CPUs, $VM_MEMORY"
fi

[ ${#accel[@]} -gt 0 ] && echo "TCG (thread=$VM_TCG_THREAD)" > "$RLP_LOGS/vm-accel" ||
	echo KVM > "$RLP_LOGS/vm-accel"
console=${VM_CONSOLE:-$RLP_LOGS/vm-console.log}
info "guest console log: $console"
# Through a pipe: vng reopens its standard output, which truncates it when
# it is a file (the log of a whole `make check`).
# (No pipefail here: the pipeline's status is cat's.)
timeout -k 10 "$TIMEOUT" "${VNG[@]}" "${accel[@]}" --exec "$CMD" </dev/null 2>"$console" | cat
rc=${PIPESTATUS[0]}
if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
	echo "---- last 30 lines of the guest console ($console) ----" >&2
	tail -n 30 "$console" >&2
	echo "ERROR: the VM did not finish within $TIMEOUT s" >&2
elif [ "$rc" -eq 255 ]; then
	echo "---- last 30 lines of the guest console ($console) ----" >&2
	tail -n 30 "$console" >&2
	echo "ERROR: the VM failed (exit $rc)" >&2
elif grep -q 'starting script (console fallback)' "$console"; then
	# virtme-ng-init waits a bounded time for udev, then for the port that
	# carries the command's output; on an overloaded host both can time out.
	echo "ERROR: the command's output went to the guest console ($console), not here: virtme-ng-init found no virtio-serial port, probably as the host was too busy; run again when it is less loaded" >&2
	[ "$rc" -ne 0 ] || rc=1
elif kernel_reports "$console" > /dev/null; then
	echo "---- kernel reports in the guest console ($console) ----" >&2
	kernel_reports "$console" 12 | head -n 60 >&2
	echo "ERROR: the guest kernel reported $(count_kernel_reports "$console") problem(s): a kernel bug, or one in a module under test; see the console log" >&2
	[ "$rc" -ne 0 ] || rc=1
fi
exit "$rc"
