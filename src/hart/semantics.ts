/**
 * What each instruction DOES, as a pure function of the decoded instruction, its pc and the
 * register file (ISA-*). Memory, CSR and privileged effects are returned as requests (`Outcome`).
 * One entry per op; most are one line, in the spirit of Spike's insns/.
 */
import type { AmoOp, Inst, InstOf, Op } from '../isa/inst.js';
import { mulhss, mulhsu, mulhuu } from '../bits/bits.js';
import { EXC } from './csr-bits.js';
import { NEXT, type Outcome } from './outcome.js';

type Regs = Int32Array;
export type Semantics<O extends Op> = (i: InstOf<O>, pc: number, x: Regs) => Outcome;

const wr = (rd: number, v: number): Outcome => ({ k: 'wr', rd, v: v | 0 });
const branch = (taken: boolean, pc: number, imm: number): Outcome =>
  taken ? { k: 'jump', rd: 0, v: 0, target: (pc + imm) >>> 0 } : NEXT;
const ld = (rd: number, addr: number, size: 1 | 2 | 4, signed: boolean): Outcome =>
  ({ k: 'load', rd, addr: addr >>> 0, size, signed });
const st = (addr: number, size: 1 | 2 | 4, v: number): Outcome => ({ k: 'store', addr: addr >>> 0, size, v });
const amo = (i: InstOf<AmoOp>, _pc: number, x: Regs): Outcome =>
  ({ k: 'amo', op: i.op, rd: i.rd, addr: x[i.rs1]! >>> 0, v: x[i.rs2]! });
const csr = (i: InstOf<'csrrw' | 'csrrs' | 'csrrc'>, op: 'w' | 's' | 'c', src: number): Outcome =>
  ({ k: 'csr', rd: i.rd, csr: i.csr, op, src, noRead: op === 'w' && i.rd === 0, noWrite: op !== 'w' && i.rs1 === 0 });
const csri = (i: InstOf<'csrrwi' | 'csrrsi' | 'csrrci'>, op: 'w' | 's' | 'c'): Outcome =>
  ({ k: 'csr', rd: i.rd, csr: i.csr, op, src: i.uimm, noRead: op === 'w' && i.rd === 0, noWrite: op !== 'w' && i.uimm === 0 });

/** ISA-M-DIV: division by zero and overflow follow the M chapter's table, never trap. */
const div = (a: number, b: number): number => (b === 0 ? -1 : a === -0x80000000 && b === -1 ? a : (a / b) | 0);
const divu = (a: number, b: number): number => (b === 0 ? 0xffffffff : Math.floor((a >>> 0) / (b >>> 0)));
const rem = (a: number, b: number): number => (b === 0 ? a : a === -0x80000000 && b === -1 ? 0 : a % b);
const remu = (a: number, b: number): number => (b === 0 ? a : (a >>> 0) % (b >>> 0));

export const SEMANTICS: { [O in Op]: Semantics<O> } = {
  // RV32I register-register (unprivileged §2.4.2)
  add: (i, _, x) => wr(i.rd, x[i.rs1]! + x[i.rs2]!),
  sub: (i, _, x) => wr(i.rd, x[i.rs1]! - x[i.rs2]!),
  sll: (i, _, x) => wr(i.rd, x[i.rs1]! << (x[i.rs2]! & 31)),
  slt: (i, _, x) => wr(i.rd, x[i.rs1]! < x[i.rs2]! ? 1 : 0),
  sltu: (i, _, x) => wr(i.rd, x[i.rs1]! >>> 0 < x[i.rs2]! >>> 0 ? 1 : 0),
  xor: (i, _, x) => wr(i.rd, x[i.rs1]! ^ x[i.rs2]!),
  srl: (i, _, x) => wr(i.rd, x[i.rs1]! >>> (x[i.rs2]! & 31)),
  sra: (i, _, x) => wr(i.rd, x[i.rs1]! >> (x[i.rs2]! & 31)),
  or: (i, _, x) => wr(i.rd, x[i.rs1]! | x[i.rs2]!),
  and: (i, _, x) => wr(i.rd, x[i.rs1]! & x[i.rs2]!),
  // M extension (unprivileged chapter "M" §13.1–13.2)
  mul: (i, _, x) => wr(i.rd, Math.imul(x[i.rs1]!, x[i.rs2]!)),
  mulh: (i, _, x) => wr(i.rd, mulhss(x[i.rs1]!, x[i.rs2]!)),
  mulhsu: (i, _, x) => wr(i.rd, mulhsu(x[i.rs1]!, x[i.rs2]!)),
  mulhu: (i, _, x) => wr(i.rd, mulhuu(x[i.rs1]!, x[i.rs2]!)),
  div: (i, _, x) => wr(i.rd, div(x[i.rs1]!, x[i.rs2]!)),
  divu: (i, _, x) => wr(i.rd, divu(x[i.rs1]!, x[i.rs2]!)),
  rem: (i, _, x) => wr(i.rd, rem(x[i.rs1]!, x[i.rs2]!)),
  remu: (i, _, x) => wr(i.rd, remu(x[i.rs1]!, x[i.rs2]!)),
  // RV32I register-immediate (§2.4.1)
  addi: (i, _, x) => wr(i.rd, x[i.rs1]! + i.imm),
  slti: (i, _, x) => wr(i.rd, x[i.rs1]! < i.imm ? 1 : 0),
  sltiu: (i, _, x) => wr(i.rd, x[i.rs1]! >>> 0 < i.imm >>> 0 ? 1 : 0),
  xori: (i, _, x) => wr(i.rd, x[i.rs1]! ^ i.imm),
  ori: (i, _, x) => wr(i.rd, x[i.rs1]! | i.imm),
  andi: (i, _, x) => wr(i.rd, x[i.rs1]! & i.imm),
  slli: (i, _, x) => wr(i.rd, x[i.rs1]! << i.shamt),
  srli: (i, _, x) => wr(i.rd, x[i.rs1]! >>> i.shamt),
  srai: (i, _, x) => wr(i.rd, x[i.rs1]! >> i.shamt),
  lui: (i) => wr(i.rd, i.imm),
  auipc: (i, pc) => wr(i.rd, pc + i.imm),
  // Control transfer (§2.5): the link is pc + 4; JALR clears bit 0 of the target.
  jal: (i, pc) => ({ k: 'jump', rd: i.rd, v: (pc + 4) | 0, target: (pc + i.imm) >>> 0 }),
  jalr: (i, pc, x) => ({ k: 'jump', rd: i.rd, v: (pc + 4) | 0, target: ((x[i.rs1]! + i.imm) & ~1) >>> 0 }),
  beq: (i, pc, x) => branch(x[i.rs1]! === x[i.rs2]!, pc, i.imm),
  bne: (i, pc, x) => branch(x[i.rs1]! !== x[i.rs2]!, pc, i.imm),
  blt: (i, pc, x) => branch(x[i.rs1]! < x[i.rs2]!, pc, i.imm),
  bge: (i, pc, x) => branch(x[i.rs1]! >= x[i.rs2]!, pc, i.imm),
  bltu: (i, pc, x) => branch(x[i.rs1]! >>> 0 < x[i.rs2]! >>> 0, pc, i.imm),
  bgeu: (i, pc, x) => branch(x[i.rs1]! >>> 0 >= x[i.rs2]! >>> 0, pc, i.imm),
  // Loads and stores (§2.6)
  lb: (i, _, x) => ld(i.rd, x[i.rs1]! + i.imm, 1, true),
  lh: (i, _, x) => ld(i.rd, x[i.rs1]! + i.imm, 2, true),
  lw: (i, _, x) => ld(i.rd, x[i.rs1]! + i.imm, 4, true),
  lbu: (i, _, x) => ld(i.rd, x[i.rs1]! + i.imm, 1, false),
  lhu: (i, _, x) => ld(i.rd, x[i.rs1]! + i.imm, 2, false),
  sb: (i, _, x) => st(x[i.rs1]! + i.imm, 1, x[i.rs2]!),
  sh: (i, _, x) => st(x[i.rs1]! + i.imm, 2, x[i.rs2]!),
  sw: (i, _, x) => st(x[i.rs1]! + i.imm, 4, x[i.rs2]!),
  // Memory ordering (§2.7, Zifencei): a single hart in program order needs no further action here.
  fence: () => NEXT,
  'fence.i': () => ({ k: 'fence.i' }),
  // A extension (chapter "A")
  'lr.w': (i, _, x) => ({ k: 'lr', rd: i.rd, addr: x[i.rs1]! >>> 0 }),
  'sc.w': (i, _, x) => ({ k: 'sc', rd: i.rd, addr: x[i.rs1]! >>> 0, v: x[i.rs2]! }),
  'amoswap.w': amo, 'amoadd.w': amo, 'amoxor.w': amo, 'amoand.w': amo, 'amoor.w': amo,
  'amomin.w': amo, 'amomax.w': amo, 'amominu.w': amo, 'amomaxu.w': amo,
  // Zicsr
  csrrw: (i, _, x) => csr(i, 'w', x[i.rs1]!),
  csrrs: (i, _, x) => csr(i, 's', x[i.rs1]!),
  csrrc: (i, _, x) => csr(i, 'c', x[i.rs1]!),
  csrrwi: (i) => csri(i, 'w'),
  csrrsi: (i) => csri(i, 's'),
  csrrci: (i) => csri(i, 'c'),
  // Privileged (privileged spec §3.3); cause for ECALL depends on the mode, fixed at commit.
  ecall: () => ({ k: 'trap', cause: EXC.ECALL_U, tval: 0 }),
  ebreak: (_i, pc) => ({ k: 'trap', cause: EXC.BREAKPOINT, tval: pc >>> 0 }),
  mret: () => ({ k: 'mret' }),
  sret: () => ({ k: 'sret' }),
  wfi: () => ({ k: 'wfi' }),
  'sfence.vma': (i, _, x) => ({ k: 'sfence.vma', vaddr: x[i.rs1]! >>> 0, asid: x[i.rs2]! & 0x1ff, rs1: i.rs1, rs2: i.rs2 }),
  // H extension (hypervisor chapter): legality and the two-stage access are decided at commit.
  'hlv.b': (i, _, x) => ({ k: 'hlv', rd: i.rd, addr: x[i.rs1]! >>> 0, size: 1, signed: true, x: false }),
  'hlv.bu': (i, _, x) => ({ k: 'hlv', rd: i.rd, addr: x[i.rs1]! >>> 0, size: 1, signed: false, x: false }),
  'hlv.h': (i, _, x) => ({ k: 'hlv', rd: i.rd, addr: x[i.rs1]! >>> 0, size: 2, signed: true, x: false }),
  'hlv.hu': (i, _, x) => ({ k: 'hlv', rd: i.rd, addr: x[i.rs1]! >>> 0, size: 2, signed: false, x: false }),
  'hlvx.hu': (i, _, x) => ({ k: 'hlv', rd: i.rd, addr: x[i.rs1]! >>> 0, size: 2, signed: false, x: true }),
  'hlv.w': (i, _, x) => ({ k: 'hlv', rd: i.rd, addr: x[i.rs1]! >>> 0, size: 4, signed: true, x: false }),
  'hlvx.wu': (i, _, x) => ({ k: 'hlv', rd: i.rd, addr: x[i.rs1]! >>> 0, size: 4, signed: true, x: true }),
  'hsv.b': (i, _, x) => ({ k: 'hsv', addr: x[i.rs1]! >>> 0, size: 1, v: x[i.rs2]! }),
  'hsv.h': (i, _, x) => ({ k: 'hsv', addr: x[i.rs1]! >>> 0, size: 2, v: x[i.rs2]! }),
  'hsv.w': (i, _, x) => ({ k: 'hsv', addr: x[i.rs1]! >>> 0, size: 4, v: x[i.rs2]! }),
  'hfence.vvma': () => ({ k: 'hfence', gvma: false }),
  'hfence.gvma': () => ({ k: 'hfence', gvma: true }),
  // PRIV-ILLEGAL-TVAL: tval is the faulting instruction, whose length its low bits encode (Vol. I
  // "Base Instruction-Length Encoding"): bits 1:0 != 11 make it a 16-bit parcel (Vol. II §3.1.16,
  // "the shortest of" the instruction and ILEN bits), even on a hart without C.
  illegal: (i) => ({ k: 'trap', cause: EXC.ILLEGAL, tval: (i.word & 3) === 3 ? i.word >>> 0 : i.word & 0xffff }),
};

/** Execute one decoded instruction (dispatches through the table). */
export const execute = (i: Inst, pc: number, x: Regs): Outcome =>
  (SEMANTICS[i.op] as Semantics<Op>)(i as never, pc, x);
