/** Hand-picked cases for spec/semantics.md (ISA-ALU, ISA-X0, ISA-JUMP, ISA-MEM, ISA-FENCE, ISA-M, ISA-A, ISA-CSR). */
import type { AmoOp, BranchOp, ImmOp, LoadOp, RegOp, ShiftImmOp } from '../../isa/inst.js';
import {
  A0, A1, A2, A3, RA, T0, amo, auipc, br, csr, csri, ECALL, fence, FENCE_I, jal, jalr, ld, lr, lui, NOP, ri, rr, sc, sh, st,
} from '../asm.js';
import { encode } from '../../isa/encode.js';
import { type Case, DATA, dis, h, HANDLER, RAM } from './util.js';

const ALU_PAIRS: Array<[number, number]> = [
  [0x7fffffff, 1], [0x80000000, 0xffffffff], [0xffffffff, 0xffffffff], [0x12345678, 0x9abcdef0],
  [0x80000000, 31], [0xdeadbeef, 36], [5, 0],
];
const M_PAIRS: Array<[number, number]> = [
  [0x80000000, 0x80000000], [0xffffffff, 0xffffffff], [0x7fffffff, 0x80000000], [0x12345678, 0x9abcdef0],
  [0xffffffff, 2], [0, 0x80000000],
];
const DIV_PAIRS: Array<[number, number]> = [
  [0x12345678, 0], [0x80000000, 0xffffffff], [7, 0xfffffffe], [0xfffffff9, 2], [0xfffffff9, 0xfffffffe], [0x80000000, 1], [0, 0],
];

const rrCase = (rules: string[], op: RegOp, a: number, b: number): Case => {
  const w = rr(op, A0, A1, A2);
  return { rules, desc: `${dis(w)} with a1 = ${h(a)}, a2 = ${h(b)}`, prog: [w], x: { [A1]: a, [A2]: b } };
};

function alu(): Case[] {
  const out: Case[] = [];
  const ops: RegOp[] = ['add', 'sub', 'sll', 'slt', 'sltu', 'xor', 'srl', 'sra', 'or', 'and'];
  for (const op of ops) for (const [a, b] of ALU_PAIRS) out.push(rrCase(['ISA-ALU-1'], op, a, b));
  // rd = rs1 = rs2: the sources are read before the write.
  const w = rr('add', A1, A1, A1);
  out.push({ rules: ['ISA-ALU-1'], desc: `${dis(w)}: sources read before the write, a1 = 0x40000001`, prog: [w], x: { [A1]: 0x40000001 } });
  const immOps: ImmOp[] = ['addi', 'slti', 'sltiu', 'xori', 'ori', 'andi'];
  const IMM_PAIRS: Array<[number, number]> = [[0x7fffffff, 1], [0, -1], [0xffffffff, -2048], [0x800, 2047], [0x80000000, -1], [5, 0]];
  for (const op of immOps) {
    for (const [a, imm] of IMM_PAIRS) {
      const w2 = ri(op, A0, A1, imm);
      out.push({ rules: ['ISA-ALU-2'], desc: `${dis(w2)} with a1 = ${h(a)}`, prog: [w2], x: { [A1]: a } });
    }
  }
  const shOps: ShiftImmOp[] = ['slli', 'srli', 'srai'];
  for (const op of shOps) {
    for (const amt of [0, 1, 31]) {
      for (const a of [0x80000001, 0x7fffffff]) {
        const w3 = sh(op, A0, A1, amt);
        out.push({ rules: ['ISA-ALU-3'], desc: `${dis(w3)} with a1 = ${h(a)}`, prog: [w3], x: { [A1]: a } });
      }
    }
  }
  for (const imm of [0x80000000, 0xfffff000, 0x00001000, 0]) {
    const w4 = lui(A0, imm);
    out.push({ rules: ['ISA-ALU-3'], desc: `${dis(w4)} writes the U-immediate`, prog: [w4], x: { [A0]: 0x12345678 } });
  }
  for (const imm of [0x80000000, 0xfffff000, 0x00001000, 0]) {
    const w5 = auipc(A0, imm);
    out.push({ rules: ['ISA-ALU-3'], desc: `${dis(w5)} adds the U-immediate to the pc (wrapping)`, prog: [w5] });
  }
  const auipcHigh = auipc(A0, 0x00001000);
  out.push({ rules: ['ISA-ALU-3'], desc: `auipc at pc 0xfffff000 wraps: ${dis(auipcHigh, 0xfffff000)}`, config: { ramBase: 0xfff00000, ramSize: 0x100000 }, at: 0xfffff000, prog: [auipcHigh] });
  return out;
}

function x0(): Case[] {
  const w1 = rr('add', 0, A1, A2), w2 = lui(0, 0x12345000), w3 = jal(0, 8), w4 = ld('lw', 0, A1, 0), w5 = rr('add', A0, 0, A1);
  return [
    { rules: ['ISA-X0', 'ISA-ALU-1'], desc: `${dis(w1)} discards the result`, prog: [w1], x: { [A1]: 1, [A2]: 2 } },
    { rules: ['ISA-X0', 'ISA-ALU-3'], desc: `${dis(w2)} discards the result`, prog: [w2] },
    { rules: ['ISA-X0', 'ISA-JUMP-1'], desc: `${dis(w3)} jumps without a link`, prog: [w3] },
    { rules: ['ISA-X0', 'ISA-MEM-1'], desc: `${dis(w4)} loads and discards`, prog: [w4], x: { [A1]: DATA }, words: { [DATA]: 0xdeadbeef } },
    { rules: ['ISA-X0', 'ISA-ALU-1'], desc: `${dis(w5)}: x0 reads as 0`, prog: [w5], x: { [A1]: 0x1234 } },
  ];
}

function jumps(): Case[] {
  const out: Case[] = [];
  const j1 = jal(RA, 16), j2 = jal(RA, -8), j3 = jal(RA, 0xffffc), j4 = jalr(RA, A1, 3), j5 = jalr(A1, A1, -4), j6 = jalr(RA, A1, -2048);
  out.push({ rules: ['ISA-JUMP-1'], desc: `${dis(j1)} links pc + 4`, prog: [j1] });
  out.push({ rules: ['ISA-JUMP-1'], desc: `${dis(j2, RAM + 8)} jumps backwards`, prog: [NOP, NOP, j2], pc: RAM + 8, steps: 1 });
  out.push({ rules: ['ISA-JUMP-1'], desc: `${dis(j3)}: the largest 4-byte-aligned forward JAL offset`, prog: [j3] });
  out.push({ rules: ['ISA-JUMP-1'], desc: `${dis(j4)} clears bit 0 of rs1 + imm (a1 = ${h(DATA + 1)})`, prog: [j4], x: { [A1]: DATA + 1 } });
  out.push({ rules: ['ISA-JUMP-1'], desc: `${dis(j5)} with rd = rs1 uses the old rs1`, prog: [j5], x: { [A1]: DATA + 8 } });
  out.push({ rules: ['ISA-JUMP-1'], desc: `${dis(j6)}: negative offset`, prog: [j6], x: { [A1]: DATA + 0x800 } });
  const bops: BranchOp[] = ['beq', 'bne', 'blt', 'bge', 'bltu', 'bgeu'];
  const pairs: Array<[number, number]> = [[0xffffffff, 1], [1, 0xffffffff], [0x80000000, 0x80000000]];
  for (const op of bops) {
    for (const [a, b] of pairs) {
      const w = br(op, A1, A2, 16);
      out.push({ rules: ['ISA-JUMP-1'], desc: `${dis(w)} with a1 = ${h(a)}, a2 = ${h(b)}`, prog: [w], x: { [A1]: a, [A2]: b } });
    }
  }
  const back = br('bne', A1, 0, -4);
  out.push({ rules: ['ISA-JUMP-1'], desc: `${dis(back, RAM + 4)}: a taken backward branch`, prog: [NOP, back], pc: RAM + 4, steps: 1, x: { [A1]: 1 } });
  // ISA-JUMP-ALIGN: misaligned targets trap on the jump itself.
  const trapCsrs = { mtvec: HANDLER };
  const rules = ['ISA-JUMP-ALIGN', 'PRIV-TRAP-TVAL', 'PRIV-TRAP-ENTRY'];
  const m1 = jal(RA, 2), m2 = jalr(RA, A1, 0), m3 = br('beq', 0, 0, 6), m4 = br('bne', 0, 0, 6), m5 = jalr(RA, A1, 1);
  out.push({ rules, desc: `${dis(m1)}: target not 4-byte aligned traps, ra unchanged`, prog: [m1], csrs: trapCsrs, x: { [RA]: 0x11111111 } });
  out.push({ rules, desc: `${dis(m2)} to a1 = ${h(DATA + 2)} traps with tval = target`, prog: [m2], csrs: trapCsrs, x: { [A1]: DATA + 2 } });
  out.push({ rules, desc: `${dis(m3)}: a taken branch to pc + 6 traps`, prog: [m3], csrs: trapCsrs });
  out.push({ rules: ['ISA-JUMP-ALIGN', 'ISA-JUMP-1'], desc: `${dis(m4)}: a not-taken branch with a misaligned offset does not trap`, prog: [m4] });
  out.push({ rules, desc: `${dis(m5)} to ${h(DATA + 3)}: bit 0 cleared, bit 1 set, traps`, prog: [m5], csrs: trapCsrs, x: { [A1]: DATA + 2 } });
  return out;
}

function mem(): Case[] {
  const out: Case[] = [];
  const data = { [DATA]: 0x7f80ff01, [DATA + 4]: 0x80017fff, [DATA + 8]: 0xdeadbeef };
  const loads: Array<[LoadOp, number]> = [
    ['lb', 0], ['lb', 1], ['lb', 2], ['lb', 3], ['lbu', 1], ['lbu', 2], ['lh', 0], ['lh', 2], ['lh', 4], ['lh', 6],
    ['lhu', 2], ['lhu', 6], ['lw', 0], ['lw', 4], ['lw', 8],
  ];
  for (const [op, off] of loads) {
    const w = ld(op, A0, A1, off);
    out.push({ rules: ['ISA-MEM-1'], desc: `${dis(w)} with a1 = ${h(DATA)}`, prog: [w], x: { [A1]: DATA }, words: data });
  }
  const neg = ld('lw', A0, A1, -16);
  out.push({ rules: ['ISA-MEM-1'], desc: `${dis(neg)}: negative offset from a1 = ${h(DATA + 24)}`, prog: [neg], x: { [A1]: DATA + 24 }, words: data });
  for (const [op, off] of [['sb', 0], ['sb', 3], ['sh', 0], ['sh', 2], ['sw', 0], ['sw', -4]] as const) {
    const w = st(op, A2, A1, off);
    out.push({ rules: ['ISA-MEM-1'], desc: `${dis(w)} stores the low bits of a2 = 0xdeadbeef`, prog: [w], x: { [A1]: DATA + 4, [A2]: 0xdeadbeef }, words: { [DATA]: 0x11111111, [DATA + 4]: 0x22222222, [DATA + 8]: 0x33333333 } });
  }
  const wrap = ld('lw', A0, A1, 0x14);
  out.push({ rules: ['ISA-MEM-1'], desc: `${dis(wrap)} with a1 = 0xfffffff0: the address wraps to 0x00000004`, config: { ramBase: 0, ramSize: 0x10000 }, at: 0x1000, prog: [wrap], x: { [A1]: 0xfffffff0 }, words: { 4: 0xcafef00d } });
  const ss = st('sw', A1, A1, 0);
  out.push({ rules: ['ISA-MEM-1'], desc: `${dis(ss)}: store a register to the address it holds`, prog: [ss], x: { [A1]: DATA } });
  return out;
}

function fences(): Case[] {
  const wTso = fence(3, 3, 8);
  const wOdd = encode({ op: 'fence', fm: 15, pred: 0, succ: 5, rd: 5, rs1: 6 });
  const wFi = encode({ op: 'fence.i', rd: 7, rs1: 3, imm: -1 });
  return [
    { rules: ['ISA-FENCE'], desc: `${dis(fence())} retires with no effect`, prog: [fence(), NOP] },
    { rules: ['ISA-FENCE'], desc: `${dis(wTso)} retires with no effect`, prog: [wTso] },
    { rules: ['ISA-FENCE'], desc: `fence with reserved fm, rd and rs1 (${h(wOdd)}) is an ordinary fence`, prog: [wOdd], x: { [T0]: 0x55 } },
    { rules: ['ISA-FENCE'], desc: `${dis(FENCE_I)} retires with no effect`, prog: [FENCE_I] },
    { rules: ['ISA-FENCE'], desc: `fence.i with reserved imm, rd, rs1 (${h(wFi)}) retires, rd unchanged`, prog: [wFi], x: { 7: 0x77 } },
  ];
}

function mext(): Case[] {
  const out: Case[] = [];
  for (const op of ['mul', 'mulh', 'mulhsu', 'mulhu'] as const) for (const [a, b] of M_PAIRS) out.push(rrCase(['ISA-M-1'], op, a, b));
  for (const op of ['div', 'divu', 'rem', 'remu'] as const) for (const [a, b] of DIV_PAIRS) out.push(rrCase(['ISA-M-DIV'], op, a, b));
  return out;
}

function atomics(): Case[] {
  const out: Case[] = [];
  const L = lr(A0, A1), S = sc(A2, A3, A1);
  out.push({ rules: ['ISA-A-LR'], desc: `${dis(L)} loads the word`, prog: [L], x: { [A1]: DATA }, words: { [DATA]: 0x80000001 } });
  out.push({ rules: ['ISA-A-LR', 'ISA-A-SC'], desc: 'lr.w then sc.w to the same word succeeds (rd = 0) and stores', prog: [L, S], x: { [A1]: DATA, 13: 0xabcdef01 }, words: { [DATA]: 5 } });
  out.push({ rules: ['ISA-A-SC'], desc: 'sc.w without a reservation fails (rd = 1) and stores nothing', prog: [S], x: { [A1]: DATA, 13: 0xabcdef01 }, words: { [DATA]: 5 } });
  const Lb = lr(A0, A2), Sb = sc(A2, 13, A1);
  out.push({ rules: ['ISA-A-LR', 'ISA-A-SC'], desc: 'lr.w on one word, sc.w on another fails', prog: [Lb, Sb], x: { [A1]: DATA, [A2]: DATA + 8, 13: 7 }, words: { [DATA]: 5, [DATA + 8]: 6 } });
  out.push({ rules: ['ISA-A-SC', 'ISA-A-LR'], desc: 'a second sc.w after a successful one fails: the reservation is gone', prog: [L, S, sc(14, 13, A1)], x: { [A1]: DATA, 13: 9 }, words: { [DATA]: 5 } });
  const sw = st('sw', 15, A1, 0), sb3 = st('sb', 15, A1, 3), swOther = st('sw', 15, A1, 4);
  out.push({ rules: ['ISA-A-RES', 'ISA-A-SC'], desc: 'lr.w; sw to the reserved word; sc.w fails', prog: [L, sw, S], x: { [A1]: DATA, 13: 1, 15: 2 }, words: { [DATA]: 5 } });
  out.push({ rules: ['ISA-A-RES', 'ISA-A-SC'], desc: 'lr.w; sb to a byte of the reserved word; sc.w fails', prog: [L, sb3, S], x: { [A1]: DATA, 13: 1, 15: 2 }, words: { [DATA]: 5 } });
  out.push({ rules: ['ISA-A-RES', 'ISA-A-SC'], desc: 'lr.w; sw to the next word; sc.w still succeeds', prog: [L, swOther, S], x: { [A1]: DATA, 13: 1, 15: 2 }, words: { [DATA]: 5 } });
  const amoOther = amo('amoadd.w', 0, 15, A1);
  out.push({ rules: ['ISA-A-RES', 'ISA-A-AMO', 'ISA-A-SC'], desc: 'lr.w; an AMO to the reserved word; sc.w fails', prog: [L, amoOther, S], x: { [A1]: DATA, 13: 1, 15: 2 }, words: { [DATA]: 5 } });
  // A trap between LR and SC does not clear the reservation: the handler's SC succeeds.
  const prog = [L, ECALL];
  const handler = (HANDLER - RAM) / 4;
  while (prog.length < handler) prog.push(NOP);
  prog.push(S);
  out.push({ rules: ['ISA-A-RES', 'ISA-A-SC', 'PRIV-TRAP-ENTRY'], desc: 'lr.w; ecall; the handler\'s sc.w succeeds: traps keep the reservation', prog, steps: 3, csrs: { mtvec: HANDLER }, x: { [A1]: DATA, 13: 3 }, words: { [DATA]: 5 } });
  const ops: AmoOp[] = ['amoswap.w', 'amoadd.w', 'amoxor.w', 'amoand.w', 'amoor.w', 'amomin.w', 'amomax.w', 'amominu.w', 'amomaxu.w'];
  for (const op of ops) {
    for (const [old, src] of [[0x80000000, 1], [0xffffffff, 0x7fffffff]] as const) {
      const w = amo(op, A0, A2, A1);
      out.push({ rules: ['ISA-A-AMO'], desc: `${dis(w)} with memory ${h(old)}, a2 = ${h(src)}`, prog: [w], x: { [A1]: DATA, [A2]: src }, words: { [DATA]: old } });
    }
  }
  const wz = amo('amoadd.w', 0, A2, A1), wa = amo('amoswap.w', A2, A2, A1);
  out.push({ rules: ['ISA-A-AMO', 'ISA-X0'], desc: `${dis(wz)}: rd = x0 still updates memory`, prog: [wz], x: { [A1]: DATA, [A2]: 3 }, words: { [DATA]: 4 } });
  out.push({ rules: ['ISA-A-AMO'], desc: `${dis(wa)}: rd = rs2, memory gets the old rs2`, prog: [wa], x: { [A1]: DATA, [A2]: 3 }, words: { [DATA]: 4 } });
  return out;
}

function csrs(): Case[] {
  const out: Case[] = [];
  const init = { mscratch: 0xf0f0f0f0 };
  const forms: Array<[number, string]> = [
    [csr('csrrw', A0, 'mscratch', A1), 'reads the old value and writes rs1'],
    [csr('csrrs', A0, 'mscratch', A1), 'reads and sets the bits of rs1'],
    [csr('csrrc', A0, 'mscratch', A1), 'reads and clears the bits of rs1'],
    [csri('csrrwi', A0, 'mscratch', 0x15), 'writes the zero-extended uimm'],
    [csri('csrrsi', A0, 'mscratch', 0x1f), 'sets the uimm bits'],
    [csri('csrrci', A0, 'mscratch', 0x1f), 'clears the uimm bits'],
    [csr('csrrs', A0, 'mscratch', 0), 'with rs1 = x0 only reads'],
    [csri('csrrci', A0, 'mscratch', 0), 'with uimm = 0 only reads'],
    [csr('csrrw', 0, 'mscratch', A1), 'with rd = x0 writes without a register write'],
    [csr('csrrw', A1, 'mscratch', A1), 'with rd = rs1 writes the old rs1 and returns the old CSR'],
    [csr('csrrw', A0, 'sscratch', A1), 'on sscratch from M-mode'],
  ];
  for (const [w, what] of forms) out.push({ rules: ['ISA-CSR-1'], desc: `${dis(w)} ${what}`, prog: [w], x: { [A1]: 0x0ff00ff0 }, csrs: { ...init, sscratch: 0x13579bdf } });
  const ro = csr('csrrs', A0, 'mhartid', 0), roi = csri('csrrsi', A0, 'cycle', 0);
  out.push({ rules: ['ISA-CSR-1', 'PRIV-CSR-ACCESS'], desc: `${dis(ro)}: no write, so a read-only CSR does not trap`, prog: [ro] });
  out.push({ rules: ['ISA-CSR-1', 'PRIV-CSR-ACCESS'], desc: `${dis(roi)}: uimm = 0 does not write the read-only counter`, prog: [NOP, roi], watch: ['cycle'] });
  return out;
}

export const semanticsCases = (): Case[] => [...alu(), ...x0(), ...jumps(), ...mem(), ...fences(), ...mext(), ...atomics(), ...csrs()];
