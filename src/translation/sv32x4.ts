/**
 * Sv32x4 G-stage translation (Vol. II, "H" Extension, §"Guest Physical Address Translation";
 * spec/hypervisor-translation.md, HV-XLATE-1): guest physical address → supervisor physical address,
 * under `hgatp`. It is the Sv32 algorithm (Supervisor-Level ISA, §"Virtual Address Translation
 * Process") "except that: hgatp substitutes for the usual satp; ... when checking the U bit, the
 * current privilege mode is always taken to be U-mode; and guest-page-fault exceptions are raised
 * instead of regular page-fault exceptions", with a 34-bit input address and a 16 KiB root table.
 *
 * A pure function, like walkSv32: PTE reads go through `readPte`, and a hardware A/D update is
 * returned, not performed.
 */
import type { Access } from '../memory/pmp.js';
import { PTE_A, PTE_D, PTE_R, PTE_U, PTE_V, PTE_W, PTE_X } from './sv32.js';

const PAGE = 4096;
const LEVELS = 2;
/** 2^22: the span of a root slot (a megapage), and the radix of bits 33:22 of a GPA. */
const MEGA = 2 ** 22;

/** hgatp (HSXLEN = 32): MODE is bit 31 (0 = Bare, 1 = Sv32x4), VMID bits 28:22, PPN bits 21:0. */
export const HGATP_MODE_SV32X4 = 0x80000000;
export const hgatpMode = (hgatp: number): 'bare' | 'sv32x4' => ((hgatp >>> 31) === 1 ? 'sv32x4' : 'bare');
export const hgatpVmid = (hgatp: number): number => (hgatp >>> 22) & 0x7f;
export const hgatpPpn = (hgatp: number): number => hgatp & 0x3fffff;

/**
 * The G-stage's view of one access. For an explicit access, `acc` is the access type (with
 * `hlvx` an HLVX read); for an implicit access made for VS-stage translation (a VS-level PTE read,
 * or the store of its A/D update) the caller passes 'r' or 'w' with `mxr` and `hlvx` false.
 */
export interface GWalkEnv {
  /** The hgatp CSR value (MODE, VMID, PPN). */
  hgatp: number;
  /** HS-level sstatus.MXR (= mstatus.MXR): execute-only G-stage pages are readable by explicit loads. */
  mxr: boolean;
  /** HLVX: execute permission takes the place of read permission (acc = 'r'). */
  hlvx: boolean;
  /** 'hardware' sets A/D as part of the walk; 'fault' raises a guest-page fault instead. */
  ad: 'hardware' | 'fault';
  /** Read the (G-stage) PTE at a supervisor physical address, or null if PMA/PMP forbid it. */
  readPte(pa: number): number | null;
  /** May the hart store an A/D update to this PTE address (PMA and PMP)? Absent: always. */
  storePteOk?(pa: number): boolean;
}

export type GWalkResult =
  | {
    ok: true;
    /** The supervisor physical address (up to 34 bits). */
    pa: number;
    /** The leaf's level (1 = megapage), its value and address; null when hgatp.MODE = Bare. */
    level: number | null;
    pte: number | null;
    pteAddr: number | null;
    /** The new value of the leaf PTE when the walk sets A (and D), else null. */
    update: number | null;
  }
  | { ok: false; fault: 'guest-page' | 'access' };

const GUEST_PAGE_FAULT: GWalkResult = Object.freeze({ ok: false, fault: 'guest-page' });
const ACCESS_FAULT: GWalkResult = Object.freeze({ ok: false, fault: 'access' });

/**
 * HV-XLATE-1: translate guest physical address `gpa` (0 ≤ gpa < 2^34) for an access of kind `acc`.
 * With hgatp.MODE = Bare, "guest physical addresses are equal to supervisor physical addresses
 * without modification, and no memory protection applies".
 */
export function walkSv32x4(env: GWalkEnv, gpa: number, acc: Access): GWalkResult {
  if (hgatpMode(env.hgatp) === 'bare') return { ok: true, pa: gpa, level: null, pte: null, pteAddr: null, update: null };
  // An Sv32x4 GPA is an Sv32 VA "with 2 more bits at the high end in VPN[1]": VPN[1] = gpa[33:22]
  // (12 bits, indexing the 4096-entry root), VPN[0] = gpa[21:12], offset = gpa[11:0].
  const vpn = [Math.floor(gpa / PAGE) % 1024, Math.floor(gpa / MEGA) % 4096];
  // 1. Let a be hgatp.ppn × PAGESIZE, and let i = LEVELS − 1. The root table is 16 KiB and 16 KiB
  //    aligned: "the lowest two bits of the physical page number (PPN) in hgatp always read as
  //    zeros", so PPN[1:0] do not take part.
  let a = (hgatpPpn(env.hgatp) & ~3) * PAGE;
  let i = LEVELS - 1;
  let pte: number;
  let pteAddr: number;
  for (;;) {
    // 2. Let pte be the value of the PTE at address a + va.vpn[i] × PTESIZE. If accessing pte
    //    violates a PMA or PMP check, raise an access-fault exception.
    pteAddr = a + vpn[i]! * 4;
    const r = env.readPte(pteAddr);
    if (r === null) return ACCESS_FAULT;
    pte = r >>> 0;
    // 3. If pte.v = 0, or if pte.r = 0 and pte.w = 1, or if any bits reserved for future standard
    //    use are set, stop and raise a (guest-)page-fault exception. Reserved: D, A and U of a
    //    non-leaf PTE. The G bit of G-stage PTEs is reserved too, but "must be ignored by hardware".
    if ((pte & PTE_V) === 0 || ((pte & PTE_R) === 0 && (pte & PTE_W) !== 0)) return GUEST_PAGE_FAULT;
    const leaf = (pte & (PTE_R | PTE_X)) !== 0;
    if (!leaf && (pte & (PTE_D | PTE_A | PTE_U)) !== 0) return GUEST_PAGE_FAULT;
    // 4. If pte.r = 1 or pte.x = 1, this is a leaf: go to step 5. Otherwise descend one level;
    //    if i < 0, raise a (guest-)page-fault exception. Non-root tables are ordinary 4 KiB tables.
    if (leaf) break;
    i -= 1;
    if (i < 0) return GUEST_PAGE_FAULT;
    a = Math.floor(pte / 1024) * PAGE;
  }
  // 5. A leaf PTE: "all memory accesses ... are considered to be user-level accesses, as though
  //    executed in U-mode": pte.u must be 1 (SUM plays no part). Then r/w/x against the access
  //    type: HS-level MXR makes execute-only pages readable; HLVX needs x instead of r.
  if ((pte & PTE_U) === 0) return GUEST_PAGE_FAULT;
  const readable = acc === 'r' && (env.hlvx ? (pte & PTE_X) !== 0 : (pte & PTE_R) !== 0 || (env.mxr && (pte & PTE_X) !== 0));
  if (acc === 'r' ? !readable : acc === 'w' ? (pte & PTE_W) === 0 : (pte & PTE_X) === 0) return GUEST_PAGE_FAULT;
  // 6. If i > 0 and pte.ppn[0] ≠ 0, this is a misaligned superpage: guest-page fault.
  const ppn = Math.floor(pte / 1024);
  if (i > 0 && ppn % 1024 !== 0) return GUEST_PAGE_FAULT;
  // 7. If pte.a = 0, or the access is a store and pte.d = 0: either raise a (guest-)page fault
  //    ('fault'), or — when a store to the PTE would pass PMA and PMP — set A (and D for a store).
  let update: number | null = null;
  if ((pte & PTE_A) === 0 || (acc === 'w' && (pte & PTE_D) === 0)) {
    if (env.ad === 'fault') return GUEST_PAGE_FAULT;
    if (env.storePteOk !== undefined && !env.storePteOk(pteAddr)) return ACCESS_FAULT;
    update = (pte | PTE_A | (acc === 'w' ? PTE_D : 0)) >>> 0;
  }
  // 8. pa.pgoff = gpa.pgoff; a megapage takes pa.ppn[0] from gpa.vpn[0].
  const pa = i > 0 ? ppn * PAGE + (gpa % MEGA) : ppn * PAGE + (gpa % PAGE);
  return { ok: true, pa, level: i, pte, pteAddr, update };
}
