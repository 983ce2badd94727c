/**
 * Random PMP configurations (for properties/pmp.test.ts): entries that are OFF, TOR, NA4 or
 * NAPOT, locked or not, with legal R/W/X combinations, whose ranges crowd into small windows so
 * that they overlap, nest, touch and partially cover accesses; and accesses of 1, 2 or 4 bytes
 * at any alignment around those windows (including 34-bit physical addresses above 4 GiB).
 */
import fc from 'fast-check';
import type { Arbitrary } from 'fast-check';
import type { PmpState } from '../oracles/pmp.js';

/** The two windows entries crowd into: one in RAM, one above 4 GiB. In units of bytes. */
export const WINDOWS = [0x80010000, 0x300000000];
export const WINDOW_BYTES = 0x100;

/** A legal R/W/X field (R = 0 with W = 1 is reserved and never stored). */
const rwx: Arbitrary<number> = fc.constantFrom(0, 1, 3, 4, 5, 7);

/** One entry: [cfg byte, pmpaddr], ranges near window `w`. */
function entry(g: number, w: number): Arbitrary<[number, number]> {
  const base = WINDOWS[w]! / 4; // pmpaddr of the window's first byte
  const words = WINDOW_BYTES / 4;
  const modes = g === 0 ? [0, 1, 2, 3] : [0, 1, 3];
  return fc.record({
    lock: fc.integer({ min: 0, max: 4 }).map((n) => n === 0), mode: fc.constantFrom(...modes), perm: rwx,
    off: fc.integer({ min: 0, max: words + 4 }), t: fc.integer({ min: 0, max: 6 }), wild: fc.integer({ min: 0, max: 15 }),
    any: fc.integer({ min: 0, max: 0xffffffff }),
  }).map(({ lock, mode, perm, off, t, wild, any }) => {
    const cfg = (lock ? 0x80 : 0) | (mode << 3) | perm;
    if (wild === 0) return [cfg, any]; // occasionally anywhere, even huge NAPOT regions
    if (mode === 3) {
      // A NAPOT region of 2^(t+3) bytes containing the chosen word: base bits, a 0, then t ones.
      const a = Math.floor((base + off) / 2 ** (t + 1)) * 2 ** (t + 1) + (2 ** t - 1);
      return [cfg, a >>> 0];
    }
    return [cfg, (base + off) >>> 0];
  });
}

export interface PmpCase { s: PmpState; pa: number; size: 1 | 2 | 4; acc: 'r' | 'w' | 'x'; priv: 0 | 1 | 3 }

/** A configuration with `entries` implemented entries, the first `active` of them random. */
export function pmpState(entriesArb: Arbitrary<number> = fc.constantFrom(0, 4, 8, 16, 64)): Arbitrary<PmpState> {
  return fc.record({ entries: entriesArb, g: fc.constantFrom(0, 0, 0, 1, 2, 3), w: fc.constantFrom(0, 0, 1) })
    .chain(({ entries, g, w }) => fc.array(entry(g, w), { minLength: Math.min(entries, 1), maxLength: Math.min(entries, 8) })
      .map((es) => {
        const cfg = new Array<number>(64).fill(0), addr = new Array<number>(64).fill(0);
        es.forEach(([c, a], i) => { cfg[i] = c; addr[i] = a; });
        return { s: { cfg, addr, entries, g }, w };
      }))
    .map(({ s }) => s);
}

/** A configuration and an access around its window. */
export const pmpCase = (privs: ReadonlyArray<0 | 1 | 3>): Arbitrary<PmpCase> =>
  pmpState().chain((s) => {
    const inHigh = s.addr.slice(0, 8).some((a) => a >= WINDOWS[1]! / 4 && a < WINDOWS[1]! / 4 + 0x100);
    const base = inHigh ? WINDOWS[1]! : WINDOWS[0]!;
    return fc.record({
      s: fc.constant(s),
      pa: fc.oneof({ weight: 8, arbitrary: fc.integer({ min: -8, max: WINDOW_BYTES + 24 }).map((o) => base + o) },
        { weight: 1, arbitrary: fc.integer({ min: 0, max: 2 ** 34 - 4 }) }),
      size: fc.constantFrom<1 | 2 | 4>(1, 2, 4),
      acc: fc.constantFrom<'r' | 'w' | 'x'>('r', 'w', 'x'),
      priv: fc.constantFrom(...privs),
    });
  });

const MODE = ['OFF', 'TOR', 'NA4', 'NAPOT'];
/** A readable dump of the active entries. */
export function dumpPmp(s: PmpState): string {
  const lines = [`${s.entries} entries, G=${s.g}`];
  for (let i = 0; i < s.entries; i++) {
    const c = s.cfg[i] ?? 0, a = s.addr[i] ?? 0;
    if (c === 0 && a === 0) continue;
    lines.push(`  pmp${i}cfg=0x${c.toString(16).padStart(2, '0')} (${MODE[(c >>> 3) & 3]}${c & 0x80 ? ' L' : ''} ${c & 1 ? 'R' : '-'}${c & 2 ? 'W' : '-'}${c & 4 ? 'X' : '-'}) pmpaddr${i}=0x${a.toString(16)} (byte 0x${(a * 4).toString(16)})`);
  }
  return lines.join('\n');
}
