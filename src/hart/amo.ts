/** AMO arithmetic (A extension, "Atomic Memory Operations"; ISA-A-AMO): the value stored. */
import type { AmoOp } from '../isa/inst.js';

/** The new memory value of `op` applied to the old value and rs2 (both as signed 32-bit). */
export function amoResult(op: AmoOp, old: number, src: number): number {
  switch (op) {
    case 'amoswap.w': return src;
    case 'amoadd.w': return (old + src) | 0;
    case 'amoxor.w': return old ^ src;
    case 'amoand.w': return old & src;
    case 'amoor.w': return old | src;
    case 'amomin.w': return old < src ? old : src;
    case 'amomax.w': return old > src ? old : src;
    case 'amominu.w': return old >>> 0 < src >>> 0 ? old : src;
    case 'amomaxu.w': return old >>> 0 > src >>> 0 ? old : src;
  }
}
