/**
 * Sv32 address translation (spec/translation.md, XLATE-*) against the independent oracle in
 * properties/oracles/sv32.ts, which derives the whole address space of a random page-table memory
 * from the manual's text and answers queries from it. Checked twice: through `walkSv32` directly
 * (many runs), and end to end through `step` (loads, stores and fetches in S and U mode, and
 * M-mode loads and stores with MPRV), including the A/D update in memory and the trap taken.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { walkSv32, type WalkResult } from '../src/translation/sv32.js';
import { run, step } from '../src/engines/reference.js';
import type { CommitRecord } from '../src/machine/commit-record.js';
import { deriveSpace, lookup, mappings, type Outcome, A, D, R, U, V, W, X } from './oracles/sv32.js';
import {
  CODE_VPN1, DENIED_PPN, RAM_PPN, acc as accArb, dumpWorld, vaIn, world, type World,
} from './arbitraries/priv-pagetable.js';
import { RAM, build, dis, enc, hex, peek, pmpAllowAll, PRIV_NAME, WORD } from './arbitraries/priv-harness.js';

const WORD_NOP = WORD.nop;
import { MPP_SHIFT, MPRV, MXR, S, SUM, type Priv } from './oracles/priv.js';
import { runs } from './support/runs.js';

const RAM_END = RAM + 128 * 1024 * 1024;
const inRam = (pa: number, n = 4): boolean => pa >= RAM && pa + n <= RAM_END;
const CAUSE = { page: { r: 13, w: 15, x: 12 }, access: { r: 5, w: 7, x: 1 } } as const;

/** walkSv32's result and the oracle's, in one comparable shape. */
function norm(r: WalkResult | Outcome): string {
  if (!r.ok) return `${r.fault} fault`;
  return `pa ${hex(r.pa)}${r.pa > 0xffffffff ? ' (above 4 GiB)' : ''} level ${r.level} pte@${hex(r.pteAddr)} update ${r.update === null ? 'none' : hex(r.update)}`;
}

interface Q { pick: number; off: number; va: number; acc: 'r' | 'w' | 'x'; priv: 0 | 1; sum: boolean; mxr: boolean; ad: 'hardware' | 'fault'; fromMap: boolean }
const queries = (w: World): fc.Arbitrary<Q[]> => fc.array(fc.record({
  pick: fc.nat(), off: fc.nat({ max: 2 ** 22 - 1 }), va: vaIn(w), acc: accArb, priv: fc.constantFrom<0 | 1>(0, 1),
  sum: fc.boolean(), mxr: fc.boolean(), ad: fc.constantFrom<'hardware' | 'fault'>('hardware', 'fault'), fromMap: fc.boolean(),
}), { minLength: 1, maxLength: 16 });

/** The direct-walk property over worlds from `wa`. */
function directWalk(wa: fc.Arbitrary<World>, n: number): void {
  fc.assert(fc.property(wa.chain((w) => fc.tuple(fc.constant(w), queries(w))), ([w, qs]) => {
    // PTE reads: RAM only (PMA), and never from the page PMP denies (XLATE-PTE-PMP).
    const readPte = (pa: number): number | null =>
      inRam(pa) && Math.floor(pa / 4096) !== DENIED_PPN ? (w.words.get(pa) ?? 0) : null;
    const space = deriveSpace(w.rootPpn, readPte);
    const leaves = mappings(space);
    for (const q of qs) {
      // Half the queries land inside a mapping the oracle enumerated, half anywhere near the tables.
      const m = leaves[q.pick % Math.max(1, leaves.length)];
      const va = q.fromMap && m !== undefined ? (m[0] + (q.off % m[1])) >>> 0 : q.va;
      const want = lookup(space, va, q.acc, q);
      const got = walkSv32({ rootPpn: w.rootPpn, priv: q.priv, sum: q.sum, mxr: q.mxr, ad: q.ad, readPte }, va, q.acc);
      const ctx = `${dumpWorld(w)}\nva ${hex(va)} ${q.acc} from ${PRIV_NAME[q.priv]} SUM=${+q.sum} MXR=${+q.mxr} A/D=${q.ad}`
        + `\noracle: ${norm(want)}${want.ok ? '' : ` (${want.why})`}`;
      expect(norm(got), ctx).toBe(norm(want));
      if (got.ok) expect(got.pte >>> 0, ctx).toBe((w.words.get(got.pteAddr) ?? 0) >>> 0);
    }
  }), { numRuns: n });
}

describe('Sv32 walk (walkSv32) against the oracle', () => {
  it('XLATE-1, XLATE-PERM, XLATE-SUPER, XLATE-AD, XLATE-PTE-PMP: every outcome and A/D update matches on random page tables', () => {
    // Falsified by any virtual address, access type, privilege, SUM/MXR and A/D policy for which
    // walkSv32 and the oracle disagree on page fault / access fault / physical address, level,
    // PTE address, or the A/D value to store. Worlds include W-without-R leaves, misaligned and
    // aligned megapages, pointers to tables outside RAM or behind PMP, and pointers at level 0.
    directWalk(world(false, false), runs(300));
  });

  it('XLATE-PTE: a non-leaf PTE with D, A or U set raises a page fault (reserved bits)', () => {
    // Falsified if a walk descends through a pointer PTE whose D, A or U bit is set: for non-leaf
    // PTEs those bits are "reserved for future standard use", and step 3 of the algorithm raises
    // a page fault when any reserved bit is set (Vol. II §10.3.1, §10.3.2).
    const l1 = (RAM_PPN + 0x10) * 4096;
    for (const res of [A, D, U, A | D]) {
      const words = new Map<number, number>([[0x80020000 + 4 * 1, ((RAM_PPN + 0x10) * 1024 + V + res) >>> 0], [l1 + 4 * 2, ((RAM_PPN + 5) * 1024 + (V | R | W | X | A | D)) >>> 0]]);
      const readPte = (pa: number): number | null => (inRam(pa) ? (words.get(pa) ?? 0) : null);
      const got = walkSv32({ rootPpn: 0x80020, priv: 1, sum: false, mxr: false, ad: 'hardware', readPte }, 0x00402000, 'r');
      expect(norm(got), `root[1] = ${hex(words.get(0x80020004)!)} (pointer with reserved bit ${hex(res)})`).toBe('page fault');
    }
  });

  it('XLATE-PTE, XLATE-1: random page tables including pointers with reserved bits', () => {
    // Falsified by any disagreement on worlds whose pointers sometimes carry D/A/U (see above).
    directWalk(world(false, true), runs(100));
  });
});

// --- End to end through the machine.

type Kind = 'r' | 'w' | 'x';
interface E2E { w: World; va: number; pick: number; off: number; fromMap: boolean; acc: Kind; priv: Priv; mpp: Priv; sum: boolean; mxr: boolean; ad: 'hardware' | 'fault'; asid: number; value: number; size: 1 | 2 | 4 }

const LOAD = { 1: 'lbu', 2: 'lhu', 4: 'lw' } as const;
const STORE = { 1: 'sb', 2: 'sh', 4: 'sw' } as const;

/** The access instruction at 0x80000000: a load into x5 or a store of x7, through x6. */
const accessWord = (acc: Kind, size: 1 | 2 | 4): number =>
  acc === 'w' ? enc({ op: STORE[size], rs1: 6, rs2: 7, imm: 0 }) : enc({ op: LOAD[size], rd: 5, rs1: 6, imm: 0 });

/**
 * Run one access end to end. `priv` is the hart's mode; with priv = M, MPRV = 1 and MPP = `mpp`
 * make the access translated as `mpp` (fetches are never affected by MPRV).
 */
function e2e(c: E2E): void {
  const effPriv: Priv = c.priv === 3 ? c.mpp : c.priv;
  const translated = effPriv !== 3;
  // The code megapage: VA 0x80000000 → PA 0x80000000, R+X, A and D set, U as the mode needs.
  const words = new Map(c.w.words);
  words.set(c.w.rootPpn * 4096 + 4 * CODE_VPN1, (RAM_PPN * 1024 + (V | R | X | A | D) + (c.priv === 0 ? U : 0)) >>> 0);
  const read = (pa: number): number | null => (inRam(pa) ? (words.get(pa) ?? 0) : null);
  const space = deriveSpace(c.w.rootPpn, read);
  // Half the time, an address inside one of the mappings the oracle enumerates.
  const leaves = mappings(space).filter(([start]) => start !== CODE_VPN1 * 2 ** 22);
  const leaf = leaves[c.pick % Math.max(1, leaves.length)];
  let va = c.fromMap && leaf !== undefined ? (leaf[0] + (c.off % leaf[1])) >>> 0 : c.va;
  va = c.acc === 'x' ? (va & ~3) >>> 0 : (va - (va % c.size)) >>> 0;
  // Untranslated (MPRV with MPP = M): aim at RAM, never at a device.
  if (!translated) va = (RAM + (va % (RAM_END - RAM))) >>> 0;
  // A fetch test executes whatever it fetched, so the code word is a harmless addi there.
  const code = c.acc === 'x' ? enc({ op: 'addi', rd: 9, rs1: 0, imm: 0x5a5 }) : accessWord(c.acc, c.size);
  words.set(RAM, code); // not a page-table word, so `space` is unchanged
  // The oracle (PMP allows everything here, so only PMAs limit PTE reads and the A/D store).
  const want: Outcome = translated
    ? lookup(space, va, c.acc, { priv: effPriv as 0 | 1, sum: c.sum, mxr: c.mxr, ad: c.ad, storeOk: (pa) => inRam(pa) })
    : { ok: true, pa: va, level: 0, pteAddr: 0, update: null };
  // A fetch that reaches RAM outside the page tables finds a harmless instruction there too; one
  // that lands on a PTE executes it, so then only the fetched word is compared.
  const fetchesPte = c.acc === 'x' && want.ok && words.has(want.pa);
  if (c.acc === 'x' && want.ok && !fetchesPte && inRam(want.pa)) words.set(want.pa, enc({ op: 'addi', rd: 9, rs1: 0, imm: 0x5a5 }));
  const m0 = build([], {
    priv: c.priv,
    pc: c.acc === 'x' ? va : RAM,
    regs: { 6: va | 0, 7: c.value | 0 },
    config: { adUpdate: c.ad },
    mem: [...words],
    edit: (h) => {
      pmpAllowAll(h);
      h.csr.satp = (0x80000000 | (c.asid << 22) | c.w.rootPpn) >>> 0;
      h.csr.mstatus = ((c.sum ? SUM : 0) | (c.mxr ? MXR : 0) | (c.priv === 3 ? MPRV | (c.mpp << MPP_SHIFT) : 0)) >>> 0;
    },
  });
  const mem = new Map(words);
  let trap: { cause: number; tval: number } | null = null;
  if (!want.ok) trap = { cause: CAUSE[want.fault][c.acc], tval: va };
  else {
    // XLATE-AD: the update is made by the walk, before the physical access is checked.
    if (want.update !== null) mem.set(want.pteAddr, want.update);
    // The physical access: only RAM is there (leaves point into RAM, a hole, or above 4 GiB).
    if (!inRam(want.pa, c.size)) trap = { cause: CAUSE.access[c.acc], tval: va };
  }
  const ctx = `${dumpWorld(c.w)}\n${PRIV_NAME[c.priv]}-mode${c.priv === 3 ? ` MPRV=1 MPP=${PRIV_NAME[c.mpp]}` : ''} SUM=${+c.sum} MXR=${+c.mxr} A/D=${c.ad}`
    + `\n${c.acc === 'x' ? `fetch at ${hex(va)}` : `${dis(code)} with x6=${hex(va)}`}\noracle: ${norm(want)}${want.ok ? '' : ` (${want.why})`}`;
  let rec: CommitRecord | null = null;
  const m1 = run(m0, { maxSteps: 1, onCommit: (r) => { rec = r; } }).machine;
  const h = m1.harts[0]!;
  const r = rec as CommitRecord | null;
  if (r === null) throw new Error('no commit record');
  if (trap !== null) {
    expect(r.trap, ctx).toEqual(trap);
    expect(hex(h.csr.mepc), ctx).toBe(hex(c.acc === 'x' ? va : RAM));
  } else if (c.acc === 'x') {
    // The fetch reached the oracle's physical address: the word fetched is the word there.
    expect(hex(r.word), ctx).toBe(hex(mem.get((want as { pa: number }).pa) ?? 0));
    if (fetchesPte) return;
    expect(r.trap, ctx).toBeNull();
    expect(h.x[9], ctx).toBe(0x5a5);
  } else {
    expect(r.trap, ctx).toBeNull();
    const pa = (want as { pa: number }).pa;
    const base = pa - (pa % 4), sh = 8 * (pa % 4), mask = 2 ** (8 * c.size) - 1;
    if (c.acc === 'r') {
      const v = Math.floor(((mem.get(base) ?? 0) >>> 0) / 2 ** sh) % 2 ** (8 * c.size);
      expect(hex(h.x[5]!), ctx).toBe(hex(v));
    } else {
      const old = (mem.get(base) ?? 0) >>> 0;
      mem.set(base, (old - (Math.floor(old / 2 ** sh) % 2 ** (8 * c.size)) * 2 ** sh + (c.value & mask) * 2 ** sh) >>> 0);
    }
  }
  // XLATE-AD: every page-table word (and the stored word) is as the oracle says afterwards.
  for (const [pa, v] of mem) if (inRam(pa)) expect(hex(peek(m1, pa)), `${ctx}\nword at ${hex(pa)}`).toBe(hex(v));
}

const e2eArb = (privs: Priv[]): fc.Arbitrary<E2E> => world(true).chain((w) => fc.record({
  w: fc.constant(w), va: vaIn(w), pick: fc.nat(), off: fc.nat({ max: 2 ** 22 - 1 }), fromMap: fc.boolean(), acc: accArb, priv: fc.constantFrom(...privs), mpp: fc.constantFrom<Priv>(0, 1, 3),
  sum: fc.boolean(), mxr: fc.boolean(), ad: fc.constantFrom<'hardware' | 'fault'>('hardware', 'fault'),
  asid: fc.integer({ min: 0, max: 511 }), value: fc.integer({ min: 0, max: 0xffffffff }), size: fc.constantFrom<1 | 2 | 4>(1, 2, 4),
}));

describe('Sv32 end to end through step', () => {
  it('XLATE-1, XLATE-FAULT, XLATE-AD: S- and U-mode loads, stores and fetches trap, load, store and update A/D as the oracle says', () => {
    // Falsified by a load/store/fetch in S or U mode with satp = Sv32 whose trap (cause, tval,
    // mepc), loaded value, stored word or A/D update differs from the oracle's translation.
    fc.assert(fc.property(e2eArb([0, 1]), (c) => e2e(c)), { numRuns: runs(120) });
  });

  it('XLATE-MPRV: M-mode loads and stores with MPRV = 1 are translated and checked as MPP; fetches are not', () => {
    // Falsified if an M-mode load/store with MPRV = 1 is not translated with MPP's privilege (and
    // SUM/MXR), if MPP = M translates, or if the M-mode fetch of the instruction is translated.
    fc.assert(fc.property(e2eArb([3]).filter((c) => c.acc !== 'x'), (c) => e2e(c)), { numRuns: runs(80) });
  });
});

describe('MPRV and fetches', () => {
  it('XLATE-MPRV: MPRV never makes an M-mode fetch translated or checked as MPP, with or without locked PMP entries', () => {
    // Falsified if an M-mode fetch with MPRV = 1 and MPP = S/U goes through Sv32 (the root table
    // here is empty, so a translated fetch page-faults). A locked PMP entry far away makes popek
    // take its general fetch path instead of the M-mode shortcut.
    for (const mpp of [0, 1]) for (const locked of [false, true]) {
      const m0 = build([WORD_NOP, WORD_NOP], {
        edit: (h) => {
          h.csr.satp = (0x80000000 | 0x80020) >>> 0;
          h.csr.mstatus = (MPRV | (mpp << MPP_SHIFT)) >>> 0;
          if (locked) { const cfg = [...h.csr.pmpcfg], addr = [...h.csr.pmpaddr]; cfg[0] = 0x80 | 0x10; addr[0] = 0x10000000 / 4; h.csr.pmpcfg = cfg; h.csr.pmpaddr = addr; }
        },
      });
      const h = step(step(m0)).harts[0]!;
      expect([hex(h.pc), h.csr.mcause], `M-mode MPRV=1 MPP=${PRIV_NAME[mpp]}, satp=Sv32 (empty), locked PMP entry: ${locked}`).toEqual([hex(RAM + 8), 0]);
    }
  });
});

describe('reserved encodings', () => {
  it('XLATE-PTE: a leaf with W = 1 and R = 0 raises a page fault at both levels, for loads (even with MXR), stores and fetches', () => {
    // Falsified if a W-without-R PTE (R/W/X = 010 or 110) is used as a leaf or as a pointer.
    for (const x of [0, X]) for (const mega of [false, true]) for (const acc of ['r', 'w', 'x'] as const) {
      const bad = (V | W | x | A | D) >>> 0;
      const words = new Map<number, number>(mega
        ? [[0x80020000 + 4 * 3, (0x80400 * 1024 + bad) >>> 0]]
        : [[0x80020000 + 4 * 3, (0x80010 * 1024 + V) >>> 0], [0x80010000 + 4 * 7, (0x80111 * 1024 + bad) >>> 0]]);
      const readPte = (pa: number): number | null => (inRam(pa) ? (words.get(pa) ?? 0) : null);
      const got = walkSv32({ rootPpn: 0x80020, priv: 1, sum: true, mxr: true, ad: 'hardware', readPte }, (3 * 2 ** 22 + 7 * 4096) >>> 0, acc);
      expect(norm(got), `${mega ? 'megapage' : 'page'} PTE ${hex(bad)}, ${acc}`).toBe('page fault');
    }
  });
});

// --- Targeted rules.

/** A one-leaf world: root[vpn1] → table 0x80010 → leaf at [vpn0], or a megapage at root[vpn1]. */
const oneLeaf = fc.record({
  mega: fc.boolean(), vpn1: fc.integer({ min: 0, max: 0x1ff }), vpn0: fc.integer({ min: 0, max: 0x3ff }),
  flags: fc.integer({ min: 0, max: 255 }).map((f) => (f | V | R) >>> 0), off: fc.integer({ min: 0, max: 0xfff }).map((o) => o & ~3),
});

describe('PMP and PMA on the walk itself', () => {
  it('XLATE-AD-2: the A/D update is a store that PMP checks; when it is denied the access raises an access fault', () => {
    // Falsified if an access that needs an A/D update succeeds although PMP makes the PTE's word
    // read-only for S-mode, or if an access that needs no update is refused.
    fc.assert(fc.property(oneLeaf, fc.constantFrom<Kind>('r', 'w'), fc.constantFrom<0 | 1>(0, 1), (l, acc, priv) => {
      const root = 0x80020 * 4096, table = 0x80010 * 4096;
      const flags = priv === 0 ? l.flags | U : l.flags & ~U;
      const leafPte = ((RAM_PPN + (l.mega ? 0 : 0x100)) * 1024 + flags) >>> 0;
      const words: Array<[number, number]> = l.mega
        ? [[root + 4 * l.vpn1, leafPte]]
        : [[root + 4 * l.vpn1, (0x80010 * 1024 + V) >>> 0], [table + 4 * l.vpn0, leafPte]];
      const pteAddr = words[words.length - 1]![0];
      const va = (l.vpn1 * 2 ** 22 + l.vpn0 * 4096 + l.off) >>> 0;
      const m0 = build([acc === 'w' ? enc({ op: 'sw', rs1: 6, rs2: 7, imm: 0 }) : enc({ op: 'lw', rd: 5, rs1: 6, imm: 0 })], {
        priv: 3, regs: { 6: va | 0, 7: 0x1234 }, mem: words,
        edit: (h) => {
          // Entry 0: NA4 over the leaf PTE, read-only; entry 1: everything. The hart runs in M with
          // MPRV so its own fetch is not translated; the access is made as `priv`.
          const cfg = [...h.csr.pmpcfg], addr = [...h.csr.pmpaddr];
          cfg[0] = 0x10 | 1; addr[0] = pteAddr / 4;
          cfg[1] = 0x1f; addr[1] = 0xffffffff;
          h.csr.pmpcfg = cfg; h.csr.pmpaddr = addr;
          h.csr.satp = (0x80000000 | 0x80020) >>> 0;
          h.csr.mstatus = (MPRV | (priv << MPP_SHIFT) | SUM) >>> 0;
        },
      });
      const read = (pa: number): number | null => new Map(words).get(pa) ?? 0;
      const want = lookup(deriveSpace(0x80020, read), va, acc, { priv, sum: true, mxr: false, ad: 'hardware', storeOk: (pa) => pa !== pteAddr });
      // The data word itself must not be the protected PTE word.
      fc.pre(!want.ok || want.pa + 4 <= pteAddr || want.pa >= pteAddr + 4);
      const m1 = step(m0);
      const h = m1.harts[0]!;
      const ctx = `leaf PTE ${hex(leafPte)} at ${hex(pteAddr)} (PMP: read-only), ${acc} at ${hex(va)} as ${PRIV_NAME[priv]}; oracle: ${norm(want)}`;
      if (want.ok) {
        expect([h.pc, h.csr.mcause], ctx).toEqual([RAM + 4, 0]);
        expect(hex(peek(m1, pteAddr)), ctx).toBe(hex(want.update ?? leafPte));
      } else {
        expect([h.csr.mcause, h.csr.mtval], ctx).toEqual([CAUSE[want.fault][acc], va]);
        expect(hex(peek(m1, pteAddr)), ctx).toBe(hex(leafPte));
      }
    }), { numRuns: runs(100) });
  });

  it('XLATE-PTE-PMP: page-table reads are S-mode accesses checked by PMP; a denied read is an access fault of the original type', () => {
    // Falsified if a walk reads a page-table page that PMP denies (S or U mode, or M-mode with
    // MPRV, whose PTE reads are still S-mode accesses), or reports anything but the access fault
    // of the original access type (1, 5 or 7) with tval = the virtual address.
    fc.assert(fc.property(fc.constantFrom<Kind>('r', 'w', 'x'), fc.constantFrom<Priv>(0, 1, 3), fc.boolean(), fc.integer({ min: 0, max: 0x3ff }),
      (acc, priv, denyRoot, vpn0) => {
        if (priv === 3 && acc === 'x') return; // M-mode fetches are never translated
        const root = 0x80020 * 4096, table = 0x80010 * 4096;
        const va = (0x100 * 2 ** 22 + vpn0 * 4096) >>> 0;
        const words: Array<[number, number]> = [
          [root + 4 * 0x100, (0x80010 * 1024 + V) >>> 0],
          [table + 4 * vpn0, ((RAM_PPN + 0x200) * 1024 + (V | R | W | X | A | D | (priv === 0 ? U : 0))) >>> 0],
          // The code megapage for S/U fetches of the instruction at 0x80000000.
          [root + 4 * CODE_VPN1, (RAM_PPN * 1024 + (V | R | X | A | D | (priv === 0 ? U : 0))) >>> 0],
        ];
        const denied = denyRoot ? 0x80020 : 0x80010;
        const m0 = build([acc === 'w' ? enc({ op: 'sw', rs1: 6, rs2: 0, imm: 0 }) : enc({ op: 'lw', rd: 5, rs1: 6, imm: 0 })], {
          priv, pc: acc === 'x' ? va : RAM, regs: { 6: va | 0 }, mem: words,
          edit: (h) => {
            const cfg = [...h.csr.pmpcfg], addr = [...h.csr.pmpaddr];
            // Entry 0: NAPOT over the 4 KiB table page, no permissions (unlocked); entry 1: everything.
            cfg[0] = 0x18; addr[0] = (denied * 4096) / 4 + 0x1ff;
            cfg[1] = 0x1f; addr[1] = 0xffffffff;
            h.csr.pmpcfg = cfg; h.csr.pmpaddr = addr;
            h.csr.satp = (0x80000000 | 0x80020) >>> 0;
            if (priv === 3) h.csr.mstatus = (MPRV | (1 << MPP_SHIFT)) >>> 0;
          },
        });
        const h = step(m0).harts[0]!;
        // With the root denied, even the S/U code fetch of the load/store faults first.
        const fetchFaults = denyRoot && priv !== 3;
        const want = fetchFaults ? [1, acc === 'x' ? va : RAM] : [CAUSE.access[acc], va];
        expect([h.csr.mcause, h.csr.mtval], `${acc} at ${hex(va)} in ${PRIV_NAME[priv]}, PMP denies the ${denyRoot ? 'root' : 'second-level'} table`).toEqual(want);
      }), { numRuns: runs(60) });
  });
});

describe('translation regime', () => {
  it('XLATE-ACTIVE: Bare mode and M-mode (MPRV = 0) use the address as the physical address', () => {
    // Falsified if a load in S/U with satp.MODE = Bare, or in M with satp.MODE = Sv32 and MPRV = 0,
    // is translated (the root table here maps nothing, so any walk would page-fault).
    fc.assert(fc.property(fc.constantFrom<Priv>(0, 1, 3), fc.integer({ min: 0x400, max: 0xfffff }), fc.integer({ min: 0, max: 0x7fffffff }),
      (priv, wordIdx, satpRest) => {
        const pa = RAM + 4 * wordIdx;
        const m0 = build([enc({ op: 'lw', rd: 5, rs1: 6, imm: 0 })], {
          priv, regs: { 6: pa | 0 }, mem: [[pa, 0xcafe0000 + wordIdx]],
          edit: (h) => { pmpAllowAll(h); h.csr.satp = priv === 3 ? (0x80000000 | satpRest) >>> 0 : 0; },
        });
        const h = step(m0).harts[0]!;
        expect(h.x[5]! >>> 0, `lw from ${hex(pa)} in ${PRIV_NAME[priv]} with satp ${hex(m0.harts[0]!.csr.satp)}`).toBe((0xcafe0000 + wordIdx) >>> 0);
      }), { numRuns: runs(40) });
  });

  it('XLATE-NOTLB, ENG-TLB-1: across a long run, every access is translated as a fresh walk of the current tables would be', () => {
    // Falsified if some load/store in a run of S-mode code sees a stale translation: after a
    // PTE was rewritten by a store (with or without SFENCE.VMA), after SUM, MXR or satp changed,
    // or after an A/D update — the outcome (fault or value) of every access must be the oracle's
    // for the memory and CSRs as they are at that instruction. The engine's translation cache
    // (ENG-TLB-1) lives for a whole `run`, so the whole program is one run.
    fc.assert(fc.property(notlbProgram, (p) => notlbRun(p)), { numRuns: runs(60) });
  });

  it('XLATE-CROSS: a misaligned access that crosses a page translates both pages; a fault names the faulting page and sets no A/D', () => {
    // Falsified if a page-crossing load/store reads or writes physically contiguous bytes instead
    // of the two pages' frames, if a fault in the second page reports the first byte's address
    // instead of the second page's first address (Vol. II §3.1.16: the portion that caused the
    // fault), or if the first page's A/D update is made although the access faults (MEM-ACCESS-1).
    fc.assert(fc.property(fc.boolean(), fc.boolean(), fc.integer({ min: 1, max: 3 }), fc.boolean(), fc.boolean(), (firstOk, secondOk, back, firstA, store) => {
      const root = 0x80020 * 4096, table = 0x80010 * 4096;
      const flags = V | R | W | A | D;
      const firstFlags = firstA ? flags : V | R | W; // A = D = 0: the walk must update the PTE
      const va = (0x100 * 2 ** 22 + 7 * 4096 - back) >>> 0; // the last `back` bytes of page 6, then page 7
      const pte6 = ((RAM_PPN + 0x300) * 1024 + (firstOk ? firstFlags : 0)) >>> 0;
      const word = store ? enc({ op: 'sw', rs1: 6, rs2: 7, imm: 0 }) : enc({ op: 'lw', rd: 5, rs1: 6, imm: 0 });
      const m0 = build([word], {
        priv: 1, regs: { 6: va | 0, 7: 0x0a0b0c0d },
        mem: [
          [root + 4 * CODE_VPN1, (RAM_PPN * 1024 + (V | R | X | A | D)) >>> 0],
          [root + 4 * 0x100, (0x80010 * 1024 + V) >>> 0],
          [table + 4 * 6, pte6],
          [table + 4 * 7, ((RAM_PPN + 0x100) * 1024 + (secondOk ? flags : 0)) >>> 0],
          [(RAM_PPN + 0x300) * 4096 + 0xffc, 0x44332211], [(RAM_PPN + 0x100) * 4096, 0x88776655],
        ],
        edit: (h) => { pmpAllowAll(h); h.csr.satp = (0x80000000 | 0x80020) >>> 0; },
      });
      const m1 = step(m0);
      const h = m1.harts[0]!;
      const ctx = `${dis(word)} at ${hex(va)} (page 6 ${firstOk ? `PTE ${hex(pte6)}` : 'invalid'}, page 7 ${secondOk ? 'mapped' : 'invalid'})`;
      const cause = store ? 15 : 13;
      if (!firstOk) expect([h.csr.mcause, h.csr.mtval], ctx).toEqual([cause, va]);
      else if (!secondOk) expect([h.csr.mcause, h.csr.mtval], ctx).toEqual([cause, (va + back) >>> 0]);
      else if (!store) {
        const bytes = [0x11, 0x22, 0x33, 0x44].slice(4 - back).concat([0x55, 0x66, 0x77, 0x88].slice(0, 4 - back));
        expect(hex(h.x[5]!), ctx).toBe(hex(bytes.reduce((v, b, i) => v + b * 2 ** (8 * i), 0)));
      } else {
        const lo = peek(m1, (RAM_PPN + 0x300) * 4096 + 0xffc), hi = peek(m1, (RAM_PPN + 0x100) * 4096);
        const got = Math.floor(lo / 2 ** (8 * (4 - back))) + (hi % 2 ** (8 * (4 - back))) * 2 ** (8 * back);
        expect(hex(got), ctx).toBe(hex(0x0a0b0c0d));
      }
      const ok = firstOk && secondOk;
      const want6 = ok && !firstA ? (pte6 | A | (store ? D : 0)) >>> 0 : pte6;
      expect(hex(peek(m1, table + 4 * 6)), `${ctx}\nPTE of page 6 afterwards`).toBe(hex(want6));
    }), { numRuns: runs(60) });
  });

  it('XLATE-AD: the A/D update is made only for an access that passes PMP; a PMA failure of the physical access keeps it', () => {
    // Falsified if a load/store whose translated address PMP refuses still sets A/D, or if one
    // whose physical address is a hole (checked after the walk, at the access) does not.
    for (const acc of ['r', 'w'] as const) for (const target of ['ram', 'pmp-denied', 'hole'] as const) {
      const root = 0x80020 * 4096, table = 0x80010 * 4096, va = (0x100 * 2 ** 22 + 3 * 4096) >>> 0;
      const ppn = target === 'hole' ? 0x40000 : RAM_PPN + 0x100;
      const pte = (ppn * 1024 + (V | R | W)) >>> 0;
      const word = acc === 'w' ? enc({ op: 'sw', rs1: 6, rs2: 0, imm: 0 }) : enc({ op: 'lw', rd: 5, rs1: 6, imm: 0 });
      const m1 = step(build([word], {
        priv: 1, regs: { 6: va | 0 },
        mem: [[root + 4 * CODE_VPN1, (RAM_PPN * 1024 + (V | R | X | A | D)) >>> 0], [root + 4 * 0x100, (0x80010 * 1024 + V) >>> 0], [table + 4 * 3, pte]],
        edit: (h) => {
          const cfg = [...h.csr.pmpcfg], addr = [...h.csr.pmpaddr];
          cfg[0] = target === 'pmp-denied' ? 0x18 : 0; addr[0] = ((RAM_PPN + 0x100) * 4096) / 4 + 0x1ff; // the data page, no permissions
          cfg[1] = 0x1f; addr[1] = 0xffffffff;
          h.csr.pmpcfg = cfg; h.csr.pmpaddr = addr;
          h.csr.satp = (0x80000000 | 0x80020) >>> 0;
        },
      }));
      const h = m1.harts[0]!;
      const want = target === 'pmp-denied' ? pte : (pte | A | (acc === 'w' ? D : 0)) >>> 0;
      const ctx = `${dis(word)} at ${hex(va)}, PTE ${hex(pte)}, physical page ${target}`;
      expect(h.csr.mcause, ctx).toBe(target === 'ram' ? 0 : acc === 'w' ? 7 : 5);
      expect(hex(peek(m1, table + 4 * 3)), `${ctx}\nPTE afterwards`).toBe(hex(want));
    }
  });
});

// --- XLATE-NOTLB: a program of S-mode accesses and page-table/CSR changes, checked op by op.

type Op =
  | { k: 'load' | 'store'; page: number }
  | { k: 'pte'; table: number; slot: number; value: number }
  | { k: 'sum' | 'mxr'; on: boolean }
  | { k: 'satp'; root: number }
  | { k: 'sfence' };

const NOTLB = {
  roots: [0x80020, 0x80021], tables: [0x80010, 0x80011], dataPpn: 0x80100, va: (k: number) => (0x100 * 2 ** 22 + k * 4096) >>> 0,
  handler: RAM + 0x800,
};
/** The PTE values a program writes: leaves to the 8 data pages with assorted permissions, and 0. */
const notlbPte = fc.tuple(fc.integer({ min: 0, max: 7 }), fc.constantFrom(
  V | R | W | A | D, V | R | A, V | R | W, V | R | W | A, V | X | A, V | X | A, V | R | W | U | A | D, V | R | U | A, V | R | X | A | D, 0,
)).map(([j, f]) => (f === 0 ? 0 : ((NOTLB.dataPpn + j) * 1024 + f) >>> 0));
const notlbOp: fc.Arbitrary<Op> = fc.oneof(
  // Two pages per table, so that accesses come back to pages whose translation could be cached.
  { weight: 8, arbitrary: fc.record({ k: fc.constantFrom<'load' | 'store'>('load', 'load', 'store'), page: fc.integer({ min: 0, max: 1 }) }) },
  { weight: 3, arbitrary: fc.record({ k: fc.constant<'pte'>('pte'), table: fc.integer({ min: 0, max: 1 }), slot: fc.integer({ min: 0, max: 1 }), value: notlbPte }) },
  { weight: 3, arbitrary: fc.record({ k: fc.constantFrom<'sum' | 'mxr'>('sum', 'mxr'), on: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant<'satp'>('satp'), root: fc.integer({ min: 0, max: 1 }) }) },
  { weight: 1, arbitrary: fc.constant<Op>({ k: 'sfence' }) },
);
const notlbProgram = fc.record({
  init: fc.array(notlbPte, { minLength: 8, maxLength: 8 }),
  ops: fc.array(notlbOp, { minLength: 12, maxLength: 48, size: 'max' }),
});

function notlbRun(p: { init: number[]; ops: Op[] }): void {
  const N = NOTLB;
  // Registers: x20..x23 the data VAs, x24..x31 the PTE addresses, x7/x8 the SUM/MXR bits,
  // x9/x11 the two satp values, x10 scratch for PTE values (set by an addi/lui pair).
  const regs: Record<number, number> = { 7: SUM, 8: MXR, 9: (0x80000000 | N.roots[0]!) | 0, 11: (0x80000000 | N.roots[1]!) | 0 };
  for (let k = 0; k < 4; k++) regs[20 + k] = N.va(k) | 0;
  for (let t = 0; t < 2; t++) for (let k = 0; k < 4; k++) regs[24 + 4 * t + k] = (N.tables[t]! * 4096 + 4 * k) | 0;
  const words: number[] = [];
  const opAt: Array<Op | null> = [];
  for (const op of p.ops) {
    if (op.k === 'pte') {
      // x10 <- value (lui + addi with the usual rounding), then the store.
      const hi = ((op.value + 0x800) >>> 12) << 12, lo = op.value - hi;
      words.push(enc({ op: 'lui', rd: 10, imm: hi | 0 }), enc({ op: 'addi', rd: 10, rs1: 10, imm: ((lo + 2048) & 4095) - 2048 }));
      opAt.push(null, null);
      words.push(enc({ op: 'sw', rs1: 24 + 4 * op.table + op.slot, rs2: 10, imm: 0 }));
    } else if (op.k === 'load') words.push(enc({ op: 'lw', rd: 5, rs1: 20 + op.page, imm: 0 }));
    else if (op.k === 'store') words.push(enc({ op: 'sw', rs1: 20 + op.page, rs2: 0, imm: 0 }));
    else if (op.k === 'sum' || op.k === 'mxr') words.push(enc({ op: op.on ? 'csrrs' : 'csrrc', rd: 0, rs1: op.k === 'sum' ? 7 : 8, csr: 0x100 }));
    else if (op.k === 'satp') words.push(enc({ op: 'csrrw', rd: 0, rs1: op.root === 0 ? 9 : 11, csr: 0x180 }));
    else words.push(enc({ op: 'sfence.vma', rs1: 0, rs2: 0 }));
    opAt.push(op);
  }
  words.push(enc({ op: 'jal', rd: 0, imm: 0 }));
  // The S-mode handler skips the faulting instruction: sepc += 4; sret.
  const handler = [enc({ op: 'csrrs', rd: 1, rs1: 0, csr: 0x141 }), enc({ op: 'addi', rd: 1, rs1: 1, imm: 4 }), enc({ op: 'csrrw', rd: 0, rs1: 1, csr: 0x141 }), WORD.sret];
  const mem = new Map<number, number>();
  for (const r of N.roots) {
    mem.set(r * 4096 + 4 * CODE_VPN1, (RAM_PPN * 1024 + (V | R | W | X | A | D)) >>> 0); // identity megapage: code and tables
  }
  mem.set(N.roots[0]! * 4096 + 4 * 0x100, (N.tables[0]! * 1024 + V) >>> 0);
  mem.set(N.roots[1]! * 4096 + 4 * 0x100, (N.tables[1]! * 1024 + V) >>> 0);
  p.init.forEach((v, i) => mem.set(N.tables[i >> 2]! * 4096 + 4 * (i & 3), v));
  for (let j = 0; j < 8; j++) mem.set((N.dataPpn + j) * 4096, (0xd0000000 + j) >>> 0);
  const image: Array<[number, number]> = [...mem, ...handler.map((w, i): [number, number] => [N.handler + 4 * i, w])];
  const m0 = build(words, {
    priv: S as Priv, regs, mem: image,
    edit: (h) => {
      pmpAllowAll(h);
      h.csr.satp = (0x80000000 | N.roots[0]!) >>> 0;
      h.csr.stvec = N.handler;
      h.csr.medeleg = (1 << 5) | (1 << 7) | (1 << 13) | (1 << 15);
    },
  });
  const recs: CommitRecord[] = [];
  run(m0, { maxSteps: words.length * 6 + 10, onCommit: (r) => { recs.push(r); } });
  // Replay in the oracle, op by op.
  let root = N.roots[0]!, sum = false, mxr = false;
  const read = (pa: number): number | null => (inRam(pa) ? (mem.get(pa) ?? 0) : null);
  const lines: string[] = [];
  for (const r of recs) {
    const idx = (r.pc - RAM) / 4;
    if (r.pc < RAM || idx >= opAt.length) continue;
    const op = opAt[idx];
    if (op === null || op === undefined) continue;
    lines.push(`${hex(r.pc)}: ${dis(words[idx]!, r.pc)}`);
    const ctx = `${lines.join('\n')}\n(initial PTEs ${p.init.map(hex).join(' ')}; SUM=${+sum} MXR=${+mxr} root ${hex(root)})`;
    if (op.k === 'load' || op.k === 'store') {
      const acc = op.k === 'load' ? 'r' : 'w';
      const va = N.va(op.page);
      const o = lookup(deriveSpace(root, read), va, acc, { priv: 1, sum, mxr, ad: 'hardware', storeOk: (pa) => inRam(pa) });
      if (!o.ok) {
        expect(r.trap, `${ctx}\noracle: ${o.fault} fault (${o.why})`).toEqual({ cause: CAUSE[o.fault][acc], tval: va });
        continue;
      }
      if (o.update !== null) mem.set(o.pteAddr, o.update);
      expect(r.trap, `${ctx}\noracle: ${norm(o)}`).toBeNull();
      if (acc === 'r') expect(r.regs, `${ctx}\noracle: ${norm(o)}`).toEqual([[5, (mem.get(o.pa) ?? 0) | 0]]);
      else mem.set(o.pa, 0);
    } else {
      expect(r.trap, ctx).toBeNull();
      if (op.k === 'pte') mem.set(N.tables[op.table]! * 4096 + 4 * op.slot, op.value);
      else if (op.k === 'sum') sum = op.on;
      else if (op.k === 'mxr') mxr = op.on;
      else if (op.k === 'satp') root = N.roots[op.root]!;
    }
  }
}
