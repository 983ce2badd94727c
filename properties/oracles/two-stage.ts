/**
 * An independent oracle for two-stage address translation (V = 1), written from the manual's text
 * (Vol. II: "H" Extension, §"Two-Stage Address Translation", §"Guest Physical Address
 * Translation", §"Guest-Page Faults", §"Trap Value Registers", §"Transformed Instruction or
 * Pseudoinstruction for mtinst or htinst"; Supervisor-Level ISA, §"Sv32"), without calling
 * src/translation.
 *
 * It does not walk per address. It derives, once per configuration:
 *  - the guest-physical space of hgatp (`deriveG`): each of the 4096 root slots (4 MiB of guest
 *    physical addresses each) and each second-level slot (4 KiB) classified as a G-stage leaf, a
 *    guest-page fault or an access fault, with the reason;
 *  - the guest-virtual space of vsatp (`deriveVs`): each root slot and second-level slot, with the
 *    G-stage fate of the implicit read of its PTE (against the G space) and the PTE it holds.
 * A query (`translate`) then composes them along one address: the implicit reads on the VS path,
 * the VS leaf rules, the A/D scheme of both stages (with the updates accumulated in order), and the
 * G-stage leaf rules for the final guest physical address.
 *
 * Scope: the words a translation updates are never read back as another kind of PTE in the same
 * translation (the tests keep G-stage tables out of guest memory); only A/D bits of leaves change.
 */

export type Acc = 'r' | 'w' | 'x';
export const V = 1, R = 2, W = 4, X = 8, U = 16, G = 32, A = 64, D = 128;

const KiB4 = 4096;
const MiB4 = 2 ** 22;
const hex = (n: number): string => '0x' + n.toString(16);
const ppnOf = (pte: number): number => Math.floor((pte >>> 0) / 1024); // PTE bits 31:10

/** Physical memory as the page-table walker sees it. */
export interface Mem {
  /** The word at a supervisor physical address, or null when PMA/PMP deny the read. */
  read(pa: number): number | null;
  /** May an A/D update be stored at this address? */
  storeOk(pa: number): boolean;
}

/** A classified slot of either stage. */
export type Slot =
  | { kind: 'fault'; fault: 'page' | 'access'; why: string }
  | { kind: 'leaf'; level: 0 | 1; pte: number; pteAddr: number }
  | { kind: 'table'; slots: readonly Slot[] };

/**
 * Steps 3, 4 and 6 of the Sv32 algorithm for one PTE (the same for both stages): invalid and
 * reserved encodings, reserved D/A/U on pointers, pointers in the last level, misaligned megapages.
 */
function classify(pte: number, pteAddr: number, level: 0 | 1, next: (ppn: number) => readonly Slot[]): Slot {
  const has = (b: number): boolean => (pte & b) !== 0;
  if (!has(V)) return { kind: 'fault', fault: 'page', why: `V=0 in PTE ${hex(pte)}` };
  if (has(W) && !has(R)) return { kind: 'fault', fault: 'page', why: `W without R in PTE ${hex(pte)}` };
  if (has(R) || has(X)) {
    if (level === 1 && ppnOf(pte) % 1024 !== 0) return { kind: 'fault', fault: 'page', why: `misaligned megapage PTE ${hex(pte)}` };
    return { kind: 'leaf', level, pte: pte >>> 0, pteAddr };
  }
  if (has(D) || has(A) || has(U)) return { kind: 'fault', fault: 'page', why: `pointer ${hex(pte)} with reserved D/A/U` };
  if (level === 0) return { kind: 'fault', fault: 'page', why: `pointer ${hex(pte)} at level 0` };
  return { kind: 'table', slots: next(ppnOf(pte)) };
}

// ---------------------------------------------------------------------------------------------
// The G-stage (guest physical → supervisor physical).

/** The G space: identity (Bare) or the 4096 Sv32x4 root slots. */
export type GSpace = { bare: true } | { bare: false; root: readonly Slot[] };

/**
 * Derive the guest-physical space of `hgatp` (MODE bit 31, PPN bits 21:0). The root table is 16 KiB
 * at hgatp.PPN with PPN[1:0] taken as zero; entry j (j = GPA bits 33:22) is at root + 4j.
 */
export function deriveG(hgatp: number, mem: Mem): GSpace {
  if ((hgatp >>> 31) === 0) return { bare: true };
  const rootBase = Math.floor((hgatp & 0x3fffff) / 4) * 4 * KiB4;
  const tables = new Map<number, readonly Slot[]>();
  const slotAt = (pteAddr: number, level: 0 | 1): Slot => {
    const w = mem.read(pteAddr);
    if (w === null) return { kind: 'fault', fault: 'access', why: `G-stage PTE read at ${hex(pteAddr)} denied` };
    return classify(w >>> 0, pteAddr, level, (ppn) => {
      let t = tables.get(ppn);
      if (t === undefined) {
        t = Array.from({ length: 1024 }, (_, j) => slotAt(ppn * KiB4 + 4 * j, 0));
        tables.set(ppn, t);
      }
      return t;
    });
  };
  return { bare: false, root: Array.from({ length: 4096 }, (_, j) => slotAt(rootBase + 4 * j, 1)) };
}

/** The G slot covering a guest physical address (a leaf or a fault), or null under Bare. */
function gSlot(g: GSpace, gpa: number): Slot | null {
  if (g.bare) return null;
  const s = g.root[Math.floor(gpa / MiB4)]!;
  return s.kind === 'table' ? s.slots[Math.floor(gpa / KiB4) % 1024]! : s;
}

/** What the G-stage is asked for: the access type, and whether MXR/HLVX apply (explicit accesses only). */
export interface GNeed { acc: Acc; mxr: boolean; hlvx: boolean }

/**
 * The static part of a G-stage translation (everything but A/D): a fault with its reason, or the
 * supervisor physical address and the leaf. "When checking the U bit, the current privilege mode is
 * always taken to be U-mode"; MXR makes executable pages readable; HLVX reads need X instead of R.
 */
export type GStatic =
  | { ok: false; fault: 'guest-page' | 'access'; why: string }
  | { ok: true; spa: number; leaf: { pte: number; pteAddr: number } | null };

export function gStatic(g: GSpace, gpa: number, need: GNeed): GStatic {
  const s = gSlot(g, gpa);
  if (s === null) return { ok: true, spa: gpa, leaf: null };
  if (s.kind === 'fault') return s.fault === 'access' ? { ok: false, fault: 'access', why: s.why } : { ok: false, fault: 'guest-page', why: `G-stage: ${s.why}` };
  if (s.kind === 'table') throw new Error('unreachable');
  const p = s.pte;
  if ((p & U) === 0) return { ok: false, fault: 'guest-page', why: `G-stage leaf ${hex(p)} has U=0` };
  const ok = need.acc === 'w' ? (p & W) !== 0
    : need.acc === 'x' ? (p & X) !== 0
      : need.hlvx ? (p & X) !== 0 : (p & R) !== 0 || (need.mxr && (p & X) !== 0);
  if (!ok) return { ok: false, fault: 'guest-page', why: `G-stage leaf ${hex(p)} denies ${need.hlvx ? 'HLVX ' : ''}${need.acc}${need.mxr ? ' (MXR)' : ''}` };
  const spa = s.level === 1 ? ppnOf(p) * KiB4 + (gpa % MiB4) : ppnOf(p) * KiB4 + (gpa % KiB4);
  return { ok: true, spa, leaf: { pte: p, pteAddr: s.pteAddr } };
}

/** A G-stage translation on its own (for walkSv32x4): the static checks, then the leaf's A/D. */
export function gTranslate(g: GSpace, mem: Mem, gpa: number, need: GNeed, ad: 'hardware' | 'fault'):
  { ok: true; spa: number; update: { pa: number; value: number } | null } | { ok: false; fault: 'guest-page' | 'access'; why: string } {
  const r = gStatic(g, gpa, need);
  if (!r.ok) return r;
  if (r.leaf === null) return { ok: true, spa: r.spa, update: null };
  const want = A | (need.acc === 'w' ? D : 0);
  if ((r.leaf.pte & want) === want) return { ok: true, spa: r.spa, update: null };
  if (ad === 'fault') return { ok: false, fault: 'guest-page', why: `A/D clear in G leaf ${hex(r.leaf.pte)} (Svade)` };
  if (!mem.storeOk(r.leaf.pteAddr)) return { ok: false, fault: 'access', why: `A/D store at ${hex(r.leaf.pteAddr)} denied` };
  return { ok: true, spa: r.spa, update: { pa: r.leaf.pteAddr, value: (r.leaf.pte | want) >>> 0 } };
}

/** All G-stage leaves: [first GPA, bytes], for choosing addresses. */
export function gMappings(g: GSpace): Array<[number, number]> {
  if (g.bare) return [];
  const out: Array<[number, number]> = [];
  g.root.forEach((s, j) => {
    if (s.kind === 'leaf') out.push([j * MiB4, MiB4]);
    if (s.kind === 'table') s.slots.forEach((t, k) => { if (t.kind === 'leaf') out.push([j * MiB4 + k * KiB4, KiB4]); });
  });
  return out;
}

// ---------------------------------------------------------------------------------------------
// The VS-stage (guest virtual → guest physical), whose PTE reads are G-stage implicit reads.

/** A VS slot: where its PTE lives, what the G-stage makes of reading it, and what it holds. */
export interface VsSlot {
  pteGpa: number;
  /** The G-stage translation of the implicit read (checked "as though for an implicit load"). */
  g: GStatic;
  /** When the G-stage allows the read: the PTE's meaning (or an access fault reading it). */
  slot: Slot | null;
  /** For tables: the next level's slots. */
  next: readonly VsSlot[] | null;
}

export type VsSpace = { bare: true } | { bare: false; root: readonly VsSlot[] };

/** Derive the guest-virtual space of `vsatp` (MODE bit 31, PPN bits 21:0) over the G space. */
export function deriveVs(vsatp: number, g: GSpace, mem: Mem): VsSpace {
  if ((vsatp >>> 31) === 0) return { bare: true };
  const tables = new Map<number, readonly VsSlot[]>();
  const table = (ppn: number, level: 0 | 1): readonly VsSlot[] => {
    const key = ppn * 2 + level;
    let t = tables.get(key);
    if (t !== undefined) return t;
    const out: VsSlot[] = [];
    for (let j = 0; j < 1024; j++) {
      const pteGpa = ppn * KiB4 + 4 * j;
      const gr = gStatic(g, pteGpa, { acc: 'r', mxr: false, hlvx: false });
      if (!gr.ok) { out.push({ pteGpa, g: gr, slot: null, next: null }); continue; }
      const w = mem.read(gr.spa);
      if (w === null) { out.push({ pteGpa, g: gr, slot: { kind: 'fault', fault: 'access', why: `VS PTE read at SPA ${hex(gr.spa)} denied` }, next: null }); continue; }
      let next: readonly VsSlot[] | null = null;
      const slot = classify(w >>> 0, gr.spa, level, (p) => { next = table(p, 0); return []; });
      out.push({ pteGpa, g: gr, slot, next });
    }
    t = out;
    tables.set(key, t);
    return t;
  };
  return { bare: false, root: table(vsatp & 0x3fffff, 1) };
}

/** All VS-stage leaves whose PTEs the G-stage lets the walk read: [first VA, bytes]. */
export function vsMappings(vs: VsSpace): Array<[number, number]> {
  if (vs.bare) return [];
  const out: Array<[number, number]> = [];
  vs.root.forEach((s, j) => {
    if (s.slot?.kind === 'leaf') out.push([j * MiB4, MiB4]);
    s.next?.forEach((t, k) => { if (t.slot?.kind === 'leaf') out.push([j * MiB4 + k * KiB4, KiB4]); });
  });
  return out;
}

// ---------------------------------------------------------------------------------------------
// Composition.

export interface Query {
  /** 0 = VU, 1 = VS. */
  priv: 0 | 1;
  /** vsstatus.SUM, vsstatus.MXR, HS-level MXR, HLVX (for reads). */
  sum: boolean; vsMxr: boolean; mxr: boolean; hlvx: boolean;
  vsAd: 'hardware' | 'fault'; gAd: 'hardware' | 'fault';
}

export type Fault =
  | { kind: 'page'; stage: 'vs' }
  | { kind: 'guest-page'; stage: 'g'; gpa: number; implicit: boolean; write: boolean }
  | { kind: 'access'; stage: 'vs' | 'g' };

export interface Update { stage: 'vs' | 'g'; pa: number; value: number }

export type Outcome =
  | { ok: true; pa: number; gpa: number; updates: Update[] }
  | { ok: false; fault: Fault; why: string; updates: Update[] };

class Stop { constructor(readonly fault: Fault, readonly why: string) {} }

/** Translate guest virtual address `va` for an access of kind `acc`. */
export function translate(vs: VsSpace, g: GSpace, mem: Mem, va: number, acc: Acc, q: Query): Outcome {
  const updates: Update[] = [];
  // A/D bits this translation has already set, by PTE address (only leaves are ever updated).
  const set = new Map<number, number>();
  const now = (leaf: { pte: number; pteAddr: number }): number => (leaf.pte | (set.get(leaf.pteAddr) ?? 0)) >>> 0;
  const hlvx = q.hlvx && acc === 'r';

  /**
   * Step 7 for one leaf of either stage: A must be set (and D for a store). Under 'fault' that is a
   * (guest-)page fault; under 'hardware' the store must pass PMA/PMP, and the leaf is updated.
   */
  const needAD = (stage: 'vs' | 'g', leaf: { pte: number; pteAddr: number }, store: boolean, pageFault: Fault, store2: number | null): void => {
    const pte = now(leaf);
    const want = A | (store ? D : 0);
    if ((pte & want) === want) return;
    if ((stage === 'vs' ? q.vsAd : q.gAd) === 'fault') throw new Stop(pageFault, `${stage.toUpperCase()}-stage ${store ? 'A/D' : 'A'} clear in ${hex(pte)} (Svade)`);
    const at = store2 ?? leaf.pteAddr;
    if (!mem.storeOk(at)) throw new Stop({ kind: 'access', stage }, `${stage.toUpperCase()}-stage A/D store at ${hex(at)} denied`);
    set.set(leaf.pteAddr, (set.get(leaf.pteAddr) ?? 0) | want);
    updates.push({ stage, pa: at, value: (pte | want) >>> 0 });
  };

  /** A G-stage access at `gpa`: implicit ('r' PTE read, 'w' A/D store) or the explicit one. */
  const gAccess = (gpa: number, need: GNeed, implicit: boolean): number => {
    const gpf: Fault = { kind: 'guest-page', stage: 'g', gpa, implicit, write: need.acc === 'w' };
    const r = gStatic(g, gpa, need);
    if (!r.ok) throw new Stop(r.fault === 'access' ? { kind: 'access', stage: 'g' } : gpf, r.why);
    if (r.leaf !== null) needAD('g', r.leaf, need.acc === 'w', gpf, null);
    return r.spa;
  };

  const pageFault: Fault = { kind: 'page', stage: 'vs' };
  try {
    let gpa: number;
    if (vs.bare) gpa = va >>> 0;
    else {
      // The VS path: the root slot, then (through a pointer) the second-level slot.
      const path: VsSlot[] = [vs.root[(va >>> 22) & 0x3ff]!];
      for (;;) {
        const s = path[path.length - 1]!;
        // The implicit read of the PTE: the G-stage first (static checks, then its A bit).
        gAccess(s.pteGpa, { acc: 'r', mxr: false, hlvx: false }, true);
        const slot = s.slot!;
        if (slot.kind === 'fault') throw new Stop(slot.fault === 'access' ? { kind: 'access', stage: 'vs' } : pageFault, `VS-stage: ${slot.why}`);
        if (slot.kind === 'leaf') break;
        path.push(s.next![(va >>> 12) & 0x3ff]!);
      }
      const last = path[path.length - 1]!;
      const leaf = last.slot as Extract<Slot, { kind: 'leaf' }>;
      const p = leaf.pte;
      // The VS leaf rules ("Addressing and Memory Protection" with vsstatus for sstatus): VU needs
      // U=1; VS may touch U=1 pages only with vsstatus.SUM and never execute them.
      if (q.priv === 0 && (p & U) === 0) throw new Stop(pageFault, `VU access to VS leaf ${hex(p)} with U=0`);
      if (q.priv === 1 && (p & U) !== 0 && acc === 'x') throw new Stop(pageFault, `VS fetch from U=1 VS leaf ${hex(p)}`);
      if (q.priv === 1 && (p & U) !== 0 && !q.sum) throw new Stop(pageFault, `VS access to U=1 VS leaf ${hex(p)} with SUM=0`);
      // Either MXR makes the VS-stage's executable pages readable; HLVX needs X instead of R.
      const ok = acc === 'w' ? (p & W) !== 0
        : acc === 'x' ? (p & X) !== 0
          : hlvx ? (p & X) !== 0 : (p & R) !== 0 || ((q.vsMxr || q.mxr) && (p & X) !== 0);
      if (!ok) throw new Stop(pageFault, `VS leaf ${hex(p)} denies ${hlvx ? 'HLVX ' : ''}${acc}`);
      // VS A/D: the update is a guest-physical store of the PTE, itself G-translated as an implicit store.
      const want = A | (acc === 'w' ? D : 0);
      if ((p & want) !== want) {
        if (q.vsAd === 'fault') throw new Stop(pageFault, `VS-stage ${acc === 'w' ? 'A/D' : 'A'} clear in ${hex(p)} (Svade)`);
        const spa = gAccess(last.pteGpa, { acc: 'w', mxr: false, hlvx: false }, true);
        needAD('vs', leaf, acc === 'w', pageFault, spa);
      }
      gpa = leaf.level === 1 ? ppnOf(p) * KiB4 + ((va >>> 0) % MiB4) : ppnOf(p) * KiB4 + ((va >>> 0) % KiB4);
    }
    // The G-stage of the guest physical address, for the original access.
    const pa = gAccess(gpa, { acc, mxr: q.mxr, hlvx }, false);
    return { ok: true, pa, gpa, updates };
  } catch (e) {
    if (e instanceof Stop) return { ok: false, fault: e.fault, why: e.why, updates };
    throw e;
  }
}

/** Trap values from the manual: cause by fault kind and access type; stval = the guest VA; htval; htinst; GVA. */
export function trapOf(f: Fault, acc: Acc, va: number): { cause: number; tval: number; tval2: number; tinst: number; gva: boolean } {
  const cause = {
    page: { x: 12, r: 13, w: 15 },
    'guest-page': { x: 20, r: 21, w: 23 },
    access: { x: 1, r: 5, w: 7 },
  }[f.kind][acc];
  // htval: "the guest physical address that faulted, shifted right by 2 bits".
  const tval2 = f.kind === 'guest-page' ? Math.floor(f.gpa / 4) : 0;
  // htinst: for implicit VS-stage accesses, 0x00002000 (32-bit read) or 0x00002020 (32-bit write).
  const tinst = f.kind === 'guest-page' && f.implicit ? (f.write ? 0x2020 : 0x2000) : 0;
  return { cause, tval: va >>> 0, tval2, tinst, gva: true };
}
