/**
 * An independent Sv32 oracle, written from the manual's text (Vol. II, Supervisor-Level ISA:
 * "Sv32: Page-Based 32-bit Virtual-Memory Systems", "Addressing and Memory Protection" and
 * "Virtual Address Translation Process"), without looking at src/translation.
 *
 * It does not walk per address. It first derives the whole virtual address space of a page-table
 * memory top-down: every one of the 1024 root slots (4 MiB each) is classified as a fault, a
 * megapage or a second-level table, and every second-level table's 1024 slots (4 KiB each) the same
 * way (`deriveSpace`). Queries (`lookup`) then only look up the slot and apply the leaf rules:
 * permissions against privilege/SUM/MXR, and the A/D scheme. Used by properties/translation.test.ts
 * for XLATE-1, XLATE-PTE, XLATE-PERM, XLATE-SUPER, XLATE-AD, XLATE-AD-2, XLATE-PTE-PMP.
 */

export type Acc = 'r' | 'w' | 'x';

/** PTE bits (Sv32 PTE figure): V R W X U G A D, then RSW (9:8), PPN[0] (19:10), PPN[1] (31:20). */
export const V = 1, R = 2, W = 4, X = 8, U = 16, G = 32, A = 64, D = 128;

/** Why a slot faults, for readable counterexamples. */
export type Slot =
  | { kind: 'page-fault'; why: string; pteAddr: number; pte: number }
  | { kind: 'access-fault'; why: string; pteAddr: number }
  | { kind: 'leaf'; level: 0 | 1; pte: number; pteAddr: number }
  | { kind: 'table'; pteAddr: number; pte: number; slots: readonly Slot[] };

/**
 * The derived address space: 1024 root slots. `read(pa)` is the implicit page-table read: the PTE
 * value, or null when a PMA or PMP check forbids the read (step 2: an access fault).
 */
export function deriveSpace(rootPpn: number, read: (pa: number) => number | null): Slot[] {
  const tables = new Map<number, readonly Slot[]>();
  const table = (ppn: number, level: 0 | 1): Slot[] => {
    const out: Slot[] = [];
    for (let idx = 0; idx < 1024; idx++) {
      // A page table occupies exactly one page; entry idx is 4 bytes at ppn * 4096 + idx * 4.
      const pteAddr = ppn * 4096 + idx * 4;
      const raw = read(pteAddr);
      if (raw === null) { out.push({ kind: 'access-fault', why: `PTE read at ${hex(pteAddr)} denied`, pteAddr }); continue; }
      const pte = raw >>> 0;
      out.push(classify(pte, pteAddr, level, (next) => {
        let t = tables.get(next);
        if (t === undefined) { t = table(next, 0); tables.set(next, t); }
        return t;
      }));
    }
    return out;
  };
  return table(rootPpn, 1);
}

/** What a PTE found at `level` makes of its slot (steps 3, 4 and 6 of the algorithm). */
function classify(pte: number, pteAddr: number, level: 0 | 1, sub: (ppn: number) => readonly Slot[]): Slot {
  const has = (b: number): boolean => (pte & b) !== 0;
  // "If pte.v = 0, or if pte.r = 0 and pte.w = 1 ... stop and raise a page-fault exception."
  if (!has(V)) return { kind: 'page-fault', why: 'V=0', pteAddr, pte };
  if (!has(R) && has(W)) return { kind: 'page-fault', why: 'W without R (reserved)', pteAddr, pte };
  const ppn = Math.floor(pte / 1024); // PTE bits 31:10
  if (has(R) || has(X)) {
    // A leaf. "A megapage must be virtually and physically aligned to a 4 MiB boundary; a
    // page-fault exception is raised if the physical address is insufficiently aligned."
    if (level === 1 && ppn % 1024 !== 0) return { kind: 'page-fault', why: 'misaligned megapage', pteAddr, pte };
    return { kind: 'leaf', level, pte, pteAddr };
  }
  // A pointer. "For non-leaf PTEs, the D, A, and U bits are reserved for future standard use", and
  // step 3 faults when "any bits or encodings that are reserved for future standard use are set".
  if (has(D) || has(A) || has(U)) return { kind: 'page-fault', why: 'non-leaf PTE with D/A/U (reserved)', pteAddr, pte };
  // A pointer in the last level: "If i < 0, stop and raise a page-fault exception."
  if (level === 0) return { kind: 'page-fault', why: 'pointer at level 0', pteAddr, pte };
  return { kind: 'table', pteAddr, pte, slots: sub(ppn) };
}

export interface Query {
  /** Effective privilege of the access: 0 (U) or 1 (S). */
  priv: 0 | 1;
  sum: boolean;
  mxr: boolean;
  /** Hardware A/D update, or a page fault when A (or D for a store) is clear. */
  ad: 'hardware' | 'fault';
  /** May the hart store to this physical address (PMA and PMP for an S-mode store)? */
  storeOk?: (pa: number) => boolean;
}

export type Outcome =
  | { ok: true; pa: number; level: 0 | 1; pteAddr: number; update: number | null }
  | { ok: false; fault: 'page' | 'access'; why: string };

/** Translate `va` for an access of kind `acc` against a derived space. */
export function lookup(space: readonly Slot[], va: number, acc: Acc, q: Query): Outcome {
  const vpn1 = Math.floor((va >>> 0) / 2 ** 22), vpn0 = (va >>> 12) & 0x3ff;
  let slot = space[vpn1]!;
  if (slot.kind === 'table') slot = slot.slots[vpn0]!;
  if (slot.kind === 'page-fault') return { ok: false, fault: 'page', why: slot.why };
  if (slot.kind === 'access-fault') return { ok: false, fault: 'access', why: slot.why };
  if (slot.kind === 'table') throw new Error('unreachable: tables only at the root');
  const pte = slot.pte;
  const has = (b: number): boolean => (pte & b) !== 0;
  // Step 5, with "Addressing and Memory Protection": U-mode only on U=1 pages; S-mode on U=1 pages
  // only with SUM and never for execution; reads need R, or X with MXR; writes need W; fetches X.
  if (q.priv === 0 && !has(U)) return { ok: false, fault: 'page', why: 'U-mode access to a U=0 page' };
  if (q.priv === 1 && has(U) && acc === 'x') return { ok: false, fault: 'page', why: 'S-mode fetch from a U=1 page' };
  if (q.priv === 1 && has(U) && !q.sum) return { ok: false, fault: 'page', why: 'S-mode access to a U=1 page with SUM=0' };
  const allowed = acc === 'r' ? has(R) || (q.mxr && has(X)) : acc === 'w' ? has(W) : has(X);
  if (!allowed) return { ok: false, fault: 'page', why: `no ${acc} permission` };
  // Step 7.
  let update: number | null = null;
  if (!has(A) || (acc === 'w' && !has(D))) {
    if (q.ad === 'fault') return { ok: false, fault: 'page', why: acc === 'w' && has(A) ? 'D=0 (Svade)' : 'A=0 (Svade)' };
    if (q.storeOk !== undefined && !q.storeOk(slot.pteAddr)) return { ok: false, fault: 'access', why: 'A/D update store denied' };
    update = (pte | A | (acc === 'w' ? D : 0)) >>> 0;
  }
  // Step 8: pa.pgoff = va.pgoff; a megapage takes pa.ppn[0] from va.vpn[0].
  const pa = slot.level === 1
    ? Math.floor(pte / 2 ** 20) * 2 ** 22 + ((va >>> 0) % 2 ** 22)
    : Math.floor(pte / 1024) * 4096 + ((va >>> 0) % 4096);
  return { ok: true, pa, level: slot.level, pteAddr: slot.pteAddr, update };
}

/** Every mapped (leaf) region of a space, as [va, bytes, slot]: the enumeration used by tests. */
export function mappings(space: readonly Slot[]): Array<[number, number, Slot]> {
  const out: Array<[number, number, Slot]> = [];
  space.forEach((s, i) => {
    if (s.kind === 'leaf') out.push([i * 2 ** 22, 2 ** 22, s]);
    if (s.kind === 'table') s.slots.forEach((t, j) => { if (t.kind === 'leaf') out.push([i * 2 ** 22 + j * 4096, 4096, t]); });
  });
  return out;
}

const hex = (n: number): string => '0x' + n.toString(16);
