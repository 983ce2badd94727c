/**
 * Physical memory protection (privileged spec §3.7, PMP-*). Pure functions over the pmpcfg bytes
 * and pmpaddr registers held in the CSR file.
 */

export const PMP_R = 1, PMP_W = 2, PMP_X = 4, PMP_L = 0x80;
export const PMP_A_SHIFT = 3;
export const PMP_OFF = 0, PMP_TOR = 1, PMP_NA4 = 2, PMP_NAPOT = 3;

export type Access = 'r' | 'w' | 'x';

/**
 * PMP-CFG-1: legalise a pmpcfg byte. Bits 6:5 are reserved (read 0). R=0,W=1 is reserved (§3.7.1);
 * popek clears W in that case. NA4 is not selectable when the granularity G >= 1; popek then keeps
 * the entry's previous A field.
 */
export function legalizePmpcfg(old: number, v: number, g: number): number {
  let c = v & 0x9f;
  if ((c & PMP_R) === 0) c &= ~PMP_W;
  if (g >= 1 && ((c >>> PMP_A_SHIFT) & 3) === PMP_NA4) c = (c & ~(3 << PMP_A_SHIFT)) | (old & (3 << PMP_A_SHIFT));
  return c;
}

/**
 * PMP-ADDR-1: the value read back from pmpaddr[i] with granularity G (§3.7.1): for NAPOT and G >= 2,
 * bits G-2:0 read as ones; for OFF and TOR, bits G-1:0 read as zeros.
 */
export function readPmpaddr(raw: number, cfg: number, g: number): number {
  if (g === 0) return raw >>> 0;
  const a = (cfg >>> PMP_A_SHIFT) & 3;
  if (a === PMP_NAPOT) return g >= 2 ? (raw | ((1 << (g - 1)) - 1)) >>> 0 : raw >>> 0;
  return (raw & ~((1 << g) - 1)) >>> 0;
}

/** PMP-LOCK-1: a pmpaddr write is ignored when its entry is locked, or the next entry is a locked TOR. */
export function pmpaddrLocked(cfg: readonly number[], i: number, entries: number): boolean {
  if ((cfg[i]! & PMP_L) !== 0) return true;
  const next = cfg[i + 1] ?? 0;
  return i + 1 < entries && (next & PMP_L) !== 0 && ((next >>> PMP_A_SHIFT) & 3) === PMP_TOR;
}

/** The byte range [lo, hi) an entry covers (34-bit physical addresses), or null if OFF. */
export function pmpRange(cfg: readonly number[], addr: readonly number[], i: number, g: number): [number, number] | null {
  const a = (cfg[i]! >>> PMP_A_SHIFT) & 3;
  const raw = readPmpaddr(addr[i]!, cfg[i]!, g);
  switch (a) {
    case PMP_OFF: return null;
    case PMP_TOR: {
      const lo = i === 0 ? 0 : readPmpaddr(addr[i - 1]!, cfg[i - 1]!, g) * 4;
      return [lo, raw * 4];
    }
    case PMP_NA4: return [raw * 4, raw * 4 + 4];
    default: {
      // NAPOT: the number of trailing ones t gives a region of 2^(t+3) bytes.
      let t = 0;
      while (t < 32 && ((raw >>> t) & 1) === 1) t++;
      const size = 2 ** (t + 3);
      const base = t >= 32 ? 0 : Math.floor((raw * 4) / size) * size;
      return [base, base + size];
    }
  }
}

/** The active entries of a PMP configuration, in priority order, with their byte ranges. */
export interface PmpTable {
  /** [lo, hi, cfg] per active (non-OFF, non-empty) entry. */
  readonly entries: ReadonlyArray<readonly [number, number, number]>;
  /** Number of implemented entries (0 means PMP is absent). */
  readonly implemented: number;
  /** Some active entry is locked (so PMP also constrains M-mode). */
  readonly anyLocked: boolean;
}

/** Precompute the ranges of every active entry (the CSR arrays are copy-on-write, so a table stays valid until they change). */
export function compilePmp(cfg: readonly number[], addr: readonly number[], entries: number, g: number): PmpTable {
  const out: Array<readonly [number, number, number]> = [];
  for (let i = 0; i < entries; i++) {
    const r = pmpRange(cfg, addr, i, g);
    // An empty TOR range matches nothing, so it cannot shadow later entries.
    if (r !== null && r[0] < r[1]) out.push([r[0], r[1], cfg[i]!]);
  }
  return { entries: out, implemented: entries, anyLocked: out.some((e) => (e[2] & PMP_L) !== 0) };
}

/**
 * PMP-MATCH-1 (§3.7.1 "Priority and Matching Logic"): the lowest-numbered entry that matches any byte
 * of the access decides. The access must lie wholly inside it, else it fails. With no match,
 * M-mode succeeds and S/U fail when at least one entry is implemented.
 * PMP-LOCK-2: unlocked entries do not apply to M-mode; locked ones do.
 * `effPriv` is the effective privilege (MPRV applied by the caller).
 */
export function pmpAllowsTable(t: PmpTable, pa: number, size: number, access: Access, effPriv: number): boolean {
  // With no locked entry, M-mode can only fail on a partial match, and regions are 4-byte granular,
  // so an access within one aligned word always succeeds.
  if (effPriv === 3 && !t.anyLocked && (pa & 3) + size <= 4) return true;
  const bit = access === 'r' ? PMP_R : access === 'w' ? PMP_W : PMP_X;
  for (const [lo, hi, c] of t.entries) {
    if (pa + size <= lo || pa >= hi) continue;
    if (pa < lo || pa + size > hi) return false;
    if (effPriv === 3 && (c & PMP_L) === 0) return true;
    return (c & bit) !== 0;
  }
  return effPriv === 3 || t.implemented === 0;
}

/** PMP-MATCH-1 from the raw CSR values (compiles the table first). */
export const pmpCheck = (
  cfg: readonly number[], addr: readonly number[], entries: number, g: number,
  pa: number, size: number, access: Access, effPriv: number,
): boolean => pmpAllowsTable(compilePmp(cfg, addr, entries, g), pa, size, access, effPriv);
