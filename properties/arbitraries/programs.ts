/**
 * Generated guest programs for the Popek–Goldberg properties: privileged code in any mode, CSR
 * traffic, page-table changes, traps between modes, device accesses and timer interrupts.
 *
 * Layout (guest-physical, RAM at 0x8000_0000):
 *   0x8000_0000  code: `code` words; trap vectors point into it, so traps land in generated code
 *   0x8000_2000  data page (random words)
 *   0x8001_0000  Sv32 root table; 0x8001_1000 second-level table
 * Pointer registers x5..x9 hold the data page, the page tables, the UART and the CLINT, so loads
 * and stores reach every kind of memory.
 */
import fc from 'fast-check';
import type { Arbitrary } from 'fast-check';
import type { Inst } from '../../src/isa/inst.js';
import { encode } from '../../src/isa/encode.js';
import { decode } from '../../src/isa/decode.js';
import { disassemble } from '../../src/isa/disasm.js';
import { machineFromWords } from '../../src/machine/program.js';
import type { Machine } from '../../src/machine/machine.js';
import type { HartState } from '../../src/hart/state.js';
import { DEFAULT_CONFIG } from '../../src/machine/config.js';
import { withBytes } from '../../src/memory/store.js';
import { wordsToBytes } from '../../src/machine/program.js';
import { validInst } from './inst.js';

export const BASE = 0x80000000;
export const DATA = 0x80002000;
export const ROOT = 0x80010000;
export const L2 = 0x80011000;
const UART = 0x10000000, CLINT = 0x02000000;

export interface Program {
  code: number[];
  data: number[];
  /** Leaf PTE flag bits for the code, data and table pages (V set by the builder when `valid`). */
  ptFlags: { code: number; data: number; tables: number; valid: boolean[] };
  priv: 0 | 1 | 3;
  mstatus: number;
  medeleg: number;
  mideleg: number;
  mie: number;
  paging: boolean;
  mtimecmp: number;
  regs: number[];
}

const CSRS = [
  0x300, 0x100, 0x304, 0x104, 0x344, 0x144, 0x305, 0x105, 0x341, 0x141, 0x342, 0x142, 0x343, 0x143,
  0x340, 0x140, 0x180, 0x302, 0x303, 0x306, 0x106, 0x3a0, 0x3b0, 0xc00, 0xc01, 0xc02, 0xb00, 0xb02,
  0xf14, 0x301, 0x320, 0x30a, 0x10a, 0x7c0,
];
const ptr = fc.integer({ min: 5, max: 9 });
const r = fc.integer({ min: 1, max: 15 });
const off = fc.integer({ min: -16, max: 64 }).map((x) => x * 4);

/**
 * Instructions biased towards the sensitive and the memory-touching ones: CSR accesses to `csrs`,
 * loads, stores and atomics through the pointer registers `ptrs`.
 */
export function guestInst(csrs: readonly number[], ptrs: Arbitrary<number>): Arbitrary<Inst> {
  return fc.oneof(
    { weight: 4, arbitrary: validInst.filter((i) => !('csr' in i) && i.op !== 'jal' && i.op !== 'jalr') },
    { weight: 3, arbitrary: fc.record({ op: fc.constantFrom('lw', 'lh', 'lbu', 'lb', 'lhu'), rd: r, rs1: ptrs, imm: off }) as Arbitrary<Inst> },
    { weight: 3, arbitrary: fc.record({ op: fc.constantFrom('sw', 'sh', 'sb'), rs1: ptrs, rs2: r, imm: off }) as Arbitrary<Inst> },
    { weight: 4, arbitrary: fc.record({ op: fc.constantFrom('csrrw', 'csrrs', 'csrrc'), rd: r, rs1: fc.integer({ min: 0, max: 15 }), csr: fc.constantFrom(...csrs) }) as Arbitrary<Inst> },
    { weight: 2, arbitrary: fc.record({ op: fc.constantFrom('csrrwi', 'csrrsi', 'csrrci'), rd: r, uimm: fc.integer({ min: 0, max: 31 }), csr: fc.constantFrom(...csrs) }) as Arbitrary<Inst> },
    { weight: 2, arbitrary: fc.constantFrom<Inst>({ op: 'mret' }, { op: 'sret' }, { op: 'ecall' }, { op: 'ebreak' }, { op: 'wfi' }, { op: 'sfence.vma', rs1: 0, rs2: 0 }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constantFrom('amoadd.w', 'amoswap.w', 'lr.w', 'sc.w'), rd: r, rs1: ptrs, rs2: r, aq: fc.constant(0), rl: fc.constant(0) }).map((i) => (i.op === 'lr.w' ? { ...i, rs2: 0 } : i)) as Arbitrary<Inst> },
    { weight: 1, arbitrary: fc.record({ op: fc.constantFrom('beq', 'bne', 'blt', 'bgeu'), rs1: r, rs2: r, imm: fc.integer({ min: -8, max: 8 }).map((x) => x * 4) }) as Arbitrary<Inst> },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('jal' as const), rd: r, imm: fc.integer({ min: -8, max: 16 }).map((x) => x * 4) }) as Arbitrary<Inst> },
  );
}

const inst = guestInst(CSRS, ptr);

const value = fc.oneof(
  fc.integer({ min: -0x80000000, max: 0x7fffffff }),
  fc.constantFrom(0, 1, -1, 0x8, 0x80, 0x888, 0xaaa, 0x222, 0x1800, 0x800, 0x40000, 0x80000, 0x80000000 | 0, BASE | 0, (BASE + 0x100) | 0, (BASE + 0x101) | 0),
);
const flags = fc.integer({ min: 0, max: 0xff }).map((f) => f & ~1);

/** Leaf flags for the code, data and table pages: mostly usable, sometimes anything (V by `valid`). */
export const ptFlagsArb = fc.record({
  code: fc.oneof(fc.constant(0xcf), fc.constant(0xdf), flags),
  data: fc.oneof(fc.constant(0xc7), fc.constant(0xd7), flags),
  tables: fc.oneof(fc.constant(0xc7), flags),
  valid: fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
});

export const program: Arbitrary<Program> = fc.record({
  code: fc.array(inst, { minLength: 8, maxLength: 48 }).map((is) => is.map(encode)),
  data: fc.array(fc.integer({ min: 0, max: 0xffffffff }), { minLength: 4, maxLength: 16 }),
  ptFlags: ptFlagsArb,
  priv: fc.constantFrom<0 | 1 | 3>(0, 1, 3),
  mstatus: fc.oneof(fc.constant(0), fc.constant(0x1888), fc.integer({ min: 0, max: 0x7fffff })),
  medeleg: fc.oneof(fc.constant(0), fc.constant(0xb1ff), fc.integer({ min: 0, max: 0xffff })),
  mideleg: fc.oneof(fc.constant(0), fc.constant(0x222), fc.integer({ min: 0, max: 0xfff })),
  mie: fc.oneof(fc.constant(0), fc.constant(0xaaa), fc.integer({ min: 0, max: 0xfff })),
  paging: fc.boolean(),
  mtimecmp: fc.integer({ min: 0, max: 80 }),
  regs: fc.array(value, { minLength: 16, maxLength: 16 }),
});

const pte = (pa: number, f: number, v: boolean): number => ((Math.floor(pa / 4096) << 10) | f | (v ? 1 : 0)) >>> 0;

/** The privileged state a generated program starts in, legalised as CSR writes would legalise it. */
export function setPrivState(h: HartState, p: { priv: 0 | 1 | 3; mstatus: number; medeleg: number; mideleg: number; mie: number }): void {
  h.priv = p.priv;
  const ms = p.mstatus & 0x7e19aa;
  // MPP is WARL over {U, S, M}: the reserved value 2 would not survive a CSR write either.
  h.csr.mstatus = ((ms >>> 11) & 3) === 2 ? ms | 0x1800 : ms;
  h.csr.medeleg = p.medeleg & 0xb3ff;
  h.csr.mideleg = p.mideleg & 0x222;
  h.csr.mie = p.mie & 0xaaa;
}

/** The native machine a program describes. */
export function programMachine(p: Program): Machine {
  const code = new Array<number>(0x100).fill(0x00000013);
  p.code.forEach((w, i) => { code[i] = w; });
  const regs: Record<number, number> = {};
  p.regs.forEach((v, i) => { regs[i + 1] = v; });
  Object.assign(regs, { 5: DATA, 6: ROOT, 7: L2, 8: UART, 9: CLINT + 0x4000 });
  let m = machineFromWords(code, regs, DEFAULT_CONFIG);
  // Identity map: root[0x200] -> L2 table; L2 maps the code page, the data page, and the two tables.
  const root = new Array<number>(1024).fill(0);
  root[0x200] = pte(L2, 0, true);
  root[0x040] = pte(UART, 0xc7, true); // a megapage over the UART
  root[0x008] = pte(CLINT, 0xc7, true); // and one over the CLINT
  const l2 = new Array<number>(1024).fill(0);
  l2[0x000] = pte(BASE, p.ptFlags.code, p.ptFlags.valid[0]!);
  l2[0x002] = pte(DATA, p.ptFlags.data, p.ptFlags.valid[1]!);
  l2[0x010] = pte(ROOT, p.ptFlags.tables, p.ptFlags.valid[2]!);
  l2[0x011] = pte(L2, p.ptFlags.tables, p.ptFlags.valid[2]!);
  m = { ...m, mem: withBytes(withBytes(withBytes(m.mem, DATA, wordsToBytes(p.data)), ROOT, wordsToBytes(root)), L2, wordsToBytes(l2)) };
  const h = m.harts[0]!;
  setPrivState(h, p);
  h.csr.mtvec = BASE + 0x40;
  h.csr.stvec = (BASE + 0x80) | 1;
  h.csr.satp = p.paging ? (0x80000000 | (ROOT >>> 12)) >>> 0 : 0;
  h.csr.pmpaddr = Object.assign([...h.csr.pmpaddr], { 0: 0xffffffff });
  h.csr.pmpcfg = Object.assign([...h.csr.pmpcfg], { 0: 0x1f });
  return { ...m, dev: { ...m.dev, clint: { ...m.dev.clint, mtimecmp: [{ lo: p.mtimecmp, hi: 0 }] } } };
}

/** The program as assembly, for counterexamples. */
export function showProgram(p: Program): string {
  const lines = p.code.map((w, i) => `  ${(BASE + 4 * i).toString(16)}: ${disassemble(decode(w), BASE + 4 * i)}`);
  return [`priv=${p.priv} mstatus=0x${(p.mstatus & 0x7e19aa).toString(16)} paging=${p.paging} mie=0x${(p.mie & 0xaaa).toString(16)} ` +
    `medeleg=0x${(p.medeleg & 0xb3ff).toString(16)} mideleg=0x${(p.mideleg & 0x222).toString(16)} mtimecmp=${p.mtimecmp} ` +
    `pte(code,data,tables)=0x${p.ptFlags.code.toString(16)},0x${p.ptFlags.data.toString(16)},0x${p.ptFlags.tables.toString(16)} valid=${p.ptFlags.valid}`, ...lines].join('\n');
}
