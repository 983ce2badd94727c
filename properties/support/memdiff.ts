/** Where two snapshots of (host) memory differ, for resource-control and isolation properties. */
import { chunkAt, chunkOffsets, CHUNK_SIZE, type MemStore } from '../../src/memory/store.js';
import type { Region } from '../../src/vmm/allocator.js';

/** The first address whose byte differs between `a` and `b`, among chunks `inside` selects; or null. */
function firstChange(a: MemStore, b: MemStore, inside: (off: number) => boolean, keep: (addr: number) => boolean): number | null {
  const offs = new Set<number>([...chunkOffsets(a), ...chunkOffsets(b)]);
  for (const off of offs) {
    if (!inside(off)) continue;
    const x = chunkAt(a, off), y = chunkAt(b, off);
    if (x === y) continue;
    for (let k = 0; k < CHUNK_SIZE; k++) if (x[k] !== y[k] && keep(off + k)) return off + k;
  }
  return null;
}

/** The first address in `r` whose byte differs between two snapshots, or null. */
export const changedIn = (a: MemStore, b: MemStore, r: Region): number | null =>
  firstChange(a, b, (off) => off + CHUNK_SIZE > r.base && off < r.base + r.size, (x) => x >= r.base && x < r.base + r.size);

/** The first address outside every region of `rs` whose byte differs between two snapshots, or null. */
export function changedOutside(a: MemStore, b: MemStore, rs: Region | readonly Region[]): number | null {
  const list: readonly Region[] = Array.isArray(rs) ? rs : [rs as Region];
  return firstChange(a, b, () => true, (x) => !list.some((r) => x >= r.base && x < r.base + r.size));
}
