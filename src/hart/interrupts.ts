/**
 * Interrupt selection (privileged spec §3.1.9 "Machine Interrupt Registers"; hypervisor chapter,
 * "Hypervisor Interrupt Registers"; PRIV-IRQ-*, HV-IRQ-*).
 */
import { INTERRUPT_BIT, IRQ, MSTATUS } from './csr-bits.js';
import { type HartState, PRV_M, PRV_S, PRV_U } from './state.js';

/**
 * PRIV-IRQ-ORDER, HV-IRQ-ORDER: simultaneous interrupts are taken in the order MEI, MSI, MTI, SEI,
 * SSI, STI, SGEI, VSEI, VSSI, VSTI.
 */
export const IRQ_PRIORITY: readonly number[] = [IRQ.MEI, IRQ.MSI, IRQ.MTI, IRQ.SEI, IRQ.SSI, IRQ.STI, 12, 10, 2, 6];

const VS_IRQS = 0x444;

/**
 * PRIV-IRQ-ENABLE, HV-IRQ-ENABLE: the mcause of the interrupt the hart takes now, or -1. An
 * interrupt pending and enabled in mie traps to M if not delegated, and priv < M or (priv = M and
 * MIE). A delegated one traps to HS if not further delegated by hideleg, and V = 1, or priv < S, or
 * (HS-mode and SIE). One delegated by hideleg too traps to VS if V = 1 and (VU-mode, or VS-mode and
 * vsstatus.SIE). Interrupts for a more privileged mode win; within a level IRQ_PRIORITY decides.
 */
export function pendingInterrupt(h: HartState, mip: number): number {
  const pending = mip & h.csr.mie;
  if (pending === 0) return -1;
  const s = h.csr.mstatus;
  const mideleg = h.csr.mideleg | 0x1444;
  const mEnabled = h.priv < PRV_M || (s & MSTATUS.MIE) !== 0;
  const hsEnabled = h.v === 1 || h.priv < PRV_S || (h.priv === PRV_S && (s & MSTATUS.SIE) !== 0);
  const vsEnabled = h.v === 1 && (h.priv === PRV_U || (h.csr.vsstatus & MSTATUS.SIE) !== 0);
  const toM = mEnabled ? pending & ~mideleg : 0;
  const toHS = hsEnabled ? pending & mideleg & ~(h.csr.hideleg & VS_IRQS) : 0;
  const toVS = vsEnabled ? pending & mideleg & h.csr.hideleg & VS_IRQS : 0;
  const pick = toM !== 0 ? toM : toHS !== 0 ? toHS : toVS;
  if (pick === 0) return -1;
  for (const i of IRQ_PRIORITY) if ((pick >>> i) & 1) return (INTERRUPT_BIT | i) >>> 0;
  return -1;
}
