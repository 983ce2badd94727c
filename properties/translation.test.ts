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
import type { Machine } from '../src/machine/machine.js';
import type { CommitRecord } from '../src/machine/commit-record.js';
import { deriveSpace, lookup, mappings, type Outcome, A, D, R, U, V, W, X } from './oracles/sv32.js';
import {
  CODE_VPN1, DENIED_PPN, RAM_PPN, acc as accArb, dumpWorld, vaIn, world, type World,
} from './arbitraries/priv-pagetable.js';
import { RAM, build, dis, enc, hex, peek, pmpAllowAll, PRIV_NAME } from './arbitraries/priv-harness.js';
import { MPP_SHIFT, MPRV, MXR, SUM, type Priv } from './oracles/priv.js';
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

  it('XLATE-NOTLB: a PTE written by a store is used by the very next access, with or without SFENCE.VMA', () => {
    // Falsified if popek caches a translation: after S-mode code rewrites a leaf PTE, the next
    // load must use the new PTE (the manual allows old or new without SFENCE.VMA; popek always
    // uses the new one), and SFENCE.VMA in S-mode retires with no other effect.
    fc.assert(fc.property(fc.integer({ min: 0x100, max: 0x7fff }), fc.integer({ min: 0x100, max: 0x7fff }), fc.boolean(), fc.boolean(),
      (oldPage, newPage, newValid, fence) => {
        const root = 0x80020 * 4096, table = 0x80010 * 4096, pteAddr = table + 4 * 5;
        const va = (0x100 * 2 ** 22 + 5 * 4096 + 8) >>> 0;
        const flags = V | R | W | A | D;
        const newPte = ((RAM_PPN + newPage) * 1024 + (newValid ? flags : 0)) >>> 0;
        const prog = [enc({ op: 'sw', rs1: 8, rs2: 7, imm: 0 }), ...(fence ? [enc({ op: 'sfence.vma', rs1: 0, rs2: 0 })] : []), enc({ op: 'lw', rd: 5, rs1: 6, imm: 0 })];
        const m0 = build(prog, {
          priv: 1, regs: { 6: va | 0, 7: newPte | 0, 8: pteAddr | 0 },
          mem: [
            [root + 4 * CODE_VPN1, (RAM_PPN * 1024 + (V | R | W | X | A | D)) >>> 0], // identity megapage over code and tables
            [root + 4 * 0x100, (0x80010 * 1024 + V) >>> 0],
            [pteAddr, ((RAM_PPN + oldPage) * 1024 + flags) >>> 0],
            [(RAM_PPN + oldPage) * 4096 + 8, 0x01d01d01], [(RAM_PPN + newPage) * 4096 + 8, 0x0e0e0e0e],
          ],
          edit: (h) => { pmpAllowAll(h); h.csr.satp = (0x80000000 | 0x80020) >>> 0; },
        });
        let m = m0;
        for (let k = 0; k < prog.length; k++) m = step(m);
        const h = m.harts[0]!;
        const ctx = `old PTE → page ${hex(RAM_PPN + oldPage)}, new PTE ${hex(newPte)}${fence ? ' with SFENCE.VMA' : ''}`;
        if (newValid) expect(hex(h.x[5]!), ctx).toBe(hex(0x0e0e0e0e));
        else expect([h.csr.mcause, h.csr.mtval], ctx).toEqual([13, va]);
      }), { numRuns: runs(40) });
  });

  it('XLATE-CROSS: a misaligned access that crosses a page translates both pages; a fault names the faulting page', () => {
    // Falsified if a page-crossing load reads physically contiguous bytes instead of the two
    // pages' frames, or if a fault in the second page reports the first byte's address instead of
    // the second page's first address (Vol. II §3.1.16: the portion that caused the fault).
    fc.assert(fc.property(fc.boolean(), fc.boolean(), fc.integer({ min: 1, max: 3 }), (firstOk, secondOk, back) => {
      const root = 0x80020 * 4096, table = 0x80010 * 4096;
      const flags = V | R | W | A | D;
      const va = (0x100 * 2 ** 22 + 7 * 4096 - back) >>> 0; // the last `back` bytes of page 6, then page 7
      const m0 = build([enc({ op: 'lw', rd: 5, rs1: 6, imm: 0 })], {
        priv: 1, regs: { 6: va | 0 },
        mem: [
          [root + 4 * CODE_VPN1, (RAM_PPN * 1024 + (V | R | X | A | D)) >>> 0],
          [root + 4 * 0x100, (0x80010 * 1024 + V) >>> 0],
          [table + 4 * 6, ((RAM_PPN + 0x300) * 1024 + (firstOk ? flags : 0)) >>> 0],
          [table + 4 * 7, ((RAM_PPN + 0x100) * 1024 + (secondOk ? flags : 0)) >>> 0],
          [(RAM_PPN + 0x300) * 4096 + 0xffc, 0x44332211], [(RAM_PPN + 0x100) * 4096, 0x88776655],
        ],
        edit: (h) => { pmpAllowAll(h); h.csr.satp = (0x80000000 | 0x80020) >>> 0; },
      });
      const h = step(m0).harts[0]!;
      const ctx = `lw at ${hex(va)} (page 6 ${firstOk ? 'mapped' : 'invalid'}, page 7 ${secondOk ? 'mapped' : 'invalid'})`;
      if (!firstOk) expect([h.csr.mcause, h.csr.mtval], ctx).toEqual([13, va]);
      else if (!secondOk) expect([h.csr.mcause, h.csr.mtval], ctx).toEqual([13, (va + back) >>> 0]);
      else {
        const bytes = [0x11, 0x22, 0x33, 0x44].slice(4 - back).concat([0x55, 0x66, 0x77, 0x88].slice(0, 4 - back));
        expect(h.x[5]! >>> 0, ctx).toBe(bytes.reduce((v, b, i) => v + b * 2 ** (8 * i), 0) >>> 0);
      }
    }), { numRuns: runs(30) });
  });
});
