/** Hand-picked cases for privileged behaviour (PRIV-*), Sv32 translation (XLATE-*) and PMP (PMP-*). */
import {
  A0, A1, A2, A3, A4, A5, lr, sc, csr, csri, EBREAK, ECALL, jalr, ld, MRET, NOP, sfence, SRET, st, WFI,
} from '../asm.js';
import { type Case, CLINT, DATA, dis, h, HANDLER, MS, PMP_ALL, RAM } from './util.js';

const S_HANDLER = 0x8000_0200;
const TRAPS = { mtvec: HANDLER, stvec: S_HANDLER };
const lower = { ...PMP_ALL, ...TRAPS };

function traps(): Case[] {
  const out: Case[] = [];
  for (const priv of ['M', 'S', 'U'] as const) {
    out.push({ rules: ['PRIV-ECALL', 'PRIV-TRAP-ENTRY', 'PRIV-MODES'], desc: `ecall from ${priv}-mode: cause ${priv === 'M' ? 11 : priv === 'S' ? 9 : 8}, to M`, prog: [ECALL], priv, csrs: priv === 'M' ? TRAPS : lower });
  }
  out.push({ rules: ['PRIV-TRAP-ENTRY'], desc: 'ecall from M with MIE = 1: MPIE = 1, MIE = 0, MPP = M, mepc = pc', prog: [NOP, ECALL], steps: 2, csrs: { ...TRAPS, mstatus: MS.MIE } });
  out.push({ rules: ['PRIV-EBREAK', 'PRIV-TRAP-ENTRY', 'PRIV-TRAP-TVAL'], desc: 'ebreak: cause 3, tval = pc', prog: [NOP, EBREAK], steps: 2, csrs: TRAPS });
  out.push({ rules: ['PRIV-TRAP-ENTRY'], desc: 'ecall from S with SIE = 1 goes to M: SIE is unchanged, MPP = S', prog: [ECALL], priv: 'S', csrs: { ...lower, mstatus: MS.SIE | MS.MPIE } });
  out.push({ rules: ['PRIV-TRAP-DELEG', 'PRIV-ECALL'], desc: 'ecall from U with medeleg[8]: to S, scause 8, SPP = U', prog: [ECALL], priv: 'U', csrs: { ...lower, medeleg: 1 << 8, mstatus: MS.SIE } });
  out.push({ rules: ['PRIV-TRAP-DELEG', 'PRIV-ECALL'], desc: 'ecall from S with medeleg[9]: to S, SPP = S, SPIE = SIE', prog: [ECALL], priv: 'S', csrs: { ...lower, medeleg: 1 << 9, mstatus: MS.SIE } });
  out.push({ rules: ['PRIV-TRAP-DELEG', 'PRIV-ECALL'], desc: 'ecall from M with every medeleg bit set still goes to M', prog: [ECALL], csrs: { ...TRAPS, medeleg: 0xb3ff } });
  out.push({ rules: ['PRIV-TRAP-DELEG', 'PRIV-ILLEGAL-TVAL'], desc: 'an illegal instruction in S with medeleg[2]: to S, stval = the word', prog: [0xffffffff], priv: 'S', csrs: { ...lower, medeleg: 1 << 2 } });
  out.push({ rules: ['PRIV-TRAP-DELEG', 'PRIV-ECALL'], desc: 'ecall from U with medeleg[9] only (not 8): to M', prog: [ECALL], priv: 'U', csrs: { ...lower, medeleg: 1 << 9 } });
  out.push({ rules: ['PRIV-TRAP-DELEG', 'PRIV-IRQ-ENABLE'], desc: 'SSIP pending, enabled and delegated, in U: taken in S with scause 0x80000001', prog: [NOP], priv: 'U', csrs: { ...lower, mip: 0x82, mie: 2, mideleg: 2 } });
  out.push({ rules: ['PRIV-TRAP-DELEG', 'PRIV-IRQ-ENABLE'], desc: 'a delegated SSIP is never taken in M, even with MIE = 1', prog: [NOP], csrs: { ...TRAPS, mip: 0x82, mie: 2, mideleg: 2, mstatus: MS.MIE | MS.SIE } });
  out.push({ rules: ['PRIV-TRAP-VEC', 'PRIV-IRQ-ENABLE'], desc: 'vectored mtvec: SSIP (cause 1) goes to BASE + 4', prog: [NOP], priv: 'U', csrs: { ...PMP_ALL, mtvec: HANDLER | 1, mip: 0x82, mie: 2 } });
  out.push({ rules: ['PRIV-TRAP-VEC'], desc: 'vectored mtvec: an exception goes to BASE', prog: [ECALL], csrs: { mtvec: HANDLER | 1 } });
  out.push({ rules: ['PRIV-TRAP-VEC', 'PRIV-TRAP-DELEG'], desc: 'vectored stvec: a delegated STIP (cause 5) goes to BASE + 20', prog: [NOP], priv: 'U', csrs: { ...PMP_ALL, mtvec: HANDLER, stvec: S_HANDLER | 1, mip: 0xa0, mie: 0x20, mideleg: 0x20 } });
  return out;
}

function xret(): Case[] {
  const out: Case[] = [];
  out.push({ rules: ['PRIV-MRET'], desc: 'mret with MPP = U, MPIE = 1: to U at mepc, MIE = 1, MPIE = 1, MPP = U', prog: [MRET], csrs: { ...PMP_ALL, mepc: DATA, mstatus: MS.MPIE } });
  out.push({ rules: ['PRIV-MRET'], desc: 'mret with MPP = S and MPRV = 1: to S, MPRV cleared', prog: [MRET], csrs: { ...PMP_ALL, mepc: DATA, mstatus: MS.MPP_S | MS.MPRV } });
  out.push({ rules: ['PRIV-MRET'], desc: 'mret with MPP = M and MPRV = 1: stays in M, MPRV kept, MIE = MPIE = 0 before', prog: [MRET], csrs: { mepc: DATA, mstatus: MS.MPP_M | MS.MPRV } });
  out.push({ rules: ['PRIV-SRET'], desc: 'sret in S with SPP = U, SPIE = 1: to U, SIE = 1, SPIE = 1, SPP = U', prog: [SRET], priv: 'S', csrs: { ...lower, sepc: DATA, mstatus: MS.SPIE } });
  out.push({ rules: ['PRIV-SRET', 'PRIV-XRET-2'], desc: 'sret in M with SPP = S: to S, MPRV cleared', prog: [SRET], csrs: { ...PMP_ALL, sepc: DATA, mstatus: MS.SPP | MS.MPRV | MS.MPP_M } });
  const lrw = lr(A0, A1), scw = sc(A2, A3, A1);
  out.push({ rules: ['PRIV-XRET-RES', 'PRIV-MRET'], desc: 'lr.w; mret (to M, at the next instruction); sc.w succeeds: MRET keeps the reservation', prog: [lrw, MRET, scw], x: { [A1]: DATA, [A3]: 9 }, words: { [DATA]: 1 }, csrs: { mepc: RAM + 8, mstatus: MS.MPP_M } });
  out.push({ rules: ['PRIV-XRET-1'], desc: 'mret in S is illegal', prog: [MRET], priv: 'S', csrs: { ...lower, mepc: DATA } });
  out.push({ rules: ['PRIV-XRET-1'], desc: 'mret in U is illegal', prog: [MRET], priv: 'U', csrs: { ...lower, mepc: DATA } });
  out.push({ rules: ['PRIV-XRET-2'], desc: 'sret in U is illegal', prog: [SRET], priv: 'U', csrs: { ...lower, sepc: DATA } });
  out.push({ rules: ['PRIV-XRET-2'], desc: 'sret in S with mstatus.TSR = 1 is illegal', prog: [SRET], priv: 'S', csrs: { ...lower, sepc: DATA, mstatus: MS.TSR } });
  out.push({ rules: ['PRIV-WFI'], desc: 'wfi in U is illegal', prog: [WFI], priv: 'U', csrs: lower });
  out.push({ rules: ['PRIV-WFI'], desc: 'wfi in S with mstatus.TW = 1 is illegal', prog: [WFI], priv: 'S', csrs: { ...lower, mstatus: MS.TW } });
  out.push({ rules: ['PRIV-WFI', 'WFI-1'], desc: 'wfi in S with TW = 0 retires and waits', prog: [WFI, NOP], priv: 'S', steps: 2, csrs: lower, watch: ['minstret'] });
  const sf = sfence(A0, A1);
  out.push({ rules: ['PRIV-SFENCE'], desc: `${dis(sf)} in U is illegal`, prog: [sf], priv: 'U', csrs: lower });
  out.push({ rules: ['PRIV-SFENCE'], desc: `${dis(sf)} in S with mstatus.TVM = 1 is illegal`, prog: [sf], priv: 'S', csrs: { ...lower, mstatus: MS.TVM } });
  out.push({ rules: ['PRIV-SFENCE'], desc: `${dis(sf)} in S with TVM = 0 retires`, prog: [sf], priv: 'S', csrs: lower });
  out.push({ rules: ['PRIV-SFENCE'], desc: `${dis(sf)} in M with TVM = 1 retires`, prog: [sf], csrs: { mstatus: MS.TVM } });
  return out;
}

function interrupts(): Case[] {
  const out: Case[] = [];
  out.push({ rules: ['PRIV-IRQ-ENABLE'], desc: 'MTIP pending and enabled in M with MIE = 0: not taken', prog: [NOP], csrs: { ...TRAPS, mie: 0x80 } });
  out.push({ rules: ['PRIV-IRQ-ENABLE'], desc: 'MTIP pending and enabled in U with MIE = 0: taken (M interrupts are always enabled below M)', prog: [NOP], priv: 'U', csrs: { ...lower, mie: 0x80 } });
  out.push({ rules: ['PRIV-IRQ-ENABLE'], desc: 'delegated SSIP in S with SIE = 0: not taken', prog: [NOP], priv: 'S', csrs: { ...lower, mip: 0x82, mie: 2, mideleg: 2 } });
  out.push({ rules: ['PRIV-IRQ-ENABLE'], desc: 'delegated SSIP in S with SIE = 1: taken in S', prog: [NOP], priv: 'S', csrs: { ...lower, mip: 0x82, mie: 2, mideleg: 2, mstatus: MS.SIE } });
  out.push({ rules: ['PRIV-IRQ-ENABLE'], desc: 'STIP not delegated, in S with MIE = 0: taken in M', prog: [NOP], priv: 'S', csrs: { ...lower, mip: 0xa0, mie: 0x20 } });
  out.push({ rules: ['PRIV-IRQ-ENABLE'], desc: 'SSIP pending but not enabled in mie: not taken', prog: [NOP], priv: 'U', csrs: { ...lower, mip: 0x82 } });
  out.push({ rules: ['PRIV-IRQ-ORDER'], desc: 'SEIP, SSIP and STIP pending in U: SEI (9) first', prog: [NOP], priv: 'U', csrs: { ...lower, mip: 0x2a2, mie: 0x222 } });
  out.push({ rules: ['PRIV-IRQ-ORDER'], desc: 'SSIP and STIP pending in U: SSI (1) before STI (5)', prog: [NOP], priv: 'U', csrs: { ...lower, mip: 0xa2, mie: 0x22 } });
  out.push({ rules: ['PRIV-IRQ-ORDER', 'DEV-CLINT-8'], desc: 'MTIP (from reset) and SEIP pending in U: MTI (7) first', prog: [NOP], priv: 'U', csrs: { ...lower, mip: 0x280, mie: 0x280 } });
  out.push({ rules: ['PRIV-IRQ-ORDER', 'PRIV-TRAP-DELEG'], desc: 'delegated SSIP and M-level MTIP in S: the M-level interrupt wins', prog: [NOP], priv: 'S', csrs: { ...lower, mip: 0x82, mie: 0x82, mideleg: 2, mstatus: MS.SIE } });
  const prog = [st('sw', A2, A1, 0), csri('csrrsi', 0, 'mstatus', MS.MIE), NOP];
  out.push({ rules: ['PRIV-IRQ-ORDER', 'DEV-CLINT-2', 'PRIV-IRQ-ENABLE'], desc: 'set msip, then MIE: MSI (3) is taken before MTI (7)', prog, csrs: { ...TRAPS, mie: 0x88 }, x: { [A1]: CLINT, [A2]: 1 } });
  return out;
}

function csrRules(): Case[] {
  const out: Case[] = [];
  const rd = (c: string | number): number => csr('csrrs', A0, c, 0);
  const ill = (desc: string, w: number, priv: 'M' | 'S' | 'U', csrs: Record<string, number> = {}): Case =>
    ({ rules: ['PRIV-CSR-ACCESS'], desc: `${dis(w)} ${desc}`, prog: [w], priv, csrs: { ...(priv === 'M' ? TRAPS : lower), ...csrs } });
  out.push(ill('in U: mstatus needs M, illegal', rd('mstatus'), 'U'));
  out.push(ill('in S: mstatus needs M, illegal', rd('mstatus'), 'S'));
  out.push({ ...ill('in S: sstatus is readable', rd('sstatus'), 'S', { mstatus: MS.SPIE | MS.MPIE | MS.SUM }), rules: ['PRIV-CSR-ACCESS', 'PRIV-CSR-SSTATUS'] });
  out.push(ill('in U: sscratch needs S, illegal', rd('sscratch'), 'U'));
  out.push(ill('in M: writing the read-only mhartid is illegal', csr('csrrw', A0, 'mhartid', A1), 'M'));
  out.push(ill('in M: csrrs with rs1 != x0 on read-only mvendorid is illegal', csr('csrrs', A0, 'mvendorid', A2), 'M'));
  out.push(ill('in M: CSR 0x7ff does not exist, illegal', rd(0x7ff), 'M'));
  out.push(ill('in S with mcounteren = 0: illegal', rd('cycle'), 'S'));
  out.push(ill('in S with mcounteren.CY = 1: readable', rd('cycle'), 'S', { mcounteren: 1 }));
  out.push(ill('in U with mcounteren.IR = 1, scounteren = 0: illegal', rd('instret'), 'U', { mcounteren: 4 }));
  out.push(ill('in U with mcounteren.IR = scounteren.IR = 1: readable', rd('instret'), 'U', { mcounteren: 4, scounteren: 4 }));
  out.push(ill('in U with mcounteren.TM = scounteren.TM = 1: readable', rd('time'), 'U', { mcounteren: 2, scounteren: 2 }));
  out.push(ill('in S with mstatus.TVM = 1: satp is illegal', rd('satp'), 'S', { mstatus: MS.TVM }));
  out.push(ill('in S with TVM = 0: satp is accessible', csr('csrrw', A0, 'satp', A1), 'S'));
  const ws = (rules: string[], c: string, v: number, desc: string, csrs: Record<string, number> = {}): Case => {
    const w = csr('csrrw', A0, c, A1);
    return { rules, desc: `${dis(w)} with a1 = ${h(v)}: ${desc}`, prog: [w, rd(c)], x: { [A1]: v }, csrs };
  };
  out.push(ws(['PRIV-CSR-MPP'], 'mstatus', 0x1000, 'MPP = 2 is reserved: MPP keeps its old value', { mstatus: MS.MPP_S }));
  out.push(ws(['PRIV-CSR-MPP'], 'mstatus', 0, 'MPP = U is written'));
  out.push(ws(['PRIV-CSR-MSTATUS', 'PRIV-CSR-MPP'], 'mstatus', 0xffffffff, 'only the implemented fields are written'));
  out.push(ws(['PRIV-CSR-SSTATUS', 'PRIV-CSR-MPP'], 'sstatus', 0xffffffff, 'sstatus writes only its own fields of mstatus', { mstatus: MS.MPP_S }));
  out.push(ws(['PRIV-CSR-TVEC'], 'mtvec', 0x80000102, 'MODE 2 is reserved: MODE keeps its old value, BASE is written', { mtvec: 0x80000001 }));
  out.push(ws(['PRIV-CSR-TVEC'], 'stvec', 0x80000203, 'MODE 3 is reserved'));
  out.push(ws(['PRIV-CSR-TVEC'], 'mtvec', 0x80000101, 'MODE 1 (vectored) is written'));
  out.push(ws(['PRIV-CSR-EPC'], 'mepc', 0x80000003, 'mepc[1:0] read as 0'));
  out.push(ws(['PRIV-CSR-EPC'], 'sepc', 0xffffffff, 'sepc[1:0] read as 0'));
  out.push(ws(['PRIV-CSR-MISA'], 'misa', 0, 'misa is read-only in popek: the write is ignored'));
  out.push(ws(['PRIV-CSR-SIE'], 'sie', 0xffffffff, 'only bits delegated in mideleg are written', { mideleg: 0x22 }));
  out.push(ws(['PRIV-CSR-SIE'], 'sip', 0xffffffff, 'only SSIP is writable through sip, when delegated', { mideleg: 0x222 }));
  out.push(ws(['PRIV-CSR-SIE'], 'sie', 0, 'with mideleg = 0, sie reads 0 and writes nothing', { mie: 0x222 }));
  out.push(ws(['PRIV-CSR-MIP'], 'mip', 0xffffffff, 'only SSIP, STIP and SEIP are software-writable; MTIP is the CLINT line'));
  out.push({ rules: ['PRIV-CSR-MIP'], desc: 'csrrs mip with rs1 = x0 reads the device lines (MTIP from reset)', prog: [rd('mip')] });
  out.push(ws(['PRIV-CSR-SATP'], 'satp', 0xffffffff, 'every value is legal for Sv32'));
  out.push(ws(['PRIV-CSR-DELEG'], 'medeleg', 0xffffffff, 'medeleg cannot delegate ecall from M (bit 11)'));
  out.push(ws(['PRIV-CSR-DELEG'], 'mideleg', 0xffffffff, 'mideleg delegates only the supervisor interrupts'));
  out.push(ws(['PRIV-CSR-MIE'], 'mie', 0xffffffff, 'mie has the six interrupts of this hart'));
  out.push(ws(['PRIV-CSR-COUNTEREN'], 'mcounteren', 0xffffffff, 'mcounteren has CY, TM and IR'));
  out.push(ws(['PRIV-CSR-ENVCFG'], 'menvcfg', 0xffffffff, 'menvcfg has only FIOM'));
  out.push(ws(['PRIV-CNT-1'], 'mcycle', 0xfffffffe, 'writes set the low half only'));
  out.push(ws(['PRIV-CNT-1'], 'minstreth', 5, 'writes set the high half of minstret', {}));
  out.push({ rules: ['PRIV-CSR-INFO'], desc: 'mvendorid, marchid, mimpid and mconfigptr read 0', prog: ['mvendorid', 'marchid', 'mimpid', 'mconfigptr'].map((c, i) => csr('csrrs', A0 + i, c, 0)), x: { [A0]: 0x5a, [A1]: 0x5a, [A2]: 0x5a, 13: 0x5a } });
  out.push({ rules: ['PRIV-CSR-SCRATCH'], desc: 'mcause, mtval, scause and stval hold any value', prog: ['mcause', 'mtval', 'scause', 'stval'].map((c) => csr('csrrw', 0, c, A1)), x: { [A1]: 0xffffffff } });
  out.push({ rules: ['PRIV-CSR-HPM'], desc: 'mhpmcounter3 and mhpmevent3 read 0 and ignore writes; hpmcounter3 reads 0 in M', prog: [csr('csrrw', 0, 'mhpmcounter3', A1), csr('csrrs', A0, 'mhpmcounter3', 0), csr('csrrw', 0, 'mhpmevent31', A1), csr('csrrs', A2, 'mhpmevent31', 0), csr('csrrs', 13, 'hpmcounter3', 0)], x: { [A1]: 0xffffffff, [A0]: 1, [A2]: 1, 13: 1 } });
  out.push({ ...ill('in U with every counter enabled: hpmcounter3 is still illegal', rd('hpmcounter3'), 'U', { mcounteren: 7, scounteren: 7 }), rules: ['PRIV-CSR-HPM', 'PRIV-CSR-COUNTEREN', 'PRIV-CSR-ACCESS'] });
  out.push(ws(['PRIV-CSR-INHIBIT'], 'mcountinhibit', 0xffffffff, 'only CY and IR are writable'));
  out.push(ws(['PRIV-CSR-COUNTEREN'], 'scounteren', 0xfffffff8, 'scounteren keeps only CY, TM and IR'));
  const inh = [NOP, NOP, rd('minstret')];
  out.push({ rules: ['PRIV-CNT-2', 'PRIV-CSR-INHIBIT'], desc: 'mcountinhibit = 5 stops minstret and mcycle', prog: inh, csrs: { mcountinhibit: 5, minstret: 10, mcycle: 20 } });
  out.push({ rules: ['PRIV-CNT-2', 'PRIV-TRAP-ENTRY'], desc: 'a trap does not retire: minstret counts only the nop', prog: [NOP, ECALL], steps: 2, csrs: TRAPS, watch: ['minstret'] });
  const cnt3 = [csr('csrrw', 0, 'minstret', A1), rd('minstret')];
  out.push({ rules: ['PRIV-CNT-3'], desc: 'csrw minstret, 100; the next instruction reads 100 (the write follows the increment)', prog: cnt3, x: { [A1]: 100 }, watch: ['minstret'] });
  out.push({ rules: ['PRIV-CNT-3'], desc: 'csrw mcycle, 0xffffffff; mcycleh has not carried when read next', prog: [csr('csrrw', 0, 'mcycle', A1), rd('mcycleh')], x: { [A1]: 0xffffffff }, watch: ['mcycle', 'mcycleh'] });
  return out;
}

// --- Sv32
const ROOT = 0x8001_0000, L0 = 0x8001_1000;
const SATP = (0x8000_0000 | (ROOT >>> 12)) >>> 0;
const V = 1, R = 2, W = 4, X = 8, U = 16, A = 64, D = 128;
const pte = (pa: number, flags: number): number => (((Math.floor(pa / 4096) << 10) | flags) >>> 0);
const VA = 0x4000_0000;

/** Page tables: VA 0x40000000 -> DATA via L0 with `leaf` flags; RAM megapage identity-mapped with `mega` flags. */
function tables(leaf: number, mega = V | R | W | X | A | D, extra: Record<number, number> = {}): Record<number, number> {
  return {
    [ROOT + (VA >>> 22) * 4]: pte(L0, V),
    [ROOT + (RAM >>> 22) * 4]: pte(RAM, mega),
    [L0]: leaf === 0 ? 0 : pte(DATA, leaf),
    [DATA]: 0x600dda7a, [DATA + 4]: 0x12345678,
    ...extra,
  };
}

function translation(): Case[] {
  const out: Case[] = [];
  const lw = ld('lw', A0, A1, 0), sw = st('sw', A2, A1, 0);
  const viaS = (rules: string[], desc: string, w: number, leaf: number, more: Partial<Case> = {}): Case => ({
    rules, desc: `${dis(w)} as ${((more.csrs?.['mstatus'] ?? MS.MPP_S) & MS.MPP_S) !== 0 ? 'S' : 'U'} (M with MPRV = 1), a1 = ${h((more.x?.[A1] ?? VA) >>> 0)}: ${desc}`, prog: [w],
    x: { [A1]: VA, [A2]: 0xa5a5a5a5 }, words: tables(leaf), ...more,
    csrs: { ...PMP_ALL, mtvec: HANDLER, satp: SATP, mstatus: MS.MPRV | MS.MPP_S, ...(more.csrs ?? {}) },
  });
  out.push(viaS(['XLATE-1', 'XLATE-MPRV', 'XLATE-ACTIVE'], 'a 4 KiB page maps to the data page', lw, V | R | W | A | D));
  out.push(viaS(['XLATE-1'], 'a store through a 4 KiB page', sw, V | R | W | A | D));
  out.push(viaS(['XLATE-SUPER', 'XLATE-1'], 'a megapage maps RAM to itself', lw, V | R | W | A | D, { x: { [A1]: DATA + 4 } }));
  out.push(viaS(['XLATE-1', 'XLATE-FAULT', 'PRIV-TRAP-TVAL', 'PRIV-TRAP-ENTRY'], 'an invalid PTE (V = 0): load page fault', lw, 0));
  out.push(viaS(['XLATE-1', 'XLATE-FAULT', 'PRIV-TRAP-TVAL', 'PRIV-TRAP-ENTRY'], 'an invalid PTE (V = 0): store page fault', sw, 0));
  out.push(viaS(['XLATE-PTE', 'XLATE-FAULT', 'PRIV-TRAP-ENTRY'], 'W = 1 with R = 0 is reserved: page fault', lw, V | W | A | D));
  out.push(viaS(['XLATE-PERM', 'XLATE-FAULT', 'PRIV-TRAP-ENTRY'], 'a store to a read-only page: store page fault', sw, V | R | A | D));
  out.push(viaS(['XLATE-PERM', 'XLATE-FAULT', 'PRIV-TRAP-ENTRY'], 'a load from an execute-only page without MXR: page fault', lw, V | X | A));
  out.push(viaS(['XLATE-PERM'], 'MXR = 1 makes an execute-only page readable', lw, V | X | A, { csrs: { mstatus: MS.MPRV | MS.MPP_S | MS.MXR } }));
  out.push(viaS(['XLATE-PERM', 'XLATE-FAULT', 'PRIV-TRAP-ENTRY'], 'S may not load from a U page without SUM', lw, V | R | W | U | A | D));
  out.push(viaS(['XLATE-PERM'], 'SUM = 1 lets S load from a U page', lw, V | R | W | U | A | D, { csrs: { mstatus: MS.MPRV | MS.MPP_S | MS.SUM } }));
  out.push(viaS(['XLATE-MPRV', 'XLATE-PERM', 'MEM-PRIV', 'PRIV-TRAP-ENTRY'], 'with MPP = U, a supervisor page faults', lw, V | R | W | A | D, { csrs: { mstatus: MS.MPRV } }));
  out.push(viaS(['XLATE-MPRV', 'XLATE-PERM', 'MEM-PRIV'], 'with MPP = U, a U page is accessible', lw, V | R | W | U | A | D, { csrs: { mstatus: MS.MPRV } }));
  out.push(viaS(['XLATE-SUPER', 'XLATE-FAULT', 'PRIV-TRAP-ENTRY'], 'a misaligned megapage (ppn[0] != 0): page fault', lw, 0, { words: { ...tables(0), [ROOT + (VA >>> 22) * 4]: pte(DATA, V | R | W | A | D) } }));
  out.push(viaS(['XLATE-1', 'XLATE-PTE', 'XLATE-FAULT', 'PRIV-TRAP-ENTRY'], 'a pointer PTE at level 0: page fault', lw, 0, { words: { ...tables(0), [L0]: pte(DATA, V) } }));
  out.push(viaS(['XLATE-ACTIVE'], 'satp.MODE = 0 (bare): no translation', lw, 0, { x: { [A1]: DATA }, csrs: { satp: 0 } }));
  out.push(viaS(['XLATE-AD', 'CFG-1'], 'A = 0 with hardware update: the walk sets A', lw, V | R | W));
  out.push(viaS(['XLATE-AD', 'CFG-1'], 'D = 0 on a store with hardware update: the walk sets A and D', sw, V | R | W | A));
  out.push(viaS(['XLATE-AD', 'CFG-1', 'XLATE-FAULT', 'PRIV-TRAP-ENTRY'], 'A = 0 with adUpdate "fault": load page fault', lw, V | R | W, { config: { adUpdate: 'fault' } }));
  out.push(viaS(['XLATE-AD', 'CFG-1', 'XLATE-FAULT', 'PRIV-TRAP-ENTRY'], 'D = 0 on a store with adUpdate "fault": store page fault', sw, V | R | W | A, { config: { adUpdate: 'fault' } }));
  const ptRo = { pmpaddr0: ((ROOT >>> 2) | 0x3ff) >>> 0, pmpaddr1: 0xffffffff, pmpcfg0: 0x1f19 };
  out.push(viaS(['XLATE-AD-2', 'PMP-MATCH-1', 'PRIV-TRAP-ENTRY'], 'the A update needs PMP write permission on the PTE: load access fault', lw, V | R | W, { csrs: ptRo }));
  out.push(viaS(['XLATE-PTE-PMP', 'PMP-APPLY'], 'PTE reads need only PMP read permission', lw, V | R | W | A | D, { csrs: ptRo }));
  const ptNone = { pmpaddr0: ((ROOT >>> 2) | 0x3ff) >>> 0, pmpaddr1: 0xffffffff, pmpcfg0: 0x1f18 };
  out.push(viaS(['XLATE-PTE-PMP', 'PMP-APPLY', 'PMP-FAULT', 'PRIV-TRAP-ENTRY'], 'a PTE that PMP does not let S read: load access fault', lw, V | R | W | A | D, { csrs: ptNone }));
  out.push(viaS(['XLATE-CROSS', 'MEM-ACCESS-1', 'CFG-MISALIGNED', 'PRIV-TRAP-TVAL', 'PRIV-TRAP-ENTRY'], 'crossing into an unmapped page: store page fault at the second page, nothing written', sw, V | R | W | A | D, { x: { [A1]: VA + 0xffe, [A2]: 0xa5a5a5a5 } }));
  // PRIV-EXC-PRIORITY: misalignment before translation and PMA; store faults for a failing SC.
  out.push(viaS(['PRIV-EXC-PRIORITY', 'CFG-MISALIGNED', 'PRIV-TRAP-ENTRY'], 'misaligned: "trap" and an unmapped page: address-misaligned (4) comes first', ld('lw', A0, A1, 1), 0, { config: { misaligned: 'trap' } }));
  out.push(viaS(['PRIV-EXC-PRIORITY', 'ISA-A-SC', 'XLATE-FAULT', 'PRIV-TRAP-ENTRY'], 'sc.w without a reservation to an unmapped page: store page fault (15), not a failed SC', sc(A2, A3, A1), 0));
  out.push({ rules: ['PRIV-EXC-PRIORITY', 'CFG-MISALIGNED', 'PRIV-TRAP-ENTRY'], desc: 'a misaligned lr.w to a hole: address-misaligned (4) before the access fault', prog: [lr(A0, A1)], x: { [A1]: 2 }, csrs: { mtvec: HANDLER } });
  out.push({ rules: ['XLATE-ACTIVE'], desc: 'in M with MPRV = 0, satp is not active: the address is physical', prog: [lw], x: { [A1]: DATA }, words: tables(V | R | W | A | D), csrs: { satp: SATP } });
  out.push(viaS(['XLATE-CROSS', 'MEM-ACCESS-1', 'CFG-MISALIGNED'], 'a store crossing into a mapped page writes two bytes to each physical page', sw, V | R | W | A | D, {
    x: { [A1]: VA + 0xffe, [A2]: 0xa1b2c3d4 }, words: { ...tables(V | R | W | A | D), [L0 + 4]: pte(DATA + 0x2000, V | R | W | A | D), [DATA + 0x2000]: 0x11111111 },
  }));
  // ENG-TLB-1: a cached translation never outlives what it was built from.
  const lw3 = ld('lw', A3, A1, 0);
  out.push(viaS(['XLATE-NOTLB', 'ENG-TLB-1', 'XLATE-1'], 'load, rewrite the leaf PTE to another page, load again: the new mapping is used', lw, V | R | W | A | D, {
    prog: [lw, st('sw', A4, A5, 0), lw3], x: { [A1]: VA, [A4]: pte(DATA + 4096, V | R | W | A | D), [A5]: L0 },
    words: { ...tables(V | R | W | A | D), [DATA + 4096]: 0x5ec0d9a6 },
  }));
  out.push(viaS(['XLATE-NOTLB', 'ENG-TLB-1', 'XLATE-ACTIVE', 'PRIV-TRAP-ENTRY'], 'load from a U page with SUM, clear SUM, load again: page fault', lw, V | R | W | U | A | D, {
    prog: [lw, csr('csrrc', 0, 'mstatus', A4), lw3], x: { [A1]: VA, [A4]: MS.SUM }, csrs: { mstatus: MS.MPRV | MS.MPP_S | MS.SUM },
  }));
  out.push(viaS(['XLATE-NOTLB', 'ENG-TLB-1', 'XLATE-1', 'PRIV-TRAP-ENTRY'], 'load, invalidate the leaf PTE, load again: page fault', lw, V | R | W | A | D, {
    prog: [lw, st('sw', 0, A5, 0), lw3], x: { [A1]: VA, [A5]: L0 },
  }));
  out.push(viaS(['XLATE-NOTLB', 'ENG-TLB-1', 'PMP-MATCH-1', 'PRIV-TRAP-ENTRY'], 'load, then PMP denies S reads of the data page, load again: access fault', lw, V | R | W | A | D, {
    prog: [lw, csr('csrrw', 0, 'pmpcfg0', A4), lw3], x: { [A1]: VA, [A4]: 0x1f18 }, csrs: { pmpaddr0: ((DATA >>> 2) | 0x1ff) >>> 0, pmpaddr1: 0xffffffff, pmpcfg0: 0x1f1f },
  }));
  // S-mode fetches through the identity megapage.
  const sMode = (desc: string, words: Record<number, number>, prog: number[], more: Partial<Case> = {}): Case => ({
    rules: ['XLATE-1'], desc, prog, priv: 'S', x: { [A1]: VA }, words, csrs: { ...PMP_ALL, mtvec: HANDLER, satp: SATP }, ...more,
  });
  out.push(sMode('S-mode code fetched through a megapage loads through a 4 KiB page', tables(V | R | A), [lw]));
  out.push({ ...sMode('S-mode fetch from a page without X: instruction page fault', tables(V | R | A, V | R | W | A | D), [lw]), rules: ['XLATE-PERM', 'XLATE-FAULT', 'PRIV-TRAP-TVAL', 'PRIV-TRAP-ENTRY'] });
  out.push({ ...sMode('S-mode fetch from a U page, even with SUM: instruction page fault', tables(V | R | A, V | R | W | X | U | A | D), [lw]), rules: ['XLATE-PERM', 'XLATE-FAULT', 'PRIV-TRAP-ENTRY'], csrs: { ...PMP_ALL, mtvec: HANDLER, satp: SATP, mstatus: MS.SUM } });
  out.push({ ...sMode('S-mode jump to an unmapped page: instruction page fault at the target', tables(0), [jalr(0, A1, 0x1000)], { steps: 2 }), rules: ['XLATE-1', 'XLATE-FAULT', 'PRIV-TRAP-TVAL', 'PRIV-TRAP-ENTRY'] });
  return out;
}

function pmp(): Case[] {
  const out: Case[] = [];
  const rd = (c: string): number => csr('csrrs', A0, c, 0);
  const w = (c: string): number => csr('csrrw', 0, c, A1);
  out.push({ rules: ['PMP-CFG-1'], desc: 'pmpcfg0 = 0x7f: reserved bits 6:5 read 0', prog: [w('pmpcfg0'), rd('pmpcfg0')], x: { [A1]: 0x7f } });
  out.push({ rules: ['PMP-CFG-1'], desc: 'pmpcfg0 entry 0 = W without R (reserved): W is cleared', prog: [w('pmpcfg0'), rd('pmpcfg0')], x: { [A1]: 0x1a } });
  out.push({ rules: ['PMP-GRAIN', 'PMP-CFG-1'], desc: 'pmpGranularity = 1: NA4 is not selectable, A keeps its old value', config: { pmpGranularity: 1 }, prog: [w('pmpcfg0'), rd('pmpcfg0')], x: { [A1]: 0x0f0f1713 }, csrs: { pmpcfg0: 0x0f0f0f0b } });
  out.push({ rules: ['PMP-ENTRIES', 'PRIV-CSR-PMP', 'PMP-CFG-1'], desc: 'pmpEntries = 4: pmpcfg1 and the upper entries read 0', config: { pmpEntries: 4 }, prog: [w('pmpcfg1'), rd('pmpcfg1'), w('pmpaddr4'), csr('csrrs', A2, 'pmpaddr4', 0)], x: { [A1]: 0x1f1f1f1f } });
  out.push({ rules: ['PMP-GRAIN', 'PMP-ADDR-1'], desc: 'pmpGranularity = 2, NAPOT: pmpaddr bit 0 reads 1', config: { pmpGranularity: 2 }, prog: [w('pmpaddr0'), rd('pmpaddr0')], x: { [A1]: 0x20000400 }, csrs: { pmpcfg0: 0x18 } });
  out.push({ rules: ['PMP-GRAIN', 'PMP-ADDR-1'], desc: 'pmpGranularity = 2, TOR: pmpaddr bits 1:0 read 0', config: { pmpGranularity: 2 }, prog: [w('pmpaddr0'), rd('pmpaddr0')], x: { [A1]: 0xffffffff }, csrs: { pmpcfg0: 0x08 } });
  out.push({ rules: ['PMP-ADDR-1'], desc: 'pmpGranularity = 0: pmpaddr reads what was written', prog: [w('pmpaddr3'), csr('csrrs', A0, 'pmpaddr3', 0)], x: { [A1]: 0xffffffff } });
  out.push({ rules: ['PMP-LOCK-1'], desc: 'a locked entry ignores writes to its pmpcfg byte and pmpaddr', prog: [w('pmpcfg0'), w('pmpaddr0'), rd('pmpcfg0')], x: { [A1]: 0 }, csrs: { pmpaddr0: 0x20000400, pmpcfg0: 0x99 } });
  out.push({ rules: ['PMP-LOCK-1'], desc: 'a locked TOR entry 1 also locks pmpaddr0', prog: [w('pmpaddr0'), rd('pmpaddr0')], x: { [A1]: 0 }, csrs: { pmpaddr0: 0x20000400, pmpaddr1: 0x20000800, pmpcfg0: 0x8900 } });
  out.push({ rules: ['PMP-LOCK-1'], desc: 'locking entry 0 does not lock entry 1', prog: [w('pmpaddr1'), rd('pmpaddr1')], x: { [A1]: 0x1234 }, csrs: { pmpaddr0: 0x20000400, pmpcfg0: 0x99 } });
  const data = { [DATA]: 0x0badf00d };
  const sw = st('sw', A2, A1, 0), lw = ld('lw', A0, A1, 0);
  const napotData = ((DATA >>> 2) | 0x1ff) >>> 0;
  out.push({ rules: ['PMP-LOCK-2', 'PMP-FAULT', 'PRIV-TRAP-ENTRY'], desc: 'a locked read-only entry applies to M: the store faults', prog: [sw], x: { [A1]: DATA, [A2]: 1 }, words: data, csrs: { mtvec: HANDLER, pmpaddr0: napotData, pmpcfg0: 0x99 } });
  out.push({ rules: ['PMP-LOCK-2'], desc: 'a locked read-only entry lets M load', prog: [lw], x: { [A1]: DATA }, words: data, csrs: { pmpaddr0: napotData, pmpcfg0: 0x99 } });
  out.push({ rules: ['PMP-LOCK-2'], desc: 'an unlocked read-only entry does not apply to M: the store is performed', prog: [sw], x: { [A1]: DATA, [A2]: 1 }, words: data, csrs: { pmpaddr0: napotData, pmpcfg0: 0x19 } });
  const code = ((RAM >>> 2) | 0x1ff) >>> 0;
  const s = (rules: string[], desc: string, w1: number, csrs: Record<string, number>, x: Record<number, number> = { [A1]: DATA, [A2]: 7 }): Case =>
    ({ rules, desc: `${dis(w1)} in S: ${desc}`, prog: [w1], priv: 'S', x, words: data, csrs: { mtvec: HANDLER, ...csrs } });
  out.push(s(['PMP-MATCH-1', 'PMP-RANGE', 'PMP-APPLY'], 'entry 1 (R) matches the data page', lw, { pmpaddr0: code, pmpaddr1: napotData, pmpcfg0: 0x191f }));
  out.push(s(['PMP-MATCH-1', 'PMP-FAULT', 'PRIV-TRAP-ENTRY'], 'entry 1 (R) denies the store', sw, { pmpaddr0: code, pmpaddr1: napotData, pmpcfg0: 0x191f }));
  out.push(s(['PMP-MATCH-1', 'PMP-FAULT', 'PRIV-TRAP-ENTRY'], 'the lowest-numbered match decides: entry 1 (no R) before entry 2 (RW)', lw, { pmpaddr0: code, pmpaddr1: napotData, pmpaddr2: 0xffffffff, pmpcfg0: 0x1b181f }));
  out.push(s(['PMP-MATCH-1', 'PMP-FAULT', 'PRIV-TRAP-ENTRY'], 'no entry matches an S access: access fault', lw, { pmpaddr0: code, pmpcfg0: 0x1f }));
  out.push(s(['PMP-RANGE', 'PMP-MATCH-1'], 'TOR [DATA, DATA + 4 KiB) with RW', sw, { pmpaddr0: code, pmpaddr1: DATA >>> 2, pmpaddr2: (DATA + 0x1000) >>> 2, pmpcfg0: 0x0b001f }));
  out.push(s(['PMP-RANGE', 'PMP-MATCH-1', 'PMP-FAULT', 'PRIV-TRAP-ENTRY'], 'TOR ends below the access: no match, access fault', sw, { pmpaddr0: code, pmpaddr1: DATA >>> 2, pmpaddr2: (DATA + 0x1000) >>> 2, pmpcfg0: 0x0b001f }, { [A1]: DATA + 0x1000, [A2]: 7 }));
  out.push(s(['PMP-RANGE', 'PMP-MATCH-1'], 'NA4 over exactly one word', lw, { pmpaddr0: code, pmpaddr1: DATA >>> 2, pmpcfg0: 0x111f }));
  out.push(s(['PMP-MATCH-1', 'PMP-RANGE', 'CFG-MISALIGNED', 'PMP-FAULT', 'PRIV-TRAP-ENTRY'], 'an access that only partly overlaps the NA4 entry fails', lw, { pmpaddr0: code, pmpaddr1: DATA >>> 2, pmpaddr2: 0xffffffff, pmpcfg0: 0x1f111f }, { [A1]: DATA + 2 }));
  out.push({ rules: ['PMP-APPLY', 'PMP-FAULT', 'PMP-MATCH-1', 'PRIV-TRAP-ENTRY'], desc: 'S code in a region without X: instruction access fault', prog: [NOP], priv: 'S', csrs: { mtvec: HANDLER, pmpaddr0: code, pmpcfg0: 0x1b } });
  out.push({ rules: ['PMP-ENTRIES', 'PMP-MATCH-1'], desc: 'pmpEntries = 0: PMP is absent and S may access everything', config: { pmpEntries: 0 }, prog: [lw], priv: 'S', x: { [A1]: DATA }, words: data });
  return out;
}

export const privilegedCases = (): Case[] => [...traps(), ...xret(), ...interrupts(), ...csrRules(), ...translation(), ...pmp()];
