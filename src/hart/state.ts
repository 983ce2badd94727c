/**
 * The architectural state of one hart (STATE-*): pc, x registers, privilege mode, CSR storage,
 * LR/SC reservation and counters. Values of these types are immutable by contract; engines copy
 * them (`cloneHart`) before writing.
 */

/** Privilege modes as encoded in mstatus.MPP (privileged spec §1.2). 2 is reserved. */
export const PRV_U = 0;
export const PRV_S = 1;
export const PRV_M = 3;
export type Priv = 0 | 1 | 3;

/** Raw CSR storage. Views (sstatus, sie, sip, counters' halves) are computed from these fields. */
export interface CsrFile {
  mstatus: number;
  medeleg: number;
  mideleg: number;
  mie: number;
  /** Software-writable bits of mip (SSIP, STIP, SEIP); device lines are ORed in on read. */
  mipSw: number;
  mtvec: number;
  mcounteren: number;
  mcountinhibit: number;
  mscratch: number;
  mepc: number;
  mcause: number;
  mtval: number;
  menvcfg: number;
  stvec: number;
  scounteren: number;
  senvcfg: number;
  sscratch: number;
  sepc: number;
  scause: number;
  stval: number;
  satp: number;
  // --- H extension (hypervisor chapter). Present in every hart; reachable only when misa.H = 1.
  /** mstatush: MPV (bit 7) and GVA (bit 6). */
  mstatush: number;
  mtval2: number;
  mtinst: number;
  hstatus: number;
  hedeleg: number;
  hideleg: number;
  /** hvip: VSSIP, VSTIP, VSEIP as written by the hypervisor (mip bits 2, 6, 10). */
  hvip: number;
  hcounteren: number;
  htval: number;
  htinst: number;
  hgatp: number;
  henvcfg: number;
  htimedeltaLo: number;
  htimedeltaHi: number;
  vsstatus: number;
  vstvec: number;
  vsscratch: number;
  vsepc: number;
  vscause: number;
  vstval: number;
  vsatp: number;
  /** pmpcfg bytes, one per entry (16 entries' worth is always allocated; unimplemented ones read 0). */
  pmpcfg: readonly number[];
  /** pmpaddr registers (bits 33:2 of the address). */
  pmpaddr: readonly number[];
}

export interface HartState {
  pc: number;
  /** x0..x31; x0 is always 0. */
  x: Int32Array;
  priv: Priv;
  /** The virtualization mode V (H extension): 1 in VS- and VU-mode. */
  v: 0 | 1;
  csr: CsrFile;
  /** Physical address of the LR reservation (word-aligned), or -1. */
  reservation: number;
  /** minstret and mcycle as 32-bit halves (exact 64-bit counters without BigInt). */
  instretLo: number;
  instretHi: number;
  cycleLo: number;
  cycleHi: number;
  /** Set by WFI; cleared when an interrupt is pending and locally enabled. */
  waiting: boolean;
  /** mhartid. */
  id: number;
}

export const PMP_MAX = 64;

/** Reset state (privileged spec §3.4 "Reset"): M-mode, MIE = 0, MPRV = 0, everything else 0 here. */
export function resetHart(id: number, pc: number): HartState {
  return {
    pc: pc >>> 0,
    x: new Int32Array(32),
    priv: PRV_M,
    v: 0,
    csr: {
      mstatus: 0, medeleg: 0, mideleg: 0, mie: 0, mipSw: 0, mtvec: 0, mcounteren: 0, mcountinhibit: 0,
      mscratch: 0, mepc: 0, mcause: 0, mtval: 0, menvcfg: 0, stvec: 0, scounteren: 0, senvcfg: 0,
      sscratch: 0, sepc: 0, scause: 0, stval: 0, satp: 0,
      mstatush: 0, mtval2: 0, mtinst: 0, hstatus: 0, hedeleg: 0, hideleg: 0, hvip: 0, hcounteren: 0,
      htval: 0, htinst: 0, hgatp: 0, henvcfg: 0, htimedeltaLo: 0, htimedeltaHi: 0,
      vsstatus: 0, vstvec: 0, vsscratch: 0, vsepc: 0, vscause: 0, vstval: 0, vsatp: 0,
      pmpcfg: new Array<number>(PMP_MAX).fill(0), pmpaddr: new Array<number>(PMP_MAX).fill(0),
    },
    reservation: -1,
    instretLo: 0,
    instretHi: 0,
    cycleLo: 0,
    cycleHi: 0,
    waiting: false,
    id,
  };
}

/** A copy whose mutable parts (x, csr) are fresh; pmp arrays are copy-on-write and shared. */
export const cloneHart = (h: HartState): HartState => ({ ...h, x: h.x.slice(), csr: { ...h.csr } });
