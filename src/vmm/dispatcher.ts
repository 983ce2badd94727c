/**
 * The dispatcher (VMM-DISPATCH-*): entered whenever the host hart traps while running a guest. It
 * brings the guest's context back, picks the interpreter routine for the trap, and runs it. Every
 * routine performs the guest instruction's architectural effect with the reference semantics
 * (`stepHart`, or the SEE's `seeStep`, on the VM's own machine state) — one semantics, as on the bare machine — and then
 * does the routine's own VMM bookkeeping (shadow fills and flushes, statistics).
 */
import { match } from 'ts-pattern';
import type { Core } from '../machine/core.js';
import { inRam } from '../machine/access.js';
import { regionOf } from '../devices/platform.js';
import { decode } from '../isa/decode.js';
import { EXC, INTERRUPT_BIT } from '../hart/csr-bits.js';
import { fillShadow, flushShadows, guestPage } from './shadow.js';
import { unload } from './context.js';
import type { VmWork } from './vm.js';

/** The interpreter routines, by the rule that defines each (spec/vmm.md). */
export type Routine =
  | 'TE-TIMER' | 'TE-CSR' | 'TE-XRET' | 'TE-WFI' | 'TE-SFENCE' | 'TE-ECALL' | 'TE-EBREAK'
  | 'TE-ILLEGAL' | 'TE-PAGE' | 'TE-MMIO' | 'TE-MISALIGNED' | 'TE-ACCESS';

/** VMM-DISPATCH-1: the routine for a host trap, from its cause and (for illegal instructions) the word in mtval. */
export function routineFor(cause: number, tval: number): Routine {
  if ((cause & INTERRUPT_BIT) !== 0) return 'TE-TIMER';
  return match(cause)
    .with(EXC.ILLEGAL, (): Routine => match(decode(tval).op)
      .with('csrrw', 'csrrs', 'csrrc', 'csrrwi', 'csrrsi', 'csrrci', (): Routine => 'TE-CSR')
      .with('mret', 'sret', (): Routine => 'TE-XRET')
      .with('wfi', (): Routine => 'TE-WFI')
      .with('sfence.vma', (): Routine => 'TE-SFENCE')
      .otherwise((): Routine => 'TE-ILLEGAL'))
    .with(EXC.ECALL_U, EXC.ECALL_S, EXC.ECALL_M, (): Routine => 'TE-ECALL')
    .with(EXC.BREAKPOINT, (): Routine => 'TE-EBREAK')
    .with(EXC.INSN_PAGE, EXC.LOAD_PAGE, EXC.STORE_PAGE, (): Routine => 'TE-PAGE')
    .with(EXC.INSN_MISALIGNED, EXC.LOAD_MISALIGNED, EXC.STORE_MISALIGNED, (): Routine => 'TE-MISALIGNED')
    .otherwise((): Routine => 'TE-ACCESS');
}

const PMP_CSR = (n: number): boolean => n >= 0x3a0 && n <= 0x3ef;

/**
 * Interpret one guest step with the reference semantics on the VM's machine state. TE-PT-WRITE:
 * if the step stored to a traced page (a page the shadows were built from), they are dropped.
 */
export function interpret(vm: VmWork): void {
  vm.step(vm.core);
  vm.stats.interpreted++;
  vm.recheck = true;
  if (vm.core.storeWatchHit) {
    vm.core.storeWatchHit = false;
    flushShadows(vm.shadow);
  }
}

/** VMM-DISPATCH-2: handle one host trap taken while `vm` ran directly. Returns the routine used. */
export function dispatch(host: Core, vm: VmWork): Routine {
  const { mcause, mtval, mepc } = host.hart.csr;
  unload(host, vm, mepc);
  const routine = routineFor(mcause, mtval);
  const v = vm.core;
  switch (routine) {
    case 'TE-TIMER':
      // A virtual timer deadline or the end of a time slice: nothing to emulate; the caller
      // re-checks virtual interrupts and the schedule.
      vm.recheck = true;
      break;
    case 'TE-CSR': {
      interpret(vm);
      // TE-PMP: the shadows encode the virtual PMP, so a PMP write invalidates them.
      const i = decode(mtval);
      if ('csr' in i && PMP_CSR(i.csr)) flushShadows(vm.shadow);
      break;
    }
    case 'TE-SFENCE':
      interpret(vm);
      flushShadows(vm.shadow);
      break;
    case 'TE-PAGE': {
      // Where the access lands, found before interpretation changes the context: a device makes
      // this TE-MMIO (the device access is the interpretation; nothing to map).
      const acc = mcause === EXC.INSN_PAGE ? 'x' : mcause === EXC.LOAD_PAGE ? 'r' : 'w';
      const target = guestPage(v, mtval, acc);
      const mmio = target !== null && !inRam(v, target, 1) && regionOf(v.config, target) !== null;
      interpret(vm);
      if (mmio) { count(vm, 'TE-MMIO'); return 'TE-MMIO'; }
      if (fillShadow(vm.shadow, v, host.mem, vm.delta, mtval, vm.protect)) flushShadows(vm.shadow);
      break;
    }
    default:
      interpret(vm);
  }
  count(vm, routine);
  return routine;
}

function count(vm: VmWork, r: Routine): void {
  vm.stats.entries[r] = (vm.stats.entries[r] ?? 0) + 1;
}


