/**
 * `npm run bench`: MIPS per engine and workload, written to bench/results.json (BENCH-1).
 * Wall-clock time is used only to measure the host, never inside the model.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isLeft } from 'fp-ts/lib/Either.js';
import { boot } from '../src/machine/boot.js';
import { run } from '../src/engines/reference.js';
import { repoRoot, table } from '../src/cli/conformance.js';
import type { Machine } from '../src/machine/machine.js';

interface Workload { name: string; elf: string; config?: string }
const WORKLOADS: Workload[] = [
  { name: 'crc32+sieve', elf: 'guests/bench-crc-sieve.elf' },
];

interface Engine { name: string; run(m: Machine): { steps: number; instret: number; halted: boolean } }
const ENGINES: Engine[] = [
  {
    name: 'reference',
    run: (m) => {
      const r = run(m, { maxSteps: 500_000_000 });
      const h = r.machine.harts[0]!;
      return { steps: r.steps, instret: h.instretHi * 4294967296 + h.instretLo, halted: r.machine.halt !== null };
    },
  },
];

function main(): void {
  const root = repoRoot();
  const results: Array<Record<string, unknown>> = [];
  const rows = [['engine', 'workload', 'instructions', 'seconds', 'MIPS', 'halted']];
  for (const w of WORKLOADS) {
    const b = boot({ kernel: join(root, w.elf), configPath: w.config === undefined ? undefined : join(root, w.config) });
    if (isLeft(b)) { process.stderr.write(`bench: ${b.left}\n`); process.exitCode = 2; return; }
    for (const e of ENGINES) {
      const t0 = process.hrtime.bigint();
      const r = e.run(b.right.machine);
      const secs = Number(process.hrtime.bigint() - t0) / 1e9;
      const mips = r.instret / secs / 1e6;
      results.push({ engine: e.name, workload: w.name, instructions: r.instret, seconds: +secs.toFixed(3), mips: +mips.toFixed(3), halted: r.halted });
      rows.push([e.name, w.name, String(r.instret), secs.toFixed(2), mips.toFixed(2), String(r.halted)]);
    }
  }
  const out = { node: process.version, date: new Date().toISOString().slice(0, 10), results };
  writeFileSync(join(root, 'bench', 'results.json'), JSON.stringify(out, null, 2) + '\n');
  process.stdout.write(table(rows) + '\n');
}

main();
