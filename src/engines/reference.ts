/**
 * The reference engine (ENG-REF-*): `step` is a pure, total function Machine → Machine; `run`
 * composes steps on one working copy, which is observably the same as folding `step`.
 */
import type { Machine } from '../machine/machine.js';
import { freeze, thaw, type Core } from '../machine/core.js';
import { stepHart } from '../machine/step.js';
import type { CommitRecord } from '../machine/commit-record.js';
import { newRecord } from '../machine/commit-record.js';

/** STEP-SCHED: one step of the machine = one step of each hart in hart-id order. */
export function stepCore(c: Core): void {
  const hs = c.harts;
  if (hs.length === 1) { c.hart = hs[0]!; stepHart(c); return; }
  for (let i = 0; i < hs.length; i++) {
    c.hart = hs[i]!;
    stepHart(c);
  }
}

/** STEP-PURE: one machine step. Never mutates `m`; never throws for any guest behaviour. */
export const step = (m: Machine): Machine => {
  const c = thaw(m);
  stepCore(c);
  return freeze(c);
};

export interface RunOptions {
  /** Stop after this many machine steps. */
  maxSteps: number;
  /** Called with the record of every hart step (retired or trapped). */
  onCommit?: (r: CommitRecord) => void;
}

export interface RunResult { machine: Machine; steps: number }

/** Run until halt or `maxSteps` steps. Equals applying `step` that many times. */
export function run(m: Machine, opts: RunOptions): RunResult {
  const c = thaw(m);
  let n = 0;
  const log = opts.onCommit;
  while (n < opts.maxSteps && c.halt === null) {
    if (log) {
      for (const h of c.harts) {
        c.hart = h;
        c.rec = newRecord(h.id, h.priv, h.pc);
        stepHart(c);
        log(c.rec);
      }
      c.rec = null;
    } else stepCore(c);
    n++;
  }
  return { machine: freeze(c), steps: n };
}
