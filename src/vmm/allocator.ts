/**
 * The allocator (VMM-ALLOC-*): the only owner of host physical memory. It hands each VM one
 * contiguous RAM region and one pool of frames for its shadow page tables, and records every grant,
 * so resource-control properties can check that guest execution stays inside them.
 */

export interface Region { readonly base: number; readonly size: number }

export interface AllocState {
  /** Host RAM [base, base + size). */
  readonly ram: Region;
  /** Next free host address (bump allocation; regions are never returned while the host lives). */
  readonly next: number;
  /** Every grant, in order: owner VM id, purpose and region. */
  readonly grants: ReadonlyArray<{ vm: number; purpose: Purpose; region: Region }>;
}

export const PAGE = 4096;

/** What a grant holds: guest RAM, shadow page tables (trap-emulate) or G-stage tables (hext). */
export type Purpose = 'ram' | 'shadow' | 'gstage';

export const newAllocator = (ram: Region): AllocState => ({ ram, next: ram.base, grants: [] });

/**
 * VMM-ALLOC-1: grant `size` bytes (rounded up to pages) to VM `vm`, starting at a multiple of
 * `align` (a power of two, at least a page), or a one-line reason the host cannot. Regions are
 * page aligned, disjoint and inside host RAM.
 */
export function grant(a: AllocState, vm: number, purpose: Purpose, size: number, align = PAGE): { a: AllocState; region: Region } | string {
  const n = Math.ceil(size / PAGE) * PAGE;
  const at = Math.ceil(a.next / align) * align;
  if (at + n > a.ram.base + a.ram.size) return `host RAM exhausted: VM ${vm} needs ${n} more bytes for ${purpose}`;
  const region = { base: at, size: n };
  return { a: { ...a, next: at + n, grants: [...a.grants, { vm, purpose, region }] }, region };
}

/** VMM-ALLOC-2: the VM that owns host address `hpa`, or -1. */
export function ownerOf(a: AllocState, hpa: number): number {
  for (const g of a.grants) if (hpa >= g.region.base && hpa < g.region.base + g.region.size) return g.vm;
  return -1;
}
