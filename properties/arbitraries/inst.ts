/**
 * fast-check generators for decoded instructions (src/isa/inst.ts). Every variant of `Inst` except
 * `illegal` is produced, with fields in exactly the ranges and representation that `decode` yields:
 * registers 0..31; I/S immediates signed 12-bit; branch offsets signed 13-bit even; jal offsets signed
 * 21-bit even; lui/auipc imm = imm[31:12] << 12 as a signed 32-bit number; shamt 0..31; csr 0..4095;
 * uimm 0..31; fence fm/pred/succ 0..15; aq/rl 0..1. Reserved-but-ignored fields (FENCE fm/rd/rs1,
 * FENCE.I imm/rd/rs1) are usually zero but sometimes not, so both objdump forms are exercised.
 */
import fc from 'fast-check';
import type { Arbitrary } from 'fast-check';
import type {
  AmoOp, BranchOp, CsrImmOp, CsrOp, ImmOp, Inst, LoadOp, RegOp, ShiftImmOp, StoreOp, SystemOp,
} from '../../src/isa/inst.js';
import { encode } from '../../src/isa/encode.js';

const REG_OPS: RegOp[] = [
  'add', 'sub', 'sll', 'slt', 'sltu', 'xor', 'srl', 'sra', 'or', 'and',
  'mul', 'mulh', 'mulhsu', 'mulhu', 'div', 'divu', 'rem', 'remu',
];
const IMM_OPS: ImmOp[] = ['addi', 'slti', 'sltiu', 'xori', 'ori', 'andi'];
const SHIFT_OPS: ShiftImmOp[] = ['slli', 'srli', 'srai'];
const BRANCH_OPS: BranchOp[] = ['beq', 'bne', 'blt', 'bge', 'bltu', 'bgeu'];
const LOAD_OPS: LoadOp[] = ['lb', 'lh', 'lw', 'lbu', 'lhu'];
const STORE_OPS: StoreOp[] = ['sb', 'sh', 'sw'];
const AMO_OPS: Array<AmoOp | 'sc.w'> = [
  'sc.w', 'amoswap.w', 'amoadd.w', 'amoxor.w', 'amoand.w', 'amoor.w',
  'amomin.w', 'amomax.w', 'amominu.w', 'amomaxu.w',
];
const CSR_OPS: CsrOp[] = ['csrrw', 'csrrs', 'csrrc'];
const CSRI_OPS: CsrImmOp[] = ['csrrwi', 'csrrsi', 'csrrci'];
const SYSTEM_OPS: SystemOp[] = ['ecall', 'ebreak', 'mret', 'sret', 'wfi'];

/** Register number 0..31, biased towards x0 and tp (objdump treats both specially as a base). */
export const reg: Arbitrary<number> = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 0, max: 31 }) },
  { weight: 1, arbitrary: fc.constantFrom(0, 4) },
);
/** Signed `bits`-bit integer, biased towards the extremes and zero. */
const signed = (bits: number): Arbitrary<number> => {
  const max = 2 ** (bits - 1) - 1, min = -(2 ** (bits - 1));
  return fc.oneof(
    { weight: 6, arbitrary: fc.integer({ min, max }) },
    { weight: 1, arbitrary: fc.constantFrom(min, max, 0, -1, 1) },
  );
};
const imm12 = signed(12);
const bit = fc.integer({ min: 0, max: 1 });
const nibble = fc.integer({ min: 0, max: 15 });
const u5 = fc.integer({ min: 0, max: 31 });
/** A field that is reserved (should be zero) but accepted by decode: mostly zero. */
const mostlyZero = <T>(zero: T, arb: Arbitrary<T>): Arbitrary<T> =>
  fc.oneof({ weight: 4, arbitrary: fc.constant(zero) }, { weight: 1, arbitrary: arb });

/** CSR number: any 12-bit value, biased towards the standard M/S/U ranges. */
export const csrNum: Arbitrary<number> = fc.oneof(
  fc.integer({ min: 0, max: 4095 }),
  fc.constantFrom(0x000, 0x001, 0x100, 0x105, 0x141, 0x180, 0x300, 0x301, 0x305, 0x341, 0x342, 0x344, 0xc00, 0xc80, 0xf14),
);

const regInst: Arbitrary<Inst> = fc.record({ op: fc.constantFrom(...REG_OPS), rd: reg, rs1: reg, rs2: reg });
const immInst: Arbitrary<Inst> = fc.record({ op: fc.constantFrom(...IMM_OPS), rd: reg, rs1: reg, imm: imm12 });
const shiftInst: Arbitrary<Inst> = fc.record({ op: fc.constantFrom(...SHIFT_OPS), rd: reg, rs1: reg, shamt: u5 });
const upperInst: Arbitrary<Inst> = fc.record({
  op: fc.constantFrom('lui' as const, 'auipc' as const), rd: reg, imm: signed(20).map((x) => x << 12),
});
const jalInst: Arbitrary<Inst> = fc.record({ op: fc.constant('jal' as const), rd: reg, imm: signed(20).map((x) => x * 2) });
const jalrInst: Arbitrary<Inst> = fc.record({ op: fc.constant('jalr' as const), rd: reg, rs1: reg, imm: imm12 });
const branchInst: Arbitrary<Inst> = fc.record({
  op: fc.constantFrom(...BRANCH_OPS), rs1: reg, rs2: reg, imm: signed(12).map((x) => x * 2),
});
const loadInst: Arbitrary<Inst> = fc.record({ op: fc.constantFrom(...LOAD_OPS), rd: reg, rs1: reg, imm: imm12 });
const storeInst: Arbitrary<Inst> = fc.record({ op: fc.constantFrom(...STORE_OPS), rs1: reg, rs2: reg, imm: imm12 });
const fenceInst: Arbitrary<Inst> = fc.oneof(
  { weight: 4, arbitrary: fc.record({
    op: fc.constant('fence' as const), fm: mostlyZero(0, nibble), pred: nibble, succ: nibble,
    rd: mostlyZero(0, u5), rs1: mostlyZero(0, u5),
  }) },
  // FENCE.TSO and its near misses
  { weight: 1, arbitrary: fc.record({
    op: fc.constant('fence' as const), fm: fc.constant(8), pred: mostlyZero(3, nibble), succ: mostlyZero(3, nibble),
    rd: mostlyZero(0, u5), rs1: mostlyZero(0, u5),
  }) },
);
const fenceIInst: Arbitrary<Inst> = fc.record({
  op: fc.constant('fence.i' as const), rd: mostlyZero(0, u5), rs1: mostlyZero(0, u5), imm: mostlyZero(0, imm12),
});
const systemInst: Arbitrary<Inst> = fc.record({ op: fc.constantFrom(...SYSTEM_OPS) });
const sfenceInst: Arbitrary<Inst> = fc.record({ op: fc.constant('sfence.vma' as const), rs1: reg, rs2: reg });
const csrInst: Arbitrary<Inst> = fc.record({ op: fc.constantFrom(...CSR_OPS), rd: reg, rs1: reg, csr: csrNum });
const csriInst: Arbitrary<Inst> = fc.record({ op: fc.constantFrom(...CSRI_OPS), rd: reg, uimm: u5, csr: csrNum });
const lrInst: Arbitrary<Inst> = fc.record({ op: fc.constant('lr.w' as const), rd: reg, rs1: reg, aq: bit, rl: bit });
const amoInst: Arbitrary<Inst> = fc.record({
  op: fc.constantFrom(...AMO_OPS), rd: reg, rs1: reg, rs2: reg, aq: bit, rl: bit,
});

/** Any valid (non-illegal) instruction, every variant of `Inst` represented. */
export const validInst: Arbitrary<Inst> = fc.oneof(
  { weight: 4, arbitrary: regInst },
  { weight: 3, arbitrary: immInst },
  { weight: 2, arbitrary: shiftInst },
  { weight: 2, arbitrary: upperInst },
  { weight: 2, arbitrary: jalInst },
  { weight: 2, arbitrary: jalrInst },
  { weight: 3, arbitrary: branchInst },
  { weight: 3, arbitrary: loadInst },
  { weight: 2, arbitrary: storeInst },
  { weight: 2, arbitrary: fenceInst },
  { weight: 1, arbitrary: fenceIInst },
  { weight: 1, arbitrary: systemInst },
  { weight: 1, arbitrary: sfenceInst },
  { weight: 3, arbitrary: csrInst },
  { weight: 2, arbitrary: csriInst },
  { weight: 1, arbitrary: lrInst },
  { weight: 3, arbitrary: amoInst },
);

/** The encoding of a valid instruction (unsigned 32-bit). */
export const validWord: Arbitrary<number> = validInst.map(encode);

/** Any 32-bit word, unsigned. */
export const anyWord: Arbitrary<number> = fc.integer({ min: 0, max: 0xffffffff });

/**
 * Near-valid words: a valid encoding with 1–3 random bits flipped, or a word with a real major opcode
 * and random remaining bits. These land on the reserved encodings next to defined ones.
 */
export const nearValidWord: Arbitrary<number> = fc.oneof(
  fc.tuple(validWord, fc.array(fc.integer({ min: 0, max: 31 }), { minLength: 1, maxLength: 3 }))
    .map(([w, flips]) => flips.reduce((acc, b) => (acc ^ (1 << b)) >>> 0, w)),
  fc.tuple(fc.constantFrom(0x03, 0x0f, 0x13, 0x17, 0x23, 0x2f, 0x33, 0x37, 0x63, 0x67, 0x6f, 0x73), anyWord)
    .map(([opc, w]) => ((w & ~0x7f) | opc) >>> 0),
);

/** `0x`-prefixed 8-digit hex, for readable failure messages. */
export const hexWord = (w: number): string => '0x' + (w >>> 0).toString(16).padStart(8, '0');
