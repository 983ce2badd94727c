/**
 * Random two-stage worlds and self-modifying programs for the V = 1 translation-cache property
 * (properties/tlb-hext.test.ts, ENG-TLB-1 / STEP-PURE).
 *
 * A program is 2-4 phases, run in a loop: an M-mode part (HLV/HLVX/HSV, PTE stores, CSR writes,
 * MPRV accesses, ...), a context switch (vsatp, hgatp, mstatus or vsstatus SUM/MXR, pmpcfg0 or
 * hstatus.SPVP changed — or nothing), an MRET into VS- or VU-mode (MPV = 1), and a guest part —
 * data accesses at both ends (the last ones fill the translation cache, the first ones of the next
 * phase meet what it kept), loads, stores, AMOs, LR/SC, stores to PTEs of both stages through the
 * guest's own mappings of the page tables, vsatp/vsstatus writes in VS-mode — ended by an ECALL.
 * The G-stage (Sv32x4) and the VS-stage (Sv32) are both active.
 *
 * Layout. Page numbers p below are offsets from 0x80000 (addresses 0x80000000 + p × 4 KiB); every
 * page of the set P is mapped "identically" by default (guest virtual = guest physical =
 * supervisor physical), so one register holds an address that means the same page in M-mode and
 * in VS/VU-mode (through different translations), and the guest can reach the page tables of both
 * stages through its own mappings:
 *
 *   p 0x000      code (M-mode and VS-mode fetch it at 0x80000000 + off; VU-mode at the alias
 *                0x80400000 + off, through vsatp's root entry 0x201, a megapage with U = 1);
 *                the M-mode trap handler at 0x80000800, the VS-mode one at 0x80000900
 *   p 0x010      VS root (vsatp; a guest-physical address)   p 0x014  second VS root (x1 may select it)
 *   p 0x011      VS level-0 table                             p 0x013  second VS level-0 table
 *   p 0x012      G level-0 table                              p 0x015  second G level-0 table
 *   p 0x016/17   HS root / level-0 table (satp: V = 0 translation, for MPRV with MPV = 0)
 *   p 0x020-023  data pages; the leaves of 0x022 are mostly execute-only, read-execute or read-only
 *   p 0x100-103  the 16 KiB Sv32x4 root (hgatp); p 0x104-107 a second one (x2 may select it)
 *
 * Every level-0 table has an entry for each page of P (its PPN: the identity, another page of P,
 * or — VS-stage only — the same page through the G-stage megapage at guest physical 0x80400000),
 * with random V/R/W/X/U/A/D bits weighted towards usable ones; the second tables map the data pages
 * rotated, so switching vsatp or hgatp moves them.
 *
 * Traps. Load/store misaligned, access and page faults of the guest are delegated (medeleg and
 * hedeleg) to the VS-mode handler (vstvec, fetched with V = 1 like the guest code), which skips the
 * instruction (sepc + 4, SRET). Everything else goes to the M-mode handler (mtvec): for an ECALL, a
 * fetch fault or an illegal instruction it ends the guest phase, continuing in M-mode at x4 (the
 * address after the phase's ECALL, set when the phase is entered); for anything else (guest-page
 * faults, virtual-instruction exceptions, faults of M-mode accesses with MPRV or of HLV/HSV) it
 * skips the instruction and MRETs to the mode the trap came from. So a guest phase whose code
 * mapping breaks falls back to M-mode instead of faulting through the whole page.
 *
 * Registers (the same in every hart; only loads, AMOs and LR/SC write x20/x21, and x4, x30 and x31
 * are the mode switches' and handlers' own):
 *   x1 vsatp (alternative)   x2 hgatp (alternative)   x3 0x1800 (mstatus.MPP)   x4 where a guest phase ends
 *   x5 0x80020010  x6 0x80021ffc (with an offset > 3: page-crossing)  x7 0x800 (MPP = S)  x8 0x80423010 (alias)
 *   x9 the VS level-0 table  x10-x12 VS leaf values  x13 a VS code leaf  x14 a G leaf value  x15 a G code leaf
 *   x16 a VS root entry value   x17 MXR (and SUM)   x18 0x80010800 (VS root entry 0x200)   x19 the second VS level-0 table
 *   x20, x21 data   x22 0x80022020   x23 0x80 (PTE.D)   x24 the G level-0 table   x25 a G root entry value
 *   x26 0x80100800 (G root entry 0x200)   x27 vsatp (original)   x28 hgatp (original)
 *   x29 the M-mode handler's mask of causes that end a guest phase   x30, x31 scratch
 */
import fc from 'fast-check';
import type { Arbitrary } from 'fast-check';
import type { Inst } from '../../src/isa/inst.js';
import { machineFromWords } from '../../src/machine/program.js';
import { DEFAULT_CONFIG, type Config } from '../../src/machine/config.js';
import type { Machine } from '../../src/machine/machine.js';
import { withBytes } from '../../src/memory/store.js';
import { enc, hex, listing, RAM } from './priv-harness.js';
import { PTE } from '../support/setup.js';

const { V, R, W, X, U, A, D } = PTE;

export const H_ISA = 'rv32imah_zicsr_zifencei_zicntr';
/** Page p of the layout (an address). */
export const page = (p: number): number => (RAM + p * 0x1000) >>> 0;
export const HANDLER = RAM + 0x800;
export const VS_HANDLER = RAM + 0x900;
export const VS_ROOT = page(0x10), VS_L0 = page(0x11), G_L0 = page(0x12), VS_L0B = page(0x13);
export const VS_ROOTB = page(0x14), G_L0B = page(0x15), HS_ROOT = page(0x16), HS_L0 = page(0x17);
export const G_ROOT = page(0x100), G_ROOTB = page(0x104);
export const DATA = [page(0x20), page(0x21), page(0x22), page(0x23)];
/** Pages every level-0 table maps (entry index = p). */
export const P = [0x000, 0x010, 0x011, 0x012, 0x013, 0x014, 0x015, 0x020, 0x021, 0x022, 0x023, 0x100] as const;
const DATA_P = [0x020, 0x021, 0x022, 0x023];
/** Bit 22: the VU code alias (VS root entry 0x201 maps 0x80400000..0x807fffff). */
export const VU_ALIAS = 0x00400000;
/** Causes after which the M-mode handler ends the guest phase: fetch access fault, illegal, ECALLs, fetch page / guest-page faults. */
export const TO_M_CAUSES = [1, 2, 8, 9, 10, 11, 12, 20];
const TO_M_MASK = TO_M_CAUSES.reduce((m, c) => (m | (1 << c)) >>> 0, 0);
/** Causes delegated to the VS-mode handler (medeleg and hedeleg): load/store misaligned, access and page faults. */
export const TO_VS_CAUSES = [4, 5, 6, 7, 13, 15];
const TO_VS_MASK = TO_VS_CAUSES.reduce((m, c) => (m | (1 << c)) >>> 0, 0);

const SV32 = 0x80000000;
const MSTATUS_SUM = 1 << 18, MSTATUS_MXR = 1 << 19;
const HSTATUS_SPVP = 1 << 8;

const pte = (ppn: number, flags: number): number => (ppn * 1024 + flags) >>> 0;
const ptr = (addr: number): number => pte(addr / 4096, V);

// ---------------------------------------------------------------------------------------------
// The world: memory (PTEs, data), CSRs and registers.

export interface World {
  /** Physical word address → value (page tables and data). */
  words: Map<number, number>;
  regs: Record<number, number>;
  mstatus: number;
  vsstatus: number;
  hstatus: number;
  satp: number;
  vsatp: number;
  hgatp: number;
  /** pmpcfg / pmpaddr entries 0 and 1. */
  pmpcfg: [number, number];
  pmpaddr: [number, number];
  harts: 1 | 2;
  adUpdate: 'hardware' | 'fault';
  misaligned: 'perform' | 'trap';
}

/** VS-stage leaf flags: mostly usable (R/W with A, D), some read-only, no-A, no-D, execute-only and junk; U random. */
const vsLeafFlags: Arbitrary<number> = fc.tuple(fc.oneof(
  { weight: 12, arbitrary: fc.constant(V | R | W | A | D) },
  { weight: 2, arbitrary: fc.constant(V | R | A) },
  { weight: 1, arbitrary: fc.constant(V | R | W | A) },
  { weight: 1, arbitrary: fc.constant(V | R | W | D) },
  { weight: 2, arbitrary: fc.constant(V | X | A) },
  { weight: 2, arbitrary: fc.constant(V | R | W | X | A | D) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 0xff }) },
), fc.integer({ min: 0, max: 2 })).map(([f, u]) => (u === 0 ? f & ~U : f | U) >>> 0);
/** G-stage leaf flags: U = 1 mostly (G-stage accesses are user-level). */
const gLeafFlags: Arbitrary<number> = fc.oneof(
  { weight: 14, arbitrary: fc.constant(V | U | R | W | A | D) },
  { weight: 2, arbitrary: fc.constant(V | U | R | W | X | A | D) },
  { weight: 2, arbitrary: fc.constant(V | U | R | A) },
  { weight: 1, arbitrary: fc.constant(V | U | R | W | A) },
  { weight: 1, arbitrary: fc.constant(V | U | R | W | D) },
  { weight: 2, arbitrary: fc.constant(V | U | X | A) },
  { weight: 1, arbitrary: fc.constant(V | R | W | A | D) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 0xff }) },
);
/** Pages other than the code page (no data or PTE store may rewrite the program). */
const NOT_CODE = P.filter((p) => p !== 0);
/** The data page (x22) whose leaves are mostly execute-only, read-execute or read-only: HLVX, MXR and loads disagree on it. */
const XPAGE = 0x022;
/** Pages the walks and the guest's own PTE stores go through: VS tables, and the windows onto the G tables. */
const INFRA = [0x010, 0x011, 0x012, 0x013, 0x014, 0x100];
/** A leaf's page for entry p: itself, mostly; else another data page or any page but the code; VS leaves also through the G megapage at 0x80400000. */
const otherPage: Arbitrary<number> = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...DATA_P) }, { weight: 1, arbitrary: fc.constantFrom(...NOT_CODE) });
const vsPpn = (p: number): Arbitrary<number> => fc.oneof(
  { weight: 6, arbitrary: fc.constant(0x80000 + p) },
  { weight: 2, arbitrary: otherPage.map((q) => 0x80000 + q) },
  { weight: 1, arbitrary: otherPage.map((q) => 0x80400 + q) },
);
const gPpn = (p: number): Arbitrary<number> => fc.oneof(
  { weight: 6, arbitrary: fc.constant(0x80000 + p) },
  { weight: 2, arbitrary: otherPage.map((q) => 0x80000 + q) },
);
/**
 * Level-0 leaves for entry p (not the code page): random, except that the table pages and windows
 * (INFRA) start out usable (identity, readable, writable, A and D; VS: U random) in most worlds —
 * the program's own PTE stores break them often enough.
 */
const vsLeaf = (p: number): Arbitrary<number> => fc.oneof(
  { weight: INFRA.includes(p) ? 12 : 0, arbitrary: fc.boolean().map((u) => pte(0x80000 + p, V | R | W | A | D | (u ? U : 0))) },
  { weight: p === XPAGE ? 2 : 0, arbitrary: fc.tuple(fc.constantFrom(V | X | A, V | X | A, V | R | X | A, V | R | A), fc.boolean()).map(([f, u]) => pte(0x80000 + p, f | (u ? U : 0))) },
  { weight: 1, arbitrary: fc.tuple(vsPpn(p), vsLeafFlags).map(([n, f]) => pte(n, f)) },
);
const gLeaf = (p: number): Arbitrary<number> => fc.oneof(
  { weight: INFRA.includes(p) ? 12 : 0, arbitrary: fc.constant(pte(0x80000 + p, V | U | R | W | A | D)) },
  { weight: p === XPAGE ? 4 : 0, arbitrary: fc.constantFrom(V | U | X | A, V | U | X | A, V | U | X | A, V | U | R | X | A, V | U | R | A).map((f) => pte(0x80000 + p, f)) },
  { weight: 1, arbitrary: fc.tuple(gPpn(p), gLeafFlags).map(([n, f]) => pte(n, f)) },
);
/**
 * The code page's VS leaf (VS-mode fetch: X, A, U = 0) and G leaf (U, X, A): never writable (no
 * store may rewrite the program), sometimes without A, X or with the wrong U.
 */
const vsCodeLeaf: Arbitrary<number> = fc.oneof(
  { weight: 16, arbitrary: fc.constant(V | R | X | A) },
  { weight: 4, arbitrary: fc.constantFrom(V | X | A, V | R | X | A | D, V | R | X | A | 0x300) },
  { weight: 1, arbitrary: fc.constantFrom(V | R | X, V | R | A, V | R | X | U | A, 0) },
).map((f) => pte(0x80000, f));
const gCodeLeaf: Arbitrary<number> = fc.oneof(
  { weight: 16, arbitrary: fc.constant(V | U | R | X | A) },
  { weight: 4, arbitrary: fc.constantFrom(V | U | X | A, V | U | R | X | A | D) },
  { weight: 1, arbitrary: fc.constantFrom(V | U | R | X, V | U | R | A, V | R | X | A, 0) },
).map((f) => pte(0x80000, f));
/** Data page p moved by `by` pages within the data pages (other pages stay). */
const rotated = (p: number, by: number): number => (DATA_P.includes(p) ? 0x20 + ((p - 0x20 + by) % 4) : p);
/**
 * Leaves of the second level-0 tables: the data pages rotated (VS by two, G by one) with random
 * flags, so that switching vsatp or hgatp to the second root moves every data page.
 */
const vsLeafB = (p: number): Arbitrary<number> => (DATA_P.includes(p) ? vsLeafFlags.map((f) => pte(0x80000 + rotated(p, 2), f)) : vsLeaf(p));
const gLeafB = (p: number): Arbitrary<number> => (DATA_P.includes(p) ? gLeafFlags.map((f) => pte(0x80000 + rotated(p, 1), f)) : gLeaf(p));
/** A level-0 table: entry p for every p of P. */
const table = (leaf: (p: number) => Arbitrary<number>, code: Arbitrary<number>): Arbitrary<number[]> =>
  fc.tuple(code, ...P.slice(1).map(leaf));

/** VS root entries: 0x200 (the code and tables) and 0x201 (the VU code alias). */
const vsRoot200: Arbitrary<number> = fc.oneof(
  { weight: 4, arbitrary: fc.constant(ptr(VS_L0)) },
  { weight: 1, arbitrary: fc.constant(ptr(VS_L0B)) },
  { weight: 1, arbitrary: fc.constant(pte(0x80000, V | R | W | X | A | D)) },
);
const vsRoot201 = (pointer: number): Arbitrary<number> => fc.oneof(
  { weight: 6, arbitrary: fc.constant(pte(0x80000, V | U | R | W | X | A | D)) },
  { weight: 4, arbitrary: fc.constant(pte(0x80400, V | U | R | W | X | A | D)) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(0x80000, 0x80400), vsLeafFlags).map(([n, f]) => pte(n, f | X)) },
  // A pointer to the second level-0 table (whose code leaf has U = 0: VU-mode cannot fetch through it).
  { weight: pointer, arbitrary: fc.constant(ptr(VS_L0B)) },
);
/** G root entries: 0x200 (guest physical 0x80000000..) and 0x201 (the megapage at guest physical 0x80400000). */
const gRoot200: Arbitrary<number> = fc.oneof(
  { weight: 4, arbitrary: fc.constant(ptr(G_L0)) },
  { weight: 1, arbitrary: fc.constant(ptr(G_L0B)) },
  { weight: 1, arbitrary: fc.constant(pte(0x80000, V | U | R | W | X | A | D)) },
);
const gRoot201: Arbitrary<number> = fc.oneof(
  { weight: 3, arbitrary: fc.constant(pte(0x80000, V | U | R | W | X | A | D)) },
  { weight: 1, arbitrary: gLeafFlags.map((f) => pte(0x80000, f)) },
  { weight: 1, arbitrary: fc.constant(ptr(G_L0)) },
  { weight: 1, arbitrary: fc.constant(0) },
);
/** Values the PTE stores write: level-0 leaves (x10-x12, x14), code leaves (x13, x15), root entries 0x200 (x16, x25; mostly usable, rarely junk). */
const vsPteValue: Arbitrary<number> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...NOT_CODE).chain(vsLeaf) },
  { weight: 1, arbitrary: fc.constant(0) },
);
const gPteValue: Arbitrary<number> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...NOT_CODE).chain(gLeaf) },
  { weight: 1, arbitrary: fc.constant(0) },
);
const vsRootValue: Arbitrary<number> = fc.oneof({ weight: 12, arbitrary: vsRoot200 }, { weight: 1, arbitrary: fc.constantFrom(0, pte(0x80011, V | R | W | A | D)) });
const gRootValue: Arbitrary<number> = fc.oneof({ weight: 12, arbitrary: gRoot200 }, { weight: 1, arbitrary: fc.constantFrom(0, pte(0x80012, V | U | R | W | A | D)) });
const sumMxr: Arbitrary<number> = fc.constantFrom(0, MSTATUS_SUM, MSTATUS_MXR, MSTATUS_SUM | MSTATUS_MXR);

export const worldArb: Arbitrary<World> = fc.record({
  vsL0: table(vsLeaf, vsCodeLeaf), vsL0b: table(vsLeafB, vsCodeLeaf),
  gL0: table(gLeaf, gCodeLeaf), gL0b: table(gLeafB, gCodeLeaf),
  hsFlags: fc.array(vsLeafFlags, { minLength: P.length, maxLength: P.length }),
  vsRoot: fc.tuple(vsRoot200, vsRoot201(0)), vsRootB: fc.tuple(fc.constant(ptr(VS_L0B)), vsRoot201(3)),
  gRoot: fc.tuple(gRoot200, gRoot201), gRootB: fc.tuple(fc.constant(ptr(G_L0B)), gRoot201),
  vsPtes: fc.array(vsPteValue, { minLength: 3, maxLength: 3 }), gPte: gPteValue, vsCode: vsCodeLeaf, gCode: gCodeLeaf,
  vsRootValue, gRootValue,
  // The alternative vsatp / hgatp: mostly the second root (data pages moved), else Bare or another ASID / VMID.
  vsatpAlt: fc.oneof({ weight: 6, arbitrary: fc.constant((SV32 | (VS_ROOTB >>> 12)) >>> 0) }, { weight: 1, arbitrary: fc.constantFrom(0, (SV32 | (3 << 22) | (VS_ROOT >>> 12)) >>> 0) }),
  hgatpAlt: fc.oneof({ weight: 6, arbitrary: fc.constant((SV32 | (G_ROOTB >>> 12)) >>> 0) }, { weight: 1, arbitrary: fc.constantFrom(0, (SV32 | (5 << 22) | (G_ROOT >>> 12)) >>> 0) }),
  vmid: fc.constantFrom(0, 0, 1 << 22),
  satp: fc.constantFrom(0, (SV32 | (HS_ROOT >>> 12)) >>> 0),
  mSumMxr: sumMxr, vsSumMxr: sumMxr, regSumMxr: fc.constantFrom(MSTATUS_MXR, MSTATUS_SUM | MSTATUS_MXR),
  spvp: fc.boolean(),
  // PMP entry 0: all of memory, or one page (mostly a data page) with R, RW, RX, RWX, X or nothing (entry 1 then allows everything).
  pmpPage: fc.option(fc.tuple(
    fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...DATA_P) }, { weight: 1, arbitrary: fc.constantFrom(...P) }),
    fc.constantFrom(1, 3, 5, 7, 4, 0),
  ), { freq: 2 }),
  harts: fc.constantFrom<1 | 2>(1, 1, 1, 2),
  adUpdate: fc.constantFrom<'hardware' | 'fault'>('hardware', 'fault'),
  misaligned: fc.constantFrom<'perform' | 'trap'>('perform', 'trap'),
}).map((r): World => {
  const words = new Map<number, number>();
  const fill = (base: number, entries: readonly number[]): void => { P.forEach((p, i) => words.set(base + 4 * p, entries[i]!)); };
  fill(VS_L0, r.vsL0); fill(VS_L0B, r.vsL0b); fill(G_L0, r.gL0); fill(G_L0B, r.gL0b);
  // The HS tables: the data pages rotated by one (so V = 0 and V = 1 disagree), the rest identical.
  fill(HS_L0, P.map((p, i) => pte(0x80000 + rotated(p, 1), r.hsFlags[i]!)));
  words.set(HS_ROOT + 4 * 0x200, ptr(HS_L0));
  for (const [root, [e200, e201]] of [[VS_ROOT, r.vsRoot], [VS_ROOTB, r.vsRootB], [G_ROOT, r.gRoot], [G_ROOTB, r.gRootB]] as const) {
    words.set(root + 4 * 0x200, e200);
    words.set(root + 4 * 0x201, e201);
  }
  // Distinct words (page k, offset o) where the data registers point, so that reading another page shows.
  DATA.forEach((d, k) => {
    for (let o = 0; o < 0x40; o += 4) words.set(d + o, (0x01010101 * (k + 1) + o * 0x10001) >>> 0);
    for (let o = 0xfc0; o < 0x1000; o += 4) words.set(d + o, (0xa0b0c0d0 + (k << 24) + o) >>> 0);
  });
  const vsatp = (SV32 | (VS_ROOT >>> 12)) >>> 0;
  const hgatp = (SV32 | r.vmid | (G_ROOT >>> 12)) >>> 0;
  const regs: Record<number, number> = {
    1: r.vsatpAlt, 2: r.hgatpAlt, 3: 0x1800, 4: RAM,
    5: DATA[0]! + 0x10, 6: DATA[1]! + 0xffc, 7: 0x800, 8: (DATA[3]! + 0x10 + VU_ALIAS) >>> 0, 9: VS_L0,
    10: r.vsPtes[0]!, 11: r.vsPtes[1]!, 12: r.vsPtes[2]!, 13: r.vsCode, 14: r.gPte, 15: r.gCode,
    16: r.vsRootValue, 17: r.regSumMxr, 18: VS_ROOT + 0x800, 19: VS_L0B,
    20: 0x12345678, 21: 5, 22: DATA[2]! + 0x20, 23: D,
    24: G_L0, 25: r.gRootValue, 26: G_ROOT + 0x800, 27: vsatp, 28: hgatp, 29: TO_M_MASK,
  };
  const napot = (p: number): number => (((page(p) >>> 2) | 0x1ff) >>> 0);
  const pmpcfg: [number, number] = r.pmpPage === null ? [0x1f, 0] : [0x18 | r.pmpPage[1], 0x1f];
  const pmpaddr: [number, number] = r.pmpPage === null ? [0xffffffff, 0] : [napot(r.pmpPage[0]), 0xffffffff];
  return {
    words, regs: Object.fromEntries(Object.entries(regs).map(([k, v]) => [k, v | 0])),
    mstatus: r.mSumMxr, vsstatus: r.vsSumMxr, hstatus: r.spvp ? HSTATUS_SPVP : 0,
    satp: r.satp, vsatp, hgatp, pmpcfg, pmpaddr,
    harts: r.harts, adUpdate: r.adUpdate, misaligned: r.misaligned,
  };
});

// ---------------------------------------------------------------------------------------------
// Programs.

const reg = (lo: number, hi: number): Arbitrary<number> => fc.integer({ min: lo, max: hi });
const from = <T>(...xs: T[]): Arbitrary<T> => fc.constantFrom(...xs);
const one = (a: Arbitrary<Inst>): Arbitrary<Inst[]> => a.map((i) => [i]);
const CSR = { sstatus: 0x100, sepc: 0x141, satp: 0x180, vsstatus: 0x200, vsatp: 0x280, mstatus: 0x300, mstatush: 0x310, mepc: 0x341, mcause: 0x342, pmpcfg0: 0x3a0, hstatus: 0x600, hgatp: 0x680 } as const;
const csrw = (csr: number, rs1: number): Inst => ({ op: 'csrrw', rd: 0, rs1, csr });

const dataLoad = one(fc.record({ op: from('lw' as const, 'lh' as const, 'lhu' as const, 'lb' as const, 'lbu' as const), rd: reg(20, 21), rs1: from(5, 6, 8, 22), imm: fc.integer({ min: -8, max: 8 }) }));
const dataStore = one(fc.record({ op: from('sw' as const, 'sh' as const, 'sb' as const), rs1: from(5, 6, 8, 22), rs2: reg(20, 23), imm: fc.integer({ min: -8, max: 8 }) }));
/** An entry of a level-0 table other than the code page's: mostly the data pages. */
const entryOffset: Arbitrary<number> = fc.oneof({ weight: 6, arbitrary: from(...DATA_P) }, { weight: 1, arbitrary: from(...NOT_CODE) }).map((p) => 4 * p);
/**
 * PTE stores: leaves of the VS level-0 tables (x9, x19) and of the G level-0 table (x24), the code
 * page's leaves (entry 0: a variant of the usual code leaf, or a broken one), and root entry 0x200 of
 * the VS root (x18) and of the G root (x26).
 */
const vsPteStore = one(fc.record({ op: fc.constant('sw' as const), rs1: from(9, 9, 19), rs2: reg(10, 12), imm: entryOffset }));
const gPteStore = one(fc.record({ op: fc.constant('sw' as const), rs1: fc.constant(24), rs2: fc.constant(14), imm: entryOffset }));
const codePteStore = one(from<Inst>({ op: 'sw', rs1: 9, rs2: 13, imm: 0 }, { op: 'sw', rs1: 19, rs2: 13, imm: 0 }, { op: 'sw', rs1: 24, rs2: 15, imm: 0 }));
const rootStore = one(from<Inst>({ op: 'sw', rs1: 18, rs2: 16, imm: 0 }, { op: 'sw', rs1: 26, rs2: 25, imm: 0 }));
const zero = { aq: 0, rl: 0 } as const;
/** AMOs and LR/SC on data, and on PTEs: set D (x23), swap in a code leaf, add zero (a store of the same value). */
const atomic: Arbitrary<Inst[]> = fc.oneof(
  one(fc.record({ op: from('amoswap.w' as const, 'amoor.w' as const, 'amoand.w' as const, 'amoadd.w' as const), rd: reg(20, 21), rs1: from(5, 6, 22), rs2: reg(20, 23), aq: fc.constant(0), rl: fc.constant(0) })),
  one(fc.record({ op: fc.constant('lr.w' as const), rd: reg(20, 21), rs1: from(5, 6, 22, 9, 24), aq: fc.constant(0), rl: fc.constant(0) })),
  one(fc.record({ op: fc.constant('sc.w' as const), rd: reg(20, 21), rs1: from(5, 6, 22), rs2: reg(20, 23), aq: fc.constant(0), rl: fc.constant(0) })),
  one(from<Inst>(
    { op: 'amoor.w', rd: 20, rs1: 9, rs2: 23, ...zero }, { op: 'amoor.w', rd: 20, rs1: 24, rs2: 23, ...zero }, { op: 'amoor.w', rd: 21, rs1: 19, rs2: 23, ...zero },
    { op: 'amoswap.w', rd: 21, rs1: 9, rs2: 13, ...zero }, { op: 'amoswap.w', rd: 21, rs1: 24, rs2: 15, ...zero },
    { op: 'amoadd.w', rd: 20, rs1: 9, rs2: 0, ...zero }, { op: 'amoadd.w', rd: 21, rs1: 24, rs2: 0, ...zero },
    { op: 'sc.w', rd: 20, rs1: 9, rs2: 13, ...zero }, { op: 'sc.w', rd: 21, rs1: 24, rs2: 15, ...zero },
  )),
);
const fence = one(from<Inst>({ op: 'sfence.vma', rs1: 0, rs2: 0 }, { op: 'hfence.vvma', rs1: 0, rs2: 0 }, { op: 'hfence.gvma', rs1: 0, rs2: 0 }));
/** CSR writes that change a V = 1 translation, from M-mode. */
const mCsr: Arbitrary<Inst[]> = fc.oneof(
  { weight: 3, arbitrary: from(1, 27).map((r) => [csrw(CSR.vsatp, r)]) },
  { weight: 3, arbitrary: from(2, 28).map((r) => [csrw(CSR.hgatp, r)]) },
  { weight: 5, arbitrary: fc.record({ op: from('csrrs' as const, 'csrrc' as const), rd: fc.constant(0), rs1: fc.constant(17), csr: from(CSR.vsstatus, CSR.mstatus, CSR.sstatus) }).map((i) => [i]) },
  // pmpcfg0 entry 0: R, W, X, all three, or A (off / NAPOT) set or cleared.
  { weight: 3, arbitrary: fc.record({ op: from('csrrsi' as const, 'csrrci' as const), rd: fc.constant(0), uimm: from(1, 2, 4, 7, 0x18), csr: fc.constant(CSR.pmpcfg0) }).map((i) => [i]) },
  { weight: 1, arbitrary: from(27, 0).map((r) => [csrw(CSR.satp, r)]) },
  // hstatus.SPVP, mstatus.MPRV, mstatush.MPV set or cleared; MPP := U or MPP |= S.
  { weight: 2, arbitrary: from('csrrs' as const, 'csrrc' as const).map((op): Inst[] => [{ op: 'addi', rd: 31, rs1: 0, imm: 0x100 }, { op, rd: 0, rs1: 31, csr: CSR.hstatus }]) },
  { weight: 2, arbitrary: from('csrrs' as const, 'csrrc' as const).map((op): Inst[] => [{ op: 'lui', rd: 31, imm: 0x20000 }, { op, rd: 0, rs1: 31, csr: CSR.mstatus }]) },
  { weight: 1, arbitrary: from('csrrs' as const, 'csrrc' as const).map((op): Inst[] => [{ op: 'addi', rd: 31, rs1: 0, imm: 0x80 }, { op, rd: 0, rs1: 31, csr: CSR.mstatush }]) },
  { weight: 1, arbitrary: from<Inst[]>([{ op: 'csrrc', rd: 0, rs1: 3, csr: CSR.mstatus }], [{ op: 'csrrs', rd: 0, rs1: 7, csr: CSR.mstatus }]) },
);
/**
 * M-mode loads and stores with MPRV = 1 (until the next MRET clears it): MPV := 0 or 1 and MPP |= S
 * first, so the accesses translate as HS-mode (satp) or as VS-mode (two-stage), then 1-3 accesses.
 */
const mprvAccesses: Arbitrary<Inst[]> = fc.tuple(
  from('csrrc' as const, 'csrrs' as const), fc.array(fc.oneof(dataLoad, dataLoad, dataStore), { minLength: 1, maxLength: 3 }),
).map(([op, accs]): Inst[] => [
  { op: 'addi', rd: 31, rs1: 0, imm: 0x80 }, { op, rd: 0, rs1: 31, csr: CSR.mstatush },
  { op: 'csrrs', rd: 0, rs1: 7, csr: CSR.mstatus }, { op: 'lui', rd: 31, imm: 0x20000 }, { op: 'csrrs', rd: 0, rs1: 31, csr: CSR.mstatus },
  ...accs.flat(),
]);
/** HLV/HLVX/HSV (M-mode: a V = 1 access at privilege SPVP). */
const hyper: Arbitrary<Inst[]> = fc.oneof(
  { weight: 3, arbitrary: one(fc.record({ op: from('hlv.w' as const, 'hlv.b' as const, 'hlv.bu' as const, 'hlv.h' as const, 'hlv.hu' as const), rd: reg(20, 21), rs1: from(5, 6, 8, 22, 22, 9, 18, 24) })) },
  { weight: 3, arbitrary: one(fc.record({ op: from('hlvx.wu' as const, 'hlvx.hu' as const), rd: reg(20, 21), rs1: from(5, 6, 8, 22, 22, 9, 18, 24) })) },
  { weight: 2, arbitrary: one(fc.record({ op: from('hsv.w' as const, 'hsv.h' as const, 'hsv.b' as const), rs1: from(5, 6, 8, 22), rs2: reg(20, 23) })) },
  // Through the guest's own mappings of the page tables: code leaves, VS root entry 0x200, G root entry 0x200.
  { weight: 1, arbitrary: one(from<Inst>({ op: 'hsv.w', rs1: 9, rs2: 13 }, { op: 'hsv.w', rs1: 24, rs2: 15 }, { op: 'hsv.w', rs1: 18, rs2: 16 }, { op: 'hsv.w', rs1: 26, rs2: 25 })) },
);
/** In VS/VU-mode: satp (vsatp) and sstatus (vsstatus) writes; the M-only ones trap (virtual instruction) and are skipped. */
const vCsr: Arbitrary<Inst[]> = fc.oneof(
  { weight: 2, arbitrary: from(1, 27).map((r) => [csrw(CSR.satp, r)]) },
  { weight: 3, arbitrary: from('csrrs' as const, 'csrrc' as const).map((op): Inst[] => [{ op, rd: 0, rs1: 17, csr: CSR.sstatus }]) },
);

export const mAtom: Arbitrary<Inst[]> = fc.oneof(
  { weight: 2, arbitrary: dataLoad }, { weight: 2, arbitrary: dataStore },
  { weight: 2, arbitrary: vsPteStore }, { weight: 2, arbitrary: gPteStore }, { weight: 1, arbitrary: codePteStore }, { weight: 1, arbitrary: rootStore },
  { weight: 1, arbitrary: atomic }, { weight: 10, arbitrary: mCsr }, { weight: 4, arbitrary: hyper }, { weight: 2, arbitrary: mprvAccesses }, { weight: 1, arbitrary: fence },
);
/** Guest instructions; VS-mode also writes vsatp and vsstatus (in VU-mode those would trap). */
export const vAtom = (mode: 'VS' | 'VU'): Arbitrary<Inst[]> => fc.oneof(
  { weight: 8, arbitrary: dataLoad }, { weight: 4, arbitrary: dataStore },
  { weight: 2, arbitrary: vsPteStore }, { weight: 2, arbitrary: gPteStore }, { weight: 1, arbitrary: codePteStore }, { weight: 1, arbitrary: rootStore },
  { weight: 1, arbitrary: atomic }, { weight: mode === 'VS' ? 2 : 0, arbitrary: vCsr }, { weight: mode === 'VS' ? 1 : 0, arbitrary: fence },
);

/**
 * From M-mode into VS (MPP = S) or VU (MPP = U, at the code's alias) with MPV = 1, continuing after
 * the MRET; x4 := the address after the guest part of `n` instructions and its ECALL.
 */
export function enterV(mode: 'VS' | 'VU', n: number): Inst[] {
  return [
    { op: 'csrrc', rd: 0, rs1: 3, csr: CSR.mstatus },
    ...(mode === 'VS' ? [{ op: 'csrrs', rd: 0, rs1: 7, csr: CSR.mstatus }] as Inst[] : []),
    { op: 'addi', rd: 31, rs1: 0, imm: 0x80 }, { op: 'csrrs', rd: 0, rs1: 31, csr: CSR.mstatush },
    { op: 'auipc', rd: 4, imm: 0 }, { op: 'addi', rd: 4, rs1: 4, imm: 24 + 4 * (n + 1) },
    { op: 'auipc', rd: 31, imm: mode === 'VU' ? VU_ALIAS : 0 }, { op: 'addi', rd: 31, rs1: 31, imm: 16 },
    { op: 'csrrw', rd: 0, rs1: 31, csr: CSR.mepc }, { op: 'mret' },
  ];
}

/** The M-mode trap handler at HANDLER (see the file comment). */
export const HANDLER_CODE: readonly Inst[] = [
  { op: 'csrrs', rd: 30, rs1: 0, csr: CSR.mcause },
  { op: 'srl', rd: 30, rs1: 29, rs2: 30 },
  { op: 'andi', rd: 30, rs1: 30, imm: 1 },
  { op: 'bne', rs1: 30, rs2: 0, imm: 20 },
  { op: 'csrrs', rd: 31, rs1: 0, csr: CSR.mepc },
  { op: 'addi', rd: 31, rs1: 31, imm: 4 },
  { op: 'csrrw', rd: 0, rs1: 31, csr: CSR.mepc },
  { op: 'mret' },
  { op: 'jalr', rd: 0, rs1: 4, imm: 0 },
];
/** The VS-mode trap handler at VS_HANDLER: skip the instruction (sepc is vsepc with V = 1). */
export const VS_HANDLER_CODE: readonly Inst[] = [
  { op: 'csrrs', rd: 31, rs1: 0, csr: CSR.sepc },
  { op: 'addi', rd: 31, rs1: 31, imm: 4 },
  { op: 'csrrw', rd: 0, rs1: 31, csr: CSR.sepc },
  { op: 'sret' },
];

/**
 * A change of the V = 1 translation context between two guest phases (so that what the previous
 * phase cached meets a different context): vsatp or hgatp to the other value, HS-level or VS-level
 * SUM/MXR set or cleared, a PMP permission toggled, hstatus.SPVP toggled — or nothing.
 */
const contextSwitch: Arbitrary<Inst[]> = fc.oneof(
  { weight: 3, arbitrary: from(1, 27).map((r) => [csrw(CSR.vsatp, r)]) },
  { weight: 3, arbitrary: from(2, 28).map((r) => [csrw(CSR.hgatp, r)]) },
  { weight: 5, arbitrary: fc.record({ op: from('csrrs' as const, 'csrrc' as const), rd: fc.constant(0), rs1: fc.constant(17), csr: fc.constant(CSR.mstatus) }).map((i) => [i]) },
  { weight: 2, arbitrary: fc.record({ op: from('csrrs' as const, 'csrrc' as const), rd: fc.constant(0), rs1: fc.constant(17), csr: fc.constant(CSR.vsstatus) }).map((i) => [i]) },
  { weight: 2, arbitrary: fc.record({ op: from('csrrsi' as const, 'csrrci' as const), rd: fc.constant(0), uimm: from(1, 2, 4, 7), csr: fc.constant(CSR.pmpcfg0) }).map((i) => [i]) },
  { weight: 1, arbitrary: from('csrrs' as const, 'csrrc' as const).map((op): Inst[] => [{ op: 'addi', rd: 31, rs1: 0, imm: 0x100 }, { op, rd: 0, rs1: 31, csr: CSR.hstatus }]) },
  { weight: 3, arbitrary: fc.constant<Inst[]>([]) },
);
/**
 * Data accesses at both ends of a guest part: the last ones fill the cache, the first ones of the
 * next phase meet what it kept. Loads from the execute-mostly page (x22) are frequent.
 */
const xLoad = one(fc.record({ op: from('lw' as const, 'lhu' as const), rd: reg(20, 21), rs1: fc.constant(22), imm: from(0, 4) }));
const probes: Arbitrary<Inst[][]> = fc.tuple(xLoad, fc.array(fc.oneof(dataLoad, dataLoad, dataStore), { maxLength: 2 }), fc.nat())
  .map(([x, others, at]) => { const r = [...others]; r.splice(at % (others.length + 1), 0, x); return r; });

/**
 * HLV/HLVX/HSV right after a guest part (so they meet the guest's cached translations), after
 * setting or clearing hstatus.SPVP (the privilege they translate at) or leaving it.
 */
const hyperProbes: Arbitrary<Inst[][]> = fc.tuple(
  fc.constantFrom<Array<'csrrs' | 'csrrc'>>([], ['csrrs'], ['csrrc']),
  fc.array(hyper, { minLength: 1, maxLength: 2 }),
).map(([spvp, hs]) => [...spvp.map((op): Inst[] => [{ op: 'addi', rd: 31, rs1: 0, imm: 0x100 }, { op, rd: 0, rs1: 31, csr: CSR.hstatus }]), ...hs]);

/** A phase: M-mode instructions (maybe starting with HLV/HLVX/HSV), a context switch, then a guest part in VS- or VU-mode ended by an ECALL. */
export interface Phase { m: Inst[][]; sw: Inst[]; mode: 'VS' | 'VU'; v: Inst[][] }
export const phaseArb = (mode: Arbitrary<'VS' | 'VU'>): Arbitrary<Phase> => fc.record({
  m: fc.tuple(fc.oneof(hyperProbes, fc.constant([])), fc.array(mAtom, { minLength: 0, maxLength: 3 })).map(([a, b]) => [...a, ...b]),
  sw: contextSwitch,
  mode,
}).chain((p) => fc.tuple(probes, fc.array(vAtom(p.mode), { minLength: 2, maxLength: 16 }), probes).map(([a, v, b]) => ({ ...p, v: [...a, ...v, ...b] })));
/** 2-4 phases, all in VS-mode, all in VU-mode (so that one phase's cached translations are keyed like the next one's), or mixed. */
export const programArb: Arbitrary<Phase[]> = fc.constantFrom<Array<'VS' | 'VU'>>(['VS'], ['VU'], ['VS', 'VU'])
  .chain((modes) => fc.array(phaseArb(fc.constantFrom(...modes)), { minLength: 2, maxLength: 4 }));

/** The program's words at 0x80000000: each phase's M-mode part, the switch into V = 1, the guest part and an ECALL; then a jump back to the start. */
export function programWords(phases: readonly Phase[]): number[] {
  const insts: Inst[] = [];
  for (const ph of phases) {
    const guest = ph.v.flat();
    insts.push(...ph.m.flat(), ...ph.sw, ...enterV(ph.mode, guest.length), ...guest, { op: 'ecall' });
  }
  insts.push({ op: 'jal', rd: 0, imm: -4 * insts.length });
  const words = insts.map(enc);
  if (4 * words.length > HANDLER - RAM) throw new Error('program overlaps the trap handler');
  return words;
}

/** The machine: program and handler in RAM, the world's tables, data, registers and CSRs on every hart. */
export function hextMachine(w: World, words: readonly number[]): Machine {
  const config: Config = { ...DEFAULT_CONFIG, isa: H_ISA, harts: w.harts, adUpdate: w.adUpdate, misaligned: w.misaligned };
  const handler = HANDLER_CODE.map(enc);
  const image = [
    ...words, ...new Array<number>((HANDLER - RAM) / 4 - words.length).fill(0),
    ...handler, ...new Array<number>((VS_HANDLER - HANDLER) / 4 - handler.length).fill(0), ...VS_HANDLER_CODE.map(enc),
  ];
  const m = machineFromWords(image, {}, config);
  let mem = m.mem;
  for (const [a, v] of w.words) mem = withBytes(mem, a, Uint8Array.of(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, v >>> 24));
  const pmpcfg = [...m.harts[0]!.csr.pmpcfg], pmpaddr = [...m.harts[0]!.csr.pmpaddr];
  [pmpcfg[0], pmpcfg[1]] = w.pmpcfg;
  [pmpaddr[0], pmpaddr[1]] = w.pmpaddr;
  for (const h of m.harts) {
    for (const [r, v] of Object.entries(w.regs)) h.x[Number(r)] = v;
    Object.assign(h.csr, {
      mtvec: HANDLER, vstvec: VS_HANDLER, medeleg: TO_VS_MASK, hedeleg: TO_VS_MASK, mstatus: w.mstatus, vsstatus: w.vsstatus, hstatus: w.hstatus,
      satp: w.satp, vsatp: w.vsatp, hgatp: w.hgatp, pmpcfg, pmpaddr,
    });
  }
  return { ...m, mem };
}

/** The world, readably (for counterexamples). */
export function showWorld(w: World): string {
  const flags = (p: number): string => ([[V, 'V'], [R, 'R'], [W, 'W'], [X, 'X'], [U, 'U'], [A, 'A'], [D, 'D']] as const)
    .map(([b, c]) => ((p & b) !== 0 ? c : '.')).join('');
  const name = (a: number): string => {
    const pg = a - (a % 4096), i = (a % 4096) / 4;
    const t = ({ [VS_ROOT]: 'VS root', [VS_ROOTB]: 'VS root B', [VS_L0]: 'VS L0', [VS_L0B]: 'VS L0 B', [G_L0]: 'G L0', [G_L0B]: 'G L0 B', [HS_ROOT]: 'HS root', [HS_L0]: 'HS L0' } as Record<number, string>)[pg];
    if (t !== undefined) return `${t}[${hex(i)}]`;
    if (a >= G_ROOT && a < G_ROOT + 0x4000) return `G root[${hex((a - G_ROOT) / 4)}]`;
    if (a >= G_ROOTB && a < G_ROOTB + 0x4000) return `G root B[${hex((a - G_ROOTB) / 4)}]`;
    return 'data';
  };
  const lines = [
    `harts ${w.harts}, adUpdate ${w.adUpdate}, misaligned ${w.misaligned}`,
    `mstatus ${hex(w.mstatus)} vsstatus ${hex(w.vsstatus)} hstatus ${hex(w.hstatus)} satp ${hex(w.satp)} vsatp ${hex(w.vsatp)} hgatp ${hex(w.hgatp)}`,
    `pmpcfg0/1 ${w.pmpcfg.map(hex).join(' ')} pmpaddr0/1 ${w.pmpaddr.map(hex).join(' ')}`,
    `regs ${Object.entries(w.regs).map(([r, v]) => `x${r}=${hex(v)}`).join(' ')}`,
  ];
  for (const [a, v] of [...w.words].sort((x, y) => x[0] - y[0])) {
    const n = name(a);
    if (n !== 'data') lines.push(`  ${hex(a)} ${n}: ${hex(v)} (ppn ${hex(Math.floor(v / 1024))} ${flags(v)})`);
  }
  return lines.join('\n');
}

/** The program and the handler, disassembled. */
export const showProgram = (words: readonly number[]): string =>
  `${listing(words)}\nM-mode handler:\n${listing(HANDLER_CODE.map(enc), HANDLER)}\nVS-mode handler:\n${listing(VS_HANDLER_CODE.map(enc), VS_HANDLER)}`;
