/**
 * Physical memory as a persistent value (MEM-1): a shallow trie of copy-on-write chunks.
 *
 * A byte store copies one chunk and its path, so every earlier `MemStore` value is unchanged, and a
 * snapshot or clone is O(1). Untouched memory reads as zero without allocating. For speed, an
 * *edit session* (a unique owner token) may write in place into chunks that it created itself —
 * the transient technique of persistent collections: nodes owned by an older value are never
 * mutated, so purity holds for every value that anyone else can see.
 */

const CHUNK_BITS = 10; // 1 KiB leaves
const FAN_BITS = 8; // three 256-way interior levels: 10 + 3 * 8 = 34 address bits
export const CHUNK_SIZE = 1 << CHUNK_BITS;
const CHUNK_MASK = CHUNK_SIZE - 1;
const FAN = 1 << FAN_BITS;
const FAN_MASK = FAN - 1;
const ZERO_CHUNK = new Uint8Array(CHUNK_SIZE);

interface Leaf { owner: number; data: Uint8Array }
interface Node<K> { owner: number; kids: Array<K | undefined> }
type L2 = Node<Leaf>;
type L1 = Node<L2>;
type Root = Node<L1>;
/** A persistent byte store covering offsets [0, 2^34) (34-bit physical addresses of Sv32). */
export interface MemStore { readonly root: Root }

let nextOwner = 1;
/** A fresh edit-session token. Tokens only decide *where* writes go, never what is read. */
export const newOwner = (): number => nextOwner++;

const EMPTY_ROOT: Root = { owner: 0, kids: new Array<L1 | undefined>(FAN) };
/** An empty memory: every byte reads 0. */
export const emptyStore = (): MemStore => ({ root: EMPTY_ROOT });

const idx0 = (off: number): number => Math.floor(off / 2 ** (CHUNK_BITS + 2 * FAN_BITS)) & FAN_MASK;
const idx1 = (off: number): number => (off >>> (CHUNK_BITS + FAN_BITS)) & FAN_MASK;
const idx2 = (off: number): number => (off >>> CHUNK_BITS) & FAN_MASK;

const leafOf = (m: MemStore, off: number): Uint8Array =>
  m.root.kids[idx0(off)]?.kids[idx1(off)]?.kids[idx2(off)]?.data ?? ZERO_CHUNK;

/** Read one byte (offset below 2^34). */
export const readByte = (m: MemStore, off: number): number => leafOf(m, off)[off & CHUNK_MASK]!;

/** Read `size` (1, 2 or 4) little-endian bytes as an unsigned value; may span chunks. */
export function readLE(m: MemStore, off: number, size: number): number {
  const i = off & CHUNK_MASK;
  if (i + size <= CHUNK_SIZE) {
    const d = leafOf(m, off);
    if (size === 4) return (d[i]! | (d[i + 1]! << 8) | (d[i + 2]! << 16) | (d[i + 3]! << 24)) >>> 0;
    if (size === 2) return d[i]! | (d[i + 1]! << 8);
    return d[i]!;
  }
  let v = 0;
  for (let k = size - 1; k >= 0; k--) v = (v * 256) + readByte(m, off + k);
  return v >>> 0;
}

/**
 * A writable view of a store for one edit session: writes copy chunks not owned by `owner` and
 * mutate owned ones in place. `freeze()` returns the resulting persistent value; the writer must not
 * be used after that unless a new owner token is taken (see `MemWriter.fork`).
 */
/** Byte-addressed physical memory as the commit stage uses it (MemWriter, or a VMM's view of guest RAM). */
export interface PhysMem {
  /** Read `size` (1, 2 or 4) little-endian bytes, unsigned. */
  read(pa: number, size: number): number;
  writeLE(pa: number, size: number, v: number): void;
  writeByte(pa: number, v: number): void;
  /** The current contents as a persistent value (later writes do not change it). */
  snapshot(): MemStore;
}

export class MemWriter implements PhysMem {
  private root: Root;
  /** The current contents as a store value (replaced whenever the root node is). */
  view: MemStore;
  /** 4 KiB page numbers whose writes must be noticed (by a translation cache), and whether one was written. */
  watch: Set<number> | null = null;
  watchHit = false;
  constructor(base: MemStore, private owner: number) {
    this.root = base.root;
    this.view = base;
  }

  /** The current contents as a persistent value. Later writes through this writer use a new owner. */
  freeze(): MemStore {
    this.owner = newOwner();
    return this.view;
  }

  private own<K>(n: Node<K> | undefined): Node<K> {
    if (n && n.owner === this.owner) return n;
    return { owner: this.owner, kids: n ? n.kids.slice() : new Array<K | undefined>(FAN) };
  }

  private leafForWrite(off: number): Uint8Array {
    if (this.watch !== null && this.watch.has(Math.floor(off / 4096))) this.watchHit = true;
    const root = this.own(this.root);
    if (root !== this.root) { this.root = root; this.view = { root }; }
    const i0 = idx0(off), i1 = idx1(off), i2 = idx2(off);
    const n1 = (root.kids[i0] = this.own(root.kids[i0]));
    const n2 = (n1.kids[i1] = this.own(n1.kids[i1]));
    let l = n2.kids[i2];
    if (!l || l.owner !== this.owner) {
      l = { owner: this.owner, data: l ? l.data.slice() : new Uint8Array(CHUNK_SIZE) };
      n2.kids[i2] = l;
    }
    return l.data;
  }

  read(off: number, size: number): number { return readLE(this.view, off, size); }

  snapshot(): MemStore { return this.freeze(); }

  writeByte(off: number, v: number): void { this.leafForWrite(off)[off & CHUNK_MASK] = v; }

  /** Write `size` little-endian bytes of `v`. */
  writeLE(off: number, size: number, v: number): void {
    const i = off & CHUNK_MASK;
    if (i + size <= CHUNK_SIZE) {
      const d = this.leafForWrite(off);
      d[i] = v;
      if (size >= 2) d[i + 1] = v >>> 8;
      if (size === 4) { d[i + 2] = v >>> 16; d[i + 3] = v >>> 24; }
      return;
    }
    for (let k = 0; k < size; k++) this.writeByte(off + k, (v >>> (8 * k)) & 0xff);
  }

  /** Copy a byte array in (used by loaders). */
  writeBytes(off: number, bytes: Uint8Array): void {
    for (let k = 0; k < bytes.length; k++) this.writeByte(off + k, bytes[k]!);
  }
}

/** Store bytes into a persistent memory, returning the new value. */
export function withBytes(m: MemStore, off: number, bytes: Uint8Array): MemStore {
  const w = new MemWriter(m, newOwner());
  w.writeBytes(off, bytes);
  return w.freeze();
}

/** Offsets of every chunk that has ever been written (zero chunks may be included). */
export function* chunkOffsets(m: MemStore): Generator<number> {
  const r = m.root.kids;
  for (let a = 0; a < FAN; a++) {
    const n1 = r[a];
    if (!n1) continue;
    for (let b = 0; b < FAN; b++) {
      const n2 = n1.kids[b];
      if (!n2) continue;
      for (let c = 0; c < FAN; c++) {
        if (n2.kids[c]) yield ((a * FAN + b) * FAN + c) * CHUNK_SIZE;
      }
    }
  }
}

/** Bytes of one chunk (zeros if untouched). */
export const chunkAt = (m: MemStore, off: number): Uint8Array => leafOf(m, off);

/**
 * MEM-REBASE: a store whose bytes at [to, to + size) are this store's bytes at [from, from + size)
 * and which is zero elsewhere; chunks are shared, not copied. `from`, `to` and `size` must be
 * chunk aligned. Used to observe a VM's guest-physical memory inside host memory.
 */
export function rebase(m: MemStore, from: number, to: number, size: number): MemStore {
  const root: Root = { owner: newOwner(), kids: new Array<L1 | undefined>(FAN) };
  const owner = root.owner;
  for (const off of chunkOffsets(m)) {
    if (off < from || off >= from + size) continue;
    const leaf = m.root.kids[idx0(off)]!.kids[idx1(off)]!.kids[idx2(off)]!;
    const t = off - from + to;
    const n1 = (root.kids[idx0(t)] ??= { owner, kids: new Array<L2 | undefined>(FAN) });
    const n2 = (n1.kids[idx1(t)] ??= { owner, kids: new Array<Leaf | undefined>(FAN) });
    n2.kids[idx2(t)] = { owner: 0, data: leaf.data };
  }
  return { root };
}
