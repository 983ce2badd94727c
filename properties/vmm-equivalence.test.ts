/**
 * Popek and Goldberg's equivalence property for the trap-and-emulate VMM (PG-EQUIV-*): a program
 * in a VM observes exactly what it observes on the bare machine, after every guest step.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { step } from '../src/engines/reference.js';
import { observe } from '../src/machine/observe.js';
import { createVmm, vmmRun, vmMachine } from '../src/vmm/vmm.js';
import { program, programMachine, showProgram } from './arbitraries/programs.js';
import { runs } from './support/runs.js';
import { firstDiff } from './support/diff.js';

const STEPS = 40;

describe('PG-EQUIV: native versus trap-and-emulate', () => {
  it('PG-EQUIV-1: observe(native) = observe(virtual) after every guest step', () => {
    // Falsified by any generated program (privileged code in M/S/U, CSR traffic, page-table writes,
    // traps between modes, UART/CLINT accesses, timer interrupts) after whose k-th step the VM's
    // observation differs from the bare machine's.
    fc.assert(fc.property(program, (p) => {
      let native = programMachine(p);
      const w = createVmm([{ name: 'g', machine: native }]);
      if (typeof w === 'string') throw new Error(w);
      for (let k = 1; k <= STEPS; k++) {
        native = step(native);
        expect(vmmRun(w, 1)).toBe(1);
        const d = firstDiff(observe(native), observe(vmMachine(w, 0)));
        if (d !== null) throw new Error(`after step ${k}: ${d}\n${showProgram(p)}`);
      }
    }), { numRuns: runs(150) });
  });

  it('PG-EQUIV-2: a long direct run ends in the same state as the native run', () => {
    // Falsified if splitting execution into long direct stretches (rather than single steps) changes
    // the outcome: timer deadlines, counters and shadow reuse across many instructions.
    fc.assert(fc.property(program, fc.integer({ min: 50, max: 400 }), (p, n) => {
      let native = programMachine(p);
      const w = createVmm([{ name: 'g', machine: native }]);
      if (typeof w === 'string') throw new Error(w);
      for (let k = 0; k < n; k++) native = step(native);
      let done = 0;
      while (done < n) done += vmmRun(w, n - done);
      const d = firstDiff(observe(native), observe(vmMachine(w, 0)));
      if (d !== null) throw new Error(`after ${n} steps: ${d}\n${showProgram(p)}`);
    }), { numRuns: runs(100) });
  });
});
