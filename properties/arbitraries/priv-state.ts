/**
 * Random legal privileged states (the oracle's `Model`, properties/oracles/priv.ts): every CSR
 * field holds a value popek could hold (WARL fields legal), with satp Bare and PMP open unless a
 * test says otherwise, so that S- and U-mode code can be fetched.
 */
import fc from 'fast-check';
import type { Arbitrary } from 'fast-check';
import {
  legalMstatus, MEDELEG_RW, MIDELEG_RW, MIE_RW, MIP_SW, type Model, type Priv,
} from '../oracles/priv.js';
import type { Lines } from './priv-harness.js';

const u32 = fc.integer({ min: 0, max: 0xffffffff });
/** A trap vector: a 4-byte aligned base in RAM's first page and MODE Direct or Vectored. */
export const tvec: Arbitrary<number> = fc.tuple(fc.integer({ min: 0x100, max: 0x3c0 }), fc.constantFrom(0, 1))
  .map(([w, mode]) => (0x80000000 + 4 * w + mode) >>> 0);

export interface ModelOpts { privs?: Priv[] }

/** A legal model. PMP: entry 0 NAPOT over everything with RWX (so S/U can run); satp = Bare. */
export function model(o: ModelOpts = {}): Arbitrary<Model> {
  return fc.record({
    priv: fc.constantFrom<Priv>(...(o.privs ?? [0, 1, 3])),
    mstatus: u32, medeleg: u32, mideleg: u32, mie: u32, mipSw: u32, mtvec: tvec, stvec: tvec,
    mcounteren: u32, scounteren: u32, mcountinhibit: u32, mscratch: u32, sscratch: u32,
    mepc: u32, sepc: u32, mcause: u32, scause: u32, mtval: u32, stval: u32, menvcfg: u32, senvcfg: u32,
    instret: fc.tuple(u32, u32), cycle: fc.tuple(u32, u32),
  }).map((r) => {
    const cfg = new Array<number>(64).fill(0), addr = new Array<number>(64).fill(0);
    cfg[0] = 0x1f; addr[0] = 0xffffffff;
    return {
      ...r,
      mstatus: legalMstatus(0, r.mstatus),
      medeleg: r.medeleg & MEDELEG_RW, mideleg: r.mideleg & MIDELEG_RW, mie: r.mie & MIE_RW, mipSw: r.mipSw & MIP_SW,
      mcounteren: r.mcounteren & 7, scounteren: r.scounteren & 7, mcountinhibit: r.mcountinhibit & 5,
      mepc: (r.mepc & ~3) >>> 0, sepc: (r.sepc & ~3) >>> 0, menvcfg: r.menvcfg & 1, senvcfg: r.senvcfg & 1,
      satp: 0,
      pmp: { cfg, addr, entries: 16, g: 0 },
      instret: [r.instret[0], r.instret[1]] as [number, number], cycle: [r.cycle[0], r.cycle[1]] as [number, number],
    };
  });
}

export const lines: Arbitrary<Lines> = fc.record({ msip: fc.boolean(), mtip: fc.boolean(), meip: fc.boolean(), seip: fc.boolean() });
