/**
 * Opcode tables: the funct fields that select each operation, one table per extension.
 * Decode and encode both read these tables, so the two directions cannot disagree.
 */
import type { AmoOp, BranchOp, CsrImmOp, CsrOp, HlvOp, HsvOp, ImmOp, LoadOp, RegOp, StoreOp } from './inst.js';

/** OP (RV32I and M): key is funct7 << 3 | funct3. */
export const REG_OPS: ReadonlyArray<readonly [RegOp, number, number]> = [
  ['add', 0x00, 0], ['sll', 0x00, 1], ['slt', 0x00, 2], ['sltu', 0x00, 3],
  ['xor', 0x00, 4], ['srl', 0x00, 5], ['or', 0x00, 6], ['and', 0x00, 7],
  ['sub', 0x20, 0], ['sra', 0x20, 5],
  // M extension (unprivileged ISA, chapter "M Extension for Integer Multiplication and Division")
  ['mul', 0x01, 0], ['mulh', 0x01, 1], ['mulhsu', 0x01, 2], ['mulhu', 0x01, 3],
  ['div', 0x01, 4], ['divu', 0x01, 5], ['rem', 0x01, 6], ['remu', 0x01, 7],
];

/** OP-IMM register-immediate operations (funct3); shifts are handled separately. */
export const IMM_OPS: ReadonlyArray<readonly [ImmOp, number]> = [
  ['addi', 0], ['slti', 2], ['sltiu', 3], ['xori', 4], ['ori', 6], ['andi', 7],
];

export const BRANCH_OPS: ReadonlyArray<readonly [BranchOp, number]> = [
  ['beq', 0], ['bne', 1], ['blt', 4], ['bge', 5], ['bltu', 6], ['bgeu', 7],
];

export const LOAD_OPS: ReadonlyArray<readonly [LoadOp, number]> = [
  ['lb', 0], ['lh', 1], ['lw', 2], ['lbu', 4], ['lhu', 5],
];

export const STORE_OPS: ReadonlyArray<readonly [StoreOp, number]> = [['sb', 0], ['sh', 1], ['sw', 2]];

/** AMO funct5 values for .W (A extension, "Atomic Memory Operations"). LR and SC are listed too. */
export const AMO_OPS: ReadonlyArray<readonly [AmoOp | 'lr.w' | 'sc.w', number]> = [
  ['lr.w', 0x02], ['sc.w', 0x03], ['amoswap.w', 0x01], ['amoadd.w', 0x00], ['amoxor.w', 0x04],
  ['amoand.w', 0x0c], ['amoor.w', 0x08], ['amomin.w', 0x10], ['amomax.w', 0x14],
  ['amominu.w', 0x18], ['amomaxu.w', 0x1c],
];

export const CSR_OPS: ReadonlyArray<readonly [CsrOp | CsrImmOp, number]> = [
  ['csrrw', 1], ['csrrs', 2], ['csrrc', 3], ['csrrwi', 5], ['csrrsi', 6], ['csrrci', 7],
];

/** SYSTEM instructions with funct3 = 0 that are single fixed words. */
export const FIXED_SYSTEM: ReadonlyArray<readonly ['ecall' | 'ebreak' | 'mret' | 'sret' | 'wfi', number]> = [
  ['ecall', 0x00000073], ['ebreak', 0x00100073], ['sret', 0x10200073], ['mret', 0x30200073], ['wfi', 0x10500073],
];

/**
 * H extension (hypervisor chapter, "Hypervisor Virtual-Machine Load and Store Instructions"): SYSTEM,
 * funct3 = 100. HLV/HLVX are keyed by funct7 << 5 | rs2 (rs2 selects the variant); HSV by funct7.
 */
export const HLV_OPS: ReadonlyArray<readonly [HlvOp, number]> = [
  ['hlv.b', (0x30 << 5) | 0], ['hlv.bu', (0x30 << 5) | 1], ['hlv.h', (0x32 << 5) | 0], ['hlv.hu', (0x32 << 5) | 1],
  ['hlvx.hu', (0x32 << 5) | 3], ['hlv.w', (0x34 << 5) | 0], ['hlvx.wu', (0x34 << 5) | 3],
];
export const HSV_OPS: ReadonlyArray<readonly [HsvOp, number]> = [['hsv.b', 0x31], ['hsv.h', 0x33], ['hsv.w', 0x35]];
/** HFENCE.VVMA and HFENCE.GVMA: SYSTEM, funct3 = 0, rd = 0, funct7 0x11 / 0x31. */
export const HFENCE_OPS: ReadonlyArray<readonly ['hfence.vvma' | 'hfence.gvma', number]> = [['hfence.vvma', 0x11], ['hfence.gvma', 0x31]];

/** Build a lookup map from a table's key to its op, and the reverse. */
export const index = <K, V>(rows: ReadonlyArray<readonly [V, K]>): [Map<K, V>, Map<V, K>] => [
  new Map(rows.map(([v, k]) => [k, v] as const)),
  new Map(rows.map(([v, k]) => [v, k] as const)),
];
