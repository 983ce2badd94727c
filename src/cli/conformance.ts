/**
 * `popek conformance` (`npm start`): the conformance job (CONF-*). Runs every bundled guest listed
 * in guests/manifest.json on the reference engine and prints a pass/fail table.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isLeft } from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { loadProgram, machineOf, type Loaded } from '../machine/boot.js';
import type { Machine } from '../machine/machine.js';
import { createVmm, vmmRun } from '../vmm/vmm.js';
import { createNested } from '../vmm/nested.js';
import { run } from '../engines/reference.js';
import { EXIT } from './exit-codes.js';
import { formatErrors } from '../formats/errors.js';
import { parseArgs, num } from './args.js';
import { progress } from './progress.js';

const Entry = t.intersection([
  t.strict({ name: t.string, elf: t.string, exit: t.number }),
  t.partial({ stdout: t.string, maxSteps: t.number, config: t.string, bios: t.string }),
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

export interface GuestResult { name: string; engine: Engine; ok: boolean; detail: string; steps: number; ms: number }
/** The engines and VMMs a guest runs on: natively, in a VM, and in a VM inside a VM (PG-RECURSIVE-1). */
export type Engine = 'reference' | 'trap-emulate' | 'nested';
export const ENGINES: readonly Engine[] = ['reference', 'trap-emulate', 'nested'];

/** What a run ended with, engine-independently. */
interface Outcome { halt: Machine['halt']; out: string; steps: number; extra: string }

function runOn(engine: Engine, l: Loaded, maxSteps: number): Outcome | string {
  const m = machineOf(l);
  if (isLeft(m)) return m.left;
  if (engine === 'reference') {
    const r = run(m.right, { maxSteps });
    return { halt: r.machine.halt, out: r.machine.out, steps: r.steps, extra: '' };
  }
  const spec = [{ name: 'guest', machine: m.right }];
  const n = engine === 'nested' ? createNested(spec) : null;
  const w = n === null ? createVmm(spec) : typeof n === 'string' ? n : n.inner;
  if (typeof w === 'string') return w;
  const steps = vmmRun(w, maxSteps);
  const vm = w.vms[0]!;
  const total = vm.stats.direct + vm.stats.interpreted;
  return { halt: vm.core.halt, out: vm.core.out, steps, extra: `, ${((100 * vm.stats.direct) / Math.max(1, total)).toFixed(2)}% direct` };
}

/** CONF-GUEST-1: run one manifest guest on an engine and compare exit code and output with the manifest. */
export function runGuest(g: GuestEntry, engine: Engine = 'reference'): GuestResult {
  const t0 = performance.now();
  const fail = (detail: string, steps = 0): GuestResult => ({ name: g.name, engine, ok: false, detail, steps, ms: performance.now() - t0 });
  const l = loadProgram({ kernel: join(repoRoot(), g.elf), bios: g.bios === undefined ? undefined : join(repoRoot(), g.bios), configPath: g.config === undefined ? undefined : join(repoRoot(), g.config) });
  if (isLeft(l)) return fail(l.left);
  const r = runOn(engine, l.right, g.maxSteps ?? 100_000_000);
  if (typeof r === 'string') return fail(r);
  const ms = performance.now() - t0;
  if (r.halt === null) return fail(`no halt after ${r.steps} steps`, r.steps);
  const code = r.halt.reason === 'exit' ? r.halt.code : -1;
  if (code !== g.exit) return fail(`exit ${code}, expected ${g.exit}`, r.steps);
  if (g.stdout !== undefined && r.out !== g.stdout) return fail(`output ${JSON.stringify(r.out.slice(0, 60))} differs`, r.steps);
  return { name: g.name, engine, ok: true, detail: `exit ${code}${r.extra}`, steps: r.steps, ms };
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
    for (const e of ENGINES) {
      bar.update(`${g.name} (${e})`);
      results.push(runGuest(g, e));
      await new Promise((res) => setImmediate(res));
    }
  }
  bar.done();
  const rows = [['guest', 'engine', 'result', 'steps', 'MIPS', 'detail']];
  for (const r of results) {
    rows.push([r.name, r.engine, r.ok ? 'PASS' : 'FAIL', String(r.steps), r.ms > 0 ? (r.steps / r.ms / 1000).toFixed(2) : '-', r.detail]);
  }
  const failed = results.filter((r) => !r.ok).length;
  process.stdout.write(`${table(rows)}\n\n${results.length - failed} passed, ${failed} failed\n`);
  return failed === 0 ? EXIT.OK : EXIT.FAILED;
}
