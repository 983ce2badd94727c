/**
 * The H extension on the hart (spec/hypervisor.md, HV-*), checked against the independent model in
 * properties/oracles/hyper.ts. Every property builds a machine with `h` in its ISA string, puts the
 * hart in one of the five modes (M, HS, U, VS, VU) with random legal CSR contents, executes one
 * real instruction (or takes one interrupt) and compares the whole H-relevant architectural state
 * afterwards — mode, pc, and every machine, supervisor, hypervisor and VS CSR the model follows —
 * with what the oracle says. A failure prints the starting state, the instruction (disassembled)
 * and the fields that differ.
 *
 * vsatp, hgatp and satp are Bare (unless a property says otherwise) and PMP entry 0 allows
 * everything, so code runs at 0x80000000 in every mode.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Arbitrary } from 'fast-check';
import { step } from '../src/engines/reference.js';
import type { Machine } from '../src/machine/machine.js';
import type { HartState } from '../src/hart/state.js';
import { decode } from '../src/isa/decode.js';
import type { Inst } from '../src/isa/inst.js';
import {
  build, dis, enc, hex, HOLE, linesBits, peek, pmpAllowAll, RAM, WORD, type Lines,
} from './arbitraries/priv-harness.js';
import {
  CSRS, csrRead, csrVerdict, csrWrite, ecallCause, enterTrap, gvaOf, guestTime, HST, MASK, MODES, MSH,
  modeFrom, mret, nominal, REDIRECT, sret, ST, takenInterrupt, trapDest, verdict, virt, vsCause,
  type HModel, type Mode, type Sensitive,
} from './oracles/hyper.js';
import { runs } from './support/runs.js';

const H_ISA = { isa: 'rv32imah_zicsr_zifencei_zicntr' } as const;
/** A RAM area for data, away from the code. */
const DATA = RAM + 0x10000;

// --- The model's view of hart 0, and back.

const FIELDS = [
  'mstatus', 'mstatush', 'medeleg', 'mideleg', 'mie', 'mipSw', 'mtvec', 'mcounteren', 'menvcfg', 'mscratch', 'mepc',
  'mcause', 'mtval', 'mtval2', 'mtinst', 'stvec', 'scounteren', 'senvcfg', 'sscratch', 'sepc', 'scause', 'stval', 'satp',
  'hstatus', 'hedeleg', 'hideleg', 'hvip', 'hcounteren', 'henvcfg', 'htimedeltaLo', 'htimedeltaHi', 'htval', 'htinst',
  'hgatp', 'vsstatus', 'vstvec', 'vsscratch', 'vsepc', 'vscause', 'vstval', 'vsatp',
] as const satisfies ReadonlyArray<keyof HModel>;

/** popek keeps only the writable bits of mideleg in storage; the model holds the value a read gives. */
function toModel(h: HartState): HModel {
  const c = h.csr;
  const s = { mode: modeFrom(h.priv, h.v), pc: h.pc } as HModel;
  for (const f of FIELDS) s[f] = c[f] >>> 0;
  s.mideleg = (c.mideleg | MASK.midelegOnes) >>> 0;
  return s;
}

function applyModel(h: HartState, s: HModel): void {
  h.priv = nominal(s.mode);
  h.v = virt(s.mode);
  h.pc = s.pc >>> 0;
  for (const f of FIELDS) h.csr[f] = s[f];
  h.csr.mideleg = s.mideleg & MASK.mideleg;
}

/** A machine running `words` at 0x80000000 from state `s`. */
function machine(words: readonly number[], s: HModel, o: { regs?: Record<number, number>; lines?: Lines; mem?: Array<[number, number]>; misaligned?: 'trap' | 'perform' } = {}): Machine {
  return build(words, {
    config: { ...H_ISA, misaligned: o.misaligned ?? 'perform' }, regs: o.regs ?? {}, lines: o.lines ?? {}, mem: o.mem ?? [],
    edit: (h) => { pmpAllowAll(h); applyModel(h, s); },
  });
}

const show = (s: HModel): string =>
  `mode ${s.mode}, pc ${hex(s.pc)}\n  ` + FIELDS.filter((f) => s[f] !== 0).map((f) => `${f}=${hex(s[f])}`).join(' ');

/** Fields whose values differ, as "field: want …, got …". */
function diff(want: HModel, got: HModel): string[] {
  const out: string[] = [];
  if (want.mode !== got.mode) out.push(`mode: want ${want.mode}, got ${got.mode}`);
  if (want.pc !== got.pc) out.push(`pc: want ${hex(want.pc)}, got ${hex(got.pc)}`);
  for (const f of FIELDS) if (want[f] >>> 0 !== got[f] >>> 0) out.push(`${f}: want ${hex(want[f])}, got ${hex(got[f])}`);
  return out;
}

/** Check the hart of `m1` against `want`, with a readable report. */
function expectState(m1: Machine, want: HModel, context: string): void {
  const d = diff(want, toModel(m1.harts[0]!));
  expect(d, `${context}\ndifferences:\n  ${d.join('\n  ')}`).toEqual([]);
}

// --- Arbitrary legal states.

const u32 = fc.integer({ min: 0, max: 0xffffffff });
const modeArb = (ms: readonly Mode[] = MODES): Arbitrary<Mode> => fc.constantFrom(...ms);
/** A legal xtvec (MODE 0 or 1). */
const tvecOf = (r: number): number => ((r & ~3) | (r & 1)) >>> 0;

interface StateOpts {
  modes?: readonly Mode[];
  /** mstatus bits forced to zero (e.g. MPRV, so that M-mode loads are plain). */
  clear?: number;
}

/** A random legal state: every field random within popek's writable bits; translation Bare. */
function stateArb(o: StateOpts = {}): Arbitrary<HModel> {
  return fc.tuple(modeArb(o.modes), fc.array(u32, { minLength: FIELDS.length, maxLength: FIELDS.length }))
    .map(([mode, r]) => {
      const g = (f: (typeof FIELDS)[number]): number => r[FIELDS.indexOf(f)]! >>> 0;
      let mstatus = g('mstatus') & MASK.mstatus & ~(o.clear ?? 0);
      if (((mstatus >>> 11) & 3) === 2) mstatus &= ~ST.MPP;
      const s: HModel = {
        mode, pc: RAM,
        mstatus: mstatus >>> 0, mstatush: g('mstatush') & MASK.mstatush, medeleg: g('medeleg') & MASK.medeleg,
        mideleg: ((g('mideleg') & MASK.mideleg) | MASK.midelegOnes) >>> 0, mie: g('mie') & MASK.mie,
        mipSw: g('mipSw') & MASK.mipSw, mtvec: tvecOf(g('mtvec')), mcounteren: g('mcounteren') & 7,
        menvcfg: g('menvcfg') & 1, mscratch: g('mscratch'), mepc: (g('mepc') & ~3) >>> 0, mcause: g('mcause'),
        mtval: g('mtval'), mtval2: g('mtval2'), mtinst: g('mtinst'), stvec: tvecOf(g('stvec')),
        scounteren: g('scounteren') & 7, senvcfg: g('senvcfg') & 1, sscratch: g('sscratch'), sepc: (g('sepc') & ~3) >>> 0,
        scause: g('scause'), stval: g('stval'), satp: g('satp') & 0x7fffffff,
        hstatus: g('hstatus') & MASK.hstatus, hedeleg: g('hedeleg') & MASK.hedeleg, hideleg: g('hideleg') & MASK.hideleg,
        hvip: g('hvip') & MASK.hvip, hcounteren: g('hcounteren') & 7, henvcfg: g('henvcfg') & 1,
        htimedeltaLo: g('htimedeltaLo'), htimedeltaHi: g('htimedeltaHi'), htval: g('htval'), htinst: g('htinst'),
        hgatp: g('hgatp') & MASK.hgatp & 0x7fffffff, vsstatus: g('vsstatus') & MASK.vsstatus, vstvec: tvecOf(g('vstvec')),
        vsscratch: g('vsscratch'), vsepc: (g('vsepc') & ~3) >>> 0, vscause: g('vscause'), vstval: g('vstval'),
        vsatp: g('vsatp') & 0x7fffffff,
      };
      return s;
    });
}

/** Interrupt sources: device lines, and (in the state) mip's software bits and hvip. */
const linesArb: Arbitrary<Lines> = fc.record({ msip: fc.boolean(), mtip: fc.boolean(), meip: fc.boolean(), seip: fc.boolean() });
const noLines: Lines = { msip: false, mtip: false, meip: false, seip: false };
const quiet = (s: HModel): HModel => ({ ...s, mie: 0 });

const advance = (s: HModel): HModel => ({ ...s, pc: (s.pc + 4) >>> 0 });
const causeOf = (v: 'illegal' | 'virtual'): number => (v === 'illegal' ? 2 : 22);

// =====================================================================================================

describe('trap delegation and entry (HV-TRAP-DELEG, HV-TRAP-ENTRY, HV-TRAP-GVA, HV-ECALL)', () => {
  type Source =
    | { k: 'ecall' } | { k: 'ebreak' } | { k: 'illegal'; word: number } | { k: 'load-hole'; off: number }
    | { k: 'misaligned-jump'; imm: number } | { k: 'misaligned-access'; store: boolean; off: number } | { k: 'fetch-hole'; off: number }
    | { k: 'csrr-hstatus' } | { k: 'hfence.vvma' } | { k: 'wfi' } | { k: 'nop' };
  const sourceArb: Arbitrary<Source> = fc.oneof(
    fc.constant({ k: 'ecall' } as const),
    fc.constant({ k: 'ebreak' } as const),
    fc.constantFrom(0x00000000, 0xffffffff, 0x0000707f).map((word) => ({ k: 'illegal', word }) as const),
    fc.integer({ min: 0, max: 1023 }).map((i) => ({ k: 'load-hole', off: 4 * i }) as const),
    fc.constantFrom(2, 6, 10, -2, -6, 0x802).map((imm) => ({ k: 'misaligned-jump', imm }) as const),
    fc.record({ store: fc.boolean(), off: fc.constantFrom(1, 2, 3) }).map((r) => ({ k: 'misaligned-access', ...r }) as const),
    fc.integer({ min: 0, max: 1023 }).map((i) => ({ k: 'fetch-hole', off: 4 * i }) as const),
    fc.constant({ k: 'csrr-hstatus' } as const),
    fc.constant({ k: 'hfence.vvma' } as const),
    fc.constant({ k: 'wfi' } as const),
    fc.constant({ k: 'nop' } as const),
  );
  const wordOf = (src: Source): number => {
    switch (src.k) {
      case 'ecall': return WORD.ecall;
      case 'ebreak': return WORD.ebreak;
      case 'illegal': return src.word;
      case 'load-hole': return enc({ op: 'lw', rd: 1, rs1: 2, imm: 0 });
      case 'misaligned-jump': return enc({ op: 'jal', rd: 0, imm: src.imm });
      case 'misaligned-access': return enc(src.store ? { op: 'sw', rs1: 2, rs2: 0, imm: 0 } : { op: 'lw', rd: 1, rs1: 2, imm: 0 });
      case 'fetch-hole': return WORD.nop;
      case 'csrr-hstatus': return enc({ op: 'csrrs', rd: 1, rs1: 0, csr: 0x600 });
      case 'hfence.vvma': return enc({ op: 'hfence.vvma', rs1: 0, rs2: 0 });
      case 'wfi': return WORD.wfi;
      case 'nop': return WORD.nop;
    }
  };

  /** The oracle's next state, and x1 when the instruction writes it. */
  function expected(s: HModel, src: Source, lines: number, word: number): { want: HModel; x1?: number; waiting?: boolean } {
    const irq = takenInterrupt(s, lines);
    if (irq !== null) return { want: enterTrap(s, irq, 0, false) };
    const guest = virt(s.mode) === 1;
    const exc = (cause: number, tval: number): { want: HModel } => ({ want: enterTrap(s, cause, tval, gvaOf(cause, guest)) });
    switch (src.k) {
      case 'ecall': return exc(ecallCause(s.mode), 0);
      case 'ebreak': return exc(3, s.pc);
      case 'illegal': return exc(2, word);
      case 'load-hole': return exc(5, HOLE + src.off);
      case 'misaligned-jump': return exc(0, (s.pc + src.imm) >>> 0);
      case 'misaligned-access': return exc(src.store ? 6 : 4, DATA + src.off);
      case 'fetch-hole': return exc(1, s.pc);
      case 'csrr-hstatus': {
        const v = csrVerdict(s, 0x600, false);
        return v.kind === 'ok' ? { want: advance(s), x1: s.hstatus } : exc(causeOf(v.kind), word);
      }
      case 'hfence.vvma': case 'wfi': {
        const v = verdict(s, src.k);
        return v === 'ok' ? { want: advance(s), ...(src.k === 'wfi' ? { waiting: true } : {}) } : exc(causeOf(v), word);
      }
      case 'nop': return { want: advance(s) };
    }
  }

  it('HV-TRAP-DELEG, HV-TRAP-ENTRY, HV-TRAP-GVA, HV-ECALL, HV-VIRTUAL, HV-IRQ-ENABLE: exceptions of real instructions and interrupts land where the oracle says', () => {
    // Falsified by a trap taken in the wrong mode (M / HS / VS) for some medeleg/mideleg/hedeleg/
    // hideleg, a wrong cause (ecall 8/9/10/11, VS-level interrupts 2/6/10 shown as 1/5/9 in vscause),
    // epc, tval, xPP, SPV, SPVP, MPV, GVA, xPIE/xIE, handler pc, V afterwards — or by a trap that
    // writes a register the manual says it leaves alone (hstatus on a trap into VS, ...).
    expect(decode(0).op).toBe('illegal');
    expect(decode(0xffffffff).op).toBe('illegal');
    expect(decode(0x0000707f).op).toBe('illegal');
    const arb = fc.record({
      s: stateArb({ clear: ST.MPRV }), src: sourceArb, lines: fc.oneof(fc.constant(noLines), linesArb),
      calm: fc.boolean(),
    });
    fc.assert(fc.property(arb, ({ s: s0, src, lines, calm }) => {
      // Half the cases with no interrupt enabled, so that the instruction's own trap is seen.
      const s1 = calm ? quiet(s0) : s0;
      // An instruction fetch from a hole: the pc itself is outside RAM.
      const s = src.k === 'fetch-hole' ? { ...s1, pc: HOLE + src.off } : s1;
      const word = wordOf(src) >>> 0;
      const x2 = src.k === 'load-hole' ? HOLE + src.off : src.k === 'misaligned-access' ? DATA + src.off : HOLE;
      const m1 = step(machine([word], s, { regs: { 2: x2 }, lines, misaligned: 'trap' }));
      const { want, x1, waiting } = expected(s, src, linesBits(lines), word);
      const ctx = `from ${show(s)}\n  lines ${JSON.stringify(lines)}\ninstruction ${src.k === 'fetch-hole' ? '(fetch from a hole)' : dis(word)} (x2 = ${hex(x2)})`;
      expectState(m1, want, ctx);
      if (x1 !== undefined) expect(m1.harts[0]!.x[1]! >>> 0, `x1 after ${ctx}`).toBe(x1 >>> 0);
      if (waiting !== undefined) expect(m1.harts[0]!.waiting, `waiting after ${ctx}`).toBe(waiting);
    }), { numRuns: runs(1500) });
  });

  it('HV-TRAP-DELEG: every (mode, delegation bits) combination for a virtual-instruction exception and a VS-level interrupt', () => {
    // Falsified if some combination of the two delegation levels sends a trap to the wrong mode:
    // exhaustive over the five modes × medeleg/hedeleg bit 22 (hedeleg's is read-only zero) and
    // over hideleg for VSSI (mideleg's bit is read-only one).
    for (const mode of MODES) {
      for (const md of [0, 1]) {
        const s: HModel = { ...zeroState(mode), medeleg: md << 22, hedeleg: 0 };
        const word = enc({ op: 'csrrs', rd: 1, rs1: 0, csr: 0x600 });
        const v = csrVerdict(s, 0x600, false);
        const want = v.kind === 'ok' ? advance(s) : enterTrap(s, causeOf(v.kind), word, false);
        expectState(step(machine([word], s)), want, `${mode}, medeleg.22 = ${md}: ${dis(word)}`);
        if (v.kind === 'virtual') expect(trapDest(s, 22)).toBe(md === 1 ? 'HS' : 'M');
      }
      for (const hd of [0, 1]) {
        const s: HModel = { ...zeroState(mode), hvip: 1 << 2, mie: 1 << 2, hideleg: hd << 2, vsstatus: ST.SIE, mstatus: ST.SIE | ST.MIE };
        const irq = takenInterrupt(s, 0);
        const want = irq === null ? advance(s) : enterTrap(s, irq, 0, false);
        expectState(step(machine([WORD.nop], s)), want, `${mode}, hideleg.VSSI = ${hd}, VSSIP pending`);
        if (mode === 'VU' || mode === 'VS') {
          expect(irq).toBe((0x80000000 | 2) >>> 0);
          expect(trapDest(s, irq!)).toBe(hd === 1 ? 'VS' : 'HS');
          if (hd === 1) expect(step(machine([WORD.nop], s)).harts[0]!.csr.vscause).toBe((0x80000000 | 1) >>> 0);
        }
      }
    }
  });
});

/** A state with every register zero (Bare translation, nothing delegated, nothing enabled). */
function zeroState(mode: Mode): HModel {
  const s = { mode, pc: RAM } as HModel;
  for (const f of FIELDS) s[f] = 0;
  s.mideleg = MASK.midelegOnes;
  return s;
}

// =====================================================================================================

describe('interrupts with VS-level sources (HV-IRQ-ENABLE, HV-IRQ-ORDER, HV-CSR-IP)', () => {
  it('HV-IRQ-ENABLE, HV-IRQ-ORDER: the interrupt taken (or none) and where it lands match the oracle', () => {
    // Falsified by taking an interrupt that is not enabled in the current mode (MIE / SIE /
    // vsstatus.SIE / "lower modes always enabled"), not taking one that is, or choosing a different
    // one among several (destinations M > HS > VS, then MEI MSI MTI SEI SSI STI SGEI VSEI VSSI VSTI),
    // or by a wrong vscause (2/6/10 must read 1/5/9).
    const arb = fc.record({
      s: stateArb({ clear: ST.MPRV }),
      lines: linesArb,
      // Bias towards interesting mixes: mostly the VS-level bits of hvip and their enables.
      hvip: fc.integer({ min: 0, max: 7 }).map((b) => ((b & 1 ? 4 : 0) | (b & 2 ? 64 : 0) | (b & 4 ? 1024 : 0)) >>> 0),
    });
    let taken = 0, toVs = 0;
    fc.assert(fc.property(arb, ({ s: s0, lines, hvip }) => {
      const s = { ...s0, hvip };
      const irq = takenInterrupt(s, linesBits(lines));
      const want = irq === null ? advance(s) : enterTrap(s, irq, 0, false);
      if (irq !== null) { taken++; if (trapDest(s, irq) === 'VS') toVs++; }
      const m1 = step(machine([WORD.nop], s, { lines }));
      expectState(m1, want, `from ${show(s)}\n  lines ${JSON.stringify(lines)}; oracle: ${irq === null ? 'no interrupt' : `cause ${hex(irq)} to ${trapDest(s, irq)}${trapDest(s, irq) === 'VS' ? ` as ${hex(vsCause(irq))}` : ''}`}`);
    }), { numRuns: runs(1200) });
    // The generator must reach the interesting cases.
    expect(taken).toBeGreaterThan(0);
    if (runs(1200) >= 200) expect(toVs).toBeGreaterThan(0);
  });

  it('HV-CSR-IP: hvip bits appear in mip, hip and (through hideleg) vsip; mip.VSSIP and hip.VSSIP write hvip', () => {
    // Falsified if a VS-level interrupt set in hvip is not visible in mip/hip, or vsip shows bits
    // hideleg does not delegate, or a write of VSSIP through mip/hip/vsip does not reach hvip.
    fc.assert(fc.property(fc.integer({ min: 0, max: 7 }), fc.integer({ min: 0, max: 7 }), (hv, hd) => {
      const spread = (b: number): number => ((b & 1 ? 4 : 0) | (b & 2 ? 64 : 0) | (b & 4 ? 1024 : 0)) >>> 0;
      const s: HModel = { ...zeroState('M'), hvip: spread(hv), hideleg: spread(hd) };
      for (const [csr, name] of [[0x344, 'mip'], [0x644, 'hip'], [0x244, 'vsip']] as const) {
        const word = enc({ op: 'csrrs', rd: 1, rs1: 0, csr });
        const got = step(machine([word], s)).harts[0]!.x[1]! >>> 0;
        expect(got, `${name} with hvip=${hex(s.hvip)} hideleg=${hex(s.hideleg)}`).toBe(csrRead(s, csr, 0));
      }
      for (const csr of [0x344, 0x644, 0x244]) {
        const word = enc({ op: 'csrrw', rd: 0, rs1: 5, csr });
        const want = advance(csrWrite(s, csr, 0xffffffff));
        expectState(step(machine([word], s, { regs: { 5: -1 } })), want, `csrw ${hex(csr)}, -1 with hideleg=${hex(s.hideleg)}`);
      }
    }), { numRuns: runs(64) });
  });
});

// =====================================================================================================

describe('CSR access with V (HV-CSR-ACCESS, HV-CSR-REDIRECT, HV-CSR-*)', () => {
  type Kind = 'read' | 'write' | 'set' | 'clear' | 'writei';
  /** The CSRs the H extension adds or changes, the S CSRs V redirects, and the counters hcounteren gates. */
  const H_RELEVANT = [...CSRS.keys()].filter((n) =>
    (n >= 0x100 && n < 0x300) || (n >= 0x600 && n < 0x700) || n === 0xe12 || [0xc00, 0xc01, 0xc02, 0xc80, 0xc81, 0xc82].includes(n) ||
    [0x300, 0x302, 0x303, 0x304, 0x310, 0x344, 0x34a, 0x34b].includes(n));
  const csrArb = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...H_RELEVANT) },
    { weight: 2, arbitrary: fc.constantFrom(...[...CSRS.keys()].filter((n) => n < 0x3a0 || n > 0x3ef)) },
    { weight: 1, arbitrary: fc.constantFrom(...CSRS.keys()) },
    { weight: 1, arbitrary: fc.integer({ min: 0, max: 0xfff }) },
  );
  const instOf = (kind: Kind, csr: number, uimm: number): Inst => {
    switch (kind) {
      case 'read': return { op: 'csrrs', rd: 1, rs1: 0, csr };
      case 'write': return { op: 'csrrw', rd: 1, rs1: 5, csr };
      case 'set': return { op: 'csrrs', rd: 1, rs1: 5, csr };
      case 'clear': return { op: 'csrrc', rd: 1, rs1: 5, csr };
      case 'writei': return { op: 'csrrwi', rd: 1, uimm, csr };
    }
  };

  it('HV-CSR-ACCESS, HV-CSR-REDIRECT, HV-CSR-HSTATUS, HV-CSR-DELEG, HV-CSR-IP, HV-CSR-VS, HV-CSR-HGATP: a CSR instruction in M/HS/U/VS/VU is OK, illegal (2) or virtual (22) as the oracle says, reads and writes the right register', () => {
    // Falsified by: an access allowed or refused against the rules (existence, csr[9:8], read-only
    // csr[11:10], mcounteren/hcounteren/scounteren, TVM for satp/hgatp in HS only, VTVM for satp
    // in VS); illegal where the manual wants virtual or the reverse; an S CSR in VS not redirected
    // to its VS counterpart (or a VS CSR written when V = 0 through the S name); a read value or a
    // legalised write (hstatus, hedeleg, hideleg, hvip, hie, hip, hgatp, vsstatus, vsie, vsip,
    // mideleg, mstatush, ...) differing from the oracle; or any other register changing.
    const arb = fc.record({
      s: stateArb(), csr: csrArb, kind: fc.constantFrom<Kind>('read', 'write', 'set', 'clear', 'writei'),
      src: fc.oneof(u32, fc.constant(0xffffffff)), uimm: fc.integer({ min: 0, max: 31 }),
    });
    fc.assert(fc.property(arb, ({ s: s0, csr, kind, src, uimm }) => {
      // No interrupt may be pending and enabled before the instruction.
      const s = { ...s0, mie: s0.mie & ~(s0.mipSw | s0.hvip) };
      const inst = instOf(kind, csr, uimm);
      const word = enc(inst);
      const writes = kind !== 'read';
      const v = csrVerdict(s, csr, writes);
      const m1 = step(machine([word], s, { regs: { 5: src | 0 } }));
      const ctx = `from ${show(s)}\ninstruction ${dis(word)} (x5 = ${hex(src)}); oracle: ${v.kind}${v.kind === 'ok' && v.csr !== csr ? ` on ${CSRS.get(v.csr)}` : ''}`;
      if (v.kind !== 'ok') {
        expectState(m1, enterTrap(s, causeOf(v.kind), word, false), ctx);
        return;
      }
      // The model does not follow every CSR's value (PMP, counters, ...); those alias none of its fields.
      const old = csrRead(s, v.csr, 0);
      if (old !== undefined) expect(m1.harts[0]!.x[1]! >>> 0, `rd after ${ctx}`).toBe(old);
      const operand = kind === 'writei' ? uimm : src >>> 0;
      const base = old ?? 0;
      const nv = kind === 'write' || kind === 'writei' ? operand : kind === 'set' ? (base | operand) >>> 0 : (base & ~operand) >>> 0;
      expectState(m1, advance(writes ? csrWrite(s, v.csr, nv) : s), ctx);
    }), { numRuns: runs(2500) });
  });

  it('HV-CSR-ACCESS: exhaustive over the five modes × every implemented CSR × read/write × three enable settings', () => {
    // Falsified by any (mode, CSR, read or write) whose outcome — executes, illegal instruction (2)
    // or virtual instruction (22) — differs from the oracle, with (a) every enable and trap bit
    // clear, (b) every counter enable set and TVM = VTVM = 1, (c) mcounteren and hcounteren set but
    // scounteren clear, so VU differs from VS.
    const settings: Array<[string, Partial<HModel>]> = [
      ['enables 0, TVM = VTVM = 0', {}],
      ['enables 7, TVM = VTVM = 1', { mcounteren: 7, hcounteren: 7, scounteren: 7, mstatus: ST.TVM, hstatus: HST.VTVM }],
      ['mcounteren = hcounteren = 7, scounteren = 0', { mcounteren: 7, hcounteren: 7 }],
    ];
    const wrong: string[] = [];
    for (const mode of MODES) for (const [label, extra] of settings) {
      const s: HModel = { ...zeroState(mode), ...extra };
      for (const csr of CSRS.keys()) for (const write of [false, true]) {
        const word = enc(write ? { op: 'csrrw', rd: 0, rs1: 0, csr } : { op: 'csrrs', rd: 1, rs1: 0, csr });
        const v = csrVerdict(s, csr, write);
        const h1 = step(machine([word], s)).harts[0]!;
        const got = h1.pc === RAM + 4 ? 'ok' : h1.csr.mcause === 2 || h1.csr.mcause === 22 ? (h1.csr.mcause === 2 ? 'illegal' : 'virtual') : `pc ${hex(h1.pc)}`;
        if (got !== v.kind) wrong.push(`${mode} (${label}): ${write ? 'write' : 'read'} ${CSRS.get(csr)} (${hex(csr)}): want ${v.kind}, got ${got}`);
      }
    }
    expect(wrong, wrong.slice(0, 20).join('\n')).toEqual([]);
  });

  it('HV-CSR-ACCESS: the read-only check comes first: rs1 = x0 / uimm = 0 reads are not writes', () => {
    // Falsified if CSRRS/CSRRC with rs1 = x0 (or CSRRSI/CSRRCI with uimm = 0) on a read-only CSR
    // (hgeip, cycle, time, ...) is refused as a write, in any mode.
    for (const mode of MODES) {
      const s: HModel = { ...zeroState(mode), mcounteren: 7, hcounteren: 7, scounteren: 7 };
      for (const csr of [0xe12, 0xc00, 0xc01, 0xc81]) {
        for (const inst of [{ op: 'csrrc', rd: 1, rs1: 0, csr }, { op: 'csrrsi', rd: 1, uimm: 0, csr }] as Inst[]) {
          const word = enc(inst);
          const v = csrVerdict(s, csr, false);
          const h1 = step(machine([word], s)).harts[0]!;
          const ctx = `${mode}: ${dis(word)}`;
          if (v.kind === 'ok') expect(h1.pc, ctx).toBe(RAM + 4);
          else expect([h1.csr.mcause, h1.csr.scause], ctx).toContain(causeOf(v.kind));
        }
      }
    }
  });

  it('HV-CSR-REDIRECT: in VS-mode each S CSR with a VS counterpart reads and writes that counterpart; in HS-mode it does not', () => {
    // Falsified if, with V = 1, sstatus/sie/stvec/sscratch/sepc/scause/stval/sip/satp access the
    // HS-level register, or with V = 0 the VS register.
    const arb = fc.record({ s: stateArb({ modes: ['VS', 'HS'], clear: ST.MPRV | ST.TVM }), pair: fc.constantFrom(...REDIRECT), src: u32 });
    fc.assert(fc.property(arb, ({ s: s0, pair: [scsr, vcsr], src }) => {
      const s = { ...s0, mie: 0, hstatus: s0.hstatus & ~HST.VTVM };
      const word = enc({ op: 'csrrw', rd: 1, rs1: 5, csr: scsr });
      const target = s.mode === 'VS' ? vcsr : scsr;
      const m1 = step(machine([word], s, { regs: { 5: src | 0 } }));
      const ctx = `${s.mode}: ${dis(word)} (x5 = ${hex(src)}) must act on ${CSRS.get(target)}\nfrom ${show(s)}`;
      expect(m1.harts[0]!.x[1]! >>> 0, ctx).toBe(csrRead(s, target, 0));
      expectState(m1, advance(csrWrite(s, target, src)), ctx);
    }), { numRuns: runs(300) });
  });

  it('HV-CSR-HSTATUS, HV-CSR-HGATP, HV-CSR-DELEG, HV-CSR-VS, HV-CSR-IP: popek\'s WARL choices (GEILEN = 0, VSBE = 0, VMIDLEN = 7)', () => {
    // Falsified if writing all ones reads back other than popek's stated choices.
    const allOnes: Array<[number, string, number]> = [
      [0x600, 'hstatus', 0x007003c0], // GVA SPV SPVP HU VTVM VTW VTSR; VGEIN and VSBE read 0
      [0x680, 'hgatp', 0x9ffffffc], // MODE, 7 VMID bits, PPN[1:0] = 0
      [0x602, 'hedeleg', 0x0000b1ff], // 9, 10, 11, 16-23 read-only zero
      [0x603, 'hideleg', 0x00000444],
      [0x645, 'hvip', 0x00000444],
      [0x607, 'hgeie', 0],
      [0x303, 'mideleg', 0x00001666], // SSI STI SEI writable; VSSI VSTI VSEI SGEI read-only one
      [0x302, 'medeleg', 0x00f0b7ff], // with H also 10 and 20-23
      [0x310, 'mstatush', 0x000000c0], // GVA, MPV
      [0x200, 'vsstatus', 0x000c0122], // SIE SPIE SPP SUM MXR; UBE = VSBE = 0
      [0x604, 'hie', 0x00001444],
      [0x606, 'hcounteren', 7],
      [0x60a, 'henvcfg', 1],
    ];
    for (const [csr, name, want] of allOnes) {
      const m1 = step(machine([enc({ op: 'csrrw', rd: 0, rs1: 5, csr }), enc({ op: 'csrrs', rd: 1, rs1: 0, csr })], zeroState('M'), { regs: { 5: -1 } }));
      expect(step(m1).harts[0]!.x[1]! >>> 0, `${name} after writing all ones`).toBe(want);
      expect(csrRead(csrWrite(zeroState('M'), csr, 0xffffffff), csr, 0), `oracle ${name}`).toBe(want);
    }
    // hgeip is read-only zero.
    expect(step(machine([enc({ op: 'csrrs', rd: 1, rs1: 0, csr: 0xe12 })], zeroState('HS'), { regs: { 1: 5 } })).harts[0]!.x[1]).toBe(0);
  });
});

// =====================================================================================================

describe('trap return (HV-MRET, HV-SRET)', () => {
  it('HV-MRET, HV-SRET: MRET and SRET restore the mode and V as the oracle says (or trap)', () => {
    // Falsified by MRET not taking V from MPV (or taking it when MPP = M), MPV not cleared, SRET
    // from M/HS not taking V from hstatus.SPV or not clearing SPV, SRET in VS touching mstatus's
    // SIE/SPIE/SPP or hstatus, MPRV kept after returning below M, a wrong pc, or either instruction
    // executing where it must trap (MRET below M; SRET in U, in HS with TSR, in VU, in VS with VTSR).
    const arb = fc.record({ s: stateArb(), op: fc.constantFrom<'mret' | 'sret'>('mret', 'sret') });
    fc.assert(fc.property(arb, ({ s: s0, op }) => {
      const s = quiet(s0);
      const word = op === 'mret' ? WORD.mret : WORD.sret;
      const v = verdict(s, op);
      const want = v === 'ok' ? (op === 'mret' ? mret(s) : sret(s)) : enterTrap(s, causeOf(v), word, false);
      expectState(step(machine([word], s)), want, `from ${show(s)}\ninstruction ${op}; oracle: ${v}${v === 'ok' ? ` → ${want.mode}` : ''}`);
    }), { numRuns: runs(800) });
  });

  it('HV-SRET: SRET from HS-mode clears hstatus.SPV (the manual: "SRET then sets hstatus.SPV=0")', () => {
    // Falsified if SPV survives an SRET executed with V = 0, for either SPV value and either SPP.
    for (const spv of [0, 1]) for (const spp of [0, 1]) for (const mode of ['HS', 'M'] as const) {
      const s: HModel = { ...zeroState(mode), hstatus: spv ? HST.SPV : 0, mstatus: spp ? ST.SPP : 0, sepc: RAM + 0x40 };
      const h1 = step(machine([WORD.sret], s)).harts[0]!;
      const ctx = `SRET in ${mode} with SPV = ${spv}, SPP = ${spp}`;
      expect(h1.csr.hstatus & HST.SPV, ctx).toBe(0);
      expect(modeFrom(h1.priv, h1.v), ctx).toBe(spv ? (spp ? 'VS' : 'VU') : spp ? 'HS' : 'U');
      expect(h1.pc, ctx).toBe(RAM + 0x40);
    }
  });

  it('HV-MRET, HV-TRAP-ENTRY: a trap from VS/VU into M and MRET back restore V, the mode and the pc', () => {
    // Falsified if the round trip trap → MRET does not come back to the same mode with V restored.
    fc.assert(fc.property(modeArb(), (mode) => {
      const s: HModel = { ...zeroState(mode), mtvec: RAM + 4 };
      const m1 = step(machine([WORD.ecall, WORD.mret], s));
      const h1 = m1.harts[0]!;
      expect(h1.priv).toBe(3);
      expect(h1.v).toBe(0);
      expect((h1.csr.mstatush & MSH.MPV) !== 0).toBe(virt(mode) === 1);
      const h2 = step(m1).harts[0]!;
      expect(modeFrom(h2.priv, h2.v), `${mode} → M → MRET`).toBe(mode);
      expect(h2.pc).toBe(RAM);
      expect(h2.csr.mstatush & MSH.MPV).toBe(0);
    }), { numRuns: runs(20) });
  });
});

// =====================================================================================================

describe('supervisor and hypervisor instructions with V (HV-VIRTUAL, HV-HFENCE, HV-HLV)', () => {
  type Op = 'wfi' | 'sret' | 'sfence.vma' | 'hfence.vvma' | 'hfence.gvma' | 'hlv.b' | 'hlv.bu' | 'hlv.h' | 'hlv.hu' | 'hlvx.hu' | 'hlv.w' | 'hlvx.wu' | 'hsv.b' | 'hsv.h' | 'hsv.w';
  const OPS: readonly Op[] = ['wfi', 'sret', 'sfence.vma', 'hfence.vvma', 'hfence.gvma', 'hlv.b', 'hlv.bu', 'hlv.h', 'hlv.hu', 'hlvx.hu', 'hlv.w', 'hlvx.wu', 'hsv.b', 'hsv.h', 'hsv.w'];
  const instOf = (op: Op): Inst => {
    if (op.startsWith('hlv')) return { op: op as 'hlv.w', rd: 1, rs1: 2 };
    if (op.startsWith('hsv')) return { op: op as 'hsv.w', rs1: 2, rs2: 3 };
    if (op.startsWith('hfence') || op === 'sfence.vma') return { op: op as 'hfence.vvma', rs1: 0, rs2: 0 };
    return { op: op as 'wfi' };
  };
  const sensitiveOf = (op: Op): Sensitive => (op.startsWith('hlv') ? 'hlv' : op.startsWith('hsv') ? 'hsv' : op as Sensitive);
  const sizeOf = (op: Op): number => (op.endsWith('.b') || op.endsWith('.bu') ? 1 : op.endsWith('.h') || op.endsWith('.hu') ? 2 : 4);
  /** What a load of `size` bytes with sign extension (or not) gives from the word `w` at offset `off`. */
  const loadValue = (w: number, off: number, size: number, signed: boolean): number => {
    const raw = size === 4 ? w >>> 0 : (w >>> (8 * off)) & (size === 1 ? 0xff : 0xffff);
    if (!signed || size === 4) return raw >>> 0;
    const sh = 32 - 8 * size;
    return ((raw << sh) >> sh) >>> 0;
  };

  it('HV-VIRTUAL, HV-HFENCE, HV-HLV: WFI, SRET, SFENCE.VMA, HFENCE.*, HLV/HLVX/HSV in every mode with TW/TSR/TVM/VTW/VTSR/VTVM/HU', () => {
    // Falsified by an instruction that executes where the manual refuses it, a refusal with the
    // wrong cause (illegal 2 vs virtual 22: e.g. WFI in VU with TW = 0 is virtual, with TW = 1
    // illegal; TSR/TVM must not affect VS-mode; VTSR/VTW/VTVM must not affect HS-mode; HFENCE.VVMA
    // ignores TVM; HFENCE.GVMA in HS with TVM is illegal; HLV in U needs HU; any H instruction with
    // V = 1 is virtual), or a legal HLV/HSV that does not load/store like a plain load/store when
    // translation is Bare.
    const arb = fc.record({
      s: stateArb({ clear: ST.MPRV }), op: fc.constantFrom(...OPS), off: fc.integer({ min: 0, max: 3 }),
      data: u32, src: u32,
    });
    fc.assert(fc.property(arb, ({ s: s0, op, off, data, src }) => {
      const s = quiet(s0);
      const size = sizeOf(op);
      const addr = DATA + off - (off % size);
      const word = enc(instOf(op));
      const m1 = step(machine([word], s, { regs: { 2: addr, 3: src | 0 }, mem: [[DATA, data]] }));
      const h1 = m1.harts[0]!;
      const v = verdict(s, sensitiveOf(op));
      const ctx = `from ${show(s)}\ninstruction ${dis(word)} (x2 = ${hex(addr)}); oracle: ${v}`;
      if (v !== 'ok') { expectState(m1, enterTrap(s, causeOf(v), word, false), ctx); return; }
      if (op === 'sret') { expectState(m1, sret(s), ctx); return; }
      expectState(m1, advance(s), ctx);
      if (op === 'wfi') expect(h1.waiting, ctx).toBe(true);
      if (op.startsWith('hlv')) expect(h1.x[1]! >>> 0, ctx).toBe(loadValue(data, addr - DATA, size, !op.endsWith('u')));
      if (op.startsWith('hsv')) {
        const mask = size === 4 ? 0xffffffff : ((size === 1 ? 0xff : 0xffff) << (8 * (addr - DATA))) >>> 0;
        const want = ((data & ~mask) | (((src >>> 0) << (8 * (addr - DATA))) & mask)) >>> 0;
        expect(peek(m1, DATA) >>> 0, ctx).toBe(want);
      }
    }), { numRuns: runs(1500) });
  });

  it('HV-HLV: with vsatp and hgatp Bare, HLV/HLVX/HSV in M, HS and U (HU = 1) access the same memory as LB/LBU/LH/LHU/LW/SB/SH/SW', () => {
    // Falsified if a virtual-machine load returns a different value (or a store changes different
    // bytes) than the corresponding plain access at the same address, for either SPVP.
    const pairs: Array<[Op, Inst['op']]> = [
      ['hlv.b', 'lb'], ['hlv.bu', 'lbu'], ['hlv.h', 'lh'], ['hlv.hu', 'lhu'], ['hlvx.hu', 'lhu'], ['hlv.w', 'lw'], ['hlvx.wu', 'lw'],
      ['hsv.b', 'sb'], ['hsv.h', 'sh'], ['hsv.w', 'sw'],
    ];
    const arb = fc.record({
      mode: modeArb(['M', 'HS', 'U']), pair: fc.constantFrom(...pairs), spvp: fc.boolean(),
      slot: fc.integer({ min: 0, max: 255 }), off: fc.integer({ min: 0, max: 3 }), data: u32, src: u32,
    });
    fc.assert(fc.property(arb, ({ mode, pair: [hop, plain], spvp, slot, off, data, src }) => {
      const size = sizeOf(hop);
      const addr = DATA + 4 * slot + off - (off % size);
      const s: HModel = { ...zeroState(mode), hstatus: HST.HU | (spvp ? HST.SPVP : 0) };
      const plainInst = (hop.startsWith('hlv') ? { op: plain, rd: 1, rs1: 2, imm: 0 } : { op: plain, rs1: 2, rs2: 3, imm: 0 }) as Inst;
      const run = (w: number): Machine => step(machine([w], s, { regs: { 2: addr, 3: src | 0 }, mem: [[DATA + 4 * slot, data]] }));
      const a = run(enc(instOf(hop))), b = run(enc(plainInst));
      const ctx = `${mode}, SPVP = ${spvp ? 1 : 0}: ${dis(enc(instOf(hop)))} vs ${dis(enc(plainInst))} at ${hex(addr)} (word ${hex(data)})`;
      expect(a.harts[0]!.pc, ctx).toBe(RAM + 4);
      expect(a.harts[0]!.x[1]! >>> 0, ctx).toBe(b.harts[0]!.x[1]! >>> 0);
      expect(peek(a, DATA + 4 * slot) >>> 0, ctx).toBe(peek(b, DATA + 4 * slot) >>> 0);
    }), { numRuns: runs(400) });
  });

  it('HV-HLV, HV-TRAP-GVA: a fault of HLV/HSV from V = 0 reports a guest virtual address (GVA = 1) with SPV = 0', () => {
    // Falsified if an access fault of HLV/HSV (to a hole) is taken with GVA = 0, with V changed,
    // or with the wrong tval / SPV / SPVP.
    const arb = fc.record({
      s: stateArb({ modes: ['M', 'HS', 'U'], clear: ST.MPRV }), store: fc.boolean(), off: fc.integer({ min: 0, max: 255 }),
    });
    fc.assert(fc.property(arb, ({ s: s0, store, off }) => {
      const s = { ...quiet(s0), hstatus: s0.hstatus | HST.HU };
      const word = enc(store ? { op: 'hsv.w', rs1: 2, rs2: 0 } : { op: 'hlv.w', rd: 1, rs1: 2 });
      const addr = HOLE + 4 * off;
      const cause = store ? 7 : 5;
      const want = enterTrap(s, cause, addr, true);
      expectState(step(machine([word], s, { regs: { 2: addr } })), want, `from ${show(s)}\ninstruction ${dis(word)} (x2 = ${hex(addr)}) → ${trapDest(s, cause)}`);
    }), { numRuns: runs(200) });
  });

  it('HV-HLV: HLVX needs execute permission from PMP and PMA, not only read', () => {
    // Falsified when HLVX.WU/HLVX.HU reads memory whose supervisor
    // physical memory attributes do not grant execute: a PMP region with R but not X, or a device
    // region (PMA-EXEC: only RAM is executable). The manual ("Hypervisor Virtual-Machine Load and
    // Store Instructions"): "For the supervisor physical address that results from address
    // translation, the supervisor physical memory attributes must grant both execute and read
    // permissions"; its note: "attempting to read memory that PMP designates as execute-only still
    // results in an access-fault exception" — so the converse, readable but not executable, faults
    // too. Expected: a load access fault (5) with tval = the address and GVA = 1.
    const problems: string[] = [];
    for (const op of ['hlvx.wu', 'hlvx.hu'] as const) {
      // PMP entry 0: the first 64 KiB of RAM (the code) RWX; entry 1: everything else R only.
      const s: HModel = { ...zeroState('HS'), medeleg: 1 << 5, stvec: RAM + 0x100 };
      const word = enc({ op, rd: 1, rs1: 2 });
      for (const [addr, what] of [[DATA, 'RAM with PMP R, no X'], [0x02000000, 'the CLINT (a device: PMA not executable)']] as const) {
        const m0 = build([word], {
          config: H_ISA, regs: { 2: addr },
          edit: (h) => {
            applyModel(h, s);
            const cfg = [...h.csr.pmpcfg], a = [...h.csr.pmpaddr];
            cfg[0] = 0x1f; a[0] = ((RAM >>> 2) | 0x1fff) >>> 0; // NAPOT 64 KiB at RAM, RWX
            cfg[1] = 0x19; a[1] = 0xffffffff; // NAPOT everything, R only
            h.csr.pmpcfg = cfg; h.csr.pmpaddr = a;
          },
        });
        const h1 = step(m0).harts[0]!;
        const ok = h1.priv === 1 && h1.v === 0 && h1.csr.scause === 5 && h1.csr.stval === addr && (h1.csr.hstatus & HST.GVA) !== 0;
        if (!ok) problems.push(`${op} from HS (SPVP = 0) at ${hex(addr)} (${what}): want a load access fault (scause 5), got pc ${hex(h1.pc)}, scause ${h1.csr.scause}, x1 = ${hex(h1.x[1]!)}`);
      }
    }
    expect(problems, problems.join('\n')).toEqual([]);
  });
});

// =====================================================================================================

describe('virtual time (HV-TIME)', () => {
  it('HV-TIME: time/timeh read mtime + htimedelta (64-bit, with carry) in VS and VU, mtime in M, HS and U', () => {
    // Falsified by a missing carry from the low into the high half, a delta applied with V = 0
    // or not applied with V = 1.
    const arb = fc.record({
      mode: modeArb(), lo: fc.oneof(u32, fc.integer({ min: 0xffffff00, max: 0xffffffff })), hi: u32,
      dlo: fc.oneof(u32, fc.integer({ min: 0xffffff00, max: 0xffffffff })), dhi: u32, high: fc.boolean(),
    });
    fc.assert(fc.property(arb, ({ mode, lo, hi, dlo, dhi, high }) => {
      const s: HModel = { ...zeroState(mode), mcounteren: 7, hcounteren: 7, scounteren: 7, htimedeltaLo: dlo, htimedeltaHi: dhi };
      const word = enc({ op: 'csrrs', rd: 1, rs1: 0, csr: high ? 0xc81 : 0xc01 });
      const m0 = machine([word], s);
      const h1 = step({ ...m0, time: { lo, hi } }).harts[0]!;
      const [glo, ghi] = virt(mode) === 1 ? guestTime(lo, hi, dlo, dhi) : [lo, hi];
      expect(h1.x[1]! >>> 0, `${mode}: ${high ? 'timeh' : 'time'} with mtime = ${hex(hi)}_${hex(lo).slice(2)}, htimedelta = ${hex(dhi)}_${hex(dlo).slice(2)}`)
        .toBe(high ? ghi : glo);
    }), { numRuns: runs(400) });
  });
});

// =====================================================================================================

describe('MPRV with MPV (HV-MPRV)', () => {
  /** vsatp in Sv32 mode with a root table of zeros: every VS-stage translation page-faults. */
  const ROOT = RAM + 0x20000;
  const VSATP_FAULTING = (0x80000000 | (ROOT >>> 12)) >>> 0;

  it('HV-MPRV: M-mode loads and stores with MPRV = 1 translate as though V = MPV and the mode were MPP (MPV ignored when MPP = M); HLV ignores MPRV', () => {
    // Falsified if an M-mode access with MPRV = 1, MPV = 1 and MPP = S/U does not go through the
    // VS-stage (vsatp), if MPV = 1 with MPP = M translates, if MPV = 0 uses vsatp, or if HLV obeys
    // MPRV instead of hstatus.SPVP (it must always translate as V = 1).
    const arb = fc.record({
      mpp: fc.constantFrom(0, 1, 3), mpv: fc.boolean(), mprv: fc.boolean(),
      op: fc.constantFrom<'lw' | 'sw' | 'hlv.w'>('lw', 'sw', 'hlv.w'), slot: fc.integer({ min: 0, max: 255 }),
    });
    fc.assert(fc.property(arb, ({ mpp, mpv, mprv, op, slot }) => {
      const s: HModel = {
        ...zeroState('M'), vsatp: VSATP_FAULTING, mtvec: RAM + 0x100,
        mstatus: ((mprv ? ST.MPRV : 0) | (mpp << 11)) >>> 0, mstatush: mpv ? MSH.MPV : 0,
      };
      const addr = DATA + 4 * slot;
      const word = enc(op === 'lw' ? { op, rd: 1, rs1: 2, imm: 0 } : op === 'sw' ? { op, rs1: 2, rs2: 0, imm: 0 } : { op, rd: 1, rs1: 2 });
      const m1 = step(machine([word], s, { regs: { 2: addr } }));
      const asGuest = op === 'hlv.w' || (mprv && mpp !== 3 && mpv);
      const cause = op === 'sw' ? 15 : 13;
      const want = asGuest ? enterTrap(s, cause, addr, true) : advance(s);
      expectState(m1, want, `M-mode, MPRV = ${+mprv}, MPP = ${mpp}, MPV = ${+mpv}: ${dis(word)} (x2 = ${hex(addr)}); vsatp Sv32 with an empty root`);
    }), { numRuns: runs(150) });
  });

  it('HV-TRAP-GVA: an access fault or misaligned fault of an M-mode access with MPRV = 1, MPV = 1 sets mstatush.GVA', () => {
    // Falsified when such a trap writes the guest virtual address to
    // mtval but leaves GVA = 0. The manual ("Machine Status (mstatus and mstatush) Registers"): "For
    // any trap (breakpoint, address misaligned, access fault, page fault, or guest-page fault) that
    // writes a guest virtual address to mtval, GVA is set to 1"; with MPRV = 1 and MPV = 1 the
    // explicit access is "translated and protected ... as though the current virtualization mode
    // were set to MPV", so its address is a guest virtual address (popek already sets GVA = 1 for
    // the page faults of the same access, and for HLV's faults).
    const problems: string[] = [];
    const base: HModel = { ...zeroState('M'), mtvec: RAM + 0x100, mstatus: (ST.MPRV | (1 << 11)) >>> 0, mstatush: MSH.MPV };
    const cases: Array<[string, number, number, number, 'perform' | 'trap']> = [
      ['lw from a hole (load access fault)', enc({ op: 'lw', rd: 1, rs1: 2, imm: 0 }), HOLE, 5, 'perform'],
      ['sw to a hole (store access fault)', enc({ op: 'sw', rs1: 2, rs2: 0, imm: 0 }), HOLE, 7, 'perform'],
      ['misaligned lw (misaligned: trap)', enc({ op: 'lw', rd: 1, rs1: 2, imm: 0 }), DATA + 2, 4, 'trap'],
    ];
    for (const [what, word, addr, cause, policy] of cases) {
      const m0 = build([word], { config: { ...H_ISA, misaligned: policy }, regs: { 2: addr }, edit: (h) => { pmpAllowAll(h); applyModel(h, base); } });
      const got = toModel(step(m0).harts[0]!);
      const want = enterTrap(base, cause, addr, gvaOf(cause, true));
      const d = diff(want, got);
      if (d.length > 0) problems.push(`${what}, M-mode with MPRV = 1, MPP = S, MPV = 1 (Bare vsatp/hgatp): ${d.join('; ')}`);
    }
    expect(problems, problems.join('\n')).toEqual([]);
  });
});
