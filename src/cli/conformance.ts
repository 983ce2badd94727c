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
import { createHext, hextRun } from '../vmm/hext.js';
import { seeMachine } from '../vmm/see.js';
import type { VmStats } from '../vmm/vm.js';
import { run } from '../engines/reference.js';
import { EXIT } from './exit-codes.js';
import { formatErrors } from '../formats/errors.js';
import { parseArgs, num, str, bool } from './args.js';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
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
/**
 * The engines and VMMs a guest runs on: natively, in a VM, in a VM inside a VM (PG-RECURSIVE-1),
 * and — for S-mode kernels booted by SBI firmware — in a VM of the hardware-assisted VMM, which
 * serves SBI itself and runs the kernel alone (HX-KERNEL-1).
 */
export type Engine = 'reference' | 'trap-emulate' | 'nested' | 'hext';
export const ENGINES: readonly Engine[] = ['reference', 'trap-emulate', 'nested', 'hext'];

/** CONF-GUEST-1: the engines a manifest guest runs on (hext only for kernels with firmware). */
export const enginesFor = (g: GuestEntry): Engine[] => ENGINES.filter((e) => e !== 'hext' || g.bios !== undefined);

/** What a run ended with, engine-independently. */
interface Outcome { halt: Machine['halt']; out: string; steps: number; extra: string }

/** The share of a VM's guest steps that ran directly on the host hart. */
const directShare = (vm: { stats: VmStats }): string =>
  `, ${((100 * vm.stats.direct) / Math.max(1, vm.stats.direct + vm.stats.interpreted)).toFixed(2)}% direct`;

function runOn(engine: Engine, l: Loaded, maxSteps: number): Outcome | string {
  if (engine === 'hext') {
    const m = seeMachine(l);
    if (isLeft(m)) return m.left;
    const w = createHext([{ name: 'guest', machine: m.right, see: true }]);
    if (typeof w === 'string') return w;
    const steps = hextRun(w, maxSteps);
    const vm = w.vms[0]!;
    return { halt: vm.core.halt, out: vm.core.out, steps, extra: directShare(vm) };
  }
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
  return { halt: vm.core.halt, out: vm.core.out, steps, extra: directShare(vm) };
}

/** CONF-GUEST-1: run one manifest guest on an engine and compare exit code and output with the manifest. */
export function runGuest(g: GuestEntry, engine: Engine = 'reference'): GuestResult {
  const t0 = performance.now();
  const fail = (detail: string, steps = 0): GuestResult => ({ name: g.name, engine, ok: false, detail, steps, ms: performance.now() - t0 });
  // hext: the kernel alone; the VMM is its firmware.
  const bios = g.bios === undefined || engine === 'hext' ? undefined : join(repoRoot(), g.bios);
  const l = loadProgram({ kernel: join(repoRoot(), g.elf), bios, configPath: g.config === undefined ? undefined : join(repoRoot(), g.config) });
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

/** Property suites sampled by the conformance job (CONF-JOB-1), with POPEK_RUNS from --runs. */
const PROPERTY_SAMPLE = [
  'properties/semantics.test.ts', 'properties/translation.test.ts', 'properties/pmp.test.ts',
  'properties/vmm-equivalence.test.ts', 'properties/vmm-recursive.test.ts', 'properties/vmm-isolation.test.ts',
  'properties/vmm-hext.test.ts', 'properties/sbi.test.ts',
];

/** Run a child process from the repository root; its output is summarised, not shown. */
function child(cmd: string, args: string[], env: Record<string, string> = {}): { code: number; out: string } {
  const r = spawnSync(cmd, args, { cwd: repoRoot(), encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 1 << 28 });
  return { code: r.status ?? 1, out: (r.stdout ?? '') + (r.stderr ?? '') };
}

/** CONF-JOB-1: the committed vectors on the model, as `popek vectors check` reports them. */
function vectorRow(): string[] {
  const r = child(process.execPath, [join(repoRoot(), 'bin', 'popek.mjs'), 'vectors', 'check']);
  const m = /(\d+) passed, (\d+) failed/.exec(r.out);
  return ['vectors (committed)', 'reference', r.code === 0 ? 'PASS' : 'FAIL', m ? `${m[1]} passed, ${m[2]} failed` : r.out.trim().split('\n').pop() ?? ''];
}

/** CONF-JOB-1: a sample of the property suites with POPEK_RUNS = runs. */
function propertyRow(runs: number): string[] {
  const vitest = join(repoRoot(), 'node_modules', 'vitest', 'vitest.mjs');
  if (!existsSync(vitest)) return ['properties (sample)', '-', 'SKIP', 'vitest is not installed (run npm ci)'];
  const r = child(process.execPath, [vitest, 'run', ...PROPERTY_SAMPLE], { POPEK_RUNS: String(runs), NO_COLOR: '1', CI: 'true' });
  const m = /Tests\s+(?:(\d+) failed \| )?(\d+) passed/.exec(r.out);
  return ['properties (sample)', `${runs} runs each`, r.code === 0 ? 'PASS' : 'FAIL', m ? `${m[2]} passed, ${m[1] ?? 0} failed` : 'no summary'];
}

export async function conformanceCommand(argv: readonly string[]): Promise<number> {
  const p = parseArgs(argv, { runs: 'uint', only: 'string', 'no-properties': 'bool', 'no-vectors': 'bool', help: 'bool' });
  if (!p.ok) { process.stderr.write(`popek conformance: ${p.error}\n`); return EXIT.BAD_INPUT; }
  if (bool(p.args, 'help')) { process.stdout.write(CONFORMANCE_HELP + '\n'); return EXIT.OK; }
  const runs = num(p.args, 'runs') ?? 25;
  const only = str(p.args, 'only');
  const all = readManifest();
  if (typeof all === 'string') { process.stderr.write(`popek conformance: ${all}\n`); return EXIT.BAD_INPUT; }
  const guests = only === undefined ? all : all.filter((g) => only.split(',').includes(g.name));
  if (guests.length === 0) { process.stderr.write(`popek conformance: --only "${only}": no such guest in the manifest\n`); return EXIT.BAD_INPUT; }
  const bar = progress('conformance');
  const results: GuestResult[] = [];
  for (const g of guests) {
    for (const e of enginesFor(g)) {
      bar.update(`${g.name} (${e})`);
      results.push(runGuest(g, e));
      await new Promise((res) => setImmediate(res));
    }
  }
  const rows = [['guest', 'engine', 'result', 'steps', 'MIPS', 'detail']];
  for (const r of results) {
    rows.push([r.name, r.engine, r.ok ? 'PASS' : 'FAIL', String(r.steps), r.ms > 0 ? (r.steps / r.ms / 1000).toFixed(2) : '-', r.detail]);
  }
  const checks: string[][] = [];
  if (!bool(p.args, 'no-vectors')) { bar.update('vectors'); checks.push(vectorRow()); }
  if (!bool(p.args, 'no-properties')) { bar.update('properties'); checks.push(propertyRow(runs)); }
  bar.done();
  const failed = results.filter((r) => !r.ok).length + checks.filter((c) => c[2] === 'FAIL').length;
  const total = results.length + checks.length;
  const summary = checks.length > 0 ? `\n\n${table([['check', 'engine', 'result', 'detail'], ...checks])}` : '';
  process.stdout.write(`${table(rows)}${summary}\n\n${total - failed} passed, ${failed} failed\n`);
  return failed === 0 ? EXIT.OK : EXIT.FAILED;
}

export const CONFORMANCE_HELP = `usage: popek conformance [--only NAME,...] [--runs N] [--no-vectors] [--no-properties]

The conformance job (npm start): every guest of guests/manifest.json natively, in a VM of the
trap-and-emulate VMM and in a VM inside a VM, and each S-mode kernel with SBI firmware also in a
VM of the hardware-assisted (hext) VMM, which serves SBI itself; the committed vectors; a sample of the property
suites with N runs each (default 25). Ends with a summary table and "N passed, M failed";
exit status 1 when anything fails.`;
