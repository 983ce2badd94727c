/** Shared pieces of the vector cases (ORA-VEC-3). */
import type { PrivName } from '../../formats/arch-state.js';
import type { PartialConfig } from '../../formats/vector.js';
import { decode } from '../../isa/decode.js';
import { disassemble } from '../../isa/disasm.js';

export interface Case {
  rules: string[];
  desc: string;
  config?: PartialConfig;
  /** Instruction words placed at `at` (default: the start of RAM); the initial pc. */
  prog: number[];
  at?: number;
  /** Initial pc when it is not `at`. */
  pc?: number;
  x?: Record<number, number>;
  priv?: PrivName;
  /** The virtualization mode V (H extension; default 0). */
  v?: 0 | 1;
  csrs?: Record<string, number>;
  /** HTIF tohost/fromhost addresses (DEV-HTIF-*); default: no HTIF. */
  htif?: { tohost: number; fromhost?: number };
  /** Extra memory: 32-bit words by address (grouped into regions) and raw byte regions. */
  words?: Record<number, number>;
  bytes?: Array<[number, number[]]>;
  /** Machine steps (default: the program length), or run to halt with at most this many steps. */
  steps?: number;
  halt?: number;
  /** CSRs and memory to list in the expectation even when unchanged. */
  watch?: string[];
  watchMem?: Array<[number, number]>;
  /** Id prefix (default: the first rule, lowercased). */
  group?: string;
}

export const RAM = 0x8000_0000;
/** Data page used by load/store cases. */
export const DATA = 0x8000_1000;
/** Trap handler address set in mtvec/stvec by cases that trap. */
export const HANDLER = 0x8000_0100;

/** objdump-style disassembly of a word at an address (ISA-ASM-1 text), for descriptions. */
export const dis = (w: number, pc = RAM): string => disassemble(decode(w), pc).replace('\t', ' ');
/** `0x` + 8 hex digits. */
export const h = (v: number): string => '0x' + (v >>> 0).toString(16).padStart(8, '0');

/** PMP entry 0 = NAPOT over the whole physical address space with RWX, so S and U code can run. */
export const PMP_ALL = { pmpaddr0: 0xffffffff, pmpcfg0: 0x1f };

/** mstatus fields. */
export const MS = { SIE: 1 << 1, MIE: 1 << 3, SPIE: 1 << 5, MPIE: 1 << 7, SPP: 1 << 8, MPP_S: 1 << 11, MPP_M: 3 << 11, MPRV: 1 << 17, SUM: 1 << 18, MXR: 1 << 19, TVM: 1 << 20, TW: 1 << 21, TSR: 1 << 22 };

/** Devices of the default platform. */
export const CLINT = 0x0200_0000, PLIC = 0x0c00_0000, UART = 0x1000_0000, FINISHER = 0x0010_0000;

/** A seeded PRNG (xorshift128+ on 32-bit halves, seeded by splitmix32): deterministic everywhere. */
export class Rng {
  private s: number[];
  constructor(seed: number) {
    let z = seed >>> 0;
    const next = (): number => {
      z = (z + 0x9e3779b9) >>> 0;
      let t = z;
      t = Math.imul(t ^ (t >>> 16), 0x85ebca6b) >>> 0;
      t = Math.imul(t ^ (t >>> 13), 0xc2b2ae35) >>> 0;
      return (t ^ (t >>> 16)) >>> 0;
    };
    this.s = [next(), next(), next(), next()];
  }
  /** A uniform 32-bit unsigned value (xoshiro128**). */
  u32(): number {
    const s = this.s;
    const r = Math.imul(rotl(Math.imul(s[1]!, 5) >>> 0, 7), 9) >>> 0;
    const t = (s[1]! << 9) >>> 0;
    s[2] = (s[2]! ^ s[0]!) >>> 0;
    s[3] = (s[3]! ^ s[1]!) >>> 0;
    s[1] = (s[1]! ^ s[2]!) >>> 0;
    s[0] = (s[0]! ^ s[3]!) >>> 0;
    s[2] = (s[2]! ^ t) >>> 0;
    s[3] = rotl(s[3]!, 11);
    return r;
  }
  /** Uniform integer in [0, n). */
  below(n: number): number { return Math.floor((this.u32() / 4294967296) * n); }
  pick<T>(xs: readonly T[]): T { return xs[this.below(xs.length)]!; }
  /** A 32-bit value biased towards corners (0, ±1, extremes, small numbers). */
  corner(): number {
    const k = this.below(8);
    if (k === 0) return this.pick([0, 1, 0xffffffff, 0x7fffffff, 0x80000000, 2, 0xfffffffe, 0x80000001]);
    if (k === 1) return this.below(64);
    if (k === 2) return (-this.below(64)) >>> 0;
    return this.u32();
  }
}
const rotl = (x: number, k: number): number => ((x << k) | (x >>> (32 - k))) >>> 0;
