/**
 * A VM's guest-physical RAM as seen by the interpreter (VMM-MEM-1): guest-physical address gpa is
 * host-physical gpa + delta, inside the region the allocator gave the VM. Only RAM accesses reach
 * this view (the commit stage checks `inRam` against the guest's own config first).
 */
import { type MemStore, type PhysMem, rebase } from '../memory/store.js';

export class OffsetMem implements PhysMem {
  /** Guest RAM [ramBase, ramBase + ramSize) is host [ramBase + delta, ...). */
  constructor(private readonly host: PhysMem, private readonly delta: number, private readonly ramBase: number, private readonly ramSize: number) {}
  /** Guest-physical contents (RAM only), sharing the host's chunks. */
  snapshot(): MemStore { return rebase(this.host.snapshot(), this.ramBase + this.delta, this.ramBase, this.ramSize); }
  read(gpa: number, size: number): number { return this.host.read(gpa + this.delta, size); }
  writeLE(gpa: number, size: number, v: number): void { this.host.writeLE(gpa + this.delta, size, v); }
  writeByte(gpa: number, v: number): void { this.host.writeByte(gpa + this.delta, v); }
}
