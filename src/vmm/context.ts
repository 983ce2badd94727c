/**
 * Moving a VM's context between the vCPU and the host hart (VMM-CTX-*). Loading sets the host hart
 * up to run the guest directly: U-mode, the shadow for the vCPU's translation context, no
 * delegation (every host trap enters the VMM), counters trapping, and the host timer at the next
 * virtual event. Unloading accounts the directly executed instructions to the vCPU exactly as the
 * native machine would have retired them.
 */
import { type Core, refreshLines, timeOf } from '../machine/core.js';
import { mmioWrite } from '../devices/platform.js';
import { nextTimerEvent } from '../devices/platform.js';
import { MIP_MTIP } from '../hart/csr-bits.js';
import { PRV_U } from '../hart/state.js';
import { shadowRoot } from './shadow.js';
import type { VmWork } from './vm.js';

/** Host minstret as a number (exact below 2^53). */
export const hostInstret = (host: Core): number => host.hart.instretHi * 4294967296 + host.hart.instretLo;

/**
 * VMM-CTX-TIME: retire `n` directly executed guest instructions on the vCPU: minstret and mcycle
 * advance unless inhibited, and (vCPU 0 keeps time) mtime by n × ticksPerInstruction.
 */
export function retireDirect(vm: Core, n: number): void {
  if (n === 0) return;
  const h = vm.hart;
  const add = (lo: number, hi: number): [number, number] => {
    const l = lo + n;
    return [l % 4294967296, (hi + Math.floor(l / 4294967296)) >>> 0];
  };
  if ((h.csr.mcountinhibit & 4) === 0) [h.instretLo, h.instretHi] = add(h.instretLo, h.instretHi);
  if ((h.csr.mcountinhibit & 1) === 0) [h.cycleLo, h.cycleHi] = add(h.cycleLo, h.cycleHi);
  if (h.id === 0) {
    const t = vm.timeLo + n * vm.config.ticksPerInstruction;
    vm.timeLo = t % 4294967296;
    vm.timeHi = (vm.timeHi + Math.floor(t / 4294967296)) >>> 0;
  }
  refreshLines(vm);
}

/** Guest instructions until the next virtual timer event (Infinity if none is armed). */
export function untilTimer(vm: Core): number {
  const w = nextTimerEvent(vm.dev, timeOf(vm));
  if (w === null) return Infinity;
  const ticks = (w.hi - vm.timeHi) * 4294967296 + (w.lo - vm.timeLo);
  return Math.max(1, Math.ceil(ticks / vm.config.ticksPerInstruction));
}

/** VMM-CTX-TIMER: program the host's mtimecmp to fire after `n` more host instructions (or never). */
export function armHostTimer(host: Core, n: number): void {
  const base = host.config.devices.clint + 0x4000 + 8 * host.hart.id;
  let lo = 0xffffffff, hi = 0xffffffff;
  const t = host.timeLo + n * host.config.ticksPerInstruction;
  // A deadline past the end of 64-bit time (or none) leaves the timer at all ones: never.
  if (Number.isFinite(t) && host.timeHi + Math.floor(t / 4294967296) <= 0xffffffff) {
    lo = t % 4294967296;
    hi = host.timeHi + Math.floor(t / 4294967296);
  }
  // As M-mode software would: high half to all ones first so no spurious interrupt, then low, then high.
  for (const [off, v] of [[4, 0xffffffff], [0, lo], [4, hi]] as const) {
    const e = mmioWrite(host.config, host.dev, base + off, 4, v, timeOf(host));
    if (e !== null) host.dev = e.dev;
  }
  refreshLines(host);
}

/** VMM-CTX-LOAD: put the VM on the host hart, ready for direct execution. */
export function load(host: Core, vm: VmWork, slice: number): void {
  const h = host.hart, v = vm.core.hart;
  h.x.set(v.x);
  h.pc = v.pc;
  h.priv = PRV_U;
  h.waiting = false;
  h.reservation = v.reservation >= 0 ? v.reservation + vm.delta : -1;
  const c = h.csr;
  c.satp = (0x80000000 | Math.floor(shadowRoot(vm.shadow, vm.core, host.mem) / 4096)) >>> 0;
  c.mstatus = 0;
  c.medeleg = 0;
  c.mideleg = 0;
  c.mcounteren = 0;
  c.scounteren = 0;
  c.mcountinhibit = 0;
  c.mie = MIP_MTIP;
  c.mipSw = 0;
  armHostTimer(host, Math.min(untilTimer(vm.core), slice));
  vm.loadedAt = hostInstret(host);
}

/** VMM-CTX-UNLOAD: bring the VM's registers back from the host hart; `pc` is where the guest stands. */
export function unload(host: Core, vm: VmWork, pc: number): void {
  const h = host.hart, v = vm.core.hart;
  v.x.set(h.x);
  v.pc = pc >>> 0;
  v.reservation = h.reservation >= vm.ram.base && h.reservation < vm.ram.base + vm.ram.size ? h.reservation - vm.delta : -1;
  const n = hostInstret(host) - (vm.loadedAt ?? hostInstret(host));
  vm.stats.direct += n;
  retireDirect(vm.core, n);
  vm.loadedAt = null;
  // Time moved: a virtual timer may now be pending at exactly this boundary.
  vm.recheck = true;
}
