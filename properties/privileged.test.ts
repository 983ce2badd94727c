/**
 * The privileged architecture (spec/privileged.md, PRIV-*, WFI-*) against the independent model
 * in properties/oracles/priv.ts: interrupt selection, trap entry and delegation for exceptions
 * raised by real instructions in U, S and M, MRET/SRET, every implemented CSR's read-back after
 * CSR instructions, the access rules, WFI/TW/TSR/TVM/SFENCE.VMA, ECALL, counters, and the
 * priority of synchronous exceptions. Machines run through `step`/`run`.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { run, step } from '../src/engines/reference.js';
import { pendingInterrupt } from '../src/hart/interrupts.js';
import { resetHart } from '../src/hart/state.js';
import type { Machine } from '../src/machine/machine.js';
import {
  csrInstruction, type CsrForm, type Env, formWrites, M, MIE, modelCsrName, modelCsrs, type Model,
  MPP_SHIFT, MPRV, mret, type Priv, retire, S, SIE, sret, takeTrap, takenInterrupt, TSR, TVM, TW, U,
} from './oracles/priv.js';
import { model, lines as linesArb } from './arbitraries/priv-state.js';
import {
  applyModel, build, diffModels, dis, enc, HOLE, hex, type Lines, linesBits, listing, modelOf, PRIV_NAME,
  RAM, WORD,
} from './arbitraries/priv-harness.js';
import { A, D, R, U as PTE_U, V, W, X } from './oracles/sv32.js';
import { runs } from './support/runs.js';

const MISA = 0x40141101; // MXL = 1; A, I, M, S, U (PRIV-CSR-MISA, default ISA rv32ima)
const ILLEGAL = 2;

/** A machine in the model's state with `words` at 0x80000000. */
function machine(m: Model, words: readonly number[], extra: { lines?: Lines; regs?: Record<number, number>; pc?: number; config?: Record<string, unknown>; mem?: Array<[number, number]> } = {}): Machine {
  return build(words, {
    ...(extra.regs ? { regs: extra.regs } : {}), ...(extra.lines ? { lines: extra.lines } : {}),
    ...(extra.pc !== undefined ? { pc: extra.pc } : {}), ...(extra.config ? { config: extra.config } : {}),
    ...(extra.mem ? { mem: extra.mem } : {}),
    edit: (h) => applyModel(h, m),
  });
}

/** Compare the hart's whole privileged state with the model's expectation. */
function expectModel(mach: Machine, want: Model, ctx: string): void {
  const d = diffModels(want, modelOf(mach));
  expect(d, `${ctx}\ndifferences:\n${d.join('\n')}`).toEqual([]);
}

const describeModel = (m: Model): string =>
  `${PRIV_NAME[m.priv]}-mode mstatus=${hex(m.mstatus)} medeleg=${hex(m.medeleg)} mideleg=${hex(m.mideleg)} mie=${hex(m.mie)} mip(sw)=${hex(m.mipSw)} mtvec=${hex(m.mtvec)} stvec=${hex(m.stvec)}`;

// --- Interrupts.

describe('interrupts', () => {
  it('PRIV-IRQ-ORDER, PRIV-IRQ-ENABLE: pendingInterrupt picks exactly the interrupt the oracle picks', () => {
    // Falsified by a state (privilege, MIE/SIE, mie, mideleg) and pending set for which the
    // interrupt taken (or none) differs from §3.1.9/§10.1.3: wrong global enable per mode,
    // delegation ignored, M-level not before S-level, or the order MEI, MSI, MTI, SEI, SSI, STI broken.
    fc.assert(fc.property(model(), fc.integer({ min: 0, max: 0xffff }), (m, mip) => {
      const h = resetHart(0, RAM);
      applyModel(h, m);
      const want = takenInterrupt(m.priv, m.mstatus, mip, m.mie, m.mideleg);
      expect(pendingInterrupt(h, mip) >>> 0, `${describeModel(m)} mip=${hex(mip)}`).toBe(want === null ? -1 >>> 0 : want);
    }), { numRuns: runs(3000) });
  });

  it('PRIV-IRQ-ENABLE, PRIV-TRAP-ENTRY, PRIV-TRAP-VEC, PRIV-TRAP-DELEG: a step takes the pending interrupt into the right mode and vector, without retiring', () => {
    // Falsified if, with software-written and device-driven pending bits, the step does not take
    // the oracle's interrupt (mode, xcause, xepc = pc, xtval = 0, xPP/xPIE/xIE, vectored pc =
    // BASE + 4 × code) — or, when none is taken, does not just execute the next instruction.
    fc.assert(fc.property(model(), linesArb, (m, l) => {
      const mip = (m.mipSw | linesBits(l)) >>> 0;
      const t = takenInterrupt(m.priv, m.mstatus, mip, m.mie, m.mideleg);
      const m1 = step(machine(m, [WORD.nop], { lines: l }));
      const ctx = `${describeModel(m)} lines=${JSON.stringify(l)} → ${t === null ? 'none' : hex(t)}`;
      if (t === null) {
        expectModel(m1, retire(m), ctx);
        expect(m1.harts[0]!.pc, ctx).toBe(RAM + 4);
      } else {
        const r = takeTrap(m, RAM, t, 0);
        expectModel(m1, r.m, ctx);
        expect(hex(m1.harts[0]!.pc), ctx).toBe(hex(r.pc));
      }
    }), { numRuns: runs(400) });
  });
});

// --- Exceptions raised by real instructions, delegation and trap entry.

interface Scenario {
  name: string;
  privs: Priv[];
  words: number[];
  regs?: Record<number, number>;
  pc?: number;
  misaligned?: 'trap';
  paging?: boolean;
  cause: (p: Priv) => number;
  tval: number;
}

const JALR_X5 = enc({ op: 'jalr', rd: 1, rs1: 5, imm: 0 });
const SCENARIOS: Scenario[] = [
  { name: 'ecall', privs: [0, 1, 3], words: [WORD.ecall], cause: (p) => ({ 0: 8, 1: 9, 3: 11 })[p], tval: 0 },
  { name: 'ebreak', privs: [0, 1, 3], words: [WORD.ebreak], cause: () => 3, tval: RAM },
  { name: 'illegal word 0', privs: [0, 1, 3], words: [0], cause: () => ILLEGAL, tval: 0 },
  { name: 'illegal word ~0', privs: [0, 1, 3], words: [0xffffffff], cause: () => ILLEGAL, tval: 0xffffffff },
  { name: 'write to read-only mhartid', privs: [0, 1, 3], words: [enc({ op: 'csrrw', rd: 0, rs1: 1, csr: 0xf14 })], cause: () => ILLEGAL, tval: enc({ op: 'csrrw', rd: 0, rs1: 1, csr: 0xf14 }) },
  { name: 'mret below M', privs: [0, 1], words: [WORD.mret], cause: () => ILLEGAL, tval: WORD.mret },
  { name: 'misaligned jalr target', privs: [0, 1, 3], words: [JALR_X5], regs: { 5: RAM + 0x102 }, cause: () => 0, tval: RAM + 0x102 },
  { name: 'misaligned branch target', privs: [0, 1, 3], words: [enc({ op: 'beq', rs1: 0, rs2: 0, imm: 6 })], cause: () => 0, tval: RAM + 6 },
  { name: 'misaligned lw (trap policy)', privs: [0, 1, 3], words: [enc({ op: 'lw', rd: 6, rs1: 5, imm: 0 })], regs: { 5: RAM + 0x801 }, misaligned: 'trap', cause: () => 4, tval: RAM + 0x801 },
  { name: 'misaligned sh (trap policy)', privs: [0, 1, 3], words: [enc({ op: 'sh', rs1: 5, rs2: 0, imm: 0 })], regs: { 5: RAM + 0x803 }, misaligned: 'trap', cause: () => 6, tval: RAM + 0x803 },
  { name: 'misaligned amoadd.w', privs: [0, 1, 3], words: [enc({ op: 'amoadd.w', rd: 6, rs1: 5, rs2: 0, aq: 0, rl: 0 })], regs: { 5: RAM + 0x802 }, cause: () => 6, tval: RAM + 0x802 },
  { name: 'misaligned lr.w', privs: [0, 1, 3], words: [enc({ op: 'lr.w', rd: 6, rs1: 5, aq: 0, rl: 0 })], regs: { 5: RAM + 0x806 }, cause: () => 4, tval: RAM + 0x806 },
  { name: 'lw from a hole', privs: [0, 1, 3], words: [enc({ op: 'lw', rd: 6, rs1: 5, imm: 0 })], regs: { 5: HOLE + 0x40 }, cause: () => 5, tval: HOLE + 0x40 },
  { name: 'sw to a hole', privs: [0, 1, 3], words: [enc({ op: 'sw', rs1: 5, rs2: 0, imm: 0 })], regs: { 5: HOLE + 0x44 }, cause: () => 7, tval: HOLE + 0x44 },
  { name: 'fetch from a hole', privs: [0, 1, 3], words: [], pc: HOLE, cause: () => 1, tval: HOLE },
  { name: 'lw from an unmapped page', privs: [0, 1, 3], words: [enc({ op: 'lw', rd: 6, rs1: 5, imm: 0 })], regs: { 5: 0x00400010 }, paging: true, cause: () => 13, tval: 0x00400010 },
  { name: 'sw to an unmapped page', privs: [0, 1, 3], words: [enc({ op: 'sw', rs1: 5, rs2: 0, imm: 0 })], regs: { 5: 0x00400014 }, paging: true, cause: () => 15, tval: 0x00400014 },
  { name: 'amoswap.w on an unmapped page', privs: [0, 1, 3], words: [enc({ op: 'amoswap.w', rd: 6, rs1: 5, rs2: 0, aq: 0, rl: 0 })], regs: { 5: 0x00400018 }, paging: true, cause: () => 15, tval: 0x00400018 },
  { name: 'fetch from an unmapped page', privs: [0, 1], words: [], pc: 0x00400000, paging: true, cause: () => 12, tval: 0x00400000 },
];

/** Page tables for `paging` scenarios: root at 0x80020000 maps only the code megapage at 0x80000000. */
const pagingMem = (priv: Priv): Array<[number, number]> =>
  [[0x80020000 + 4 * 0x200, (0x80000 * 1024 + (V | R | W | X | A | D) + (priv === 0 ? PTE_U : 0)) >>> 0]];

describe('exceptions, delegation and trap entry', () => {
  const arb = fc.constantFrom(...SCENARIOS).chain((sc) => fc.record({
    sc: fc.constant(sc), m: model({ privs: sc.privs }).map((m) => ({ ...m, mie: 0 })), mpp: fc.constantFrom<Priv>(0, 1),
  }));
  it('PRIV-TRAP-DELEG, PRIV-TRAP-ENTRY, PRIV-TRAP-TVAL, PRIV-ECALL, PRIV-EBREAK, PRIV-ILLEGAL-TVAL: real exceptions land where medeleg says, with cause, tval, epc and status as the oracle says', () => {
    // Falsified by an exception raised by a real instruction in U, S or M (ECALL, EBREAK, illegal
    // words and CSR writes, MRET below M, misaligned targets/loads/stores/AMOs, access faults,
    // page faults, including M-mode ones through MPRV) whose trap differs from the oracle: taken
    // in the wrong mode (delegated from M, or not delegated from S/U when medeleg says so), wrong
    // xcause/xtval/xepc/xPP/xPIE/xIE, the other mode's registers touched, or counters advanced.
    fc.assert(fc.property(arb, ({ sc, m: m0, mpp }) => {
      let m = m0;
      // M-mode page faults come from loads/stores translated through MPRV as S or U.
      if (sc.paging) m = { ...m, satp: (0x80000000 | 0x80020) >>> 0, ...(m.priv === M ? { mstatus: ((m.mstatus & ~(3 << MPP_SHIFT)) | MPRV | (mpp << MPP_SHIFT)) >>> 0 } : {}) };
      const pc = sc.pc ?? RAM;
      const mach = machine(m, sc.words, {
        ...(sc.regs ? { regs: sc.regs } : {}), pc, ...(sc.misaligned ? { config: { misaligned: sc.misaligned } } : {}),
        ...(sc.paging ? { mem: pagingMem(m.priv) } : {}),
      });
      const cause = sc.cause(m.priv);
      const want = takeTrap(m, pc, cause, sc.tval);
      const m1 = step(mach);
      const ctx = `${sc.name}: ${sc.words.length ? listing(sc.words) : `(fetch at ${hex(pc)})`}\n${describeModel(m)}\nexpected cause ${cause} tval ${hex(sc.tval)} taken in ${PRIV_NAME[want.m.priv]}`;
      expectModel(m1, want.m, ctx);
      expect(hex(m1.harts[0]!.pc), ctx).toBe(hex(want.pc));
    }), { numRuns: runs(500) });
  });

  it('PRIV-TRAP-DELEG: a trap is never taken in a mode below the current one', () => {
    // Falsified if an M-mode exception goes to S although medeleg (all bits that can be set) delegates it.
    for (const sc of SCENARIOS.filter((s) => s.privs.includes(3) && !s.paging)) {
      const mach = build(sc.words, { ...(sc.regs ? { regs: sc.regs } : {}), pc: sc.pc ?? RAM, ...(sc.misaligned ? { config: { misaligned: sc.misaligned } } : {}), edit: (h) => { h.csr.medeleg = 0xb3ff; } });
      const h = step(mach).harts[0]!;
      expect([h.priv, h.csr.mcause, h.csr.scause], sc.name).toEqual([3, sc.cause(3), 0]);
    }
  });
});

// --- MRET and SRET.

describe('MRET and SRET', () => {
  const arb = fc.record({
    m: model().map((m) => ({ ...m, mie: 0 })), which: fc.constantFrom('mret', 'sret') as fc.Arbitrary<'mret' | 'sret'>,
  });
  it('PRIV-MRET, PRIV-SRET, PRIV-XRET-1, PRIV-XRET-2: xRET restores privilege, xIE, xPIE, xPP, MPRV and pc as the oracle says, or is illegal', () => {
    // Falsified if MRET outside M, SRET in U, or SRET in S with TSR = 1 is not an illegal
    // instruction (tval = the word), or if a legal xRET restores the wrong mode, xIE, sets
    // xPIE/xPP wrongly, leaves MPRV set when returning below M, or jumps elsewhere than xepc.
    fc.assert(fc.property(arb, ({ m, which }) => {
      const word = which === 'mret' ? WORD.mret : WORD.sret;
      const illegal = which === 'mret' ? m.priv !== M : m.priv === U || (m.priv === S && (m.mstatus & TSR) !== 0);
      const m1 = step(machine(m, [word]));
      const ctx = `${which} in ${describeModel(m)} mepc=${hex(m.mepc)} sepc=${hex(m.sepc)}`;
      const want = illegal ? takeTrap(m, RAM, ILLEGAL, word) : (() => {
        const r = which === 'mret' ? mret(m) : sret(m);
        return { m: retire(r.m), pc: r.pc };
      })();
      expectModel(m1, want.m, ctx);
      expect(hex(m1.harts[0]!.pc), ctx).toBe(hex(want.pc));
    }), { numRuns: runs(400) });
  });

  it('PRIV-XRET-RES: MRET and SRET keep an LR reservation', () => {
    // Falsified if an xRET clears the reservation: popek keeps it (the manual allows either).
    const prog = [enc({ op: 'lr.w', rd: 6, rs1: 5, aq: 0, rl: 0 }), WORD.mret, 0, 0, enc({ op: 'sc.w', rd: 7, rs1: 5, rs2: 8, aq: 0, rl: 0 })];
    let mach = build(prog, { regs: { 5: RAM + 0x800, 8: 42 }, edit: (h) => { h.csr.mepc = RAM + 16; h.csr.mstatus = 3 << MPP_SHIFT; } });
    mach = run(mach, { maxSteps: 3 }).machine;
    expect(mach.harts[0]!.x[7], listing(prog)).toBe(0);
  });
});

// --- CSRs: values after CSR instructions, and access rules.

const FORMS: Array<(rs1v: number, uimm: number) => CsrForm> = [
  () => ({ op: 'csrrw', rd: 5, rs1: 6, uimm: 0 }),
  () => ({ op: 'csrrw', rd: 0, rs1: 6, uimm: 0 }),
  () => ({ op: 'csrrs', rd: 5, rs1: 6, uimm: 0 }),
  () => ({ op: 'csrrs', rd: 5, rs1: 0, uimm: 0 }),
  () => ({ op: 'csrrc', rd: 5, rs1: 6, uimm: 0 }),
  () => ({ op: 'csrrc', rd: 5, rs1: 0, uimm: 0 }),
  (_, u) => ({ op: 'csrrwi', rd: 5, rs1: 0, uimm: u }),
  (_, u) => ({ op: 'csrrsi', rd: 5, rs1: 0, uimm: u }),
  (_, u) => ({ op: 'csrrci', rd: 5, rs1: 0, uimm: u }),
];
const csrWord = (f: CsrForm, csr: number): number =>
  f.op === 'csrrw' || f.op === 'csrrs' || f.op === 'csrrc' ? enc({ op: f.op, rd: f.rd, rs1: f.rs1, csr }) : enc({ op: f.op, rd: f.rd, uimm: f.uimm, csr });
const srcOf = (f: CsrForm, x6: number): number => (f.op.endsWith('i') ? f.uimm : f.rs1 === 0 ? 0 : x6 >>> 0);

const csrLabel = (n: number): string => `${modelCsrName(n) ?? 'unimplemented'} (${hex(n).slice(-3)})`;

describe('CSRs', () => {
  const arb = model({ privs: [M, S] }).chain((m0) => fc.record({
    m: fc.constant(m0),
    // From S, only the CSRs S may reach (csr[9:8] <= 1).
    csr: fc.constantFrom(...modelCsrs().filter((n) => m0.priv === M || ((n >>> 8) & 3) <= 1)),
    form: fc.integer({ min: 0, max: FORMS.length - 1 }),
    x6: fc.oneof(fc.integer({ min: 0, max: 0xffffffff }), fc.constantFrom(0, 0xffffffff, 2, 0x1800, 0x200, 0x80000000)),
    uimm: fc.integer({ min: 0, max: 31 }), lines: linesArb, time: fc.tuple(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 0xffffffff })),
  })).map((c) => {
    // Keep the second instruction an instruction: no interrupt can become takeable (M: MIE or mie
    // clear; S: SIE and mie clear), no PMP lock, no translation and no TVM in S-mode.
    let m = { ...c.m };
    if (m.priv === M) m = c.csr === 0x300 || c.csr === 0x100 ? { ...m, mie: 0 } : { ...m, mstatus: m.mstatus & ~MIE };
    else m = { ...m, mie: 0, mstatus: m.mstatus & ~(SIE | TVM) };
    let x6 = c.x6;
    if (c.csr >= 0x3a0 && c.csr <= 0x3af) x6 = (x6 & 0x7f7f7f7f) >>> 0;
    if (c.csr === 0x180 && m.priv === S) x6 = (x6 & 0x7fffffff) >>> 0;
    // Read-only CSRs only with the forms that do not write (writes are the access property's).
    const form = ((c.csr >>> 10) & 3) === 3 && formWrites(FORMS[c.form]!(x6, c.uimm)) ? 3 : c.form;
    return { ...c, m, x6, form };
  });
  it('PRIV-CSR-MSTATUS, PRIV-CSR-MPP, PRIV-CSR-SSTATUS, PRIV-CSR-MISA, PRIV-CSR-INFO, PRIV-CSR-DELEG, PRIV-CSR-MIE, PRIV-CSR-MIP, PRIV-CSR-SIE, PRIV-CSR-TVEC, PRIV-CSR-EPC, PRIV-CSR-SCRATCH, PRIV-CSR-COUNTEREN, PRIV-CSR-INHIBIT, PRIV-CSR-ENVCFG, PRIV-CSR-SATP, PRIV-CSR-HPM, PRIV-CSR-PMP, PRIV-CNT-1, PRIV-CNT-3: every CSR reads back what the oracle legalises', () => {
    // Falsified if, for any implemented CSR, a CSR instruction (any of the six, with or without
    // read/write) in M or S returns a different old value, or the next instruction reads back a
    // value other than the oracle's WARL-legalised one, or any other CSR changes.
    fc.assert(fc.property(arb, (c) => {
      const f = FORMS[c.form]!(c.x6, c.uimm);
      const env: Env = { misa: MISA, hartid: 0, lines: linesBits(c.lines), time: c.time, zicntr: true };
      const first = csrInstruction(c.m, c.csr, f, srcOf(f, c.x6), env);
      // Read-only CSRs (and the rest, from S) are covered by the access property; here only legal ones.
      fc.pre(!first.illegal);
      if (first.illegal) return;
      const words = [csrWord(f, c.csr), enc({ op: 'csrrs', rd: 7, rs1: 0, csr: c.csr })];
      let mach = machine(c.m, words, { lines: c.lines, regs: { 6: c.x6 | 0 } });
      mach = { ...mach, time: { lo: c.time[0], hi: c.time[1] } };
      const m2 = run(mach, { maxSteps: 2 }).machine;
      const h = m2.harts[0]!;
      const t1 = c.time[0] === 0xffffffff ? [0, (c.time[1] + 1) >>> 0] : [c.time[0] + 1, c.time[1]];
      const second = csrInstruction(first.m, c.csr, { op: 'csrrs', rd: 7, rs1: 0, uimm: 0 }, 0, { ...env, time: t1 as [number, number] });
      if (second.illegal) throw new Error('read after write cannot be illegal');
      const ctx = `${csrLabel(c.csr)} in ${describeModel(c.m)}\n${listing(words)}\nx6=${hex(c.x6)} lines=${JSON.stringify(c.lines)}`;
      expect(hex(h.pc), `${ctx}\n(trapped: mcause ${h.csr.mcause})`).toBe(hex(RAM + 8));
      expect(hex(h.x[5]!), `${ctx}\nold value (rd of the first instruction)`).toBe(hex(first.rd ?? 0));
      expect(hex(h.x[7]!), `${ctx}\nvalue read back`).toBe(hex(second.rd!));
      expectModel(m2, second.m, ctx);
    }), { numRuns: runs(1500) });
  });

  it('PRIV-CSR-ACCESS: a CSR instruction is illegal exactly when the oracle says (existence, csr[9:8], csr[11:10], counter enables, TVM, Zicntr)', () => {
    // Falsified by a CSR number, privilege, instruction form (writing or not), counter-enable
    // setting, TVM and Zicntr presence for which popek's legality differs from §2.1, §3.1.6.5,
    // §3.1.11 and §10.1.5: the illegal case must trap with cause 2 and tval = the word, the
    // legal case must retire with the oracle's effects.
    const num = fc.oneof(fc.constantFrom(...modelCsrs()), fc.integer({ min: 0, max: 0xfff }), fc.constantFrom(0xc00, 0xc01, 0xc02, 0xc03, 0xc80, 0xc81, 0xc82, 0xc9f, 0x180, 0x7b0, 0x5a8));
    fc.assert(fc.property(model().map((m) => ({ ...m, mie: 0 })), num, fc.integer({ min: 0, max: FORMS.length - 1 }), fc.integer({ min: 0, max: 31 }),
      fc.integer({ min: 0, max: 0xffffffff }), fc.boolean(), fc.boolean(),
      (m0, csr, form, uimm, x6raw, tvm, zicntr) => {
        const m = { ...m0, mstatus: tvm ? m0.mstatus | TVM : m0.mstatus & ~TVM };
        const f = FORMS[form]!(x6raw, uimm);
        // Writes that would take effect only later (PMP locks, satp) cannot disturb a single step.
        const x6 = csr >= 0x3a0 && csr <= 0x3af ? (x6raw & 0x7f7f7f7f) >>> 0 : x6raw;
        const env: Env = { misa: MISA, hartid: 0, lines: 0, time: [0, 0], zicntr };
        const r = csrInstruction(m, csr, f, srcOf(f, x6), env);
        const word = csrWord(f, csr);
        const mach = machine(m, [word], { regs: { 6: x6 | 0 }, config: { isa: zicntr ? 'rv32ima_zicsr_zifencei_zicntr' : 'rv32ima_zicsr_zifencei' } });
        const m1 = step(mach);
        const ctx = `${dis(word)} on ${csrLabel(csr)} in ${PRIV_NAME[m.priv]}-mode, mcounteren=${m.mcounteren} scounteren=${m.scounteren} TVM=${+tvm} zicntr=${+zicntr}: oracle ${r.illegal ? 'illegal' : 'legal'}`;
        if (r.illegal) {
          const want = takeTrap(m, RAM, ILLEGAL, word);
          expectModel(m1, want.m, ctx);
          expect(hex(m1.harts[0]!.pc), ctx).toBe(hex(want.pc));
        } else {
          expectModel(m1, r.m, ctx);
          expect(m1.harts[0]!.pc, ctx).toBe(RAM + 4);
          expect(hex(m1.harts[0]!.x[5]!), ctx).toBe(hex(r.rd ?? 0));
        }
      }), { numRuns: runs(1500) });
  });

  it('PRIV-CSR-MIP: CSRRS/CSRRC on mip use the software SEIP bit, while the value read ORs in the controller signal', () => {
    // Falsified by the manual's own example (§3.1.9): with the external controller's SEIP signal
    // E = 1 and the software bit B = 0, `csrrs t0, mip, t1` (t1[9] = 0) writes t0[9] = 1 and
    // leaves B = 0; csrrw writes t1[9] into B; csrrc with t1[9] = 0 leaves B.
    for (const op of ['csrrs', 'csrrc', 'csrrw'] as const) for (const b of [0, 1]) for (const t1 of [0, 1 << 9]) {
      const word = enc({ op, rd: 5, rs1: 6, csr: 0x344 });
      const mach = build([word], { regs: { 6: t1 }, lines: { seip: true }, edit: (h) => { h.csr.mipSw = b << 9; } });
      const h = step(mach).harts[0]!;
      const want = op === 'csrrw' ? t1 : op === 'csrrs' ? (b << 9) | t1 : (b << 9) & ~t1;
      expect([(h.x[5]! >>> 9) & 1, h.csr.mipSw & (1 << 9)], `${dis(word)} with B=${b}, E=1, t1[9]=${t1 >>> 9}`).toEqual([1, want]);
    }
  });

  it('PRIV-MODES: misa reports S and U; MPP holds U, S and M and rejects the reserved 2', () => {
    // Falsified if misa lacks S or U, or MPP does not read back 0, 1, 3 as written, or keeps 2.
    // For each value: clear MPP (csrrc with x7 = 3 << 11), set it (csrrs), read mstatus back.
    const words = [0, 1, 2, 3].flatMap((mpp) => [
      enc({ op: 'addi', rd: 6, rs1: 0, imm: mpp }), enc({ op: 'slli', rd: 6, rs1: 6, shamt: 11 }),
      enc({ op: 'csrrc', rd: 0, rs1: 7, csr: 0x300 }), enc({ op: 'csrrs', rd: 0, rs1: 6, csr: 0x300 }),
      enc({ op: 'csrrs', rd: 8 + mpp, rs1: 0, csr: 0x300 }),
    ]).concat([enc({ op: 'csrrs', rd: 12, rs1: 0, csr: 0x301 })]);
    const h = run(build(words, { regs: { 7: 3 << 11 } }), { maxSteps: words.length }).machine.harts[0]!;
    // MPP = 2 is reserved (WARL): the write keeps the previous value, 0 after the csrrc.
    expect([8, 9, 10, 11].map((r) => (h.x[r]! >>> 11) & 3), listing(words)).toEqual([0, 1, 0, 3]);
    expect(((h.x[12]! >>> 18) & 1) + ((h.x[12]! >>> 20) & 1), 'misa S and U').toBe(2);
  });
});

// --- WFI, TW, TSR, TVM, SFENCE.VMA.

describe('WFI, TW, TSR, TVM, SFENCE.VMA', () => {
  const INSTR = {
    wfi: WORD.wfi, sret: WORD.sret, mret: WORD.mret, 'sfence.vma': enc({ op: 'sfence.vma', rs1: 6, rs2: 7 }),
    'sfence.vma x0,x0': enc({ op: 'sfence.vma', rs1: 0, rs2: 0 }),
    'csrr satp': enc({ op: 'csrrs', rd: 5, rs1: 0, csr: 0x180 }), 'csrw satp': enc({ op: 'csrrw', rd: 0, rs1: 6, csr: 0x180 }),
  } as const;
  type Name = keyof typeof INSTR;
  it('PRIV-WFI, PRIV-SFENCE, PRIV-XRET-2, PRIV-CSR-SATP: TW, TSR and TVM make WFI, SRET, SFENCE.VMA and satp illegal in S; U never has them', () => {
    // Falsified if WFI is legal in U or in S with TW = 1, SRET legal in U or in S with TSR = 1,
    // SFENCE.VMA or a satp access legal in U or in S with TVM = 1, any of them illegal in M or in
    // S with the bit clear, or if a legal WFI does not retire into the waiting state.
    const names = Object.keys(INSTR) as Name[];
    fc.assert(fc.property(model().map((m) => ({ ...m, mie: 0 })), fc.constantFrom(...names), fc.boolean(), fc.boolean(), fc.boolean(), fc.integer({ min: 0, max: 0x7fffffff }),
      (m0, name, tw, tsr, tvm, x6) => {
        const m = { ...m0, mstatus: ((m0.mstatus & ~(TW | TSR | TVM)) | (tw ? TW : 0) | (tsr ? TSR : 0) | (tvm ? TVM : 0)) >>> 0 };
        const p = m.priv;
        const word = INSTR[name];
        // U: all illegal (satp is an S-level CSR). M: all legal. S: as TW, TSR, TVM say; MRET never.
        const illegal = p === U ? true : p === M ? false
          : name === 'wfi' ? tw : name === 'sret' ? tsr : name === 'mret' ? true : tvm;
        const mach = machine(m, [word], { regs: { 6: x6, 7: 3 } });
        const m1 = step(mach);
        const h = m1.harts[0]!;
        const ctx = `${dis(word)} in ${PRIV_NAME[p]}-mode TW=${+tw} TSR=${+tsr} TVM=${+tvm}`;
        if (illegal) {
          const want = takeTrap(m, RAM, ILLEGAL, word);
          expectModel(m1, want.m, ctx);
          expect(h.waiting, ctx).toBe(false);
          return;
        }
        let want: Model;
        let pc = RAM + 4;
        if (name === 'sret' || name === 'mret') { const r = name === 'sret' ? sret(m) : mret(m); want = retire(r.m); pc = r.pc; }
        else if (name === 'csrw satp') want = { ...retire(m), satp: x6 >>> 0 };
        else want = retire(m);
        expectModel(m1, want, ctx);
        expect(hex(h.pc), ctx).toBe(hex(pc));
        expect(h.waiting, ctx).toBe(name === 'wfi');
        if (name === 'csrr satp') expect(h.x[5], ctx).toBe(m.satp | 0);
      }), { numRuns: runs(500) });
  });

  it('WFI-1: a waiting hart resumes when an interrupt is pending and enabled in mie, whatever MIE, SIE and mideleg say', () => {
    // Falsified if a waiting hart stays asleep although mip & mie != 0, wakes although it is 0,
    // retires or moves while asleep, or on waking does not either take the interrupt the oracle
    // picks (xepc = the instruction after the WFI) or execute that instruction.
    fc.assert(fc.property(model(), linesArb, (m, l) => {
      const mach = machine(m, [WORD.nop], { lines: l });
      mach.harts[0]!.waiting = true;
      const mip = (m.mipSw | linesBits(l)) >>> 0;
      const m1 = step(mach);
      const h = m1.harts[0]!;
      const ctx = `waiting in ${describeModel(m)} lines=${JSON.stringify(l)}`;
      if ((mip & m.mie) === 0) {
        expectModel(m1, m, ctx);
        expect([h.waiting, h.pc], ctx).toEqual([true, RAM]);
        return;
      }
      expect(h.waiting, ctx).toBe(false);
      const t = takenInterrupt(m.priv, m.mstatus, mip, m.mie, m.mideleg);
      const want = t === null ? { m: retire(m), pc: RAM + 4 } : takeTrap(m, RAM, t, 0);
      expectModel(m1, want.m, ctx);
      expect(hex(h.pc), ctx).toBe(hex(want.pc));
    }), { numRuns: runs(300) });
  });

  it('WFI-2: with nothing pending, a waiting hart 0 lets time jump to the next timer event, then wakes on it', () => {
    // Falsified if idle steps do not advance mtime straight to mtimecmp, or the hart does not
    // wake (and execute the next instruction, MIE = 0) once MTIP is pending and MTIE set.
    fc.assert(fc.property(fc.integer({ min: 2, max: 0xfffffff }), fc.integer({ min: 0, max: 3 }), (t, hi) => {
      let mach = build([WORD.wfi, WORD.nop], { edit: (h) => { h.csr.mie = 1 << 7; } });
      mach = { ...mach, dev: { ...mach.dev, clint: { ...mach.dev.clint, mtimecmp: [{ lo: t, hi }] } } };
      const m1 = step(mach); // WFI retires
      expect([m1.harts[0]!.waiting, m1.time.lo, m1.time.hi]).toEqual([true, 1, 0]);
      const m2 = step(m1); // asleep: time jumps to mtimecmp
      expect([m2.harts[0]!.waiting, m2.time.lo, m2.time.hi, m2.harts[0]!.instretLo]).toEqual([true, t, hi, 1]);
      const m3 = step(m2); // MTIP pending and enabled in mie: wake, MIE = 0 so the nop runs
      expect([m3.harts[0]!.waiting, m3.harts[0]!.pc, m3.harts[0]!.instretLo]).toEqual([false, RAM + 8, 2]);
    }), { numRuns: runs(30) });
  });
});

// --- Counters.

describe('counters', () => {
  type Kind = 'nop' | 'addi' | 'csrr' | 'ecall' | 'ebreak' | 'illegal' | 'hole';
  const KINDS: Record<Kind, { word: number; traps: boolean }> = {
    nop: { word: WORD.nop, traps: false },
    addi: { word: enc({ op: 'addi', rd: 9, rs1: 9, imm: 1 }), traps: false },
    csrr: { word: enc({ op: 'csrrs', rd: 10, rs1: 0, csr: 0xb02 }), traps: false },
    ecall: { word: WORD.ecall, traps: true },
    ebreak: { word: WORD.ebreak, traps: true },
    illegal: { word: 0, traps: true },
    hole: { word: enc({ op: 'lw', rd: 11, rs1: 12, imm: 0 }), traps: true },
  };
  it('PRIV-CNT-2: minstret and mcycle advance by one per retired instruction, not on traps, unless inhibited', () => {
    // Falsified if a trapping instruction (ECALL, EBREAK, illegal, access fault) advances
    // minstret/mcycle, a retired one does not advance them by exactly one, a csrr of minstret
    // does not read the count of instructions retired before it, or mcountinhibit.IR/CY does not stop them.
    fc.assert(fc.property(fc.array(fc.constantFrom(...(Object.keys(KINDS) as Kind[])), { minLength: 1, maxLength: 12 }), fc.integer({ min: 0, max: 5 }), fc.integer({ min: 1, max: 40 }),
      (kinds, inhibit, n) => {
        // Traps go to mtvec = 0x80000000 (the program's start); the program ends with a jump back.
        const words = [...kinds.map((k) => KINDS[k].word), enc({ op: 'jal', rd: 0, imm: -4 * kinds.length })];
        const mach = build(words, { regs: { 12: HOLE }, edit: (h) => { h.csr.mtvec = RAM; h.csr.mcountinhibit = inhibit & 5; } });
        let retired = 0, idx = 0, lastRead: number | null = null;
        for (let k = 0; k < n; k++) {
          const kind = idx < kinds.length ? kinds[idx]! : null;
          if (kind === 'csrr') lastRead = retired;
          if (kind !== null && KINDS[kind].traps) idx = 0;
          else { retired++; idx = idx < kinds.length ? idx + 1 : 0; }
        }
        const h = run(mach, { maxSteps: n }).machine.harts[0]!;
        const ctx = `${listing(words)}\n${n} steps, mcountinhibit=${inhibit & 5}: ${retired} retired`;
        expect([h.instretLo, h.cycleLo], ctx).toEqual([inhibit & 4 ? 0 : retired, inhibit & 1 ? 0 : retired]);
        if (lastRead !== null && (inhibit & 4) === 0) expect(h.x[10], ctx).toBe(lastRead);
      }), { numRuns: runs(200) });
  });

  it('PRIV-CNT-3, PRIV-CNT-1: a CSR write to a counter half is exactly what the next instruction reads; the halves carry', () => {
    // Falsified if csrw minstret/minstreth/mcycle/mcycleh is followed by a read of anything
    // but the written value (the writing instruction's own increment must not show), if the
    // user shadows (instret, cycle and their high halves) differ, or if a low half at 2^32 - 1
    // does not carry into the high half.
    fc.assert(fc.property(fc.constantFrom(0xb00, 0xb80, 0xb02, 0xb82), fc.integer({ min: 0, max: 0xffffffff }), fc.boolean(), (csr, v, viaShadow) => {
      const readCsr = viaShadow ? csr + 0x100 : csr;
      const words = [enc({ op: 'csrrw', rd: 0, rs1: 6, csr }), enc({ op: 'csrrs', rd: 7, rs1: 0, csr: readCsr }), WORD.nop];
      const h = run(build(words, { regs: { 6: v | 0 }, edit: (hh) => { hh.csr.mcounteren = 7; } }), { maxSteps: 3 }).machine.harts[0]!;
      expect(hex(h.x[7]!), listing(words)).toBe(hex(v));
    }), { numRuns: runs(100) });
    const carry = run(build([WORD.nop, enc({ op: 'csrrs', rd: 5, rs1: 0, csr: 0xc82 }), enc({ op: 'csrrs', rd: 6, rs1: 0, csr: 0xc80 })],
      { edit: (h) => { h.instretLo = 0xffffffff; h.instretHi = 7; h.cycleLo = 0xffffffff; h.cycleHi = 9; } }), { maxSteps: 3 }).machine.harts[0]!;
    expect([carry.x[5], carry.x[6], carry.instretLo, carry.instretHi]).toEqual([8, 10, 2, 8]);
  });
});

// --- Synchronous exception priority.

describe('synchronous exception priority', () => {
  it('PRIV-EXC-PRIORITY: loads, stores and AMOs: misaligned (when it traps) > page or walk access fault > physical access fault', () => {
    // Falsified if, when several exceptions apply to one S-mode access, popek raises another
    // than the highest in its stated order: misaligned (trap policy, or any LR/SC/AMO) before
    // anything of translation; a walk's access fault or page fault, whichever the walk meets first;
    // then a PMP or PMA access fault of the physical address.
    fc.assert(fc.property(fc.record({
      op: fc.constantFrom('lw', 'sw', 'amoadd.w', 'lr.w'), mis: fc.boolean(), trapPolicy: fc.boolean(),
      pageBad: fc.boolean(), pteDenied: fc.boolean(), paDenied: fc.boolean(), paHole: fc.boolean(),
    }), (c) => {
      const store = c.op === 'sw' || c.op === 'amoadd.w';
      const atomic = c.op === 'amoadd.w' || c.op === 'lr.w';
      const va = (0x100 * 2 ** 22 + 5 * 4096 + 8 + (c.mis ? 2 : 0)) >>> 0;
      const word = c.op === 'lw' ? enc({ op: 'lw', rd: 5, rs1: 6, imm: 0 }) : c.op === 'sw' ? enc({ op: 'sw', rs1: 6, rs2: 0, imm: 0 })
        : c.op === 'lr.w' ? enc({ op: 'lr.w', rd: 5, rs1: 6, aq: 0, rl: 0 }) : enc({ op: 'amoadd.w', rd: 5, rs1: 6, rs2: 0, aq: 0, rl: 0 });
      const dataPpn = c.paHole ? 0x40000 : 0x80100;
      const mach = build([word], {
        priv: S, regs: { 6: va | 0 }, config: { misaligned: c.trapPolicy ? 'trap' : 'perform' },
        mem: [
          [0x80020000 + 4 * 0x200, (0x80000 * 1024 + (V | R | X | A | D)) >>> 0],
          [0x80020000 + 4 * 0x100, (0x80010 * 1024 + V) >>> 0],
          [0x80010000 + 4 * 5, (dataPpn * 1024 + (c.pageBad ? 0 : V | R | W | A | D)) >>> 0],
        ],
        edit: (h) => {
          const cfg = [...h.csr.pmpcfg], addr = [...h.csr.pmpaddr];
          cfg[0] = c.pteDenied ? 0x18 : 0; addr[0] = 0x80010000 / 4 + 0x1ff; // the second-level table page
          cfg[1] = c.paDenied ? 0x18 : 0; addr[1] = 0x80100000 / 4 + 0x1ff; // the data page
          cfg[2] = 0x1f; addr[2] = 0xffffffff;
          h.csr.pmpcfg = cfg; h.csr.pmpaddr = addr;
          h.csr.satp = (0x80000000 | 0x80020) >>> 0;
        },
      });
      const causes = store ? { mis: 6, access: 7, page: 15 } : { mis: 4, access: 5, page: 13 };
      const want = c.mis && (c.trapPolicy || atomic) ? causes.mis
        : c.pteDenied ? causes.access
          : c.pageBad ? causes.page
            : c.paDenied && !c.paHole ? causes.access
              : c.paHole ? causes.access : 0;
      const h = step(mach).harts[0]!;
      expect(h.csr.mcause, `${dis(word)} at ${hex(va)} ${JSON.stringify(c)}`).toBe(want);
      if (want !== 0) expect(hex(h.csr.mtval)).toBe(hex(va));
    }), { numRuns: runs(300) });
  });

  it('PRIV-EXC-PRIORITY: fetches: instruction page fault > instruction access fault > illegal instruction or ECALL', () => {
    // Falsified if an S-mode fetch from a page without X (or invalid) raises anything but the
    // instruction page fault, a fetch PMP forbids anything but the access fault, or an
    // instruction's own exception is raised although its fetch failed.
    fc.assert(fc.property(fc.boolean(), fc.boolean(), fc.constantFrom(0, WORD.ecall, WORD.nop), (pageBad, pmpDenied, wordIn) => {
      const va = (0x100 * 2 ** 22 + 5 * 4096) >>> 0;
      const mach = build([], {
        priv: S, pc: va,
        mem: [
          [0x80020000 + 4 * 0x100, (0x80010 * 1024 + V) >>> 0],
          [0x80010000 + 4 * 5, (0x80100 * 1024 + (V | R | A | D | (pageBad ? 0 : X))) >>> 0],
          [0x80100000, wordIn],
        ],
        edit: (h) => {
          const cfg = [...h.csr.pmpcfg], addr = [...h.csr.pmpaddr];
          cfg[0] = pmpDenied ? 0x18 | 1 : 0; addr[0] = 0x80100000 / 4 + 0x1ff;
          cfg[1] = 0x1f; addr[1] = 0xffffffff;
          h.csr.pmpcfg = cfg; h.csr.pmpaddr = addr;
          h.csr.satp = (0x80000000 | 0x80020) >>> 0;
        },
      });
      const want = pageBad ? 12 : pmpDenied ? 1 : wordIn === 0 ? 2 : wordIn === WORD.ecall ? 9 : 0;
      const h = step(mach).harts[0]!;
      expect(h.csr.mcause, `fetch at ${hex(va)}: page ${pageBad ? 'without X' : 'ok'}, PMP ${pmpDenied ? 'denies X' : 'ok'}, word ${dis(wordIn)}`).toBe(want);
    }), { numRuns: runs(40) });
  });
});
