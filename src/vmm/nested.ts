/**
 * Recursive virtualization (PG-RECURSIVE-1): the VMM running on a VM of another VMM. A VM presents
 * the machine's interface, so the inner VMM's host hart is the outer VM's vCPU, its host memory the
 * outer VM's guest-physical RAM, its host timer the outer VM's CLINT — and one step of its host is
 * one guest step of the outer VMM.
 */
import type { Core } from '../machine/core.js';
import type { MemStore, PhysMem } from '../memory/store.js';
import { flushShadows, type ShadowWork } from './shadow.js';
import { createVmmOn, hostMachine, vmmRun, createVmm, type VmmWork } from './vmm.js';
import type { VmSpec } from './vm.js';

/**
 * The inner VMM is software inside the outer VM: when it writes a page the outer's shadows were
 * built from (its own shadow tables are page tables to the outer VMM), those shadows are dropped,
 * exactly as for any other guest store to a traced page (TE-PT-WRITE).
 */
class TracedMem implements PhysMem {
  constructor(private readonly inner: PhysMem, private readonly shadow: ShadowWork) {}
  private touch(pa: number): void {
    if (this.shadow.traced.has(pa - (pa % 4096))) flushShadows(this.shadow);
  }
  read(pa: number, size: number): number { return this.inner.read(pa, size); }
  writeLE(pa: number, size: number, v: number): void { this.touch(pa); this.inner.writeLE(pa, size, v); }
  writeByte(pa: number, v: number): void { this.touch(pa); this.inner.writeByte(pa, v); }
  snapshot(): MemStore { return this.inner.snapshot(); }
}

export interface Nested { outer: VmmWork; inner: VmmWork }

/** An outer VMM with one VM sized for `specs`, and an inner VMM running `specs` on that VM. */
export function createNested(specs: readonly VmSpec[]): Nested | string {
  const outer = createVmm([{ name: 'L1', machine: hostMachine(specs) }]);
  if (typeof outer === 'string') return outer;
  const l1 = outer.vms[0]!;
  const host: Core = l1.core;
  host.mem = new TracedMem(host.mem, l1.shadow);
  // One host step of the inner VMM is one guest step of the outer; a trap of the inner guest is the
  // outer vCPU entering virtual M-mode, where the inner VMM takes over.
  const inner = createVmmOn(host, specs, (_h, budget) => { vmmRun(outer, budget, (vm) => vm.core.hart.priv === 3); });
  if (typeof inner === 'string') return inner;
  return { outer, inner };
}
