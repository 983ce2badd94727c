/**
 * Trap entry and return (privileged spec §3.1.6.1, §3.3.2, §3.1.7–3.1.8; PRIV-TRAP-*), with the H
 * extension's three-way delegation (hypervisor chapter, "Trap Entry", "Trap Return"; HV-TRAP-*).
 * These functions update a hart value that the caller owns (an engine's working copy).
 */
import { INTERRUPT_BIT, MSTATUS } from './csr-bits.js';
import { type HartState, type Priv, PRV_M, PRV_S, PRV_U } from './state.js';

/** Where a trap goes: M-mode, HS-mode (S with V = 0), or VS-mode (S with V = 1). */
export type TrapTarget = 'M' | 'HS' | 'VS';

/** What a trap writes besides cause and tval (H extension; zero without it). */
export interface TrapInfo {
  /** mtval2/htval: a guest physical address shifted right by 2, for guest-page faults. */
  tval2: number;
  /** mtinst/htinst: a transformed instruction or pseudoinstruction, or 0. */
  tinst: number;
  /** GVA: tval holds a guest virtual address. */
  gva: boolean;
}
export const NO_INFO: TrapInfo = Object.freeze({ tval2: 0, tinst: 0, gva: false });

const HSTATUS_GVA = 1 << 6, HSTATUS_SPV = 1 << 7, HSTATUS_SPVP = 1 << 8;
const MSTATUSH_GVA = 1 << 6, MSTATUSH_MPV = 1 << 7;

/**
 * PRIV-TRAP-DELEG, HV-TRAP-DELEG: the mode that takes a trap. Traps never go to a lower mode than
 * the current one. From HS or U (V = 0), a trap delegated by medeleg/mideleg goes to HS; from VS or
 * VU (V = 1) it goes further to VS when hedeleg/hideleg delegates it too.
 */
export function trapTarget(h: HartState, cause: number): TrapTarget {
  if (h.priv === PRV_M) return 'M';
  const interrupt = (cause & INTERRUPT_BIT) !== 0;
  const code = cause & 0x1f;
  // With H, mideleg's VS-level and SGEI bits read as one; a hart without H never has them pending.
  const deleg = interrupt ? h.csr.mideleg | 0x1444 : h.csr.medeleg;
  if (((deleg >>> code) & 1) === 0) return 'M';
  if (h.v === 1 && (((interrupt ? h.csr.hideleg : h.csr.hedeleg) >>> code) & 1) !== 0) return 'VS';
  return 'HS';
}

/** PRIV-TRAP-VEC: the handler address; vectored mode offsets interrupts by 4 × cause (§3.1.7). */
const vector = (tvec: number, cause: number): number =>
  (tvec & 3) === 1 && (cause & INTERRUPT_BIT) !== 0 ? ((tvec & ~3) + 4 * (cause & 0x1f)) >>> 0 : (tvec & ~3) >>> 0;

/** xPIE <- xIE, xIE <- 0, for the status register value `s` (bit positions of mstatus). */
const stack = (s: number, ie: number, pie: number): number => ((s & ~pie) | ((s & ie) !== 0 ? pie : 0)) & ~ie;

/**
 * PRIV-TRAP-ENTRY, HV-TRAP-ENTRY: take a trap. The target mode's xEPC gets the pc, xCAUSE the cause,
 * xTVAL the value; xPIE <- xIE, xIE <- 0, xPP <- the previous (nominal) mode. Into M: MPV <- V,
 * GVA, mtval2, mtinst, V <- 0. Into HS: SPV <- V, SPVP <- the nominal mode if V was 1, GVA, htval,
 * htinst, V <- 0. Into VS: vsstatus/vsepc/vscause/vstval, with VS-level interrupt codes 2, 6, 10
 * presented as 1, 5, 9; V stays 1. The reservation is not affected.
 */
export function takeTrap(h: HartState, cause: number, tval: number, info: TrapInfo = NO_INFO): void {
  const target = trapTarget(h, cause);
  const c = h.csr;
  if (target === 'M') {
    c.mepc = h.pc >>> 0;
    c.mcause = cause >>> 0;
    c.mtval = tval >>> 0;
    c.mtval2 = info.tval2 >>> 0;
    c.mtinst = info.tinst >>> 0;
    c.mstatush = (c.mstatush & ~(MSTATUSH_MPV | MSTATUSH_GVA)) | (h.v ? MSTATUSH_MPV : 0) | (info.gva ? MSTATUSH_GVA : 0);
    c.mstatus = ((stack(c.mstatus, MSTATUS.MIE, MSTATUS.MPIE) & ~MSTATUS.MPP) | (h.priv << MSTATUS.MPP_SHIFT)) >>> 0;
    h.pc = vector(c.mtvec, cause);
    h.priv = PRV_M;
    h.v = 0;
  } else if (target === 'HS') {
    c.sepc = h.pc >>> 0;
    c.scause = cause >>> 0;
    c.stval = tval >>> 0;
    c.htval = info.tval2 >>> 0;
    c.htinst = info.tinst >>> 0;
    let hs = c.hstatus & ~(HSTATUS_SPV | HSTATUS_GVA);
    if (h.v) hs = (hs & ~HSTATUS_SPVP) | HSTATUS_SPV | (h.priv === PRV_S ? HSTATUS_SPVP : 0);
    c.hstatus = (hs | (info.gva ? HSTATUS_GVA : 0)) >>> 0;
    c.mstatus = ((stack(c.mstatus, MSTATUS.SIE, MSTATUS.SPIE) & ~MSTATUS.SPP) | (h.priv === PRV_S ? MSTATUS.SPP : 0)) >>> 0;
    h.pc = vector(c.stvec, cause);
    h.priv = PRV_S;
    h.v = 0;
  } else {
    const interrupt = (cause & INTERRUPT_BIT) !== 0;
    const code = cause & 0x1f;
    const vcause = interrupt && (code === 2 || code === 6 || code === 10) ? (cause - 1) >>> 0 : cause >>> 0;
    c.vsepc = h.pc >>> 0;
    c.vscause = vcause;
    c.vstval = tval >>> 0;
    c.vsstatus = ((stack(c.vsstatus, MSTATUS.SIE, MSTATUS.SPIE) & ~MSTATUS.SPP) | (h.priv === PRV_S ? MSTATUS.SPP : 0)) >>> 0;
    h.pc = vector(c.vstvec, vcause);
    h.priv = PRV_S;
  }
  h.waiting = false;
}

/**
 * PRIV-MRET, HV-MRET: MRET (§3.3.2): priv <- MPP, V <- MPV (when MPP != M), MIE <- MPIE, MPIE <- 1,
 * MPP <- U, MPV <- 0; if the new mode is not M, MPRV <- 0; pc <- mepc.
 */
export function mret(h: HartState): void {
  const c = h.csr;
  const mpp = ((c.mstatus >>> MSTATUS.MPP_SHIFT) & 3) as Priv;
  let s = c.mstatus;
  s = (s & ~MSTATUS.MIE) | ((s & MSTATUS.MPIE) !== 0 ? MSTATUS.MIE : 0);
  s = (s | MSTATUS.MPIE) & ~MSTATUS.MPP;
  if (mpp !== PRV_M) s &= ~MSTATUS.MPRV;
  c.mstatus = s >>> 0;
  h.v = mpp !== PRV_M && (c.mstatush & MSTATUSH_MPV) !== 0 ? 1 : 0;
  c.mstatush &= ~MSTATUSH_MPV;
  h.priv = mpp;
  h.pc = c.mepc >>> 0;
}

/**
 * PRIV-SRET, HV-SRET: SRET (§3.3.2, §10.1.1): from HS (V = 0), priv <- SPP, V <- hstatus.SPV (then
 * SPV <- 0), SIE <- SPIE, SPIE <- 1, SPP <- U, MPRV <- 0. From VS (V = 1) the same on vsstatus and
 * vsepc, staying in V = 1.
 */
export function sret(h: HartState): void {
  const c = h.csr;
  const virt = h.v === 1;
  const st = virt ? c.vsstatus : c.mstatus;
  const spp: Priv = (st & MSTATUS.SPP) !== 0 ? PRV_S : PRV_U;
  let s = (st & ~MSTATUS.SIE) | ((st & MSTATUS.SPIE) !== 0 ? MSTATUS.SIE : 0);
  s = (s | MSTATUS.SPIE) & ~MSTATUS.SPP;
  if (virt) {
    c.vsstatus = s >>> 0;
    c.mstatus = (c.mstatus & ~MSTATUS.MPRV) >>> 0;
    h.pc = c.vsepc >>> 0;
  } else {
    c.mstatus = (s & ~MSTATUS.MPRV) >>> 0;
    h.v = (c.hstatus & HSTATUS_SPV) !== 0 ? 1 : 0;
    c.hstatus = (c.hstatus & ~HSTATUS_SPV) >>> 0;
    h.pc = c.sepc >>> 0;
  }
  h.priv = spp;
}
