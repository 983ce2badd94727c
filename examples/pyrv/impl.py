#!/usr/bin/env python3
"""pyrv: a tiny, independent RV32IMA interpreter that speaks popek's vector protocol.

It reads one test vector (JSON) on stdin, runs `stop.steps` instructions from the initial state and
prints the final state (JSON) on stdout, as spec/oracle.md describes. It claims only the
unprivileged rules: RV32I arithmetic, loads and stores, jumps and branches, FENCE, M, A (LR/SC/AMO)
and the Zicsr instructions on plain scratch CSRs, all in M-mode without traps. Check it with

    popek vectors check --impl "python3 examples/pyrv/impl.py" --filter ISA-

which runs only the vectors all of whose rules are ISA-* rules. Standard library only.
"""
import json
import sys

MASK = 0xFFFFFFFF
CSR_NAMES = {0x340: "mscratch", 0x140: "sscratch"}


class Unsupported(Exception):
    pass


def sext(v, bits):
    v &= (1 << bits) - 1
    return v - (1 << bits) if v >> (bits - 1) else v


def signed(v):
    return v - (1 << 32) if v & 0x80000000 else v


class Hart:
    def __init__(self, vec):
        ini = vec["initial"]
        self.pc = int(ini["pc"], 16)
        self.x = [int(v, 16) for v in ini["x"]]
        self.csrs = {name: int(v, 16) for name, v in ini["csrs"].items()}
        self.mem = {}
        for region in ini["mem"]:
            base = int(region["addr"], 16)
            for i, b in enumerate(bytes.fromhex(region["bytes"])):
                self.mem[(base + i) & MASK] = b
        self.reservation = None
        if ini["priv"] != "M" or ini.get("v", 0) != 0:
            raise Unsupported("only M-mode (no H extension)")
        if "htif" in vec:
            raise Unsupported("no HTIF (tohost/fromhost)")

    # --- memory
    def load(self, addr, size):
        return sum(self.mem.get((addr + i) & MASK, 0) << (8 * i) for i in range(size))

    def store(self, addr, size, value):
        for i in range(size):
            self.mem[(addr + i) & MASK] = (value >> (8 * i)) & 0xFF
        # A store to any byte of the reserved word clears the reservation.
        if self.reservation is not None and addr < self.reservation + 4 and addr + size > self.reservation:
            self.reservation = None

    def wr(self, rd, v):
        if rd:
            self.x[rd] = v & MASK

    # --- one instruction
    def step(self):
        w = self.load(self.pc, 4)
        op, rd, f3 = w & 0x7F, (w >> 7) & 31, (w >> 12) & 7
        rs1, rs2, f7 = (w >> 15) & 31, (w >> 20) & 31, w >> 25
        a, b = self.x[rs1], self.x[rs2]
        imm_i = sext(w >> 20, 12)
        next_pc = (self.pc + 4) & MASK
        if op == 0x37:  # LUI
            self.wr(rd, w & 0xFFFFF000)
        elif op == 0x17:  # AUIPC
            self.wr(rd, self.pc + (w & 0xFFFFF000))
        elif op == 0x6F:  # JAL
            off = sext(((w >> 31) << 20) | (((w >> 12) & 0xFF) << 12) | (((w >> 20) & 1) << 11) | (((w >> 21) & 0x3FF) << 1), 21)
            next_pc = self.jump(rd, self.pc + off)
        elif op == 0x67 and f3 == 0:  # JALR
            next_pc = self.jump(rd, (a + imm_i) & ~1)
        elif op == 0x63:  # branches
            off = sext(((w >> 31) << 12) | (((w >> 7) & 1) << 11) | (((w >> 25) & 0x3F) << 5) | (((w >> 8) & 0xF) << 1), 13)
            taken = {0: a == b, 1: a != b, 4: signed(a) < signed(b), 5: signed(a) >= signed(b), 6: a < b, 7: a >= b}.get(f3)
            if taken is None:
                raise Unsupported("branch funct3 %d" % f3)
            if taken:
                target = (self.pc + off) & MASK
                if target & 3:
                    raise Unsupported("misaligned branch target (a trap)")
                next_pc = target
        elif op == 0x03:  # loads
            size, sign = {0: (1, True), 1: (2, True), 2: (4, True), 4: (1, False), 5: (2, False)}[f3]
            addr = (a + imm_i) & MASK
            if addr % size:
                raise Unsupported("misaligned load")
            v = self.load(addr, size)
            self.wr(rd, sext(v, 8 * size) if sign else v)
        elif op == 0x23:  # stores
            size = {0: 1, 1: 2, 2: 4}[f3]
            addr = (a + sext(((w >> 25) << 5) | ((w >> 7) & 31), 12)) & MASK
            if addr % size:
                raise Unsupported("misaligned store")
            self.store(addr, size, b)
        elif op == 0x13:  # OP-IMM
            shamt = rs2
            if f3 == 1:
                r = a << shamt
            elif f3 == 5:
                r = (signed(a) >> shamt) if f7 == 0x20 else (a >> shamt)
            else:
                r = {0: a + imm_i, 2: int(signed(a) < imm_i), 3: int(a < (imm_i & MASK)), 4: a ^ (imm_i & MASK),
                     6: a | (imm_i & MASK), 7: a & (imm_i & MASK)}[f3]
            self.wr(rd, r)
        elif op == 0x33 and f7 == 1:  # M
            self.wr(rd, self.muldiv(f3, a, b))
        elif op == 0x33:  # OP
            sh = b & 31
            r = {(0, 0): a + b, (0x20, 0): a - b, (0, 1): a << sh, (0, 2): int(signed(a) < signed(b)), (0, 3): int(a < b),
                 (0, 4): a ^ b, (0, 5): a >> sh, (0x20, 5): signed(a) >> sh, (0, 6): a | b, (0, 7): a & b}[(f7, f3)]
            self.wr(rd, r)
        elif op == 0x0F:  # FENCE, FENCE.I: nothing to order in a one-hart interpreter
            pass
        elif op == 0x2F and f3 == 2:  # A
            self.atomic(w >> 27, rd, a, b)
        elif op == 0x73 and f3 in (1, 2, 3, 5, 6, 7):  # Zicsr
            self.csr(w >> 20, f3, rd, rs1, a)
        else:
            raise Unsupported("instruction 0x%08x" % w)
        self.pc = next_pc

    def jump(self, rd, target):
        target &= MASK
        if target & 3:
            raise Unsupported("misaligned jump target (a trap)")
        self.wr(rd, self.pc + 4)
        return target

    @staticmethod
    def muldiv(f3, a, b):
        sa, sb = signed(a), signed(b)
        if f3 == 0:
            return sa * sb
        if f3 == 1:
            return (sa * sb) >> 32
        if f3 == 2:
            return (sa * b) >> 32
        if f3 == 3:
            return (a * b) >> 32
        if f3 == 4:  # DIV: by zero gives -1, overflow gives the dividend
            if b == 0:
                return MASK
            if sa == -(1 << 31) and sb == -1:
                return a
            q = abs(sa) // abs(sb)
            return q if (sa < 0) == (sb < 0) else -q
        if f3 == 5:
            return MASK if b == 0 else a // b
        if f3 == 6:  # REM: the sign of the dividend
            if b == 0:
                return a
            if sa == -(1 << 31) and sb == -1:
                return 0
            r = abs(sa) % abs(sb)
            return -r if sa < 0 else r
        return a if b == 0 else a % b

    def atomic(self, f5, rd, addr, src):
        if addr & 3:
            raise Unsupported("misaligned atomic (a trap)")
        if f5 == 0b00010:  # LR.W
            self.wr(rd, self.load(addr, 4))
            self.reservation = addr
            return
        if f5 == 0b00011:  # SC.W
            ok = self.reservation == addr
            self.reservation = None
            if ok:
                self.store(addr, 4, src)
            self.wr(rd, 0 if ok else 1)
            return
        old = self.load(addr, 4)
        so, ss = signed(old), signed(src)
        ops = {0b00001: lambda: src, 0b00000: lambda: old + src, 0b00100: lambda: old ^ src, 0b01100: lambda: old & src,
               0b01000: lambda: old | src, 0b10000: lambda: old if so < ss else src, 0b10100: lambda: old if so > ss else src,
               0b11000: lambda: min(old, src), 0b11100: lambda: max(old, src)}
        if f5 not in ops:
            raise Unsupported("AMO funct5 %d" % f5)
        self.store(addr, 4, ops[f5]() & MASK)
        self.wr(rd, old)

    def csr(self, num, f3, rd, rs1, a):
        name = CSR_NAMES.get(num)
        if name is None:
            raise Unsupported("CSR 0x%03x" % num)
        src = rs1 if f3 >= 5 else a  # the immediate forms use the rs1 field as uimm
        old = self.csrs.get(name, 0)
        write = f3 in (1, 5) or rs1 != 0
        if f3 in (1, 5):
            new = src
        elif f3 in (2, 6):
            new = old | src
        else:
            new = old & ~src
        self.wr(rd, old)
        if write:
            self.csrs[name] = new & MASK


def main():
    vec = json.load(sys.stdin)
    stop = vec["stop"]
    if "steps" not in stop:
        raise Unsupported("only stop.steps")
    h = Hart(vec)
    for _ in range(stop["steps"]):
        h.step()
    exp = vec["expected"]
    reply = {
        "pc": "0x%08x" % h.pc,
        "priv": "M",
        "v": 0,
        "x": ["0x%08x" % v for v in h.x],
        "csrs": {name: "0x%08x" % h.csrs.get(name, 0) for name in exp["csrs"]},
        "mem": [{"addr": r["addr"], "bytes": bytes(h.load(int(r["addr"], 16) + i, 1) for i in range(len(r["bytes"]) // 2)).hex()}
                for r in exp["mem"]],
    }
    json.dump(reply, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    try:
        main()
    except Unsupported as e:
        sys.stderr.write("pyrv: unsupported: %s\n" % e)
        sys.exit(3)
