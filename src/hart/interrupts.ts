/**
 * Interrupt selection (privileged spec §3.1.9 "Machine Interrupt Registers"; PRIV-IRQ-*).
 */
import { INTERRUPT_BIT, IRQ, MSTATUS } from './csr-bits.js';
import { type HartState, PRV_M, PRV_S } from './state.js';

/** PRIV-IRQ-ORDER: simultaneous interrupts are taken in the order MEI, MSI, MTI, SEI, SSI, STI. */
export const IRQ_PRIORITY: readonly number[] = [IRQ.MEI, IRQ.MSI, IRQ.MTI, IRQ.SEI, IRQ.SSI, IRQ.STI];

/**
 * PRIV-IRQ-ENABLE: the mcause of the interrupt the hart takes now, or -1. An interrupt i traps to M
 * if pending and enabled in mie, not delegated, and either priv < M or (priv = M and MIE). A
 * delegated interrupt traps to S if priv < S, or priv = S and SIE. M-level interrupts win over
 * S-level ones; within a level, IRQ_PRIORITY decides.
 */
export function pendingInterrupt(h: HartState, mip: number): number {
  const pending = mip & h.csr.mie;
  if (pending === 0) return -1;
  const s = h.csr.mstatus;
  const mEnabled = h.priv < PRV_M || (s & MSTATUS.MIE) !== 0;
  const sEnabled = h.priv < PRV_S || (h.priv === PRV_S && (s & MSTATUS.SIE) !== 0);
  const toM = mEnabled ? pending & ~h.csr.mideleg : 0;
  const toS = sEnabled ? pending & h.csr.mideleg : 0;
  const pick = toM !== 0 ? toM : toS;
  if (pick === 0) return -1;
  for (const i of IRQ_PRIORITY) if ((pick >>> i) & 1) return (INTERRUPT_BIT | i) >>> 0;
  return -1;
}
