/** Instruction-word fields and immediate formats (RISC-V unprivileged ISA, §2.2–2.3 "Base Instruction Formats"). */
import { bits, bit, sext } from '../bits/bits.js';

export const opcode = (w: number): number => w & 0x7f;
export const rd = (w: number): number => (w >>> 7) & 31;
export const funct3 = (w: number): number => (w >>> 12) & 7;
export const rs1 = (w: number): number => (w >>> 15) & 31;
export const rs2 = (w: number): number => (w >>> 20) & 31;
export const funct7 = (w: number): number => w >>> 25;

export const immI = (w: number): number => w >> 20;
export const immS = (w: number): number => ((w >> 25) << 5) | bits(w, 11, 7);
export const immB = (w: number): number =>
  sext((bit(w, 31) << 12) | (bit(w, 7) << 11) | (bits(w, 30, 25) << 5) | (bits(w, 11, 8) << 1), 13);
export const immU = (w: number): number => w & 0xfffff000;
export const immJ = (w: number): number =>
  sext((bit(w, 31) << 20) | (bits(w, 19, 12) << 12) | (bit(w, 20) << 11) | (bits(w, 30, 21) << 1), 21);

/** Pack an R-type word. */
export const packR = (op: number, f3: number, f7: number, d: number, s1: number, s2: number): number =>
  ((f7 << 25) | (s2 << 20) | (s1 << 15) | (f3 << 12) | (d << 7) | op) >>> 0;
/** Pack an I-type word (imm is the 12-bit immediate, signed or not). */
export const packI = (op: number, f3: number, d: number, s1: number, imm: number): number =>
  (((imm & 0xfff) << 20) | (s1 << 15) | (f3 << 12) | (d << 7) | op) >>> 0;
export const packS = (op: number, f3: number, s1: number, s2: number, imm: number): number =>
  ((bits(imm, 11, 5) << 25) | (s2 << 20) | (s1 << 15) | (f3 << 12) | (bits(imm, 4, 0) << 7) | op) >>> 0;
export const packB = (op: number, f3: number, s1: number, s2: number, imm: number): number =>
  ((bit(imm, 12) << 31) | (bits(imm, 10, 5) << 25) | (s2 << 20) | (s1 << 15) | (f3 << 12) |
    (bits(imm, 4, 1) << 8) | (bit(imm, 11) << 7) | op) >>> 0;
export const packU = (op: number, d: number, imm: number): number => ((imm & 0xfffff000) | (d << 7) | op) >>> 0;
export const packJ = (op: number, d: number, imm: number): number =>
  ((bit(imm, 20) << 31) | (bits(imm, 10, 1) << 21) | (bit(imm, 11) << 20) | (bits(imm, 19, 12) << 12) |
    (d << 7) | op) >>> 0;

/** Major opcodes used by RV32IMA + Zicsr + Zifencei (unprivileged ISA, "RV32/64G Instruction Set Listings"). */
export const OPC = {
  LOAD: 0x03, MISC_MEM: 0x0f, OP_IMM: 0x13, AUIPC: 0x17, STORE: 0x23, AMO: 0x2f,
  OP: 0x33, LUI: 0x37, BRANCH: 0x63, JALR: 0x67, JAL: 0x6f, SYSTEM: 0x73,
} as const;
