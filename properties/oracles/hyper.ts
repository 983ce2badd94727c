/**
 * An independent model of the H extension on a hart (spec/hypervisor.md, HV-*), written from the
 * manual's chapter "H" Extension for Hypervisor Support (sections "Privilege Modes", "Hypervisor
 * and Virtual Supervisor CSRs", "Hypervisor Instructions", "Machine-Level CSRs", "Traps": "Trap
 * Cause Codes", "Trap Entry", "Trap Return") and popek's WARL choices as the chapter states them,
 * without looking at src/hart. The model is a plain record of architectural registers (the value
 * a CSR read returns, not an implementation's storage); every function returns a new record.
 *
 * Covered: which mode takes a trap and what trap entry writes (HV-TRAP-DELEG, HV-TRAP-ENTRY,
 * HV-TRAP-GVA), MRET/SRET (HV-MRET, HV-SRET), which interrupt is taken (HV-IRQ-ENABLE,
 * HV-IRQ-ORDER), CSR access, redirection, reads and legalised writes (HV-CSR-*), virtual time
 * (HV-TIME), and whether SRET/WFI/SFENCE.VMA/HFENCE/HLV/HSV may execute (HV-VIRTUAL, HV-HFENCE,
 * HV-HLV), and the ECALL cause (HV-ECALL).
 */

// --- Modes ("Privilege Modes", table "Privilege modes with the hypervisor extension").

export type Mode = 'M' | 'HS' | 'U' | 'VS' | 'VU';
export const MODES: readonly Mode[] = ['M', 'HS', 'U', 'VS', 'VU'];
/** The nominal privilege: U for U and VU, S for HS and VS, M for M. */
export const nominal = (m: Mode): 0 | 1 | 3 => (m === 'M' ? 3 : m === 'HS' || m === 'VS' ? 1 : 0);
/** The virtualization mode V. */
export const virt = (m: Mode): 0 | 1 => (m === 'VS' || m === 'VU' ? 1 : 0);
export const modeFrom = (priv: number, v: number): Mode =>
  priv === 3 ? 'M' : v === 1 ? (priv === 1 ? 'VS' : 'VU') : priv === 1 ? 'HS' : 'U';

const bits = (...ns: number[]): number => ns.reduce((a, n) => (a | (2 ** n)) >>> 0, 0);
const has = (x: number, n: number): boolean => Math.floor((x >>> 0) / 2 ** n) % 2 === 1;
const u32 = (x: number): number => x >>> 0;

// --- Register fields (RV32 layouts).

/** mstatus (machine chapter) — also the bit positions of sstatus and vsstatus. */
export const ST = {
  SIE: bits(1), MIE: bits(3), SPIE: bits(5), UBE: bits(6), MPIE: bits(7), SPP: bits(8), MPP: bits(11, 12),
  MPRV: bits(17), SUM: bits(18), MXR: bits(19), TVM: bits(20), TW: bits(21), TSR: bits(22),
} as const;
/** mstatush with H (RV32): GVA 6, MPV 7 ("Machine Status (mstatus and mstatush) Registers"). */
export const MSH = { GVA: bits(6), MPV: bits(7) } as const;
/** hstatus (HSXLEN = 32): VSBE 5, GVA 6, SPV 7, SPVP 8, HU 9, VGEIN 17:12, VTVM 20, VTW 21, VTSR 22. */
export const HST = {
  VSBE: bits(5), GVA: bits(6), SPV: bits(7), SPVP: bits(8), HU: bits(9), VGEIN: bits(12, 13, 14, 15, 16, 17),
  VTVM: bits(20), VTW: bits(21), VTSR: bits(22),
} as const;

// --- popek's WARL choices (spec/hypervisor.md, spec/privileged.md).

export const MASK = {
  /** mstatus fields popek implements (FS, VS, XS, SD, the endianness bits read zero). */
  mstatus: ST.SIE | ST.MIE | ST.SPIE | ST.MPIE | ST.SPP | ST.MPP | ST.MPRV | ST.SUM | ST.MXR | ST.TVM | ST.TW | ST.TSR,
  /** The sstatus bits that hold state (of the view SIE, SPIE, UBE, SPP, VS, FS, XS, SUM, MXR, SD). */
  sstatus: ST.SIE | ST.SPIE | ST.SPP | ST.SUM | ST.MXR,
  mstatush: MSH.GVA | MSH.MPV,
  /** Every exception popek can raise below M (not 11), with H also 10, 20, 21, 22, 23. */
  medeleg: bits(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 13, 15, 20, 21, 22, 23),
  /** Writable mideleg bits: the S-level interrupts. */
  mideleg: bits(1, 5, 9),
  /** mideleg bits that read as one with H: the VS-level interrupts and SGEI. */
  midelegOnes: bits(2, 6, 10, 12),
  mie: bits(1, 3, 5, 7, 9, 11, 2, 6, 10, 12),
  /** mip bits written by software into the hart's own storage (VSSIP goes to hvip). */
  mipSw: bits(1, 5, 9),
  /** hedeleg: table "Bits of hedeleg that must be writable or must be read-only zero". */
  hedeleg: bits(0, 1, 2, 3, 4, 5, 6, 7, 8, 12, 13, 15),
  hideleg: bits(2, 6, 10),
  hvip: bits(2, 6, 10),
  /** The hypervisor-level interrupt bits of hip/hie: VSSI, VSTI, VSEI, SGEI. */
  hIrqs: bits(2, 6, 10, 12),
  /** hstatus: VSBE = 0, VGEIN = 0 (GEILEN = 0), no HUKTE. */
  hstatus: HST.GVA | HST.SPV | HST.SPVP | HST.HU | HST.VTVM | HST.VTW | HST.VTSR,
  vsstatus: ST.SIE | ST.SPIE | ST.SPP | ST.SUM | ST.MXR,
  /** hgatp: MODE (31), VMID 28:22 (VMIDLEN = 7), PPN 21:2 (PPN[1:0] read zero). */
  hgatp: (bits(31) | (0x7f * 2 ** 22) | (0x3ffffc)) >>> 0,
  counteren: bits(0, 1, 2),
  envcfg: bits(0),
} as const;

/** The architectural state the model follows. Interrupt-pending state: mip = mipSw | lines | hvip's VS bits. */
export interface HModel {
  mode: Mode;
  pc: number;
  mstatus: number; mstatush: number; medeleg: number;
  /** As read: includes the read-only-one bits. */
  mideleg: number;
  mie: number; mipSw: number; mtvec: number; mcounteren: number; menvcfg: number;
  mscratch: number; mepc: number; mcause: number; mtval: number; mtval2: number; mtinst: number;
  stvec: number; scounteren: number; senvcfg: number; sscratch: number; sepc: number; scause: number; stval: number; satp: number;
  hstatus: number; hedeleg: number; hideleg: number; hvip: number; hcounteren: number; henvcfg: number;
  htimedeltaLo: number; htimedeltaHi: number; htval: number; htinst: number; hgatp: number;
  vsstatus: number; vstvec: number; vsscratch: number; vsepc: number; vscause: number; vstval: number; vsatp: number;
}

/** mip as read, given the device lines (MSIP, MTIP, MEIP, SEIP in their mip positions). */
export const mipOf = (s: HModel, lines: number): number =>
  u32(s.mipSw | lines | (s.hvip & MASK.hvip));

// --- Trap delegation and entry ("Trap Entry"; tables "Value of mstatus/mstatush fields MPV and MPP
// after a trap into M-mode", "... SPV and SPP after a trap into HS-mode", "... vsstatus field SPP
// after a trap into VS-mode").

export type Dest = 'M' | 'HS' | 'VS';
export const INTERRUPT = 0x80000000;
const isIrq = (cause: number): boolean => cause >= INTERRUPT;
const codeOf = (cause: number): number => cause % INTERRUPT;

/**
 * Where a trap goes: from M always M; from HS or U to HS when delegated by medeleg/mideleg,
 * else M; from VS or VU the same, then on to VS when hedeleg/hideleg delegate it too.
 */
export function trapDest(s: HModel, cause: number): Dest {
  if (s.mode === 'M') return 'M';
  const code = codeOf(cause);
  if (!has(isIrq(cause) ? s.mideleg : s.medeleg, code)) return 'M';
  if (virt(s.mode) === 0) return 'HS';
  return has(isIrq(cause) ? s.hideleg : s.hedeleg, code) ? 'VS' : 'HS';
}

/** The handler address: BASE, or BASE + 4 × code for an interrupt in vectored mode. */
const handler = (tvec: number, cause: number): number =>
  u32((tvec - (tvec % 4)) + (tvec % 4 === 1 && isIrq(cause) ? 4 * codeOf(cause) : 0));

/** "translated by the machine": VS-level interrupt codes 10, 6, 2 appear to VS-mode as 9, 5, 1. */
export const vsCause = (cause: number): number => {
  if (!isIrq(cause)) return cause;
  const c = codeOf(cause);
  return c === 2 || c === 6 || c === 10 ? u32(cause - 1) : cause;
};

const setField = (x: number, mask: number, on: boolean): number => u32(on ? x | mask : x & ~mask);

/** Take trap `cause` with trap value `tval`; `gva`: tval is a guest virtual address (HV-TRAP-GVA). */
export function enterTrap(s: HModel, cause: number, tval: number, gva: boolean): HModel {
  const dest = trapDest(s, cause);
  const t: HModel = { ...s };
  const prev = nominal(s.mode), v = virt(s.mode);
  if (dest === 'M') {
    t.mepc = s.pc; t.mcause = u32(cause); t.mtval = u32(tval); t.mtval2 = 0; t.mtinst = 0;
    let st = setField(s.mstatus, ST.MPIE, (s.mstatus & ST.MIE) !== 0);
    st = setField(st, ST.MIE, false);
    t.mstatus = u32((st & ~ST.MPP) | (prev * 2 ** 11));
    t.mstatush = setField(setField(s.mstatush, MSH.MPV, v === 1), MSH.GVA, gva);
    t.mode = 'M';
    t.pc = handler(s.mtvec, cause);
  } else if (dest === 'HS') {
    t.sepc = s.pc; t.scause = u32(cause); t.stval = u32(tval); t.htval = 0; t.htinst = 0;
    let st = setField(s.mstatus, ST.SPIE, (s.mstatus & ST.SIE) !== 0);
    st = setField(st, ST.SIE, false);
    t.mstatus = setField(st, ST.SPP, prev === 1);
    let hs = setField(s.hstatus, HST.SPV, v === 1);
    if (v === 1) hs = setField(hs, HST.SPVP, prev === 1);
    t.hstatus = setField(hs, HST.GVA, gva);
    t.mode = 'HS';
    t.pc = handler(s.stvec, cause);
  } else {
    const c = vsCause(cause);
    t.vsepc = s.pc; t.vscause = c; t.vstval = u32(tval);
    let st = setField(s.vsstatus, ST.SPIE, (s.vsstatus & ST.SIE) !== 0);
    st = setField(st, ST.SIE, false);
    t.vsstatus = setField(st, ST.SPP, prev === 1);
    t.mode = 'VS';
    t.pc = handler(s.vstvec, c);
  }
  return t;
}

/** Exception codes whose trap value is an address (breakpoint, misaligned, access, page, guest-page). */
const ADDRESS_CAUSES = new Set([0, 1, 3, 4, 5, 6, 7, 12, 13, 15, 20, 21, 23]);
/** GVA: the trap writes a guest virtual address to xtval (the access was made with V = 1 or as though). */
export const gvaOf = (cause: number, guestAddress: boolean): boolean => !isIrq(cause) && ADDRESS_CAUSES.has(cause) && guestAddress;

/** ECALL: 8 from U or VU, 9 from HS, 10 from VS, 11 from M (table of cause codes with H). */
export const ecallCause = (m: Mode): number => ({ U: 8, VU: 8, HS: 9, VS: 10, M: 11 })[m];

// --- Interrupts ("Hypervisor Interrupt Registers", machine chapter "Machine Interrupt Registers").

/** Decreasing priority: MEI, MSI, MTI, SEI, SSI, STI, SGEI, VSEI, VSSI, VSTI. */
export const PRIORITY = [11, 3, 7, 9, 1, 5, 12, 10, 2, 6] as const;

/** Is an interrupt destined for `dest` globally enabled in the current mode? */
function enabledFor(s: HModel, dest: Dest): boolean {
  switch (dest) {
    case 'M': return s.mode !== 'M' || (s.mstatus & ST.MIE) !== 0;
    case 'HS': return s.mode === 'U' || s.mode === 'VS' || s.mode === 'VU' || (s.mode === 'HS' && (s.mstatus & ST.SIE) !== 0);
    case 'VS': return s.mode === 'VU' || (s.mode === 'VS' && (s.vsstatus & ST.SIE) !== 0);
  }
}

/** The interrupt taken now (mcause value with the interrupt bit), or null. */
export function takenInterrupt(s: HModel, lines: number): number | null {
  const pending = mipOf(s, lines) & s.mie;
  for (const dest of ['M', 'HS', 'VS'] as const) {
    if (!enabledFor(s, dest)) continue;
    for (const i of PRIORITY) {
      if (!has(pending, i)) continue;
      const d: Dest = !has(s.mideleg, i) ? 'M' : has(s.hideleg, i) ? 'VS' : 'HS';
      if (d === dest) return u32(INTERRUPT + i);
    }
  }
  return null;
}

// --- Trap return ("Trap Return"; machine chapter: xRET to a mode below M clears MPRV).

export function mret(s: HModel): HModel {
  const mpp = Math.floor(s.mstatus / 2 ** 11) % 4;
  const mode: Mode = mpp === 3 ? 'M' : has(s.mstatush, 7) ? (mpp === 1 ? 'VS' : 'VU') : mpp === 1 ? 'HS' : 'U';
  let st = setField(s.mstatus, ST.MIE, (s.mstatus & ST.MPIE) !== 0);
  st = u32((st | ST.MPIE) & ~ST.MPP);
  if (mode !== 'M') st = setField(st, ST.MPRV, false);
  return { ...s, mode, mstatus: st, mstatush: setField(s.mstatush, MSH.MPV, false), pc: s.mepc };
}

export function sret(s: HModel): HModel {
  if (virt(s.mode) === 1) {
    const mode: Mode = (s.vsstatus & ST.SPP) !== 0 ? 'VS' : 'VU';
    let vs = setField(s.vsstatus, ST.SIE, (s.vsstatus & ST.SPIE) !== 0);
    vs = u32((vs | ST.SPIE) & ~ST.SPP);
    return { ...s, mode, vsstatus: vs, mstatus: setField(s.mstatus, ST.MPRV, false), pc: s.vsepc };
  }
  const spp = (s.mstatus & ST.SPP) !== 0;
  const mode: Mode = (s.hstatus & HST.SPV) !== 0 ? (spp ? 'VS' : 'VU') : spp ? 'HS' : 'U';
  let st = setField(s.mstatus, ST.SIE, (s.mstatus & ST.SPIE) !== 0);
  st = u32((st | ST.SPIE) & ~ST.SPP & ~ST.MPRV);
  return { ...s, mode, mstatus: st, hstatus: setField(s.hstatus, HST.SPV, false), pc: s.sepc };
}

// --- Instructions that may be refused ("Virtual Instruction Exceptions" list in "Trap Cause
// Codes"; hstatus VTSR/VTW/VTVM; "Machine Status": TSR and TVM act only in HS, TW in every mode
// below M; "Hypervisor Virtual-Machine Load and Store Instructions"; "Hypervisor Memory-Management
// Fence Instructions").

export type Verdict = 'ok' | 'illegal' | 'virtual';
export type Sensitive = 'mret' | 'sret' | 'wfi' | 'sfence.vma' | 'hfence.vvma' | 'hfence.gvma' | 'hlv' | 'hsv';

export function verdict(s: HModel, op: Sensitive): Verdict {
  const m = s.mode;
  const tsr = (s.mstatus & ST.TSR) !== 0, tvm = (s.mstatus & ST.TVM) !== 0, tw = (s.mstatus & ST.TW) !== 0;
  const vtsr = (s.hstatus & HST.VTSR) !== 0, vtvm = (s.hstatus & HST.VTVM) !== 0, vtw = (s.hstatus & HST.VTW) !== 0;
  if (m === 'M') return 'ok';
  switch (op) {
    case 'mret': return 'illegal';
    case 'sret':
      if (m === 'HS') return tsr ? 'illegal' : 'ok';
      if (m === 'U') return 'illegal';
      if (m === 'VU') return 'virtual';
      return vtsr ? 'virtual' : 'ok';
    case 'wfi':
      if (tw) return 'illegal';
      if (m === 'HS') return 'ok';
      if (m === 'U') return 'illegal';
      if (m === 'VU') return 'virtual';
      return vtw ? 'virtual' : 'ok';
    case 'sfence.vma':
      if (m === 'HS') return tvm ? 'illegal' : 'ok';
      if (m === 'U') return 'illegal';
      if (m === 'VU') return 'virtual';
      return vtvm ? 'virtual' : 'ok';
    case 'hfence.vvma': case 'hfence.gvma':
      if (m === 'VS' || m === 'VU') return 'virtual';
      if (m === 'U') return 'illegal';
      return op === 'hfence.gvma' && tvm ? 'illegal' : 'ok';
    case 'hlv': case 'hsv':
      if (m === 'VS' || m === 'VU') return 'virtual';
      if (m === 'U') return (s.hstatus & HST.HU) !== 0 ? 'ok' : 'illegal';
      return 'ok';
  }
}

// --- CSRs ("Hypervisor and Virtual Supervisor CSRs", "Trap Cause Codes": HS-qualified accesses).

/** The CSR numbers popek implements on a hart with H (spec/privileged.md's table + spec/hypervisor.md's). */
export const CSRS: ReadonlyMap<number, string> = (() => {
  const m = new Map<number, string>([
    [0xf11, 'mvendorid'], [0xf12, 'marchid'], [0xf13, 'mimpid'], [0xf14, 'mhartid'], [0xf15, 'mconfigptr'],
    [0x300, 'mstatus'], [0x301, 'misa'], [0x302, 'medeleg'], [0x303, 'mideleg'], [0x304, 'mie'], [0x305, 'mtvec'],
    [0x306, 'mcounteren'], [0x30a, 'menvcfg'], [0x310, 'mstatush'], [0x312, 'medelegh'], [0x31a, 'menvcfgh'],
    [0x320, 'mcountinhibit'], [0x340, 'mscratch'], [0x341, 'mepc'], [0x342, 'mcause'], [0x343, 'mtval'], [0x344, 'mip'],
    [0x34a, 'mtinst'], [0x34b, 'mtval2'],
    [0xb00, 'mcycle'], [0xb02, 'minstret'], [0xb80, 'mcycleh'], [0xb82, 'minstreth'],
    [0xc00, 'cycle'], [0xc01, 'time'], [0xc02, 'instret'], [0xc80, 'cycleh'], [0xc81, 'timeh'], [0xc82, 'instreth'],
    [0x100, 'sstatus'], [0x104, 'sie'], [0x105, 'stvec'], [0x106, 'scounteren'], [0x10a, 'senvcfg'],
    [0x140, 'sscratch'], [0x141, 'sepc'], [0x142, 'scause'], [0x143, 'stval'], [0x144, 'sip'], [0x180, 'satp'],
    [0x600, 'hstatus'], [0x602, 'hedeleg'], [0x603, 'hideleg'], [0x604, 'hie'], [0x605, 'htimedelta'],
    [0x606, 'hcounteren'], [0x607, 'hgeie'], [0x60a, 'henvcfg'], [0x612, 'hedelegh'], [0x615, 'htimedeltah'],
    [0x61a, 'henvcfgh'], [0x643, 'htval'], [0x644, 'hip'], [0x645, 'hvip'], [0x64a, 'htinst'], [0x680, 'hgatp'],
    [0xe12, 'hgeip'],
    [0x200, 'vsstatus'], [0x204, 'vsie'], [0x205, 'vstvec'], [0x240, 'vsscratch'], [0x241, 'vsepc'],
    [0x242, 'vscause'], [0x243, 'vstval'], [0x244, 'vsip'], [0x280, 'vsatp'],
  ]);
  for (let n = 3; n < 32; n++) {
    m.set(0x320 + n, `mhpmevent${n}`);
    m.set(0xb00 + n, `mhpmcounter${n}`); m.set(0xb80 + n, `mhpmcounter${n}h`);
    m.set(0xc00 + n, `hpmcounter${n}`); m.set(0xc80 + n, `hpmcounter${n}h`);
  }
  for (let r = 0; r < 16; r++) m.set(0x3a0 + r, `pmpcfg${r}`);
  for (let i = 0; i < 64; i++) m.set(0x3b0 + i, `pmpaddr${i}`);
  return m;
})();

/** With V = 1, the supervisor CSRs that have VS counterparts name those instead. */
export const REDIRECT: ReadonlyMap<number, number> = new Map([
  [0x100, 0x200], [0x104, 0x204], [0x105, 0x205], [0x140, 0x240], [0x141, 0x241], [0x142, 0x242],
  [0x143, 0x243], [0x144, 0x244], [0x180, 0x280],
]);

export type CsrVerdict = { kind: 'ok'; csr: number } | { kind: 'illegal' } | { kind: 'virtual' };

/** Access check for CSR `csr` (for a write if `write`) in the current mode. */
export function csrVerdict(s: HModel, csr: number, write: boolean): CsrVerdict {
  const ILL: CsrVerdict = { kind: 'illegal' }, VIRT: CsrVerdict = { kind: 'virtual' };
  if (!CSRS.has(csr)) return ILL;
  const readOnly = Math.floor(csr / 1024) === 3;
  const level = Math.floor(csr / 256) % 4; // the lowest privilege allowed: 0 U, 1 S, 2 HS (hypervisor and VS CSRs), 3 M
  const counter = (csr >= 0xc00 && csr <= 0xc1f) || (csr >= 0xc80 && csr <= 0xc9f);
  const n = csr % 32;
  if (write && readOnly) return ILL;
  const m = s.mode;
  if (m === 'M') return { kind: 'ok', csr };
  // Would HS-mode be allowed this access, assuming mstatus.TVM = 0? ("HS-qualified")
  const hsQualified = level <= 2 && (!counter || has(s.mcounteren, n));
  if (m === 'HS') {
    if (!hsQualified) return ILL;
    if ((csr === 0x180 || csr === 0x680) && (s.mstatus & ST.TVM) !== 0) return ILL;
    return { kind: 'ok', csr };
  }
  if (m === 'U') {
    if (level > 0) return ILL;
    if (counter && !(has(s.mcounteren, n) && has(s.scounteren, n))) return ILL;
    return { kind: 'ok', csr };
  }
  // VS or VU: an access HS-mode could not make is illegal; one it could make but V = 1 forbids is virtual.
  if (!hsQualified) return ILL;
  if (counter) {
    if (!has(s.hcounteren, n)) return VIRT;
    if (m === 'VU' && !has(s.scounteren, n)) return VIRT;
    return { kind: 'ok', csr };
  }
  if (level === 2) return VIRT;
  if (level === 1) {
    if (m === 'VU') return VIRT;
    if (csr === 0x180 && (s.hstatus & HST.VTVM) !== 0) return VIRT;
    return { kind: 'ok', csr: REDIRECT.get(csr) ?? csr };
  }
  return { kind: 'ok', csr };
}

/** What a read of `csr` returns, or undefined where the model does not follow the CSR's value. */
export function csrRead(s: HModel, csr: number, lines: number): number | undefined {
  const mip = mipOf(s, lines);
  const r = ((): number | undefined => {
    switch (csr) {
      case 0x300: return s.mstatus;
      case 0x302: return s.medeleg;
      case 0x303: return s.mideleg;
      case 0x304: return s.mie;
      case 0x305: return s.mtvec;
      case 0x306: return s.mcounteren;
      case 0x30a: return s.menvcfg;
      case 0x310: return s.mstatush;
      case 0x312: case 0x31a: return 0;
      case 0x340: return s.mscratch;
      case 0x341: return s.mepc;
      case 0x342: return s.mcause;
      case 0x343: return s.mtval;
      case 0x344: return mip;
      case 0x34a: return s.mtinst;
      case 0x34b: return s.mtval2;
      case 0x100: return s.mstatus & (MASK.sstatus | ST.UBE | bits(9, 10, 13, 14, 15, 16, 31));
      case 0x104: return s.mie & s.mideleg & MASK.mideleg;
      case 0x105: return s.stvec;
      case 0x106: return s.scounteren;
      case 0x10a: return s.senvcfg;
      case 0x140: return s.sscratch;
      case 0x141: return s.sepc;
      case 0x142: return s.scause;
      case 0x143: return s.stval;
      case 0x144: return mip & s.mideleg & MASK.mideleg;
      case 0x180: return s.satp;
      case 0x600: return s.hstatus;
      case 0x602: return s.hedeleg;
      case 0x603: return s.hideleg;
      case 0x604: return s.mie & MASK.hIrqs;
      case 0x605: return s.htimedeltaLo;
      case 0x606: return s.hcounteren;
      case 0x607: return 0;
      case 0x60a: return s.henvcfg;
      case 0x612: case 0x61a: return 0;
      case 0x615: return s.htimedeltaHi;
      case 0x643: return s.htval;
      case 0x644: return mip & MASK.hIrqs;
      case 0x645: return s.hvip;
      case 0x64a: return s.htinst;
      case 0x680: return s.hgatp;
      case 0xe12: return 0;
      case 0x200: return s.vsstatus;
      // vsie/vsip: when hideleg bit 10/6/2 is set, bits 9/5/1 alias hie/hip's VSEI/VSTI/VSSI bits.
      case 0x204: return Math.floor((s.mie & s.hideleg & MASK.hideleg) / 2);
      case 0x205: return s.vstvec;
      case 0x240: return s.vsscratch;
      case 0x241: return s.vsepc;
      case 0x242: return s.vscause;
      case 0x243: return s.vstval;
      case 0x244: return Math.floor((mip & s.hideleg & MASK.hideleg) / 2);
      case 0x280: return s.vsatp;
      default: return undefined;
    }
  })();
  return r === undefined ? undefined : u32(r);
}

/** xtvec: MODE 2 and 3 are reserved; popek keeps the previous MODE (PRIV-CSR-TVEC). */
const tvec = (old: number, v: number): number => (v % 4 >= 2 ? u32(v - (v % 4) + (old % 4)) : u32(v));
const merge = (old: number, v: number, mask: number): number => u32((old & ~mask) | (v & mask));

/**
 * The state after a CSR instruction writes `v` to `csr` (legalised). CSRs the model does not follow
 * (PMP, counters, HPM, misa, ...) alias none of its fields, so they leave it unchanged.
 */
export function csrWrite(s: HModel, csr: number, value: number): HModel {
  const v = u32(value);
  const t: HModel = { ...s };
  switch (csr) {
    case 0x300: {
      let n = merge(s.mstatus, v, MASK.mstatus);
      if ((Math.floor(n / 2 ** 11) % 4) === 2) n = merge(n, s.mstatus, ST.MPP);
      t.mstatus = n; break;
    }
    case 0x302: t.medeleg = v & MASK.medeleg; break;
    case 0x303: t.mideleg = u32((v & MASK.mideleg) | MASK.midelegOnes); break;
    case 0x304: t.mie = v & MASK.mie; break;
    case 0x305: t.mtvec = tvec(s.mtvec, v); break;
    case 0x306: t.mcounteren = v & MASK.counteren; break;
    case 0x30a: t.menvcfg = v & MASK.envcfg; break;
    case 0x310: t.mstatush = v & MASK.mstatush; break;
    case 0x340: t.mscratch = v; break;
    case 0x341: t.mepc = u32(v - (v % 4)); break;
    case 0x342: t.mcause = v; break;
    case 0x343: t.mtval = v; break;
    case 0x344: t.mipSw = v & MASK.mipSw; t.hvip = merge(s.hvip, v, bits(2)); break;
    case 0x34a: t.mtinst = v; break;
    case 0x34b: t.mtval2 = v; break;
    case 0x100: t.mstatus = merge(s.mstatus, v, MASK.sstatus); break;
    case 0x104: t.mie = merge(s.mie, v, s.mideleg & MASK.mideleg); break;
    case 0x105: t.stvec = tvec(s.stvec, v); break;
    case 0x106: t.scounteren = v & MASK.counteren; break;
    case 0x10a: t.senvcfg = v & MASK.envcfg; break;
    case 0x140: t.sscratch = v; break;
    case 0x141: t.sepc = u32(v - (v % 4)); break;
    case 0x142: t.scause = v; break;
    case 0x143: t.stval = v; break;
    case 0x144: t.mipSw = merge(s.mipSw, v, s.mideleg & bits(1)); break;
    case 0x180: t.satp = v; break;
    case 0x600: t.hstatus = v & MASK.hstatus; break;
    case 0x602: t.hedeleg = v & MASK.hedeleg; break;
    case 0x603: t.hideleg = v & MASK.hideleg; break;
    case 0x604: t.mie = merge(s.mie, v, MASK.hIrqs); break;
    case 0x605: t.htimedeltaLo = v; break;
    case 0x606: t.hcounteren = v & MASK.counteren; break;
    case 0x60a: t.henvcfg = v & MASK.envcfg; break;
    case 0x615: t.htimedeltaHi = v; break;
    case 0x643: t.htval = v; break;
    case 0x644: t.hvip = merge(s.hvip, v, bits(2)); break;
    case 0x645: t.hvip = v & MASK.hvip; break;
    case 0x64a: t.htinst = v; break;
    case 0x680: t.hgatp = v & MASK.hgatp; break;
    case 0x200: t.vsstatus = v & MASK.vsstatus; break;
    case 0x204: t.mie = merge(s.mie, u32(v * 2), s.hideleg & MASK.hideleg); break;
    case 0x205: t.vstvec = tvec(s.vstvec, v); break;
    case 0x240: t.vsscratch = v; break;
    case 0x241: t.vsepc = u32(v - (v % 4)); break;
    case 0x242: t.vscause = v; break;
    case 0x243: t.vstval = v; break;
    case 0x244: t.hvip = merge(s.hvip, u32(v * 2), s.hideleg & bits(2)); break;
    case 0x280: t.vsatp = v; break;
    default: break;
  }
  return t;
}

// --- Time ("Hypervisor Time Delta (htimedelta) Register").

/** `time` as VS- or VU-mode reads it: mtime + htimedelta, modulo 2^64 (overflow ignored). */
export function guestTime(mtimeLo: number, mtimeHi: number, deltaLo: number, deltaHi: number): [number, number] {
  const mtime = (BigInt(mtimeHi >>> 0) << 32n) | BigInt(mtimeLo >>> 0);
  const delta = (BigInt(deltaHi >>> 0) << 32n) | BigInt(deltaLo >>> 0);
  const sum = BigInt.asUintN(64, mtime + delta);
  return [Number(sum & 0xffffffffn), Number(sum >> 32n)];
}
