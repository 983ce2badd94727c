/** A bounded differential run for the QEMU properties: generate, prescreen, run in batches, count verdicts. */
import fc from 'fast-check';
import type { Arbitrary } from 'fast-check';
import { prescreen, runBatch, type Verdict } from '../../src/qemu/diff.js';
import type { TestProgram } from '../../src/qemu/program.js';

export interface Sample {
  programs: TestProgram[];
  /** Indices of the programs that end on popek (the ones run on both). */
  idx: number[];
  verdicts: Verdict[];
  /** Verdicts by deviation id or kind. */
  counts: Record<string, number>;
  /** "program i: verdict" for every divergence or missing result. */
  bad: string[];
}

/** Run `n` programs of `arb` (seed `seed`) on popek and QEMU, 150 per QEMU batch. */
export async function runSample(arb: Arbitrary<TestProgram>, seed: number, n: number): Promise<Sample> {
  const programs = fc.sample(arb, { seed, numRuns: n });
  const ends = prescreen(programs);
  const idx = programs.map((_, i) => i).filter((i) => ends[i]);
  const verdicts: Verdict[] = [];
  for (let b = 0; b < idx.length; b += 150) {
    const part = idx.slice(b, b + 150);
    verdicts.push(...(await runBatch(part.map((i) => programs[i]!), part)).verdicts);
  }
  const counts: Record<string, number> = {};
  for (const v of verdicts) { const k = v.kind === 'known' ? v.id : v.kind; counts[k] = (counts[k] ?? 0) + 1; }
  const bad = verdicts.map((v, k) => [idx[k]!, v] as const).filter(([, v]) => v.kind === 'diverge' || v.kind === 'missing')
    .map(([i, v]) => `program ${i}: ${JSON.stringify(v)}`);
  return { programs, idx, verdicts, counts, bad };
}
