/**
 * The core-local interruptor (DEV-CLINT-*) of QEMU's `virt` machine: a SiFive-compatible CLINT made
 * of an ACLINT MSWI block (msip, offsets 0x0000-0x3FFF) and an ACLINT MTIMER block (mtimecmp at
 * 0x4000, mtime at 0xBFF8). mtime itself is not state here: it is the machine's Time, passed in.
 */
import type { Time } from './time.js';
import { ZERO_TIME, compareTime } from './time.js';

/** DEV-CLINT-1: size of the CLINT region (QEMU virt memmap VIRT_CLINT). */
export const SIZE = 0x10000;

const MSIP_BASE = 0x0000;
const MTIMER_BASE = 0x4000;
const MTIMECMP_BASE = 0x4000;
const MTIME_LO = 0xbff8;
const MTIME_HI = 0xbffc;

export interface ClintState {
  /** Per hart: the msip register (0 or 1). */
  readonly msip: readonly number[];
  /** Per hart: mtimecmp as two 32-bit halves. */
  readonly mtimecmp: readonly Time[];
}

/** DEV-CLINT-8: the state after reset: msip clear and every mtimecmp 0, as QEMU initialises it. */
export function reset(harts: number): ClintState {
  const n = Number.isSafeInteger(harts) && harts > 0 ? harts : 0;
  return { msip: new Array<number>(n).fill(0), mtimecmp: new Array<Time>(n).fill(ZERO_TIME) };
}

/** DEV-CLINT-1: a 32-bit, naturally aligned access that lies inside the region. */
const accepted = (off: number, size: number): boolean =>
  size === 4 && Number.isInteger(off) && off >= 0 && off + size <= SIZE && off % size === 0;

/** The hart whose msip register is at `off`, or -1 (DEV-CLINT-2). */
const msipHart = (s: ClintState, off: number): number => {
  const h = (off - MSIP_BASE) >>> 2;
  return off < MTIMER_BASE && h < s.msip.length ? h : -1;
};

/** The hart whose mtimecmp holds `off`, or -1 (DEV-CLINT-3). */
const timecmpHart = (s: ClintState, off: number): number => {
  if (off < MTIMECMP_BASE) return -1;
  const h = (off - MTIMECMP_BASE) >>> 3;
  return h < s.mtimecmp.length ? h : -1;
};

/** DEV-CLINT-1..4, 6: an MMIO load; null (access fault) unless it is an aligned 32-bit access. */
export function read(s: ClintState, off: number, size: number, time: Time): number | null {
  if (!accepted(off, size)) return null;
  const m = msipHart(s, off);
  // DEV-CLINT-2: only bit 0 exists.
  if (m >= 0) return (s.msip[m] ?? 0) & 1;
  const c = timecmpHart(s, off);
  if (c >= 0) {
    const t = s.mtimecmp[c] ?? ZERO_TIME;
    return (off & 4) === 0 ? t.lo : t.hi;
  }
  if (off === MTIME_LO) return time.lo;
  if (off === MTIME_HI) return time.hi;
  // DEV-CLINT-6: QEMU answers unmapped offsets inside the region with 0 rather than a bus error.
  return 0;
}

/** Replace element `i` of a readonly array, copying it. */
const replaceAt = <T>(xs: readonly T[], i: number, x: T): readonly T[] => {
  const ys = xs.slice();
  ys[i] = x;
  return ys;
};

/** DEV-CLINT-1..4, 6: an MMIO store, giving the new state and mtime; null (access fault) as for read. */
export function write(
  s: ClintState, off: number, size: number, v: number, time: Time,
): { s: ClintState; time: Time } | null {
  if (!accepted(off, size)) return null;
  const w = v >>> 0;
  const m = msipHart(s, off);
  if (m >= 0) return { s: { ...s, msip: replaceAt(s.msip, m, w & 1) }, time };
  const c = timecmpHart(s, off);
  if (c >= 0) {
    const t = s.mtimecmp[c] ?? ZERO_TIME;
    // DEV-CLINT-3: RV32 software writes the halves separately; each write keeps the other half.
    const nt: Time = (off & 4) === 0 ? { lo: w, hi: t.hi } : { lo: t.lo, hi: w };
    return { s: { ...s, mtimecmp: replaceAt(s.mtimecmp, c, nt) }, time };
  }
  // DEV-CLINT-4: mtime is the machine's clock, so a write hands a new time back to the caller.
  if (off === MTIME_LO) return { s, time: { lo: w, hi: time.hi } };
  if (off === MTIME_HI) return { s, time: { lo: time.lo, hi: w } };
  // DEV-CLINT-6: writes to unmapped offsets are dropped, as QEMU does.
  return { s, time };
}

/** DEV-CLINT-2: the machine software interrupt line of `hart`. */
export const msip = (s: ClintState, hart: number): boolean => ((s.msip[hart] ?? 0) & 1) !== 0;

/** DEV-CLINT-5: the machine timer interrupt line of `hart`: mtime >= mtimecmp, unsigned 64-bit. */
export function mtip(s: ClintState, hart: number, time: Time): boolean {
  const t = s.mtimecmp[hart];
  return t !== undefined && compareTime(time, t) >= 0;
}

/** DEV-CLINT-7: the smallest mtimecmp strictly after `time`, or null if no timer fires later. */
export function nextEvent(s: ClintState, time: Time): Time | null {
  let best: Time | null = null;
  for (const t of s.mtimecmp) {
    if (compareTime(t, time) > 0 && (best === null || compareTime(t, best) < 0)) best = t;
  }
  return best;
}
