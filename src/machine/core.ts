/**
 * The engine's working copy of a machine (ENG-*): the same fields as `Machine`, owned by one engine
 * invocation and updated in place. `thaw` makes a fresh copy (the input is never written), and
 * `freeze` produces an immutable `Machine` again. This is how `step` stays pure while `run`
 * avoids rebuilding the machine after every instruction.
 */
import type { Config } from './config.js';
import type { IsaSet } from './isa-string.js';
import type { Halt, Machine } from './machine.js';
import { cloneHart, type HartState } from '../hart/state.js';
import { MemWriter, newOwner, type PhysMem } from '../memory/store.js';
import type { HtifState } from '../devices/htif.js';
import { type Devices, lines, nextTimerEvent } from '../devices/platform.js';
import type { Time } from '../devices/time.js';
import type { CommitRecord } from './commit-record.js';
import type { PmpTable } from '../memory/pmp.js';
import { newTlb, type Tlb } from './tlb.js';

export interface Core {
  readonly config: Config;
  readonly isa: IsaSet;
  harts: HartState[];
  /** The hart being stepped. */
  hart: HartState;
  mem: PhysMem;
  htif: HtifState;
  dev: Devices;
  /** mtime, as mutable halves (the machine value holds it as a `Time`). */
  timeLo: number;
  timeHi: number;
  /** Interrupt lines per hart (mip bits) and the time at which they must next be recomputed. */
  lines: number[];
  wakeLo: number;
  wakeHi: number;
  out: string;
  halt: Halt | null;
  /** Stores of the current instruction to tohost's low / high word (DEV-HTIF-2). */
  htifLow: boolean;
  htifHigh: boolean;
  /** The last compiled PMP table and the CSR arrays it was compiled from (a cache). */
  pmpLast: { cfg: readonly number[]; addr: readonly number[]; table: PmpTable } | null;
  /** Page base addresses whose stores are noted in `storeWatchHit` (a VMM's traced pages), or null. */
  storeWatch: ReadonlySet<number> | null;
  storeWatchHit: boolean;
  /** The exact translation cache (null: not used). */
  tlb: Tlb | null;
  /** When set, the commit stage fills in a record of what the instruction did. */
  rec: CommitRecord | null;
}

/** A working copy of `m` that shares nothing mutable with it. */
export function thaw(m: Machine): Core {
  const harts = m.harts.map(cloneHart);
  const c: Core = {
    config: m.config, isa: m.isa, harts, hart: harts[0]!,
    mem: new MemWriter(m.mem, newOwner()),
    htif: m.htif, dev: m.dev, timeLo: m.time.lo, timeHi: m.time.hi,
    lines: [], wakeLo: 0, wakeHi: 0, out: m.out, halt: m.halt, rec: null, htifLow: false, htifHigh: false, pmpLast: null, tlb: newTlb(), storeWatch: null, storeWatchHit: false,
  };
  refreshLines(c);
  return c;
}

/** Current mtime as a value. */
export const timeOf = (c: Core): Time => ({ lo: c.timeLo, hi: c.timeHi });

/**
 * DEV-IRQ-2: recompute every hart's interrupt lines from the devices, and the next time a timer
 * fires. Called after any device access and whenever time reaches that point.
 */
export function refreshLines(c: Core): void {
  const t = timeOf(c);
  c.lines = c.harts.map((h) => lines(c.dev, h.id, t));
  const w = nextTimerEvent(c.dev, t);
  c.wakeLo = w ? w.lo : 0;
  c.wakeHi = w ? w.hi : Infinity;
}

/** An immutable machine with the working copy's contents; the core stays usable afterwards. */
export function freeze(c: Core): Machine {
  // Only a core made by `thaw` owns a persistent memory to freeze (a VMM's view of guest RAM does not).
  if (!(c.mem instanceof MemWriter)) throw new Error('freeze: this core does not own its memory');
  return {
    config: c.config, isa: c.isa, harts: c.harts.map(cloneHart), mem: c.mem.freeze(),
    htif: c.htif, dev: c.dev, time: timeOf(c), out: c.out, halt: c.halt,
  };
}
