/**
 * The differential run (QDIFF-*): pre-screen generated programs on popek, run the survivors as one
 * batch on both popek and QEMU, compare the final states program by program, classify each
 * divergence as a recorded QEMU deviation (QDEV-n) or a failure.
 */
import fc from 'fast-check';
import { run } from '../engines/reference.js';
import { programArb } from './gen.js';
import type { Machine } from '../machine/machine.js';
import { buildBatch, CELL_SIZE, dumpCsrs, HVEC, SSTUB, type BatchImage, type TestProgram } from './program.js';
import { compareStates, parseDump, type FieldDiff, type FinalState } from './dump.js';
import { popekMachine, runPopek, runQemu, type QemuResult } from './runners.js';
import { classify, classifyUnfinished } from './classify.js';

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
  // The trampoline (2 instructions) and the harness entry (8) park mtimecmp; then each program
  // starts from its prologue.
  const base = run(popekMachine(img.elf, img.flavour), { maxSteps: 10 }).machine;
  return img.placements.map((p) => {
    const h = base.harts[0]!;
    const m: Machine = { ...base, harts: [{ ...h, pc: p.prologue }] };
    // A step that neither fetched nor trapped is a hart waiting in WFI; popek then lets mtime jump
    // to the next timer event (the parked mtimecmp), QEMU would wait for real. Left out too, and so
    // is a program that executes code outside its own cell, the S stub and the handler (a jump into
    // the harness entry or another program's code would make the batch start over).
    let bad = false;
    const own = (pc: number): boolean => (pc >= p.prologue && pc < p.prologue + CELL_SIZE) || (pc >= HVEC && pc < SSTUB + 0x1000);
    const r = run(m, { maxSteps: PRESCREEN_STEPS, onCommit: (c) => { if ((c.word === 0 && c.trap === null) || !own(c.pc >>> 0)) bad = true; } });
    return r.machine.halt !== null && !bad;
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

/** A QEMU launch gets this long before it is stopped (and the rest of its batch run again). */
const qemuTimeout = (n: number): number => 15_000 + 40 * n;
/** How many times the rest of a batch is run again after a program that QEMU did not finish. */
const MAX_RESUMES = 8;

/**
 * QDIFF-RUN-1: run `programs` as one batch on popek and QEMU and judge each program. When QEMU does
 * not finish a program (it went on where popek trapped, and then waited or looped), QEMU is run
 * again on the programs after it, so one such program costs one timeout, not the whole batch.
 */
export async function runBatch(programs: readonly TestProgram[], slots?: readonly number[], opts: { icount?: boolean } = {}): Promise<BatchOutcome> {
  const img = buildBatch(programs, slots);
  const fl = img.flavour;
  const dump = dumpCsrs(fl);
  const slotOf = (k: number): number => slots?.[k] ?? k;
  // QEMU runs in its own process while popek runs here: the two overlap on two cores.
  const q = runQemu(img.elf, qemuTimeout(programs.length), opts.icount === true, undefined, fl);
  const t0 = Date.now();
  const p = runPopek(img.elf, STEPS_PER_PROGRAM * (programs.length + 1), fl);
  const popekMs = Date.now() - t0;
  let qemuRun = await q;
  const P = byIndex(parseDump(p.out, img.expected, dump)), Q = byIndex(parseDump(qemuRun.out, img.expected, dump));
  let first = 0;
  for (let resume = 0; resume < MAX_RESUMES; resume++) {
    while (first < programs.length && Q.has(first)) first++;
    if (first >= programs.length - 1) break;
    // Programs first+1.. again, in their own slots (the record indices are relative to the rerun).
    const rest = Array.from({ length: programs.length - first - 1 }, (_, n) => first + 1 + n);
    const again = buildBatch(rest.map((k) => programs[k]!), rest.map(slotOf));
    const r = await runQemu(again.elf, qemuTimeout(rest.length), opts.icount === true, undefined, fl);
    for (const st of parseDump(r.out, again.expected, dump)) if (!Q.has(rest[st.index]!)) Q.set(rest[st.index]!, { ...st, index: rest[st.index]! });
    qemuRun = { ...r, out: qemuRun.out + r.out, ms: qemuRun.ms + r.ms, timedOut: qemuRun.timedOut || r.timedOut };
    if (!Q.has(first + 1)) break;
    first += 1;
  }
  // A program QEMU did not finish and no recorded difference explains gets one more, unhurried run
  // on its own (a loaded machine can make a healthy QEMU look stuck).
  for (let k = 0; k < programs.length; k++) {
    const ps = P.get(k);
    if (Q.has(k) || ps === undefined || classifyUnfinished({ prog: programs[k]!, img, k, popek: ps }) !== null) continue;
    const one = buildBatch([programs[k]!], [slotOf(k)]);
    const r = await runQemu(one.elf, 60_000, opts.icount === true, 20_000, fl);
    const st = parseDump(r.out, one.expected, dump)[0];
    if (st !== undefined) Q.set(k, { ...st, index: k });
  }
  const popek: FinalState[] = [], qemu: FinalState[] = [];
  const verdicts = programs.map((prog, k): Verdict => {
    const ps = P.get(k), qs = Q.get(k);
    if (ps) popek[k] = ps;
    if (qs) qemu[k] = qs;
    if (!ps || !qs) {
      const id = ps && !qs ? classifyUnfinished({ prog, img, k, popek: ps }) : null;
      return id !== null ? { kind: 'known', id, diffs: [] } : { kind: 'missing', side: !ps && !qs ? 'both' : !ps ? 'popek' : 'qemu' };
    }
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
  arb: fc.Arbitrary<TestProgram> = programArb,
): Promise<ShrinkResult | null> {
  let evaluations = 0;
  let last: ShrinkResult | null = null;
  const prop = fc.asyncProperty(arb, async (p) => {
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
