/**
 * Hand-picked cases for the H extension: spec/hypervisor.md (HV-*) and spec/hypervisor-translation.md
 * (HV-XLATE-*). Every case runs on `rv32imah_zicsr_zifencei_zicntr` in one of the five modes
 * M, HS, U, VS (priv S, V = 1) and VU (priv U, V = 1), with PMP entry 0 allowing everything and
 * handlers at HANDLER (mtvec), S_HANDLER (stvec) and VS_HANDLER (vstvec). Translation is Bare
 * unless a case installs page tables: the G-stage root (Sv32x4, 16 KiB) is at 0x80010000, a
 * G-stage level-0 table at 0x80014000, and the VS-stage tables at guest physical 0x80020000 and
 * 0x80021000 (which the G-stage maps to themselves when it is active).
 */
import type { PrivName } from '../../formats/arch-state.js';
import {
  A0, A1, A2, A3, A4, amo, csr, EBREAK, ECALL, hfence, hlv, hsv, jalr, ld, lr, MRET, NOP, ri, sc, sfence, SRET, st, WFI,
} from '../asm.js';
import { type Case, DATA, dis, h, HANDLER, PMP_ALL, RAM, Rng } from './util.js';

const ISA_H = { isa: 'rv32imah_zicsr_zifencei_zicntr' } as const;
const S_HANDLER = 0x8000_0200, VS_HANDLER = 0x8000_0300;
const TRAPS = { mtvec: HANDLER, stvec: S_HANDLER, vstvec: VS_HANDLER };
/** A hole in the physical address space (no RAM, no device). */
const HOLE = 0x4000_0000;

/** mstatus, mstatush, hstatus fields. */
const MS = { SIE: 1 << 1, MIE: 1 << 3, SPIE: 1 << 5, MPIE: 1 << 7, SPP: 1 << 8, MPP_S: 1 << 11, MPP_M: 3 << 11, MPRV: 1 << 17, SUM: 1 << 18, MXR: 1 << 19, TVM: 1 << 20, TW: 1 << 21, TSR: 1 << 22 };
const MSH = { GVA: 1 << 6, MPV: 1 << 7 };
const HS = { GVA: 1 << 6, SPV: 1 << 7, SPVP: 1 << 8, HU: 1 << 9, VTVM: 1 << 20, VTW: 1 << 21, VTSR: 1 << 22 };
/** mideleg reads the VS-level interrupts and SGEI as one with H (HV-CSR-DELEG): a value to set must include them. */
const MIDELEG_ONES = 0x1444;
/** mip as a case sets it: the software bits `sw`, plus MTIP (pending from reset, DEV-CLINT-8) and the hvip bits it reads. */
const mipOf = (sw: number, hvip = 0): number => (sw | (1 << 7) | hvip) >>> 0;
/** Exception codes used as medeleg/hedeleg bits (the others are written as numbers next to their description). */
const E = { BREAK: 3, LOAD_ACCESS: 5, LOAD_PAGE: 13, STORE_PAGE: 15, FETCH_GUEST: 20, LOAD_GUEST: 21, STORE_GUEST: 23 };
const bit = (...ns: number[]): number => ns.reduce((a, n) => (a | (1 << n)) >>> 0, 0);
/** Every hedeleg bit popek lets VS-mode take (HV-CSR-DELEG). */
const HEDELEG_ALL = 0xb1ff;
/** The guest-page faults (20, 21, 23): delegated to HS-mode so that htval/htinst show. */
const GUEST_FAULTS = bit(E.FETCH_GUEST, E.LOAD_GUEST, E.STORE_GUEST);

type Mode = 'M' | 'HS' | 'U' | 'VS' | 'VU';
const PRIV: Record<Mode, PrivName> = { M: 'M', HS: 'S', U: 'U', VS: 'S', VU: 'U' };
const modeOf = (m: Mode): { priv: PrivName; v: 0 | 1 } => ({ priv: PRIV[m], v: m === 'VS' || m === 'VU' ? 1 : 0 });

/** A case in mode `m` on the H ISA; `more.csrs` are added to PMP_ALL and the three handlers. */
const hc = (rules: string[], m: Mode, desc: string, prog: number[], more: Partial<Case> = {}): Case => ({
  rules, desc: `${m}: ${desc}`, prog, ...modeOf(m), ...more,
  config: { ...ISA_H, ...(more.config ?? {}) },
  csrs: { ...PMP_ALL, ...TRAPS, ...(more.csrs ?? {}) },
});

const rd = (c: string | number, r = A0): number => csr('csrrs', r, c, 0);
const wr = (c: string | number, rs = A1, r = A0): number => csr('csrrw', r, c, rs);
const ILLEGAL_WORD = 0xffffffff;

// =====================================================================================================
// Traps: delegation, entry, GVA, ECALL causes (HV-TRAP-DELEG, HV-TRAP-ENTRY, HV-TRAP-GVA, HV-ECALL).

function traps(): Case[] {
  const o: Case[] = [];
  const cause: Record<Mode, number> = { U: 8, HS: 9, VU: 8, VS: 10, M: 11 };
  for (const m of ['U', 'HS', 'VU', 'VS', 'M'] as const) {
    o.push(hc(['HV-ECALL', 'HV-TRAP-ENTRY'], m, `ecall raises cause ${cause[m]}, taken in M (nothing delegated); MPV = ${m[0] === 'V' ? 1 : 0}`, [ECALL]));
  }
  const D = ['HV-TRAP-DELEG', 'HV-TRAP-ENTRY'];
  o.push(hc([...D, 'HV-ECALL'], 'VU', 'ecall with medeleg[8] and hedeleg[8]: taken in VS (vscause 8, vsstatus.SPP = 0), V stays 1', [ECALL], { csrs: { medeleg: bit(8), hedeleg: bit(8) } }));
  o.push(hc([...D, 'HV-ECALL'], 'VU', 'ecall with medeleg[8] only: taken in HS (scause 8, SPV = 1, SPVP = 0, SPP = 0), V = 0', [ECALL], { csrs: { medeleg: bit(8) } }));
  o.push(hc([...D, 'HV-ECALL'], 'VU', 'ecall with hedeleg[8] only: medeleg decides first, taken in M (MPV = 1, MPP = U)', [ECALL], { csrs: { hedeleg: bit(8) } }));
  o.push(hc([...D, 'HV-ECALL'], 'VS', 'ecall with medeleg[10] and every writable hedeleg bit: cause 10 cannot be delegated to VS, taken in HS', [ECALL], { csrs: { medeleg: bit(10), hedeleg: HEDELEG_ALL } }));
  o.push(hc([...D, 'HV-ECALL'], 'VS', 'ecall with medeleg[8, 10], hedeleg[8]: the hypervisor takes VS-mode\'s ecall (cause 10) in HS', [ECALL], { csrs: { medeleg: bit(8, 10), hedeleg: bit(8) } }));
  o.push(hc([...D, 'HV-ECALL'], 'VU', 'ecall with medeleg[8, 10], hedeleg[8]: VU-mode\'s ecall (cause 8) goes to the guest in VS', [ECALL], { csrs: { medeleg: bit(8, 10), hedeleg: bit(8) } }));
  o.push(hc([...D, 'HV-ECALL'], 'U', 'ecall with medeleg[8] and hedeleg[8]: V = 0, so hedeleg plays no part: taken in HS with SPV = 0', [ECALL], { csrs: { medeleg: bit(8), hedeleg: bit(8) } }));
  o.push(hc(D, 'VS', 'an illegal instruction with medeleg[2] and hedeleg[2]: taken in VS, vstval = the word', [ILLEGAL_WORD], { csrs: { medeleg: bit(2), hedeleg: bit(2) } }));
  o.push(hc(D, 'HS', 'an illegal instruction with medeleg[2] and hedeleg[2]: V = 0, taken in HS', [ILLEGAL_WORD], { csrs: { medeleg: bit(2), hedeleg: bit(2) } }));
  o.push(hc(D, 'M', 'an illegal instruction with medeleg[2] and hedeleg[2]: M-mode traps stay in M', [ILLEGAL_WORD], { csrs: { medeleg: bit(2), hedeleg: bit(2) } }));
  o.push(hc([...D, 'HV-VIRTUAL'], 'VU', `${dis(rd('sstatus'))} is a virtual instruction; medeleg[22] and all of hedeleg: taken in HS (22 is never delegated to VS)`, [rd('sstatus')], { csrs: { medeleg: bit(22), hedeleg: HEDELEG_ALL } }));
  o.push(hc([...D, 'HV-VIRTUAL'], 'VS', `${dis(rd('hstatus'))}: a virtual instruction, not delegated: taken in M with mcause 22, mtval = the word`, [rd('hstatus')]));
  o.push(hc([...D, 'HV-IRQ-ENABLE'], 'VU', 'VSSIP (hvip) pending and enabled, hideleg[2]: taken in VS with vscause 0x80000001', [NOP], { csrs: { hvip: bit(2), mie: bit(2), hideleg: bit(2) } }));
  o.push(hc([...D, 'HV-IRQ-ENABLE'], 'VU', 'VSSIP pending and enabled, hideleg = 0: taken in HS with scause 0x80000002 (mideleg[2] reads one)', [NOP], { csrs: { hvip: bit(2), mie: bit(2) } }));
  // Trap entry: what is written, and what is left alone.
  const T = ['HV-TRAP-ENTRY'];
  o.push(hc(T, 'VS', 'ebreak into HS with sstatus.SIE = 1: SPIE = 1, SIE = 0, SPP = 1, SPV = 1, SPVP = 1, sepc = pc; MPP/MPV unchanged', [NOP, EBREAK], { steps: 2, csrs: { medeleg: bit(E.BREAK), mstatus: MS.SIE | MS.MPP_S, mstatush: MSH.MPV } }));
  o.push(hc(T, 'U', 'ecall into HS from U (V = 0): SPV ← 0, SPVP unchanged (1)', [ECALL], { csrs: { medeleg: bit(8), hstatus: HS.SPV | HS.SPVP } }));
  o.push(hc(T, 'HS', 'ecall into HS from HS: SPV ← 0, SPVP unchanged (0), SPP = 1', [ECALL], { csrs: { medeleg: bit(9), hstatus: HS.SPV } }));
  o.push(hc(T, 'VU', 'ecall into HS from VU: SPVP ← 0 (was 1)', [ECALL], { csrs: { medeleg: bit(8), hstatus: HS.SPVP } }));
  o.push(hc(T, 'VS', 'ebreak into VS with vsstatus.SIE = 1: vsstatus SPIE = 1, SIE = 0, SPP = 1; hstatus, mstatus, sepc, mepc unchanged', [EBREAK], { csrs: { medeleg: bit(E.BREAK), hedeleg: bit(E.BREAK), vsstatus: MS.SIE, hstatus: HS.SPV | HS.HU, mstatus: MS.SIE | MS.MPP_S, sepc: 0x1234, mepc: 0x5678 } }));
  o.push(hc(T, 'VU', 'ecall into VS: vsepc = pc, vsstatus.SPP = 0; the HS and M trap CSRs and hstatus keep their values', [NOP, ECALL], { steps: 2, csrs: { medeleg: bit(8), hedeleg: bit(8), vsstatus: MS.SPP | MS.SPIE, hstatus: HS.SPVP | HS.HU, sepc: 0x1234, scause: 7, mepc: 0x5678, mcause: 3, mstatus: MS.SIE | MS.MIE } }));
  o.push(hc(T, 'VS', 'ecall into M: MPP = S, MPV = 1, MIE → MPIE, V = 0; hstatus and the VS CSRs unchanged', [ECALL], { csrs: { mstatus: MS.MIE, hstatus: HS.SPV, vsstatus: MS.SIE } }));
  o.push(hc(T, 'HS', 'ecall into M from HS with MPV = 1 before: MPV ← 0', [ECALL], { csrs: { mstatush: MSH.MPV } }));
  o.push(hc([...T, 'HV-IRQ-ENABLE', 'PRIV-TRAP-VEC'], 'VU', 'VSTIP (hvip) delegated by hideleg, vectored vstvec: vscause 0x80000005, pc = BASE + 20', [NOP], { csrs: { hvip: bit(6), mie: bit(6), hideleg: bit(6), vstvec: VS_HANDLER | 1 } }));
  o.push(hc([...T, 'HV-IRQ-ENABLE', 'PRIV-TRAP-VEC'], 'VS', 'VSEIP (hvip) delegated, vsstatus.SIE = 1, vectored vstvec: vscause 0x80000009, pc = BASE + 36', [NOP], { csrs: { hvip: bit(10), mie: bit(10), hideleg: bit(10), vstvec: VS_HANDLER | 1, vsstatus: MS.SIE } }));
  o.push(hc([...T, 'PRIV-TRAP-VEC'], 'VS', 'an exception (ebreak) with a vectored vstvec goes to BASE', [EBREAK], { csrs: { medeleg: bit(E.BREAK), hedeleg: bit(E.BREAK), vstvec: VS_HANDLER | 1 } }));
  o.push(hc([...T, 'HV-IRQ-ENABLE', 'PRIV-TRAP-VEC'], 'VS', 'VSSIP not delegated by hideleg, vectored stvec: taken in HS, scause 0x80000002, pc = BASE + 8', [NOP], { csrs: { hvip: bit(2), mie: bit(2), stvec: S_HANDLER | 1 } }));
  o.push(hc([...T, 'PRIV-TRAP-ENTRY'], 'VS', 'lr.w, then a trap into HS: the reservation survives the trap entry (sc.w from the handler succeeds)', [lr(A0, A1), ECALL], {
    steps: 3, x: { [A1]: DATA, [A2]: 0x55, [A3]: 9 }, words: { [DATA]: 5, [S_HANDLER]: sc(A2, A3, A1) }, csrs: { medeleg: bit(10) },
  }));
  // GVA.
  const G = ['HV-TRAP-GVA', 'HV-TRAP-ENTRY'];
  o.push(hc(G, 'VS', 'ebreak (tval = pc, a guest virtual address) into HS: hstatus.GVA = 1', [EBREAK], { csrs: { medeleg: bit(E.BREAK) } }));
  o.push(hc(G, 'VS', 'ebreak into M: mstatush.GVA = 1, MPV = 1', [EBREAK]));
  o.push(hc(G, 'VU', 'lw from a hole (load access fault, tval = the guest virtual address) into HS: GVA = 1', [ld('lw', A0, A1, 0)], { x: { [A1]: HOLE }, csrs: { medeleg: bit(E.LOAD_ACCESS) } }));
  o.push(hc([...G, 'CFG-MISALIGNED'], 'VS', 'a misaligned lw with misaligned = "trap": cause 4 into HS with GVA = 1', [ld('lw', A0, A1, 2)], { config: { misaligned: 'trap' }, x: { [A1]: DATA }, csrs: { medeleg: bit(4) } }));
  o.push(hc(G, 'VS', 'a jump to a hole: instruction access fault at the target into HS, GVA = 1', [jalr(0, A1, 0)], { steps: 2, x: { [A1]: HOLE }, csrs: { medeleg: bit(1) } }));
  o.push(hc(G, 'VS', 'ecall into HS with GVA = 1 before: GVA ← 0 (no address)', [ECALL], { csrs: { medeleg: bit(10), hstatus: HS.GVA } }));
  o.push(hc(G, 'VU', 'an illegal instruction into HS with GVA = 1 before: GVA ← 0', [ILLEGAL_WORD], { csrs: { medeleg: bit(2), hstatus: HS.GVA } }));
  o.push(hc([...G, 'HV-VIRTUAL'], 'VS', 'a virtual instruction into M with mstatush.GVA = 1 before: GVA ← 0', [rd('hgatp')], { csrs: { mstatush: MSH.GVA } }));
  o.push(hc([...G, 'HV-IRQ-ENABLE'], 'VS', 'an interrupt (VSSI) into HS with GVA = 1 before: GVA ← 0', [NOP], { csrs: { hvip: bit(2), mie: bit(2), hstatus: HS.GVA } }));
  o.push(hc(G, 'HS', 'lw from a hole with V = 0 (not a guest address) into HS with GVA = 1 before: GVA ← 0', [ld('lw', A0, A1, 0)], { x: { [A1]: HOLE }, csrs: { medeleg: bit(E.LOAD_ACCESS), hstatus: HS.GVA } }));
  o.push(hc(G, 'VS', 'ebreak into VS: neither hstatus.GVA nor mstatush.GVA is touched', [EBREAK], { csrs: { medeleg: bit(E.BREAK), hedeleg: bit(E.BREAK), hstatus: HS.GVA, mstatush: MSH.GVA } }));
  o.push(hc([...G, 'HV-HLV'], 'HS', `${dis(hlv('hlv.w', A0, A1))} from a hole: load access fault into HS with GVA = 1 and SPV = 0`, [hlv('hlv.w', A0, A1)], { x: { [A1]: HOLE }, csrs: { medeleg: bit(E.LOAD_ACCESS) } }));
  o.push(hc([...G, 'HV-HLV'], 'M', `${dis(hsv('hsv.w', A2, A1))} to a hole: store access fault into M with mstatush.GVA = 1, MPV = 0`, [hsv('hsv.w', A2, A1)], { x: { [A1]: HOLE } }));
  return o;
}

// =====================================================================================================
// MRET and SRET (HV-MRET, HV-SRET).

function xret(): Case[] {
  const o: Case[] = [];
  const M = ['HV-MRET'];
  const to = 0x8000_0040;
  o.push(hc(M, 'M', 'mret with MPP = S, MPV = 1: to VS at mepc; MPV ← 0, MPP ← U', [MRET], { csrs: { mepc: to, mstatus: MS.MPP_S, mstatush: MSH.MPV } }));
  o.push(hc(M, 'M', 'mret with MPP = U, MPV = 1, MPIE = 1: to VU; MIE = 1, MPIE = 1', [MRET], { csrs: { mepc: to, mstatus: MS.MPIE, mstatush: MSH.MPV } }));
  o.push(hc(M, 'M', 'mret with MPP = M, MPV = 1: stays in M with V = 0 (MPV ignored), MPV ← 0', [MRET], { csrs: { mepc: to, mstatus: MS.MPP_M, mstatush: MSH.MPV } }));
  o.push(hc(M, 'M', 'mret with MPP = S, MPV = 0: to HS', [MRET], { csrs: { mepc: to, mstatus: MS.MPP_S } }));
  o.push(hc([...M, 'PRIV-MRET'], 'M', 'mret with MPP = S, MPV = 1, MPRV = 1: to VS, MPRV ← 0', [MRET], { csrs: { mepc: to, mstatus: MS.MPP_S | MS.MPRV, mstatush: MSH.MPV } }));
  o.push(hc([...M, 'HV-TRAP-ENTRY'], 'M', 'mret to VU; the next instruction (ecall) traps back to M with MPV = 1, MPP = U', [MRET, ECALL], { steps: 2, csrs: { mepc: RAM + 4, mstatush: MSH.MPV } }));
  o.push(hc([...M, 'HV-TRAP-DELEG'], 'VS', 'mret is an illegal instruction in VS (cause 2, into M with MPV = 1)', [MRET], { csrs: { mepc: to } }));
  o.push(hc([...M, 'HV-TRAP-DELEG'], 'VU', 'mret is an illegal instruction in VU; medeleg[2] and hedeleg[2]: taken by the guest in VS', [MRET], { csrs: { mepc: to, medeleg: bit(2), hedeleg: bit(2) } }));
  const S = ['HV-SRET'];
  o.push(hc(S, 'HS', 'sret with SPV = 1, SPP = 1: to VS at sepc; SPV ← 0, SPP ← 0, SIE ← SPIE', [SRET], { csrs: { sepc: to, hstatus: HS.SPV | HS.SPVP, mstatus: MS.SPP | MS.SPIE } }));
  o.push(hc(S, 'HS', 'sret with SPV = 1, SPP = 0: to VU; SPVP is not changed', [SRET], { csrs: { sepc: to, hstatus: HS.SPV | HS.SPVP } }));
  o.push(hc(S, 'HS', 'sret with SPV = 0, SPP = 1: to HS', [SRET], { csrs: { sepc: to, mstatus: MS.SPP } }));
  o.push(hc(S, 'M', 'sret in M with SPV = 1, SPP = 1, MPRV = 1: to VS; MPRV ← 0, SPV ← 0', [SRET], { csrs: { sepc: to, hstatus: HS.SPV, mstatus: MS.SPP | MS.MPRV | MS.MPP_M } }));
  o.push(hc(S, 'VS', 'sret with vsstatus.SPP = 1, SPIE = 1: to VS at vsepc; vsstatus SPP ← 0, SIE = 1, SPIE = 1; hstatus and sstatus unchanged', [SRET], { csrs: { vsepc: to, vsstatus: MS.SPP | MS.SPIE, sepc: 0x8000_0080, hstatus: HS.SPV | HS.SPVP, mstatus: MS.SPP } }));
  o.push(hc(S, 'VS', 'sret with vsstatus.SPP = 0: to VU at vsepc', [SRET], { csrs: { vsepc: to, vsstatus: MS.SIE } }));
  o.push(hc([...S, 'HV-VIRTUAL'], 'VS', 'sret with mstatus.TSR = 1 (TSR does not affect VS): executes', [SRET], { csrs: { vsepc: to, vsstatus: MS.SPP, mstatus: MS.TSR } }));
  o.push(hc([...S, 'HV-VIRTUAL'], 'VS', 'sret with hstatus.VTSR = 1: virtual instruction (22)', [SRET], { csrs: { vsepc: to, hstatus: HS.VTSR } }));
  o.push(hc([...S, 'HV-VIRTUAL'], 'HS', 'sret with hstatus.VTSR = 1 (VTSR does not affect HS): executes', [SRET], { csrs: { sepc: to, hstatus: HS.VTSR } }));
  o.push(hc([...S, 'HV-VIRTUAL'], 'VU', 'sret: virtual instruction (22)', [SRET], { csrs: { vsepc: to, sepc: to } }));
  o.push(hc([...S, 'PRIV-XRET-2'], 'U', 'sret: illegal instruction (2)', [SRET], { csrs: { sepc: to, hstatus: HS.HU } }));
  o.push(hc([...S, 'HV-TRAP-ENTRY'], 'HS', 'sret into VU, then ecall traps back to HS (medeleg[8]): SPV = 1, SPVP = 0', [SRET, ECALL], { steps: 2, csrs: { sepc: RAM + 4, hstatus: HS.SPV, medeleg: bit(8) } }));
  return o;
}

// =====================================================================================================
// Interrupts (HV-IRQ-ENABLE, HV-IRQ-ORDER).

function interrupts(): Case[] {
  const o: Case[] = [];
  const N = ['HV-IRQ-ENABLE'];
  const vssi = { hvip: bit(2), mie: bit(2), hideleg: bit(2) };
  o.push(hc(N, 'VS', 'VSSIP pending, delegated to VS, vsstatus.SIE = 0: not taken', [NOP], { csrs: vssi }));
  o.push(hc(N, 'VS', 'VSSIP pending, delegated to VS, vsstatus.SIE = 1: taken in VS', [NOP], { csrs: { ...vssi, vsstatus: MS.SIE } }));
  o.push(hc(N, 'VS', 'VSSIP delegated to VS, sstatus.SIE = 1 but vsstatus.SIE = 0: not taken (sstatus.SIE plays no part with V = 1)', [NOP], { csrs: { ...vssi, mstatus: MS.SIE | MS.MIE } }));
  o.push(hc(N, 'VU', 'VSSIP delegated to VS, vsstatus.SIE = 0: taken in VU (VS interrupts are always enabled there)', [NOP], { csrs: vssi }));
  o.push(hc(N, 'HS', 'VSSIP delegated to VS, in HS with SIE = 1 and vsstatus.SIE = 1: never taken with V = 0', [NOP], { csrs: { ...vssi, mstatus: MS.SIE, vsstatus: MS.SIE } }));
  o.push(hc(N, 'U', 'VSSIP delegated to VS, in U: not taken', [NOP], { csrs: { ...vssi, vsstatus: MS.SIE } }));
  o.push(hc(N, 'M', 'VSSIP not delegated by hideleg, in M with MIE = 1 and SIE = 1: not taken (destination HS is below M)', [NOP], { csrs: { hvip: bit(2), mie: bit(2), mstatus: MS.MIE | MS.SIE } }));
  o.push(hc(N, 'VS', 'VSSIP not delegated by hideleg (destination HS), in VS with sstatus.SIE = 0: taken in HS', [NOP], { csrs: { hvip: bit(2), mie: bit(2) } }));
  o.push(hc(N, 'HS', 'VSSIP not delegated by hideleg, in HS with SIE = 0: not taken', [NOP], { csrs: { hvip: bit(2), mie: bit(2) } }));
  o.push(hc(N, 'HS', 'VSSIP not delegated by hideleg, in HS with SIE = 1: taken in HS with scause 0x80000002', [NOP], { csrs: { hvip: bit(2), mie: bit(2), mstatus: MS.SIE } }));
  o.push(hc(N, 'HS', 'SSIP delegated to HS (mideleg[1]), sstatus.SIE = 0, vsstatus.SIE = 1: not taken (vsstatus.SIE plays no part)', [NOP], { csrs: { mip: mipOf(bit(1)), mie: bit(1), mideleg: MIDELEG_ONES | bit(1), vsstatus: MS.SIE } }));
  o.push(hc([...N, 'DEV-CLINT-8'], 'VS', 'MTIP (pending from reset) enabled in mie, MIE = 0: taken in M (below M, M interrupts are enabled)', [NOP], { csrs: { mie: bit(7) } }));
  o.push(hc(N, 'VS', 'VSEIP set in hvip but not enabled in mie: not taken', [NOP], { csrs: { hvip: bit(10), hideleg: bit(10), vsstatus: MS.SIE } }));
  o.push(hc([...N, 'WFI-1'], 'VS', 'wfi with VSTIP pending and enabled in mie but vsstatus.SIE = 0: wfi retires, the next instruction runs, no trap', [WFI, NOP], { steps: 2, csrs: { hvip: bit(6), mie: bit(6), hideleg: bit(6) } }));
  const R = ['HV-IRQ-ORDER', 'HV-IRQ-ENABLE'];
  o.push(hc(R, 'VU', 'VSEIP, VSSIP and VSTIP pending, all delegated to VS: VSEI first (vscause 9)', [NOP], { csrs: { hvip: 0x444, mie: 0x444, hideleg: 0x444 } }));
  o.push(hc(R, 'VU', 'VSSIP and VSTIP pending, delegated to VS: VSSI first (vscause 1)', [NOP], { csrs: { hvip: 0x44, mie: 0x44, hideleg: 0x44 } }));
  o.push(hc(R, 'VS', 'SSIP (to HS) and VSEIP (to VS) pending: the HS-level interrupt goes first (scause 1)', [NOP], { csrs: { hvip: bit(10), mip: mipOf(bit(1), bit(10)), mie: bit(1, 10), mideleg: MIDELEG_ONES | bit(1), hideleg: bit(10), vsstatus: MS.SIE } }));
  o.push(hc(R, 'VS', 'SSIP and VSEIP both to HS: SSI before VSEI (scause 1)', [NOP], { csrs: { hvip: bit(10), mip: mipOf(bit(1), bit(10)), mie: bit(1, 10), mideleg: MIDELEG_ONES | bit(1) } }));
  o.push(hc(R, 'VS', 'STIP and VSEIP both to HS: STI before VSEI (scause 5)', [NOP], { csrs: { hvip: bit(10), mip: mipOf(bit(5), bit(10)), mie: bit(5, 10), mideleg: MIDELEG_ONES | bit(5) } }));
  o.push(hc(R, 'VU', 'VSEIP and VSSIP both to HS (hideleg = 0): VSEI first (scause 10)', [NOP], { csrs: { hvip: bit(2, 10), mie: bit(2, 10) } }));
  o.push(hc(R, 'VU', 'VSSIP and VSTIP both to HS: VSSI before VSTI (scause 2)', [NOP], { csrs: { hvip: bit(2, 6), mie: bit(2, 6) } }));
  o.push(hc([...R, 'DEV-CLINT-8'], 'VS', 'MTIP (to M) and VSSIP (to VS) pending: M first (mcause 7)', [NOP], { csrs: { hvip: bit(2), mie: bit(2, 7), hideleg: bit(2), vsstatus: MS.SIE } }));
  return o;
}

// =====================================================================================================
// CSRs (HV-CSR-*; HV-TIME).

function csrs(): Case[] {
  const o: Case[] = [];
  const A = ['HV-CSR-ACCESS'];
  const acc = (m: Mode, w: number, desc: string, c: Record<string, number> = {}, rules = A): Case => hc(rules, m, `${dis(w)}: ${desc}`, [w], { x: { [A1]: 0x5a5 }, csrs: c });
  o.push(acc('VS', rd('hstatus'), 'a hypervisor CSR with V = 1: virtual instruction', {}, [...A, 'HV-VIRTUAL']));
  o.push(acc('VU', rd('vsstatus'), 'a VS CSR with V = 1: virtual instruction', {}, [...A, 'HV-VIRTUAL']));
  o.push(acc('VS', rd('hgeip'), 'hgeip (read-only, level 2) in VS: virtual instruction', {}, [...A, 'HV-VIRTUAL']));
  o.push(acc('VS', wr('hgeip'), 'a write to read-only hgeip in VS: illegal instruction (HS could not make it either)'));
  o.push(acc('VU', rd('sstatus'), 'a supervisor CSR in VU: virtual instruction', {}, [...A, 'HV-VIRTUAL']));
  o.push(acc('VS', rd('mstatus'), 'an M-level CSR in VS: illegal instruction'));
  o.push(acc('VS', rd(0x7ff), 'a CSR that does not exist, in VS: illegal instruction'));
  o.push(acc('VS', wr('cycle'), 'a write to the read-only cycle in VS: illegal instruction', { mcounteren: 7, hcounteren: 7 }));
  o.push(acc('VS', rd('cycle'), 'mcounteren.CY = 0: illegal instruction', { hcounteren: 7 }));
  o.push(acc('VS', rd('cycle'), 'mcounteren.CY = 1, hcounteren.CY = 0: virtual instruction', { mcounteren: 7 }, [...A, 'HV-VIRTUAL']));
  o.push(acc('VS', rd('instret'), 'mcounteren.IR = hcounteren.IR = 1: readable in VS (scounteren not needed)', { mcounteren: 4, hcounteren: 4 }));
  o.push(acc('VU', rd('instret'), 'mcounteren.IR = hcounteren.IR = 1, scounteren.IR = 0: virtual instruction', { mcounteren: 4, hcounteren: 4 }, [...A, 'HV-VIRTUAL']));
  o.push(acc('VU', rd('instret'), 'mcounteren, hcounteren and scounteren IR = 1: readable in VU', { mcounteren: 4, hcounteren: 4, scounteren: 4 }));
  o.push(acc('VS', rd('cycleh'), 'a high half follows its low half: hcounteren.CY = 0 makes cycleh virtual', { mcounteren: 1 }, [...A, 'HV-VIRTUAL']));
  o.push(acc('VS', rd('satp'), 'hstatus.VTVM = 1: satp is a virtual instruction in VS', { hstatus: HS.VTVM }, [...A, 'HV-VIRTUAL']));
  o.push(acc('VS', wr('satp'), 'mstatus.TVM = 1 plays no part with V = 1: writes vsatp', { mstatus: MS.TVM }, [...A, 'HV-CSR-REDIRECT']));
  o.push(acc('HS', rd('hstatus'), 'HS-mode reads the hypervisor CSRs', { hstatus: HS.SPVP | HS.VTW }));
  o.push(acc('HS', wr('vsscratch'), 'HS-mode writes a VS CSR by its own number (no redirection with V = 0)', { vsscratch: 1 }));
  o.push(acc('U', rd('hstatus'), 'U-mode (V = 0): illegal instruction, whatever hstatus.HU', { hstatus: HS.HU }));
  o.push(acc('HS', rd('mstatush'), 'an M-level CSR in HS: illegal instruction'));
  o.push(acc('HS', rd('hgatp'), 'mstatus.TVM = 1 makes hgatp illegal in HS', { mstatus: MS.TVM }, [...A, 'HV-CSR-HGATP']));
  o.push(acc('HS', rd('satp'), 'mstatus.TVM = 1 makes satp illegal in HS; hstatus.VTVM = 1 alone does not', { mstatus: MS.TVM, hstatus: HS.VTVM }));
  o.push(acc('HS', rd('satp'), 'hstatus.VTVM = 1 does not affect HS: satp is readable', { hstatus: HS.VTVM, satp: 0x0040_0123 }));
  o.push(acc('M', wr('hgatp'), 'M-mode writes hgatp whatever TVM', { mstatus: MS.TVM }, [...A, 'HV-CSR-HGATP']));
  // Redirection.
  const R = ['HV-CSR-REDIRECT'];
  const red = (w: number, desc: string, c: Record<string, number> = {}, x: Record<number, number> = {}): Case =>
    hc(R, 'VS', `${dis(w)}: ${desc}`, [w], { x: { [A1]: 0xffffffff, ...x }, csrs: c });
  o.push(red(wr('sscratch'), 'writes vsscratch; sscratch keeps its value', { sscratch: 0x1111, vsscratch: 0x2222 }));
  o.push(red(rd('sstatus'), 'reads vsstatus, not the HS sstatus fields', { vsstatus: MS.SPP | MS.SUM, mstatus: MS.SIE | MS.MXR }));
  o.push(red(wr('sstatus'), 'writes vsstatus with its legalisation; mstatus unchanged', { mstatus: MS.SPIE }));
  o.push(red(wr('stvec'), 'writes vstvec with the tvec legalisation (MODE 3 reserved: MODE keeps 1)', { vstvec: VS_HANDLER | 1 }, { [A1]: 0x8000_0403 }));
  o.push(red(wr('sepc'), 'writes vsepc (bits 1:0 read 0); sepc unchanged', { sepc: 0x8000_0010 }));
  o.push(red(wr('scause'), 'writes vscause', { scause: 2 }, { [A1]: 0x8000_0005 }));
  o.push(red(wr('stval'), 'writes vstval', { stval: 2 }, { [A1]: 0x1234_5678 }));
  o.push(red(wr('satp'), 'writes vsatp (every value legal); satp unchanged', { satp: 0x8000_0123 }, { [A1]: 0x8008_0456 }));
  o.push(red(rd('sie'), 'reads vsie: hie bits shifted down, through hideleg', { mie: 0x444, hideleg: 0x404 }));
  o.push(red(wr('sie'), 'writes vsie: only the bits hideleg delegates reach mie', { hideleg: 0x40 }));
  o.push(red(rd('sip'), 'reads vsip: hvip bits shifted down, through hideleg', { hvip: 0x444, hideleg: 0x44 }));
  o.push(red(wr('sip'), 'writes vsip: only SSIP is writable, into hvip.VSSIP (hideleg[2] = 1)', { hideleg: 0x444 }));
  o.push(red(wr('sip'), 'writes vsip with hideleg[2] = 0: nothing changes', { hideleg: 0x440 }));
  o.push(red(wr('scounteren'), 'scounteren has no VS counterpart: written as itself'));
  o.push({ ...red(wr('sscratch'), 'in HS there is no redirection: writes sscratch', { sscratch: 0x1111, vsscratch: 0x2222 }), ...modeOf('HS'), desc: `HS: ${dis(wr('sscratch'))}: no redirection with V = 0, writes sscratch` });
  // hstatus, mstatush.
  const ws = (rules: string[], c: string, v: number, desc: string, more: Record<string, number> = {}, m: Mode = 'M'): Case =>
    hc(rules, m, `${dis(wr(c))} with a1 = ${h(v)}, then read back: ${desc}`, [wr(c), rd(c, A2)], { x: { [A1]: v }, csrs: more });
  o.push(ws(['HV-CSR-HSTATUS'], 'hstatus', 0xffffffff, 'GVA, SPV, SPVP, HU, VTVM, VTW, VTSR are writable; VSBE and VGEIN read 0'));
  o.push(ws(['HV-CSR-HSTATUS'], 'hstatus', 0x0003f020, 'VGEIN and VSBE alone: nothing is kept', { hstatus: HS.HU }));
  o.push(ws(['HV-CSR-HSTATUS'], 'mstatush', 0xffffffff, 'with H, mstatush keeps MPV and GVA only'));
  o.push(ws(['HV-CSR-HSTATUS', 'HV-CSR-ACCESS'], 'hstatus', 0x00400180, 'HS-mode writes hstatus', {}, 'HS'));
  o.push(ws(['HV-CSR-DELEG'], 'medeleg', 0xffffffff, 'with H also 10 and 20–23 are writable; 11 is not'));
  o.push(ws(['HV-CSR-DELEG'], 'mideleg', 0xffffffff, 'SSI, STI, SEI writable; VSSI, VSTI, VSEI, SGEI read one'));
  o.push(ws(['HV-CSR-DELEG'], 'mideleg', 0, 'writing 0 still reads VSSI, VSTI, VSEI, SGEI as one'));
  o.push(ws(['HV-CSR-DELEG'], 'hedeleg', 0xffffffff, '9, 10, 11, 20–23 and the unraised causes read 0'));
  o.push(ws(['HV-CSR-DELEG'], 'hideleg', 0xffffffff, 'only VSSI, VSTI, VSEI are writable'));
  o.push(ws(['HV-CSR-DELEG'], 'hedelegh', 0xffffffff, 'hedelegh reads 0'));
  o.push(ws(['HV-CSR-IP'], 'hvip', 0xffffffff, 'VSSIP, VSTIP, VSEIP are writable'));
  o.push(hc(['HV-CSR-IP'], 'M', 'hvip = 0x444 shows in mip and hip; sip never shows VS-level bits', [rd('mip', A2), rd('hip', A3), rd('sip', A4)], { csrs: { hvip: 0x444, mideleg: MIDELEG_ONES | 0x222 } }));
  o.push(ws(['HV-CSR-IP'], 'mip', 0xffffffff, 'mip.VSSIP writes hvip.VSSIP; VSTIP and VSEIP are read-only in mip'));
  o.push(ws(['HV-CSR-IP'], 'mip', 0, 'clearing mip clears hvip.VSSIP only', { hvip: 0x444 }));
  o.push(ws(['HV-CSR-IP'], 'hip', 0xffffffff, 'only VSSIP is writable through hip (into hvip)'));
  o.push(ws(['HV-CSR-IP'], 'hie', 0xffffffff, 'hie writes VSSIE, VSTIE, VSEIE and SGEIE of mie', { mie: 0x888 }));
  o.push(ws(['HV-CSR-IP'], 'mie', 0xffffffff, 'with H, mie also has VSSIE, VSTIE, VSEIE, SGEIE'));
  o.push(ws(['HV-CSR-IP'], 'vsip', 0xffffffff, 'vsip.SSIP writes hvip.VSSIP when hideleg[2] = 1', { hideleg: 0x4 }));
  o.push(ws(['HV-CSR-IP'], 'vsie', 0xffffffff, 'vsie writes only the hideleg-delegated enables', { hideleg: 0x404 }));
  o.push(ws(['HV-CSR-VS'], 'vsstatus', 0xffffffff, 'SIE, SPIE, SPP, SUM, MXR are kept; UBE, FS, XS, SD read 0'));
  o.push(ws(['HV-CSR-VS', 'PRIV-CSR-TVEC'], 'vstvec', 0x8000_0302, 'MODE 2 is reserved: MODE keeps its old value (1)', { vstvec: VS_HANDLER | 1 }));
  o.push(ws(['HV-CSR-VS', 'PRIV-CSR-EPC'], 'vsepc', 0xffffffff, 'vsepc[1:0] read 0'));
  o.push(hc(['HV-CSR-VS'], 'M', 'vsscratch, vscause, vstval and vsatp hold any value', ['vsscratch', 'vscause', 'vstval', 'vsatp'].map((c) => wr(c, A1, 0)), { x: { [A1]: 0xffffffff } }));
  o.push(hc(['HV-CSR-VS', 'HV-CSR-HSTATUS'], 'M', 'htval, htinst, mtval2, mtinst and htimedelta(h) hold any value', ['htval', 'htinst', 'mtval2', 'mtinst', 'htimedelta', 'htimedeltah'].map((c) => wr(c, A1, 0)), { x: { [A1]: 0xfedcba98 } }));
  o.push(ws(['HV-CSR-HGATP'], 'hgatp', 0xffffffff, 'MODE, VMID (7 bits) and PPN[21:2] are kept; bits 30:29 and PPN[1:0] read 0'));
  o.push(ws(['HV-CSR-HGATP'], 'hgatp', 0x1fffffff, 'MODE = Bare keeps the other fields'));
  o.push(ws(['HV-CSR-HGATP', 'HV-CSR-ACCESS'], 'hgatp', 0x80080013, 'HS with TVM = 0 writes hgatp; PPN[1:0] read 0', {}, 'HS'));
  o.push(ws(['HV-CSR-DELEG'], 'hgeie', 0xffffffff, 'GEILEN = 0: hgeie reads 0'));
  o.push(ws(['HV-CSR-ACCESS'], 'hcounteren', 0xffffffff, 'hcounteren keeps CY, TM and IR'));
  o.push(ws(['HV-CSR-ACCESS'], 'henvcfg', 0xffffffff, 'henvcfg keeps FIOM only'));
  // Virtual time.
  const T = ['HV-TIME'];
  const en = { mcounteren: 2, hcounteren: 2 };
  o.push(hc(T, 'VS', 'time and timeh read mtime + htimedelta: 0 + 0xffffffff, then the carry into timeh (mtime = 1)', [rd('time', A0), rd('timeh', A2)], { csrs: { ...en, htimedelta: 0xffffffff }, watch: ['time'] }));
  o.push(hc(T, 'VS', 'htimedelta = 2^64 - 1: the sum wraps, overflow out of bit 63 is dropped', [NOP, rd('time', A0), rd('timeh', A2)], { x: { [A0]: 0x5a, [A2]: 0x5a }, csrs: { ...en, htimedelta: 0xffffffff, htimedeltah: 0xffffffff }, watch: ['time'] }));
  o.push(hc(T, 'VS', 'htimedeltah = 5, htimedelta = 0x100: timeh = 5, time = mtime + 0x100', [NOP, NOP, rd('time', A0), rd('timeh', A2)], { csrs: { ...en, htimedelta: 0x100, htimedeltah: 5 }, watch: ['time'] }));
  o.push(hc(T, 'HS', 'with V = 0 time reads mtime (htimedelta ignored)', [NOP, rd('time', A0), rd('timeh', A2)], { csrs: { ...en, htimedelta: 0x100, htimedeltah: 5 }, watch: ['time'] }));
  o.push(hc(T, 'VU', 'VU with scounteren.TM = 1 reads the virtual time', [rd('time', A0)], { csrs: { ...en, scounteren: 2, htimedelta: 0x1000 } }));
  o.push(hc([...T, 'HV-CSR-ACCESS'], 'VU', 'VU with scounteren.TM = 0: virtual instruction', [rd('time', A0)], { csrs: { ...en, htimedelta: 0x1000 } }));
  o.push(hc([...T, 'HV-CSR-ACCESS'], 'VS', 'hcounteren.TM = 0: timeh is a virtual instruction', [rd('timeh', A0)], { csrs: { mcounteren: 2, htimedelta: 0x1000 } }));
  return o;
}

// =====================================================================================================
// Virtual-instruction exceptions, HFENCE (HV-VIRTUAL, HV-HFENCE).

function instructions(): Case[] {
  const o: Case[] = [];
  const V = ['HV-VIRTUAL'];
  const sf = sfence(A1, 0), hv = hfence('hfence.vvma'), hg = hfence('hfence.gvma');
  o.push(hc([...V, 'PRIV-WFI'], 'VU', 'wfi with mstatus.TW = 0: virtual instruction', [WFI]));
  o.push(hc([...V, 'PRIV-WFI'], 'VU', 'wfi with mstatus.TW = 1: illegal instruction', [WFI], { csrs: { mstatus: MS.TW } }));
  o.push(hc([...V, 'PRIV-WFI'], 'VS', 'wfi with hstatus.VTW = 1, TW = 0: virtual instruction', [WFI], { csrs: { hstatus: HS.VTW } }));
  o.push(hc([...V, 'PRIV-WFI'], 'VS', 'wfi with VTW = 1 and TW = 1: illegal instruction (TW wins)', [WFI], { csrs: { hstatus: HS.VTW, mstatus: MS.TW } }));
  o.push(hc([...V, 'PRIV-WFI', 'WFI-1'], 'VS', 'wfi with VTW = 0, TW = 0: retires and waits', [WFI, NOP], { steps: 2, watch: ['minstret'] }));
  o.push(hc([...V, 'PRIV-WFI'], 'HS', 'wfi with hstatus.VTW = 1 (not for HS): retires', [WFI], { csrs: { hstatus: HS.VTW } }));
  o.push(hc([...V, 'PRIV-SFENCE'], 'VU', `${dis(sf)}: virtual instruction`, [sf]));
  o.push(hc([...V, 'PRIV-SFENCE'], 'VS', `${dis(sf)} with hstatus.VTVM = 1: virtual instruction`, [sf], { csrs: { hstatus: HS.VTVM } }));
  o.push(hc([...V, 'PRIV-SFENCE'], 'VS', `${dis(sf)} with mstatus.TVM = 1 (not for VS): retires`, [sf], { csrs: { mstatus: MS.TVM } }));
  o.push(hc([...V, 'PRIV-SFENCE'], 'HS', `${dis(sf)} with hstatus.VTVM = 1 (not for HS): retires`, [sf], { csrs: { hstatus: HS.VTVM } }));
  const hlw = hlv('hlv.w', A0, A1), hsw = hsv('hsv.w', A2, A1);
  for (const [m, w] of [['VS', hlw], ['VU', hsw], ['VS', hv], ['VU', hg], ['VS', hlv('hlvx.hu', A0, A1)]] as const) {
    o.push(hc([...V, w === hv || w === hg ? 'HV-HFENCE' : 'HV-HLV'], m, `${dis(w)}: virtual instruction (tval = the word)`, [w], { x: { [A1]: DATA } }));
  }
  o.push(hc([...V, 'HV-TRAP-DELEG'], 'VS', `${dis(hv)}: virtual instruction, medeleg[22]: taken in HS with stval = the word`, [hv], { csrs: { medeleg: bit(22) } }));
  const F = ['HV-HFENCE'];
  o.push(hc(F, 'HS', `${dis(hv)} with mstatus.TVM = 1: retires (TVM does not trap HFENCE.VVMA)`, [hv], { csrs: { mstatus: MS.TVM } }));
  o.push(hc(F, 'HS', `${dis(hg)} with mstatus.TVM = 1: illegal instruction`, [hg], { csrs: { mstatus: MS.TVM } }));
  o.push(hc(F, 'HS', `${dis(hg)} with TVM = 0: retires with no other effect`, [hg, hfence('hfence.gvma', A1, A2)], { x: { [A1]: 0x1000, [A2]: 3 } }));
  o.push(hc(F, 'M', `${dis(hg)} with mstatus.TVM = 1: retires in M`, [hg], { csrs: { mstatus: MS.TVM } }));
  o.push(hc(F, 'M', `${dis(hfence('hfence.vvma', A1, A2))}: retires in M`, [hfence('hfence.vvma', A1, A2)], { x: { [A1]: 0x4000_0000, [A2]: 1 } }));
  o.push(hc(F, 'U', `${dis(hv)} with hstatus.HU = 1: still an illegal instruction in U`, [hv], { csrs: { hstatus: HS.HU } }));
  o.push(hc(F, 'U', `${dis(hg)}: illegal instruction in U`, [hg]));
  return o;
}

// =====================================================================================================
// Page tables for the two-stage cases (HV-XLATE-*, HV-HLV, HV-MPRV).

const PTE = { V: 1, R: 2, W: 4, X: 8, U: 16, G: 32, A: 64, D: 128 };
const { V: PV, R: PR, W: PW, X: PX, U: PU, G: PG, A: PA, D: PD } = PTE;
const RWX_AD = PV | PR | PW | PX | PA | PD;
/** A PTE for the 4 KiB page (or megapage) at physical address `pa` (up to 34 bits). */
const pte = (pa: number, flags: number): number => (Math.floor(pa / 4096) * 1024 + flags) >>> 0;
/** G-stage: the Sv32x4 root (16 KiB aligned) and a level-0 table. */
const GROOT = 0x8001_0000, GL0 = 0x8001_4000;
const HGATP = (0x8000_0000 | (GROOT / 4096)) >>> 0;
const gRootEntry = (gpa: number): number => GROOT + Math.floor(gpa / 2 ** 22) * 4;
const gL0Entry = (gpa: number): number => GL0 + (Math.floor(gpa / 4096) & 0x3ff) * 4;
/** VS-stage tables (guest physical addresses, mapped to themselves by gIdentity). */
const VSROOT = 0x8002_0000, VSL0 = 0x8002_1000;
const VSATP = (0x8000_0000 | (VSROOT / 4096)) >>> 0;
const vsRootEntry = (va: number): number => VSROOT + (va >>> 22) * 4;
const vsL0Entry = (va: number): number => VSL0 + ((va >>> 12) & 0x3ff) * 4;
/** The data: guest virtual VA_D; guest physical GPA_D (a G-stage 4 KiB page); its supervisor physical page SPA_D. */
const VA_D = 0x4000_0000, GPA_D = 0x0040_0000, SPA_D = 0x8003_0000;
const DATA_WORDS = { [SPA_D]: 0x600dda7a, [SPA_D + 4]: 0x12345678 };
/** A second code page (guest physical = supervisor physical under gIdentity), for jumps through the VS-stage. */
const CODE2 = RAM + 0x5000;

/** G-stage: RAM's first 4 MiB (code, tables, SPA_D) mapped to itself, U = 1, RWX, A and D. */
const gIdentity = (flags = RWX_AD | PU): Record<number, number> => ({ [gRootEntry(RAM)]: pte(RAM, flags) });
/** G-stage: GPA_D → SPA_D through GL0, with `flags` on the leaf. */
const gData = (flags: number): Record<number, number> => ({ [gRootEntry(GPA_D)]: pte(GL0, PV), [gL0Entry(GPA_D)]: pte(SPA_D, flags) });
/** VS-stage: code at RAM (a megapage, U as given) and VA_D → `gpa` through VSL0 with `flags`. */
const vsTables = (flags: number, gpa = GPA_D, codeU = false): Record<number, number> => ({
  [vsRootEntry(RAM)]: pte(RAM, RWX_AD | (codeU ? PU : 0)),
  [vsRootEntry(VA_D)]: pte(VSL0, PV),
  [vsL0Entry(VA_D)]: pte(gpa, flags),
});
const GU_RW = PV | PR | PW | PU | PA | PD;
const VS_RW = PV | PR | PW | PA | PD;

/** Both stages on: VS tables + G identity + G data page. */
const twoStage = (vsFlags: number, gFlags: number, codeU = false): Record<number, number> =>
  ({ ...gIdentity(), ...gData(gFlags), ...vsTables(vsFlags, GPA_D, codeU), ...DATA_WORDS });
const BOTH = { vsatp: VSATP, hgatp: HGATP };
const lw = ld('lw', A0, A1, 0), sw = st('sw', A2, A1, 0);

// =====================================================================================================
// G-stage (HV-XLATE-1).

function gStage(): Case[] {
  const o: Case[] = [];
  const X1 = ['HV-XLATE-1'];
  const g = (rules: string[], m: Mode, desc: string, prog: number[], gFlags: number, more: Partial<Case> = {}): Case =>
    hc(rules, m, desc, prog, {
      x: { [A1]: GPA_D, [A2]: 0xa5a5a5a5 }, ...more, words: { ...gIdentity(), ...gData(gFlags), ...DATA_WORDS, ...(more.words ?? {}) },
      csrs: { hgatp: HGATP, medeleg: GUEST_FAULTS, ...(more.csrs ?? {}) },
    });
  o.push(g([...X1, 'HV-XLATE-2'], 'VS', `${dis(lw)}, vsatp Bare, hgatp Sv32x4: the G-stage maps GPA 0x00400000 to 0x80030000 through a 4 KiB page (code through a megapage)`, [lw], GU_RW));
  o.push(g(X1, 'VU', `${dis(sw)}: a store through the G-stage 4 KiB page`, [sw], GU_RW));
  o.push(g(X1, 'VS', `${dis(lw)} at GPA 0x80030004: the G-stage megapage keeps GPA bits 21:0`, [lw], GU_RW, { x: { [A1]: SPA_D + 4 } }));
  o.push(g(X1, 'VS', `${dis(lw)} at GPA 0x00001234: a G-stage megapage at GPA 0 maps to 0x80400000`, [lw], GU_RW, { x: { [A1]: 0x1234 }, words: { [gRootEntry(0)]: pte(0x8040_0000, GU_RW), [0x8040_1234]: 0x0dd0f00d } }));
  o.push(g([...X1, 'HV-XLATE-3'], 'VS', `${dis(lw)}: the G leaf has U = 0 (every G-stage access is a U-level access): load guest-page fault (21) into HS, htval = GPA >> 2`, [lw], PV | PR | PW | PA | PD));
  o.push(g([...X1, 'HV-XLATE-3'], 'VS', `${dis(lw)}: the G leaf is invalid (V = 0): load guest-page fault into M, mtval2 = GPA >> 2, mtinst = 0`, [lw], GU_RW & ~PV, { csrs: { medeleg: 0 } }));
  o.push(g(X1, 'VS', `${dis(lw)}: a G leaf with W = 1, R = 0 is reserved: load guest-page fault`, [lw], PV | PW | PU | PA | PD));
  o.push(g([...X1, 'HV-XLATE-3'], 'VS', `${dis(sw)}: a read-only G leaf: store guest-page fault (23)`, [sw], PV | PR | PU | PA | PD));
  o.push(g(X1, 'VS', `${dis(lw)}: a G pointer with A set is reserved: load guest-page fault`, [lw], GU_RW, { words: { [gRootEntry(GPA_D)]: pte(GL0, PV | PA) } }));
  o.push(g(X1, 'VS', `${dis(lw)}: a G pointer with U set is reserved: load guest-page fault`, [lw], GU_RW, { words: { [gRootEntry(GPA_D)]: pte(GL0, PV | PU) } }));
  o.push(g(X1, 'VS', `${dis(lw)}: a G pointer at level 0: load guest-page fault`, [lw], PV));
  o.push(g(X1, 'VS', `${dis(lw)}: a misaligned G megapage (PPN[0] != 0): load guest-page fault`, [lw], GU_RW, { words: { [gRootEntry(GPA_D)]: pte(SPA_D, GU_RW) } }));
  o.push(g(X1, 'VS', `${dis(lw)}: the G bit of a G-stage leaf is ignored`, [lw], GU_RW | PG));
  o.push(g([...X1, 'HV-XLATE-3', 'HV-TRAP-GVA'], 'VS', `${dis(jalr(0, A1, 0))} to GPA 0x00400000 (mapped without X): instruction guest-page fault (20) at the target`, [jalr(0, A1, 0)], GU_RW, { steps: 2 }));
  o.push(g([...X1, 'HV-XLATE-3'], 'VS', `${dis(jalr(0, A1, 0))} to an unmapped GPA: instruction guest-page fault, htval = target >> 2`, [jalr(0, A1, 0)], GU_RW, { steps: 2, x: { [A1]: 0x00c0_0000 } }));
  o.push(g([...X1, 'HV-XLATE-3'], 'VS', `${dis(lw)}: hgatp Bare: the GPA is the physical address`, [lw], GU_RW, { x: { [A1]: SPA_D }, csrs: { hgatp: 0 } }));
  // PMP and PMA on G-stage PTE reads (implicit S-level accesses).
  const denyGl0 = { pmpaddr0: ((GL0 >>> 2) | 0x1ff) >>> 0, pmpaddr1: 0xffffffff, pmpcfg0: 0x1f18 };
  o.push(g([...X1, 'PMP-APPLY', 'HV-XLATE-3'], 'VS', `${dis(lw)}: PMP denies S reads of the G level-0 table: load access fault (5), htval = 0`, [lw], GU_RW, { csrs: { ...denyGl0, medeleg: bit(E.LOAD_ACCESS) } }));
  const denyGroot = { pmpaddr0: ((GROOT >>> 2) | 0x7ff) >>> 0, pmpaddr1: 0xffffffff, pmpcfg0: 0x1f18 };
  o.push(g([...X1, 'PMP-APPLY', 'HV-TRAP-GVA'], 'VS', 'PMP denies S reads of the 16 KiB G root: the fetch itself raises an instruction access fault', [NOP], GU_RW, { csrs: denyGroot }));
  o.push(g([...X1, 'HV-XLATE-3'], 'VS', `${dis(lw)}: the G root entry points outside RAM (PMA refuses the PTE read): load access fault`, [lw], GU_RW, { words: { [gRootEntry(GPA_D)]: pte(HOLE, PV) }, csrs: { medeleg: bit(E.LOAD_ACCESS) } }));
  // A/D of G leaves.
  const X4 = ['HV-XLATE-4', 'HV-XLATE-1'];
  o.push(g(X4, 'VS', `${dis(lw)}: G leaf with A = 0, hardware A/D: the walk sets A (not D)`, [lw], PV | PR | PW | PU));
  o.push(g(X4, 'VS', `${dis(sw)}: G leaf with A = D = 0, hardware A/D: the walk sets A and D`, [sw], PV | PR | PW | PU));
  o.push(g([...X4, 'CFG-1'], 'VS', `${dis(lw)}: G leaf with A = 0, adUpdate "fault": load guest-page fault`, [lw], PV | PR | PW | PU, { config: { adUpdate: 'fault' } }));
  o.push(g([...X4, 'CFG-1'], 'VS', `${dis(sw)}: G leaf with D = 0, adUpdate "fault": store guest-page fault`, [sw], PV | PR | PW | PU | PA, { config: { adUpdate: 'fault' } }));
  const roLeaf = { pmpaddr0: ((GL0 >>> 2) | 0x1ff) >>> 0, pmpaddr1: 0xffffffff, pmpcfg0: 0x1f19 };
  o.push(g([...X4, 'PMP-APPLY'], 'VS', `${dis(lw)}: the G leaf's A update needs PMP write permission on its PTE: load access fault`, [lw], PV | PR | PW | PU, { csrs: { ...roLeaf, medeleg: bit(E.LOAD_ACCESS) } }));
  return o;
}

// =====================================================================================================
// Two-stage composition, faults, A/D, permissions (HV-XLATE-2..5).

function twoStages(): Case[] {
  const o: Case[] = [];
  const X2 = ['HV-XLATE-2'];
  const t = (rules: string[], m: Mode, desc: string, prog: number[], world: Record<number, number>, more: Partial<Case> = {}): Case =>
    hc(rules, m, desc, prog, {
      x: { [A1]: VA_D, [A2]: 0xa5a5a5a5 }, ...more, words: { ...world, ...(more.words ?? {}) },
      csrs: { ...BOTH, medeleg: GUEST_FAULTS, ...(more.csrs ?? {}) },
    });
  o.push(t(X2, 'VS', `${dis(lw)}: VA 0x40000000 → VS-stage → GPA 0x00400000 → G-stage → 0x80030000`, [lw], twoStage(VS_RW, GU_RW)));
  o.push(t(X2, 'VU', `${dis(sw)}: a VU store through both stages (VS leaf U = 1)`, [sw], twoStage(VS_RW | PU, GU_RW, true)));
  o.push(t(X2, 'VS', `${dis(lw)} at VA 0x80030004: the VS and G megapages over RAM compose to the identity`, [lw], twoStage(VS_RW, GU_RW), { x: { [A1]: SPA_D + 4 } }));
  // Guest page tables whose own addresses the G-stage moves: GPA 0 (a megapage) lives at 0x80400000.
  const G0 = 0x8040_0000;
  const moved: Record<number, number> = {
    ...gIdentity(), [gRootEntry(0)]: pte(G0, GU_RW),
    [G0 + 0x2000 + (RAM >>> 22) * 4]: pte(RAM, RWX_AD),
    [G0 + 0x2000 + (VA_D >>> 22) * 4]: pte(0x3000, PV),
    [G0 + 0x3000]: pte(0x5000, VS_RW),
    [G0 + 0x5000]: 0x7e57ab1e,
  };
  o.push(t(X2, 'VS', `${dis(lw)}: vsatp's root (GPA 0x2000) and the level-0 table (GPA 0x3000) are reached through the G-stage (at 0x80402000, 0x80403000); data at GPA 0x5000 → 0x80405000`, [lw], moved, { csrs: { vsatp: (0x8000_0000 | 2) >>> 0 } }));
  // GPAs above 4 GiB: the VS leaf names GPA 0x3_0000_5000; G root entry 0xc00 is in the root's fourth page.
  const high: Record<number, number> = { ...gIdentity(), ...vsTables(VS_RW, 0x3_0000_5000), [gRootEntry(0x3_0000_0000)]: pte(0x8040_0000, GU_RW), [0x8040_5000]: 0x8badf00d };
  o.push(t([...X2, 'HV-XLATE-1'], 'VS', `${dis(lw)}: the VS leaf names GPA 0x300005000 (34 bits); the 16 KiB G root's entry 0xc00 maps it to 0x80405000`, [lw], high));
  o.push(t([...X2, 'HV-XLATE-3'], 'VS', `${dis(lw)}: GPA 0x300005000 unmapped by the G-stage: load guest-page fault, htval = 0xc0001400`, [lw], { ...gIdentity(), ...vsTables(VS_RW, 0x3_0000_5000) }));
  // A faulting G-stage translation of a VS-stage PTE read (implicit access).
  const X3 = ['HV-XLATE-3', 'HV-XLATE-2'];
  const l0Unmapped: Record<number, number> = { ...gIdentity(), [vsRootEntry(RAM)]: pte(RAM, RWX_AD), [vsRootEntry(VA_D)]: pte(GPA_D, PV) };
  o.push(t(X3, 'VS', `${dis(lw)}: the VS level-0 table is at GPA 0x00400000, which the G-stage does not map: load guest-page fault, htval = PTE GPA >> 2, htinst = 0x00002000`, [lw], l0Unmapped));
  o.push(t(X3, 'VS', `${dis(sw)}: the same for a store: store guest-page fault (23), still htinst = 0x00002000 (a PTE read)`, [sw], l0Unmapped));
  o.push(t(X3, 'VS', `${dis(jalr(0, A1, 0))}: the same for a fetch: instruction guest-page fault (20)`, [jalr(0, A1, 0)], l0Unmapped, { steps: 2 }));
  o.push(t(X3, 'VS', `${dis(lw)}: the same, not delegated: into M with mtval2 = PTE GPA >> 2, mtinst = 0x00002000`, [lw], l0Unmapped, { csrs: { medeleg: 0 } }));
  // The G-stage of an implicit access is checked as a read, not as the original access.
  const l0Via = (gFlags: number): Record<number, number> => ({
    ...gIdentity(), [gRootEntry(GPA_D)]: pte(GL0, PV), [gL0Entry(GPA_D)]: pte(VSL0, gFlags),
    [vsRootEntry(RAM)]: pte(RAM, RWX_AD), [vsRootEntry(VA_D)]: pte(GPA_D, PV), [VSL0]: pte(CODE2, PV | PX | PA),
    [CODE2]: ri('addi', A3, 0, 7),
  });
  o.push(t(X3, 'VS', `${dis(jalr(0, A1, 0))}: the VS level-0 table sits in a G page with R but not X: the PTE read is a read, so the fetch goes through`, [jalr(0, A1, 0)], l0Via(PV | PR | PU | PA), { steps: 2 }));
  o.push(t([...X3, 'HV-XLATE-5'], 'VS', `${dis(lw)}: the VS level-0 table sits in a G page with X only, MXR = 1: PTE reads need R whatever MXR: guest-page fault, htinst = 0x00002000`, [lw], l0Via(PV | PX | PU | PA), { csrs: { mstatus: MS.MXR, vsstatus: MS.MXR } }));
  // Fault order: the VS-stage faults before the G-stage of the final GPA is looked at.
  o.push(t([...X3, 'HV-TRAP-GVA'], 'VS', `${dis(lw)}: an invalid VS leaf (whose GPA the G-stage does not map either): load page fault (13), htval = 0`, [lw], { ...gIdentity(), ...vsTables(VS_RW & ~PV, 0x00c0_0000) }, { csrs: { medeleg: GUEST_FAULTS | bit(E.LOAD_PAGE) } }));
  o.push(t([...X3, 'HV-TRAP-DELEG'], 'VS', `${dis(lw)}: a VS-stage page fault delegated to VS (hedeleg[13]): vscause 13, vstval = VA; htval and hstatus untouched`, [lw], twoStage(VS_RW & ~PV, GU_RW), { csrs: { medeleg: GUEST_FAULTS | bit(E.LOAD_PAGE), hedeleg: bit(E.LOAD_PAGE), htval: 0x55 } }));
  o.push(t([...X3, 'HV-TRAP-DELEG'], 'VS', `${dis(lw)}: a guest-page fault with every writable hedeleg bit set still goes to HS`, [lw], twoStage(VS_RW, GU_RW & ~PV), { csrs: { medeleg: GUEST_FAULTS, hedeleg: HEDELEG_ALL } }));
  // A/D in both stages.
  const X4 = ['HV-XLATE-4', 'HV-XLATE-2'];
  o.push(t(X4, 'VS', `${dis(lw)}: VS leaf and G leaf without A, hardware A/D: both get A`, [lw], twoStage(PV | PR | PW, PV | PR | PW | PU)));
  o.push(t(X4, 'VS', `${dis(sw)}: VS leaf and G leaf without A and D: both get A and D`, [sw], twoStage(PV | PR | PW, PV | PR | PW | PU)));
  const tableLeaf = (flags: number, vsFlags = VS_RW): Record<number, number> => ({
    ...gIdentity(), ...gData(GU_RW), [gRootEntry(0x0080_0000)]: pte(GL0 + 0x1000, PV), [GL0 + 0x1000]: pte(VSL0, flags),
    [vsRootEntry(RAM)]: pte(RAM, RWX_AD), [vsRootEntry(VA_D)]: pte(0x0080_0000, PV), [VSL0 + ((VA_D >>> 12) & 0x3ff) * 4]: pte(GPA_D, vsFlags), ...DATA_WORDS,
  });
  o.push(t(X4, 'VS', `${dis(lw)}: the G leaf of the VS level-0 table (GPA 0x00800000) has A = 0: the implicit read sets A only`, [lw], tableLeaf(PV | PR | PW | PU)));
  o.push(t(X4, 'VS', `${dis(lw)}: the VS leaf has A = 0 and its table's G leaf has D = 0: the VS A/D store sets the G leaf's A and D, then the VS leaf's A`, [lw], tableLeaf(PV | PR | PW | PU | PA, PV | PR | PW)));
  o.push(t([...X4, 'HV-XLATE-3'], 'VS', `${dis(lw)}: the VS leaf has A = 0 and its table is read-only at the G-stage: the A/D store faults: load guest-page fault, htinst = 0x00002020`, [lw], tableLeaf(PV | PR | PU | PA | PD, PV | PR | PW)));
  const fault = { config: { adUpdate: 'fault' as const } };
  o.push(t([...X4, 'CFG-1'], 'VS', `${dis(lw)}: VS leaf with A = 0, adUpdate "fault": load page fault (13)`, [lw], twoStage(PV | PR | PW, GU_RW), { ...fault, csrs: { medeleg: GUEST_FAULTS | bit(E.LOAD_PAGE) } }));
  o.push(t([...X4, 'CFG-1'], 'VS', `${dis(sw)}: VS leaf with D = 0, adUpdate "fault": store page fault (15)`, [sw], twoStage(PV | PR | PW | PA, GU_RW), { ...fault, csrs: { medeleg: GUEST_FAULTS | bit(E.STORE_PAGE) } }));
  o.push(t([...X4, 'CFG-1', 'HV-XLATE-3'], 'VS', `${dis(lw)}: the G leaf of the VS table has A = 0, adUpdate "fault": guest-page fault of the implicit read, htinst = 0x00002000`, [lw], tableLeaf(PV | PR | PW | PU), fault));
  // Permissions: U/SUM, MXR, HLVX, privilege.
  const X5 = ['HV-XLATE-5', 'HV-XLATE-2'];
  o.push(t(X5, 'VU', `${dis(lw)}: VU needs U = 1 at the VS-stage: load page fault`, [lw], twoStage(VS_RW, GU_RW, true), { csrs: { medeleg: GUEST_FAULTS | bit(E.LOAD_PAGE) } }));
  o.push(t(X5, 'VS', `${dis(lw)}: VS and a U page with vsstatus.SUM = 0: load page fault`, [lw], twoStage(VS_RW | PU, GU_RW), { csrs: { medeleg: GUEST_FAULTS | bit(E.LOAD_PAGE) } }));
  o.push(t(X5, 'VS', `${dis(lw)}: VS and a U page with vsstatus.SUM = 1: allowed`, [lw], twoStage(VS_RW | PU, GU_RW), { csrs: { vsstatus: MS.SUM } }));
  o.push(t(X5, 'VS', `${dis(lw)}: mstatus.SUM = 1 does not apply with V = 1: load page fault`, [lw], twoStage(VS_RW | PU, GU_RW), { csrs: { mstatus: MS.SUM, medeleg: GUEST_FAULTS | bit(E.LOAD_PAGE) } }));
  const code = (vsFlags: number): Record<number, number> => ({
    ...gIdentity(), [vsRootEntry(RAM)]: pte(RAM, RWX_AD), [vsRootEntry(VA_D)]: pte(VSL0, PV), [VSL0]: pte(CODE2, vsFlags), [CODE2]: ri('addi', A3, 0, 7),
  });
  o.push(t(X5, 'VS', `${dis(jalr(0, A1, 0))} to a U page with vsstatus.SUM = 1: VS never fetches from U pages: instruction page fault`, [jalr(0, A1, 0)], code(PV | PX | PU | PA), { steps: 2, csrs: { vsstatus: MS.SUM, medeleg: GUEST_FAULTS | bit(12) } }));
  o.push(t(X5, 'VS', `${dis(jalr(0, A1, 0))} to an execute-only VS page: the fetch goes through both stages`, [jalr(0, A1, 0)], code(PV | PX | PA), { steps: 2 }));
  o.push(t(X5, 'VS', `${dis(lw)}: an execute-only VS page without MXR: load page fault`, [lw], twoStage(PV | PX | PA, GU_RW), { csrs: { medeleg: GUEST_FAULTS | bit(E.LOAD_PAGE) } }));
  o.push(t(X5, 'VS', `${dis(lw)}: an execute-only VS page with vsstatus.MXR = 1: readable`, [lw], twoStage(PV | PX | PA, GU_RW), { csrs: { vsstatus: MS.MXR } }));
  o.push(t(X5, 'VS', `${dis(lw)}: an execute-only VS page with mstatus.MXR = 1: readable`, [lw], twoStage(PV | PX | PA, GU_RW), { csrs: { mstatus: MS.MXR } }));
  o.push(t(X5, 'VS', `${dis(lw)}: an execute-only G page with vsstatus.MXR = 1 (does not reach the G-stage): load guest-page fault`, [lw], twoStage(VS_RW, PV | PX | PU | PA), { csrs: { vsstatus: MS.MXR } }));
  o.push(t(X5, 'VS', `${dis(lw)}: an execute-only G page with mstatus.MXR = 1 (HS-level MXR covers both stages): readable`, [lw], twoStage(VS_RW, PV | PX | PU | PA), { csrs: { mstatus: MS.MXR } }));
  o.push(t(X5, 'VS', `${dis(sw)}: a read-only VS page: store page fault`, [sw], twoStage(PV | PR | PA | PD, GU_RW), { csrs: { medeleg: GUEST_FAULTS | bit(E.STORE_PAGE) } }));
  return o;
}

// =====================================================================================================
// HLV, HLVX, HSV (HV-HLV) and MPRV with MPV (HV-MPRV).

function hypervisorLoads(): Case[] {
  const o: Case[] = [];
  const L = ['HV-HLV'];
  const word = { [DATA]: 0x8765_43f1 };
  const bare = (m: Mode, w: number, desc: string, more: Partial<Case> = {}): Case =>
    hc(L, m, `${dis(w)}: ${desc}`, [w], { x: { [A1]: DATA + 2, [A2]: 0x1234_abcd }, words: word, ...more, csrs: { hstatus: HS.HU, ...(more.csrs ?? {}) } });
  o.push(bare('HS', hlv('hlv.b', A0, A1), 'Bare vsatp and hgatp: loads the byte at the address, sign-extended'));
  o.push(bare('HS', hlv('hlv.bu', A0, A1), 'zero-extended'));
  o.push(bare('HS', hlv('hlv.h', A0, A1), 'a halfword, sign-extended'));
  o.push(bare('M', hlv('hlv.hu', A0, A1), 'a halfword, zero-extended, in M'));
  o.push(bare('U', hlv('hlv.w', A0, A1), 'in U with hstatus.HU = 1: legal', { x: { [A1]: DATA } }));
  o.push(bare('U', hlv('hlv.w', A0, A1), 'in U with hstatus.HU = 0: illegal instruction', { x: { [A1]: DATA }, csrs: { hstatus: 0 } }));
  o.push(bare('HS', hlv('hlvx.wu', A0, A1), 'HLVX.WU is HLV.W on RV32 (RAM is executable)', { x: { [A1]: DATA } }));
  o.push(bare('HS', hlv('hlvx.hu', A0, A1), 'HLVX.HU loads a zero-extended halfword'));
  o.push(bare('HS', hsv('hsv.b', A2, A1), 'stores the low byte'));
  o.push(bare('HS', hsv('hsv.h', A2, A1), 'stores the low halfword'));
  o.push(bare('M', hsv('hsv.w', A2, A1), 'stores a word, in M', { x: { [A1]: DATA, [A2]: 0x1234_abcd } }));
  o.push(bare('HS', hlv('hlv.w', A0, A1), 'misaligned (misaligned = "perform"): performed like LW', { x: { [A1]: DATA + 1 }, words: { [DATA]: 0x4433_2211, [DATA + 4]: 0x8877_6655 } }));
  o.push({ ...bare('HS', hlv('hlv.w', A0, A1), 'misaligned with misaligned = "trap": load-address-misaligned (4), GVA = 1', { x: { [A1]: DATA + 1 }, config: { misaligned: 'trap' } }), rules: [...L, 'CFG-MISALIGNED', 'HV-TRAP-GVA'] });
  o.push(bare('M', hlv('hlv.w', A0, A1), 'MPRV = 1 with MPP = M does not affect HLV (vsatp Sv32 still translates: a page fault on an empty VS root)', { x: { [A1]: DATA }, csrs: { hstatus: 0, mstatus: MS.MPRV | MS.MPP_M, vsatp: (0x8000_0000 | (0x8005_0000 / 4096)) >>> 0 } }));
  // Through both stages, as VS (SPVP = 1) or VU (SPVP = 0).
  const tl = (m: Mode, w: number, desc: string, vsFlags: number, gFlags: number, more: Partial<Case> = {}): Case =>
    hc(L, m, `${dis(w)}: ${desc}`, [w], {
      x: { [A1]: VA_D, [A2]: 0x1234_abcd }, ...more, words: { ...twoStage(vsFlags, gFlags), ...(more.words ?? {}) },
      csrs: { ...BOTH, medeleg: GUEST_FAULTS | bit(E.LOAD_PAGE, E.STORE_PAGE), hstatus: HS.SPVP | HS.HU, ...(more.csrs ?? {}) },
    });
  const hlw = hlv('hlv.w', A0, A1), hsw = hsv('hsv.w', A2, A1), hlx = hlv('hlvx.wu', A0, A1);
  o.push(tl('HS', hlw, 'SPVP = 1: translated as VS through vsatp and hgatp', VS_RW, GU_RW));
  o.push(tl('HS', hsw, 'SPVP = 1: a store through both stages', VS_RW, GU_RW));
  o.push(tl('HS', hlw, 'SPVP = 0: translated as VU: a VS leaf with U = 0 page-faults (13) with GVA = 1, SPV = 0', VS_RW, GU_RW, { csrs: { hstatus: HS.HU } }));
  o.push(tl('U', hlw, 'in U with HU = 1 and SPVP = 0: a VS leaf with U = 1 is accessible as VU', VS_RW | PU, GU_RW, { csrs: { hstatus: HS.HU } }));
  o.push(tl('HS', hlw, 'SPVP = 1 and a U page: vsstatus.SUM = 0 faults even with mstatus.SUM = 1', VS_RW | PU, GU_RW, { csrs: { mstatus: MS.SUM } }));
  o.push(tl('HS', hlw, 'SPVP = 1 and a U page with vsstatus.SUM = 1: allowed', VS_RW | PU, GU_RW, { csrs: { vsstatus: MS.SUM } }));
  o.push({ ...tl('HS', hlx, 'HLVX on an execute-only VS page (the G page has X too): X takes the place of R', PV | PX | PA, GU_RW | PX), rules: [...L, 'HV-XLATE-5'] });
  o.push({ ...tl('HS', hlx, 'HLVX on a readable, not executable VS page: load page fault (13)', VS_RW, GU_RW), rules: [...L, 'HV-XLATE-5'] });
  o.push({ ...tl('HS', hlw, 'HLV on an execute-only VS page without MXR: load page fault', PV | PX | PA, GU_RW), rules: [...L, 'HV-XLATE-5'] });
  o.push({ ...tl('HS', hlx, 'HLVX needs X at the G-stage too: a G page without X gives a load guest-page fault (21)', PV | PX | PA, GU_RW), rules: [...L, 'HV-XLATE-5', 'HV-XLATE-3'] });
  o.push({ ...tl('HS', hlx, 'HLVX with the G leaf execute-only and the VS leaf executable: allowed', PV | PX | PA, PV | PX | PU | PA), rules: [...L, 'HV-XLATE-5'] });
  o.push({ ...tl('HS', hsw, 'HSV to a G page without W: store guest-page fault (23), htval = GPA >> 2', VS_RW, PV | PR | PU | PA | PD), rules: [...L, 'HV-XLATE-3'] });
  o.push({ ...tl('M', hlw, 'in M: a load guest-page fault into M with mtval2, MPV = 0, GVA = 1', VS_RW, GU_RW & ~PV, { csrs: { medeleg: 0 } }), rules: [...L, 'HV-XLATE-3', 'HV-TRAP-GVA'] });
  // MPRV with MPV.
  const P = ['HV-MPRV'];
  const mp = (desc: string, w: number, vsFlags: number, mstatus: number, mpv: boolean, more: Partial<Case> = {}): Case =>
    hc(P, 'M', `${dis(w)} with ${desc}`, [w], {
      x: { [A1]: VA_D, [A2]: 0x1234_abcd }, ...more, words: { ...twoStage(vsFlags, GU_RW), ...(more.words ?? {}) },
      csrs: { ...BOTH, mstatus: MS.MPRV | mstatus, mstatush: mpv ? MSH.MPV : 0, ...(more.csrs ?? {}) },
    });
  o.push(mp('MPRV = 1, MPP = S, MPV = 1: a VS-level access through both stages', lw, VS_RW, MS.MPP_S, true));
  o.push(mp('MPRV = 1, MPP = S, MPV = 1: a store through both stages', sw, VS_RW, MS.MPP_S, true));
  o.push(mp('MPRV = 1, MPP = U, MPV = 1: a VU-level access (the VS leaf has U = 1)', lw, VS_RW | PU, 0, true));
  o.push(mp('MPRV = 1, MPP = U, MPV = 1 and a VS leaf with U = 0: load page fault into M, GVA = 1, MPV ← 0', lw, VS_RW, 0, true));
  o.push(mp('MPRV = 1, MPP = S, MPV = 1, a U page: vsstatus.SUM = 0 faults (mstatus.SUM = 1 does not apply)', lw, VS_RW | PU, MS.MPP_S | MS.SUM, true));
  o.push(mp('MPRV = 1, MPP = S, MPV = 0: an HS-level access with satp Bare: 0x40000000 is physical (a hole): load access fault, GVA = 0', lw, VS_RW, MS.MPP_S, false));
  o.push(mp('MPRV = 1, MPP = M, MPV = 1: an M-level access, no translation (MPV ignored)', lw, VS_RW, MS.MPP_M, true, { x: { [A1]: SPA_D } }));
  o.push(mp('MPRV = 1, MPP = S, MPV = 1: an AMO through both stages', amo('amoadd.w', A0, A2, A1), VS_RW, MS.MPP_S, true));
  o.push(mp('MPRV = 1, MPP = S, MPV = 1: a G leaf without A under hardware A/D gets A', lw, VS_RW, MS.MPP_S, true, { words: gData(PV | PR | PW | PU) }));
  o.push(mp('MPRV = 1, MPP = S, MPV = 1: HLV with SPVP = 0 is not affected by MPRV (a VU access faults on the U = 0 leaf)', hlv('hlv.w', A0, A1), VS_RW, MS.MPP_S, true, { rules: [...P, 'HV-HLV'] }));
  return o;
}

// =====================================================================================================
// Seeded random cases: one CSR instruction on an H-relevant CSR, in a random mode with random legal
// contents (HV-CSR-ACCESS, HV-CSR-REDIRECT and the legalisations).

function randomCsr(): Case[] {
  const r = new Rng(0x4856_2025);
  const out: Case[] = [];
  const names = ['hstatus', 'hedeleg', 'hideleg', 'hie', 'hip', 'hvip', 'hcounteren', 'htval', 'htinst', 'hgatp', 'htimedelta', 'hgeip',
    'vsstatus', 'vsie', 'vsip', 'vstvec', 'vsscratch', 'vsepc', 'vscause', 'vstval', 'vsatp',
    'sstatus', 'sie', 'sip', 'stvec', 'sscratch', 'sepc', 'scause', 'stval', 'satp', 'scounteren',
    'mstatush', 'mideleg', 'medeleg', 'mip', 'mie', 'mtval2', 'mtinst', 'cycle', 'time', 'instret'];
  const ops = ['csrrw', 'csrrs', 'csrrc'] as const;
  const modes: Mode[] = ['M', 'HS', 'U', 'VS', 'VU'];
  for (let n = 0; n < 40; n++) {
    const m = r.pick(modes);
    const name = r.pick(names);
    const op = r.pick(ops);
    const w = csr(op, A0, name, r.below(4) === 0 ? 0 : A1);
    const a1 = r.corner();
    // Random legal contents (the writable bits only); mie = 0, so no interrupt is taken.
    const c: Record<string, number> = {
      hstatus: r.u32() & 0x7003c0, hedeleg: r.u32() & HEDELEG_ALL, hideleg: r.u32() & 0x444, hvip: r.u32() & 0x444,
      hcounteren: r.below(8), mcounteren: r.below(8), scounteren: r.below(8), vsstatus: r.u32() & 0xc0122,
      vsscratch: r.u32(), vsepc: (r.u32() & ~3) >>> 0, vscause: r.u32(), vstval: r.u32(), htval: r.u32(), htinst: r.u32(),
      sscratch: r.u32(), sepc: (r.u32() & ~3) >>> 0, scause: r.u32(), stval: r.u32(), mtval2: r.u32(), mtinst: r.u32(),
      mstatus: r.u32() & (MS.SIE | MS.SPIE | MS.SPP | MS.SUM | MS.MXR | MS.TVM | MS.TSR), mstatush: r.u32() & 0xc0,
      medeleg: r.u32() & 0x00f0b7ff, htimedelta: r.u32(),
    };
    out.push(hc(['HV-CSR-ACCESS', 'HV-CSR-REDIRECT'], m, `random CSR access ${n + 1}: ${dis(w)} with a1 = ${h(a1)}`, [w], { x: { [A1]: a1 }, csrs: c, group: 'rand-hv-csr' }));
  }
  return out;
}

export const hypervisorCases = (): Case[] => [
  ...traps(), ...xret(), ...interrupts(), ...csrs(), ...instructions(), ...gStage(), ...twoStages(), ...hypervisorLoads(), ...randomCsr(),
];
