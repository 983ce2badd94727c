/**
 * Moving a vCPU between its machine value and the host hart of the hardware-assisted VMM
 * (HX-CTX-*). Loading puts the vCPU's supervisor state into the host's VS CSRs and sets the
 * hypervisor controls so that the vCPU's own traps and interrupts reach VS-mode directly and
 * everything the SEE or the VMM must do traps to M-mode; unloading brings the state back and
 * accounts the directly executed steps to the vCPU exactly as its machine would have.
 */
import type { Core } from '../machine/core.js';
import { mipOf } from '../machine/step.js';
import { MIP_MTIP, MIP_SSIP, MSTATUS, SSTATUS_MASK } from '../hart/csr-bits.js';
import type { CsrFile } from '../hart/state.js';
import { armHostTimer, hostInstret, retireDirect, untilTimer } from './context.js';
import type { HextVm } from './hext.js';

/** Supervisor interrupt bits (SSIP, STIP, SEIP) and their VS-level counterparts one bit up. */
const S_IRQS = 0x222;
/** Exceptions hedeleg can pass to VS-mode (hedeleg bits 9-11 and 20-23 are read-only zero). */
const HEDELEG_WRITABLE = 0xb1ff;
const MISALIGNED_DATA = (1 << 4) | (1 << 6);
const HSTATUS_VTW = 1 << 21, HSTATUS_VTVM = 1 << 20, HSTATUS_VTSR = 1 << 22;
/** The vCPU's supervisor CSRs and where they live on the host while it runs (sstatus aside: a view). */
type Scalar = { [K in keyof CsrFile]: CsrFile[K] extends number ? K : never }[keyof CsrFile];
const SUPERVISOR: ReadonlyArray<readonly [Scalar, Scalar]> = [
  ['vstvec', 'stvec'], ['vsscratch', 'sscratch'], ['vsepc', 'sepc'], ['vscause', 'scause'], ['vstval', 'stval'],
  ['vsatp', 'satp'], ['scounteren', 'scounteren'], ['senvcfg', 'senvcfg'],
];
/** hcounteren: at most TM; cycle and instret reads trap (the host's counters are not the vCPU's). */
const HCOUNTEREN_TM = 2;

/**
 * HX-CTX-LOAD: put the vCPU on the host hart in VS/VU-mode. The host's controls:
 * medeleg = hedeleg = the vCPU's medeleg (minus misaligned loads/stores when its platform performs
 * them; the VMM does), so exactly the exceptions the vCPU's S-mode takes go to VS-mode and all
 * others to the VMM; hideleg = the vCPU's mideleg moved to the VS bits; hvip = its pending S-level
 * interrupts; VTW = 1 (a waiting vCPU is the VMM's business); hcounteren = TM with htimedelta =
 * vCPU time - host time; the host timer armed for the vCPU's next timer event.
 */
export function hextLoad(host: Core, vm: HextVm): void {
  const h = host.hart, g = vm.core.hart, c = h.csr, v = g.csr;
  h.x.set(g.x);
  h.pc = g.pc;
  h.priv = g.priv;
  h.v = 1;
  h.waiting = false;
  h.reservation = g.reservation >= 0 ? g.reservation + vm.delta : -1;
  c.mstatus = 0;
  c.mstatush = 0;
  c.vsstatus = v.mstatus & SSTATUS_MASK;
  for (const [host, vcpu] of SUPERVISOR) c[host] = v[vcpu];
  c.henvcfg = v.menvcfg;
  c.hedeleg = v.medeleg & HEDELEG_WRITABLE & (vm.core.config.misaligned === 'perform' ? ~MISALIGNED_DATA : ~0);
  c.medeleg = c.hedeleg;
  c.mideleg = 0;
  c.hideleg = (v.mideleg & S_IRQS) << 1;
  // Only what the vCPU delegates to its S-mode is injected; the rest is the SEE's (HX-RUN-2).
  c.hvip = ((mipOf(vm.core) & S_IRQS) << 1) & c.hideleg;
  c.mie = MIP_MTIP | (((v.mie & S_IRQS) << 1) & c.hideleg);
  c.mipSw = 0;
  // TVM/TSR of the vCPU become VTVM/VTSR (the VMM then performs the trap the vCPU would take).
  c.hstatus = (HSTATUS_VTW | ((v.mstatus & MSTATUS.TVM) !== 0 ? HSTATUS_VTVM : 0) | ((v.mstatus & MSTATUS.TSR) !== 0 ? HSTATUS_VTSR : 0)) >>> 0;
  c.hgatp = vm.hgatp;
  c.hcounteren = v.mcounteren & HCOUNTEREN_TM;
  c.mcounteren = 7;
  c.mcountinhibit = 0;
  const borrow = vm.core.timeLo < host.timeLo ? 1 : 0;
  c.htimedeltaLo = (vm.core.timeLo - host.timeLo) >>> 0;
  c.htimedeltaHi = (vm.core.timeHi - host.timeHi - borrow) >>> 0;
  armHostTimer(host, untilTimer(vm.core));
  vm.loadedAt = hostInstret(host);
}

/**
 * HX-CTX-UNLOAD: bring the vCPU back from the host hart, standing at `pc` in privilege `priv`,
 * after `steps` guest steps ran directly (retired instructions advance its counters and time).
 */
export function hextUnload(host: Core, vm: HextVm, steps: number, pc: number, priv: number): void {
  const h = host.hart, g = vm.core.hart, c = h.csr, v = g.csr;
  g.x.set(h.x);
  g.pc = pc >>> 0;
  g.priv = priv === 1 ? 1 : 0;
  g.reservation = h.reservation >= vm.ram.base && h.reservation < vm.ram.base + vm.ram.size ? h.reservation - vm.delta : -1;
  v.mstatus = ((v.mstatus & ~SSTATUS_MASK) | (c.vsstatus & SSTATUS_MASK)) >>> 0;
  for (const [host, vcpu] of SUPERVISOR) v[vcpu] = c[host];
  const deleg = c.hideleg >>> 1;
  v.mie = ((v.mie & ~deleg) | ((c.mie >>> 1) & deleg)) >>> 0;
  const ssip = MIP_SSIP & deleg;
  v.mipSw = ((v.mipSw & ~ssip) | ((c.hvip >>> 1) & ssip)) >>> 0;
  vm.stats.direct += steps;
  retireDirect(vm.core, hostInstret(host) - (vm.loadedAt ?? hostInstret(host)));
  vm.loadedAt = null;
}
