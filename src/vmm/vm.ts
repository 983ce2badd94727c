/**
 * One virtual machine inside the VMM (VMM-VM-*): its virtual machine state is a working copy of a
 * machine (`Core`) whose hart is the vCPU and whose memory is its region of host RAM. While the VM
 * runs directly, its pc and x registers live in the host hart; `unload` brings them back.
 */
import { type Core, refreshLines, thaw } from '../machine/core.js';
import type { Machine } from '../machine/machine.js';
import { chunkAt, chunkOffsets, type PhysMem } from '../memory/store.js';
import { OffsetMem } from './offset-mem.js';
import { newShadow, type ShadowWork } from './shadow.js';
import { stepHart } from '../machine/step.js';
import { seeStep } from './see.js';
import type { Region } from './allocator.js';

/** A VM to create: a name and its initial state as a machine value (usually a machine at reset). */
export interface VmSpec {
  name: string;
  machine: Machine;
  /** The machine is an S-mode machine of the SBI service (see.ts): its steps are `seeStep`s. */
  see?: boolean;
}

export interface VmStats {
  /** VMM entries by cause name. */
  entries: Record<string, number>;
  /** Guest instructions executed directly on the host, and steps the VMM interpreted. */
  direct: number;
  interpreted: number;
}

export interface VmWork {
  readonly id: number;
  readonly name: string;
  /** The virtual machine: hart = vCPU, mem = guest-physical view of `ram`. */
  readonly core: Core;
  /** One guest step on the vCPU with the reference semantics (HX-SEE-STEP for SEE machines). */
  readonly step: (c: Core) => void;
  readonly ram: Region;
  /** hpa - gpa for guest RAM. */
  readonly delta: number;
  readonly shadow: ShadowWork;
  /** Guest-physical pages the shadows never map writable (the HTIF page). */
  readonly protect: Set<number>;
  stats: VmStats;
  /** Host minstret when the VM's context was last loaded onto the host hart (null: not loaded). */
  loadedAt: number | null;
  /** Interrupt state may have changed: re-check before running directly. */
  recheck: boolean;
}

/** VMM-VM-1: build a trap-and-emulate VM whose initial state is the machine value `spec.machine`. */
export function createVm(id: number, spec: VmSpec, host: PhysMem, ram: Region, shadowPool: Region): VmWork {
  const { core, delta } = placeGuest(spec.machine, host, ram);
  const shadow = newShadow(shadowPool);
  // TE-PT-WRITE: the VM's stores are watched for the pages its shadows were built from.
  core.storeWatch = shadow.traced;
  return {
    id, name: spec.name, core, step: spec.see === true ? seeStep : stepHart, ram, delta, shadow, protect: htifPages(spec.machine),
    stats: { entries: {}, direct: 0, interpreted: 0 }, loadedAt: null, recheck: true,
  };
}

/** Guest-physical pages no direct access may write: the HTIF page (its stores are commands). */
export function htifPages(m: Machine): Set<number> {
  const protect = new Set<number>();
  if (m.htif.tohost >= 0) protect.add(m.htif.tohost - (m.htif.tohost % 4096));
  return protect;
}

/**
 * VMM-VM-1: the vCPU of a VM whose initial state is `m`: RAM contents copied into `ram` of host
 * memory, the vCPU's memory a guest-physical view of that region (`delta` = hpa - gpa); harts,
 * devices, time and output taken as they are.
 */
export function placeGuest(m: Machine, host: PhysMem, ram: Region): { core: Core; delta: number } {
  const delta = ram.base - m.config.ramBase;
  for (const off of chunkOffsets(m.mem)) {
    if (off < m.config.ramBase || off >= m.config.ramBase + m.config.ramSize) continue;
    const bytes = chunkAt(m.mem, off);
    for (let k = 0; k < bytes.length; k += 4) {
      const v = (bytes[k]! | (bytes[k + 1]! << 8) | (bytes[k + 2]! << 16) | (bytes[k + 3]! << 24)) >>> 0;
      if (v !== 0) host.writeLE(off + delta + k, 4, v);
    }
  }
  const core = thaw(m);
  core.mem = new OffsetMem(host, delta, m.config.ramBase, m.config.ramSize);
  refreshLines(core);
  return { core, delta };
}
