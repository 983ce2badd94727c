/**
 * The CSR table (PRIV-CSR-*): for every implemented CSR number, its name, how it reads, and how a
 * write is legalised (WARL) into the raw storage of `CsrFile`. Access checks (privilege, read-only,
 * counter enables, TVM) are in `csrCheck`. Unlisted numbers do not exist: any access is illegal.
 */
import {
  COUNTEREN_WRITABLE, COUNTINHIBIT_WRITABLE, ENVCFG_WRITABLE, MEDELEG_WRITABLE, MIDELEG_WRITABLE,
  MIE_WRITABLE, MIP_SEIP, MIP_SW_WRITABLE, MSTATUS, MSTATUS_WRITABLE, SSTATUS_MASK,
} from './csr-bits.js';
import { type HartState, PRV_M, PRV_S, PRV_U } from './state.js';
import { legalizePmpcfg, pmpaddrLocked, readPmpaddr } from '../memory/pmp.js';

/** What a CSR access can see besides the hart: platform constants and device-driven values. */
export interface CsrEnv {
  misa: number;
  pmpEntries: number;
  pmpGranularity: number;
  /** mtime, as two halves. */
  timeLo: number;
  timeHi: number;
  /** Interrupt lines driven by devices, in mip bit positions (MSIP, MTIP, MEIP, SEIP). */
  lines: number;
}

interface CsrDef {
  name: string;
  /** Exists only on a hart with the H extension (misa.H). */
  h?: boolean;
  read(h: HartState, e: CsrEnv): number;
  /** Absent: the CSR is read-only (writes by CSR instructions are illegal; see csrCheck). */
  write?(h: HartState, v: number, e: CsrEnv): void;
}

const TABLE = new Map<number, CsrDef>();
const def = (num: number, name: string, read: CsrDef['read'], write?: CsrDef['write']): void => {
  TABLE.set(num, write ? { name, read, write } : { name, read });
};
/** Define a CSR of the H extension. */
const defH = (num: number, name: string, read: CsrDef['read'], write?: CsrDef['write']): void => {
  TABLE.set(num, write ? { name, h: true, read, write } : { name, h: true, read });
};
/** Whether the hart has the H extension (misa bit 7). */
export const hasH = (e: CsrEnv): boolean => (e.misa & 0x80) !== 0;
/** VS-level interrupt bits in mip/mie: VSSIP (2), VSTIP (6), VSEIP (10); SGEIP (12). */
const VS_IRQS = 0x444;
const H_IRQS = 0x1444;
const zero = (): number => 0;
const ignore = (): void => {};

/** PRIV-CSR-MPP: MPP is WARL over {U, S, M}; writing the reserved value 2 keeps the old MPP. */
const legalMstatus = (old: number, v: number): number => {
  let n = (old & ~MSTATUS_WRITABLE) | (v & MSTATUS_WRITABLE);
  if (((n >>> MSTATUS.MPP_SHIFT) & 3) === 2) n = (n & ~MSTATUS.MPP) | (old & MSTATUS.MPP);
  return n >>> 0;
};
/** PRIV-CSR-TVEC: MODE values >= 2 are reserved; popek keeps the previous MODE and writes BASE. */
const legalTvec = (old: number, v: number): number => ((v & 3) >= 2 ? (v & ~3) | (old & 3) : v) >>> 0;
/** mip as read: software bits ORed with device lines (§3.1.9), and hvip's VS-level bits with H. */
export const mipValue = (h: HartState, e: CsrEnv): number => (h.csr.mipSw | e.lines | (hasH(e) ? h.csr.hvip & VS_IRQS : 0)) >>> 0;

// --- Machine information registers (§3.1.1–3.1.6): read-only.
def(0xf11, 'mvendorid', zero);
def(0xf12, 'marchid', zero);
def(0xf13, 'mimpid', zero);
def(0xf14, 'mhartid', (h) => h.id);
def(0xf15, 'mconfigptr', zero);

// --- Machine trap setup.
def(0x300, 'mstatus', (h) => h.csr.mstatus, (h, v) => { h.csr.mstatus = legalMstatus(h.csr.mstatus, v); });
// PRIV-CSR-MISA: misa is read-only in popek (WARL allows it); writes are ignored.
def(0x301, 'misa', (_h, e) => e.misa, ignore);
// HV-CSR-DELEG: with H, ecall-from-VS (10), the guest-page faults (20, 21, 23) and virtual
// instruction (22) become delegable.
def(0x302, 'medeleg', (h) => h.csr.medeleg, (h, v, e) => { h.csr.medeleg = v & (MEDELEG_WRITABLE | (hasH(e) ? 0xf00400 : 0)); });
def(0x312, 'medelegh', zero, ignore);
// HV-CSR-DELEG: with H, mideleg's VS-level and SGEI bits are read-only one.
def(0x303, 'mideleg', (h, e) => (h.csr.mideleg | (hasH(e) ? H_IRQS : 0)) >>> 0, (h, v) => { h.csr.mideleg = v & MIDELEG_WRITABLE; });
def(0x304, 'mie', (h) => h.csr.mie, (h, v, e) => { h.csr.mie = v & (MIE_WRITABLE | (hasH(e) ? H_IRQS : 0)); });
def(0x305, 'mtvec', (h) => h.csr.mtvec, (h, v) => { h.csr.mtvec = legalTvec(h.csr.mtvec, v); });
def(0x306, 'mcounteren', (h) => h.csr.mcounteren, (h, v) => { h.csr.mcounteren = v & COUNTEREN_WRITABLE; });
// mstatush holds SBE/MBE (zero: little-endian) and, with H, MPV (bit 7) and GVA (bit 6).
def(0x310, 'mstatush', (h) => h.csr.mstatush, (h, v, e) => { h.csr.mstatush = hasH(e) ? v & 0xc0 : 0; });
def(0x30a, 'menvcfg', (h) => h.csr.menvcfg, (h, v) => { h.csr.menvcfg = v & ENVCFG_WRITABLE; });
def(0x31a, 'menvcfgh', zero, ignore);
def(0x320, 'mcountinhibit', (h) => h.csr.mcountinhibit, (h, v) => { h.csr.mcountinhibit = v & COUNTINHIBIT_WRITABLE; });
for (let n = 3; n < 32; n++) def(0x320 + n, `mhpmevent${n}`, zero, ignore);

// --- Machine trap handling. PRIV-CSR-EPC: with IALIGN=32, mepc[1:0] read as zero.
def(0x340, 'mscratch', (h) => h.csr.mscratch, (h, v) => { h.csr.mscratch = v >>> 0; });
def(0x341, 'mepc', (h) => h.csr.mepc, (h, v) => { h.csr.mepc = (v & ~3) >>> 0; });
def(0x342, 'mcause', (h) => h.csr.mcause, (h, v) => { h.csr.mcause = v >>> 0; });
def(0x343, 'mtval', (h) => h.csr.mtval, (h, v) => { h.csr.mtval = v >>> 0; });
def(0x344, 'mip', mipValue, (h, v, e) => {
  h.csr.mipSw = v & MIP_SW_WRITABLE;
  // HV-CSR-IP: mip.VSSIP is an alias of hvip.VSSIP.
  if (hasH(e)) h.csr.hvip = (h.csr.hvip & ~0x4) | (v & 0x4);
});

// --- Memory protection (§3.7). PMP-CFG-1 / PMP-ADDR-1 / PMP-LOCK-1.
for (let r = 0; r < 16; r++) {
  def(0x3a0 + r, `pmpcfg${r}`, (h, e) => {
    let v = 0;
    for (let k = 3; k >= 0; k--) v = (v << 8) | (r * 4 + k < e.pmpEntries ? h.csr.pmpcfg[r * 4 + k]! : 0);
    return v >>> 0;
  }, (h, v, e) => {
    const cfg = h.csr.pmpcfg.slice();
    for (let k = 0; k < 4; k++) {
      const i = r * 4 + k;
      if (i >= e.pmpEntries || (cfg[i]! & 0x80) !== 0) continue;
      cfg[i] = legalizePmpcfg(cfg[i]!, (v >>> (8 * k)) & 0xff, e.pmpGranularity);
    }
    h.csr.pmpcfg = cfg;
  });
}
for (let i = 0; i < 64; i++) {
  def(0x3b0 + i, `pmpaddr${i}`, (h, e) =>
    i < e.pmpEntries ? readPmpaddr(h.csr.pmpaddr[i]!, h.csr.pmpcfg[i]!, e.pmpGranularity) : 0,
  (h, v, e) => {
    if (i >= e.pmpEntries || pmpaddrLocked(h.csr.pmpcfg, i, e.pmpEntries)) return;
    const a = h.csr.pmpaddr.slice();
    a[i] = v >>> 0;
    h.csr.pmpaddr = a;
  });
}

// --- Counters (§3.1.10, Zicntr). PRIV-CNT-1: writes set one 32-bit half.
def(0xb00, 'mcycle', (h) => h.cycleLo, (h, v) => { h.cycleLo = v >>> 0; });
def(0xb80, 'mcycleh', (h) => h.cycleHi, (h, v) => { h.cycleHi = v >>> 0; });
def(0xb02, 'minstret', (h) => h.instretLo, (h, v) => { h.instretLo = v >>> 0; });
def(0xb82, 'minstreth', (h) => h.instretHi, (h, v) => { h.instretHi = v >>> 0; });
for (let n = 3; n < 32; n++) {
  def(0xb00 + n, `mhpmcounter${n}`, zero, ignore);
  def(0xb80 + n, `mhpmcounter${n}h`, zero, ignore);
  def(0xc00 + n, `hpmcounter${n}`, zero);
  def(0xc80 + n, `hpmcounter${n}h`, zero);
}
def(0xc00, 'cycle', (h) => h.cycleLo);
def(0xc80, 'cycleh', (h) => h.cycleHi);
// HV-TIME: with V = 1, time reads mtime + htimedelta (64-bit, wrapping).
const vtime = (h: HartState, e: CsrEnv): [number, number] => {
  if (h.v === 0) return [e.timeLo, e.timeHi];
  const lo = e.timeLo + h.csr.htimedeltaLo;
  return [lo % 4294967296, (e.timeHi + h.csr.htimedeltaHi + Math.floor(lo / 4294967296)) >>> 0];
};
def(0xc01, 'time', (h, e) => vtime(h, e)[0]);
def(0xc81, 'timeh', (h, e) => vtime(h, e)[1]);
def(0xc02, 'instret', (h) => h.instretLo);
def(0xc82, 'instreth', (h) => h.instretHi);

// --- Supervisor CSRs (§10.1). sstatus, sie and sip are views of the machine registers.
def(0x100, 'sstatus', (h) => (h.csr.mstatus & SSTATUS_MASK) >>> 0,
  (h, v) => { h.csr.mstatus = legalMstatus(h.csr.mstatus, (h.csr.mstatus & ~SSTATUS_MASK) | (v & SSTATUS_MASK)); });
// PRIV-CSR-SIE: sie/sip expose only the interrupts delegated in mideleg (§10.1.3).
def(0x104, 'sie', (h) => h.csr.mie & h.csr.mideleg,
  (h, v) => { h.csr.mie = (h.csr.mie & ~h.csr.mideleg) | (v & h.csr.mideleg & MIE_WRITABLE); });
def(0x144, 'sip', (h, e) => mipValue(h, e) & h.csr.mideleg,
  // Only SSIP is writable through sip; STIP and SEIP are read-only there.
  (h, v) => { const m = h.csr.mideleg & 0x2; h.csr.mipSw = (h.csr.mipSw & ~m) | (v & m); });
def(0x105, 'stvec', (h) => h.csr.stvec, (h, v) => { h.csr.stvec = legalTvec(h.csr.stvec, v); });
def(0x106, 'scounteren', (h) => h.csr.scounteren, (h, v) => { h.csr.scounteren = v & COUNTEREN_WRITABLE; });
def(0x10a, 'senvcfg', (h) => h.csr.senvcfg, (h, v) => { h.csr.senvcfg = v & ENVCFG_WRITABLE; });
def(0x140, 'sscratch', (h) => h.csr.sscratch, (h, v) => { h.csr.sscratch = v >>> 0; });
def(0x141, 'sepc', (h) => h.csr.sepc, (h, v) => { h.csr.sepc = (v & ~3) >>> 0; });
def(0x142, 'scause', (h) => h.csr.scause, (h, v) => { h.csr.scause = v >>> 0; });
def(0x143, 'stval', (h) => h.csr.stval, (h, v) => { h.csr.stval = v >>> 0; });
// PRIV-CSR-SATP: Sv32 MODE is one bit, so every value is legal; ASIDLEN = 9.
def(0x180, 'satp', (h) => h.csr.satp, (h, v) => { h.csr.satp = v >>> 0; });

// --- H extension CSRs (hypervisor chapter, "Hypervisor and Virtual Supervisor CSRs").
// HV-CSR-HSTATUS: writable GVA, SPV, SPVP, HU, VTVM, VTW, VTSR; VSBE = 0 (little-endian); VGEIN = 0 (GEILEN = 0).
defH(0x600, 'hstatus', (h) => h.csr.hstatus, (h, v) => { h.csr.hstatus = v & 0x7003c0; });
// HV-CSR-DELEG: hedeleg bits 9, 10, 11 and 20–23 are read-only zero; hideleg delegates VSSI, VSTI, VSEI.
defH(0x602, 'hedeleg', (h) => h.csr.hedeleg, (h, v) => { h.csr.hedeleg = v & 0xb1ff; });
defH(0x612, 'hedelegh', zero, ignore);
defH(0x603, 'hideleg', (h) => h.csr.hideleg, (h, v) => { h.csr.hideleg = v & VS_IRQS; });
// HV-CSR-IP: hie/hip are views of mie/mip restricted to the VS-level and SGEI bits; only VSSIP is writable in hip.
defH(0x604, 'hie', (h) => h.csr.mie & H_IRQS, (h, v) => { h.csr.mie = (h.csr.mie & ~H_IRQS) | (v & H_IRQS); });
defH(0x644, 'hip', (h, e) => mipValue(h, e) & H_IRQS, (h, v) => { h.csr.hvip = (h.csr.hvip & ~0x4) | (v & 0x4); });
defH(0x645, 'hvip', (h) => h.csr.hvip, (h, v) => { h.csr.hvip = v & VS_IRQS; });
defH(0x605, 'htimedelta', (h) => h.csr.htimedeltaLo, (h, v) => { h.csr.htimedeltaLo = v >>> 0; });
defH(0x615, 'htimedeltah', (h) => h.csr.htimedeltaHi, (h, v) => { h.csr.htimedeltaHi = v >>> 0; });
defH(0x606, 'hcounteren', (h) => h.csr.hcounteren, (h, v) => { h.csr.hcounteren = v & COUNTEREN_WRITABLE; });
defH(0x607, 'hgeie', zero, ignore);
defH(0xe12, 'hgeip', zero);
defH(0x60a, 'henvcfg', (h) => h.csr.henvcfg, (h, v) => { h.csr.henvcfg = v & ENVCFG_WRITABLE; });
defH(0x61a, 'henvcfgh', zero, ignore);
defH(0x643, 'htval', (h) => h.csr.htval, (h, v) => { h.csr.htval = v >>> 0; });
defH(0x64a, 'htinst', (h) => h.csr.htinst, (h, v) => { h.csr.htinst = v >>> 0; });
// HV-CSR-HGATP: Sv32x4 or Bare; VMIDLEN = 7; PPN[1:0] read as zero (the root table is 16 KiB aligned).
defH(0x680, 'hgatp', (h) => h.csr.hgatp, (h, v) => { h.csr.hgatp = (v & 0x9ffffffc) >>> 0; });
defH(0x34a, 'mtinst', (h) => h.csr.mtinst, (h, v) => { h.csr.mtinst = v >>> 0; });
defH(0x34b, 'mtval2', (h) => h.csr.mtval2, (h, v) => { h.csr.mtval2 = v >>> 0; });
// HV-CSR-VS: the VS CSRs, which replace the S CSRs when V = 1 (vsie/vsip shift VS-level bits down by one).
const VSSTATUS_MASK = 0xc0122; // SIE, SPIE, SPP, SUM, MXR (no FS, VS, XS, SD; UBE = 0)
defH(0x200, 'vsstatus', (h) => h.csr.vsstatus, (h, v) => { h.csr.vsstatus = v & VSSTATUS_MASK; });
defH(0x204, 'vsie', (h) => (h.csr.mie & h.csr.hideleg & VS_IRQS) >>> 1,
  (h, v) => { const m = h.csr.hideleg & VS_IRQS; h.csr.mie = (h.csr.mie & ~m) | ((v << 1) & m); });
defH(0x244, 'vsip', (h, e) => (mipValue(h, e) & h.csr.hideleg & VS_IRQS) >>> 1,
  (h, v) => { const m = h.csr.hideleg & 0x4; h.csr.hvip = (h.csr.hvip & ~m) | ((v << 1) & m); });
defH(0x205, 'vstvec', (h) => h.csr.vstvec, (h, v) => { h.csr.vstvec = legalTvec(h.csr.vstvec, v); });
defH(0x240, 'vsscratch', (h) => h.csr.vsscratch, (h, v) => { h.csr.vsscratch = v >>> 0; });
defH(0x241, 'vsepc', (h) => h.csr.vsepc, (h, v) => { h.csr.vsepc = (v & ~3) >>> 0; });
defH(0x242, 'vscause', (h) => h.csr.vscause, (h, v) => { h.csr.vscause = v >>> 0; });
defH(0x243, 'vstval', (h) => h.csr.vstval, (h, v) => { h.csr.vstval = v >>> 0; });
defH(0x280, 'vsatp', (h) => h.csr.vsatp, (h, v) => { h.csr.vsatp = v >>> 0; });

/** HV-CSR-REDIRECT: with V = 1, the S CSRs that have VS counterparts name those instead. */
const VS_OF: ReadonlyMap<number, number> = new Map([
  [0x100, 0x200], [0x104, 0x204], [0x105, 0x205], [0x140, 0x240], [0x141, 0x241], [0x142, 0x242],
  [0x143, 0x243], [0x144, 0x244], [0x180, 0x280],
]);

/** The name of a CSR popek implements, or undefined. */
export const csrName = (num: number): string | undefined => TABLE.get(num)?.name;

/** Every implemented CSR number (ascending). */
export const implementedCsrs = (): number[] => [...TABLE.keys()].sort((a, b) => a - b);

/** The outcome of a CSR access check: the CSR actually accessed, or the exception to raise. */
export type CsrCheck = { ok: true; num: number } | { ok: false; cause: 'illegal' | 'virtual' };
const ILLEGAL: CsrCheck = { ok: false, cause: 'illegal' };
const VIRTUAL: CsrCheck = { ok: false, cause: 'virtual' };

/**
 * PRIV-CSR-ACCESS: may the current privilege access CSR `num` (for a write if `write`)? Checks, in
 * the order of §2.1 and §3.1: existence, privilege level csr[9:8], read-only csr[11:10] = 3,
 * counter enables (§3.1.11), and mstatus.TVM for satp (§3.1.6.5). HV-CSR-ACCESS: with H, level-2
 * (hypervisor and VS) CSRs need HS-mode; with V = 1, an access HS-mode could make raises a
 * virtual-instruction exception instead (hypervisor chapter, "Virtual Instruction Exceptions"),
 * and the S CSRs with VS counterparts are redirected to them (HV-CSR-REDIRECT).
 */
export function csrCheck(h: HartState, num: number, write: boolean, e: CsrEnv): CsrCheck {
  const d = TABLE.get(num);
  if (d === undefined || (d.h === true && !hasH(e))) return ILLEGAL;
  if (write && (num >>> 10) === 3) return ILLEGAL;
  const level = (num >>> 8) & 3;
  const counter = num >= 0xc00 && num <= 0xc9f;
  const bit = 1 << (num & 31);
  if (h.v === 0) {
    if (h.priv < (level === 2 ? PRV_S : level)) return ILLEGAL;
    if (counter) {
      if (h.priv < PRV_M && (h.csr.mcounteren & bit) === 0) return ILLEGAL;
      if (h.priv === PRV_U && (h.csr.scounteren & bit) === 0) return ILLEGAL;
    }
    if (h.priv === PRV_S && (h.csr.mstatus & MSTATUS.TVM) !== 0 && (num === 0x180 || num === 0x680)) return ILLEGAL;
    return { ok: true, num };
  }
  // V = 1: VS-mode (priv S) or VU-mode (priv U).
  if (level === 3) return ILLEGAL;
  if (counter) {
    if ((h.csr.mcounteren & bit) === 0) return ILLEGAL;
    if ((h.csr.hcounteren & bit) === 0) return VIRTUAL;
    if (h.priv === PRV_U && (h.csr.scounteren & bit) === 0) return VIRTUAL;
    return { ok: true, num };
  }
  if (level === 2) return VIRTUAL;
  if (level === 1) {
    if (h.priv === PRV_U) return VIRTUAL;
    if (num === 0x180 && (h.csr.hstatus & (1 << 20)) !== 0) return VIRTUAL; // hstatus.VTVM
    return { ok: true, num: VS_OF.get(num) ?? num };
  }
  return { ok: true, num };
}

/** Read an implemented CSR (call `csrCheck` first). */
export const csrRead = (h: HartState, num: number, e: CsrEnv): number => (TABLE.get(num)?.read(h, e) ?? 0) >>> 0;

/**
 * Value a read-modify-write CSR instruction starts from. PRIV-CSR-MIP: for mip/sip, only the
 * software-writable SEIP bit takes part, not the device line (§3.1.9).
 */
export const csrReadForRmw = (h: HartState, num: number, e: CsrEnv): number =>
  num === 0x344 || num === 0x144 ? csrRead(h, num, { ...e, lines: e.lines & ~MIP_SEIP }) : csrRead(h, num, e);

/** Write a CSR through its legalisation (call `csrCheck` first). Mutates `h`'s CSR storage. */
export function csrWrite(h: HartState, num: number, v: number, e: CsrEnv): void {
  TABLE.get(num)?.write?.(h, v >>> 0, e);
}

