/**
 * Sv32 translation (privileged spec §12.3, "Sv32: Page-Based 32-bit Virtual-Memory Systems"), written
 * after the numbered steps of §12.3.2 "Virtual Address Translation Process" (XLATE-*). A pure
 * function: PTE reads go through `readPte`, and a hardware A/D update is returned, not performed.
 */
import type { Access } from '../memory/pmp.js';

export const PTE_V = 1, PTE_R = 2, PTE_W = 4, PTE_X = 8, PTE_U = 16, PTE_G = 32, PTE_A = 64, PTE_D = 128;
const PAGE = 4096;
const LEVELS = 2;

export interface WalkEnv {
  /** satp.PPN (root table at PPN × 4096). */
  rootPpn: number;
  /** Effective privilege of the access: 0 = U, 1 = S (callers only walk when it is below M). */
  priv: number;
  sum: boolean;
  mxr: boolean;
  /** XLATE-AD: 'hardware' sets A/D as part of the walk; 'fault' raises a page fault (Svade). */
  ad: 'hardware' | 'fault';
  /** Read the PTE at a physical address, or null if PMA/PMP forbid it (an access fault). */
  readPte(pa: number): number | null;
}

export type WalkResult =
  | { ok: true; pa: number; level: number; pte: number; pteAddr: number; update: number | null }
  | { ok: false; fault: 'page' | 'access' };

const PAGE_FAULT: WalkResult = Object.freeze({ ok: false, fault: 'page' });
const ACCESS_FAULT: WalkResult = Object.freeze({ ok: false, fault: 'access' });

/** Translate virtual address `va` for an access of kind `acc`. */
export function walkSv32(env: WalkEnv, va: number, acc: Access): WalkResult {
  const vpn = [(va >>> 12) & 0x3ff, (va >>> 22) & 0x3ff];
  // 1. Let a be satp.ppn × PAGESIZE, and let i = LEVELS − 1.
  let a = env.rootPpn * PAGE;
  let i = LEVELS - 1;
  let pte: number;
  let pteAddr: number;
  for (;;) {
    // 2. Let pte be the value of the PTE at address a + va.vpn[i] × PTESIZE; a PMA or PMP violation
    //    raises an access-fault exception corresponding to the original access type.
    pteAddr = a + vpn[i]! * 4;
    const r = env.readPte(pteAddr);
    if (r === null) return ACCESS_FAULT;
    pte = r >>> 0;
    // 3. If pte.v = 0, or if pte.r = 0 and pte.w = 1, stop and raise a page-fault exception.
    if ((pte & PTE_V) === 0 || ((pte & PTE_R) === 0 && (pte & PTE_W) !== 0)) return PAGE_FAULT;
    // 4. If pte.r = 1 or pte.x = 1, this is a leaf: go to step 5. Otherwise descend one level;
    //    if i < 0, raise a page-fault exception. (Step 3 also faults on reserved bits: for a
    //    non-leaf PTE, D, A and U are reserved, §12.3.1.)
    if ((pte & (PTE_R | PTE_X)) !== 0) break;
    if ((pte & (PTE_D | PTE_A | PTE_U)) !== 0) return PAGE_FAULT;
    i -= 1;
    if (i < 0) return PAGE_FAULT;
    a = Math.floor(pte / 1024) * PAGE;
  }
  // 5. A leaf PTE: check r, w, x and u against the access type, the privilege, SUM and MXR.
  const u = (pte & PTE_U) !== 0;
  if (env.priv === 0 ? !u : u && (acc === 'x' || !env.sum)) return PAGE_FAULT;
  const readable = (pte & PTE_R) !== 0 || (env.mxr && (pte & PTE_X) !== 0);
  if (acc === 'r' ? !readable : acc === 'w' ? (pte & PTE_W) === 0 : (pte & PTE_X) === 0) return PAGE_FAULT;
  // 6. If i > 0 and pte.ppn[0] != 0, this is a misaligned superpage: page fault.
  const ppn = Math.floor(pte / 1024);
  if (i > 0 && (ppn & 0x3ff) !== 0) return PAGE_FAULT;
  // 7. If pte.a = 0, or the access is a store and pte.d = 0: Svade raises a page fault; otherwise
  //    A (and D for a store) are set atomically in the PTE.
  let update: number | null = null;
  if ((pte & PTE_A) === 0 || (acc === 'w' && (pte & PTE_D) === 0)) {
    if (env.ad === 'fault') return PAGE_FAULT;
    update = (pte | PTE_A | (acc === 'w' ? PTE_D : 0)) >>> 0;
  }
  // 8. The translation: pa.pgoff = va.pgoff; a superpage takes pa.ppn[0] from va.vpn[0].
  const pa = i > 0
    ? (ppn - (ppn & 0x3ff) + vpn[0]!) * PAGE + (va & 0xfff)
    : ppn * PAGE + (va & 0xfff);
  return { ok: true, pa, level: i, pte, pteAddr, update };
}
