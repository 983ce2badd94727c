/**
 * `disassemble`: one decoded instruction as text, in exactly the syntax of GNU objdump
 * (binutils 2.40) with `-M no-aliases` for `-m riscv:rv32` (ISA-ASM-1). The rules below were found
 * by experiment against `riscv64-unknown-elf-objdump`; see spec/isa.md.
 *
 * - `mnemonic<TAB>operands`, operands separated by `,` without spaces; no tab when there are none.
 * - I/S immediates, CSR uimm: signed decimal. Shift amounts, lui/auipc imm[31:12]: `0x` hex.
 * - Branch and jal targets: the absolute address `pc + imm` (mod 2^32) as `0x` hex, no padding.
 * - Loads, stores, jalr: `imm(base)`; when the base is `zero` or `tp` (and for `addi` with base `tp`),
 *   objdump appends ` # 0x<imm as u32>`. (objdump also appends such a comment after a preceding
 *   lui/auipc wrote the base register; that depends on earlier instructions, so it is not printed.)
 * - CSRs: the name objdump knows (OBJDUMP_CSR_NAMES), otherwise `0x` hex.
 * - FENCE: pred/succ as a subset of `iorw`, `unknown` when empty; only fm=0 (or the exact FENCE.TSO
 *   word) with rd=rs1=0 is shown as an instruction. FENCE.I only with imm=rd=rs1=0.
 * - Words objdump does not decode (those reserved-but-valid encodings, and illegal words):
 *   `.4byte<TAB>0x<hex>`.
 * - The word 0xc0001073 (`csrrw zero,cycle,zero`) is shown as `unimp`, even with no-aliases.
 */
import type { Inst } from './inst.js';
import { encode } from './encode.js';
import { regName } from './registers.js';
import { OBJDUMP_CSR_NAMES } from './csr-names.js';

const hex = (x: number): string => '0x' + (x >>> 0).toString(16);

/** CSR operand: objdump's name for the number if it has one, else hex. */
export const csrOperand = (csr: number): string => OBJDUMP_CSR_NAMES.get(csr) ?? hex(csr);

/** FENCE predecessor/successor set. */
const fenceSet = (s: number): string =>
  s === 0 ? 'unknown' : (s & 8 ? 'i' : '') + (s & 4 ? 'o' : '') + (s & 2 ? 'r' : '') + (s & 1 ? 'w' : '');

/** `.aq`/`.rl`/`.aqrl` suffix of an A-extension mnemonic. */
const ordering = (aq: number, rl: number): string => (aq ? '.aq' : '') + (aq && rl ? 'rl' : rl ? '.rl' : '');

/** objdump's address comment for an access whose base register is x0 or tp (the offset itself). */
const addrComment = (base: number, imm: number): string => (base === 0 || base === 4 ? ` # ${hex(imm)}` : '');

const raw = (i: Inst): string => `.4byte\t${hex(encode(i))}`;

/** Disassemble `i`, located at address `pc` (used for branch and jal targets). */
export function disassemble(i: Inst, pc: number): string {
  const r = regName;
  switch (i.op) {
    case 'add': case 'sub': case 'sll': case 'slt': case 'sltu': case 'xor': case 'srl': case 'sra': case 'or': case 'and':
    case 'mul': case 'mulh': case 'mulhsu': case 'mulhu': case 'div': case 'divu': case 'rem': case 'remu':
      return `${i.op}\t${r(i.rd)},${r(i.rs1)},${r(i.rs2)}`;
    case 'addi':
      return `addi\t${r(i.rd)},${r(i.rs1)},${i.imm}` + (i.rs1 === 4 ? addrComment(i.rs1, i.imm) : '');
    case 'slti': case 'sltiu': case 'xori': case 'ori': case 'andi':
      return `${i.op}\t${r(i.rd)},${r(i.rs1)},${i.imm}`;
    case 'slli': case 'srli': case 'srai':
      return `${i.op}\t${r(i.rd)},${r(i.rs1)},${hex(i.shamt)}`;
    case 'lui': case 'auipc':
      return `${i.op}\t${r(i.rd)},${hex(i.imm >>> 12)}`;
    case 'jal':
      return `jal\t${r(i.rd)},${hex(pc + i.imm)}`;
    case 'jalr':
      return `jalr\t${r(i.rd)},${i.imm}(${r(i.rs1)})` + addrComment(i.rs1, i.imm);
    case 'beq': case 'bne': case 'blt': case 'bge': case 'bltu': case 'bgeu':
      return `${i.op}\t${r(i.rs1)},${r(i.rs2)},${hex(pc + i.imm)}`;
    case 'lb': case 'lh': case 'lw': case 'lbu': case 'lhu':
      return `${i.op}\t${r(i.rd)},${i.imm}(${r(i.rs1)})` + addrComment(i.rs1, i.imm);
    case 'sb': case 'sh': case 'sw':
      return `${i.op}\t${r(i.rs2)},${i.imm}(${r(i.rs1)})` + addrComment(i.rs1, i.imm);
    case 'fence':
      if (i.rd !== 0 || i.rs1 !== 0) return raw(i);
      if (i.fm === 0) return `fence\t${fenceSet(i.pred)},${fenceSet(i.succ)}`;
      return i.fm === 8 && i.pred === 3 && i.succ === 3 ? 'fence.tso' : raw(i);
    case 'fence.i':
      return i.rd === 0 && i.rs1 === 0 && i.imm === 0 ? 'fence.i' : raw(i);
    case 'ecall': case 'ebreak': case 'mret': case 'sret': case 'wfi':
      return i.op;
    case 'sfence.vma': case 'hfence.vvma': case 'hfence.gvma':
      return `${i.op}\t${r(i.rs1)},${r(i.rs2)}`;
    case 'hlv.b': case 'hlv.bu': case 'hlv.h': case 'hlv.hu': case 'hlvx.hu': case 'hlv.w': case 'hlvx.wu':
      return `${i.op}\t${r(i.rd)},(${r(i.rs1)})`;
    case 'hsv.b': case 'hsv.h': case 'hsv.w':
      return `${i.op}\t${r(i.rs2)},(${r(i.rs1)})`;
    case 'csrrw': case 'csrrs': case 'csrrc':
      if (i.op === 'csrrw' && i.rd === 0 && i.rs1 === 0 && i.csr === 0xc00) return 'unimp';
      return `${i.op}\t${r(i.rd)},${csrOperand(i.csr)},${r(i.rs1)}`;
    case 'csrrwi': case 'csrrsi': case 'csrrci':
      return `${i.op}\t${r(i.rd)},${csrOperand(i.csr)},${i.uimm}`;
    case 'lr.w':
      return `lr.w${ordering(i.aq, i.rl)}\t${r(i.rd)},(${r(i.rs1)})`;
    case 'sc.w': case 'amoswap.w': case 'amoadd.w': case 'amoxor.w': case 'amoand.w': case 'amoor.w':
    case 'amomin.w': case 'amomax.w': case 'amominu.w': case 'amomaxu.w':
      return `${i.op}${ordering(i.aq, i.rl)}\t${r(i.rd)},${r(i.rs2)},(${r(i.rs1)})`;
    case 'illegal':
      return `.4byte\t${hex(i.word)}`;
    default: {
      const never: never = i;
      return never;
    }
  }
}
