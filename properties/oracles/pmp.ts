/**
 * An independent PMP oracle, written from Vol. II §3.7 ("Physical Memory Protection": §3.7.1
 * "Address Matching", "Locking and Privilege Mode", "Priority and Matching Logic") without looking
 * at src/memory/pmp.ts. Matching is decided byte by byte: for each entry, which bytes of the access
 * does it match? Used by properties/pmp.test.ts (PMP-MATCH-1, PMP-RANGE, PMP-LOCK-2, PMP-CFG-1,
 * PMP-ADDR-1, PMP-LOCK-1) and by the privileged and translation properties.
 */

export type Acc = 'r' | 'w' | 'x';

export interface PmpState {
  /** pmp0cfg.. as bytes (at least `entries` of them). */
  cfg: readonly number[];
  /** pmpaddr0.. as stored (bits 33:2 of an address). */
  addr: readonly number[];
  /** Number of implemented entries (0, 16 or 64; popek allows any 0..64). */
  entries: number;
  /** Granularity G: the PMP grain is 2^(G+2) bytes. */
  g: number;
}

const L = 0x80;
const aField = (cfg: number): number => (cfg >>> 3) & 3;
const pow2 = (n: number): number => 2 ** n;
/** x with bits n-1:0 cleared (x up to 2^32). */
const clearLow = (x: number, n: number): number => Math.floor(x / pow2(n)) * pow2(n);

/** Does entry `i` match the byte at physical address `y` (below 2^34)? */
export function matchesByte(s: PmpState, i: number, y: number): boolean {
  const c = s.cfg[i] ?? 0;
  const a = s.addr[i] ?? 0;
  switch (aField(c)) {
    case 0: return false; // OFF: "this PMP entry is disabled and matches no addresses"
    case 1: {
      // TOR: pmpaddr[i-1] <= y < pmpaddr[i] (in units of 4 bytes), irrespective of pmpcfg[i-1];
      // entry 0 uses 0 as the bottom. "Bits pmpaddr[G-1:0] do not affect the TOR address-matching logic."
      const lo = i === 0 ? 0 : clearLow(s.addr[i - 1] ?? 0, s.g) * 4;
      const hi = clearLow(a, s.g) * 4;
      return lo <= y && y < hi;
    }
    case 2: return Math.floor(y / 4) === a; // NA4: the four bytes at pmpaddr * 4
    default: {
      // NAPOT: "When G >= 2 and the mode is NAPOT, bits pmpaddr[G-2:0] read as all ones"; the
      // number t of trailing ones gives a 2^(t+3)-byte region (t = 32: 2^35 bytes, everything).
      const eff = s.g >= 2 ? (a | (pow2(s.g - 1) - 1)) >>> 0 : a >>> 0;
      let t = 0;
      while (t < 32 && Math.floor(eff / pow2(t)) % 2 === 1) t++;
      if (t === 32) return true;
      return Math.floor(Math.floor(y / 4) / pow2(t + 1)) === Math.floor(eff / pow2(t + 1));
    }
  }
}

/** The verdict and the reason (for counterexamples). */
export interface Verdict { ok: boolean; why: string }

/** Does PMP allow an access of `size` bytes at `pa` of kind `acc` with effective privilege `priv`? */
export function pmpVerdict(s: PmpState, pa: number, size: number, acc: Acc, priv: number): Verdict {
  for (let i = 0; i < s.entries; i++) {
    let n = 0;
    for (let b = 0; b < size; b++) if (matchesByte(s, i, pa + b)) n++;
    if (n === 0) continue;
    // "The lowest-numbered PMP entry that matches any byte of an access determines whether that
    // access succeeds or fails. The matching PMP entry must match all bytes of an access, or the
    // access fails, irrespective of the L, R, W, and X bits."
    if (n < size) return { ok: false, why: `entry ${i} matches ${n} of ${size} bytes` };
    const c = s.cfg[i] ?? 0;
    if ((c & L) === 0 && priv === 3) return { ok: true, why: `entry ${i} unlocked, M-mode` };
    const bit = acc === 'r' ? 1 : acc === 'w' ? 2 : 4;
    return (c & bit) !== 0
      ? { ok: true, why: `entry ${i} grants ${acc}` }
      : { ok: false, why: `entry ${i} denies ${acc}${(c & L) !== 0 ? ' (locked)' : ''}` };
  }
  // "If no PMP entry matches an M-mode access, the access succeeds. If no PMP entry matches an
  // S-mode or U-mode access, but at least one PMP entry is implemented, the access fails."
  if (priv === 3) return { ok: true, why: 'no match, M-mode' };
  return s.entries > 0 ? { ok: false, why: 'no match, S/U-mode' } : { ok: true, why: 'no PMP entries implemented' };
}

export const pmpAllows = (s: PmpState, pa: number, size: number, acc: Acc, priv: number): boolean =>
  pmpVerdict(s, pa, size, acc, priv).ok;

// --- The PMP CSRs (§3.7.1 "Physical Memory Protection CSRs", "Locking and Privilege Mode"), with
// popek's WARL choices (spec/pmp.md PMP-CFG-1, PMP-ADDR-1, PMP-LOCK-1).

/** Is pmpaddr[i] write-protected: entry i locked, or entry i+1 locked with A = TOR? */
export function addrLocked(s: PmpState, i: number): boolean {
  if (((s.cfg[i] ?? 0) & L) !== 0) return true;
  const next = s.cfg[i + 1] ?? 0;
  return i + 1 < s.entries && (next & L) !== 0 && aField(next) === 1;
}

/** The pmpcfg byte popek stores for a write of `v` over `old` (entry not locked). */
export function legalCfg(old: number, v: number, g: number): number {
  let c = v & 0x9f; // bits 6:5 are reserved, read as zero
  if ((c & 1) === 0) c &= ~2; // R=0, W=1 is reserved: popek clears W
  if (g >= 1 && aField(c) === 2) c = (c & ~0x18) | (old & 0x18); // NA4 not selectable: A unchanged
  return c;
}

/** Write CSR pmpcfgN (N = 0..15) with value v. */
export function writePmpcfg(s: PmpState, n: number, v: number): PmpState {
  const cfg = [...s.cfg];
  for (let k = 0; k < 4; k++) {
    const i = 4 * n + k;
    if (i >= s.entries || ((cfg[i] ?? 0) & L) !== 0) continue;
    cfg[i] = legalCfg(cfg[i] ?? 0, (v >>> (8 * k)) & 0xff, s.g);
  }
  return { ...s, cfg };
}

/** Write CSR pmpaddrI (I = 0..63). */
export function writePmpaddr(s: PmpState, i: number, v: number): PmpState {
  if (i >= s.entries || addrLocked(s, i)) return s;
  const addr = [...s.addr];
  addr[i] = v >>> 0;
  return { ...s, addr };
}

/** Read CSR pmpcfgN. */
export function readPmpcfg(s: PmpState, n: number): number {
  let v = 0;
  for (let k = 0; k < 4; k++) {
    const i = 4 * n + k;
    if (i < s.entries) v += (s.cfg[i] ?? 0) * pow2(8 * k);
  }
  return v >>> 0;
}

/** Read CSR pmpaddrI: NAPOT with G >= 2 reads bits G-2:0 as ones; OFF/TOR with G >= 1 read bits G-1:0 as zeros. */
export function readPmpaddr(s: PmpState, i: number): number {
  if (i >= s.entries) return 0;
  const a = s.addr[i] ?? 0;
  const mode = aField(s.cfg[i] ?? 0);
  if (mode === 3) return s.g >= 2 ? (a | (pow2(s.g - 1) - 1)) >>> 0 : a >>> 0;
  if (mode === 2) return a >>> 0;
  return s.g >= 1 ? clearLow(a, s.g) >>> 0 : a >>> 0;
}
