/**
 * The G-stage tables of a hardware-assisted VM (HX-GSTAGE-*): Sv32x4 tables, in frames the
 * allocator granted, that map the VM's guest-physical RAM to its host region. A guest page is
 * mapped only where every access the mapping allows would be performed natively with no side
 * effect: RAM, the vCPU's PMP allows it for the whole page (the permissions of the leaf are
 * exactly the PMP's), and it is not the HTIF page. Everything else — devices, holes, the SBI
 * firmware's region, the HTIF page — stays unmapped, so an access traps to the VMM as a
 * guest-page fault and is interpreted. Leaves have U = 1 (G-stage accesses are user accesses) and
 * A = D = 1 (the G-stage never updates them).
 */
import type { Core } from '../machine/core.js';
import { pmpTable } from '../machine/access.js';
import { pmpAllowsTable, type Access } from '../memory/pmp.js';
import type { PhysMem } from '../memory/store.js';
import { PRV_S } from '../hart/state.js';
import { PTE_A, PTE_D, PTE_R, PTE_U, PTE_V, PTE_W, PTE_X } from '../translation/sv32.js';
import { PAGE, type Region } from './allocator.js';

const MEGA = 1 << 22;
/** The Sv32x4 root is 16 KiB: 4096 entries, indexed by GPA bits 33:22 (10 + 2 bits). */
export const GSTAGE_ROOT_SIZE = 4 * PAGE;

/** Frames a VM's G-stage may need: the root and one table per 4 MiB region its RAM touches. */
export const gstagePoolSize = (c: { ramBase: number; ramSize: number }): number =>
  GSTAGE_ROOT_SIZE + (Math.floor((c.ramBase + c.ramSize - 1) / MEGA) - Math.floor(c.ramBase / MEGA) + 1) * PAGE;

const PERMS: ReadonlyArray<[Access, number]> = [['r', PTE_R], ['w', PTE_W], ['x', PTE_X]];

/** R/W/X bits the vCPU's PMP grants S-mode on the whole guest page at `gpa` (0: none). */
function pagePerms(vcpu: Core, gpa: number): number {
  const t = pmpTable(vcpu);
  let bits = 0;
  for (const [acc, bit] of PERMS) if (pmpAllowsTable(t, gpa, PAGE, acc, PRV_S)) bits |= bit;
  // W without R is a reserved encoding; such a page stays unmapped for stores.
  if ((bits & (PTE_R | PTE_W)) === PTE_W) bits &= ~PTE_W;
  return bits;
}

const leaf = (hpa: number, perms: number): number => ((Math.floor(hpa / PAGE) << 10) | perms | PTE_V | PTE_U | PTE_A | PTE_D) >>> 0;

/**
 * HX-GSTAGE-1: write the G-stage tables for `vcpu` (guest RAM at `delta` bytes below its host
 * region) into `pool` and return the host-physical address of the root. 4 MiB regions that are
 * wholly mappable with R, W and X and land 4 MiB aligned in the host get a megapage leaf.
 */
export function buildGStage(host: PhysMem, pool: Region, vcpu: Core, delta: number, protect: ReadonlySet<number>): number {
  for (let o = 0; o < pool.size; o += 4) host.writeLE(pool.base + o, 4, 0);
  const root = pool.base;
  let next = root + GSTAGE_ROOT_SIZE;
  const { ramBase, ramSize } = vcpu.config;
  for (let m = ramBase - (ramBase % MEGA); m < ramBase + ramSize; m += MEGA) {
    const perms: number[] = [];
    for (let g = m; g < m + MEGA; g += PAGE) {
      const inRam = g >= ramBase && g + PAGE <= ramBase + ramSize;
      perms.push(inRam && !protect.has(g) ? pagePerms(vcpu, g) : 0);
    }
    const slot = root + 4 * Math.floor(m / MEGA);
    if ((m + delta) % MEGA === 0 && perms.every((p) => p === (PTE_R | PTE_W | PTE_X))) {
      host.writeLE(slot, 4, leaf(m + delta, PTE_R | PTE_W | PTE_X));
      continue;
    }
    if (perms.every((p) => p === 0)) continue;
    const table = next;
    next += PAGE;
    host.writeLE(slot, 4, ((Math.floor(table / PAGE) << 10) | PTE_V) >>> 0);
    perms.forEach((p, k) => { if (p !== 0) host.writeLE(table + 4 * k, 4, leaf(m + k * PAGE + delta, p)); });
  }
  return root;
}

/** HX-GSTAGE-1: hgatp for a VM: mode Sv32x4, VMID, root PPN. */
export const hgatpOf = (root: number, vmid: number): number => (0x80000000 | ((vmid & 0x7f) << 22) | Math.floor(root / PAGE)) >>> 0;
