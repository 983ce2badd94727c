/**
 * Random Sv32 page tables (for properties/translation.test.ts): a root table and a few
 * second-level tables in RAM, pointers to tables outside RAM or behind PMP, PTEs with random
 * V/R/W/X/U/G/A/D and RSW bits, W-without-R encodings, pointers with the reserved D/A/U bits,
 * pointers in the last level, and megapages both aligned and misaligned. Leaves point into RAM,
 * into a hole, or above 4 GiB (34-bit physical addresses). The world is a sparse map of words.
 */
import fc from 'fast-check';
import type { Arbitrary } from 'fast-check';
import { A, D, G, R, U, V, W, X } from '../oracles/sv32.js';

export const RAM_PPN = 0x80000;
/** RAM pages used for page tables (PA 0x80010000..): far from the code page at 0x80000000. */
export const TABLE_PPNS = [0x80010, 0x80011, 0x80012, 0x80013];
export const ROOT_PPNS = [0x80020, 0x80021];
/** Table pages whose reads PMP denies in the direct walk (they are in RAM). */
export const DENIED_PPN = 0x80030;
/** Table pointers that lead outside RAM: a hole, page 1, and the last page of the 34-bit space. */
export const OUTSIDE_PPNS = [0x40000, 0x00001, 0x3fffff];
/** The root slot of the code megapage in end-to-end tests (VA 0x80000000 maps to PA 0x80000000). */
export const CODE_VPN1 = 0x200;

export interface World {
  rootPpn: number;
  /** Physical address → PTE word. */
  words: Map<number, number>;
  /** Root slots and second-level slots that hold something, for choosing addresses. */
  vpn1s: number[];
  vpn0s: number[];
}

const flagBits: Arbitrary<number> = fc.record({
  v: fc.integer({ min: 0, max: 9 }).map((n) => n > 0), // V = 1 mostly
  // R W X combinations other than 0 (a pointer); 2 and 6 are the reserved W-without-R encodings.
  rwx: fc.oneof({ weight: 6, arbitrary: fc.constantFrom(1, 3, 4, 5, 7) }, { weight: 1, arbitrary: fc.constantFrom(2, 6) }),
  u: fc.boolean(), g: fc.boolean(), a: fc.integer({ min: 0, max: 3 }).map((n) => n > 0), d: fc.boolean(),
  rsw: fc.integer({ min: 0, max: 3 }),
}).map((f) => ((f.v ? V : 0) | ((f.rwx & 1) ? R : 0) | ((f.rwx & 2) ? W : 0) | ((f.rwx & 4) ? X : 0)
  | (f.u ? U : 0) | (f.g ? G : 0) | (f.a ? A : 0) | (f.d ? D : 0) | (f.rsw << 8)) >>> 0);

/** A leaf PTE with the given PPN. */
const leaf = (ppn: Arbitrary<number>): Arbitrary<number> =>
  fc.tuple(ppn, flagBits).map(([p, f]) => (p * 1024 + f) >>> 0);

/** A pointer PTE: V, optionally G and RSW, and (when `reserved`) sometimes the reserved D/A/U bits. */
const pointer = (ppn: Arbitrary<number>, reserved: boolean): Arbitrary<number> =>
  fc.tuple(ppn, fc.boolean(), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: reserved ? 5 : 0 }))
    .map(([p, g, rsw, res]) => (p * 1024 + V + (g ? G : 0) + (rsw << 8)
      + (res === 1 ? A : res === 2 ? D : res === 3 ? U : res === 4 ? A + D : 0)) >>> 0);

const pagePpn: Arbitrary<number> = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: RAM_PPN, max: RAM_PPN + 0x7fff }) }, // 128 MiB of RAM
  { weight: 1, arbitrary: fc.integer({ min: 0x40000, max: 0x40fff }) }, // a hole
  { weight: 1, arbitrary: fc.integer({ min: 0x300000, max: 0x3fffff }) }, // above 4 GiB
);
const megaPpn: Arbitrary<number> = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 0x200, max: 0x21f }).map((k) => k * 1024) }, // aligned, RAM
  { weight: 1, arbitrary: fc.constantFrom(0x40000, 0x300000) }, // aligned, holes
  { weight: 2, arbitrary: fc.integer({ min: RAM_PPN + 1, max: RAM_PPN + 1023 }) }, // misaligned
);

/** Any word; without `reserved`, a word that happens to be a pointer has D/A/U cleared. */
const anyWord = (reserved: boolean): Arbitrary<number> => fc.integer({ min: 0, max: 0xffffffff })
  .map((w) => (!reserved && (w & 0xf) === V ? (w & ~(A | D | U)) >>> 0 : w));

/** A root-table PTE. `tables` are second-level tables in RAM. */
const rootPte = (tables: number[], denied: boolean, reserved: boolean): Arbitrary<number> => fc.oneof(
  { weight: 5, arbitrary: pointer(fc.constantFrom(...tables), reserved) },
  { weight: 1, arbitrary: pointer(fc.constantFrom(...OUTSIDE_PPNS, ...(denied ? [DENIED_PPN] : [])), reserved) },
  { weight: 3, arbitrary: leaf(megaPpn) },
  { weight: 1, arbitrary: anyWord(reserved) },
  { weight: 1, arbitrary: fc.constant(0) },
);
/** A second-level PTE. */
const levelZeroPte = (reserved: boolean): Arbitrary<number> => fc.oneof(
  { weight: 8, arbitrary: leaf(pagePpn) },
  { weight: 1, arbitrary: pointer(fc.constantFrom(...TABLE_PPNS), reserved) }, // a pointer at level 0: page fault
  { weight: 1, arbitrary: anyWord(reserved) },
  { weight: 1, arbitrary: fc.constant(0) },
);

const slots = (avoid: number[]): Arbitrary<number[]> =>
  fc.uniqueArray(fc.oneof(fc.constantFrom(0, 1, 0x1ff, 0x201, 0x3fe, 0x3ff), fc.integer({ min: 0, max: 0x3ff })), { minLength: 1, maxLength: 6 })
    .map((xs) => xs.filter((x) => !avoid.includes(x)));

/**
 * A random world. With `e2e`, root slot CODE_VPN1 is left free for the caller's code megapage,
 * and no table is behind PMP (end-to-end tests use an allow-all PMP unless they say otherwise).
 * With `reserved`, some pointers carry the D/A/U bits that are reserved in non-leaf PTEs.
 */
export function world(e2e: boolean, reserved = false): Arbitrary<World> {
  return fc.record({
    rootPpn: fc.constantFrom(...ROOT_PPNS),
    ntables: fc.integer({ min: 1, max: TABLE_PPNS.length }),
    vpn1s: slots(e2e ? [CODE_VPN1] : []),
    vpn0s: slots([]),
  }).chain(({ rootPpn, ntables, vpn1s, vpn0s }) => {
    const tables = TABLE_PPNS.slice(0, ntables);
    return fc.record({
      root: fc.array(rootPte(tables, !e2e, reserved), { minLength: vpn1s.length, maxLength: vpn1s.length }),
      second: fc.array(fc.array(levelZeroPte(reserved), { minLength: vpn0s.length, maxLength: vpn0s.length }), { minLength: ntables, maxLength: ntables }),
      deniedTable: fc.array(levelZeroPte(reserved), { minLength: vpn0s.length, maxLength: vpn0s.length }),
    }).map(({ root, second, deniedTable }) => {
      const words = new Map<number, number>();
      vpn1s.forEach((i, k) => words.set(rootPpn * 4096 + 4 * i, root[k]!));
      tables.forEach((t, k) => vpn0s.forEach((j, n) => words.set(t * 4096 + 4 * j, second[k]![n]!)));
      // The PMP-denied table has contents too: a walk must not use them.
      if (!e2e) vpn0s.forEach((j, n) => words.set(DENIED_PPN * 4096 + 4 * j, deniedTable[n]!));
      return { rootPpn, words, vpn1s, vpn0s };
    });
  });
}

/** A virtual address that mostly lands in slots the world populated. */
export function vaIn(w: World): Arbitrary<number> {
  return fc.tuple(
    fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...(w.vpn1s.length > 0 ? w.vpn1s : [0])) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 0x3ff }) }),
    fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...w.vpn0s) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 0x3ff }) }),
    fc.oneof(fc.integer({ min: 0, max: 0xfff }), fc.constantFrom(0, 0xffc, 0xfff)),
  ).map(([a, b, off]) => (a * 2 ** 22 + b * 4096 + off) >>> 0);
}

export const acc: Arbitrary<'r' | 'w' | 'x'> = fc.constantFrom('r', 'w', 'x');

/** A readable dump of a world's non-zero words. */
export function dumpWorld(w: World): string {
  return [`root PPN 0x${w.rootPpn.toString(16)}`, ...[...w.words].filter(([, v]) => v !== 0)
    .map(([pa, v]) => `  [0x${pa.toString(16)}] = 0x${(v >>> 0).toString(16).padStart(8, '0')}`)].join('\n');
}
