/**
 * fast-check generators of H-extension test programs for the QEMU differential run (QDIFF-H-GEN-*).
 *
 * A program runs on a hart with the H extension, in one of the five modes M, HS, U, VS, VU; V = 1
 * is entered by MRET with MPV = 1 or by SRET with SPV = 1 (program.ts). Its body mixes the base
 * instructions (gen.ts) with what the H extension is about:
 *
 * - CSR instructions on every hypervisor and VS CSR, on mstatush, mtval2 and mtinst, on the
 *   supervisor CSRs (which V = 1 redirects to the VS ones), satp (VTVM), the machine CSRs (illegal
 *   with V = 1) and the counters (hcounteren; read with rd = x0, so that only the access check,
 *   never a counter value, is compared);
 * - the sensitive instructions: WFI (TW, VTW), SRET (TSR, VTSR), SFENCE.VMA (TVM, VTVM), MRET,
 *   HFENCE.VVMA/GVMA, HLV/HLVX/HSV (HU, SPVP), ECALL, EBREAK;
 * - loads, stores, atomics and fetches through two-stage translation: G-stage (Sv32x4) and
 *   VS-stage (Sv32) tables with generated permission and A/D bits, so that page faults (12, 13,
 *   15), guest-page faults (20, 21, 23, of explicit and of implicit VS-table accesses) and access
 *   faults are raised, and A/D updates made, in both stages.
 *
 * Traps go to M, HS or VS (medeleg, hedeleg, mideleg, hideleg; VS-level interrupts through hvip).
 * QDIFF-H-GEN-2: as in gen.ts, writes to what keeps the harness in control use controlled values:
 * mtvec, stvec, vstvec keep their base on the vector and stub pages, medeleg never delegates ECALL
 * from HS (9), satp/vsatp only name the program's VS-stage root (or none), hgatp its G-stage root
 * (or none). Every other hypervisor CSR is written with arbitrary values, so their WARL
 * legalisation is compared — except htinst, only read (QEMU ignores writes: QDEV-H-6), and mip's
 * VSTIP/VSEIP, left clear (QEMU lets mip write them: QDEV-H-5); reproducers show both.
 */
import fc from 'fast-check';
import type { Arbitrary } from 'fast-check';
import type { HfenceOp, HlvOp, HsvOp, Inst } from '../isa/inst.js';
import {
  alu, anyReg, atomic, baseReg, CODE_REGS, codeValue, control, csrItem, csrSetup, type CsrPolicy, dataValue, illegal, inst,
  leafBits, mem, mstatusMask, mstatusValue, numValue, PTR_REGS, rdReg, subsetOf, tvecBits, word, aligned, type View,
} from './gen.js';
import {
  DATA_SIZE, HVEC, PTE, SSTUB, VSTUB, type GStage, type HSetup, type Item, type PmpRegion, type Priv, type TestProgram,
  type Value, type VsStage, DATA_BASE,
} from './program.js';

const u32 = (x: number): number => x >>> 0;
const v = (a: Arbitrary<number>): Arbitrary<Value> => a.map((x) => ({ k: 'v' as const, v: u32(x) }));

/** Any word, or a subset of the bits popek implements (`m`): half of the values stay legal. */
const warl = (m: number): Arbitrary<number> => fc.oneof(subsetOf(m), word);

/** popek's writable bits of the H CSRs (spec/hypervisor.md): what initial values are drawn from. */
export const H_LEGAL = {
  hstatus: 0x0070_03c0, hedeleg: 0xb1ff, hideleg: 0x444, hvip: 0x444, hcounteren: 0x7, henvcfg: 0x1,
  vsstatus: 0x000c_0122, mstatush: 0xc0, medeleg: 0x00f0_b5ff, mideleg: 0x222, mie: 0x1eee, mip: 0x226,
} as const;

/** mtvec/stvec/vstvec: base on the vector page (mtvec) or either stub (stvec, vstvec), MODE 0 or 1. */
const stubTvec: Arbitrary<Value> = fc.record({ base: fc.constantFrom(SSTUB, VSTUB), k: fc.integer({ min: 0, max: 7 }), m: fc.integer({ min: 0, max: 1 }) })
  .map(({ base, k, m }) => ({ k: 'v' as const, v: u32(base + 4 * k + m) }));

/** satp / vsatp: none, an ASID alone, or the program's VS-stage root. */
const atpValue = (vs: boolean): Arbitrary<Value> => fc.oneof(
  fc.constant<Value>({ k: 'v', v: 0 }),
  fc.integer({ min: 0, max: 511 }).map((a) => ({ k: 'v' as const, v: u32(a << 22) })),
  ...(vs ? [fc.integer({ min: 0, max: 511 }).map((asid) => ({ k: 'vsatp' as const, asid }))] : []),
);
/** hgatp: Bare (with or without a VMID or a PPN), or the program's G-stage root. */
const hgatpValue = (g: boolean): Arbitrary<Value> => fc.oneof(
  fc.constant<Value>({ k: 'v', v: 0 }),
  fc.integer({ min: 0, max: 0x7f }).map((a) => ({ k: 'v' as const, v: u32(a << 22) })),
  fc.integer({ min: 0, max: 0x3fffff }).map((ppn) => ({ k: 'v' as const, v: ppn })),
  ...(g ? [fc.integer({ min: 0, max: 0x7f }).map((vmid) => ({ k: 'hgatp' as const, vmid }))] : []),
);

/**
 * QDIFF-H-GEN-1: the CSR policies of H programs. Absent `value`: any register value may be written
 * (csrrw/csrrs/csrrc with any rs1); otherwise controlled groups (QDIFF-H-GEN-2).
 */
export const hPolicies = (g: boolean, vs: boolean): CsrPolicy[] => [
  // Machine trap handling and scratch registers: anything.
  { num: 0x340 }, { num: 0x342 }, { num: 0x343 }, { num: 0x140 }, { num: 0x142 }, { num: 0x143 },
  { num: 0x301 }, { num: 0xf11 }, { num: 0xf14 }, { num: 0xf15 },
  { num: 0x300, value: v(mstatusValue), mask: mstatusMask, clearFree: false, uimm: fc.integer({ min: 0, max: 31 }) },
  { num: 0x100, value: v(warl(0x000c_0122)), clearFree: true },
  { num: 0x305, value: fc.record({ k: fc.integer({ min: 0, max: 7 }), m: fc.integer({ min: 0, max: 1 }) }).map(({ k, m }) => ({ k: 'v' as const, v: u32(HVEC + 4 * k + m) })), mask: tvecBits, clearFree: false, uimm: tvecBits },
  { num: 0x105, value: stubTvec, mask: tvecBits, clearFree: false, uimm: tvecBits },
  { num: 0x205, value: stubTvec, mask: tvecBits, clearFree: false, uimm: tvecBits },
  // medeleg: never bit 9 (ECALL from HS) nor 11; everything else, including the H causes.
  { num: 0x302, value: v(subsetOf(H_LEGAL.medeleg)), mask: subsetOf(H_LEGAL.medeleg), clearFree: true, uimm: fc.integer({ min: 0, max: 31 }) },
  { num: 0x303, value: v(warl(H_LEGAL.mideleg)), clearFree: true },
  { num: 0x304, value: v(warl(H_LEGAL.mie)), clearFree: true },
  // mip: not VSTIP/VSEIP, which QEMU lets mip write (QDEV-H-5; a reproducer shows it).
  { num: 0x344, value: v(warl(H_LEGAL.mip).map((x) => x & ~0x440)), mask: subsetOf(H_LEGAL.mip), clearFree: true, uimm: fc.constantFrom(0, 2, 4, 6) },
  { num: 0x104 }, { num: 0x144 },
  { num: 0x306, value: v(subsetOf(7)), mask: subsetOf(7), clearFree: true, uimm: fc.integer({ min: 0, max: 7 }) },
  { num: 0x106, value: v(subsetOf(7)), mask: subsetOf(7), clearFree: true, uimm: fc.integer({ min: 0, max: 7 }) },
  { num: 0x341, value: aligned(fc.oneof(numValue(), codeValue)), mask: subsetOf(0xfffffffc), clearFree: true, uimm: fc.constantFrom(0, 4, 8, 16, 28) },
  { num: 0x141, value: aligned(fc.oneof(numValue(), codeValue)), mask: subsetOf(0xfffffffc), clearFree: true, uimm: fc.constantFrom(0, 4, 8, 16, 28) },
  { num: 0x180, value: atpValue(vs), mask: fc.integer({ min: 0, max: 511 }).map((a) => u32(a << 22)), clearFree: false, uimm: null },
  // The machine H registers.
  { num: 0x310, value: v(warl(H_LEGAL.mstatush)), clearFree: true },
  { num: 0x34a }, { num: 0x34b },
  // Hypervisor CSRs.
  { num: 0x600, value: v(warl(H_LEGAL.hstatus)), clearFree: true },
  { num: 0x602 }, { num: 0x603 }, { num: 0x604 }, { num: 0x644 }, { num: 0x645 }, { num: 0x606 }, { num: 0x607 },
  { num: 0xe12, readOnly: true, uimm: null },
  // htinst: only read (QEMU ignores writes, QDEV-H-6; a reproducer shows it).
  { num: 0x605 }, { num: 0x615 }, { num: 0x60a }, { num: 0x61a }, { num: 0x643 }, { num: 0x64a, readOnly: true, uimm: null }, { num: 0x612 },
  { num: 0x680, value: hgatpValue(g), mask: fc.integer({ min: 0, max: 0x7f }).map((a) => u32(a << 22)), clearFree: false, uimm: null },
  // VS CSRs.
  { num: 0x200, value: v(warl(H_LEGAL.vsstatus)), clearFree: true },
  { num: 0x204 }, { num: 0x244 }, { num: 0x240 }, { num: 0x242 }, { num: 0x243 },
  { num: 0x241, value: fc.oneof(aligned(fc.oneof(numValue(), codeValue)), numValue()), mask: subsetOf(0xfffffffc), clearFree: true, uimm: fc.constantFrom(0, 4, 8, 16, 28) },
  { num: 0x280, value: atpValue(vs), mask: fc.integer({ min: 0, max: 511 }).map((a) => u32(a << 22)), clearFree: false, uimm: null },
];

/** Counters: only their access check is compared (rd = x0, so no value is seen; QDEV-3). */
const counterAccess: Arbitrary<Item> = inst(fc.record({
  op: fc.constantFrom('csrrs' as const, 'csrrc' as const), rd: fc.constant(0), rs1: fc.constant(0),
  csr: fc.constantFrom(0xc00, 0xc01, 0xc02, 0xc80, 0xc81, 0xc82),
}));

const HLV_OPS: HlvOp[] = ['hlv.b', 'hlv.bu', 'hlv.h', 'hlv.hu', 'hlv.w', 'hlvx.hu', 'hlvx.wu'];
const HSV_OPS: HsvOp[] = ['hsv.b', 'hsv.h', 'hsv.w'];
const HFENCE_OPS: HfenceOp[] = ['hfence.vvma', 'hfence.gvma'];

/** HLV/HLVX/HSV through the data pointers; HFENCE with any registers. */
export const hyper: Arbitrary<Item> = fc.oneof(
  { weight: 4, arbitrary: inst(fc.record({ op: fc.constantFrom(...HLV_OPS), rd: rdReg, rs1: baseReg })) },
  { weight: 3, arbitrary: inst(fc.record({ op: fc.constantFrom(...HSV_OPS), rs1: baseReg, rs2: anyReg })) },
  { weight: 1, arbitrary: inst(fc.record({ op: fc.constantFrom(...HFENCE_OPS), rs1: anyReg, rs2: anyReg })) },
);

const hSystem: Arbitrary<Item> = fc.oneof(
  { weight: 4, arbitrary: inst(fc.constantFrom<Inst>({ op: 'ecall' }, { op: 'ebreak' }, { op: 'mret' }, { op: 'sret' }, { op: 'wfi' })) },
  { weight: 2, arbitrary: inst(fc.record({ op: fc.constant('sfence.vma' as const), rs1: anyReg, rs2: anyReg })) },
  { weight: 1, arbitrary: inst(fc.record({ op: fc.constant('fence.i' as const), rd: fc.constant(0), rs1: fc.constant(0), imm: fc.constant(0) })) },
);

const hCsrInsn = (g: boolean, vs: boolean): Arbitrary<Item> => fc.oneof(
  { weight: 10, arbitrary: fc.oneof(...hPolicies(g, vs).map(csrItem)) },
  { weight: 1, arbitrary: counterAccess },
);

/** QDIFF-H-GEN-1: one body item of an H program. */
export const hItemArb = (g: boolean, vs: boolean): Arbitrary<Item> => fc.oneof(
  { weight: 4, arbitrary: alu },
  { weight: 6, arbitrary: mem },
  { weight: 1, arbitrary: atomic },
  { weight: 6, arbitrary: hCsrInsn(g, vs) },
  { weight: 1, arbitrary: control },
  { weight: 2, arbitrary: hSystem },
  { weight: 3, arbitrary: hyper },
  { weight: 1, arbitrary: illegal },
);

// ---------------------------------------------------------------------------------------------
// Initial state

/** G-stage leaves are always user-level: they need U (QEMU and popek alike check it). */
const gLeaf = (must: number): Arbitrary<number> => leafBits(must | PTE.U);
const oddPte: Arbitrary<number> = fc.oneof(
  leafBits(PTE.R | PTE.W | PTE.U).map((b) => u32((((DATA_BASE >>> 12) + 1) << 10) | b)), // misaligned megapage
  fc.integer({ min: 0, max: 0xffffffff }),
  fc.constant(0),
);

const gStageArb: Arbitrary<GStage> = fc.record({
  vmid: fc.integer({ min: 0, max: 0x7f }),
  code: fc.oneof({ weight: 6, arbitrary: fc.constant(PTE.V | PTE.R | PTE.X | PTE.U | PTE.A) }, { weight: 1, arbitrary: gLeaf(PTE.X) }),
  data4k: gLeaf(PTE.R | PTE.W),
  alias: gLeaf(PTE.R),
  data: gLeaf(PTE.R | PTE.W),
  pt: fc.oneof({ weight: 5, arbitrary: fc.constant(PTE.V | PTE.R | PTE.W | PTE.U | PTE.A | PTE.D) }, { weight: 2, arbitrary: gLeaf(PTE.R) }),
  high: gLeaf(PTE.R | PTE.W),
  mega: gLeaf(PTE.R | PTE.W),
  odd: oddPte,
});

const vsStageArb = (priv: Priv): Arbitrary<VsStage> => {
  const u = priv === 0 ? PTE.U : 0;
  return fc.record({
    asid: fc.integer({ min: 0, max: 511 }),
    code: fc.oneof({ weight: 6, arbitrary: fc.constant(PTE.V | PTE.R | PTE.X | PTE.A | u) }, { weight: 1, arbitrary: leafBits(PTE.X | u) }),
    data4k: leafBits(PTE.R | PTE.W | u),
    alias: leafBits(PTE.R | u),
    mega: leafBits(PTE.R | PTE.W | u),
    megaHigh: fc.boolean(),
    odd: oddPte,
  });
};

/** PMP: everything RWX, or first an entry without some permissions over a page of the program. */
const hPmp: Arbitrary<HSetup['pmpDeny']> = fc.oneof(
  { weight: 6, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.record({ perm: fc.constantFrom(0, 1, 3, 4, 5), region: fc.constantFrom<PmpRegion>('data', 'code', 'vsroot', 'vsl0', 'groot', 'gl0') }) },
);

type Mode = 'M' | 'HS' | 'U' | 'VS' | 'VU';
const MODES: ReadonlyArray<readonly [Mode, number]> = [['M', 2], ['HS', 4], ['U', 2], ['VS', 6], ['VU', 4]];

/** QDIFF-H-GEN-1: a whole H program. */
export const hProgramArb: Arbitrary<TestProgram> = fc.record({
  mode: fc.oneof(...MODES.map(([m, w]) => ({ weight: w, arbitrary: fc.constant(m) }))),
  gOn: fc.oneof({ weight: 2, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
  vsOn: fc.boolean(),
  entry: fc.constantFrom<'mret' | 'sret'>('mret', 'sret'),
}).chain(({ mode, gOn, vsOn, entry }) => {
  const priv: Priv = mode === 'M' ? 3 : mode === 'HS' || mode === 'VS' ? 1 : 0;
  const virt = mode === 'VS' || mode === 'VU';
  const views: View[] = ['v4k', 'alias', 'mega', 'odd', 'pa'];
  const reg = (r: number): Arbitrary<Value> => PTR_REGS.includes(r)
    ? fc.oneof({ weight: 5, arbitrary: dataValue(views) }, { weight: 1, arbitrary: numValue() })
    : CODE_REGS.includes(r) ? fc.oneof({ weight: 3, arbitrary: codeValue }, { weight: 1, arbitrary: numValue() })
      : numValue();
  const hcsrs = fc.record({
    hstatus: fc.oneof(fc.constant(0), subsetOf(H_LEGAL.hstatus)),
    hedeleg: fc.oneof(fc.constant(0), subsetOf(H_LEGAL.hedeleg)),
    hideleg: fc.oneof(fc.constant(0), subsetOf(H_LEGAL.hideleg)),
    hvip: fc.oneof({ weight: 4, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: subsetOf(H_LEGAL.hvip) }),
    hcounteren: subsetOf(7), henvcfg: subsetOf(1), htimedelta: word, htimedeltah: word,
    htval: word, mtval2: word, mtinst: word,
    vsstatus: subsetOf(H_LEGAL.vsstatus), vsscratch: word, vscause: word, vstval: word,
    mstatush: fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: subsetOf(H_LEGAL.mstatush) }), vstvecMode: fc.integer({ min: 0, max: 1 }),
  });
  return fc.record({
    priv: fc.constant(priv),
    mstatus: mstatusValue.map((x) => (priv === 3 ? x : x & ~0x20000)),
    mie: fc.boolean(),
    csrs: csrSetup(H_LEGAL),
    mepc: aligned(fc.oneof(codeValue, numValue())),
    sepc: aligned(fc.oneof(codeValue, numValue())),
    regs: fc.tuple(...Array.from({ length: 31 }, (_, k) => reg(k + 1))),
    data: fc.array(word, { minLength: 0, maxLength: DATA_SIZE / 4 }),
    paging: fc.constant(null),
    pmp: fc.constant('all' as const),
    body: fc.array(hItemArb(gOn, vsOn), { minLength: 1, maxLength: 20 }),
    h: fc.record({
      v: fc.constant<0 | 1>(virt ? 1 : 0),
      entry: fc.constant(entry),
      csrs: hcsrs.map((c): Array<readonly [number, number]> => [
        [0x600, c.hstatus], [0x602, c.hedeleg], [0x603, c.hideleg], [0x645, c.hvip], [0x606, c.hcounteren],
        [0x60a, c.henvcfg], [0x605, c.htimedelta], [0x615, c.htimedeltah], [0x643, c.htval],
        [0x34b, c.mtval2], [0x34a, c.mtinst], [0x200, c.vsstatus], [0x240, c.vsscratch],
        [0x242, c.vscause], [0x243, c.vstval], [0x310, c.mstatush],
        [0x205, VSTUB + c.vstvecMode],
      ]),
      g: gOn ? gStageArb : fc.constant(null),
      vs: vsOn ? vsStageArb(priv) : fc.constant(null),
      vsepc: aligned(fc.oneof(codeValue, numValue())),
      pmpDeny: hPmp,
    }) as Arbitrary<HSetup>,
  });
});
