/**
 * One virtual machine inside the VMM (VMM-VM-*): its virtual machine state is a working copy of a
 * machine (`Core`) whose hart is the vCPU and whose memory is its region of host RAM. While the VM
 * runs directly, its pc and x registers live in the host hart; `unload` brings them back.
 */
import { type Core, refreshLines, thaw } from '../machine/core.js';
import { createMachine, type Image, type Machine } from '../machine/machine.js';
import type { Config } from '../machine/config.js';
import type { IsaSet } from '../machine/isa-string.js';
import type { PhysMem } from '../memory/store.js';
import { OffsetMem } from './offset-mem.js';
import { newShadow, type ShadowWork } from './shadow.js';
import type { Region } from './allocator.js';

export interface VmSpec {
  name: string;
  config: Config;
  isa: IsaSet;
  image: Image;
  input?: Uint8Array | undefined;
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

/** Build a VM: guest RAM placed in `ram` of host memory, the image copied in, the vCPU at reset. */
export function createVm(id: number, spec: VmSpec, host: PhysMem, ram: Region, shadowPool: Region): VmWork {
  const m: Machine = createMachine(spec.config, spec.isa, { ...spec.image, segments: [] }, 0, spec.input);
  const delta = ram.base - spec.config.ramBase;
  for (const s of spec.image.segments) for (let k = 0; k < s.bytes.length; k++) host.writeByte(s.addr + delta + k, s.bytes[k]!);
  const core = thaw(m);
  core.mem = new OffsetMem(host, delta);
  refreshLines(core);
  const protect = new Set<number>();
  if (m.htif.tohost >= 0) protect.add(m.htif.tohost - (m.htif.tohost % 4096));
  return {
    id, name: spec.name, core, ram, delta, shadow: newShadow(shadowPool), protect,
    stats: { entries: {}, direct: 0, interpreted: 0 }, loadedAt: null, recheck: true,
  };
}
