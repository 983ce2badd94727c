/** Driving a VMM from a test: run exactly one VM, or a number of steps in as many calls as needed. */
import type { Core } from '../../src/machine/core.js';

interface Scheduled { vms: ReadonlyArray<{ core: Core }>; current: number; left: number }

/**
 * Run only VM `i` for up to `n` of its guest steps with `run` (the VMM's run function); the other
 * VMs are parked (marked halted for the duration of the call, then restored). Returns the steps taken.
 */
export function runOnly<W extends Scheduled>(w: W, i: number, n: number, run: (w: W, n: number) => number): number {
  const saved = w.vms.map((v) => v.core.halt);
  w.vms.forEach((v, j) => { if (j !== i && v.core.halt === null) v.core.halt = { reason: 'reset' }; });
  w.current = i;
  w.left = n;
  try {
    return run(w, n);
  } finally {
    w.vms.forEach((v, j) => { if (j !== i) v.core.halt = saved[j] ?? null; });
  }
}

/** Run `n` guest steps with `run`, in as many calls as it takes (fewer only if every VM halts). */
export function runFully<W>(w: W, n: number, run: (w: W, n: number) => number): number {
  let done = 0;
  while (done < n) {
    const k = run(w, n - done);
    if (k === 0) break;
    done += k;
  }
  return done;
}
