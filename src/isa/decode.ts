/**
 * `decode`: total over all 2^32 words (ISA-DEC-1). Anything that is not a defined instruction of
 * RV32IMA + Zicsr + Zifencei + the privileged instructions decodes to `{ op: 'illegal' }`.
 */
import type { Inst } from './inst.js';
import { funct3, funct7, immB, immI, immJ, immS, immU, opcode, OPC, rd, rs1, rs2 } from './fields.js';
import { AMO_OPS, BRANCH_OPS, CSR_OPS, FIXED_SYSTEM, HFENCE_OPS, HLV_OPS, HSV_OPS, IMM_OPS, LOAD_OPS, REG_OPS, STORE_OPS, index } from './tables.js';

const [REG] = index(REG_OPS.map(([op, f7, f3]) => [op, (f7 << 3) | f3] as const));
const [IMM] = index(IMM_OPS);
const [BRANCH] = index(BRANCH_OPS);
const [LOAD] = index(LOAD_OPS);
const [STORE] = index(STORE_OPS);
const [AMO] = index(AMO_OPS);
const [CSR] = index(CSR_OPS);
const [SYS] = index(FIXED_SYSTEM.map(([op, w]) => [op, w >>> 0] as const));
const [HLV] = index(HLV_OPS);
const [HSV] = index(HSV_OPS);
const [HFENCE] = index(HFENCE_OPS);

/** Decode one 32-bit instruction word (unsigned or signed representation). */
export function decode(word: number): Inst {
  const w = word >>> 0;
  const illegal: Inst = { op: 'illegal', word: w };
  const f3 = funct3(w);
  switch (opcode(w)) {
    case OPC.LUI: return { op: 'lui', rd: rd(w), imm: immU(w) };
    case OPC.AUIPC: return { op: 'auipc', rd: rd(w), imm: immU(w) };
    case OPC.JAL: return { op: 'jal', rd: rd(w), imm: immJ(w) };
    case OPC.JALR: return f3 === 0 ? { op: 'jalr', rd: rd(w), rs1: rs1(w), imm: immI(w) } : illegal;
    case OPC.BRANCH: {
      const op = BRANCH.get(f3);
      return op ? { op, rs1: rs1(w), rs2: rs2(w), imm: immB(w) } : illegal;
    }
    case OPC.LOAD: {
      const op = LOAD.get(f3);
      return op ? { op, rd: rd(w), rs1: rs1(w), imm: immI(w) } : illegal;
    }
    case OPC.STORE: {
      const op = STORE.get(f3);
      return op ? { op, rs1: rs1(w), rs2: rs2(w), imm: immS(w) } : illegal;
    }
    case OPC.OP_IMM: {
      if (f3 === 1 || f3 === 5) {
        // RV32 shifts: imm[11:5] must be 0000000 (or 0100000 for SRAI); shamt[5] set is reserved.
        const f7 = funct7(w);
        const op = f3 === 1 ? (f7 === 0 ? 'slli' : null) : f7 === 0 ? 'srli' : f7 === 0x20 ? 'srai' : null;
        return op ? { op, rd: rd(w), rs1: rs1(w), shamt: rs2(w) } : illegal;
      }
      const op = IMM.get(f3);
      return op ? { op, rd: rd(w), rs1: rs1(w), imm: immI(w) } : illegal;
    }
    case OPC.OP: {
      const op = REG.get((funct7(w) << 3) | f3);
      return op ? { op, rd: rd(w), rs1: rs1(w), rs2: rs2(w) } : illegal;
    }
    case OPC.MISC_MEM:
      if (f3 === 0) {
        return { op: 'fence', fm: w >>> 28, pred: (w >>> 24) & 15, succ: (w >>> 20) & 15, rd: rd(w), rs1: rs1(w) };
      }
      return f3 === 1 ? { op: 'fence.i', rd: rd(w), rs1: rs1(w), imm: immI(w) } : illegal;
    case OPC.AMO: {
      const op = f3 === 2 ? AMO.get(w >>> 27) : undefined;
      if (op === undefined) return illegal;
      const aq = (w >>> 26) & 1, rl = (w >>> 25) & 1;
      if (op === 'lr.w') return rs2(w) === 0 ? { op, rd: rd(w), rs1: rs1(w), aq, rl } : illegal;
      return { op, rd: rd(w), rs1: rs1(w), rs2: rs2(w), aq, rl };
    }
    case OPC.SYSTEM: {
      if (f3 === 0) {
        const fixed = SYS.get(w);
        if (fixed) return { op: fixed };
        if (rd(w) !== 0) return illegal;
        if (funct7(w) === 0x09) return { op: 'sfence.vma', rs1: rs1(w), rs2: rs2(w) };
        const hf = HFENCE.get(funct7(w));
        return hf ? { op: hf, rs1: rs1(w), rs2: rs2(w) } : illegal;
      }
      if (f3 === 4) {
        const lv = HLV.get((funct7(w) << 5) | rs2(w));
        if (lv) return { op: lv, rd: rd(w), rs1: rs1(w) };
        const sv = HSV.get(funct7(w));
        return sv && rd(w) === 0 ? { op: sv, rs1: rs1(w), rs2: rs2(w) } : illegal;
      }
      const op = CSR.get(f3);
      if (op === undefined) return illegal;
      const csr = w >>> 20;
      return op === 'csrrw' || op === 'csrrs' || op === 'csrrc'
        ? { op, rd: rd(w), rs1: rs1(w), csr }
        : { op, rd: rd(w), uimm: rs1(w), csr };
    }
    default:
      return illegal;
  }
}
