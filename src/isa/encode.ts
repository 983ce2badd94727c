/** `encode`: the inverse of `decode` on every non-illegal instruction (ISA-DEC-2). */
import type { Inst } from './inst.js';
import { OPC, packB, packI, packJ, packR, packS, packU } from './fields.js';
import { AMO_OPS, BRANCH_OPS, CSR_OPS, FIXED_SYSTEM, HFENCE_OPS, HLV_OPS, HSV_OPS, IMM_OPS, LOAD_OPS, REG_OPS, STORE_OPS, index } from './tables.js';

const REG = new Map(REG_OPS.map(([op, f7, f3]) => [op, [f7, f3] as const]));
const [, IMM] = index(IMM_OPS);
const [, BRANCH] = index(BRANCH_OPS);
const [, LOAD] = index(LOAD_OPS);
const [, STORE] = index(STORE_OPS);
const [, AMO] = index(AMO_OPS);
const [, CSR] = index(CSR_OPS);
const [, SYS] = index(FIXED_SYSTEM);
const [, HLV] = index(HLV_OPS);
const [, HSV] = index(HSV_OPS);
const [, HFENCE] = index(HFENCE_OPS);

const get = <K, V>(m: Map<K, V>, k: K): V => m.get(k) as V;

/** Encode an instruction as its 32-bit word (unsigned). `illegal` encodes as the word it was decoded from. */
export function encode(i: Inst): number {
  switch (i.op) {
    case 'lui': return packU(OPC.LUI, i.rd, i.imm);
    case 'auipc': return packU(OPC.AUIPC, i.rd, i.imm);
    case 'jal': return packJ(OPC.JAL, i.rd, i.imm);
    case 'jalr': return packI(OPC.JALR, 0, i.rd, i.rs1, i.imm);
    case 'beq': case 'bne': case 'blt': case 'bge': case 'bltu': case 'bgeu':
      return packB(OPC.BRANCH, get(BRANCH, i.op), i.rs1, i.rs2, i.imm);
    case 'lb': case 'lh': case 'lw': case 'lbu': case 'lhu':
      return packI(OPC.LOAD, get(LOAD, i.op), i.rd, i.rs1, i.imm);
    case 'sb': case 'sh': case 'sw':
      return packS(OPC.STORE, get(STORE, i.op), i.rs1, i.rs2, i.imm);
    case 'addi': case 'slti': case 'sltiu': case 'xori': case 'ori': case 'andi':
      return packI(OPC.OP_IMM, get(IMM, i.op), i.rd, i.rs1, i.imm);
    case 'slli': return packR(OPC.OP_IMM, 1, 0x00, i.rd, i.rs1, i.shamt);
    case 'srli': return packR(OPC.OP_IMM, 5, 0x00, i.rd, i.rs1, i.shamt);
    case 'srai': return packR(OPC.OP_IMM, 5, 0x20, i.rd, i.rs1, i.shamt);
    case 'add': case 'sub': case 'sll': case 'slt': case 'sltu': case 'xor': case 'srl': case 'sra': case 'or': case 'and':
    case 'mul': case 'mulh': case 'mulhsu': case 'mulhu': case 'div': case 'divu': case 'rem': case 'remu': {
      const [f7, f3] = get(REG, i.op);
      return packR(OPC.OP, f3, f7, i.rd, i.rs1, i.rs2);
    }
    case 'fence':
      return ((i.fm << 28) | (i.pred << 24) | (i.succ << 20) | (i.rs1 << 15) | (i.rd << 7) | OPC.MISC_MEM) >>> 0;
    case 'fence.i': return packI(OPC.MISC_MEM, 1, i.rd, i.rs1, i.imm);
    case 'lr.w':
      return packR(OPC.AMO, 2, (get(AMO, i.op) << 2) | (i.aq << 1) | i.rl, i.rd, i.rs1, 0);
    case 'sc.w': case 'amoswap.w': case 'amoadd.w': case 'amoxor.w': case 'amoand.w': case 'amoor.w':
    case 'amomin.w': case 'amomax.w': case 'amominu.w': case 'amomaxu.w':
      return packR(OPC.AMO, 2, (get(AMO, i.op) << 2) | (i.aq << 1) | i.rl, i.rd, i.rs1, i.rs2);
    case 'ecall': case 'ebreak': case 'mret': case 'sret': case 'wfi':
      return get(SYS, i.op) >>> 0;
    case 'sfence.vma': return packR(OPC.SYSTEM, 0, 0x09, 0, i.rs1, i.rs2);
    case 'hfence.vvma': case 'hfence.gvma': return packR(OPC.SYSTEM, 0, get(HFENCE, i.op), 0, i.rs1, i.rs2);
    case 'hlv.b': case 'hlv.bu': case 'hlv.h': case 'hlv.hu': case 'hlvx.hu': case 'hlv.w': case 'hlvx.wu': {
      const k = get(HLV, i.op);
      return packR(OPC.SYSTEM, 4, k >>> 5, i.rd, i.rs1, k & 31);
    }
    case 'hsv.b': case 'hsv.h': case 'hsv.w': return packR(OPC.SYSTEM, 4, get(HSV, i.op), 0, i.rs1, i.rs2);
    case 'csrrw': case 'csrrs': case 'csrrc':
      return packI(OPC.SYSTEM, get(CSR, i.op), i.rd, i.rs1, i.csr);
    case 'csrrwi': case 'csrrsi': case 'csrrci':
      return packI(OPC.SYSTEM, get(CSR, i.op), i.rd, i.uimm, i.csr);
    case 'illegal': return i.word >>> 0;
    default: {
      const never: never = i;
      return never;
    }
  }
}
