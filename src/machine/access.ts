/**
 * The memory pipeline of one access (MEM-*): effective privilege → Sv32 translation → PMP → PMA
 * (RAM, a device, or nothing) → the access itself. Faults come back as values.
 */
import { type Core, refreshLines, timeOf } from './core.js';
import { EXC, MSTATUS } from '../hart/csr-bits.js';
import { PRV_M, PRV_S } from '../hart/state.js';
import { type Access, compilePmp, pmpAllowsTable, type PmpTable } from '../memory/pmp.js';
import { walkSv32 } from '../translation/sv32.js';
import { tlbFill, tlbLookup } from './tlb.js';
import { translateTwoStage, trapValues } from '../translation/two-stage.js';
import type { TrapInfo } from '../hart/trap.js';
import { mmioRead, mmioWrite } from '../devices/platform.js';

export type Fault = { cause: number; tval: number; info?: TrapInfo };

/** The privilege and virtualization mode an access is made in. */
export interface Mode { priv: number; v: 0 | 1; hlvx?: boolean }

/** Fault causes by access type: [misaligned, access fault, page fault] (§3.1.15). */
const CAUSES: Record<Access, readonly [number, number, number]> = {
  x: [EXC.INSN_MISALIGNED, EXC.INSN_ACCESS, EXC.INSN_PAGE],
  r: [EXC.LOAD_MISALIGNED, EXC.LOAD_ACCESS, EXC.LOAD_PAGE],
  w: [EXC.STORE_MISALIGNED, EXC.STORE_ACCESS, EXC.STORE_PAGE],
};
export const misalignedFault = (acc: Access, va: number): Fault => ({ cause: CAUSES[acc][0], tval: va >>> 0 });
export const accessFault = (acc: Access, va: number): Fault => ({ cause: CAUSES[acc][1], tval: va >>> 0 });
const pageFault = (acc: Access, va: number): Fault => ({ cause: CAUSES[acc][2], tval: va >>> 0 });

/**
 * MEM-PRIV, HV-MPRV: the effective mode of an access: MPRV makes M-mode loads and stores use MPP
 * (§3.1.6.3) and, with H, MPV when MPP != M; fetches use the current mode.
 */
export function effectiveMode(c: Core, acc: Access): Mode {
  const h = c.hart;
  if (acc !== 'x' && h.priv === PRV_M && (h.csr.mstatus & MSTATUS.MPRV) !== 0) {
    const mpp = (h.csr.mstatus >>> MSTATUS.MPP_SHIFT) & 3;
    return { priv: mpp, v: mpp !== PRV_M && (h.csr.mstatush & 0x80) !== 0 ? 1 : 0 };
  }
  return { priv: h.priv, v: h.v };
}

export const inRam = (c: Core, pa: number, size: number): boolean =>
  pa >= c.config.ramBase && pa + size <= c.config.ramBase + c.config.ramSize;

/** The compiled PMP table of the current hart, memoised on the identity of its CSR arrays. */
export function pmpTable(c: Core): PmpTable {
  const { pmpcfg, pmpaddr } = c.hart.csr;
  const last = c.pmpLast;
  if (last !== null && last.cfg === pmpcfg && last.addr === pmpaddr) return last.table;
  const table = compilePmp(pmpcfg, pmpaddr, c.config.pmpEntries, c.config.pmpGranularity);
  c.pmpLast = { cfg: pmpcfg, addr: pmpaddr, table };
  return table;
}

/** PMP-*: does PMP allow this physical access at privilege `priv`? */
export const pmpAllows = (c: Core, pa: number, size: number, acc: Access, priv: number): boolean =>
  pmpAllowsTable(pmpTable(c), pa, size, acc, priv);

/**
 * XLATE-1: translate one virtual address for an access that stays within a page, applying the A/D
 * update of the walk when the policy is hardware update. Returns a physical address or a fault.
 */
export type Translation = { pa: number; updates: Array<{ addr: number; value: number }> } | Fault;

export function translate(c: Core, va: number, acc: Access, ptes?: number[], mode: Mode = effectiveMode(c, acc)): Translation {
  if (mode.v === 1) return translateV(c, va, acc, mode, ptes);
  const priv = mode.priv;
  const satp = c.hart.csr.satp;
  if (priv === PRV_M || (satp >>> 31) === 0) return { pa: va >>> 0, updates: [] };
  const h = c.hart;
  const r = walkSv32({
    rootPpn: satp & 0x3fffff,
    priv,
    sum: (h.csr.mstatus & MSTATUS.SUM) !== 0,
    mxr: (h.csr.mstatus & MSTATUS.MXR) !== 0,
    ad: c.config.adUpdate,
    // XLATE-PTE-PMP: page-table reads are implicit S-mode accesses checked by PMA and PMP (§3.7.1).
    readPte: (pa) => {
      if (!inRam(c, pa, 4) || !pmpAllows(c, pa, 4, 'r', PRV_S)) return null;
      ptes?.push(Math.floor(pa / 4096));
      return c.mem.read(pa, 4);
    },
  }, va >>> 0, acc);
  if (!r.ok) return r.fault === 'page' ? pageFault(acc, va) : accessFault(acc, va);
  if (r.update === null) return { pa: r.pa, updates: [] };
  // XLATE-AD-2: the A/D update is a store to the PTE and must pass PMA and PMP as one.
  if (!inRam(c, r.pteAddr, 4) || !pmpAllows(c, r.pteAddr, 4, 'w', PRV_S)) return accessFault(acc, va);
  if (ptes) ptes.length = 0; // a walk with a side effect is not cached
  return { pa: r.pa, updates: [{ addr: r.pteAddr, value: r.update }] };
}

/**
 * HV-XLATE-2: a V = 1 access: VS-stage under vsatp, G-stage under hgatp (spec/hypervisor-translation.md).
 * Page-table accesses of both stages are implicit S-mode accesses checked by PMA and PMP.
 */
function translateV(c: Core, va: number, acc: Access, mode: Mode, ptes?: number[]): Translation {
  const h = c.hart.csr;
  const r = translateTwoStage({
    vsatp: h.vsatp, hgatp: h.hgatp, priv: mode.priv === PRV_S ? 1 : 0,
    sum: (h.vsstatus & MSTATUS.SUM) !== 0, vsMxr: (h.vsstatus & MSTATUS.MXR) !== 0, mxr: (h.mstatus & MSTATUS.MXR) !== 0,
    hlvx: mode.hlvx === true, vsAd: c.config.adUpdate, gAd: c.config.adUpdate,
    readPte: (pa) => {
      if (!inRam(c, pa, 4) || !pmpAllows(c, pa, 4, 'r', PRV_S)) return null;
      ptes?.push(Math.floor(pa / 4096));
      return c.mem.read(pa, 4);
    },
    storePteOk: (pa) => inRam(c, pa, 4) && pmpAllows(c, pa, 4, 'w', PRV_S),
  }, va >>> 0, acc);
  if (!r.ok) {
    const t = trapValues(r.fault, acc, va);
    return { cause: t.cause, tval: t.tval, info: { tval2: t.tval2, tinst: t.tinst, gva: t.gva } };
  }
  // A walk with a side effect is not cached; nor one with both stages Bare (no PTE to watch).
  if (ptes && r.updates.length > 0) ptes.length = 0;
  return { pa: r.pa, updates: r.updates.map((u) => ({ addr: u.pa, value: u.value })) };
}

/**
 * MEM-ACCESS-1: translate and check every byte range of an access (split at page boundaries for a
 * misaligned access), returning one physical address per piece, before any byte is touched.
 * tval of a fault is the virtual address of the piece that faulted. The walks' A/D
 * updates are made only once every piece has translated and passed PMP.
 */
export function resolve(c: Core, va: number, size: number, acc: Access, mode: Mode = effectiveMode(c, acc)): Array<[number, number]> | Fault {
  const priv = mode.priv;
  const first = 4096 - (va & 0xfff);
  const pieces: Array<[number, number]> = size <= first ? [[va >>> 0, size]] : [[va >>> 0, first], [(va + first) >>> 0, size - first]];
  const out: Array<[number, number]> = [];
  const updates: Array<{ addr: number; value: number }> = [];
  for (const [pva, n] of pieces) {
    // HLVX reads with execute permission: a translation the cache does not key on.
    const cacheable = mode.hlvx !== true;
    const hit = cacheable ? tlbLookup(c, pva, acc, priv, mode.v) : -1;
    if (hit >= 0) { out.push([hit, n]); continue; }
    const ptes: number[] = [];
    const t = translate(c, pva, acc, ptes, mode);
    if ('cause' in t) return t;
    const pa = t.pa;
    if (!pmpAllows(c, pa, n, acc, priv)) return accessFault(acc, pva);
    if (t.updates.length > 0) updates.push(...t.updates);
    // ENG-TLB-1: cache only walks without side effects whose whole page passes PMP.
    else if (cacheable && ptes.length > 0 && pmpAllows(c, pa - (pa & 0xfff), 4096, acc, priv)) tlbFill(c, pva, acc, priv, mode.v, pa, ptes);
    out.push([pa, n]);
  }
  for (const u of updates) c.mem.writeLE(u.addr, 4, u.value);
  return out;
}

/** MEM-ACCESS-1: the virtual address of the first piece that is not RAM (the faulting portion), else `va`. */
export function faultingPiece(c: Core, va: number, pieces: Array<[number, number]>): number {
  let v = va;
  for (const [pa, n] of pieces) {
    if (pieces.length > 1 && !inRam(c, pa, n)) return v >>> 0;
    v += n;
  }
  return va >>> 0;
}

/** Read `size` bytes at physical pieces; MMIO goes to the devices. Null means an access fault. */
export function physRead(c: Core, pieces: Array<[number, number]>, size: number): number | null {
  if (pieces.length === 1) {
    const [pa, n] = pieces[0]!;
    if (inRam(c, pa, n)) return c.mem.read(pa, n);
    const e = mmioRead(c.config, c.dev, pa, n, timeOf(c));
    if (e === null) return null;
    c.dev = e.dev;
    refreshLines(c);
    return e.v >>> 0;
  }
  // A page-crossing access: each piece must be RAM (devices take only aligned accesses).
  if (!pieces.every(([pa, n]) => inRam(c, pa, n))) return null;
  let v = 0, shift = 0;
  for (const [pa, n] of pieces) {
    for (let k = 0; k < n; k++, shift += 8) v += c.mem.read(pa + k, 1) * 2 ** shift;
  }
  return size === 4 ? v >>> 0 : v;
}

/** Write `size` bytes of v to physical pieces. Returns false for an access fault (nothing written). */
export function physWrite(c: Core, pieces: Array<[number, number]>, v: number): boolean {
  if (pieces.length === 1) {
    const [pa, n] = pieces[0]!;
    if (inRam(c, pa, n)) { c.mem.writeLE(pa, n, v); return true; }
    const e = mmioWrite(c.config, c.dev, pa, n, v >>> 0, timeOf(c));
    if (e === null) return false;
    c.dev = e.dev;
    if (e.out !== undefined) c.out += e.out;
    if (e.time !== undefined) { c.timeLo = e.time.lo; c.timeHi = e.time.hi; }
    refreshLines(c);
    if (e.finish !== undefined) c.halt = e.finish.kind === 'exit' ? { reason: 'exit', code: e.finish.code, via: 'finisher' } : { reason: 'reset' };
    return true;
  }
  if (!pieces.every(([pa, n]) => inRam(c, pa, n))) return false;
  let shift = 0;
  for (const [pa, n] of pieces) for (let k = 0; k < n; k++, shift += 8) c.mem.writeByte(pa + k, (v >>> shift) & 0xff);
  return true;
}
