/**
 * mtime as two 32-bit halves (DEV-TIME-*): exact 64-bit arithmetic without BigInt. Time advances
 * only with retired instructions (ticksPerInstruction each), never with the host clock.
 */
export interface Time { readonly lo: number; readonly hi: number }

export const ZERO_TIME: Time = Object.freeze({ lo: 0, hi: 0 });

/** time + n for 0 <= n < 2^32, wrapping at 2^64. */
export function addTime(t: Time, n: number): Time {
  const lo = t.lo + n;
  return lo >= 4294967296 ? { lo: lo - 4294967296, hi: (t.hi + 1) >>> 0 } : { lo, hi: t.hi };
}

/** -1, 0 or 1 as a <, = or > b (unsigned 64-bit). */
export const compareTime = (a: Time, b: Time): number =>
  a.hi !== b.hi ? (a.hi < b.hi ? -1 : 1) : a.lo !== b.lo ? (a.lo < b.lo ? -1 : 1) : 0;

/** b - a as a JS number when b >= a (exact below 2^53; saturates above). */
export const timeDiff = (a: Time, b: Time): number => (b.hi - a.hi) * 4294967296 + (b.lo - a.lo);
