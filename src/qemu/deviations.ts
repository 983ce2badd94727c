/**
 * The recorded QEMU deviations (QDEV-n in spec/qemu-deviations.md) as data: for each, minimal
 * reproducers and what popek (the manual) and QEMU 7.2 do with them. properties/qemu-diff.test.ts
 * runs every reproducer on both and checks that QEMU still deviates in the recorded way, that popek
 * follows the manual, and that the classifier names the deviation.
 */
import type { Inst } from '../isa/inst.js';
import type { FinalState } from './dump.js';
import { trapOf, type Trap } from './classify.js';
import type { Item, TestProgram, Value } from './program.js';

const v = (x: number): Value => ({ k: 'v', v: x >>> 0 });
const I = (inst: Inst): Item => ({ k: 'i', inst });
const data = (off: number): Value => ({ k: 'data', view: 'pa', off });

/** A program with everything zero except what is given. x8 conventionally holds the address. */
export function reproducer(body: Item[], opts: Partial<TestProgram> & { x?: Record<number, Value> } = {}): TestProgram {
  const { x, ...rest } = opts;
  return {
    priv: 3, mstatus: 0, mie: false, csrs: [], mepc: v(0), sepc: v(0),
    regs: Array.from({ length: 31 }, (_, k) => x?.[k + 1] ?? v(0)),
    data: [0x11111111, 0x22222222, 0x33333333], paging: null, pmp: 'all', body, ...rest,
  };
}

export interface Observed { popek: FinalState; qemu: FinalState; p: Trap; q: Trap }

export interface Reproducer {
  id: string;
  /** What the reproducer shows, one line. */
  what: string;
  prog: TestProgram;
  /** Run QEMU with -icount (counters count instructions). */
  icount?: boolean;
  /** popek's (the manual's) behaviour: an error message, or null when it holds. */
  spec(o: Observed): string | null;
  /** QEMU's recorded behaviour: an error message, or null when QEMU still deviates so. */
  qemu(o: Observed): string | null;
}

const hex = (n: number): string => '0x' + (n >>> 0).toString(16);
const want = (what: string, got: number, exp: number): string | null => (got >>> 0 === exp >>> 0 ? null : `${what} = ${hex(got)}, expected ${hex(exp)}`);
const ECALL_M = 11;

export const REPRODUCERS: Reproducer[] = [
  {
    id: 'QDEV-1', what: 'misaligned AMOADD.W',
    prog: reproducer([I({ op: 'amoadd.w', rd: 5, rs1: 8, rs2: 7, aq: 0, rl: 0 })], { x: { 8: data(2), 7: v(5) } }),
    spec: (o) => want('mcause', o.p.cause, 6),
    qemu: (o) => want('mcause', o.q.cause, 4),
  },
  {
    id: 'QDEV-2', what: 'misaligned SC.W',
    prog: reproducer([I({ op: 'sc.w', rd: 5, rs1: 8, rs2: 7, aq: 0, rl: 0 })], { x: { 8: data(2), 7: v(5) } }),
    spec: (o) => want('mcause', o.p.cause, 6),
    qemu: (o) => want('mcause', o.q.cause, ECALL_M) ?? want('x5', o.qemu.x[4]!, 1),
  },
  {
    id: 'QDEV-3', what: 'CSRRW minstret then CSRRS minstret', icount: true,
    prog: reproducer([I({ op: 'csrrw', rd: 0, rs1: 7, csr: 0xb02 }), I({ op: 'csrrs', rd: 5, rs1: 0, csr: 0xb02 })], { x: { 7: v(100) } }),
    spec: (o) => want('x5', o.popek.x[4]!, 100),
    qemu: (o) => want('x5', o.qemu.x[4]!, 101),
  },
  {
    id: 'QDEV-4', what: 'CSRRS with rs1 != x0 holding 0 on read-only mhartid',
    prog: reproducer([I({ op: 'csrrs', rd: 5, rs1: 7, csr: 0xf14 })], { x: { 7: v(0), 5: v(0x55) } }),
    spec: (o) => want('mcause', o.p.cause, 2),
    qemu: (o) => want('mcause', o.q.cause, ECALL_M) ?? want('x5', o.qemu.x[4]!, 0),
  },
  {
    id: 'QDEV-5', what: 'JAL to a target that is 2 mod 4',
    prog: reproducer([{ k: 'jal', rd: 1, skip: 1, odd: true }], { csrs: [[0x343, 0x1234]] }),
    spec: (o) => want('mcause', o.p.cause, 0) ?? want('mtval', o.p.tval, o.p.epc + 6),
    qemu: (o) => want('mcause', o.q.cause, 0) ?? want('mtval', o.q.tval, o.q.epc),
  },
  {
    id: 'QDEV-5', what: 'taken BEQ to a target that is 2 mod 4',
    prog: reproducer([{ k: 'br', op: 'beq', rs1: 0, rs2: 0, skip: 1, odd: true }], { csrs: [[0x343, 0x1234]] }),
    spec: (o) => want('mcause', o.p.cause, 0) ?? want('mtval', o.p.tval, o.p.epc + 6),
    qemu: (o) => want('mcause', o.q.cause, 0) ?? want('mtval', o.q.tval, o.q.epc),
  },
  {
    id: 'QDEV-6', what: 'AMOADD.W to an address without memory (0)',
    prog: reproducer([I({ op: 'amoadd.w', rd: 5, rs1: 8, rs2: 7, aq: 0, rl: 0 })], { x: { 8: v(0), 7: v(5) } }),
    spec: (o) => want('mcause', o.p.cause, 7),
    qemu: (o) => want('mcause', o.q.cause, 5),
  },
  {
    id: 'QDEV-6', what: 'S-mode AMOADD.W through a read-only page whose A bit is clear',
    prog: reproducer([I({ op: 'amoadd.w', rd: 5, rs1: 8, rs2: 7, aq: 0, rl: 0 })], {
      priv: 1, x: { 8: { k: 'data', view: 'v4k', off: 0 }, 7: v(5) },
      paging: { asid: 0, code: 0x4b, data4k: 0x03, alias: 0, mega: 0, odd: 0 },
    }),
    spec: (o) => want('mcause', o.p.cause, 15) ?? (o.popek.mem.length === 0 ? null : 'popek changed a watched word'),
    qemu: (o) => want('mcause', o.q.cause, 15) ?? (o.qemu.mem.some(([, w]) => (w & 0x41) === 0x41) ? null : 'no PTE with A set'),
  },
  {
    id: 'QDEV-7', what: 'SC.W (no reservation) to an address without memory',
    prog: reproducer([I({ op: 'sc.w', rd: 5, rs1: 8, rs2: 7, aq: 0, rl: 0 })], { x: { 8: v(0x8800_0000), 7: v(5) } }),
    spec: (o) => want('mcause', o.p.cause, 7) ?? want('mtval', o.p.tval, 0x8800_0000),
    qemu: (o) => want('mcause', o.q.cause, ECALL_M) ?? want('x5', o.qemu.x[4]!, 1),
  },
  {
    id: 'QDEV-7', what: 'SC.W (no reservation) through a page whose D bit is clear',
    prog: reproducer([I({ op: 'sc.w', rd: 5, rs1: 8, rs2: 7, aq: 0, rl: 0 })], {
      priv: 1, x: { 8: { k: 'data', view: 'v4k', off: 0 }, 7: v(5) },
      paging: { asid: 0, code: 0x4b, data4k: 0x47, alias: 0, mega: 0, odd: 0 },
    }),
    spec: (o) => want('x5', o.popek.x[4]!, 1) ?? (o.popek.mem.some(([, w]) => (w & 0xc0) === 0xc0) ? null : 'no PTE with A and D set'),
    qemu: (o) => want('x5', o.qemu.x[4]!, 1) ?? (o.qemu.mem.length === 0 ? null : 'QEMU changed a watched word'),
  },
  {
    id: 'QDEV-8', what: 'CSRRW mepc with bits 1:0 set, then read mepc',
    prog: reproducer([I({ op: 'csrrw', rd: 0, rs1: 7, csr: 0x341 }), I({ op: 'csrrs', rd: 5, rs1: 0, csr: 0x341 })], { x: { 7: v(0x123) } }),
    spec: (o) => want('x5', o.popek.x[4]!, 0x120),
    qemu: (o) => want('x5', o.qemu.x[4]!, 0x123),
  },
  {
    id: 'QDEV-8', what: 'CSRRW sepc with bits 1:0 set, then read sepc',
    prog: reproducer([I({ op: 'csrrw', rd: 0, rs1: 7, csr: 0x141 }), I({ op: 'csrrs', rd: 5, rs1: 0, csr: 0x141 })], { x: { 7: v(0x123) } }),
    spec: (o) => want('x5', o.popek.x[4]!, 0x120),
    qemu: (o) => want('x5', o.qemu.x[4]!, 0x123),
  },
  {
    id: 'QDEV-9', what: 'MRET into S-mode with every PMP entry OFF',
    prog: reproducer([I({ op: 'addi', rd: 5, rs1: 0, imm: 1 })], { priv: 1, pmp: 'off' }),
    spec: (o) => want('mcause', o.p.cause, 1) ?? want('mtval', o.p.tval, o.p.epc),
    qemu: (o) => want('mcause', o.q.cause, 2) ?? want('mtval', o.q.tval, 0x30200073),
  },
  {
    id: 'QDEV-10', what: 'MRET into S-mode with mstatus.MPRV = 1',
    prog: reproducer([I({ op: 'addi', rd: 5, rs1: 0, imm: 1 })], { priv: 1, mstatus: 0x20000 }),
    spec: (o) => want('mstatus.MPRV at the ECALL', (o.popek.csrs['mstatus']! >>> 17) & 1, 0),
    qemu: (o) => want('mstatus.MPRV at the ECALL', (o.qemu.csrs['mstatus']! >>> 17) & 1, 1),
  },
  {
    id: 'QDEV-11', what: 'SSIP and SEIP pending and enabled, M-mode with MIE = 1',
    prog: reproducer([I({ op: 'addi', rd: 5, rs1: 0, imm: 1 })], { mie: true, csrs: [[0x304, 0x222], [0x344, 0x202]] }),
    spec: (o) => want('mcause', o.p.cause, 0x80000009),
    qemu: (o) => want('mcause', o.q.cause, 0x80000001),
  },
  {
    id: 'QDEV-11', what: 'STIP and SEIP pending and enabled, M-mode with MIE = 1',
    prog: reproducer([I({ op: 'addi', rd: 5, rs1: 0, imm: 1 })], { mie: true, csrs: [[0x304, 0x222], [0x344, 0x220]] }),
    spec: (o) => want('mcause', o.p.cause, 0x80000009),
    qemu: (o) => want('mcause', o.q.cause, 0x80000005),
  },
  {
    id: 'QDEV-12', what: 'misaligned LHU from an address without memory',
    prog: reproducer([I({ op: 'lhu', rd: 5, rs1: 8, imm: 0 })], { x: { 8: v(0x8800_0001) } }),
    spec: (o) => want('mcause', o.p.cause, 5) ?? want('mtval', o.p.tval, 0x8800_0001),
    qemu: (o) => want('mcause', o.q.cause, 5) ?? want('mtval', o.q.tval, 0x8800_0000),
  },
  {
    id: 'QDEV-13', what: 'S-mode body under one TOR RWX entry ending at 0x1_8000_0000 (pmpaddr0 = 0x60000000)',
    prog: reproducer([I({ op: 'addi', rd: 5, rs1: 0, imm: 1 })], { priv: 1, pmp: [{ cfg: 0x0f, addr: 0x6000_0000 }] }),
    spec: (o) => want('mcause', o.p.cause, 9) ?? want('x5', o.popek.x[4]!, 1),
    qemu: (o) => want('mcause', o.q.cause, 1),
  },
  {
    id: 'QDEV-14', what: 'CSRRW medeleg, -1 then read medeleg',
    prog: reproducer([I({ op: 'csrrw', rd: 0, rs1: 7, csr: 0x302 }), I({ op: 'csrrs', rd: 5, rs1: 0, csr: 0x302 })], { x: { 7: v(-1) } }),
    spec: (o) => want('x5', o.popek.x[4]!, 0xb3ff),
    qemu: (o) => want('x5', o.qemu.x[4]!, 0x00f0bfff),
  },
  {
    id: 'QDEV-14', what: 'CSRRW mideleg, -1 then read mideleg',
    prog: reproducer([I({ op: 'csrrw', rd: 0, rs1: 7, csr: 0x303 }), I({ op: 'csrrs', rd: 5, rs1: 0, csr: 0x303 })], { x: { 7: v(-1) } }),
    spec: (o) => want('x5', o.popek.x[4]!, 0x222),
    qemu: (o) => want('x5', o.qemu.x[4]!, 0x2666),
  },
  {
    id: 'QDEV-14', what: 'CSRRW mie, -1 then read mie',
    prog: reproducer([I({ op: 'csrrw', rd: 0, rs1: 7, csr: 0x304 }), I({ op: 'csrrs', rd: 5, rs1: 0, csr: 0x304 })], { x: { 7: v(-1) } }),
    spec: (o) => want('x5', o.popek.x[4]!, 0xaaa),
    qemu: (o) => want('x5', o.qemu.x[4]!, 0x2eee),
  },
  {
    id: 'QDEV-14', what: 'CSRRW menvcfg, -1 then read menvcfg',
    prog: reproducer([I({ op: 'csrrw', rd: 0, rs1: 7, csr: 0x30a }), I({ op: 'csrrs', rd: 5, rs1: 0, csr: 0x30a })], { x: { 7: v(-1) } }),
    spec: (o) => want('x5', o.popek.x[4]!, 0x1),
    qemu: (o) => want('x5', o.qemu.x[4]!, 0xf1),
  },
  {
    id: 'QDEV-14', what: 'CSRRW menvcfgh, -1 then read menvcfgh',
    prog: reproducer([I({ op: 'csrrw', rd: 0, rs1: 7, csr: 0x31a }), I({ op: 'csrrs', rd: 5, rs1: 0, csr: 0x31a }), I({ op: 'csrrw', rd: 0, rs1: 0, csr: 0x31a })], { x: { 7: v(-1) } }),
    spec: (o) => want('x5', o.popek.x[4]!, 0),
    qemu: (o) => want('x5', o.qemu.x[4]!, 0xc0000000),
  },
  {
    id: 'QDEV-14', what: 'CSRRW mstatush, -1 then read mstatush',
    prog: reproducer([I({ op: 'csrrw', rd: 0, rs1: 7, csr: 0x310 }), I({ op: 'csrrs', rd: 5, rs1: 0, csr: 0x310 }), I({ op: 'csrrw', rd: 0, rs1: 0, csr: 0x310 })], { x: { 7: v(-1) } }),
    spec: (o) => want('x5', o.popek.x[4]!, 0),
    qemu: (o) => want('x5', o.qemu.x[4]!, 0xc0),
  },
  {
    id: 'QDEV-15', what: 'CSRRW mstatus with MPP = 2 (reserved), then read mstatus',
    prog: reproducer([I({ op: 'csrrw', rd: 0, rs1: 7, csr: 0x300 }), I({ op: 'csrrs', rd: 5, rs1: 0, csr: 0x300 })], { x: { 7: v(0x1000) } }),
    spec: (o) => want('x5', o.popek.x[4]!, 0),
    qemu: (o) => want('x5', o.qemu.x[4]!, 0x1000),
  },
  {
    id: 'QDEV-16', what: 'CSRRW pmpcfg2 with reserved bits and R=0/W=1, then read pmpcfg2',
    prog: reproducer([I({ op: 'csrrw', rd: 0, rs1: 7, csr: 0x3a2 }), I({ op: 'csrrs', rd: 5, rs1: 0, csr: 0x3a2 })], { x: { 7: v(0x62626262) } }),
    spec: (o) => want('x5', o.popek.x[4]!, 0),
    qemu: (o) => want('x5', o.qemu.x[4]!, 0x62626262),
  },
  {
    id: 'QDEV-17', what: 'read pmpaddr16',
    prog: reproducer([I({ op: 'csrrs', rd: 5, rs1: 0, csr: 0x3c0 })], { x: { 5: v(0x55) } }),
    spec: (o) => want('mcause', o.p.cause, ECALL_M) ?? want('x5', o.popek.x[4]!, 0),
    qemu: (o) => want('mcause', o.q.cause, 2),
  },
  {
    id: 'QDEV-17', what: 'read pmpcfg4',
    prog: reproducer([I({ op: 'csrrs', rd: 5, rs1: 0, csr: 0x3a4 })], { x: { 5: v(0x55) } }),
    spec: (o) => want('mcause', o.p.cause, ECALL_M) ?? want('x5', o.popek.x[4]!, 0),
    qemu: (o) => want('mcause', o.q.cause, 2),
  },
  {
    id: 'QDEV-17', what: 'read medelegh',
    prog: reproducer([I({ op: 'csrrs', rd: 5, rs1: 0, csr: 0x312 })], { x: { 5: v(0x55) } }),
    spec: (o) => want('mcause', o.p.cause, ECALL_M) ?? want('x5', o.popek.x[4]!, 0),
    qemu: (o) => want('mcause', o.q.cause, 2),
  },
  {
    id: 'QDEV-17', what: 'read mhpmcounter3',
    prog: reproducer([I({ op: 'csrrs', rd: 5, rs1: 0, csr: 0xb03 })], { x: { 5: v(0x55) } }),
    spec: (o) => want('mcause', o.p.cause, ECALL_M) ?? want('x5', o.popek.x[4]!, 0),
    qemu: (o) => want('mcause', o.q.cause, 2),
  },
  {
    id: 'QDEV-18', what: 'CSRRW mstatus with VS = 3, then read mstatus (allowed choice)',
    prog: reproducer([I({ op: 'csrrw', rd: 0, rs1: 7, csr: 0x300 }), I({ op: 'csrrs', rd: 5, rs1: 0, csr: 0x300 })], { x: { 7: v(0x600) } }),
    spec: (o) => want('x5', o.popek.x[4]!, 0),
    qemu: (o) => want('x5', o.qemu.x[4]!, 0x80000600),
  },
  {
    id: 'QDEV-18', what: 'CSRRW mcounteren, -1 then read mcounteren (allowed choice)',
    prog: reproducer([I({ op: 'csrrw', rd: 0, rs1: 7, csr: 0x306 }), I({ op: 'csrrs', rd: 5, rs1: 0, csr: 0x306 })], { x: { 7: v(-1) } }),
    spec: (o) => want('x5', o.popek.x[4]!, 7),
    qemu: (o) => want('x5', o.qemu.x[4]!, 0xffffffff),
  },
  {
    id: 'QDEV-18', what: 'CSRRW mcountinhibit, -1 then read mcountinhibit (allowed choice)',
    prog: reproducer([I({ op: 'csrrw', rd: 0, rs1: 7, csr: 0x320 }), I({ op: 'csrrs', rd: 5, rs1: 0, csr: 0x320 })], { x: { 7: v(-1) } }),
    spec: (o) => want('x5', o.popek.x[4]!, 5),
    qemu: (o) => want('x5', o.qemu.x[4]!, 0xffffffff),
  },
  {
    id: 'QDEV-18', what: 'EBREAK (allowed choice of mtval)',
    prog: reproducer([I({ op: 'ebreak' })], { csrs: [[0x343, 0x1234]] }),
    spec: (o) => want('mcause', o.p.cause, 3) ?? want('mtval', o.p.tval, o.p.epc),
    qemu: (o) => want('mcause', o.q.cause, 3) ?? want('mtval', o.q.tval, 0),
  },
  {
    id: 'QDEV-19', what: 'M-mode LW with MPRV = 1, MPP = U from the body\'s own page (no U bit) under Sv32',
    prog: reproducer([I({ op: 'lw', rd: 5, rs1: 16, imm: 0 })], {
      mstatus: 0x20000, x: { 16: { k: 'code', item: 0, off: 0 } },
      paging: { asid: 0, code: 0x4b, data4k: 0, alias: 0, mega: 0, odd: 0 },
    }),
    spec: (o) => want('mcause', o.p.cause, 13) ?? want('mtval', o.p.tval, o.p.epc),
    qemu: (o) => want('mcause', o.q.cause, ECALL_M) ?? want('x5', o.qemu.x[4]!, 0x00082283),
  },
  {
    id: 'QDEV-20', what: 'SW over the next instruction of the body, no FENCE.I (allowed choice)',
    prog: reproducer([I({ op: 'sw', rs1: 16, rs2: 7, imm: 4 }), I({ op: 'addi', rd: 5, rs1: 0, imm: 1 })], {
      x: { 16: { k: 'code', item: 0, off: 0 }, 7: v(-1) },
    }),
    spec: (o) => want('mcause', o.p.cause, 2) ?? want('mtval', o.p.tval, 0xffffffff),
    qemu: (o) => want('mcause', o.q.cause, ECALL_M) ?? want('x5', o.qemu.x[4]!, 1),
  },
  {
    id: 'QDEV-21', what: 'S-mode LW through a root PTE that points at a level-0 table beyond memory (PA 0x1_0000_0000)',
    prog: reproducer([I({ op: 'lw', rd: 5, rs1: 8, imm: 0 })], {
      priv: 1, x: { 8: { k: 'data', view: 'odd', off: 0 } },
      paging: { asid: 0, code: 0x4b, data4k: 0, alias: 0, mega: 0, odd: ((0x1_0000_0000 / 4096) * 1024 + 1) >>> 0 },
    }),
    spec: (o) => want('mcause', o.p.cause, 5),
    qemu: (o) => want('mcause', o.q.cause, 13),
  },
  {
    id: 'QDEV-PLAT-1', what: 'LW from 0x1000 (QEMU virt MROM)',
    prog: reproducer([I({ op: 'lw', rd: 5, rs1: 8, imm: 0 })], { x: { 8: v(0x1000) } }),
    spec: (o) => want('mcause', o.p.cause, 5) ?? want('mtval', o.p.tval, 0x1000),
    qemu: (o) => want('mcause', o.q.cause, ECALL_M),
  },
  {
    id: 'QDEV-PLAT-2', what: 'LR.W from the test finisher (a device)',
    prog: reproducer([I({ op: 'lr.w', rd: 5, rs1: 8, aq: 0, rl: 0 })], { x: { 8: v(0x10_0000), 5: v(0x55) } }),
    spec: (o) => want('mcause', o.p.cause, 5) ?? want('mtval', o.p.tval, 0x10_0000),
    qemu: (o) => want('mcause', o.q.cause, ECALL_M) ?? want('x5', o.qemu.x[4]!, 0),
  },
];

/** The observation of a reproducer from the two final states. */
export const observe = (popek: FinalState, qemu: FinalState): Observed => ({ popek, qemu, p: trapOf(popek), q: trapOf(qemu) });
