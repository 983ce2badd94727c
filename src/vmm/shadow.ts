/**
 * Shadow page tables (VMM-SHADOW-*): host Sv32 tables, in frames the allocator gave the VM, that
 * map guest-virtual pages straight to host frames. A shadow PTE grants an access only where the
 * native machine would perform that access with no side effect: the guest's own translation
 * allows it with A (and D for stores) already set, the guest-physical page is RAM, the virtual PMP
 * allows the whole page, and (for stores) the page is neither a guest page-table page nor the HTIF
 * page. Everything else faults to the VMM, which interprets the instruction with the reference
 * semantics. Shadow PTEs always have U = 1 (the host runs guests in U-mode) and A = D = 1.
 */
import type { Core } from '../machine/core.js';
import { inRam, pmpTable } from '../machine/access.js';
import { MSTATUS } from '../hart/csr-bits.js';
import { PRV_M } from '../hart/state.js';
import { pmpAllowsTable, type Access } from '../memory/pmp.js';
import type { PhysMem } from '../memory/store.js';
import { PTE_A, PTE_D, PTE_R, PTE_U, PTE_V, PTE_W, PTE_X, walkSv32 } from '../translation/sv32.js';
import { PAGE, type Region } from './allocator.js';

export interface ShadowWork {
  readonly pool: Region;
  /** Next free frame offset in the pool. */
  next: number;
  /** Shadow roots by translation context (see `contextKey`). */
  roots: Map<string, number>;
  /** Guest-physical pages that hold PTEs the shadows were built from (VMM-SHADOW-TRACE). */
  traced: Set<number>;
  /** Guest-physical pages some shadow maps writable. */
  writable: Set<number>;
  fills: number;
  flushes: number;
  /** The virtual PMP CSR arrays the shadows were built under (copy-on-write, so identity tells change). */
  pmp: readonly [readonly number[], readonly number[]] | null;
}

export const newShadow = (pool: Region): ShadowWork =>
  ({ pool, next: 0, roots: new Map(), traced: new Set(), writable: new Set(), fills: 0, flushes: 0, pmp: null });

/**
 * VMM-SHADOW-CTX: what a guest translation depends on besides memory: the virtual privilege, satp
 * (when translating), SUM and MXR. One shadow per context is kept until the next flush.
 */
export function contextKey(vm: Core): string {
  const h = vm.hart;
  if (h.priv === PRV_M) return 'M';
  const s = h.csr.mstatus;
  return `${h.priv}:${h.csr.satp >>> 0}:${(s & MSTATUS.SUM) !== 0 ? 1 : 0}:${(s & MSTATUS.MXR) !== 0 ? 1 : 0}`;
}

/**
 * VMM-SHADOW-DIRECT: direct execution is exact only when fetches and data accesses use one
 * translation. M-mode with MPRV = 1 and MPP != M translates data accesses differently, so the VMM
 * interprets in that state, and while the virtual hart runs with V = 1 (H extension).
 */
export const directExecutable = (vm: Core): boolean => {
  const h = vm.hart;
  // With V = 1 (an H guest of the virtual hart) translation is two-stage, which the shadows do not model.
  if (h.v === 1) return false;
  return !(h.priv === PRV_M && (h.csr.mstatus & MSTATUS.MPRV) !== 0 && ((h.csr.mstatus >>> MSTATUS.MPP_SHIFT) & 3) !== PRV_M);
};

/** VMM-SHADOW-FLUSH: forget every shadow (after SFENCE.VMA, a PMP change, or a write to a traced page). */
export function flushShadows(sh: ShadowWork): void {
  sh.roots.clear();
  sh.traced.clear();
  sh.writable.clear();
  sh.next = 0;
  sh.flushes++;
}

function allocFrame(sh: ShadowWork, host: PhysMem): number | null {
  if (sh.next + PAGE > sh.pool.size) return null;
  const pa = sh.pool.base + sh.next;
  sh.next += PAGE;
  for (let o = 0; o < PAGE; o += 4) host.writeLE(pa + o, 4, 0);
  return pa;
}

/** The host-physical root of the shadow for the VM's current context, allocating it if needed. */
export function shadowRoot(sh: ShadowWork, vm: Core, host: PhysMem): number {
  // TE-PMP: shadows encode the virtual PMP; whoever changed it (a guest CSR write, or an inner VMM
  // setting up its host), shadows built under the old PMP are dropped.
  const { pmpcfg, pmpaddr } = vm.hart.csr;
  if (sh.pmp === null || sh.pmp[0] !== pmpcfg || sh.pmp[1] !== pmpaddr) {
    if (sh.roots.size > 0) flushShadows(sh);
    sh.pmp = [pmpcfg, pmpaddr];
  }
  const key = contextKey(vm);
  const r = sh.roots.get(key);
  if (r !== undefined) return r;
  let root = allocFrame(sh, host);
  if (root === null) { flushShadows(sh); root = allocFrame(sh, host)!; }
  sh.roots.set(key, root);
  return root;
}

/**
 * The guest-physical page an access at `va` reaches with no side effect, or null: the native walk
 * (Svade-style: A/D must already be set) succeeds and reads only RAM. PTE pages it reads are traced.
 */
function probe(vm: Core, va: number, acc: Access, traced: number[]): number | null {
  const h = vm.hart;
  if (h.priv === PRV_M || (h.csr.satp >>> 31) === 0) return va - (va % PAGE);
  const r = walkSv32({
    rootPpn: h.csr.satp & 0x3fffff, priv: h.priv,
    sum: (h.csr.mstatus & MSTATUS.SUM) !== 0, mxr: (h.csr.mstatus & MSTATUS.MXR) !== 0, ad: 'fault',
    readPte: (pa) => {
      if (!inRam(vm, pa, 4) || !pmpAllowsTable(pmpTable(vm), pa, 4, 'r', 1)) return null;
      traced.push(pa - (pa % PAGE));
      return vm.mem.read(pa, 4);
    },
  }, va >>> 0, acc);
  return r.ok ? r.pa - (r.pa % PAGE) : null;
}

/**
 * The guest-physical page an access at `va` would reach in the VM's current context, assuming the
 * walk may set A/D (no memory is changed), or null when it would fault.
 */
export function guestPage(vm: Core, va: number, acc: Access): number | null {
  const h = vm.hart;
  if (h.priv === PRV_M || (h.csr.satp >>> 31) === 0) return va - (va % PAGE);
  const r = walkSv32({
    rootPpn: h.csr.satp & 0x3fffff, priv: h.priv,
    sum: (h.csr.mstatus & MSTATUS.SUM) !== 0, mxr: (h.csr.mstatus & MSTATUS.MXR) !== 0, ad: 'hardware',
    readPte: (pa) => (inRam(vm, pa, 4) ? vm.mem.read(pa, 4) : null),
  }, va >>> 0, acc);
  return r.ok ? r.pa - (r.pa % PAGE) : null;
}

/**
 * VMM-SHADOW-FILL: after the VMM has interpreted a faulting access at `va`, map its page in the
 * current shadow with every permission that is exact to run directly. Returns true when a page
 * that some shadow maps writable has just become a page-table page (the caller must flush).
 */
export function fillShadow(sh: ShadowWork, vm: Core, host: PhysMem, delta: number, va: number, protect: ReadonlySet<number>): boolean {
  // The root first: allocating it may flush (pool exhausted), which must not forget what this fill traces.
  const root = shadowRoot(sh, vm, host);
  const traced: number[] = [];
  const table = pmpTable(vm);
  const priv = vm.hart.priv;
  let gpa: number | null = null;
  let perms = 0;
  for (const [acc, bit] of [['r', PTE_R], ['w', PTE_W], ['x', PTE_X]] as const) {
    const g = probe(vm, va, acc, traced);
    if (g === null || !inRam(vm, g, PAGE) || !pmpAllowsTable(table, g, PAGE, acc, priv)) continue;
    if (acc === 'w' && (protect.has(g) || sh.traced.has(g) || traced.includes(g))) continue;
    gpa = g;
    perms |= bit;
  }
  let stale = false;
  for (const p of traced) {
    if (!sh.traced.has(p)) { sh.traced.add(p); if (sh.writable.has(p)) stale = true; }
  }
  if (stale || gpa === null) return stale;
  // R = 0 with W = 1 is reserved in a PTE: a write-only grant becomes no grant.
  if ((perms & PTE_R) === 0) perms &= ~PTE_W;
  if (perms === 0) return false;
  const vpn1 = (va >>> 22) & 0x3ff, vpn0 = (va >>> 12) & 0x3ff;
  let l1 = host.read(root + vpn1 * 4, 4);
  if ((l1 & PTE_V) === 0) {
    const t = allocFrame(sh, host);
    if (t === null) { flushShadows(sh); return false; }
    l1 = ((t / PAGE) * 1024 + PTE_V) >>> 0;
    host.writeLE(root + vpn1 * 4, 4, l1);
  }
  const table2 = Math.floor(l1 / 1024) * PAGE;
  const hpa = gpa + delta;
  host.writeLE(table2 + vpn0 * 4, 4, ((hpa / PAGE) * 1024 + (perms | PTE_V | PTE_U | PTE_A | PTE_D)) >>> 0);
  if ((perms & PTE_W) !== 0) sh.writable.add(gpa);
  sh.fills++;
  return false;
}
