/** Forcing a VMM's schedule from a test: run exactly one VM (both VMMs keep the schedule as plain data). */
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
