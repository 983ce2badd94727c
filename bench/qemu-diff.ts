/**
 * `npm run conformance:qemu` (QDIFF-2): generate programs with fast-check, run them on popek and on
 * `qemu-system-riscv32 -M virt` in batches, compare, classify divergences against the recorded QEMU
 * deviations (spec/qemu-deviations.md), and shrink the first unexplained divergence to a minimal
 * program. Environment: POPEK_SEED (default: random, printed), POPEK_RUNS (default 1000),
 * POPEK_BATCH (programs per QEMU launch, default 250), POPEK_SHRINK (candidates to try, default 400).
 * Exit status: 0 when every divergence is a recorded one, 1 otherwise, 2 without QEMU.
 */
import fc from 'fast-check';
import { programArb } from '../src/qemu/gen.js';
import { prescreen, runBatch, shrink, type Verdict } from '../src/qemu/diff.js';
import { qemuAvailable, QEMU_BIN } from '../src/qemu/runners.js';
import { report } from '../src/qemu/report.js';
import { showDiff } from '../src/qemu/dump.js';
import { MAX_SLOTS, type TestProgram } from '../src/qemu/program.js';

const envInt = (name: string, dflt: number): number => {
  const v = Number(process.env[name]);
  return Number.isSafeInteger(v) && v > 0 ? v : dflt;
};

async function main(): Promise<number> {
  if (!qemuAvailable()) {
    process.stderr.write(`conformance:qemu: ${QEMU_BIN} not found; install qemu-system-misc\n`);
    return 2;
  }
  const seed = process.env['POPEK_SEED'] !== undefined ? Number(process.env['POPEK_SEED']) | 0 : (Date.now() ^ (Math.random() * 0x7fffffff)) | 0;
  const runs = envInt('POPEK_RUNS', 1000);
  const batch = Math.min(envInt('POPEK_BATCH', 250), MAX_SLOTS);
  /** Program i lives in slot i mod MAX_SLOTS (a batch never holds two programs in one slot). */
  const slotOf = (i: number): number => i % MAX_SLOTS;
  const budget = envInt('POPEK_SHRINK', 400);
  process.stdout.write(`conformance:qemu: seed ${seed}, ${runs} programs (replay: POPEK_SEED=${seed} POPEK_RUNS=${runs} npm run conformance:qemu)\n`);
  const t0 = Date.now();
  const programs: TestProgram[] = fc.sample(programArb, { seed, numRuns: runs });
  const counts = new Map<string, number>();
  const bump = (k: string): void => { counts.set(k, (counts.get(k) ?? 0) + 1); };
  const failures: Array<{ index: number; verdict: Verdict; text: string; line: string }> = [];
  let ran = 0;
  for (let b = 0; b < runs; b += batch) {
    const chunk = Array.from({ length: Math.min(runs, b + batch) - b }, (_, n) => b + n);
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
        const t = (x: typeof ps): string => (x ? `${x.csrs['mcause']!.toString(16)}@${x.csrs['mepc']!.toString(16)}` : '-');
        const line = `program ${idx[k]}: ${v.kind}, trap popek ${t(ps)} qemu ${t(qs)}${diffs[0] ? `, first: ${showDiff(diffs[0])}` : ''}`;
        failures.push({ index: idx[k]!, verdict: v, text: report(programs[idx[k]!]!, out.img, k, ps, qs, diffs), line });
      }
    });
    process.stdout.write(`  ${Math.min(runs, b + batch)}/${runs} programs, ${failures.length} unexplained, ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
  }
  const secs = (Date.now() - t0) / 1000;
  process.stdout.write(`\n${ran} programs run on both in ${secs.toFixed(1)} s (${(ran / secs).toFixed(1)} programs/s)\n`);
  for (const [k, n] of [...counts].sort((a, b) => b[1] - a[1])) process.stdout.write(`  ${String(n).padStart(6)}  ${k}\n`);
  if (failures.length > 0) {
    process.stdout.write(`\nUnexplained divergences:\n${failures.map((f) => '  ' + f.line).join('\n')}\n`);
    const f = failures[0]!;
    process.stdout.write(`\nFirst unexplained divergence: program ${f.index} of seed ${seed}\n${f.text}\n`);
    process.stdout.write(`\nShrinking (at most ${budget} candidates, each a QEMU run)...\n`);
    const s = await shrink(seed, f.index, slotOf(f.index), budget);
    if (s !== null) {
      const diffs = s.verdict.kind === 'diverge' ? s.verdict.diffs : [];
      process.stdout.write(`Minimal program after ${s.evaluations} candidates:\n${report(s.prog, s.out.img, 0, s.out.popek[0], s.out.qemu[0], diffs)}\n`);
      process.stdout.write(`\nProgram (JSON, for a test):\n${JSON.stringify(s.prog)}\n`);
    } else process.stdout.write('The divergence did not reproduce on its own (it depends on an earlier program of the batch).\n');
  }
  const failed = failures.length;
  process.stdout.write(`\nqemu-diff: ${ran - failed} passed, ${failed} failed\n`);
  return failed > 0 ? 1 : 0;
}

main().then((code) => { process.exitCode = code; }, (e: unknown) => {
  process.stderr.write(`conformance:qemu: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
  process.exitCode = 2;
});
