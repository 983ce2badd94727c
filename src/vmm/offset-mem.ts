/**
 * A VM's guest-physical RAM as seen by the interpreter (VMM-MEM-1): guest-physical address gpa is
 * host-physical gpa + delta, inside the region the allocator gave the VM. Only RAM accesses reach
 * this view (the commit stage checks `inRam` against the guest's own config first).
 */
import type { PhysMem } from '../memory/store.js';

export class OffsetMem implements PhysMem {
  constructor(private readonly host: PhysMem, private readonly delta: number) {}
  read(gpa: number, size: number): number { return this.host.read(gpa + this.delta, size); }
  writeLE(gpa: number, size: number, v: number): void { this.host.writeLE(gpa + this.delta, size, v); }
  writeByte(gpa: number, v: number): void { this.host.writeByte(gpa + this.delta, v); }
}
