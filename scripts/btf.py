# SPDX-License-Identifier: GPL-2.0
"""The prototypes of functions in a kernel's BTF (Documentation/bpf/btf.rst):
the .BTF section of vmlinux, or of a module (split BTF, whose type ids follow
vmlinux's). Only what a prototype check needs: FUNC, FUNC_PROTO, and the
types their arguments and results resolve to.

A type is given as a kind, the form the livepatch API's CType and Ret
describe their C types in (livepatch/adapter.rs, `Kind`):
"void", "bool", "int <size> <s|u>", "ptr void", "ptr struct <name>",
"ptr union <name>", "ptr" (a pointer to anything else).
"""

import struct

KINDS = {1: "INT", 2: "PTR", 3: "ARRAY", 4: "STRUCT", 5: "UNION", 6: "ENUM",
         7: "FWD", 8: "TYPEDEF", 9: "VOLATILE", 10: "CONST", 11: "RESTRICT",
         12: "FUNC", 13: "FUNC_PROTO", 14: "VAR", 15: "DATASEC", 16: "FLOAT",
         17: "DECL_TAG", 18: "TYPE_TAG", 19: "ENUM64"}


def elf_section(data: bytes, name: str):
    """The bytes of section `name` of an ELF64 little-endian file, or None."""
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        raise ValueError("not an ELF64 little-endian file")
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3a)
    sections = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize)
                for i in range(shnum)]
    strtab = sections[shstrndx]
    for s in sections:
        end = data.index(b"\0", strtab[4] + s[0])
        if data[strtab[4] + s[0]:end].decode() == name:
            return data[s[4]:s[4] + s[5]]
    return None


class Btf:
    """The types of one BTF blob; `base`, for split BTF, the vmlinux one."""

    def __init__(self, blob: bytes, base=None):
        magic, version, flags, hdr_len, type_off, type_len, str_off, str_len = \
            struct.unpack_from("<HBBIIIII", blob, 0)
        if magic != 0xeb9f:
            raise ValueError("no BTF magic")
        self.base = base
        self.strings = blob[hdr_len + str_off:hdr_len + str_off + str_len]
        self.str_base = len(base.all_strings()) if base else 0
        self.first_id = base.next_id() if base else 1
        self.types = []
        self.funcs = {}
        data = blob[hdr_len + type_off:hdr_len + type_off + type_len]
        off = 0
        while off < len(data):
            name_off, info, size_type = struct.unpack_from("<III", data, off)
            off += 12
            kind = KINDS.get((info >> 24) & 0x1f, "?")
            vlen = info & 0xffff
            extra = None
            if kind == "INT":
                extra = struct.unpack_from("<I", data, off)[0]
                off += 4
            elif kind == "ARRAY":
                off += 12
            elif kind in ("STRUCT", "UNION"):
                off += 12 * vlen
            elif kind == "ENUM":
                off += 8 * vlen
            elif kind == "ENUM64":
                off += 12 * vlen
            elif kind == "FUNC_PROTO":
                extra = [struct.unpack_from("<II", data, off + 8 * i) for i in range(vlen)]
                off += 8 * vlen
            elif kind == "VAR":
                off += 4
            elif kind == "DATASEC":
                off += 12 * vlen
            elif kind == "DECL_TAG":
                off += 4
            t = (kind, name_off, info, size_type, extra)
            if kind == "FUNC":
                self.funcs.setdefault(self.name(t), []).append(self.first_id + len(self.types))
            self.types.append(t)

    def all_strings(self) -> bytes:
        return (self.base.all_strings() if self.base else b"") + self.strings

    def next_id(self) -> int:
        return self.first_id + len(self.types)

    def string(self, off: int) -> str:
        if self.base and off < self.str_base:
            return self.base.string(off)
        s = self.strings
        off -= self.str_base
        return s[off:s.index(b"\0", off)].decode()

    def name(self, t) -> str:
        return self.string(t[1])

    def type(self, tid: int):
        if tid < self.first_id:
            return self.base.type(tid)
        return self.types[tid - self.first_id]

    def resolve(self, tid: int):
        """The type `tid` is, through typedefs and qualifiers; None: void."""
        while tid:
            t = self.type(tid)
            if t[0] not in ("TYPEDEF", "CONST", "VOLATILE", "RESTRICT", "TYPE_TAG"):
                return t
            tid = t[3]
        return None

    def kind(self, tid: int) -> str:
        t = self.resolve(tid)
        if t is None:
            return "void"
        if t[0] == "INT":
            encoding = (t[4] >> 24) & 0xf
            if encoding & 4:
                return "bool"
            return f"int {t[3]} {'s' if encoding & 1 else 'u'}"
        if t[0] in ("ENUM", "ENUM64"):
            return f"int {t[3]} {'s' if (t[2] >> 31) & 1 else 'u'}"
        if t[0] == "PTR":
            target = self.resolve(t[3])
            if target is None:
                return "ptr void"
            if target[0] in ("STRUCT", "UNION", "FWD"):
                union = target[0] == "UNION" or (target[0] == "FWD" and (target[2] >> 31) & 1)
                return f"ptr {'union' if union else 'struct'} {self.name(target)}"
            return "ptr"
        return t[0].lower()

    def prototypes(self, name: str) -> list:
        """The prototypes of the functions named `name`: [result, args...]."""
        found = []
        for fid in self.funcs.get(name, []) + (self.base.funcs.get(name, []) if self.base else []):
            proto = self.type(self.type(fid)[3])
            found.append([self.kind(proto[3])] + [self.kind(a[1]) for a in proto[4]])
        return found


def load(path: str, base=None):
    """The BTF of `path`, an ELF file or raw BTF (/sys/kernel/btf/vmlinux),
    split on `base` (vmlinux's) or on the distilled base it carries; None
    if it has none."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:2] == b"\x9f\xeb":
        return Btf(data, base)
    blob = elf_section(data, ".BTF")
    # An out-of-tree module's split BTF builds on the distilled base it
    # carries (.BTF.base, pahole's distilled_base), not on vmlinux's: the
    # kernel relocates it onto vmlinux's when it loads the module.
    distilled = elf_section(data, ".BTF.base")
    if distilled:
        base = Btf(distilled)
    return Btf(blob, base) if blob else None
