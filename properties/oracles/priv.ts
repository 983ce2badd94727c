/**
 * An independent model of popek's privileged state (spec/privileged.md), written from Vol. II
 * (chapter 2 "Control and Status Registers", chapter 3 "Machine-Level ISA", the Supervisor-Level
 * ISA chapter) and popek's stated WARL choices, without looking at src/hart. It covers:
 * the CSR map and its access rules (PRIV-CSR-ACCESS), what each CSR reads and how each write is
 * legalised (PRIV-CSR-*), interrupt selection (PRIV-IRQ-*), trap entry and delegation
 * (PRIV-TRAP-*), and MRET/SRET (PRIV-MRET, PRIV-SRET).
 */
import {
  type PmpState, readPmpaddr, readPmpcfg, writePmpaddr, writePmpcfg,
} from './pmp.js';

export type Priv = 0 | 1 | 3;
export const M: Priv = 3, S: Priv = 1, U: Priv = 0;

// mstatus fields (§3.1.6, RV32 layout).
export const SIE = 1 << 1, MIE = 1 << 3, SPIE = 1 << 5, UBE = 1 << 6, MPIE = 1 << 7, SPP = 1 << 8;
export const MPP_SHIFT = 11, MPRV = 1 << 17, SUM = 1 << 18, MXR = 1 << 19, TVM = 1 << 20, TW = 1 << 21, TSR = 1 << 22;
const bit = (...ns: number[]): number => ns.reduce((a, n) => (a | (1 << n)) >>> 0, 0);
/** The mstatus fields popek implements as writable (everything else reads as zero). */
export const MSTATUS_RW = (SIE | MIE | SPIE | MPIE | SPP | (3 << MPP_SHIFT) | MPRV | SUM | MXR | TVM | TW | TSR) >>> 0;
/** The sstatus view (§10.1.1): SIE, SPIE, UBE, SPP, VS, FS, XS, SUM, MXR, SD. */
export const SSTATUS_VIEW = (bit(1, 5, 6, 8, 9, 10, 13, 14, 15, 16, 18, 19, 31)) >>> 0;
/** Exception codes popek can delegate: all it can raise below M (0–9, 12, 13, 15), never 11. */
export const MEDELEG_RW = bit(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 13, 15);
/** Supervisor interrupts (SSI 1, STI 5, SEI 9) are delegable; machine ones are not. */
export const MIDELEG_RW = bit(1, 5, 9);
/** The six standard interrupts of an M/S/U hart. */
export const MIE_RW = bit(1, 3, 5, 7, 9, 11);
/** mip bits software can write: SSIP, STIP, SEIP. */
export const MIP_SW = bit(1, 5, 9);

export interface Model {
  priv: Priv;
  mstatus: number; medeleg: number; mideleg: number; mie: number; mipSw: number; mtvec: number;
  mcounteren: number; mcountinhibit: number; mscratch: number; mepc: number; mcause: number; mtval: number;
  menvcfg: number; stvec: number; scounteren: number; senvcfg: number; sscratch: number; sepc: number;
  scause: number; stval: number; satp: number;
  pmp: PmpState;
  instret: [number, number]; cycle: [number, number];
}

/** What the hart's environment contributes to reads. */
export interface Env { misa: number; hartid: number; lines: number; time: [number, number]; zicntr: boolean }

// --- The CSR map (§2.2 "CSR Listing") as popek implements it (spec/privileged.md, CSR table).
const NAMED: Array<[number, string]> = [
  [0xf11, 'mvendorid'], [0xf12, 'marchid'], [0xf13, 'mimpid'], [0xf14, 'mhartid'], [0xf15, 'mconfigptr'],
  [0x300, 'mstatus'], [0x301, 'misa'], [0x302, 'medeleg'], [0x303, 'mideleg'], [0x304, 'mie'], [0x305, 'mtvec'],
  [0x306, 'mcounteren'], [0x30a, 'menvcfg'], [0x310, 'mstatush'], [0x312, 'medelegh'], [0x31a, 'menvcfgh'],
  [0x320, 'mcountinhibit'], [0x340, 'mscratch'], [0x341, 'mepc'], [0x342, 'mcause'], [0x343, 'mtval'], [0x344, 'mip'],
  [0xb00, 'mcycle'], [0xb02, 'minstret'], [0xb80, 'mcycleh'], [0xb82, 'minstreth'],
  [0xc00, 'cycle'], [0xc01, 'time'], [0xc02, 'instret'], [0xc80, 'cycleh'], [0xc81, 'timeh'], [0xc82, 'instreth'],
  [0x100, 'sstatus'], [0x104, 'sie'], [0x105, 'stvec'], [0x106, 'scounteren'], [0x10a, 'senvcfg'],
  [0x140, 'sscratch'], [0x141, 'sepc'], [0x142, 'scause'], [0x143, 'stval'], [0x144, 'sip'], [0x180, 'satp'],
];
const NAMES = new Map<number, string>(NAMED);
for (let n = 3; n < 32; n++) {
  NAMES.set(0x320 + n, `mhpmevent${n}`);
  NAMES.set(0xb00 + n, `mhpmcounter${n}`);
  NAMES.set(0xb80 + n, `mhpmcounter${n}h`);
  NAMES.set(0xc00 + n, `hpmcounter${n}`);
  NAMES.set(0xc80 + n, `hpmcounter${n}h`);
}
for (let n = 0; n < 16; n++) NAMES.set(0x3a0 + n, `pmpcfg${n}`);
for (let n = 0; n < 64; n++) NAMES.set(0x3b0 + n, `pmpaddr${n}`);

/** The name of a CSR popek implements, or undefined (the number does not exist). */
export const modelCsrName = (num: number): string | undefined => NAMES.get(num);
export const modelCsrs = (): number[] => [...NAMES.keys()].sort((a, b) => a - b);
/** The user-level Zicntr counters (time, cycle, instret and their high halves). */
const ZICNTR = new Set([0xc00, 0xc01, 0xc02, 0xc80, 0xc81, 0xc82]);

/**
 * PRIV-CSR-ACCESS: is a CSR instruction that reads (always) and writes (`write`) CSR `num` legal?
 * §2.1: csr[9:8] is the lowest privilege that may access it, csr[11:10] = 3 means read-only;
 * §3.1.11/§10.1.5: cycle/time/instret/hpmcounterN need the mcounteren bit below M and also the
 * scounteren bit in U; §3.1.6.5: satp is not accessible in S-mode with TVM = 1.
 */
export function accessOk(m: Model, num: number, write: boolean, zicntr: boolean): boolean {
  if (!NAMES.has(num)) return false;
  if (!zicntr && ZICNTR.has(num)) return false;
  if (m.priv < ((num >>> 8) & 3)) return false;
  if (write && ((num >>> 10) & 3) === 3) return false;
  if ((num & ~0x9f) === 0xc00) {
    const b = 1 << (num & 31);
    if (m.priv !== M && (m.mcounteren & b) === 0) return false;
    if (m.priv === U && (m.scounteren & b) === 0) return false;
  }
  if (num === 0x180 && m.priv === S && (m.mstatus & TVM) !== 0) return false;
  return true;
}

/** The value a CSR read returns (the CSR exists). */
export function readCsr(m: Model, num: number, e: Env): number {
  const mip = (m.mipSw | e.lines) >>> 0;
  switch (num) {
    case 0xf14: return e.hartid >>> 0;
    case 0x300: return m.mstatus >>> 0;
    case 0x301: return e.misa >>> 0;
    case 0x302: return m.medeleg >>> 0;
    case 0x303: return m.mideleg >>> 0;
    case 0x304: return m.mie >>> 0;
    case 0x305: return m.mtvec >>> 0;
    case 0x306: return m.mcounteren >>> 0;
    case 0x30a: return m.menvcfg >>> 0;
    case 0x320: return m.mcountinhibit >>> 0;
    case 0x340: return m.mscratch >>> 0;
    case 0x341: return m.mepc >>> 0;
    case 0x342: return m.mcause >>> 0;
    case 0x343: return m.mtval >>> 0;
    case 0x344: return mip;
    case 0xb00: case 0xc00: return m.cycle[0] >>> 0;
    case 0xb80: case 0xc80: return m.cycle[1] >>> 0;
    case 0xb02: case 0xc02: return m.instret[0] >>> 0;
    case 0xb82: case 0xc82: return m.instret[1] >>> 0;
    case 0xc01: return e.time[0] >>> 0;
    case 0xc81: return e.time[1] >>> 0;
    case 0x100: return (m.mstatus & SSTATUS_VIEW) >>> 0;
    case 0x104: return (m.mie & m.mideleg) >>> 0;
    case 0x105: return m.stvec >>> 0;
    case 0x106: return m.scounteren >>> 0;
    case 0x10a: return m.senvcfg >>> 0;
    case 0x140: return m.sscratch >>> 0;
    case 0x141: return m.sepc >>> 0;
    case 0x142: return m.scause >>> 0;
    case 0x143: return m.stval >>> 0;
    case 0x144: return (mip & m.mideleg) >>> 0;
    case 0x180: return m.satp >>> 0;
    default:
      if (num >= 0x3a0 && num <= 0x3af) return readPmpcfg(m.pmp, num - 0x3a0);
      if (num >= 0x3b0 && num <= 0x3ef) return readPmpaddr(m.pmp, num - 0x3b0);
      return 0; // information registers other than mhartid, the *h halves, HPM counters/events
  }
}

/** mstatus after writing v: only the implemented fields change; MPP = 2 (reserved) keeps the old MPP. */
export function legalMstatus(old: number, v: number): number {
  let n = ((old & ~MSTATUS_RW) | (v & MSTATUS_RW)) >>> 0;
  if (((n >>> MPP_SHIFT) & 3) === 2) n = ((n & ~(3 << MPP_SHIFT)) | (old & (3 << MPP_SHIFT))) >>> 0;
  return n;
}
/** xtvec after writing v: MODE 0 or 1 is taken; a reserved MODE (2, 3) keeps the old MODE. BASE always. */
export const legalTvec = (old: number, v: number): number => (((v >>> 0) & ~3) | ((v & 3) <= 1 ? v & 3 : old & 3)) >>> 0;

/**
 * The model after a CSR write of `v` to `num` (the access is legal). Counters: the writing
 * instruction retires first (PRIV-CNT-2), then the write replaces one 32-bit half (PRIV-CNT-1, -3).
 */
export function writeCsr(m0: Model, num: number, v: number): Model {
  const m: Model = { ...m0, instret: [...m0.instret], cycle: [...m0.cycle] };
  v >>>= 0;
  switch (num) {
    case 0x300: m.mstatus = legalMstatus(m.mstatus, v); break;
    case 0x302: m.medeleg = v & MEDELEG_RW; break;
    case 0x303: m.mideleg = v & MIDELEG_RW; break;
    case 0x304: m.mie = v & MIE_RW; break;
    case 0x305: m.mtvec = legalTvec(m.mtvec, v); break;
    case 0x306: m.mcounteren = v & 7; break;
    case 0x30a: m.menvcfg = v & 1; break;
    case 0x320: m.mcountinhibit = v & 5; break;
    case 0x340: m.mscratch = v; break;
    case 0x341: m.mepc = (v & ~3) >>> 0; break;
    case 0x342: m.mcause = v; break;
    case 0x343: m.mtval = v; break;
    case 0x344: m.mipSw = v & MIP_SW; break;
    case 0xb00: m.cycle[0] = v; break;
    case 0xb80: m.cycle[1] = v; break;
    case 0xb02: m.instret[0] = v; break;
    case 0xb82: m.instret[1] = v; break;
    case 0x100: m.mstatus = legalMstatus(m.mstatus, ((m.mstatus & ~SSTATUS_VIEW) | (v & SSTATUS_VIEW)) >>> 0); break;
    case 0x104: m.mie = ((m.mie & ~m.mideleg) | (v & m.mideleg & MIE_RW)) >>> 0; break;
    case 0x105: m.stvec = legalTvec(m.stvec, v); break;
    case 0x106: m.scounteren = v & 7; break;
    case 0x10a: m.senvcfg = v & 1; break;
    case 0x140: m.sscratch = v; break;
    case 0x141: m.sepc = (v & ~3) >>> 0; break;
    case 0x142: m.scause = v; break;
    case 0x143: m.stval = v; break;
    // Through sip only SSIP is writable, and only when delegated (§10.1.3).
    case 0x144: m.mipSw = ((m.mipSw & ~(m.mideleg & 2)) | (v & m.mideleg & 2)) >>> 0; break;
    case 0x180: m.satp = v; break;
    default:
      if (num >= 0x3a0 && num <= 0x3af) m.pmp = writePmpcfg(m.pmp, num - 0x3a0, v);
      else if (num >= 0x3b0 && num <= 0x3ef) m.pmp = writePmpaddr(m.pmp, num - 0x3b0, v);
      // misa, mstatush, medelegh, menvcfgh, mhpmevent*, mhpmcounter*: writes are ignored.
  }
  return m;
}

/** PRIV-CNT-2: one retired instruction (the counters of `m` before the CSR write of that instruction). */
export function retire(m0: Model): Model {
  const m: Model = { ...m0, instret: [...m0.instret], cycle: [...m0.cycle] };
  const inc = (c: [number, number]): void => {
    c[0] = (c[0] + 1) >>> 0;
    if (c[0] === 0) c[1] = (c[1] + 1) >>> 0;
  };
  if ((m.mcountinhibit & 4) === 0) inc(m.instret);
  if ((m.mcountinhibit & 1) === 0) inc(m.cycle);
  return m;
}

// --- Interrupts (§3.1.9, §10.1.3).

/** Decreasing priority: MEI, MSI, MTI, SEI, SSI, STI. */
export const IRQ_ORDER = [11, 3, 7, 9, 1, 5] as const;

/**
 * PRIV-IRQ-ENABLE, PRIV-IRQ-ORDER: the interrupt the hart takes now, as an mcause value, or null.
 * Interrupt i goes to M if pending in mip, enabled in mie, not delegated, and (priv < M, or priv = M
 * with MIE); a delegated one goes to S if pending, enabled in sie (= mie & mideleg), and (priv < S,
 * or priv = S with SIE). "Interrupts to M-mode take priority over any interrupts to lower
 * privilege modes"; within a mode, the fixed order above.
 */
export function takenInterrupt(priv: Priv, mstatus: number, mip: number, mie: number, mideleg: number): number | null {
  const target = (i: number): Priv | null => {
    if (((mip >>> i) & 1) === 0 || ((mie >>> i) & 1) === 0) return null;
    if (((mideleg >>> i) & 1) === 0) return priv < M || (mstatus & MIE) !== 0 ? M : null;
    return priv < S || (priv === S && (mstatus & SIE) !== 0) ? S : null;
  };
  for (const want of [M, S]) for (const i of IRQ_ORDER) if (target(i) === want) return (0x80000000 | i) >>> 0;
  return null;
}

// --- Traps (§3.1.6.1, §3.1.7, §3.1.8, §10.1.2).

/** The mode a trap with mcause value `cause` is taken in. */
export function trapMode(m: Model, cause: number): Priv {
  // "Traps never transition from a more-privileged mode to a less-privileged mode."
  if (m.priv === M) return M;
  const interrupt = cause >>> 31 === 1;
  const code = cause & 0x7fffffff;
  const deleg = interrupt ? m.mideleg : m.medeleg;
  return code < 32 && ((deleg >>> code) & 1) === 1 ? S : M;
}

/** The handler address: BASE, plus 4 × code for interrupts when MODE = Vectored. */
export function handler(tvec: number, cause: number): number {
  const base = (tvec & ~3) >>> 0;
  return (tvec & 3) === 1 && cause >>> 31 === 1 ? (base + 4 * (cause & 0x7fffffff)) >>> 0 : base;
}

/** The model and pc after taking trap `cause` with value `tval` at `pc`. */
export function takeTrap(m0: Model, pc: number, cause: number, tval: number): { m: Model; pc: number } {
  const m: Model = { ...m0 };
  const to = trapMode(m0, cause);
  let s = m.mstatus;
  if (to === M) {
    m.mepc = pc >>> 0; m.mcause = cause >>> 0; m.mtval = tval >>> 0;
    s = (s & ~(MPIE | MIE | (3 << MPP_SHIFT))) | ((s & MIE) !== 0 ? MPIE : 0) | (m0.priv << MPP_SHIFT);
  } else {
    m.sepc = pc >>> 0; m.scause = cause >>> 0; m.stval = tval >>> 0;
    s = (s & ~(SPIE | SIE | SPP)) | ((s & SIE) !== 0 ? SPIE : 0) | (m0.priv === S ? SPP : 0);
  }
  m.mstatus = s >>> 0;
  m.priv = to;
  return { m, pc: handler(to === M ? m.mtvec : m.stvec, cause) };
}

/** MRET (§3.1.6.1, §3.3.2): priv <- MPP, MIE <- MPIE, MPIE <- 1, MPP <- U, MPRV <- 0 if MPP != M. */
export function mret(m0: Model): { m: Model; pc: number } {
  const y = ((m0.mstatus >>> MPP_SHIFT) & 3) as Priv;
  let s = m0.mstatus & ~(MIE | (3 << MPP_SHIFT));
  if ((m0.mstatus & MPIE) !== 0) s |= MIE;
  s |= MPIE;
  if (y !== M) s &= ~MPRV;
  return { m: { ...m0, mstatus: s >>> 0, priv: y }, pc: m0.mepc >>> 0 };
}

/** SRET: priv <- SPP, SIE <- SPIE, SPIE <- 1, SPP <- U, MPRV <- 0 (SRET never returns to M). */
export function sret(m0: Model): { m: Model; pc: number } {
  const y: Priv = (m0.mstatus & SPP) !== 0 ? S : U;
  let s = m0.mstatus & ~(SIE | SPP | MPRV);
  if ((m0.mstatus & SPIE) !== 0) s |= SIE;
  s |= SPIE;
  return { m: { ...m0, mstatus: s >>> 0, priv: y }, pc: m0.sepc >>> 0 };
}

/**
 * PRIV-CSR-MIP: the value a CSRRS/CSRRC starts its read-modify-write from. For mip (and its sip
 * view) the SEIP bit that takes part is only the software-writable one, not the interrupt
 * controller's signal (§3.1.9); every other CSR starts from the value read.
 */
export function rmwBase(m: Model, num: number, e: Env): number {
  return num === 0x344 || num === 0x144 ? readCsr(m, num, { ...e, lines: e.lines & ~(1 << 9) }) : readCsr(m, num, e);
}

/** A Zicsr instruction's form: which register/immediate it uses and whether it reads and writes. */
export interface CsrForm { op: 'csrrw' | 'csrrs' | 'csrrc' | 'csrrwi' | 'csrrsi' | 'csrrci'; rd: number; rs1: number; uimm: number }
/** Does the form write the CSR (CSRRS/CSRRC with rs1 = x0, CSRRSI/CSRRCI with uimm = 0 do not)? */
export const formWrites = (f: CsrForm): boolean =>
  f.op === 'csrrw' || f.op === 'csrrwi' || (f.op === 'csrrs' || f.op === 'csrrc' ? f.rs1 !== 0 : f.uimm !== 0);
/** Does the form read the CSR (CSRRW/CSRRWI with rd = x0 do not)? */
export const formReads = (f: CsrForm): boolean => !((f.op === 'csrrw' || f.op === 'csrrwi') && f.rd === 0);

export type CsrResult =
  | { illegal: true }
  | { illegal: false; rd: number | null; m: Model };

/**
 * One Zicsr instruction in model terms (Vol. I Zicsr chapter and PRIV-CNT-3): illegal, or the
 * value written to rd (null when rd is not written) and the model after the instruction retired.
 * `src` is the rs1 register value or the zero-extended uimm.
 */
export function csrInstruction(m: Model, num: number, f: CsrForm, src: number, e: Env): CsrResult {
  const write = formWrites(f);
  if (!accessOk(m, num, write, e.zicntr)) return { illegal: true };
  const old = readCsr(m, num, e);
  let after = retire(m);
  if (write) {
    const base = rmwBase(m, num, e);
    const set = f.op === 'csrrw' || f.op === 'csrrwi' ? src : f.op === 'csrrs' || f.op === 'csrrsi' ? base | src : base & ~src;
    after = writeCsr(after, num, set >>> 0);
  }
  return { illegal: false, rd: formReads(f) && f.rd !== 0 ? old : null, m: after };
}
