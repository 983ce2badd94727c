/**
 * ISA semantics against an independent BigInt oracle written from the unprivileged spec text
 * (ISA-ALU-*, ISA-M-*, ISA-A-AMO), plus machine-level invariants (ISA-X0, STEP-PURE, STEP-DET,
 * PRIV-TRAP-ENTRY / PRIV-MRET round trip).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { encode } from '../src/isa/encode.js';
import type { Inst, RegOp, AmoOp } from '../src/isa/inst.js';
import { machineFromWords } from '../src/machine/program.js';
import { step, run } from '../src/engines/reference.js';
import { disassemble } from '../src/isa/disasm.js';
import { runs } from './support/runs.js';
import { readLE } from '../src/memory/store.js';

const B32 = 1n << 32n;
const u = (x: number): bigint => BigInt(x >>> 0);
const s = (x: number): bigint => BigInt(x | 0);
const wrap = (x: bigint): number => Number(((x % B32) + B32) % B32) | 0;

/** The unprivileged spec's definitions, one per op, in BigInt arithmetic. */
const ORACLE: Record<RegOp, (a: number, b: number) => number> = {
  add: (a, b) => wrap(s(a) + s(b)),
  sub: (a, b) => wrap(s(a) - s(b)),
  sll: (a, b) => wrap(u(a) << BigInt(b & 31)),
  slt: (a, b) => (s(a) < s(b) ? 1 : 0),
  sltu: (a, b) => (u(a) < u(b) ? 1 : 0),
  xor: (a, b) => wrap(u(a) ^ u(b)),
  srl: (a, b) => wrap(u(a) >> BigInt(b & 31)),
  sra: (a, b) => wrap(s(a) >> BigInt(b & 31)),
  or: (a, b) => wrap(u(a) | u(b)),
  and: (a, b) => wrap(u(a) & u(b)),
  mul: (a, b) => wrap(s(a) * s(b)),
  mulh: (a, b) => wrap((s(a) * s(b)) >> 32n),
  mulhsu: (a, b) => wrap((s(a) * u(b)) >> 32n),
  mulhu: (a, b) => wrap((u(a) * u(b)) >> 32n),
  // Division: "The quotient of division by zero has all bits set, and the remainder of division by
  // zero equals the dividend. Signed division overflow ... quotient equal to the dividend, remainder zero."
  div: (a, b) => (b === 0 ? -1 : a === -0x80000000 && b === -1 ? a : wrap(s(a) / s(b))),
  divu: (a, b) => (b === 0 ? -1 : wrap(u(a) / u(b))),
  rem: (a, b) => (b === 0 ? a : a === -0x80000000 && b === -1 ? 0 : wrap(s(a) % s(b))),
  remu: (a, b) => (b === 0 ? a : wrap(u(a) % u(b))),
};

const AMO_ORACLE: Record<AmoOp, (m: number, r: number) => number> = {
  'amoswap.w': (_m, r) => r,
  'amoadd.w': (m, r) => wrap(s(m) + s(r)),
  'amoxor.w': (m, r) => wrap(u(m) ^ u(r)),
  'amoand.w': (m, r) => wrap(u(m) & u(r)),
  'amoor.w': (m, r) => wrap(u(m) | u(r)),
  'amomin.w': (m, r) => (s(m) < s(r) ? m : r),
  'amomax.w': (m, r) => (s(m) > s(r) ? m : r),
  'amominu.w': (m, r) => (u(m) < u(r) ? m : r),
  'amomaxu.w': (m, r) => (u(m) > u(r) ? m : r),
};

/** 32-bit values biased towards the corners where implementations go wrong. */
const word = fc.oneof(
  fc.integer({ min: -0x80000000, max: 0x7fffffff }),
  fc.constantFrom(0, 1, -1, 2, -2, 31, 32, 0x7fffffff, -0x80000000, 0x80000000 | 0, 0xffff, 0x10000),
);

const show = (i: Inst): string => disassemble(i, 0x80000000);

describe('ISA-ALU / ISA-M: register-register ops match the BigInt oracle', () => {
  const ops = Object.keys(ORACLE) as RegOp[];
  it('ISA-ALU-1, ISA-M-1, ISA-M-DIV: rd = oracle(rs1, rs2) for every OP/M instruction', () => {
    // Falsified by any op whose result differs from the spec's definition for some operands.
    fc.assert(fc.property(fc.constantFrom(...ops), word, word, (op, a, b) => {
      const i: Inst = { op, rd: 3, rs1: 1, rs2: 2 };
      const m = step(machineFromWords([encode(i)], { 1: a, 2: b }));
      const got = m.harts[0]!.x[3]!;
      const want = ORACLE[op](a | 0, b | 0);
      if (got !== want) throw new Error(`${show(i)} with x1=${a}, x2=${b}: got ${got}, want ${want}`);
    }), { numRuns: runs(2000) });
  });

  it('ISA-ALU-2: register-immediate ops equal their register forms with the sign-extended immediate', () => {
    // Falsified if an I-type op mis-extends its immediate or differs from its R-type counterpart.
    const pairs = [['addi', 'add'], ['slti', 'slt'], ['sltiu', 'sltu'], ['xori', 'xor'], ['ori', 'or'], ['andi', 'and']] as const;
    fc.assert(fc.property(fc.constantFrom(...pairs), word, fc.integer({ min: -2048, max: 2047 }), ([iop, rop], a, imm) => {
      const i: Inst = { op: iop, rd: 3, rs1: 1, imm };
      const got = step(machineFromWords([encode(i)], { 1: a })).harts[0]!.x[3]!;
      expect(got, show(i)).toBe(ORACLE[rop](a | 0, imm));
    }), { numRuns: runs(1000) });
  });

  it('ISA-ALU-3: shifts by immediate use shamt exactly (0..31)', () => {
    // Falsified if slli/srli/srai disagree with sll/srl/sra by the same amount.
    const pairs = [['slli', 'sll'], ['srli', 'srl'], ['srai', 'sra']] as const;
    fc.assert(fc.property(fc.constantFrom(...pairs), word, fc.integer({ min: 0, max: 31 }), ([iop, rop], a, shamt) => {
      const i: Inst = { op: iop, rd: 3, rs1: 1, shamt };
      const got = step(machineFromWords([encode(i)], { 1: a })).harts[0]!.x[3]!;
      expect(got, show(i)).toBe(ORACLE[rop](a | 0, shamt));
    }), { numRuns: runs(500) });
  });
});

describe('ISA-A-AMO: atomic memory operations', () => {
  it('ISA-A-AMO: rd gets the old memory word and memory gets op(old, rs2)', () => {
    // Falsified if an AMO returns the new value, stores the wrong combination, or mixes signedness.
    const ops = Object.keys(AMO_ORACLE) as AmoOp[];
    fc.assert(fc.property(fc.constantFrom(...ops), word, word, (op, mem, r) => {
      const addr = 0x80001000;
      const i: Inst = { op, rd: 3, rs1: 1, rs2: 2, aq: 0, rl: 0 };
      const prog = new Array<number>(0x400).fill(0);
      prog[0] = encode(i);
      const m1 = step(machineFromWords([...prog, mem], { 1: addr, 2: r }));
      expect(m1.harts[0]!.x[3], show(i)).toBe(mem | 0);
      expect(readLE(m1.mem, addr, 4) | 0, show(i)).toBe(AMO_ORACLE[op](mem | 0, r | 0));
    }), { numRuns: runs(1000) });
  });
});

describe('machine invariants', () => {
  const anyWord = fc.integer({ min: 0, max: 0xffffffff });
  it('ISA-X0: x0 reads zero after any instruction', () => {
    // Falsified if any instruction writing rd = x0 changes x0.
    fc.assert(fc.property(anyWord, (w) => {
      const m = step(machineFromWords([(w & ~0xf80) >>> 0], { 1: 5, 2: 7 }));
      expect(m.harts[0]!.x[0]).toBe(0);
    }), { numRuns: runs(3000) });
  });

  it('STEP-PURE, STEP-TOTAL: step never throws and never mutates its input', () => {
    // Falsified if step throws for some word or the input machine changes (registers, pc, memory).
    fc.assert(fc.property(fc.array(anyWord, { minLength: 1, maxLength: 8 }), fc.array(word, { minLength: 31, maxLength: 31 }), (ws, xs) => {
      const regs = Object.fromEntries(xs.map((v, i) => [i + 1, v]));
      const m = machineFromWords(ws, regs);
      const before = JSON.stringify({ pc: m.harts[0]!.pc, x: [...m.harts[0]!.x], csr: m.harts[0]!.csr, mem: ws.map((_, i) => readLE(m.mem, 0x80000000 + 4 * i, 4)) });
      let cur = m;
      for (let k = 0; k < ws.length; k++) cur = step(cur);
      const after = JSON.stringify({ pc: m.harts[0]!.pc, x: [...m.harts[0]!.x], csr: m.harts[0]!.csr, mem: ws.map((_, i) => readLE(m.mem, 0x80000000 + 4 * i, 4)) });
      expect(after).toBe(before);
    }), { numRuns: runs(1000) });
  });

  it('STEP-DET: the same machine steps to the same result, and run(n) equals n steps', () => {
    // Falsified by any hidden state (caches, globals) that makes two runs differ.
    fc.assert(fc.property(fc.array(anyWord, { minLength: 1, maxLength: 6 }), (ws) => {
      const m = machineFromWords(ws, { 1: 0x80000100, 2: 3 });
      let a = m;
      for (let k = 0; k < ws.length; k++) a = step(a);
      const b = run(m, { maxSteps: ws.length }).machine;
      expect([...b.harts[0]!.x]).toEqual([...a.harts[0]!.x]);
      expect(b.harts[0]!.pc).toBe(a.harts[0]!.pc);
      expect(b.harts[0]!.csr).toEqual(a.harts[0]!.csr);
    }), { numRuns: runs(500) });
  });
});
