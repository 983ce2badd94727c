/**
 * `popek conformance` (`npm start`): the conformance job (CONF-*). Runs every bundled guest listed
 * in guests/manifest.json on the reference engine and prints a pass/fail table.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isLeft } from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { boot } from '../machine/boot.js';
import { run } from '../engines/reference.js';
import { EXIT } from './exit-codes.js';
import { formatErrors } from '../formats/errors.js';
import { parseArgs, num } from './args.js';
import { progress } from './progress.js';

const Entry = t.intersection([
  t.strict({ name: t.string, elf: t.string, exit: t.number }),
  t.partial({ stdout: t.string, maxSteps: t.number, config: t.string }),
]);
const Manifest = t.strict({ guests: t.array(Entry) });
export type GuestEntry = t.TypeOf<typeof Entry>;

/** The repository root (where package.json lives), from this file's location in src/ or dist/src/. */
export const repoRoot = (): string => {
  const here = dirname(fileURLToPath(import.meta.url));
  return here.includes(`${'/dist/'}`) ? join(here, '..', '..', '..') : join(here, '..', '..');
};

export function readManifest(): GuestEntry[] | string {
  const path = join(repoRoot(), 'guests', 'manifest.json');
  try {
    const r = Manifest.decode(JSON.parse(readFileSync(path, 'utf8')));
    return isLeft(r) ? `${path}: ${formatErrors(r.left)}` : r.right.guests;
  } catch (e) {
    return `${path}: ${(e as Error).message}`;
  }
}

export interface GuestResult { name: string; ok: boolean; detail: string; steps: number; ms: number }

/** Run one manifest guest natively and compare exit code and output with the manifest. */
export function runGuest(g: GuestEntry): GuestResult {
  const t0 = performance.now();
  const b = boot({ kernel: join(repoRoot(), g.elf), configPath: g.config === undefined ? undefined : join(repoRoot(), g.config) });
  if (isLeft(b)) return { name: g.name, ok: false, detail: b.left, steps: 0, ms: 0 };
  const r = run(b.right.machine, { maxSteps: g.maxSteps ?? 100_000_000 });
  const m = r.machine;
  const ms = performance.now() - t0;
  if (m.halt === null) return { name: g.name, ok: false, detail: `no halt after ${r.steps} steps`, steps: r.steps, ms };
  const code = m.halt.reason === 'exit' ? m.halt.code : -1;
  if (code !== g.exit) return { name: g.name, ok: false, detail: `exit ${code}, expected ${g.exit}`, steps: r.steps, ms };
  if (g.stdout !== undefined && m.out !== g.stdout) return { name: g.name, ok: false, detail: `output ${JSON.stringify(m.out.slice(0, 60))} differs`, steps: r.steps, ms };
  return { name: g.name, ok: true, detail: `exit ${code}`, steps: r.steps, ms };
}

export function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n');
}

export async function conformanceCommand(argv: readonly string[]): Promise<number> {
  const p = parseArgs(argv, { runs: 'uint' });
  if (!p.ok) { process.stderr.write(`popek conformance: ${p.error}\n`); return EXIT.BAD_INPUT; }
  void num(p.args, 'runs');
  const guests = readManifest();
  if (typeof guests === 'string') { process.stderr.write(`popek conformance: ${guests}\n`); return EXIT.BAD_INPUT; }
  const bar = progress('conformance');
  const results: GuestResult[] = [];
  for (const g of guests) {
    bar.update(g.name);
    results.push(runGuest(g));
    await new Promise((res) => setImmediate(res));
  }
  bar.done();
  const rows = [['guest', 'engine', 'result', 'steps', 'MIPS', 'detail']];
  for (const r of results) {
    rows.push([r.name, 'reference', r.ok ? 'PASS' : 'FAIL', String(r.steps), r.ms > 0 ? (r.steps / r.ms / 1000).toFixed(2) : '-', r.detail]);
  }
  const failed = results.filter((r) => !r.ok).length;
  process.stdout.write(`${table(rows)}\n\n${results.length - failed} passed, ${failed} failed\n`);
  return failed === 0 ? EXIT.OK : EXIT.FAILED;
}
