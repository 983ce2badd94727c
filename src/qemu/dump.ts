/**
 * The final-state records a batch prints over the UART (QDIFF-DUMP), parsed back into values, and
 * the comparison of two records (QDIFF-CMP).
 */
import { DUMP_CSRS } from './program.js';

export interface FinalState {
  /** Index of the program in its batch. */
  index: number;
  /** x1..x31 (index 0 is x1). */
  x: number[];
  /** The CSRs of DUMP_CSRS by name. */
  csrs: Record<string, number>;
  /** Watched words whose value changed: [physical address, value]. */
  mem: Array<[number, number]>;
}

const RECORD = /@([0-9a-f]{8})((?: [0-9a-f]{2}=[0-9a-f]{8})*) \|((?: [0-9a-f]{8}:[0-9a-f]{8})*) \$/g;

/**
 * QDIFF-DUMP-1: every complete record in a UART transcript, in order. `expected[index]` holds the
 * values of x1..x31 and DUMP_CSRS that the guest left out because they did not change.
 */
export function parseDump(out: string, expected: readonly (readonly number[])[], dump: ReadonlyArray<readonly [string, number]> = DUMP_CSRS): FinalState[] {
  const res: FinalState[] = [];
  for (const m of out.matchAll(RECORD)) {
    const index = parseInt(m[1]!, 16);
    const vals = [...(expected[index] ?? new Array<number>(31 + dump.length).fill(0))];
    for (const it of m[2]!.trim().split(' ').filter((x) => x !== '')) {
      const [id, v] = it.split('=');
      vals[parseInt(id!, 16)] = parseInt(v!, 16) >>> 0;
    }
    const csrs: Record<string, number> = {};
    dump.forEach(([name], k) => { csrs[name] = vals[31 + k]! >>> 0; });
    const mem: Array<[number, number]> = [];
    for (const it of m[3]!.trim().split(' ').filter((x) => x !== '')) {
      const [a, v] = it.split(':');
      mem.push([parseInt(a!, 16) >>> 0, parseInt(v!, 16) >>> 0]);
    }
    res.push({ index, x: vals.slice(0, 31).map((v) => v >>> 0), csrs, mem });
  }
  return res;
}

/** One field in which two final states differ. */
export interface FieldDiff { field: string; popek: number | null; qemu: number | null }

const hex = (v: number | null): string => (v === null ? '(unchanged)' : '0x' + (v >>> 0).toString(16).padStart(8, '0'));
export const showDiff = (d: FieldDiff): string => `${d.field}: popek ${hex(d.popek)}, qemu ${hex(d.qemu)}`;

/** QDIFF-CMP-1: the fields in which two final states differ (registers, CSRs in dump order, then memory words). */
export function compareStates(p: FinalState, q: FinalState): FieldDiff[] {
  const d: FieldDiff[] = [];
  for (let r = 0; r < 31; r++) if (p.x[r] !== q.x[r]) d.push({ field: `x${r + 1}`, popek: p.x[r]!, qemu: q.x[r]! });
  for (const name of Object.keys(p.csrs)) if (p.csrs[name] !== q.csrs[name]) d.push({ field: name, popek: p.csrs[name]!, qemu: q.csrs[name]! });
  const pm = new Map(p.mem), qm = new Map(q.mem);
  const addrs = [...new Set([...pm.keys(), ...qm.keys()])].sort((a, b) => a - b);
  for (const a of addrs) {
    const pv = pm.get(a) ?? null, qv = qm.get(a) ?? null;
    if (pv !== qv) d.push({ field: `mem[0x${a.toString(16)}]`, popek: pv, qemu: qv });
  }
  return d;
}
