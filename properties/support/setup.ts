/**
 * Test machines with a chosen privileged state (shared by the state and semantics suites): words at
 * 0x8000_0000, registers, mstatus/mtvec/mepc, PMP, and Sv32 pages built per Vol. II §12.3.
 */
import { machineFromWords } from '../../src/machine/program.js';
import type { Machine } from '../../src/machine/machine.js';
import { DEFAULT_CONFIG, type Config } from '../../src/machine/config.js';
import { chunkAt, chunkOffsets, type MemStore, withBytes } from '../../src/memory/store.js';

export const PTE = { V: 1, R: 2, W: 4, X: 8, U: 16, A: 64, D: 128 } as const;
export interface Page { va: number; pa: number; flags: number }
export interface Setup {
  regs?: Record<number, number>;
  cfg?: Config;
  priv?: 0 | 1 | 3;
  mstatus?: number;
  mtvec?: number;
  mepc?: number;
  /** PMP entry 0 = NAPOT over everything, RWX (pmpaddr0 = 0xffffffff, pmpcfg0 = 0x1f). */
  pmpAll?: boolean;
  pmp?: { cfg: number[]; addr: number[] };
  /** Sv32 leaf PTEs (flags 0: an all-zero, invalid PTE); sets satp to Sv32 with the root at ROOT. */
  pages?: Page[];
  data?: Array<[number, ArrayLike<number>]>;
}

export const ROOT = 0x80100000;
export const le32 = (v: number): number[] => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];

/** A machine running `words` at 0x80000000 with the given state. */
export function machine(words: number[], s: Setup = {}): Machine {
  const m = machineFromWords(words, s.regs ?? {}, s.cfg ?? DEFAULT_CONFIG);
  let mem = m.mem;
  for (const [a, b] of s.data ?? []) mem = withBytes(mem, a, Uint8Array.from(b));
  const h = m.harts[0]!;
  if (s.pages !== undefined) {
    const l0 = new Map<number, number>();
    for (const p of s.pages) {
      const vpn1 = p.va >>> 22, vpn0 = (p.va >>> 12) & 0x3ff;
      let t = l0.get(vpn1);
      if (t === undefined) {
        t = ROOT + 0x1000 * (l0.size + 1);
        l0.set(vpn1, t);
        mem = withBytes(mem, ROOT + 4 * vpn1, Uint8Array.from(le32((((t >>> 12) << 10) | PTE.V) >>> 0)));
      }
      mem = withBytes(mem, t + 4 * vpn0, Uint8Array.from(le32(p.flags === 0 ? 0 : (((p.pa >>> 12) << 10) | p.flags) >>> 0)));
    }
    h.csr.satp = (0x80000000 | (ROOT >>> 12)) >>> 0;
  }
  if (s.priv !== undefined) h.priv = s.priv;
  if (s.mstatus !== undefined) h.csr.mstatus = s.mstatus >>> 0;
  if (s.mtvec !== undefined) h.csr.mtvec = s.mtvec >>> 0;
  if (s.mepc !== undefined) h.csr.mepc = s.mepc >>> 0;
  if (s.pmpAll) {
    h.csr.pmpaddr = Object.assign([...h.csr.pmpaddr], { 0: 0xffffffff });
    h.csr.pmpcfg = Object.assign([...h.csr.pmpcfg], { 0: 0x1f });
  }
  if (s.pmp) {
    h.csr.pmpaddr = Object.assign([...h.csr.pmpaddr], s.pmp.addr);
    h.csr.pmpcfg = Object.assign([...h.csr.pmpcfg], s.pmp.cfg);
  }
  return { ...m, mem };
}

/** Every non-zero chunk of a memory, as hex (to compare memories by content). */
export function memSnap(m: MemStore): Record<string, string> {
  const out: Record<string, string> = {};
  for (const off of chunkOffsets(m)) {
    const b = chunkAt(m, off);
    if (b.some((x) => x !== 0)) out[off.toString(16)] = Buffer.from(b).toString('hex');
  }
  return out;
}
