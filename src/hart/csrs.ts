/**
 * The CSR table (PRIV-CSR-*): for every implemented CSR number, its name, how it reads, and how a
 * write is legalised (WARL) into the raw storage of `CsrFile`. Access checks (privilege, read-only,
 * counter enables, TVM) are in `csrAccess`. Unlisted numbers do not exist: any access is illegal.
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
  read(h: HartState, e: CsrEnv): number;
  /** Absent: the CSR is read-only (writes by CSR instructions are illegal; see csrAccess). */
  write?(h: HartState, v: number, e: CsrEnv): void;
}

const TABLE = new Map<number, CsrDef>();
const def = (num: number, name: string, read: CsrDef['read'], write?: CsrDef['write']): void => {
  TABLE.set(num, write ? { name, read, write } : { name, read });
};
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
/** mip as read: software bits ORed with device lines (§3.1.9). */
export const mipValue = (h: HartState, e: CsrEnv): number => (h.csr.mipSw | e.lines) >>> 0;

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
def(0x302, 'medeleg', (h) => h.csr.medeleg, (h, v) => { h.csr.medeleg = v & MEDELEG_WRITABLE; });
def(0x312, 'medelegh', zero, ignore);
def(0x303, 'mideleg', (h) => h.csr.mideleg, (h, v) => { h.csr.mideleg = v & MIDELEG_WRITABLE; });
def(0x304, 'mie', (h) => h.csr.mie, (h, v) => { h.csr.mie = v & MIE_WRITABLE; });
def(0x305, 'mtvec', (h) => h.csr.mtvec, (h, v) => { h.csr.mtvec = legalTvec(h.csr.mtvec, v); });
def(0x306, 'mcounteren', (h) => h.csr.mcounteren, (h, v) => { h.csr.mcounteren = v & COUNTEREN_WRITABLE; });
// mstatush holds only SBE/MBE (and MPV/GVA with H), all zero for a little-endian hart without H.
def(0x310, 'mstatush', zero, ignore);
def(0x30a, 'menvcfg', (h) => h.csr.menvcfg, (h, v) => { h.csr.menvcfg = v & ENVCFG_WRITABLE; });
def(0x31a, 'menvcfgh', zero, ignore);
def(0x320, 'mcountinhibit', (h) => h.csr.mcountinhibit, (h, v) => { h.csr.mcountinhibit = v & COUNTINHIBIT_WRITABLE; });
for (let n = 3; n < 32; n++) def(0x320 + n, `mhpmevent${n}`, zero, ignore);

// --- Machine trap handling. PRIV-CSR-EPC: with IALIGN=32, mepc[1:0] read as zero.
def(0x340, 'mscratch', (h) => h.csr.mscratch, (h, v) => { h.csr.mscratch = v >>> 0; });
def(0x341, 'mepc', (h) => h.csr.mepc, (h, v) => { h.csr.mepc = (v & ~3) >>> 0; });
def(0x342, 'mcause', (h) => h.csr.mcause, (h, v) => { h.csr.mcause = v >>> 0; });
def(0x343, 'mtval', (h) => h.csr.mtval, (h, v) => { h.csr.mtval = v >>> 0; });
def(0x344, 'mip', mipValue, (h, v) => { h.csr.mipSw = v & MIP_SW_WRITABLE; });

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
def(0xc01, 'time', (_h, e) => e.timeLo);
def(0xc81, 'timeh', (_h, e) => e.timeHi);
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

/** The name of a CSR popek implements, or undefined. */
export const csrName = (num: number): string | undefined => TABLE.get(num)?.name;

/** Every implemented CSR number (ascending). */
export const implementedCsrs = (): number[] => [...TABLE.keys()].sort((a, b) => a - b);

/**
 * PRIV-CSR-ACCESS: may the current privilege access CSR `num` (for a write if `write`)? Checks, in
 * the order of §2.1 and §3.1: existence, privilege level csr[9:8], read-only csr[11:10] = 3,
 * counter enables (§3.1.11), and mstatus.TVM for satp (§3.1.6.5).
 */
export function csrAccess(h: HartState, num: number, write: boolean): boolean {
  if (!TABLE.has(num)) return false;
  if (h.priv < ((num >>> 8) & 3)) return false;
  if (write && (num >>> 10) === 3) return false;
  if (num >= 0xc00 && num <= 0xc9f) {
    const bit = 1 << (num & 31);
    if (h.priv < PRV_M && (h.csr.mcounteren & bit) === 0) return false;
    if (h.priv === PRV_U && (h.csr.scounteren & bit) === 0) return false;
  }
  if (num === 0x180 && h.priv === PRV_S && (h.csr.mstatus & MSTATUS.TVM) !== 0) return false;
  return true;
}

/** Read an implemented CSR (call `csrAccess` first). */
export const csrRead = (h: HartState, num: number, e: CsrEnv): number => (TABLE.get(num)?.read(h, e) ?? 0) >>> 0;

/**
 * Value a read-modify-write CSR instruction starts from. PRIV-CSR-MIP: for mip/sip, only the
 * software-writable SEIP bit takes part, not the device line (§3.1.9).
 */
export const csrReadForRmw = (h: HartState, num: number, e: CsrEnv): number =>
  num === 0x344 || num === 0x144 ? csrRead(h, num, { ...e, lines: e.lines & ~MIP_SEIP }) : csrRead(h, num, e);

/** Write a CSR through its legalisation (call `csrAccess` first). Mutates `h`'s CSR storage. */
export function csrWrite(h: HartState, num: number, v: number, e: CsrEnv): void {
  TABLE.get(num)?.write?.(h, v >>> 0, e);
}

