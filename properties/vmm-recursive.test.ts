/** Recursive virtualization (PG-RECURSIVE-1): a guest in a VM inside a VM observes what it observes natively. */
import { describe, it } from 'vitest';
import fc from 'fast-check';
import { step } from '../src/engines/reference.js';
import { observe } from '../src/machine/observe.js';
import { vmmRun, vmMachine } from '../src/vmm/vmm.js';
import { createNested } from '../src/vmm/nested.js';
import { program, programMachine, showProgram } from './arbitraries/programs.js';
import { firstDiff } from './support/diff.js';
import { runs } from './support/runs.js';

describe('PG-RECURSIVE: the VMM on a VM of the VMM', () => {
  it('PG-RECURSIVE-1, VMM-NEST-1: observe(native) = observe(VM in a VM) after every guest step', () => {
    // Falsified if the inner VMM, whose host hart is a vCPU of the outer VMM, makes any generated
    // program diverge from the bare machine — e.g. the outer VMM missing the inner VMM's shadow-table
    // writes, its timer, or its CSR set-up of the host hart.
    fc.assert(fc.property(program, (p) => {
      let native = programMachine(p);
      const n = createNested([{ name: 'L2', machine: native }]);
      if (typeof n === 'string') throw new Error(n);
      for (let k = 1; k <= 25; k++) {
        native = step(native);
        vmmRun(n.inner, 1);
        const d = firstDiff(observe(native), observe(vmMachine(n.inner, 0)));
        if (d !== null) throw new Error(`after step ${k}: ${d}\n${showProgram(p)}`);
      }
    }), { numRuns: runs(60) });
  });
});
