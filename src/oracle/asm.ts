/**
 * A tiny assembler for the vector generator: instruction constructors that return words, built on
 * `encode` (ISA-DEC-2), so vectors contain exactly the encodings popek decodes.
 */
import { encode } from '../isa/encode.js';
import type { AmoOp, BranchOp, CsrImmOp, CsrOp, HfenceOp, HlvOp, HsvOp, ImmOp, LoadOp, RegOp, ShiftImmOp, StoreOp } from '../isa/inst.js';
import { CSR_NUMBERS } from './state.js';

export const ZERO = 0, RA = 1, SP = 2, GP = 3, TP = 4, T0 = 5, T1 = 6, T2 = 7, S0 = 8, S1 = 9;
export const A0 = 10, A1 = 11, A2 = 12, A3 = 13, A4 = 14, A5 = 15, A6 = 16, A7 = 17;
export const T3 = 28, T4 = 29, T5 = 30, T6 = 31;

const csrNum = (c: string | number): number => {
  if (typeof c === 'number') return c;
  const n = CSR_NUMBERS.get(c);
  if (n === undefined) throw new Error(`asm: unknown CSR ${c}`);
  return n;
};

export const rr = (op: RegOp, rd: number, rs1: number, rs2: number): number => encode({ op, rd, rs1, rs2 });
export const ri = (op: ImmOp, rd: number, rs1: number, imm: number): number => encode({ op, rd, rs1, imm });
export const sh = (op: ShiftImmOp, rd: number, rs1: number, shamt: number): number => encode({ op, rd, rs1, shamt });
export const lui = (rd: number, imm: number): number => encode({ op: 'lui', rd, imm: imm & 0xfffff000 | 0 });
export const auipc = (rd: number, imm: number): number => encode({ op: 'auipc', rd, imm: imm & 0xfffff000 | 0 });
export const jal = (rd: number, imm: number): number => encode({ op: 'jal', rd, imm });
export const jalr = (rd: number, rs1: number, imm: number): number => encode({ op: 'jalr', rd, rs1, imm });
export const br = (op: BranchOp, rs1: number, rs2: number, imm: number): number => encode({ op, rs1, rs2, imm });
export const ld = (op: LoadOp, rd: number, rs1: number, imm: number): number => encode({ op, rd, rs1, imm });
export const st = (op: StoreOp, rs2: number, rs1: number, imm: number): number => encode({ op, rs1, rs2, imm });
export const csr = (op: CsrOp, rd: number, c: string | number, rs1: number): number => encode({ op, rd, rs1, csr: csrNum(c) });
export const csri = (op: CsrImmOp, rd: number, c: string | number, uimm: number): number => encode({ op, rd, uimm, csr: csrNum(c) });
export const lr = (rd: number, rs1: number): number => encode({ op: 'lr.w', rd, rs1, aq: 0, rl: 0 });
export const sc = (rd: number, rs2: number, rs1: number): number => encode({ op: 'sc.w', rd, rs1, rs2, aq: 0, rl: 0 });
export const amo = (op: AmoOp, rd: number, rs2: number, rs1: number): number => encode({ op, rd, rs1, rs2, aq: 0, rl: 0 });
export const fence = (pred = 15, succ = 15, fm = 0): number => encode({ op: 'fence', fm, pred, succ, rd: 0, rs1: 0 });
export const FENCE_I = encode({ op: 'fence.i', rd: 0, rs1: 0, imm: 0 });
export const ECALL = encode({ op: 'ecall' });
export const EBREAK = encode({ op: 'ebreak' });
export const MRET = encode({ op: 'mret' });
export const SRET = encode({ op: 'sret' });
export const WFI = encode({ op: 'wfi' });
export const NOP = ri('addi', 0, 0, 0);
export const sfence = (rs1 = 0, rs2 = 0): number => encode({ op: 'sfence.vma', rs1, rs2 });
/** The H extension's instructions (HV-HLV, HV-HFENCE). */
export const hlv = (op: HlvOp, rd: number, rs1: number): number => encode({ op, rd, rs1 });
export const hsv = (op: HsvOp, rs2: number, rs1: number): number => encode({ op, rs1, rs2 });
export const hfence = (op: HfenceOp, rs1 = 0, rs2 = 0): number => encode({ op, rs1, rs2 });

/** Load a 32-bit constant: LUI + ADDI (always two words, so programs have fixed layouts). */
export const li = (rd: number, v: number): number[] => {
  const lo = ((v & 0xfff) << 20) >> 20;
  return [lui(rd, (v - lo) | 0), ri('addi', rd, rd, lo)];
};
