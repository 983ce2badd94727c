/**
 * `npm run conformance:qemu` (QDIFF-2, QDIFF-H-2): generate programs with fast-check, run them on
 * popek and on `qemu-system-riscv32 -M virt` in batches, compare, classify divergences against the
 * recorded QEMU deviations (spec/qemu-deviations.md), and shrink the first unexplained divergence to
 * a minimal program. Two suites: 'base' (the RV32IMA hart, `programArb`) and 'h' (the hart with the
 * H extension, `-cpu rv32,h=true`, `hProgramArb`). Environment: POPEK_SEED (default: random,
 * printed), POPEK_QEMU_SUITE ('base', 'h' or 'all', default 'all'), POPEK_RUNS (programs of the base
 * suite, default 1000), POPEK_H_RUNS (programs of the H suite, default POPEK_RUNS), POPEK_BATCH
 * (programs per QEMU launch, default 250), POPEK_SHRINK (candidates to try, default 400).
 * Exit status: 0 when every divergence is a recorded one, 1 otherwise, 2 without QEMU.
 */
import fc from 'fast-check';
import { programArb } from '../src/qemu/gen.js';
import { hProgramArb } from '../src/qemu/hgen.js';
import { prescreen, runBatch, shrink, type Verdict } from '../src/qemu/diff.js';
import { qemuAvailable, QEMU_BIN } from '../src/qemu/runners.js';
import { report } from '../src/qemu/report.js';
import { showDiff } from '../src/qemu/dump.js';
import { trapOf } from '../src/qemu/classify.js';
import { MAX_SLOTS, type TestProgram } from '../src/qemu/program.js';

const envInt = (name: string, dflt: number): number => {
  const v = Number(process.env[name]);
  return Number.isSafeInteger(v) && v > 0 ? v : dflt;
};

interface Suite { name: 'base' | 'h'; arb: fc.Arbitrary<TestProgram>; runs: number }
interface SuiteResult { ran: number; failed: number }

/** Program i lives in slot i mod MAX_SLOTS (a batch never holds two programs in one slot). */
const slotOf = (i: number): number => i % MAX_SLOTS;

async function runSuite(s: Suite, seed: number, batch: number, budget: number): Promise<SuiteResult> {
  const replay = `POPEK_SEED=${seed} POPEK_QEMU_SUITE=${s.name} ${s.name === 'h' ? 'POPEK_H_RUNS' : 'POPEK_RUNS'}=${s.runs} npm run conformance:qemu`;
  process.stdout.write(`\nsuite ${s.name}: ${s.runs} programs${s.name === 'h' ? ' on -cpu rv32,h=true' : ''} (replay: ${replay})\n`);
  const t0 = Date.now();
  const programs: TestProgram[] = fc.sample(s.arb, { seed, numRuns: s.runs });
  const counts = new Map<string, number>();
  const bump = (k: string): void => { counts.set(k, (counts.get(k) ?? 0) + 1); };
  const failures: Array<{ index: number; verdict: Verdict; text: string; line: string }> = [];
  let ran = 0;
  for (let b = 0; b < s.runs; b += batch) {
    const chunk = Array.from({ length: Math.min(s.runs, b + batch) - b }, (_, n) => b + n);
    const ends = prescreen(chunk.map((i) => programs[i]!), chunk.map(slotOf));
    const idx = chunk.filter((_, n) => ends[n]);
    for (let n = 0; n < chunk.length - idx.length; n++) bump('left out (does not end on popek)');
    if (idx.length === 0) continue;
    const out = await runBatch(idx.map((i) => programs[i]!), idx.map(slotOf));
    ran += idx.length;
    out.verdicts.forEach((v, k) => {
      bump(v.kind === 'known' ? `known ${v.id}` : v.kind);
      if (v.kind === 'diverge' || v.kind === 'missing') {
        const diffs = v.kind === 'diverge' ? v.diffs : [];
        const ps = out.popek[k], qs = out.qemu[k];
        const t = (x: typeof ps): string => { if (!x) return '-'; const tr = trapOf(x); return `${tr.to}:${tr.cause.toString(16)}@${(tr.epc >>> 0).toString(16)}`; };
        const line = `program ${idx[k]}: ${v.kind}, trap popek ${t(ps)} qemu ${t(qs)}${diffs[0] ? `, first: ${showDiff(diffs[0])}` : ''}`;
        failures.push({ index: idx[k]!, verdict: v, text: report(programs[idx[k]!]!, out.img, k, ps, qs, diffs), line });
      }
    });
    process.stdout.write(`  ${Math.min(s.runs, b + batch)}/${s.runs} programs, ${failures.length} unexplained, ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
  }
  const secs = (Date.now() - t0) / 1000;
  process.stdout.write(`\nsuite ${s.name}: ${ran} programs run on both in ${secs.toFixed(1)} s (${(ran / secs).toFixed(1)} programs/s)\n`);
  for (const [k, n] of [...counts].sort((a, b) => b[1] - a[1])) process.stdout.write(`  ${String(n).padStart(6)}  ${k}\n`);
  if (failures.length > 0) {
    process.stdout.write(`\nUnexplained divergences (suite ${s.name}):\n${failures.map((f) => '  ' + f.line).join('\n')}\n`);
    const f = failures[0]!;
    process.stdout.write(`\nFirst unexplained divergence: program ${f.index} of seed ${seed}, suite ${s.name}\n${f.text}\n`);
    process.stdout.write(`\nShrinking (at most ${budget} candidates, each a QEMU run)...\n`);
    const r = await shrink(seed, f.index, slotOf(f.index), budget, undefined, s.arb);
    if (r !== null) {
      const diffs = r.verdict.kind === 'diverge' ? r.verdict.diffs : [];
      process.stdout.write(`Minimal program after ${r.evaluations} candidates:\n${report(r.prog, r.out.img, 0, r.out.popek[0], r.out.qemu[0], diffs)}\n`);
      process.stdout.write(`\nProgram (JSON, for a test):\n${JSON.stringify(r.prog)}\n`);
    } else process.stdout.write('The divergence did not reproduce on its own (it depends on an earlier program of the batch).\n');
  }
  return { ran, failed: failures.length };
}

async function main(): Promise<number> {
  if (!qemuAvailable()) {
    process.stderr.write(`conformance:qemu: ${QEMU_BIN} not found; install qemu-system-misc\n`);
    return 2;
  }
  const seed = process.env['POPEK_SEED'] !== undefined ? Number(process.env['POPEK_SEED']) | 0 : (Date.now() ^ (Math.random() * 0x7fffffff)) | 0;
  const which = process.env['POPEK_QEMU_SUITE'] ?? 'all';
  if (!['base', 'h', 'all'].includes(which)) {
    process.stderr.write(`conformance:qemu: POPEK_QEMU_SUITE must be base, h or all, not "${which}"\n`);
    return 2;
  }
  const runs = envInt('POPEK_RUNS', 1000);
  const suites: Suite[] = [
    ...(which !== 'h' ? [{ name: 'base' as const, arb: programArb, runs }] : []),
    ...(which !== 'base' ? [{ name: 'h' as const, arb: hProgramArb, runs: envInt('POPEK_H_RUNS', runs) }] : []),
  ];
  const batch = Math.min(envInt('POPEK_BATCH', 250), MAX_SLOTS);
  const budget = envInt('POPEK_SHRINK', 400);
  const total = suites.map((s) => `${s.runs} ${s.name}`).join(' + ');
  process.stdout.write(`conformance:qemu: seed ${seed}, ${total} programs (replay: POPEK_SEED=${seed} POPEK_QEMU_SUITE=${which} POPEK_RUNS=${runs}${which !== 'base' ? ` POPEK_H_RUNS=${suites[suites.length - 1]!.runs}` : ''} npm run conformance:qemu)\n`);
  let ran = 0, failed = 0;
  for (const s of suites) {
    const r = await runSuite(s, seed, batch, budget);
    ran += r.ran;
    failed += r.failed;
  }
  process.stdout.write(`\nqemu-diff: ${ran - failed} passed, ${failed} failed\n`);
  return failed > 0 ? 1 : 0;
}

main().then((code) => { process.exitCode = code; }, (e: unknown) => {
  process.stderr.write(`conformance:qemu: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
  process.exitCode = 2;
});
