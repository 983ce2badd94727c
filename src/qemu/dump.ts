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

const H8 = '([0-9a-f]{8})';
const RECORD = new RegExp(`@ ${H8}((?: [0-9a-f]{8}){${31 + DUMP_CSRS.length}})\\|((?: [0-9a-f]{8} [0-9a-f]{8})*) \\$`, 'g');

/** QDIFF-DUMP-1: every complete record in a UART transcript, in order. */
export function parseDump(out: string): FinalState[] {
  const res: FinalState[] = [];
  for (const m of out.matchAll(RECORD)) {
    const words = m[2]!.trim().split(' ').map((w) => parseInt(w, 16) >>> 0);
    const csrs: Record<string, number> = {};
    DUMP_CSRS.forEach(([name], k) => { csrs[name] = words[31 + k]!; });
    const mw = m[3]!.trim() === '' ? [] : m[3]!.trim().split(' ').map((w) => parseInt(w, 16) >>> 0);
    const mem: Array<[number, number]> = [];
    for (let k = 0; k + 1 < mw.length; k += 2) mem.push([mw[k]!, mw[k + 1]!]);
    res.push({ index: parseInt(m[1]!, 16), x: words.slice(0, 31), csrs, mem });
  }
  return res;
}

/** One field in which two final states differ. */
export interface FieldDiff { field: string; popek: number | null; qemu: number | null }

const hex = (v: number | null): string => (v === null ? '(unchanged)' : '0x' + (v >>> 0).toString(16).padStart(8, '0'));
export const showDiff = (d: FieldDiff): string => `${d.field}: popek ${hex(d.popek)}, qemu ${hex(d.qemu)}`;

/** QDIFF-CMP-1: the fields in which two final states differ (registers, CSRs, then memory words). */
export function compareStates(p: FinalState, q: FinalState): FieldDiff[] {
  const d: FieldDiff[] = [];
  for (let r = 0; r < 31; r++) if (p.x[r] !== q.x[r]) d.push({ field: `x${r + 1}`, popek: p.x[r]!, qemu: q.x[r]! });
  for (const [name] of DUMP_CSRS) if (p.csrs[name] !== q.csrs[name]) d.push({ field: name, popek: p.csrs[name]!, qemu: q.csrs[name]! });
  const pm = new Map(p.mem), qm = new Map(q.mem);
  const addrs = [...new Set([...pm.keys(), ...qm.keys()])].sort((a, b) => a - b);
  for (const a of addrs) {
    const pv = pm.get(a) ?? null, qv = qm.get(a) ?? null;
    if (pv !== qv) d.push({ field: `mem[0x${a.toString(16)}]`, popek: pv, qemu: qv });
  }
  return d;
}
