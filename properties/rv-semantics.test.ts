/**
 * Instruction semantics beyond the ALU oracle (spec/semantics.md): ISA-JUMP-1, ISA-JUMP-ALIGN,
 * ISA-MEM-1, ISA-FENCE, ISA-A-LR, ISA-A-SC, ISA-A-RES, ISA-A-AMO (device and hole targets),
 * ISA-CSR-1, and LUI/AUIPC of ISA-ALU-3.
 *
 * Already covered elsewhere, deliberately not repeated here: ISA-ALU-1, ISA-ALU-2, the shifts of
 * ISA-ALU-3, ISA-X0, ISA-M-1, ISA-M-DIV and the AMO value oracle of ISA-A-AMO are checked against a
 * BigInt oracle in properties/semantics.test.ts; shamt[5] = 1 being illegal is in isa.test.ts.
 *
 * Oracles are written from the unprivileged manual (Vol. I §2.5 control transfer, §2.6 loads and
 * stores, §2.7 FENCE, chapter "A", chapter "Zicsr") with BigInt or byte arithmetic.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { encode } from '../src/isa/encode.js';
import { decode } from '../src/isa/decode.js';
import { disassemble } from '../src/isa/disasm.js';
import type { AmoOp, BranchOp, Inst, LoadOp, StoreOp } from '../src/isa/inst.js';
import type { Machine } from '../src/machine/machine.js';
import { DEFAULT_CONFIG, type Config } from '../src/machine/config.js';
import { run, step } from '../src/engines/reference.js';
import type { CommitRecord } from '../src/machine/commit-record.js';
import { readByte, readLE } from '../src/memory/store.js';
import { runs } from './support/runs.js';
import { le32, machine, memSnap, PTE } from './support/setup.js';

const BASE = 0x80000000;
const DATA = 0x80002000;
const E = (i: Inst): number => encode(i);
const NOP = E({ op: 'addi', rd: 0, rs1: 0, imm: 0 });
const show = (i: Inst, pc = BASE): string => disassemble(i, pc);
const hex = (x: number): string => '0x' + (x >>> 0).toString(16);
const cfg = (over: Partial<Config>): Config => ({ ...DEFAULT_CONFIG, ...over });
const MSTATUS_MPRV = 1 << 17;

const word = fc.oneof(
  fc.integer({ min: -0x80000000, max: 0x7fffffff }),
  fc.constantFrom(0, 1, -1, 2, -2, 0x7fffffff, -0x80000000, 0xffff, 0x8000, 0x80, 0x7f),
);
const reg = fc.integer({ min: 1, max: 31 });
const regs31 = fc.array(word, { minLength: 31, maxLength: 31 });
const toRegs = (xs: readonly number[]): Record<number, number> => Object.fromEntries(xs.map((v, i) => [i + 1, v | 0]));

const fold = (m: Machine, n: number): Machine => {
  let c = m;
  for (let k = 0; k < n; k++) c = step(c);
  return c;
};
/** x1..x31 of hart 0. */
const xs = (m: Machine): number[] => [...m.harts[0]!.x].slice(1);

describe('ISA-ALU-3 (LUI/AUIPC)', () => {
  it('ISA-ALU-3: LUI writes imm[31:12] << 12; AUIPC adds it to the pc (mod 2^32)', () => {
    // Falsified if the U-immediate is shifted/sign-handled wrongly or AUIPC uses a pc other than its own.
    fc.assert(fc.property(fc.integer({ min: 0, max: 0xfffff }), reg, fc.integer({ min: 0, max: 0x3ff }), (imm20, rd, k) => {
      const imm = (imm20 << 12) | 0;
      const pc = BASE + 4 * k;
      const words = new Array<number>(k + 2).fill(NOP);
      words[k] = E({ op: 'lui', rd, imm });
      words[k + 1] = E({ op: 'auipc', rd: rd === 31 ? 1 : rd + 1, imm });
      const m = machine(words);
      m.harts[0]!.pc = pc;
      const r = fold(m, 2).harts[0]!;
      expect(r.x[rd]).toBe(imm);
      expect(r.x[rd === 31 ? 1 : rd + 1]).toBe(Number((BigInt(pc + 4) + BigInt(imm20) * 4096n) % (1n << 32n)) | 0);
    }), { numRuns: runs(100) });
  });
});

describe('ISA-JUMP-1 / ISA-JUMP-ALIGN: jumps and branches', () => {
  const branchOps: BranchOp[] = ['beq', 'bne', 'blt', 'bge', 'bltu', 'bgeu'];
  const s = (x: number): bigint => BigInt(x | 0);
  const u = (x: number): bigint => BigInt(x >>> 0);
  const TAKEN: Record<BranchOp, (a: number, b: number) => boolean> = {
    beq: (a, b) => u(a) === u(b), bne: (a, b) => u(a) !== u(b),
    blt: (a, b) => s(a) < s(b), bge: (a, b) => s(a) >= s(b),
    bltu: (a, b) => u(a) < u(b), bgeu: (a, b) => u(a) >= u(b),
  };
  const wrap = (x: number): number => Number(((BigInt(x) % (1n << 32n)) + (1n << 32n)) % (1n << 32n));

  it('ISA-JUMP-1: JAL writes pc + 4 to rd and jumps to pc + imm', () => {
    // Falsified if the link is not pc + 4, x0 is written, other registers change, or the target is wrong.
    fc.assert(fc.property(fc.integer({ min: 0, max: 31 }), fc.integer({ min: -(2 ** 18), max: 2 ** 18 - 1 }), regs31, (rd, k, vals) => {
      const i: Inst = { op: 'jal', rd, imm: 4 * k };
      const m1 = step(machine([E(i)], { regs: toRegs(vals) }));
      const want = [...vals.map((v) => v | 0)];
      if (rd !== 0) want[rd - 1] = (BASE + 4) | 0;
      expect(m1.harts[0]!.pc, show(i)).toBe(wrap(BASE + 4 * k));
      expect(xs(m1), show(i)).toEqual(want);
    }), { numRuns: runs(200) });
  });

  it('ISA-JUMP-1: JALR jumps to (rs1 + imm) & ~1 using rs1 read before rd is written (rd = rs1 included)', () => {
    // Falsified if bit 0 is not cleared, the old rs1 is not used when rd = rs1, or the link is wrong.
    const target = fc.integer({ min: 0, max: 2 ** 30 - 1 }).map((x) => x * 4);
    fc.assert(fc.property(fc.integer({ min: 0, max: 31 }), reg, fc.boolean(), target, fc.integer({ min: -2048, max: 2047 }), fc.boolean(), regs31, (rd, rs1, same, T, imm, bit0, vals) => {
      const d = same ? rs1 : rd;
      const v = (T + (bit0 ? 1 : 0) - imm) | 0;
      const i: Inst = { op: 'jalr', rd: d, rs1, imm };
      const r = toRegs(vals);
      r[rs1] = v;
      const m1 = step(machine([E(i)], { regs: r }));
      const want = xs(machine([], { regs: r }));
      if (d !== 0) want[d - 1] = (BASE + 4) | 0;
      expect(m1.harts[0]!.pc, `${show(i)} with rs1 = ${hex(v)}`).toBe(T >>> 0);
      expect(xs(m1), show(i)).toEqual(want);
    }), { numRuns: runs(300) });
  });

  it('ISA-JUMP-1: branches compare signed (BLT/BGE) or unsigned (BLTU/BGEU) and go to pc + imm when taken', () => {
    // Oracle: BigInt comparisons. Falsified by a signedness mix-up, an inverted condition, or a
    // wrong target / fall-through.
    fc.assert(fc.property(fc.constantFrom(...branchOps), reg, reg, word, word, fc.integer({ min: -1024, max: 1023 }), (op, rs1, rs2, a, b, k) => {
      const bv = rs1 === rs2 ? a : b;
      const i: Inst = { op, rs1, rs2, imm: 4 * k };
      const m1 = step(machine([E(i)], { regs: { [rs1]: a, [rs2]: bv } }));
      const taken = TAKEN[op](a, bv);
      expect(m1.harts[0]!.pc, `${show(i)} x${rs1}=${a} x${rs2}=${bv}`).toBe(taken ? wrap(BASE + 4 * k) : BASE + 4);
      expect(m1.harts[0]!.csr.mcause).toBe(0);
    }), { numRuns: runs(500) });
  });

  it('ISA-JUMP-ALIGN: a taken jump or branch to a target ≢ 0 mod 4 traps (cause 0, tval = target, mepc = its pc) and writes no rd', () => {
    // Falsified if a misaligned target is jumped to, rd is linked anyway, the instruction retires,
    // tval is not the target, or a not-taken branch with a misaligned offset traps (Vol. I §2.5).
    const jump = fc.oneof(
      fc.record({ rd: fc.integer({ min: 0, max: 31 }), k: fc.integer({ min: -(2 ** 18), max: 2 ** 18 - 1 }) })
        .map(({ rd, k }) => ({ i: { op: 'jal', rd, imm: 4 * k + 2 } as Inst, regs: {} as Record<number, number>, target: wrap(BASE + 4 * k + 2), taken: true })),
      fc.record({ rd: fc.integer({ min: 0, max: 31 }), rs1: reg, T: fc.integer({ min: 0, max: 2 ** 30 - 1 }), imm: fc.integer({ min: -2048, max: 2047 }), b0: fc.boolean() })
        .map(({ rd, rs1, T, imm, b0 }) => ({ i: { op: 'jalr', rd, rs1, imm } as Inst, regs: { [rs1]: (4 * T + 2 + (b0 ? 1 : 0) - imm) | 0 }, target: (4 * T + 2) >>> 0, taken: true })),
      fc.record({ op: fc.constantFrom(...branchOps), a: word, b: word, k: fc.integer({ min: -1024, max: 1022 }) })
        .map(({ op, a, b, k }) => ({ i: { op, rs1: 1, rs2: 2, imm: 4 * k + 2 } as Inst, regs: { 1: a, 2: b }, target: wrap(BASE + 4 * k + 2), taken: TAKEN[op](a, b) })),
    );
    fc.assert(fc.property(jump, (j) => {
      const m0 = machine([E(j.i)], { regs: { 3: 0x333, 4: -1, ...j.regs } });
      const m1 = step(m0);
      const h = m1.harts[0]!;
      if (!j.taken) {
        expect([h.pc, h.csr.mcause], show(j.i)).toEqual([BASE + 4, 0]);
        return;
      }
      expect([h.csr.mcause, h.csr.mtval, h.csr.mepc], show(j.i)).toEqual([0, j.target, BASE]);
      expect(xs(m1), `${show(j.i)}: rd must not be written`).toEqual(xs(m0));
      expect(h.instretLo, show(j.i)).toBe(0);
    }), { numRuns: runs(300) });
  });
});

describe('ISA-MEM-1: loads and stores', () => {
  const LOADS: Record<LoadOp, [1 | 2 | 4, boolean]> = { lb: [1, true], lh: [2, true], lw: [4, true], lbu: [1, false], lhu: [2, false] };
  const STORES: Record<StoreOp, 1 | 2 | 4> = { sb: 1, sh: 2, sw: 4 };
  const loadValue = (bs: readonly number[], signed: boolean): number => {
    const v = bs.reduceRight((acc, b) => acc * 256 + b, 0);
    const bits = 8 * bs.length;
    return signed && bits < 32 && v >= 2 ** (bits - 1) ? (v - 2 ** bits) | 0 : v | 0;
  };

  it('ISA-MEM-1: loads sign-extend (LB/LH/LW) or zero-extend (LBU/LHU) the bytes at rs1 + sext(imm)', () => {
    // Oracle: little-endian bytes, extended per Vol. I §2.6. Any alignment (misaligned = perform).
    // Falsified by a wrong extension, byte order, effective address, or a load that disturbs
    // registers other than rd (rd = rs1 included).
    fc.assert(fc.property(fc.constantFrom(...(Object.keys(LOADS) as LoadOp[])), fc.integer({ min: 0, max: 0xff0 }), fc.integer({ min: -2048, max: 2047 }),
      fc.integer({ min: 0, max: 31 }), reg, fc.uint8Array({ minLength: 16, maxLength: 16 }), regs31, (op, off, imm, rd, rs1, win, vals) => {
        const ea = DATA + off;
        const [size, signed] = LOADS[op];
        const r = toRegs(vals);
        r[rs1] = (ea - imm) | 0;
        const i: Inst = { op, rd, rs1, imm };
        const m0 = machine([E(i)], { regs: r, data: [[ea - 6, win]] });
        const m1 = step(m0);
        const want = xs(m0);
        if (rd !== 0) want[rd - 1] = loadValue(Array.from(win.subarray(6, 6 + size)), signed);
        expect(m1.harts[0]!.csr.mcause).toBe(0);
        expect(xs(m1), `${show(i)} at ${hex(ea)}`).toEqual(want);
      }), { numRuns: runs(400) });
  });

  it('ISA-MEM-1: SB/SH/SW write exactly the low 8/16/32 bits of rs2 at rs1 + sext(imm), little-endian', () => {
    // Falsified if a store writes more or fewer bytes, the wrong byte order, or at the wrong address
    // (rs2 = rs1 stores the base address itself).
    fc.assert(fc.property(fc.constantFrom(...(Object.keys(STORES) as StoreOp[])), fc.integer({ min: 0, max: 0xff0 }), fc.integer({ min: -2048, max: 2047 }),
      reg, fc.integer({ min: 0, max: 31 }), fc.uint8Array({ minLength: 16, maxLength: 16 }), regs31, (op, off, imm, rs1, rs2, win, vals) => {
        const ea = DATA + off;
        const size = STORES[op];
        const r = toRegs(vals);
        r[rs1] = (ea - imm) | 0;
        const v = rs2 === 0 ? 0 : r[rs2]!;
        const i: Inst = { op, rs1, rs2, imm };
        const m1 = step(machine([E(i)], { regs: r, data: [[ea - 6, win]] }));
        expect(m1.harts[0]!.csr.mcause).toBe(0);
        for (let k = -6; k < 10; k++) {
          const want = k >= 0 && k < size ? (v >>> (8 * k)) & 0xff : win[k + 6]!;
          expect(readByte(m1.mem, ea + k), `${show(i)} at ${hex(ea)}, byte ${k}`).toBe(want);
        }
      }), { numRuns: runs(400) });
  });

  it('ISA-MEM-1: the effective address wraps modulo 2^32', () => {
    // With RAM at 0: 0xfffffff0 + 0x20 = 0x10 (a load from RAM); 4 + (-8) = 0xfffffffc (a hole, store
    // access fault with that tval). Falsified if the sum is not reduced mod 2^32.
    const c = cfg({ ramBase: 0, ramSize: 0x100000 });
    const lw: Inst = { op: 'lw', rd: 3, rs1: 1, imm: 0x20 };
    const m = machine([E(lw), NOP, NOP, NOP, 0xdeadbeef], { cfg: c, regs: { 1: -16 } });
    expect(step(m).harts[0]!.x[3]).toBe(0xdeadbeef | 0);
    const sw: Inst = { op: 'sw', rs1: 1, rs2: 2, imm: -8 };
    const h = step(machine([E(sw)], { cfg: c, regs: { 1: 4, 2: 5 } })).harts[0]!;
    expect([h.csr.mcause, h.csr.mtval]).toEqual([7, 0xfffffffc]);
  });
});

describe('ISA-FENCE: FENCE, FENCE.TSO and FENCE.I are no-ops', () => {
  it('ISA-FENCE: any MISC-MEM word with funct3 0 or 1 (reserved fm/rd/rs1/imm bits included) retires with no other effect', () => {
    // Falsified if a reserved field makes FENCE/FENCE.I illegal, or if they write a register,
    // memory, a CSR, or the reservation (Vol. I §2.7: reserved fields are ignored).
    fc.assert(fc.property(fc.integer({ min: 0, max: 0xffffffff }), fc.constantFrom(0, 1), regs31, (bits, f3, vals) => {
      const w = ((bits & ~0x707f) | (f3 << 12) | 0x0f) >>> 0;
      const inst = decode(w);
      expect(inst.op, hex(w)).toBe(f3 === 0 ? 'fence' : 'fence.i');
      const words = [E({ op: 'lr.w', rd: 0, rs1: 31, aq: 0, rl: 0 }), w, E({ op: 'sc.w', rd: 30, rs1: 31, rs2: 29, aq: 0, rl: 0 })];
      const r = toRegs(vals);
      r[31] = DATA;
      const m1 = step(machine(words, { regs: r }));
      const m2 = step(m1);
      const h = m2.harts[0]!;
      const what = `${disassemble(inst, BASE + 4)} (${hex(w)})`;
      expect([h.pc, h.csr.mcause, h.instretLo], what).toEqual([BASE + 8, 0, 2]);
      expect(xs(m2), what).toEqual(xs(m1));
      expect(memSnap(m2.mem), what).toEqual(memSnap(m1.mem));
      expect({ ...h.csr, pmpcfg: 0, pmpaddr: 0 }, what).toEqual({ ...m1.harts[0]!.csr, pmpcfg: 0, pmpaddr: 0 });
      expect(h.reservation, what).toBe(DATA);
      expect(step(m2).harts[0]!.x[30], `${what}: SC after the fence`).toBe(0);
    }), { numRuns: runs(150) });
  });

  it('ISA-FENCE: the canonical encodings (fence iorw,iorw; fence.tso; fence.i) retire as no-ops', () => {
    // Falsified if any of them traps or changes state beyond pc/counters.
    for (const w of [0x0ff0000f, 0x8330000f, 0x0000100f, 0x0000000f]) {
      const m0 = machine([w], { regs: { 1: 1, 2: 2 } });
      const m1 = step(m0);
      expect([m1.harts[0]!.pc, m1.harts[0]!.csr.mcause], hex(w)).toEqual([BASE + 4, 0]);
      expect(xs(m1)).toEqual(xs(m0));
    }
  });
});

describe('ISA-A-LR / ISA-A-SC / ISA-A-RES: reservations', () => {
  const lr = (rd: number, rs1: number): number => E({ op: 'lr.w', rd, rs1, aq: 0, rl: 0 });
  const sc = (rd: number, rs1: number, rs2: number): number => E({ op: 'sc.w', rd, rs1, rs2, aq: 0, rl: 0 });

  it('ISA-A-LR, ISA-A-SC: LR A; SC B; SC A — SC succeeds only on the reserved word, and the reservation is gone after either outcome', () => {
    // Falsified if LR does not load the word, SC succeeds without a reservation on its word, a
    // failed SC writes memory, or a reservation survives an SC (success or failure).
    fc.assert(fc.property(fc.integer({ min: 0, max: 15 }), fc.integer({ min: 0, max: 15 }), word, word, word, (a, b, ma, mb, v) => {
      const A = DATA + 4 * a, B = DATA + 4 * b;
      const m0 = machine([lr(5, 7), sc(6, 8, 9), sc(10, 7, 9)], {
        regs: { 7: A, 8: B, 9: v, 5: 0x55, 6: 0x66, 10: 0x1010 },
        data: a === b ? [[A, le32(ma)]] : [[A, le32(ma)], [B, le32(mb)]],
      });
      const m1 = step(m0);
      expect(m1.harts[0]!.x[5]).toBe(ma | 0);
      expect(m1.harts[0]!.reservation).toBe(A);
      const m2 = step(m1);
      expect(m2.harts[0]!.x[6]).toBe(a === b ? 0 : 1);
      expect(readLE(m2.mem, B, 4) | 0).toBe(a === b ? v | 0 : mb | 0);
      expect(m2.harts[0]!.reservation).toBe(-1);
      const m3 = step(m2);
      expect(m3.harts[0]!.x[10]).toBe(1);
      expect(readLE(m3.mem, A, 4) | 0).toBe(a === b ? v | 0 : ma | 0);
    }), { numRuns: runs(150) });
  });

  it('ISA-A-SC: SC without any reservation fails (rd = 1) and writes nothing', () => {
    // Falsified if SC succeeds or stores when the hart holds no reservation.
    const m1 = step(machine([sc(6, 7, 9)], { regs: { 7: DATA, 9: -1 }, data: [[DATA, le32(0x12345678)]] }));
    expect([m1.harts[0]!.x[6], readLE(m1.mem, DATA, 4)]).toEqual([1, 0x12345678]);
  });

  it('ISA-A-LR: the reservation is on the physical word: LR through one virtual alias, SC through another succeeds', () => {
    // Two Sv32 pages map to the same physical page (effective S via MPRV/MPP). Falsified if the
    // reservation is kept by virtual address, or covers more than the aligned word.
    const PA = 0x80040000, RW = PTE.V | PTE.R | PTE.W | PTE.A | PTE.D;
    const pages = [{ va: 0x00400000, pa: PA, flags: RW }, { va: 0x00800000, pa: PA, flags: RW }];
    for (const [off2, ok] of [[8, true], [12, false], [4, false]] as const) {
      const m = machine([lr(5, 7), sc(6, 8, 9)], {
        regs: { 7: 0x00400008, 8: 0x00800000 + off2, 9: 0x4242 }, pmpAll: true, pages, mstatus: MSTATUS_MPRV | (1 << 11),
      });
      const r = fold(m, 2);
      expect(r.harts[0]!.csr.mcause).toBe(0);
      expect(r.harts[0]!.x[6], `SC via alias at +${off2}`).toBe(ok ? 0 : 1);
      expect(readLE(r.mem, PA + off2, 4)).toBe(ok ? 0x4242 : 0);
    }
  });

  it('ISA-A-SC: SC to a read-only page raises a store page fault (15) with or without a reservation; to a PMP read-only region an access fault (7)', () => {
    // Vol. I "A": SC needs store permission even when it would fail. Falsified if SC quietly
    // fails (rd = 1) instead of faulting, or the fault is not reported as a store/AMO fault.
    const RO = PTE.V | PTE.R | PTE.A | PTE.D;
    const VA = 0x00400010;
    for (const withLr of [false, true]) {
      const words = withLr ? [lr(5, 7), sc(6, 7, 9)] : [sc(6, 7, 9)];
      const m0 = machine(words, { regs: { 6: 0x66, 7: VA, 9: -1 }, pmpAll: true, pages: [{ va: 0x00400000, pa: 0x80040000, flags: RO }], mstatus: MSTATUS_MPRV | (1 << 11) });
      const r = fold(m0, words.length);
      const h = r.harts[0]!;
      expect([h.csr.mcause, h.csr.mtval, h.x[6]], `with LR: ${withLr}`).toEqual([15, VA, 0x66]);
      expect(memSnap(r.mem)).toEqual(memSnap(m0.mem));
    }
    // PMP: entry 0 NAPOT over everything with R only; the SC runs with effective U (MPRV, MPP = U).
    const m0 = machine([sc(6, 7, 9)], { regs: { 6: 0x66, 7: DATA, 9: -1 }, pmp: { cfg: [0x19], addr: [0xffffffff] }, mstatus: MSTATUS_MPRV });
    const h = step(m0).harts[0]!;
    expect([h.csr.mcause, h.csr.mtval, h.x[6]]).toEqual([7, DATA, 0x66]);
  });

  it('ISA-A-RES: a store by the same hart overlapping the reserved word clears the reservation; one elsewhere does not', () => {
    // Oracle: overlap of [s, s + size) with [A, A + 4). Falsified if a non-overlapping store clears
    // the reservation, or an overlapping one (any width, any alignment, an AMO) does not.
    const storeOp = fc.constantFrom<StoreOp | AmoOp>('sb', 'sh', 'sw', 'amoswap.w', 'amoadd.w');
    fc.assert(fc.property(storeOp, fc.integer({ min: -5, max: 8 }), (op, d) => {
      const A = DATA + 16;
      const isAmo = op.startsWith('amo');
      const s = isAmo ? A + 4 * Math.round(d / 4) : A + d;
      const size = isAmo ? 4 : STORE_SIZE[op as StoreOp];
      const st = isAmo ? E({ op: op as AmoOp, rd: 0, rs1: 8, rs2: 9, aq: 0, rl: 0 }) : E({ op: op as StoreOp, rs1: 8, rs2: 9, imm: 0 });
      const r = fold(machine([lr(5, 7), st, sc(6, 7, 10)], { regs: { 7: A, 8: s, 9: 0x77, 10: 0x1234 } }), 3);
      const overlap = s < A + 4 && s + size > A;
      expect(r.harts[0]!.csr.mcause).toBe(0);
      expect(r.harts[0]!.x[6], `${op} at A${s - A >= 0 ? '+' : ''}${s - A}`).toBe(overlap ? 1 : 0);
    }), { numRuns: runs(100) });
  });

  it('ISA-A-RES: traps and MRET do not clear the reservation', () => {
    // Falsified if trap entry (ECALL) or MRET drops the reservation (the spec leaves that to software).
    const viaTrap = fold(machine([lr(5, 7), E({ op: 'ecall' }), sc(6, 7, 9)], { regs: { 7: DATA, 9: 1 }, mtvec: BASE + 8 }), 3);
    expect([viaTrap.harts[0]!.csr.mcause, viaTrap.harts[0]!.x[6]]).toEqual([11, 0]);
    const viaMret = fold(machine([lr(5, 7), E({ op: 'mret' }), sc(6, 7, 9)], { regs: { 7: DATA, 9: 1 }, mepc: BASE + 8, mstatus: 3 << 11 }), 3);
    expect([viaMret.harts[0]!.pc, viaMret.harts[0]!.x[6]]).toEqual([BASE + 12, 0]);
  });

  it('ISA-A-RES: on two harts, a store (or successful SC/AMO) by hart 1 to hart 0\'s reserved word clears it; other words and failed SCs do not', () => {
    // Hart 0: LR A; nop; SC A. Hart 1 (at +0x100) does the listed access in the same machine steps.
    // Falsified if reservations are private to the storing hart, or a failed SC counts as a store.
    const A = DATA + 32;
    const cases: Array<[string, number[], boolean]> = [
      ['sw A', [E({ op: 'sw', rs1: 7, rs2: 9, imm: 0 })], true],
      ['sb A+3', [E({ op: 'sb', rs1: 7, rs2: 9, imm: 3 })], true],
      ['sw A+4', [E({ op: 'sw', rs1: 7, rs2: 9, imm: 4 })], false],
      ['amoor A', [E({ op: 'amoor.w', rd: 0, rs1: 7, rs2: 9, aq: 0, rl: 0 })], true],
      ['lr A; sc A (succeeds)', [lr(5, 7), sc(6, 7, 9)], true],
      ['nop; sc A (fails, no store)', [NOP, sc(6, 7, 9)], false],
    ];
    for (const [what, h1, clears] of cases) {
      const words = new Array<number>(0x40 + 4).fill(NOP);
      words[0] = lr(5, 7); words[2] = sc(6, 7, 9);
      h1.forEach((w, k) => { words[0x40 + k] = w; });
      const m0 = machine(words, { cfg: cfg({ harts: 2 }), regs: { 7: A, 9: 0x5a } });
      const h = m0.harts[1]!;
      h.pc = BASE + 0x100;
      h.x[7] = A; h.x[9] = 0x5a;
      const r = run(m0, { maxSteps: 3 }).machine;
      expect(r.harts.map((x) => x.csr.mcause), what).toEqual([0, 0]);
      expect(r.harts[0]!.x[6], what).toBe(clears ? 1 : 0);
    }
  });
});
const STORE_SIZE: Record<StoreOp, 1 | 2 | 4> = { sb: 1, sh: 2, sw: 4 };

describe('ISA-A-AMO, PMA-EXEC: atomics need RAM', () => {
  const amoOps: AmoOp[] = ['amoswap.w', 'amoadd.w', 'amoxor.w', 'amoand.w', 'amoor.w', 'amomin.w', 'amomax.w', 'amominu.w', 'amomaxu.w'];
  // Word-aligned addresses where plain word accesses are (or, for the UART, are not) accepted.
  const targets: Array<[string, number]> = [
    ['CLINT msip', 0x02000000], ['CLINT mtimecmp', 0x02004000], ['CLINT mtime', 0x0200bff8],
    ['UART', 0x10000000], ['PLIC priority 1', 0x0c000004], ['finisher', 0x00100000], ['hole', 0x40000000],
  ];
  it('ISA-A-AMO, PMA-EXEC: AMOs and SC to device regions or holes raise store/AMO access fault 7; LR raises load access fault 5', () => {
    // Falsified if an atomic reaches a device (its state changes, the finisher halts the machine),
    // or faults with another cause/tval, or writes rd.
    for (const [what, a] of targets) {
      const insts: Array<[Inst, number]> = [
        [{ op: 'lr.w', rd: 5, rs1: 7, aq: 0, rl: 0 }, 5],
        [{ op: 'sc.w', rd: 5, rs1: 7, rs2: 9, aq: 0, rl: 0 }, 7],
        ...amoOps.map((op): [Inst, number] => [{ op, rd: 5, rs1: 7, rs2: 9, aq: 0, rl: 0 }, 7]),
      ];
      for (const [i, cause] of insts) {
        const m0 = machine([E(i)], { regs: { 5: 0x55, 7: a, 9: 0x5555 } });
        const m1 = step(m0);
        const h = m1.harts[0]!;
        const msg = `${show(i)} to ${what} (${hex(a)})`;
        expect([h.csr.mcause, h.csr.mtval, h.x[5]], msg).toEqual([cause, a, 0x55]);
        expect(m1.dev, msg).toEqual(m0.dev);
        expect(m1.halt, msg).toBeNull();
        expect(m1.time, msg).toEqual(m0.time);
      }
    }
  });
});

describe('ISA-CSR-1: CSR instructions', () => {
  const CSRS: Array<[number, 'mscratch' | 'sscratch' | 'mtval']> = [[0x340, 'mscratch'], [0x140, 'sscratch'], [0x343, 'mtval']];
  const op = fc.constantFrom('csrrw' as const, 'csrrs' as const, 'csrrc' as const, 'csrrwi' as const, 'csrrsi' as const, 'csrrci' as const);

  it('ISA-CSR-1: rd gets the old value; CSRRW writes rs1, CSRRS sets and CSRRC clears its bits; immediate forms use uimm; rd = rs1 works', () => {
    // Oracle from the Zicsr chapter on fully writable CSRs. Falsified if rd gets the new value,
    // the operand is read after rd is written (rd = rs1), bits are combined wrongly, uimm is
    // sign-extended, or rd = x0 records a register write.
    fc.assert(fc.property(op, fc.constantFrom(...CSRS), fc.integer({ min: 0, max: 31 }), fc.integer({ min: 0, max: 31 }), fc.boolean(), word, regs31, (o, [num, field], rd0, src, same, old, vals) => {
      const imm = o.endsWith('i');
      const rd = same && !imm ? src : rd0;
      const i: Inst = imm ? { op: o as 'csrrwi', rd, uimm: src, csr: num } : { op: o as 'csrrw', rd, rs1: src, csr: num };
      const m0 = machine([E(i)], { regs: toRegs(vals) });
      m0.harts[0]!.csr[field] = old >>> 0;
      const operand = imm ? src : src === 0 ? 0 : vals[src - 1]! | 0;
      const kind = o.replace(/i$/, '');
      const nv = kind === 'csrrw' ? operand : kind === 'csrrs' ? old | operand : old & ~operand;
      const recs: CommitRecord[] = [];
      const m1 = run(m0, { maxSteps: 1, onCommit: (c) => recs.push(c) }).machine;
      const h = m1.harts[0]!;
      const want = xs(m0);
      if (rd !== 0) want[rd - 1] = old | 0;
      const what = `${show(i)} with ${field} = ${hex(old)}, operand ${hex(operand)}`;
      expect(h.csr.mcause, what).toBe(0);
      expect(h.csr[field], what).toBe(nv >>> 0);
      expect(xs(m1), what).toEqual(want);
      if (rd === 0) expect(recs[0]!.regs, what).toEqual([]);
    }), { numRuns: runs(400) });
  });

  it('ISA-CSR-1: CSRRS/CSRRC with rs1 = x0 and the immediate forms with uimm = 0 do not write, so read-only CSRs do not trap', () => {
    // Zicsr chapter: "if rs1=x0, then the instruction will not write to the CSR at all ... nor raise
    // illegal-instruction exceptions on accesses to read-only CSRs" (uimm = 0 likewise).
    // Falsified if any of these traps or returns a wrong value.
    const ro: Array<[number, string, number]> = [[0xf14, 'mhartid', 0], [0xf11, 'mvendorid', 0], [0xc00, 'cycle', 0], [0xc02, 'instret', 0], [0xc01, 'time', 0]];
    for (const [num, name, want] of ro) {
      for (const i of [
        { op: 'csrrs', rd: 5, rs1: 0, csr: num }, { op: 'csrrc', rd: 5, rs1: 0, csr: num },
        { op: 'csrrsi', rd: 5, uimm: 0, csr: num }, { op: 'csrrci', rd: 5, uimm: 0, csr: num },
      ] as Inst[]) {
        const h = step(machine([E(i)], { regs: { 5: 0x55 } })).harts[0]!;
        expect([h.csr.mcause, h.x[5], h.pc], `${show(i)} (${name})`).toEqual([0, want, BASE + 4]);
      }
    }
  });

  it('ISA-CSR-1: a write attempt to a read-only CSR is illegal, even when the value written is unchanged', () => {
    // Zicsr chapter: "if rs1 specifies a register holding a zero value other than x0, the instruction
    // will still attempt to write the unmodified value back to the CSR"; CSRRW always writes; a
    // non-zero uimm writes. Writes to read-only CSRs (csr[11:10] = 3) raise illegal instruction
    // (Vol. II §2.1). Falsified if any of these retires.
    const cases: Inst[] = [
      { op: 'csrrs', rd: 5, rs1: 6, csr: 0xf14 }, { op: 'csrrc', rd: 5, rs1: 6, csr: 0xc00 },
      { op: 'csrrc', rd: 0, rs1: 6, csr: 0xf11 }, { op: 'csrrw', rd: 0, rs1: 0, csr: 0xf14 },
      { op: 'csrrwi', rd: 5, uimm: 0, csr: 0xc00 }, { op: 'csrrsi', rd: 5, uimm: 1, csr: 0xf14 },
      { op: 'csrrci', rd: 5, uimm: 1, csr: 0xc02 },
    ];
    for (const i of cases) {
      const h = step(machine([E(i)], { regs: { 5: 0x55, 6: 0 } })).harts[0]!;
      expect([h.csr.mcause, h.csr.mtval, h.x[5]], show(i)).toEqual([2, E(i), 0x55]);
    }
  });
});
