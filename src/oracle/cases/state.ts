/** Hand-picked cases for spec/isa.md (ISA-DEC) and spec/state.md (STATE, MEM, PMA, STEP, CFG). */
import {
  A0, A1, A2, A3, RA, amo, csr, csri, ECALL, FENCE_I, jalr, ld, lr, NOP, ri, rr, sc, st, WFI,
} from '../asm.js';
import { type Case, CLINT, DATA, dis, FINISHER, h, HANDLER, MS, RAM, UART } from './util.js';

const TRAP = { mtvec: HANDLER };

function decoding(): Case[] {
  const R = (f7: number, rs2: number, rs1: number, f3: number, rd: number, opc: number): number =>
    ((f7 << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | opc) >>> 0;
  const illegal: Array<[number, string]> = [
    [0x00000000, 'the all-zero word'],
    [0xffffffff, 'the all-ones word'],
    [0x00004501, 'a 16-bit (C) encoding'],
    [0x0000001f, 'a 48-bit length prefix'],
    [R(0, 0, A1, 2, A0, 0x07), 'LOAD-FP (flw)'],
    [R(2, A2, A1, 0, A0, 0x33), 'OP with funct7 = 0x02'],
    [R(0x20, A2, A1, 1, A0, 0x33), 'OP with funct7 = 0x20 and funct3 = 1'],
    [R(1, 0, A1, 1, A0, 0x13), 'SLLI with shamt[5] = 1 (RV64 form)'],
    [R(0x21, 0, A1, 5, A0, 0x13), 'SRAI with imm[11:5] = 0x21'],
    [R(0, 0, A1, 1, A0, 0x67), 'JALR with funct3 = 1'],
    [R(0, A2, A1, 2, 0, 0x63), 'BRANCH with funct3 = 2'],
    [R(0, 0, A1, 3, A0, 0x03), 'LOAD with funct3 = 3 (ld)'],
    [R(0, A2, A1, 3, 0, 0x23), 'STORE with funct3 = 3 (sd)'],
    [R(0, 0, A1, 2, 0, 0x0f), 'MISC-MEM with funct3 = 2'],
    [R(0, A2, A1, 3, A0, 0x2f), 'AMO with funct3 = 3 (amoadd.d)'],
    [R(5 << 2, A2, A1, 2, A0, 0x2f), 'AMO with an undefined funct5'],
    [R(2 << 2, 1, A1, 2, A0, 0x2f), 'LR.W with rs2 = 1'],
    [R(0x300 >> 5, 0x300 & 31, A1, 4, A0, 0x73), 'SYSTEM with funct3 = 4'],
    [0x00200073, 'URET'],
    [0x7b200073, 'DRET'],
    [0x00d00073, 'WRS.NTO'],
    [R(0x09, 0, A1, 0, A0, 0x73), 'SFENCE.VMA with rd != 0'],
    [R(0, 1, A1, 0, A0, 0x1b), 'OP-IMM-32 (addiw)'],
    [R(0, 0, 0, 0, 0, 0x0b), 'custom-0'],
  ];
  const out: Case[] = illegal.map(([w, what]) => ({
    rules: ['ISA-DEC-1', 'PRIV-TRAP-ENTRY', 'PRIV-ILLEGAL-TVAL'], desc: `${what} (${h(w)}) is an illegal instruction`, prog: [w], csrs: TRAP,
  }));
  const hint = ri('addi', 0, 0, 5);
  out.push({ rules: ['ISA-DEC-1', 'ISA-X0'], desc: `the HINT ${dis(hint)} is an ordinary instruction`, prog: [hint] });
  const noM = { isa: 'rv32ia_zicsr_zifencei_zicntr' }, noA = { isa: 'rv32im_zicsr_zifencei_zicntr' }, noFi = { isa: 'rv32ima_zicsr_zicntr' };
  const rules = ['ISA-DEC-3', 'PRIV-TRAP-ENTRY'];
  const mul = rr('mul', A0, A1, A2), div = rr('divu', A0, A1, A2), lrw = lr(A0, A1), amoadd = amo('amoadd.w', A0, A2, A1);
  out.push({ rules, desc: `${dis(mul)} without M is illegal`, config: noM, prog: [mul], csrs: TRAP, x: { [A1]: 3, [A2]: 4 } });
  out.push({ rules, desc: `${dis(div)} without M is illegal`, config: noM, prog: [div], csrs: TRAP, x: { [A1]: 3, [A2]: 4 } });
  out.push({ rules, desc: `${dis(lrw)} without A is illegal`, config: noA, prog: [lrw], csrs: TRAP, x: { [A1]: DATA } });
  out.push({ rules, desc: `${dis(amoadd)} without A is illegal and stores nothing`, config: noA, prog: [amoadd], csrs: TRAP, x: { [A1]: DATA, [A2]: 1 }, words: { [DATA]: 7 } });
  out.push({ rules, desc: `${dis(FENCE_I)} without Zifencei is illegal`, config: noFi, prog: [FENCE_I], csrs: TRAP });
  return out;
}

function stateRules(): Case[] {
  const out: Case[] = [];
  const names = ['mstatus', 'misa', 'mhartid', 'medeleg', 'mtvec', 'satp'];
  out.push({
    rules: ['STATE-RESET'], desc: 'reset values: mstatus, mhartid, medeleg, mtvec and satp read 0; misa names I, M, A, S, U',
    prog: names.map((n, i) => csr('csrrs', 10 + i, n, 0)), x: { 10: 0x5a5a5a5a, 11: 0x5a5a5a5a },
  });
  out.push({ rules: ['STATE-RESET', 'PRIV-CNT-2'], desc: 'counters start at 0 and count retired instructions', prog: [csr('csrrs', A0, 'minstret', 0), csr('csrrs', A1, 'mcycle', 0), csr('csrrs', A2, 'instreth', 0)], watch: ['minstret', 'mcycle', 'minstreth', 'mcycleh'] });
  const far = ld('lw', A0, A1, 0);
  out.push({ rules: ['MEM-1', 'ISA-MEM-1'], desc: `${dis(far)}: RAM that was never written reads 0`, prog: [far], x: { [A0]: 0x12345678, [A1]: RAM + 0x400000 } });
  // MEM-PMA: holes and unsupported device accesses raise access faults.
  const l = (what: string, w: number, addr: number, extra: Partial<Case> = {}): Case =>
    ({ rules: ['MEM-PMA', 'PRIV-TRAP-TVAL', 'PRIV-TRAP-ENTRY'], desc: `${dis(w)} at ${h(addr)} (${what}) raises an access fault`, prog: [w], x: { [A1]: addr, [A2]: 0x55 }, csrs: TRAP, ...extra });
  out.push(l('a hole', ld('lw', A0, A1, 0), 0));
  out.push(l('a hole', st('sw', A2, A1, 0), 0x20000000));
  out.push(l('a hole between devices', ld('lb', A0, A1, 0), 0x30000000));
  out.push({ ...l('a CLINT byte', ld('lb', A0, A1, 0), CLINT), rules: ['MEM-PMA', 'DEV-CLINT-1', 'PRIV-TRAP-ENTRY'] });
  out.push({ ...l('past the end of RAM', ld('lw', A0, A1, 0), RAM + 0x10000), config: { ramSize: 0x10000 }, rules: ['MEM-PMA', 'CFG-1', 'PRIV-TRAP-ENTRY'] });
  out.push({ ...l('straddling the end of RAM', ld('lw', A0, A1, 0), RAM + 0xfffe), config: { ramSize: 0x10000 }, rules: ['MEM-PMA', 'CFG-1', 'CFG-MISALIGNED', 'PRIV-TRAP-ENTRY'] });
  // PMA-EXEC
  const jr = jalr(0, A1, 0);
  for (const [addr, what] of [[0, 'a hole'], [CLINT, 'the CLINT'], [UART, 'the UART']] as const) {
    out.push({ rules: ['PMA-EXEC', 'PRIV-TRAP-ENTRY'], desc: `${dis(jr)} to ${what} (${h(addr)}): the fetch raises an instruction access fault`, prog: [jr], steps: 2, x: { [A1]: addr }, csrs: TRAP });
  }
  const at = (w: number, what: string, addr: number): Case =>
    ({ rules: ['PMA-EXEC', 'MEM-PMA', 'PRIV-TRAP-ENTRY'], desc: `${dis(w)} on ${what}: devices support no atomics`, prog: [w], x: { [A1]: addr, [A2]: 1 }, csrs: TRAP });
  out.push(at(lr(A0, A1), 'the CLINT', CLINT));
  out.push(at(sc(A0, A2, A1), 'the UART', UART));
  out.push(at(amo('amoadd.w', A0, A2, A1), 'the test finisher', FINISHER));
  // MEM-PRIV: MPRV makes M-mode loads and stores use MPP (here U, which no PMP entry allows).
  const lw = ld('lw', A0, A1, 0), sw = st('sw', A2, A1, 0);
  out.push({ rules: ['MEM-PRIV', 'PMP-APPLY', 'PMP-FAULT', 'PRIV-TRAP-ENTRY'], desc: `${dis(lw)} in M with MPRV = 1, MPP = U: checked as a U access, no PMP entry matches, fault`, prog: [lw], x: { [A1]: DATA }, words: { [DATA]: 42 }, csrs: { ...TRAP, mstatus: MS.MPRV } });
  out.push({ rules: ['MEM-PRIV', 'PMP-MATCH-1', 'PRIV-TRAP-ENTRY'], desc: `${dis(sw)} in M with MPRV = 1, MPP = U faults`, prog: [sw], x: { [A1]: DATA, [A2]: 1 }, words: { [DATA]: 42 }, csrs: { ...TRAP, mstatus: MS.MPRV } });
  out.push({ rules: ['MEM-PRIV'], desc: `${dis(lw)} in M with MPRV = 1, MPP = M is an M access`, prog: [lw], x: { [A1]: DATA }, words: { [DATA]: 42 }, csrs: { mstatus: MS.MPRV | MS.MPP_M } });
  out.push({ rules: ['MEM-PRIV'], desc: `${dis(lw)} in M with MPRV = 0, MPP = U is an M access`, prog: [lw], x: { [A1]: DATA }, words: { [DATA]: 42 }, csrs: { mstatus: 0 } });
  // MEM-ACCESS-1 with PMP: S may use the data page only; a store crossing into the next page faults whole.
  const pmp2 = { pmpaddr0: (RAM >>> 2) | 0x1ff, pmpaddr1: (DATA >>> 2) | 0x1ff, pmpcfg0: 0x1b1f, mtvec: HANDLER };
  const cross = st('sw', A2, A1, 0), crossL = ld('lw', A0, A1, 0);
  out.push({ rules: ['MEM-ACCESS-1', 'CFG-MISALIGNED', 'PMP-MATCH-1', 'PRIV-TRAP-ENTRY'], desc: `${dis(cross)} at ${h(DATA + 0xffe)} from S crosses into a page PMP denies: store access fault, tval = ${h(DATA + 0x1000)}, nothing written`, prog: [cross], priv: 'S', x: { [A1]: DATA + 0xffe, [A2]: 0xaabbccdd }, csrs: pmp2, words: { [DATA + 0xffc]: 0x11111111, [DATA + 0x1000]: 0x22222222 } });
  out.push({ rules: ['MEM-ACCESS-1', 'CFG-MISALIGNED', 'PMP-MATCH-1', 'PRIV-TRAP-ENTRY'], desc: `${dis(crossL)} at ${h(DATA + 0xffd)} from S crosses into a denied page: load access fault`, prog: [crossL], priv: 'S', x: { [A1]: DATA + 0xffd, [A0]: 7 }, csrs: pmp2 });
  out.push({ rules: ['MEM-ACCESS-1', 'CFG-MISALIGNED'], desc: `${dis(cross)} at ${h(DATA + 0xffe)} in M crosses a page boundary and is performed`, prog: [cross], x: { [A1]: DATA + 0xffe, [A2]: 0xaabbccdd }, words: { [DATA + 0xffc]: 0x11111111, [DATA + 0x1000]: 0x22222222 } });
  return out;
}

function steps(): Case[] {
  const out: Case[] = [];
  // STEP-SCHED: an interrupt that is pending and enabled is taken before the fetch. mtimecmp = 0
  // at reset, so MTIP is pending (DEV-CLINT-8).
  out.push({ rules: ['STEP-SCHED', 'PRIV-IRQ-ENABLE', 'DEV-CLINT-8', 'PRIV-TRAP-ENTRY'], desc: 'MTIP pending at reset with mie.MTIE and mstatus.MIE: the first step takes the interrupt', prog: [NOP], csrs: { mtvec: HANDLER, mie: 0x80, mstatus: MS.MIE } });
  out.push({ rules: ['STEP-SCHED', 'PRIV-WFI'], desc: 'wfi with nothing enabled: the hart waits; later steps retire nothing', prog: [WFI, NOP], steps: 3, watch: ['minstret'] });
  out.push({ rules: ['STEP-SCHED', 'WFI-1', 'PRIV-WFI', 'PRIV-IRQ-ENABLE'], desc: 'wfi with SSIP pending and enabled in mie but MIE = 0 in M: the hart resumes without a trap', prog: [WFI, ri('addi', A0, A0, 1)], steps: 2, csrs: { mip: 0x82, mie: 0x2 } });
  out.push({ rules: ['STEP-SCHED', 'WFI-1', 'PRIV-WFI'], desc: 'wfi with SSIP pending but not enabled in mie: the hart keeps waiting', prog: [WFI, ri('addi', A0, A0, 1)], steps: 3, csrs: { mip: 0x82 } });
  // STEP-TIME
  const rt = csr('csrrs', A0, 'time', 0);
  out.push({ rules: ['STEP-TIME', 'CFG-1'], desc: 'ticksPerInstruction = 10: time after 3 retired instructions is 30', config: { ticksPerInstruction: 10 }, prog: [NOP, NOP, NOP, rt], watch: ['time', 'timeh'] });
  const progRead = [ECALL, rt];
  out.push({ rules: ['STEP-TIME', 'PRIV-TRAP-ENTRY', 'PRIV-CNT-2'], desc: 'ecall, then the handler reads time: the trap retired nothing, so time is still 0', prog: progRead, steps: 2, csrs: { mtvec: RAM + 4 }, watch: ['minstret'] });
  // CFG-ISA-1
  const rm = csr('csrrs', A0, 'misa', 0);
  out.push({ rules: ['CFG-ISA-1', 'PRIV-CSR-MISA'], desc: 'rv32i_zicsr: misa = MXL 1 with I, S, U', config: { isa: 'rv32i_zicsr' }, prog: [rm] });
  out.push({ rules: ['CFG-ISA-1', 'PRIV-CSR-MISA'], desc: 'rv32ima_zicsr_zifencei_zicntr: misa has I, M, A, S, U', prog: [rm] });
  const cy = csr('csrrs', A0, 'cycle', 0);
  out.push({ rules: ['CFG-ISA-1', 'PRIV-TRAP-ENTRY'], desc: `${dis(cy)} without zicntr is an illegal instruction`, config: { isa: 'rv32ima_zicsr_zifencei' }, prog: [cy], csrs: TRAP });
  out.push({ rules: ['CFG-ISA-1', 'PRIV-CNT-2'], desc: `${dis(cy)} with zicntr reads the cycle count`, prog: [NOP, cy] });
  // CFG-MISALIGNED
  const words = { [DATA]: 0x33221100, [DATA + 4]: 0x77665544 };
  const perform: Array<[number, number]> = [[ld('lw', A0, A1, 1), DATA], [ld('lh', A0, A1, 3), DATA], [ld('lhu', A0, A1, 1), DATA + 2], [st('sw', A2, A1, 2), DATA], [st('sh', A2, A1, 3), DATA]];
  for (const [w, base] of perform) out.push({ rules: ['CFG-MISALIGNED', 'ISA-MEM-1'], desc: `misaligned: "perform": ${dis(w)} with a1 = ${h(base)} is performed`, prog: [w], x: { [A1]: base, [A2]: 0xa1b2c3d4 }, words });
  const trapCfg = { misaligned: 'trap' as const };
  for (const [w, base] of perform) out.push({ rules: ['CFG-MISALIGNED', 'PRIV-TRAP-ENTRY'], desc: `misaligned: "trap": ${dis(w)} with a1 = ${h(base)} raises address-misaligned`, config: trapCfg, prog: [w], x: { [A1]: base, [A2]: 0xa1b2c3d4 }, words, csrs: TRAP });
  const lb = ld('lb', A0, A1, 3);
  out.push({ rules: ['CFG-MISALIGNED', 'ISA-MEM-1'], desc: `misaligned: "trap": ${dis(lb)} is never misaligned`, config: trapCfg, prog: [lb], x: { [A1]: DATA }, words });
  const atomicsMis: Array<[number, string]> = [[lr(A0, A1), 'lr.w'], [sc(A0, A2, A1), 'sc.w'], [amo('amoswap.w', A0, A2, A1), 'amoswap.w']];
  for (const [w, what] of atomicsMis) {
    out.push({ rules: ['CFG-MISALIGNED', 'ISA-A-AMO', 'PRIV-TRAP-ENTRY'], desc: `misaligned ${what} at ${h(DATA + 2)} raises address-misaligned even under "perform"`, prog: [w], x: { [A1]: DATA + 2, [A2]: 1 }, words, csrs: TRAP, group: 'cfg-misaligned' });
  }
  // STEP-TOTAL corner: the last word of RAM, then falling off the end.
  out.push({ rules: ['STEP-TOTAL', 'PMA-EXEC', 'PRIV-TRAP-ENTRY'], desc: 'an instruction in the last word of RAM retires; the next fetch is an access fault', config: { ramSize: 0x10000 }, at: RAM + 0xfffc, prog: [NOP], steps: 2, csrs: { mtvec: RAM } });
  const mret = csri('csrrwi', A3, 'mscratch', 1);
  out.push({ rules: ['STEP-TOTAL'], desc: `${dis(mret)} in a one-instruction program; the following zero word traps as illegal`, prog: [mret], steps: 2, csrs: { mtvec: RAM + 0x100 } });
  out.push({ rules: ['STEP-TOTAL', 'ISA-JUMP-1'], desc: 'a zero-step vector leaves the state unchanged', prog: [jalr(RA, A1, 0)], steps: 0, x: { [A1]: DATA } });
  return out;
}

export const stateCases = (): Case[] => [...decoding(), ...stateRules(), ...steps()];
