/** Whole-machine snapshots for engine-agreement properties (STEP-PURE, ENG-TLB-1). */
import type { Machine } from '../../src/machine/machine.js';
import { step } from '../../src/engines/reference.js';
import { chunkAt, chunkOffsets } from '../../src/memory/store.js';

/** Everything observable in a machine, as plain data; memory as the hex of every non-zero chunk. */
export function snap(m: Machine): unknown {
  const mem: Record<string, string> = {};
  for (const off of chunkOffsets(m.mem)) {
    const b = chunkAt(m.mem, off);
    if (b.some((x) => x !== 0)) mem[off.toString(16)] = Buffer.from(b).toString('hex');
  }
  return {
    config: m.config, isa: m.isa, time: m.time, out: m.out, halt: m.halt, htif: m.htif,
    dev: JSON.parse(JSON.stringify(m.dev)) as unknown,
    harts: m.harts.map((h) => ({ ...h, x: [...h.x], csr: { ...h.csr, pmpcfg: [...h.csr.pmpcfg], pmpaddr: [...h.csr.pmpaddr] } })),
    mem,
  };
}

/** n applications of `step`, each on a fresh working copy. */
export const fold = (m: Machine, n: number): Machine => {
  let c = m;
  for (let k = 0; k < n; k++) c = step(c);
  return c;
};
