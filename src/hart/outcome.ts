/**
 * What executing one instruction produces, before memory, CSRs and traps are committed. The
 * semantics functions (`semantics.ts`) compute these from register values alone; engines commit
 * them. Memory and CSR effects are requests here because their result depends on translation,
 * PMP, devices and privilege, which the commit stage owns.
 */
import type { AmoOp } from '../isa/inst.js';

export type Outcome =
  /** Write `v` to rd (if rd != 0) and fall through to pc + 4. */
  | { k: 'wr'; rd: number; v: number }
  /** Fall through with no register write (not-taken branch, FENCE). */
  | { k: 'next' }
  /** Transfer control to `target`, writing the link value `v` to rd; misaligned targets trap. */
  | { k: 'jump'; rd: number; v: number; target: number }
  | { k: 'load'; rd: number; addr: number; size: 1 | 2 | 4; signed: boolean }
  | { k: 'store'; addr: number; size: 1 | 2 | 4; v: number }
  | { k: 'lr'; rd: number; addr: number }
  | { k: 'sc'; rd: number; addr: number; v: number }
  | { k: 'amo'; op: AmoOp; rd: number; addr: number; v: number }
  /** A Zicsr instruction: read unless `noRead`, write `f(old, src)` unless `noWrite`. */
  | { k: 'csr'; rd: number; csr: number; op: 'w' | 's' | 'c'; src: number; noRead: boolean; noWrite: boolean }
  | { k: 'trap'; cause: number; tval: number }
  | { k: 'mret' }
  | { k: 'sret' }
  | { k: 'wfi' }
  | { k: 'fence.i' }
  | { k: 'sfence.vma'; vaddr: number; asid: number; rs1: number; rs2: number }
  /** H: a load or store as VS/VU would make it (HLV/HLVX/HSV); `x`: HLVX (execute permission suffices). */
  | { k: 'hlv'; rd: number; addr: number; size: 1 | 2 | 4; signed: boolean; x: boolean }
  | { k: 'hsv'; addr: number; size: 1 | 2 | 4; v: number }
  | { k: 'hfence'; gvma: boolean };

export const NEXT: Outcome = Object.freeze({ k: 'next' });
