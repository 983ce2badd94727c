/**
 * Two-stage address translation for V = 1 (Vol. II, "H" Extension, §"Two-Stage Address
 * Translation"; spec/hypervisor-translation.md, HV-XLATE-2..5): a guest virtual address is
 * translated by the VS-stage (Sv32 under `vsatp`, or Bare) into a guest physical address, which the
 * G-stage (Sv32x4 under `hgatp`, or Bare: `walkSv32x4`) translates into a supervisor physical
 * address. "Memory accesses made in support of VS-stage address translation, such as reads and
 * writes of VS-level page tables", are guest-physical accesses "subject to G-stage address
 * translation alone".
 *
 * A pure function. The A/D updates the translation makes (VS-stage and G-stage) are returned in the
 * order the algorithm performs them — also when a later step faults — and not performed; within
 * one translation, later reads see the earlier updates.
 */
import type { Access } from '../memory/pmp.js';
import { PTE_A, PTE_D, PTE_R, PTE_U, PTE_V, PTE_W, PTE_X } from './sv32.js';
import { walkSv32x4, type GWalkEnv } from './sv32x4.js';

const PAGE = 4096;
const LEVELS = 2;

/** vsatp (VSXLEN = 32): MODE bit 31 (0 = Bare, 1 = Sv32), ASID bits 30:22, PPN bits 21:0. */
export const vsatpMode = (vsatp: number): 'bare' | 'sv32' => ((vsatp >>> 31) === 1 ? 'sv32' : 'bare');
export const vsatpPpn = (vsatp: number): number => vsatp & 0x3fffff;

export interface TwoStageEnv {
  vsatp: number;
  hgatp: number;
  /** Effective privilege: 0 = VU, 1 = VS (for HLV/HLVX/HSV, hstatus.SPVP; with MPRV, MPP). */
  priv: 0 | 1;
  /** vsstatus.SUM (the HS-level SUM is ignored when V = 1). */
  sum: boolean;
  /** vsstatus.MXR: affects the VS-stage only. */
  vsMxr: boolean;
  /** HS-level sstatus.MXR (= mstatus.MXR): affects both stages. */
  mxr: boolean;
  /** HLVX.HU/HLVX.WU (acc = 'r'): execute permission takes the place of read permission in both stages. */
  hlvx: boolean;
  /** A/D scheme of the VS-stage and of the G-stage ('fault' = Svade). */
  vsAd: 'hardware' | 'fault';
  gAd: 'hardware' | 'fault';
  /** Read a word of page table at a supervisor physical address, or null if PMA/PMP forbid it. */
  readPte(pa: number): number | null;
  /** May the hart store an A/D update at this supervisor physical address? Absent: always. */
  storePteOk?(pa: number): boolean;
}

/** Where a fault arose: the VS-stage walk, or the G-stage (of a PTE access or of the final GPA). */
export type Stage = 'vs' | 'g';

export type TwoStageFault =
  /** A VS-stage page fault (cause 12/13/15). */
  | { kind: 'page'; stage: 'vs' }
  /**
   * A guest-page fault (cause 20/21/23) at guest physical address `gpa`. `implicit`: the access
   * was made for VS-stage translation (`gpa` is then the VS-level PTE's address, and `write` says
   * whether it was the A/D store); otherwise `gpa` is the translated guest physical address.
   */
  | { kind: 'guest-page'; stage: 'g'; gpa: number; implicit: boolean; write: boolean }
  /** An access fault (cause 1/5/7) on a page-table read or A/D store, in either stage. */
  | { kind: 'access'; stage: Stage };

export interface PteUpdate {
  stage: Stage;
  /** The supervisor physical address of the PTE. */
  pa: number;
  value: number;
}

export type TwoStageResult =
  | { ok: true; pa: number; gpa: number; updates: PteUpdate[] }
  | { ok: false; fault: TwoStageFault; updates: PteUpdate[] };

const VS_PAGE_FAULT: TwoStageFault = Object.freeze({ kind: 'page', stage: 'vs' });

/**
 * HV-XLATE-2: translate guest virtual address `va` for an access of kind `acc` made with V = 1.
 */
export function translateTwoStage(env: TwoStageEnv, va: number, acc: Access): TwoStageResult {
  const updates: PteUpdate[] = [];
  // The translation's own earlier A/D updates, seen by its later reads (they are performed in order).
  const written = new Map<number, number>();
  const read = (pa: number): number | null => written.get(pa) ?? env.readPte(pa);
  const perform = (stage: Stage, pa: number, value: number): void => {
    updates.push({ stage, pa, value });
    written.set(pa, value);
  };
  const fail = (fault: TwoStageFault): TwoStageResult => ({ ok: false, fault, updates });
  const hlvx = env.hlvx && acc === 'r';

  /**
   * A G-stage translation. HV-XLATE-2: an implicit access for VS-stage translation is checked "as
   * though for an implicit load or store, not for the original access type" — 'r' for a PTE read,
   * 'w' for an A/D store — and neither MXR nor HLVX applies to it (both concern the explicit
   * access). Its A/D update is performed at once.
   */
  const gStage = (gpa: number, kind: Access, explicit: boolean): { pa: number } | TwoStageFault => {
    const genv: GWalkEnv = {
      hgatp: env.hgatp, mxr: explicit && env.mxr, hlvx: explicit && hlvx, ad: env.gAd, readPte: read,
    };
    if (env.storePteOk !== undefined) genv.storePteOk = env.storePteOk;
    const g = walkSv32x4(genv, gpa, kind);
    if (!g.ok) {
      return g.fault === 'access'
        ? { kind: 'access', stage: 'g' }
        : { kind: 'guest-page', stage: 'g', gpa, implicit: !explicit, write: kind === 'w' };
    }
    if (g.update !== null) perform('g', g.pteAddr!, g.update);
    return { pa: g.pa };
  };
  const isFault = (r: { pa: number } | TwoStageFault): r is TwoStageFault => !('pa' in r);

  // VS-stage Bare: the guest virtual address is the guest physical address.
  let gpa: number;
  if (vsatpMode(env.vsatp) === 'bare') gpa = va >>> 0;
  else {
    const vpn = [(va >>> 12) & 0x3ff, (va >>> 22) & 0x3ff];
    // 1. Let a be vsatp.ppn × PAGESIZE (a guest physical address), and let i = LEVELS − 1.
    let a = vsatpPpn(env.vsatp) * PAGE;
    let i = LEVELS - 1;
    let pte: number;
    let pteGpa: number;
    for (;;) {
      for (;;) {
        // 2. Let pte be the value of the PTE at guest physical address a + va.vpn[i] × PTESIZE:
        //    first the G-stage translation of that address for an implicit read (a guest-page
        //    fault or an access fault there is reported for the original access type), then the
        //    read itself, where a PMA or PMP violation raises an access fault.
        pteGpa = a + vpn[i]! * 4;
        const g = gStage(pteGpa, 'r', false);
        if (isFault(g)) return fail(g);
        const r = read(g.pa);
        if (r === null) return fail({ kind: 'access', stage: 'vs' });
        pte = r >>> 0;
        // 3. If pte.v = 0, or if pte.r = 0 and pte.w = 1, or if any reserved bits are set (D, A, U
        //    of a non-leaf PTE), stop and raise a page-fault exception.
        if ((pte & PTE_V) === 0 || ((pte & PTE_R) === 0 && (pte & PTE_W) !== 0)) return fail(VS_PAGE_FAULT);
        const leaf = (pte & (PTE_R | PTE_X)) !== 0;
        if (!leaf && (pte & (PTE_D | PTE_A | PTE_U)) !== 0) return fail(VS_PAGE_FAULT);
        // 4. A leaf: go to step 5. Otherwise descend; if i < 0, raise a page-fault exception.
        if (leaf) break;
        i -= 1;
        if (i < 0) return fail(VS_PAGE_FAULT);
        a = Math.floor(pte / 1024) * PAGE;
      }
      // 5. HV-XLATE-5: the leaf against the access type, the privilege (VS or VU), vsstatus.SUM
      //    and MXR: the VS-stage obeys vsstatus.MXR and the HS-level MXR; HLVX needs x, not r.
      const u = (pte & PTE_U) !== 0;
      if (env.priv === 0 ? !u : u && (acc === 'x' || !env.sum)) return fail(VS_PAGE_FAULT);
      const readable = hlvx ? (pte & PTE_X) !== 0 : (pte & PTE_R) !== 0 || ((env.vsMxr || env.mxr) && (pte & PTE_X) !== 0);
      if (acc === 'r' ? !readable : acc === 'w' ? (pte & PTE_W) === 0 : (pte & PTE_X) === 0) return fail(VS_PAGE_FAULT);
      // 6. If i > 0 and pte.ppn[0] ≠ 0, this is a misaligned superpage: page fault.
      if (i > 0 && Math.floor(pte / 1024) % 1024 !== 0) return fail(VS_PAGE_FAULT);
      // 7. HV-XLATE-4: if pte.a = 0, or the access is a store and pte.d = 0: either raise a page
      //    fault (Svade), or update the PTE. The store is a guest-physical write: its G-stage
      //    translation is checked as an implicit store (W, and the G-leaf's A and D), then PMA/PMP
      //    may refuse the store (access fault). Then, atomically: compare pte with the PTE now in
      //    memory; if they differ (the G-stage update just wrote that very word), return to step 2.
      if ((pte & PTE_A) !== 0 && (acc !== 'w' || (pte & PTE_D) !== 0)) break;
      if (env.vsAd === 'fault') return fail(VS_PAGE_FAULT);
      const gw = gStage(pteGpa, 'w', false);
      if (isFault(gw)) return fail(gw);
      if (env.storePteOk !== undefined && !env.storePteOk(gw.pa)) return fail({ kind: 'access', stage: 'vs' });
      const now = read(gw.pa);
      if (now !== null && now >>> 0 === pte) {
        perform('vs', gw.pa, (pte | PTE_A | (acc === 'w' ? PTE_D : 0)) >>> 0);
        break;
      }
      // The word changed: it is itself the G-stage leaf whose A/D the G-stage just set (nothing
      // else writes during a translation). Retry from step 2 at the same level; this terminates,
      // since that G-stage leaf needs no further update.
    }
    // 8. The guest physical address: pa.pgoff = va.pgoff; a megapage takes ppn[0] from vpn[0].
    const ppn = Math.floor(pte / 1024);
    gpa = i > 0 ? (ppn - (ppn % 1024)) * PAGE + (va >>> 0) % 2 ** 22 : ppn * PAGE + (va & 0xfff);
  }
  // The G-stage translation of the guest physical address, for the original (explicit) access.
  const g = gStage(gpa, acc, true);
  if (isFault(g)) return fail(g);
  return { ok: true, pa: g.pa, gpa, updates };
}

/** Exception codes by access type (Vol. II, "Trap Cause Codes" with the H extension). */
const CAUSES = {
  page: { x: 12, r: 13, w: 15 },
  'guest-page': { x: 20, r: 21, w: 23 },
  access: { x: 1, r: 5, w: 7 },
} as const;

/** HV-XLATE-3: the mcause/scause exception code — always for the original access type. */
export const faultCause = (fault: TwoStageFault, acc: Access): number => CAUSES[fault.kind][acc];

/** HV-XLATE-3: mtval2/htval — the faulting guest physical address shifted right by 2, for guest-page faults; else 0. */
export const htvalOf = (fault: TwoStageFault): number => (fault.kind === 'guest-page' ? Math.floor(fault.gpa / 4) : 0);

/** The RV32 pseudoinstructions for implicit VS-stage accesses (§"Transformed Instruction or Pseudoinstruction"). */
export const PSEUDO_VS_READ = 0x00002000;
export const PSEUDO_VS_WRITE = 0x00002020;

/**
 * HV-XLATE-3: what mtinst/htinst must hold as far as translation is concerned: the pseudoinstruction
 * for a guest-page fault on an implicit VS-stage access (a write for an A/D update), else 0 (the
 * hart may still write a transformed instruction for explicit loads and stores).
 */
export const htinstOf = (fault: TwoStageFault): number =>
  fault.kind === 'guest-page' && fault.implicit ? (fault.write ? PSEUDO_VS_WRITE : PSEUDO_VS_READ) : 0;

/** HV-XLATE-3: everything a trap from this fault records, for guest virtual address `va`. */
export function trapValues(fault: TwoStageFault, acc: Access, va: number): { cause: number; tval: number; tval2: number; tinst: number; gva: boolean } {
  // Every such trap writes the guest virtual address to xtval, so GVA = 1 when it is taken into HS or M.
  return { cause: faultCause(fault, acc), tval: va >>> 0, tval2: htvalOf(fault), tinst: htinstOf(fault), gva: true };
}
