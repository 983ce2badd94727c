/**
 * Spike-style ISA strings (CFG-ISA-1): `rv32` + single-letter extensions + `_`-separated multi-letter
 * ones, e.g. `rv32ima_zicsr_zifencei_zicntr`. Anything popek does not implement is an error.
 */
import type { Op } from '../isa/inst.js';

export interface IsaSet {
  m: boolean;
  a: boolean;
  /** The hypervisor extension (misa.H, bit 7). */
  h: boolean;
  zicsr: boolean;
  zifencei: boolean;
  zicntr: boolean;
  /** misa value: MXL = 1 (32-bit), the letters, plus S and U (this hart always has M, S and U). */
  misa: number;
}

const LETTERS: Record<string, string> = {
  e: 'RV32E', f: 'F (single-precision float)', d: 'D (double-precision float)', q: 'Q', c: 'C (compressed)',
  b: 'B (bit manipulation)', v: 'V (vector)', g: 'G (implies F and D)', p: 'P', j: 'J', l: 'L', n: 'N',
};
const MULTI = new Set(['zicsr', 'zifencei', 'zicntr']);

/** Parse an ISA string, or return a one-line reason it is not supported. */
export function parseIsa(s: string): { ok: true; isa: IsaSet } | { ok: false; error: string } {
  const lower = s.toLowerCase();
  const m = /^rv(32|64|128)([a-z]*)((?:_[a-z][a-z0-9]*)*)$/.exec(lower);
  if (!m) return { ok: false, error: `--isa "${s}": not an ISA string (expected e.g. rv32ima_zicsr_zifencei_zicntr)` };
  if (m[1] !== '32') return { ok: false, error: `--isa "${s}": popek implements RV32 only, not RV${m[1]}` };
  const letters = m[2]!;
  if (letters.startsWith('e')) return { ok: false, error: `--isa "${s}": extension RV32E is not implemented by popek (the base must be I)` };
  if (letters.startsWith('g')) return { ok: false, error: `--isa "${s}": extension G (implies F and D) is not implemented by popek` };
  if (!letters.startsWith('i')) return { ok: false, error: `--isa "${s}": the base must be I (e.g. rv32i...)` };
  const set: IsaSet = { m: false, a: false, h: false, zicsr: false, zifencei: false, zicntr: false, misa: 0 };
  for (const ch of letters.slice(1)) {
    if (ch === 'm') set.m = true;
    else if (ch === 'a') set.a = true;
    else if (ch === 'h') set.h = true;
    else return { ok: false, error: `--isa "${s}": extension ${LETTERS[ch] ?? ch.toUpperCase()} is not implemented by popek` };
  }
  for (const ext of m[3]!.split('_').filter((x) => x !== '')) {
    if (!MULTI.has(ext)) return { ok: false, error: `--isa "${s}": extension ${ext} is not implemented by popek` };
    set[ext as 'zicsr' | 'zifencei' | 'zicntr'] = true;
  }
  if (!set.zicsr) return { ok: false, error: `--isa "${s}": popek needs zicsr (the privileged architecture is built on it)` };
  const bit = (c: string): number => 1 << (c.charCodeAt(0) - 97);
  set.misa = (0x40000000 | bit('i') | bit('s') | bit('u') | (set.m ? bit('m') : 0) | (set.a ? bit('a') : 0) | (set.h ? bit('h') : 0)) >>> 0;
  return { ok: true, isa: set };
}

/** The canonical ISA string of a set (parseIsa's inverse up to spelling): rv32i, letters, then _z extensions. */
export const isaString = (i: IsaSet): string =>
  `rv32i${i.m ? 'm' : ''}${i.a ? 'a' : ''}${i.h ? 'h' : ''}${i.zicsr ? '_zicsr' : ''}${i.zifencei ? '_zifencei' : ''}${i.zicntr ? '_zicntr' : ''}`;

const M_OPS = new Set<Op>(['mul', 'mulh', 'mulhsu', 'mulhu', 'div', 'divu', 'rem', 'remu']);

/** An optional extension an instruction belongs to. */
export type Extension = 'm' | 'a' | 'h' | 'zifencei';

/** The optional extension that defines `op`, or null for base and privileged instructions. */
export function extensionOf(op: Op): Extension | null {
  if (M_OPS.has(op)) return 'm';
  if (op === 'lr.w' || op === 'sc.w' || op.startsWith('amo')) return 'a';
  if (op === 'fence.i') return 'zifencei';
  if (op.startsWith('hlv') || op.startsWith('hsv') || op.startsWith('hfence')) return 'h';
  return null;
}

/** ISA-DEC-3: is op part of the configured ISA? Ops of a disabled extension are illegal instructions. */
export function opEnabled(isa: IsaSet, op: Op): boolean {
  const e = extensionOf(op);
  return e === null || isa[e];
}

/** CSR numbers of the Zicntr counters visible to user mode (cycle, time, instret and halves). */
export const isZicntrCsr = (n: number): boolean => n === 0xc00 || n === 0xc01 || n === 0xc02 || n === 0xc80 || n === 0xc81 || n === 0xc82;
