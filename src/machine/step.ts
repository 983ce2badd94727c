/**
 * One step of one hart on a working copy (ENG-STEP-*): interrupts → fetch → decode → execute →
 * commit. Every guest behaviour ends in a defined state: retire, trap, or wait (STEP-TOTAL).
 */
import { type Core, refreshLines } from './core.js';
import { accessFault, effectiveMode, faultingPiece, inRam, pmpAllows, misalignedFault, physRead, physWrite, pmpTable, resolve, type Fault } from './access.js';
import { tlbLookup } from './tlb.js';
import type { Mode } from './access.js';
import { extensionOf, type Extension, isZicntrCsr } from './isa-string.js';
import { decode } from '../isa/decode.js';
import type { Inst, Op } from '../isa/inst.js';
import { SEMANTICS, type Semantics } from '../hart/semantics.js';
import type { Outcome } from '../hart/outcome.js';
import { EXC, MSTATUS, SSTATUS_MASK } from '../hart/csr-bits.js';
import { csrCheck, csrRead, csrReadForRmw, csrWrite, type CsrEnv } from '../hart/csrs.js';
import { mret, NO_INFO, sret, takeTrap, type TrapInfo } from '../hart/trap.js';
import { pendingInterrupt } from '../hart/interrupts.js';
import { PRV_M, PRV_S, PRV_U } from '../hart/state.js';
import { htifService } from './htif-service.js';
import { HTIF_SETTLE } from '../devices/htif.js';
import { amoResult } from '../hart/amo.js';
import { newRecord } from './commit-record.js';

interface Decoded { inst: Inst; sem: Semantics<Op>; ext: Extension | null }
const DECODED = new Map<number, Decoded>();
const DECODE_CACHE_LIMIT = 1 << 16;

/** decode, memoised by instruction word (decode is a pure function, so this is only a cache). */
export function decodeCached(word: number): Decoded {
  let d = DECODED.get(word);
  if (d === undefined) {
    if (DECODED.size >= DECODE_CACHE_LIMIT) DECODED.clear();
    const inst = decode(word);
    d = { inst, sem: SEMANTICS[inst.op] as Semantics<Op>, ext: extensionOf(inst.op) };
    DECODED.set(word, d);
  }
  return d;
}

/** The CSR environment of the current hart. */
export const csrEnv = (c: Core): CsrEnv => ({
  misa: c.isa.misa, pmpEntries: c.config.pmpEntries, pmpGranularity: c.config.pmpGranularity,
  timeLo: c.timeLo, timeHi: c.timeHi, lines: c.lines[c.hart.id] ?? 0,
});

/** mip as the hart sees it now (with H, hvip's VS-level bits too). */
export const mipOf = (c: Core): number =>
  (c.hart.csr.mipSw | (c.lines[c.hart.id] ?? 0) | (c.isa.h ? c.hart.csr.hvip & 0x444 : 0)) >>> 0;

/** Causes whose tval is a virtual address (so, from V = 1, a guest virtual address: HV-TRAP-GVA). */
const ADDRESS_TVAL = (1 << 0) | (1 << 1) | (1 << 3) | (1 << 4) | (1 << 5) | (1 << 6) | (1 << 7) |
  (1 << 12) | (1 << 13) | (1 << 15) | (1 << 20) | (1 << 21) | (1 << 23);

function trap(c: Core, cause: number, tval: number, info?: TrapInfo): void {
  if (c.rec) c.rec.trap = { cause, tval };
  const h = c.hart;
  // HV-TRAP-GVA, HV-MPRV: a data access made with MPRV and MPV = 1 is a V = 1 access too.
  const data = cause === 4 || cause === 5 || cause === 6 || cause === 7;
  const v = data ? effectiveMode(c, 'r').v : h.v;
  const gva = v === 1 && (cause & 0x80000000) === 0 && ((ADDRESS_TVAL >>> cause) & 1) !== 0;
  takeTrap(h, cause, tval, info ?? (gva ? { tval2: 0, tinst: 0, gva } : NO_INFO));
}
const fault = (c: Core, f: Fault): void => trap(c, f.cause, f.tval, f.info);

/**
 * PRIV-CNT-2: a retired instruction advances minstret and mcycle (unless inhibited in
 * mcountinhibit) and mtime by ticksPerInstruction. Traps and interrupts do not retire.
 */
function retire(c: Core): void {
  const h = c.hart;
  const inhibit = h.csr.mcountinhibit;
  if ((inhibit & 4) === 0 && (h.instretLo = (h.instretLo + 1) >>> 0) === 0) h.instretHi = (h.instretHi + 1) >>> 0;
  if ((inhibit & 1) === 0 && (h.cycleLo = (h.cycleLo + 1) >>> 0) === 0) h.cycleHi = (h.cycleHi + 1) >>> 0;
  if (h.id === 0) {
    c.timeLo += c.config.ticksPerInstruction;
    if (c.timeLo >= 4294967296) { c.timeLo -= 4294967296; c.timeHi = (c.timeHi + 1) >>> 0; }
    if (c.timeHi > c.wakeHi || (c.timeHi === c.wakeHi && c.timeLo >= c.wakeLo)) refreshLines(c);
  }
}

function writeRd(c: Core, rd: number, v: number): void {
  if (rd === 0) return;
  c.hart.x[rd] = v;
  if (c.rec) c.rec.regs.push([rd, v | 0]);
}

/** ISA-MEM-MISALIGNED: the configured policy for plain loads and stores; LR/SC/AMO always trap. */
const misaligned = (c: Core, addr: number, size: number, atomic: boolean): boolean =>
  addr % size !== 0 && (atomic || c.config.misaligned === 'trap');

/** ISA-A-RES: any store that overlaps the reserved word invalidates the reservation. */
function storeHits(c: Core, pieces: Array<[number, number]>): void {
  for (const [pa, n] of pieces) storeHit(c, pa, n);
}

/** A store of `n` bytes at `pa` happened: reservations, watched pages and HTIF take note (also for a VMM's SBI stores). */
export function storeHit(c: Core, pa: number, n: number): void {
  const hs = c.harts;
  for (let i = 0; i < hs.length; i++) {
    const h = hs[i]!;
    if (h.reservation >= 0 && pa < h.reservation + 4 && pa + n > h.reservation) h.reservation = -1;
  }
  if (c.storeWatch !== null && c.storeWatch.has(pa - (pa % 4096))) c.storeWatchHit = true;
  // DEV-HTIF-2: note stores to tohost's low and high words.
  const t = c.htif.tohost;
  if (t < 0) return;
  if (pa < t + 4 && pa + n > t) c.htifLow = true;
  if (pa < t + 8 && pa + n > t + 4) c.htifHigh = true;
}

/**
 * Fast path with the same result as `resolve`: the physical address of an access that stays in one
 * page and needs no walk (M-mode without locked PMP entries) or hits the translation cache; -1 otherwise.
 */
function quickPa(c: Core, va: number, size: number, acc: 'r' | 'w' | 'x'): number {
  if ((va & 0xfff) + size > 4096) return -1;
  const mode = acc === 'x' ? c.hart : effectiveMode(c, acc);
  const priv = mode.priv;
  if (priv === PRV_M) return pmpTable(c).anyLocked || (va & 3) + size > 4 ? -1 : va >>> 0;
  return tlbLookup(c, va, acc, priv, mode.v);
}

function load(c: Core, o: Extract<Outcome, { k: 'load' }>): void {
  if (misaligned(c, o.addr, o.size, false)) return fault(c, misalignedFault('r', o.addr));
  const q = quickPa(c, o.addr, o.size, 'r');
  let raw: number | null;
  if (q >= 0 && inRam(c, q, o.size)) raw = c.mem.read(q, o.size);
  else {
    const pieces = resolve(c, o.addr, o.size, 'r');
    if (!Array.isArray(pieces)) return fault(c, pieces);
    raw = physRead(c, pieces, o.size);
    if (raw === null) return fault(c, accessFault('r', faultingPiece(c, o.addr, pieces)));
  }
  const v = o.signed ? (o.size === 1 ? (raw << 24) >> 24 : o.size === 2 ? (raw << 16) >> 16 : raw | 0) : raw;
  if (c.rec) c.rec.mem.push({ op: 'r', addr: o.addr, size: o.size, value: raw });
  writeRd(c, o.rd, v);
  advance(c);
}

function store(c: Core, o: Extract<Outcome, { k: 'store' }>): void {
  if (misaligned(c, o.addr, o.size, false)) return fault(c, misalignedFault('w', o.addr));
  const v = o.size === 4 ? o.v >>> 0 : o.v & (o.size === 2 ? 0xffff : 0xff);
  const q = quickPa(c, o.addr, o.size, 'w');
  if (q >= 0 && inRam(c, q, o.size)) {
    c.mem.writeLE(q, o.size, v);
    storeHit(c, q, o.size);
  } else {
    const pieces = resolve(c, o.addr, o.size, 'w');
    if (!Array.isArray(pieces)) return fault(c, pieces);
    if (!physWrite(c, pieces, v)) return fault(c, accessFault('w', faultingPiece(c, o.addr, pieces)));
    storeHits(c, pieces);
  }
  if (c.rec) c.rec.mem.push({ op: 'w', addr: o.addr, size: o.size, value: v });
  advance(c);
}

/** Atomics need RAM (PMA: devices support no LR/SC/AMO); elsewhere they raise an access fault. */
function atomicPa(c: Core, addr: number, acc: 'r' | 'w'): number | Fault {
  const pieces = resolve(c, addr, 4, acc);
  if (!Array.isArray(pieces)) return pieces;
  const pa = pieces[0]![0];
  return inRam(c, pa, 4) ? pa : accessFault(acc, addr);
}

function atomic(c: Core, o: Extract<Outcome, { k: 'lr' | 'sc' | 'amo' }>): void {
  const h = c.hart;
  if (misaligned(c, o.addr, 4, true)) return fault(c, misalignedFault(o.k === 'lr' ? 'r' : 'w', o.addr));
  const pa = atomicPa(c, o.addr, o.k === 'lr' ? 'r' : 'w');
  if (typeof pa !== 'number') return fault(c, pa);
  if (o.k === 'lr') {
    // ISA-A-LR: LR.W loads and registers a reservation on the physical word.
    const v = c.mem.read(pa, 4);
    h.reservation = pa;
    if (c.rec) c.rec.mem.push({ op: 'r', addr: o.addr, size: 4, value: v });
    writeRd(c, o.rd, v | 0);
  } else if (o.k === 'sc') {
    // ISA-A-SC: SC.W succeeds (rd = 0) only with a valid reservation on this word; either way the
    // reservation is gone afterwards.
    const ok = h.reservation === pa;
    h.reservation = -1;
    if (ok) {
      c.mem.writeLE(pa, 4, o.v >>> 0);
      storeHits(c, [[pa, 4]]);
      if (c.rec) c.rec.mem.push({ op: 'w', addr: o.addr, size: 4, value: o.v >>> 0 });
    }
    writeRd(c, o.rd, ok ? 0 : 1);
  } else {
    // ISA-A-AMO: rd gets the old value; memory gets op(old, rs2), as one indivisible step.
    const old = c.mem.read(pa, 4);
    const nv = amoResult(o.op, old | 0, o.v) >>> 0;
    c.mem.writeLE(pa, 4, nv);
    storeHits(c, [[pa, 4]]);
    if (c.rec) {
      c.rec.mem.push({ op: 'r', addr: o.addr, size: 4, value: old });
      c.rec.mem.push({ op: 'w', addr: o.addr, size: 4, value: nv });
    }
    writeRd(c, o.rd, old | 0);
  }
  advance(c);
}

/** HV-HLV: the effective mode of HLV/HLVX/HSV: V = 1 at privilege hstatus.SPVP. */
const hyperMode = (c: Core, hlvx: boolean): Mode => ({ priv: (c.hart.csr.hstatus & (1 << 8)) !== 0 ? PRV_S : PRV_U, v: 1, hlvx });

/** A fault of HLV/HLVX/HSV reports a guest virtual address even from V = 0 (HV-TRAP-GVA). */
const withGva = (f: Fault): Fault => ({ ...f, info: { tval2: f.info?.tval2 ?? 0, tinst: f.info?.tinst ?? 0, gva: true } });

function hlv(c: Core, o: Extract<Outcome, { k: 'hlv' }>): void {
  if (misaligned(c, o.addr, o.size, false)) return fault(c, withGva(misalignedFault('r', o.addr)));
  const mode = hyperMode(c, o.x);
  const pieces = resolve(c, o.addr, o.size, 'r', mode);
  if (!Array.isArray(pieces)) return fault(c, withGva(pieces));
  // HV-HLV: HLVX needs the physical memory to be executable too (PMP X, and PMA: RAM only).
  if (o.x && !pieces.every(([pa, n]) => inRam(c, pa, n) && pmpAllows(c, pa, n, 'x', mode.priv))) {
    return fault(c, withGva(accessFault('r', faultingPiece(c, o.addr, pieces))));
  }
  const raw = physRead(c, pieces, o.size);
  if (raw === null) return fault(c, withGva(accessFault('r', faultingPiece(c, o.addr, pieces))));
  if (c.rec) c.rec.mem.push({ op: 'r', addr: o.addr, size: o.size, value: raw });
  writeRd(c, o.rd, o.signed ? (o.size === 1 ? (raw << 24) >> 24 : o.size === 2 ? (raw << 16) >> 16 : raw | 0) : raw);
  advance(c);
}

function hsv(c: Core, o: Extract<Outcome, { k: 'hsv' }>): void {
  if (misaligned(c, o.addr, o.size, false)) return fault(c, withGva(misalignedFault('w', o.addr)));
  const pieces = resolve(c, o.addr, o.size, 'w', hyperMode(c, false));
  if (!Array.isArray(pieces)) return fault(c, withGva(pieces));
  const v = o.size === 4 ? o.v >>> 0 : o.v & (o.size === 2 ? 0xffff : 0xff);
  if (!physWrite(c, pieces, v)) return fault(c, withGva(accessFault('w', faultingPiece(c, o.addr, pieces))));
  storeHits(c, pieces);
  if (c.rec) c.rec.mem.push({ op: 'w', addr: o.addr, size: o.size, value: v });
  advance(c);
}

function csrOp(c: Core, o: Extract<Outcome, { k: 'csr' }>, word: number): void {
  const h = c.hart;
  const env = csrEnv(c);
  if (!c.isa.zicntr && isZicntrCsr(o.csr)) return trap(c, EXC.ILLEGAL, word);
  const chk = csrCheck(h, o.csr, !o.noWrite, env);
  if (!chk.ok) return trap(c, chk.cause === 'virtual' ? EXC.VIRTUAL : EXC.ILLEGAL, word);
  const num = chk.num;
  const old = o.noRead ? 0 : csrRead(h, num, env);
  const base = o.op === 'w' ? 0 : csrReadForRmw(h, num, env);
  // PRIV-CNT-3: the instruction retires first, so a write to a counter is what the next one reads.
  writeRd(c, o.rd, old | 0);
  advance(c);
  if (!o.noWrite) {
    const nv = o.op === 'w' ? o.src : o.op === 's' ? base | o.src : base & ~o.src;
    csrWrite(h, num, nv, env);
    if (c.rec) c.rec.csrs.push([num, csrRead(h, num, csrEnv(c))]);
  }
}

/** pc + 4 and retire. */
function advance(c: Core): void {
  c.hart.pc = (c.hart.pc + 4) >>> 0;
  retire(c);
}

function commit(c: Core, o: Outcome, word: number): void {
  const h = c.hart;
  switch (o.k) {
    case 'wr': writeRd(c, o.rd, o.v); return advance(c);
    case 'next': return advance(c);
    case 'jump':
      // ISA-JUMP-ALIGN: a taken branch or jump to a target that is not 4-byte aligned raises
      // instruction-address-misaligned on the jump itself, with tval = target (IALIGN = 32).
      if ((o.target & 3) !== 0) return trap(c, EXC.INSN_MISALIGNED, o.target);
      writeRd(c, o.rd, o.v);
      h.pc = o.target;
      return retire(c);
    case 'load': return load(c, o);
    case 'store': return store(c, o);
    case 'lr': case 'sc': case 'amo': return atomic(c, o);
    case 'csr': return csrOp(c, o, word);
    case 'trap':
      // PRIV-ECALL, HV-ECALL: the environment-call cause encodes the mode it came from: 8 from U or
      // VU, 9 from HS, 10 from VS, 11 from M.
      return trap(c, o.cause === EXC.ECALL_U ? (h.v === 1 ? (h.priv === PRV_S ? EXC.ECALL_VS : EXC.ECALL_U) : EXC.ECALL_U + h.priv) : o.cause, o.tval);
    case 'mret':
      // PRIV-XRET-1: MRET is legal only in M-mode.
      if (h.priv !== PRV_M) return trap(c, EXC.ILLEGAL, word);
      mret(h);
      if (c.rec) c.rec.csrs.push([0x300, h.csr.mstatus]);
      return retire(c);
    case 'sret': {
      // PRIV-XRET-2: SRET is illegal in U-mode, and in S-mode when mstatus.TSR = 1 (§3.1.6.5).
      // HV-VIRTUAL: with V = 1 it raises a virtual-instruction exception in VU-mode, and in VS-mode
      // when hstatus.VTSR = 1 (TSR affects only HS-mode).
      const bad = sensitive(c, (h.csr.mstatus & MSTATUS.TSR) !== 0, (h.csr.hstatus & HSTATUS_VTSR) !== 0);
      if (bad !== 0) return trap(c, bad, word);
      sret(h);
      if (c.rec) c.rec.csrs.push([0x100, (h.csr.mstatus & SSTATUS_MASK) >>> 0]);
      return retire(c);
    }
    case 'wfi': {
      // PRIV-WFI: illegal in U-mode, and in S-mode when mstatus.TW = 1; otherwise the hart waits.
      // HV-VIRTUAL: TW = 1 makes it illegal in every mode below M; with V = 1 it is virtual in
      // VU-mode, and in VS-mode when hstatus.VTW = 1.
      if (h.priv !== PRV_M && (h.csr.mstatus & MSTATUS.TW) !== 0) return trap(c, EXC.ILLEGAL, word);
      const bad = sensitive(c, false, (h.csr.hstatus & HSTATUS_VTW) !== 0);
      if (bad !== 0) return trap(c, bad, word);
      h.waiting = true;
      return advance(c);
    }
    case 'fence.i': return advance(c);
    case 'sfence.vma': {
      // PRIV-SFENCE: illegal in U-mode, and in S-mode when mstatus.TVM = 1 (§3.1.6.5).
      // HV-VIRTUAL: with V = 1, virtual in VU-mode, and in VS-mode when hstatus.VTVM = 1.
      const bad = sensitive(c, (h.csr.mstatus & MSTATUS.TVM) !== 0, (h.csr.hstatus & HSTATUS_VTVM) !== 0);
      if (bad !== 0) return trap(c, bad, word);
      return advance(c);
    }
    case 'hfence': {
      // HV-HFENCE: legal in M and HS (HFENCE.GVMA not when mstatus.TVM = 1); illegal in U; virtual
      // with V = 1. popek has no TLB, so they order nothing else (spec/translation.md).
      if (h.v === 1) return trap(c, EXC.VIRTUAL, word);
      if (h.priv === PRV_U || (h.priv === PRV_S && o.gvma && (h.csr.mstatus & MSTATUS.TVM) !== 0)) return trap(c, EXC.ILLEGAL, word);
      return advance(c);
    }
    case 'hlv': case 'hsv': {
      // HV-HLV: legal in M and HS, and in U when hstatus.HU = 1; virtual with V = 1.
      if (h.v === 1) return trap(c, EXC.VIRTUAL, word);
      if (h.priv === PRV_U && (h.csr.hstatus & HSTATUS_HU) === 0) return trap(c, EXC.ILLEGAL, word);
      return o.k === 'hlv' ? hlv(c, o) : hsv(c, o);
    }
    default: {
      const never: never = o;
      return never;
    }
  }
}

const HSTATUS_HU = 1 << 9, HSTATUS_VTVM = 1 << 20, HSTATUS_VTW = 1 << 21, HSTATUS_VTSR = 1 << 22;

/**
 * The exception for a supervisor instruction (SRET, WFI, SFENCE.VMA) in the current mode, or 0:
 * illegal in U-mode and in HS-mode when `hsTrap`; with V = 1 (HV-VIRTUAL), virtual in VU-mode and
 * in VS-mode when `vsTrap`.
 */
function sensitive(c: Core, hsTrap: boolean, vsTrap: boolean): number {
  const h = c.hart;
  if (h.v === 1) return h.priv === PRV_U || vsTrap ? EXC.VIRTUAL : 0;
  return h.priv === PRV_U || (h.priv === PRV_S && hsTrap) ? EXC.ILLEGAL : 0;
}

/** Fetch the instruction word at pc: translation, PMP and PMA for an execute access. */
function fetch(c: Core, pc: number): number | Fault {
  const q = quickPa(c, pc, 4, 'x');
  if (q >= 0) return inRam(c, q, 4) ? c.mem.read(q, 4) : accessFault('x', pc);
  const pieces = resolve(c, pc, 4, 'x');
  if (!Array.isArray(pieces)) return pieces;
  const [pa] = pieces[0]!;
  // PMA-EXEC: only RAM is executable; fetching from a device region or a hole is an access fault.
  if (!inRam(c, pa, 4)) return accessFault('x', pc);
  return c.mem.read(pa, 4);
}

/** WFI-1: a waiting hart resumes when some interrupt is pending and enabled in mie (§3.3.3). */
const wakes = (c: Core): boolean => (mipOf(c) & c.hart.csr.mie) !== 0;

/**
 * Step hart `c.hart` once: take a pending interrupt, or execute one instruction, or (when waiting)
 * let time pass to the next timer event.
 */
export function stepHart(c: Core): void {
  if (c.halt !== null) return;
  const h = c.hart;
  if (c.rec) c.rec = newRecord(h.id, h.priv, h.pc);
  if (h.waiting) {
    if (!wakes(c)) return idle(c);
    h.waiting = false;
  }
  const irq = pendingInterrupt(h, mipOf(c));
  if (irq >= 0) return trap(c, irq, 0);
  c.htifLow = c.htifHigh = false;
  const w = fetch(c, h.pc);
  if (typeof w !== 'number') return fault(c, w);
  if (c.rec) c.rec.word = w;
  const d = decodeCached(w);
  if (d.ext !== null && !c.isa[d.ext]) return trap(c, EXC.ILLEGAL, w);
  commit(c, d.sem(d.inst as never, h.pc, h.x), w);
  if (c.htifLow || c.htifHigh || c.htif.settle > 0) htifAfterStep(c);
}

/** DEV-HTIF-2: take a tohost command once both halves are written, or after it settles. */
export function htifAfterStep(c: Core): void {
  const s = c.htif;
  if (c.htifLow || c.htifHigh) {
    const low = s.low || c.htifLow, high = s.high || c.htifHigh;
    if (low && high) return htifService(c);
    c.htif = { ...s, low, high, settle: HTIF_SETTLE };
  } else if (s.settle === 1) htifService(c);
  else c.htif = { ...s, settle: s.settle - 1 };
}

/** WFI-2: with nothing to do, time jumps to the next timer event (hart 0 keeps time). */
function idle(c: Core): void {
  if (c.hart.id !== 0 || c.wakeHi === Infinity) return;
  c.timeLo = c.wakeLo;
  c.timeHi = c.wakeHi;
  refreshLines(c);
}
