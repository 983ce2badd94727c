/**
 * The differential run (QDIFF-*): pre-screen generated programs on popek, run the survivors as one
 * batch on both popek and QEMU, compare the final states program by program, classify each
 * divergence as a recorded QEMU deviation (QDEV-n) or a failure.
 */
import fc from 'fast-check';
import { run } from '../engines/reference.js';
import { programArb } from './gen.js';
import type { Machine } from '../machine/machine.js';
import { buildBatch, type BatchImage, type TestProgram } from './program.js';
import { compareStates, parseDump, type FieldDiff, type FinalState } from './dump.js';
import { popekMachine, runPopek, runQemu, type QemuResult } from './runners.js';
import { classify } from './classify.js';

/** Steps a program may take in popek from its prologue to its first trap (QDIFF-RUN-2). */
export const PRESCREEN_STEPS = 3000;
/** popek steps per program for a whole batch (prologue, body, dump). */
const STEPS_PER_PROGRAM = 40_000;

/**
 * QDIFF-RUN-2: which programs end (reach the trap handler) within PRESCREEN_STEPS on popek. A
 * program that loops, or waits in WFI forever, is left out of the QEMU batch. Programs are tried
 * in the batch image itself (same addresses), each from its own prologue, with the handler
 * replaced by a halt.
 */
export function prescreen(programs: readonly TestProgram[], slots?: readonly number[]): boolean[] {
  const img = buildBatch(programs, slots, { haltOnTrap: true });
  // The harness entry (8 instructions) parks mtimecmp; then each program starts from its prologue.
  const base = run(popekMachine(img.elf), { maxSteps: 8 }).machine;
  return img.placements.map((p) => {
    const h = base.harts[0]!;
    const m: Machine = { ...base, harts: [{ ...h, pc: p.prologue }] };
    // A step that neither fetched nor trapped is a hart waiting in WFI; popek then lets mtime jump
    // to the next timer event (the parked mtimecmp), QEMU would wait for real. Left out too.
    let waited = false;
    const r = run(m, { maxSteps: PRESCREEN_STEPS, onCommit: (c) => { if (c.word === 0 && c.trap === null) waited = true; } });
    return r.machine.halt !== null && !waited;
  });
}

export type Verdict =
  | { kind: 'agree' }
  | { kind: 'known'; id: string; diffs: FieldDiff[] }
  | { kind: 'diverge'; diffs: FieldDiff[] }
  | { kind: 'missing'; side: 'popek' | 'qemu' | 'both' };

export interface BatchOutcome {
  img: BatchImage;
  verdicts: Verdict[];
  popek: FinalState[];
  qemu: FinalState[];
  qemuRun: QemuResult;
  popekMs: number;
}

/** QDIFF-RUN-1: run `programs` as one batch on popek and QEMU and judge each program. */
export async function runBatch(programs: readonly TestProgram[], slots?: readonly number[], opts: { icount?: boolean } = {}): Promise<BatchOutcome> {
  const img = buildBatch(programs, slots);
  // QEMU runs in its own process while popek runs here: the two overlap on two cores.
  const q = runQemu(img.elf, 30_000 + 100 * programs.length, opts.icount === true);
  const t0 = Date.now();
  const p = runPopek(img.elf, STEPS_PER_PROGRAM * (programs.length + 1));
  const popekMs = Date.now() - t0;
  const qemuRun = await q;
  const P = byIndex(parseDump(p.out, img.expected)), Q = byIndex(parseDump(qemuRun.out, img.expected));
  const popek: FinalState[] = [], qemu: FinalState[] = [];
  const verdicts = programs.map((prog, k): Verdict => {
    const ps = P.get(k), qs = Q.get(k);
    if (ps) popek[k] = ps;
    if (qs) qemu[k] = qs;
    if (!ps || !qs) return { kind: 'missing', side: !ps && !qs ? 'both' : !ps ? 'popek' : 'qemu' };
    const diffs = compareStates(ps, qs);
    if (diffs.length === 0) return { kind: 'agree' };
    const id = classify({ prog, img, k, popek: ps, qemu: qs, diffs });
    return id !== null ? { kind: 'known', id, diffs } : { kind: 'diverge', diffs };
  });
  return { img, verdicts, popek, qemu, qemuRun, popekMs };
}

const byIndex = (xs: FinalState[]): Map<number, FinalState> => {
  const m = new Map<number, FinalState>();
  for (const x of xs) if (!m.has(x.index)) m.set(x.index, x);
  return m;
};

/** A program's verdict when run on its own in `slot` (QDIFF-SHRINK-1); null if popek does not end it. */
export async function judgeOne(p: TestProgram, slot: number): Promise<{ verdict: Verdict; out: BatchOutcome } | null> {
  if (!prescreen([p], [slot])[0]) return null;
  const out = await runBatch([p], [slot]);
  return { verdict: out.verdicts[0]!, out };
}

export const isFailure = (v: Verdict): boolean => v.kind === 'diverge' || v.kind === 'missing';

export interface ShrinkResult { prog: TestProgram; verdict: Verdict; out: BatchOutcome; evaluations: number }

/**
 * QDIFF-SHRINK-1: shrink a failing program with fast-check. Run `sampleIndex` of the sequence that
 * `fc.sample(programArb, { seed })` produced is replayed through `fc.check` with the same seed and
 * `path`, so fast-check's own shrinker works on it; each candidate is judged on its own in `slot`.
 * At most `budget` candidates are run (each is a QEMU launch).
 */
export async function shrink(
  seed: number, sampleIndex: number, slot: number, budget: number, bad: (v: Verdict) => boolean = isFailure,
): Promise<ShrinkResult | null> {
  let evaluations = 0;
  let last: ShrinkResult | null = null;
  const prop = fc.asyncProperty(programArb, async (p) => {
    if (evaluations >= budget) return true;
    evaluations++;
    const j = await judgeOne(p, slot);
    if (j === null || !bad(j.verdict)) return true;
    last = { prog: p, verdict: j.verdict, out: j.out, evaluations };
    return false;
  });
  await fc.check(prop, { seed, path: String(sampleIndex), numRuns: sampleIndex + 1 });
  const r = last as ShrinkResult | null;
  return r === null ? null : { ...r, evaluations };
}
