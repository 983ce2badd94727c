/**
 * The guest-visible state of a machine (OBS-*): what equivalence and isolation properties compare,
 * what vectors record. CSRs are observed as a CSR instruction in M-mode would read them.
 */
import type { Machine } from './machine.js';
import { csrRead, implementedCsrs, csrName, type CsrEnv } from '../hart/csrs.js';
import { lines } from '../devices/platform.js';
import { chunkAt, chunkOffsets, CHUNK_SIZE } from '../memory/store.js';
import type { HartState } from '../hart/state.js';

export interface HartObservation {
  pc: number;
  priv: number;
  /** The virtualization mode (H extension). */
  v: number;
  x: number[];
  /** Every implemented CSR by name, as M-mode reads it (time included). */
  csrs: Record<string, number>;
  waiting: boolean;
  reservation: number;
}

export interface Observation {
  harts: HartObservation[];
  /** Non-zero RAM chunks: offset from ramBase → bytes as hex. */
  ram: Record<string, string>;
  out: string;
  halt: Machine['halt'];
}

/** The CSR environment of hart `h` in machine `m`. */
export const machineCsrEnv = (m: Machine, h: HartState): CsrEnv => ({
  misa: m.isa.misa, pmpEntries: m.config.pmpEntries, pmpGranularity: m.config.pmpGranularity,
  timeLo: m.time.lo, timeHi: m.time.hi, lines: lines(m.dev, h.id, m.time),
});

/** OBS-CSR: every implemented CSR of a hart by name, read with M-mode's view. */
export function observeCsrs(m: Machine, h: HartState): Record<string, number> {
  const env = machineCsrEnv(m, h);
  const out: Record<string, number> = {};
  for (const n of implementedCsrs()) out[csrName(n)!] = csrRead(h, n, env);
  return out;
}

/** OBS-1: the observation of a machine. */
export function observe(m: Machine): Observation {
  const ram: Record<string, string> = {};
  const lo = m.config.ramBase, hi = lo + m.config.ramSize;
  for (const off of chunkOffsets(m.mem)) {
    if (off < lo || off >= hi) continue;
    const bytes = chunkAt(m.mem, off);
    if (bytes.every((b) => b === 0)) continue;
    ram[(off - lo).toString(16)] = Buffer.from(bytes.subarray(0, Math.min(CHUNK_SIZE, hi - off))).toString('hex');
  }
  return {
    harts: m.harts.map((h) => ({
      pc: h.pc >>> 0, priv: h.priv, v: h.v, x: [...h.x].map((v) => v >>> 0), csrs: observeCsrs(m, h),
      waiting: h.waiting, reservation: h.reservation,
    })),
    ram, out: m.out, halt: m.halt,
  };
}
