/** Commit records (LOG-REC-1): recording is observation only. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { machineFromWords } from '../src/machine/program.js';
import { run } from '../src/engines/reference.js';
import type { CommitRecord } from '../src/machine/commit-record.js';
import { runs } from './support/runs.js';

describe('commit records', () => {
  it('LOG-REC-1: running with records gives the same machine, and records replay the register writes', () => {
    // Falsified if logging changes execution, or a record's register writes disagree with the final registers.
    const word = fc.integer({ min: 0, max: 0xffffffff });
    fc.assert(fc.property(fc.array(word, { minLength: 1, maxLength: 10 }), fc.array(fc.integer({ min: -1000, max: 1000 }), { minLength: 31, maxLength: 31 }), (ws, xs) => {
      const regs = Object.fromEntries(xs.map((v, i) => [i + 1, (0x80000800 + v * 4) | 0]));
      const m = machineFromWords(ws, regs);
      const recs: CommitRecord[] = [];
      const a = run(m, { maxSteps: ws.length }).machine;
      const b = run(m, { maxSteps: ws.length, onCommit: (r) => recs.push(r) }).machine;
      expect([...b.harts[0]!.x]).toEqual([...a.harts[0]!.x]);
      expect(b.harts[0]!.pc).toBe(a.harts[0]!.pc);
      expect(b.harts[0]!.csr).toEqual(a.harts[0]!.csr);
      const replay = Int32Array.from(m.harts[0]!.x);
      for (const r of recs) for (const [rd, v] of r.regs) replay[rd] = v;
      expect([...replay]).toEqual([...b.harts[0]!.x]);
      expect(recs.length).toBe(ws.length);
    }), { numRuns: runs(300) });
  });
});
