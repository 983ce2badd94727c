/**
 * Seeded random cases (ORA-VEC-3): instruction sequences over corner-biased register values, drawn
 * from a fixed-seed PRNG so regeneration is byte-identical.
 */
import type { AmoOp, BranchOp, ImmOp, LoadOp, RegOp, ShiftImmOp, StoreOp } from '../../isa/inst.js';
import { amo, auipc, br, ld, lui, ri, rr, sh, st } from '../asm.js';
import { type Case, DATA, dis, h, HANDLER, PMP_ALL, Rng } from './util.js';

const SEED = 0x9090_2024;
const ALU_RR: RegOp[] = ['add', 'sub', 'sll', 'slt', 'sltu', 'xor', 'srl', 'sra', 'or', 'and'];
const ALU_I: ImmOp[] = ['addi', 'slti', 'sltiu', 'xori', 'ori', 'andi'];
const SHIFTS: ShiftImmOp[] = ['slli', 'srli', 'srai'];
const M_OPS: RegOp[] = ['mul', 'mulh', 'mulhsu', 'mulhu', 'div', 'divu', 'rem', 'remu'];
const BRANCHES: BranchOp[] = ['beq', 'bne', 'blt', 'bge', 'bltu', 'bgeu'];
const LOADS: Array<[LoadOp, number]> = [['lb', 1], ['lbu', 1], ['lh', 2], ['lhu', 2], ['lw', 4]];
const STORES: Array<[StoreOp, number]> = [['sb', 1], ['sh', 2], ['sw', 4]];
const AMOS: AmoOp[] = ['amoswap.w', 'amoadd.w', 'amoxor.w', 'amoand.w', 'amoor.w', 'amomin.w', 'amomax.w', 'amominu.w', 'amomaxu.w'];
const OPCODES = [0x03, 0x0f, 0x13, 0x17, 0x23, 0x2f, 0x33, 0x37, 0x63, 0x67, 0x6f, 0x73];

const regs = (r: Rng): Record<number, number> => Object.fromEntries(Array.from({ length: 31 }, (_, i) => [i + 1, r.corner()]));
const imm12 = (r: Rng): number => r.pick([0, 1, -1, 2047, -2048, r.below(4096) - 2048, r.below(64) - 32]);

function aluSeq(r: Rng, n: number): Case {
  const rules = new Set<string>();
  const prog: number[] = [];
  for (let i = 0; i < 8; i++) {
    const rd = r.below(8) === 0 ? 0 : 1 + r.below(31), rs1 = r.below(32), rs2 = r.below(32);
    if (rd === 0) rules.add('ISA-X0');
    const k = r.below(10);
    if (k < 5) { prog.push(rr(r.pick(ALU_RR), rd, rs1, rs2)); rules.add('ISA-ALU-1'); }
    else if (k < 8) { prog.push(ri(r.pick(ALU_I), rd, rs1, imm12(r))); rules.add('ISA-ALU-2'); }
    else if (k < 9) { prog.push(sh(r.pick(SHIFTS), rd, rs1, r.below(32))); rules.add('ISA-ALU-3'); }
    else { prog.push((r.below(2) === 0 ? lui : auipc)(rd, r.u32() & 0xfffff000)); rules.add('ISA-ALU-3'); }
  }
  return { rules: order(rules, ['ISA-ALU-1', 'ISA-ALU-2', 'ISA-ALU-3', 'ISA-X0']), desc: `random RV32I ALU sequence ${n}: ${prog.slice(0, 3).map((w) => dis(w)).join('; ')}; …`, prog, x: regs(r), group: 'rand-alu' };
}

function mSeq(r: Rng, n: number): Case {
  const rules = new Set<string>();
  const prog: number[] = [];
  for (let i = 0; i < 6; i++) {
    const op = r.pick(M_OPS);
    prog.push(rr(op, 1 + r.below(31), 1 + r.below(31), 1 + r.below(31)));
    rules.add(op.startsWith('mul') ? 'ISA-M-1' : 'ISA-M-DIV');
  }
  const x = regs(r);
  // Some zero divisors and the overflow pair, so division corners come up often.
  x[1 + r.below(31)] = 0;
  x[1 + r.below(31)] = 0x80000000;
  x[1 + r.below(31)] = 0xffffffff;
  return { rules: order(rules, ['ISA-M-1', 'ISA-M-DIV']), desc: `random M sequence ${n}: ${prog.slice(0, 3).map((w) => dis(w)).join('; ')}; …`, prog, x, group: 'rand-m' };
}

function memSeq(r: Rng, n: number): Case {
  const prog: number[] = [];
  const base = DATA + 0x100;
  for (let i = 0; i < 6; i++) {
    if (r.below(2) === 0) {
      const [op, size] = r.pick(LOADS);
      prog.push(ld(op, 2 + r.below(30), 1, (r.below(128) - 64) * size));
    } else {
      const [op, size] = r.pick(STORES);
      prog.push(st(op, r.below(32), 1, (r.below(128) - 64) * size));
    }
  }
  const bytes = Array.from({ length: 512 }, () => r.below(256));
  return { rules: ['ISA-MEM-1'], desc: `random aligned loads and stores ${n} around a1 = ${h(base)}`, prog, x: { ...regs(r), 1: base }, bytes: [[DATA, bytes]], group: 'rand-mem' };
}

function branch(r: Rng, n: number): Case {
  const w = br(r.pick(BRANCHES), 1 + r.below(31), 1 + r.below(31), 4 * (r.below(1024) - 512));
  const x = regs(r);
  if (r.below(3) === 0) x[1 + r.below(31)] = x[1 + r.below(31)]!;
  return { rules: ['ISA-JUMP-1'], desc: `random branch ${n}: ${dis(w)}`, prog: [w], x, group: 'rand-branch' };
}

function amoCase(r: Rng, n: number): Case {
  const op = r.pick(AMOS);
  const w = amo(op, 2 + r.below(30), 2 + r.below(30), 1);
  return { rules: ['ISA-A-AMO'], desc: `random ${op} ${n}: ${dis(w)}`, prog: [w], x: { ...regs(r), 1: DATA + 4 * r.below(16) }, bytes: [[DATA, Array.from({ length: 64 }, () => r.below(256))]], group: 'rand-amo' };
}

function word(r: Rng, n: number, priv: 'M' | 'S' | 'U'): Case {
  const w = r.below(2) === 0 ? r.u32() : ((r.u32() & ~0x7f) | r.pick(OPCODES)) >>> 0;
  const x = regs(r);
  // Point some registers into the data page so loads and stores often reach RAM.
  for (let k = 0; k < 8; k++) x[1 + r.below(31)] = DATA + 4 * r.below(256);
  const csrs = priv === 'M' ? { mtvec: HANDLER } : { ...PMP_ALL, mtvec: HANDLER, stvec: HANDLER + 0x100 };
  return { rules: ['STEP-TOTAL'], desc: `random word ${h(w)} in ${priv}-mode (${dis(w)})`, prog: [w], priv, x, csrs, group: `rand-word-${priv.toLowerCase()}` };
}

const order = (s: Set<string>, all: string[]): string[] => all.filter((x) => s.has(x));

export function randomCases(): Case[] {
  const r = new Rng(SEED);
  const out: Case[] = [];
  for (let i = 1; i <= 40; i++) out.push(aluSeq(r, i));
  for (let i = 1; i <= 30; i++) out.push(mSeq(r, i));
  for (let i = 1; i <= 20; i++) out.push(memSeq(r, i));
  for (let i = 1; i <= 20; i++) out.push(branch(r, i));
  for (let i = 1; i <= 15; i++) out.push(amoCase(r, i));
  for (let i = 1; i <= 40; i++) out.push(word(r, i, 'M'));
  for (let i = 1; i <= 15; i++) out.push(word(r, i, 'S'));
  for (let i = 1; i <= 15; i++) out.push(word(r, i, 'U'));
  return out;
}
