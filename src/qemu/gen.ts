/**
 * fast-check generators of test programs for the QEMU differential run (QDIFF-GEN-*).
 *
 * Every RV32IMA + Zicsr + Zifencei instruction class is produced: ALU and M operations, loads and
 * stores (mostly into the data area, some anywhere), LR/SC and AMOs, fences, CSR instructions on a
 * chosen set of CSRs (and unimplemented numbers), ECALL/EBREAK/MRET/SRET/WFI/SFENCE.VMA, illegal
 * words, and forward branches and jumps (some to misaligned targets), in M, S and U mode, with and
 * without Sv32 paging, with PMP all-allowing, all OFF, or generated.
 *
 * The harness must keep control (see program.ts), so writes to the CSRs it relies on use values the
 * generator controls (QDIFF-GEN-2): mtvec/stvec keep their base inside the vector pages, medeleg
 * never delegates ECALL from S, satp only names this program's page table. CSR fields in which QEMU
 * and popek make different (allowed or not) WARL choices are kept out of generated writes; those
 * differences are recorded in spec/qemu-deviations.md and tested directly.
 */
import fc from 'fast-check';
import type { Arbitrary } from 'fast-check';
import type { AmoOp, BranchOp, Inst, LoadOp, RegOp, StoreOp } from '../isa/inst.js';
import {
  CELL_BASE, CELL_SIZE, DATA_BASE, DATA_SIZE, HARNESS, HVEC, PTE, SSTUB, type Item, type Paging, type PmpEntry, type Priv,
  type TestProgram, type Value,
} from './program.js';

const u32 = (x: number): number => x >>> 0;

/** Interesting 32-bit values: edges, small numbers, powers of two, anything. */
export const word: Arbitrary<number> = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 0xffffffff }) },
  { weight: 2, arbitrary: fc.constantFrom(0, 1, 2, 0xffffffff, 0x7fffffff, 0x80000000, 0xfffffffe, 0x80000001, 0xfff, 0x800, 0xfffff800) },
  { weight: 2, arbitrary: fc.integer({ min: -64, max: 64 }).map(u32) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 31 }).map((n) => u32(2 ** n)) },
);

/** Registers that start as data pointers (x8..x15) and code pointers (x16, x17). */
export const PTR_REGS = [8, 9, 10, 11, 12, 13, 14, 15];
export const CODE_REGS = [16, 17];
export const anyReg = fc.integer({ min: 0, max: 31 });
export const rdReg = fc.oneof({ weight: 9, arbitrary: fc.integer({ min: 1, max: 31 }) }, { weight: 1, arbitrary: fc.constant(0) });
export const baseReg = fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...PTR_REGS) }, { weight: 1, arbitrary: anyReg });

export type View = 'pa' | 'v4k' | 'alias' | 'mega' | 'odd';
export const offset = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0, max: DATA_SIZE / 4 - 1 }).map((w) => 4 * w) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: DATA_SIZE - 1 }) },
  { weight: 1, arbitrary: fc.integer({ min: -64, max: DATA_SIZE + 64 }) },
);
export const dataValue = (views: readonly View[]): Arbitrary<Value> =>
  fc.record({ k: fc.constant('data' as const), view: fc.constantFrom(...views), off: offset });
export const codeValue: Arbitrary<Value> = fc.record({
  k: fc.constant('code' as const), item: fc.integer({ min: 0, max: 40 }),
  off: fc.oneof({ weight: 8, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.constantFrom(2, 4, -4) }),
});
export const numValue = (w: Arbitrary<number> = word): Arbitrary<Value> => w.map((v) => ({ k: 'v' as const, v }));

export const imm12 = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: -2048, max: 2047 }) },
  { weight: 2, arbitrary: fc.integer({ min: -16, max: 16 }) },
  { weight: 1, arbitrary: fc.constantFrom(-2048, 2047, 0, -1) },
);
export const memImm = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: -8, max: 8 }).map((w) => 4 * w) },
  { weight: 2, arbitrary: fc.integer({ min: -16, max: 16 }) },
  { weight: 1, arbitrary: imm12 },
);

const REG_OPS: RegOp[] = ['add', 'sub', 'sll', 'slt', 'sltu', 'xor', 'srl', 'sra', 'or', 'and',
  'mul', 'mulh', 'mulhsu', 'mulhu', 'div', 'divu', 'rem', 'remu'];
const LOAD_OPS: LoadOp[] = ['lb', 'lh', 'lw', 'lbu', 'lhu'];
const STORE_OPS: StoreOp[] = ['sb', 'sh', 'sw'];
const AMO_OPS: AmoOp[] = ['amoswap.w', 'amoadd.w', 'amoxor.w', 'amoand.w', 'amoor.w', 'amomin.w', 'amomax.w', 'amominu.w', 'amomaxu.w'];
const BRANCH_OPS: BranchOp[] = ['beq', 'bne', 'blt', 'bge', 'bltu', 'bgeu'];

export const inst = (a: Arbitrary<Inst>): Arbitrary<Item> => a.map((i) => ({ k: 'i' as const, inst: i }));

export const alu: Arbitrary<Item> = fc.oneof(
  inst(fc.record({ op: fc.constantFrom(...REG_OPS), rd: rdReg, rs1: anyReg, rs2: anyReg })),
  inst(fc.record({ op: fc.constantFrom('addi' as const, 'slti' as const, 'sltiu' as const, 'xori' as const, 'ori' as const, 'andi' as const), rd: rdReg, rs1: anyReg, imm: imm12 })),
  inst(fc.record({ op: fc.constantFrom('slli' as const, 'srli' as const, 'srai' as const), rd: rdReg, rs1: anyReg, shamt: fc.integer({ min: 0, max: 31 }) })),
  inst(fc.record({ op: fc.constantFrom('lui' as const, 'auipc' as const), rd: rdReg, imm: fc.integer({ min: -0x80000, max: 0x7ffff }).map((x) => x << 12) })),
);

export const mem: Arbitrary<Item> = fc.oneof(
  inst(fc.record({ op: fc.constantFrom(...LOAD_OPS), rd: rdReg, rs1: baseReg, imm: memImm })),
  inst(fc.record({ op: fc.constantFrom(...STORE_OPS), rs1: baseReg, rs2: anyReg, imm: memImm })),
);

export const ord = fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 1 }) });
export const atomic: Arbitrary<Item> = fc.oneof(
  inst(fc.record({ op: fc.constant('lr.w' as const), rd: rdReg, rs1: baseReg, aq: ord, rl: ord })),
  inst(fc.record({ op: fc.constant('sc.w' as const), rd: rdReg, rs1: baseReg, rs2: anyReg, aq: ord, rl: ord })),
  inst(fc.record({ op: fc.constantFrom(...AMO_OPS), rd: rdReg, rs1: baseReg, rs2: anyReg, aq: ord, rl: ord })),
);

const system: Arbitrary<Item> = fc.oneof(
  { weight: 3, arbitrary: inst(fc.constantFrom<Inst>({ op: 'ecall' }, { op: 'ebreak' }, { op: 'mret' }, { op: 'sret' }, { op: 'wfi' })) },
  { weight: 1, arbitrary: inst(fc.record({ op: fc.constant('sfence.vma' as const), rs1: anyReg, rs2: anyReg })) },
  { weight: 1, arbitrary: inst(fc.record({
    op: fc.constant('fence' as const), fm: fc.constantFrom(0, 0, 0, 8), pred: fc.integer({ min: 0, max: 15 }),
    succ: fc.integer({ min: 0, max: 15 }), rd: fc.constant(0), rs1: fc.constant(0),
  })) },
  { weight: 1, arbitrary: inst(fc.record({ op: fc.constant('fence.i' as const), rd: fc.constant(0), rs1: fc.constant(0), imm: fc.constant(0) })) },
);

/** Words that are not instructions of the hart: random words, all-zero/all-one, 16-bit patterns. */
export const illegal: Arbitrary<Item> = inst(fc.oneof(
  fc.constantFrom(0, 0xffffffff, 0x0000_0001, 0x0000_4501, 0xc0001073 /* csrrw x0, cycle, x0 */),
  fc.integer({ min: 0, max: 0xffffffff }),
).map((w) => ({ op: 'illegal' as const, word: u32(w) })));

export const skip = fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 1, max: 4 }) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 40 }) });
export const odd = fc.oneof({ weight: 9, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) });
export const control: Arbitrary<Item> = fc.oneof(
  fc.record({ k: fc.constant('br' as const), op: fc.constantFrom(...BRANCH_OPS), rs1: anyReg, rs2: anyReg, skip, odd }),
  fc.record({ k: fc.constant('jal' as const), rd: rdReg, skip, odd }),
  inst(fc.record({
    op: fc.constant('jalr' as const), rd: rdReg,
    rs1: fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...CODE_REGS) }, { weight: 1, arbitrary: anyReg }),
    imm: fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 0, max: 8 }).map((x) => 4 * x) }, { weight: 1, arbitrary: fc.integer({ min: -8, max: 8 }) }),
  })),
);

// ---------------------------------------------------------------------------------------------
// CSRs

/** How generated instructions may write a CSR (QDIFF-GEN-2). */
export interface CsrPolicy {
  num: number;
  /** Values csrrw may write (via a controlled lui/addi group). Absent: any register value. */
  value?: Arbitrary<Value>;
  /** Masks csrrs/csrrc may use (controlled). Absent: any register value. */
  mask?: Arbitrary<number>;
  /** csrrc with an arbitrary register is harmless. */
  clearFree?: boolean;
  /** Immediates (uimm) csrrwi/csrrsi/csrrci may use; absent: any 0..31; null: only 0 (reads). */
  uimm?: Arbitrary<number> | null;
  /**
   * Only reads (rs1 = x0, uimm = 0). For the PMP registers: a lui/addi group can be entered in its
   * middle by a jump, and a PMP entry locked that way would stay locked for the rest of the batch.
   */
  readOnly?: boolean;
}

export const subsetOf = (m: number): Arbitrary<number> => fc.oneof(
  fc.integer({ min: 0, max: 0xffffffff }).map((x) => u32(x & m)),
  fc.constantFrom(0, m),
);
/** MPP values other than the reserved 2. */
export const mstatusValue: Arbitrary<number> = fc.record({
  bits: subsetOf(0x007e_01aa), // SIE MIE SPIE MPIE SPP MPRV SUM MXR TVM TW TSR
  mpp: fc.constantFrom(0, 1, 3),
}).map(({ bits, mpp }) => u32(bits | (mpp << 11)));
export const mstatusMask: Arbitrary<number> = fc.record({ bits: subsetOf(0x007e_01aa), mpp: fc.boolean() })
  .map(({ bits, mpp }) => u32(bits | (mpp ? 0x1800 : 0)));
/** mtvec/stvec: base within the 32 vector slots, MODE 0 or 1 (QEMU ignores a write of MODE >= 2,
 * popek writes BASE and keeps MODE: both allowed, QDEV-18). */
/**
 * Random values for the trap and delegation CSRs a program starts with, as (CSR, value) pairs;
 * `legal` bounds medeleg, mideleg and mie (the H suite's legal sets are wider).
 */
export const csrSetup = (legal: { medeleg: number; mideleg: number; mie: number }) => fc.record({
  medeleg: fc.oneof(fc.constant(0), subsetOf(legal.medeleg)),
  mideleg: fc.oneof(fc.constant(0), subsetOf(legal.mideleg)),
  mie: fc.oneof(fc.constant(0), subsetOf(legal.mie)),
  mip: fc.oneof({ weight: 4, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: subsetOf(0x222) }),
  mscratch: word, sscratch: word, mcause: word, mtval: word, scause: word, stval: word,
  mcounteren: subsetOf(7), scounteren: subsetOf(7), menvcfg: subsetOf(1), mcountinhibit: subsetOf(5),
  mtvecMode: fc.integer({ min: 0, max: 1 }), stvecMode: fc.integer({ min: 0, max: 1 }),
}).map((c) => [
  [0x302, c.medeleg], [0x303, c.mideleg], [0x304, c.mie], [0x344, c.mip], [0x340, c.mscratch], [0x140, c.sscratch],
  [0x342, c.mcause], [0x343, c.mtval], [0x142, c.scause], [0x143, c.stval], [0x306, c.mcounteren], [0x106, c.scounteren],
  [0x30a, c.menvcfg], [0x320, c.mcountinhibit], [0x305, HVEC + c.mtvecMode], [0x105, SSTUB + c.stvecMode],
] as const);

const tvecValue = (base: number): Arbitrary<Value> =>
  fc.record({ k: fc.integer({ min: 0, max: 7 }), m: fc.integer({ min: 0, max: 1 }) }).map(({ k, m }) => ({ k: 'v' as const, v: u32(base + 4 * k + m) }));
export const tvecBits = fc.integer({ min: 0, max: 31 }).map((x) => x & ~2);
export const aligned = (a: Arbitrary<Value>): Arbitrary<Value> => a.map((v) => (v.k === 'v' ? { k: 'v' as const, v: u32(v.v & ~3) } : v.k === 'code' ? { ...v, off: v.off & ~3 } : v));

const POLICIES: CsrPolicy[] = [
  { num: 0x340 }, { num: 0x140 }, { num: 0x342 }, { num: 0x343 }, { num: 0x142 }, { num: 0x143 },
  { num: 0x301 }, // misa: writes ignored by both
  { num: 0xf11 }, { num: 0xf12 }, { num: 0xf13 }, { num: 0xf14 }, { num: 0xf15 },
  { num: 0x300, value: mstatusValue.map((v) => ({ k: 'v' as const, v })), mask: mstatusMask, clearFree: false, uimm: fc.integer({ min: 0, max: 31 }) },
  { num: 0x100, value: subsetOf(0x000c_0122).map((v) => ({ k: 'v' as const, v })), mask: subsetOf(0x000c_0122), clearFree: true },
  { num: 0x305, value: tvecValue(HVEC), mask: tvecBits, clearFree: false, uimm: tvecBits },
  { num: 0x105, value: tvecValue(SSTUB), mask: tvecBits, clearFree: false, uimm: tvecBits },
  { num: 0x302, value: subsetOf(0xb1ff).map((v) => ({ k: 'v' as const, v })), mask: subsetOf(0xb1ff), clearFree: true },
  { num: 0x303, value: subsetOf(0x222).map((v) => ({ k: 'v' as const, v })), mask: subsetOf(0x222), clearFree: true, uimm: fc.constantFrom(0, 2) },
  { num: 0x304, value: subsetOf(0xaaa).map((v) => ({ k: 'v' as const, v })), mask: subsetOf(0xaaa), clearFree: true, uimm: fc.constantFrom(0, 2, 8, 10) },
  { num: 0x344, value: subsetOf(0xaaa).map((v) => ({ k: 'v' as const, v })), mask: subsetOf(0xaaa), clearFree: true, uimm: fc.constantFrom(0, 2, 8, 10) },
  { num: 0x104 }, { num: 0x144 },
  { num: 0x306, value: subsetOf(7).map((v) => ({ k: 'v' as const, v })), mask: subsetOf(7), clearFree: true, uimm: fc.integer({ min: 0, max: 7 }) },
  { num: 0x106, value: subsetOf(7).map((v) => ({ k: 'v' as const, v })), mask: subsetOf(7), clearFree: true, uimm: fc.integer({ min: 0, max: 7 }) },
  { num: 0x30a, value: subsetOf(1).map((v) => ({ k: 'v' as const, v })), mask: subsetOf(1), clearFree: true, uimm: fc.integer({ min: 0, max: 15 }) },
  { num: 0x10a, value: subsetOf(1).map((v) => ({ k: 'v' as const, v })), mask: subsetOf(1), clearFree: true, uimm: fc.integer({ min: 0, max: 15 }) },
  { num: 0x320, value: subsetOf(5).map((v) => ({ k: 'v' as const, v })), mask: subsetOf(5), clearFree: true, uimm: fc.constantFrom(0, 1, 4, 5) },
  { num: 0x341, value: aligned(fc.oneof(numValue(), codeValue)), mask: subsetOf(0xfffffffc), clearFree: true, uimm: fc.constantFrom(0, 4, 8, 16, 28) },
  { num: 0x141, value: aligned(fc.oneof(numValue(), codeValue)), mask: subsetOf(0xfffffffc), clearFree: true, uimm: fc.constantFrom(0, 4, 8, 16, 28) },
  // PMP registers: read only (the prologue owns them; entries 13..15 are the handler's scratch).
  ...[0x3a0, 0x3a1, 0x3a2, 0x3a3, 0x3b0, 0x3b1, 0x3b2, 0x3b3, 0x3b4, 0x3b5, 0x3b6, 0x3b7].map((num) => ({
    num, readOnly: true, uimm: null,
  })),
];
const satpPolicy = (paging: boolean): CsrPolicy => ({
  num: 0x180,
  // 'satp' values resolved by the builder: a number here; translation-on values come from satpOn.
  value: paging
    ? fc.oneof(fc.constant<Value>({ k: 'v', v: 0 }), fc.integer({ min: 0, max: 511 }).map((a) => ({ k: 'v' as const, v: u32(a << 22) })), fc.integer({ min: 0, max: 511 }).map((asid) => ({ k: 'satp' as const, asid })))
    : fc.oneof(fc.constant<Value>({ k: 'v', v: 0 }), fc.integer({ min: 0, max: 511 }).map((a) => ({ k: 'v' as const, v: u32(a << 22) }))),
  mask: fc.integer({ min: 0, max: 511 }).map((a) => u32(a << 22)),
  clearFree: false,
  uimm: null,
});

/** CSR numbers whose behaviour differs between QEMU and popek by a recorded QDEV; never generated. */
export function excludedCsr(n: number): boolean {
  return (n >= 0xb00 && n <= 0xbff) || (n >= 0xc00 && n <= 0xcff) || (n >= 0x320 && n <= 0x33f)
    || (n >= 0x3a0 && n <= 0x3ef) || n === 0x310 || n === 0x312 || n === 0x31a || n === 0x30a || n === 0x10a;
}
const unknownCsr: Arbitrary<number> = fc.integer({ min: 0, max: 0xfff }).filter((n) => !excludedCsr(n) && !POLICIES.some((p) => p.num === n) && n !== 0x180);

/** A CSR instruction (or controlled group) for policy `p`. */
export function csrItem(p: CsrPolicy): Arbitrary<Item> {
  const rd = rdReg;
  const choices: Array<Arbitrary<Item>> = [
    // Plain read.
    inst(fc.record({ op: fc.constant('csrrs' as const), rd, rs1: fc.constant(0), csr: fc.constant(p.num) })),
  ];
  if (p.readOnly === true) {
    choices.push(inst(fc.record({ op: fc.constantFrom('csrrc' as const, 'csrrs' as const), rd, rs1: fc.constant(0), csr: fc.constant(p.num) })));
    choices.push(inst(fc.record({ op: fc.constantFrom('csrrsi' as const, 'csrrci' as const), rd, uimm: fc.constant(0), csr: fc.constant(p.num) })));
    return fc.oneof(...choices);
  }
  if (p.value === undefined) choices.push(inst(fc.record({ op: fc.constantFrom('csrrw' as const, 'csrrs' as const, 'csrrc' as const), rd: fc.oneof(rdReg, fc.constant(0)), rs1: anyReg, csr: fc.constant(p.num) })));
  else {
    choices.push(fc.record({ k: fc.constant('csr' as const), op: fc.constant('csrrw' as const), rd, tmp: fc.integer({ min: 1, max: 31 }), csr: fc.constant(p.num), value: p.value }));
    const mask = p.mask ?? fc.constant(0);
    choices.push(fc.record({ k: fc.constant('csr' as const), op: fc.constantFrom('csrrs' as const, 'csrrc' as const), rd, tmp: fc.integer({ min: 1, max: 31 }), csr: fc.constant(p.num), value: mask.map((v) => ({ k: 'v' as const, v })) }));
    if (p.clearFree === true) choices.push(inst(fc.record({ op: fc.constant('csrrc' as const), rd, rs1: anyReg, csr: fc.constant(p.num) })));
  }
  if (p.uimm !== null) {
    const u = p.uimm ?? fc.integer({ min: 0, max: 31 });
    const immOps = p.value === undefined || p.uimm !== undefined
      ? fc.constantFrom('csrrsi' as const, 'csrrci' as const, ...([0x305, 0x105, 0x205].includes(p.num) ? [] : ['csrrwi' as const]))
      : fc.constantFrom('csrrsi' as const, 'csrrci' as const);
    choices.push(inst(fc.record({ op: immOps, rd, uimm: u, csr: fc.constant(p.num) })));
  } else {
    choices.push(inst(fc.record({ op: fc.constantFrom('csrrsi' as const, 'csrrci' as const), rd, uimm: fc.constant(0), csr: fc.constant(p.num) })));
  }
  return fc.oneof(...choices);
}

const csrInsn = (paging: boolean): Arbitrary<Item> => fc.oneof(
  { weight: 8, arbitrary: fc.oneof(...[...POLICIES, satpPolicy(paging)].map(csrItem)) },
  { weight: 1, arbitrary: unknownCsr.chain((num) => csrItem({ num })) },
);

/** QDIFF-GEN-1: one body item. */
export const itemArb = (paging: boolean): Arbitrary<Item> => fc.oneof(
  { weight: 6, arbitrary: alu },
  { weight: 5, arbitrary: mem },
  { weight: 2, arbitrary: atomic },
  { weight: 4, arbitrary: csrInsn(paging) },
  { weight: 2, arbitrary: control },
  { weight: 1, arbitrary: system },
  { weight: 1, arbitrary: illegal },
);

// ---------------------------------------------------------------------------------------------
// Initial state

export const leafBits = (must: number): Arbitrary<number> => fc.oneof(
  { weight: 3, arbitrary: fc.constant(must | PTE.V | PTE.A | PTE.D) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 0xff }).map((b) => b | must | PTE.V) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 0xff }) },
);
const pagingArb = (priv: Priv): Arbitrary<Paging> => {
  const u = priv === 0 ? PTE.U : 0;
  return fc.record({
    asid: fc.integer({ min: 0, max: 511 }),
    code: fc.oneof({ weight: 6, arbitrary: fc.constant(PTE.V | PTE.R | PTE.X | PTE.A | u) }, { weight: 1, arbitrary: leafBits(PTE.X | u) }),
    data4k: leafBits(PTE.R | PTE.W | u),
    alias: leafBits(PTE.R | u),
    mega: leafBits(PTE.R | PTE.W | u),
    odd: fc.oneof(
      leafBits(PTE.R | PTE.W | u).map((b) => u32((((DATA_BASE >>> 12) + 1) << 10) | b)), // misaligned megapage
      fc.integer({ min: 0, max: 0xffffffff }),
      fc.constant(0),
    ),
  });
};

const pmpEntries: Arbitrary<readonly PmpEntry[]> = fc.record({
  entries: fc.array(fc.record({
    a: fc.integer({ min: 0, max: 3 }),
    perm: fc.constantFrom(0, 1, 3, 4, 5, 7),
    // Below 2^32 bytes (pmpaddr < 2^30): QDEV-12, QEMU truncates PMP addresses to 32 bits.
    addr: fc.oneof(
      fc.integer({ min: 0, max: 0x3fffffff }),
      fc.integer({ min: 0, max: 0x3ff }).map((k) => u32((CELL_BASE + k * CELL_SIZE) >>> 2)),
      fc.integer({ min: 0, max: 0x3ff }).map((k) => u32((DATA_BASE + k * 16) >>> 2)),
      fc.integer({ min: 0, max: 20 }).map((t) => u32(((HARNESS >>> 2) | ((1 << t) - 1)))),
    ),
  }), { minLength: 0, maxLength: 6 }),
  catchAll: fc.boolean(),
}).map(({ entries, catchAll }) => {
  const out: PmpEntry[] = [{ cfg: 0x18 | 5, addr: u32((SSTUB >>> 2) | 0x1ff) }];
  for (const e of entries) out.push({ cfg: (e.a << 3) | e.perm, addr: e.addr });
  if (catchAll) out.push({ cfg: 0x1f, addr: 0xffffffff });
  return out.slice(0, 8);
});

/** QDIFF-GEN-1: a whole test program. */
export const programArb: Arbitrary<TestProgram> = fc.record({
  priv: fc.constantFrom<Priv>(3, 1, 0),
  pagingOn: fc.oneof({ weight: 3, arbitrary: fc.constant(false) }, { weight: 2, arbitrary: fc.constant(true) }),
  pmpKind: fc.oneof({ weight: 12, arbitrary: fc.constant('all' as const) }, { weight: 1, arbitrary: fc.constant('off' as const) }, { weight: 3, arbitrary: fc.constant('gen' as const) }),
}).chain(({ priv, pagingOn, pmpKind }) => {
  const paging = pagingOn && (priv !== 3 || pmpKind === 'all');
  const views: View[] = paging ? ['v4k', 'alias', 'mega', 'odd', 'pa'] : ['pa'];
  const reg = (r: number): Arbitrary<Value> => PTR_REGS.includes(r)
    ? fc.oneof({ weight: 5, arbitrary: dataValue(views) }, { weight: 1, arbitrary: numValue() })
    : CODE_REGS.includes(r) ? fc.oneof({ weight: 3, arbitrary: codeValue }, { weight: 1, arbitrary: numValue() })
      : numValue();
  return fc.record({
    priv: fc.constant(priv),
    // MPRV only matters in M-mode (and QDEV-9: QEMU's MRET to S/U keeps it).
    mstatus: mstatusValue.map((v) => (priv === 3 ? v : v & ~0x20000)),
    mie: fc.boolean(),
    csrs: csrSetup({ medeleg: pmpKind === 'off' ? 0xb1ff & ~2 : 0xb1ff, mideleg: 0x222, mie: 0xaaa }),
    mepc: aligned(fc.oneof(codeValue, numValue())),
    sepc: aligned(fc.oneof(codeValue, numValue())),
    regs: fc.tuple(...Array.from({ length: 31 }, (_, k) => reg(k + 1))),
    data: fc.array(word, { minLength: 0, maxLength: DATA_SIZE / 4 }),
    paging: paging ? pagingArb(priv) : fc.constant(null),
    pmp: pmpKind === 'gen' && !paging ? pmpEntries : fc.constant(pmpKind === 'off' && !paging ? 'off' as const : 'all' as const),
    body: fc.array(itemArb(paging), { minLength: 1, maxLength: 24 }),
  });
});
