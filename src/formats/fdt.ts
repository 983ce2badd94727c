/**
 * A flattened-devicetree (DTB, format version 17) writer (DT-1, DT-2, spec/devicetree.md).
 *
 * A devicetree is an ordinary value (`FdtNode`): a name, an ordered list of properties and an
 * ordered list of children. `toDtb` lays it out as the Devicetree Specification v0.4 chapter 5
 * describes: the 40-byte header, the memory reservation block (8-byte aligned, terminated by a zero
 * entry), the structure block (32-bit big-endian tokens, each 4-byte aligned, zero padding) and the
 * strings block (each property name once). The output depends only on the input: properties and
 * children appear in the order given, and property names are interned in order of first use.
 *
 * The tree is built by code, not read from a user, so a malformed tree is a programming error:
 * `toDtb` throws a `RangeError` naming the offending node or property (DT-2) instead of writing a
 * blob that the specification forbids.
 */

/** A property value. Empty properties (e.g. `interrupt-controller`) are `cells` with no cells. */
export type FdtValue =
  /** Big-endian 32-bit cells (`<u32>` / `<prop-encoded-array>`, spec v0.4 §2.2.4.2). */
  | { readonly kind: 'cells'; readonly cells: readonly number[] }
  /** One NUL-terminated string (`<string>`), UTF-8 encoded. */
  | { readonly kind: 'string'; readonly value: string }
  /** Concatenated NUL-terminated strings (`<stringlist>`). */
  | { readonly kind: 'strings'; readonly values: readonly string[] }
  /** Raw bytes, written as given. */
  | { readonly kind: 'bytes'; readonly bytes: Uint8Array };

/** A devicetree node. The root's name is the empty string. */
export interface FdtNode {
  readonly name: string;
  /** Properties in output order; names are unique within a node. */
  readonly props: ReadonlyArray<readonly [name: string, value: FdtValue]>;
  /** Child nodes in output order; names are unique among siblings. */
  readonly children: readonly FdtNode[];
}

export interface DtbOptions {
  /** boot_cpuid_phys: the `reg` of the boot CPU node (default 0). */
  bootCpuid?: number;
  /** Memory reservation entries [address, size] (default none); size > 0, no overlaps. */
  memReserve?: Array<[number, number]>;
}

// ---------------------------------------------------------------------------------------------
// Constants (Devicetree Specification v0.4 §5.2, §5.4.1)

export const FDT_MAGIC = 0xd00dfeed;
export const FDT_VERSION = 17;
export const FDT_LAST_COMP_VERSION = 16;
export const FDT_BEGIN_NODE = 0x1;
export const FDT_END_NODE = 0x2;
export const FDT_PROP = 0x3;
export const FDT_NOP = 0x4;
export const FDT_END = 0x9;
/** Size of `struct fdt_header` (ten u32 fields). */
export const FDT_HEADER_SIZE = 40;

// ---------------------------------------------------------------------------------------------
// Value and node constructors

export const cells = (...c: number[]): FdtValue => ({ kind: 'cells', cells: c });
/** A 64-bit number as two cells, high word first (e.g. `linux,initrd-start`). */
export const u64 = (n: number): FdtValue => cells(Math.floor(n / 2 ** 32), n >>> 0);
export const str = (value: string): FdtValue => ({ kind: 'string', value });
export const strs = (...values: string[]): FdtValue => ({ kind: 'strings', values });
export const bytes = (b: Uint8Array): FdtValue => ({ kind: 'bytes', bytes: b });
/** An empty property (a boolean flag such as `interrupt-controller` or `ranges`). */
export const empty = (): FdtValue => cells();

export const node = (
  name: string,
  props: ReadonlyArray<readonly [string, FdtValue]>,
  children: readonly FdtNode[] = [],
): FdtNode => ({ name, props, children });

// ---------------------------------------------------------------------------------------------
// Validation (DT-2)

/** §2.2.1: node-name (1..31 characters, starting with a letter), then an optional @unit-address. */
const NODE_NAME = /^[A-Za-z][A-Za-z0-9,._+-]{0,30}(?:@[A-Za-z0-9,._+-]+)?$/;
/** §2.2.4.1: property names are 1..31 characters of this set. */
const PROP_NAME = /^[A-Za-z0-9,._+?#-]{1,31}$/;

const isU32 = (n: number): boolean => Number.isInteger(n) && n >= 0 && n <= 0xffffffff;
const isU64 = (n: number): boolean => Number.isSafeInteger(n) && n >= 0;

const utf8 = new TextEncoder();

function encodeString(s: string, where: string): Uint8Array {
  if (s.includes('\0')) throw new RangeError(`fdt: ${where}: string contains NUL`);
  const b = utf8.encode(s);
  const out = new Uint8Array(b.length + 1);
  out.set(b);
  return out;
}

/** DT-1: the bytes a property value occupies in the structure block (before padding). */
export function encodeValue(v: FdtValue, where = 'value'): Uint8Array {
  switch (v.kind) {
    case 'cells': {
      const out = new Uint8Array(4 * v.cells.length);
      const dv = new DataView(out.buffer);
      v.cells.forEach((c, i) => {
        if (!isU32(c)) throw new RangeError(`fdt: ${where}: cell ${i} (${c}) is not a u32`);
        dv.setUint32(4 * i, c, false);
      });
      return out;
    }
    case 'string':
      return encodeString(v.value, where);
    case 'strings': {
      const parts = v.values.map((s) => encodeString(s, where));
      const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
      let at = 0;
      for (const p of parts) { out.set(p, at); at += p.length; }
      return out;
    }
    case 'bytes':
      return v.bytes.slice();
  }
}

// ---------------------------------------------------------------------------------------------
// Writer

/** A growable big-endian byte buffer. */
class Buf {
  private data = new Uint8Array(256);
  length = 0;

  private reserve(n: number): void {
    if (this.length + n <= this.data.length) return;
    let cap = this.data.length;
    while (cap < this.length + n) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.data.subarray(0, this.length));
    this.data = next;
  }

  u32(v: number): void {
    this.reserve(4);
    new DataView(this.data.buffer).setUint32(this.length, v >>> 0, false);
    this.length += 4;
  }

  u64(v: number): void {
    this.u32(Math.floor(v / 2 ** 32));
    this.u32(v >>> 0);
  }

  raw(b: Uint8Array): void {
    this.reserve(b.length);
    this.data.set(b, this.length);
    this.length += b.length;
  }

  /** Zero bytes up to the next multiple of `n`. */
  align(n: number): void {
    const pad = (n - (this.length % n)) % n;
    this.reserve(pad);
    this.data.fill(0, this.length, this.length + pad);
    this.length += pad;
  }

  bytes(): Uint8Array {
    return this.data.slice(0, this.length);
  }
}

/**
 * DT-1: the DTB of `tree`. Throws a RangeError (DT-2) when the tree or the options break a rule
 * of the Devicetree Specification that the writer checks.
 */
export function toDtb(tree: FdtNode, opts: DtbOptions = {}): Uint8Array {
  const bootCpuid = opts.bootCpuid ?? 0;
  if (!isU32(bootCpuid)) throw new RangeError(`fdt: bootCpuid ${bootCpuid} is not a u32`);
  const rsv = opts.memReserve ?? [];
  rsv.forEach(([a, s], i) => {
    if (!isU64(a) || !isU64(s) || a + s > Number.MAX_SAFE_INTEGER) {
      throw new RangeError(`fdt: memReserve[${i}] [${a}, ${s}] is not a pair of 64-bit numbers`);
    }
    // A zero size would read as the terminating entry (§5.3.2).
    if (s === 0) throw new RangeError(`fdt: memReserve[${i}] has size 0`);
  });
  const sorted = [...rsv].sort((x, y) => x[0] - y[0]);
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1]!, cur = sorted[i]!;
    if (prev[0] + prev[1] > cur[0]) throw new RangeError(`fdt: memReserve regions at ${prev[0]} and ${cur[0]} overlap`);
  }
  if (tree.name !== '') throw new RangeError(`fdt: the root node's name must be empty, not "${tree.name}"`);

  // Structure block (§5.4) and strings block (§5.5), in one walk.
  const struct = new Buf();
  const strings = new Buf();
  const nameOff = new Map<string, number>();
  const intern = (name: string): number => {
    let off = nameOff.get(name);
    if (off === undefined) {
      off = strings.length;
      nameOff.set(name, off);
      strings.raw(encodeString(name, `property name "${name}"`));
    }
    return off;
  };

  const walk = (n: FdtNode, path: string): void => {
    struct.u32(FDT_BEGIN_NODE);
    struct.raw(encodeString(n.name, `node ${path}`));
    struct.align(4);
    const seenProps = new Set<string>();
    for (const [name, value] of n.props) {
      const where = `${path === '' ? '/' : path}:${name}`;
      if (!PROP_NAME.test(name)) throw new RangeError(`fdt: property name ${where} is not 1..31 characters of [A-Za-z0-9,._+?#-]`);
      if (seenProps.has(name)) throw new RangeError(`fdt: duplicate property ${where}`);
      seenProps.add(name);
      const data = encodeValue(value, where);
      struct.u32(FDT_PROP);
      struct.u32(data.length);
      struct.u32(intern(name));
      struct.raw(data);
      struct.align(4);
    }
    const seenChildren = new Set<string>();
    for (const c of n.children) {
      const cpath = `${path}/${c.name}`;
      if (!NODE_NAME.test(c.name)) throw new RangeError(`fdt: node name "${cpath}" is not a valid node-name[@unit-address]`);
      if (seenChildren.has(c.name)) throw new RangeError(`fdt: duplicate node ${cpath}`);
      seenChildren.add(c.name);
      walk(c, cpath);
    }
    struct.u32(FDT_END_NODE);
  };
  walk(tree, '');
  struct.u32(FDT_END);

  // Layout (§5.1 figure, §5.6): header, reservation block, structure block, strings block.
  const offRsv = FDT_HEADER_SIZE; // 40 is a multiple of 8
  const rsvSize = 16 * (rsv.length + 1);
  const offStruct = offRsv + rsvSize; // a multiple of 8, hence of 4
  const offStrings = offStruct + struct.length;
  const total = offStrings + strings.length;

  const out = new Buf();
  out.u32(FDT_MAGIC);
  out.u32(total);
  out.u32(offStruct);
  out.u32(offStrings);
  out.u32(offRsv);
  out.u32(FDT_VERSION);
  out.u32(FDT_LAST_COMP_VERSION);
  out.u32(bootCpuid);
  out.u32(strings.length);
  out.u32(struct.length);
  for (const [a, s] of rsv) { out.u64(a); out.u64(s); }
  out.u64(0);
  out.u64(0);
  out.raw(struct.bytes());
  out.raw(strings.bytes());
  return out.bytes();
}
