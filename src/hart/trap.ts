/**
 * Trap entry and return (privileged spec §3.1.6.1, §3.3.2, §3.1.7–3.1.8; PRIV-TRAP-*). These
 * functions update a hart value that the caller owns (an engine's working copy).
 */
import { INTERRUPT_BIT, MSTATUS } from './csr-bits.js';
import { type HartState, type Priv, PRV_M, PRV_S, PRV_U } from './state.js';

/**
 * PRIV-TRAP-DELEG: the mode that takes a trap. Traps never go to a lower mode than the current one;
 * from S or U, a trap whose bit is set in medeleg (exceptions) or mideleg (interrupts) goes to S.
 */
export function trapTarget(h: HartState, cause: number): Priv {
  if (h.priv === PRV_M) return PRV_M;
  const interrupt = (cause & INTERRUPT_BIT) !== 0;
  const code = cause & 0x1f;
  const deleg = interrupt ? h.csr.mideleg : h.csr.medeleg;
  return ((deleg >>> code) & 1) !== 0 ? PRV_S : PRV_M;
}

/** PRIV-TRAP-VEC: the handler address; vectored mode offsets interrupts by 4 × cause (§3.1.7). */
const vector = (tvec: number, cause: number): number =>
  (tvec & 3) === 1 && (cause & INTERRUPT_BIT) !== 0 ? ((tvec & ~3) + 4 * (cause & 0x1f)) >>> 0 : (tvec & ~3) >>> 0;

/**
 * PRIV-TRAP-ENTRY: take a trap. The target mode's xEPC gets the pc, xCAUSE the cause, xTVAL the
 * value; xPIE <- xIE, xIE <- 0, xPP <- the previous mode; the reservation is not affected.
 */
export function takeTrap(h: HartState, cause: number, tval: number): void {
  const target = trapTarget(h, cause);
  const c = h.csr;
  let s = c.mstatus;
  if (target === PRV_M) {
    c.mepc = h.pc >>> 0;
    c.mcause = cause >>> 0;
    c.mtval = tval >>> 0;
    s = (s & ~MSTATUS.MPIE) | ((s & MSTATUS.MIE) !== 0 ? MSTATUS.MPIE : 0);
    s = (s & ~(MSTATUS.MIE | MSTATUS.MPP)) | (h.priv << MSTATUS.MPP_SHIFT);
    h.pc = vector(c.mtvec, cause);
  } else {
    c.sepc = h.pc >>> 0;
    c.scause = cause >>> 0;
    c.stval = tval >>> 0;
    s = (s & ~MSTATUS.SPIE) | ((s & MSTATUS.SIE) !== 0 ? MSTATUS.SPIE : 0);
    s = (s & ~(MSTATUS.SIE | MSTATUS.SPP)) | (h.priv === PRV_S ? MSTATUS.SPP : 0);
    h.pc = vector(c.stvec, cause);
  }
  c.mstatus = s >>> 0;
  h.priv = target;
  h.waiting = false;
}

/**
 * PRIV-MRET: MRET (§3.3.2): priv <- MPP, MIE <- MPIE, MPIE <- 1, MPP <- U (the least-privileged
 * supported mode); if the new mode is not M, MPRV <- 0; pc <- mepc.
 */
export function mret(h: HartState): void {
  const c = h.csr;
  const mpp = ((c.mstatus >>> MSTATUS.MPP_SHIFT) & 3) as Priv;
  let s = c.mstatus;
  s = (s & ~MSTATUS.MIE) | ((s & MSTATUS.MPIE) !== 0 ? MSTATUS.MIE : 0);
  s = (s | MSTATUS.MPIE) & ~MSTATUS.MPP;
  if (mpp !== PRV_M) s &= ~MSTATUS.MPRV;
  c.mstatus = s >>> 0;
  h.priv = mpp;
  h.pc = c.mepc >>> 0;
}

/** PRIV-SRET: SRET (§3.3.2, §10.1.1): priv <- SPP, SIE <- SPIE, SPIE <- 1, SPP <- U, MPRV <- 0. */
export function sret(h: HartState): void {
  const c = h.csr;
  const spp: Priv = (c.mstatus & MSTATUS.SPP) !== 0 ? PRV_S : PRV_U;
  let s = c.mstatus;
  s = (s & ~MSTATUS.SIE) | ((s & MSTATUS.SPIE) !== 0 ? MSTATUS.SIE : 0);
  s = (s | MSTATUS.SPIE) & ~MSTATUS.SPP & ~MSTATUS.MPRV;
  c.mstatus = s >>> 0;
  h.priv = spp;
  h.pc = c.sepc >>> 0;
}
