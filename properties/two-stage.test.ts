/**
 * Two-stage address translation (spec/hypervisor-translation.md, HV-XLATE-*) against the
 * independent oracle in properties/oracles/two-stage.ts, which derives the G-stage space of hgatp
 * and the VS-stage space of vsatp separately from a random memory and composes them per query.
 * Random worlds: a 16 KiB Sv32x4 root with pointers, megapages (aligned and misaligned) and junk
 * in a few slots (including guest physical addresses above 4 GiB), second-level G tables, VS page
 * tables in guest memory reached through the G-stage — or not (unmapped, U=0, not readable,
 * behind PMP, outside RAM) — random R/W/X/U/G/A/D/RSW bits, reserved encodings, random
 * vsatp/hgatp modes and hgatp.PPN[1:0]; random accesses: r/w/x, VS or VU, SUM, both MXRs, HLVX,
 * and both A/D schemes in each stage.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Arbitrary } from 'fast-check';
import { walkSv32x4, type GWalkResult } from '../src/translation/sv32x4.js';
import {
  translateTwoStage, trapValues, faultCause, htvalOf, htinstOf, type TwoStageEnv, type TwoStageResult,
} from '../src/translation/two-stage.js';
import {
  deriveG, deriveVs, gMappings, gTranslate, translate, trapOf, vsMappings,
  A, D, G, R, U, V, W, X, type Acc, type Mem, type Outcome, type Query,
} from './oracles/two-stage.js';
import { runs } from './support/runs.js';

// --- The memory map (supervisor physical page numbers).

/** RAM: 8 MiB at 0x80000000. Everything else is a hole (PMA: no PTE reads, no A/D stores). */
const RAM_PPN = 0x80000, RAM_PAGES = 0x800;
/** The Sv32x4 root (4 pages, 16 KiB aligned) and the second-level G tables; 0x80006 is read-only. */
const G_ROOT = 0x80000;
const G_TABLES = [0x80004, 0x80005, 0x80006];
const RO_G = 0x80006;
/** A RAM page whose reads and writes PMP denies. */
const DENIED = 0x80008;
/** Guest memory: the 4 MiB at 0x80400000; its first 8 pages hold VS page tables; 0x80407 is read-only. */
const GUEST = 0x80400, GUEST_TABLES = 8;
const RO_GUEST = 0x80407;
const HOLE = 0x40000;
/** Guest-physical megapages (GPA bits 33:22) that the G root maps, some above 4 GiB. */
const GM = [0x000, 0x001, 0x200, 0x201, 0x2ff, 0xc00, 0xfff];

interface World {
  hgatp: number;
  vsatp: number;
  /** Supervisor physical address → word. */
  words: Map<number, number>;
  /** VS-stage VPN[1] and VPN[0] values the VS tables populate. */
  v1: number[];
  v0: number[];
}

const page = (pa: number): number => Math.floor(pa / 4096);
const inRam = (pa: number): boolean => page(pa) >= RAM_PPN && page(pa) < RAM_PPN + RAM_PAGES;
const memOf = (w: World): Mem => ({
  read: (pa) => (inRam(pa) && page(pa) !== DENIED ? (w.words.get(pa) ?? 0) : null),
  storeOk: (pa) => inRam(pa) && page(pa) !== DENIED && page(pa) !== RO_G && page(pa) !== RO_GUEST,
});

// --- Readable configurations.

const hex = (n: number): string => '0x' + n.toString(16);
const flags = (p: number): string => [[V, 'V'], [R, 'R'], [W, 'W'], [X, 'X'], [U, 'U'], [G, 'G'], [A, 'A'], [D, 'D']]
  .map(([b, c]) => ((p & (b as number)) !== 0 ? c : '.')).join('');
const pteStr = (p: number): string => `${hex(p >>> 0)} (ppn ${hex(Math.floor((p >>> 0) / 1024))} ${flags(p)}${(p >>> 8) & 3 ? ` rsw${(p >>> 8) & 3}` : ''})`;
function region(pa: number): string {
  const p = page(pa);
  if (p >= G_ROOT && p < G_ROOT + 4) return `G root[${hex((pa - G_ROOT * 4096) / 4)}]`;
  if (G_TABLES.includes(p)) return `G table ${hex(p)}[${(pa % 4096) / 4}]`;
  return `guest page ${hex(p)}[${(pa % 4096) / 4}]`;
}
function dumpWorld(w: World): string {
  const lines = [`hgatp ${hex(w.hgatp >>> 0)} (${w.hgatp >>> 31 ? 'Sv32x4' : 'Bare'}, PPN ${hex(w.hgatp & 0x3fffff)})`
    + `  vsatp ${hex(w.vsatp >>> 0)} (${w.vsatp >>> 31 ? 'Sv32' : 'Bare'}, PPN ${hex(w.vsatp & 0x3fffff)})`
    + `  VS vpn1 ${w.v1.map(hex).join(',')} vpn0 ${w.v0.map(hex).join(',')}`];
  for (const [pa, v] of [...w.words].sort((a, b) => a[0] - b[0])) lines.push(`  ${hex(pa)} ${region(pa)}: ${pteStr(v)}`);
  return lines.join('\n');
}

// --- Arbitraries.

/** Leaf flags: V with probability `v`%, U with `u`%; R/W/X mostly readable; random G, A, D, RSW. */
const flagBits = (v: number, u: number): Arbitrary<number> => fc.record({
  v: fc.integer({ min: 0, max: 99 }).map((n) => n < v),
  // R/W/X other than 0 (a pointer); 2 and 6 are the reserved W-without-R encodings.
  rwx: fc.oneof({ weight: 12, arbitrary: fc.constantFrom(1, 3, 3, 4, 5, 7, 7, 7) }, { weight: 1, arbitrary: fc.constantFrom(2, 6) }),
  u: fc.integer({ min: 0, max: 99 }).map((n) => n < u),
  g: fc.boolean(), a: fc.integer({ min: 0, max: 2 }).map((n) => n > 0), d: fc.boolean(), rsw: fc.integer({ min: 0, max: 3 }),
}).map((f) => ((f.v ? V : 0) | (f.rwx & 1 ? R : 0) | (f.rwx & 2 ? W : 0) | (f.rwx & 4 ? X : 0)
  | (f.u ? U : 0) | (f.g ? G : 0) | (f.a ? A : 0) | (f.d ? D : 0) | (f.rsw << 8)) >>> 0);
const gLeaf = (ppn: Arbitrary<number>): Arbitrary<number> =>
  fc.tuple(ppn, flagBits(96, 92)).map(([p, f]) => (p * 1024 + f) >>> 0);
const vsLeaf = (ppn: Arbitrary<number>): Arbitrary<number> =>
  fc.tuple(ppn, flagBits(92, 50)).map(([p, f]) => (p * 1024 + f) >>> 0);
/** A pointer: V, maybe G and RSW, and sometimes (1 in 16) the reserved D/A/U bits. */
const pointer = (ppn: Arbitrary<number>): Arbitrary<number> =>
  fc.tuple(ppn, fc.boolean(), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 63 }))
    .map(([p, g, rsw, res]) => (p * 1024 + V + (g ? G : 0) + (rsw << 8) + ([0, A, D, U, A | D][res] ?? 0)) >>> 0);
const junk: Arbitrary<number> = fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 0xffffffff }));

/** G-stage root PTEs: pointers to G tables (or outside RAM / behind PMP), megapages, junk. */
const gRootPte: Arbitrary<number> = fc.oneof(
  { weight: 10, arbitrary: pointer(fc.constantFrom(...G_TABLES)) },
  { weight: 1, arbitrary: pointer(fc.constantFrom(HOLE, DENIED)) },
  { weight: 2, arbitrary: gLeaf(fc.constant(GUEST)) }, // aligned megapage onto guest memory
  { weight: 1, arbitrary: gLeaf(fc.oneof(fc.constant(HOLE), fc.integer({ min: GUEST + 1, max: GUEST + 1023 }))) },
  { weight: 1, arbitrary: junk },
);
/** Second-level G PTEs: leaves onto guest memory (mostly the VS table pages), holes, PMP; junk. */
const gLevel0Pte: Arbitrary<number> = fc.oneof(
  { weight: 16, arbitrary: gLeaf(fc.integer({ min: GUEST, max: GUEST + GUEST_TABLES - 1 })) },
  { weight: 1, arbitrary: gLeaf(fc.oneof(fc.integer({ min: GUEST, max: GUEST + 1023 }), fc.constant(HOLE + 3), fc.constant(DENIED))) },
  { weight: 1, arbitrary: pointer(fc.constantFrom(...G_TABLES)) }, // a pointer at level 0
  { weight: 1, arbitrary: junk },
);
/** Guest-physical pages that the G tables may map: GM × 0..7, mostly in the backbone's megapages. */
const gpaPage: Arbitrary<number> = fc.tuple(
  fc.oneof({ weight: 4, arbitrary: fc.constantFrom(0x200, 0x201, 0xc00) }, { weight: 1, arbitrary: fc.constantFrom(...GM) }),
  fc.integer({ min: 0, max: GUEST_TABLES - 1 }),
).map(([m, k]) => m * 1024 + k);
/** VS PTEs: pointers and leaves to guest-physical pages of interest, megapages, junk. */
const vsPte: Arbitrary<number> = fc.oneof(
  { weight: 4, arbitrary: pointer(gpaPage) },
  { weight: 4, arbitrary: vsLeaf(fc.oneof({ weight: 3, arbitrary: gpaPage }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 0x3fffff }) })) },
  { weight: 2, arbitrary: vsLeaf(fc.constantFrom(...GM).map((m) => m * 1024)) },
  { weight: 1, arbitrary: vsLeaf(gpaPage.filter((p) => p % 1024 !== 0)) }, // misaligned megapage
  { weight: 1, arbitrary: junk },
);

/**
 * The G-stage backbone that random entries perturb (1 in 6): root[0x200] → G table 0x80004 (GPA
 * pages 0x80000000 + k → guest page k), root[0x201] → a megapage onto guest memory, root[0xc00]
 * (GPAs above 4 GiB) → G table 0x80005 (guest page 7 − k); clean leaves are U+RWX with random A/D.
 */
const cleanLeaf = (ppn: number): Arbitrary<number> => fc.integer({ min: 0, max: 127 })
  .map((r) => (ppn * 1024 + (V | R | W | X | U) + (r % 8 !== 0 ? A : 0) + (r & 8 ? D : 0) + (r & 16 ? G : 0) + ((r >>> 5) << 8)) >>> 0);
const cleanPointer = (ppn: number): Arbitrary<number> => fc.integer({ min: 0, max: 7 })
  .map((r) => (ppn * 1024 + V + (r & 1 ? G : 0) + ((r >>> 1) << 8)) >>> 0);
const perturb = (clean: Arbitrary<number>, random: Arbitrary<number>): Arbitrary<number> =>
  fc.oneof({ weight: 5, arbitrary: clean }, { weight: 1, arbitrary: random });
const gRootArb = (m: number): Arbitrary<number> =>
  m === 0x200 ? perturb(cleanPointer(G_TABLES[0]!), gRootPte)
    : m === 0x201 ? perturb(cleanLeaf(GUEST), gRootPte)
      : m === 0xc00 ? perturb(cleanPointer(G_TABLES[1]!), gRootPte)
        : gRootPte;
const gTableArb = (t: number): Arbitrary<number[]> => fc.tuple(...Array.from({ length: GUEST_TABLES }, (_, k) =>
  t === G_TABLES[0] ? perturb(cleanLeaf(GUEST + k), gLevel0Pte)
    : t === G_TABLES[1] ? perturb(cleanLeaf(GUEST + GUEST_TABLES - 1 - k), gLevel0Pte)
      : gLevel0Pte));

const world: Arbitrary<World> = fc.record({
  hgatpMode: fc.integer({ min: 0, max: 6 }).map((n) => n > 0),
  hgatpPpn: fc.oneof({ weight: 15, arbitrary: fc.integer({ min: 0, max: 3 }).map((lo) => G_ROOT | lo) }, { weight: 1, arbitrary: fc.constant(HOLE) }),
  vmid: fc.integer({ min: 0, max: 0x7f }),
  vsatpMode: fc.integer({ min: 0, max: 6 }).map((n) => n > 0),
  vsRoot: gpaPage,
  asid: fc.integer({ min: 0, max: 0x1ff }),
  gRoot: fc.tuple(...GM.map(gRootArb)),
  gTables: fc.tuple(...G_TABLES.map(gTableArb)),
  v1: fc.uniqueArray(fc.integer({ min: 0, max: 1023 }), { minLength: 2, maxLength: 4 }),
  v0: fc.uniqueArray(fc.integer({ min: 0, max: 1023 }), { minLength: 2, maxLength: 4 }),
  vs: fc.array(fc.array(vsPte, { minLength: 8, maxLength: 8 }), { minLength: GUEST_TABLES, maxLength: GUEST_TABLES }),
}).map((c): World => {
  const words = new Map<number, number>();
  GM.forEach((m, j) => words.set(G_ROOT * 4096 + 4 * m, c.gRoot[j]!));
  G_TABLES.forEach((t, j) => c.gTables[j]!.forEach((p, k) => words.set(t * 4096 + 4 * k, p)));
  // VS tables: every guest table page holds PTEs at the VPN[1] and VPN[0] indices of interest.
  const idx = [...new Set([...c.v1, ...c.v0])];
  c.vs.forEach((ptes, pg) => idx.forEach((i, j) => words.set((GUEST + pg) * 4096 + 4 * i, ptes[j % ptes.length]!)));
  return {
    hgatp: ((c.hgatpMode ? 0x80000000 : 0) | (c.vmid << 22) | (c.hgatpMode ? c.hgatpPpn : 0)) >>> 0,
    vsatp: ((c.vsatpMode ? 0x80000000 : 0) | (c.asid << 22) | c.vsRoot) >>> 0,
    words, v1: c.v1, v0: c.v0,
  };
});

interface Q extends Query { acc: Acc; how: 'interest' | 'mapped' | 'any'; i: number; j: number; pick: number; off: number; any: number }
const queryArb: Arbitrary<Q> = fc.record({
  acc: fc.constantFrom<Acc>('r', 'w', 'x'), priv: fc.constantFrom<0 | 1>(0, 1),
  sum: fc.boolean(), vsMxr: fc.boolean(), mxr: fc.boolean(), hlvx: fc.integer({ min: 0, max: 3 }).map((n) => n === 0),
  vsAd: fc.constantFrom<'hardware' | 'fault'>('hardware', 'hardware', 'fault'), gAd: fc.constantFrom<'hardware' | 'fault'>('hardware', 'hardware', 'fault'),
  how: fc.constantFrom<Q['how']>('interest', 'interest', 'mapped', 'mapped', 'any'),
  i: fc.nat(), j: fc.nat(), pick: fc.nat(), off: fc.nat({ max: 2 ** 22 - 1 }), any: fc.integer({ min: 0, max: 0xffffffff }),
});

/** The query's guest virtual address: near the VS tables' populated slots, inside a mapping, or anywhere. */
function vaOf(w: World, q: Q, vsMaps: Array<[number, number]>, gMaps: Array<[number, number]>): number {
  if (q.how === 'mapped') {
    // VS-stage Bare: the guest virtual address is a guest physical one; take a G mapping below 4 GiB.
    const maps = (w.vsatp >>> 31) !== 0 ? vsMaps : gMaps.filter(([b]) => b < 2 ** 32);
    const m = maps[q.pick % Math.max(1, maps.length)];
    if (m !== undefined) return (m[0] + (q.off % m[1])) >>> 0;
  }
  if (q.how === 'any') return q.any >>> 0;
  return ((w.v1[q.i % w.v1.length]! << 22) | (w.v0[q.j % w.v0.length]! << 12) | (q.off & 0xfff)) >>> 0;
}

// --- Comparable shapes.

function normTwo(r: TwoStageResult | Outcome, acc: Acc, va: number, trap: typeof trapValues): string {
  const ups = r.updates.map((u) => `${u.stage}@${hex(u.pa)}←${hex(u.value >>> 0)}`).join(' ') || 'none';
  if (r.ok) return `ok pa ${hex(r.pa)} gpa ${hex(r.gpa)} updates ${ups}`;
  const f = r.fault;
  const t = trap(f, acc, va);
  const detail = f.kind === 'guest-page' ? ` gpa ${hex(f.gpa)} ${f.implicit ? `implicit ${f.write ? 'write' : 'read'}` : 'explicit'}` : '';
  return `${f.kind} fault (stage ${f.stage}${detail}) cause ${t.cause} tval ${hex(t.tval)} htval ${hex(t.tval2)} htinst ${hex(t.tinst)} gva ${+t.gva} updates ${ups}`;
}

const envOf = (w: World, q: Query): TwoStageEnv => {
  const mem = memOf(w);
  return {
    vsatp: w.vsatp, hgatp: w.hgatp, priv: q.priv, sum: q.sum, vsMxr: q.vsMxr, mxr: q.mxr, hlvx: q.hlvx,
    vsAd: q.vsAd, gAd: q.gAd, readPte: mem.read, storePteOk: mem.storeOk,
  };
};
const qStr = (va: number, acc: Acc, q: Query): string =>
  `va ${hex(va)} ${q.hlvx && acc === 'r' ? 'HLVX read' : acc} from ${q.priv ? 'VS' : 'VU'} vsstatus.SUM=${+q.sum} vsstatus.MXR=${+q.vsMxr} MXR=${+q.mxr} A/D vs=${q.vsAd} g=${q.gAd}`;

describe('G-stage (walkSv32x4) against the oracle', () => {
  it('HV-XLATE-1: every guest physical address, access, MXR/HLVX and A/D scheme agrees with the derived G space', () => {
    // Falsified by a GPA (up to 34 bits) and access for which walkSv32x4 and the oracle's G space
    // disagree on guest-page fault / access fault / supervisor physical address / the leaf's A/D
    // update: a U=0 leaf that is accepted, hgatp.PPN[1:0] taking part in the root address, a
    // misaligned megapage, a reserved encoding, or the wrong root index for GPA bits 33:22.
    const gq = fc.record({
      pick: fc.nat(), off: fc.nat({ max: 2 ** 22 - 1 }), m: fc.constantFrom(...GM), k: fc.nat({ max: 1023 }),
      mapped: fc.boolean(), acc: fc.constantFrom<Acc>('r', 'w', 'x'), mxr: fc.boolean(), hlvx: fc.boolean(),
      ad: fc.constantFrom<'hardware' | 'fault'>('hardware', 'fault'),
    });
    fc.assert(fc.property(world, fc.array(gq, { minLength: 1, maxLength: 24 }), (w, qs) => {
      const mem = memOf(w);
      const g = deriveG(w.hgatp, mem);
      const maps = gMappings(g);
      for (const q of qs) {
        const m = maps[q.pick % Math.max(1, maps.length)];
        const gpa = q.mapped && m !== undefined ? m[0] + (q.off % m[1]) : q.m * 2 ** 22 + (q.k % 8) * 4096 + (q.off % 4096);
        const hlvx = q.hlvx && q.acc === 'r';
        const want = gTranslate(g, mem, gpa, { acc: q.acc, mxr: q.mxr, hlvx }, q.ad);
        const got: GWalkResult = walkSv32x4({ hgatp: w.hgatp, mxr: q.mxr, hlvx, ad: q.ad, readPte: mem.read, storePteOk: mem.storeOk }, gpa, q.acc);
        const n1 = got.ok ? `pa ${hex(got.pa)} update ${got.update === null ? 'none' : `${hex(got.pteAddr!)}←${hex(got.update)}`}` : `${got.fault} fault`;
        const n2 = want.ok ? `pa ${hex(want.spa)} update ${want.update === null ? 'none' : `${hex(want.update.pa)}←${hex(want.update.value)}`}` : `${want.fault} fault`;
        expect(n1, `${dumpWorld(w)}\ngpa ${hex(gpa)} ${hlvx ? 'HLVX read' : q.acc} MXR=${+q.mxr} A/D=${q.ad}\noracle: ${n2}${want.ok ? '' : ` (${want.why})`}`).toBe(n2);
      }
    }), { numRuns: runs(150) });
  });
});

describe('two-stage translation (translateTwoStage) against the composed oracle', () => {
  it('HV-XLATE-2, HV-XLATE-3, HV-XLATE-4, HV-XLATE-5: address, fault, stage, cause, htval, htinst and A/D updates agree', () => {
    // Falsified by any configuration and access for which translateTwoStage and the oracle disagree
    // on: the supervisor physical or guest physical address; the fault kind (page / guest-page /
    // access), its stage, whether a guest-page fault was on an implicit PTE read or A/D store;
    // cause, tval, htval, htinst or GVA; or the ordered list of VS- and G-stage A/D updates
    // (including those made before a fault).
    const n = runs(250);
    const reached = new Set<string>();
    fc.assert(fc.property(world, fc.array(queryArb, { minLength: 1, maxLength: 24 }), (w, qs) => {
      const mem = memOf(w);
      const g = deriveG(w.hgatp, mem);
      const vs = deriveVs(w.vsatp, g, mem);
      const vsMaps = vsMappings(vs), gMaps = gMappings(g);
      for (const q of qs) {
        const va = vaOf(w, q, vsMaps, gMaps);
        const want = translate(vs, g, mem, va, q.acc, q);
        const got = translateTwoStage(envOf(w, q), va, q.acc);
        reached.add(want.ok ? (want.updates.some((u) => u.stage === 'vs') ? 'ok with a VS update' : 'ok')
          : want.fault.kind === 'guest-page' ? `guest-page ${want.fault.implicit ? 'implicit' : 'explicit'}` : want.fault.kind);
        expect(normTwo(got, q.acc, va, trapValues), `${dumpWorld(w)}\n${qStr(va, q.acc, q)}\noracle: ${normTwo(want, q.acc, va, trapOf)}${want.ok ? '' : ` (${want.why})`}`)
          .toBe(normTwo(want, q.acc, va, trapOf));
      }
    }), { numRuns: n });
    // Not vacuous: with the default number of runs, every class of outcome occurred.
    if (n >= 250) expect([...reached].sort()).toEqual(['access', 'guest-page explicit', 'guest-page implicit', 'ok', 'ok with a VS update', 'page']);
  });

  it('HV-XLATE-5: the permissions of every address (which of r, w, x, HLVX succeed) agree', () => {
    // Falsified by an address whose permission set under some privilege/SUM/MXR setting differs
    // between translateTwoStage and the oracle (A/D set by hardware, so only permissions decide).
    fc.assert(fc.property(world, fc.array(queryArb, { minLength: 1, maxLength: 12 }), (w, qs) => {
      const mem = memOf(w);
      const g = deriveG(w.hgatp, mem);
      const vs = deriveVs(w.vsatp, g, mem);
      const vsMaps = vsMappings(vs), gMaps = gMappings(g);
      for (const q0 of qs) {
        const q: Q = { ...q0, vsAd: 'hardware', gAd: 'hardware' };
        const va = vaOf(w, q, vsMaps, gMaps);
        const perms = (ok: (acc: Acc, hlvx: boolean) => boolean): string =>
          (['r', 'w', 'x'] as const).map((a) => (ok(a, false) ? a : '-')).join('') + (ok('r', true) ? ' hlvx' : ' -');
        const want = perms((a, h) => translate(vs, g, mem, va, a, { ...q, hlvx: h }).ok);
        const got = perms((a, h) => translateTwoStage(envOf(w, { ...q, hlvx: h }), va, a).ok);
        expect(got, `${dumpWorld(w)}\n${qStr(va, 'r', { ...q, hlvx: false })}`).toBe(want);
      }
    }), { numRuns: runs(80) });
  });
});

// --- Worked examples from the manual's text.

/** A small hand-built world: hgatp Sv32x4 at 0x80000000, vsatp Sv32 with its root at GPA 0x80000000. */
const pte = (ppn: number, f: number): number => (ppn * 1024 + f) >>> 0;
const LEAF = V | R | W | X | U | A | D;
function example(extra: ReadonlyArray<readonly [number, number]> = []): Map<number, number> {
  const m = new Map<number, number>([
    // G root[0x200] (GPA 0x80000000..0x803fffff) → G table 0x80004.
    [G_ROOT * 4096 + 4 * 0x200, pte(0x80004, V)],
    // G table: GPA pages 0x80000..0x80003 → guest pages 0x80400..0x80403, all permissions.
    [0x80004000 + 4 * 0, pte(GUEST + 0, LEAF)],
    [0x80004000 + 4 * 1, pte(GUEST + 1, LEAF)],
    [0x80004000 + 4 * 2, pte(GUEST + 2, LEAF)],
    [0x80004000 + 4 * 3, pte(GUEST + 3, LEAF)],
    // VS root (GPA 0x80000000 = guest page 0x80400): root[1] → VS table at GPA 0x80001000.
    [(GUEST + 0) * 4096 + 4 * 1, pte(0x80001, V)],
    // VS table: VA 0x00402000 → GPA 0x80002000.
    [(GUEST + 1) * 4096 + 4 * 2, pte(0x80002, LEAF)],
  ]);
  for (const [a, v] of extra) m.set(a, v);
  return m;
}
const HGATP = (0x80000000 | G_ROOT) >>> 0, VSATP = (0x80000000 | 0x80000) >>> 0;
const base: Omit<TwoStageEnv, 'readPte'> = { vsatp: VSATP, hgatp: HGATP, priv: 1, sum: false, vsMxr: false, mxr: false, hlvx: false, vsAd: 'hardware', gAd: 'hardware' };
const run = (words: Map<number, number>, va: number, acc: Acc, e: Partial<TwoStageEnv> = {}): TwoStageResult => {
  const w: World = { hgatp: e.hgatp ?? HGATP, vsatp: e.vsatp ?? VSATP, words, v1: [], v0: [] };
  const mem = memOf(w);
  return translateTwoStage({ ...base, readPte: mem.read, storePteOk: mem.storeOk, ...e }, va, acc);
};

describe('worked examples', () => {
  it('HV-XLATE-1: the 16 KiB root is indexed by GPA bits 33:22, and hgatp.PPN[1:0] do not move it', () => {
    // Falsified if a GPA above 4 GiB does not use root entry gpa[33:22] in the root's fourth page,
    // or if nonzero hgatp.PPN[1:0] shift the root.
    const words = new Map([[G_ROOT * 4096 + 4 * 0xc01, pte(GUEST, V | R | U | A)]]);
    const mem = memOf({ hgatp: 0, vsatp: 0, words, v1: [], v0: [] });
    for (const lo of [0, 1, 2, 3]) {
      const r = walkSv32x4({ hgatp: 0x80000000 | (0x55 << 22) | G_ROOT | lo, mxr: false, hlvx: false, ad: 'fault', readPte: mem.read }, 0x300401234, 'r');
      expect(r, `hgatp.PPN low bits ${lo}`).toMatchObject({ ok: true, pa: 0x80401234, pteAddr: 0x80003004, level: 1 });
    }
    // Bare: identity, even above 4 GiB, with no protection.
    expect(walkSv32x4({ hgatp: 0x00000000, mxr: false, hlvx: false, ad: 'fault', readPte: () => null }, 0x3fffffffc, 'w')).toMatchObject({ ok: true, pa: 0x3fffffffc, update: null });
  });

  it('HV-XLATE-2: VS-stage Bare, G-stage Bare, and both', () => {
    // Falsified if vsatp Bare does not take the VA as the GPA (then G-translated), if hgatp Bare does
    // not take the GPA as the physical address, or if both Bare is not the identity.
    const words = example();
    expect(run(words, 0x80002abc, 'r', { vsatp: 0 })).toEqual({ ok: true, pa: 0x80402abc, gpa: 0x80002abc, updates: [] });
    // hgatp Bare: the VS tables' guest physical addresses are physical; the leaf's GPA is the result.
    const bare = new Map([[GUEST * 4096 + 4 * 1, pte(GUEST + 1, V)], [(GUEST + 1) * 4096 + 4 * 2, pte(0x2345, V | R | A)]]);
    expect(run(bare, 0x00402abc, 'r', { hgatp: 0, vsatp: (0x80000000 | GUEST) >>> 0 })).toEqual({ ok: true, pa: 0x02345abc, gpa: 0x02345abc, updates: [] });
    expect(run(words, 0x12345678, 'w', { hgatp: 0, vsatp: 0 })).toEqual({ ok: true, pa: 0x12345678, gpa: 0x12345678, updates: [] });
    expect(run(words, 0x00402abc, 'x', { priv: 0 })).toEqual({ ok: true, pa: 0x80402abc, gpa: 0x80002abc, updates: [] });
  });

  it('HV-XLATE-3: a guest-page fault on an implicit PTE read reports the original access type, the PTE GPA and 0x00002000', () => {
    // Falsified if a fetch whose VS-level PTE is unreadable at the G-stage (G leaf with U=0) does
    // not raise an instruction guest-page fault (20) with stval = va, htval = PTE GPA >> 2, htinst =
    // 0x00002000 and GVA = 1; or if MXR lets an implicit PTE read use an execute-only G page.
    const words = example([[0x80004000 + 4 * 1, pte(GUEST + 1, V | R | W | X | A | D)]]); // U = 0
    const r = run(words, 0x00402abc, 'x');
    expect(r).toEqual({ ok: false, fault: { kind: 'guest-page', stage: 'g', gpa: 0x80001008, implicit: true, write: false }, updates: [] });
    if (!r.ok) expect(trapValues(r.fault, 'x', 0x00402abc)).toEqual({ cause: 20, tval: 0x00402abc, tval2: 0x20000402, tinst: 0x00002000, gva: true });
    const xOnly = example([[0x80004000 + 4 * 1, pte(GUEST + 1, V | X | U | A | D)]]);
    const r2 = run(xOnly, 0x00402abc, 'r', { mxr: true, vsMxr: true });
    expect(r2).toMatchObject({ ok: false, fault: { kind: 'guest-page', gpa: 0x80001008, implicit: true } });
    if (!r2.ok) expect([faultCause(r2.fault, 'r'), htvalOf(r2.fault), htinstOf(r2.fault)]).toEqual([21, 0x20000402, 0x2000]);
  });

  it('HV-XLATE-3, HV-XLATE-4: the A/D store of a VS PTE is a G-stage write: 0x00002020 when the G-stage refuses it', () => {
    // Falsified if setting A in a VS leaf whose page the G-stage maps read-only does not raise a
    // guest-page fault of the original access type with htinst 0x00002020 and htval = PTE GPA >> 2,
    // or if a G-stage page without D is not updated (A and D) before the VS update.
    const words = example([
      [(GUEST + 1) * 4096 + 4 * 2, pte(0x80002, V | R | W | U)], // VS leaf, A = D = 0
      [0x80004000 + 4 * 1, pte(GUEST + 1, V | R | U | A | D)], // G: the VS table page is read-only
    ]);
    const r = run(words, 0x00402abc, 'r', { sum: true });
    expect(r).toEqual({ ok: false, fault: { kind: 'guest-page', stage: 'g', gpa: 0x80001008, implicit: true, write: true }, updates: [] });
    if (!r.ok) expect(trapValues(r.fault, 'r', 0x00402abc)).toEqual({ cause: 21, tval: 0x00402abc, tval2: 0x20000402, tinst: 0x00002020, gva: true });
    // The G-stage page is writable but its A and D are clear: both get set, in order.
    const words2 = example([
      [(GUEST + 1) * 4096 + 4 * 2, pte(0x80002, V | R | W | U)],
      [0x80004000 + 4 * 1, pte(GUEST + 1, V | R | W | U)],
      [0x80004000 + 4 * 2, pte(GUEST + 2, V | R | W | U)],
    ]);
    expect(run(words2, 0x00402abc, 'w', { sum: true })).toEqual({
      ok: true, pa: 0x80402abc, gpa: 0x80002abc, updates: [
        { stage: 'g', pa: 0x80004004, value: pte(GUEST + 1, V | R | W | U | A) }, // G leaf of the VS table: implicit read
        { stage: 'g', pa: 0x80004004, value: pte(GUEST + 1, V | R | W | U | A | D) }, // implicit write (A/D store)
        { stage: 'vs', pa: 0x80401008, value: pte(0x80002, V | R | W | U | A | D) }, // the VS leaf
        { stage: 'g', pa: 0x80004008, value: pte(GUEST + 2, V | R | W | U | A | D) }, // G leaf of the data page
      ],
    });
    // Svade at the G-stage: the implicit read of an A = 0 G leaf is a guest-page fault.
    expect(run(words2, 0x00402abc, 'w', { sum: true, gAd: 'fault' }))
      .toMatchObject({ ok: false, fault: { kind: 'guest-page', gpa: 0x80001008, implicit: true, write: false }, updates: [] });
  });

  it('HV-XLATE-4: when the VS leaf is itself the G-stage leaf that maps it, the A/D compare fails and the walk retries', () => {
    // Falsified if the VS-stage A/D update overwrites the G-stage update of the same word (the
    // comparison of step 7 must fail and step 2 re-read the PTE), or if reads within a translation
    // do not see its earlier updates. GPA page 0x80001 maps onto G table 0x80004 itself, so VS
    // table entry 1 (VA 0x00401000) is G table entry 1.
    const words = example([
      [(GUEST + 0) * 4096 + 4 * 1, pte(0x80001, V)],
      [0x80004000 + 4 * 1, pte(0x80004, V | R | W | U)],
      [0x80004000 + 4 * 4, pte(GUEST + 4, LEAF)],
    ]);
    expect(run(words, 0x00401010, 'w', { sum: true })).toEqual({
      ok: true, pa: 0x80404010, gpa: 0x80004010, updates: [
        { stage: 'g', pa: 0x80004004, value: pte(0x80004, V | R | W | U | A) },
        { stage: 'g', pa: 0x80004004, value: pte(0x80004, V | R | W | U | A | D) },
      ],
    });
  });

  it('HV-XLATE-5: vsstatus.MXR reaches the VS-stage only, the HS-level MXR both; HLVX needs X in both', () => {
    // Falsified if vsstatus.MXR makes an execute-only G-stage page readable, if mstatus.MXR does
    // not, or if HLVX succeeds without X (or fails without R) in either stage.
    const xo = (vsF: number, gF: number): Map<number, number> => example([
      [(GUEST + 1) * 4096 + 4 * 2, pte(0x80002, vsF)], [0x80004000 + 4 * 2, pte(GUEST + 2, gF)],
    ]);
    const XO = V | X | U | A | D, RO = V | R | U | A | D;
    const gpf = { ok: false, fault: { kind: 'guest-page', gpa: 0x80002abc, implicit: false, write: false } };
    expect(run(xo(XO, XO), 0x00402abc, 'r', { sum: true, vsMxr: true })).toMatchObject(gpf);
    expect(run(xo(XO, XO), 0x00402abc, 'r', { sum: true, mxr: true })).toMatchObject({ ok: true, pa: 0x80402abc });
    expect(run(xo(RO, XO), 0x00402abc, 'r', { sum: true, vsMxr: true })).toMatchObject(gpf);
    expect(run(xo(XO, RO), 0x00402abc, 'r', { sum: true, vsMxr: true })).toMatchObject({ ok: true });
    expect(run(xo(XO, RO), 0x00402abc, 'r', { sum: true })).toMatchObject({ ok: false, fault: { kind: 'page' } });
    expect(run(xo(XO, XO), 0x00402abc, 'r', { sum: true, hlvx: true })).toMatchObject({ ok: true, pa: 0x80402abc });
    expect(run(xo(RO, XO), 0x00402abc, 'r', { sum: true, hlvx: true, mxr: true })).toMatchObject({ ok: false, fault: { kind: 'page' } });
    expect(run(xo(XO, RO), 0x00402abc, 'r', { sum: true, hlvx: true, mxr: true })).toMatchObject(gpf);
    // SUM: vsstatus.SUM opens U=1 pages to VS-mode loads, never to VS-mode fetches; VU needs U=1.
    expect(run(xo(XO | R, XO | R), 0x00402abc, 'r', { sum: false })).toMatchObject({ ok: false, fault: { kind: 'page' } });
    expect(run(xo(XO | R, XO | R), 0x00402abc, 'x', { sum: true })).toMatchObject({ ok: false, fault: { kind: 'page' } });
    expect(run(xo((XO | R) & ~U, XO | R), 0x00402abc, 'r', { priv: 0 })).toMatchObject({ ok: false, fault: { kind: 'page' } });
    expect(run(xo(XO | R, XO | R), 0x00402abc, 'x', { priv: 0 })).toMatchObject({ ok: true });
  });
});
