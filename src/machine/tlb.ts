/**
 * An exact translation cache (ENG-TLB-*): a speed-up of the reference engine that never changes a
 * result. popek's architecture has no TLB — every access walks the page table (spec/translation.md)
 * — so a cached translation is used only while it is certain to equal a fresh walk: it is dropped
 * when satp, SUM/MXR, the PMP CSRs change, or when any page holding a PTE it was built from is
 * written; with the H extension, also when vsatp, hgatp or vsstatus.SUM/MXR change (the PTE pages
 * of both stages are watched). An entry means: an access of this kind at any address of this
 * virtual page, at this effective privilege and virtualization mode, reaches this physical page with no A/D update and passes PMP.
 */
import { MemWriter } from '../memory/store.js';
import { MSTATUS } from '../hart/csr-bits.js';
import type { Core } from './core.js';
import type { Access } from '../memory/pmp.js';

export interface Tlb {
  readonly map: Map<number, number>;
  readonly pages: Set<number>;
  satp: number;
  sumMxr: number;
  /** The V = 1 context: vsatp, hgatp and vsstatus.SUM/MXR (H extension). */
  vsatp: number;
  hgatp: number;
  vsSumMxr: number;
  cfg: readonly number[] | null;
  addr: readonly number[] | null;
}

export const newTlb = (): Tlb => ({ map: new Map(), pages: new Set(), satp: -1, sumMxr: -1, vsatp: -1, hgatp: -1, vsSumMxr: -1, cfg: null, addr: null });

const ACC: Record<Access, number> = { r: 0, w: 1, x: 2 };
const key = (va: number, acc: Access, priv: number, v: number): number => ((((va >>> 12) * 4 + ACC[acc]) * 4) + priv) * 2 + v;

/** The cache of `c`, cleared first if its context changed or a watched page was written; null if unusable. */
function valid(c: Core): Tlb | null {
  const t = c.tlb;
  const mem = c.mem;
  if (t === null || !(mem instanceof MemWriter)) return null;
  const h = c.hart.csr;
  const sumMxr = h.mstatus & (MSTATUS.SUM | MSTATUS.MXR);
  const vsSumMxr = h.vsstatus & (MSTATUS.SUM | MSTATUS.MXR);
  if (mem.watchHit || t.satp !== h.satp || t.sumMxr !== sumMxr || t.cfg !== h.pmpcfg || t.addr !== h.pmpaddr ||
    t.vsatp !== h.vsatp || t.hgatp !== h.hgatp || t.vsSumMxr !== vsSumMxr) {
    t.map.clear();
    t.pages.clear();
    mem.watch = t.pages;
    mem.watchHit = false;
    t.satp = h.satp;
    t.sumMxr = sumMxr;
    t.vsatp = h.vsatp;
    t.hgatp = h.hgatp;
    t.vsSumMxr = vsSumMxr;
    t.cfg = h.pmpcfg;
    t.addr = h.pmpaddr;
  }
  return t;
}

/** The cached physical address for `va` accessed at privilege `priv` with virtualization mode `v`, or -1. */
export function tlbLookup(c: Core, va: number, acc: Access, priv: number, v: number): number {
  const t = valid(c);
  if (t === null) return -1;
  const pa = t.map.get(key(va, acc, priv, v));
  return pa === undefined ? -1 : pa + (va & 0xfff);
}

/** Remember a side-effect-free translation of `va`'s page, built from PTEs in `ptePages`. */
export function tlbFill(c: Core, va: number, acc: Access, priv: number, v: number, pa: number, ptePages: readonly number[]): void {
  const t = valid(c);
  if (t === null) return;
  if (t.map.size >= 4096) { t.map.clear(); t.pages.clear(); }
  for (const p of ptePages) t.pages.add(p);
  t.map.set(key(va, acc, priv, v), pa - (pa & 0xfff));
}
