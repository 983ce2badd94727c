/**
 * The recorded QEMU deviations (QDEV-n in spec/qemu-deviations.md) as data: for each, minimal
 * reproducers and what popek (the manual) and QEMU 7.2 do with them. properties/qemu-diff.test.ts
 * runs every reproducer on both and checks that QEMU still deviates in the recorded way, that popek
 * follows the manual, and that the classifier names the deviation.
 */
import type { Inst } from '../isa/inst.js';
import type { FinalState } from './dump.js';
import { trapOf, type Trap } from './classify.js';
import type { GStage, HSetup, Item, TestProgram, Value, VsStage } from './program.js';

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

/** QDIFF-H-PROG-1: an H program with everything zero (Bare vsatp and hgatp, M-mode) except what is given. */
export function hReproducer(body: Item[], opts: Omit<Partial<TestProgram>, 'h'> & { x?: Record<number, Value>; h?: Partial<HSetup> } = {}): TestProgram {
  const { h, ...rest } = opts;
  return reproducer(body, {
    ...rest,
    h: { v: 0, entry: 'mret', csrs: [], g: null, vs: null, vsepc: v(0), pmpDeny: null, ...h },
  });
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

// ---------------------------------------------------------------------------------------------
// H extension (QDIFF-H-*, QDEV-H-*): reproducers run as one H batch (`-cpu rv32,h=true`).

const G_OK: GStage = { vmid: 0, code: 0x5b, data4k: 0xd7, alias: 0xd7, data: 0xd7, pt: 0xd7, high: 0xd7, mega: 0xd7, odd: 0 };
const VS_OK: VsStage = { asid: 0, code: 0x4b, data4k: 0xc7, alias: 0xc7, mega: 0xc7, megaHigh: false, odd: 0 };
const NOMEM = v(0x8800_0000);
const view = (w: 'pa' | 'v4k' | 'mega'): Value => ({ k: 'data', view: w, off: 4 });
/** Write t2 to `csr`, read it back into t0. */
const wr = (csr: number): Item[] => [I({ op: 'csrrw', rd: 0, rs1: 7, csr }), I({ op: 'csrrs', rd: 5, rs1: 0, csr })];
const ECALL_VS = 10;
const MSTATUS_TVM = 1 << 20, MSTATUS_TW = 1 << 21, MSTATUS_TSR = 1 << 22, MSTATUS_SUM = 1 << 18, MSTATUS_MXR = 1 << 19, MPRV_MPP_S = 0x20800;
const VS = (body: Item[], h: Partial<HSetup> = {}, opts: Partial<TestProgram> & { x?: Record<number, Value> } = {}): TestProgram =>
  hReproducer(body, { priv: 1, ...opts, h: { v: 1, ...h } });
const VU = (body: Item[], h: Partial<HSetup> = {}, opts: Partial<TestProgram> & { x?: Record<number, Value> } = {}): TestProgram =>
  hReproducer(body, { priv: 0, ...opts, h: { v: 1, ...h } });
const gva = (s: FinalState, csr: 'mstatush' | 'hstatus'): number => (s.csrs[csr]! >>> 6) & 1;
const x5 = (s: FinalState): number => s.x[4]!;

export const REPRODUCERS_H: Reproducer[] = [
  {
    id: 'QDEV-H-1', what: 'CSRRW hstatus, -1 then read hstatus',
    prog: hReproducer(wr(0x600), { x: { 7: v(-1) } }),
    spec: (o) => want('x5', x5(o.popek), 0x007003c0),
    qemu: (o) => want('x5', x5(o.qemu), 0xffffffdf),
  },
  {
    id: 'QDEV-H-2', what: 'CSRRW hgatp, -1 then read hgatp',
    prog: hReproducer([...wr(0x680), I({ op: 'csrrw', rd: 0, rs1: 0, csr: 0x680 })], { x: { 7: v(-1) } }),
    spec: (o) => want('x5', x5(o.popek), 0x9ffffffc),
    qemu: (o) => want('x5', x5(o.qemu), 0xffffffff),
  },
  {
    id: 'QDEV-H-3', what: 'CSRRW vsstatus, -1 then read vsstatus',
    prog: hReproducer(wr(0x200), { x: { 7: v(-1) } }),
    spec: (o) => want('x5', x5(o.popek), 0x000c0122),
    qemu: (o) => want('x5', x5(o.qemu), 0xffffffff),
  },
  {
    id: 'QDEV-H-4', what: 'CSRRW vstvec with MODE = 3, then read vstvec',
    prog: hReproducer(wr(0x205), { x: { 7: v(0x81001803) } }),
    spec: (o) => want('x5', x5(o.popek), 0x81001800),
    qemu: (o) => want('x5', x5(o.qemu), 0x81001803),
  },
  {
    id: 'QDEV-H-5', what: 'CSRRW mip, 0x444 then read mip (VSTIP, VSEIP are read-only in mip)',
    prog: hReproducer([...wr(0x344), I({ op: 'csrrw', rd: 0, rs1: 0, csr: 0x344 })], { x: { 7: v(0x444) } }),
    spec: (o) => want('x5', x5(o.popek), 0x4),
    qemu: (o) => want('x5', x5(o.qemu), 0x444),
  },
  {
    id: 'QDEV-H-6', what: 'CSRRW htinst, 0x2000 then read htinst',
    prog: hReproducer(wr(0x64a), { x: { 7: v(0x2000) } }),
    spec: (o) => want('x5', x5(o.popek), 0x2000),
    qemu: (o) => want('x5', x5(o.qemu), 0),
  },
  {
    id: 'QDEV-H-7', what: 'ECALL from M-mode with mstatush.GVA = 1 beforehand',
    prog: hReproducer([I({ op: 'addi', rd: 5, rs1: 0, imm: 1 })], { h: { csrs: [[0x310, 0x40]] } }),
    spec: (o) => want('mcause', o.p.cause, ECALL_M) ?? want('GVA', gva(o.popek, 'mstatush'), 0),
    qemu: (o) => want('mcause', o.q.cause, ECALL_M) ?? want('GVA', gva(o.qemu, 'mstatush'), 1),
  },
  {
    id: 'QDEV-H-7', what: 'VS-mode WFI with VTW = 1 (virtual instruction into M): mtval is not an address',
    prog: VS([I({ op: 'wfi' })], { csrs: [[0x600, 1 << 21]] }),
    spec: (o) => want('mcause', o.p.cause, 22) ?? want('GVA', gva(o.popek, 'mstatush'), 0),
    qemu: (o) => want('mcause', o.q.cause, 22) ?? want('GVA', gva(o.qemu, 'mstatush'), 1),
  },
  {
    id: 'QDEV-H-7', what: 'HLV.W from M-mode at an address without memory (load access fault at a guest virtual address)',
    prog: hReproducer([I({ op: 'hlv.w', rd: 5, rs1: 8 })], { x: { 8: NOMEM } }),
    spec: (o) => want('mcause', o.p.cause, 5) ?? want('GVA', gva(o.popek, 'mstatush'), 1),
    qemu: (o) => want('mcause', o.q.cause, 5) ?? want('GVA', gva(o.qemu, 'mstatush'), 0),
  },
  {
    id: 'QDEV-H-8', what: 'VU-mode read of sstatus',
    prog: VU([I({ op: 'csrrs', rd: 5, rs1: 0, csr: 0x100 })]),
    spec: (o) => want('mcause', o.p.cause, 22),
    qemu: (o) => want('mcause', o.q.cause, 2),
  },
  {
    id: 'QDEV-H-8', what: 'VU-mode SRET',
    prog: VU([I({ op: 'sret' })]),
    spec: (o) => want('mcause', o.p.cause, 22),
    qemu: (o) => want('mcause', o.q.cause, 2),
  },
  {
    id: 'QDEV-H-8', what: 'VU-mode HFENCE.VVMA',
    prog: VU([I({ op: 'hfence.vvma', rs1: 0, rs2: 0 })]),
    spec: (o) => want('mcause', o.p.cause, 22),
    qemu: (o) => want('mcause', o.q.cause, 2),
  },
  {
    id: 'QDEV-H-9', what: 'VS-mode fetch whose VS-level PTE read faults in the G-stage (G leaf of the tables without R)',
    prog: VS([I({ op: 'addi', rd: 5, rs1: 0, imm: 1 })], { g: { ...G_OK, pt: 0xd1 }, vs: VS_OK }),
    spec: (o) => want('mcause', o.p.cause, 20) ?? want('mtinst', o.popek.csrs['mtinst']!, 0x2000),
    qemu: (o) => want('mcause', o.q.cause, 21) ?? want('mtinst', o.qemu.csrs['mtinst']!, 0x2000),
  },
  {
    id: 'QDEV-H-10', what: 'VS-mode SW through a VS leaf with A = 0; the G leaf of the VS tables is V|R|U|A|D (no W)',
    prog: VS([I({ op: 'sw', rs1: 8, rs2: 0, imm: 0 })], { g: { ...G_OK, pt: 0xd3 }, vs: { ...VS_OK, data4k: 0x07 } }, { x: { 8: view('v4k') } }),
    spec: (o) => want('mcause', o.p.cause, 23) ?? want('mtinst', o.popek.csrs['mtinst']!, 0x2020),
    qemu: (o) => want('mcause', o.q.cause, ECALL_VS) ?? (o.qemu.mem.some(([, w]) => (w & 0xc7) === 0xc7) ? null : 'no VS PTE with A and D set'),
  },
  {
    id: 'QDEV-H-10', what: 'VS-mode SW through a VS leaf with A = 0; the G leaf of the VS tables is V|R|W|U (A = D = 0)',
    prog: VS([I({ op: 'sw', rs1: 8, rs2: 0, imm: 0 })], { g: { ...G_OK, pt: 0x17 }, vs: { ...VS_OK, data4k: 0x07 } }, { x: { 8: view('v4k') } }),
    spec: (o) => want('mcause', o.p.cause, ECALL_VS) ?? (o.popek.mem.some(([, w]) => (w & 0xff) === 0xd7) ? null : 'no G PTE with A and D set'),
    qemu: (o) => want('mcause', o.q.cause, ECALL_VS) ?? (o.qemu.mem.some(([, w]) => (w & 0xff) === 0x57) ? null : 'no G PTE with A set and D clear'),
  },
  {
    id: 'QDEV-H-11', what: 'VU-mode HLV.W with hstatus.HU = 1 (virtual instruction): xtval',
    prog: VU([I({ op: 'hlv.w', rd: 5, rs1: 0 })], { csrs: [[0x600, 1 << 9]] }, { csrs: [[0x343, 0x1234]] }),
    spec: (o) => want('mcause', o.p.cause, 22) ?? want('mtval', o.p.tval, 0x680042f3),
    qemu: (o) => want('mcause', o.q.cause, 22) ?? (o.q.tval !== 0x680042f3 ? null : 'mtval is the instruction'),
  },
  {
    id: 'QDEV-H-12', what: 'read vsip with hvip = 0x444, hideleg = 0x444',
    prog: hReproducer([I({ op: 'csrrs', rd: 5, rs1: 0, csr: 0x244 })], { h: { csrs: [[0x645, 0x444], [0x603, 0x444]] } }),
    spec: (o) => want('x5', x5(o.popek), 0x222),
    qemu: (o) => want('x5', x5(o.qemu), 0x2),
  },
  {
    id: 'QDEV-H-12', what: 'VS-mode CSRRW sie, -1 then read sie (hideleg = 0x444)',
    prog: VS(wr(0x104), { csrs: [[0x603, 0x444]] }, { x: { 7: v(-1) } }),
    spec: (o) => want('x5', x5(o.popek), 0x222),
    qemu: (o) => want('x5', x5(o.qemu), 0),
  },
  {
    id: 'QDEV-H-12', what: 'CSRRW vsip, 4 (bit 2: no field of vsip) with hideleg = 0x444, then read hvip',
    prog: hReproducer([I({ op: 'csrrw', rd: 0, rs1: 7, csr: 0x244 }), I({ op: 'csrrs', rd: 5, rs1: 0, csr: 0x645 })], { x: { 7: v(4) }, h: { csrs: [[0x603, 0x444]] } }),
    spec: (o) => want('x5', x5(o.popek), 0),
    qemu: (o) => want('x5', x5(o.qemu), 4),
  },
  {
    id: 'QDEV-H-13', what: 'VS-mode SH to the data page, PMP entry 0 over it X only',
    prog: VS([I({ op: 'sh', rs1: 8, rs2: 0, imm: 0 })], { g: G_OK, pmpDeny: { perm: 4, region: 'data' } }, { x: { 8: view('pa') } }),
    spec: (o) => want('mcause', o.p.cause, 7) ?? want('mtval2', o.popek.csrs['mtval2']!, 0),
    qemu: (o) => want('mcause', o.q.cause, 23),
  },
  {
    id: 'QDEV-H-13', what: 'VS-mode fetch; PMP forbids the G-stage level-0 table',
    prog: VS([I({ op: 'addi', rd: 5, rs1: 0, imm: 1 })], { g: G_OK, pmpDeny: { perm: 0, region: 'gl0' } }),
    spec: (o) => want('mcause', o.p.cause, 1),
    qemu: (o) => want('mcause', o.q.cause, 20),
  },
  {
    id: 'QDEV-H-14', what: 'HS-mode HLV.W through an invalid VS-stage root PTE (satp Bare)',
    prog: hReproducer([I({ op: 'hlv.w', rd: 5, rs1: 8 })], { priv: 1, x: { 8: view('pa') }, h: { vs: VS_OK } }),
    spec: (o) => want('mcause', o.p.cause, 13),
    qemu: (o) => want('mcause', o.q.cause, 5),
  },
  {
    id: 'QDEV-H-14', what: 'M-mode LW with MPRV = 1, MPP = S, MPV = 1 to the data area, which the G-stage does not map (vsatp Bare)',
    prog: hReproducer([I({ op: 'lw', rd: 5, rs1: 8, imm: 0 })], { mstatus: MPRV_MPP_S, x: { 8: view('pa') }, h: { csrs: [[0x310, 0x80]], g: { ...G_OK, data: 0 } } }),
    spec: (o) => want('mcause', o.p.cause, 21) ?? want('mtval2', o.popek.csrs['mtval2']!, o.p.tval >>> 2),
    qemu: (o) => want('mcause', o.q.cause, 13),
  },
  {
    id: 'QDEV-H-15', what: 'VS-mode SFENCE.VMA with mstatus.TVM = 1',
    prog: VS([I({ op: 'sfence.vma', rs1: 0, rs2: 0 })], {}, { mstatus: MSTATUS_TVM }),
    spec: (o) => want('mcause', o.p.cause, ECALL_VS),
    qemu: (o) => want('mcause', o.q.cause, 2),
  },
  {
    id: 'QDEV-H-15', what: 'VS-mode SRET with mstatus.TSR = 1 (vsepc = the next instruction)',
    prog: VS([I({ op: 'sret' }), I({ op: 'addi', rd: 5, rs1: 0, imm: 1 })], { vsepc: { k: 'code', item: 1, off: 0 }, csrs: [[0x200, 0x100]] }, { mstatus: MSTATUS_TSR }),
    spec: (o) => want('mcause', o.p.cause, ECALL_VS) ?? want('x5', x5(o.popek), 1),
    qemu: (o) => want('mcause', o.q.cause, 2),
  },
  {
    id: 'QDEV-H-16', what: 'VS-mode LW through a VS megapage to GPA 0x3_0040_0000 (mapped by the G-stage)',
    prog: VS([I({ op: 'lw', rd: 5, rs1: 8, imm: 0 })], { g: G_OK, vs: { ...VS_OK, megaHigh: true } }, { x: { 8: view('mega') } }),
    spec: (o) => want('mcause', o.p.cause, ECALL_VS) ?? want('x5', x5(o.popek), 0x22222222),
    qemu: (o) => want('mcause', o.q.cause, 21),
  },
  {
    id: 'QDEV-H-17', what: 'VU-mode WFI with mstatus.TW = 1',
    prog: VU([I({ op: 'wfi' })], {}, { mstatus: MSTATUS_TW }),
    spec: (o) => want('mcause', o.p.cause, 2),
    qemu: (o) => want('mcause', o.q.cause, 22),
  },
  {
    id: 'QDEV-H-18', what: 'VS-mode illegal instruction delegated to VS-mode (medeleg, hedeleg bit 2)',
    prog: VS([I({ op: 'illegal', word: 0xffffffff })], { csrs: [[0x602, 4]] }, { csrs: [[0x302, 4]] }),
    spec: (o) => want('vscause', o.p.cause, 2) ?? (o.p.to === 'VS' ? null : 'not taken in VS'),
    qemu: (o) => want('vscause', o.q.cause, 1),
  },
  {
    id: 'QDEV-H-19', what: 'VS-mode write of satp with hstatus.VTVM = 1',
    prog: VS([I({ op: 'csrrw', rd: 0, rs1: 0, csr: 0x180 })], { csrs: [[0x600, 1 << 20]] }),
    spec: (o) => want('mcause', o.p.cause, 22),
    qemu: (o) => want('mcause', o.q.cause, ECALL_VS),
  },
  {
    id: 'QDEV-H-20', what: 'HS-mode read of hgatp with mstatus.TVM = 1',
    prog: hReproducer([I({ op: 'csrrs', rd: 5, rs1: 0, csr: 0x680 })], { priv: 1, mstatus: MSTATUS_TVM }),
    spec: (o) => want('mcause', o.p.cause, 2),
    qemu: (o) => want('mcause', o.q.cause, 9),
  },
  {
    id: 'QDEV-H-21', what: 'VU-mode ECALL delegated to VS-mode, htval = 0x1234 and hstatus.GVA = 1 beforehand',
    prog: VU([I({ op: 'ecall' })], { csrs: [[0x602, 0x100], [0x643, 0x1234], [0x600, 0x40]] }, { csrs: [[0x302, 0x100]] }),
    spec: (o) => want('htval', o.popek.csrs['htval']!, 0x1234) ?? want('hstatus.GVA', gva(o.popek, 'hstatus'), 1),
    qemu: (o) => want('htval', o.qemu.csrs['htval']!, 0) ?? want('hstatus.GVA', gva(o.qemu, 'hstatus'), 0),
  },
  {
    id: 'QDEV-H-22', what: 'HS-mode HLVX.HU through a VS leaf that is readable but not executable',
    prog: hReproducer([I({ op: 'hlvx.hu', rd: 5, rs1: 8 })], { priv: 1, x: { 8: view('v4k') }, h: { vs: { ...VS_OK, data4k: 0xd3 } } }),
    spec: (o) => want('mcause', o.p.cause, 13),
    qemu: (o) => want('mcause', o.q.cause, 9) ?? want('x5', x5(o.qemu), 0x2222),
  },
  {
    id: 'QDEV-H-22', what: 'M-mode HLVX.HU through a G leaf that is executable but not readable',
    prog: hReproducer([I({ op: 'hlvx.hu', rd: 5, rs1: 8 })], { x: { 8: view('pa') }, h: { g: { ...G_OK, data: 0xd9 } } }),
    spec: (o) => want('mcause', o.p.cause, ECALL_M) ?? want('x5', x5(o.popek), 0x2222),
    qemu: (o) => want('mcause', o.q.cause, 21),
  },
  {
    id: 'QDEV-H-23', what: 'M-mode HSV.B with SPVP = 1 to a VS page with U = 1, vsstatus.SUM = 0',
    prog: hReproducer([I({ op: 'hsv.b', rs1: 8, rs2: 0 })], { x: { 8: view('v4k') }, h: { csrs: [[0x600, 0x100]], vs: { ...VS_OK, data4k: 0xd7 } } }),
    spec: (o) => want('mcause', o.p.cause, 15),
    qemu: (o) => want('mcause', o.q.cause, ECALL_M),
  },
  {
    id: 'QDEV-H-23', what: 'M-mode LW with MPRV = 1, MPV = 1, MPP = S to a VS page with U = 1, vsstatus.SUM = 0, mstatus.SUM = 1',
    prog: hReproducer([I({ op: 'lw', rd: 5, rs1: 8, imm: 0 })], { mstatus: MPRV_MPP_S | MSTATUS_SUM, x: { 8: view('v4k') }, h: { csrs: [[0x310, 0x80]], vs: { ...VS_OK, data4k: 0xd7 } } }),
    spec: (o) => want('mcause', o.p.cause, 13),
    qemu: (o) => want('mcause', o.q.cause, ECALL_M),
  },
  {
    id: 'QDEV-H-24', what: 'VS-mode LW through a G leaf that is executable only, vsstatus.MXR = 1',
    prog: VS([I({ op: 'lw', rd: 5, rs1: 8, imm: 0 })], { csrs: [[0x200, MSTATUS_MXR]], g: { ...G_OK, data: 0xd9 } }, { x: { 8: view('pa') } }),
    spec: (o) => want('mcause', o.p.cause, 21),
    qemu: (o) => want('mcause', o.q.cause, ECALL_VS),
  },
  {
    id: 'QDEV-H-24', what: 'VS-mode LW through a G leaf that is executable only, mstatus.MXR = 1',
    prog: VS([I({ op: 'lw', rd: 5, rs1: 8, imm: 0 })], { g: { ...G_OK, data: 0xd9 } }, { mstatus: MSTATUS_MXR, x: { 8: view('pa') } }),
    spec: (o) => want('mcause', o.p.cause, ECALL_VS) ?? want('x5', x5(o.popek), 0x22222222),
    qemu: (o) => want('mcause', o.q.cause, 21),
  },
  {
    id: 'QDEV-H-25', what: 'VS-mode LW through a VS leaf with A = 0 to a GPA the G-stage does not map (allowed choice)',
    prog: VS([I({ op: 'lw', rd: 5, rs1: 8, imm: 0 })], { g: { ...G_OK, data: 0 }, vs: { ...VS_OK, data4k: 0x07 } }, { x: { 8: view('v4k') } }),
    spec: (o) => want('mcause', o.p.cause, 21) ?? (o.popek.mem.length === 0 ? null : 'popek changed a PTE'),
    qemu: (o) => want('mcause', o.q.cause, 21) ?? (o.qemu.mem.some(([, w]) => (w & 0x47) === 0x47) ? null : 'no VS PTE with A set'),
  },
  {
    id: 'QDEV-H-26', what: 'M-mode SW with MPRV = 1, MPP = M, MPV = 1 to the data page, which the G-stage does not map',
    prog: hReproducer([I({ op: 'sw', rs1: 8, rs2: 0, imm: 0 })], { mstatus: 0x21800, x: { 8: view('pa') }, h: { csrs: [[0x310, 0x80]], g: { ...G_OK, data: 0 } } }),
    spec: (o) => want('mcause', o.p.cause, ECALL_M) ?? (o.popek.mem.some(([, w]) => w === 0) ? null : 'the store did not happen'),
    qemu: (o) => want('mcause', o.q.cause, 15) ?? want('mtval2', o.qemu.csrs['mtval2']!, o.q.tval >>> 2),
  },
  {
    id: 'QDEV-H-27', what: 'M-mode MRET with MPP = M and MPV = 1 to the next instruction, then read sscratch (sscratch = 0x55, vsscratch = 7)',
    prog: hReproducer([I({ op: 'mret' }), I({ op: 'csrrs', rd: 5, rs1: 0, csr: 0x140 })], {
      mstatus: 0x1800, mepc: { k: 'code', item: 1, off: 0 }, csrs: [[0x140, 0x55]], h: { csrs: [[0x310, 0x80], [0x240, 7]] },
    }),
    spec: (o) => want('mcause', o.p.cause, ECALL_M) ?? want('x5', x5(o.popek), 0x55),
    qemu: (o) => want('x5', x5(o.qemu), 7),
  },
  {
    id: 'QDEV-H-28', what: 'HS-mode HSV.W through a G leaf with A = 0 in the G-stage level-0 table, which PMP makes read-only',
    prog: hReproducer([I({ op: 'hsv.w', rs1: 8, rs2: 0 })], { priv: 1, x: { 8: view('v4k') }, h: { g: { ...G_OK, data4k: 0x17 }, pmpDeny: { perm: 1, region: 'gl0' } } }),
    spec: (o) => want('mcause', o.p.cause, 7) ?? (o.popek.mem.length === 0 ? null : 'popek changed a watched word'),
    qemu: (o) => want('mcause', o.q.cause, 9) ?? (o.qemu.mem.some(([, w]) => (w & 0xd7) === 0xd7) ? null : 'no G PTE with A and D set'),
  },
  // Recorded base deviations that the H extension extends.
  {
    id: 'QDEV-8', what: 'CSRRW vsepc with bits 1:0 set, then read vsepc',
    prog: hReproducer(wr(0x241), { x: { 7: v(0x123) } }),
    spec: (o) => want('x5', x5(o.popek), 0x120),
    qemu: (o) => want('x5', x5(o.qemu), 0x123),
  },
  {
    id: 'QDEV-11', what: 'VSSIP and VSEIP pending and enabled, delegated to VS-mode, VS-mode with SIE = 1',
    prog: VS([I({ op: 'addi', rd: 5, rs1: 0, imm: 1 })], { csrs: [[0x645, 0x404], [0x603, 0x444], [0x200, 0x2]] }, { csrs: [[0x304, 0x404]] }),
    spec: (o) => want('vscause', o.p.cause, 0x80000009),
    qemu: (o) => want('vscause', o.q.cause, 0x80000001),
  },
  {
    id: 'QDEV-12', what: 'VS-mode misaligned LHU from an address without memory, load access faults delegated to VS',
    prog: VS([I({ op: 'lhu', rd: 5, rs1: 8, imm: 0 })], { csrs: [[0x602, 0x20]] }, { csrs: [[0x302, 0x20]], x: { 8: v(0x8800_0001) } }),
    spec: (o) => want('vscause', o.p.cause, 5) ?? want('vstval', o.p.tval, 0x8800_0001),
    qemu: (o) => want('vscause', o.q.cause, 5) ?? want('vstval', o.q.tval, 0x8800_0000),
  },
  {
    id: 'QDEV-14', what: 'CSRRW henvcfg, -1 then read henvcfg',
    prog: hReproducer(wr(0x60a), { x: { 7: v(-1) } }),
    spec: (o) => want('x5', x5(o.popek), 0x1),
    qemu: (o) => want('x5', x5(o.qemu), 0xf1),
  },
  {
    id: 'QDEV-14', what: 'CSRRW henvcfgh, -1 then read henvcfgh',
    prog: hReproducer([...wr(0x61a), I({ op: 'csrrw', rd: 0, rs1: 0, csr: 0x61a })], { x: { 7: v(-1) } }),
    spec: (o) => want('x5', x5(o.popek), 0),
    qemu: (o) => want('x5', x5(o.qemu), 0xc0000000),
  },
  {
    id: 'QDEV-17', what: 'read hedelegh',
    prog: hReproducer([I({ op: 'csrrs', rd: 5, rs1: 0, csr: 0x612 })], { x: { 5: v(0x55) } }),
    spec: (o) => want('mcause', o.p.cause, ECALL_M) ?? want('x5', x5(o.popek), 0),
    qemu: (o) => want('mcause', o.q.cause, 2),
  },
  {
    id: 'QDEV-18', what: 'CSRRW hcounteren, -1 then read hcounteren (allowed choice)',
    prog: hReproducer(wr(0x606), { x: { 7: v(-1) } }),
    spec: (o) => want('x5', x5(o.popek), 7),
    qemu: (o) => want('x5', x5(o.qemu), 0xffffffff),
  },
  {
    id: 'QDEV-18', what: 'VS-mode EBREAK into HS-mode (allowed choice of stval, and GVA with it)',
    prog: VS([I({ op: 'ebreak' })], {}, { csrs: [[0x302, 8]] }),
    spec: (o) => want('scause', o.p.cause, 3) ?? want('stval', o.p.tval, o.p.epc) ?? want('hstatus.GVA', gva(o.popek, 'hstatus'), 1),
    qemu: (o) => want('scause', o.q.cause, 3) ?? want('stval', o.q.tval, 0) ?? want('hstatus.GVA', gva(o.qemu, 'hstatus'), 0),
  },
];
