/**
 * The supervisor execution environment (HX-SEE-*): an S-mode kernel on a popek hart whose M-mode is
 * the SBI service of `sbi.ts` instead of firmware code. Booting does, on the machine value, what
 * guests/sbi/fw.c does (same PMP, delegation, counters, timer state and banner); a trap to M-mode
 * is served at once, in the same step. This is the machine a hardware-assisted VM presents
 * (spec/vmm-hext.md): its vCPU is such a hart, and this module's `seeStep` is the native
 * counterpart that equivalence properties compare the VM with.
 */
import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import { type Core, freeze, thaw } from '../machine/core.js';
import { machineOf, type Loaded } from '../machine/boot.js';
import type { Machine } from '../machine/machine.js';
import { csrEnv, htifAfterStep, mipOf, stepHart } from '../machine/step.js';
import { pendingInterrupt } from '../hart/interrupts.js';
import { csrWrite } from '../hart/csrs.js';
import { mret } from '../hart/trap.js';
import { EXC, INTERRUPT_BIT, IRQ, MIP_MSIP, MIP_MTIP, MIP_SEIP, MIP_SSIP, MIP_STIP, MSTATUS } from '../hart/csr-bits.js';
import { PRV_M, PRV_S } from '../hart/state.js';
import { finish, FW_SIZE, hex, mmio, putText, sbiCall } from './sbi.js';

/** The firmware's delegation (guests/sbi/README.md, "Delegation choice"): everything but ECALL from S. */
export const SEE_MEDELEG = 0xb1ff;
export const SEE_MIDELEG = MIP_SSIP | MIP_STIP | MIP_SEIP;
export const SEE_MCOUNTEREN = 7;

const PMP_R = 1, PMP_W = 2, PMP_X = 4, PMP_NAPOT = 0x18;
const CSR = { pmpcfg0: 0x3a0, pmpaddr0: 0x3b0, pmpaddr1: 0x3b1, medeleg: 0x302, mideleg: 0x303, mcounteren: 0x306, menvcfg: 0x30a, menvcfgh: 0x31a } as const;

/**
 * HX-SEE-BOOT: the firmware's boot on the machine value: banner, PMP (entry 0 closes the firmware
 * region to S and U, entry 1 opens the rest), medeleg/mideleg/mcounteren, menvcfg = 0, timer
 * disarmed, only MSIE enabled, then S-mode at `entry` with a0 = hart id, a1 = `dtb`, satp = 0.
 */
export function seeBoot(c: Core, entry: number, dtb: number): void {
  const h = c.hart;
  const w = (num: number, v: number): void => csrWrite(h, num, v >>> 0, csrEnv(c));
  const fwBase = c.config.ramBase;
  putText(c, `[sbi] popek SBI firmware 1.0: SBI 2.0, implementation id 0x504f\n`);
  w(CSR.pmpaddr0, (fwBase >>> 2) | ((FW_SIZE >>> 3) - 1));
  w(CSR.pmpaddr1, 0xffffffff);
  w(CSR.pmpcfg0, PMP_NAPOT | ((PMP_NAPOT | PMP_R | PMP_W | PMP_X) << 8));
  putText(c, `[sbi] PMP: ${hex(fwBase)}-${hex(fwBase + FW_SIZE - 1)} firmware only, the rest of memory open to S and U\n`);
  w(CSR.medeleg, SEE_MEDELEG);
  w(CSR.mideleg, SEE_MIDELEG);
  w(CSR.mcounteren, SEE_MCOUNTEREN);
  putText(c, `[sbi] medeleg=${hex(h.csr.medeleg)} mideleg=${hex(h.csr.mideleg)} mcounteren=${hex(h.csr.mcounteren)}\n`);
  w(CSR.menvcfg, 0);
  w(CSR.menvcfgh, 0);
  const clint = c.config.devices.clint;
  mmio(c, clint + 0x4000 + 8 * h.id + 4, 4, 0xffffffff);
  mmio(c, clint + 0x4000 + 8 * h.id, 4, 0xffffffff);
  mmio(c, clint + 4 * h.id, 4, 0);
  h.csr.mipSw &= ~(MIP_SSIP | MIP_STIP | MIP_SEIP);
  h.csr.mie = MIP_MSIP;
  h.csr.satp = 0;
  h.csr.mstatus &= ~(MSTATUS.MPP | MSTATUS.MPIE | MSTATUS.MPRV | MSTATUS.SIE | MSTATUS.SPIE | MSTATUS.SPP |
    MSTATUS.SUM | MSTATUS.MXR | MSTATUS.TVM | MSTATUS.TW | MSTATUS.TSR);
  h.csr.mstatus |= PRV_S << MSTATUS.MPP_SHIFT;
  h.csr.mepc = entry >>> 0;
  putText(c, `[sbi] next: S-mode at ${hex(entry)}, a0 = ${hex(h.id)} (hart id), a1 = ${hex(dtb)} (device tree)\n`);
  h.x.fill(0);
  h.x[10] = h.id;
  h.x[11] = dtb;
  mret(h);
}

/**
 * HX-SEE-TRAP: serve the trap the hart just took into M-mode, as the firmware's trap handler does,
 * and return to S/U-mode: the machine timer becomes STIP (MTIE off until the next set_timer), the
 * machine software interrupt becomes SSIP (msip cleared), ECALL from S is an SBI call; anything
 * else is reported and ends the run with status 3.
 */
export function seeTrap(c: Core): void {
  const h = c.hart, cause = h.csr.mcause >>> 0;
  if (cause === (INTERRUPT_BIT | IRQ.MTI) >>> 0) {
    h.csr.mie &= ~MIP_MTIP;
    h.csr.mipSw |= MIP_STIP;
  } else if (cause === (INTERRUPT_BIT | IRQ.MSI) >>> 0) {
    mmio(c, c.config.devices.clint + 4 * h.id, 4, 0);
    h.csr.mipSw |= MIP_SSIP;
  } else if (cause === EXC.ECALL_S) {
    sbiCall(c);
  } else {
    putText(c, `[sbi] unexpected trap from S/U-mode: mcause=${hex(cause)} mepc=${hex(h.csr.mepc)} mtval=${hex(h.csr.mtval)}\n`);
    finish(c, (3 << 16) | 0x3333);
  }
  if (c.halt === null) mret(h);
}

/**
 * HX-RUN-2: does the next step need the SEE (so a VMM must perform it rather than the hardware)? A
 * wait, an HTIF command settling, or a pending machine-level interrupt (the SEE's timer and IPI).
 * Pending supervisor interrupts need nothing: the hardware takes them.
 */
export function needsSee(c: Core): boolean {
  const h = c.hart;
  if (h.waiting || c.htif.settle > 0 || h.priv === PRV_M) return true;
  const irq = pendingInterrupt(h, mipOf(c));
  return irq >= 0 && ((h.csr.mideleg >>> (irq & 31)) & 1) === 0;
}

/** HX-SEE-STEP: one step of the S-mode machine: a hart step, and the service of a trap it took to M-mode. */
export function seeStep(c: Core): void {
  stepHart(c);
  if (c.halt !== null || c.hart.priv !== PRV_M) return;
  // The service's stores (DBCN console_read) are this step's stores too: HTIF sees them now.
  c.htifLow = c.htifHigh = false;
  seeTrap(c);
  if (c.htifLow || c.htifHigh) htifAfterStep(c);
}

/** HX-SEE-BOOT: an S-mode kernel (no firmware) booted under the SBI service, as a machine value. */
export function seeMachine(l: Loaded, input?: Uint8Array): Either<string, Machine> {
  if (l.next !== undefined) return left('the SBI service replaces the firmware: give the kernel alone (no --bios)');
  const fwEnd = l.config.ramBase + FW_SIZE;
  for (const s of l.image.segments) {
    if (s.addr < fwEnd && s.addr + s.bytes.length > l.config.ramBase) {
      return left(`the kernel overlaps the SBI firmware's region ${hex(l.config.ramBase)}-${hex(fwEnd - 1)}`);
    }
  }
  if (l.config.harts !== 1) return left(`the SBI service runs one hart (config has ${l.config.harts})`);
  const m = machineOf(l, input);
  if (isLeft(m)) return m;
  const c = thaw(m.right);
  seeBoot(c, c.hart.pc, c.hart.x[11]! >>> 0);
  return right(freeze(c));
}
