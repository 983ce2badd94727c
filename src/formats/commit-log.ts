/**
 * Spike-compatible commit logs (LOG-SPIKE-*): one line per retired instruction, in the format of
 * `spike --log-commits` for RV32, so the two can be diffed line by line:
 *   core   0: 3 0x80000000 (0x00000297) x5  0x80000000
 * Register and CSR writes come in Spike's order (by register number, x registers before CSRs of
 * the same number), then loads (` mem ADDR`), then stores (` mem ADDR VALUE`, VALUE printed
 * with 2 × size hex digits). Steps that trap or take an interrupt print nothing, as in Spike.
 */
import type { CommitRecord } from '../machine/commit-record.js';
import { csrName } from '../hart/csrs.js';

const h = (v: number, digits: number): string => '0x' + (v >>> 0).toString(16).padStart(digits, '0');

/** The Spike commit-log line for a record, or null for a step that did not retire. */
export function spikeLine(r: CommitRecord): string | null {
  if (r.trap !== null) return null;
  let s = `core ${String(r.hart).padStart(3)}: ${r.priv} ${h(r.pc, 8)} (${h(r.word, 8)})`;
  const writes: Array<[number, string]> = [
    ...r.regs.map(([n, v]): [number, string] => [n * 16, ` x${String(n).padEnd(2)} ${h(v, 8)}`]),
    ...r.csrs.map(([n, v]): [number, string] => [n * 16 + 4, ` c${n}_${csrName(n) ?? 'unknown'} ${h(v, 8)}`]),
  ].sort((a, b) => a[0] - b[0]);
  for (const [, t] of writes) s += t;
  for (const m of r.mem) if (m.op === 'r') s += ` mem ${h(m.addr, 8)}`;
  for (const m of r.mem) if (m.op === 'w') s += ` mem ${h(m.addr, 8)} ${h(m.value, m.size * 2)}`;
  return s;
}
